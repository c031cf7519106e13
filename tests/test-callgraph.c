/* The call graph model: edges and nodes against numbers computed straight
 * from the samples (sampled traces) or printed by Python's own pstats
 * (cProfile dumps), recursion as a self-loop, and threshold pruning. */
#include "fixtures.h"
#include "core/call-graph.h"
#include "formats/reader.h"

#include <math.h>
#include <string.h>

static PyroCallGraph *
graph_of (PyroProfile *profile)
{
  g_autoptr (GError) error = NULL;
  PyroCallGraph *graph = pyro_call_graph_new (profile, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (graph);
  return graph;
}

static guint32
node_named (const PyroCallGraph *graph, const char *name)
{
  guint32 f = fixture_func (graph->profile, name);
  g_assert_cmpuint (f, !=, PYRO_NONE);
  return graph->node_of_func[f];
}

static const PyroCallGraphEdge *
edge_named (const PyroCallGraph *graph, const char *caller, const char *callee)
{
  guint32 e = pyro_call_graph_find_edge (graph, node_named (graph, caller), node_named (graph, callee));
  return e == PYRO_NONE ? NULL : pyro_call_graph_edge (graph, e);
}

/* Root-first function ids of a sample's stack. */
static void
stack_funcs (PyroProfile *p, guint32 stack, GArray *out)
{
  g_array_set_size (out, 0);
  for (guint32 s = stack; s != PYRO_NONE; s = PYRO_COL (p->stack_parent, guint32, s))
    {
      guint32 f = PYRO_COL (p->frame_func, guint32, PYRO_COL (p->stack_frame, guint32, s));
      g_array_prepend_val (out, f);
    }
}

/* Every edge and node of the graph of a sampled trace against a direct count
 * over the samples: an edge or function counts once per sample it is in. */
static void
check_against_samples (PyroProfile *p, const PyroCallGraph *graph)
{
  guint n_funcs = pyro_profile_n_funcs (p);
  g_autofree double *total = g_new0 (double, n_funcs);
  g_autofree double *self = g_new0 (double, n_funcs);
  g_autoptr (GHashTable) edges = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GArray) funcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  double grand = 0;

  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      double w = PYRO_COL (p->sample_weight, double, i);
      stack_funcs (p, PYRO_COL (p->sample_stack, guint32, i), funcs);
      grand += w;
      if (funcs->len == 0)
        continue;
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint k = 0; k < funcs->len; k++)
        {
          guint32 f = g_array_index (funcs, guint32, k);
          gint64 fkey = G_MAXINT64 - f;
          if (g_hash_table_add (seen, g_memdup2 (&fkey, sizeof fkey)))
            total[f] += w;
          if (k == 0)
            continue;
          gint64 key = ((gint64) g_array_index (funcs, guint32, k - 1) << 32) | f;
          if (!g_hash_table_add (seen, g_memdup2 (&key, sizeof key)))
            continue;
          double *slot = g_hash_table_lookup (edges, &key);
          if (slot == NULL)
            {
              slot = g_new0 (double, 1);
              g_hash_table_insert (edges, g_memdup2 (&key, sizeof key), slot);
            }
          *slot += w;
        }
      self[g_array_index (funcs, guint32, funcs->len - 1)] += w;
    }

  g_assert_false (graph->exact);
  g_assert_cmpfloat_with_epsilon (graph->grand_total, grand, 1e-9);
  g_assert_cmpuint (graph->edges->len, ==, g_hash_table_size (edges));
  for (guint e = 0; e < graph->edges->len; e++)
    {
      const PyroCallGraphEdge *edge = pyro_call_graph_edge (graph, e);
      gint64 key = ((gint64) pyro_call_graph_node (graph, edge->caller)->func << 32)
                   | pyro_call_graph_node (graph, edge->callee)->func;
      double *expected = g_hash_table_lookup (edges, &key);
      g_assert_nonnull (expected);
      g_assert_cmpfloat_with_epsilon (edge->weight, *expected, 1e-9);
      g_assert_cmpfloat (edge->calls, ==, -1);
    }
  for (guint n = 0; n < graph->nodes->len; n++)
    {
      const PyroCallGraphNode *node = pyro_call_graph_node (graph, n);
      g_assert_cmpfloat_with_epsilon (node->total, total[node->func], 1e-9);
      g_assert_cmpfloat_with_epsilon (node->self, self[node->func], 1e-9);
      g_assert_cmpuint (graph->node_of_func[node->func], ==, n);
    }
}

