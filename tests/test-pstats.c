/* cProfile and profile dumps: every Python on the machine writes them, its
 * own pstats prints the numbers, and the reader must give the same numbers
 * bit for bit.  Broken dumps must fail with an error naming the byte. */
#include "fixtures.h"
#include "formats/reader.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

typedef struct {
  char *label;     /* test path component */
  char *python;    /* interpreter, NULL when missing */
  char *missing;   /* why it is skipped */
} PythonCase;

/* Runs the program under test; uses only what Python 2.7 and 3.x share. */
static const char program[] =
  "import sys, threading\n"
  "sys.path.insert(0, sys.argv[1])\n"
  "import deep_module_with_a_long_name as deep\n"
  "\n"
  "def fib(n):\n"
  "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
  "\n"
  "def ping(n):\n"
  "    return pong(n - 1) if n > 0 else 0\n"
  "\n"
  "def pong(n):\n"
  "    return ping(n - 1) if n > 0 else 0\n"
  "\n"
  "def worker(k):\n"
  "    total = 0\n"
  "    for _ in range(k):\n"
  "        total += fib(12)\n"
  "    return total\n"
  "\n"
  "def main():\n"
  "    fib(16)\n"
  "    ping(40)\n"
  "    threads = [threading.Thread(target=worker, args=(3,)) for _ in range(3)]\n"
  "    for t in threads:\n"
  "        t.start()\n"
  "    for t in threads:\n"
  "        t.join()\n"
  "    deep.work(300)\n"
  "\n"
  "main()\n";

static const char deep_module[] =
  "def step(i):\n"
  "    return i * i\n"
  "\n"
  "def work(n):\n"
  "    total = 0\n"
  "    for i in range(n):\n"
  "        total += step(i)\n"
  "    return total\n";

/* Prints pstats' view of a dump: F callee-key cc nc tt ct, and
 * E callee-key caller-key nc cc tt ct, numbers as exact float reprs. */
static const char printer[] =
  "import pstats, sys\n"
  "def name_of(n):\n"
  "    if hasattr(n, 'co_name'):\n"
  "        return '<code object %s, file \"%s\", line %d>' % (n.co_name, n.co_filename, n.co_firstlineno)\n"
  "    return n\n"
  "def key(k):\n"
  "    return '%s\\t%d\\t%s' % (k[0], k[1], name_of(k[2]))\n"
  "def num(x):\n"
  "    return repr(float(x))\n"
  "w = sys.stdout.write\n"
  "for k, v in pstats.Stats(sys.argv[1]).stats.items():\n"
  "    w('F\\t%s\\t%s\\t%s\\t%s\\t%s\\n' % (key(k), num(v[0]), num(v[1]), num(v[2]), num(v[3])))\n"
  "    for c, e in v[4].items():\n"
  "        if isinstance(e, tuple):\n"
  "            w('E\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' % (key(k), key(c), num(e[0]), num(e[1]), num(e[2]), num(e[3])))\n"
  "        else:\n"
  "            w('E\\t%s\\t%s\\t%s\\t%s\\t0.0\\t0.0\\n' % (key(k), key(c), num(e), num(e)))\n";

