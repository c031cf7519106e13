#include <glib/gi18n.h>

#include "presentation.h"
#include "application.h"

#define DATA_KEY "pyro-presentation"
#define DEFAULT_SCALE 1.5
#define SCALE_STEP 0.25

typedef struct {
  PyroWindow *window;        /* owns this */
  GtkWidget *header_bar;
  PyroTourBar *tour_bar;
  GSimpleActionGroup *actions;
  GSettings *settings;       /* NULL without the key */
  gboolean active;
  double scale;
} Presentation;

/* One provider for every window of the display: the scale is the teacher's,
 * not the window's, and only windows with the "presenting" class use it. */
static GtkCssProvider *scale_provider;

static void
presentation_free (Presentation *p)
{
  g_clear_object (&p->actions);
  g_clear_object (&p->settings);
  g_free (p);
}

static Presentation *
lookup (PyroWindow *window)
{
  return g_object_get_data (G_OBJECT (window), DATA_KEY);
}

static int
base_font_size (GtkWidget *widget)
{
  g_autofree char *name = NULL;
  g_object_get (gtk_widget_get_settings (widget), "gtk-font-name", &name, NULL);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (name != NULL ? name : "Sans 11");
  int size = pango_font_description_get_size (desc) / PANGO_SCALE;
  return size > 0 ? size : 11;
}

static void
update_css (Presentation *p)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (p->window));
  if (scale_provider == NULL)
    {
      scale_provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (scale_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  g_autofree char *css = g_strdup_printf ("window.presenting { font-size: %.1fpt; }",
                                          base_font_size (GTK_WIDGET (p->window)) * p->scale);
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_css_provider_load_from_string (scale_provider, css);
#else
  gtk_css_provider_load_from_data (scale_provider, css, -1);
#endif
}

static void
apply (Presentation *p)
{
  PyroFlameView *views[] = { pyro_window_get_flame_view (p->window),
                             pyro_window_get_icicle_view (p->window) };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      pyro_flame_view_set_text_scale (views[i], p->active ? p->scale : 1);
      pyro_flame_view_set_palette_style (views[i], p->active ? PYRO_PALETTE_HIGH_CONTRAST
                                                             : PYRO_PALETTE_DEFAULT);
      pyro_flame_view_set_laser (views[i], p->active);
    }
  pyro_squaremap_view_set_palette_style (pyro_window_get_squaremap_view (p->window),
                                         p->active ? PYRO_PALETTE_HIGH_CONTRAST
                                                   : PYRO_PALETTE_DEFAULT);
  if (p->active)
    {
      update_css (p);
      gtk_widget_add_css_class (GTK_WIDGET (p->window), "presenting");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (p->window), "presenting");
  gtk_widget_set_visible (p->header_bar, !p->active);
  pyro_tour_bar_set_presenting (p->tour_bar, p->active);

  GAction *larger = g_action_map_lookup_action (G_ACTION_MAP (p->actions), "text-larger");
  GAction *smaller = g_action_map_lookup_action (G_ACTION_MAP (p->actions), "text-smaller");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (larger), p->scale < PYRO_PRESENTATION_MAX_SCALE);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (smaller), p->scale > PYRO_PRESENTATION_MIN_SCALE);
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
ensure_settings (Presentation *p)
{
  if (p->settings != NULL)
    return;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (p->window));
  GSettings *settings = app != NULL ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
  if (settings == NULL || !settings_have_key (settings, "presentation-text-scale"))
    return;
  p->settings = g_object_ref (settings);
  p->scale = CLAMP (g_settings_get_double (settings, "presentation-text-scale"),
                    PYRO_PRESENTATION_MIN_SCALE, PYRO_PRESENTATION_MAX_SCALE);
}

