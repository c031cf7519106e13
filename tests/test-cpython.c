/* test-cpython.c — the CPython frame reader and sampler against every Python
 * on the machine (pyenv's 3.11, 3.12, 3.13 and the system python3). */
#include <errno.h>
#include <gio/gio.h>
#include <math.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/call-tree.h"
#include "core/function-table.h"
#include "formats/reader.h"
#include "sampler/cpython-linetable.h"
#include "sampler/cpython-reader.h"
#include "sampler/cpython-sampler.h"
#include "sampler/cpython-stack-source.h"
#include "sampler/cpython-target.h"
#include "sampler/recorder.h"

typedef struct {
  const char *label;   /* "3.11", ..., "system" */
  char *path;          /* NULL when absent */
  char *why_absent;
} Python;

static Python pythons[] = {
  { "3.11" }, { "3.12" }, { "3.13" }, { "system" },
};

static char *workdir;

/* busy_a runs three times as many iterations of the same loop as busy_b. */
static const char ratio_script[] =
  "import sys\n"                                          /* 1 */
  "class Worker:\n"                                       /* 2 */
  "    def busy_a(self, n):\n"                            /* 3 */
  "        x = 0\n"                                       /* 4 */
  "        for i in range(n):\n"                          /* 5 */
  "            x += (i * i) % 7 + (i ^ 3) - (i >> 2)\n"   /* 6: the loop body */
  "        return x\n"                                    /* 7 */
  "def busy_b(n):\n"                                      /* 8 */
  "    def inner(n):\n"                                   /* 9 */
  "        y = 0\n"                                       /* 10 */
  "        for i in range(n):\n"                          /* 11 */
  "            y += (i * i) % 7 + (i ^ 3) - (i >> 2)\n"   /* 12 */
  "        return y\n"                                    /* 13 */
  "    return inner(n)\n"                                 /* 14 */
  "def main(rounds):\n"                                   /* 15 */
  "    w = Worker()\n"                                    /* 16 */
  "    if len(sys.argv) != 2: print('ready', flush=True)\n" /* 17 */
  "    r = 0\n"                                           /* 18 */
  "    while rounds != 0:\n"                              /* 19 */
  "        w.busy_a(30000)\n"                             /* 20 */
  "        busy_b(10000)\n"                               /* 21 */
  "        rounds -= 1\n"                                 /* 22 */
  "main(int(sys.argv[1]) if len(sys.argv) > 1 else -1)\n";

static const char threads_script[] =
  "import threading\n"
  "def spin():\n"
  "    x = 0\n"
  "    while True:\n"
  "        x += 1\n"
  "for i in range(3):\n"
  "    threading.Thread(target=spin, name=f'worker-{i + 1}', daemon=True).start()\n"
  "print('ready', flush=True)\n"
  "spin()\n";

/* Dumps, for every code object of a big module, its location table and the
 * line of each code unit according to co_positions(). */
static const char linetable_dump_script[] =
  "import sys, types, importlib\n"
  "mod = importlib.import_module(sys.argv[1])\n"
  "seen = set()\n"
  "def walk(co):\n"
  "    if id(co) in seen: return\n"
  "    seen.add(id(co))\n"
  "    yield co\n"
  "    for c in co.co_consts:\n"
  "        if isinstance(c, types.CodeType): yield from walk(c)\n"
  "src = open(mod.__file__).read()\n"
  "top = compile(src, mod.__file__, 'exec')\n"
  "out = sys.stdout\n"
  "for co in walk(top):\n"
  "    lines = [p[0] for p in co.co_positions()]\n"
  "    assert len(lines) == len(co.co_code) // 2\n"
  "    out.write('%d %s %s\\n' % (co.co_firstlineno, co.co_linetable.hex() or '-', co.co_qualname))\n"
  "    out.write(' '.join('-1' if l is None else str(l) for l in lines) + '\\n')\n";

static const char short_script[] =
  "import time\n"
  "def quick():\n"
  "    end = time.process_time() + 0.06\n"
  "    while time.process_time() < end:\n"
  "        pass\n"
  "quick()\n";

/* One thread sleeps, the main thread burns CPU holding the GIL. */
static const char idle_script[] =
  "import threading, time\n"
  "def sleeper():\n"
  "    while True:\n"
  "        time.sleep(10)\n"
  "def burner(n):\n"
  "    x = 0\n"
  "    for i in range(n):\n"
  "        x += (i * i) % 7\n"
  "    return x\n"
  "threading.Thread(target=sleeper, name='sleepy', daemon=True).start()\n"
  "end = time.monotonic() + 1.5\n"
  "while time.monotonic() < end:\n"
  "    burner(20000)\n";

/* The main thread grows the memory by 120 MiB in grow() while another
 * thread sleeps. */
static const char grow_script[] =
  "import threading, time\n"
  "def sleeper():\n"
  "    time.sleep(10)\n"
  "def grow():\n"
  "    chunks = []\n"
  "    for i in range(120):\n"
  "        chunks.append(bytearray(1 << 20))\n"
  "        time.sleep(0.003)\n"
  "    end = time.monotonic() + 0.3\n"
  "    while time.monotonic() < end:\n"
  "        pass\n"
  "    return chunks\n"
  "threading.Thread(target=sleeper, daemon=True).start()\n"
  "time.sleep(0.1)\n"
  "kept = grow()\n";