/* Workspace */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
make_workspace (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("pyro-pstats-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
write_file (const char *path, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Runs @argv; returns stdout, or NULL (with the reason in *@why) on failure. */
static char *
run (const char *const *argv, const char *cwd, char **why)
{
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "PYTHONIOENCODING", "utf-8", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  env = g_environ_unsetenv (env, "PYTHONPATH");
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  if (!g_spawn_sync (cwd, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      *why = g_strdup_printf ("%s: %s\n%s", argv[0], error->message, err != NULL ? err : "");
      return NULL;
    }
  return g_steal_pointer (&out);
}

static char *
run_or_fail (const char *const *argv, const char *cwd)
{
  g_autofree char *why = NULL;
  char *out = run (argv, cwd, &why);
  if (out == NULL)
    g_error ("%s", why);
  return out;
}

/* What pstats printed */

typedef struct {
  double v[4];
} Numbers;

typedef struct {
  GHashTable *funcs;  /* "file\tline\tname" -> Numbers (cc, nc, tt, ct) */
  GHashTable *edges;  /* "callee\tcaller" keys -> Numbers (nc, cc, tt, ct) */
} PstatsView;

static void
pstats_view_clear (PstatsView *view)
{
  g_clear_pointer (&view->funcs, g_hash_table_unref);
  g_clear_pointer (&view->edges, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PstatsView, pstats_view_clear)

static Numbers *
parse_numbers (char **fields)
{
  Numbers *n = g_new (Numbers, 1);
  for (guint i = 0; i < 4; i++)
    {
      char *end = NULL;
      n->v[i] = g_ascii_strtod (fields[i], &end);
      g_assert_true (end != fields[i] && *end == '\0');
    }
  return n;
}

static void
parse_pstats_output (const char *text, PstatsView *view)
{
  view->funcs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  view->edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      guint n = g_strv_length (f);
      if (f[0][0] == 'F' && n == 8)
        g_hash_table_insert (view->funcs, g_strjoin ("\t", f[1], f[2], f[3], NULL),
                             parse_numbers (f + 4));
      else if (f[0][0] == 'E' && n == 11)
        g_hash_table_insert (view->edges,
                             g_strjoin ("\t", f[1], f[2], f[3], f[4], f[5], f[6], NULL),
                             parse_numbers (f + 7));
      else
        g_error ("unexpected pstats line: %s", lines[i]);
    }
}

static char *
func_key (PyroProfile *p, guint32 func)
{
  return g_strdup_printf ("%s\t%u\t%s", pyro_profile_func_file (p, func),
                          pyro_profile_func_line (p, func), pyro_profile_func_name (p, func));
}

static void
assert_same_numbers (const char *what, const char *key, const double *ours, const Numbers *theirs)
{
  for (guint i = 0; i < 4; i++)
    if (ours[i] != theirs->v[i])
      g_error ("%s %s: number %u is %.17g, pstats says %.17g", what, key, i, ours[i],
               theirs->v[i]);
}

static void
compare_with_pstats (PyroProfile *p, const PstatsView *view)
{
  g_assert_true (p->has_call_stats);
  g_assert_cmpuint (p->func_stats->len, ==, g_hash_table_size (view->funcs));
  for (guint i = 0; i < p->func_stats->len; i++)
    {
      const PyroFuncStats *st = &g_array_index (p->func_stats, PyroFuncStats, i);
      g_autofree char *key = func_key (p, st->func);
      const Numbers *theirs = g_hash_table_lookup (view->funcs, key);
      if (theirs == NULL)
        g_error ("function %s is not in pstats' output", key);
      double ours[4] = { st->prim_calls, st->total_calls, st->self_time, st->cum_time };
      assert_same_numbers ("function", key, ours, theirs);
    }

  g_assert_cmpuint (p->call_edges->len, ==, g_hash_table_size (view->edges));
  for (guint i = 0; i < p->call_edges->len; i++)
    {
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, i);
      g_autofree char *callee = func_key (p, e->callee);
      g_autofree char *caller = func_key (p, e->caller);
      g_autofree char *key = g_strjoin ("\t", callee, caller, NULL);
      const Numbers *theirs = g_hash_table_lookup (view->edges, key);
      if (theirs == NULL)
        g_error ("edge %s is not in pstats' output", key);
      double ours[4] = { e->total_calls, e->prim_calls, e->self_time, e->cum_time };
      assert_same_numbers ("edge", key, ours, theirs);
    }
}

static guint32
stack_func (PyroProfile *p, guint32 stack)
{
  return PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, stack));
}

static gboolean
has_edge_in_tree (PyroProfile *p, const char *parent, const char *child)
{
  for (guint s = 0; s < pyro_profile_n_stacks (p); s++)
    {
      guint32 up = PYRO_COL (p->stack_parent, guint32, s);
      if (up != PYRO_NONE && g_str_equal (pyro_profile_func_name (p, stack_func (p, s)), child)
          && g_str_equal (pyro_profile_func_name (p, stack_func (p, up)), parent))
        return TRUE;
    }
  return FALSE;
}

/* The estimated tree holds all the profiled time (the sum of own times, the
 * total pstats prints) and never repeats a function on a path. */
static void
check_estimated_tree (PyroProfile *p)
{
  g_assert_true (p->meta.estimated);
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
  g_assert_false (p->meta.has_time);
  g_assert_cmpuint (pyro_profile_n_samples (p), >, 0);

  double own = 0;
  for (guint i = 0; i < p->func_stats->len; i++)
    own += g_array_index (p->func_stats, PyroFuncStats, i).self_time;
  double total = pyro_profile_total_weight (p);
  if (fabs (total - own) > own * 1e-9)
    g_error ("the estimated tree holds %.17g s, the functions' own times add up to %.17g s",
             total, own);

  for (guint s = 0; s < pyro_profile_n_stacks (p); s++)
    for (guint32 up = PYRO_COL (p->stack_parent, guint32, s); up != PYRO_NONE;
         up = PYRO_COL (p->stack_parent, guint32, up))
      g_assert_cmpuint (stack_func (p, up), !=, stack_func (p, s));

  g_assert_true (has_edge_in_tree (p, "main", "fib"));
  g_assert_true (has_edge_in_tree (p, "ping", "pong"));
  g_assert_true (has_edge_in_tree (p, "work", "step"));
}

/* `pyrometer report --format json`: calls, self and total as pstats has them. */
static void
check_report_json (const char *dump, const PstatsView *view)
{
  const char *bin = g_getenv ("PYRO_BIN");
  g_assert_nonnull (bin);
  const char *argv[] = { bin, "report", dump, "--format", "json", "--top", "1000000", NULL };
  g_autofree char *out = run_or_fail (argv, NULL);

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "pstats");
  g_assert_cmpstr (json_object_get_string_member (root, "unit"), ==, "seconds");
  JsonArray *funcs = json_object_get_array_member (root, "functions");
  g_assert_cmpuint (json_array_get_length (funcs), ==, g_hash_table_size (view->funcs));
  for (guint i = 0; i < json_array_get_length (funcs); i++)
    {
      JsonObject *f = json_array_get_object_element (funcs, i);
      g_autofree char *key = g_strdup_printf ("%s\t%" G_GINT64_FORMAT "\t%s",
                                              json_object_get_string_member (f, "file"),
                                              json_object_get_int_member (f, "line"),
                                              json_object_get_string_member (f, "name"));
      const Numbers *theirs = g_hash_table_lookup (view->funcs, key);
      if (theirs == NULL)
        g_error ("report names %s, which pstats does not", key);
      g_assert_cmpfloat ((double) json_object_get_int_member (f, "calls"), ==, theirs->v[1]);
      g_assert_cmpfloat (json_object_get_double_member (f, "self"), ==, theirs->v[2]);
      g_assert_cmpfloat (json_object_get_double_member (f, "total"), ==, theirs->v[3]);
    }
}

