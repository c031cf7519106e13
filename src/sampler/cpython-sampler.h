/* cpython-sampler.h — records the Python stacks of a CPython process into a
 * PyroProfile, on a timer thread of its own.
 *
 * At every tick the sampler reads every thread's stack (without stopping the
 * target) and adds one sample per thread: each Python frame becomes a function
 * (qualified name, file, first line) and a frame with its current line.  Per
 * thread it also keeps two 0/1 step counters (a point where the value
 * changes), "Running (<thread>)" and "GIL (<thread>)".  For the process it
 * reads RSS every 10 ms into an "RSS" counter and charges its growth, in a
 * second profile in bytes, to the stack of the thread that held the GIL (or
 * else one that ran).
 *
 * The sampler ends by itself when the target exits; what was recorded is
 * kept.
 */
#pragma once

#include <glib.h>
#include "core/profile.h"

G_BEGIN_DECLS

typedef struct {
  guint64 ticks;          /* timer ticks taken */
  guint64 missed_ticks;   /* ticks skipped because the sampler fell behind */
  guint64 failed_ticks;   /* ticks whose read failed (the target changed under us) */
  guint64 stacks;         /* thread stacks read */
  guint64 frames;         /* frames read */
  gint64 busy_ns;         /* time spent reading and recording */
  gint64 max_tick_ns;
  gint64 cpu_ns;          /* CPU time of the sampling thread, sleeps included */
} PyroCPythonSamplerStats;

typedef struct _PyroCPythonSampler PyroCPythonSampler;

/* Attaches to the running CPython process @pid. */
PyroCPythonSampler *pyro_cpython_sampler_attach (guint32 pid, GError **error);

/* Starts @argv (argv[0] looked up in PATH) and attaches to it as soon as its
 * interpreter is mapped.  The command's exit status is collected by the
 * sampler (pyro_cpython_sampler_get_exit_status()). */
PyroCPythonSampler *pyro_cpython_sampler_launch (const char *const *argv, GError **error);

void pyro_cpython_sampler_free (PyroCPythonSampler *self);

/* Samples per second; default 1000. */
void pyro_cpython_sampler_set_rate (PyroCPythonSampler *self, double hz);
/* Whether samples of threads that were not running are recorded; default
 * FALSE (they are counted in the "Running" counter either way). */
void pyro_cpython_sampler_set_keep_idle (PyroCPythonSampler *self, gboolean keep);

guint32 pyro_cpython_sampler_get_pid (PyroCPythonSampler *self);
/* "3.12.1" */
char   *pyro_cpython_sampler_get_version (PyroCPythonSampler *self);

gboolean pyro_cpython_sampler_start (PyroCPythonSampler *self, GError **error);
/* Ends the sampling; safe from any thread; returns at once. */
void     pyro_cpython_sampler_stop (PyroCPythonSampler *self);
/* Waits until the sampling has ended (by stop() or the target's exit).
 * Returns FALSE with @error when it ended on a read error other than the
 * target exiting (the samples so far are kept). */
gboolean pyro_cpython_sampler_wait (PyroCPythonSampler *self, GError **error);
/* TRUE when the target exited during the sampling. */
gboolean pyro_cpython_sampler_target_exited (PyroCPythonSampler *self);
/* Exit status (as from waitpid) of a launched command after wait(), or -1. */
int      pyro_cpython_sampler_get_exit_status (PyroCPythonSampler *self);

void pyro_cpython_sampler_get_stats (PyroCPythonSampler *self, PyroCPythonSamplerStats *stats);
/* Stacks read so far for native thread @tid, recorded or not (idle). */
guint64 pyro_cpython_sampler_get_thread_samples (PyroCPythonSampler *self, guint32 tid);

/* The recorded profiles, after wait().  Transfer full. */
PyroProfile *pyro_cpython_sampler_take_profile (PyroCPythonSampler *self);
PyroProfile *pyro_cpython_sampler_take_memory_profile (PyroCPythonSampler *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCPythonSampler, pyro_cpython_sampler_free)

G_END_DECLS
