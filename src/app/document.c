#include <glib/gi18n.h>

#include "document.h"
#include "formats/reader.h"
#include "formats/perf-data.h"
#include "symbols/symbolizer.h"

struct _PyroDocument
{
  GObject parent_instance;

  PyroDocumentState state;
  GFile *file;
  char *display_name;
  char *error_message;
  GCancellable *load_cancellable;
  /* Written by the loading thread as fraction * 10000, read by a timeout. */
  gint progress_permyriad;
  double progress;
  guint progress_source;

  PyroProfile *profile;
  PyroSelection *selection;
  GPtrArray *history;          /* PyroSelection*, older first */

  PyroCallTree *tree;
  PyroCallTree *top_down;      /* == tree unless inverted */
  PyroFunctionTable *table;
  GCancellable *derive_cancellable;
  guint derive_generation;
  gboolean busy;

  guint32 selected_func;
  guint reload_serial;         /* the newest pyro_document_reload_async() */
  /* Native symbols resolved by the reads of the file reloaded last, for the
   * next read of it. */
  PyroSymbolCache *symbol_cache;
  GFile *symbol_cache_file;
};

G_DEFINE_FINAL_TYPE (PyroDocument, pyro_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FILE,
  PROP_DISPLAY_NAME,
  PROP_PROGRESS,
  PROP_BUSY,
  PROP_CAN_UNDO,
  PROP_INVERTED,
  PROP_MEMORY_GROWTH,
  PROP_SHOW_IDLE,
  PROP_SELECTED_FUNC,
  N_PROPS
};

enum {
  TREES_CHANGED,
  PROFILE_REPLACED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What a worker thread derives from a profile and a selection. */
typedef struct {
  PyroCallTree *tree;
  PyroCallTree *top_down;
  PyroFunctionTable *table;
} Derived;

static void
derived_free (Derived *d)
{
  if (d->tree != d->top_down)
    pyro_call_tree_free (d->tree);
  pyro_call_tree_free (d->top_down);
  pyro_function_table_free (d->table);
  g_free (d);
}

static Derived *
derive (PyroProfile *profile, const PyroSelection *selection, GCancellable *cancellable,
        GError **error)
{
  g_autoptr (PyroSelection) top_down_sel = pyro_selection_copy (selection);
  top_down_sel->invert = FALSE;

  g_autoptr (PyroCallTree) top_down = pyro_call_tree_new (profile, top_down_sel, cancellable, error);
  if (top_down == NULL)
    return NULL;
  PyroCallTree *tree = NULL;
  if (selection->invert)
    {
      tree = pyro_call_tree_new (profile, selection, cancellable, error);
      if (tree == NULL)
        return NULL;
    }

  Derived *d = g_new0 (Derived, 1);
  d->top_down = g_steal_pointer (&top_down);
  d->tree = tree != NULL ? tree : d->top_down;
  d->table = profile->has_call_stats ? pyro_function_table_new_exact (profile)
                                     : pyro_function_table_new (d->top_down);
  return d;
}

static void
clear_derived (PyroDocument *self)
{
  if (self->tree != self->top_down)
    g_clear_pointer (&self->tree, pyro_call_tree_free);
  self->tree = NULL;
  g_clear_pointer (&self->top_down, pyro_call_tree_free);
  g_clear_pointer (&self->table, pyro_function_table_free);
}

static void
install_derived (PyroDocument *self, Derived *d)
{
  clear_derived (self);
  self->tree = d->tree;
  self->top_down = d->top_down;
  self->table = d->table;
  g_free (d);
}

static void
set_busy (PyroDocument *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_state (PyroDocument *self, PyroDocumentState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Recomputing the trees */

typedef struct {
  PyroProfile *profile;
  PyroSelection *selection;
  guint generation;
} DeriveJob;

static void
derive_job_free (DeriveJob *job)
{
  pyro_profile_unref (job->profile);
  pyro_selection_free (job->selection);
  g_free (job);
}

static void
derive_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DeriveJob *job = task_data;
  GError *error = NULL;
  Derived *d = derive (job->profile, job->selection, cancellable, &error);
  if (d == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, d, (GDestroyNotify) derived_free);
}

static void
derive_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroDocument *self = PYRO_DOCUMENT (source);
  DeriveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  Derived *d = g_task_propagate_pointer (G_TASK (result), &error);

  if (job->generation != self->derive_generation)
    {
      /* A newer selection was requested meanwhile; its result will follow. */
      g_clear_pointer (&d, derived_free);
      return;
    }
  g_clear_object (&self->derive_cancellable);
  set_busy (self, FALSE);
  if (d == NULL)
    return;
  install_derived (self, d);
  g_signal_emit (self, signals[TREES_CHANGED], 0);
}

static void
recompute (PyroDocument *self)
{
  if (self->profile == NULL)
    return;
  if (self->derive_cancellable != NULL)
    g_cancellable_cancel (self->derive_cancellable);
  g_clear_object (&self->derive_cancellable);
  self->derive_cancellable = g_cancellable_new ();

  DeriveJob *job = g_new0 (DeriveJob, 1);
  job->profile = pyro_profile_ref (self->profile);
  job->selection = pyro_selection_copy (self->selection);
  job->generation = ++self->derive_generation;

  g_autoptr (GTask) task = g_task_new (self, self->derive_cancellable, derive_done, NULL);
  g_task_set_source_tag (task, recompute);
  g_task_set_task_data (task, job, (GDestroyNotify) derive_job_free);
  g_task_set_return_on_cancel (task, FALSE);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, derive_thread);
}

