#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "source-view.h"
#include "application.h"
#include "formats/lprof.h"
#include "formats/syscap-sources.h"
#include "render/weight-format.h"

#define HOT_CATEGORY "pyro-hot"
#define PATH_MAPS_KEY "source-path-maps"
/* Larger files are not source code a person reads line by line. */
#define MAX_SOURCE_BYTES (64 * 1024 * 1024)
/* A line is hot when its self cost is at least this share of the selection. */
#define HOT_SHARE 0.005

/* The cost gutter: one renderer drawing the heat bar and four numbers. */

#define PYRO_TYPE_COST_GUTTER (pyro_cost_gutter_get_type ())
G_DECLARE_FINAL_TYPE (PyroCostGutter, pyro_cost_gutter, PYRO, COST_GUTTER, GtkSourceGutterRenderer)

enum { COL_SELF_SHARE, COL_SELF, COL_TOTAL_SHARE, COL_TOTAL, N_COLS };

struct _PyroCostGutter
{
  GtkSourceGutterRenderer parent_instance;
  PyroSourceView *owner;   /* borrowed: the owner holds the view holding us */
  PangoLayout *layout;     /* between begin and end of a snapshot */
  int col_width[N_COLS];
  int width;
};

G_DEFINE_FINAL_TYPE (PyroCostGutter, pyro_cost_gutter, GTK_SOURCE_TYPE_GUTTER_RENDERER)

struct _PyroSourceView
{
  GtkWidget parent_instance;

  GtkWidget *header;
  GtkWidget *title_label;
  GtkWidget *status_label;
  GtkWidget *locate_button;
  GtkWidget *stack;
  GtkWidget *empty_label;
  GtkWidget *scrolled;
  GtkSourceView *view;
  GtkSourceBuffer *buffer;
  PyroCostGutter *gutter;
  GtkSourceGutterRenderer *line_numbers;

  PyroDocument *document;
  guint32 file_id;          /* string id of the shown file, PYRO_NONE when none */
  guint32 func;             /* the function whose hot line is marked */
  char *recorded_path;
  char *local_path;
  gboolean embedded;        /* the text is the copy stored in the capture */
  PyroLineCosts *costs;
  GArray *frame_hits;       /* guint64 per frame, line_profiler traces; NULL otherwise */
  GHashTable *line_hits;    /* line -> LineHits, when frame_hits */
  double max_self;
  double max_total;
  GArray *row_lines;        /* guint32 source line per buffer row, when listing */
  guint row_offset;         /* source lines not yet in the buffer, above its first row */
  char *pending_head;       /* their text, put in after the first frame */
  char *pending_tail;       /* the text after the first frame's lines */
  GdkFrameClock *head_clock;
  gulong head_handler;
  guint32 hot_line;

  GCancellable *load_cancellable;
  gboolean loading;
  GPtrArray *path_maps;     /* char *: from, to, from, to, … */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (PyroSourceView, pyro_source_view, GTK_TYPE_WIDGET)

static const PyroLineCost *
cost_at_row (PyroSourceView *self, guint row)
{
  guint32 line = pyro_source_view_line_at_row (self, row);
  return line != 0 && self->costs != NULL ? pyro_line_costs_lookup (self->costs, line) : NULL;
}

static PyroUnit
weight_unit (PyroSourceView *self)
{
  PyroProfile *p = self->document != NULL ? pyro_document_get_profile (self->document) : NULL;
  return p != NULL ? p->meta.unit : PYRO_UNIT_SAMPLES;
}

static char *
format_abs (PyroUnit unit, double value)
{
  if (unit == PYRO_UNIT_SAMPLES)
    return value == floor (value) ? g_strdup_printf ("%.0f", value) : g_strdup_printf ("%.1f", value);
  return pyro_format_weight (unit, value);
}

static char *
format_share (double value, double total)
{
  return g_strdup_printf ("%.1f %%", total > 0 ? 100.0 * value / total : 0);
}

/* What line_profiler reports for a line: its hits, time (seconds), and the
 * time of its function. */
typedef struct {
  guint64 hits;
  double time;
  double function_time;
} LineHits;

static void
cost_texts (PyroSourceView *self, const PyroLineCost *cost, char *out[N_COLS])
{
  const LineHits *h = self->line_hits != NULL ? g_hash_table_lookup (self->line_hits, GUINT_TO_POINTER (cost->line))
                                               : NULL;
  if (self->line_hits != NULL)
    {
      /* line_profiler's columns: Hits, Time, Per Hit (µs), % Time of the function */
      out[0] = h != NULL ? g_strdup_printf ("%" G_GUINT64_FORMAT, h->hits) : g_strdup ("");
      out[1] = h != NULL ? g_strdup_printf ("%.1f", h->time * 1e6) : g_strdup ("");
      out[2] = h != NULL && h->hits > 0 ? g_strdup_printf ("%.1f", h->time * 1e6 / (double) h->hits) : g_strdup ("");
      out[3] = h != NULL ? format_share (h->time, h->function_time) : g_strdup ("");
      return;
    }
  PyroUnit unit = weight_unit (self);
  double grand = self->costs->grand_total;
  out[COL_SELF_SHARE] = cost->self > 0 ? format_share (cost->self, grand) : g_strdup ("");
  out[COL_SELF] = cost->self > 0 ? format_abs (unit, cost->self) : g_strdup ("");
  out[COL_TOTAL_SHARE] = format_share (cost->total, grand);
  out[COL_TOTAL] = format_abs (unit, cost->total);
}

/* Pale yellow through orange to red as @t goes 0 … 1. */
static GdkRGBA
heat_color (double t, double alpha)
{
  t = CLAMP (t, 0, 1);
  GdkRGBA c;
  if (t < 0.5)
    {
      double u = t / 0.5;
      c = (GdkRGBA) { 0.98 - 0.02 * u, 0.86 - 0.39 * u, 0.55 - 0.55 * u, alpha };
    }
  else
    {
      double u = (t - 0.5) / 0.5;
      c = (GdkRGBA) { 0.96 - 0.16 * u, 0.47 - 0.36 * u, 0.0 + 0.11 * u, alpha };
    }
  return c;
}

static double
heat_of (PyroSourceView *self, const PyroLineCost *cost)
{
  if (self->max_self > 0)
    return cost->self / self->max_self;
  return self->max_total > 0 ? cost->total / self->max_total : 0;
}

#define PAD 6
#define BAR 5

/* Widths of the four columns from the longest texts of the file (with
 * tabular digits the longest string is the widest; measuring every line of
 * a big file would cost more than painting it). */
static void
cost_gutter_update_widths (PyroCostGutter *gutter)
{
  PyroSourceView *owner = gutter->owner;
  int widths[N_COLS] = { 0 };
  char *longest[N_COLS] = { NULL };
  for (guint i = 0; owner->costs != NULL && i < owner->costs->lines->len; i++)
    {
      char *texts[N_COLS];
      cost_texts (owner, &g_array_index (owner->costs->lines, PyroLineCost, i), texts);
      for (int c = 0; c < N_COLS; c++)
        {
          if (longest[c] == NULL || strlen (texts[c]) > strlen (longest[c]))
            {
              g_free (longest[c]);
              longest[c] = texts[c];
            }
          else
            g_free (texts[c]);
        }
    }
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (gutter), NULL);
  for (int c = 0; c < N_COLS; c++)
    {
      int h;
      pango_layout_set_text (layout, longest[c] != NULL ? longest[c] : "", -1);
      pango_layout_get_pixel_size (layout, &widths[c], &h);
      g_free (longest[c]);
    }
  int total = BAR + PAD;
  for (int c = 0; c < N_COLS; c++)
    total += widths[c] + (c == COL_TOTAL_SHARE ? 2 * PAD : PAD);
  memcpy (gutter->col_width, widths, sizeof widths);
  if (owner->costs == NULL || owner->costs->lines->len == 0)
    total = 0;
  if (total != gutter->width)
    {
      gutter->width = total;
      gtk_widget_queue_resize (GTK_WIDGET (gutter));
    }
  gtk_widget_queue_draw (GTK_WIDGET (gutter));
}