static void
test_python_dumps (gconstpointer data)
{
  const PythonCase *py = data;
  if (py->python == NULL)
    {
      g_test_skip (py->missing);
      return;
    }

  g_autofree char *ws = make_workspace ();
  /* A script under a non-ASCII directory (marshal 'u'/'t' strings) and a
   * module whose path is longer than 255 characters (marshal 'a'). */
  g_autofree char *script_dir = g_build_filename (ws, "données-数据-ünïcode", NULL);
  g_autofree char *long_a = g_strnfill (120, 'a');
  g_autofree char *long_b = g_strnfill (120, 'b');
  g_autofree char *module_dir = g_build_filename (ws, long_a, long_b, NULL);
  g_assert_cmpint (g_mkdir_with_parents (script_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (module_dir, 0700), ==, 0);
  g_autofree char *script = g_build_filename (script_dir, "recursive_threads.py", NULL);
  g_autofree char *module = g_build_filename (module_dir, "deep_module_with_a_long_name.py", NULL);
  g_assert_cmpuint (strlen (module), >, 255);
  write_file (script, program);
  write_file (module, deep_module);
  g_autofree char *printer_path = g_build_filename (ws, "print_pstats.py", NULL);
  write_file (printer_path, printer);

  const char *profilers[] = { "cProfile", "profile" };
  for (guint i = 0; i < G_N_ELEMENTS (profilers); i++)
    {
      g_autofree char *name = g_strdup_printf ("out-%s.prof", profilers[i]);
      g_autofree char *dump = g_build_filename (ws, name, NULL);
      const char *record[] = { py->python, "-m", profilers[i], "-o", dump, script, module_dir, NULL };
      g_free (run_or_fail (record, ws));
      const char *print[] = { py->python, printer_path, dump, NULL };
      g_autofree char *printed = run_or_fail (print, ws);
      g_auto (PstatsView) view = { 0 };
      parse_pstats_output (printed, &view);
      g_assert_cmpuint (g_hash_table_size (view.funcs), >, 5);

      g_autoptr (GError) error = NULL;
      g_autoptr (PyroProfile) profile = pyro_format_load_file (dump, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (profile->meta.format, ==, "pstats");
      compare_with_pstats (profile, &view);
      check_estimated_tree (profile);
      g_assert_cmpint (pyro_profile_func_kind (profile, fixture_func (profile, "fib")), ==,
                       PYRO_FUNC_PYTHON);
      g_assert_cmpstr (pyro_profile_func_module (profile, fixture_func (profile, "step")), ==,
                       "deep_module_with_a_long_name");
      check_report_json (dump, &view);
    }
  remove_tree (ws);
}

/* pyinstrument-like floats in count slots, ints beyond 32 bits (Python 3
 * 'l', Python 2 'I'), marshal version 0 (floats as text). */
static void
test_number_slots (gconstpointer data)
{
  const PythonCase *py = data;
  if (py->python == NULL)
    {
      g_test_skip (py->missing);
      return;
    }
  g_autofree char *ws = make_workspace ();
  g_autofree char *dump = g_build_filename (ws, "numbers.pstats", NULL);
  g_autofree char *dump0 = g_build_filename (ws, "numbers-v0.pstats", NULL);
  const char *writer =
    "import marshal, sys\n"
    "d = {('a.py', 3, 'f'): (1.0, 2**40, 1, 2.5, {('~', 0, '<built-in method builtins.exec>'): (2**40, 1.0, 0.25, 7)}),\n"
    "     ('~', 0, '<built-in method builtins.exec>'): (1, 1, 0.5, 9.75, {})}\n"
    "marshal.dump(d, open(sys.argv[1], 'wb'))\n"
    "marshal.dump(d, open(sys.argv[2], 'wb'), 0)\n";
  const char *argv[] = { py->python, "-c", writer, dump, dump0, NULL };
  g_free (run_or_fail (argv, ws));

  const char *dumps[] = { dump, dump0 };
  for (guint i = 0; i < G_N_ELEMENTS (dumps); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (PyroProfile) p = pyro_format_load_file (dumps[i], NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      guint32 f = fixture_func (p, "f");
      guint32 exec = fixture_func (p, "<built-in method builtins.exec>");
      g_assert_cmpuint (p->func_stats->len, ==, 2);
      const PyroFuncStats *st = &g_array_index (p->func_stats, PyroFuncStats, 0);
      if (st->func != f)
        st = &g_array_index (p->func_stats, PyroFuncStats, 1);
      g_assert_cmpuint (st->func, ==, f);
      g_assert_cmpfloat (st->prim_calls, ==, 1.0);
      g_assert_cmpfloat (st->total_calls, ==, 1099511627776.0);
      g_assert_cmpfloat (st->self_time, ==, 1.0);
      g_assert_cmpfloat (st->cum_time, ==, 2.5);
      g_assert_cmpuint (p->call_edges->len, ==, 1);
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, 0);
      g_assert_cmpuint (e->caller, ==, exec);
      g_assert_cmpuint (e->callee, ==, f);
      g_assert_cmpfloat (e->total_calls, ==, 1099511627776.0);
      g_assert_cmpfloat (e->prim_calls, ==, 1.0);
      g_assert_cmpfloat (e->self_time, ==, 0.25);
      g_assert_cmpfloat (e->cum_time, ==, 7.0);
      g_assert_cmpint (pyro_profile_func_kind (p, exec), ==, PYRO_FUNC_OTHER);
      g_assert_cmpstr (pyro_profile_func_module (p, exec), ==, "builtins");
      g_assert_cmpuint (pyro_profile_func_line (p, f), ==, 3);
      /* The tree holds exec's 9.75 s; under it, f's edge says 7 s but f has
       * only 2.5 s in all, so f gets 2.5 s and exec keeps the rest. */
      g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (p), 9.75, 1e-12);
      g_assert_cmpuint (pyro_profile_n_samples (p), ==, 2);
      for (guint k = 0; k < 2; k++)
        {
          guint32 stack = PYRO_COL (p->sample_stack, guint32, k);
          double w = PYRO_COL (p->sample_weight, double, k);
          g_assert_cmpfloat_with_epsilon (w, stack_func (p, stack) == f ? 2.5 : 7.25, 1e-12);
        }
    }
  remove_tree (ws);
}

/* Bad input */

static char *bad_dump;        /* a real dump the bad-input cases cut up */
static char *bad_dump_python; /* the Python that wrote it, NULL when none */

static const char *
real_dump (void)
{
  if (bad_dump != NULL || bad_dump_python == NULL)
    return bad_dump;
  g_autofree char *script = fixture_write_temp ("small.py", program, -1);
  g_autofree char *module = fixture_write_temp ("deep_module_with_a_long_name.py", deep_module, -1);
  g_autofree char *dir = g_path_get_dirname (script);
  bad_dump = fixture_temp_path ("real.prof");
  const char *argv[] = { bad_dump_python, "-m", "cProfile", "-o", bad_dump, script, dir, NULL };
  g_free (run_or_fail (argv, dir));
  return bad_dump;
}

/* Loads @len bytes of @data as @name; asserts a format error naming the
 * file and a byte offset no larger than the file; returns the offset. */
static gsize
assert_load_fails (const char *name, const void *data, gsize len, const char *expect)
{
  g_autofree char *path = fixture_temp_path (name);
  g_autoptr (GError) error = NULL;
  /* no fsync: hundreds of these are written; NONE writes in place, so
   * start from no file */
  g_unlink (path);
  g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  g_autoptr (PyroProfile) p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_null (p);
  g_assert_nonnull (error);
  g_assert_true (error->domain == PYRO_FORMAT_ERROR);
  g_assert_true (g_str_has_prefix (error->message, path));
  const char *at = strstr (error->message, ": byte ");
  g_assert_nonnull (at);
  char *end = NULL;
  guint64 offset = g_ascii_strtoull (at + strlen (": byte "), &end, 10);
  g_assert_true (end != at + strlen (": byte ") && *end == ':');
  g_assert_cmpuint (offset, <=, len);
  if (expect != NULL && strstr (error->message, expect) == NULL)
    g_error ("expected an error about '%s', got: %s", expect, error->message);
  return (gsize) offset;
}

static void
test_bad_truncated (void)
{
  const char *dump = real_dump ();
  if (dump == NULL)
    {
      g_test_skip ("no python3 to write a real dump with");
      return;
    }
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (dump, &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 97 * 5);
  guint cuts = 0;
  for (gsize cut = 97; cut < len; cut += 97, cuts++)
    assert_load_fails ("truncated.prof", data, cut, NULL);
  g_test_message ("%u truncations of a %" G_GSIZE_FORMAT "-byte dump failed cleanly", cuts, len);
}

static void
test_bad_reference (void)
{
  /* FLAG_REF dict, small tuple of 3 whose first item is reference 1000 */
  static const guint8 data[] = { 0xfb, 0xa9, 3, 'r', 0xe8, 0x03, 0, 0, 'i', 1, 0, 0, 0 };
  g_assert_cmpuint (assert_load_fails ("ref.prof", data, sizeof data, "reference 1000"), ==, 3);
  /* a reference to the dict that is still being read */
  static const guint8 self[] = { 0xfb, 0xa9, 3, 'r', 0, 0, 0, 0, 'N', 'N', '0', 'N', '0' };
  g_assert_cmpuint (assert_load_fails ("self.prof", self, sizeof self, "contains the reference"),
                    ==, 3);
  /* Python 2 string reference with no interned string read yet */
  static const guint8 py2[] = { '{', '(', 3, 0, 0, 0, 'R', 7, 0, 0, 0 };
  assert_load_fails ("py2ref.prof", py2, sizeof py2, "interned strings");
}

static void
test_bad_endless_dict (void)
{
  GByteArray *bytes = g_byte_array_new ();
  static const guint8 head[] = { '{', ')', 3, 'z', 1, 'a', 'i', 1, 0, 0, 0, 'z', 1, 'f', 'N' };
  g_byte_array_append (bytes, head, sizeof head);
  for (guint i = 0; i < 100000; i++)
    g_byte_array_append (bytes, (const guint8 *) "NN", 2);
  gsize at = assert_load_fails ("endless.prof", bytes->data, bytes->len, "never ends");
  g_assert_cmpuint (at, ==, bytes->len);
  g_byte_array_unref (bytes);
}

static void
test_bad_lengths (void)
{
  static const guint8 str[] = { '{', ')', 3, 'a', 0xff, 0xff, 0xff, 0x7f, 'x' };
  g_assert_cmpuint (assert_load_fails ("str.prof", str, sizeof str, "cannot fit"), ==, 4);
  static const guint8 tuple[] = { '{', '(', 0, 0, 0, 0x10, 'N' };
  g_assert_cmpuint (assert_load_fails ("tuple.prof", tuple, sizeof tuple, "cannot fit"), ==, 2);
  static const guint8 lng[] = { '{', ')', 3, 'l', 0, 0, 0, 0x40, 1, 0 };
  assert_load_fails ("long.prof", lng, sizeof lng, "cannot fit");
  static const guint8 negative[] = { '{', ')', 3, 's', 0xfe, 0xff, 0xff, 0xff };
  assert_load_fails ("negative.prof", negative, sizeof negative, "negative length");
  static const guint8 small[] = { '{', ')', 3, 'z', 200, 'x' };
  assert_load_fails ("small.prof", small, sizeof small, "file ends");
}

static void
test_bad_not_stats (void)
{
  if (bad_dump_python == NULL)
    {
      g_test_skip ("no python3 to marshal objects with");
      return;
    }
  struct {
    const char *expr;
    const char *expect;
  } cases[] = {
    { "[1, 2, 3]", "expected a dict of function statistics" },
    { "{'a': 1}", "expected a function key" },
    { "{('a.py', 1, 'f'): (1, 2)}", "expected the statistics" },
    { "{('a.py', 1, 'f'): (1, 1, 0.5, 0.5, {('b.py', 2, 'g'): 'x'})}", "caller" },
    { "{}", "no functions" },
    { "{('a.py', 1, 'f'): (1, 1, 0.5, 0.5, {3j: 1})}", "expected a function key" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture_temp_path ("marshalled.prof");
      g_autofree char *code = g_strdup_printf ("import marshal, sys\n"
                                               "marshal.dump(%s, open(sys.argv[1], 'wb'))\n",
                                               cases[i].expr);
      const char *argv[] = { bad_dump_python, "-c", code, path, NULL };
      g_free (run_or_fail (argv, NULL));
      g_autofree char *data = NULL;
      gsize len = 0;
      g_file_get_contents (path, &data, &len, NULL);
      assert_load_fails ("marshalled.prof", data, len, cases[i].expect);
    }
}

static void
test_bad_structure (void)
{
  /* nesting far deeper than any dump */
  GByteArray *deep = g_byte_array_new ();
  g_byte_array_append (deep, (const guint8 *) "{)\3", 3);
  for (guint i = 0; i < 100000; i++)
    g_byte_array_append (deep, (const guint8 *) ")\1", 2);
  assert_load_fails ("deep.prof", deep->data, deep->len, "nested deeper");
  g_byte_array_unref (deep);

  /* a code object whose fields fit no Python release */
  static const guint8 code[] = { '{', ')', 3, 'c', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28 };
  g_assert_cmpuint (assert_load_fails ("code.prof", code, sizeof code, "code object"), ==, 3);

  /* an unknown type code, and the end-of-dict byte outside a dict */
  static const guint8 unknown[] = { '{', ')', 3, 'Q', 'N', 'N' };
  g_assert_cmpuint (assert_load_fails ("unknown.prof", unknown, sizeof unknown, "0x51"), ==, 3);
  static const guint8 null[] = { '{', ')', 3, '0', 'N', 'N' };
  assert_load_fails ("null.prof", null, sizeof null, "outside any dict");
}

static void
test_sniff (void)
{
  static const guint8 py3[] = { 0xfb, 0xa9, 3, 0xda };
  static const guint8 py2[] = { '{', '(', 3, 0, 0, 0, 's' };
  static const guint8 json[] = "{\"shared\": {}}";
  const PyroFormatReader *r = pyro_format_sniff (py3, sizeof py3, "/tmp/any-name.bin");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->id, ==, "pstats");
  r = pyro_format_sniff (py2, sizeof py2, "/tmp/out");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->id, ==, "pstats");
  r = pyro_format_sniff (json, sizeof json - 1, "/tmp/out.json");
  g_assert_true (r == NULL || g_strcmp0 (r->id, "pstats") != 0);
}

