/* test-process-list.c — the Attach dialog's process list: it finds the
 * test's own children with their owner and command line, marks a Python
 * interpreter, measures CPU use between refreshes, updates its items in
 * place, and lists the user's own processes first. */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/process-list.h"

static gboolean
timed_out (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Refreshes and spins the main loop until the new items are in. */
static void
refresh_and_wait (PyroProcessList *list)
{
  guint before = pyro_process_list_get_generation (list);
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (30, timed_out, &expired);
  pyro_process_list_refresh (list);
  while (pyro_process_list_get_generation (list) == before && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
}

static GSubprocess *
spawn (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  return child;
}

static void
stop (GSubprocess *child)
{
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
}

/* The interpreter itself: python3 in PATH may be a wrapper script. */
static char *
find_python (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    return NULL;
  const char *argv[] = { python, "-c", "import sys; print(sys.executable)", NULL };
  g_autofree char *out = NULL;
  int status;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup (g_strstrip (out));
}

static void
test_children (void)
{
  g_autofree char *python = find_python ();
  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }
  const char *sleeper_argv[] = { "sleep", "60", NULL };
  const char *python_argv[] = { python, "-c", "import time; time.sleep(60)", NULL };
  /* A busy loop of a second's worth of CPU per second. */
  const char *busy_argv[] = { "sh", "-c", "while :; do :; done", NULL };
  g_autoptr (GSubprocess) sleeper = spawn (sleeper_argv);
  g_autoptr (GSubprocess) py = spawn (python_argv);
  g_autoptr (GSubprocess) busy = spawn (busy_argv);
  guint32 sleeper_pid = (guint32) atoi (g_subprocess_get_identifier (sleeper));
  guint32 python_pid = (guint32) atoi (g_subprocess_get_identifier (py));
  guint32 busy_pid = (guint32) atoi (g_subprocess_get_identifier (busy));

  g_autoptr (PyroProcessList) list = pyro_process_list_new ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  refresh_and_wait (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >=, 3);

  PyroProcess *s = pyro_process_list_find (list, sleeper_pid);
  g_assert_nonnull (s);
  g_assert_cmpuint (pyro_process_get_pid (s), ==, sleeper_pid);
  g_assert_cmpstr (pyro_process_get_command (s), ==, "sleep 60");
  g_assert_cmpstr (pyro_process_get_user (s), ==, g_get_user_name ());
  g_assert_true (pyro_process_get_own (s));
  g_assert_false (pyro_process_get_python (s));
  /* one reading: no rate yet */
  g_assert_cmpfloat (pyro_process_get_cpu (s), <, 0);

  PyroProcess *p = pyro_process_list_find (list, python_pid);
  g_assert_nonnull (p);
  g_assert_true (pyro_process_get_python (p));
  g_assert_true (g_str_has_suffix (pyro_process_get_command (p), "import time; time.sleep(60)"));
  g_assert_true (pyro_process_is_python (python_pid));
  g_assert_false (pyro_process_is_python (busy_pid));
  /* the list leaves itself out */
  g_assert_null (pyro_process_list_find (list, (guint32) getpid ()));

  g_usleep (G_USEC_PER_SEC / 2);
  refresh_and_wait (list);
  /* updated in place, so that views keep their rows */
  g_assert_true (pyro_process_list_find (list, sleeper_pid) == s);
  s = pyro_process_list_find (list, sleeper_pid);
  PyroProcess *b = pyro_process_list_find (list, busy_pid);
  g_assert_nonnull (s);
  g_assert_nonnull (b);
  g_assert_cmpfloat (pyro_process_get_cpu (s), >=, 0);
  g_assert_cmpfloat (pyro_process_get_cpu (s), <, 5);
  /* The busy loop competes with everything else on the machine, so only
   * "clearly busy" is asserted. */
  g_assert_cmpfloat (pyro_process_get_cpu (b), >, 5);
  g_assert_true (pyro_process_get_python (pyro_process_list_find (list, python_pid)));

  /* own processes first, the newest first */
  gboolean seen_other = FALSE;
  guint32 previous_own = G_MAXUINT32;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (PyroProcess) item = g_list_model_get_item (G_LIST_MODEL (list), i);
      if (!pyro_process_get_own (item))
        seen_other = TRUE;
      else
        {
          g_assert_false (seen_other);
          g_assert_cmpuint (pyro_process_get_pid (item), <, previous_own);
          previous_own = pyro_process_get_pid (item);
        }
    }

  /* gone after exit */
  stop (sleeper);
  refresh_and_wait (list);
  g_assert_null (pyro_process_list_find (list, sleeper_pid));
  stop (py);
  stop (busy);
}

static void
test_not_python (void)
{
  /* No process 0 exists, and this test is a C program. */
  g_assert_false (pyro_process_is_python (0));
  g_assert_false (pyro_process_is_python ((guint32) getpid ()));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/process-list/children", test_children);
  g_test_add_func ("/process-list/not-python", test_not_python);
  return g_test_run ();
}
