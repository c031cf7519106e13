/* test-ui-class.c — the classroom features in the real window (under Xvfb):
 * the hotspot tour on a cProfile dump of the Fibonacci lesson, comparing two
 * dumps, exporting the view shown and presentation mode. */
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "app/application.h"
#include "app/compare-bar.h"
#include "app/export-dialog.h"
#include "app/presentation.h"
#include "app/source-view.h"
#include "app/tour-bar.h"
#include "app/window.h"
#include "core/hotspot-tour.h"
#include "core/profile-diff.h"
#include "core/tree-diff.h"
#include "formats/reader.h"
#include "render/diff-palette.h"
#include "fixtures.h"
#include "ui-fixtures.h"

static PyroApplication *app;

static PyroWindow *
open_path (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  g_assert_nonnull (window);
  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpint (pyro_document_get_state (pyro_window_get_document (window)), ==,
                   PYRO_DOCUMENT_READY);
  return window;
}

static gboolean
activate (PyroWindow *window, const char *action)
{
  return gtk_widget_activate_action (GTK_WIDGET (window), action, NULL);
}

/* A cProfile dump of examples/NAME.py, made once per run; NULL (and the
 * test skipped) without python3. */
static char *
lesson_dump (const char *name)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_skip ("no python3 to make a cProfile dump with");
      return NULL;
    }
  g_autofree char *base = g_strconcat (name, ".prof", NULL);
  char *out = fixture_temp_path (base);
  if (g_file_test (out, G_FILE_TEST_IS_REGULAR))
    return out;
  g_autofree char *script_name = g_strconcat (name, ".py", NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "examples", script_name, NULL);
  const char *argv[] = { python, "-m", "cProfile", "-o", out, script, NULL };
  int status;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static const PyroFuncStats *
func_stats (PyroProfile *profile, guint32 func)
{
  for (guint i = 0; i < profile->func_stats->len; i++)
    if (g_array_index (profile->func_stats, PyroFuncStats, i).func == func)
      return &g_array_index (profile->func_stats, PyroFuncStats, i);
  return NULL;
}

static gboolean
source_ready (gpointer data)
{
  return !pyro_source_view_get_loading (data) && pyro_source_view_get_hot_line (data) != 0;
}

