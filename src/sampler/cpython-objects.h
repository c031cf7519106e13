/* cpython-objects.h — reading Python objects (str, bytes, int, dict, instance
 * attributes) out of a CPython process, with strings cached by address. */
#pragma once

#include <glib.h>
#include "sampler/cpython-target.h"

G_BEGIN_DECLS

typedef struct _PyroCPythonObjects PyroCPythonObjects;

/* @target stays owned by the caller and must outlive the result. */
PyroCPythonObjects *pyro_cpython_objects_new (PyroCPythonTarget *target);
void                pyro_cpython_objects_free (PyroCPythonObjects *self);

/* The text of the str at @addr as UTF-8, cached by address (checked
 * against the object's header) and owned by @self for its whole life; "?"
 * when it cannot be read. */
const char *pyro_cpython_objects_str (PyroCPythonObjects *self, guint64 addr);

/* A copy of the contents of the bytes object at @addr (free with g_free), or
 * NULL with @error set. */
guint8 *pyro_cpython_objects_bytes (PyroCPythonObjects *self, guint64 addr, gsize *len,
                                    GError **error);

/* Adds thread ident -> name (newly allocated) to @names for every thread in
 * threading._active of the interpreter at @interp.  Returns FALSE when the
 * threading module is not loaded or cannot be read. */
gboolean pyro_cpython_objects_thread_names (PyroCPythonObjects *self, guint64 interp,
                                            GHashTable *names);

G_END_DECLS
