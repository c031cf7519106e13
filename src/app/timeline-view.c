#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "timeline-view.h"
#include "render/timeline-painter.h"

#define MIN_SPAN_NS 1000

struct _PyroTimelineView
{
  GtkWidget parent_instance;

  GtkWidget *header;
  GtkWidget *range_label;
  GtkWidget *reset_button;
  GtkWidget *area;

  PyroDocument *document;
  PyroTimeline *timeline;
  gint64 view_start;
  gint64 view_end;

  GtkGesture *drag;
  double pointer_x;
  gboolean dragging;
  double drag_x0;
  double drag_x1;

  char *range_text;
};

G_DEFINE_FINAL_TYPE (PyroTimelineView, pyro_timeline_view, GTK_TYPE_WIDGET)

static PyroTimelineViewport
viewport (PyroTimelineView *self)
{
  PyroTimelineViewport vp = { 0 };
  vp.width = gtk_widget_get_width (self->area);
  vp.height = gtk_widget_get_height (self->area);
  vp.view_start = self->view_start;
  vp.view_end = self->view_end;
  vp.selected_func = PYRO_NONE;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  vp.foreground = dark ? (PyroRgb) { 1, 1, 1 } : (PyroRgb) { 0, 0, 0 };
  vp.accent = dark ? (PyroRgb) { 0.471, 0.682, 0.929 } : (PyroRgb) { 0.110, 0.443, 0.847 };
  vp.font = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  if (self->document != NULL && self->timeline != NULL)
    {
      vp.selected_func = pyro_document_get_selected_func (self->document);
      const PyroSelection *sel = pyro_document_get_selection (self->document);
      vp.has_range = sel->has_range;
      vp.range_start = sel->range_start;
      vp.range_end = sel->range_end;
    }
  return vp;
}

static void
drag_bounds (PyroTimelineView *self, const PyroTimelineViewport *vp, gint64 *start, gint64 *end)
{
  gint64 a = pyro_timeline_x_to_time (vp, self->drag_x0);
  gint64 b = pyro_timeline_x_to_time (vp, self->drag_x1);
  *start = CLAMP (MIN (a, b), self->timeline->start, self->timeline->end);
  *end = CLAMP (MAX (a, b), self->timeline->start, self->timeline->end);
}

static void
update_range_text (PyroTimelineView *self)
{
  g_clear_pointer (&self->range_text, g_free);
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline))
    {
      gtk_label_set_text (GTK_LABEL (self->range_label), "");
      gtk_widget_set_sensitive (self->reset_button, FALSE);
      return;
    }
  PyroTimelineViewport vp = viewport (self);
  gboolean has_range = vp.has_range;
  gint64 start = vp.range_start, end = vp.range_end;
  if (self->dragging)
    {
      drag_bounds (self, &vp, &start, &end);
      has_range = TRUE;
    }
  gint64 origin = self->timeline->start;
  if (has_range)
    {
      g_autofree char *a = pyro_timeline_format_duration (start - origin);
      g_autofree char *b = pyro_timeline_format_duration (end - origin);
      g_autofree char *d = pyro_timeline_format_duration (end - start);
      /* Translators: a time range: start – end (duration) */
      self->range_text = g_strdup_printf (_("%s – %s (%s)"), a, b, d);
    }
  else
    {
      g_autofree char *d = pyro_timeline_format_duration (self->timeline->end - origin);
      self->range_text = g_strdup_printf (_("All %s · drag to select a range"), d);
    }
  gtk_label_set_text (GTK_LABEL (self->range_label), self->range_text);
  gtk_widget_set_sensitive (self->reset_button, vp.has_range);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  PyroTimelineView *self = user_data;
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline))
    return;
  PyroTimelineViewport vp = viewport (self);
  vp.width = width;
  vp.height = height;
  if (self->dragging)
    {
      drag_bounds (self, &vp, &vp.range_start, &vp.range_end);
      vp.has_range = vp.range_end > vp.range_start;
    }
  pyro_timeline_paint (self->timeline, cr, &vp);
}

static void
set_window (PyroTimelineView *self, gint64 start, gint64 end)
{
  gint64 lo = self->timeline->start, hi = self->timeline->end;
  gint64 span = CLAMP (end - start, MIN (MIN_SPAN_NS, hi - lo), hi - lo);
  start = CLAMP (start, lo, hi - span);
  self->view_start = start;
  self->view_end = start + span;
  gtk_widget_queue_draw (self->area);
}

