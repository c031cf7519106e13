/* pyrometer record on small C programs compiled here: launch and attach,
 * with and without frame pointers, threads, a fork, the kills, truncated
 * captures and refused access. */
#include "fixtures.h"
#include "formats/reader.h"
#include "sampler/access-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <linux/perf_event.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* heavy() does twice the work of light(), with the same loop body.  Each
 * thread adds into its own cache line: one shared sink made the threads fight
 * over it, and an iteration's cost then depended on what the others ran.
 * The loops are aligned alike (-falign-loops) so that an iteration costs the
 * same in both: unaligned, perf itself measured heavy at 63%. */
static const char *program_source =
  "#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
  "#include <sys/prctl.h>\n#include <sys/wait.h>\n#include <signal.h>\n#include <unistd.h>\n"
  "volatile unsigned long sinks[4 * 16];\n"
  "__attribute__((noinline)) void heavy (long n, volatile unsigned long *sink) { for (long i = 0; i < 2 * n; i++) *sink += i ^ (i >> 3); }\n"
  "__attribute__((noinline)) void light (long n, volatile unsigned long *sink) { for (long i = 0; i < n; i++) *sink += i ^ (i >> 3); }\n"
  "__attribute__((noinline)) void ratio_into (long rounds, volatile unsigned long *sink) { for (long r = 0; r < rounds; r++) { heavy (1000000, sink); light (1000000, sink); } }\n"
  "void ratio (long rounds) { ratio_into (rounds, &sinks[0]); }\n"
  "static long thread_rounds;\n"
  "static void *worker (void *sink) { ratio_into (thread_rounds, sink); return NULL; }\n"
  "int main (int argc, char **argv) {\n"
  "  long rounds = argc > 2 ? atol (argv[2]) : 100;\n"
  "  if (!strcmp (argv[1], \"ratio\")) ratio (rounds);\n"
  "  else if (!strcmp (argv[1], \"forever\")) { prctl (PR_SET_PDEATHSIG, SIGKILL); printf (\"ready\\n\"); fflush (stdout); for (;;) ratio (1); }\n"
  "  else if (!strcmp (argv[1], \"threads\")) {\n"
  "    pthread_t t[3];\n"
  "    thread_rounds = rounds;\n"
  "    for (int i = 0; i < 3; i++) pthread_create (&t[i], NULL, worker, (void *) &sinks[16 * (i + 1)]);\n"
  "    ratio (rounds);\n"
  "    for (int i = 0; i < 3; i++) pthread_join (t[i], NULL);\n"
  "  } else if (!strcmp (argv[1], \"fork\")) {\n"
  "    pid_t c = fork ();\n"
  "    if (c == 0) { ratio (rounds); _exit (0); }\n"
  "    printf (\"%d\\n\", (int) c); fflush (stdout);\n"
  "    ratio (rounds); waitpid (c, NULL, 0);\n"
  "  }\n"
  "  return 0;\n"
  "}\n";

static char *program_fp;
static char *program_nofp;
static const char *skip_reason;

static gboolean
perf_allowed (void)
{
  struct perf_event_attr attr = { .size = sizeof attr, .type = PERF_TYPE_SOFTWARE,
                                  .config = PERF_COUNT_SW_CPU_CLOCK, .exclude_kernel = 1,
                                  .exclude_hv = 1, .disabled = 1 };
  long fd = syscall (SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd < 0)
    return FALSE;
  close ((int) fd);
  return TRUE;
}

static char *
compile (const char *name, const char *flags)
{
  g_autofree char *src = fixture_write_temp ("burn.c", program_source, -1);
  char *out = fixture_temp_path (name);
  g_autofree char *cmd = g_strdup_printf ("cc -O1 -g -falign-loops=64 %s -o %s %s -lpthread", flags, out, src);
  int status = -1;
  g_autofree char *err = NULL;
  if (!g_spawn_command_line_sync (cmd, NULL, &err, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

static gboolean
need_sampler (void)
{
  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GSubprocess *
spawn_pyrometer (const char *const *env, const char *first, va_list args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) g_getenv ("PYRO_BIN"));
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_autoptr (GError) error = NULL;
  GSubprocess *proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

static void
run_pyrometer_env (Run *r, const char *const *env, const char *first, ...)
{
  va_list args;
  va_start (args, first);
  g_autoptr (GSubprocess) proc = spawn_pyrometer (env, first, args);
  va_end (args);
  g_autoptr (GError) error = NULL;
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
}

static GSubprocess *
start_pyrometer (const char *first, ...)
{
  va_list args;
  va_start (args, first);
  GSubprocess *proc = spawn_pyrometer (NULL, first, args);
  va_end (args);
  return proc;
}

static PyroProfile *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  PyroProfile *profile = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->meta.format, ==, "syscap");
  return profile;
}

static double
leaf_weight (PyroProfile *p, const char *name, guint32 pid)
{
  double w = 0;
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 stack = PYRO_COL (p->sample_stack, guint32, i);
      guint32 func = PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, stack));
      const PyroThread *t = &PYRO_COL (p->threads, PyroThread, PYRO_COL (p->sample_thread, guint32, i));
      if (g_str_equal (pyro_profile_func_name (p, func), name) && (pid == 0 || t->pid == pid))
        w += PYRO_COL (p->sample_weight, double, i);
    }
  return w;
}

