/* cpython-reader.h — the Python stacks of every thread of a CPython process,
 * read out of its memory without stopping it.
 *
 * Code objects and strings are cached by address: a cached code object is
 * trusted while the frame's instruction pointer lies inside its bytecode, and
 * read again otherwise.  Every string a reader hands out stays valid for the
 * reader's life.
 */
#pragma once

#include <glib.h>
#include "sampler/cpython-target.h"

G_BEGIN_DECLS

typedef struct {
  const char *qualname;   /* co_qualname, e.g. "Shape.area.<locals>.inner" */
  const char *filename;   /* co_filename */
  guint32 first_line;     /* co_firstlineno */
} PyroCPythonCode;

typedef struct {
  const PyroCPythonCode *code;
  guint32 line;           /* 0 when the instruction has no line */
} PyroCPythonFrame;

typedef struct {
  guint32 tid;            /* native thread id (the kernel's TID) */
  guint64 thread_id;      /* threading.get_ident() */
  gboolean holds_gil;
  gboolean running;       /* holds the GIL, or state R in /proc/PID/task/TID/stat */
  const char *name;       /* threading.Thread name, or NULL when unknown */
  guint n_frames;
  const PyroCPythonFrame *frames;  /* leaf first */
} PyroCPythonThreadStack;

typedef struct _PyroCPythonReader PyroCPythonReader;

/* Takes ownership of @target. */
PyroCPythonReader *pyro_cpython_reader_new (PyroCPythonTarget *target);
void               pyro_cpython_reader_free (PyroCPythonReader *self);

PyroCPythonTarget *pyro_cpython_reader_get_target (PyroCPythonReader *self);

/* Reads the stack of every Python thread now.  On success *@threads points at
 * @n_threads stacks owned by the reader, valid until the next call.  Fails
 * (G_IO_ERROR_NOT_FOUND) when the process exited, or with the read error. */
gboolean pyro_cpython_reader_sample (PyroCPythonReader *self,
                                     const PyroCPythonThreadStack **threads,
                                     guint *n_threads, GError **error);

/* Looks the names of the threads up in threading._active again at the next
 * sample (names are otherwise read once per new thread). */
void pyro_cpython_reader_refresh_names (PyroCPythonReader *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCPythonReader, pyro_cpython_reader_free)

G_END_DECLS
