#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "demos.h"
#include "application.h"
#include "compare-bar.h"
#include "formats/reader.h"
#include "sampler/cpython-stack-source.h"
#include "sampler/recorder.h"

typedef struct {
  const char *id;      /* examples/ID_slow.py, examples/ID_fast.py */
  const char *title;
} Lesson;

static const Lesson lessons[] = {
  { "fib", N_("Memoisation (Fibonacci)") },
  { "membership", N_("The Right Container (List or Set)") },
  { "concat", N_("Building Strings (+= or Join)") },
  { "loop", N_("Loops or Built-ins") },
  { "threads", N_("Threads or Processes") },
  { "generator", N_("Lists or Generators (Memory)") },
};

char *
pyro_demos_find_examples (void)
{
  const char *candidates[] = { PYRO_DATADIR "/examples", PYRO_SOURCE_DATADIR "/../examples" };
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *probe = g_build_filename (candidates[i], "fib_slow.py", NULL);
      if (g_file_test (probe, G_FILE_TEST_IS_REGULAR))
        return g_canonicalize_filename (candidates[i], NULL);
    }
  return NULL;
}

GFile *
pyro_demos_find_bundled (void)
{
  const char *candidates[] = { PYRO_DATADIR "/demo/demo.folded",
                               PYRO_SOURCE_DATADIR "/demo/demo.folded" };
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
      return g_file_new_for_path (candidates[i]);
  return NULL;
}

/* python3 in PATH, run as it is: when it is a wrapper script (pyenv's
 * shims), the recorder finds the interpreter once the wrapper has exec'd it. */
static char *
find_python (GError **error)
{
  char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("python3 was not found in PATH; the demos need it to run"));
  return python;
}

static gboolean
record_with_sampler (const char *python, const char *script, const char *out, GError **error)
{
  const char *argv[] = { python, script, NULL };
  g_autofree char *cwd = g_path_get_dirname (script);
  PyroRecordOptions options = {
    .mode = PYRO_RECORD_PYTHON,
    .output = out,
    .argv = argv,
    .cwd = cwd,
    .stack_source = pyro_cpython_stack_source_new (),
  };
  g_autoptr (PyroRecorder) recorder = pyro_recorder_new (&options);
  if (!pyro_recorder_start (recorder, error) || !pyro_recorder_finish (recorder, error))
    return FALSE;
  PyroRecordProgress progress;
  pyro_recorder_get_progress (recorder, &progress);
  int status = pyro_recorder_get_exit_status (recorder);
  if (status != 0 || progress.samples == 0)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_FAILED,
                   _("%s: the sampler recorded %" G_GUINT64_FORMAT " samples (exit status %d)"),
                   script, progress.samples, status);
      return FALSE;
    }
  /* A Python the frame reader does not know gives native stacks only. */
  g_autoptr (PyroProfile) profile = pyro_format_load_file (out, NULL, NULL, NULL, error);
  if (profile == NULL)
    return FALSE;
  for (guint f = 0; f < pyro_profile_n_funcs (profile); f++)
    if (pyro_profile_func_kind (profile, f) == PYRO_FUNC_PYTHON)
      return TRUE;
  g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_FAILED,
               _("%s: the sampler saw no Python frames"), script);
  return FALSE;
}

static gboolean
record_with_cprofile (const char *python, const char *script, const char *out,
                      GCancellable *cancellable, GError **error)
{
  g_autoptr (GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                    | G_SUBPROCESS_FLAGS_STDERR_PIPE, error,
                                                    python, "-m", "cProfile", "-o", out, script,
                                                    NULL);
  if (child == NULL)
    return FALSE;
  g_autofree char *errors = NULL;
  if (!g_subprocess_communicate_utf8 (child, NULL, cancellable, NULL, &errors, error))
    return FALSE;
  if (!g_subprocess_get_successful (child))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("python3 -m cProfile %s failed: %s"),
                   script, errors != NULL ? g_strstrip (errors) : "");
      return FALSE;
    }
  return TRUE;
}

