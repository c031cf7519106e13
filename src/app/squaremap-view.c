#include <glib/gi18n.h>

#include "squaremap-view.h"
#include "frame-actions.h"
#include "render/flame-layout.h"
#include "render/squaremap-painter.h"

struct _PyroSquaremapView
{
  GtkWidget parent_instance;

  PyroDocument *document;
  gulong trees_handler;

  guint32 root;
  GArray *root_funcs;
  guint32 hover;
  guint32 menu_node;
  char *search_text;

  PyroSquaremapPainter *painter;
  PyroProfile *painter_profile;  /* the profile the painter's colours were made for */
  PyroPaletteStyle palette_style;
  PyroSquaremapLayout *layout;
  const PyroCallTree *layout_tree;

  GtkWidget *menu;
};

G_DEFINE_FINAL_TYPE (PyroSquaremapView, pyro_squaremap_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_ROOT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const PyroCallTree *
current_tree (PyroSquaremapView *self)
{
  return self->document != NULL ? pyro_document_get_tree (self->document) : NULL;
}

static void
ensure_layout (PyroSquaremapView *self)
{
  const PyroCallTree *tree = current_tree (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (tree == NULL || width <= 0 || height <= 0)
    {
      g_clear_pointer (&self->layout, pyro_squaremap_layout_free);
      return;
    }
  if (self->layout != NULL && self->layout_tree == tree && self->layout->root == self->root
      && self->layout->width == width && self->layout->height == height)
    return;
  g_clear_pointer (&self->layout, pyro_squaremap_layout_free);
  self->layout = pyro_squaremap_layout_new (tree, self->root, width, height);
  self->layout_tree = tree;
}

static void
invalidate (PyroSquaremapView *self)
{
  g_clear_pointer (&self->layout, pyro_squaremap_layout_free);
  self->layout_tree = NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
apply_search (PyroSquaremapView *self)
{
  PyroProfile *profile = self->document != NULL ? pyro_document_get_profile (self->document) : NULL;
  if (self->painter == NULL)
    return;
  g_autofree guint8 *mask = profile != NULL && self->search_text != NULL
                              ? pyro_flame_match_funcs (profile, self->search_text)
                              : NULL;
  pyro_squaremap_painter_set_search (self->painter, mask);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_root_internal (PyroSquaremapView *self, guint32 node)
{
  const PyroCallTree *tree = current_tree (self);
  if (tree == NULL || node >= tree->n_nodes)
    node = 0;
  g_clear_pointer (&self->root_funcs, g_array_unref);
  self->root_funcs = pyro_frame_path_funcs (tree, node);
  if (self->root == node)
    return;
  self->root = node;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
}

void
pyro_squaremap_view_set_palette_style (PyroSquaremapView *self, PyroPaletteStyle style)
{
  g_return_if_fail (PYRO_IS_SQUAREMAP_VIEW (self));
  self->palette_style = style;
  if (self->painter != NULL)
    pyro_squaremap_painter_set_palette_style (self->painter, style);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
trees_changed (PyroSquaremapView *self)
{
  PyroProfile *profile = pyro_document_get_profile (self->document);
  if (profile != self->painter_profile)
    {
      g_clear_pointer (&self->painter, pyro_squaremap_painter_free);
      g_clear_pointer (&self->painter_profile, pyro_profile_unref);
      if (profile != NULL)
        self->painter_profile = pyro_profile_ref (profile);
    }
  if (profile != NULL && self->painter == NULL)
    {
      self->painter = pyro_squaremap_painter_new (profile);
      PangoFontDescription *font = pango_font_description_copy (
        pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self))));
      pango_font_description_set_size (font, 9 * PANGO_SCALE);
      pyro_squaremap_painter_set_font (self->painter, font);
      pango_font_description_free (font);
      pyro_squaremap_painter_set_palette_style (self->painter, self->palette_style);
      apply_search (self);
    }
  self->root = pyro_frame_path_find (current_tree (self), self->root_funcs);
  self->hover = PYRO_NONE;
  if (self->painter != NULL)
    pyro_squaremap_painter_set_hover (self->painter, PYRO_NONE);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOT]);
}

