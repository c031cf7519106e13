/* test-ui.c — opens profiles in the real application window (under Xvfb)
 * and checks that what is painted is what the model says. */
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "app/application.h"
#include "app/window.h"
#include "app/function-item.h"
#include "app/frame-actions.h"
#include "render/palette.h"
#include "fixtures.h"
#include "ui-fixtures.h"

/* Hand-computable: main is 90 % of the samples, heavy 60 %. */
static const char profile_text[] =
  "main;compute;heavy 60\n"
  "main;compute;light 20\n"
  "main;idle 10\n"
  "other 10\n";

static PyroApplication *app;

static gboolean
load_ended (gpointer data)
{
  return pyro_document_get_state (data) != PYRO_DOCUMENT_LOADING;
}

static gboolean
not_busy (gpointer data)
{
  return !pyro_document_get_busy (data);
}

static PyroWindow *
open_file (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  g_assert_nonnull (window);
  g_assert_true (ui_wait_until (ui_document_settled, window));
  return window;
}

/* A point inside @node's frame, right of its label. */
static void
frame_point (PyroFlameView *view, guint32 node, double *x, double *y)
{
  const PyroFlameLayout *layout = pyro_flame_view_get_layout (view);
  g_assert_nonnull (layout);
  const PyroFlameRect *r = pyro_flame_layout_find (layout, node);
  g_assert_nonnull (r);
  *x = r->x + r->w * 0.9;
  *y = r->y + r->h / 2 - pyro_flame_view_get_scroll_offset (view);
}

static char *
write_profile (void)
{
  return fixture_write_temp ("ui-profile.folded", profile_text, -1);
}

