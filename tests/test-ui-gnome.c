/* test-ui-gnome.c — the Preferences window changes the settings and every
 * open window follows them; the whole application runs in German from the
 * catalogue built into the build tree.  Opens real windows: run under Xvfb. */
#include <gtk/gtk.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "app/application.h"
#include "app/window.h"
#include "app/presentation.h"
#include "app/preferences-window.h"
#include "render/palette.h"
#include "fixtures.h"
#include "ui-fixtures.h"

static const char profile_text[] =
  "main;compute;heavy 60\n"
  "main;compute;light 20\n"
  "main;idle 10\n"
  "other 10\n";

static PyroApplication *app;

static gboolean
document_ready (gpointer data)
{
  PyroDocument *doc = pyro_window_get_document (data);
  return pyro_document_get_state (doc) == PYRO_DOCUMENT_READY && !pyro_document_get_busy (doc);
}

static PyroWindow *
open_profile (void)
{
  g_autofree char *path = fixture_write_temp ("gnome.folded", profile_text, -1);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  g_assert_true (ui_wait_until (document_ready, window));
  pyro_window_set_view (window, "flame");
  g_assert_true (ui_wait_until (ui_view_allocated, pyro_window_get_flame_view (window)));
  return window;
}

static GSettings *
settings (void)
{
  GSettings *s = pyro_application_get_settings (app);
  g_assert_nonnull (s);
  return s;
}

static PyroPreferencesWindow *
open_preferences (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (PYRO_IS_PREFERENCES_WINDOW (l->data))
      return l->data;
  g_error ("app.preferences opened no Preferences window");
}

static gpointer
template_child (gpointer widget, GType type, const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);
  g_assert_nonnull (child);
  return child;
}

static PyroRgb
painted_color (GtkWidget *widget, double x, double y)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  UiPixels px = ui_render_widget (widget);
  /* the texture may be at the display's scale */
  PyroRgb color = ui_pixel_at (&px, x * px.width / width, y * px.height / height);
  g_free (px.data);
  return color;
}

/* The fill of the frame of main, the widest child of the root. */
static PyroRgb
main_frame_color (PyroWindow *window)
{
  PyroFlameView *view = pyro_window_get_flame_view (window);
  const PyroCallTree *tree = pyro_document_get_tree (pyro_window_get_document (window));
  guint32 main_node = tree->children[tree->child_start[0]];
  const PyroFlameRect *r = pyro_flame_layout_find (pyro_flame_view_get_layout (view), main_node);
  g_assert_nonnull (r);
  return painted_color (GTK_WIDGET (view), r->x + r->w * 0.9,
                        r->y + r->h / 2 - pyro_flame_view_get_scroll_offset (view));
}

static void
assert_main_color (PyroWindow *window, PyroPaletteStyle style)
{
  PyroProfile *profile = pyro_document_get_profile (pyro_window_get_document (window));
  g_autoptr (PyroPalette) palette = pyro_palette_new (profile, style);
  PyroRgb want = pyro_palette_func_color (palette, fixture_func (profile, "main"));
  PyroRgb got = main_frame_color (window);
  double tolerance = 2.5 / 255;
  if (fabs (got.r - want.r) > tolerance || fabs (got.g - want.g) > tolerance
      || fabs (got.b - want.b) > tolerance)
    g_error ("main is painted rgb(%.0f, %.0f, %.0f), the palette says rgb(%.0f, %.0f, %.0f)",
             got.r * 255, got.g * 255, got.b * 255, want.r * 255, want.g * 255, want.b * 255);
}