static void
cost_gutter_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                     int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  PyroCostGutter *self = PYRO_COST_GUTTER (widget);
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? self->width : 0;
  *minimum_baseline = *natural_baseline = -1;
}

static GdkRGBA
foreground (GtkWidget *widget)
{
  GdkRGBA fg;
#if GTK_CHECK_VERSION(4, 10, 0)
  gtk_widget_get_color (widget, &fg);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
#endif
  return fg;
}

static void
cost_gutter_snapshot_line (GtkSourceGutterRenderer *renderer, GtkSnapshot *snapshot,
                           GtkSourceGutterLines *lines, guint line)
{
  PyroCostGutter *self = PYRO_COST_GUTTER (renderer);
  PyroSourceView *owner = self->owner;
  const PyroLineCost *cost = cost_at_row (owner, line);
  if (cost == NULL || self->width == 0 || self->layout == NULL)
    return;

  int y, height;
  gtk_source_gutter_lines_get_line_yrange (lines, line, GTK_SOURCE_GUTTER_RENDERER_ALIGNMENT_MODE_CELL,
                                           &y, &height);
  double heat = heat_of (owner, cost);
  GdkRGBA tint = heat_color (heat, 0.08 + 0.30 * heat);
  gtk_snapshot_append_color (snapshot, &tint, &GRAPHENE_RECT_INIT (0, y, self->width, height));
  GdkRGBA bar = heat_color (heat, 1);
  gtk_snapshot_append_color (snapshot, &bar, &GRAPHENE_RECT_INIT (0, y, BAR, height));

  /* the text view's colour: the gutter's own follows the cursor-line style */
  GdkRGBA fg = foreground (GTK_WIDGET (owner->view));
  fg.alpha *= cost->self > 0 ? 0.95 : 0.6;
  char *texts[N_COLS];
  cost_texts (owner, cost, texts);
  PangoLayout *layout = self->layout;
  double x = BAR + PAD;
  for (int c = 0; c < N_COLS; c++)
    {
      int w, h;
      pango_layout_set_text (layout, texts[c], -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      gtk_snapshot_save (snapshot);
      /* numbers right-aligned in their column */
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + self->col_width[c] - w,
                                                              y + (height - h) / 2.0));
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
      x += self->col_width[c] + (c == COL_TOTAL_SHARE ? 2 * PAD : PAD);
      g_free (texts[c]);
    }
}

/* One layout serves every line of a frame. */
static void
cost_gutter_begin (GtkSourceGutterRenderer *renderer, GtkSourceGutterLines *lines)
{
  PyroCostGutter *self = PYRO_COST_GUTTER (renderer);
  GtkSourceGutterRendererClass *parent = GTK_SOURCE_GUTTER_RENDERER_CLASS (pyro_cost_gutter_parent_class);
  if (parent->begin != NULL)
    parent->begin (renderer, lines);
  g_clear_object (&self->layout);
  self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (renderer), NULL);
}

static void
cost_gutter_end (GtkSourceGutterRenderer *renderer)
{
  GtkSourceGutterRendererClass *parent = GTK_SOURCE_GUTTER_RENDERER_CLASS (pyro_cost_gutter_parent_class);
  g_clear_object (&PYRO_COST_GUTTER (renderer)->layout);
  if (parent->end != NULL)
    parent->end (renderer);
}

static void
cost_gutter_dispose (GObject *object)
{
  g_clear_object (&PYRO_COST_GUTTER (object)->layout);
  G_OBJECT_CLASS (pyro_cost_gutter_parent_class)->dispose (object);
}

