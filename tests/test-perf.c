/* test-perf.c — the perf.data reader against perf itself.
 *
 * C programs built here (with and without frame pointers, an inlined hot
 * function, work in the executable and in a shared library) are recorded with
 * `perf record` in frame-pointer, DWARF, compressed and pipe mode; each
 * function's self share must match `perf report` on the same file.  The bad
 * input cases build small perf.data files by hand and break one length each.
 */
#include "core/call-tree.h"
#include "core/function-table.h"
#include "core/line-costs.h"
#include "formats/perf-data.h"
#include "formats/reader.h"
#include "symbols/demangle.h"
#include "symbols/symbolizer.h"
#include "fixtures.h"

#include <glib/gstdio.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/wait.h>
#include <zstd.h>

static const char prog_source[] =
  "#include <stdio.h>\n"
  "#include <stdlib.h>\n"
  "double lib_work (long n);\n"
  "static inline __attribute__ ((always_inline)) double\n"
  "mix (double x, long n)\n"
  "{\n"
  "  for (long i = 0; i < n; i++) x = x * 1.0000001 + 0.5; /* hot loop */\n"
  "  return x;\n"
  "}\n"
  "__attribute__ ((noipa)) double\n"
  "exe_work (long n)\n"
  "{\n"
  "  double s = 0;\n"
  "  for (long k = 0; k < 16; k++)\n"
  "    s += mix (s * 1e-9, n);\n"
  "  return s;\n"
  "}\n"
  "__attribute__ ((noipa)) double\n"
  "driver (long rounds)\n"
  "{\n"
  "  double s = 0;\n"
  "  for (long r = 0; r < rounds; r++)\n"
  "    s += exe_work (100000) + lib_work (700000);\n"
  "  return s;\n"
  "}\n"
  "int\n"
  "main (int argc, char **argv)\n"
  "{\n"
  "  printf (\"%g\\n\", driver (argc > 1 ? atol (argv[1]) : 300));\n"
  "  return 0;\n"
  "}\n";

static const char lib_source[] =
  "__attribute__ ((noipa)) double\n"
  "lib_work (long n)\n"
  "{\n"
  "  double x = 1;\n"
  "  for (long i = 0; i < n; i++)\n"
  "    x = x * 0.9999999 + 0.25;\n"
  "  return x;\n"
  "}\n";

typedef struct {
  char *dir;
  char *skip;        /* why the recording tests cannot run, or NULL */
  char *fp_data;     /* frame pointers, -g */
  char *dwarf_data;  /* no frame pointers, --call-graph dwarf */
  char *zstd_data;   /* -z */
  char *pipe_data;   /* -o - */
  char *multi_data;  /* -e cpu-clock,page-faults */
  char *gone_data;   /* a program moved away after recording, no build-id cache */
  char *symfs;       /* where it went: under this directory, at its old path */
  char *changed_data;/* a program rebuilt differently after recording */
  char *prog_c;
} Recordings;

static Recordings rec;

static gboolean
run (const char *const *argv, const char *stdout_path, char **out, char **err_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out_text = NULL, *err_text = NULL;
  int status = 0;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  if (stdout_path != NULL)
    {
      /* perf's pipe mode writes to stdout: send it to a file through sh. */
      g_autoptr (GString) cmd = g_string_new ("exec");
      for (guint i = 0; argv[i] != NULL; i++)
        {
          g_autofree char *q = g_shell_quote (argv[i]);
          g_string_append_printf (cmd, " %s", q);
        }
      g_autofree char *q = g_shell_quote (stdout_path);
      g_string_append_printf (cmd, " > %s", q);
      const char *sh[] = { "/bin/sh", "-c", cmd->str, NULL };
      gboolean ok = g_spawn_sync (rec.dir, (char **) sh, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                  NULL, &err_text, &status, &error);
      if (err_out != NULL)
        *err_out = g_steal_pointer (&err_text);
      return ok && g_spawn_check_wait_status (status, NULL);
    }
  gboolean ok = g_spawn_sync (rec.dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                              &out_text, &err_text, &status, &error);
  if (!ok)
    err_text = g_strdup (error->message);
  if (out != NULL)
    *out = g_steal_pointer (&out_text);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err_text);
  return ok && g_spawn_check_wait_status (status, NULL);
}

static gboolean
compile (const char *const *argv)
{
  g_autofree char *err = NULL;
  if (run (argv, NULL, NULL, &err))
    return TRUE;
  g_free (rec.skip);
  rec.skip = g_strdup_printf ("cannot build the test program with gcc: %s", err);
  return FALSE;
}

