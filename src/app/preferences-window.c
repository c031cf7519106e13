#include <glib/gi18n.h>

#include "preferences-window.h"

#define PATH_MAPS_KEY "source-path-maps"

struct _PyroPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;
  GSimpleActionGroup *actions;
  AdwComboRow *palette_row;
  GtkAdjustment *scale_adjustment;
  GtkAdjustment *rate_adjustment;
  AdwPreferencesGroup *maps_group;
  GPtrArray *map_rows;   /* the rows this window added to maps_group */
  guint n_path_maps;
};

G_DEFINE_FINAL_TYPE (PyroPreferencesWindow, pyro_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* In the order of the palette row's model. */
static const char *const palette_nicks[] = { "default", "high-contrast", "colour-blind" };

static gboolean
palette_from_setting (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (palette_nicks); i++)
    if (g_str_equal (nick, palette_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
palette_to_setting (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint i = g_value_get_uint (value);
  return i < G_N_ELEMENTS (palette_nicks) ? g_variant_new_string (palette_nicks[i]) : NULL;
}

/* Source path mappings */

/* The mappings without pair @drop_index of trace @drop_trace (NULL: none at
 * all); traces left without pairs are dropped. */
static GVariant *
maps_without (GVariant *all, const char *drop_trace, guint drop_index)
{
  GVariantBuilder builder;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sa(ss)}"));
  if (drop_trace != NULL)
    {
      GVariantIter iter;
      const char *trace;
      GVariant *pairs;
      g_variant_iter_init (&iter, all);
      while (g_variant_iter_next (&iter, "{&s@a(ss)}", &trace, &pairs))
        {
          GVariantBuilder kept;
          g_variant_builder_init (&kept, G_VARIANT_TYPE ("a(ss)"));
          gsize n = g_variant_n_children (pairs), n_kept = 0;
          for (gsize i = 0; i < n; i++)
            if (!g_str_equal (trace, drop_trace) || i != drop_index)
              {
                g_autoptr (GVariant) pair = g_variant_get_child_value (pairs, i);
                g_variant_builder_add_value (&kept, pair);
                n_kept++;
              }
          if (n_kept > 0)
            g_variant_builder_add (&builder, "{sa(ss)}", trace, &kept);
          else
            g_variant_builder_clear (&kept);
          g_variant_unref (pairs);
        }
    }
  return g_variant_builder_end (&builder);
}

static void
remove_map_clicked (GtkButton *button, PyroPreferencesWindow *self)
{
  const char *trace = g_object_get_data (G_OBJECT (button), "pyro-trace");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "pyro-index"));
  g_autoptr (GVariant) all = g_settings_get_value (self->settings, PATH_MAPS_KEY);
  g_settings_set_value (self->settings, PATH_MAPS_KEY, maps_without (all, trace, index));
}

static void
forget_all_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PyroPreferencesWindow *self = user_data;
  g_settings_set_value (self->settings, PATH_MAPS_KEY, maps_without (NULL, NULL, 0));
}

/* A trace is named by its URI; people know it by its file name. */
static void
describe_trace (const char *uri, char **title, char **subtitle)
{
  g_autoptr (GFile) file = g_file_new_for_uri (uri);
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *where = g_file_get_parse_name (file);
  g_autofree char *name = base != NULL ? g_filename_display_name (base) : g_strdup (uri);
  *title = g_markup_escape_text (name, -1);
  *subtitle = g_markup_escape_text (where, -1);
}