static void
pyro_cost_gutter_class_init (PyroCostGutterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkSourceGutterRendererClass *renderer_class = GTK_SOURCE_GUTTER_RENDERER_CLASS (klass);
  object_class->dispose = cost_gutter_dispose;
  widget_class->measure = cost_gutter_measure;
  renderer_class->begin = cost_gutter_begin;
  renderer_class->snapshot_line = cost_gutter_snapshot_line;
  renderer_class->end = cost_gutter_end;
}

static void
pyro_cost_gutter_init (PyroCostGutter *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "numeric");
}

/* Source view */

static guint n_rows (PyroSourceView *self);

/* Line numbers of the file, not of the buffer: the buffer may start further
 * down while the lines above are read in. */
static void
line_numbers_query (GtkSourceGutterRenderer *renderer, GtkSourceGutterLines *lines, guint row,
                    PyroSourceView *self)
{
  char text[16];
  guint32 line = pyro_source_view_line_at_row (self, row);
  int len = line > 0 ? g_snprintf (text, sizeof text, "%u", line) : 0;
  gtk_source_gutter_renderer_text_set_text (GTK_SOURCE_GUTTER_RENDERER_TEXT (renderer), text, len);
}

static void
line_numbers_update_width (PyroSourceView *self)
{
  char digits[16];
  int len = g_snprintf (digits, sizeof digits, "%u", self->row_offset + n_rows (self));
  memset (digits, '8', len);
  int width, height;
  gtk_source_gutter_renderer_text_measure (GTK_SOURCE_GUTTER_RENDERER_TEXT (self->line_numbers), digits,
                                           &width, &height);
  gtk_widget_set_size_request (GTK_WIDGET (self->line_numbers),
                               width + 2 * gtk_source_gutter_renderer_get_xpad (self->line_numbers), -1);
}

static guint
n_rows (PyroSourceView *self)
{
  return (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer));
}

guint32
pyro_source_view_line_at_row (PyroSourceView *self, guint row)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), 0);
  if (self->file_id == PYRO_NONE || self->loading)
    return 0;
  if (self->row_lines != NULL)
    return row < self->row_lines->len ? g_array_index (self->row_lines, guint32, row) : 0;
  return self->local_path != NULL ? row + 1 + self->row_offset : 0;
}

static gboolean
row_of_line (PyroSourceView *self, guint32 line, guint *row)
{
  if (self->row_lines == NULL)
    {
      *row = line - 1 - self->row_offset;
      return line > self->row_offset && line - self->row_offset <= n_rows (self);
    }
  for (guint r = 0; r < self->row_lines->len; r++)
    if (g_array_index (self->row_lines, guint32, r) == line)
      {
        *row = r;
        return TRUE;
      }
  return FALSE;
}

/* Hits and times per line of the shown file from the frames' hits; the
 * time of a frame is the weight of the samples it is the leaf of. */
static void
update_line_hits (PyroSourceView *self, PyroProfile *profile)
{
  g_clear_pointer (&self->line_hits, g_hash_table_unref);
  if (self->frame_hits == NULL || self->frame_hits->len != pyro_profile_n_frames (profile))
    return;
  guint n_frames = pyro_profile_n_frames (profile);
  g_autofree double *frame_time = g_new0 (double, n_frames);
  g_autofree double *func_time = g_new0 (double, pyro_profile_n_funcs (profile));
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    {
      guint32 frame = PYRO_COL (profile->stack_frame, guint32, PYRO_COL (profile->sample_stack, guint32, i));
      frame_time[frame] += PYRO_COL (profile->sample_weight, double, i);
    }
  for (guint f = 0; f < n_frames; f++)
    func_time[PYRO_COL (profile->frame_func, guint32, f)] += frame_time[f];
  self->line_hits = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (guint f = 0; f < n_frames; f++)
    {
      guint32 func = PYRO_COL (profile->frame_func, guint32, f);
      guint32 line = PYRO_COL (profile->frame_line, guint32, f);
      if (PYRO_COL (profile->func_file, guint32, func) != self->file_id || line == 0)
        continue;
      LineHits *h = g_hash_table_lookup (self->line_hits, GUINT_TO_POINTER (line));
      if (h == NULL)
        {
          h = g_new0 (LineHits, 1);
          h->function_time = func_time[func];
          g_hash_table_insert (self->line_hits, GUINT_TO_POINTER (line), h);
        }
      h->hits += g_array_index (self->frame_hits, guint64, f);
      h->time += frame_time[f];
    }
}

/* Takes @costs (NULL: computes them for the current selection). */
static void
set_costs (PyroSourceView *self, PyroLineCosts *costs)
{
  g_clear_pointer (&self->costs, pyro_line_costs_free);
  self->max_self = self->max_total = 0;
  PyroProfile *profile = self->document != NULL ? pyro_document_get_profile (self->document) : NULL;
  if (profile == NULL || self->file_id == PYRO_NONE)
    {
      g_clear_pointer (&costs, pyro_line_costs_free);
      return;
    }
  self->costs = costs != NULL ? costs
                              : pyro_line_costs_new_for_file_id (profile, self->file_id,
                                                                 pyro_document_get_selection (self->document));
  update_line_hits (self, profile);
  for (guint i = 0; i < self->costs->lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (self->costs->lines, PyroLineCost, i);
      self->max_self = MAX (self->max_self, c->self);
      self->max_total = MAX (self->max_total, c->total);
    }
}

/* The hottest line of self->func, else of the file, else the function's
 * first line. */
