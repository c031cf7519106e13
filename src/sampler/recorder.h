/* recorder.h — records a launched command or a running process into a
 * Sysprof capture.
 *
 * The recorder runs in two threads of its own: a reader thread drains the
 * perf ring buffers and writes samples, a tick thread polls RSS, picks up new
 * threads, polls the extra stack source, flushes the file once a second and
 * reports progress.  pyro_recorder_start() returns once the recording runs;
 * pyro_recorder_stop() may be called from any thread; pyro_recorder_finish()
 * waits for the end, resolves every address and closes the file.
 */
#pragma once

#include <glib.h>
#include "sampler/stack-source.h"

G_BEGIN_DECLS

#define PYRO_SAMPLER_ERROR (pyro_sampler_error_quark ())
GQuark pyro_sampler_error_quark (void);

typedef enum {
  PYRO_SAMPLER_ERROR_PERMISSION,   /* the message names the setting and the fix */
  PYRO_SAMPLER_ERROR_NO_PROCESS,
  PYRO_SAMPLER_ERROR_LAUNCH,       /* the command could not be started */
  PYRO_SAMPLER_ERROR_OUTPUT,       /* the capture could not be written */
  PYRO_SAMPLER_ERROR_FAILED,
} PyroSamplerError;

typedef enum {
  PYRO_SAMPLE_EVENT_CPU_CLOCK,
  PYRO_SAMPLE_EVENT_CYCLES,
} PyroSampleEvent;

/* How native stacks are walked (not core/call-graph.h's PyroCallGraph). */
typedef enum {
  PYRO_CALL_GRAPH_AUTO,   /* frame pointers, DWARF when their stacks are one frame deep */
  PYRO_CALL_GRAPH_FP,
  PYRO_CALL_GRAPH_DWARF,  /* a copy of the user stack unwound with its CFI */
} PyroCallGraphMode;

typedef enum {
  PYRO_RECORD_NATIVE,  /* perf_event_open stacks only */
  PYRO_RECORD_PYTHON,  /* the stack source's stacks only */
  PYRO_RECORD_MIXED,   /* native stacks with the source's frames spliced in */
} PyroRecordMode;

typedef enum {
  PYRO_RECORD_END_STOPPED,       /* pyro_recorder_stop() (Ctrl+C) */
  PYRO_RECORD_END_TARGET_EXITED,
  PYRO_RECORD_END_DURATION,
} PyroRecordEnd;

typedef struct {
  guint frequency;             /* Hz; 0 means 999 */
  PyroSampleEvent event;
  PyroCallGraphMode call_graph;
  PyroRecordMode mode;
  double duration;             /* seconds; 0 runs until stopped or the target exits */
  const char *output;          /* path of the capture to write */
  guint32 pid;                 /* attach to this process, or 0 to launch @argv */
  const char *const *argv;     /* the command to launch */
  const char *cwd;             /* nullable: working directory of the command */
  PyroStackSource *stack_source; /* nullable; taken over by the recorder */
  /* Python mode: also read the stacks of the target's child processes
   * (multiprocessing workers), and of theirs, each process its own thread
   * group.  Native and mixed recordings always follow children. */
  gboolean follow_children;
  /* seconds between flushes of the capture (and progress reports); 0 means
   * 1 s of flushes and reports twice a second.  A live view reads the
   * capture at each flush. */
  double flush_interval;
} PyroRecordOptions;

typedef struct {
  double elapsed;          /* seconds since the start */
  guint64 samples;         /* samples written */
  guint64 lost;            /* samples the kernel dropped (PERF_RECORD_LOST) */
  guint n_processes;
  guint n_threads;
  gint64 rss;              /* bytes, every process of the recording together */
  const char *output;      /* the capture, flushed: it can be opened as it grows */
} PyroRecordProgress;

/* Called from the recorder's tick thread about twice a second. */
typedef void (*PyroRecordProgressFunc) (const PyroRecordProgress *progress, gpointer user_data);
/* Called once when the recording ends: from a recorder thread when it ends by
 * itself, from the caller of pyro_recorder_stop() otherwise.  Call
 * pyro_recorder_finish() afterwards. */
typedef void (*PyroRecordEndedFunc) (PyroRecordEnd reason, gpointer user_data);

typedef struct _PyroRecorder PyroRecorder;

PyroRecorder *pyro_recorder_new (const PyroRecordOptions *options);
void pyro_recorder_free (PyroRecorder *self);

void pyro_recorder_set_progress_func (PyroRecorder *self, PyroRecordProgressFunc func,
                                      gpointer user_data);
void pyro_recorder_set_ended_func (PyroRecorder *self, PyroRecordEndedFunc func,
                                   gpointer user_data);

/* Opens the output, the events and starts the threads (and the command). */
gboolean pyro_recorder_start (PyroRecorder *self, GError **error);
/* Asks the recording to end; safe from any thread. */
void pyro_recorder_stop (PyroRecorder *self);
/* Waits for the end, stores the symbol table, closes the file. */
gboolean pyro_recorder_finish (PyroRecorder *self, GError **error);

/* Valid after pyro_recorder_finish(). */
PyroRecordEnd pyro_recorder_get_end (PyroRecorder *self);
void pyro_recorder_get_progress (PyroRecorder *self, PyroRecordProgress *progress);
/* Exit status of the launched command (as waitpid), or -1. */
int pyro_recorder_get_exit_status (PyroRecorder *self);
/* The process recorded: the launched command's pid or the attached one. */
guint32 pyro_recorder_get_pid (PyroRecorder *self);

/* pyrometer-<command>-<YYYYmmdd-HHMMSS>.syscap */
char *pyro_recorder_default_output (const char *command);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroRecorder, pyro_recorder_free)

G_END_DECLS