char *
pyro_demos_record (const char *script, const char *dir, const char *stem,
                   GCancellable *cancellable, GError **error)
{
  g_autofree char *python = find_python (error);
  if (python == NULL)
    return NULL;

  g_autofree char *capture_name = g_strconcat (stem, ".syscap", NULL);
  g_autofree char *capture = g_build_filename (dir, capture_name, NULL);
  g_autoptr (GError) sampler_error = NULL;
  if (record_with_sampler (python, script, capture, &sampler_error))
    return g_steal_pointer (&capture);
  g_debug ("demo falls back to cProfile: %s", sampler_error->message);
  g_unlink (capture);

  g_autofree char *dump_name = g_strconcat (stem, ".prof", NULL);
  g_autofree char *dump = g_build_filename (dir, dump_name, NULL);
  if (!record_with_cprofile (python, script, dump, cancellable, error))
    return NULL;
  return g_steal_pointer (&dump);
}

/* Running a lesson */

typedef struct {
  PyroWindow *window;   /* weak pointer */
  GSimpleActionGroup *actions;
  AdwToast *toast;
  gboolean running;
} Demos;

typedef struct {
  char *lesson;         /* set when comparing the slow and fast versions */
  char *slow;           /* scripts to record; fast is NULL for a single run */
  char *fast;
  char *dir;
  char *results[2];
} Run;

static void
run_free (Run *run)
{
  g_free (run->lesson);
  g_free (run->slow);
  g_free (run->fast);
  g_free (run->dir);
  g_free (run->results[0]);
  g_free (run->results[1]);
  g_free (run);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Run *run = task_data;
  GError *error = NULL;

  if (run->lesson == NULL)
    {
      g_autofree char *stem = g_path_get_basename (run->slow);
      *strrchr (stem, '.') = '\0';
      run->results[0] = pyro_demos_record (run->slow, run->dir, stem, cancellable, &error);
      if (run->results[0] == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  /* Both versions run as LESSON.py from one path, so that their functions
   * have the same name and file in both recordings and match in the diff. */
  g_autofree char *name = g_strconcat (run->lesson, ".py", NULL);
  g_autofree char *script = g_build_filename (run->dir, name, NULL);
  const char *sources[] = { run->slow, run->fast };
  const char *suffixes[] = { "_slow", "_fast" };
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *text = NULL;
      gsize length;
      g_autofree char *stem = g_strconcat (run->lesson, suffixes[i], NULL);
      if (!g_file_get_contents (sources[i], &text, &length, &error)
          || !g_file_set_contents (script, text, (gssize) length, &error)
          || (run->results[i] = pyro_demos_record (script, run->dir, stem, cancellable, &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
dismiss_toast (Demos *demos)
{
  if (demos->toast != NULL)
    adw_toast_dismiss (demos->toast);
  g_clear_object (&demos->toast);
}

static void
show_toast (Demos *demos, const char *text, guint timeout)
{
  dismiss_toast (demos);
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (demos->window));
  if (!ADW_IS_TOAST_OVERLAY (content))
    return;
  demos->toast = g_object_ref (adw_toast_new (text));
  adw_toast_set_timeout (demos->toast, timeout);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (content), g_object_ref (demos->toast));
}

static void
set_running (Demos *demos, gboolean running)
{
  demos->running = running;
  GAction *run = g_action_map_lookup_action (G_ACTION_MAP (demos->actions), "run");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (run), !running);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Demos *demos = user_data;
  g_autoptr (GError) error = NULL;
  Run *run = g_task_get_task_data (G_TASK (result));
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (demos->window == NULL)
    {
      /* The window closed while recording (see demos_free()). */
      g_free (demos);
      return;
    }
  set_running (demos, FALSE);
  if (!ok)
    {
      show_toast (demos, error->message, 8);
      return;
    }
  dismiss_toast (demos);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (demos->window));
  if (app == NULL)
    return;
  const char *opened = run->results[1] != NULL ? run->results[1] : run->results[0];
  g_autoptr (GFile) file = g_file_new_for_path (opened);
  PyroWindow *window = pyro_application_open_file (PYRO_APPLICATION (app), file, demos->window);
  if (run->results[1] != NULL)
    {
      g_autoptr (GFile) before = g_file_new_for_path (run->results[0]);
      pyro_compare_bar_compare_with_file (pyro_window_get_compare_bar (window), before);
    }
}

static void
run_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Demos *demos = user_data;
  const char *which = g_variant_get_string (parameter, NULL);
  g_autofree char *examples = pyro_demos_find_examples ();
  if (examples == NULL || demos->running)
    {
      if (examples == NULL)
        show_toast (demos, _("The course demos are not installed"), 5);
      return;
    }

  g_autoptr (GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  run->dir = g_dir_make_tmp ("pyrometer-demo-XXXXXX", &error);
  if (run->dir == NULL)
    {
      show_toast (demos, error->message, 8);
      run_free (run);
      return;
    }
  gboolean compare = !g_str_has_suffix (which, "_slow") && !g_str_has_suffix (which, "_fast");
  g_autofree char *message = NULL;
  if (compare)
    {
      g_autofree char *slow = g_strconcat (which, "_slow.py", NULL);
      g_autofree char *fast = g_strconcat (which, "_fast.py", NULL);
      run->lesson = g_strdup (which);
      run->slow = g_build_filename (examples, slow, NULL);
      run->fast = g_build_filename (examples, fast, NULL);
      message = g_strdup_printf (_("Recording %s and %s…"), slow, fast);
    }
  else
    {
      g_autofree char *name = g_strconcat (which, ".py", NULL);
      run->slow = g_build_filename (examples, name, NULL);
      message = g_strdup_printf (_("Recording %s…"), name);
    }
  if (!g_file_test (run->slow, G_FILE_TEST_IS_REGULAR)
      || (run->fast != NULL && !g_file_test (run->fast, G_FILE_TEST_IS_REGULAR)))
    {
      g_autofree char *missing = g_strdup_printf (_("No demo called “%s” in %s"), which, examples);
      show_toast (demos, missing, 5);
      run_free (run);
      return;
    }

  show_toast (demos, message, 0);
  set_running (demos, TRUE);
  GTask *task = g_task_new (NULL, NULL, run_done, demos);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  g_task_run_in_thread (task, run_thread);
  g_object_unref (task);
}

static void
bundled_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  Demos *demos = user_data;
  g_autoptr (GFile) file = pyro_demos_find_bundled ();
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (demos->window));
  if (file == NULL)
    show_toast (demos, _("The bundled demo recording is not installed"), 5);
  else if (app != NULL)
    pyro_application_open_file (PYRO_APPLICATION (app), file, demos->window);
}

