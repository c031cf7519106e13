/* The folded-stacks reader and writer. */
#include "formats/folded.h"
#include "core/call-tree.h"
#include "fixtures.h"

#include <string.h>

static void
test_basic (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("a;b;c 3\na;b 2\r\n\na;d 1.5\n");
  g_assert_cmpstr (p->meta.format, ==, "folded");
  g_assert_cmpuint (pyro_profile_n_samples (p), ==, 3);
  g_assert_cmpfloat (pyro_profile_total_weight (p), ==, 6.5);
  g_assert_cmpuint (pyro_profile_n_funcs (p), ==, 4);
  g_assert_cmpuint (pyro_profile_n_stacks (p), ==, 4);
}

/* Prefix reuse must not confuse "a;bc" with "a;b". */
static void
test_shared_prefixes (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("a;b 1\na;bc 1\na;b;c 1\na 1\na;b;c;d 1\nab 1\n");
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  guint32 a = pyro_call_tree_find_child (t, 0, fixture_func (p, "a"));
  g_assert_cmpfloat (t->total[a], ==, 5);
  g_assert_cmpfloat (t->self[a], ==, 1);
  guint32 b = pyro_call_tree_find_child (t, a, fixture_func (p, "b"));
  g_assert_cmpfloat (t->total[b], ==, 3);
  g_assert_cmpfloat (t->total[pyro_call_tree_find_child (t, a, fixture_func (p, "bc"))], ==, 1);
  g_assert_cmpfloat (t->total[pyro_call_tree_find_child (t, 0, fixture_func (p, "ab"))], ==, 1);
  g_assert_cmpuint (pyro_profile_n_stacks (p), ==, 6);
}

static void
test_py_spy_frames (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (
    "<module> (demo.py:20);main (demo.py:15);busy (demo.py:4) 7\n"
    "<module> (demo.py:20);main (demo.py:15);busy (demo.py:5) 3\n"
    "schedule_[k] 1\n");
  guint32 busy = fixture_func (p, "busy");
  g_assert_cmpuint (busy, !=, PYRO_NONE);
  g_assert_cmpstr (pyro_profile_func_file (p, busy), ==, "demo.py");
  g_assert_cmpint (pyro_profile_func_kind (p, busy), ==, PYRO_FUNC_PYTHON);
  /* two frames (lines 4 and 5) of one function */
  guint lines = 0;
  for (guint fr = 0; fr < pyro_profile_n_frames (p); fr++)
    if (PYRO_COL (p->frame_func, guint32, fr) == busy)
      lines++;
  g_assert_cmpuint (lines, ==, 2);
  g_assert_cmpint (pyro_profile_func_kind (p, fixture_func (p, "schedule")), ==, PYRO_FUNC_KERNEL);
}

static void
test_differential (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("a;b 3 5\na;c 2 0\n");
  g_assert_cmpfloat (pyro_profile_total_weight (p), ==, 5);
  g_assert_cmpuint (fixture_func (p, "b"), !=, PYRO_NONE);
}

static void
test_bad_input (void)
{
  fixture_expect_error ("input.folded", "a;b 3\na;c lots\n", -1, "byte 10: line 2: expected a sample count after the last space, found 'lots'");
  fixture_expect_error ("input.folded", "a;b 3\nnocount\n", -1, "line 2: expected 'frame;frame;... COUNT'");
  fixture_expect_error ("input.folded", "", 0, "empty");
  fixture_expect_error ("input.folded", "\n\n\n", -1, "found none");
  fixture_expect_error ("input.folded", "a;b -3\n", -1, "found '-3'");
}

static void
test_round_trip (void)
{
  const char *text = "main (app.py:3);work (app.py:10) 5\nmain (app.py:3) 1\nlibc;memcpy 2.5\nschedule_[k] 4\n";
  g_autoptr (PyroProfile) a = fixture_profile_from_folded (text);
  g_autofree char *out_path = fixture_temp_path ("round.folded");
  g_autoptr (GFile) file = g_file_new_for_path (out_path);
  g_autoptr (GFileOutputStream) out = g_file_replace (file, NULL, FALSE, 0, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (pyro_folded_write (a, G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);

  g_autoptr (PyroProfile) b = pyro_format_load_file (out_path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (PyroCallTree) ta = pyro_call_tree_new (a, NULL, NULL, NULL);
  g_autoptr (PyroCallTree) tb = pyro_call_tree_new (b, NULL, NULL, NULL);
  g_assert_cmpuint (ta->n_nodes, ==, tb->n_nodes);
  for (guint i = 0; i < ta->n_nodes; i++)
    {
      g_assert_cmpfloat (ta->total[i], ==, tb->total[i]);
      if (i > 0)
        g_assert_cmpstr (pyro_profile_func_name (a, ta->func[i]), ==, pyro_profile_func_name (b, tb->func[i]));
    }
  guint32 work = fixture_func (b, "work");
  g_assert_cmpstr (pyro_profile_func_file (b, work), ==, "app.py");
  g_assert_cmpint (pyro_profile_func_kind (b, fixture_func (b, "schedule")), ==, PYRO_FUNC_KERNEL);
}

static void
test_long_line (void)
{
  gsize n = 10u << 20;
  g_autofree char *line = g_malloc (n + 8);
  for (gsize i = 0; i < n; i++)
    line[i] = (i % 16 == 15) ? ';' : 'x';
  memcpy (line + n, " 1\n", 4);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = fixture_load ("input.folded", line, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pyro_profile_n_stacks (p), ==, n / 16);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/folded/basic", test_basic);
  g_test_add_func ("/folded/shared-prefixes", test_shared_prefixes);
  g_test_add_func ("/folded/py-spy-frames", test_py_spy_frames);
  g_test_add_func ("/folded/differential", test_differential);
  g_test_add_func ("/folded/bad-input", test_bad_input);
  g_test_add_func ("/folded/round-trip", test_round_trip);
  g_test_add_func ("/folded/long-line", test_long_line);
  return g_test_run ();
}