/* A pool of two worker processes, each running work_a and work_b. */
static const char pool_script[] =
  "import multiprocessing, os\n"
  "def work_a(n):\n"
  "    x = 0\n"
  "    for i in range(n):\n"
  "        x += (i * i) % 7\n"
  "    return os.getpid()\n"
  "def work_b(n):\n"
  "    y = 0\n"
  "    for i in range(n):\n"
  "        y += (i ^ 3) % 5\n"
  "    return os.getpid()\n"
  "if __name__ == '__main__':\n"
  "    multiprocessing.set_start_method('fork')\n"
  "    with multiprocessing.Pool(2) as pool:\n"
  "        pids = set()\n"
  "        for r in range(3):\n"
  "            pids.update(pool.map(work_a, [500000] * 4, chunksize=1))\n"
  "            pids.update(pool.map(work_b, [500000] * 4, chunksize=1))\n"
  "        assert len(pids) == 2, pids\n";

/* A C function called through ctypes from a Python line (line 5). */
static const char hot_c_source[] =
  "__attribute__((noinline)) long hot_c (long n)\n"
  "{\n"
  "  volatile long x = 0;\n"
  "  for (long i = 0; i < n; i++)\n"
  "    x += i ^ (i >> 3);\n"
  "  return x;\n"
  "}\n";

static const char ctypes_script[] =
  "import ctypes, sys\n"                      /* 1 */
  "lib = ctypes.CDLL(sys.argv[1])\n"          /* 2 */
  "def call_c():\n"                           /* 3 */
  "    for _ in range(25):\n"                 /* 4 */
  "        lib.hot_c(ctypes.c_long(20000000))\n" /* 5 */
  "call_c()\n";

static void
find_pythons (void)
{
  const char *root = g_getenv ("PYENV_ROOT");
  g_autofree char *versions = g_build_filename (root ? root : g_get_home_dir (),
                                                root ? "versions" : ".pyenv/versions", NULL);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GDir) dir = g_dir_open (versions, 0, NULL);
      g_autofree char *prefix = g_strdup_printf ("%s.", pythons[i].label);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, prefix))
          {
            g_autofree char *exe = g_strdup_printf ("python%s", pythons[i].label);
            char *path = g_build_filename (versions, name, "bin", exe, NULL);
            if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
              {
                g_free (pythons[i].path);
                pythons[i].path = path;
              }
            else
              g_free (path);
          }
      if (pythons[i].path == NULL)
        pythons[i].why_absent = g_strdup_printf ("no pyenv Python %s under %s", pythons[i].label,
                                                 versions);
    }

  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      const char *argv[] = { "/usr/bin/python3", "-c",
                             "import sys; print(sys.version_info >= (3, 11))", NULL };
      g_autofree char *out = NULL;
      if (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, NULL, NULL) &&
          g_str_has_prefix (out, "True"))
        pythons[3].path = g_strdup ("/usr/bin/python3");
      else
        pythons[3].why_absent = g_strdup ("/usr/bin/python3 is older than 3.11");
    }
  else
    pythons[3].why_absent = g_strdup ("no /usr/bin/python3");
}

static gboolean
need_python (const Python *py)
{
  if (py->path == NULL)
    {
      g_test_skip (py->why_absent);
      return FALSE;
    }
  return TRUE;
}

static char *
write_script (const char *name, const char *text)
{
  char *path = g_build_filename (workdir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Compiles @source (written as @name.c) with cc and @flags into @output in
 * the work directory; returns the output's path, or NULL when there is no
 * working C compiler. */
static char *
build_c (const char *name, const char *source, const char *output, const char *const *flags)
{
  g_autofree char *c_name = g_strconcat (name, ".c", NULL);
  g_autofree char *c_file = write_script (c_name, source);
  g_autofree char *out = g_build_filename (workdir, output, NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) "cc");
  for (; flags != NULL && *flags != NULL; flags++)
    g_ptr_array_add (argv, (gpointer) *flags);
  g_ptr_array_add (argv, (gpointer) "-o");
  g_ptr_array_add (argv, out);
  g_ptr_array_add (argv, c_file);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GSubprocess) cc = g_subprocess_newv ((const char *const *) argv->pdata,
                                                  G_SUBPROCESS_FLAGS_STDERR_MERGE |
                                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE, NULL);
  if (cc == NULL || !g_subprocess_wait_check (cc, NULL, NULL))
    return NULL;
  return g_steal_pointer (&out);
}

/* Starts @argv and waits for its "ready" line. */
static GSubprocess *
start_ready (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "ready");
  return proc;
}

static void
stop_process (GSubprocess *proc)
{
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
}

static PyroProfile *
record_for (PyroCPythonSampler *sampler, guint ms, gboolean keep_idle)
{
  g_autoptr (GError) error = NULL;

  pyro_cpython_sampler_set_keep_idle (sampler, keep_idle);
  g_assert_true (pyro_cpython_sampler_start (sampler, &error));
  g_assert_no_error (error);
  g_usleep (ms * 1000);
  pyro_cpython_sampler_stop (sampler);
  g_assert_true (pyro_cpython_sampler_wait (sampler, &error));
  g_assert_no_error (error);
  return pyro_cpython_sampler_take_profile (sampler);
}

static gboolean
stack_has_func (PyroProfile *p, guint32 stack, guint32 func)
{
  for (; stack != PYRO_NONE; stack = PYRO_COL (p->stack_parent, guint32, stack))
    if (PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, stack)) == func)
      return TRUE;
  return FALSE;
}

/* The function @name of the file whose base name is @file. */
static guint32
find_func (PyroProfile *p, const char *name, const char *file)
{
  for (guint32 f = 0; f < pyro_profile_n_funcs (p); f++)
    if (strcmp (pyro_profile_func_name (p, f), name) == 0)
      {
        g_autofree char *base = g_path_get_basename (pyro_profile_func_file (p, f));
        if (strcmp (base, file) == 0)
          return f;
      }
  return PYRO_NONE;
}