static char *
record (const char *name, const char *const *perf_args, const char *prog, gboolean pipe)
{
  g_autofree char *path = g_build_filename (rec.dir, name, NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, "perf");
  g_ptr_array_add (argv, "record");
  g_ptr_array_add (argv, "-q");
  for (guint i = 0; perf_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) perf_args[i]);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, pipe ? "-" : path);
  g_ptr_array_add (argv, (char *) prog);
  g_ptr_array_add (argv, NULL);
  g_autofree char *err = NULL;
  if (!run ((const char *const *) argv->pdata, pipe ? path : NULL, NULL, &err))
    {
      g_autofree char *paranoid = NULL;
      g_file_get_contents ("/proc/sys/kernel/perf_event_paranoid", &paranoid, NULL, NULL);
      rec.skip = g_strdup_printf ("perf record is not allowed here (kernel.perf_event_paranoid=%s): %s",
                                  paranoid != NULL ? g_strstrip (paranoid) : "?", err);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static void
make_recordings (void)
{
  rec.dir = g_dir_make_tmp ("pyro-perf-XXXXXX", NULL);
  g_assert_nonnull (rec.dir);
  g_autofree char *perf = g_find_program_in_path ("perf");
  g_autofree char *gcc = g_find_program_in_path ("gcc");
  if (perf == NULL || gcc == NULL)
    {
      rec.skip = g_strdup ("perf or gcc is not installed (Debian packages linux-perf, gcc)");
      return;
    }
  rec.prog_c = g_build_filename (rec.dir, "prog.c", NULL);
  g_autofree char *lib_c = g_build_filename (rec.dir, "libwork.c", NULL);
  g_assert_true (g_file_set_contents (rec.prog_c, prog_source, -1, NULL));
  g_assert_true (g_file_set_contents (lib_c, lib_source, -1, NULL));

  const char *const fp_lib[] = { "gcc", "-O2", "-g", "-fno-omit-frame-pointer", "-fPIC", "-shared",
                                 "libwork.c", "-o", "fp/libwork.so", NULL };
  const char *const fp_prog[] = { "gcc", "-O2", "-g", "-fno-omit-frame-pointer", "prog.c", "-o",
                                  "fp/prog", "-Lfp", "-lwork", "-Wl,-rpath,$ORIGIN", NULL };
  const char *const nofp_lib[] = { "gcc", "-O2", "-g", "-fomit-frame-pointer", "-fPIC", "-shared",
                                   "libwork.c", "-o", "nofp/libwork.so", NULL };
  const char *const nofp_prog[] = { "gcc", "-O2", "-g", "-fomit-frame-pointer", "prog.c", "-o",
                                    "nofp/prog", "-Lnofp", "-lwork", "-Wl,-rpath,$ORIGIN", NULL };
  g_autofree char *fp_dir = g_build_filename (rec.dir, "fp", NULL);
  g_autofree char *nofp_dir = g_build_filename (rec.dir, "nofp", NULL);
  g_mkdir (fp_dir, 0755);
  g_mkdir (nofp_dir, 0755);
  if (!compile (fp_lib) || !compile (fp_prog) || !compile (nofp_lib) || !compile (nofp_prog))
    return;

  const char *const fp_args[] = { "-F", "4000", "-g", NULL };
  const char *const dwarf_args[] = { "-F", "1000", "--call-graph", "dwarf", NULL };
  const char *const zstd_args[] = { "-F", "2000", "-g", "-z", NULL };
  const char *const multi_args[] = { "-e", "cpu-clock,page-faults", "-g", NULL };
  if ((rec.fp_data = record ("fp.data", fp_args, "./fp/prog", FALSE)) == NULL
      || (rec.dwarf_data = record ("dwarf.data", dwarf_args, "./nofp/prog", FALSE)) == NULL
      || (rec.zstd_data = record ("zstd.data", zstd_args, "./fp/prog", FALSE)) == NULL
      || (rec.pipe_data = record ("pipe.data", fp_args, "./fp/prog", TRUE)) == NULL
      || (rec.multi_data = record ("multi.data", multi_args, "./fp/prog", FALSE)) == NULL)
    return;

  /* Programs that change after the recording: one deleted (perf kept no
   * copy), one rebuilt with other function names (perf kept a copy in its
   * build-id cache, ~/.debug). */
  /* A build id of its own, so that no earlier run left a copy in ~/.debug. */
  g_autofree char *build_id = g_strdup_printf ("-Wl,--build-id=0x%08x%08x%08x%08x%08x", g_random_int (),
                                               g_random_int (), g_random_int (), g_random_int (),
                                               g_random_int ());
  const char *const gone_prog[] = { "gcc", "-O2", "-g", build_id, "prog.c", "libwork.c", "-o",
                                    "gone/prog", NULL };
  const char *const changed_prog[] = { "gcc", "-O2", "-g", "prog.c", "libwork.c", "-o", "changed/prog", NULL };
  const char *const changed_again[] = { "gcc", "-O2", "-g", "-Dexe_work=renamed_work", "prog.c",
                                        "libwork.c", "-o", "changed/prog", NULL };
  const char *const gone_args[] = { "-F", "2000", "-g", "--no-buildid-cache", NULL };
  g_autofree char *gone_dir = g_build_filename (rec.dir, "gone", NULL);
  g_autofree char *changed_dir = g_build_filename (rec.dir, "changed", NULL);
  g_mkdir (gone_dir, 0755);
  g_mkdir (changed_dir, 0755);
  if (!compile (gone_prog) || !compile (changed_prog))
    return;
  if ((rec.gone_data = record ("gone.data", gone_args, "./gone/prog", FALSE)) == NULL
      || (rec.changed_data = record ("changed.data", fp_args, "./changed/prog", FALSE)) == NULL)
    return;
  g_autofree char *gone_bin = g_build_filename (gone_dir, "prog", NULL);
  rec.symfs = g_build_filename (rec.dir, "symfs", NULL);
  g_autofree char *kept_dir = g_build_filename (rec.symfs, gone_dir, NULL);
  g_autofree char *kept_bin = g_build_filename (kept_dir, "prog", NULL);
  g_assert_cmpint (g_mkdir_with_parents (kept_dir, 0755), ==, 0);
  g_assert_cmpint (g_rename (gone_bin, kept_bin), ==, 0);
  compile (changed_again);
}

static gboolean
skip_without_recordings (void)
{
  if (rec.skip == NULL)
    return FALSE;
  g_test_skip (rec.skip);
  return TRUE;
}

static PyroProfile *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  PyroProfile *p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_cmpuint (pyro_profile_n_samples (p), >, 100);
  return p;
}

