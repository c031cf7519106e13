/* The model and its derived views on hand-computable profiles. */
#include "core/call-tree.h"
#include "core/function-table.h"
#include "fixtures.h"

/* main calls a (3) and b (1); a calls c (2 of its 3). */
static const char *simple = "main;a 1\nmain;a;c 2\nmain;b 1\n";
/* fib recurses: main;fib;fib;fib */
static const char *recursive = "main;fib;fib;fib 4\nmain;fib 2\nmain;other 2\n";

static guint32
node_at (const PyroCallTree *tree, PyroProfile *p, const char *const *path)
{
  guint32 node = 0;
  for (guint i = 0; path[i] != NULL && node != PYRO_NONE; i++)
    node = pyro_call_tree_find_child (tree, node, fixture_func (p, path[i]));
  return node;
}

#define NODE(tree, p, ...) node_at ((tree), (p), (const char *const[]) { __VA_ARGS__, NULL })

static void
test_top_down (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (simple);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);

  g_assert_cmpfloat (pyro_call_tree_total (t), ==, 4);
  guint32 a = NODE (t, p, "main", "a");
  g_assert_cmpuint (a, !=, PYRO_NONE);
  g_assert_cmpfloat (t->total[a], ==, 3);
  g_assert_cmpfloat (t->self[a], ==, 1);
  g_assert_cmpfloat (t->total[NODE (t, p, "main", "a", "c")], ==, 2);
  g_assert_cmpfloat (t->self[NODE (t, p, "main")], ==, 0);
  g_assert_cmpuint (t->max_depth, ==, 3);
  /* heaviest child first */
  guint32 main_node = NODE (t, p, "main");
  g_assert_cmpuint (t->children[t->child_start[main_node]], ==, a);
}

static void
test_function_table_recursion (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (recursive);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (PyroFunctionTable) table = pyro_function_table_new (t);

  const PyroFunctionRow *fib = pyro_function_table_lookup (table, fixture_func (p, "fib"));
  g_assert_nonnull (fib);
  g_assert_cmpfloat (fib->self, ==, 6);
  /* counted once per sample even though it recurses */
  g_assert_cmpfloat (fib->total, ==, 6);
  const PyroFunctionRow *main_row = pyro_function_table_lookup (table, fixture_func (p, "main"));
  g_assert_cmpfloat (main_row->total, ==, 8);
  g_assert_cmpfloat (main_row->self, ==, 0);
  /* rows sorted by self, descending */
  g_assert_cmpuint (g_array_index (table->rows, PyroFunctionRow, 0).func, ==, fixture_func (p, "fib"));
}

static void
test_invert (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (simple);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  sel->invert = TRUE;
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, sel, NULL, NULL);

  g_assert_true (t->inverted);
  g_assert_cmpfloat (pyro_call_tree_total (t), ==, 4);
  /* roots are the functions that ran: c 2, a 1, b 1 */
  g_assert_cmpfloat (t->total[NODE (t, p, "c")], ==, 2);
  g_assert_cmpfloat (t->total[NODE (t, p, "a")], ==, 1);
  g_assert_cmpfloat (t->total[NODE (t, p, "c", "a", "main")], ==, 2);
  g_assert_cmpuint (NODE (t, p, "main"), ==, PYRO_NONE);
}

static void
test_focus (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (simple);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  pyro_selection_push_transform (sel, PYRO_TRANSFORM_FOCUS_FUNC, fixture_func (p, "a"));
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, sel, NULL, NULL);

  g_assert_cmpfloat (pyro_call_tree_total (t), ==, 3);
  g_assert_cmpfloat (t->total[NODE (t, p, "a")], ==, 3);
  g_assert_cmpfloat (t->total[NODE (t, p, "a", "c")], ==, 2);
  g_assert_cmpuint (NODE (t, p, "main"), ==, PYRO_NONE);
}

static void
test_merge_drop (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (simple);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();

  pyro_selection_push_transform (sel, PYRO_TRANSFORM_MERGE_FUNC, fixture_func (p, "a"));
  g_autoptr (PyroCallTree) merged = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (merged), ==, 4);
  g_assert_cmpfloat (merged->total[NODE (merged, p, "main", "c")], ==, 2);
  /* a's own sample goes to main */
  g_assert_cmpfloat (merged->self[NODE (merged, p, "main")], ==, 1);

  g_assert_true (pyro_selection_pop_transform (sel));
  pyro_selection_push_transform (sel, PYRO_TRANSFORM_DROP_FUNC, fixture_func (p, "c"));
  g_autoptr (PyroCallTree) dropped = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (dropped), ==, 2);
  g_assert_cmpfloat (dropped->total[NODE (dropped, p, "main", "a")], ==, 1);
  g_assert_false (pyro_selection_pop_transform (sel) && pyro_selection_pop_transform (sel));
}

