#include <glib/gi18n.h>
#include <math.h>

#include "callgraph-view.h"
#include "core/call-graph.h"
#include "render/callgraph-painter.h"
#include "render/callgraph-tiles.h"

#define MIN_ZOOM 0.05
#define MAX_ZOOM 4.0
/* Slider changes are laid out once the hand stops moving. */
#define RELAYOUT_DELAY_MS 150

struct _PyroCallGraphView
{
  GtkWidget parent_instance;

  PyroDocument *document;
  gulong trees_handler;
  gulong selected_handler;

  GtkWidget *toolbar;
  GtkWidget *canvas;
  GtkWidget *threshold_scale;
  GtkWidget *hidden_label;
  GtkWidget *focus_box;
  GtkWidget *focus_label;
  GtkWidget *depth_spin;
  GtkWidget *group_toggle;
  GtkWidget *colorblind_toggle;
  GtkWidget *spinner;

  PyroCallGraphFilter filter;
  gboolean group_by_module;
  PyroSelection *graph_selection;   /* what the graph was built for, top-down */
  PyroCallGraph *graph;
  PyroCallGraphLayout *layout;
  PyroCallGraphPainter *painter;
  PyroCallGraphTiles *tiles;
  char *message;             /* shown instead of a graph: an error, "empty" */

  GCancellable *cancellable;
  guint generation;          /* results of older tasks are dropped */
  gboolean busy;
  gboolean fit_pending;      /* fit the next layout to the view */
  guint relayout_source;

  /* widget = content * zoom + offset */
  double zoom, offset_x, offset_y;
  double drag_start_x, drag_start_y;
  double pinch_start_zoom;
  double pointer_x, pointer_y;
  guint32 hover;
};

