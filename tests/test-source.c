/* test-source.c — per-line costs checked against what the samples say, and
 * time ranges: the views of a selected range equal the views of a profile
 * cut to that range. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/line-costs.h"
#include "core/call-tree.h"
#include "core/function-table.h"
#include "formats/reader.h"
#include "formats/syscap-sources.h"
#include "formats/syscap-writer.h"
#include "fixtures.h"

#include <fcntl.h>

/* py-spy style: recursion (rec twice on one line), a line shared by two
 * functions' frames, and a second file. */
static const char folded_text[] =
  "main (app.py:10);work (app.py:20);inner (app.py:30) 5\n"
  "main (app.py:10);work (app.py:21) 3\n"
  "main (app.py:10);rec (app.py:40);rec (app.py:40);rec (app.py:41) 2\n"
  "main (app.py:10);rec (app.py:40);rec (app.py:40) 7\n"
  "main (app.py:11) 1\n"
  "main (app.py:12);helper (lib.py:5) 4\n"
  "other (lib.py:7) 6\n";

typedef struct {
  double self;
  double total;
} Expect;

/* Reads the folded text the simple way: per sample line, the leaf's line
 * gets self, each distinct line of @file on the stack gets total once. */
static GHashTable *
expected_from_folded (const char *text, const char *file, double *grand_total)
{
  GHashTable *out = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_auto (GStrv) rows = g_strsplit (text, "\n", -1);
  *grand_total = 0;
  for (guint r = 0; rows[r] != NULL; r++)
    {
      if (rows[r][0] == '\0')
        continue;
      char *space = strrchr (rows[r], ' ');
      double n = g_ascii_strtod (space + 1, NULL);
      *grand_total += n;
      g_autofree char *stack = g_strndup (rows[r], space - rows[r]);
      g_auto (GStrv) frames = g_strsplit (stack, ";", -1);
      guint depth = g_strv_length (frames);
      g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < depth; i++)
        {
          char *open = strrchr (frames[i], '(');
          char *colon = strrchr (frames[i], ':');
          g_autofree char *f = g_strndup (open + 1, colon - open - 1);
          guint line = (guint) atoi (colon + 1);
          if (strcmp (f, file) != 0)
            continue;
          Expect *e = g_hash_table_lookup (out, GUINT_TO_POINTER (line));
          if (e == NULL)
            {
              e = g_new0 (Expect, 1);
              g_hash_table_insert (out, GUINT_TO_POINTER (line), e);
            }
          if (g_hash_table_add (seen, GUINT_TO_POINTER (line)))
            e->total += n;
          if (i == depth - 1)
            e->self += n;
        }
    }
  return out;
}

static void
check_costs_match (const PyroLineCosts *costs, GHashTable *expected)
{
  g_assert_cmpuint (costs->lines->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < costs->lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (costs->lines, PyroLineCost, i);
      Expect *e = g_hash_table_lookup (expected, GUINT_TO_POINTER (c->line));
      g_assert_nonnull (e);
      g_assert_cmpfloat_with_epsilon (c->self, e->self, 1e-9);
      g_assert_cmpfloat_with_epsilon (c->total, e->total, 1e-9);
    }
}

static void
test_folded_lines (void)
{
  g_autoptr (PyroProfile) profile = fixture_profile_from_folded (folded_text);
  for (guint k = 0; k < 2; k++)
    {
      const char *file = k == 0 ? "app.py" : "lib.py";
      double grand;
      g_autoptr (GHashTable) expected = expected_from_folded (folded_text, file, &grand);
      g_autoptr (GError) error = NULL;
      g_autoptr (PyroLineCosts) costs = pyro_line_costs_new (profile, file, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (costs->grand_total, ==, grand);
      check_costs_match (costs, expected);
    }

  /* by file id, as the source view asks, and the hottest line: line 40 has
   * 7 self samples, more than any other */
  guint32 rec = fixture_func (profile, "rec");
  g_autoptr (PyroLineCosts) by_id =
    pyro_line_costs_new_for_file_id (profile, PYRO_COL (profile->func_file, guint32, rec), NULL);
  g_assert_cmpstr (by_id->file, ==, "app.py");
  const PyroLineCost *hot = pyro_line_costs_hottest (by_id);
  g_assert_nonnull (hot);
  g_assert_cmpuint (hot->line, ==, 40);
  /* recursion counts once per sample in total */
  g_assert_cmpfloat (hot->total, ==, 9);
  g_assert_cmpfloat (pyro_line_costs_lookup (by_id, 10)->total, ==, 17);
}

/* The same costs the slow way: every sample walks its stack. */
static GHashTable *
expected_from_samples (PyroProfile *p, guint32 file_id)
{
  GHashTable *out = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      double w = PYRO_COL (p->sample_weight, double, i);
      g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
      gboolean leaf = TRUE;
      for (guint32 s = PYRO_COL (p->sample_stack, guint32, i); s != PYRO_NONE;
           s = PYRO_COL (p->stack_parent, guint32, s), leaf = FALSE)
        {
          guint32 frame = PYRO_COL (p->stack_frame, guint32, s);
          guint32 func = PYRO_COL (p->frame_func, guint32, frame);
          guint32 line = PYRO_COL (p->frame_line, guint32, frame);
          if (line == 0 || PYRO_COL (p->func_file, guint32, func) != file_id)
            continue;
          Expect *e = g_hash_table_lookup (out, GUINT_TO_POINTER (line));
          if (e == NULL)
            {
              e = g_new0 (Expect, 1);
              g_hash_table_insert (out, GUINT_TO_POINTER (line), e);
            }
          if (g_hash_table_add (seen, GUINT_TO_POINTER (line)))
            e->total += w;
          if (leaf)
            e->self += w;
        }
    }
  return out;
}

