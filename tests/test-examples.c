/* The course demos in examples/: each pair gives the same answer, finishes
 * in under 10 s, and the slow version costs at least 3x the fast one, so
 * the lesson shows.  CPU time is compared rather than wall time so that a
 * busy machine does not decide the outcome. */
#include <glib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  char *output;
  double cpu_s;    /* user + system, children included */
  double wall_s;
  long peak_kb;
} DemoRun;

static char *
python (void)
{
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("/usr/bin/python3");
  return g_find_program_in_path ("python3");
}

static void
run_demo (const char *script, DemoRun *run)
{
  g_autofree char *py = python ();
  if (py == NULL)
    {
      g_test_skip ("no python3 on this machine");
      return;
    }
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "examples", script, NULL);
  const char *argv[] = { py, path, NULL };
  GPid pid;
  int out_fd;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  GString *out = g_string_new (NULL);
  char buf[4096];
  ssize_t n;
  while ((n = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, n);
  close (out_fd);

  int status;
  struct rusage ru;
  g_assert_cmpint (wait4 (pid, &status, 0, &ru), ==, pid);
  run->wall_s = (g_get_monotonic_time () - start) / 1e6;
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  /* wait4's usage includes the processes the demo waited for (a pool) */
  run->cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  run->peak_kb = ru.ru_maxrss;
  run->output = g_string_free (out, FALSE);
  g_test_message ("%s: %.2f s wall, %.2f s CPU, %ld KB peak", script, run->wall_s, run->cpu_s, run->peak_kb);
  g_assert_cmpfloat (run->wall_s, <, 10.0);
}

static void
run_pair (const char *lesson, DemoRun *slow, DemoRun *fast)
{
  g_autofree char *slow_py = g_strdup_printf ("%s_slow.py", lesson);
  g_autofree char *fast_py = g_strdup_printf ("%s_fast.py", lesson);
  run_demo (slow_py, slow);
  if (g_test_failed () || slow->output == NULL)
    return;
  run_demo (fast_py, fast);
  g_assert_cmpstr (slow->output, ==, fast->output);
}

static void
test_time_lesson (gconstpointer data)
{
  DemoRun slow = { 0 }, fast = { 0 };
  run_pair (data, &slow, &fast);
  if (slow.output != NULL && fast.output != NULL)
    g_assert_cmpfloat (slow.cpu_s, >=, 3 * fast.cpu_s);
  g_free (slow.output);
  g_free (fast.output);
}

static void
test_memory_lesson (void)
{
  DemoRun slow = { 0 }, fast = { 0 };
  run_pair ("generator", &slow, &fast);
  if (slow.output != NULL && fast.output != NULL)
    g_assert_cmpint (slow.peak_kb, >=, 3 * fast.peak_kb);
  g_free (slow.output);
  g_free (fast.output);
}

/* On CPU-bound work, threads share one interpreter lock: however many
 * cores there are, the threaded version keeps about one busy.  (Its time
 * ratio against processes is bounded by the number of cores, so it is
 * not asserted.) */
static void
test_threads_lesson (void)
{
  DemoRun slow = { 0 }, fast = { 0 };
  run_pair ("threads", &slow, &fast);
  if (slow.output != NULL)
    g_assert_cmpfloat (slow.cpu_s / slow.wall_s, <, 1.3);
  g_free (slow.output);
  g_free (fast.output);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/examples/fib", "fib", test_time_lesson);
  g_test_add_data_func ("/examples/membership", "membership", test_time_lesson);
  g_test_add_data_func ("/examples/concat", "concat", test_time_lesson);
  g_test_add_data_func ("/examples/loop", "loop", test_time_lesson);
  g_test_add_func ("/examples/generator", test_memory_lesson);
  g_test_add_func ("/examples/threads", test_threads_lesson);
  return g_test_run ();
}
