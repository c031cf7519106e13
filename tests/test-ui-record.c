/* test-ui-record.c — recording from the window under Xvfb: a C program
 * compiled by the test is recorded through the Record dialog's own code
 * path; the flame graph and the timeline follow the capture while the
 * program runs (zoom and selected function kept across the swaps, at least
 * 4 swaps in 3 s), Stop brings the final capture with the program's hot
 * function; the live reads keep the symbols they resolved; the Attach
 * dialog finds and records a running process; a refused start shows on the
 * window's error page; the dialog names what is wrong with a command. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/application.h"
#include "app/attach-dialog.h"
#include "app/function-item.h"
#include "app/record-actions.h"
#include "app/record-bar.h"
#include "app/record-dialog.h"
#include "app/window.h"
#include "formats/reader.h"
#include "fixtures.h"
#include "ui-fixtures.h"

static PyroApplication *app;
static char *burn;            /* the compiled program, or NULL */
static char *refused;         /* why perf_event_open is refused, or NULL */

/* hot() burns twice the CPU of cold(), for argv[1] seconds of wall time. */
static const char burn_source[] =
  "#include <stdlib.h>\n"
  "#include <time.h>\n"
  "static volatile double sink;\n"
  "__attribute__((noinline)) void hot_loop (void) { for (int i = 0; i < 2000000; i++) sink += i * 0.5; }\n"
  "__attribute__((noinline)) void cold_loop (void) { for (int i = 0; i < 1000000; i++) sink += i * 0.5; }\n"
  "int main (int argc, char **argv) {\n"
  "  double secs = argc > 1 ? atof (argv[1]) : 3;\n"
  "  struct timespec a, b; clock_gettime (CLOCK_MONOTONIC, &a);\n"
  "  do { hot_loop (); cold_loop (); clock_gettime (CLOCK_MONOTONIC, &b); }\n"
  "  while ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9 < secs);\n"
  "  return 0; }\n";

static char *
compile_burn (void)
{
  g_autofree char *cc = g_find_program_in_path ("cc");
  if (cc == NULL)
    return NULL;
  g_autofree char *source = fixture_write_temp ("record-burn.c", burn_source, -1);
  char *binary = fixture_temp_path ("record-burn");
  const char *argv[] = { cc, "-O1", "-g", "-fno-omit-frame-pointer", "-o", binary, source, NULL };
  int status;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_free (binary);
      return NULL;
    }
  return binary;
}

/* The recorder's own event on this process: refused when the kernel says so. */
static char *
probe_perf_event (void)
{
  struct perf_event_attr attr = { 0 };
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = 1000000;
  attr.exclude_kernel = 1;
  attr.disabled = 1;
  int fd = (int) syscall (SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd >= 0)
    {
      close (fd);
      return NULL;
    }
  int saved = errno;
  g_autofree char *paranoid = NULL;
  g_file_get_contents ("/proc/sys/kernel/perf_event_paranoid", &paranoid, NULL, NULL);
  return g_strdup_printf ("perf_event_open is refused here (%s; kernel.perf_event_paranoid = %s)",
                          g_strerror (saved), paranoid != NULL ? g_strstrip (paranoid) : "unknown");
}

static gboolean
skip_unless_recording_works (void)
{
  if (burn == NULL)
    {
      g_test_skip ("no C compiler (cc) to build the program to record");
      return FALSE;
    }
  if (refused != NULL)
    {
      g_test_skip (refused);
      return FALSE;
    }
  return TRUE;
}

static gboolean
recording_finished (gpointer recording)
{
  return pyro_recording_get_finished (recording);
}

typedef struct {
  PyroRecording *recording;
  guint updates;
} UpdatesWait;

static gboolean
live_updates_reached (gpointer data)
{
  UpdatesWait *w = data;
  return pyro_recording_get_live_updates (w->recording) >= w->updates
         || pyro_recording_get_finished (w->recording);
}

static void
wait_live_updates (PyroRecording *recording, guint n)
{
  UpdatesWait w = { recording, n };
  g_assert_true (ui_wait_until (live_updates_reached, &w));
}

typedef struct {
  PyroDocument *doc;
  double total;
} GrowthWait;

static gboolean
tree_grew (gpointer data)
{
  GrowthWait *w = data;
  const PyroCallTree *tree = pyro_document_get_tree (w->doc);
  return tree != NULL && pyro_call_tree_total (tree) > w->total;
}

