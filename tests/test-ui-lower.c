/* test-ui-lower.c — the window's lower half under Xvfb: selecting a function
 * shows its source with the hottest line marked, hot-line navigation, the
 * line list when the source is missing, a path mapping, and the timeline's
 * range selection recomputing the document's views. */
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "app/application.h"
#include "app/window.h"
#include "render/timeline-painter.h"
#include "fixtures.h"
#include "ui-fixtures.h"

static PyroApplication *app;

static gboolean
source_read (gpointer data)
{
  return !pyro_source_view_get_loading (data) && pyro_source_view_get_recorded_path (data) != NULL;
}

static gboolean
mapped_and_sized (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 100;
}

static PyroWindow *
open_file (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  g_assert_nonnull (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpint (pyro_document_get_state (pyro_window_get_document (window)), ==, PYRO_DOCUMENT_READY);
  return window;
}

static int
cursor_row (PyroSourceView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pyro_source_view_get_view (view)));
  GtkTextIter iter;
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  return gtk_text_iter_get_line (&iter);
}

static gboolean
hot_mark_at_row (PyroSourceView *view, int row)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (pyro_source_view_get_view (view))));
  GSList *marks = gtk_source_buffer_get_source_marks_at_line (buffer, row, "pyro-hot");
  gboolean found = marks != NULL;
  g_slist_free (marks);
  return found;
}

static char *
buffer_text (PyroSourceView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pyro_source_view_get_view (view)));
  GtkTextIter start, end;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* 40 lines; compute's loop (line 12) is the hottest line of the trace. */
static char *
write_module (const char *dir_name)
{
  g_autofree char *dir = fixture_temp_path (dir_name);
  g_mkdir_with_parents (dir, 0755);
  g_autoptr (GString) text = g_string_new (NULL);
  for (int i = 1; i <= 40; i++)
    {
      if (i == 10)
        g_string_append (text, "def compute(n):\n");
      else if (i == 12)
        g_string_append (text, "    return sum(i * i for i in range(n))  # hottest\n");
      else if (i == 14)
        g_string_append (text, "    pass  # warm\n");
      else
        g_string_append_printf (text, "# line %d\n", i);
    }
  char *path = g_build_filename (dir, "hot_module.py", NULL);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return path;
}

static char *
write_profile (const char *name, const char *module)
{
  g_autofree char *text = g_strdup_printf ("main (%1$s:30);compute (%1$s:12) 50\n"
                                           "main (%1$s:30);compute (%1$s:14) 10\n"
                                           "main (%1$s:31) 5\n"
                                           "other (%1$s:36) 1\n", module);
  return fixture_write_temp (name, text, -1);
}