G_DEFINE_FINAL_TYPE (PyroCallGraphView, pyro_callgraph_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- worker ---- */

typedef struct {
  PyroProfile *profile;
  PyroSelection *selection;
  PyroCallGraph *graph;      /* in: reuse it; NULL: build it */
  PyroCallGraphFilter filter;
  gboolean group_by_module;
  guint generation;
  /* out */
  PyroCallGraphLayout *layout;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;
  g_clear_pointer (&job->profile, pyro_profile_unref);
  g_clear_pointer (&job->selection, pyro_selection_free);
  g_clear_pointer (&job->graph, pyro_call_graph_unref);
  g_clear_pointer (&job->layout, pyro_callgraph_layout_free);
  g_free (job);
}

static void
run_job (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;
  if (job->graph == NULL)
    {
      job->graph = pyro_call_graph_new (job->profile, job->selection, cancellable, &error);
      if (job->graph == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (job->graph, &job->filter);
  PyroCallGraphLayoutOptions options = { NULL, job->group_by_module };
  job->layout = pyro_callgraph_layout_new (job->graph, subset, &options, &error);
  if (job->layout == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
set_busy (PyroCallGraphView *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_hidden_label (PyroCallGraphView *self)
{
  if (self->layout == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->hidden_label), "");
      return;
    }
  g_autofree char *text = g_strdup_printf (ngettext ("%u node hidden", "%u nodes hidden",
                                                     self->layout->n_hidden_nodes),
                                           self->layout->n_hidden_nodes);
  gtk_label_set_text (GTK_LABEL (self->hidden_label), text);
}

static void
update_focus_bar (PyroCallGraphView *self)
{
  guint32 func = self->filter.focus_func;
  gtk_widget_set_visible (self->focus_box, func != PYRO_NONE);
  if (func == PYRO_NONE || self->document == NULL)
    return;
  PyroProfile *profile = pyro_document_get_profile (self->document);
  g_autofree char *text = g_strdup_printf (_("Callers and callees of %s, depth"),
                                           pyro_profile_func_name (profile, func));
  gtk_label_set_text (GTK_LABEL (self->focus_label), text);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroCallGraphView *self = PYRO_CALLGRAPH_VIEW (source);
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (task, &error);
  if (job->generation != self->generation)
    return;
  set_busy (self, FALSE);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_free (self->message);
          self->message = g_strdup (error->message);
          g_clear_pointer (&self->layout, pyro_callgraph_layout_free);
          gtk_widget_queue_draw (self->canvas);
        }
      return;
    }
  if (self->graph != job->graph)
    {
      g_clear_pointer (&self->graph, pyro_call_graph_unref);
      self->graph = pyro_call_graph_ref (job->graph);
    }
  g_clear_pointer (&self->layout, pyro_callgraph_layout_free);
  self->layout = g_steal_pointer (&job->layout);
  pyro_callgraph_tiles_clear (self->tiles);
  g_clear_pointer (&self->message, g_free);
  if (self->layout->boxes->len == 0)
    self->message = g_strdup (_("No function is above the threshold"));
  self->hover = PYRO_NONE;
  update_hidden_label (self);
  update_focus_bar (self);
  if (self->fit_pending)
    pyro_callgraph_view_fit (self);
  gtk_widget_queue_draw (self->canvas);
}

/* Starts a layout of the current graph, or of a fresh graph when
 * @rebuild (the document's selection changed). */
static void
start_job (PyroCallGraphView *self, gboolean rebuild)
{
  if (self->document == NULL || pyro_document_get_state (self->document) != PYRO_DOCUMENT_READY)
    return;
  PyroProfile *profile = pyro_document_get_profile (self->document);
  if (profile == NULL)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  Job *job = g_new0 (Job, 1);
  job->profile = pyro_profile_ref (profile);
  const PyroSelection *selection = pyro_document_get_selection (self->document);
  job->selection = selection != NULL ? pyro_selection_copy (selection) : NULL;
  job->graph = !rebuild && self->graph != NULL ? pyro_call_graph_ref (self->graph) : NULL;
  job->filter = self->filter;
  job->group_by_module = self->group_by_module;
  job->generation = ++self->generation;

  g_autoptr (GTask) task = g_task_new (self, self->cancellable, job_done, NULL);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, run_job);
  set_busy (self, TRUE);
}

static void
trees_changed (PyroCallGraphView *self)
{
  /* the flame views' bottom-up switch changes nothing here */
  const PyroSelection *selection = pyro_document_get_selection (self->document);
  g_autoptr (PyroSelection) top_down = selection != NULL ? pyro_selection_copy (selection) : pyro_selection_new ();
  top_down->invert = FALSE;
  if (self->graph != NULL && self->graph_selection != NULL
      && pyro_selection_equal (self->graph_selection, top_down))
    return;
  g_clear_pointer (&self->graph_selection, pyro_selection_free);
  self->graph_selection = g_steal_pointer (&top_down);
  self->fit_pending = TRUE;
  start_job (self, TRUE);
}

static void
selected_changed (PyroCallGraphView *self)
{
  guint32 func = pyro_document_get_selected_func (self->document);
  pyro_callgraph_painter_set_selected (self->painter, func);
  pyro_callgraph_tiles_clear (self->tiles);
  /* a function selected in another view is brought into sight */
  guint32 box = self->layout != NULL ? pyro_callgraph_layout_find_func (self->layout, func) : PYRO_NONE;
  int w = gtk_widget_get_width (self->canvas), h = gtk_widget_get_height (self->canvas);
  if (box != PYRO_NONE && !self->fit_pending && w > 0 && h > 0)
    {
      const PyroCallGraphBox *b = &g_array_index (self->layout->boxes, PyroCallGraphBox, box);
      double x0 = b->x * self->zoom + self->offset_x, y0 = b->y * self->zoom + self->offset_y;
      double x1 = x0 + b->width * self->zoom, y1 = y0 + b->height * self->zoom;
      if (x1 < 0 || y1 < 0 || x0 > w || y0 > h)
        {
          self->offset_x += w / 2.0 - (x0 + x1) / 2;
          self->offset_y += h / 2.0 - (y0 + y1) / 2;
        }
    }
  gtk_widget_queue_draw (self->canvas);
}

/* ---- view transform ---- */

static void
zoom_around (PyroCallGraphView *self, double factor, double x, double y)
{
  double zoom = CLAMP (self->zoom * factor, MIN_ZOOM, MAX_ZOOM);
  factor = zoom / self->zoom;
  self->offset_x = x - (x - self->offset_x) * factor;
  self->offset_y = y - (y - self->offset_y) * factor;
  self->zoom = zoom;
  gtk_widget_queue_draw (self->canvas);
}

void
pyro_callgraph_view_fit (PyroCallGraphView *self)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  int w = gtk_widget_get_width (self->canvas), h = gtk_widget_get_height (self->canvas);
  if (self->layout == NULL || w <= 0 || h <= 0)
    {
      self->fit_pending = TRUE;
      return;
    }
  self->fit_pending = FALSE;
  self->zoom = CLAMP (MIN (w / self->layout->width, h / self->layout->height), MIN_ZOOM, 1.5);
  self->offset_x = (w - self->layout->width * self->zoom) / 2;
  self->offset_y = MAX (0, (h - self->layout->height * self->zoom) / 2);
  gtk_widget_queue_draw (self->canvas);
}

