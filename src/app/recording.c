#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "recording.h"
#include "process-list.h"
#include "sampler/cpython-stack-source.h"
#include "sampler/recorder.h"
#include "sampler/procfs.h"

/* Seconds between two reads of the capture while it is recorded: the
 * recorder flushes it this often. */
#define LIVE_INTERVAL 0.5

struct _PyroRecording
{
  GObject parent_instance;

  PyroDocument *document;
  GMainContext *context;      /* where the recorder's reports are handled */
  char **argv;
  char *cwd;
  guint32 pid;
  guint frequency;
  PyroRecordingCallGraph call_graph;
  PyroRecordingMode mode;
  double duration;
  char *output;
  char *title;

  PyroRecorder *recorder;
  gboolean active;
  gboolean finished;
  GError *error;

  /* Written by the recorder's threads, read on the UI thread. */
  GMutex lock;
  PyroRecordProgress latest;
  gboolean progress_queued;

  PyroRecordProgress progress;  /* the UI thread's copy */
  gboolean reloading;
  gboolean reload_again;
  gboolean ending;              /* the recorder reported the end */
  guint live_updates;
  goffset read_size;            /* size of the capture when last read */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PyroRecording, pyro_recording, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_ENDING,
  PROP_FINISHED,
  PROP_LIVE_UPDATES,
  N_PROPS
};

enum {
  PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Paths and modes */

char *
pyro_recording_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "pyrometer", "recordings", NULL);
}

char *
pyro_recording_default_output (const char *command, const char *directory)
{
  g_autofree char *name = pyro_recorder_default_output (command);
  if (directory != NULL && *directory != '\0' && g_file_test (directory, G_FILE_TEST_IS_DIR)
      && g_access (directory, W_OK) == 0)
    return g_build_filename (directory, name, NULL);
  g_autofree char *cache = pyro_recording_cache_dir ();
  return g_build_filename (cache, name, NULL);
}

static gboolean
script_is_python (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  if (in == NULL)
    return FALSE;
  char line[256] = { 0 };
  gssize n = g_input_stream_read (G_INPUT_STREAM (in), line, sizeof line - 1, NULL, NULL);
  if (n < 2 || line[0] != '#' || line[1] != '!')
    return FALSE;
  char *end = strchr (line, '\n');
  if (end != NULL)
    *end = '\0';
  return strstr (line, "python") != NULL;
}

PyroRecordingMode
pyro_recording_resolve_mode (const PyroRecordingRequest *request)
{
  if (request->mode != PYRO_RECORDING_MODE_AUTO)
    return request->mode;
  if (request->argv == NULL || request->argv[0] == NULL)
    return pyro_process_is_python (request->pid) ? PYRO_RECORDING_MODE_PYTHON : PYRO_RECORDING_MODE_NATIVE;

  const char *program = request->argv[0];
  g_autofree char *found = NULL;
  if (strchr (program, '/') == NULL)
    found = g_find_program_in_path (program);
  else if (!g_path_is_absolute (program) && request->cwd != NULL)
    found = g_build_filename (request->cwd, program, NULL);
  const char *path = found != NULL ? found : program;
  g_autofree char *base = g_path_get_basename (path);
  if (g_str_has_prefix (base, "python") || script_is_python (path))
    return PYRO_RECORDING_MODE_PYTHON;
  return PYRO_RECORDING_MODE_NATIVE;
}

/* Live view */

static void schedule_reload (PyroRecording *self);

static void
reload_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroRecording *self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean swapped = pyro_document_reload_finish (PYRO_DOCUMENT (source), result, &error);
  self->reloading = FALSE;
  if (swapped)
    {
      self->live_updates++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE_UPDATES]);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* A flush cut at an awkward place; the next flush is read whole. */
    g_debug ("live view of %s: %s", self->output, error->message);
  if (self->reload_again && !self->ending)
    schedule_reload (self);
  g_object_unref (self);
}