/* Checks a profile of ratio_script: names, files, the 3:1 ratio, the hot line. */
static void
check_ratio_profile (PyroProfile *p, const char *script)
{
  guint32 busy_a = find_func (p, "Worker.busy_a", "ratio.py");
  guint32 busy_b = find_func (p, "busy_b", "ratio.py");
  guint32 inner = find_func (p, "busy_b.<locals>.inner", "ratio.py");
  guint32 main_func = find_func (p, "main", "ratio.py");
  double in_a = 0, in_b = 0;
  g_autoptr (GHashTable) line_hits = g_hash_table_new (NULL, NULL);
  guint hottest = 0, hottest_hits = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (busy_a, !=, PYRO_NONE);
  g_assert_cmpuint (busy_b, !=, PYRO_NONE);
  g_assert_cmpuint (inner, !=, PYRO_NONE);
  g_assert_cmpuint (main_func, !=, PYRO_NONE);
  g_assert_cmpstr (pyro_profile_func_file (p, busy_a), ==, script);
  g_assert_cmpstr (pyro_profile_func_file (p, inner), ==, script);
  g_assert_cmpuint (pyro_profile_func_line (p, busy_a), ==, 3);
  g_assert_cmpuint (pyro_profile_func_line (p, inner), ==, 9);
  g_assert_cmpuint (pyro_profile_func_line (p, main_func), ==, 15);
  g_assert_cmpint (pyro_profile_func_kind (p, busy_a), ==, PYRO_FUNC_PYTHON);

  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 stack = PYRO_COL (p->sample_stack, guint32, i);
      guint32 leaf = PYRO_COL (p->stack_frame, guint32, stack);

      if (stack_has_func (p, stack, busy_a))
        in_a += 1;
      else if (stack_has_func (p, stack, busy_b))
        {
          g_assert_true (stack_has_func (p, stack, main_func));
          in_b += 1;
        }
      if (PYRO_COL (p->frame_func, guint32, leaf) == busy_a)
        {
          guint line = PYRO_COL (p->frame_line, guint32, leaf);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (line_hits, GUINT_TO_POINTER (line))) + 1;
          g_hash_table_insert (line_hits, GUINT_TO_POINTER (line), GUINT_TO_POINTER (n));
        }
    }
  g_assert_cmpfloat (in_a + in_b, >=, 200);
  /* Wall-clock samples: when a loaded machine preempts the target, the
   * whole wait is charged to the function it stopped in, a few long waits
   * move the split by several points (70% seen at load 5). */
  const double tolerance = 7.5;
  if (fabs (100 * in_a / (in_a + in_b) - 75) > tolerance)
    {
      g_autoptr (GHashTable) leaves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter it;
      gpointer k, v;
      for (guint i = 0; i < pyro_profile_n_samples (p); i++)
        {
          guint32 stack = PYRO_COL (p->sample_stack, guint32, i);
          GString *s = g_string_new (NULL);
          for (; stack != PYRO_NONE; stack = PYRO_COL (p->stack_parent, guint32, stack))
            g_string_append_printf (s, "%s;", pyro_profile_func_name (p, PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, stack))));
          k = g_string_free (s, FALSE);
          v = g_hash_table_lookup (leaves, k);
          g_hash_table_replace (leaves, k, GUINT_TO_POINTER (GPOINTER_TO_UINT (v) + 1));
        }
      g_hash_table_iter_init (&it, leaves);
      while (g_hash_table_iter_next (&it, &k, &v))
        if (GPOINTER_TO_UINT (v) > 5)
          g_test_message ("%5u %s", GPOINTER_TO_UINT (v), (char *) k);
    }
  g_test_message ("busy_a %.0f samples, busy_b %.0f: %.1f%% in busy_a (expected 75%%)", in_a,
                  in_b, 100 * in_a / (in_a + in_b));
  g_assert_cmpfloat (fabs (100 * in_a / (in_a + in_b) - 75), <=, tolerance);

  g_hash_table_iter_init (&iter, line_hits);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > hottest_hits)
      {
        hottest_hits = GPOINTER_TO_UINT (value);
        hottest = GPOINTER_TO_UINT (key);
      }
  g_assert_cmpuint (hottest, ==, 6);
}

static void
test_attach_ratio (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  g_autoptr (PyroProfile) profile = NULL;
  g_autoptr (GError) error = NULL;

  if (!need_python (py))
    return;
  script = write_script ("ratio.py", ratio_script);
  proc = start_ready ((const char *const[]) { py->path, script, NULL });
  sampler = pyro_cpython_sampler_attach (atoi (g_subprocess_get_identifier (proc)), &error);
  g_assert_no_error (error);
  profile = record_for (sampler, 5000, FALSE);
  stop_process (proc);
  check_ratio_profile (profile, script);
}

/* Launches @argv under the standalone sampler and waits for its normal exit. */
static PyroCPythonSampler *
launch_to_exit (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCPythonSampler) sampler = pyro_cpython_sampler_launch (argv, &error);
  g_assert_no_error (error);
  g_assert_true (pyro_cpython_sampler_start (sampler, &error));
  g_assert_true (pyro_cpython_sampler_wait (sampler, &error));
  g_assert_no_error (error);
  g_assert_true (pyro_cpython_sampler_target_exited (sampler));
  int status = pyro_cpython_sampler_get_exit_status (sampler);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return g_steal_pointer (&sampler);
}

static void
test_launch_ratio (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  g_autoptr (PyroProfile) profile = NULL;

  if (!need_python (py))
    return;
  script = write_script ("ratio.py", ratio_script);
  /* Some seconds of work, then a normal exit. */
  sampler = launch_to_exit ((const char *const[]) { py->path, script, "300", NULL });
  profile = pyro_cpython_sampler_take_profile (sampler);
  check_ratio_profile (profile, script);
}