/* perf report's self share per symbol name. */
static GHashTable *
perf_report_self (const char *path)
{
  const char *const argv[] = { "perf", "report", "-i", path, "--no-children", "--sort", "sym",
                               "--stdio", "-g", "none", "--percent-limit", "0", NULL };
  g_autofree char *out = NULL, *err = NULL;
  if (!run (argv, NULL, &out, &err))
    g_error ("perf report failed: %s", err);
  GHashTable *shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      double pct;
      char mode;
      int consumed = 0;
      if (lines[i][0] == '#' || sscanf (lines[i], " %lf%% [%c] %n", &pct, &mode, &consumed) != 2
          || consumed == 0)
        continue;
      g_autofree char *name = g_strstrip (g_strdup (lines[i] + consumed));
      double *v = g_hash_table_lookup (shares, name);
      if (v == NULL)
        {
          v = g_new0 (double, 1);
          g_hash_table_insert (shares, g_steal_pointer (&name), v);
        }
      *v += pct;
    }
  return shares;
}

/* Our self share per function name.  perf names the symbol an address is
 * in, so frames of an inlined function count for the function they were
 * inlined into (here: mix into exe_work). */
static GHashTable *
our_self (PyroProfile *profile)
{
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (profile, NULL, NULL, NULL);
  g_autoptr (PyroFunctionTable) table = pyro_function_table_new (tree);
  GHashTable *shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const PyroFunctionRow *row = &g_array_index (table->rows, PyroFunctionRow, i);
      const char *name = pyro_profile_func_name (profile, row->func);
      if (g_str_equal (name, "mix"))
        name = "exe_work";
      double *v = g_hash_table_lookup (shares, name);
      if (v == NULL)
        {
          v = g_new0 (double, 1);
          g_hash_table_insert (shares, g_strdup (name), v);
        }
      *v += 100.0 * row->self / table->grand_total;
    }
  return shares;
}

static int
by_share_desc (gconstpointer a, gconstpointer b, gpointer table)
{
  double x = *(double *) g_hash_table_lookup (table, *(const char **) a);
  double y = *(double *) g_hash_table_lookup (table, *(const char **) b);
  return x < y ? 1 : x > y ? -1 : 0;
}

static void
assert_matches_perf_report (const char *path)
{
  g_autoptr (PyroProfile) profile = load (path);
  g_autoptr (GHashTable) perf = perf_report_self (path);
  g_autoptr (GHashTable) ours = our_self (profile);
  g_assert_cmpuint (g_hash_table_size (perf), >, 0);

  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, perf);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort_with_data (names, by_share_desc, perf);

  guint compared = 0;
  for (guint i = 0; i < names->len && compared < 10; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      double theirs = *(double *) g_hash_table_lookup (perf, name);
      /* perf prints bare addresses for what it cannot name; we say module+0xoffset. */
      if (g_str_has_prefix (name, "0x") || g_str_equal (name, "[unknown]"))
        continue;
      double *mine = g_hash_table_lookup (ours, name);
      g_test_message ("%s: perf %.2f%%, pyrometer %.2f%%", name, theirs, mine ? *mine : 0.0);
      g_assert_cmpfloat_with_epsilon (mine != NULL ? *mine : 0.0, theirs, 0.5);
      compared++;
    }
  g_assert_cmpuint (compared, >=, 2);
  double *exe = g_hash_table_lookup (ours, "exe_work");
  double *lib = g_hash_table_lookup (ours, "lib_work");
  g_assert_nonnull (exe);
  g_assert_nonnull (lib);
  g_assert_cmpfloat (*exe, >, 20);
  g_assert_cmpfloat (*lib, >, 10);
}

static void
test_fp_matches_perf_report (void)
{
  if (!skip_without_recordings ())
    assert_matches_perf_report (rec.fp_data);
}

static void
test_dwarf_matches_perf_report (void)
{
  if (!skip_without_recordings ())
    assert_matches_perf_report (rec.dwarf_data);
}

static void
test_zstd_matches_perf_report (void)
{
  if (!skip_without_recordings ())
    assert_matches_perf_report (rec.zstd_data);
}

static void
test_pipe_matches_perf_report (void)
{
  if (!skip_without_recordings ())
    assert_matches_perf_report (rec.pipe_data);
}

static guint32
hot_loop_line (void)
{
  g_auto (GStrv) lines = g_strsplit (prog_source, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "/* hot loop */") != NULL)
      return i + 1;
  g_assert_not_reached ();
}