static void
schedule_reload (PyroRecording *self)
{
  if (self->reloading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->reload_again = FALSE;
  self->reloading = TRUE;
  g_autoptr (GFile) file = g_file_new_for_path (self->output);
  pyro_document_reload_async (self->document, file, self->cancellable, reload_done,
                              g_object_ref (self));
}

static gboolean
progress_in_context (gpointer user_data)
{
  PyroRecording *self = user_data;
  g_mutex_lock (&self->lock);
  self->progress = self->latest;
  self->progress_queued = FALSE;
  g_mutex_unlock (&self->lock);
  self->progress.output = self->output;
  g_signal_emit (self, signals[PROGRESS], 0);
  /* Progress follows each flush; read only a capture that grew. */
  GStatBuf st;
  if (!self->ending && g_stat (self->output, &st) == 0 && st.st_size != self->read_size)
    {
      self->read_size = st.st_size;
      schedule_reload (self);
    }
  return G_SOURCE_REMOVE;
}

/* The recorder's tick thread. */
static void
on_progress (const PyroRecordProgress *progress, gpointer user_data)
{
  PyroRecording *self = user_data;
  g_mutex_lock (&self->lock);
  self->latest = *progress;
  gboolean queue = !self->progress_queued;
  self->progress_queued = TRUE;
  g_mutex_unlock (&self->lock);
  if (queue)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, progress_in_context,
                                g_object_ref (self), g_object_unref);
}

/* The end */

static void
finish_recording (PyroRecording *self, GError *error)
{
  self->active = FALSE;
  self->finished = TRUE;
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
final_reload_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroRecording *self = user_data;
  GError *error = NULL;
  if (!pyro_document_reload_finish (PYRO_DOCUMENT (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* The window moved on to another file: the capture is complete on disk. */
    g_clear_error (&error);
  finish_recording (self, error);
  g_object_unref (self);
}

static void
finish_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PyroRecording *self = source;
  GError *error = NULL;
  if (pyro_recorder_finish (self->recorder, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
finish_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroRecording *self = PYRO_RECORDING (source);
  GError *error = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish_recording (self, error);
      g_object_unref (self);
      return;
    }
  pyro_recorder_get_progress (self->recorder, &self->progress);
  self->progress.output = self->output;
  g_signal_emit (self, signals[PROGRESS], 0);
  /* Supersedes a live read still running. */
  g_autoptr (GFile) file = g_file_new_for_path (self->output);
  pyro_document_reload_async (self->document, file, NULL, final_reload_done, self);
}

static gboolean
ended_in_context (gpointer user_data)
{
  PyroRecording *self = user_data;
  if (self->ending)
    return G_SOURCE_REMOVE;
  self->ending = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDING]);
  g_autoptr (GTask) task = g_task_new (self, NULL, finish_done, NULL);
  g_task_set_source_tag (task, ended_in_context);
  /* The reference taken at the start is handed from task to task until
   * "finished". */
  g_task_run_in_thread (task, finish_thread);
  return G_SOURCE_REMOVE;
}

/* A recorder thread, or the caller of pyro_recorder_stop(). */
static void
on_ended (PyroRecordEnd reason, gpointer user_data)
{
  PyroRecording *self = user_data;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, ended_in_context,
                              g_object_ref (self), g_object_unref);
}

/* Public */

PyroRecording *
pyro_recording_new (PyroDocument *document, const PyroRecordingRequest *request)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  PyroRecording *self = g_object_new (PYRO_TYPE_RECORDING, NULL);
  self->document = g_object_ref (document);
  self->argv = request->argv != NULL ? g_strdupv ((char **) request->argv) : NULL;
  self->cwd = g_strdup (request->cwd);
  self->pid = request->pid;
  self->frequency = request->frequency;
  self->call_graph = request->call_graph;
  self->mode = request->mode;
  self->duration = request->duration;

  g_autofree char *name = NULL;
  if (self->argv != NULL && self->argv[0] != NULL)
    {
      name = g_strdup (self->argv[0]);
      self->title = g_strjoinv (" ", self->argv);
    }
  else
    {
      name = pyro_proc_comm (self->pid, self->pid);
      if (name != NULL)
        g_strchomp (name);
      self->title = name != NULL ? g_strdup_printf (_("PID %u (%s)"), self->pid, name)
                                 : g_strdup_printf (_("PID %u"), self->pid);
    }
  self->output = request->output != NULL ? g_strdup (request->output)
                                          : pyro_recording_default_output (name, self->cwd);
  return self;
}