/* A script that is over in well under 100 ms: recorded to the end, no hang. */
static void
test_launch_short (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  g_autoptr (PyroProfile) profile = NULL;
  guint32 quick;
  guint hits = 0;

  if (!need_python (py))
    return;
  script = write_script ("short.py", short_script);
  sampler = launch_to_exit ((const char *const[]) { py->path, script, NULL });
  profile = pyro_cpython_sampler_take_profile (sampler);
  quick = find_func (profile, "quick", "short.py");
  if (quick == PYRO_NONE)
    {
      PyroCPythonSamplerStats stats;
      pyro_cpython_sampler_get_stats (sampler, &stats);
      g_test_message ("%u samples, %u functions, %" G_GUINT64_FORMAT " ticks, %"
                      G_GUINT64_FORMAT " stacks, %" G_GUINT64_FORMAT " failed", pyro_profile_n_samples (profile),
                      pyro_profile_n_funcs (profile), stats.ticks, stats.stacks, stats.failed_ticks);
      for (guint32 f = 0; f < pyro_profile_n_funcs (profile); f++)
        g_test_message ("  %s %s", pyro_profile_func_name (profile, f), pyro_profile_func_file (profile, f));
    }
  g_assert_cmpuint (quick, !=, PYRO_NONE);
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    hits += stack_has_func (profile, PYRO_COL (profile->sample_stack, guint32, i), quick);
  /* 60 at 1 kHz on an idle machine; on a loaded one the timer thread
   * competes with the target for the same cores. */
  g_test_message ("%u samples in quick() of a script burning 60 ms of CPU", hits);
  g_assert_cmpuint (hits, >=, 3);
}

static void
test_threads (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  g_autoptr (PyroProfile) profile = NULL;
  g_autoptr (GError) error = NULL;
  gboolean seen[4] = { FALSE };
  guint gil_counters = 0;

  if (!need_python (py))
    return;
  script = write_script ("threads.py", threads_script);
  proc = start_ready ((const char *const[]) { py->path, script, NULL });
  sampler = pyro_cpython_sampler_attach (atoi (g_subprocess_get_identifier (proc)), &error);
  g_assert_no_error (error);
  profile = record_for (sampler, 500, TRUE);
  stop_process (proc);

  g_assert_cmpuint (pyro_profile_n_threads (profile), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const PyroThread *t = &g_array_index (profile->threads, PyroThread, i);
      const char *name = pyro_profile_str (profile, t->name);
      if (strcmp (name, "MainThread") == 0)
        seen[0] = TRUE;
      else if (g_str_has_prefix (name, "worker-") && name[7] >= '1' && name[7] <= '3')
        seen[name[7] - '0'] = TRUE;
      else
        g_error ("unexpected thread name %s", name);
    }
  g_assert_true (seen[0] && seen[1] && seen[2] && seen[3]);

  /* Four threads contend for one GIL: each holds it some of the time. */
  for (guint i = 0; i < profile->counters->len; i++)
    {
      PyroCounter *c = g_ptr_array_index (profile->counters, i);
      if (g_str_has_prefix (pyro_profile_str (profile, c->name), "GIL ("))
        for (guint j = 0; j < c->values->len; j++)
          if (g_array_index (c->values, double, j) == 1)
            {
              gil_counters++;
              break;
            }
    }
  g_assert_cmpuint (gil_counters, >=, 2);
}

/* Records @argv with the recorder (as `pyrometer record` does) into a
 * capture in workdir and loads it back. */
static PyroProfile *
record_capture_with (PyroRecordOptions *options)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = g_build_filename (workdir, "recording.syscap", NULL);
  options->output = out;
  options->stack_source = pyro_cpython_stack_source_new ();
  g_autoptr (PyroRecorder) recorder = pyro_recorder_new (options);

  if (!pyro_recorder_start (recorder, &error))
    {
      if (g_error_matches (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_PERMISSION))
        {
          g_test_skip (error->message);
          return NULL;
        }
      g_error ("%s", error->message);
    }
  g_assert_true (pyro_recorder_finish (recorder, &error));
  g_assert_no_error (error);
  PyroProfile *profile = pyro_format_load_file (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return profile;
}

static PyroProfile *
record_capture (PyroRecordMode mode, const char *const *argv, gboolean follow_children)
{
  PyroRecordOptions options = { .mode = mode, .argv = argv, .follow_children = follow_children };
  return record_capture_with (&options);
}

static double
func_total (PyroProfile *p, const PyroSelection *selection, guint32 func)
{
  g_autoptr (GError) error = NULL;
  PyroCallTree *tree = pyro_call_tree_new (p, selection, NULL, &error);
  g_assert_no_error (error);
  PyroFunctionTable *table = pyro_function_table_new (tree);
  const PyroFunctionRow *row = pyro_function_table_lookup (table, func);
  double total = row != NULL ? row->total : 0;
  pyro_function_table_free (table);
  pyro_call_tree_free (tree);
  return total;
}

/* Every thread's state travels in the capture: the sleeping thread's samples
 * are hidden unless asked for, the burning one held the GIL. */