static void
test_hot_line (void)
{
  if (skip_without_recordings ())
    return;
  g_autoptr (PyroProfile) profile = load (rec.fp_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroLineCosts) costs = pyro_line_costs_new (profile, "prog.c", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (costs->lines->len, >, 0);
  const PyroLineCost *hottest = NULL;
  for (guint i = 0; i < costs->lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (costs->lines, PyroLineCost, i);
      if (hottest == NULL || c->self > hottest->self)
        hottest = c;
    }
  g_assert_cmpuint (hottest->line, ==, hot_loop_line ());

  /* Threads are named from COMM records (after exec, not "perf-exec"). */
  gboolean named = FALSE;
  for (guint i = 0; i < pyro_profile_n_threads (profile); i++)
    {
      const PyroThread *t = &g_array_index (profile->threads, PyroThread, i);
      named |= g_str_equal (pyro_profile_str (profile, t->name), "prog")
               && g_str_equal (pyro_profile_str (profile, t->process_name), "prog");
    }
  g_assert_true (named);
  g_assert_true (profile->meta.has_time);
  gint64 start, end;
  g_assert_true (pyro_profile_time_bounds (profile, &start, &end));
  g_assert_cmpint (end - start, >, 100000000); /* ns: the program ran for well over 0.1 s */

  /* The inlined function is a frame of its own, inside exe_work. */
  g_assert_cmpuint (fixture_func (profile, "mix"), !=, PYRO_NONE);
  g_assert_cmpuint (fixture_func (profile, "exe_work"), !=, PYRO_NONE);
}

/* Share of the samples in @leaf_func whose stack reaches main. */
static double
share_reaching_main (PyroProfile *p, const char *leaf_func)
{
  guint32 leaf = fixture_func (p, leaf_func), main_func = fixture_func (p, "main");
  guint with = 0, all = 0;
  g_assert_cmpuint (leaf, !=, PYRO_NONE);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 s = PYRO_COL (p->sample_stack, guint32, i);
      guint32 f = PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, s));
      if (f != leaf)
        continue;
      all++;
      for (; s != PYRO_NONE; s = PYRO_COL (p->stack_parent, guint32, s))
        if (PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, s)) == main_func)
          {
            with++;
            break;
          }
    }
  g_assert_cmpuint (all, >, 20);
  return (double) with / all;
}

static void
test_dwarf_full_stacks (void)
{
  if (skip_without_recordings ())
    return;
  g_autoptr (PyroProfile) p = load (rec.dwarf_data);
  g_assert_cmpuint (fixture_func (p, "main"), !=, PYRO_NONE);
  g_assert_cmpfloat (share_reaching_main (p, "lib_work"), >, 0.95);
  g_assert_cmpfloat (share_reaching_main (p, "mix"), >, 0.95);
  /* driver calls both: present between main and the leaves */
  g_assert_cmpuint (fixture_func (p, "driver"), !=, PYRO_NONE);
}

static void
test_cli_lines (void)
{
  if (skip_without_recordings ())
    return;
  const char *bin = g_getenv ("PYRO_BIN");
  g_assert_nonnull (bin);
  const char *const argv[] = { bin, "report", rec.fp_data, "--lines", "prog.c", "--format", "json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (run (argv, NULL, &out, &err));
  g_autofree char *needle = g_strdup_printf ("\"line\" : %u", hot_loop_line ());
  g_assert_nonnull (strstr (out, "\"lines\""));
  g_assert_nonnull (strstr (out, needle));
  g_assert_nonnull (strstr (out, "prog.c"));
}

static void
test_truncated_recording (void)
{
  if (skip_without_recordings ())
    return;
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (rec.fp_data, &data, &len, NULL));
  /* Every prefix at 61 places: a clean error naming a byte, or a profile. */
  for (guint k = 1; k <= 61; k++)
    {
      gsize cut = len * k / 62;
      g_autofree char *path = fixture_write_temp ("cut.perf.data", data, (gssize) cut);
      g_autoptr (GError) error = NULL;
      g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
      if (p == NULL)
        g_assert_nonnull (strstr (error->message, "byte "));
    }
}

typedef struct {
  GArray *fractions;       /* double */
  GCancellable *cancel_at_first;
} ProgressLog;

static void
log_progress (double fraction, gpointer user_data)
{
  ProgressLog *log = user_data;
  g_array_append_val (log->fractions, fraction);
  if (log->cancel_at_first != NULL)
    g_cancellable_cancel (log->cancel_at_first);
}

static void
test_progress_and_cancel (void)
{
  if (skip_without_recordings ())
    return;
  /* The DWARF recording copies 8 KB of stack a sample: megabytes of records,
   * with progress reported between them, rising to 1. */
  g_autoptr (GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  ProgressLog log = { fractions, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (rec.dwarf_data, log_progress, &log, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%u progress reports", fractions->len);
  g_assert_cmpuint (fractions->len, >=, 3);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, 0), <, 1);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1);

  /* Cancelled at the first report, the load stops there. */
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_array_set_size (fractions, 0);
  log.cancel_at_first = cancellable;
  g_autoptr (PyroProfile) none = pyro_format_load_file (rec.dwarf_data, log_progress, &log, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fractions->len, ==, 1);
}

/* Runs the built pyrometer on @path with @language; returns its stderr. */
static char *
report_error (const char *path, const char *language)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "LANGUAGE", language, TRUE);
  env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "PYRO_LOCALEDIR", localedir, TRUE);
  const char *argv[] = { g_getenv ("PYRO_BIN"), "report", path, NULL };
  g_autoptr (GError) error = NULL;
  char *err = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  return err;
}

