/* test-ui-perf.c — perf.data in the window: the event chooser of a recording
 * of two events reweighs every view, and a binary deleted after recording is
 * named in the banner of load problems.  Records with `perf record` (skipped
 * when the kernel does not allow it); opens real windows: run under Xvfb. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "app/application.h"
#include "app/event-chooser.h"
#include "app/missing-banner.h"
#include "app/window.h"
#include "core/call-tree.h"
#include "formats/perf-data.h"
#include "ui-fixtures.h"

/* CPU work and fresh pages: both events of the recording have samples. */
static const char prog_source[] =
  "#include <stdlib.h>\n"
  "#include <string.h>\n"
  "__attribute__((noinline)) double spin (long n) {\n"
  "  double x = 0;\n"
  "  for (long i = 0; i < n; i++) x = x * 0.9999999 + 0.25;\n"
  "  return x;\n"
  "}\n"
  "__attribute__((noinline)) void touch (size_t bytes) {\n"
  "  char *p = malloc (bytes);\n"
  "  memset (p, 1, bytes);\n"
  "  free (p);\n"
  "}\n"
  "int main (void) {\n"
  "  double x = 0;\n"
  "  for (int i = 0; i < 8; i++) { x += spin (20000000); touch (16 << 20); }\n"
  "  return x < 0;\n"
  "}\n";

static PyroApplication *app;
static char *dir;
static char *skip;
static char *multi_data;
static char *gone_data;
static char *gone_bin;

static gboolean
run (const char *const *argv, char **err_out)
{
  g_autoptr (GError) error = NULL;
  int status = 0;
  gboolean ok = g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                              NULL, NULL, NULL, err_out, &status, &error);
  if (!ok && err_out != NULL)
    *err_out = g_strdup (error->message);
  return ok && g_spawn_check_wait_status (status, NULL);
}

static void
make_recordings (void)
{
  dir = g_dir_make_tmp ("pyro-ui-perf-XXXXXX", NULL);
  g_autofree char *perf = g_find_program_in_path ("perf");
  g_autofree char *gcc = g_find_program_in_path ("gcc");
  if (perf == NULL || gcc == NULL)
    {
      skip = g_strdup ("perf or gcc is not installed (Debian packages linux-perf, gcc)");
      return;
    }
  g_autofree char *source = g_build_filename (dir, "prog.c", NULL);
  g_assert_true (g_file_set_contents (source, prog_source, -1, NULL));
  /* A build id of its own, so that no earlier run left a copy in ~/.debug. */
  g_autofree char *build_id = g_strdup_printf ("-Wl,--build-id=0x%08x%08x%08x%08x%08x", g_random_int (),
                                               g_random_int (), g_random_int (), g_random_int (),
                                               g_random_int ());
  const char *const cc[] = { "gcc", "-O2", "-g", "-fno-omit-frame-pointer", "prog.c", "-o", "prog", NULL };
  const char *const cc_gone[] = { "gcc", "-O2", "-g", "-fno-omit-frame-pointer", build_id, "prog.c",
                                  "-o", "gone", NULL };
  g_autofree char *err = NULL, *err_gone = NULL;
  if (!run (cc, &err) || !run (cc_gone, &err_gone))
    {
      skip = g_strdup_printf ("cannot build the test program with gcc: %s", err_gone != NULL ? err_gone : err);
      return;
    }
  multi_data = g_build_filename (dir, "multi.data", NULL);
  gone_data = g_build_filename (dir, "gone.data", NULL);
  gone_bin = g_build_filename (dir, "gone", NULL);
  const char *const multi[] = { "perf", "record", "-q", "-e", "cpu-clock,page-faults", "-g",
                                "-o", multi_data, "./prog", NULL };
  const char *const gone[] = { "perf", "record", "-q", "-F", "2000", "-g", "--no-buildid-cache",
                               "-o", gone_data, "./gone", NULL };
  g_clear_pointer (&err, g_free);
  if (!run (multi, &err) || !run (gone, NULL))
    {
      g_autofree char *paranoid = NULL;
      g_file_get_contents ("/proc/sys/kernel/perf_event_paranoid", &paranoid, NULL, NULL);
      skip = g_strdup_printf ("perf record is not allowed here (kernel.perf_event_paranoid=%s): %s",
                              paranoid != NULL ? g_strstrip (paranoid) : "?", err);
      return;
    }
  g_unlink (gone_bin);
}

static gboolean
skip_without_recordings (void)
{
  if (skip == NULL)
    return FALSE;
  g_test_skip (skip);
  return TRUE;
}