static void
test_palette (void)
{
  PyroWindow *window = open_profile ();
  PyroPreferencesWindow *prefs = open_preferences ();
  AdwComboRow *row = template_child (prefs, PYRO_TYPE_PREFERENCES_WINDOW, "palette_row");

  g_settings_reset (settings (), "palette");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  assert_main_color (window, PYRO_PALETTE_DEFAULT);

  adw_combo_row_set_selected (row, 1);
  g_autofree char *high = g_settings_get_string (settings (), "palette");
  g_assert_cmpstr (high, ==, "high-contrast");
  assert_main_color (window, PYRO_PALETTE_HIGH_CONTRAST);

  /* Presentation mode has its own palette; leaving it brings the chosen one back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "presentation.toggle", NULL);
  g_assert_true (pyro_presentation_get_active (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "presentation.toggle", NULL);
  g_assert_false (pyro_presentation_get_active (window));
  assert_main_color (window, PYRO_PALETTE_HIGH_CONTRAST);

  adw_combo_row_set_selected (row, 2);
  g_autofree char *blind = g_settings_get_string (settings (), "palette");
  g_assert_cmpstr (blind, ==, "colour-blind");
  assert_main_color (window, PYRO_PALETTE_COLORBLIND);

  /* A change made elsewhere shows in the row. */
  g_settings_set_string (settings (), "palette", "high-contrast");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);

  g_settings_reset (settings (), "palette");
  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_scale_and_rate (void)
{
  PyroWindow *window = open_profile ();
  PyroPreferencesWindow *prefs = open_preferences ();
  GtkAdjustment *scale = template_child (prefs, PYRO_TYPE_PREFERENCES_WINDOW, "scale_adjustment");
  GtkAdjustment *rate = template_child (prefs, PYRO_TYPE_PREFERENCES_WINDOW, "rate_adjustment");

  gtk_adjustment_set_value (scale, 2.25);
  g_assert_cmpfloat (g_settings_get_double (settings (), "presentation-text-scale"), ==, 2.25);
  g_assert_cmpfloat (pyro_presentation_get_text_scale (window), ==, 2.25);
  /* Out of the schema's range: the spin button's bounds keep it in. */
  gtk_adjustment_set_value (scale, 7);
  g_assert_cmpfloat (g_settings_get_double (settings (), "presentation-text-scale"), ==, 3);

  gtk_adjustment_set_value (rate, 4000);
  g_assert_cmpuint (g_settings_get_uint (settings (), "default-sample-rate"), ==, 4000);
  g_settings_set_uint (settings (), "default-sample-rate", 250);
  g_assert_cmpfloat (gtk_adjustment_get_value (rate), ==, 250);

  g_settings_reset (settings (), "presentation-text-scale");
  g_settings_reset (settings (), "default-sample-rate");
  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_remove_button (GtkWidget *widget, const char *trace, guint index)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "pyro-trace"), trace) == 0
      && GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "pyro-index")) == index)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_remove_button (c, trace, index);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_path_maps (void)
{
  PyroPreferencesWindow *prefs = open_preferences ();
  /* A second Ctrl+, brings the same window forward. */
  g_assert_true (open_preferences () == prefs);
  guint n_prefs = 0;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    n_prefs += PYRO_IS_PREFERENCES_WINDOW (l->data);
  g_assert_cmpuint (n_prefs, ==, 1);
  g_settings_set_value (settings (), "source-path-maps",
                        g_variant_new_parsed ("{'file:///traces/a.prof': [('/build/src', '/home/me/src'), ('/opt/app', '/usr/lib/app')],"
                                              " 'file:///traces/b.data': [('/ci', '/here')]}"));
  g_assert_cmpuint (pyro_preferences_window_get_n_path_maps (prefs), ==, 3);

  GtkWidget *remove = find_remove_button (GTK_WIDGET (prefs), "file:///traces/a.prof", 0);
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  g_autoptr (GVariant) left = g_settings_get_value (settings (), "source-path-maps");
  g_autoptr (GVariant) a = g_variant_lookup_value (left, "file:///traces/a.prof", G_VARIANT_TYPE ("a(ss)"));
  g_assert_nonnull (a);
  g_assert_cmpuint (g_variant_n_children (a), ==, 1);
  const char *from, *to;
  g_variant_get_child (a, 0, "(&s&s)", &from, &to);
  g_assert_cmpstr (from, ==, "/opt/app");
  g_assert_cmpstr (to, ==, "/usr/lib/app");
  g_assert_cmpuint (pyro_preferences_window_get_n_path_maps (prefs), ==, 2);

  /* Removing the last pair of a trace drops the trace. */
  g_signal_emit_by_name (find_remove_button (GTK_WIDGET (prefs), "file:///traces/b.data", 0), "clicked");
  g_autoptr (GVariant) fewer = g_settings_get_value (settings (), "source-path-maps");
  g_assert_cmpuint (g_variant_n_children (fewer), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.forget-all-maps", NULL);
  g_autoptr (GVariant) none = g_settings_get_value (settings (), "source-path-maps");
  g_assert_cmpuint (g_variant_n_children (none), ==, 0);
  g_assert_cmpuint (pyro_preferences_window_get_n_path_maps (prefs), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (template_child (prefs, PYRO_TYPE_PREFERENCES_WINDOW,
                                                            "clear_button")));
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_german (void)
{
  PyroWindow *window = open_profile ();
  AdwViewStack *stack = template_child (window, PYRO_TYPE_WINDOW, "view_stack");
  g_autoptr (GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr (AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      g_ptr_array_add (titles, g_strdup (adw_view_stack_page_get_title (page)));
    }
  g_ptr_array_add (titles, NULL);
  if (!g_strv_contains ((const char *const *) titles->pdata, "Flammendiagramm")
      || !g_strv_contains ((const char *const *) titles->pdata, "Funktionen"))
    g_error ("the views are not titled in German: %s",
             g_strjoinv (", ", (char **) titles->pdata));

  PyroPreferencesWindow *prefs = open_preferences ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (prefs)), ==, "Einstellungen");
  AdwComboRow *row = template_child (prefs, PYRO_TYPE_PREFERENCES_WINDOW, "palette_row");
  GListModel *palettes = adw_combo_row_get_model (row);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (palettes), 1), ==, "Hoher Kontrast");
  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
skip_without_schema (void)
{
  g_test_skip ("the compiled GSettings schema is not in the build tree");
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-ui-gnome-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* German from the catalogue the build compiled into its po/ directory,
   * as `pyrometer` finds it with PYRO_LOCALEDIR. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_autofree char *schemas = g_test_build_filename (G_TEST_BUILT, "..", "data", NULL);
  g_autofree char *compiled = g_build_filename (schemas, "gschemas.compiled", NULL);
  if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    {
      g_test_add_func ("/ui-gnome/settings", skip_without_schema);
      return g_test_run ();
    }
  g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui-gnome/windows", ui_skip_without_display);
      return g_test_run ();
    }

  app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui-gnome/german", test_german);
  g_test_add_func ("/ui-gnome/palette", test_palette);
  g_test_add_func ("/ui-gnome/scale-and-rate", test_scale_and_rate);
  g_test_add_func ("/ui-gnome/path-maps", test_path_maps);
  int status = g_test_run ();
  g_object_unref (app);
  g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);
  return status;
}