static const GActionEntry demo_actions[] = {
  { .name = "run", .activate = run_action, .parameter_type = "s" },
  { .name = "bundled", .activate = bundled_action },
};

/* The window may close while a lesson records: the task then finds no
 * window and only frees what it made. */
static void
demos_free (Demos *demos)
{
  demos->window = NULL;
  g_clear_object (&demos->toast);
  g_clear_object (&demos->actions);
  if (!demos->running)
    g_free (demos);
}

static void
fill_menu (GMenu *menu)
{
  for (guint i = 0; i < G_N_ELEMENTS (lessons); i++)
    {
      g_autoptr (GMenu) section = g_menu_new ();
      struct { const char *label; const char *suffix; } items[] = {
        { N_("Run the Slow Version"), "_slow" },
        { N_("Run the Fast Version"), "_fast" },
        { N_("Compare Slow and Fast"), "" },
      };
      for (guint j = 0; j < G_N_ELEMENTS (items); j++)
        {
          g_autofree char *target = g_strconcat (lessons[i].id, items[j].suffix, NULL);
          g_autoptr (GMenuItem) item = g_menu_item_new (_(items[j].label), NULL);
          g_menu_item_set_action_and_target (item, "demos.run", "s", target);
          g_menu_append_item (section, item);
        }
      g_menu_append_section (menu, _(lessons[i].title), G_MENU_MODEL (section));
    }
  g_autoptr (GMenu) bundled = g_menu_new ();
  g_menu_append (bundled, _("Open the Bundled Recording"), "demos.bundled");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (bundled));
}

void
pyro_demos_attach (PyroWindow *window, GMenu *menu)
{
  Demos *demos = g_new0 (Demos, 1);
  demos->window = window;
  demos->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (demos->actions), demo_actions,
                                   G_N_ELEMENTS (demo_actions), demos);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "demos", G_ACTION_GROUP (demos->actions));
  g_object_set_data_full (G_OBJECT (window), "pyro-demos", demos, (GDestroyNotify) demos_free);
  if (menu != NULL && g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    fill_menu (menu);
}