static guint32
find_hot_line (PyroSourceView *self)
{
  PyroProfile *profile = pyro_document_get_profile (self->document);
  const PyroLineCost *best = NULL;
  if (self->costs != NULL && self->func != PYRO_NONE)
    for (guint f = 0; f < pyro_profile_n_frames (profile); f++)
      {
        if (PYRO_COL (profile->frame_func, guint32, f) != self->func)
          continue;
        const PyroLineCost *c = pyro_line_costs_lookup (self->costs, PYRO_COL (profile->frame_line, guint32, f));
        if (c != NULL && (best == NULL || c->self > best->self
                          || (c->self == best->self && c->total > best->total)))
          best = c;
      }
  if (best == NULL && self->costs != NULL)
    best = pyro_line_costs_hottest (self->costs);
  if (best != NULL)
    return best->line;
  return self->func != PYRO_NONE ? pyro_profile_func_line (profile, self->func) : 0;
}

static void
place_cursor (PyroSourceView *self, guint32 line, gboolean mark)
{
  guint row;
  if (!row_of_line (self, line, &row))
    return;
  GtkTextIter iter;
  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, (int) row);
  if (mark)
    {
      GtkTextIter start, end;
      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
      gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, HOT_CATEGORY);
      gtk_source_buffer_create_source_mark (self->buffer, NULL, HOT_CATEGORY, &iter);
      self->hot_line = line;
    }
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &iter);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view),
                                gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)),
                                0.0, TRUE, 0.0, 0.35);
}

static void
update_header (PyroSourceView *self)
{
  if (self->recorded_path == NULL)
    return;
  g_autofree char *base = g_path_get_basename (self->recorded_path);
  gtk_label_set_text (GTK_LABEL (self->title_label), base);
  gtk_widget_set_tooltip_text (self->title_label, self->local_path != NULL && !self->embedded
                                                   ? self->local_path : self->recorded_path);
  g_autofree char *status = NULL;
  if (self->loading)
    status = g_strdup (_("Reading…"));
  else if (self->local_path == NULL)
    status = g_strdup_printf (_("Source not found at %s: costs by line number"), self->recorded_path);
  else if (self->embedded)
    status = g_strdup_printf (_("Not found at %s: the copy stored in the recording"), self->recorded_path);
  else if (self->costs == NULL || self->costs->lines->len == 0)
    status = g_strdup (_("No per-line costs in this selection"));
  else if (self->line_hits != NULL)
    status = g_strdup (_("Hits, time (µs), time per hit (µs) and share of the function’s time, "
                         "as line_profiler reports them"));
  else
    status = g_strdup (_("Self and total per line, share of the selection"));
  gtk_label_set_text (GTK_LABEL (self->status_label), status);
  gtk_widget_set_visible (self->locate_button, !self->loading);
  if ((self->local_path == NULL || self->embedded) && !self->loading)
    gtk_widget_add_css_class (self->locate_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->locate_button, "suggested-action");
}

/* Shows the costs in the gutter; @jump moves the cursor to the hot line of
 * the function. */
static void
annotate (PyroSourceView *self, gboolean jump)
{
  if (self->local_path == NULL && !self->loading)
    {
      /* Without the text, one row per line that has a cost. */
      g_autoptr (GString) text = g_string_new (NULL);
      if (self->row_lines == NULL)
        self->row_lines = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_array_set_size (self->row_lines, 0);
      for (guint i = 0; self->costs != NULL && i < self->costs->lines->len; i++)
        {
          guint32 line = g_array_index (self->costs->lines, PyroLineCost, i).line;
          g_array_append_val (self->row_lines, line);
          g_string_append_printf (text, i == 0 ? _("line %u") : _("\nline %u"), line);
        }
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text->str, (int) text->len);
    }
  cost_gutter_update_widths (self->gutter);
  if (!self->loading)
    {
      guint32 line = find_hot_line (self);
      if (jump || self->row_lines != NULL)
        place_cursor (self, line, TRUE);
    }
  update_header (self);
}

/* Reading the text off the UI thread */

typedef struct {
  GPtrArray *candidates;   /* char *, in order of preference */
  char *recorded;
  char *capture;           /* the trace, when it is a capture that may hold the text */
  gboolean embedded;
  char *lprof;             /* the trace, when line_profiler's: its hits are read */
  GArray *hits;
  PyroProfile *profile;
  PyroSelection *selection;
  guint32 file_id;
  char *found;
  char *text;              /* valid UTF-8 */
  PyroLineCosts *costs;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_ptr_array_unref (job->candidates);
  g_free (job->recorded);
  g_free (job->capture);
  g_free (job->lprof);
  g_clear_pointer (&job->hits, g_array_unref);
  pyro_profile_unref (job->profile);
  pyro_selection_free (job->selection);
  g_free (job->found);
  g_free (job->text);
  g_clear_pointer (&job->costs, pyro_line_costs_free);
  g_free (job);
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReadJob *job = task_data;
  for (guint i = 0; i < job->candidates->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *path = g_ptr_array_index (job->candidates, i);
      GStatBuf st;
      if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_SOURCE_BYTES)
        continue;
      g_autofree char *contents = NULL;
      gsize length;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      job->text = g_utf8_make_valid (contents, (gssize) length);
      job->found = g_strdup (path);
      break;
    }
  if (job->found == NULL && job->capture != NULL)
    {
      gsize length;
      g_autofree char *stored = pyro_syscap_sources_read (job->capture, job->recorded, &length, cancellable, NULL);
      if (stored != NULL)
        {
          job->text = g_utf8_make_valid (stored, (gssize) length);
          job->found = g_strdup (job->capture);
          job->embedded = TRUE;
        }
    }
  if (job->lprof != NULL && !g_cancellable_is_cancelled (cancellable))
    job->hits = pyro_lprof_read_line_hits (job->lprof, job->profile, NULL);
  /* The costs walk every sample: not on the UI thread. */
  if (!g_cancellable_is_cancelled (cancellable))
    job->costs = pyro_line_costs_new_for_file_id (job->profile, job->file_id, job->selection);
  g_task_return_boolean (task, TRUE);
}

