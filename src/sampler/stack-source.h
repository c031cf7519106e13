/* stack-source.h — a source of extra (non-native) stacks the recorder polls at
 * every tick, such as the CPython frame reader.
 *
 * The recorder owns one source per recording.  Every process the recording
 * sees (the launched command, the attached PID, each forked child) is offered
 * to the source with attach(); at every tick of the sample rate the recorder
 * calls sample() once per attached process, from its own tick thread, and the
 * source reports the stack of each thread it found through @emit.
 *
 * Frames are reported leaf first.  Strings belong to the source and need only
 * stay valid until @emit returns; the recorder interns them.
 *
 * Python mode: each emitted stack becomes one sample of its own (weight one
 * tick).  Mixed mode: the recorder keeps the last stack emitted per thread and,
 * when a native sample of that thread arrives, replaces each native frame for
 * which is_eval_frame() is TRUE (the interpreter's frame evaluation function),
 * outermost first, with the Python frames, outermost first; surplus Python
 * frames go above the innermost evaluation frame.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *function;  /* qualified name */
  const char *file;      /* source path, nullable */
  guint32 line;          /* 0 unknown */
  const char *module;    /* nullable: module or package the function is in */
  guint32 first_line;    /* the function's first line, 0 unknown */
} PyroStackFrame;

typedef struct {
  guint32 tid;
  const char *name;     /* nullable: the name the program gave the thread */
  gboolean running;     /* FALSE when it waited (sleep, I/O, a lock, the GIL) */
  gboolean holds_gil;
} PyroStackThread;

/* Reports the current stack of @thread, leaf first.  Threads that are not
 * running are reported too. */
typedef void (*PyroStackEmitFunc) (const PyroStackThread *thread, const PyroStackFrame *frames,
                                   guint n_frames, gpointer user_data);

typedef struct _PyroStackSource PyroStackSource;

typedef struct {
  const char *name;  /* "python", for messages and the capture's metadata */

  /* Starts following @pid.  Returns FALSE with @error set when the process
   * cannot be read (an error of G_IO_ERROR_PERMISSION_DENIED names the cause
   * and the fix), or when it is not a process this source understands
   * (G_IO_ERROR_NOT_SUPPORTED; the recorder then ignores the process
   * quietly). */
  gboolean (*attach) (PyroStackSource *self, guint32 pid, GError **error);

  /* Stops following @pid (it exited, or the recording ends). */
  void (*detach) (PyroStackSource *self, guint32 pid);

  /* Reads the stack of every thread of @pid now and calls @emit once per
   * thread that has one.  Returns FALSE when the process is gone. Must not
   * stop or slow the target beyond reading its memory. */
  gboolean (*sample) (PyroStackSource *self, guint32 pid, PyroStackEmitFunc emit,
                      gpointer emit_data);

  /* Mixed mode: TRUE when native @address of @pid lies in the interpreter's
   * frame evaluation function.  May be NULL (no splicing). */
  gboolean (*is_eval_frame) (PyroStackSource *self, guint32 pid, guint64 address);

  void (*free) (PyroStackSource *self);
} PyroStackSourceClass;

struct _PyroStackSource {
  const PyroStackSourceClass *klass;
};

static inline void
pyro_stack_source_free (PyroStackSource *self)
{
  if (self != NULL)
    self->klass->free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroStackSource, pyro_stack_source_free)

G_END_DECLS