/* Loading */

typedef struct {
  char *path;
  char *event;                 /* nullable: the perf.data event that weighs */
  gint *progress_permyriad;
  PyroProfile *profile;
  Derived *derived;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->path);
  g_free (job->event);
  g_clear_pointer (&job->profile, pyro_profile_unref);
  g_clear_pointer (&job->derived, derived_free);
  g_free (job);
}

static void
load_progress (double fraction, gpointer user_data)
{
  LoadJob *job = user_data;
  g_atomic_int_set (job->progress_permyriad, (gint) (CLAMP (fraction, 0.0, 1.0) * 10000));
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadJob *job = task_data;
  GError *error = NULL;

  if (job->event != NULL)
    job->profile = pyro_perf_data_load (job->path, job->event, load_progress, job, cancellable, &error);
  else
    job->profile = pyro_format_load_file (job->path, load_progress, job, cancellable, &error);
  if (job->profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (PyroSelection) selection = pyro_selection_new ();
  job->derived = derive (job->profile, selection, cancellable, &error);
  if (job->derived == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
progress_tick (gpointer user_data)
{
  PyroDocument *self = user_data;
  double p = g_atomic_int_get (&self->progress_permyriad) / 10000.0;
  if (p != self->progress)
    {
      self->progress = p;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  return G_SOURCE_CONTINUE;
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroDocument *self = PYRO_DOCUMENT (source);
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->load_cancellable);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_state (self, PYRO_DOCUMENT_EMPTY);
          return;
        }
      g_free (self->error_message);
      self->error_message = g_strdup (error->message);
      set_state (self, PYRO_DOCUMENT_FAILED);
      return;
    }

  self->profile = g_steal_pointer (&job->profile);
  install_derived (self, g_steal_pointer (&job->derived));
  set_state (self, PYRO_DOCUMENT_READY);
  g_signal_emit (self, signals[TREES_CHANGED], 0);
}

static void
start_load (PyroDocument *self, GFile *file, const char *event)
{
  pyro_document_cancel (self);
  g_clear_pointer (&self->profile, pyro_profile_unref);
  clear_derived (self);
  g_ptr_array_set_size (self->history, 0);
  pyro_selection_free (self->selection);
  self->selection = pyro_selection_new ();
  self->selected_func = PYRO_NONE;
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->symbol_cache, pyro_symbol_cache_unref);
  g_clear_object (&self->symbol_cache_file);

  g_set_object (&self->file, file);
  g_free (self->display_name);
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);
  self->display_name = info != NULL ? g_strdup (g_file_info_get_display_name (info))
                                    : g_file_get_basename (file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);

  self->progress = 0;
  g_atomic_int_set (&self->progress_permyriad, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  self->load_cancellable = g_cancellable_new ();

  g_autofree char *path = g_file_get_path (file);
  LoadJob *job = g_new0 (LoadJob, 1);
  job->progress_permyriad = &self->progress_permyriad;
  job->event = g_strdup (event);
  if (path != NULL)
    job->path = g_steal_pointer (&path);
  else
    {
      /* Only local files can be mapped: say so rather than guess. */
      g_autofree char *uri = g_file_get_uri (file);
      self->error_message = g_strdup_printf (_("%s: only local files can be opened"), uri);
      load_job_free (job);
      set_state (self, PYRO_DOCUMENT_FAILED);
      return;
    }

  g_autoptr (GTask) task = g_task_new (self, self->load_cancellable, load_done, NULL);
  g_task_set_source_tag (task, pyro_document_load);
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  self->progress_source = g_timeout_add (50, progress_tick, self);
  set_state (self, PYRO_DOCUMENT_LOADING);
  g_task_run_in_thread (task, load_thread);
}

