#include <glib/gi18n.h>

#include "tour-bar.h"
#include "application.h"

#define DEFAULT_STEPS 5
#define MAX_STEPS 20
#define MIN_SELF_PCT 0.5

struct _PyroTourBar
{
  GtkWidget parent_instance;

  GtkWidget *revealer;
  GtkWidget *position_label;
  GtkWidget *caption_label;
  GtkWidget *idle_label;
  GtkWidget *steps_button;
  GtkWidget *steps_spin;
  GtkWidget *start_button;
  GtkWidget *previous_button;
  GtkWidget *next_button;
  GtkWidget *stop_button;
  GtkWidget *presentation_box;

  PyroWindow *window;            /* weak */
  PyroDocument *document;
  GSimpleActionGroup *actions;
  GSettings *settings;

  GArray *steps;                 /* PyroTourStep, NULL when idle */
  guint step;
  guint max_steps;
  gboolean presenting;
  char *position_text;
};

G_DEFINE_FINAL_TYPE (PyroTourBar, pyro_tour_bar, GTK_TYPE_WIDGET)

static void ensure_settings (PyroTourBar *self);

static void
set_enabled (PyroTourBar *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static gboolean
document_ready (PyroTourBar *self)
{
  return self->document != NULL && pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY
         && pyro_document_get_top_down (self->document) != NULL;
}

static void
update (PyroTourBar *self)
{
  gboolean active = self->steps != NULL;
  gboolean ready = document_ready (self);

  set_enabled (self, "start", ready);
  set_enabled (self, "next", ready && (!active || self->step + 1 < self->steps->len));
  set_enabled (self, "previous", active && self->step > 0);
  set_enabled (self, "stop", active);

  g_clear_pointer (&self->position_text, g_free);
  if (active)
    {
      const PyroTourStep *s = &g_array_index (self->steps, PyroTourStep, self->step);
      self->position_text = g_strdup_printf (_("Step %u of %u"), self->step + 1, self->steps->len);
      gtk_label_set_text (GTK_LABEL (self->position_label), self->position_text);
      gtk_label_set_text (GTK_LABEL (self->caption_label), s->caption);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->position_label), "");
      gtk_label_set_text (GTK_LABEL (self->caption_label), "");
    }
  gtk_widget_set_visible (self->position_label, active);
  gtk_widget_set_visible (self->caption_label, active);
  gtk_widget_set_visible (self->idle_label, !active);
  gtk_widget_set_visible (self->start_button, !active);
  gtk_widget_set_visible (self->previous_button, active);
  gtk_widget_set_visible (self->next_button, active);
  gtk_widget_set_visible (self->stop_button, active);
  gtk_widget_set_visible (self->presentation_box, self->presenting);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), active || self->presenting);
}

/* Shows step @index in every view. */
static void
apply_step (PyroTourBar *self)
{
  const PyroTourStep *s = &g_array_index (self->steps, PyroTourStep, self->step);
  const PyroCallTree *shown = pyro_document_get_tree (self->document);

  /* The flame views show the bottom-up tree when inverted: there the
   * function's own node hangs off the root. */
  guint32 node = s->node;
  if (shown != NULL && shown->inverted)
    node = pyro_call_tree_find_child (shown, 0, s->func);
  if (shown != NULL && node != PYRO_NONE && node < shown->n_nodes)
    {
      pyro_flame_view_set_zoom (pyro_window_get_flame_view (self->window), node);
      pyro_flame_view_set_zoom (pyro_window_get_icicle_view (self->window), node);
      pyro_squaremap_view_set_root (pyro_window_get_squaremap_view (self->window), node);
    }
  pyro_document_set_selected_func (self->document, s->func);
  update (self);
}

static gboolean
build_steps (PyroTourBar *self)
{
  const PyroCallTree *tree = document_ready (self) ? pyro_document_get_top_down (self->document) : NULL;
  g_clear_pointer (&self->steps, g_array_unref);
  if (tree == NULL)
    return FALSE;
  self->steps = pyro_hotspot_tour_new (tree, self->max_steps);
  /* A function with almost no time of its own is no hotspot to show a class. */
  while (self->steps->len > 1
         && g_array_index (self->steps, PyroTourStep, self->steps->len - 1).self_pct < MIN_SELF_PCT)
    g_array_remove_index (self->steps, self->steps->len - 1);
  if (self->steps->len == 0)
    g_clear_pointer (&self->steps, g_array_unref);
  return self->steps != NULL;
}

static void
start (PyroTourBar *self, gboolean from_end)
{
  ensure_settings (self);
  if (!build_steps (self))
    {
      update (self);
      return;
    }
  self->step = from_end ? self->steps->len - 1 : 0;
  const char *view = pyro_window_get_view (self->window);
  if (g_strcmp0 (view, "flame") != 0 && g_strcmp0 (view, "icicle") != 0
      && g_strcmp0 (view, "squaremap") != 0)
    pyro_window_set_view (self->window, "flame");
  apply_step (self);
}