/* The reader's message reaches the command line in the language asked for. */
static void
test_error_translated (void)
{
  g_autofree char *mo = g_test_build_filename (G_TEST_BUILT, "..", "po", "de", "LC_MESSAGES",
                                               "pyrometer.mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("the German catalogue is not built (po/de/LC_MESSAGES/pyrometer.mo)");
      return;
    }
  static const guint8 header[16] = { 'P', 'E', 'R', 'F', 'I', 'L', 'E', '2', 104 };
  g_autofree char *path = fixture_write_temp ("short.perf.data", header, sizeof header);
  g_autofree char *german = report_error (path, "de");
  g_assert_nonnull (strstr (german, "short.perf.data: Byte 16: der perf.data-Kopf braucht 104 Bytes, "
                                    "die Datei hat 16"));
  g_autofree char *english = report_error (path, "");
  g_assert_nonnull (strstr (english, "short.perf.data: byte 16: the perf.data header needs 104 bytes, "
                                     "the file has 16"));
}

/* ---- hand-built files for the bad input cases ---- */

typedef struct {
  GByteArray *data;
  gsize data_start;
} PerfFile;

static void
put (GByteArray *b, const void *p, gsize n)
{
  g_byte_array_append (b, p, (guint) n);
}

static void
put64 (GByteArray *b, guint64 v)
{
  put (b, &v, 8);
}

static void
put32 (GByteArray *b, guint32 v)
{
  put (b, &v, 4);
}

/* Header + one attr (sample_type @st) + ids; the data section follows. */
static PerfFile
file_begin (guint64 st)
{
  PerfFile f = { g_byte_array_new (), 0 };
  struct perf_event_attr attr = { 0 };
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.size = sizeof attr;
  attr.sample_type = st;
  attr.sample_regs_user = 0xff0fff;
  gsize attr_size = sizeof attr + 16;
  gsize attrs_off = 104, ids_off = attrs_off + attr_size, data_off = ids_off + 8;

  put (f.data, "PERFILE2", 8);
  put64 (f.data, 104);
  put64 (f.data, attr_size);
  put64 (f.data, attrs_off);
  put64 (f.data, attr_size);
  put64 (f.data, data_off);
  put64 (f.data, 0); /* data size, patched by file_end */
  put64 (f.data, 0);
  put64 (f.data, 0);
  for (int i = 0; i < 4; i++)
    put64 (f.data, 0);
  put (f.data, &attr, sizeof attr);
  put64 (f.data, ids_off);
  put64 (f.data, 8);
  put64 (f.data, 1); /* id */
  f.data_start = f.data->len;
  return f;
}

static void
record_header (GByteArray *b, guint32 type, guint16 size)
{
  put32 (b, type);
  guint16 misc = PERF_RECORD_MISC_USER;
  put (b, &misc, 2);
  put (b, &size, 2);
}

static char *
file_end (PerfFile *f)
{
  guint64 size = f->data->len - f->data_start;
  memcpy (f->data->data + 48, &size, 8);
  char *path = fixture_write_temp ("bad.perf.data", f->data->data, f->data->len);
  g_byte_array_unref (f->data);
  return path;
}

static void
comm_record (GByteArray *b)
{
  record_header (b, PERF_RECORD_COMM, 8 + 8 + 8);
  put32 (b, 42);
  put32 (b, 42);
  put (b, "prog\0\0\0\0", 8);
}

static void
assert_load_error (const char *path, const char *what, gsize offset)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_null (p);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_autofree char *at = g_strdup_printf ("byte %" G_GSIZE_FORMAT ":", offset);
  g_assert_nonnull (strstr (error->message, at));
  g_assert_nonnull (strstr (error->message, what));
}

static void
test_bad_record_size_zero (void)
{
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID);
  comm_record (f.data);
  gsize at = f.data->len;
  record_header (f.data, PERF_RECORD_SAMPLE, 0);
  put64 (f.data, 0);
  g_autofree char *path = file_end (&f);
  assert_load_error (path, "record size 0", at);
}

static void
test_bad_record_past_end (void)
{
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID);
  comm_record (f.data);
  gsize at = f.data->len;
  record_header (f.data, PERF_RECORD_SAMPLE, 4000);
  put64 (f.data, 0x1000);
  put64 (f.data, 42);
  g_autofree char *path = file_end (&f);
  assert_load_error (path, "runs past the end", at);
}

static void
test_bad_attr_size (void)
{
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID);
  comm_record (f.data);
  /* The header claims attrs are 8 bytes longer than they are. */
  guint64 attr_size = sizeof (struct perf_event_attr) + 16 + 8;
  memcpy (f.data->data + 16, &attr_size, 8);
  g_autofree char *path = file_end (&f);
  assert_load_error (path, "attr size", 16);

  /* The attr itself claims to be longer than the header's attr size. */
  PerfFile g = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID);
  guint32 own = sizeof (struct perf_event_attr) + 64;
  memcpy (g.data->data + 104 + 4, &own, 4);
  g_autofree char *path2 = file_end (&g);
  assert_load_error (path2, "the event attr says it holds", 108);
}

static void
test_bad_callchain (void)
{
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_CALLCHAIN);
  comm_record (f.data);
  gsize at = f.data->len;
  record_header (f.data, PERF_RECORD_SAMPLE, 8 + 8 + 8 + 8 + 16);
  put64 (f.data, 0x1000);
  put32 (f.data, 42);
  put32 (f.data, 42);
  put64 (f.data, 1000000); /* callchain entries */
  put64 (f.data, 0x1000);
  put64 (f.data, 0x2000);
  g_autofree char *path = file_end (&f);
  assert_load_error (path, "callchain of 1000000 entries runs past", at);
}