static void
set_active (Presentation *p, gboolean active)
{
  if (p->active == active)
    return;
  ensure_settings (p);
  p->active = active;
  GAction *toggle = g_action_map_lookup_action (G_ACTION_MAP (p->actions), "toggle");
  g_simple_action_set_state (G_SIMPLE_ACTION (toggle), g_variant_new_boolean (active));
  if (active)
    gtk_window_fullscreen (GTK_WINDOW (p->window));
  else
    gtk_window_unfullscreen (GTK_WINDOW (p->window));
  apply (p);
}

static void
toggle_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Presentation *p = user_data;
  set_active (p, !p->active);
}

static void
change_scale (Presentation *p, double scale)
{
  ensure_settings (p);
  scale = CLAMP (scale, PYRO_PRESENTATION_MIN_SCALE, PYRO_PRESENTATION_MAX_SCALE);
  p->scale = scale;
  if (p->settings != NULL && g_settings_get_double (p->settings, "presentation-text-scale") != scale)
    g_settings_set_double (p->settings, "presentation-text-scale", scale);
  apply (p);
}

static void
larger_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Presentation *p = user_data;
  change_scale (p, p->scale + SCALE_STEP);
}

static void
smaller_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Presentation *p = user_data;
  change_scale (p, p->scale - SCALE_STEP);
}

static const GActionEntry presentation_actions[] = {
  { .name = "toggle", .activate = toggle_action, .state = "false" },
  { .name = "text-larger", .activate = larger_action },
  { .name = "text-smaller", .activate = smaller_action },
};

/* The window manager (or the user's key) may end full screen on its own. */
static void
fullscreened_changed (PyroWindow *window)
{
  Presentation *p = lookup (window);
  static const char *was_key = "pyro-presentation-was-fullscreen";
  gboolean now = gtk_window_is_fullscreen (GTK_WINDOW (window));
  gboolean was = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), was_key));
  g_object_set_data (G_OBJECT (window), was_key, GINT_TO_POINTER (now));
  if (p != NULL && p->active && was && !now)
    set_active (p, FALSE);
}

static void
add_key (GtkShortcutController *keys, guint keyval, GdkModifierType mods, const char *action)
{
  gtk_shortcut_controller_add_shortcut (keys, gtk_shortcut_new (gtk_keyval_trigger_new (keyval, mods),
                                                                gtk_named_action_new (action)));
}

void
pyro_presentation_attach (PyroWindow *window, GtkWidget *header_bar, PyroTourBar *tour_bar)
{
  g_return_if_fail (PYRO_IS_WINDOW (window));
  g_return_if_fail (lookup (window) == NULL);

  Presentation *p = g_new0 (Presentation, 1);
  p->window = window;
  p->header_bar = header_bar;
  p->tour_bar = tour_bar;
  p->scale = DEFAULT_SCALE;
  g_object_set_data_full (G_OBJECT (window), DATA_KEY, p, (GDestroyNotify) presentation_free);

  p->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (p->actions), presentation_actions,
                                   G_N_ELEMENTS (presentation_actions), p);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "presentation", G_ACTION_GROUP (p->actions));
  g_signal_connect (window, "notify::fullscreened", G_CALLBACK (fullscreened_changed), NULL);

  GtkEventController *keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_F11, 0, "presentation.toggle");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_plus, GDK_CONTROL_MASK, "presentation.text-larger");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_equal, GDK_CONTROL_MASK, "presentation.text-larger");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_KP_Add, GDK_CONTROL_MASK, "presentation.text-larger");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_minus, GDK_CONTROL_MASK, "presentation.text-smaller");
  add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "presentation.text-smaller");
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
  apply (p);
}

gboolean
pyro_presentation_get_active (PyroWindow *window)
{
  Presentation *p = lookup (window);
  return p != NULL && p->active;
}

double
pyro_presentation_get_text_scale (PyroWindow *window)
{
  Presentation *p = lookup (window);
  if (p == NULL)
    return 1;
  ensure_settings (p);
  return p->scale;
}

void
pyro_presentation_set_text_scale (PyroWindow *window, double scale)
{
  Presentation *p = lookup (window);
  g_return_if_fail (p != NULL);
  change_scale (p, scale);
}