static void
test_source_hot_line (void)
{
  g_autofree char *module = write_module ("src");
  g_autofree char *trace = write_profile ("lines.folded", module);
  PyroWindow *window = open_file (trace);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroSourceView *view = pyro_window_get_source_view (window);
  /* no time in folded stacks: the timeline leaves the room to the source */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pyro_window_get_timeline_view (window))));

  PyroProfile *profile = pyro_document_get_profile (doc);
  pyro_document_set_selected_func (doc, fixture_func (profile, "compute"));
  g_assert_true (ui_wait_until (source_read, view));
  g_assert_cmpstr (pyro_source_view_get_local_path (view), ==, module);

  g_autofree char *expected = NULL;
  g_assert_true (g_file_get_contents (module, &expected, NULL, NULL));
  g_autofree char *shown = buffer_text (view);
  g_assert_cmpstr (shown, ==, expected);

  /* the hottest line has the cursor and the mark */
  g_assert_cmpuint (pyro_source_view_get_hot_line (view), ==, 12);
  g_assert_cmpint (cursor_row (view), ==, 11);
  g_assert_true (hot_mark_at_row (view, 11));
  g_assert_false (hot_mark_at_row (view, 13));
  const PyroLineCosts *costs = pyro_source_view_get_costs (view);
  g_assert_cmpfloat (pyro_line_costs_lookup (costs, 12)->self, ==, 50);
  g_assert_cmpfloat (pyro_line_costs_lookup (costs, 30)->total, ==, 60);

  /* F7 walks down the hot lines and wraps; Shift+F7 walks back */
  g_assert_true (pyro_source_view_next_hot_line (view, FALSE));
  g_assert_cmpint (cursor_row (view), ==, 13);
  g_assert_true (pyro_source_view_next_hot_line (view, FALSE));
  g_assert_cmpint (cursor_row (view), ==, 30);
  g_assert_true (pyro_source_view_next_hot_line (view, FALSE));
  g_assert_cmpint (cursor_row (view), ==, 35);
  g_assert_true (pyro_source_view_next_hot_line (view, FALSE));
  g_assert_cmpint (cursor_row (view), ==, 11);
  g_assert_true (pyro_source_view_next_hot_line (view, TRUE));
  g_assert_cmpint (cursor_row (view), ==, 35);

  /* selecting main marks main's hottest line, in the same file */
  pyro_document_set_selected_func (doc, fixture_func (profile, "main"));
  g_assert_cmpuint (pyro_source_view_get_hot_line (view), ==, 31);
  g_assert_cmpint (cursor_row (view), ==, 30);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_source_missing_and_mapped (void)
{
  g_autofree char *module = write_module ("moved");
  g_autofree char *dir = g_path_get_dirname (module);
  g_autofree char *trace = write_profile ("missing.folded", "/nonexistent/build/tree/hot_module.py");
  PyroWindow *window = open_file (trace);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroSourceView *view = pyro_window_get_source_view (window);
  pyro_document_set_selected_func (doc, fixture_func (pyro_document_get_profile (doc), "compute"));
  g_assert_true (ui_wait_until (source_read, view));

  /* not found: the costly lines listed by number, the hottest marked */
  g_assert_null (pyro_source_view_get_local_path (view));
  g_autofree char *shown = buffer_text (view);
  g_assert_cmpstr (shown, ==, "line 12\nline 14\nline 30\nline 31\nline 36");
  g_assert_cmpuint (pyro_source_view_line_at_row (view, 2), ==, 30);
  g_assert_cmpuint (pyro_source_view_get_hot_line (view), ==, 12);
  g_assert_cmpint (cursor_row (view), ==, 0);
  g_assert_true (hot_mark_at_row (view, 0));

  /* what "Locate Source…" records: the folder it moved from and to */
  pyro_source_view_add_path_map (view, "/nonexistent/build/tree", dir);
  g_assert_true (ui_wait_until (source_read, view));
  g_assert_cmpstr (pyro_source_view_get_local_path (view), ==, module);
  g_assert_cmpint (cursor_row (view), ==, 11);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
whole_file_in (gpointer data)
{
  PyroSourceView *view = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pyro_source_view_get_view (view)));
  return pyro_source_view_line_at_row (view, 0) == 1 && gtk_text_buffer_get_line_count (buffer) == 20001;  /* and the empty one after the last line end */
}

static gboolean
cursor_visible (gpointer data)
{
  GtkTextView *text = GTK_TEXT_VIEW (pyro_source_view_get_view (data));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text);
  GtkTextIter iter;
  GdkRectangle visible;
  int y, height;
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (text, &visible);
  gtk_text_view_get_line_yrange (text, &iter, &y, &height);
  return height > 0 && y >= visible.y && y + height <= visible.y + visible.height;
}

static gboolean
laid_out (gpointer data)
{
  GtkTextView *text = GTK_TEXT_VIEW (pyro_source_view_get_view (data));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text);
  GtkTextIter end;
  int y, height;
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_get_line_yrange (text, &end, &y, &height);
  g_assert_true (cursor_visible (data));
  return y >= 20000 * height;
}

/* A 20,000-line file whose hot line is far down: the view shows that line
 * first, then holds the whole file with the line still in view. */