static void
assert_ratio (PyroProfile *p, guint32 pid)
{
  double heavy = leaf_weight (p, "heavy", pid), light = leaf_weight (p, "light", pid);
  g_assert_cmpfloat (heavy + light, >, 200);
  double pct = 100 * heavy / (heavy + light);
  g_test_message ("heavy %.0f, light %.0f: %.1f%% (expected 66.7%%)", heavy, light, pct);
  g_assert_cmpfloat (fabs (pct - 200.0 / 3), <=, 5);
}

static void
record_launch_ratio (const char *program)
{
  g_autofree char *out = fixture_temp_path ("ratio.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-F", "999", "-o", out, "--", program, "ratio", "300", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "wrote"));
  g_autoptr (PyroProfile) p = load (out);
  assert_ratio (p, 0);
  g_assert_cmpfloat (p->meta.sample_rate, ==, 999);
  g_assert_nonnull (strstr (p->meta.command_line, "ratio 300"));
  /* the RSS counter and the embedded names */
  g_assert_cmpuint (p->counters->len, >=, 1);
  PyroCounter *rss = g_ptr_array_index (p->counters, 0);
  g_assert_cmpstr (pyro_profile_str (p, rss->unit), ==, "bytes");
  g_assert_cmpuint (rss->times->len, >=, 10);
}

static void
test_launch_fp (void)
{
  if (need_sampler ())
    record_launch_ratio (program_fp);
}

static void
test_launch_nofp (void)
{
  if (need_sampler ())
    record_launch_ratio (program_nofp);
}

/* Share of @name's samples whose stack reaches up through @caller. */
static double
share_under (PyroProfile *p, const char *name, const char *caller)
{
  guint total = 0, under = 0;
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 stack = PYRO_COL (p->sample_stack, guint32, i);
      guint32 leaf = PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, stack));
      if (!g_str_equal (pyro_profile_func_name (p, leaf), name))
        continue;
      total++;
      for (guint32 s = PYRO_COL (p->stack_parent, guint32, stack); s != PYRO_NONE;
           s = PYRO_COL (p->stack_parent, guint32, s))
        if (g_str_equal (pyro_profile_func_name (p, PYRO_COL (p->frame_func, guint32,
                                                              PYRO_COL (p->stack_frame, guint32, s))),
                         caller))
          {
            under++;
            break;
          }
    }
  g_assert_cmpuint (total, >, 0);
  return (double) under / total;
}

/* --call-graph dwarf on a program without frame pointers: the copied user
 * stacks are unwound with the binary's CFI, so heavy() sits under
 * ratio_into(), ratio() and main() as in the source. */
static void
test_launch_dwarf (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("dwarf.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-F", "999", "--call-graph", "dwarf", "-o", out, "--",
                     program_nofp, "ratio", "300", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (PyroProfile) p = load (out);
  assert_ratio (p, 0);
  double via_ratio = share_under (p, "heavy", "ratio_into");
  double via_main = share_under (p, "heavy", "main");
  g_test_message ("heavy under ratio_into %.1f%%, under main %.1f%%", 100 * via_ratio, 100 * via_main);
  g_assert_cmpfloat (via_ratio, >=, 0.9);
  g_assert_cmpfloat (via_main, >=, 0.9);
}

static void
wait_ready (GSubprocess *proc)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (proc);
  char buf[7] = { 0 };
  gsize n = 0;
  g_assert_true (g_input_stream_read_all (out, buf, 6, &n, NULL, NULL));
  g_assert_cmpstr (buf, ==, "ready\n");
}

