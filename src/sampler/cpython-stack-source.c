/* cpython-stack-source.c — PyroStackSource over PyroCPythonReader. */
#include "sampler/cpython-stack-source.h"

#include <gio/gio.h>

#include "sampler/cpython-reader.h"

typedef struct {
  PyroStackSource parent;
  GHashTable *readers;   /* pid -> PyroCPythonReader* */
  GArray *frames;        /* PyroStackFrame scratch */
} CPythonSource;

static gboolean
source_attach (PyroStackSource *source, guint32 pid, GError **error)
{
  CPythonSource *self = (CPythonSource *) source;
  PyroCPythonTarget *target;

  if (g_hash_table_contains (self->readers, GUINT_TO_POINTER (pid)))
    return TRUE;
  target = pyro_cpython_target_open (pid, error);
  if (target == NULL)
    return FALSE;
  g_hash_table_insert (self->readers, GUINT_TO_POINTER (pid), pyro_cpython_reader_new (target));
  return TRUE;
}

static void
source_detach (PyroStackSource *source, guint32 pid)
{
  CPythonSource *self = (CPythonSource *) source;
  g_hash_table_remove (self->readers, GUINT_TO_POINTER (pid));
}

static gboolean
source_sample (PyroStackSource *source, guint32 pid, PyroStackEmitFunc emit, gpointer emit_data)
{
  CPythonSource *self = (CPythonSource *) source;
  PyroCPythonReader *reader = g_hash_table_lookup (self->readers, GUINT_TO_POINTER (pid));
  const PyroCPythonThreadStack *threads;
  guint n_threads;
  g_autoptr (GError) error = NULL;

  if (reader == NULL)
    return FALSE;
  if (!pyro_cpython_reader_sample (reader, &threads, &n_threads, &error))
    /* A read that raced with the target is a lost tick; only an exit ends it. */
    return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
           pyro_cpython_target_alive (pyro_cpython_reader_get_target (reader));

  for (guint i = 0; i < n_threads; i++)
    {
      const PyroCPythonThreadStack *t = &threads[i];
      if (t->n_frames == 0)
        continue;
      g_array_set_size (self->frames, t->n_frames);
      for (guint j = 0; j < t->n_frames; j++)
        {
          PyroStackFrame *f = &g_array_index (self->frames, PyroStackFrame, j);
          f->function = t->frames[j].code->qualname;
          f->file = t->frames[j].code->filename;
          f->line = t->frames[j].line;
          f->module = NULL;
          f->first_line = t->frames[j].code->first_line;
        }
      PyroStackThread thread = { t->tid, t->name, t->running, t->holds_gil };
      emit (&thread, (const PyroStackFrame *) self->frames->data, t->n_frames, emit_data);
    }
  return TRUE;
}

static gboolean
source_is_eval_frame (PyroStackSource *source, guint32 pid, guint64 address)
{
  CPythonSource *self = (CPythonSource *) source;
  PyroCPythonReader *reader = g_hash_table_lookup (self->readers, GUINT_TO_POINTER (pid));

  return reader != NULL &&
         pyro_cpython_target_is_eval_address (pyro_cpython_reader_get_target (reader), address);
}

static void
source_free (PyroStackSource *source)
{
  CPythonSource *self = (CPythonSource *) source;
  g_hash_table_unref (self->readers);
  g_array_unref (self->frames);
  g_free (self);
}

static const PyroStackSourceClass cpython_source_class = {
  .name = "python",
  .attach = source_attach,
  .detach = source_detach,
  .sample = source_sample,
  .is_eval_frame = source_is_eval_frame,
  .free = source_free,
};

PyroStackSource *
pyro_cpython_stack_source_new (void)
{
  CPythonSource *self = g_new0 (CPythonSource, 1);
  self->parent.klass = &cpython_source_class;
  self->readers = g_hash_table_new_full (NULL, NULL, NULL,
                                         (GDestroyNotify) pyro_cpython_reader_free);
  self->frames = g_array_new (FALSE, TRUE, sizeof (PyroStackFrame));
  return &self->parent;
}