static guint32
box_at (PyroCallGraphView *self, double x, double y)
{
  if (self->layout == NULL)
    return PYRO_NONE;
  return pyro_callgraph_layout_box_at (self->layout, (x - self->offset_x) / self->zoom,
                                       (y - self->offset_y) / self->zoom);
}

/* ---- drawing ---- */

static void
draw_message (cairo_t *cr, GtkWidget *widget, const char *text, int width, int height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int tw, th;
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.45);
  cairo_move_to (cr, (width - tw) / 2.0, (height - th) / 2.0);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
draw_canvas (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  PyroCallGraphView *self = data;
  /* the temperature scale is made for a light page, as on slides */
  cairo_set_source_rgb (cr, 0.98, 0.98, 0.98);
  cairo_paint (cr);
  if (self->message != NULL || self->layout == NULL)
    {
      const char *text = self->message != NULL ? self->message
                         : self->busy ? _("Laying out the call graph…") : "";
      draw_message (cr, GTK_WIDGET (area), text, width, height);
      return;
    }
  if (self->fit_pending)
    pyro_callgraph_view_fit (self);
  /* panning copies cached tiles; only the hovered node is painted live */
  pyro_callgraph_tiles_paint (self->tiles, cr, self->painter, self->layout, self->zoom,
                              self->offset_x, self->offset_y, width, height);
  if (self->hover == PYRO_NONE)
    return;
  cairo_translate (cr, round (self->offset_x), round (self->offset_y));
  cairo_scale (cr, self->zoom, self->zoom);
  pyro_callgraph_painter_paint_hover (self->painter, cr, self->layout, self->hover);
}

/* ---- input ---- */

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, PyroCallGraphView *self)
{
  self->drag_start_x = self->offset_x;
  self->drag_start_y = self->offset_y;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drag_update (GtkGestureDrag *gesture, double dx, double dy, PyroCallGraphView *self)
{
  if (!gtk_drag_check_threshold (self->canvas, 0, 0, (int) dx, (int) dy)
      && gtk_gesture_get_sequence_state (GTK_GESTURE (gesture), NULL) != GTK_EVENT_SEQUENCE_CLAIMED)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->offset_x = self->drag_start_x + dx;
  self->offset_y = self->drag_start_y + dy;
  gtk_widget_queue_draw (self->canvas);
}

static void
click_released (GtkGestureClick *gesture, int n_press, double x, double y, PyroCallGraphView *self)
{
  guint32 box = box_at (self, x, y);
  if (box == PYRO_NONE || self->document == NULL)
    return;
  guint32 func = g_array_index (self->layout->boxes, PyroCallGraphBox, box).func;
  if (n_press == 1)
    pyro_document_set_selected_func (self->document, func);
  else if (n_press == 2)
    pyro_callgraph_view_set_focus (self, func);
}

static gboolean
scrolled (GtkEventControllerScroll *controller, double dx, double dy, PyroCallGraphView *self)
{
  zoom_around (self, pow (1.15, -dy), self->pointer_x, self->pointer_y);
  return TRUE;
}

static void
pinch_begin (GtkGesture *gesture, GdkEventSequence *sequence, PyroCallGraphView *self)
{
  self->pinch_start_zoom = self->zoom;
}

static void
pinch_changed (GtkGestureZoom *gesture, double scale, PyroCallGraphView *self)
{
  double cx, cy;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  zoom_around (self, self->pinch_start_zoom * scale / self->zoom, cx, cy);
}

static void
motion (GtkEventControllerMotion *controller, double x, double y, PyroCallGraphView *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  guint32 box = box_at (self, x, y);
  if (box == self->hover)
    return;
  self->hover = box;
  gtk_widget_set_cursor_from_name (self->canvas, box != PYRO_NONE ? "pointer" : NULL);
  gtk_widget_queue_draw (self->canvas);
}

static void
leave (GtkEventControllerMotion *controller, PyroCallGraphView *self)
{
  if (self->hover == PYRO_NONE)
    return;
  self->hover = PYRO_NONE;
  gtk_widget_queue_draw (self->canvas);
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
               PyroCallGraphView *self)
{
  guint32 box = box_at (self, x, y);
  if (box == PYRO_NONE || self->document == NULL)
    return FALSE;
  const PyroCallGraphBox *b = &g_array_index (self->layout->boxes, PyroCallGraphBox, box);
  PyroProfile *profile = pyro_document_get_profile (self->document);
  g_autofree char *lines = g_strjoinv ("\n", b->lines + 1);
  g_autofree char *text = g_strdup_printf ("%s\n%s\n%s", pyro_profile_func_name (profile, b->func),
                                           pyro_profile_func_file (profile, b->func), lines);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
fit_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  pyro_callgraph_view_fit (PYRO_CALLGRAPH_VIEW (widget));
  return TRUE;
}

static gboolean
unfocus_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  PyroCallGraphView *self = PYRO_CALLGRAPH_VIEW (widget);
  if (self->filter.focus_func == PYRO_NONE)
    return FALSE;
  pyro_callgraph_view_set_focus (self, PYRO_NONE);
  return TRUE;
}