static void
test_thread_state (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (PyroProfile) p = NULL;
  g_autoptr (PyroSelection) selection = pyro_selection_new ();
  guint32 sleeper, burner;
  double hidden, shown, burn, burn_gil;
  gboolean named = FALSE;

  if (!need_python (py))
    return;
  script = write_script ("idle.py", idle_script);
  p = record_capture (PYRO_RECORD_PYTHON, (const char *const[]) { py->path, script, NULL }, FALSE);
  if (p == NULL)
    return;
  g_assert_nonnull (p->sample_flags);
  sleeper = find_func (p, "sleeper", "idle.py");
  burner = find_func (p, "burner", "idle.py");
  g_assert_cmpuint (sleeper, !=, PYRO_NONE);
  g_assert_cmpuint (burner, !=, PYRO_NONE);
  for (guint i = 0; i < pyro_profile_n_threads (p); i++)
    named |= strcmp (pyro_profile_str (p, g_array_index (p->threads, PyroThread, i).name),
                     "sleepy") == 0;
  g_assert_true (named);

  hidden = func_total (p, selection, sleeper);
  selection->show_idle = TRUE;
  shown = func_total (p, selection, sleeper);
  selection->show_idle = FALSE;
  burn = func_total (p, selection, burner);
  selection->weight = PYRO_WEIGHT_GIL;
  burn_gil = func_total (p, selection, burner);
  g_test_message ("%s: sleeper %.0f samples hidden, %.0f shown; burner %.0f samples, %.0f holding "
                  "the GIL", py->label, hidden, shown, burn, burn_gil);
  g_assert_cmpfloat (shown, >=, 200);
  /* A thread that woke up but waits for a CPU counts as running. */
  g_assert_cmpfloat (hidden, <=, 0.05 * shown);
  g_assert_cmpfloat (burn, >=, 200);
  /* Near 100%: on a loaded machine the sleeper, woken, may hold the GIL
   * waiting for a CPU while the burner is counted as running. */
  g_assert_cmpfloat (burn_gil / burn, >=, 0.85);
}

/* The RSS growth goes to the stack of the thread that held the GIL. */
static void
test_memory (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (PyroProfile) p = NULL;
  guint32 grow, sleeper;
  double in_grow = 0, in_sleeper = 0, total = 0;

  if (!need_python (py))
    return;
  script = write_script ("grow.py", grow_script);
  p = record_capture (PYRO_RECORD_PYTHON, (const char *const[]) { py->path, script, NULL }, FALSE);
  if (p == NULL)
    return;
  grow = find_func (p, "grow", "grow.py");
  if (grow == PYRO_NONE)
    {
      /* Seen once in a CI run on a loaded machine: a recording of this
       * sub-second script without one sample of it.  Say what the capture
       * held and record once more, so that a second miss fails. */
      g_test_message ("%s: no sample in grow(): %u samples, %u functions, %u threads; recording again",
                      py->label, pyro_profile_n_samples (p), pyro_profile_n_funcs (p),
                      pyro_profile_n_threads (p));
      g_clear_pointer (&p, pyro_profile_unref);
      p = record_capture (PYRO_RECORD_PYTHON, (const char *const[]) { py->path, script, NULL }, FALSE);
      g_assert_nonnull (p);
      grow = find_func (p, "grow", "grow.py");
    }
  sleeper = find_func (p, "sleeper", "grow.py");
  g_assert_cmpuint (grow, !=, PYRO_NONE);
  g_assert_cmpuint (sleeper, !=, PYRO_NONE);
  g_assert_nonnull (p->sample_bytes);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      double bytes = PYRO_COL (p->sample_bytes, double, i);
      total += bytes;
      if (stack_has_func (p, PYRO_COL (p->sample_stack, guint32, i), grow))
        in_grow += bytes;
      if (stack_has_func (p, PYRO_COL (p->sample_stack, guint32, i), sleeper))
        in_sleeper += bytes;
    }
  g_test_message ("%s: %.0f MiB of growth charged, %.0f MiB to grow(), %.1f MiB to the sleeping "
                  "thread", py->label, total / 1048576, in_grow / 1048576, in_sleeper / 1048576);
  /* grow() ends holding the GIL for 0.3 s, so the polls that a loaded
   * machine delayed are still charged to it; imports grow too. */
  g_assert_cmpfloat (in_grow, >=, 60 * 1048576.0);
  g_assert_cmpfloat (in_sleeper, <=, 0.02 * total);
}

/* --subprocesses: each pool worker is sampled, as a process of its own. */
static void
test_subprocesses (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autoptr (PyroProfile) p = NULL;
  g_autoptr (GHashTable) pids_a = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) pids_b = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) pids = g_hash_table_new (NULL, NULL);
  guint32 work_a, work_b;

  if (!need_python (py))
    return;
  script = write_script ("pool.py", pool_script);
  p = record_capture (PYRO_RECORD_PYTHON, (const char *const[]) { py->path, script, NULL }, TRUE);
  if (p == NULL)
    return;
  work_a = find_func (p, "work_a", "pool.py");
  work_b = find_func (p, "work_b", "pool.py");
  g_assert_cmpuint (work_a, !=, PYRO_NONE);
  g_assert_cmpuint (work_b, !=, PYRO_NONE);
  for (guint i = 0; i < pyro_profile_n_threads (p); i++)
    g_hash_table_add (pids, GUINT_TO_POINTER (g_array_index (p->threads, PyroThread, i).pid));
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 stack = PYRO_COL (p->sample_stack, guint32, i);
      const PyroThread *t = &g_array_index (p->threads, PyroThread, PYRO_COL (p->sample_thread, guint32, i));
      if (stack_has_func (p, stack, work_a))
        g_hash_table_add (pids_a, GUINT_TO_POINTER (t->pid));
      if (stack_has_func (p, stack, work_b))
        g_hash_table_add (pids_b, GUINT_TO_POINTER (t->pid));
    }
  g_test_message ("%s: %u processes; work_a seen in %u, work_b in %u", py->label,
                  g_hash_table_size (pids), g_hash_table_size (pids_a), g_hash_table_size (pids_b));
  /* The parent and both workers. */
  g_assert_cmpuint (g_hash_table_size (pids), >=, 3);
  g_assert_cmpuint (g_hash_table_size (pids_a), ==, 2);
  g_assert_cmpuint (g_hash_table_size (pids_b), ==, 2);
}

