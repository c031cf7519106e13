#include <glib/gi18n.h>
#include <math.h>

#include "flame-view.h"
#include "frame-actions.h"
#include "render/flame-painter.h"

struct _PyroFlameView
{
  GtkWidget parent_instance;

  PyroDocument *document;
  gulong trees_handler;
  gulong selected_handler;

  PyroFlameOrientation orientation;
  guint32 zoom;
  GArray *zoom_funcs;          /* path of the zoom, to find it in a new tree */
  guint32 hover;
  guint32 menu_node;
  gboolean reset_scroll;
  /* The selected function is highlighted unless this view selected it. */
  gboolean selected_here;
  guint32 highlight_func;

  char *search_text;
  guint8 *search_mask;
  double matched_share;

  PyroFlamePainter *painter;
  PyroProfile *painter_profile;  /* the profile the painter and search mask were made for */
  PyroFlameLayout *layout;
  const PyroCallTree *layout_tree;
  int layout_height;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  GtkScrollablePolicy hscroll_policy;
  GtkScrollablePolicy vscroll_policy;

  GtkWidget *menu;

  double text_scale;
  PyroPaletteStyle palette_style;
  gboolean laser;
  double *diff_before;
  guint diff_n_nodes;
  double diff_before_total;
};

static void pyro_flame_view_scrollable_init (GtkScrollableInterface *iface) { }

G_DEFINE_FINAL_TYPE_WITH_CODE (PyroFlameView, pyro_flame_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      pyro_flame_view_scrollable_init))

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_MATCHED_SHARE,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

static const PyroCallTree *
current_tree (PyroFlameView *self)
{
  return self->document != NULL ? pyro_document_get_tree (self->document) : NULL;
}