static void
test_sampled_edges (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (
    "main;parse;read 10\n"
    "main;parse;lex;read 4\n"
    "main;compute;fib;fib;fib 30\n"
    "main;compute;fib;fib 20\n"
    "main;compute;helper;fib 6\n"
    "main;ping;pong;ping;pong 8\n"
    "main;compute 5\n"
    "main 2\n"
    "idle 15\n");
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  check_against_samples (p, graph);

  /* recursion is a self-loop weighing the samples it is in, once each */
  const PyroCallGraphEdge *loop = edge_named (graph, "fib", "fib");
  g_assert_nonnull (loop);
  g_assert_cmpuint (loop->caller, ==, loop->callee);
  g_assert_cmpfloat (loop->weight, ==, 50);
  g_assert_cmpfloat (edge_named (graph, "ping", "pong")->weight, ==, 8);
  g_assert_cmpfloat (edge_named (graph, "pong", "ping")->weight, ==, 8);
  g_assert_cmpfloat (pyro_call_graph_node (graph, node_named (graph, "fib"))->total, ==, 56);
  g_assert_cmpfloat (pyro_call_graph_node (graph, node_named (graph, "fib"))->self, ==, 56);
  g_assert_null (edge_named (graph, "read", "parse"));
  /* sorted heaviest first */
  g_assert_cmpstr (pyro_profile_func_name (p, pyro_call_graph_node (graph, 0)->func), ==, "main");
  for (guint e = 1; e < graph->edges->len; e++)
    g_assert_cmpfloat (pyro_call_graph_edge (graph, e - 1)->weight, >=, pyro_call_graph_edge (graph, e)->weight);
}

/* A real recording-style trace: many stacks with shared functions. */
static void
test_sampled_random (void)
{
  GString *text = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (7);
  for (guint i = 0; i < 400; i++)
    {
      guint depth = g_rand_int_range (rand, 1, 12);
      for (guint d = 0; d < depth; d++)
        g_string_append_printf (text, "%sf%d", d ? ";" : "", g_rand_int_range (rand, 0, 25));
      g_string_append_printf (text, " %d\n", g_rand_int_range (rand, 1, 50));
    }
  g_rand_free (rand);
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (text->str);
  g_string_free (text, TRUE);
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  check_against_samples (p, graph);
}

static void
test_selection_uses_tree (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("main;a;b 10\nmain;c;b 30\nmain;c 5\n");
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  pyro_selection_push_transform (sel, PYRO_TRANSFORM_DROP_FUNC, fixture_func (p, "a"));
  sel->invert = TRUE;  /* the graph is top-down whatever the flame views show */
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCallGraph) graph = pyro_call_graph_new (p, sel, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (graph->grand_total, ==, 35);
  g_assert_cmpuint (graph->node_of_func[fixture_func (p, "a")], ==, PYRO_NONE);
  g_assert_cmpfloat (edge_named (graph, "main", "c")->weight, ==, 35);
  g_assert_cmpfloat (edge_named (graph, "c", "b")->weight, ==, 30);
}

static void
test_prune_counts (void)
{
  /* total 1000: main 100 %, big 60 %, mid 30 %, small 0.6 %, tiny 0.4 %,
   * crumb 0.1 %, and leaf-only x 8.9 % */
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (
    "main;big 600\n"
    "main;mid 294\n"
    "main;mid;small 6\n"
    "main;mid;tiny 4\n"
    "main;big;crumb 1\n"
    "main;x 89\n"
    "main 6\n");
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  g_assert_cmpfloat (graph->grand_total, ==, 1000);

  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  g_assert_cmpfloat (filter.node_fraction, ==, 0.005);
  g_autoptr (PyroCallGraphSubset) def = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (def->nodes->len, ==, 5);       /* main big mid small x */
  g_assert_cmpuint (def->n_hidden_nodes, ==, 2);   /* tiny crumb */
  /* edges under 0.1 % go: main->big, main->mid, mid->small, main->x stay;
   * mid->tiny (hidden node) and big->crumb go */
  g_assert_cmpuint (def->edges->len, ==, 4);
  g_assert_cmpuint (def->n_hidden_edges, ==, 2);

  filter.node_fraction = 0.05;
  g_autoptr (PyroCallGraphSubset) five = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (five->nodes->len, ==, 4);
  g_assert_cmpuint (five->n_hidden_nodes, ==, 3);

  /* a node at exactly the threshold stays */
  filter.node_fraction = 0.006;
  g_autoptr (PyroCallGraphSubset) exact = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (exact->n_hidden_nodes, ==, 2);

  filter.node_fraction = 0;
  g_autoptr (PyroCallGraphSubset) all = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (all->nodes->len, ==, graph->nodes->len);
  g_assert_cmpuint (all->n_hidden_nodes, ==, 0);
  g_assert_cmpuint (all->edges->len, ==, graph->edges->len);

  /* an edge threshold of its own */
  filter.node_fraction = 0;
  filter.edge_fraction = 0.1;
  g_autoptr (PyroCallGraphSubset) edges = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (edges->edges->len, ==, 2);
  g_assert_cmpuint (edges->n_hidden_edges, ==, 4);
}