static const char c_program[] =
  "#include <stdio.h>\n"
  "__attribute__((noinline)) static double spin (long n)\n"
  "{\n"
  "  double s = 0;\n"
  "  for (long i = 0; i < n; i++) s += (double) i * 0.5; /* HOT */\n"
  "  return s;\n"
  "}\n"
  "__attribute__((noinline)) static double twice (long n)\n"
  "{\n"
  "  return spin (n) + spin (n / 4);\n"
  "}\n"
  "int main (void)\n"
  "{\n"
  "  double t = 0;\n"
  "  for (int r = 0; r < 6; r++)\n"
  "    t += twice (40000000);\n"
  "  printf (\"%f\\n\", t);\n"
  "  return 0;\n"
  "}\n";

static gboolean
run (const char *dir, const char *const *argv, char **err_out)
{
  int status = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                              NULL, NULL, NULL, err_out, &status, &error);
  return ok && g_spawn_check_wait_status (status, NULL);
}

static void
test_perf_lines (void)
{
  g_autofree char *src = fixture_write_temp ("hotline.c", c_program, -1);
  g_autofree char *dir = g_path_get_dirname (src);
  g_autofree char *exe = fixture_temp_path ("hotline");
  g_autofree char *data = fixture_temp_path ("hotline.perf.data");
  g_autofree char *err = NULL;
  const char *cc[] = { "cc", "-O1", "-g", "-fno-omit-frame-pointer", "-o", exe, src, NULL };
  if (!run (dir, cc, &err))
    {
      g_test_skip ("no C compiler to build the sampled program");
      return;
    }
  g_clear_pointer (&err, g_free);
  const char *rec[] = { "perf", "record", "-q", "-F", "2000", "-g", "-o", data, exe, NULL };
  if (!run (dir, rec, &err) || !g_file_test (data, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *why = g_strdup_printf ("perf record was refused or is missing: %s",
                                              err != NULL ? g_strstrip (err) : "");
      g_test_skip (why);
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (data, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_autoptr (PyroLineCosts) costs = pyro_line_costs_new (p, "hotline.c", NULL, &error);
  if (costs == NULL && g_error_matches (error, PYRO_LINE_COSTS_ERROR, PYRO_LINE_COSTS_ERROR_NO_FILE))
    {
      g_test_skip ("the recording has no line information for the program (no debug info read)");
      return;
    }
  g_assert_no_error (error);
  guint32 file_id = PYRO_NONE;
  for (guint f = 0; f < pyro_profile_n_funcs (p); f++)
    if (g_str_equal (pyro_profile_func_name (p, f), "spin"))
      file_id = PYRO_COL (p->func_file, guint32, f);
  g_assert_cmpuint (file_id, !=, PYRO_NONE);
  g_autoptr (GHashTable) expected = expected_from_samples (p, file_id);
  check_costs_match (costs, expected);

  /* the loop line carries most of the time, and its callers' lines the
   * whole of it in total */
  const PyroLineCost *hot = pyro_line_costs_hottest (costs);
  g_assert_nonnull (hot);
  g_auto (GStrv) lines = g_strsplit (c_program, "\n", -1);
  g_assert_cmpuint (hot->line, <=, g_strv_length (lines));
  g_assert_nonnull (strstr (lines[hot->line - 1], "HOT"));
  g_assert_cmpfloat (hot->self, >, 0.5 * costs->grand_total);
  double main_total = 0;
  for (guint32 line = 12; line <= 19; line++)
    {
      const PyroLineCost *c = pyro_line_costs_lookup (costs, line);
      if (c != NULL)
        main_total = MAX (main_total, c->total);
    }
  g_assert_cmpfloat (main_total, >=, 0.9 * hot->total);
}

/* Ranges */

#define N_FUNCS 12

/* A timed profile of random stacks over three threads, built through the
 * model API; the same funcs and frames in the same order when @keep says
 * which samples to take, so that ids agree between the two. */
static PyroProfile *
synthetic_profile (guint n_samples, gint64 keep_start, gint64 keep_end)
{
  PyroProfile *p = pyro_profile_new ("synthetic");
  guint32 file = pyro_profile_intern (p, "/src/app.py");
  guint32 frames[N_FUNCS * 3];
  for (guint f = 0; f < N_FUNCS; f++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", f);
      guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, name), file, f * 10 + 1,
                                            pyro_profile_intern (p, "app"), PYRO_FUNC_PYTHON);
      for (guint l = 0; l < 3; l++)
        frames[f * 3 + l] = pyro_profile_add_frame (p, func, f * 10 + 2 + l, 0);
    }
  guint32 threads[3];
  for (guint t = 0; t < 3; t++)
    threads[t] = pyro_profile_add_thread (p, 1, 100 + t, t == 0 ? "main" : "worker", "app");

  GRand *rand = g_rand_new_with_seed (7);
  for (guint i = 0; i < n_samples; i++)
    {
      guint depth = 1 + g_rand_int_range (rand, 0, 8);
      guint32 stack_frames[8];
      for (guint d = 0; d < depth; d++)
        stack_frames[d] = frames[g_rand_int_range (rand, 0, N_FUNCS * 3)];
      guint32 thread = threads[g_rand_int_range (rand, 0, 3)];
      gint64 time = (gint64) i * 1000000 + g_rand_int_range (rand, 0, 1000);
      double weight = 1 + g_rand_int_range (rand, 0, 3);
      if (time < keep_start || time >= keep_end)
        continue;
      guint32 stack = pyro_profile_add_stack_frames (p, stack_frames, depth);
      pyro_profile_add_sample (p, time, stack, thread, weight);
    }
  g_rand_free (rand);
  p->meta.has_time = TRUE;
  p->meta.unit = PYRO_UNIT_SAMPLES;
  pyro_profile_finish (p);
  return p;
}

static void
assert_same_subtree (const PyroCallTree *a, guint32 na, const PyroCallTree *b, guint32 nb)
{
  g_assert_cmpfloat_with_epsilon (a->total[na], b->total[nb], 1e-9);
  g_assert_cmpfloat_with_epsilon (a->self[na], b->self[nb], 1e-9);
  g_assert_cmpuint (a->child_count[na], ==, b->child_count[nb]);
  for (guint i = 0; i < a->child_count[na]; i++)
    {
      guint32 ca = a->children[a->child_start[na] + i];
      guint32 cb = pyro_call_tree_find_child (b, nb, a->func[ca]);
      g_assert_cmpuint (cb, !=, PYRO_NONE);
      assert_same_subtree (a, ca, b, cb);
    }
}

static void
test_range_equals_cut (void)
{
  const guint n = 20000;
  const gint64 start = 4321 * (gint64) 1000000 + 500, end = 13579 * (gint64) 1000000 + 17;
  g_autoptr (PyroProfile) whole = synthetic_profile (n, G_MININT64, G_MAXINT64);
  g_autoptr (PyroProfile) cut = synthetic_profile (n, start, end);
  g_assert_cmpuint (pyro_profile_n_samples (cut), <, pyro_profile_n_samples (whole));
  g_assert_cmpuint (pyro_profile_n_samples (cut), >, 0);

  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  pyro_selection_set_range (sel, start, end);
  for (guint inverted = 0; inverted < 2; inverted++)
    {
      sel->invert = inverted;
      g_autoptr (PyroSelection) all = pyro_selection_new ();
      all->invert = inverted;
      g_autoptr (PyroCallTree) a = pyro_call_tree_new (whole, sel, NULL, NULL);
      g_autoptr (PyroCallTree) b = pyro_call_tree_new (cut, all, NULL, NULL);
      g_assert_cmpfloat (a->sample_count, ==, pyro_profile_n_samples (cut));
      assert_same_subtree (a, 0, b, 0);
      g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
    }
  sel->invert = FALSE;

  g_autoptr (PyroCallTree) a = pyro_call_tree_new (whole, sel, NULL, NULL);
  g_autoptr (PyroCallTree) b = pyro_call_tree_new (cut, NULL, NULL, NULL);
  g_autoptr (PyroFunctionTable) ta = pyro_function_table_new (a);
  g_autoptr (PyroFunctionTable) tb = pyro_function_table_new (b);
  g_assert_cmpuint (ta->rows->len, ==, tb->rows->len);
  for (guint i = 0; i < ta->rows->len; i++)
    {
      const PyroFunctionRow *ra = &g_array_index (ta->rows, PyroFunctionRow, i);
      const PyroFunctionRow *rb = pyro_function_table_lookup (tb, ra->func);
      g_assert_nonnull (rb);
      g_assert_cmpfloat_with_epsilon (ra->self, rb->self, 1e-9);
      g_assert_cmpfloat_with_epsilon (ra->total, rb->total, 1e-9);
    }

  g_autoptr (PyroLineCosts) la = pyro_line_costs_new (whole, "app.py", sel, NULL);
  g_autoptr (PyroLineCosts) lb = pyro_line_costs_new (cut, "app.py", NULL, NULL);
  g_assert_cmpfloat_with_epsilon (la->grand_total, lb->grand_total, 1e-9);
  g_assert_cmpuint (la->lines->len, ==, lb->lines->len);
  for (guint i = 0; i < la->lines->len; i++)
    {
      const PyroLineCost *x = &g_array_index (la->lines, PyroLineCost, i);
      const PyroLineCost *y = &g_array_index (lb->lines, PyroLineCost, i);
      g_assert_cmpuint (x->line, ==, y->line);
      g_assert_cmpfloat_with_epsilon (x->self, y->self, 1e-9);
      g_assert_cmpfloat_with_epsilon (x->total, y->total, 1e-9);
    }
}

/* A capture written from a trace stores the sources its lines are in: read
 * back after the files are gone, listed by libsysprof-capture's own reader
 * among the capture's files, every frame of the capture still readable by
 * it; a file over the size cap and a file that is not there are left out. */
static void
test_capture_sources (void)
{
  g_autofree char *kept = fixture_write_temp ("kept.py", "def hot():\n    return sum(range(9))\n", -1);
  g_autofree char *big_text = g_strnfill (PYRO_SYSCAP_SOURCE_MAX_FILE + 1, 'x');
  g_autofree char *big = fixture_write_temp ("big.py", big_text, -1);
  g_autofree char *folded = g_strdup_printf ("main (%1$s:1);hot (%1$s:2) 7\n"
                                             "main (%1$s:1);huge (%2$s:1) 2\n"
                                             "main (%1$s:1);gone (/nonexistent/gone.py:3) 1\n", kept, big);
  g_autoptr (PyroProfile) profile = fixture_profile_from_folded (folded);
  g_autofree char *capture = fixture_temp_path ("sources.syscap");
  g_autoptr (GError) error = NULL;
  g_assert_true (pyro_syscap_write (profile, capture, &error));
  g_assert_no_error (error);
  g_autofree char *expected = NULL;
  g_assert_true (g_file_get_contents (kept, &expected, NULL, NULL));
  g_unlink (kept);

  gsize length;
  g_autofree char *text = pyro_syscap_sources_read (capture, kept, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_null (pyro_syscap_sources_read (capture, big, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (pyro_syscap_sources_read (capture, "/nonexistent/gone.py", &length, NULL, &error));
  g_assert_no_error (error);

  int fd = open (capture, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  SysprofCaptureReader *reader = sysprof_capture_reader_new_from_fd (fd);
  g_assert_nonnull (reader);
  g_autofree char *name = g_strconcat (PYRO_SYSCAP_SOURCE_PREFIX, kept, NULL);
  const char **files = sysprof_capture_reader_list_files (reader);
  g_assert_true (files != NULL && g_strv_contains ((const char *const *) files, name));
  g_assert_false (g_strv_contains ((const char *const *) files, PYRO_SYSCAP_SOURCE_PREFIX "/nonexistent/gone.py"));
  free ((gpointer) files);
  sysprof_capture_reader_reset (reader);
  SysprofCaptureFrameType type;
  guint frames = 0;
  while (sysprof_capture_reader_peek_type (reader, &type))
    {
      g_assert_true (sysprof_capture_reader_skip (reader));
      frames++;
    }
  g_assert_cmpuint (frames, >, 10);
  sysprof_capture_reader_unref (reader);

  /* the capture still loads as a trace */
  g_autoptr (PyroProfile) back = pyro_format_load_file (capture, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (pyro_profile_total_weight (back), ==, 10);

  /* not a capture */
  g_assert_null (pyro_syscap_sources_read (big, kept, &length, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (error->message, big));
  g_unlink (big);
  g_unlink (capture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/source/folded-lines", test_folded_lines);
  g_test_add_func ("/source/perf-lines", test_perf_lines);
  g_test_add_func ("/source/range-equals-cut", test_range_equals_cut);
  g_test_add_func ("/source/capture-sources", test_capture_sources);
  return g_test_run ();
}