void
pyro_document_load (PyroDocument *self, GFile *file)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (file));
  start_load (self, file, NULL);
}

void
pyro_document_load_event (PyroDocument *self, GFile *file, const char *event)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (event != NULL);
  start_load (self, file, event);
}

void
pyro_document_cancel (PyroDocument *self)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
}

/* Reloading a file that grows */

typedef struct {
  GFile *file;
  GFile *shown;                /* the document's file when asked */
  char *path;
  PyroSelection *selection;    /* the selection to derive with */
  PyroSymbolCache *symbol_cache;
  gboolean keep_selection;
  guint serial;
  guint generation;            /* derive_generation when asked */
  PyroProfile *profile;
  Derived *derived;
} ReloadJob;

static void
reload_job_free (ReloadJob *job)
{
  g_clear_object (&job->file);
  g_clear_object (&job->shown);
  g_free (job->path);
  g_clear_pointer (&job->selection, pyro_selection_free);
  g_clear_pointer (&job->symbol_cache, pyro_symbol_cache_unref);
  g_clear_pointer (&job->profile, pyro_profile_unref);
  g_clear_pointer (&job->derived, derived_free);
  g_free (job);
}

static gboolean
selection_fits (const PyroSelection *selection, PyroProfile *profile)
{
  for (guint i = 0; i < selection->transforms->len; i++)
    if (g_array_index (selection->transforms, PyroTransform, i).func >= pyro_profile_n_funcs (profile))
      return FALSE;
  return TRUE;
}

static void
reload_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReloadJob *job = task_data;
  GError *error = NULL;

  pyro_symbol_cache_set_thread_default (job->symbol_cache);
  job->profile = pyro_format_load_file (job->path, NULL, NULL, cancellable, &error);
  pyro_symbol_cache_set_thread_default (NULL);
  if (job->profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Functions are numbered in the order the file names them, so a grown
   * file keeps the numbers of the part already read; a selection naming a
   * function the file no longer has starts afresh. */
  if (!job->keep_selection || !selection_fits (job->selection, job->profile))
    {
      job->keep_selection = FALSE;
      pyro_selection_free (job->selection);
      job->selection = pyro_selection_new ();
    }
  job->derived = derive (job->profile, job->selection, cancellable, &error);
  if (job->derived == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
reload_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroDocument *self = PYRO_DOCUMENT (source);
  GTask *outer = user_data;
  ReloadJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  /* Another load or a newer reload took over meanwhile. */
  if (job->serial != self->reload_serial || self->load_cancellable != NULL || self->file != job->shown)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("%s: another file was opened while it was read"), job->path);
      g_object_unref (outer);
      return;
    }

  gboolean was_ready = self->state == PYRO_DOCUMENT_READY;
  gboolean selection_changed = job->generation != self->derive_generation;
  if (!job->keep_selection)
    {
      g_ptr_array_set_size (self->history, 0);
      pyro_selection_free (self->selection);
      self->selection = g_steal_pointer (&job->selection);
      selection_changed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVERTED]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_GROWTH]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_IDLE]);
    }
  if (self->file != job->file)
    {
      g_set_object (&self->file, job->file);
      g_free (self->display_name);
      self->display_name = g_file_get_basename (job->file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
    }
  g_clear_pointer (&self->error_message, g_free);

  /* Trees derived from the previous profile must not land on this one. */
  self->derive_generation++;
  if (self->derive_cancellable != NULL)
    g_cancellable_cancel (self->derive_cancellable);
  g_clear_object (&self->derive_cancellable);
  set_busy (self, FALSE);

  g_clear_pointer (&self->profile, pyro_profile_unref);
  self->profile = g_steal_pointer (&job->profile);
  install_derived (self, g_steal_pointer (&job->derived));
  if (self->selected_func != PYRO_NONE && self->selected_func >= pyro_profile_n_funcs (self->profile))
    {
      self->selected_func = PYRO_NONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNC]);
    }
  set_state (self, PYRO_DOCUMENT_READY);
  if (was_ready)
    g_signal_emit (self, signals[PROFILE_REPLACED], 0);
  g_signal_emit (self, signals[TREES_CHANGED], 0);
  /* The selection changed while the file was read: derive again. */
  if (selection_changed)
    recompute (self);
  g_task_return_boolean (outer, TRUE);
  g_object_unref (outer);
}