/* The heaviest node of the tree naming @name, or PYRO_NONE. */
static guint32
node_of (PyroDocument *doc, const char *name)
{
  const PyroCallTree *tree = pyro_document_get_tree (doc);
  PyroProfile *profile = pyro_document_get_profile (doc);
  guint32 best = PYRO_NONE;
  for (guint n = 1; tree != NULL && n < tree->n_nodes; n++)
    if (g_str_equal (pyro_profile_func_name (profile, tree->func[n]), name)
        && (best == PYRO_NONE || tree->total[n] > tree->total[best]))
      best = n;
  return best;
}

static PyroWindow *
new_window (void)
{
  PyroWindow *window = pyro_window_new (ADW_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_record_live (void)
{
  if (!skip_unless_recording_works ())
    return;
  PyroWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("pyrometer-record-XXXXXX", NULL);

  PyroRecordDialog *dialog = pyro_record_dialog_present (window);
  g_autofree char *quoted = g_shell_quote (burn);
  /* long enough for several flushes even on a loaded machine; stopped early */
  g_autofree char *command = g_strdup_printf ("%s 20", quoted);
  pyro_record_dialog_set_command (dialog, command);
  pyro_record_dialog_set_directory (dialog, dir);
  g_assert_nonnull (strstr (pyro_record_dialog_get_output_text (dialog), "working folder"));
  PyroRecording *recording = pyro_record_dialog_record (dialog);
  g_assert_nonnull (recording);
  g_object_ref (recording);
  g_assert_true (pyro_record_actions_get_recording (window) == recording);
  g_assert_true (g_str_has_prefix (pyro_recording_get_output (recording), dir));
  g_assert_true (pyro_recording_get_active (recording));

  /* The capture is read at each flush, twice a second: the view keeps
   * swapping in new reads.  How fast is bench/live-swap.sh's business; a
   * sanitized build on a loaded machine is slower. */
  wait_live_updates (recording, 1);
  guint first = pyro_recording_get_live_updates (recording);
  gint64 since = g_get_monotonic_time ();
  wait_live_updates (recording, first + 4);
  g_test_message ("4 live swaps in %.1f s", (g_get_monotonic_time () - since) / 1e6);
  g_assert_true (pyro_recording_get_active (recording));
  g_assert_false (pyro_recording_get_ending (recording));
  PyroDocument *doc = pyro_window_get_document (window);
  g_assert_cmpint (pyro_document_get_state (doc), ==, PYRO_DOCUMENT_READY);
  g_assert_cmpstr (pyro_window_get_page (window), ==, "profile");
  g_assert_cmpfloat (pyro_call_tree_total (pyro_document_get_tree (doc)), >, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pyro_window_get_timeline_view (window))));
  g_assert_nonnull (pyro_timeline_view_get_timeline (pyro_window_get_timeline_view (window)));

  /* Zoom into the hot function and select it: both survive the next swaps. */
  guint32 hot = node_of (doc, "hot_loop");
  if (hot == PYRO_NONE)
    {
      /* Symbols of a running program may still be in flight: one more swap. */
      wait_live_updates (recording, pyro_recording_get_live_updates (recording) + 1);
      hot = node_of (doc, "hot_loop");
    }
  g_assert_cmpuint (hot, !=, PYRO_NONE);
  PyroFlameView *flame = pyro_window_get_flame_view (window);
  pyro_flame_view_set_zoom (flame, hot);
  guint updates = pyro_recording_get_live_updates (recording);
  guint32 hot_func = pyro_document_get_tree (doc)->func[hot];
  pyro_document_set_selected_func (doc, hot_func);
  /* The timeline follows the grown profile; a zoomed window of it stays. */
  PyroTimelineView *timeline_view = pyro_window_get_timeline_view (window);
  gint64 timeline_end = pyro_timeline_view_get_timeline (timeline_view)->end;
  pyro_timeline_view_zoom (timeline_view, 4, 10);
  gint64 window_start, window_end;
  g_assert_true (pyro_timeline_view_get_window (timeline_view, &window_start, &window_end));
  GrowthWait growth = { doc, pyro_call_tree_total (pyro_document_get_tree (doc)) };
  g_assert_true (ui_wait_until (tree_grew, &growth));
  g_assert_cmpint (pyro_timeline_view_get_timeline (timeline_view)->end, >, timeline_end);
  gint64 now_start, now_end;
  g_assert_true (pyro_timeline_view_get_window (timeline_view, &now_start, &now_end));
  g_assert_cmpint (now_start, ==, window_start);
  g_assert_cmpint (now_end, ==, window_end);
  g_assert_true (pyro_recording_get_active (recording));
  g_assert_cmpuint (pyro_recording_get_live_updates (recording), >, updates);
  guint32 zoom = pyro_flame_view_get_zoom (flame);
  g_assert_cmpuint (zoom, !=, 0);
  g_assert_cmpstr (pyro_profile_func_name (pyro_document_get_profile (doc),
                                           pyro_document_get_tree (doc)->func[zoom]), ==, "hot_loop");
  g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, hot_func);

  /* The function table, shown, updates its rows in place: the same items,
   * grown numbers. */
  pyro_window_set_view (window, "functions");
  PyroFunctionView *functions = pyro_window_get_function_view (window);
  g_assert_true (ui_wait_until (ui_view_allocated, functions));
  GListModel *rows = pyro_function_view_get_rows (functions);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  g_autoptr (PyroFunctionItem) kept = g_list_model_get_item (rows, 0);
  double kept_total = pyro_function_item_get_total (kept);
  growth.total = pyro_call_tree_total (pyro_document_get_tree (doc));
  g_assert_true (ui_wait_until (tree_grew, &growth));
  gboolean still_there = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (PyroFunctionItem) item = g_list_model_get_item (rows, i);
      still_there |= item == kept;
    }
  g_assert_true (still_there);
  g_assert_cmpfloat (pyro_function_item_get_total (kept), >, kept_total);
  pyro_window_set_view (window, "flame");

  const char *status = pyro_record_bar_get_status (
    PYRO_RECORD_BAR (gtk_widget_get_template_child (GTK_WIDGET (window), PYRO_TYPE_WINDOW, "record_bar")));
  g_assert_nonnull (strstr (status, "samples"));
  g_assert_nonnull (strstr (status, "RSS"));

  /* Stop, as the bar's button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "record.stop", NULL));
  g_assert_true (ui_wait_until (recording_finished, recording));
  g_assert_null (pyro_recording_get_error (recording));
  g_assert_false (pyro_recording_get_active (recording));
  g_assert_true (ui_wait_until (ui_document_settled, window));

  /* The final capture, symbols inside: hot_loop weighs the most. */
  PyroProfile *profile = pyro_document_get_profile (doc);
  g_autofree char *shown = g_file_get_path (pyro_document_get_file (doc));
  g_assert_cmpstr (shown, ==, pyro_recording_get_output (recording));
  guint32 hot_final = fixture_func (profile, "hot_loop");
  guint32 cold_final = fixture_func (profile, "cold_loop");
  const PyroFunctionTable *table = pyro_document_get_function_table (doc);
  g_assert_nonnull (table);
  const PyroFunctionRow *hot_row = pyro_function_table_lookup (table, hot_final);
  const PyroFunctionRow *cold_row = pyro_function_table_lookup (table, cold_final);
  g_assert_nonnull (hot_row);
  g_assert_nonnull (cold_row);
  g_assert_cmpfloat (hot_row->self, >, cold_row->self);
  g_assert_cmpfloat (cold_row->self, >, 0);
  /* the heaviest function of the whole recording */
  g_assert_cmpuint (g_array_index (table->rows, PyroFunctionRow, 0).func, ==, hot_final);
  g_assert_cmpuint (pyro_document_get_selected_func (doc), ==, hot_func);

  g_object_unref (recording);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The live reads keep the symbols they resolved: once the program's file is
 * gone, the next reads still name its functions (a read that resolved
 * afresh would name them "record-burn-copy+0x..."). */