static gboolean
relayout_now (gpointer data)
{
  PyroCallGraphView *self = data;
  self->relayout_source = 0;
  start_job (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
threshold_moved (GtkRange *range, PyroCallGraphView *self)
{
  self->filter.node_fraction = gtk_range_get_value (range) / 100;
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  self->relayout_source = g_timeout_add (RELAYOUT_DELAY_MS, relayout_now, self);
}

static void
depth_changed (GtkSpinButton *spin, PyroCallGraphView *self)
{
  pyro_callgraph_view_set_focus_depth (self, gtk_spin_button_get_value_as_int (spin));
}

static void
group_toggled (GtkToggleButton *button, PyroCallGraphView *self)
{
  pyro_callgraph_view_set_group_by_module (self, gtk_toggle_button_get_active (button));
}

static void
colorblind_toggled (GtkToggleButton *button, PyroCallGraphView *self)
{
  pyro_callgraph_view_set_colorblind (self, gtk_toggle_button_get_active (button));
}

static void
show_all_clicked (GtkButton *button, PyroCallGraphView *self)
{
  pyro_callgraph_view_set_focus (self, PYRO_NONE);
}

/* ---- public ---- */

GtkWidget *
pyro_callgraph_view_new (void)
{
  return g_object_new (PYRO_TYPE_CALLGRAPH_VIEW, NULL);
}

static void
document_state_changed (PyroCallGraphView *self)
{
  if (pyro_document_get_state (self->document) != PYRO_DOCUMENT_READY)
    {
      g_clear_pointer (&self->graph, pyro_call_graph_unref);
      g_clear_pointer (&self->graph_selection, pyro_selection_free);
      g_clear_pointer (&self->layout, pyro_callgraph_layout_free);
      self->filter.focus_func = PYRO_NONE;
      update_focus_bar (self);
      gtk_widget_queue_draw (self->canvas);
    }
}

void
pyro_callgraph_view_set_document (PyroCallGraphView *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  g_clear_pointer (&self->graph, pyro_call_graph_unref);
  g_clear_pointer (&self->graph_selection, pyro_selection_free);
  g_clear_pointer (&self->layout, pyro_callgraph_layout_free);
  if (document == NULL)
    return;
  g_signal_connect_swapped (document, "trees-changed", G_CALLBACK (trees_changed), self);
  g_signal_connect_swapped (document, "notify::selected-func", G_CALLBACK (selected_changed), self);
  g_signal_connect_swapped (document, "notify::state", G_CALLBACK (document_state_changed), self);
  selected_changed (self);
  trees_changed (self);
}

void
pyro_callgraph_view_set_threshold (PyroCallGraphView *self, double fraction)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  /* the slider's handler relays out */
  gtk_range_set_value (GTK_RANGE (self->threshold_scale), CLAMP (fraction, 0, 1) * 100);
  self->filter.node_fraction = CLAMP (fraction, 0, 1);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  start_job (self, FALSE);
}

double
pyro_callgraph_view_get_threshold (PyroCallGraphView *self)
{
  return self->filter.node_fraction;
}

void
pyro_callgraph_view_set_focus (PyroCallGraphView *self, guint32 func)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  if (self->filter.focus_func == func)
    return;
  self->filter.focus_func = func;
  self->fit_pending = TRUE;
  update_focus_bar (self);
  start_job (self, FALSE);
}

