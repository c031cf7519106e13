/* Every reader against damaged files: each fixture truncated at 50 points
 * and bit-flipped at 200.  Each case must end in under 2 s with either a
 * profile or an error that names the file; a crash ends this binary and
 * fails the test. */
#include "core/call-tree.h"
#include "formats/reader.h"
#include "fixtures.h"

#include <string.h>

typedef char *(*FixtureFunc) (void);

static char *
run_to_file (const char *basename, const char *const *argv)
{
  g_autofree char *out = fixture_temp_path (basename);
  g_autoptr (GError) error = NULL;
  int status = -1;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, g_str_equal (argv[i], "@OUT@") ? out : (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL) || !g_file_test (out, G_FILE_TEST_EXISTS))
    return NULL;
  return g_steal_pointer (&out);
}

static char *
python_script (void)
{
  static const char script[] =
    "import threading\n"
    "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    "class Worker:\n    def run(self):\n        return sum(i * i for i in range(20000))\n"
    "def main():\n    t = threading.Thread(target=Worker().run)\n    t.start()\n    fib(16)\n    t.join()\n"
    "main()\n";
  return fixture_write_temp ("demo_script.py", script, -1);
}

static char *
fixture_folded (void)
{
  return fixture_write_temp ("fixture.folded",
                             "main;parse;read 10\nmain;parse 5\nmain;compute;fib;fib 70\n"
                             "<module> (app.py:3);run (app.py:9) 4\nschedule_[k] 2\n", -1);
}

static char *
fixture_pstats (void)
{
  g_autofree char *script = python_script ();
  const char *argv[] = { "python3", "-m", "cProfile", "-o", "@OUT@", script, NULL };
  return run_to_file ("fixture.prof", argv);
}

static char *
fixture_profile_module (void)
{
  g_autofree char *script = python_script ();
  const char *argv[] = { "python3", "-m", "profile", "-o", "@OUT@", script, NULL };
  return run_to_file ("fixture-profile.prof", argv);
}

static char *
fixture_speedscope (void)
{
  g_autofree char *folded = fixture_folded ();
  const char *argv[] = { g_getenv ("PYRO_BIN"), "export", folded, "-o", "@OUT@", NULL };
  return run_to_file ("fixture.speedscope.json", argv);
}

static char *
fixture_austin (void)
{
  return fixture_write_temp ("fixture.austin",
                             "# austin: 3.6.0\n# interval: 100\n# mode: wall\n\n"
                             "P4242;T0:4242;app.py:<module>:1;app.py:main:10;app.py:busy:4 300\n"
                             "P4242;T0:4242;app.py:<module>:1;app.py:main:11 100\n", -1);
}

static char *
fixture_chrome (void)
{
  return fixture_write_temp ("fixture.json",
                             "{\"traceEvents\": ["
                             "{\"name\": \"main\", \"ph\": \"B\", \"ts\": 0, \"pid\": 1, \"tid\": 1},"
                             "{\"name\": \"work\", \"ph\": \"X\", \"ts\": 10, \"dur\": 50, \"pid\": 1, \"tid\": 1},"
                             "{\"name\": \"main\", \"ph\": \"E\", \"ts\": 100, \"pid\": 1, \"tid\": 1}]}", -1);
}

static char *
fixture_mprof (void)
{
  return fixture_write_temp ("mprofile_fixture.dat",
                             "CMDLINE python3 alloc.py\n"
                             "MEM 10.5 1700000000.0\n"
                             "FUNC __main__.alloc 10.6 1700000000.1 110.2 1700000000.5 0\n"
                             "MEM 110.4 1700000000.6\n"
                             "CHLD 4243 5.0 1700000000.6\n"
                             "MEM 11.0 1700000001.0\n", -1);
}

static char *
fixture_perf (void)
{
  g_autofree char *script = python_script ();
  const char *argv[] = { "perf", "record", "-q", "-F", "999", "-g", "-o", "@OUT@", "python3", script, NULL };
  return run_to_file ("fixture.perf.data", argv);
}

static char *
fixture_recording (void)
{
  g_autofree char *script = python_script ();
  const char *argv[] = { g_getenv ("PYRO_BIN"), "record", "-o", "@OUT@", "--", "python3", script, NULL };
  return run_to_file ("fixture.syscap", argv);
}

static void
load_one (const char *path, const char *what)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (PyroProfile) profile = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  if (profile != NULL)
    {
      /* a profile that loads must also derive */
      g_autoptr (PyroCallTree) tree = pyro_call_tree_new (profile, NULL, NULL, NULL);
      g_assert_nonnull (tree);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
      if (strstr (error->message, path) == NULL)
        g_error ("%s: the error does not name the file: %s", what, error->message);
    }
  double elapsed = (g_get_monotonic_time () - start) / 1e6;
  if (elapsed > 2.0)
    g_error ("%s took %.1f s", what, elapsed);
}

static void
test_fixture (gconstpointer data)
{
  FixtureFunc make = (FixtureFunc) data;
  g_autofree char *path = make ();
  if (path == NULL)
    {
      g_test_skip ("the tool that makes this fixture is not available here");
      return;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) intact = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  if (intact == NULL)
    {
      g_test_skip_printf ("no reader for this fixture yet: %s", error->message);
      return;
    }

  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_autofree char *damaged = fixture_temp_path ("damaged");
  g_autoptr (GRand) rand = g_rand_new_with_seed (len);

  for (guint i = 1; i <= 50; i++)
    {
      gsize cut = len * i / 51;
      g_assert_true (g_file_set_contents (damaged, bytes, (gssize) cut, NULL));
      g_autofree char *what = g_strdup_printf ("%s cut at %" G_GSIZE_FORMAT, path, cut);
      load_one (damaged, what);
    }
  g_autofree char *copy = g_memdup2 (bytes, len);
  for (guint i = 0; i < 200; i++)
    {
      gsize at = g_rand_int_range (rand, 0, (gint32) MIN (len, G_MAXINT32));
      guint8 bit = (guint8) (1u << g_rand_int_range (rand, 0, 8));
      copy[at] ^= bit;
      g_assert_true (g_file_set_contents (damaged, copy, (gssize) len, NULL));
      g_autofree char *what = g_strdup_printf ("%s with bit %u of byte %" G_GSIZE_FORMAT " flipped", path, bit, at);
      load_one (damaged, what);
      copy[at] ^= bit;
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/corrupt/folded", fixture_folded, test_fixture);
  g_test_add_data_func ("/corrupt/pstats", fixture_pstats, test_fixture);
  g_test_add_data_func ("/corrupt/profile-module", fixture_profile_module, test_fixture);
  g_test_add_data_func ("/corrupt/speedscope", fixture_speedscope, test_fixture);
  g_test_add_data_func ("/corrupt/austin", fixture_austin, test_fixture);
  g_test_add_data_func ("/corrupt/chrome-trace", fixture_chrome, test_fixture);
  g_test_add_data_func ("/corrupt/mprof", fixture_mprof, test_fixture);
  g_test_add_data_func ("/corrupt/perf-data", fixture_perf, test_fixture);
  g_test_add_data_func ("/corrupt/recording", fixture_recording, test_fixture);
  return g_test_run ();
}