void
pyro_squaremap_view_set_document (PyroSquaremapView *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_SQUAREMAP_VIEW (self));
  if (self->document == document)
    return;
  if (self->document != NULL)
    g_clear_signal_handler (&self->trees_handler, self->document);
  g_set_object (&self->document, document);
  g_clear_pointer (&self->painter, pyro_squaremap_painter_free);
  g_clear_pointer (&self->painter_profile, pyro_profile_unref);
  g_clear_pointer (&self->root_funcs, g_array_unref);
  self->root = 0;
  if (document != NULL)
    {
      self->trees_handler = g_signal_connect_swapped (document, "trees-changed",
                                                      G_CALLBACK (trees_changed), self);
      if (pyro_document_get_tree (document) != NULL)
        trees_changed (self);
    }
  invalidate (self);
}

guint32
pyro_squaremap_view_get_root (PyroSquaremapView *self)
{
  g_return_val_if_fail (PYRO_IS_SQUAREMAP_VIEW (self), 0);
  return self->root;
}

void
pyro_squaremap_view_set_root (PyroSquaremapView *self, guint32 node)
{
  g_return_if_fail (PYRO_IS_SQUAREMAP_VIEW (self));
  set_root_internal (self, node);
}

gboolean
pyro_squaremap_view_zoom_out (PyroSquaremapView *self)
{
  const PyroCallTree *tree = current_tree (self);
  g_return_val_if_fail (PYRO_IS_SQUAREMAP_VIEW (self), FALSE);
  if (tree == NULL || self->root == 0)
    return FALSE;
  set_root_internal (self, tree->parent[self->root]);
  return TRUE;
}

void
pyro_squaremap_view_set_search (PyroSquaremapView *self, const char *text)
{
  g_return_if_fail (PYRO_IS_SQUAREMAP_VIEW (self));
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (text, self->search_text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_strdup (text);
  apply_search (self);
}

const PyroSquaremapLayout *
pyro_squaremap_view_get_layout (PyroSquaremapView *self)
{
  g_return_val_if_fail (PYRO_IS_SQUAREMAP_VIEW (self), NULL);
  ensure_layout (self);
  return self->layout;
}

static guint32
hit (PyroSquaremapView *self, double x, double y)
{
  ensure_layout (self);
  return self->layout != NULL ? pyro_squaremap_layout_hit (self->layout, x, y) : PYRO_NONE;
}

static void
set_hover (PyroSquaremapView *self, guint32 node)
{
  if (self->hover == node)
    return;
  self->hover = node;
  if (self->painter != NULL)
    pyro_squaremap_painter_set_hover (self->painter, node);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion (GtkEventControllerMotion *controller, double x, double y, PyroSquaremapView *self)
{
  set_hover (self, hit (self, x, y));
}

static void
leave (GtkEventControllerMotion *controller, PyroSquaremapView *self)
{
  set_hover (self, PYRO_NONE);
}

static void
primary_released (GtkGestureClick *gesture, int n_press, double x, double y,
                  PyroSquaremapView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  guint32 node = hit (self, x, y);
  const PyroCallTree *tree = current_tree (self);
  if (node == PYRO_NONE || tree == NULL)
    return;
  pyro_document_set_selected_func (self->document, tree->func[node]);
  set_root_internal (self, node);
}

static void
secondary_pressed (GtkGestureClick *gesture, int n_press, double x, double y,
                   PyroSquaremapView *self)
{
  guint32 node = hit (self, x, y);
  const PyroCallTree *tree = current_tree (self);
  if (node == PYRO_NONE || tree == NULL)
    return;
  gboolean is_func = tree->func[node] != PYRO_NONE;
  self->menu_node = node;
  pyro_document_set_selected_func (self->document, tree->func[node]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "squaremap.focus", is_func);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "squaremap.merge", is_func);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "squaremap.drop", is_func);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "squaremap.collapse", is_func);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static gboolean