static GSubprocess *
start_program (const char *program, const char *mode)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, mode, "1", NULL);
  g_assert_no_error (error);
  return proc;
}

static void
test_attach (void)
{
  if (!need_sampler ())
    return;
  g_autoptr (GSubprocess) target = start_program (program_nofp, "forever");
  wait_ready (target);
  const char *pid = g_subprocess_get_identifier (target);
  g_autofree char *out = fixture_temp_path ("attach.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-p", pid, "--duration", "1.5", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* attaching never stops the target */
  g_assert_cmpint (kill (atoi (pid), 0), ==, 0);
  g_subprocess_force_exit (target);
  g_subprocess_wait (target, NULL, NULL);
  g_autoptr (PyroProfile) p = load (out);
  assert_ratio (p, (guint32) atoi (pid));
}

static guint
threads_with_samples (PyroProfile *p, guint32 pid)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      const PyroThread *t = &PYRO_COL (p->threads, PyroThread, PYRO_COL (p->sample_thread, guint32, i));
      if (pid == 0 || t->pid == pid)
        g_hash_table_add (seen, GUINT_TO_POINTER (t->tid));
    }
  return g_hash_table_size (seen);
}

static void
test_threads (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("threads.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-o", out, "--", program_fp, "threads", "150", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpuint (threads_with_samples (p, 0), ==, 4);
  assert_ratio (p, 0);
}

static void
test_attach_threads (void)
{
  if (!need_sampler ())
    return;
  /* a program that starts its threads after we attached: the rescan finds them */
  g_autofree char *script = g_strdup_printf ("sleep 0.5; exec %s threads 60", program_fp);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) target = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sh", "-c", script, NULL);
  g_assert_no_error (error);
  const char *pid = g_subprocess_get_identifier (target);
  g_autofree char *out = fixture_temp_path ("attach-threads.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-p", pid, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_subprocess_wait (target, NULL, NULL);
  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpuint (threads_with_samples (p, (guint32) atoi (pid)), ==, 4);
}

static void
test_fork (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("fork.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-o", out, "--", program_fp, "fork", "400", NULL);
  g_assert_cmpint (r.status, ==, 0);
  guint32 child = (guint32) atoi (r.out);
  g_assert_cmpuint (child, >, 0);
  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpuint (threads_with_samples (p, child), ==, 1);
  /* the child's addresses resolve through the maps it inherited */
  assert_ratio (p, child);
}

/* Children forked after attaching are followed (the events are inherited);
 * the target waits long enough for the recorder to have attached. */
static void
test_attach_fork (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *script = g_strdup_printf ("sleep 1.5; exec %s fork 300", program_fp);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) target = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "sh", "-c",
                                                     script, NULL);
  g_assert_no_error (error);
  const char *pid = g_subprocess_get_identifier (target);
  g_autofree char *out = fixture_temp_path ("attach-fork.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-p", pid, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autofree char *printed = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (target, NULL, NULL, &printed, NULL, &error));
  g_assert_no_error (error);
  guint32 child = (guint32) atoi (printed);
  g_assert_cmpuint (child, >, 0);
  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpuint (threads_with_samples (p, (guint32) atoi (pid)), ==, 1);
  g_assert_cmpuint (threads_with_samples (p, child), ==, 1);
  assert_ratio (p, child);
}

static void
assert_truncated_loads (const char *full, gsize cut, guint full_samples, guint *prev)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (full, &data, &len, NULL));
  g_autofree char *path = fixture_write_temp ("cut.syscap", data, (gssize) MIN (cut, len));
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  guint n = pyro_profile_n_samples (p);
  g_test_message ("cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": %u samples", cut, len, n);
  g_assert_cmpuint (n, <=, full_samples);
  g_assert_cmpuint (n, >=, *prev);
  *prev = n;
  if (cut < len)
    g_assert_cmpuint (p->warnings->len, >=, 1);
}

static void
test_truncated (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("full.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, NULL, "record", "-o", out, "--", program_fp, "ratio", "60", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (PyroProfile) full = load (out);
  guint n_full = pyro_profile_n_samples (full);
  g_assert_cmpuint (n_full, >, 0);

  GStatBuf st;
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  gsize len = (gsize) st.st_size;
  guint prev = 0;
  const double fractions[] = { 0.1, 0.25, 0.5, 0.75, 0.9, 0.999 };
  assert_truncated_loads (out, 256 + 24 + 3, n_full, &prev);
  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    assert_truncated_loads (out, (gsize) (len * fractions[i]) | 5, n_full, &prev);

  /* inside the header: a clear error, not a crash */
  g_autofree char *data = NULL;
  g_assert_true (g_file_get_contents (out, &data, NULL, NULL));
  g_autofree char *head = fixture_write_temp ("head.syscap", data, 100);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) none = pyro_format_load_file (head, NULL, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "byte"));
}