static void
test_bad_stack_size (void)
{
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_REGS_USER
                           | PERF_SAMPLE_STACK_USER);
  comm_record (f.data);
  gsize at = f.data->len;
  guint n_regs = (guint) __builtin_popcountll (0xff0fff);
  guint16 size = 8 + 8 + 8 + 8 + n_regs * 8 + 8 + 64;
  record_header (f.data, PERF_RECORD_SAMPLE, size);
  put64 (f.data, 0x1000);
  put32 (f.data, 42);
  put32 (f.data, 42);
  put64 (f.data, PERF_SAMPLE_REGS_ABI_64);
  for (guint i = 0; i < n_regs; i++)
    put64 (f.data, 0);
  put64 (f.data, 65536); /* stack bytes, far more than the record holds */
  for (int i = 0; i < 8; i++)
    put64 (f.data, 0);
  g_autofree char *path = file_end (&f);
  assert_load_error (path, "user stack of 65536 bytes runs past", at);
}

static void
test_bad_zstd (void)
{
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID);
  comm_record (f.data);

  /* A good frame first, holding one sample... */
  guint8 sample[8 + 16];
  guint32 type = PERF_RECORD_SAMPLE;
  guint16 misc = PERF_RECORD_MISC_USER, rsize = sizeof sample;
  guint64 ip = 0x1000;
  guint32 ids[2] = { 42, 42 };
  memcpy (sample, &type, 4);
  memcpy (sample + 4, &misc, 2);
  memcpy (sample + 6, &rsize, 2);
  memcpy (sample + 8, &ip, 8);
  memcpy (sample + 16, ids, 8);
  guint8 packed[256];
  size_t n = ZSTD_compress (packed, sizeof packed, sample, sizeof sample, 1);
  g_assert_false (ZSTD_isError (n));
  record_header (f.data, 81, (guint16) (8 + n));
  put (f.data, packed, n);

  /* ...then one whose bytes are garbage. */
  gsize at = f.data->len;
  record_header (f.data, 81, 8 + 32);
  for (int i = 0; i < 32; i++)
    {
      guint8 junk = (guint8) (0xa5 ^ (i * 37));
      put (f.data, &junk, 1);
    }
  g_autofree char *path = file_end (&f);
  assert_load_error (path, "corrupt zstd data", at);
}

static void
test_good_hand_built (void)
{
  /* The builder itself makes a readable file: the bad cases differ by one field. */
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_PERIOD);
  comm_record (f.data);
  for (int i = 0; i < 3; i++)
    {
      record_header (f.data, PERF_RECORD_SAMPLE, 8 + 24);
      put64 (f.data, 0x1000 + i);
      put32 (f.data, 42);
      put32 (f.data, 42);
      put64 (f.data, 1000000);
    }
  g_autofree char *path = file_end (&f);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pyro_profile_n_samples (p), ==, 3);
  g_assert_cmpstr (pyro_profile_str (p, PYRO_COL (p->threads, PyroThread, 0).name), ==, "prog");
  g_assert_cmpstr (p->meta.event, ==, "cpu-clock");
  g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (p), 0.003, 1e-9);
  /* No mapping: a name, never a bare address. */
  const char *name = pyro_profile_func_name (p, 0);
  g_assert_cmpstr (name, ==, "[unknown]");
}

static void
test_several_events (void)
{
  if (skip_without_recordings ())
    return;
  g_autoptr (PyroProfile) p = load (rec.multi_data);
  /* The first event weighs the views; the others are named in a warning. */
  g_assert_cmpstr (p->meta.event, ==, "cpu-clock");
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
  /* feature sections */
  g_assert_cmpstr (p->meta.host, ==, g_get_host_name ());
  g_assert_nonnull (p->meta.command_line);
  g_assert_nonnull (strstr (p->meta.command_line, "perf record"));
  g_assert_nonnull (p->meta.os_release);
  g_assert_cmpuint (p->meta.n_cpus, ==, g_get_num_processors ());
  gboolean named = FALSE;
  for (guint i = 0; i < p->warnings->len; i++)
    named |= strstr (g_ptr_array_index (p->warnings, i), "page-faults") != NULL;
  g_assert_true (named);
  g_assert_cmpuint (fixture_func (p, "exe_work"), !=, PYRO_NONE);
  /* The other event is a running total on the timeline. */
  gboolean counted = FALSE;
  for (guint i = 0; i < p->counters->len; i++)
    {
      const PyroCounter *c = g_ptr_array_index (p->counters, i);
      if (strstr (pyro_profile_str (p, c->name), "page-faults") == NULL)
        continue;
      counted = c->values->len > 0;
      for (guint k = 1; k < c->values->len; k++)
        g_assert_cmpfloat (PYRO_COL (c->values, double, k), >=, PYRO_COL (c->values, double, k - 1));
    }
  g_assert_true (counted);

  /* Another event can weigh the views instead. */
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) faults = pyro_perf_data_load (rec.multi_data, "page-faults", NULL, NULL,
                                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (faults->meta.event, ==, "page-faults");
  g_assert_cmpint (faults->meta.unit, ==, PYRO_UNIT_SAMPLES);
  g_assert_cmpuint (pyro_profile_n_samples (faults), >, 0);
  g_assert_cmpuint (pyro_profile_n_samples (faults), <, pyro_profile_n_samples (p));
  g_autoptr (PyroProfile) none = pyro_perf_data_load (rec.multi_data, "cycles-that-are-not", NULL,
                                                      NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "(it holds: cpu-clock"));
}