static GtkWidget *
map_row (PyroPreferencesWindow *self, const char *trace, guint index, const char *from,
         const char *to)
{
  g_autofree char *from_text = g_markup_escape_text (from, -1);
  g_autofree char *to_text = g_markup_escape_text (to, -1);
  /* Translators: a source path mapping: the recorded path is shown above,
   * this line says where its files are found on this machine. */
  g_autofree char *subtitle = g_strdup_printf (_("found in %s"), to_text);
  GtkWidget *row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), from_text);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Forget This Mapping"));
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "pyro-trace", g_strdup (trace), g_free);
  g_object_set_data (G_OBJECT (remove), "pyro-index", GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_map_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
rebuild_maps (PyroPreferencesWindow *self)
{
  for (guint i = 0; i < self->map_rows->len; i++)
    adw_preferences_group_remove (self->maps_group, g_ptr_array_index (self->map_rows, i));
  g_ptr_array_set_size (self->map_rows, 0);
  self->n_path_maps = 0;

  g_autoptr (GVariant) all = g_settings_get_value (self->settings, PATH_MAPS_KEY);
  GVariantIter iter;
  const char *trace;
  GVariant *pairs;
  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "{&s@a(ss)}", &trace, &pairs))
    {
      gsize n = g_variant_n_children (pairs);
      if (n > 0)
        {
          g_autofree char *title = NULL, *subtitle = NULL;
          describe_trace (trace, &title, &subtitle);
          GtkWidget *expander = adw_expander_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
          for (gsize i = 0; i < n; i++)
            {
              const char *from, *to;
              g_variant_get_child (pairs, i, "(&s&s)", &from, &to);
              adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                        map_row (self, trace, (guint) i, from, to));
              self->n_path_maps++;
            }
          adw_preferences_group_add (self->maps_group, expander);
          g_ptr_array_add (self->map_rows, expander);
        }
      g_variant_unref (pairs);
    }

  if (self->n_path_maps == 0)
    {
      GtkWidget *empty = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("No mappings"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (empty),
                                   _("Every trace finds its source files where it recorded them"));
      gtk_widget_add_css_class (empty, "dim-label");
      adw_preferences_group_add (self->maps_group, empty);
      g_ptr_array_add (self->map_rows, empty);
    }
  GAction *forget = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "forget-all-maps");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (forget), self->n_path_maps > 0);
}

static const GActionEntry prefs_actions[] = {
  { .name = "forget-all-maps", .activate = forget_all_action },
};

/* GObject */

static void
pyro_preferences_window_dispose (GObject *object)
{
  PyroPreferencesWindow *self = PYRO_PREFERENCES_WINDOW (object);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), PYRO_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (pyro_preferences_window_parent_class)->dispose (object);
}

static void
pyro_preferences_window_finalize (GObject *object)
{
  PyroPreferencesWindow *self = PYRO_PREFERENCES_WINDOW (object);
  g_ptr_array_unref (self->map_rows);
  G_OBJECT_CLASS (pyro_preferences_window_parent_class)->finalize (object);
}

static void
pyro_preferences_window_class_init (PyroPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pyro_preferences_window_dispose;
  object_class->finalize = pyro_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pyrometer/Pyrometer/preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PyroPreferencesWindow, palette_row);
  gtk_widget_class_bind_template_child (widget_class, PyroPreferencesWindow, scale_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PyroPreferencesWindow, rate_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PyroPreferencesWindow, maps_group);
  gtk_widget_class_bind_template_child_full (widget_class, "clear_button", FALSE, 0);
}

static void
pyro_preferences_window_init (PyroPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->map_rows = g_ptr_array_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), prefs_actions,
                                   G_N_ELEMENTS (prefs_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (self->actions));
}

GtkWidget *
pyro_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  PyroPreferencesWindow *self = g_object_new (PYRO_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  g_settings_bind_with_mapping (settings, "palette", self->palette_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, palette_from_setting, palette_to_setting,
                                NULL, NULL);
  g_settings_bind (settings, "presentation-text-scale", self->scale_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-sample-rate", self->rate_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (settings, "changed::" PATH_MAPS_KEY, G_CALLBACK (rebuild_maps), self);
  rebuild_maps (self);
  return GTK_WIDGET (self);
}

guint
pyro_preferences_window_get_n_path_maps (PyroPreferencesWindow *self)
{
  g_return_val_if_fail (PYRO_IS_PREFERENCES_WINDOW (self), 0);
  return self->n_path_maps;
}