static GPid
child_of (GPid parent)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", parent, parent);
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *text = NULL;
      if (g_file_get_contents (path, &text, NULL, NULL) && atoi (text) > 0)
        return atoi (text);
      g_usleep (10000);
    }
  return 0;
}

static void
test_kill_target (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("killed-target.syscap");
  g_autoptr (GSubprocess) rec = start_pyrometer ("record", "-o", out, "--", program_fp, "forever", NULL);
  GPid target = child_of (atoi (g_subprocess_get_identifier (rec)));
  g_assert_cmpint (target, >, 0);
  g_usleep (1200 * 1000);
  kill (target, SIGKILL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_wait (rec, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (rec), ==, 0);

  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpuint (p->warnings->len, ==, 0);
  g_assert_cmpfloat (leaf_weight (p, "heavy", 0), >, 100);
}

static void
test_kill_recorder (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("killed-recorder.syscap");
  g_autoptr (GSubprocess) rec = start_pyrometer ("record", "-o", out, "--", program_fp, "forever", NULL);
  GPid target = child_of (atoi (g_subprocess_get_identifier (rec)));
  g_assert_cmpint (target, >, 0);
  g_usleep (2500 * 1000);
  g_subprocess_force_exit (rec);
  g_subprocess_wait (rec, NULL, NULL);
  kill (target, SIGKILL);
  waitpid (target, NULL, WNOHANG);

  /* at least the second flushed before the kill */
  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpfloat (leaf_weight (p, "heavy", 0) + leaf_weight (p, "light", 0), >, 500);
}

static void
test_sigint (void)
{
  if (!need_sampler ())
    return;
  g_autofree char *out = fixture_temp_path ("sigint.syscap");
  g_autoptr (GSubprocess) rec = start_pyrometer ("record", "-o", out, "--", program_fp, "forever", NULL);
  GPid target = child_of (atoi (g_subprocess_get_identifier (rec)));
  g_assert_cmpint (target, >, 0);
  g_usleep (1000 * 1000);
  g_subprocess_send_signal (rec, SIGINT);
  g_autofree char *stderr_text = NULL;
  g_subprocess_communicate_utf8 (rec, NULL, NULL, NULL, &stderr_text, NULL);
  g_assert_cmpint (g_subprocess_get_exit_status (rec), ==, 0);
  g_assert_nonnull (strstr (stderr_text, "lost"));
  /* the launched command does not outlive the recording */
  g_assert_cmpint (kill (target, 0), !=, 0);
  g_autoptr (PyroProfile) p = load (out);
  g_assert_cmpuint (p->warnings->len, ==, 0);
  g_assert_cmpuint (pyro_profile_n_samples (p), >, 100);
}

static void
test_refused_injected (void)
{
  g_autofree char *out = fixture_temp_path ("refused.syscap");
  const char *env[] = { "PYRO_SAMPLER_FAIL_OPEN", "EACCES", NULL };
  g_auto (Run) r = { 0 };
  run_pyrometer_env (&r, env, "record", "-o", out, "--", "true", NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_nonnull (strstr (r.err, "cannot sample"));
  /* a cause and a command to run */
  g_assert_true (strstr (r.err, "perf_event_paranoid") != NULL || strstr (r.err, "seccomp") != NULL
                 || strstr (r.err, "security module") != NULL);
  g_assert_true (strstr (r.err, "sudo ") != NULL || strstr (r.err, "docker run") != NULL
                 || strstr (r.err, "journalctl") != NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_refused_other_user (void)
{
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  if (geteuid () != 0 || setpriv == NULL)
    {
      g_test_skip ("needs root and setpriv to run the recorder as another user");
      return;
    }
  if (!need_sampler ())
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) target = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "30", NULL);
  g_assert_no_error (error);
  const char *pid = g_subprocess_get_identifier (target);
  g_autoptr (GSubprocess) rec
    = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, "setpriv",
                        "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                        g_getenv ("PYRO_BIN"), "record", "-p", pid, "-o", "/tmp/never.syscap", NULL);
  g_assert_no_error (error);
  g_autofree char *err = NULL;
  g_subprocess_communicate_utf8 (rec, NULL, NULL, NULL, &err, NULL);
  g_subprocess_force_exit (target);
  g_test_message ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (rec), !=, 0);
  g_assert_nonnull (strstr (err, "belongs to user root"));
  g_assert_nonnull (strstr (err, "CAP_SYS_PTRACE"));
  g_assert_nonnull (strstr (err, "sudo -u root"));
}

static void
test_explain (void)
{
  PyroAccessFacts f = { .perf_event_paranoid = 3, .ptrace_scope = 1, .self_uid = 1000, .target_uid = 1000 };
  g_autofree char *paranoid = pyro_access_explain (&f, PYRO_ACCESS_PERF_EVENT, 0, EACCES, 999);
  g_assert_nonnull (strstr (paranoid, "kernel.perf_event_paranoid is 3"));
  g_assert_nonnull (strstr (paranoid, "sudo sysctl kernel.perf_event_paranoid=2"));

  f.perf_event_paranoid = 2;
  f.target_uid = 0;
  g_autofree char *other = pyro_access_explain (&f, PYRO_ACCESS_PERF_EVENT, 42, EACCES, 999);
  g_assert_nonnull (strstr (other, "process 42 belongs to user root"));
  g_assert_nonnull (strstr (other, "setcap cap_perfmon,cap_sys_ptrace+ep"));
  f.cap_sys_ptrace = TRUE;
  f.seccomp_filter = TRUE;
  g_autofree char *container = pyro_access_explain (&f, PYRO_ACCESS_PERF_EVENT, 42, EPERM, 999);
  g_assert_nonnull (strstr (container, "seccomp=unconfined"));

  PyroAccessFacts y = { .perf_event_paranoid = 2, .ptrace_scope = 1, .self_uid = 1000, .target_uid = 1000 };
  g_autofree char *yama = pyro_access_explain (&y, PYRO_ACCESS_READ_MEMORY, 7, EPERM, 999);
  g_assert_nonnull (strstr (yama, "kernel.yama.ptrace_scope is 1"));
  g_assert_nonnull (strstr (yama, "sudo sysctl kernel.yama.ptrace_scope=0"));
  y.ptrace_scope = 2;
  g_autofree char *yama2 = pyro_access_explain (&y, PYRO_ACCESS_READ_MEMORY, 7, EPERM, 999);
  g_assert_nonnull (strstr (yama2, "setcap cap_sys_ptrace+ep"));

  g_autofree char *cycles = pyro_access_explain (&y, PYRO_ACCESS_PERF_EVENT, 0, ENOENT, 999);
  g_assert_nonnull (strstr (cycles, "--event cpu-clock"));
  y.max_sample_rate = 500;
  g_autofree char *rate = pyro_access_explain (&y, PYRO_ACCESS_PERF_EVENT, 0, EINVAL, 999);
  g_assert_nonnull (strstr (rate, "kernel.perf_event_max_sample_rate=999"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!perf_allowed ())
    skip_reason = "the kernel refuses perf_event_open here (perf_event_paranoid or a seccomp filter)";
  else if ((program_fp = compile ("burn-fp", "-fno-omit-frame-pointer")) == NULL
           || (program_nofp = compile ("burn-nofp", "-fomit-frame-pointer")) == NULL)
    skip_reason = "no C compiler (cc) to build the programs to record";

  g_test_add_func ("/sampler/explain", test_explain);
  g_test_add_func ("/sampler/refused-injected", test_refused_injected);
  g_test_add_func ("/sampler/refused-other-user", test_refused_other_user);
  g_test_add_func ("/sampler/launch-fp", test_launch_fp);
  g_test_add_func ("/sampler/launch-nofp", test_launch_nofp);
  g_test_add_func ("/sampler/launch-dwarf", test_launch_dwarf);
  g_test_add_func ("/sampler/attach", test_attach);
  g_test_add_func ("/sampler/threads", test_threads);
  g_test_add_func ("/sampler/attach-threads", test_attach_threads);
  g_test_add_func ("/sampler/fork", test_fork);
  g_test_add_func ("/sampler/attach-fork", test_attach_fork);
  g_test_add_func ("/sampler/truncated", test_truncated);
  g_test_add_func ("/sampler/kill-target", test_kill_target);
  g_test_add_func ("/sampler/kill-recorder", test_kill_recorder);
  g_test_add_func ("/sampler/sigint", test_sigint);
  return g_test_run ();
}