static void
test_jit_map (void)
{
  /* A sample in anonymous memory of a process that wrote /tmp/perf-PID.map
   * (as python3.12 -X perf does) takes the map's name. */
  guint32 pid = 4190000 + (guint32) g_random_int_range (0, 4000);
  g_autofree char *map_path = g_strdup_printf ("%s/perf-%u.map", g_get_tmp_dir (), pid);
  g_assert_true (g_file_set_contents (map_path, "7f0000001000 100 py::work:/app/x.py\n"
                                      "7f0000002000 80 py::other:/app/x.py\n", -1, NULL));
  PerfFile f = file_begin (PERF_SAMPLE_IP | PERF_SAMPLE_TID);
  const char anon[] = "//anon\0\0";
  record_header (f.data, PERF_RECORD_MMAP, 8 + 8 + 24 + sizeof anon - 1);
  put32 (f.data, pid);
  put32 (f.data, pid);
  put64 (f.data, 0x7f0000000000);
  put64 (f.data, 0x10000);
  put64 (f.data, 0);
  put (f.data, anon, sizeof anon - 1);
  record_header (f.data, PERF_RECORD_SAMPLE, 8 + 16);
  put64 (f.data, 0x7f0000001040);
  put32 (f.data, pid);
  put32 (f.data, pid);
  g_autofree char *path = file_end (&f);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_unlink (map_path);
  g_assert_no_error (error);
  guint32 func = fixture_func (p, "py::work:/app/x.py");
  g_assert_cmpuint (func, !=, PYRO_NONE);
  g_assert_cmpint (pyro_profile_func_kind (p, func), ==, PYRO_FUNC_PYTHON);
}

static const char py_source[] =
  "def inner(n):\n"
  "    s = 0\n"
  "    for i in range(n):\n"
  "        s += i * i\n"
  "    return s\n"
  "def outer():\n"
  "    return sum(inner(100000) for _ in range(40))\n"
  "print(outer())\n";

/* A Python with perf trampolines (3.12+, -X perf), or NULL. */
static char *
find_perf_python (void)
{
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  const char *names[] = { "python3.13", "python3.12", NULL };
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *p = g_find_program_in_path (names[i]);
      if (p != NULL)
        g_ptr_array_add (candidates, p);
    }
  g_autofree char *versions = g_build_filename (g_get_home_dir (), ".pyenv", "versions", NULL);
  g_autoptr (GDir) dir = g_dir_open (versions, 0, NULL);
  for (const char *v; dir != NULL && (v = g_dir_read_name (dir)) != NULL;)
    for (guint i = 0; names[i] != NULL; i++)
      g_ptr_array_add (candidates, g_build_filename (versions, v, "bin", names[i], NULL));
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *py = g_ptr_array_index (candidates, i);
      const char *const argv[] = { py, "-X", "perf", "-c",
                                   "import sys; sys.exit(not sys.is_stack_trampoline_active())", NULL };
      if (g_file_test (py, G_FILE_TEST_IS_EXECUTABLE) && run (argv, NULL, NULL, NULL))
        return g_strdup (py);
    }
  return NULL;
}

static void
test_python_perf_map (void)
{
  if (skip_without_recordings ())
    return;
  g_autofree char *py = find_perf_python ();
  if (py == NULL)
    {
      g_test_skip ("no Python 3.12+ with perf trampolines (python3.12 -X perf) found");
      return;
    }
  g_autofree char *script = g_build_filename (rec.dir, "hot.py", NULL);
  g_assert_true (g_file_set_contents (script, py_source, -1, NULL));
  /* CPython is built without frame pointers: DWARF unwinding reaches the
   * trampolines, whose names are in /tmp/perf-PID.map. */
  g_autofree char *path = g_build_filename (rec.dir, "python.data", NULL);
  const char *const cmd[] = { "perf", "record", "-q", "-F", "999", "--call-graph", "dwarf", "-o", path,
                              "--", py, "-X", "perf", script, NULL };
  g_autofree char *err = NULL;
  g_assert_true (run (cmd, NULL, NULL, &err));
  g_autoptr (PyroProfile) p = load (path);
  g_autofree char *name = g_strdup_printf ("py::inner:%s", script);
  guint32 func = fixture_func (p, name);
  g_assert_cmpuint (func, !=, PYRO_NONE);
  g_assert_cmpint (pyro_profile_func_kind (p, func), ==, PYRO_FUNC_PYTHON);
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (PyroFunctionTable) table = pyro_function_table_new (tree);
  const PyroFunctionRow *row = pyro_function_table_lookup (table, func);
  g_assert_nonnull (row);
  g_assert_cmpfloat (row->total / table->grand_total, >, 0.5);
}

static void
test_demangle (void)
{
  g_autofree char *cxx = pyro_demangle ("_ZN2ns3Hot4spinEi");
  g_autofree char *rust_legacy = pyro_demangle ("_ZN4core3ptr13drop_in_place17h0123456789abcdefE");
  g_autofree char *rust_v0 = pyro_demangle ("_RNvCs1234_7mycrate3foo");
  g_autofree char *plain = pyro_demangle ("exe_work");
  g_assert_cmpstr (cxx, ==, "ns::Hot::spin(int)");
  g_assert_cmpstr (rust_legacy, ==, "core::ptr::drop_in_place");
  g_assert_cmpstr (rust_v0, ==, "mycrate::foo");
  g_assert_null (plain);
}