static void
test_tour (void)
{
  g_autofree char *dump = lesson_dump ("fib_slow");
  if (dump == NULL)
    return;
  PyroWindow *window = open_path (dump);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (doc);
  PyroTourBar *bar = pyro_window_get_tour_bar (window);
  PyroFlameView *flame = pyro_window_get_flame_view (window);
  pyro_window_set_view (window, "functions");

  g_assert_false (pyro_tour_bar_get_active (bar));
  g_assert_cmpuint (pyro_tour_bar_get_max_steps (bar), ==, 5);
  g_assert_true (activate (window, "tour.start"));
  g_assert_true (pyro_tour_bar_get_active (bar));
  /* The tour shows the flame graph when the view shown has no frames. */
  g_assert_cmpstr (pyro_window_get_view (window), ==, "flame");

  /* Step 1 is fib, with the numbers of the model: cProfile's own time and
   * exact call count (fib(32) naive: 2 * fib(33) - 1 calls). */
  const PyroTourStep *step = pyro_tour_bar_get_current (bar);
  g_assert_nonnull (step);
  g_assert_cmpuint (pyro_tour_bar_get_step (bar), ==, 0);
  g_assert_cmpstr (pyro_profile_func_name (profile, step->func), ==, "fib");
  const PyroFuncStats *stats = func_stats (profile, step->func);
  g_assert_nonnull (stats);
  g_assert_cmpfloat (step->calls, ==, stats->total_calls);
  g_assert_cmpfloat (stats->total_calls, ==, 7049155);
  g_assert_cmpfloat (step->self, ==, stats->self_time);
  const PyroCallTree *top_down = pyro_document_get_top_down (doc);
  double self_pct = 100 * stats->self_time / pyro_call_tree_total (top_down);
  g_assert_cmpfloat_with_epsilon (step->self_pct, self_pct, 1e-9);

  g_autoptr (GArray) model = pyro_hotspot_tour_new (top_down, 5);
  g_assert_cmpstr (pyro_tour_bar_get_caption (bar), ==, g_array_index (model, PyroTourStep, 0).caption);
  g_autofree char *pct = g_strdup_printf ("fib — %.0f%% of the time", self_pct);
  g_assert_true (g_str_has_prefix (pyro_tour_bar_get_caption (bar), pct));
  g_assert_nonnull (strstr (pyro_tour_bar_get_caption (bar), "7,049,155 calls"));
  g_assert_nonnull (strstr (pyro_tour_bar_get_caption (bar), "called from main"));
  g_autofree char *position = g_strdup_printf ("Step 1 of %u", pyro_tour_bar_get_n_steps (bar));
  g_assert_cmpstr (pyro_tour_bar_get_position_text (bar), ==, position);

  /* Every view follows: the flame graph zooms to fib's heaviest call, fib
   * is the selected function, the source view shows its hottest line. */
  g_assert_cmpuint (pyro_flame_view_get_zoom (flame), ==, step->node);
  g_assert_cmpuint (pyro_flame_view_get_zoom (pyro_window_get_icicle_view (window)), ==, step->node);
  g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, step->func);
  PyroSourceView *source = pyro_window_get_source_view (window);
  if (step->hottest_line > 0)
    {
      g_assert_true (ui_wait_until (source_ready, source));
      g_assert_cmpuint (pyro_source_view_get_hot_line (source), ==, step->hottest_line);
    }

  /* Next and previous walk the steps; the bar cannot go before step 1. */
  guint n = pyro_tour_bar_get_n_steps (bar);
  if (n > 1)
    {
      g_assert_true (activate (window, "tour.next"));
      g_assert_cmpuint (pyro_tour_bar_get_step (bar), ==, 1);
      const PyroTourStep *second = pyro_tour_bar_get_current (bar);
      g_assert_cmpuint (second->func, ==, g_array_index (model, PyroTourStep, 1).func);
      g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, second->func);
      g_assert_true (activate (window, "tour.previous"));
      g_assert_cmpuint (pyro_tour_bar_get_step (bar), ==, 0);
    }
  activate (window, "tour.previous");
  g_assert_cmpuint (pyro_tour_bar_get_step (bar), ==, 0);

  /* Fewer steps: the running tour follows; there is no step after the last. */
  pyro_tour_bar_set_max_steps (bar, 1);
  g_assert_cmpuint (pyro_tour_bar_get_n_steps (bar), ==, 1);
  activate (window, "tour.next");
  g_assert_cmpuint (pyro_tour_bar_get_step (bar), ==, 0);
  g_assert_true (pyro_tour_bar_get_active (bar));
  /* The number of steps is kept for the next tours. */
  GSettings *settings = pyro_application_get_settings (app);
  if (settings != NULL)
    g_assert_cmpint (g_settings_get_int (settings, "tour-steps"), ==, 1);
  pyro_tour_bar_set_max_steps (bar, 5);

  g_assert_true (activate (window, "tour.stop"));
  g_assert_false (pyro_tour_bar_get_active (bar));
  g_assert_cmpuint (pyro_flame_view_get_zoom (flame), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tour steps follow the selection: a focus on one function gives the tour
 * of that function's calls. */
static void
test_tour_follows_selection (void)
{
  static const char text[] = "main;setup;parse 30\nmain;run;work 50\nmain;run;log 20\n";
  g_autofree char *path = fixture_write_temp ("class-tour.folded", text, -1);
  PyroWindow *window = open_path (path);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (doc);
  PyroTourBar *bar = pyro_window_get_tour_bar (window);

  g_assert_true (activate (window, "tour.start"));
  g_assert_cmpuint (pyro_tour_bar_get_current (bar)->func, ==, fixture_func (profile, "work"));
  g_assert_cmpuint (pyro_tour_bar_get_n_steps (bar), ==, 3);

  pyro_document_push_transform (doc, PYRO_TRANSFORM_DROP_FUNC, fixture_func (profile, "run"));
  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpuint (pyro_tour_bar_get_n_steps (bar), ==, 1);
  g_assert_cmpuint (pyro_tour_bar_get_current (bar)->func, ==, fixture_func (profile, "parse"));
  g_assert_cmpstr (pyro_tour_bar_get_caption (bar), ==, "parse — 100% of the time, called from setup");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_color (cairo_surface_t *s, PyroRgb want)
{
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *data = cairo_image_surface_get_data (s);
  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        guint32 v;
        memcpy (&v, data + (gsize) y * stride + (gsize) x * 4, 4);
        if (fabs (((v >> 16) & 0xff) - want.r * 255) < 2.5 && fabs (((v >> 8) & 0xff) - want.g * 255) < 2.5
            && fabs ((v & 0xff) - want.b * 255) < 2.5)
          return TRUE;
      }
  return FALSE;
}

static gboolean
headline_ready (gpointer data)
{
  return pyro_compare_bar_get_headline (data) != NULL;
}

/* The window's comparison says what `pyrometer diff` says, and paints each
 * frame by the change of its share. */
static void
check_comparison (PyroWindow *window, const char *before_path)
{
  PyroCompareBar *bar = pyro_window_get_compare_bar (window);
  g_assert_true (ui_wait_until (headline_ready, bar));
  PyroDocument *doc = pyro_window_get_document (window);
  PyroProfile *after = pyro_document_get_profile (doc);

  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) before = pyro_format_load_file (before_path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (PyroProfileDiff) diff = pyro_profile_diff_new (before, after);
  g_autofree char *headline = pyro_profile_diff_headline (diff);
  g_assert_cmpstr (pyro_compare_bar_get_headline (bar), ==, headline);
  g_assert_cmpfloat (pyro_compare_bar_get_diff (bar)->a_total, ==, diff->a_total);
  g_assert_cmpfloat (pyro_compare_bar_get_diff (bar)->b_total, ==, diff->b_total);
  g_assert_cmpuint (g_list_model_get_n_items (pyro_compare_bar_get_rows (bar)), ==, diff->rows->len);

  /* The flame graph: sized by B, coloured by the change against A. */
  PyroFlameView *view = pyro_window_get_flame_view (window);
  pyro_window_set_view (window, "flame");
  g_assert_true (ui_wait_until (ui_view_allocated, view));
  const PyroCallTree *tree = pyro_document_get_tree (doc);
  g_autoptr (PyroCallTree) a_tree = pyro_call_tree_new (before, NULL, NULL, NULL);
  g_autofree double *matched = pyro_call_tree_match_totals (tree, a_tree);
  UiPixels px = ui_render_widget (GTK_WIDGET (view));
  const PyroFlameLayout *layout = pyro_flame_view_get_layout (view);
  guint checked = 0;
  for (guint i = 0; i < layout->rects->len && checked < 6; i++)
    {
      const PyroFlameRect *r = &g_array_index (layout->rects, PyroFlameRect, i);
      if (r->w < 40 || r->node == 0)
        continue;
      PyroRgb want = pyro_diff_color (matched[r->node] / pyro_call_tree_total (a_tree),
                                      tree->total[r->node] / pyro_call_tree_total (tree));
      ui_assert_color (ui_pixel_at (&px, r->x + r->w * 0.95, r->y + r->h / 2 - pyro_flame_view_get_scroll_offset (view)),
                    want);
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
  g_free (px.data);

  /* Exported as seen: coloured by the change, named in the title. */
  g_autofree char *title = pyro_export_dialog_title (window);
  g_autofree char *named = g_strdup_printf (" · compared with %s", pyro_compare_bar_get_before_name (bar));
  g_assert_nonnull (strstr (title, named));
  guint32 tinted = 0;
  for (guint32 n = 1; n < tree->n_nodes && tinted == 0; n++)
    if (fabs (pyro_diff_change (matched[n] / pyro_call_tree_total (a_tree),
                                tree->total[n] / pyro_call_tree_total (tree))) > 0.5
        && tree->total[n] / pyro_call_tree_total (tree) > 0.2)
      tinted = n;
  g_assert_cmpuint (tinted, >, 0);
  PyroRgb want = pyro_diff_color (matched[tinted] / pyro_call_tree_total (a_tree),
                                  tree->total[tinted] / pyro_call_tree_total (tree));
  g_autofree char *png = fixture_temp_path ("class-compare.png");
  g_assert_true (pyro_export_dialog_export (window, png, 1, &error));
  g_assert_no_error (error);
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  g_assert_true (has_color (image, want));
  cairo_surface_destroy (image);

  /* The "Changes" page lists the functions; stopping removes it. */
  pyro_window_set_view (window, "changes");
  g_assert_cmpstr (pyro_window_get_view (window), ==, "changes");
  g_assert_true (activate (window, "compare.stop"));
  g_assert_false (pyro_compare_bar_get_active (bar));
  g_assert_null (pyro_compare_bar_get_headline (bar));
  g_assert_cmpstr (pyro_window_get_view (window), !=, "changes");
}

static void
test_compare (void)
{
  g_autofree char *slow = lesson_dump ("fib_slow");
  g_autofree char *fast = slow != NULL ? lesson_dump ("fib_fast") : NULL;
  if (fast == NULL)
    return;

  /* pyrometer FAST --compare SLOW */
  PyroWindow *window = open_path (fast);
  g_autoptr (GFile) before = g_file_new_for_path (slow);
  pyro_compare_bar_compare_with_file (pyro_window_get_compare_bar (window), before);
  check_comparison (window, slow);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Ctrl+drop of B on a window showing A: B opens compared with A. */
  PyroWindow *a_window = open_path (slow);
  g_autoptr (GFile) after = g_file_new_for_path (fast);
  g_assert_true (pyro_compare_bar_handle_drop (pyro_window_get_compare_bar (a_window), after, TRUE));
  window = pyro_application_open_file (app, after, NULL);
  g_assert_true (window != a_window);
  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpstr (pyro_document_get_display_name (pyro_window_get_document (window)), ==, "fib_fast.prof");
  check_comparison (window, slow);
  g_assert_false (pyro_compare_bar_get_active (pyro_window_get_compare_bar (a_window)));
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (a_window));
}

static gboolean
compare_failed (gpointer data)
{
  return pyro_compare_bar_get_error (data) != NULL;
}

/* A profile that does not load says so in the bar instead of comparing. */
static void
test_compare_bad_file (void)
{
  g_autofree char *path = fixture_write_temp ("class-after.folded", "main;work 3\n", -1);
  g_autofree char *bad = fixture_write_temp ("class-before.folded", "main;work three\n", -1);
  PyroWindow *window = open_path (path);
  PyroCompareBar *bar = pyro_window_get_compare_bar (window);
  g_autoptr (GFile) before = g_file_new_for_path (bad);
  pyro_compare_bar_compare_with_file (bar, before);
  g_assert_true (pyro_compare_bar_get_active (bar));
  g_assert_true (ui_wait_until (compare_failed, bar));
  g_assert_nonnull (strstr (pyro_compare_bar_get_error (bar), "class-before.folded"));
  g_assert_false (pyro_compare_bar_get_active (bar));
  g_assert_null (pyro_compare_bar_get_headline (bar));
  g_assert_cmpint (pyro_document_get_state (pyro_window_get_document (window)), ==, PYRO_DOCUMENT_READY);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* strstr() over binary data with NUL bytes in it. */
static gboolean
contains_bytes (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_dark_pixels (cairo_surface_t *s, int y0, int y1)
{
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *data = cairo_image_surface_get_data (s);
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        guint32 v;
        memcpy (&v, data + (gsize) y * stride + (gsize) x * 4, 4);
        if (((v >> 16) & 0xff) < 90 && ((v >> 8) & 0xff) < 90 && (v & 0xff) < 90)
          return TRUE;
      }
  return FALSE;
}

static void
test_export (void)
{
  g_autofree char *dump = lesson_dump ("fib_slow");
  if (dump == NULL)
    return;
  PyroWindow *window = open_path (dump);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (doc);
  PyroFlameView *view = pyro_window_get_flame_view (window);
  pyro_window_set_view (window, "flame");
  g_assert_true (ui_wait_until (ui_view_allocated, view));

  /* Zoomed on fib, as a teacher would be when exporting a slide. */
  const PyroCallTree *tree = pyro_document_get_tree (doc);
  guint32 fib = fixture_func (profile, "fib");
  guint32 node = 0;
  for (guint32 i = 1; i < tree->n_nodes && node == 0; i++)
    if (tree->func[i] == fib)
      node = i;
  g_assert_cmpuint (node, >, 0);
  pyro_flame_view_set_zoom (view, node);

  g_autofree char *title = pyro_export_dialog_title (window);
  g_assert_true (g_str_has_prefix (title, "fib_slow.prof · "));
  g_assert_nonnull (strstr (title, " · zoomed on fib"));
  g_assert_cmpstr (pyro_export_dialog_view (window), ==, "flame");

  g_autoptr (GError) error = NULL;
  g_autofree char *png1 = fixture_temp_path ("class-export.png");
  g_autofree char *png2 = fixture_temp_path ("class-export@2x.png");
  g_assert_true (pyro_export_dialog_export (window, png1, 1, &error));
  g_assert_no_error (error);
  g_assert_true (pyro_export_dialog_export (window, png2, 2, &error));
  g_assert_no_error (error);

  cairo_surface_t *one = cairo_image_surface_create_from_png (png1);
  cairo_surface_t *two = cairo_image_surface_create_from_png (png2);
  g_assert_cmpint (cairo_surface_status (one), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (two), ==, CAIRO_STATUS_SUCCESS);
  /* As seen: the view's width, twice as many pixels at 2×. */
  g_assert_cmpint (cairo_image_surface_get_width (one), ==, gtk_widget_get_width (GTK_WIDGET (view)));
  g_assert_cmpint (cairo_image_surface_get_width (two), ==, 2 * cairo_image_surface_get_width (one));
  g_assert_cmpint (cairo_image_surface_get_height (two), ==, 2 * cairo_image_surface_get_height (one));
  /* The title line is drawn above the graph. */
  g_assert_true (has_dark_pixels (one, 4, 30));
  cairo_surface_destroy (one);
  cairo_surface_destroy (two);

  g_autofree char *svg_path = fixture_temp_path ("class-export.svg");
  g_assert_true (pyro_export_dialog_export (window, svg_path, 1, &error));
  g_assert_no_error (error);
  g_autofree char *svg = NULL;
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, NULL));
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *element = g_strdup_printf ("<title>%s</title>", escaped);
  g_assert_nonnull (strstr (svg, element));

  g_autofree char *pdf_path = fixture_temp_path ("class-export.pdf");
  g_assert_true (pyro_export_dialog_export (window, pdf_path, 1, &error));
  g_assert_no_error (error);
  g_autofree char *pdf = NULL;
  gsize pdf_len;
  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_len, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_true (contains_bytes (pdf, pdf_len, "/Type /Page"));

  /* The function table has no picture: the flame graph stands in. */
  pyro_window_set_view (window, "functions");
  g_assert_cmpstr (pyro_export_dialog_view (window), ==, "flame");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_fullscreen (gpointer data)
{
  return gtk_window_is_fullscreen (data);
}

static void
test_presentation (void)
{
  static const char text[] = "main;compute;heavy 60\nmain;compute;light 30\nother 10\n";
  g_autofree char *path = fixture_write_temp ("class-present.folded", text, -1);
  PyroWindow *window = open_path (path);
  PyroFlameView *view = pyro_window_get_flame_view (window);
  pyro_window_set_view (window, "flame");
  g_assert_true (ui_wait_until (ui_view_allocated, view));
  GtkApplication *gapp = gtk_window_get_application (GTK_WINDOW (window));
  GSettings *settings = pyro_application_get_settings (PYRO_APPLICATION (gapp));

  double scale = pyro_presentation_get_text_scale (window);
  g_assert_cmpfloat (pyro_flame_view_get_text_scale (view), ==, 1);
  g_assert_cmpfloat (pyro_flame_view_get_layout (view)->row_height, ==, PYRO_FLAME_ROW_HEIGHT);

  g_assert_true (activate (window, "presentation.toggle"));
  g_assert_true (pyro_presentation_get_active (window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presenting"));
  g_assert_cmpfloat (pyro_flame_view_get_text_scale (view), ==, scale);
  g_assert_cmpfloat (pyro_flame_view_get_layout (view)->row_height, ==, round (PYRO_FLAME_ROW_HEIGHT * scale));
  /* The tour bar stands in for the header. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pyro_window_get_tour_bar (window))));
  GtkWidget *header = gtk_widget_get_first_child (gtk_widget_get_parent (GTK_WIDGET (pyro_window_get_compare_bar (window))));
  g_assert_true (ADW_IS_HEADER_BAR (header));
  g_assert_false (gtk_widget_get_visible (header));
  /* Xvfb has no window manager to honour full screen: then only the request is checked. */
  if (g_getenv ("PYRO_TEST_WM") != NULL)
    g_assert_true (ui_wait_until (is_fullscreen, window));

  g_assert_true (activate (window, "presentation.text-larger"));
  g_assert_cmpfloat (pyro_presentation_get_text_scale (window), ==, scale + 0.25);
  g_assert_cmpfloat (pyro_flame_view_get_text_scale (view), ==, scale + 0.25);
  if (settings != NULL)
    g_assert_cmpfloat (g_settings_get_double (settings, "presentation-text-scale"), ==, scale + 0.25);
  g_assert_true (activate (window, "presentation.text-smaller"));
  g_assert_cmpfloat (pyro_presentation_get_text_scale (window), ==, scale);

  g_assert_true (activate (window, "presentation.toggle"));
  g_assert_false (pyro_presentation_get_active (window));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presenting"));
  g_assert_true (gtk_widget_get_visible (header));
  g_assert_cmpfloat (pyro_flame_view_get_text_scale (view), ==, 1);
  g_assert_false (gtk_window_is_fullscreen (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-ui-class-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* The app's own schema from the build tree, kept in memory. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_autofree char *schemas = g_test_build_filename (G_TEST_BUILT, "..", "data", NULL);
  g_autofree char *compiled = g_build_filename (schemas, "gschemas.compiled", NULL);
  if (g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui-class/windows", ui_skip_without_display);
      return g_test_run ();
    }

  app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui-class/tour", test_tour);
  g_test_add_func ("/ui-class/tour-follows-selection", test_tour_follows_selection);
  g_test_add_func ("/ui-class/compare", test_compare);
  g_test_add_func ("/ui-class/compare-bad-file", test_compare_bad_file);
  g_test_add_func ("/ui-class/export", test_export);
  g_test_add_func ("/ui-class/presentation", test_presentation);
  int status = g_test_run ();
  g_object_unref (app);
  g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);
  return status;
}