static void
test_collapse_recursion (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (recursive);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  pyro_selection_push_transform (sel, PYRO_TRANSFORM_COLLAPSE_RECURSION, fixture_func (p, "fib"));
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, sel, NULL, NULL);

  guint32 fib = NODE (t, p, "main", "fib");
  g_assert_cmpfloat (t->total[fib], ==, 6);
  g_assert_cmpfloat (t->self[fib], ==, 6);
  g_assert_cmpuint (t->child_count[fib], ==, 0);
}

static void
test_neighbours (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (simple);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (GArray) callers = NULL;
  g_autoptr (GArray) callees = NULL;

  pyro_function_neighbours (t, fixture_func (p, "main"), &callers, &callees);
  g_assert_cmpuint (callers->len, ==, 0);
  g_assert_cmpuint (callees->len, ==, 2);
  PyroNeighbour first = g_array_index (callees, PyroNeighbour, 0);
  g_assert_cmpuint (first.func, ==, fixture_func (p, "a"));
  g_assert_cmpfloat (first.weight, ==, 3);

  g_clear_pointer (&callers, g_array_unref);
  g_clear_pointer (&callees, g_array_unref);
  pyro_function_neighbours (t, fixture_func (p, "c"), &callers, &callees);
  g_assert_cmpuint (callers->len, ==, 1);
  g_assert_cmpuint (g_array_index (callers, PyroNeighbour, 0).func, ==, fixture_func (p, "a"));
}

static void
test_time_and_thread_filter (void)
{
  g_autoptr (PyroProfile) p = pyro_profile_new ("test");
  guint32 t0 = pyro_profile_add_thread (p, 1, 1, "main", "prog");
  guint32 t1 = pyro_profile_add_thread (p, 1, 2, "worker", "prog");
  guint32 f = pyro_profile_add_func (p, pyro_profile_intern (p, "f"), 0, 0, 0, PYRO_FUNC_NATIVE);
  guint32 g = pyro_profile_add_func (p, pyro_profile_intern (p, "g"), 0, 0, 0, PYRO_FUNC_NATIVE);
  guint32 sf = pyro_profile_add_stack (p, PYRO_NONE, pyro_profile_add_frame (p, f, 0, 0));
  guint32 sg = pyro_profile_add_stack (p, PYRO_NONE, pyro_profile_add_frame (p, g, 0, 0));
  p->meta.has_time = TRUE;
  for (int i = 0; i < 10; i++)
    pyro_profile_add_sample (p, i * 1000, i < 5 ? sf : sg, i % 2 ? t1 : t0, 1);
  pyro_profile_finish (p);

  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  pyro_selection_set_range (sel, 2000, 7000);  /* samples 2..6 */
  g_autoptr (PyroCallTree) ranged = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (ranged), ==, 5);
  g_assert_cmpfloat (ranged->total[pyro_call_tree_find_child (ranged, 0, f)], ==, 3);

  pyro_selection_clear_range (sel);
  g_array_append_val (sel->threads, t1);
  g_autoptr (PyroCallTree) threaded = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (threaded), ==, 5);
  g_assert_cmpfloat (threaded->sample_count, ==, 5);
}

static void
test_memory_weight (void)
{
  g_autoptr (PyroProfile) p = pyro_profile_new ("test");
  guint32 t = pyro_profile_add_thread (p, 1, 1, "main", "prog");
  guint32 f = pyro_profile_add_func (p, pyro_profile_intern (p, "alloc"), 0, 0, 0, PYRO_FUNC_PYTHON);
  guint32 g = pyro_profile_add_func (p, pyro_profile_intern (p, "compute"), 0, 0, 0, PYRO_FUNC_PYTHON);
  guint32 sf = pyro_profile_add_stack (p, PYRO_NONE, pyro_profile_add_frame (p, f, 0, 0));
  guint32 sg = pyro_profile_add_stack (p, PYRO_NONE, pyro_profile_add_frame (p, g, 0, 0));
  pyro_profile_add_sample (p, 0, sf, t, 1);
  pyro_profile_add_sample_bytes (p, 0, 4096);
  for (int i = 0; i < 3; i++)
    pyro_profile_add_sample (p, 0, sg, t, 1);
  pyro_profile_finish (p);

  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  g_autoptr (PyroCallTree) cpu = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (cpu), ==, 4);
  sel->weight = PYRO_WEIGHT_MEMORY_GROWTH;
  g_autoptr (PyroCallTree) mem = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (mem), ==, 4096);
  g_assert_cmpfloat (mem->total[pyro_call_tree_find_child (mem, 0, f)], ==, 4096);
  g_assert_cmpuint (pyro_call_tree_find_child (mem, 0, g), ==, PYRO_NONE);
}