query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (widget);
  guint32 node = hit (self, x, y);
  if (node == PYRO_NONE || keyboard)
    return FALSE;
  g_autofree char *markup = pyro_frame_tooltip_markup (self->document, current_tree (self), node);
  gtk_tooltip_set_markup (tooltip, markup);
  const PyroSquareRect *r = pyro_squaremap_layout_find (self->layout, node);
  if (r != NULL)
    gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { r->x, r->y, MAX (1, r->w), MAX (1, r->h) });
  return TRUE;
}

static void
frame_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (widget);
  if (self->document != NULL)
    pyro_frame_activate (self->document, current_tree (self), self->menu_node, action_name);
}

static void
zoom_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  pyro_squaremap_view_zoom_out (PYRO_SQUAREMAP_VIEW (widget));
}

static void
pyro_squaremap_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                             int *minimum, int *natural, int *minimum_baseline,
                             int *natural_baseline)
{
  *minimum = 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
pyro_squaremap_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (widget);
  gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
pyro_squaremap_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (widget);
  ensure_layout (self);
  if (self->layout == NULL || self->painter == NULL)
    return;
  cairo_t *cr = gtk_snapshot_append_cairo (
    snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget)));
  pyro_squaremap_painter_paint (self->painter, cr, self->layout);
  cairo_destroy (cr);
}

static void
pyro_squaremap_view_get_property (GObject *object, guint prop_id, GValue *value,
                                  GParamSpec *pspec)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (object);
  switch (prop_id)
    {
    case PROP_ROOT:
      g_value_set_uint (value, self->root);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_squaremap_view_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (object);
  switch (prop_id)
    {
    case PROP_ROOT:
      set_root_internal (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_squaremap_view_dispose (GObject *object)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (object);
  pyro_squaremap_view_set_document (self, NULL);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_squaremap_view_parent_class)->dispose (object);
}

static void
pyro_squaremap_view_finalize (GObject *object)
{
  PyroSquaremapView *self = PYRO_SQUAREMAP_VIEW (object);
  g_clear_pointer (&self->layout, pyro_squaremap_layout_free);
  g_clear_pointer (&self->painter, pyro_squaremap_painter_free);
  g_clear_pointer (&self->root_funcs, g_array_unref);
  g_free (self->search_text);
  G_OBJECT_CLASS (pyro_squaremap_view_parent_class)->finalize (object);
}

static void
pyro_squaremap_view_class_init (PyroSquaremapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pyro_squaremap_view_get_property;
  object_class->set_property = pyro_squaremap_view_set_property;
  object_class->dispose = pyro_squaremap_view_dispose;
  object_class->finalize = pyro_squaremap_view_finalize;
  widget_class->measure = pyro_squaremap_view_measure;
  widget_class->size_allocate = pyro_squaremap_view_size_allocate;
  widget_class->snapshot = pyro_squaremap_view_snapshot;
  widget_class->query_tooltip = query_tooltip;

  properties[PROP_ROOT] =
    g_param_spec_uint ("root", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "squaremap.focus", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "squaremap.merge", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "squaremap.drop", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "squaremap.collapse", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "squaremap.invert", NULL, frame_action);
  gtk_widget_class_install_action (widget_class, "squaremap.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "squaremap.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "squaremap.zoom-out", NULL);

  gtk_widget_class_set_css_name (widget_class, "squaremapview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pyro_squaremap_view_init (PyroSquaremapView *self)
{
  self->hover = PYRO_NONE;
  self->menu_node = PYRO_NONE;
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

  g_autoptr (GMenuModel) model = pyro_frame_menu_new ("squaremap");
  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

GtkWidget *
pyro_squaremap_view_new (void)
{
  return g_object_new (PYRO_TYPE_SQUAREMAP_VIEW, NULL);
}
