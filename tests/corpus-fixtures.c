#include "corpus-fixtures.h"
#include "fixtures.h"

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

static char *
fixture_lprof (void)
{
  g_autofree char *script = fixture_write_temp ("lprof_script.py",
                                                "@profile\n"
                                                "def work(n):\n"
                                                "    total = 0\n"
                                                "    for i in range(n):\n"
                                                "        total += i * i\n"
                                                "    return total\n"
                                                "work(2000)\n", -1);
  const char *argv[] = { "kernprof", "-l", "-o", "@OUT@", script, NULL };
  return run_to_file ("fixture.lprof", argv);
}

const CorpusFixture corpus_fixtures[] = {
  { "folded", fixture_folded },
  { "pstats", fixture_pstats },
  { "profile-module", fixture_profile_module },
  { "speedscope", fixture_speedscope },
  { "austin", fixture_austin },
  { "chrome-trace", fixture_chrome },
  { "mprof", fixture_mprof },
  { "lprof", fixture_lprof },
  { "perf-data", fixture_perf },
  { "recording", fixture_recording },
  { NULL, NULL },
};