static void
test_missing_binary (void)
{
  if (skip_without_recordings ())
    return;
  g_autoptr (PyroProfile) p = load (rec.gone_data);
  guint found = 0;
  for (guint i = 0; i < p->warnings->len; i++)
    {
      const char *w = g_ptr_array_index (p->warnings, i);
      if (strstr (w, "gone/prog: not found") != NULL)
        {
          found++;
          g_assert_nonnull (strstr (w, " samples ("));
        }
    }
  g_assert_cmpuint (found, ==, 1);
  /* Its code shows as module+0xoffset, never as a bare address. */
  gboolean offset_names = FALSE;
  for (guint f = 0; f < pyro_profile_n_funcs (p); f++)
    {
      const char *name = pyro_profile_func_name (p, f);
      g_assert_false (g_str_has_prefix (name, "0x"));
      offset_names |= g_str_has_prefix (name, "prog+0x");
    }
  g_assert_true (offset_names);

  /* The CLI says it once, on stderr. */
  const char *const argv[] = { g_getenv ("PYRO_BIN"), "report", rec.gone_data, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (run (argv, NULL, &out, &err));
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  guint mentions = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    mentions += strstr (lines[i], "gone/prog: not found") != NULL;
  g_assert_cmpuint (mentions, ==, 1);
}

/* With --symfs-style lookup, the moved program is found under its old path
 * below the directory, with its functions and lines. */
static void
test_symfs (void)
{
  if (skip_without_recordings ())
    return;
  pyro_symbolizer_set_symfs (rec.symfs);
  g_autoptr (PyroProfile) p = load (rec.gone_data);
  pyro_symbolizer_set_symfs (NULL);
  for (guint i = 0; i < p->warnings->len; i++)
    g_assert_null (strstr (g_ptr_array_index (p->warnings, i), "gone/prog: not found"));
  guint32 work = fixture_func (p, "exe_work");
  g_assert_cmpuint (work, !=, PYRO_NONE);
  g_assert_nonnull (strstr (pyro_profile_func_file (p, work), "prog.c"));

  const char *const argv[] = { g_getenv ("PYRO_BIN"), "report", "--symfs", rec.symfs, rec.gone_data,
                               NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (run (argv, NULL, &out, &err));
  g_assert_nonnull (strstr (out, "exe_work"));
  g_assert_null (strstr (err, "gone/prog: not found"));
}

static void
test_changed_binary (void)
{
  if (skip_without_recordings ())
    return;
  g_autoptr (PyroProfile) p = load (rec.changed_data);
  /* The build id tells the rebuilt file apart; perf's cached copy is used. */
  g_assert_cmpuint (fixture_func (p, "exe_work"), !=, PYRO_NONE);
  g_assert_cmpuint (fixture_func (p, "renamed_work"), ==, PYRO_NONE);
}

static void
remove_tree (const char *dir)
{
  const char *const argv[] = { "rm", "-rf", dir, NULL };
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  make_recordings ();

  g_test_add_func ("/perf/bad/hand-built-reference", test_good_hand_built);
  g_test_add_func ("/perf/bad/record-size-zero", test_bad_record_size_zero);
  g_test_add_func ("/perf/bad/record-past-end", test_bad_record_past_end);
  g_test_add_func ("/perf/bad/attr-size", test_bad_attr_size);
  g_test_add_func ("/perf/bad/callchain-length", test_bad_callchain);
  g_test_add_func ("/perf/bad/stack-size", test_bad_stack_size);
  g_test_add_func ("/perf/bad/zstd", test_bad_zstd);
  g_test_add_func ("/perf/bad/truncated", test_truncated_recording);
  g_test_add_func ("/perf/bad/translated", test_error_translated);
  g_test_add_func ("/perf/dwarf/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/perf/symbols/jit-map", test_jit_map);
  g_test_add_func ("/perf/symbols/demangle", test_demangle);
  g_test_add_func ("/perf/symbols/python-perf-map", test_python_perf_map);
  g_test_add_func ("/perf/events/several", test_several_events);
  g_test_add_func ("/perf/symbols/missing-binary", test_missing_binary);
  g_test_add_func ("/perf/symbols/changed-binary", test_changed_binary);
  g_test_add_func ("/perf/symbols/symfs", test_symfs);
  g_test_add_func ("/perf/frame-pointers/matches-perf-report", test_fp_matches_perf_report);
  g_test_add_func ("/perf/frame-pointers/hot-line", test_hot_line);
  g_test_add_func ("/perf/frame-pointers/cli-lines", test_cli_lines);
  g_test_add_func ("/perf/dwarf/matches-perf-report", test_dwarf_matches_perf_report);
  g_test_add_func ("/perf/dwarf/full-stacks", test_dwarf_full_stacks);
  g_test_add_func ("/perf/zstd/matches-perf-report", test_zstd_matches_perf_report);
  g_test_add_func ("/perf/pipe/matches-perf-report", test_pipe_matches_perf_report);

  int status = g_test_run ();
  remove_tree (rec.dir);
  return status;
}
