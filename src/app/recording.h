/* recording.h — one recording shown live in a document.
 *
 * Runs the recorder (sampler/recorder.h) on a launched command or an
 * attached process.  Each time the recorder flushes the capture (twice a
 * second) the capture is read again off the UI thread and swapped into the
 * document whole (pyro_document_reload_async()), keeping the selection; a
 * flush that comes while a read runs is folded into the next read.  When the
 * recording ends (stopped, the target exited, the duration elapsed) the
 * recorder resolves the symbols in a worker thread and the final capture
 * replaces the live one; then "finished" is emitted.
 */
#pragma once

#include <gio/gio.h>
#include "document.h"

G_BEGIN_DECLS

typedef enum {
  PYRO_RECORDING_MODE_AUTO,     /* python for a Python interpreter, else native */
  PYRO_RECORDING_MODE_NATIVE,
  PYRO_RECORDING_MODE_PYTHON,
  PYRO_RECORDING_MODE_MIXED,
} PyroRecordingMode;

/* As sampler/recorder.h's PyroCallGraph, whose name the call graph view's
 * layout also uses. */
typedef enum {
  PYRO_RECORDING_CALL_GRAPH_AUTO,   /* frame pointers, DWARF when stacks are one frame deep */
  PYRO_RECORDING_CALL_GRAPH_FP,
  PYRO_RECORDING_CALL_GRAPH_DWARF,
} PyroRecordingCallGraph;

typedef struct {
  double elapsed;      /* seconds */
  guint64 samples;
  guint64 lost;        /* samples the kernel dropped */
  gint64 rss;          /* bytes, every process recorded; 0 before the first reading */
} PyroRecordingStatus;

/* What to record; the strings are copied by pyro_recording_new(). */
typedef struct {
  const char *const *argv;   /* the command to launch, or NULL to attach to @pid */
  const char *cwd;           /* nullable: working directory of the command */
  guint32 pid;
  guint frequency;           /* Hz; 0 means 999 */
  PyroRecordingCallGraph call_graph;
  PyroRecordingMode mode;
  double duration;           /* seconds; 0 runs until stopped or the target exits */
  const char *output;        /* nullable: pyro_recording_default_output() */
} PyroRecordingRequest;

#define PYRO_TYPE_RECORDING (pyro_recording_get_type ())
G_DECLARE_FINAL_TYPE (PyroRecording, pyro_recording, PYRO, RECORDING, GObject)

PyroRecording *pyro_recording_new (PyroDocument *document, const PyroRecordingRequest *request);
/* Starts the recorder (and the command); the first live view follows the
 * first flush.  Fails with the recorder's error (PYRO_SAMPLER_ERROR), whose
 * message explains a refusal and the command that would allow it. */
gboolean       pyro_recording_start (PyroRecording *self, GError **error);
/* Asks the recording to end; "finished" follows. */
void           pyro_recording_stop (PyroRecording *self);

/* TRUE from a successful start until "finished". */
gboolean       pyro_recording_get_active (PyroRecording *self);
/* TRUE from the end of sampling until "finished": the symbols are being
 * resolved. */
gboolean       pyro_recording_get_ending (PyroRecording *self);
/* TRUE once the final capture is in the document, or the end failed. */
gboolean       pyro_recording_get_finished (PyroRecording *self);
/* Why the end failed, or NULL. */
const GError  *pyro_recording_get_error (PyroRecording *self);
/* The latest progress the recorder reported. */
void           pyro_recording_get_status (PyroRecording *self, PyroRecordingStatus *status);
/* How many times a flushed capture was swapped into the document while the
 * recording ran. */
guint          pyro_recording_get_live_updates (PyroRecording *self);
const char    *pyro_recording_get_output (PyroRecording *self);
/* The command line, or "PID n (name)" when attached. */
const char    *pyro_recording_get_title (PyroRecording *self);
PyroDocument  *pyro_recording_get_document (PyroRecording *self);

/* Where a recording of @command (a program path or name) is written by
 * default: pyrometer-<command>-<date>.syscap in @directory when it is given
 * and writable, else in the user's cache directory (see
 * pyro_recording_cache_dir()).  Caller frees. */
char          *pyro_recording_default_output (const char *command, const char *directory);
/* $XDG_CACHE_HOME/pyrometer/recordings.  Caller frees. */
char          *pyro_recording_cache_dir (void);
/* The mode @request records in: auto becomes python when the command's
 * program (or a script's #! line) or the process is a Python interpreter,
 * else native. */
PyroRecordingMode pyro_recording_resolve_mode (const PyroRecordingRequest *request);

G_END_DECLS