static void
test_symbols_kept (void)
{
  if (!skip_unless_recording_works ())
    return;
  g_autofree char *dir = g_dir_make_tmp ("pyrometer-record-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "record-burn-copy", NULL);
  g_autoptr (GFile) from = g_file_new_for_path (burn);
  g_autoptr (GFile) to = g_file_new_for_path (copy);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL));
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);

  PyroWindow *window = new_window ();
  const char *argv[] = { copy, "20", NULL };
  g_autofree char *output = g_build_filename (dir, "kept.syscap", NULL);
  PyroRecordingRequest request = { .argv = argv, .cwd = dir, .output = output };
  g_autoptr (GError) error = NULL;
  PyroRecording *recording = pyro_record_actions_start (window, &request, &error);
  g_assert_no_error (error);
  g_object_ref (recording);
  PyroDocument *doc = pyro_window_get_document (window);
  wait_live_updates (recording, 1);
  if (node_of (doc, "hot_loop") == PYRO_NONE)
    wait_live_updates (recording, pyro_recording_get_live_updates (recording) + 1);
  g_assert_cmpuint (node_of (doc, "hot_loop"), !=, PYRO_NONE);

  g_assert_cmpint (g_unlink (copy), ==, 0);
  GrowthWait growth = { doc, pyro_call_tree_total (pyro_document_get_tree (doc)) };
  g_assert_true (ui_wait_until (tree_grew, &growth));
  g_assert_true (pyro_recording_get_active (recording));
  g_assert_cmpuint (node_of (doc, "hot_loop"), !=, PYRO_NONE);
  g_assert_cmpuint (node_of (doc, "cold_loop"), !=, PYRO_NONE);

  pyro_recording_stop (recording);
  g_assert_true (ui_wait_until (recording_finished, recording));
  g_object_unref (recording);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Quitting while a window records: the window stays, resolving the
 * symbols, and closes once the capture is complete with its symbol table
 * (read here after the program's file is gone). */
static void
test_close_while_recording (void)
{
  if (!skip_unless_recording_works ())
    return;
  g_autofree char *dir = g_dir_make_tmp ("pyrometer-record-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "record-burn-copy", NULL);
  g_autoptr (GFile) from = g_file_new_for_path (burn);
  g_autoptr (GFile) to = g_file_new_for_path (copy);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL));
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);

  PyroWindow *window = new_window ();
  const char *argv[] = { copy, "20", NULL };
  g_autofree char *output = g_build_filename (dir, "closed.syscap", NULL);
  PyroRecordingRequest request = { .argv = argv, .cwd = dir, .output = output };
  g_autoptr (GError) error = NULL;
  PyroRecording *recording = pyro_record_actions_start (window, &request, &error);
  g_assert_no_error (error);
  g_object_ref (recording);
  wait_live_updates (recording, 1);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_nonnull (window);
  g_assert_true (pyro_recording_get_ending (recording) || pyro_recording_get_finished (recording));
  g_assert_true (ui_wait_until (recording_finished, recording));
  g_assert_null (pyro_recording_get_error (recording));
  g_assert_true (ui_wait_until (pointer_cleared, &window));

  g_assert_cmpint (g_unlink (copy), ==, 0);
  g_autoptr (PyroProfile) profile = pyro_format_load_file (output, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture_func (profile, "hot_loop"), !=, PYRO_NONE);
  g_object_unref (recording);
}