static void
invalidate_layout (PyroFlameView *self)
{
  g_clear_pointer (&self->layout, pyro_flame_layout_free);
  self->layout_tree = NULL;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static double
scroll_offset (PyroFlameView *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

static double
row_height (PyroFlameView *self)
{
  return round (PYRO_FLAME_ROW_HEIGHT * self->text_scale);
}

/* Builds the layout for the current size if needed and configures the
 * vertical adjustment to its content height. */
static void
ensure_layout (PyroFlameView *self)
{
  const PyroCallTree *tree = current_tree (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (tree == NULL || width <= 0 || height <= 0)
    {
      g_clear_pointer (&self->layout, pyro_flame_layout_free);
      return;
    }
  if (self->layout != NULL && self->layout_tree == tree && self->layout->zoom == self->zoom
      && self->layout->width == width && self->layout_height == height
      && self->layout->orientation == self->orientation
      && self->layout->row_height == row_height (self))
    return;

  g_clear_pointer (&self->layout, pyro_flame_layout_free);
  self->layout = pyro_flame_layout_new (tree, self->zoom, self->orientation, width, height,
                                        row_height (self));
  self->layout_tree = tree;
  self->layout_height = height;

  if (self->vadjustment != NULL)
    {
      double upper = self->layout->content_height;
      double value = gtk_adjustment_get_value (self->vadjustment);
      if (self->reset_scroll)
        value = self->orientation == PYRO_FLAME_ORIENTATION_FLAME ? upper - height : 0;
      else if (self->orientation == PYRO_FLAME_ORIENTATION_FLAME)
        /* Keep the root row where it was: flame graphs grow upwards. */
        value += upper - gtk_adjustment_get_upper (self->vadjustment);
      self->reset_scroll = FALSE;
      gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, MAX (0, upper - height)), 0,
                                upper, row_height (self), height * 0.9, height);
    }
}

static void
update_highlight (PyroFlameView *self)
{
  if (self->painter == NULL)
    return;
  PyroProfile *profile = pyro_document_get_profile (self->document);

  if (self->search_mask != NULL)
    pyro_flame_painter_set_search (self->painter, self->search_mask);
  else if (self->highlight_func != PYRO_NONE && profile != NULL)
    {
      g_autofree guint8 *mask = g_malloc0 (pyro_profile_n_funcs (profile));
      mask[self->highlight_func] = 1;
      pyro_flame_painter_set_search (self->painter, mask);
    }
  else
    pyro_flame_painter_set_search (self->painter, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_matched_share (PyroFlameView *self)
{
  const PyroCallTree *tree = current_tree (self);
  double share = -1;

  if (tree != NULL && self->search_mask != NULL && self->zoom < tree->n_nodes)
    {
      double total = tree->total[self->zoom];
      share = total > 0 ? pyro_flame_matched_weight (tree, self->zoom, self->search_mask) / total : 0;
    }
  if (share != self->matched_share)
    {
      self->matched_share = share;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCHED_SHARE]);
    }
}

static void
set_zoom_internal (PyroFlameView *self, guint32 node)
{
  const PyroCallTree *tree = current_tree (self);
  if (tree == NULL || node >= tree->n_nodes)
    node = 0;
  g_clear_pointer (&self->zoom_funcs, g_array_unref);
  self->zoom_funcs = pyro_frame_path_funcs (tree, node);
  if (self->zoom == node)
    return;
  self->zoom = node;
  self->reset_scroll = TRUE;
  invalidate_layout (self);
  update_matched_share (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
trees_changed (PyroFlameView *self)
{
  const PyroCallTree *tree = current_tree (self);
  PyroProfile *profile = pyro_document_get_profile (self->document);

  /* A new profile in this window: colours and the search mask are per
   * profile, so both are made again. */
  if (self->painter != NULL && profile != self->painter_profile)
    {
      g_clear_pointer (&self->painter, pyro_flame_painter_free);
      g_clear_pointer (&self->search_mask, g_free);
    }
  if (profile != self->painter_profile)
    {
      g_clear_pointer (&self->painter_profile, pyro_profile_unref);
      if (profile != NULL)
        self->painter_profile = pyro_profile_ref (profile);
    }
  if (profile != NULL && self->painter == NULL)
    {
      self->painter = pyro_flame_painter_new (profile);
      PangoFontDescription *font = pango_font_description_copy (
        pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self))));
      pango_font_description_set_size (font, (int) (9 * self->text_scale * PANGO_SCALE));
      pyro_flame_painter_set_font (self->painter, font);
      pango_font_description_free (font);
      pyro_flame_painter_set_palette_style (self->painter, self->palette_style);
      pyro_flame_painter_set_laser (self->painter, self->laser);
      update_highlight (self);
    }
  if (self->painter != NULL)
    pyro_flame_painter_set_diff (self->painter, self->diff_before, self->diff_n_nodes,
                                 self->diff_before_total);
  if (profile != NULL && self->search_text != NULL && self->search_mask == NULL)
    {
      self->search_mask = pyro_flame_match_funcs (profile, self->search_text);
      update_highlight (self);
    }

  /* Keep looking at the same call path when the selection changes. */
  guint32 zoom = pyro_frame_path_find (tree, self->zoom_funcs);
  self->hover = PYRO_NONE;
  if (self->painter != NULL)
    pyro_flame_painter_set_hover (self->painter, PYRO_NONE);
  self->reset_scroll = TRUE;
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  else
    /* Same id, new tree: observers must still refresh their paths. */
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  invalidate_layout (self);
  update_matched_share (self);
}

static void
selected_func_changed (PyroFlameView *self)
{
  self->highlight_func = self->selected_here ? PYRO_NONE
                                             : pyro_document_get_selected_func (self->document);
  self->selected_here = FALSE;
  update_highlight (self);
}