/* The nearest Python frame above @stack, or PYRO_NONE. */
static guint32
python_caller (PyroProfile *p, guint32 stack)
{
  for (; stack != PYRO_NONE; stack = PYRO_COL (p->stack_parent, guint32, stack))
    {
      guint32 frame = PYRO_COL (p->stack_frame, guint32, stack);
      if (pyro_profile_func_kind (p, PYRO_COL (p->frame_func, guint32, frame)) == PYRO_FUNC_PYTHON)
        return frame;
    }
  return PYRO_NONE;
}

/* Mixed mode: a C function called from Python shows under the Python line
 * that called it. */
static void
test_mixed (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *lib = NULL;
  g_autofree char *script = NULL;
  g_autoptr (PyroProfile) p = NULL;
  guint32 hot, call_c;
  guint in_hot = 0, under_line = 0;

  if (!need_python (py))
    return;
  lib = build_c ("hot", hot_c_source, "libhot.so",
                 (const char *const[]) { "-O1", "-g", "-shared", "-fPIC", NULL });
  if (lib == NULL)
    {
      g_test_skip ("no C compiler to build the shared library");
      return;
    }
  script = write_script ("mixed.py", ctypes_script);
  PyroRecordOptions options = {
    .mode = PYRO_RECORD_MIXED,
    .call_graph = PYRO_CALL_GRAPH_DWARF,
    .argv = (const char *const[]) { py->path, script, lib, NULL },
  };
  p = record_capture_with (&options);
  if (p == NULL)
    return;
  hot = find_func (p, "hot_c", "hot.c");
  call_c = find_func (p, "call_c", "mixed.py");
  g_assert_cmpuint (hot, !=, PYRO_NONE);
  if (call_c == PYRO_NONE)
    {
      guint python = 0;
      for (guint32 f = 0; f < pyro_profile_n_funcs (p); f++)
        python += pyro_profile_func_kind (p, f) == PYRO_FUNC_PYTHON;
      g_test_message ("%s: no call_c among %u functions, %u of them Python", py->label,
                      pyro_profile_n_funcs (p), python);
    }
  g_assert_cmpuint (call_c, !=, PYRO_NONE);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 stack = PYRO_COL (p->sample_stack, guint32, i);
      guint32 leaf = PYRO_COL (p->stack_frame, guint32, stack);
      if (PYRO_COL (p->frame_func, guint32, leaf) != hot)
        continue;
      in_hot++;
      guint32 caller = python_caller (p, stack);
      if (caller != PYRO_NONE && PYRO_COL (p->frame_func, guint32, caller) == call_c
          && PYRO_COL (p->frame_line, guint32, caller) == 5)
        under_line++;
    }
  g_test_message ("%s: %u samples in hot_c, %u of them under mixed.py:5 in call_c", py->label,
                  in_hot, under_line);
  g_assert_cmpuint (in_hot, >=, 100);
  /* A sample between two Python reads may get either one's stack, and a
   * loaded (or sanitized) recorder reads them further apart: most, not all,
   * land under the line.  Without splicing none would. */
  g_assert_cmpfloat (under_line, >=, 0.6 * in_hot);
}

/* `record --mode auto` through a wrapper named python3 that, like pyenv's
 * shims, runs shell code and other programs before it execs the
 * interpreter: the Python frames are found once the exec happened. */