/* Pythons */

static void
add_python (GPtrArray *cases, const char *label, const char *python, const char *missing)
{
  PythonCase *c = g_new0 (PythonCase, 1);
  c->label = g_strdup (label);
  c->python = g_strdup (python);
  c->missing = g_strdup (missing);
  g_ptr_array_add (cases, c);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
find_pythons (void)
{
  GPtrArray *cases = g_ptr_array_new ();
  const char *root_env = g_getenv ("PYENV_ROOT");
  g_autofree char *root = root_env != NULL ? g_strdup (root_env)
                                           : g_build_filename (g_get_home_dir (), ".pyenv", NULL);
  g_autofree char *versions_dir = g_build_filename (root, "versions", NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = g_dir_open (versions_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  const char *wanted[] = { "2.7", "3.11", "3.12", "3.13" };
  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      g_autofree char *prefix = g_strconcat (wanted[w], ".", NULL);
      gboolean found = FALSE;
      for (guint i = 0; i < names->len && !found; i++)
        found = g_str_has_prefix (g_ptr_array_index (names, i), prefix);
      if (!found)
        {
          g_autofree char *label = g_strconcat ("pyenv-", wanted[w], NULL);
          g_autofree char *why = g_strdup_printf ("Python %s is not installed under %s",
                                                  wanted[w], versions_dir);
          add_python (cases, label, NULL, why);
        }
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *v = g_ptr_array_index (names, i);
      g_autofree char *python = g_build_filename (versions_dir, v, "bin", "python", NULL);
      g_autofree char *label = g_strconcat ("pyenv-", v, NULL);
      if (g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
        add_python (cases, label, python, NULL);
    }
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    add_python (cases, "debian-python3", "/usr/bin/python3", NULL);
  else
    add_python (cases, "debian-python3", NULL, "/usr/bin/python3 is not installed");
  return cases;
}

int
main (int argc, char **argv)
{
  /* `--bad-input` runs only the broken-dump cases, which meson runs under
   * a 5 s limit; without it, only the others run. */
  gboolean bad_input = argc > 1 && g_str_equal (argv[argc - 1], "--bad-input");
  if (bad_input)
    argc--;
  g_test_init (&argc, &argv, NULL);

  GPtrArray *pythons = find_pythons ();
  for (guint i = 0; i < pythons->len; i++)
    {
      const PythonCase *c = g_ptr_array_index (pythons, i);
      g_autofree char *dumps = g_strdup_printf ("/pstats/dumps/%s", c->label);
      g_autofree char *slots = g_strdup_printf ("/pstats/number-slots/%s", c->label);
      if (!bad_input)
        {
          g_test_add_data_func (dumps, c, test_python_dumps);
          g_test_add_data_func (slots, c, test_number_slots);
        }
      if (c->python != NULL && !g_str_has_prefix (c->label, "pyenv-2")
          && (bad_dump_python == NULL || g_str_equal (c->label, "debian-python3")))
        bad_dump_python = c->python;
    }

  if (!bad_input)
    {
      g_test_add_func ("/pstats/sniff", test_sniff);
      return g_test_run ();
    }
  g_test_add_func ("/pstats/bad/truncated", test_bad_truncated);
  g_test_add_func ("/pstats/bad/reference", test_bad_reference);
  g_test_add_func ("/pstats/bad/endless-dict", test_bad_endless_dict);
  g_test_add_func ("/pstats/bad/lengths", test_bad_lengths);
  g_test_add_func ("/pstats/bad/not-stats", test_bad_not_stats);
  g_test_add_func ("/pstats/bad/structure", test_bad_structure);
  return g_test_run ();
}