static void
test_focus (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (
    "main;a;b;c;d 10\n"
    "main;e;b 10\n"
    "other;z 10\n");
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  filter.focus_func = fixture_func (p, "b");
  filter.focus_depth = 1;
  g_autoptr (PyroCallGraphSubset) one = pyro_call_graph_prune (graph, &filter);
  /* b, its callers a and e, its callee c */
  g_assert_cmpuint (one->nodes->len, ==, 4);
  g_assert_cmpuint (one->edges->len, ==, 3);
  g_assert_cmpuint (one->n_hidden_nodes, ==, 0);

  filter.focus_depth = 2;
  g_autoptr (PyroCallGraphSubset) two = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (two->nodes->len, ==, 6);  /* + main, d */

  /* the focused function stays even under the threshold */
  filter.focus_depth = 1;
  filter.node_fraction = 0.9;
  g_autoptr (PyroCallGraphSubset) high = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (high->nodes->len, ==, 1);
  g_assert_cmpuint (high->n_hidden_nodes, ==, 3);
}

/* cProfile: every edge's call count and cumulative time as Python's own
 * pstats prints them. */
static const char cprofile_script[] =
  "def leaf(i):\n"
  "    return i * i\n"
  "\n"
  "def mid(n):\n"
  "    t = 0\n"
  "    for i in range(n):\n"
  "        t += leaf(i)\n"
  "    return t\n"
  "\n"
  "def fact(n):\n"
  "    return 1 if n <= 1 else n * fact(n - 1)\n"
  "\n"
  "def main():\n"
  "    for _ in range(7):\n"
  "        mid(30)\n"
  "    fact(12)\n"
  "\n"
  "main()\n";

static const char pstats_printer[] =
  "import pstats, sys\n"
  "for k, v in pstats.Stats(sys.argv[1]).stats.items():\n"
  "    sys.stdout.write('F\\t%s\\t%d\\t%r\\t%r\\t%r\\n' % (k[2], k[1], v[1], v[2], v[3]))\n"
  "    for c, e in v[4].items():\n"
  "        sys.stdout.write('E\\t%s\\t%d\\t%s\\t%d\\t%r\\t%r\\n' % (c[2], c[1], k[2], k[1], e[0], e[3]))\n";

static guint32
func_by_name_line (PyroProfile *p, const char *name, guint line)
{
  for (guint f = 0; f < pyro_profile_n_funcs (p); f++)
    if (strcmp (pyro_profile_func_name (p, f), name) == 0 && pyro_profile_func_line (p, f) == line)
      return f;
  return PYRO_NONE;
}