static char *
apply_map (const char *path, const char *from, const char *to)
{
  gsize n = strlen (from);
  if (n == 0)
    return g_path_is_absolute (path) ? NULL : g_build_filename (to, path, NULL);
  if (strcmp (path, from) == 0)
    return g_strdup (to);
  if (g_str_has_prefix (path, from) && (path[n] == '/' || from[n - 1] == '/'))
    return g_strconcat (to, path + n, NULL);
  return NULL;
}

static GPtrArray *
candidates_for (PyroSourceView *self, const char *recorded)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (g_path_is_absolute (recorded))
    g_ptr_array_add (out, g_strdup (recorded));
  else
    {
      GFile *trace = pyro_document_get_file (self->document);
      g_autoptr (GFile) dir = trace != NULL ? g_file_get_parent (trace) : NULL;
      g_autofree char *dir_path = dir != NULL ? g_file_get_path (dir) : NULL;
      if (dir_path != NULL)
        g_ptr_array_add (out, g_build_filename (dir_path, recorded, NULL));
      g_autofree char *cwd = g_get_current_dir ();
      g_ptr_array_add (out, g_build_filename (cwd, recorded, NULL));
    }
  /* then the mappings, the most recently set first */
  for (guint i = self->path_maps->len; i >= 2; i -= 2)
    {
      char *mapped = apply_map (recorded, g_ptr_array_index (self->path_maps, i - 2),
                                g_ptr_array_index (self->path_maps, i - 1));
      if (mapped != NULL)
        g_ptr_array_add (out, mapped);
    }
  return out;
}

static void
drop_pending_head (PyroSourceView *self)
{
  if (self->head_handler != 0)
    g_signal_handler_disconnect (self->head_clock, self->head_handler);
  self->head_handler = 0;
  g_clear_object (&self->head_clock);
  g_clear_pointer (&self->pending_head, g_free);
  g_clear_pointer (&self->pending_tail, g_free);
  self->row_offset = 0;
}

/* The lines above the first one shown go in once the view can scroll by two
 * rows.  GtkTextView keeps its first visible line in place while lines
 * above it are laid out, by a mark at the line's start; text inserted at
 * the buffer's start goes after a mark there.  So the view first moves one
 * row down (split_text left that row above the hot line for it), and the
 * mark is then past the insertion point. */
static gboolean
insert_head (PyroSourceView *self)
{
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));
  GtkTextIter iter;
  int y, row_height;
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &iter);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (self->view), &iter, &y, &row_height);
  double value = gtk_adjustment_get_value (adj);
  if (row_height <= 0)
    return FALSE;
  if (value < row_height)
    {
      if (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) < value + 2 * row_height)
        return FALSE;
      gtk_adjustment_set_value (adj, value + row_height);
    }
  g_autofree char *head = g_steal_pointer (&self->pending_head);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (self->buffer), &iter, head, -1);
  self->row_offset = 0;
  return TRUE;
}

/* After each frame from the one showing the hot line on, until the whole
 * file is in: the lines below first (they do not move the view). */
static void
insert_rest (GdkFrameClock *clock, PyroSourceView *self)
{
  if (self->pending_tail != NULL)
    {
      GtkTextIter end;
      g_autofree char *tail = g_steal_pointer (&self->pending_tail);
      gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (self->buffer), &end);
      gtk_text_buffer_insert (GTK_TEXT_BUFFER (self->buffer), &end, tail, -1);
    }
  else if (self->pending_head == NULL || insert_head (self))
    drop_pending_head (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->gutter));
}

/* The rows a screen of the view holds, and how many of them are above the
 * hot line when the cursor scrolls it to 0.35 of the height. */
static void
screen_rows (PyroSourceView *self, guint *above, guint *rows)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->view), "X");
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  /* the stack: the text may not have been shown yet */
  int height = gtk_widget_get_height (self->stack);
  *rows = h > 0 && height > 0 ? (guint) (height / h) + 1 : 0;
  *above = h > 0 && height > 0 ? (guint) (0.35 * height / h) : 0;
}

/* After @n line ends of @p, NULL when it has fewer. */
static const char *
skip_lines (const char *p, guint n)
{
  for (guint i = 0; i < n && p != NULL; i++)
    {
      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }
  return p;
}

/* Larger files first show the screen around the hot line and take the rest
 * after that frame: GtkTextView lays out unseen lines over many frames, and
 * until it has, cannot scroll to a line far down a new buffer. */
#define SPLIT_MIN_BYTES (64 * 1024)

/* The part of @text the first frame shows; the rest is kept for insert_rest. */
static const char *
split_text (PyroSourceView *self, const char *text, gsize *length)
{
  *length = strlen (text);
  guint32 hot = find_hot_line (self);
  guint above, rows;
  screen_rows (self, &above, &rows);
  if (*length < SPLIT_MIN_BYTES || hot == 0 || rows == 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return text;
  guint first = hot > above + 2 ? hot - 2 - above : 0;
  const char *start = skip_lines (text, first);
  if (start == NULL)
    return text;
  const char *end = skip_lines (start, 2 * rows);
  /* the view must be able to scroll within the first part (insert_rest) */
  if (end == NULL && skip_lines (start, rows + 2) == NULL)
    return text;
  if (first > 0)
    self->pending_head = g_strndup (text, start - text);
  if (end != NULL && *end != '\0')
    {
      /* the shown part ends without its last line end: the tail starts with it */
      end--;
      self->pending_tail = g_strdup (end);
    }
  else
    end = text + *length;
  if (self->pending_head == NULL && self->pending_tail == NULL)
    return text;
  self->row_offset = first;
  self->head_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  self->head_handler = g_signal_connect (self->head_clock, "after-paint", G_CALLBACK (insert_rest), self);
  *length = end - start;
  return start;
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroSourceView *self = PYRO_SOURCE_VIEW (source);
  ReadJob *job = g_task_get_task_data (G_TASK (result));
  if (g_task_had_error (G_TASK (result)) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->load_cancellable);
  self->loading = FALSE;
  g_clear_pointer (&self->local_path, g_free);
  g_clear_pointer (&self->row_lines, g_array_unref);
  drop_pending_head (self);
  g_clear_pointer (&self->frame_hits, g_array_unref);
  self->frame_hits = g_steal_pointer (&job->hits);
  /* a range chosen while reading makes the costs stale */
  gboolean current = pyro_selection_equal (job->selection, pyro_document_get_selection (self->document));
  set_costs (self, current ? g_steal_pointer (&job->costs) : NULL);

  GtkSourceLanguage *language = NULL;
  self->embedded = job->embedded;
  if (job->found != NULL)
    {
      self->local_path = g_strdup (job->found);
      gsize length;
      const char *text = split_text (self, job->text, &length);
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text, (int) length);
      language = gtk_source_language_manager_guess_language (
        gtk_source_language_manager_get_default (), job->embedded ? job->recorded : job->found, NULL);
    }
  gtk_source_buffer_set_language (self->buffer, language);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->line_numbers), job->found != NULL);
  line_numbers_update_width (self);
  annotate (self, TRUE);
  g_object_notify (G_OBJECT (self), "loading");
}