static PyroWindow *
open_file (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  PyroWindow *window = pyro_application_open_file (app, file, NULL);
  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpint (pyro_document_get_state (pyro_window_get_document (window)), ==, PYRO_DOCUMENT_READY);
  return window;
}

static GtkWidget *
template_child (PyroWindow *window, const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), PYRO_TYPE_WINDOW, name);
  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static double
event_total (const char *event)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_perf_data_load (multi_data, event, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return pyro_profile_total_weight (p);
}

static gboolean
reloaded_with_faults (gpointer window)
{
  PyroProfile *p = pyro_document_get_profile (pyro_window_get_document (window));
  return ui_document_settled (window) && p != NULL && g_strcmp0 (p->meta.event, "page-faults") == 0;
}

static void
test_event_chooser (void)
{
  if (skip_without_recordings ())
    return;
  PyroWindow *window = open_file (multi_data);
  PyroDocument *document = pyro_window_get_document (window);
  GtkWidget *chooser = template_child (window, "event_chooser");
  GtkDropDown *drop_down = GTK_DROP_DOWN (gtk_widget_get_first_child (chooser));

  /* Two events: the chooser shows both, the first weighs the views. */
  g_assert_true (gtk_widget_get_visible (chooser));
  GListModel *events = gtk_drop_down_get_model (drop_down);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  const char *chosen = gtk_string_list_get_string (GTK_STRING_LIST (events), gtk_drop_down_get_selected (drop_down));
  g_assert_cmpstr (chosen, ==, "cpu-clock");
  double clock_total = pyro_call_tree_total (pyro_document_get_tree (document));
  g_assert_cmpfloat_with_epsilon (clock_total, event_total ("cpu-clock"), 1e-9 * clock_total);
  g_assert_cmpint (pyro_document_get_profile (document)->meta.unit, ==, PYRO_UNIT_SECONDS);

  /* Choosing page faults reweighs every view by the faults counted. */
  guint faults = G_MAXUINT;
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (events), i), "page-faults"))
      faults = i;
  g_assert_cmpuint (faults, !=, G_MAXUINT);
  gtk_drop_down_set_selected (drop_down, faults);
  g_assert_true (ui_wait_until (reloaded_with_faults, window));
  double fault_total = pyro_call_tree_total (pyro_document_get_tree (document));
  g_assert_cmpfloat (fault_total, !=, clock_total);
  g_assert_cmpfloat_with_epsilon (fault_total, event_total ("page-faults"), 1e-9 * fault_total);
  g_assert_cmpint (pyro_document_get_profile (document)->meta.unit, ==, PYRO_UNIT_SAMPLES);
  g_assert_true (gtk_widget_get_visible (chooser));
  chosen = gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (drop_down)),
                                       gtk_drop_down_get_selected (drop_down));
  g_assert_cmpstr (chosen, ==, "page-faults");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_missing_banner (void)
{
  if (skip_without_recordings ())
    return;
  PyroWindow *window = open_file (gone_data);
  PyroMissingBanner *banner = PYRO_MISSING_BANNER (template_child (window, "missing_banner"));
  g_assert_true (pyro_missing_banner_get_shown (banner));
  const char *text = pyro_missing_banner_get_text (banner);
  g_assert_nonnull (text);
  /* The deleted program is named once, with the samples it holds. */
  g_autofree char *named = g_strdup_printf ("%s: not found; ", gone_bin);
  const char *at = strstr (text, named);
  g_assert_nonnull (at);
  g_assert_nonnull (strstr (at, " samples ("));
  g_assert_null (strstr (at + 1, named));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));

  pyro_missing_banner_dismiss (banner);
  g_assert_false (pyro_missing_banner_get_shown (banner));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A recording whose program is still there does not name it. */
  if (multi_data != NULL)
    {
      PyroWindow *other = open_file (multi_data);
      PyroMissingBanner *none = PYRO_MISSING_BANNER (template_child (other, "missing_banner"));
      const char *shown = pyro_missing_banner_get_text (none);
      g_assert_true (shown == NULL || strstr (shown, "not found") == NULL);
      gtk_window_destroy (GTK_WINDOW (other));
    }
}

static void
remove_tree (const char *path)
{
  const char *const argv[] = { "rm", "-rf", path, NULL };
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-ui-perf-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui-perf/windows", ui_skip_without_display);
      return g_test_run ();
    }
  make_recordings ();

  app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui-perf/event-chooser", test_event_chooser);
  g_test_add_func ("/ui-perf/missing-banner", test_missing_banner);
  int status = g_test_run ();
  g_object_unref (app);
  remove_tree (dir);
  remove_tree (data_home);
  return status;
}