static void
stop (PyroTourBar *self)
{
  if (self->steps == NULL)
    return;
  g_clear_pointer (&self->steps, g_array_unref);
  if (document_ready (self))
    {
      pyro_flame_view_set_zoom (pyro_window_get_flame_view (self->window), 0);
      pyro_flame_view_set_zoom (pyro_window_get_icicle_view (self->window), 0);
      pyro_squaremap_view_set_root (pyro_window_get_squaremap_view (self->window), 0);
      pyro_document_set_selected_func (self->document, PYRO_NONE);
    }
  update (self);
}

/* Actions */

static void
start_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  start (user_data, FALSE);
}

static void
next_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PyroTourBar *self = user_data;
  if (self->steps == NULL)
    start (self, FALSE);
  else if (self->step + 1 < self->steps->len)
    {
      self->step++;
      apply_step (self);
    }
}

static void
previous_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PyroTourBar *self = user_data;
  if (self->steps != NULL && self->step > 0)
    {
      self->step--;
      apply_step (self);
    }
}

static void
stop_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  stop (user_data);
}

static const GActionEntry tour_actions[] = {
  { .name = "start", .activate = start_action },
  { .name = "next", .activate = next_action },
  { .name = "previous", .activate = previous_action },
  { .name = "stop", .activate = stop_action },
};

/* Document */

static void
state_changed (PyroTourBar *self)
{
  if (pyro_document_get_state (self->document) != PYRO_DOCUMENT_READY)
    g_clear_pointer (&self->steps, g_array_unref);
  update (self);
}

/* A new selection (a transform, a time range) gives new numbers: the tour
 * goes on over the new tree from the same step. */
static void
trees_changed (PyroTourBar *self)
{
  if (self->steps == NULL)
    {
      update (self);
      return;
    }
  guint step = self->step;
  if (!build_steps (self))
    {
      update (self);
      return;
    }
  self->step = MIN (step, self->steps->len - 1);
  apply_step (self);
}

static gboolean
settings_have_key (GSettings *settings, const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

/* The window gets its application after it is built: settings are looked
 * up on first use. */
static void
ensure_settings (PyroTourBar *self)
{
  if (self->settings != NULL || self->window == NULL)
    return;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self->window));
  GSettings *settings = app != NULL ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
  if (settings == NULL || !settings_have_key (settings, "tour-steps"))
    return;
  self->settings = g_object_ref (settings);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->steps_spin),
                             CLAMP (g_settings_get_int (settings, "tour-steps"), 1, MAX_STEPS));
}

static void
steps_changed (PyroTourBar *self)
{
  guint n = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->steps_spin));
  if (n == self->max_steps)
    return;
  self->max_steps = n;
  if (self->settings != NULL)
    g_settings_set_int (self->settings, "tour-steps", (int) n);
  if (self->steps != NULL)
    trees_changed (self);
}

void
pyro_tour_bar_attach (PyroTourBar *self, PyroWindow *window)
{
  g_return_if_fail (PYRO_IS_TOUR_BAR (self));
  g_return_if_fail (self->window == NULL);

  self->window = window;
  self->document = g_object_ref (pyro_window_get_document (window));
  g_signal_connect_object (self->document, "notify::state", G_CALLBACK (state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "trees-changed", G_CALLBACK (trees_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "tour", G_ACTION_GROUP (self->actions));

  GtkEventController *keys = gtk_shortcut_controller_new ();
  /* Capture: GtkPaned, around the lower half, binds F6 to its own focus cycling. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F6, 0), gtk_named_action_new ("tour.next")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F6, GDK_SHIFT_MASK),
                      gtk_named_action_new ("tour.previous")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
  update (self);
}

/* Public */

gboolean
pyro_tour_bar_get_active (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), FALSE);
  return self->steps != NULL;
}

guint
pyro_tour_bar_get_step (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), 0);
  return self->steps != NULL ? self->step : 0;
}

guint
pyro_tour_bar_get_n_steps (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), 0);
  return self->steps != NULL ? self->steps->len : 0;
}

const PyroTourStep *
pyro_tour_bar_get_current (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), NULL);
  return self->steps != NULL ? &g_array_index (self->steps, PyroTourStep, self->step) : NULL;
}

const char *
pyro_tour_bar_get_position_text (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->position_label));
}

const char *
pyro_tour_bar_get_caption (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->caption_label));
}

void
pyro_tour_bar_set_max_steps (PyroTourBar *self, guint n)
{
  g_return_if_fail (PYRO_IS_TOUR_BAR (self));
  ensure_settings (self);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->steps_spin), CLAMP (n, 1, MAX_STEPS));
}

guint
pyro_tour_bar_get_max_steps (PyroTourBar *self)
{
  g_return_val_if_fail (PYRO_IS_TOUR_BAR (self), DEFAULT_STEPS);
  ensure_settings (self);
  return self->max_steps;
}