static void
test_cprofile (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_skip ("python3 is not installed: no cProfile dump to read");
      return;
    }
  g_autofree char *script = fixture_write_temp ("cg_script.py", cprofile_script, -1);
  g_autofree char *printer = fixture_write_temp ("cg_printer.py", pstats_printer, -1);
  g_autofree char *dump = fixture_temp_path ("cg.prof");
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *run[] = { python, "-m", "cProfile", "-o", dump, script, NULL };
  g_spawn_sync (NULL, (char **) run, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_autoptr (PyroProfile) p = pyro_format_load_file (dump, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (p->has_call_stats);
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  g_assert_true (graph->exact);

  /* the model's own edges, one to one */
  g_assert_cmpuint (graph->edges->len, ==, p->call_edges->len);
  for (guint i = 0; i < p->call_edges->len; i++)
    {
      const PyroCallEdge *ce = &g_array_index (p->call_edges, PyroCallEdge, i);
      guint32 e = pyro_call_graph_find_edge (graph, graph->node_of_func[ce->caller], graph->node_of_func[ce->callee]);
      g_assert_cmpuint (e, !=, PYRO_NONE);
      g_assert_cmpfloat (pyro_call_graph_edge (graph, e)->calls, ==, ce->total_calls);
      g_assert_cmpfloat (pyro_call_graph_edge (graph, e)->weight, ==, ce->cum_time);
    }

  /* and what pstats prints */
  g_autofree char *out = NULL;
  const char *print[] = { python, printer, dump, NULL };
  g_spawn_sync (NULL, (char **) print, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  guint n_edges = 0, n_funcs = 0;
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      if (f[0][0] == 'F')
        {
          guint32 func = func_by_name_line (p, f[1], atoi (f[2]));
          g_assert_cmpuint (func, !=, PYRO_NONE);
          const PyroCallGraphNode *node = pyro_call_graph_node (graph, graph->node_of_func[func]);
          g_assert_cmpfloat (node->calls, ==, g_ascii_strtod (f[3], NULL));
          g_assert_cmpfloat (node->self, ==, g_ascii_strtod (f[4], NULL));
          g_assert_cmpfloat (node->total, ==, g_ascii_strtod (f[5], NULL));
          n_funcs++;
          continue;
        }
      guint32 caller = func_by_name_line (p, f[1], atoi (f[2]));
      guint32 callee = func_by_name_line (p, f[3], atoi (f[4]));
      g_assert_cmpuint (caller, !=, PYRO_NONE);
      g_assert_cmpuint (callee, !=, PYRO_NONE);
      guint32 e = pyro_call_graph_find_edge (graph, graph->node_of_func[caller], graph->node_of_func[callee]);
      g_assert_cmpuint (e, !=, PYRO_NONE);
      g_assert_cmpfloat (pyro_call_graph_edge (graph, e)->calls, ==, g_ascii_strtod (f[5], NULL));
      g_assert_cmpfloat (pyro_call_graph_edge (graph, e)->weight, ==, g_ascii_strtod (f[6], NULL));
      n_edges++;
    }
  g_assert_cmpuint (n_edges, ==, graph->edges->len);
  g_assert_cmpuint (n_funcs, ==, graph->nodes->len);

  /* 100 % is the sum of own times, or the largest cumulative time */
  double self_sum = 0, max_total = 0;
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      self_sum += pyro_call_graph_node (graph, i)->self;
      max_total = MAX (max_total, pyro_call_graph_node (graph, i)->total);
    }
  g_assert_cmpfloat_with_epsilon (graph->grand_total, MAX (self_sum, max_total), 1e-9);

  /* the calls the script makes */
  g_assert_cmpfloat (edge_named (graph, "main", "mid")->calls, ==, 7);
  g_assert_cmpfloat (edge_named (graph, "mid", "leaf")->calls, ==, 210);
  g_assert_cmpfloat (edge_named (graph, "main", "fact")->calls, ==, 1);
  const PyroCallGraphEdge *loop = edge_named (graph, "fact", "fact");
  g_assert_cmpuint (loop->caller, ==, loop->callee);
  g_assert_cmpfloat (loop->calls, ==, 11);

  /* a selection falls back to the estimated tree, without call counts */
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  pyro_selection_push_transform (sel, PYRO_TRANSFORM_FOCUS_FUNC, fixture_func (p, "main"));
  g_autoptr (PyroCallGraph) estimated = pyro_call_graph_new (p, sel, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (estimated->exact);
  g_assert_nonnull (edge_named (estimated, "mid", "leaf"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/callgraph/sampled/edges", test_sampled_edges);
  g_test_add_func ("/callgraph/sampled/random", test_sampled_random);
  g_test_add_func ("/callgraph/sampled/selection", test_selection_uses_tree);
  g_test_add_func ("/callgraph/prune/counts", test_prune_counts);
  g_test_add_func ("/callgraph/prune/focus", test_focus);
  g_test_add_func ("/callgraph/cprofile", test_cprofile);
  return g_test_run ();
}