void
pyro_document_reload_async (PyroDocument *self, GFile *file, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  g_return_if_fail (G_IS_FILE (file));

  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, pyro_document_reload_async);
  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("%s: only local files can be opened"), uri);
      g_object_unref (outer);
      return;
    }

  ReloadJob *job = g_new0 (ReloadJob, 1);
  job->file = g_object_ref (file);
  job->shown = self->file != NULL ? g_object_ref (self->file) : NULL;
  job->path = g_steal_pointer (&path);
  job->keep_selection = self->state == PYRO_DOCUMENT_READY && self->file != NULL
                        && g_file_equal (self->file, file);
  job->selection = job->keep_selection ? pyro_selection_copy (self->selection) : pyro_selection_new ();
  job->serial = ++self->reload_serial;
  job->generation = self->derive_generation;
  if (self->symbol_cache_file == NULL || !g_file_equal (self->symbol_cache_file, file))
    {
      g_clear_pointer (&self->symbol_cache, pyro_symbol_cache_unref);
      self->symbol_cache = pyro_symbol_cache_new ();
      g_set_object (&self->symbol_cache_file, file);
    }
  job->symbol_cache = pyro_symbol_cache_ref (self->symbol_cache);

  g_autoptr (GTask) task = g_task_new (self, cancellable, reload_done, outer);
  g_task_set_source_tag (task, reload_thread);
  g_task_set_task_data (task, job, (GDestroyNotify) reload_job_free);
  g_task_run_in_thread (task, reload_thread);
}

gboolean
pyro_document_reload_finish (PyroDocument *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Selection */

static void
remember (PyroDocument *self)
{
  gboolean could_undo = self->history->len > 0;
  g_ptr_array_add (self->history, pyro_selection_copy (self->selection));
  if (!could_undo)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

void
pyro_document_push_transform (PyroDocument *self, PyroTransformKind kind, guint32 func)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  if (self->profile == NULL || func == PYRO_NONE)
    return;
  remember (self);
  pyro_selection_push_transform (self->selection, kind, func);
  recompute (self);
}

void
pyro_document_set_range (PyroDocument *self, gint64 start, gint64 end)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  if (self->profile == NULL || end <= start
      || (self->selection->has_range && self->selection->range_start == start
          && self->selection->range_end == end))
    return;
  remember (self);
  pyro_selection_set_range (self->selection, start, end);
  recompute (self);
}

void
pyro_document_clear_range (PyroDocument *self)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  if (self->profile == NULL || !self->selection->has_range)
    return;
  remember (self);
  pyro_selection_clear_range (self->selection);
  recompute (self);
}

void
pyro_document_set_inverted (PyroDocument *self, gboolean inverted)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  inverted = !!inverted;
  if (self->profile == NULL || self->selection->invert == inverted)
    return;
  remember (self);
  self->selection->invert = inverted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVERTED]);
  recompute (self);
}

void
pyro_document_set_memory_growth (PyroDocument *self, gboolean memory_growth)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  PyroWeightKind weight = memory_growth ? PYRO_WEIGHT_MEMORY_GROWTH : PYRO_WEIGHT_PRIMARY;
  if (self->profile == NULL || self->selection->weight == weight
      || (memory_growth && !pyro_document_has_memory_growth (self)))
    return;
  remember (self);
  self->selection->weight = weight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_GROWTH]);
  recompute (self);
}

gboolean
pyro_document_get_memory_growth (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->selection->weight == PYRO_WEIGHT_MEMORY_GROWTH;
}

gboolean
pyro_document_has_memory_growth (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->profile != NULL && self->profile->sample_bytes != NULL;
}

void
pyro_document_set_show_idle (PyroDocument *self, gboolean show_idle)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  show_idle = !!show_idle;
  if (self->profile == NULL || self->selection->show_idle == show_idle)
    return;
  remember (self);
  self->selection->show_idle = show_idle;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_IDLE]);
  recompute (self);
}

gboolean
pyro_document_get_show_idle (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->selection->show_idle;
}

gboolean
pyro_document_has_thread_state (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->profile != NULL && self->profile->sample_flags != NULL;
}

gboolean
pyro_document_get_inverted (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->selection->invert;
}

gboolean
pyro_document_undo (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  if (self->history->len == 0)
    return FALSE;
  gboolean was_inverted = self->selection->invert;
  PyroWeightKind was_weight = self->selection->weight;
  gboolean was_showing_idle = self->selection->show_idle;
  pyro_selection_free (self->selection);
  self->selection = g_ptr_array_steal_index (self->history, self->history->len - 1);
  if (self->history->len == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (was_inverted != self->selection->invert)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVERTED]);
  if (was_weight != self->selection->weight)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_GROWTH]);
  if (was_showing_idle != self->selection->show_idle)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_IDLE]);
  recompute (self);
  return TRUE;
}