void
pyro_flame_view_set_document (PyroFlameView *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));

  if (self->document == document)
    return;
  if (self->document != NULL)
    {
      g_clear_signal_handler (&self->trees_handler, self->document);
      g_clear_signal_handler (&self->selected_handler, self->document);
    }
  g_set_object (&self->document, document);
  g_clear_pointer (&self->painter, pyro_flame_painter_free);
  g_clear_pointer (&self->search_mask, g_free);
  g_clear_pointer (&self->zoom_funcs, g_array_unref);
  self->zoom = 0;
  self->highlight_func = PYRO_NONE;
  if (document != NULL)
    {
      self->trees_handler = g_signal_connect_swapped (document, "trees-changed",
                                                      G_CALLBACK (trees_changed), self);
      self->selected_handler = g_signal_connect_swapped (document, "notify::selected-func",
                                                         G_CALLBACK (selected_func_changed), self);
      if (pyro_document_get_tree (document) != NULL)
        trees_changed (self);
    }
  invalidate_layout (self);
}

PyroDocument *
pyro_flame_view_get_document (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), NULL);
  return self->document;
}

void
pyro_flame_view_set_orientation (PyroFlameView *self, PyroFlameOrientation orientation)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  if (self->orientation == orientation)
    return;
  self->orientation = orientation;
  self->reset_scroll = TRUE;
  invalidate_layout (self);
}

PyroFlameOrientation
pyro_flame_view_get_orientation (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), PYRO_FLAME_ORIENTATION_FLAME);
  return self->orientation;
}

guint32
pyro_flame_view_get_zoom (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), 0);
  return self->zoom;
}

void
pyro_flame_view_set_zoom (PyroFlameView *self, guint32 node)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  set_zoom_internal (self, node);
}

gboolean
pyro_flame_view_zoom_out (PyroFlameView *self)
{
  const PyroCallTree *tree = current_tree (self);
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), FALSE);
  if (tree == NULL || self->zoom == 0)
    return FALSE;
  set_zoom_internal (self, tree->parent[self->zoom]);
  return TRUE;
}

void
pyro_flame_view_set_search (PyroFlameView *self, const char *text)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (text, self->search_text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_strdup (text);
  g_clear_pointer (&self->search_mask, g_free);
  PyroProfile *profile = self->document != NULL ? pyro_document_get_profile (self->document) : NULL;
  if (profile != NULL && text != NULL)
    self->search_mask = pyro_flame_match_funcs (profile, text);
  update_highlight (self);
  update_matched_share (self);
}

double
pyro_flame_view_get_matched_share (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), -1);
  return self->matched_share;
}

const PyroFlameLayout *
pyro_flame_view_get_layout (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), NULL);
  ensure_layout (self);
  return self->layout;
}

double
pyro_flame_view_get_scroll_offset (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), 0);
  return scroll_offset (self);
}

static void
apply_font (PyroFlameView *self)
{
  if (self->painter == NULL)
    return;
  PangoFontDescription *font = pango_font_description_copy (
    pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self))));
  pango_font_description_set_size (font, (int) (9 * self->text_scale * PANGO_SCALE));
  pyro_flame_painter_set_font (self->painter, font);
  pango_font_description_free (font);
}

void
pyro_flame_view_set_text_scale (PyroFlameView *self, double scale)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  scale = CLAMP (scale, 1, 4);
  if (scale == self->text_scale)
    return;
  self->text_scale = scale;
  apply_font (self);
  self->reset_scroll = TRUE;
  invalidate_layout (self);
}

double
pyro_flame_view_get_text_scale (PyroFlameView *self)
{
  g_return_val_if_fail (PYRO_IS_FLAME_VIEW (self), 1);
  return self->text_scale;
}