gboolean
pyro_recording_start (PyroRecording *self, GError **error)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), FALSE);
  g_return_val_if_fail (self->recorder == NULL, FALSE);

  g_autofree char *directory = g_path_get_dirname (self->output);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_OUTPUT,
                   _("%s: the folder for the recording could not be made: %s"), directory,
                   g_strerror (saved));
      return FALSE;
    }

  PyroRecordingRequest request = {
    .argv = (const char *const *) self->argv,
    .cwd = self->cwd,
    .pid = self->pid,
    .mode = self->mode,
  };
  PyroRecordMode mode;
  switch (pyro_recording_resolve_mode (&request))
    {
    case PYRO_RECORDING_MODE_PYTHON:
      mode = PYRO_RECORD_PYTHON;
      break;
    case PYRO_RECORDING_MODE_MIXED:
      mode = PYRO_RECORD_MIXED;
      break;
    default:
      mode = PYRO_RECORD_NATIVE;
      break;
    }
  PyroRecordOptions options = {
    .frequency = self->frequency,
    .event = PYRO_SAMPLE_EVENT_CPU_CLOCK,
    .call_graph = self->call_graph == PYRO_RECORDING_CALL_GRAPH_FP ? PYRO_CALL_GRAPH_FP
                  : self->call_graph == PYRO_RECORDING_CALL_GRAPH_DWARF ? PYRO_CALL_GRAPH_DWARF
                  : PYRO_CALL_GRAPH_AUTO,
    .mode = mode,
    .duration = self->duration,
    .output = self->output,
    .pid = self->argv != NULL ? 0 : self->pid,
    .argv = (const char *const *) self->argv,
    .cwd = self->cwd,
    .stack_source = mode != PYRO_RECORD_NATIVE ? pyro_cpython_stack_source_new () : NULL,
    .flush_interval = LIVE_INTERVAL,
  };
  self->recorder = pyro_recorder_new (&options);
  self->context = g_main_context_ref_thread_default ();
  pyro_recorder_set_progress_func (self->recorder, on_progress, self);
  pyro_recorder_set_ended_func (self->recorder, on_ended, self);
  if (!pyro_recorder_start (self->recorder, error))
    {
      g_clear_pointer (&self->recorder, pyro_recorder_free);
      return FALSE;
    }
  /* Kept alive until "finished", whatever happens to the window. */
  g_object_ref (self);
  self->active = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  return TRUE;
}

void
pyro_recording_stop (PyroRecording *self)
{
  g_return_if_fail (PYRO_IS_RECORDING (self));
  if (self->active && !self->ending)
    pyro_recorder_stop (self->recorder);
}

gboolean
pyro_recording_get_active (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), FALSE);
  return self->active;
}

gboolean
pyro_recording_get_ending (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), FALSE);
  return self->ending && !self->finished;
}

gboolean
pyro_recording_get_finished (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), FALSE);
  return self->finished;
}

const GError *
pyro_recording_get_error (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), NULL);
  return self->error;
}

void
pyro_recording_get_status (PyroRecording *self, PyroRecordingStatus *status)
{
  g_return_if_fail (PYRO_IS_RECORDING (self));
  status->elapsed = self->progress.elapsed;
  status->samples = self->progress.samples;
  status->lost = self->progress.lost;
  status->rss = MAX (self->progress.rss, 0);
}

guint
pyro_recording_get_live_updates (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), 0);
  return self->live_updates;
}

const char *
pyro_recording_get_output (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), NULL);
  return self->output;
}

const char *
pyro_recording_get_title (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), NULL);
  return self->title;
}

PyroDocument *
pyro_recording_get_document (PyroRecording *self)
{
  g_return_val_if_fail (PYRO_IS_RECORDING (self), NULL);
  return self->document;
}

/* GObject */

static void
pyro_recording_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PyroRecording *self = PYRO_RECORDING (object);
  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_ENDING:
      g_value_set_boolean (value, pyro_recording_get_ending (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_LIVE_UPDATES:
      g_value_set_uint (value, self->live_updates);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_recording_dispose (GObject *object)
{
  PyroRecording *self = PYRO_RECORDING (object);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (pyro_recording_parent_class)->dispose (object);
}

static void
pyro_recording_finalize (GObject *object)
{
  PyroRecording *self = PYRO_RECORDING (object);
  g_clear_pointer (&self->recorder, pyro_recorder_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->document);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_strfreev (self->argv);
  g_free (self->cwd);
  g_free (self->output);
  g_free (self->title);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (pyro_recording_parent_class)->finalize (object);
}

static void
pyro_recording_class_init (PyroRecordingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = pyro_recording_get_property;
  object_class->dispose = pyro_recording_dispose;
  object_class->finalize = pyro_recording_finalize;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDING] =
    g_param_spec_boolean ("ending", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE_UPDATES] =
    g_param_spec_uint ("live-updates", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* New progress from the recorder (pyro_recording_get_progress()). */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The final capture is in the document, or the end failed
   * (pyro_recording_get_error()). */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pyro_recording_init (PyroRecording *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
}