static void
test_shim (gconstpointer data)
{
  const Python *py = data;
  const char *pyrometer = g_getenv ("PYRO_BIN");
  g_autoptr (GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *bin = g_build_filename (workdir, "shims", NULL);
  g_autofree char *shim = g_build_filename (bin, "python3", NULL);
  g_autofree char *shim_text = NULL;
  g_autofree char *out = g_build_filename (workdir, "shim.syscap", NULL);
  g_autofree char *err = NULL;
  g_autoptr (PyroProfile) p = NULL;
  guint32 busy_a;
  guint in_a = 0;
  int status;

  if (!need_python (py))
    return;
  if (pyrometer == NULL || !g_file_test (pyrometer, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("PYRO_BIN does not name the built pyrometer");
      return;
    }
  script = write_script ("ratio.py", ratio_script);
  shim_text = g_strdup_printf ("#!/bin/bash\n"
                               "version=$(echo '%s' | cut -c1-4)\n"
                               "sleep 0.3\n"
                               "exec \"%s\" \"$@\"\n", py->label, py->path);
  g_assert_cmpint (g_mkdir_with_parents (bin, 0755), ==, 0);
  g_assert_true (g_file_set_contents (shim, shim_text, -1, NULL));
  g_assert_cmpint (g_chmod (shim, 0755), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) (const char *const[]) { pyrometer, "record", "--mode", "auto",
                                                                       "-o", out, "--", shim, script, "80",
                                                                       NULL },
                               NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pyrometer record failed: %s", err);
  p = pyro_format_load_file (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  busy_a = find_func (p, "Worker.busy_a", "ratio.py");
  g_assert_cmpuint (busy_a, !=, PYRO_NONE);
  g_assert_cmpstr (pyro_profile_func_file (p, busy_a), ==, script);
  g_assert_cmpuint (pyro_profile_func_line (p, busy_a), ==, 3);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    in_a += stack_has_func (p, PYRO_COL (p->sample_stack, guint32, i), busy_a);
  g_test_message ("%s: %u samples in Worker.busy_a through the wrapper", py->label, in_a);
  g_assert_cmpuint (in_a, >=, 100);
}

static void
test_linetable (gconstpointer data)
{
  const Python *py = data;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  int status;
  guint n_codes = 0, n_units = 0;

  if (!need_python (py))
    return;
  script = write_script ("dump_linetable.py", linetable_dump_script);
  g_assert_true (g_spawn_sync (NULL, (char **) (const char *const[]) { py->path, script, "typing", NULL },
                               NULL, 0, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", script, err);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i += 2)
    {
      g_auto (GStrv) head = g_strsplit (lines[i], " ", 3);
      g_auto (GStrv) expected = g_strsplit (lines[i + 1], " ", -1);
      guint n = g_strv_length (expected);
      gint first = atoi (head[0]);
      gsize table_len = strcmp (head[1], "-") == 0 ? 0 : strlen (head[1]) / 2;
      g_autofree guint8 *table = g_malloc (table_len + 1);
      g_autofree gint32 *got = g_new (gint32, n);

      for (gsize k = 0; k < table_len; k++)
        table[k] = (g_ascii_xdigit_value (head[1][2 * k]) << 4) |
                   g_ascii_xdigit_value (head[1][2 * k + 1]);
      pyro_cpython_linetable_decode (table, table_len, first, got, n);
      for (guint u = 0; u < n; u++)
        if (got[u] != atoi (expected[u]))
          g_error ("%s: code unit %u of %s (first line %d): decoded %d, co_positions() says %s",
                   py->label, u, head[2], first, got[u], expected[u]);
      n_codes++;
      n_units += n;
    }
  g_test_message ("%s: %u code objects of typing, %u code units checked", py->label, n_codes,
                  n_units);
  g_assert_cmpuint (n_codes, >, 100);
}

static const Python *
first_python (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (pythons); i++)
    if (pythons[i].path != NULL)
      return &pythons[i];
  return NULL;
}

/* The target exits while it is being sampled: the samples so far are kept. */
static void
test_exit_mid_sample (void)
{
  const Python *py = first_python ();
  g_autofree char *script = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  g_autoptr (PyroProfile) profile = NULL;
  g_autoptr (GError) error = NULL;

  if (py == NULL)
    {
      g_test_skip ("no CPython 3.11+ on this machine");
      return;
    }
  script = write_script ("ratio.py", ratio_script);
  proc = start_ready ((const char *const[]) { py->path, script, "30", "ready", NULL });
  sampler = pyro_cpython_sampler_attach (atoi (g_subprocess_get_identifier (proc)), &error);
  g_assert_no_error (error);
  g_assert_true (pyro_cpython_sampler_start (sampler, &error));
  g_subprocess_wait (proc, NULL, NULL);
  g_assert_true (pyro_cpython_sampler_wait (sampler, &error));
  g_assert_no_error (error);
  g_assert_true (pyro_cpython_sampler_target_exited (sampler));
  profile = pyro_cpython_sampler_take_profile (sampler);
  g_assert_cmpuint (pyro_profile_n_samples (profile), >, 10);
  g_assert_cmpuint (find_func (profile, "Worker.busy_a", "ratio.py"), !=, PYRO_NONE);
}

static void
test_not_python (void)
{
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCPythonTarget) target = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "30", NULL);
  g_assert_no_error (error);
  g_usleep (50000);
  target = pyro_cpython_target_open (atoi (g_subprocess_get_identifier (proc)), &error);
  stop_process (proc);
  g_assert_null (target);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is not CPython"));
}

/* A process exporting _PyRuntime and a Py_Version of 3.99. */
static void
test_unsupported_version (void)
{
  static const char fake_c[] =
    "#include <unistd.h>\n"
    "const unsigned int Py_Version = 0x036302f0;\n"
    "char _PyRuntime[8192];\n"
    "int main (void) { write (1, \"ready\\n\", 6); pause (); return 0; }\n";
  g_autofree char *exe = build_c ("fake_python", fake_c, "fake_python",
                                  (const char *const[]) { "-rdynamic", NULL });
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (PyroCPythonTarget) target = NULL;

  if (exe == NULL)
    {
      g_test_skip ("no C compiler to build a fake Python 3.99");
      return;
    }
  proc = start_ready ((const char *const[]) { exe, NULL });
  target = pyro_cpython_target_open (atoi (g_subprocess_get_identifier (proc)), &error);
  stop_process (proc);
  g_assert_null (target);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Python 3.99.2"));
  g_assert_nonnull (strstr (error->message, "3.11"));
}

/* The loader maps a library's whole file first and its segments over it
 * after: a libpython caught in between is refused as not loaded yet (and
 * tried again by the recorder), never read at the wrong place. */
static void
test_partly_loaded (void)
{
  static const char loader_c[] =
    "#include <fcntl.h>\n"
    "#include <sys/mman.h>\n"
    "#include <sys/stat.h>\n"
    "#include <unistd.h>\n"
    "int main (int argc, char **argv) {\n"
    "  struct stat st; int fd = open (argv[1], O_RDONLY);\n"
    "  if (fd < 0 || fstat (fd, &st) != 0) return 1;\n"
    "  if (mmap (0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) return 1;\n"
    "  write (1, \"ready\\n\", 6); pause (); return 0; }\n";
  g_autofree char *exe = build_c ("first_mmap", loader_c, "first_mmap", NULL);
  g_autoptr (GError) error = NULL;
  guint tried = 0;

  if (exe == NULL)
    {
      g_test_skip ("no C compiler to build the half-loading program");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (pythons); i++)
    {
      const Python *py = &pythons[i];
      g_autofree char *bin = NULL, *prefix = NULL, *name = NULL, *lib = NULL;
      g_autoptr (GSubprocess) proc = NULL;
      g_autoptr (PyroCPythonTarget) target = NULL;

      if (py->path == NULL || strcmp (py->label, "system") == 0)
        continue;
      bin = g_path_get_dirname (py->path);
      prefix = g_path_get_dirname (bin);
      name = g_strdup_printf ("libpython%s.so.1.0", py->label);
      lib = g_build_filename (prefix, "lib", name, NULL);
      if (!g_file_test (lib, G_FILE_TEST_EXISTS))
        continue;
      proc = start_ready ((const char *const[]) { exe, lib, NULL });
      target = pyro_cpython_target_open (atoi (g_subprocess_get_identifier (proc)), &error);
      stop_process (proc);
      g_assert_null (target);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_test_message ("%s: %s", py->label, error->message);
      g_assert_nonnull (strstr (error->message, "not finished loading"));
      g_clear_error (&error);
      tried++;
    }
  if (tried == 0)
    g_test_skip ("no CPython 3.11+ with a shared libpython on this machine");
}

static void
test_no_such_process (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCPythonTarget) target = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  GPid pid;
  const char *argv[] = { "true", NULL };

  /* The PID of a child that has been reaped. */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL));
  waitpid (pid, NULL, 0);
  target = pyro_cpython_target_open ((guint32) pid, &error);
  g_assert_null (target);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  sampler = pyro_cpython_sampler_attach (0, &error);
  g_assert_null (sampler);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Runs in a subprocess (GLib runs .../subprocess paths only there) that
 * gave up root: the Python target belongs to root. */