void
pyro_flame_view_set_palette_style (PyroFlameView *self, PyroPaletteStyle style)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  self->palette_style = style;
  if (self->painter != NULL)
    pyro_flame_painter_set_palette_style (self->painter, style);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pyro_flame_view_set_laser (PyroFlameView *self, gboolean laser)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  self->laser = laser;
  if (self->painter != NULL)
    pyro_flame_painter_set_laser (self->painter, laser);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pyro_flame_view_set_diff (PyroFlameView *self, const double *before, guint n_nodes,
                          double before_total)
{
  g_return_if_fail (PYRO_IS_FLAME_VIEW (self));
  g_clear_pointer (&self->diff_before, g_free);
  self->diff_n_nodes = 0;
  if (before != NULL && n_nodes > 0)
    {
      self->diff_before = g_memdup2 (before, sizeof (double) * n_nodes);
      self->diff_n_nodes = n_nodes;
      self->diff_before_total = before_total;
    }
  if (self->painter != NULL)
    pyro_flame_painter_set_diff (self->painter, self->diff_before, self->diff_n_nodes,
                                 self->diff_before_total);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Input */

static guint32
hit (PyroFlameView *self, double x, double y)
{
  ensure_layout (self);
  if (self->layout == NULL)
    return PYRO_NONE;
  return pyro_flame_layout_hit (self->layout, x, y + scroll_offset (self));
}

static void
set_hover (PyroFlameView *self, guint32 node)
{
  if (self->hover == node)
    return;
  self->hover = node;
  if (self->painter != NULL)
    pyro_flame_painter_set_hover (self->painter, node);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), node != PYRO_NONE ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion (GtkEventControllerMotion *controller, double x, double y, PyroFlameView *self)
{
  set_hover (self, hit (self, x, y));
}

static void
leave (GtkEventControllerMotion *controller, PyroFlameView *self)
{
  set_hover (self, PYRO_NONE);
}

static void
select_node_func (PyroFlameView *self, guint32 node)
{
  const PyroCallTree *tree = current_tree (self);
  guint32 func = tree != NULL && node < tree->n_nodes ? tree->func[node] : PYRO_NONE;
  if (func != pyro_document_get_selected_func (self->document))
    {
      self->selected_here = TRUE;
      pyro_document_set_selected_func (self->document, func);
    }
}

static void
primary_released (GtkGestureClick *gesture, int n_press, double x, double y, PyroFlameView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  guint32 node = hit (self, x, y);
  if (node == PYRO_NONE || self->document == NULL)
    return;
  select_node_func (self, node);
  set_zoom_internal (self, node);
}

static void
secondary_pressed (GtkGestureClick *gesture, int n_press, double x, double y, PyroFlameView *self)
{
  guint32 node = hit (self, x, y);
  if (node == PYRO_NONE || self->document == NULL)
    return;
  gboolean is_func = current_tree (self)->func[node] != PYRO_NONE;
  self->menu_node = node;
  select_node_func (self, node);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.focus", is_func);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.merge", is_func);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.drop", is_func);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.collapse", is_func);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (widget);
  guint32 node = hit (self, x, y);
  if (node == PYRO_NONE || keyboard)
    return FALSE;
  g_autofree char *markup = pyro_frame_tooltip_markup (self->document, current_tree (self), node);
  gtk_tooltip_set_markup (tooltip, markup);
  const PyroFlameRect *r = pyro_flame_layout_find (self->layout, node);
  if (r != NULL)
    gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { r->x, r->y - scroll_offset (self),
                                                          MAX (1, r->w), r->h });
  return TRUE;
}

static void
frame_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (widget);
  if (self->document == NULL)
    return;
  pyro_frame_activate (self->document, current_tree (self), self->menu_node, action_name);
}

static void
zoom_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (widget);
  if (!pyro_flame_view_zoom_out (self) && self->document != NULL)
    pyro_document_set_selected_func (self->document, PYRO_NONE);
}

/* GtkWidget */

static void
pyro_flame_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                         int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (widget);
  const PyroCallTree *tree = current_tree (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 800;
    }
  else
    {
      *minimum = 100;
      *natural = tree != NULL ? (int) ((tree->max_depth + 1) * row_height (self)) : 400;
      *natural = MAX (*natural, *minimum);
    }
}

static void
pyro_flame_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (widget);
  ensure_layout (self);
  gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