static gboolean
list_filled (gpointer dialog)
{
  return pyro_process_list_get_generation (pyro_attach_dialog_get_processes (dialog)) >= 1;
}

static void
test_attach (void)
{
  if (!skip_unless_recording_works ())
    return;
  const char *argv[] = { burn, "30", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) target = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  guint32 pid = (guint32) atoi (g_subprocess_get_identifier (target));
  const char *cache = g_get_user_cache_dir ();

  PyroWindow *window = new_window ();
  PyroAttachDialog *dialog = pyro_attach_dialog_present (window);
  g_assert_true (ui_wait_until (list_filled, dialog));
  g_autofree char *pid_text = g_strdup_printf ("%u", pid);
  pyro_attach_dialog_set_search (dialog, pid_text);
  GListModel *shown = pyro_attach_dialog_get_shown (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 1);
  g_assert_true (pyro_attach_dialog_select (dialog, pid));
  PyroRecording *recording = pyro_attach_dialog_attach (dialog);
  g_assert_nonnull (recording);
  g_object_ref (recording);
  g_assert_nonnull (strstr (pyro_recording_get_title (recording), pid_text));
  g_assert_true (g_str_has_prefix (pyro_recording_get_output (recording), cache));

  wait_live_updates (recording, 1);
  pyro_recording_stop (recording);
  g_assert_true (ui_wait_until (recording_finished, recording));
  g_assert_null (pyro_recording_get_error (recording));
  PyroDocument *doc = pyro_window_get_document (window);
  g_assert_true (ui_wait_until (ui_document_settled, window));
  g_assert_cmpint (pyro_document_get_state (doc), ==, PYRO_DOCUMENT_READY);
  g_assert_cmpuint (fixture_func (pyro_document_get_profile (doc), "hot_loop"), !=, PYRO_NONE);
  /* attaching leaves the target running */
  g_assert_cmpint (kill ((pid_t) pid, 0), ==, 0);
  g_subprocess_force_exit (target);
  g_subprocess_wait (target, NULL, NULL);

  g_object_unref (recording);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A process that is gone: the recorder refuses, the window says why. */
static void
test_refused_start (void)
{
  pid_t child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, NULL, 0), ==, child);
  guint32 pid = (guint32) child;

  PyroWindow *window = new_window ();
  PyroRecordingRequest request = { .pid = pid };
  g_autoptr (GError) error = NULL;
  PyroRecording *recording = pyro_record_actions_start (window, &request, &error);
  g_assert_null (recording);
  g_assert_nonnull (error);
  g_assert_cmpstr (pyro_window_get_page (window), ==, "error");
  const char *title, *description;
  pyro_window_get_error_text (window, &title, &description);
  g_autofree char *pid_text = g_strdup_printf ("%u", pid);
  g_assert_nonnull (strstr (title, pid_text));
  g_assert_cmpstr (description, ==, error->message);
  /* the suggested fix can be copied */
  GObject *details = gtk_widget_get_template_child (GTK_WIDGET (window), PYRO_TYPE_WINDOW, "error_details");
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (details)));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_dialog_checks (void)
{
  PyroWindow *window = new_window ();
  PyroRecordDialog *dialog = pyro_record_dialog_present (window);
  g_assert_true (pyro_record_dialog_present (window) == dialog);
  PyroRecordingRequest request;
  struct { const char *command; const char *directory; const char *fragment; } cases[] = {
    { "", "/", "Type the command" },
    { "echo 'unclosed", "/", "cannot be read" },
    { "no-such-program-here", "/", "not a program in PATH" },
    { "./missing", "/", "does not exist" },
    { "true", "/no/such/folder", "does not exist" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      pyro_record_dialog_set_command (dialog, cases[i].command);
      pyro_record_dialog_set_directory (dialog, cases[i].directory);
      g_assert_false (pyro_record_dialog_get_request (dialog, &request, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("“%s”: expected “%s” in “%s”", cases[i].command, cases[i].fragment, error->message);
    }
  /* Record with a bad command keeps the dialog open */
  g_assert_null (pyro_record_dialog_record (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* A good one: the program is found in PATH, the folder kept. */
  g_autoptr (GError) error = NULL;
  pyro_record_dialog_set_command (dialog, "sleep '1 2'");
  pyro_record_dialog_set_directory (dialog, "/");
  g_assert_true (pyro_record_dialog_get_request (dialog, &request, &error));
  g_assert_no_error (error);
  g_assert_true (g_path_is_absolute (request.argv[0]));
  g_assert_cmpstr (request.argv[1], ==, "1 2");
  g_assert_null (request.argv[2]);
  g_assert_cmpstr (request.cwd, ==, "/");
  g_assert_cmpuint (request.frequency, >, 0);
  pyro_record_dialog_request_clear (&request);
  /* "/" is not writable for a normal user: the cache folder is named */
  if (access ("/", W_OK) != 0)
    g_assert_nonnull (strstr (pyro_record_dialog_get_output_text (dialog), "cache folder"));

  /* auto mode reads a #! line */
  g_autofree char *script = fixture_write_temp ("record-script.py", "#!/usr/bin/env python3\nprint(1)\n", -1);
  const char *python_argv[] = { script, NULL };
  PyroRecordingRequest auto_request = { .argv = python_argv };
  g_assert_cmpint (pyro_recording_resolve_mode (&auto_request), ==, PYRO_RECORDING_MODE_PYTHON);
  const char *native_argv[] = { "true", NULL };
  auto_request.argv = native_argv;
  g_assert_cmpint (pyro_recording_resolve_mode (&auto_request), ==, PYRO_RECORDING_MODE_NATIVE);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = g_dir_make_tmp ("pyrometer-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  /* Attached recordings go to the cache folder. */
  g_autofree char *cache_home = g_dir_make_tmp ("pyrometer-cache-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_autofree char *schemas = g_test_build_filename (G_TEST_BUILT, "..", "data", NULL);
  g_autofree char *compiled = g_build_filename (schemas, "gschemas.compiled", NULL);
  if (g_file_test (compiled, G_FILE_TEST_EXISTS))
    g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/ui-record/windows", ui_skip_without_display);
      return g_test_run ();
    }

  app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  burn = compile_burn ();
  refused = probe_perf_event ();

  g_test_add_func ("/ui-record/dialog-checks", test_dialog_checks);
  g_test_add_func ("/ui-record/refused-start", test_refused_start);
  g_test_add_func ("/ui-record/live", test_record_live);
  g_test_add_func ("/ui-record/attach", test_attach);
  g_test_add_func ("/ui-record/symbols-kept", test_symbols_kept);
  g_test_add_func ("/ui-record/close-while-recording", test_close_while_recording);
  int status = g_test_run ();
  g_free (burn);
  g_free (refused);
  return status;
}