void
pyro_tour_bar_set_presenting (PyroTourBar *self, gboolean presenting)
{
  g_return_if_fail (PYRO_IS_TOUR_BAR (self));
  self->presenting = presenting;
  if (presenting)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presenting");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presenting");
  update (self);
}

/* Widget */

static GtkWidget *
icon_button (const char *icon, const char *tooltip, const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static GtkWidget *
steps_popover (PyroTourBar *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Steps"));
  self->steps_spin = gtk_spin_button_new_with_range (1, MAX_STEPS, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->steps_spin), DEFAULT_STEPS);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->steps_spin);
  g_signal_connect_swapped (self->steps_spin, "value-changed", G_CALLBACK (steps_changed), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), self->steps_spin);
  GtkWidget *popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static void
pyro_tour_bar_dispose (GObject *object)
{
  PyroTourBar *self = PYRO_TOUR_BAR (object);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  g_clear_object (&self->document);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->steps, g_array_unref);
  self->window = NULL;
  G_OBJECT_CLASS (pyro_tour_bar_parent_class)->dispose (object);
}

static void
pyro_tour_bar_finalize (GObject *object)
{
  PyroTourBar *self = PYRO_TOUR_BAR (object);
  g_free (self->position_text);
  G_OBJECT_CLASS (pyro_tour_bar_parent_class)->finalize (object);
}

static void
pyro_tour_bar_class_init (PyroTourBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pyro_tour_bar_dispose;
  object_class->finalize = pyro_tour_bar_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tourbar");
}

static void
pyro_tour_bar_init (PyroTourBar *self)
{
  self->max_steps = DEFAULT_STEPS;
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), tour_actions,
                                   G_N_ELEMENTS (tour_actions), self);

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "tour-box");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);

  GtkWidget *icon = gtk_image_new_from_icon_name ("find-location-symbolic");
  gtk_box_append (GTK_BOX (box), icon);

  self->position_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->position_label, "tour-position");
  gtk_widget_add_css_class (self->position_label, "numeric");
  gtk_box_append (GTK_BOX (box), self->position_label);

  self->caption_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->caption_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->caption_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->caption_label), FALSE);
  gtk_widget_set_hexpand (self->caption_label, TRUE);
  gtk_widget_add_css_class (self->caption_label, "tour-caption");
  gtk_box_append (GTK_BOX (box), self->caption_label);

  self->idle_label = gtk_label_new (_("F6 walks through the hottest functions, Shift+F6 goes back"));
  gtk_label_set_xalign (GTK_LABEL (self->idle_label), 0);
  gtk_widget_set_hexpand (self->idle_label, TRUE);
  gtk_widget_add_css_class (self->idle_label, "dim-label");
  gtk_box_append (GTK_BOX (box), self->idle_label);

  self->steps_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->steps_button), "emblem-system-symbolic");
  gtk_widget_set_tooltip_text (self->steps_button, _("Number of Steps"));
  gtk_widget_set_valign (self->steps_button, GTK_ALIGN_CENTER);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->steps_button), steps_popover (self));
  gtk_box_append (GTK_BOX (box), self->steps_button);

  self->start_button = gtk_button_new_with_mnemonic (_("_Start Tour"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->start_button), "tour.start");
  gtk_widget_set_valign (self->start_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->start_button, "suggested-action");
  gtk_box_append (GTK_BOX (box), self->start_button);

  self->previous_button = icon_button ("go-previous-symbolic", _("Previous Hotspot (Shift+F6)"),
                                       "tour.previous");
  self->next_button = icon_button ("go-next-symbolic", _("Next Hotspot (F6)"), "tour.next");
  GtkWidget *nav = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (nav, "linked");
  gtk_box_append (GTK_BOX (nav), self->previous_button);
  gtk_box_append (GTK_BOX (nav), self->next_button);
  gtk_widget_set_valign (nav, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), nav);

  self->stop_button = icon_button ("window-close-symbolic", _("End the Tour"), "tour.stop");
  gtk_widget_add_css_class (self->stop_button, "flat");
  gtk_box_append (GTK_BOX (box), self->stop_button);

  /* Presentation hides the header: its controls live here then. */
  self->presentation_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (self->presentation_box, GTK_ALIGN_CENTER);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (text_box, "linked");
  gtk_box_append (GTK_BOX (text_box), icon_button ("zoom-out-symbolic", _("Smaller Text (Ctrl+−)"),
                                                   "presentation.text-smaller"));
  gtk_box_append (GTK_BOX (text_box), icon_button ("zoom-in-symbolic", _("Larger Text (Ctrl++)"),
                                                   "presentation.text-larger"));
  gtk_box_append (GTK_BOX (self->presentation_box), text_box);
  gtk_box_append (GTK_BOX (self->presentation_box),
                  icon_button ("view-restore-symbolic", _("Leave Presentation (F11)"),
                               "presentation.toggle"));
  gtk_box_append (GTK_BOX (box), self->presentation_box);

  update (self);
}

GtkWidget *
pyro_tour_bar_new (void)
{
  return g_object_new (PYRO_TYPE_TOUR_BAR, NULL);
}