gboolean
pyro_document_get_can_undo (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->history->len > 0;
}

guint32
pyro_document_get_selected_func (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), PYRO_NONE);
  return self->selected_func;
}

void
pyro_document_set_selected_func (PyroDocument *self, guint32 func)
{
  g_return_if_fail (PYRO_IS_DOCUMENT (self));
  if (self->profile == NULL || func >= pyro_profile_n_funcs (self->profile))
    func = PYRO_NONE;
  if (self->selected_func == func)
    return;
  self->selected_func = func;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNC]);
}

/* Getters */

PyroDocumentState
pyro_document_get_state (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), PYRO_DOCUMENT_EMPTY);
  return self->state;
}

GFile *
pyro_document_get_file (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->file;
}

const char *
pyro_document_get_display_name (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), "");
  return self->display_name != NULL ? self->display_name : "";
}

double
pyro_document_get_progress (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), 0);
  return self->progress;
}

const char *
pyro_document_get_error_message (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->error_message;
}

PyroProfile *
pyro_document_get_profile (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->profile;
}

const PyroSelection *
pyro_document_get_selection (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->selection;
}

const PyroCallTree *
pyro_document_get_tree (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->tree;
}

const PyroCallTree *
pyro_document_get_top_down (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->top_down;
}

const PyroFunctionTable *
pyro_document_get_function_table (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), NULL);
  return self->table;
}

gboolean
pyro_document_get_busy (PyroDocument *self)
{
  g_return_val_if_fail (PYRO_IS_DOCUMENT (self), FALSE);
  return self->busy;
}

/* GObject */

static void
pyro_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PyroDocument *self = PYRO_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, pyro_document_get_display_name (self));
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->history->len > 0);
      break;
    case PROP_INVERTED:
      g_value_set_boolean (value, self->selection->invert);
      break;
    case PROP_MEMORY_GROWTH:
      g_value_set_boolean (value, self->selection->weight == PYRO_WEIGHT_MEMORY_GROWTH);
      break;
    case PROP_SHOW_IDLE:
      g_value_set_boolean (value, self->selection->show_idle);
      break;
    case PROP_SELECTED_FUNC:
      g_value_set_uint (value, self->selected_func);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_document_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  PyroDocument *self = PYRO_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_INVERTED:
      pyro_document_set_inverted (self, g_value_get_boolean (value));
      break;
    case PROP_MEMORY_GROWTH:
      pyro_document_set_memory_growth (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_IDLE:
      pyro_document_set_show_idle (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED_FUNC:
      pyro_document_set_selected_func (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_document_dispose (GObject *object)
{
  PyroDocument *self = PYRO_DOCUMENT (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->derive_cancellable != NULL)
    g_cancellable_cancel (self->derive_cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  G_OBJECT_CLASS (pyro_document_parent_class)->dispose (object);
}

static void
pyro_document_finalize (GObject *object)
{
  PyroDocument *self = PYRO_DOCUMENT (object);

  clear_derived (self);
  g_clear_pointer (&self->profile, pyro_profile_unref);
  g_clear_pointer (&self->selection, pyro_selection_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->symbol_cache, pyro_symbol_cache_unref);
  g_clear_object (&self->symbol_cache_file);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->derive_cancellable);
  g_free (self->display_name);
  g_free (self->error_message);
  G_OBJECT_CLASS (pyro_document_parent_class)->finalize (object);
}

static void
pyro_document_class_init (PyroDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pyro_document_get_property;
  object_class->set_property = pyro_document_set_property;
  object_class->dispose = pyro_document_dispose;
  object_class->finalize = pyro_document_finalize;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, PYRO_DOCUMENT_EMPTY, PYRO_DOCUMENT_FAILED,
                      PYRO_DOCUMENT_EMPTY, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVERTED] =
    g_param_spec_boolean ("inverted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMORY_GROWTH] =
    g_param_spec_boolean ("memory-growth", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_IDLE] =
    g_param_spec_boolean ("show-idle", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FUNC] =
    g_param_spec_uint ("selected-func", NULL, NULL, 0, G_MAXUINT32, PYRO_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TREES_CHANGED] =
    g_signal_new ("trees-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROFILE_REPLACED] =
    g_signal_new ("profile-replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pyro_document_init (PyroDocument *self)
{
  self->selection = pyro_selection_new ();
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) pyro_selection_free);
  self->selected_func = PYRO_NONE;
}

PyroDocument *
pyro_document_new (void)
{
  return g_object_new (PYRO_TYPE_DOCUMENT, NULL);
}