static void
rebuild (PyroTimelineView *self)
{
  g_clear_pointer (&self->timeline, pyro_timeline_free);
  PyroProfile *profile = self->document != NULL ? pyro_document_get_profile (self->document) : NULL;
  if (profile != NULL && pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY)
    self->timeline = pyro_timeline_new (profile);
  /* Traces without time (folded stacks, cProfile) leave the room to the
   * source view. */
  gboolean empty = self->timeline == NULL || pyro_timeline_is_empty (self->timeline);
  gtk_widget_set_visible (GTK_WIDGET (self), !empty);
  if (!empty)
    {
      self->view_start = self->timeline->start;
      self->view_end = self->timeline->end;
    }
  update_range_text (self);
  gtk_widget_queue_draw (self->area);
}

/* A live recording swapped a grown profile in: the series are built again;
 * a view of the whole time follows the growth, a zoomed one stays put. */
static void
profile_replaced (PyroTimelineView *self)
{
  gboolean whole = self->timeline == NULL || pyro_timeline_is_empty (self->timeline)
                   || (self->view_start <= self->timeline->start && self->view_end >= self->timeline->end);
  gint64 start = self->view_start, end = self->view_end;
  rebuild (self);
  if (!whole && self->timeline != NULL && !pyro_timeline_is_empty (self->timeline))
    set_window (self, start, end);
}

static void
selection_changed (PyroTimelineView *self)
{
  update_range_text (self);
  gtk_widget_queue_draw (self->area);
}

/* Input */

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, PyroTimelineView *self)
{
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (self->area);
  self->drag_x0 = self->drag_x1 = x;
}

static void
drag_update (GtkGestureDrag *gesture, double dx, double dy, PyroTimelineView *self)
{
  self->drag_x1 = self->drag_x0 + dx;
  if (!self->dragging && fabs (dx) < 3)
    return;
  self->dragging = TRUE;
  update_range_text (self);
  gtk_widget_queue_draw (self->area);
}

static void
drag_end (GtkGestureDrag *gesture, double dx, double dy, PyroTimelineView *self)
{
  if (!self->dragging)
    return;
  self->dragging = FALSE;
  pyro_timeline_view_drag (self, self->drag_x0, self->drag_x0 + dx);
}

static void
pointer_moved (GtkEventControllerMotion *motion, double x, double y, PyroTimelineView *self)
{
  self->pointer_x = x;
}

static gboolean
scroll (GtkEventControllerScroll *controller, double dx, double dy, PyroTimelineView *self)
{
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline))
    return FALSE;
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gint64 span = self->view_end - self->view_start;
  if (state & GDK_CONTROL_MASK)
    {
      pyro_timeline_view_zoom (self, pow (1.25, -dy), self->pointer_x);
      return TRUE;
    }
  if (span >= self->timeline->end - self->timeline->start)
    return FALSE;
  double d = fabs (dx) > fabs (dy) ? dx : dy;
  set_window (self, self->view_start + (gint64) (d * span / 10), self->view_end + (gint64) (d * span / 10));
  return TRUE;
}

/* Escape: ends a drag in progress, else shows the whole time again. */
static void
clear_range_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroTimelineView *self = PYRO_TIMELINE_VIEW (widget);
  if (self->dragging)
    {
      self->dragging = FALSE;
      gtk_event_controller_reset (GTK_EVENT_CONTROLLER (self->drag));
      selection_changed (self);
      return;
    }
  if (self->document != NULL)
    pyro_document_clear_range (self->document);
}

static void
reset_clicked (PyroTimelineView *self)
{
  if (self->document != NULL)
    pyro_document_clear_range (self->document);
  if (self->timeline != NULL && !pyro_timeline_is_empty (self->timeline))
    set_window (self, self->timeline->start, self->timeline->end);
}

/* Public */

GtkWidget *
pyro_timeline_view_new (void)
{
  return g_object_new (PYRO_TYPE_TIMELINE_VIEW, NULL);
}

void
pyro_timeline_view_set_document (PyroTimelineView *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_TIMELINE_VIEW (self));
  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_swapped (document, "notify::state", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (document, "profile-replaced", G_CALLBACK (profile_replaced), self);
      g_signal_connect_swapped (document, "trees-changed", G_CALLBACK (selection_changed), self);
      g_signal_connect_swapped (document, "notify::selected-func", G_CALLBACK (gtk_widget_queue_draw),
                                self->area);
    }
  rebuild (self);
}

const PyroTimeline *
pyro_timeline_view_get_timeline (PyroTimelineView *self)
{
  g_return_val_if_fail (PYRO_IS_TIMELINE_VIEW (self), NULL);
  return self->timeline;
}