static void
load_file (PyroSourceView *self)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  self->hot_line = 0;
  drop_pending_head (self);
  g_clear_pointer (&self->costs, pyro_line_costs_free);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), "", 0);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->scrolled);
  update_header (self);

  ReadJob *job = g_new0 (ReadJob, 1);
  job->candidates = candidates_for (self, self->recorded_path);
  job->recorded = g_strdup (self->recorded_path);
  PyroProfile *profile = pyro_document_get_profile (self->document);
  GFile *trace = pyro_document_get_file (self->document);
  if (g_strcmp0 (profile->meta.format, "syscap") == 0 && trace != NULL)
    job->capture = g_file_get_path (trace);
  if (g_strcmp0 (profile->meta.format, "lprof") == 0 && trace != NULL)
    job->lprof = g_file_get_path (trace);
  job->profile = pyro_profile_ref (pyro_document_get_profile (self->document));
  job->selection = pyro_selection_copy (pyro_document_get_selection (self->document));
  job->file_id = self->file_id;
  g_autoptr (GTask) task = g_task_new (self, self->load_cancellable, read_done, NULL);
  g_task_set_source_tag (task, load_file);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_thread);
  g_object_notify (G_OBJECT (self), "loading");
}

static void
show_nothing (PyroSourceView *self, const char *message)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->loading = FALSE;
  self->file_id = PYRO_NONE;
  self->hot_line = 0;
  g_clear_pointer (&self->recorded_path, g_free);
  g_clear_pointer (&self->local_path, g_free);
  self->embedded = FALSE;
  g_clear_pointer (&self->costs, pyro_line_costs_free);
  g_clear_pointer (&self->row_lines, g_array_unref);
  drop_pending_head (self);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), "", 0);
  gtk_label_set_text (GTK_LABEL (self->empty_label), message);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->empty_label);
  gtk_widget_set_visible (self->header, FALSE);
}

static void
show_selected (PyroSourceView *self)
{
  PyroProfile *profile = pyro_document_get_profile (self->document);
  guint32 func = pyro_document_get_selected_func (self->document);
  if (profile == NULL || func == PYRO_NONE)
    return;
  self->func = func;
  guint32 file_id = PYRO_COL (profile->func_file, guint32, func);
  const char *file = pyro_profile_str (profile, file_id);
  if (file[0] == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("The trace records no source file for %s"),
                                                  pyro_profile_func_name (profile, func));
      show_nothing (self, message);
      return;
    }
  gtk_widget_set_visible (self->header, TRUE);
  if (file_id == self->file_id)
    {
      if (!self->loading)
        place_cursor (self, find_hot_line (self), TRUE);
      return;
    }
  self->file_id = file_id;
  g_free (self->recorded_path);
  self->recorded_path = g_strdup (file);
  load_file (self);
}

/* Path mappings, remembered per trace */

static GSettings *
app_settings (PyroSourceView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  GSettings *settings = PYRO_IS_APPLICATION (app) ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
  if (settings == NULL)
    return NULL;
  g_autoptr (GSettingsSchema) schema = NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, PATH_MAPS_KEY) ? settings : NULL;
}

static char *
trace_key (PyroSourceView *self)
{
  GFile *file = self->document != NULL ? pyro_document_get_file (self->document) : NULL;
  return file != NULL ? g_file_get_uri (file) : NULL;
}

static void
load_path_maps (PyroSourceView *self)
{
  g_ptr_array_set_size (self->path_maps, 0);
  GSettings *settings = app_settings (self);
  g_autofree char *key = trace_key (self);
  if (settings == NULL || key == NULL)
    return;
  g_autoptr (GVariant) all = g_settings_get_value (settings, PATH_MAPS_KEY);
  g_autoptr (GVariant) maps = g_variant_lookup_value (all, key, G_VARIANT_TYPE ("a(ss)"));
  if (maps == NULL)
    return;
  GVariantIter iter;
  const char *from, *to;
  g_variant_iter_init (&iter, maps);
  while (g_variant_iter_next (&iter, "(&s&s)", &from, &to))
    {
      g_ptr_array_add (self->path_maps, g_strdup (from));
      g_ptr_array_add (self->path_maps, g_strdup (to));
    }
}

