/* The hotspot tour: ranking, caption numbers, lines. */
#include "core/hotspot-tour.h"
#include "formats/reader.h"
#include "fixtures.h"

#include <string.h>

static void
test_sampled (void)
{
  /* fib's own time sits on line 3; main calls it from line 12 */
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (
    "<module> (hot.py:20);main (hot.py:12);fib (hot.py:3) 50\n"
    "<module> (hot.py:20);main (hot.py:12);fib (hot.py:4) 12\n"
    "<module> (hot.py:20);main (hot.py:13);setup (hot.py:8) 30\n"
    "<module> (hot.py:20);main (hot.py:14) 8\n");
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (GArray) steps = pyro_hotspot_tour_new (tree, 5);

  g_assert_cmpuint (steps->len, ==, 3);
  const PyroTourStep *first = &g_array_index (steps, PyroTourStep, 0);
  g_assert_cmpuint (first->func, ==, fixture_func (p, "fib"));
  g_assert_cmpfloat (first->self, ==, 62);
  g_assert_cmpfloat (first->self_pct, ==, 62);
  g_assert_cmpuint (first->caller, ==, fixture_func (p, "main"));
  g_assert_cmpuint (first->call_line, ==, 12);
  g_assert_cmpuint (first->hottest_line, ==, 3);
  g_assert_cmpuint (tree->func[first->node], ==, first->func);
  g_assert_cmpstr (first->caption, ==, "fib — 62% of the time, called from main (hot.py:12); its hottest line is 3");
  g_assert_cmpuint (g_array_index (steps, PyroTourStep, 1).func, ==, fixture_func (p, "setup"));
}

static char *
python (void)
{
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup ("/usr/bin/python3");
  return g_find_program_in_path ("python3");
}

/* A real cProfile dump of the Fibonacci demo: exact call counts. */
static void
test_cprofile (void)
{
  g_autofree char *py = python ();
  if (py == NULL)
    {
      g_test_skip ("no python3 on this machine");
      return;
    }
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "examples", "fib_slow.py", NULL);
  g_autofree char *out = fixture_temp_path ("fib.prof");
  const char *argv[] = { py, "-m", "cProfile", "-o", out, script, NULL };
  int status;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_autoptr (PyroProfile) p = pyro_format_load_file (out, NULL, NULL, NULL, &error);
  if (p == NULL && g_error_matches (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_UNKNOWN_FORMAT))
    {
      g_test_skip ("no reader for cProfile dumps in this build");
      return;
    }
  g_assert_no_error (error);
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (GArray) steps = pyro_hotspot_tour_new (tree, 5);
  g_assert_cmpuint (steps->len, >=, 1);
  const PyroTourStep *first = &g_array_index (steps, PyroTourStep, 0);
  g_assert_cmpstr (pyro_profile_func_name (p, first->func), ==, "fib");

  /* fib(32) naive: 2 * fib(33) - 1 calls */
  g_assert_cmpfloat (first->calls, ==, 7049155);
  g_assert_nonnull (strstr (first->caption, "7,049,155 calls"));
  g_assert_nonnull (strstr (first->caption, "called from main"));
  const PyroFuncStats *stats = NULL;
  for (guint i = 0; i < p->func_stats->len; i++)
    if (g_array_index (p->func_stats, PyroFuncStats, i).func == first->func)
      stats = &g_array_index (p->func_stats, PyroFuncStats, i);
  g_assert_nonnull (stats);
  g_assert_cmpfloat (first->self, ==, stats->self_time);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tour/sampled", test_sampled);
  g_test_add_func ("/tour/cprofile", test_cprofile);
  return g_test_run ();
}