gboolean
pyro_timeline_view_get_window (PyroTimelineView *self, gint64 *start, gint64 *end)
{
  g_return_val_if_fail (PYRO_IS_TIMELINE_VIEW (self), FALSE);
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline))
    return FALSE;
  *start = self->view_start;
  *end = self->view_end;
  return TRUE;
}

void
pyro_timeline_view_zoom (PyroTimelineView *self, double factor, double x)
{
  g_return_if_fail (PYRO_IS_TIMELINE_VIEW (self));
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline) || factor <= 0)
    return;
  PyroTimelineViewport vp = viewport (self);
  gint64 anchor = pyro_timeline_x_to_time (&vp, x);
  double span = (double) (self->view_end - self->view_start) / factor;
  double share = (double) (anchor - self->view_start) / (double) MAX (self->view_end - self->view_start, 1);
  share = CLAMP (share, 0, 1);
  gint64 start = anchor - (gint64) (span * share);
  set_window (self, start, start + (gint64) MAX (span, 1));
}

const char *
pyro_timeline_view_get_range_text (PyroTimelineView *self)
{
  g_return_val_if_fail (PYRO_IS_TIMELINE_VIEW (self), "");
  return self->range_text != NULL ? self->range_text : "";
}

void
pyro_timeline_view_drag (PyroTimelineView *self, double x0, double x1)
{
  g_return_if_fail (PYRO_IS_TIMELINE_VIEW (self));
  if (self->timeline == NULL || pyro_timeline_is_empty (self->timeline) || self->document == NULL)
    return;
  PyroTimelineViewport vp = viewport (self);
  self->drag_x0 = x0;
  self->drag_x1 = x1;
  gint64 start, end;
  drag_bounds (self, &vp, &start, &end);
  if (end > start)
    pyro_document_set_range (self->document, start, end);
  selection_changed (self);
}

/* GObject */

static void
pyro_timeline_view_dispose (GObject *object)
{
  PyroTimelineView *self = PYRO_TIMELINE_VIEW (object);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self->area);
  g_clear_object (&self->document);
  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->area, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_timeline_view_parent_class)->dispose (object);
}

static void
pyro_timeline_view_finalize (GObject *object)
{
  PyroTimelineView *self = PYRO_TIMELINE_VIEW (object);
  g_clear_pointer (&self->timeline, pyro_timeline_free);
  g_free (self->range_text);
  G_OBJECT_CLASS (pyro_timeline_view_parent_class)->finalize (object);
}

static void
pyro_timeline_view_class_init (PyroTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pyro_timeline_view_dispose;
  object_class->finalize = pyro_timeline_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "timelineview");
  gtk_widget_class_install_action (widget_class, "timeline.clear-range", NULL, clear_range_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "timeline.clear-range", NULL);
}

static void
pyro_timeline_view_init (PyroTimelineView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (self->header, 12);
  gtk_widget_set_margin_end (self->header, 6);
  gtk_widget_set_margin_top (self->header, 4);
  gtk_widget_set_margin_bottom (self->header, 2);
  GtkWidget *title = gtk_label_new (_("Timeline"));
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (self->header), title);
  self->range_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->range_label, "dim-label");
  gtk_widget_add_css_class (self->range_label, "numeric");
  gtk_widget_set_hexpand (self->range_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->range_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->range_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (self->header), self->range_label);
  self->reset_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_tooltip_text (self->reset_button, _("Show the Whole Time (Escape)"));
  gtk_widget_add_css_class (self->reset_button, "flat");
  gtk_widget_set_sensitive (self->reset_button, FALSE);
  g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (reset_clicked), self);
  gtk_box_append (GTK_BOX (self->header), self->reset_button);
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->area = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->area, TRUE);
  gtk_widget_set_focusable (self->area, TRUE);
  gtk_widget_set_focus_on_click (self->area, TRUE);
  gtk_widget_set_size_request (self->area, 200, 120);
  gtk_widget_set_cursor_from_name (self->area, "col-resize");
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw, self, NULL);
  gtk_widget_set_parent (self->area, GTK_WIDGET (self));

  self->drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (self->area, GTK_EVENT_CONTROLLER (self->drag));

  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (pointer_moved), self);
  gtk_widget_add_controller (self->area, motion);

  GtkEventController *wheel = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (wheel, "scroll", G_CALLBACK (scroll), self);
  gtk_widget_add_controller (self->area, wheel);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self->area, G_CONNECT_SWAPPED);
  rebuild (self);
}