static void
save_path_maps (PyroSourceView *self)
{
  GSettings *settings = app_settings (self);
  g_autofree char *key = trace_key (self);
  if (settings == NULL || key == NULL)
    return;
  g_autoptr (GVariant) old = g_settings_get_value (settings, PATH_MAPS_KEY);
  GVariantBuilder all;
  g_variant_builder_init (&all, G_VARIANT_TYPE ("a{sa(ss)}"));
  GVariantIter iter;
  const char *trace;
  GVariant *maps;
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s@a(ss)}", &trace, &maps))
    {
      if (strcmp (trace, key) != 0)
        g_variant_builder_add (&all, "{s@a(ss)}", trace, maps);
      g_variant_unref (maps);
    }
  GVariantBuilder mine;
  g_variant_builder_init (&mine, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i + 1 < self->path_maps->len; i += 2)
    g_variant_builder_add (&mine, "(ss)", (const char *) g_ptr_array_index (self->path_maps, i),
                           (const char *) g_ptr_array_index (self->path_maps, i + 1));
  g_variant_builder_add (&all, "{sa(ss)}", key, &mine);
  g_settings_set_value (settings, PATH_MAPS_KEY, g_variant_builder_end (&all));
}

void
pyro_source_view_add_path_map (PyroSourceView *self, const char *from, const char *to)
{
  g_return_if_fail (PYRO_IS_SOURCE_VIEW (self));
  g_ptr_array_add (self->path_maps, g_strdup (from));
  g_ptr_array_add (self->path_maps, g_strdup (to));
  save_path_maps (self);
  if (self->recorded_path != NULL)
    load_file (self);
}

/* The mapping that turns @recorded into @chosen: the folders before the
 * longest common tail of path components. */
static void
derive_map (const char *recorded, const char *chosen, char **from, char **to)
{
  g_auto (GStrv) a = g_strsplit (recorded, "/", -1);
  g_auto (GStrv) b = g_strsplit (chosen, "/", -1);
  guint na = g_strv_length (a), nb = g_strv_length (b), k = 0;
  while (k < na && k < nb && strcmp (a[na - 1 - k], b[nb - 1 - k]) == 0 && a[na - 1 - k][0] != '\0')
    k++;
  if (k == 0)
    {
      *from = g_strdup (recorded);
      *to = g_strdup (chosen);
      return;
    }
  g_free (a[na - k]);
  a[na - k] = NULL;
  g_free (b[nb - k]);
  b[nb - k] = NULL;
  *from = g_strjoinv ("/", a);
  *to = g_strjoinv ("/", b);
  if ((*to)[0] == '\0')
    {
      g_free (*to);
      *to = g_strdup ("/");
    }
}

static void
chooser_response (GtkNativeDialog *dialog, int response, PyroSourceView *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->recorded_path != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *chosen = file != NULL ? g_file_get_path (file) : NULL;
      if (chosen != NULL)
        {
          g_autofree char *from = NULL, *to = NULL;
          derive_map (self->recorded_path, chosen, &from, &to);
          pyro_source_view_add_path_map (self, from, to);
        }
    }
  g_clear_object (&self->chooser);
}

static void
locate_clicked (PyroSourceView *self)
{
  if (self->recorded_path == NULL || self->chooser != NULL)
    return;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *base = g_path_get_basename (self->recorded_path);
  g_autofree char *title = g_strdup_printf (_("Locate %s"), base);
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Document signals */

/* GtkSourceView reads every language definition the first time it guesses
 * one: done while the person looks at the trace, not when a file opens. */
static gboolean
warm_languages (gpointer data)
{
  gtk_source_language_manager_get_language_ids (gtk_source_language_manager_get_default ());
  return G_SOURCE_REMOVE;
}

static void
state_changed (PyroSourceView *self)
{
  static gboolean warmed;
  show_nothing (self, _("Select a function to see its source"));
  if (pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY)
    {
      if (!warmed)
        g_idle_add_full (G_PRIORITY_LOW, warm_languages, NULL, NULL);
      warmed = TRUE;
      load_path_maps (self);
      show_selected (self);
    }
}

static void
trees_changed (PyroSourceView *self)
{
  if (self->file_id != PYRO_NONE)
    {
      set_costs (self, NULL);
      annotate (self, FALSE);
    }
}

/* Hot lines */

gboolean
pyro_source_view_next_hot_line (PyroSourceView *self, gboolean backwards)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), FALSE);
  if (self->costs == NULL || self->costs->lines->len == 0 || self->loading)
    return FALSE;
  GtkTextIter cursor;
  gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (self->buffer), &cursor,
                                    gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)));
  guint32 current = pyro_source_view_line_at_row (self, (guint) gtk_text_iter_get_line (&cursor));
  double threshold = HOT_SHARE * self->costs->grand_total;
  if (self->max_self < threshold)
    threshold = self->max_self > 0 ? self->max_self : 0;
  /* lines are sorted by number: the nearest hot line past the cursor, or
   * the first (last) one when there is none */
  GArray *lines = self->costs->lines;
  const PyroLineCost *first = NULL, *last = NULL, *next = NULL, *prev = NULL;
  for (guint i = 0; i < lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (lines, PyroLineCost, i);
      if (c->self <= 0 || c->self < threshold)
        continue;
      if (first == NULL)
        first = c;
      last = c;
      if (c->line < current)
        prev = c;
      else if (c->line > current && next == NULL)
        next = c;
    }
  const PyroLineCost *target = backwards ? (prev != NULL ? prev : last) : (next != NULL ? next : first);
  if (target == NULL || target->line == current)
    return FALSE;
  place_cursor (self, target->line, FALSE);
  return TRUE;
}

static gboolean
hot_line_shortcut (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  return pyro_source_view_next_hot_line (PYRO_SOURCE_VIEW (widget), g_variant_get_boolean (args));
}

/* Public */

GtkWidget *
pyro_source_view_new (void)
{
  return g_object_new (PYRO_TYPE_SOURCE_VIEW, NULL);
}

void
pyro_source_view_set_document (PyroSourceView *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_SOURCE_VIEW (self));
  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document == NULL)
    {
      show_nothing (self, "");
      return;
    }
  g_signal_connect_swapped (document, "notify::state", G_CALLBACK (state_changed), self);
  g_signal_connect_swapped (document, "notify::selected-func", G_CALLBACK (show_selected), self);
  g_signal_connect_swapped (document, "trees-changed", G_CALLBACK (trees_changed), self);
  state_changed (self);
}