static void
test_permission_child (void)
{
  const char *pid_text = g_getenv ("PYRO_TEST_TARGET_PID");
  const struct passwd *nobody = getpwnam ("nobody");
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCPythonTarget) target = NULL;

  g_assert_nonnull (pid_text);
  if (getuid () == 0)
    {
      g_assert_nonnull (nobody);
      g_assert_cmpint (setgid (nobody->pw_gid), ==, 0);
      g_assert_cmpint (setuid (nobody->pw_uid), ==, 0);
    }
  target = pyro_cpython_target_open (atoi (pid_text), &error);
  g_assert_null (target);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_print ("%s\n", error->message);
}

static void
test_permission (void)
{
  const Python *py = first_python ();
  g_autofree char *script = NULL;
  g_autoptr (GSubprocess) proc = NULL;

  if (py == NULL)
    {
      g_test_skip ("no CPython 3.11+ on this machine");
      return;
    }
  if (getuid () != 0 || getpwnam ("nobody") == NULL)
    {
      g_test_skip ("needs root to drop to user nobody and read a root-owned target");
      return;
    }
  script = write_script ("ratio.py", ratio_script);
  proc = start_ready ((const char *const[]) { py->path, script, NULL });
  g_setenv ("PYRO_TEST_TARGET_PID", g_subprocess_get_identifier (proc), TRUE);
  g_test_trap_subprocess ("/cpython/errors/permission/subprocess", 20 * G_USEC_PER_SEC, 0);
  stop_process (proc);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*ptrace*CAP_SYS_PTRACE*");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  find_pythons ();
  workdir = g_dir_make_tmp ("pyro-cpython-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (pythons); i++)
    {
      g_autofree char *attach = g_strdup_printf ("/cpython/%s/attach-ratio", pythons[i].label);
      g_autofree char *launch = g_strdup_printf ("/cpython/%s/launch-ratio", pythons[i].label);
      g_autofree char *shortp = g_strdup_printf ("/cpython/%s/launch-short", pythons[i].label);
      g_autofree char *threads = g_strdup_printf ("/cpython/%s/threads", pythons[i].label);
      g_autofree char *linetable = g_strdup_printf ("/cpython/%s/linetable", pythons[i].label);
      g_test_add_data_func (attach, &pythons[i], test_attach_ratio);
      g_test_add_data_func (launch, &pythons[i], test_launch_ratio);
      g_test_add_data_func (shortp, &pythons[i], test_launch_short);
      g_test_add_data_func (threads, &pythons[i], test_threads);
      g_test_add_data_func (linetable, &pythons[i], test_linetable);
      g_autofree char *state = g_strdup_printf ("/cpython/%s/thread-state", pythons[i].label);
      g_test_add_data_func (state, &pythons[i], test_thread_state);
      g_autofree char *children = g_strdup_printf ("/cpython/%s/pool-workers", pythons[i].label);
      g_test_add_data_func (children, &pythons[i], test_subprocesses);
      g_autofree char *mixed = g_strdup_printf ("/cpython/%s/mixed", pythons[i].label);
      g_test_add_data_func (mixed, &pythons[i], test_mixed);
      g_autofree char *memory = g_strdup_printf ("/cpython/%s/memory", pythons[i].label);
      g_test_add_data_func (memory, &pythons[i], test_memory);
      g_autofree char *shim = g_strdup_printf ("/cpython/%s/shim", pythons[i].label);
      g_test_add_data_func (shim, &pythons[i], test_shim);
    }
  g_test_add_func ("/cpython/errors/exit-mid-sample", test_exit_mid_sample);
  g_test_add_func ("/cpython/errors/not-python", test_not_python);
  g_test_add_func ("/cpython/errors/unsupported-version", test_unsupported_version);
  g_test_add_func ("/cpython/errors/partly-loaded", test_partly_loaded);
  g_test_add_func ("/cpython/errors/no-such-process", test_no_such_process);
  g_test_add_func ("/cpython/errors/permission", test_permission);
  g_test_add_func ("/cpython/errors/permission/subprocess", test_permission_child);

  ret = g_test_run ();
  g_spawn_sync (NULL, (char **) (const char *const[]) { "rm", "-rf", workdir, NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  return ret;
}