static void
test_flame_paints_model (void)
{
  g_autofree char *path = write_profile ();
  PyroWindow *window = open_file (path);
  PyroDocument *doc = pyro_window_get_document (window);

  g_assert_cmpint (pyro_document_get_state (doc), ==, PYRO_DOCUMENT_READY);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "ui-profile.folded");
  g_assert_cmpstr (pyro_window_get_page (window), ==, "profile");

  PyroFlameView *view = pyro_window_get_flame_view (window);
  pyro_window_set_view (window, "flame");
  g_assert_true (ui_wait_until (ui_view_allocated, view));

  const PyroCallTree *tree = pyro_document_get_tree (doc);
  PyroProfile *profile = pyro_document_get_profile (doc);
  g_assert_cmpfloat (pyro_call_tree_total (tree), ==, 100);
  /* Children are heaviest first: the widest frame above the root is main. */
  guint32 widest = tree->children[tree->child_start[0]];
  g_assert_cmpstr (pyro_profile_func_name (profile, tree->func[widest]), ==, "main");

  const PyroFlameLayout *layout = pyro_flame_view_get_layout (view);
  const PyroFlameRect *root_rect = pyro_flame_layout_find (layout, 0);
  const PyroFlameRect *main_rect = pyro_flame_layout_find (layout, widest);
  g_assert_nonnull (root_rect);
  g_assert_nonnull (main_rect);
  /* Flame graph: the root row is at the bottom, main right above it. */
  g_assert_cmpfloat (root_rect->y, >, main_rect->y);
  g_assert_cmpfloat_with_epsilon (main_rect->w / root_rect->w, 0.9, 0.01);

  g_autoptr (PyroPalette) palette = pyro_palette_new (profile, PYRO_PALETTE_DEFAULT);
  UiPixels px = ui_render_widget (GTK_WIDGET (view));
  double x, y;
  frame_point (view, widest, &x, &y);
  ui_assert_color (ui_pixel_at (&px, x, y), pyro_palette_func_color (palette, tree->func[widest]));

  guint32 other = pyro_call_tree_find_child (tree, 0, fixture_func (profile, "other"));
  frame_point (view, other, &x, &y);
  ui_assert_color (ui_pixel_at (&px, x, y), pyro_palette_func_color (palette, fixture_func (profile, "other")));
  g_free (px.data);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_search_highlights (void)
{
  g_autofree char *path = write_profile ();
  PyroWindow *window = open_file (path);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroFlameView *view = pyro_window_get_icicle_view (window);
  pyro_window_set_view (window, "icicle");
  g_assert_true (ui_wait_until (ui_view_allocated, view));

  pyro_flame_view_set_search (view, "heavy");
  g_assert_cmpfloat_with_epsilon (pyro_flame_view_get_matched_share (view), 0.6, 1e-9);

  const PyroCallTree *tree = pyro_document_get_tree (doc);
  PyroProfile *profile = pyro_document_get_profile (doc);
  guint32 main_node = pyro_call_tree_find_child (tree, 0, fixture_func (profile, "main"));
  guint32 compute = pyro_call_tree_find_child (tree, main_node, fixture_func (profile, "compute"));
  guint32 heavy = pyro_call_tree_find_child (tree, compute, fixture_func (profile, "heavy"));

  /* Icicle: the root row is at the top. */
  const PyroFlameLayout *layout = pyro_flame_view_get_layout (view);
  g_assert_cmpfloat (pyro_flame_layout_find (layout, 0)->y, <, pyro_flame_layout_find (layout, heavy)->y);

  UiPixels px = ui_render_widget (GTK_WIDGET (view));
  double x, y;
  frame_point (view, heavy, &x, &y);
  ui_assert_color (ui_pixel_at (&px, x, y), pyro_palette_search_color ());
  g_autoptr (PyroPalette) palette = pyro_palette_new (profile, PYRO_PALETTE_DEFAULT);
  frame_point (view, main_node, &x, &y);
  PyroRgb dimmed = ui_pixel_at (&px, x, y);
  PyroRgb normal = pyro_palette_func_color (palette, fixture_func (profile, "main"));
  g_assert_cmpfloat (fabs (dimmed.r - normal.r) + fabs (dimmed.g - normal.g) + fabs (dimmed.b - normal.b), >, 0.05);
  g_free (px.data);

  pyro_flame_view_set_search (view, "");
  g_assert_cmpfloat (pyro_flame_view_get_matched_share (view), <, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_zoom_and_transforms (void)
{
  g_autofree char *path = write_profile ();
  PyroWindow *window = open_file (path);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroFlameView *view = pyro_window_get_flame_view (window);
  pyro_window_set_view (window, "flame");
  g_assert_true (ui_wait_until (ui_view_allocated, view));

  PyroProfile *profile = pyro_document_get_profile (doc);
  const PyroCallTree *tree = pyro_document_get_tree (doc);
  guint32 main_node = pyro_call_tree_find_child (tree, 0, fixture_func (profile, "main"));
  guint32 compute = pyro_call_tree_find_child (tree, main_node, fixture_func (profile, "compute"));

  /* Zooming makes the frame fill the width; zooming out goes to its parent. */
  pyro_flame_view_set_zoom (view, compute);
  const PyroFlameLayout *layout = pyro_flame_view_get_layout (view);
  g_assert_cmpfloat_with_epsilon (pyro_flame_layout_find (layout, compute)->w, layout->width, 0.5);
  g_assert_true (pyro_flame_view_zoom_out (view));
  g_assert_cmpuint (pyro_flame_view_get_zoom (view), ==, main_node);

  /* Focus on compute: every root-level frame is compute, total 80. */
  pyro_frame_activate (doc, tree, compute, "flame.focus");
  g_assert_true (ui_wait_until (not_busy, doc));
  tree = pyro_document_get_tree (doc);
  g_assert_cmpfloat (pyro_call_tree_total (tree), ==, 80);
  g_assert_cmpuint (tree->child_count[0], ==, 1);
  g_assert_cmpuint (tree->func[tree->children[tree->child_start[0]]], ==, fixture_func (profile, "compute"));
  g_assert_true (pyro_document_get_can_undo (doc));

  /* Undo brings the whole profile back. */
  g_assert_true (pyro_document_undo (doc));
  g_assert_true (ui_wait_until (not_busy, doc));
  tree = pyro_document_get_tree (doc);
  g_assert_cmpfloat (pyro_call_tree_total (tree), ==, 100);
  g_assert_false (pyro_document_get_can_undo (doc));

  /* Invert: the roots are the functions that ran, heavy first. */
  pyro_document_set_inverted (doc, TRUE);
  g_assert_true (ui_wait_until (not_busy, doc));
  tree = pyro_document_get_tree (doc);
  g_assert_true (tree->inverted);
  g_assert_cmpuint (tree->func[tree->children[tree->child_start[0]]], ==, fixture_func (profile, "heavy"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_function_table (void)
{
  g_autofree char *path = write_profile ();
  PyroWindow *window = open_file (path);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (doc);
  PyroFunctionView *view = pyro_window_get_function_view (window);
  pyro_window_set_view (window, "functions");

  /* Six functions, sorted by self weight: heavy first. */
  GListModel *rows = pyro_function_view_get_rows (view);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 6);
  g_autoptr (PyroFunctionItem) first = g_list_model_get_item (rows, 0);
  g_assert_cmpstr (pyro_function_item_get_name (first), ==, "heavy");
  g_assert_cmpfloat (pyro_function_item_get_self (first), ==, 60);

  /* Selecting compute anywhere shows its callers and callees here. */
  pyro_document_set_selected_func (doc, fixture_func (profile, "compute"));
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (rows);
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  g_autoptr (PyroFunctionItem) row = g_list_model_get_item (rows, gtk_bitset_get_nth (selected, 0));
  g_assert_cmpstr (pyro_function_item_get_name (row), ==, "compute");

  GListModel *callers = pyro_function_view_get_callers (view);
  GListModel *callees = pyro_function_view_get_callees (view);
  g_assert_cmpuint (g_list_model_get_n_items (callers), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (callees), ==, 2);
  g_autoptr (PyroFunctionItem) caller = g_list_model_get_item (callers, 0);
  g_assert_cmpstr (pyro_function_item_get_name (caller), ==, "main");
  g_assert_cmpfloat (pyro_function_item_get_total (caller), ==, 80);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_error_page (void)
{
  static const guint8 garbage[] = { 0x00, 0xff, 0x13, 0x37, 'n', 'o', 't', ' ', 'a', 0x00, 0x01 };
  g_autofree char *path = fixture_write_temp ("broken.folded", garbage, sizeof garbage);
  PyroWindow *window = open_file (path);

  g_assert_cmpint (pyro_document_get_state (pyro_window_get_document (window)), ==, PYRO_DOCUMENT_FAILED);
  g_assert_cmpstr (pyro_window_get_page (window), ==, "error");
  const char *title = NULL, *description = NULL;
  pyro_window_get_error_text (window, &title, &description);
  g_assert_nonnull (strstr (title, "broken.folded"));
  /* The reader's message names the file. */
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, path));
  gtk_window_destroy (GTK_WINDOW (window));

  g_autofree char *missing = fixture_temp_path ("does-not-exist.folded");
  window = open_file (missing);
  g_assert_cmpstr (pyro_window_get_page (window), ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
recent_listed (gpointer data)
{
  return g_menu_model_get_n_items (pyro_application_get_recent_menu (app)) > 0;
}

static void
test_squaremap_and_recent (void)
{
  g_autofree char *path = write_profile ();
  PyroWindow *window = open_file (path);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroSquaremapView *view = pyro_window_get_squaremap_view (window);
  pyro_window_set_view (window, "squaremap");
  g_assert_true (ui_wait_until (ui_view_allocated, view));

  /* main's cell holds 90 % of the root cell's area. */
  const PyroCallTree *tree = pyro_document_get_tree (doc);
  PyroProfile *profile = pyro_document_get_profile (doc);
  guint32 main_node = pyro_call_tree_find_child (tree, 0, fixture_func (profile, "main"));
  const PyroSquaremapLayout *layout = pyro_squaremap_view_get_layout (view);
  const PyroSquareRect *main_rect = pyro_squaremap_layout_find (layout, main_node);
  g_assert_nonnull (main_rect);

  /* The right end of main's label strip, past its text, is main's colour. */
  g_autoptr (PyroPalette) palette = pyro_palette_new (profile, PYRO_PALETTE_DEFAULT);
  UiPixels px = ui_render_widget (GTK_WIDGET (view));
  PyroRgb label = ui_pixel_at (&px, main_rect->x + main_rect->w - 3, main_rect->y + main_rect->label_h / 2);
  ui_assert_color (label, pyro_palette_func_color (palette, fixture_func (profile, "main")));
  g_free (px.data);

  /* Clicking re-roots: here through the API the breadcrumb uses. */
  pyro_squaremap_view_set_root (view, main_node);
  g_assert_cmpuint (pyro_squaremap_view_get_root (view), ==, main_node);
  g_assert_true (pyro_squaremap_view_zoom_out (view));
  g_assert_cmpuint (pyro_squaremap_view_get_root (view), ==, 0);

  /* The opened file is in the Open Recent menu. */
  g_assert_true (ui_wait_until (recent_listed, NULL));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel_load (void)
{
  /* Big enough that loading takes many progress steps. */
  GString *big = g_string_new (NULL);
  for (guint i = 0; big->len < 24 * 1024 * 1024; i++)
    g_string_append_printf (big, "main;work_%u;leaf_%u %u\n", i % 5000, i % 37, 1 + i % 7);
  g_autofree char *path = fixture_write_temp ("big.folded", big->str, (gssize) big->len);
  g_string_free (big, TRUE);

  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  PyroDocument *doc = pyro_window_get_document (window);
  g_assert_cmpint (pyro_document_get_state (doc), ==, PYRO_DOCUMENT_LOADING);
  g_assert_cmpstr (pyro_window_get_page (window), ==, "loading");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_true (ui_wait_until (load_ended, doc));
  g_assert_cmpint (pyro_document_get_state (doc), ==, PYRO_DOCUMENT_EMPTY);
  g_assert_cmpstr (pyro_window_get_page (window), ==, "empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Dropping files on a window opens them: the first in that window when it is
 * empty, each further one in a window of its own. */
static void
test_drop_files (void)
{
  g_autofree char *path = write_profile ();
  g_autofree char *second = fixture_write_temp ("second.folded", "a;b 3\na 1\n", -1);
  PyroWindow *window = pyro_window_new (ADW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));

  GtkDropTarget *target = NULL;
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  guint windows_before = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
  GSList *files = g_slist_append (NULL, g_file_new_for_path (path));
  files = g_slist_append (files, g_file_new_for_path (second));
  GValue value = G_VALUE_INIT;
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, files);
  gboolean accepted = FALSE;
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);

  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "ui-profile.folded");
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, windows_before + 1);
  PyroWindow *other = NULL;
  for (GList *l = windows; l != NULL; l = l->next)
    {
      GFile *shown = pyro_document_get_file (pyro_window_get_document (l->data));
      g_autofree char *shown_path = shown != NULL ? g_file_get_path (shown) : NULL;
      if (g_strcmp0 (shown_path, second) == 0)
        other = l->data;
    }
  g_assert_nonnull (other);
  g_assert_true (other != window);
  g_assert_true (ui_wait_until (ui_document_settled, other));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (other)), ==, "second.folded");
  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  /* Keep the recent-files list of the person running the tests untouched.
   * (G_TEST_OPTION_ISOLATE_DIRS would also hide the system's GSettings
   * schemas, which GTK needs.) */
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui/windows", ui_skip_without_display);
      return g_test_run ();
    }

  app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/flame-paints-model", test_flame_paints_model);
  g_test_add_func ("/ui/search-highlights", test_search_highlights);
  g_test_add_func ("/ui/zoom-and-transforms", test_zoom_and_transforms);
  g_test_add_func ("/ui/function-table", test_function_table);
  g_test_add_func ("/ui/error-page", test_error_page);
  g_test_add_func ("/ui/squaremap-and-recent", test_squaremap_and_recent);
  g_test_add_func ("/ui/cancel-load", test_cancel_load);
  g_test_add_func ("/ui/drop-files", test_drop_files);
  int status = g_test_run ();
  g_object_unref (app);
  g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);
  return status;
}
