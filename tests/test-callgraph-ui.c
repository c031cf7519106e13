/* The call graph view in a real window (under Xvfb): it lays out the
 * document's graph off the UI thread, a click on a node selects that
 * function in the document every view follows, a double-click focuses the
 * graph on it, and the threshold slider hides nodes with their count. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "app/application.h"
#include "app/callgraph-view.h"
#include "app/document.h"
#include "app/window.h"
#include "fixtures.h"
#include "ui-fixtures.h"

/* main 100 %, compute 85 %, heavy 60 %, light 20 %, parse 10 %, rare 0.3 % */
static const char profile_text[] =
  "main;compute;heavy 600\n"
  "main;compute;light 200\n"
  "main;compute 50\n"
  "main;parse 97\n"
  "main;parse;rare 3\n"
  "main 50\n";

static gboolean
document_ready (gpointer data)
{
  PyroDocumentState state = pyro_document_get_state (data);
  return (state == PYRO_DOCUMENT_READY && !pyro_document_get_busy (data)) || state == PYRO_DOCUMENT_FAILED;
}

static gboolean
graph_ready (gpointer data)
{
  PyroCallGraphView *view = data;
  GtkWidget *canvas = pyro_callgraph_view_get_canvas (view);
  return !pyro_callgraph_view_get_busy (view) && pyro_callgraph_view_get_layout (view) != NULL
         && gtk_widget_get_mapped (canvas) && gtk_widget_get_width (canvas) > 100;
}

static guint32
func_named (PyroDocument *doc, const char *name)
{
  return fixture_func (pyro_document_get_profile (doc), name);
}

/* The canvas's click gesture, as a person's click reaches it. */
static void
click (PyroCallGraphView *view, guint32 box, int n_press)
{
  double x, y;
  g_assert_true (pyro_callgraph_view_box_position (view, box, &x, &y));
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (pyro_callgraph_view_get_canvas (view));
  gboolean clicked = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);
      if (!GTK_IS_GESTURE_CLICK (controller))
        continue;
      for (int n = 1; n <= n_press; n++)
        {
          g_signal_emit_by_name (controller, "pressed", n, x, y);
          g_signal_emit_by_name (controller, "released", n, x, y);
        }
      clicked = TRUE;
    }
  g_assert_true (clicked);
}

static guint32
box_of (PyroCallGraphView *view, guint32 func)
{
  const PyroCallGraphLayout *layout = pyro_callgraph_view_get_layout (view);
  g_assert_nonnull (layout);
  return pyro_callgraph_layout_find_func (layout, func);
}

static void
test_click_selects (void)
{
  g_autofree char *path = fixture_write_temp ("ui.folded", profile_text, -1);
  g_autoptr (PyroDocument) doc = pyro_document_new ();
  GtkWidget *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  PyroCallGraphView *view = PYRO_CALLGRAPH_VIEW (pyro_callgraph_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  pyro_callgraph_view_set_document (view, doc);
  gtk_window_present (GTK_WINDOW (window));

  g_autoptr (GFile) file = g_file_new_for_path (path);
  pyro_document_load (doc, file);
  g_assert_true (ui_wait_until (document_ready, doc));
  g_assert_cmpint (pyro_document_get_state (doc), ==, PYRO_DOCUMENT_READY);
  g_assert_true (ui_wait_until (graph_ready, view));

  const PyroCallGraphLayout *layout = pyro_callgraph_view_get_layout (view);
  g_assert_cmpuint (layout->boxes->len, ==, 5);    /* rare is under 0.5 % */
  g_assert_cmpuint (layout->n_hidden_nodes, ==, 1);

  /* a click on heavy selects heavy in the document */
  guint32 heavy = func_named (doc, "heavy");
  click (view, box_of (view, heavy), 1);
  g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, heavy);
  guint32 parse = func_named (doc, "parse");
  click (view, box_of (view, parse), 1);
  g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, parse);

  /* a double-click on compute shows its callers and callees only */
  guint32 compute = func_named (doc, "compute");
  click (view, box_of (view, compute), 2);
  g_assert_cmpuint (pyro_callgraph_view_get_focus (view), ==, compute);
  g_assert_true (ui_wait_until (graph_ready, view));
  layout = pyro_callgraph_view_get_layout (view);
  g_assert_cmpuint (layout->boxes->len, ==, 4);    /* main, compute, heavy, light */
  g_assert_cmpuint (box_of (view, parse), ==, PYRO_NONE);

  /* the threshold hides more, and says how many */
  pyro_callgraph_view_set_focus (view, PYRO_NONE);
  pyro_callgraph_view_set_threshold (view, 0.15);
  g_assert_true (ui_wait_until (graph_ready, view));
  layout = pyro_callgraph_view_get_layout (view);
  g_assert_cmpuint (layout->boxes->len, ==, 4);    /* main, compute, heavy, light */
  g_assert_cmpuint (layout->n_hidden_nodes, ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
callers_listed (gpointer data)
{
  return g_list_model_get_n_items (pyro_function_view_get_callers (data)) == 1;
}

/* The page of the real window: a click selects the function that the
 * function table's Callers list then shows the callers of. */
static void
test_window_page (void)
{
  g_autofree char *path = fixture_write_temp ("window.folded", profile_text, -1);
  g_autoptr (PyroApplication) app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  g_assert_nonnull (window);
  PyroDocument *doc = pyro_window_get_document (window);
  g_assert_true (ui_wait_until (document_ready, doc));

  pyro_window_set_view (window, "callgraph");
  GObject *page = gtk_widget_get_template_child (GTK_WIDGET (window), PYRO_TYPE_WINDOW, "callgraph_view");
  g_assert_true (PYRO_IS_CALLGRAPH_VIEW (page));
  PyroCallGraphView *view = PYRO_CALLGRAPH_VIEW (page);
  g_assert_true (ui_wait_until (graph_ready, view));

  guint32 heavy = func_named (doc, "heavy");
  click (view, box_of (view, heavy), 1);
  g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, heavy);
  g_assert_true (ui_wait_until (callers_listed, pyro_window_get_function_view (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  /* keep the recent-files list of the person running the tests untouched */
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-cg-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    g_test_add_func ("/callgraph-ui/click-selects", ui_skip_without_display);
  else
    {
      g_test_add_func ("/callgraph-ui/click-selects", test_click_selects);
      g_test_add_func ("/callgraph-ui/window-page", test_window_page);
    }
  int status = g_test_run ();
  g_autofree char *recent = g_build_filename (data_home, "recently-used.xbel", NULL);
  g_unlink (recent);
  g_rmdir (data_home);
  return status;
}