pyro_flame_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  ensure_layout (self);
  if (self->layout == NULL || self->painter == NULL)
    return;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_translate (cr, 0, -scroll_offset (self));
  pyro_flame_painter_paint (self->painter, cr, self->layout);
  cairo_destroy (cr);
}

/* GtkScrollable */

static void
set_adjustment (PyroFlameView *self, GtkAdjustment **slot, GtkAdjustment *adjustment)
{
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, gtk_widget_queue_draw, self);
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  g_set_object (slot, adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self);
  self->reset_scroll = TRUE;
  invalidate_layout (self);
}

static void
pyro_flame_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_uint (value, self->zoom);
      break;
    case PROP_MATCHED_SHARE:
      g_value_set_double (value, self->matched_share);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_flame_view_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      set_zoom_internal (self, g_value_get_uint (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_flame_view_dispose (GObject *object)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (object);

  pyro_flame_view_set_document (self, NULL);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, gtk_widget_queue_draw, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, gtk_widget_queue_draw, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  G_OBJECT_CLASS (pyro_flame_view_parent_class)->dispose (object);
}

static void
pyro_flame_view_finalize (GObject *object)
{
  PyroFlameView *self = PYRO_FLAME_VIEW (object);

  g_clear_pointer (&self->layout, pyro_flame_layout_free);
  g_clear_pointer (&self->painter, pyro_flame_painter_free);
  g_clear_pointer (&self->painter_profile, pyro_profile_unref);
  g_clear_pointer (&self->zoom_funcs, g_array_unref);
  g_free (self->search_text);
  g_free (self->search_mask);
  g_free (self->diff_before);
  G_OBJECT_CLASS (pyro_flame_view_parent_class)->finalize (object);
}

static void
pyro_flame_view_class_init (PyroFlameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pyro_flame_view_get_property;
  object_class->set_property = pyro_flame_view_set_property;
  object_class->dispose = pyro_flame_view_dispose;
  object_class->finalize = pyro_flame_view_finalize;

  widget_class->measure = pyro_flame_view_measure;
  widget_class->size_allocate = pyro_flame_view_size_allocate;
  widget_class->snapshot = pyro_flame_view_snapshot;
  widget_class->query_tooltip = query_tooltip;

  properties[PROP_ZOOM] =
    g_param_spec_uint ("zoom", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCHED_SHARE] =
    g_param_spec_double ("matched-share", NULL, NULL, -1, 1, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_install_action (widget_class, "flame.focus", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "flame.merge", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "flame.drop", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "flame.collapse", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "flame.invert", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "flame.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "flame.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "flame.zoom-out", NULL);

  gtk_widget_class_set_css_name (widget_class, "flameview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pyro_flame_view_init (PyroFlameView *self)
{
  self->hover = PYRO_NONE;
  self->menu_node = PYRO_NONE;
  self->highlight_func = PYRO_NONE;
  self->matched_share = -1;
  self->reset_scroll = TRUE;
  self->text_scale = 1;
  self->palette_style = PYRO_PALETTE_DEFAULT;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  GtkEventController *motion_controller = gtk_event_controller_motion_new ();
  g_signal_connect (motion_controller, "motion", G_CALLBACK (motion), self);
  g_signal_connect (motion_controller, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion_controller);

  GtkGesture *primary = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (primary), GDK_BUTTON_PRIMARY);
  g_signal_connect (primary, "released", G_CALLBACK (primary_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (primary));

  GtkGesture *secondary = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  g_signal_connect (secondary, "pressed", G_CALLBACK (secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (secondary));

  g_autoptr (GMenuModel) model = pyro_frame_menu_new ("flame");
  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

GtkWidget *
pyro_flame_view_new (PyroFlameOrientation orientation)
{
  PyroFlameView *self = g_object_new (PYRO_TYPE_FLAME_VIEW, NULL);
  self->orientation = orientation;
  return GTK_WIDGET (self);
}