static void
test_source_big_file (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  for (int i = 1; i <= 20000; i++)
    g_string_append_printf (text, "    value_%d = compute(%d)  # some words to make the line longer\n", i, i);
  g_autofree char *module = fixture_write_temp ("big_module.py", text->str, (gssize) text->len);
  g_autofree char *folded = g_strdup_printf ("main (%1$s:3);work (%1$s:15003) 90\n"
                                             "main (%1$s:3);work (%1$s:15010) 5\n"
                                             "main (%1$s:3);work (%1$s:40) 5\n", module);
  g_autofree char *trace = fixture_write_temp ("big.folded", folded, -1);
  PyroWindow *window = open_file (trace);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroSourceView *view = pyro_window_get_source_view (window);
  g_assert_true (ui_wait_until (ui_view_allocated, view));
  pyro_document_set_selected_func (doc, fixture_func (pyro_document_get_profile (doc), "work"));
  g_assert_true (ui_wait_until (source_read, view));
  g_assert_cmpuint (pyro_source_view_get_hot_line (view), ==, 15003);

  g_assert_true (ui_wait_until (whole_file_in, view));
  g_autofree char *shown = buffer_text (view);
  g_assert_cmpstr (shown, ==, text->str);
  g_assert_cmpint (cursor_row (view), ==, 15002);
  g_assert_true (hot_mark_at_row (view, 15002));
  g_assert_cmpuint (pyro_source_view_line_at_row (view, 15002), ==, 15003);
  g_assert_cmpfloat (pyro_line_costs_lookup (pyro_source_view_get_costs (view), 15003)->self, ==, 90);
  /* in view once the lines above it are in, and as they are laid out */
  ui_wait_for_paint (GTK_WIDGET (view));
  g_assert_true (cursor_visible (view));
  g_assert_true (ui_wait_until (laid_out, view));
  g_assert_true (cursor_visible (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char burn_source[] =
  "static volatile double sink;\n"
  "\n"
  "__attribute__ ((noinline)) static void\n"
  "burn (void)\n"
  "{\n"
  "  double x = 0;\n"
  "  for (long i = 0; i < 200000000; i++)\n"
  "    x += i * 0.5;\n"
  "  sink = x;\n"
  "}\n"
  "\n"
  "int\n"
  "main (void)\n"
  "{\n"
  "  burn ();\n"
  "  return 0;\n"
  "}\n";

/* A program recorded with pyrometer record, its source deleted afterwards:
 * the source view shows the copy stored in the capture, with its costs. */
static void
test_source_embedded (void)
{
  const char *pyrometer = g_getenv ("PYRO_BIN");
  if (pyrometer == NULL)
    {
      g_test_skip ("PYRO_BIN is not set (run through meson test)");
      return;
    }
  g_autofree char *dir = fixture_temp_path ("recorded");
  g_mkdir_with_parents (dir, 0755);
  g_autofree char *source = g_build_filename (dir, "burn.c", NULL);
  g_autofree char *program = g_build_filename (dir, "burn", NULL);
  g_autofree char *capture = g_build_filename (dir, "burn.syscap", NULL);
  g_assert_true (g_file_set_contents (source, burn_source, -1, NULL));
  const char *cc[] = { "cc", "-O1", "-g", "-fno-omit-frame-pointer", "-o", program, source, NULL };
  const char *record[] = { pyrometer, "record", "-F", "999", "-o", capture, "--", program, NULL };
  g_autofree char *err = NULL;
  int status;
  if (!g_spawn_sync (dir, (char **) cc, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("no C compiler (cc) to build the program to record");
      return;
    }
  if (!g_spawn_sync (dir, (char **) record, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *message = g_strdup_printf ("pyrometer record cannot record here: %s", err);
      g_test_skip (message);
      return;
    }
  g_assert_cmpint (g_unlink (source), ==, 0);

  PyroWindow *window = open_file (capture);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroSourceView *view = pyro_window_get_source_view (window);
  guint32 burn = fixture_func (pyro_document_get_profile (doc), "burn");
  g_assert_cmpuint (burn, !=, PYRO_NONE);
  pyro_document_set_selected_func (doc, burn);
  g_assert_true (ui_wait_until (source_read, view));
  g_assert_cmpstr (pyro_source_view_get_recorded_path (view), ==, source);
  g_assert_true (pyro_source_view_get_embedded (view));
  g_assert_cmpstr (pyro_source_view_get_local_path (view), ==, capture);
  g_autofree char *shown = buffer_text (view);
  g_assert_cmpstr (shown, ==, burn_source);
  /* the hot line is in the loop, and the gutter has its samples */
  guint32 hot = pyro_source_view_get_hot_line (view);
  g_assert_cmpuint (hot, >=, 6);
  g_assert_cmpuint (hot, <=, 9);
  g_assert_cmpint (cursor_row (view), ==, (int) hot - 1);
  g_assert_cmpfloat (pyro_line_costs_lookup (pyro_source_view_get_costs (view), hot)->self, >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A kernprof -l run: for every timed row of line_profiler's own report, the
 * gutter shows the same hits, time, time per hit and share of the function. */
static void
test_source_line_profiler (void)
{
  g_autofree char *lprof = NULL;
  g_autofree char *report = NULL;
  if (!fixture_run_kernprof (&lprof, &report))
    return;

  PyroWindow *window = open_file (lprof);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroSourceView *view = pyro_window_get_source_view (window);
  double unit = 0;
  guint rows = 0;
  g_auto (GStrv) lines = g_strsplit (report, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (g_str_has_prefix (l, "Timer unit: "))
        unit = g_ascii_strtod (l + strlen ("Timer unit: "), NULL);
      else if (g_str_has_prefix (l, "Function: "))
        {
          g_auto (GStrv) w = g_strsplit (l, " ", -1);
          pyro_document_set_selected_func (doc, fixture_func (pyro_document_get_profile (doc), w[1]));
          g_assert_true (ui_wait_until (source_read, view));
        }
      else
        {
          /* Line #, Hits, Time, Per Hit, % Time, contents */
          double v[5];
          const char *p = l;
          int k;
          for (k = 0; k < 5; k++)
            {
              char *end;
              v[k] = g_ascii_strtod (p, &end);
              if (end == p || (*end != ' ' && *end != '\0'))
                break;
              p = end;
            }
          if (k < 5)
            continue;
          g_autofree char *text = pyro_source_view_dup_gutter_text (view, (guint) v[0] - 1);
          g_assert_nonnull (text);
          g_auto (GStrv) got = g_strsplit (text, "\t", -1);
          g_assert_cmpuint (g_strv_length (got), ==, 4);
          g_assert_cmpfloat (g_ascii_strtod (got[0], NULL), ==, v[1]);
          /* the report rounds to 0.1 of its unit, the gutter to 0.1 µs */
          double tolerance = 0.05 * unit * 1e6 + 0.05 + 1e-9;
          g_assert_cmpfloat (fabs (g_ascii_strtod (got[1], NULL) - v[2] * unit * 1e6), <=, tolerance);
          g_assert_cmpfloat (fabs (g_ascii_strtod (got[2], NULL) - v[3] * unit * 1e6), <=, tolerance);
          g_assert_cmpfloat (fabs (g_ascii_strtod (got[3], NULL) - v[4]), <=, 0.1 + 1e-9);
          rows++;
        }
    }
  g_assert_cmpfloat (unit, >, 0);
  /* grow: 5 timed lines; main: 4 */
  g_assert_cmpuint (rows, ==, 9);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Chrome trace events: main for 1 s, early in its first 0.4 s, late in its
 * last 0.4 s. */
static const char chrome_trace[] =
  "{\"traceEvents\": [\n"
  " {\"name\": \"main\", \"ph\": \"X\", \"ts\": 0, \"dur\": 1000000, \"pid\": 1, \"tid\": 1},\n"
  " {\"name\": \"early\", \"ph\": \"X\", \"ts\": 0, \"dur\": 400000, \"pid\": 1, \"tid\": 1},\n"
  " {\"name\": \"late\", \"ph\": \"X\", \"ts\": 600000, \"dur\": 400000, \"pid\": 1, \"tid\": 1}\n"
  "]}\n";

static gboolean
not_busy (gpointer data)
{
  return !pyro_document_get_busy (data);
}

static double
tree_total_of (const PyroCallTree *tree, PyroProfile *profile, const char *name)
{
  double total = 0;
  for (guint n = 1; n < tree->n_nodes; n++)
    if (g_str_equal (pyro_profile_func_name (profile, tree->func[n]), name))
      total += tree->total[n];
  return total;
}

static void
test_timeline_range (void)
{
  g_autofree char *trace = fixture_write_temp ("events.json", chrome_trace, -1);
  PyroWindow *window = open_file (trace);
  PyroDocument *doc = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (doc);
  PyroTimelineView *timeline = pyro_window_get_timeline_view (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (timeline)));
  g_assert_true (ui_wait_until (mapped_and_sized, timeline));
  const PyroTimeline *tl = pyro_timeline_view_get_timeline (timeline);
  g_assert_nonnull (tl);
  g_assert_true (tl->samples_timed);
  g_assert_nonnull (strstr (pyro_timeline_view_get_range_text (timeline), "drag"));

  /* drag across the first third of the plot */
  gint64 start, end;
  g_assert_true (pyro_timeline_view_get_window (timeline, &start, &end));
  GtkWidget *area = gtk_widget_get_last_child (GTK_WIDGET (timeline));
  PyroTimelineViewport vp = { .width = gtk_widget_get_width (area), .height = gtk_widget_get_height (area),
                              .view_start = start, .view_end = end };
  PyroTimelinePlot plot = pyro_timeline_plot_area (&vp);
  double x1 = plot.left + plot.width / 3;
  pyro_timeline_view_drag (timeline, plot.left, x1);
  g_assert_true (ui_wait_until (not_busy, doc));
  const PyroSelection *sel = pyro_document_get_selection (doc);
  g_assert_true (sel->has_range);
  g_assert_cmpint (sel->range_start, ==, tl->start);
  g_assert_cmpint (sel->range_end, ==, pyro_timeline_x_to_time (&vp, x1));
  g_assert_nonnull (strstr (pyro_timeline_view_get_range_text (timeline), "–"));

  /* every view's tree is the tree of that range: late is not in it */
  g_autoptr (PyroCallTree) expected = pyro_call_tree_new (profile, sel, NULL, NULL);
  const PyroCallTree *shown = pyro_document_get_top_down (doc);
  g_assert_cmpfloat (pyro_call_tree_total (shown), ==, pyro_call_tree_total (expected));
  g_assert_cmpfloat (pyro_call_tree_total (shown), <, pyro_profile_total_weight (profile));
  g_assert_cmpfloat (tree_total_of (shown, profile, "early"), >, 0);
  g_assert_cmpfloat (tree_total_of (shown, profile, "late"), ==, 0);

  /* Escape's action shows the whole time again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.clear-range", NULL));
  g_assert_true (ui_wait_until (not_busy, doc));
  g_assert_false (pyro_document_get_selection (doc)->has_range);
  g_assert_cmpfloat (pyro_call_tree_total (pyro_document_get_top_down (doc)), ==,
                     pyro_profile_total_weight (profile));

  /* Ctrl+scroll's zoom halves the window around the pointer */
  pyro_timeline_view_zoom (timeline, 2, plot.left);
  gint64 zs, ze;
  g_assert_true (pyro_timeline_view_get_window (timeline, &zs, &ze));
  g_assert_cmpint (zs, ==, start);
  g_assert_cmpint (llabs ((ze - zs) - (end - start) / 2), <=, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui-lower/windows", ui_skip_without_display);
      return g_test_run ();
    }

  app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui-lower/source-hot-line", test_source_hot_line);
  g_test_add_func ("/ui-lower/source-missing-and-mapped", test_source_missing_and_mapped);
  g_test_add_func ("/ui-lower/source-big-file", test_source_big_file);
  g_test_add_func ("/ui-lower/source-embedded", test_source_embedded);
  g_test_add_func ("/ui-lower/source-line-profiler", test_source_line_profiler);
  g_test_add_func ("/ui-lower/timeline-range", test_timeline_range);
  int status = g_test_run ();
  g_object_unref (app);
  g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);
  return status;
}