guint32
pyro_callgraph_view_get_focus (PyroCallGraphView *self)
{
  return self->filter.focus_func;
}

void
pyro_callgraph_view_set_focus_depth (PyroCallGraphView *self, guint depth)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  if (self->filter.focus_depth == depth)
    return;
  self->filter.focus_depth = depth;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->depth_spin), depth);
  if (self->filter.focus_func != PYRO_NONE)
    {
      self->fit_pending = TRUE;
      start_job (self, FALSE);
    }
}

void
pyro_callgraph_view_set_group_by_module (PyroCallGraphView *self, gboolean group)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  if (self->group_by_module == !!group)
    return;
  self->group_by_module = !!group;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->group_toggle), group);
  start_job (self, FALSE);
}

void
pyro_callgraph_view_set_colorblind (PyroCallGraphView *self, gboolean colorblind)
{
  g_return_if_fail (PYRO_IS_CALLGRAPH_VIEW (self));
  pyro_callgraph_painter_set_colors (self->painter, colorblind ? PYRO_CALLGRAPH_COLORS_VIRIDIS
                                                               : PYRO_CALLGRAPH_COLORS_TEMPERATURE);
  pyro_callgraph_tiles_clear (self->tiles);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->colorblind_toggle), colorblind);
  gtk_widget_queue_draw (self->canvas);
}

gboolean
pyro_callgraph_view_get_busy (PyroCallGraphView *self)
{
  return self->busy;
}

const PyroCallGraphLayout *
pyro_callgraph_view_get_layout (PyroCallGraphView *self)
{
  return self->layout;
}

gboolean
pyro_callgraph_view_box_position (PyroCallGraphView *self, guint32 box, double *x, double *y)
{
  if (self->layout == NULL || box >= self->layout->boxes->len)
    return FALSE;
  if (self->fit_pending)
    pyro_callgraph_view_fit (self);
  const PyroCallGraphBox *b = &g_array_index (self->layout->boxes, PyroCallGraphBox, box);
  *x = (b->x + b->width / 2) * self->zoom + self->offset_x;
  *y = (b->y + b->height / 2) * self->zoom + self->offset_y;
  return TRUE;
}

GtkWidget *
pyro_callgraph_view_get_canvas (PyroCallGraphView *self)
{
  return self->canvas;
}

/* ---- GObject ---- */

static void
pyro_callgraph_view_dispose (GObject *object)
{
  PyroCallGraphView *self = PYRO_CALLGRAPH_VIEW (object);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  g_clear_pointer (&self->canvas, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_callgraph_view_parent_class)->dispose (object);
}

static void
pyro_callgraph_view_finalize (GObject *object)
{
  PyroCallGraphView *self = PYRO_CALLGRAPH_VIEW (object);
  g_clear_pointer (&self->graph, pyro_call_graph_unref);
  g_clear_pointer (&self->layout, pyro_callgraph_layout_free);
  g_clear_pointer (&self->tiles, pyro_callgraph_tiles_free);
  g_clear_pointer (&self->graph_selection, pyro_selection_free);
  g_clear_pointer (&self->painter, pyro_callgraph_painter_free);
  g_free (self->message);
  G_OBJECT_CLASS (pyro_callgraph_view_parent_class)->finalize (object);
}

