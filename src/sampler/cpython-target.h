/* cpython-target.h — a running CPython process found by PID: where its
 * interpreter lives, which layout it uses, and reads of its memory.
 *
 * Errors are in G_IO_ERROR: NOT_FOUND (no such process, or it exited),
 * PERMISSION_DENIED (ptrace rights missing; the message names the fix),
 * NOT_SUPPORTED (not CPython, or a version without a layout), FAILED (a read
 * of the target failed, e.g. it changed under us).
 */
#pragma once

#include <glib.h>
#include "sampler/cpython-offsets.h"

G_BEGIN_DECLS

typedef struct _PyroCPythonTarget PyroCPythonTarget;

/* Opens @pid.  Fails when the process is not CPython 3.11–3.13 or cannot be
 * read. */
PyroCPythonTarget *pyro_cpython_target_open (guint32 pid, GError **error);
void               pyro_cpython_target_free (PyroCPythonTarget *self);

guint32     pyro_cpython_target_pid (const PyroCPythonTarget *self);
/* PY_VERSION_HEX of the target. */
guint32     pyro_cpython_target_version (const PyroCPythonTarget *self);
/* Path (inside the target's root) of the file holding _PyRuntime. */
const char *pyro_cpython_target_binary (const PyroCPythonTarget *self);
/* The layout in use: the generated table's entry, with 3.13+ fields replaced
 * by the target's own _Py_DebugOffsets.  Owned by @self. */
const PyroCPythonLayout *pyro_cpython_target_layout (const PyroCPythonTarget *self);
guint64     pyro_cpython_target_runtime (const PyroCPythonTarget *self);
/* Address of PyCode_Type in the target, 0 when the binary does not export it. */
guint64     pyro_cpython_target_code_type (const PyroCPythonTarget *self);
/* TRUE when @address lies in _PyEval_EvalFrameDefault. */
gboolean    pyro_cpython_target_is_eval_address (const PyroCPythonTarget *self,
                                                 guint64 address);

/* Reads @len bytes at @address of the target into @buf. */
gboolean pyro_cpython_target_read (PyroCPythonTarget *self, guint64 address,
                                   gpointer buf, gsize len, GError **error);
/* Reads @n pieces at once (one system call when possible): piece i is
 * @lens[i] bytes at @addresses[i], stored back to back in @buf.  Fails when
 * any piece cannot be read. */
gboolean pyro_cpython_target_read_many (PyroCPythonTarget *self, const guint64 *addresses,
                                        const guint32 *lens, guint n, gpointer buf,
                                        GError **error);
/* Like read_many(), but stops at the first piece that cannot be read:
 * returns how many pieces were read whole (0 with @error set when not even
 * the first). */
guint    pyro_cpython_target_read_prefix (PyroCPythonTarget *self, const guint64 *addresses,
                                          const guint32 *lens, guint n, gpointer buf,
                                          GError **error);
/* Still running (not gone, not a zombie)? */
gboolean pyro_cpython_target_alive (const PyroCPythonTarget *self);

/* The explanation for EPERM/EACCES on @pid, shared by every reader. */
char *pyro_cpython_permission_message (guint32 pid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCPythonTarget, pyro_cpython_target_free)

G_END_DECLS