/* Idle samples count only when shown; the GIL weight keeps the samples
 * that held it; copies and comparisons of selections see show_idle. */
static void
test_thread_state (void)
{
  g_autoptr (PyroProfile) p = pyro_profile_new ("test");
  guint32 t = pyro_profile_add_thread (p, 1, 1, "main", "prog");
  guint32 work = pyro_profile_add_func (p, pyro_profile_intern (p, "work"), 0, 0, 0, PYRO_FUNC_PYTHON);
  guint32 wait = pyro_profile_add_func (p, pyro_profile_intern (p, "wait"), 0, 0, 0, PYRO_FUNC_PYTHON);
  guint32 sw = pyro_profile_add_stack (p, PYRO_NONE, pyro_profile_add_frame (p, work, 0, 0));
  guint32 sv = pyro_profile_add_stack (p, PYRO_NONE, pyro_profile_add_frame (p, wait, 0, 0));
  for (guint i = 0; i < 4; i++)
    {
      pyro_profile_add_sample (p, i, sw, t, 1);
      pyro_profile_set_sample_flags (p, pyro_profile_n_samples (p) - 1, i < 3 ? PYRO_SAMPLE_GIL : 0);
    }
  for (guint i = 0; i < 6; i++)
    {
      pyro_profile_add_sample (p, 10 + i, sv, t, 1);
      pyro_profile_set_sample_flags (p, pyro_profile_n_samples (p) - 1, PYRO_SAMPLE_IDLE);
    }
  pyro_profile_finish (p);

  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  g_autoptr (PyroCallTree) hidden = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (hidden), ==, 4);
  g_assert_cmpuint (pyro_call_tree_find_child (hidden, 0, wait), ==, PYRO_NONE);
  g_autoptr (PyroCallTree) no_selection = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (no_selection), ==, 4);

  g_autoptr (PyroSelection) copy = pyro_selection_copy (sel);
  copy->show_idle = TRUE;
  g_assert_false (pyro_selection_equal (sel, copy));
  g_autoptr (PyroSelection) copy2 = pyro_selection_copy (copy);
  g_assert_true (copy2->show_idle);
  g_autoptr (PyroCallTree) shown = pyro_call_tree_new (p, copy, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (shown), ==, 10);
  g_assert_cmpfloat (shown->total[pyro_call_tree_find_child (shown, 0, wait)], ==, 6);

  sel->weight = PYRO_WEIGHT_GIL;
  g_autoptr (PyroCallTree) gil = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpfloat (pyro_call_tree_total (gil), ==, 3);
}

static void
test_interning (void)
{
  g_autoptr (PyroProfile) p = pyro_profile_new ("test");
  guint32 a = pyro_profile_intern (p, "alpha");
  g_assert_cmpuint (pyro_profile_intern (p, "alpha"), ==, a);
  g_assert_cmpuint (pyro_profile_intern (p, ""), ==, 0);
  for (int i = 0; i < 100000; i++)
    {
      char buf[32];
      g_snprintf (buf, sizeof buf, "s%d", i);
      guint32 id = pyro_profile_intern (p, buf);
      g_assert_cmpstr (pyro_profile_str (p, id), ==, buf);
    }
  g_assert_cmpuint (pyro_profile_intern (p, "alpha"), ==, a);
  g_assert_cmpuint (pyro_profile_intern (p, "s99999"), ==, pyro_profile_intern (p, "s99999"));
  guint32 name = pyro_profile_intern (p, "f");
  guint32 f1 = pyro_profile_add_func (p, name, 0, 1, 0, PYRO_FUNC_PYTHON);
  g_assert_cmpuint (pyro_profile_add_func (p, name, 0, 1, 0, PYRO_FUNC_PYTHON), ==, f1);
  g_assert_cmpuint (pyro_profile_add_func (p, name, 0, 2, 0, PYRO_FUNC_PYTHON), !=, f1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/interning", test_interning);
  g_test_add_func ("/model/top-down", test_top_down);
  g_test_add_func ("/model/function-table-recursion", test_function_table_recursion);
  g_test_add_func ("/model/invert", test_invert);
  g_test_add_func ("/model/focus", test_focus);
  g_test_add_func ("/model/merge-drop", test_merge_drop);
  g_test_add_func ("/model/collapse-recursion", test_collapse_recursion);
  g_test_add_func ("/model/neighbours", test_neighbours);
  g_test_add_func ("/model/time-thread-filter", test_time_and_thread_filter);
  g_test_add_func ("/model/memory-weight", test_memory_weight);
  g_test_add_func ("/model/thread-state", test_thread_state);
  return g_test_run ();
}