GtkSourceView *
pyro_source_view_get_view (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), NULL);
  return self->view;
}

gboolean
pyro_source_view_get_loading (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), FALSE);
  return self->loading;
}

const char *
pyro_source_view_get_recorded_path (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), NULL);
  return self->recorded_path;
}

const char *
pyro_source_view_get_local_path (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), NULL);
  return self->local_path;
}

char *
pyro_source_view_dup_gutter_text (PyroSourceView *self, guint row)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), NULL);
  const PyroLineCost *cost = cost_at_row (self, row);
  if (cost == NULL)
    return NULL;
  char *texts[N_COLS];
  cost_texts (self, cost, texts);
  char *joined = g_strjoin ("\t", texts[0], texts[1], texts[2], texts[3], NULL);
  for (int c = 0; c < N_COLS; c++)
    g_free (texts[c]);
  return joined;
}

gboolean
pyro_source_view_get_embedded (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), FALSE);
  return self->embedded;
}

guint32
pyro_source_view_get_hot_line (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), 0);
  return self->hot_line;
}

const PyroLineCosts *
pyro_source_view_get_costs (PyroSourceView *self)
{
  g_return_val_if_fail (PYRO_IS_SOURCE_VIEW (self), NULL);
  return self->costs;
}

/* GObject */

enum { PROP_0, PROP_LOADING, N_PROPS };

static void
pyro_source_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PyroSourceView *self = PYRO_SOURCE_VIEW (object);
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
style_scheme_changed (PyroSourceView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

static void
pyro_source_view_dispose (GObject *object)
{
  PyroSourceView *self = PYRO_SOURCE_VIEW (object);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  drop_pending_head (self);
  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_source_view_parent_class)->dispose (object);
}

static void
pyro_source_view_finalize (GObject *object)
{
  PyroSourceView *self = PYRO_SOURCE_VIEW (object);
  g_clear_pointer (&self->costs, pyro_line_costs_free);
  g_clear_pointer (&self->frame_hits, g_array_unref);
  g_clear_pointer (&self->line_hits, g_hash_table_unref);
  g_clear_pointer (&self->row_lines, g_array_unref);
  g_free (self->pending_head);
  g_free (self->pending_tail);
  g_ptr_array_unref (self->path_maps);
  g_free (self->recorded_path);
  g_free (self->local_path);
  G_OBJECT_CLASS (pyro_source_view_parent_class)->finalize (object);
}

static void
pyro_source_view_class_init (PyroSourceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pyro_source_view_get_property;
  object_class->dispose = pyro_source_view_dispose;
  object_class->finalize = pyro_source_view_finalize;
  g_object_class_install_property (object_class, PROP_LOADING,
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sourceview-pane");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F7, 0, hot_line_shortcut, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F7, GDK_SHIFT_MASK, hot_line_shortcut, "b", TRUE);
}

static void
pyro_source_view_init (PyroSourceView *self)
{
  self->file_id = PYRO_NONE;
  self->func = PYRO_NONE;
  self->path_maps = g_ptr_array_new_with_free_func (g_free);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (self->header, 12);
  gtk_widget_set_margin_end (self->header, 6);
  gtk_widget_set_margin_top (self->header, 4);
  gtk_widget_set_margin_bottom (self->header, 2);
  self->title_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (self->header), self->title_label);
  self->status_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->status_label, "dim-label");
  gtk_widget_set_hexpand (self->status_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->status_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (self->header), self->status_label);
  self->locate_button = gtk_button_new_with_mnemonic (_("_Locate Source…"));
  gtk_widget_set_tooltip_text (self->locate_button,
                               _("Choose where this file is on this computer; remembered for this trace"));
  gtk_widget_add_css_class (self->locate_button, "flat");
  g_signal_connect_swapped (self->locate_button, "clicked", G_CALLBACK (locate_clicked), self);
  gtk_box_append (GTK_BOX (self->header), self->locate_button);
  gtk_widget_set_visible (self->header, FALSE);
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  self->buffer = gtk_source_buffer_new (NULL);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);
  /* read-only: no undo history of a whole file's text */
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (self->buffer), FALSE);
  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 6);
  gtk_source_view_set_highlight_current_line (self->view, TRUE);

  GtkSourceMarkAttributes *hot = gtk_source_mark_attributes_new ();
  GdkRGBA hot_bg = heat_color (1, 0.22);
  gtk_source_mark_attributes_set_background (hot, &hot_bg);
  gtk_source_view_set_mark_attributes (self->view, HOT_CATEGORY, hot, 10);
  g_object_unref (hot);

  self->gutter = g_object_new (PYRO_TYPE_COST_GUTTER, NULL);
  self->gutter->owner = self;
  GtkSourceGutter *left = gtk_source_view_get_gutter (self->view, GTK_TEXT_WINDOW_LEFT);
  gtk_source_gutter_insert (left, GTK_SOURCE_GUTTER_RENDERER (self->gutter), -10);
  self->line_numbers = gtk_source_gutter_renderer_text_new ();
  gtk_source_gutter_renderer_set_xpad (self->line_numbers, 6);
  gtk_source_gutter_renderer_set_xalign (self->line_numbers, 1.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->line_numbers), "dim-label");
  g_signal_connect (self->line_numbers, "query-data", G_CALLBACK (line_numbers_query), self);
  gtk_source_gutter_insert (left, self->line_numbers, -30);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->view));
  gtk_stack_add_child (GTK_STACK (self->stack), self->scrolled);
  self->empty_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->empty_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->empty_label), GTK_JUSTIFY_CENTER);
  gtk_stack_add_child (GTK_STACK (self->stack), self->empty_label);
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_scheme_changed), self, G_CONNECT_SWAPPED);
  style_scheme_changed (self);
  show_nothing (self, _("Select a function to see its source"));
}