static void
pyro_callgraph_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PyroCallGraphView *self = PYRO_CALLGRAPH_VIEW (object);
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_callgraph_view_class_init (PyroCallGraphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = pyro_callgraph_view_dispose;
  object_class->finalize = pyro_callgraph_view_finalize;
  object_class->get_property = pyro_callgraph_view_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, fit_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, fit_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, unfocus_shortcut, NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "callgraphview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
toolbar_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
build_toolbar (PyroCallGraphView *self)
{
  self->toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (self->toolbar, "toolbar");
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));

  gtk_box_append (GTK_BOX (self->toolbar), toolbar_label (_("Hide under")));
  self->threshold_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 10, 0.1);
  gtk_scale_set_digits (GTK_SCALE (self->threshold_scale), 1);
  gtk_scale_set_draw_value (GTK_SCALE (self->threshold_scale), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (self->threshold_scale), GTK_POS_RIGHT);
  gtk_range_set_value (GTK_RANGE (self->threshold_scale), 100 * PYRO_CALL_GRAPH_DEFAULT_FRACTION);
  gtk_widget_set_size_request (self->threshold_scale, 180, -1);
  gtk_widget_set_tooltip_text (self->threshold_scale, _("Hide functions under this percentage of the total, and calls under a fifth of it"));
  g_signal_connect (self->threshold_scale, "value-changed", G_CALLBACK (threshold_moved), self);
  gtk_box_append (GTK_BOX (self->toolbar), self->threshold_scale);
  gtk_box_append (GTK_BOX (self->toolbar), toolbar_label ("%"));
  self->hidden_label = gtk_label_new ("");
  gtk_widget_add_css_class (self->hidden_label, "dim-label");
  gtk_box_append (GTK_BOX (self->toolbar), self->hidden_label);

  self->focus_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (self->focus_box, 12);
  self->focus_label = gtk_label_new ("");
  gtk_label_set_ellipsize (GTK_LABEL (self->focus_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (self->focus_box), self->focus_label);
  self->depth_spin = gtk_spin_button_new_with_range (1, 20, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->depth_spin), self->filter.focus_depth);
  g_signal_connect (self->depth_spin, "value-changed", G_CALLBACK (depth_changed), self);
  gtk_box_append (GTK_BOX (self->focus_box), self->depth_spin);
  GtkWidget *show_all = gtk_button_new_with_mnemonic (_("Show _All"));
  g_signal_connect (show_all, "clicked", G_CALLBACK (show_all_clicked), self);
  gtk_box_append (GTK_BOX (self->focus_box), show_all);
  gtk_widget_set_visible (self->focus_box, FALSE);
  gtk_box_append (GTK_BOX (self->toolbar), self->focus_box);

  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (self->toolbar), spacer);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (GTK_BOX (self->toolbar), self->spinner);

  self->group_toggle = gtk_toggle_button_new_with_mnemonic (_("_Group by Module"));
  gtk_widget_set_tooltip_text (self->group_toggle, _("Draw the functions of each module in a box"));
  g_signal_connect (self->group_toggle, "toggled", G_CALLBACK (group_toggled), self);
  gtk_box_append (GTK_BOX (self->toolbar), self->group_toggle);
  self->colorblind_toggle = gtk_toggle_button_new_with_mnemonic (_("Colour-_Blind Safe"));
  gtk_widget_set_tooltip_text (self->colorblind_toggle, _("Colour by share on the viridis scale instead of blue-to-red"));
  g_signal_connect (self->colorblind_toggle, "toggled", G_CALLBACK (colorblind_toggled), self);
  gtk_box_append (GTK_BOX (self->toolbar), self->colorblind_toggle);
}

static void
pyro_callgraph_view_init (PyroCallGraphView *self)
{
  pyro_call_graph_filter_init (&self->filter);
  self->zoom = 1;
  self->hover = PYRO_NONE;
  self->fit_pending = TRUE;
  self->painter = pyro_callgraph_painter_new (NULL);
  self->tiles = pyro_callgraph_tiles_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  build_toolbar (self);

  self->canvas = gtk_drawing_area_new ();
  gtk_widget_set_hexpand (self->canvas, TRUE);
  gtk_widget_set_vexpand (self->canvas, TRUE);
  gtk_widget_set_has_tooltip (self->canvas, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->canvas), draw_canvas, self, NULL);
  gtk_widget_set_parent (self->canvas, GTK_WIDGET (self));
  g_signal_connect (self->canvas, "query-tooltip", G_CALLBACK (query_tooltip), self);

  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (drag));

  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (click_released), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (click));

  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (self->canvas, scroll);

  GtkGesture *pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_changed), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (pinch));

  GtkEventController *hover = gtk_event_controller_motion_new ();
  g_signal_connect (hover, "motion", G_CALLBACK (motion), self);
  g_signal_connect (hover, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (self->canvas, hover);
}
