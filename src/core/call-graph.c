#include "call-graph.h"

#include <string.h>

typedef struct {
  guint32 caller_func;
  guint32 callee_func;
  double weight;
  double calls;
} RawEdge;

typedef struct {
  PyroProfile *profile;
  GArray *nodes;             /* PyroCallGraphNode, in creation order */
  guint32 *node_of_func;     /* [n_funcs] */
  GArray *edges;             /* RawEdge */
  GHashTable *edge_of_pair;  /* (caller_func << 32 | callee_func) -> edge index + 1 */
} Builder;

static void
builder_init (Builder *b, PyroProfile *profile)
{
  guint n_funcs = pyro_profile_n_funcs (profile);
  b->profile = profile;
  b->nodes = g_array_new (FALSE, FALSE, sizeof (PyroCallGraphNode));
  b->node_of_func = g_new (guint32, MAX (n_funcs, 1));
  memset (b->node_of_func, 0xff, MAX (n_funcs, 1) * sizeof (guint32));
  b->edges = g_array_new (FALSE, FALSE, sizeof (RawEdge));
  b->edge_of_pair = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static PyroCallGraphNode *
builder_node (Builder *b, guint32 func)
{
  if (b->node_of_func[func] == PYRO_NONE)
    {
      PyroCallGraphNode node = { func, 0, 0, -1 };
      b->node_of_func[func] = b->nodes->len;
      g_array_append_val (b->nodes, node);
    }
  return &g_array_index (b->nodes, PyroCallGraphNode, b->node_of_func[func]);
}

static guint32
builder_edge (Builder *b, guint32 caller, guint32 callee)
{
  gint64 key = ((gint64) caller << 32) | callee;
  gpointer found = g_hash_table_lookup (b->edge_of_pair, &key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  builder_node (b, caller);
  builder_node (b, callee);
  RawEdge e = { caller, callee, 0, -1 };
  g_array_append_val (b->edges, e);
  g_hash_table_insert (b->edge_of_pair, g_memdup2 (&key, sizeof key),
                       GUINT_TO_POINTER (b->edges->len));
  return b->edges->len - 1;
}

static int
compare_nodes (gconstpointer a, gconstpointer b)
{
  const PyroCallGraphNode *x = a, *y = b;
  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  if (x->self != y->self)
    return x->self > y->self ? -1 : 1;
  return x->func < y->func ? -1 : x->func > y->func;
}

static int
compare_edges (gconstpointer a, gconstpointer b)
{
  const PyroCallGraphEdge *x = a, *y = b;
  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  if (x->caller != y->caller)
    return x->caller < y->caller ? -1 : 1;
  return x->callee < y->callee ? -1 : x->callee > y->callee;
}

/* Builds the CSR adjacency of one direction: for every node the indices of
 * the edges whose @endpoint is that node, heaviest first. */
static void
index_adjacency (PyroCallGraph *g, gboolean outgoing, guint32 **start_out, guint32 **edges_out)
{
  guint n = g->nodes->len, m = g->edges->len;
  guint32 *start = g_new0 (guint32, n + 1);
  guint32 *list = g_new (guint32, MAX (m, 1));
  for (guint e = 0; e < m; e++)
    {
      const PyroCallGraphEdge *edge = pyro_call_graph_edge (g, e);
      start[(outgoing ? edge->caller : edge->callee) + 1]++;
    }
  for (guint i = 0; i < n; i++)
    start[i + 1] += start[i];
  g_autofree guint32 *fill = g_memdup2 (start, (n + 1) * sizeof (guint32));
  for (guint e = 0; e < m; e++)
    {
      const PyroCallGraphEdge *edge = pyro_call_graph_edge (g, e);
      list[fill[outgoing ? edge->caller : edge->callee]++] = e;
    }
  *start_out = start;
  *edges_out = list;
}

/* Sorts nodes and edges, maps edges onto node indices and indexes them. */
static PyroCallGraph *
builder_finish (Builder *b, gboolean exact, double grand_total)
{
  PyroCallGraph *g = g_atomic_rc_box_new0 (PyroCallGraph);
  g->profile = pyro_profile_ref (b->profile);
  g->exact = exact;
  g->grand_total = grand_total;
  g->nodes = b->nodes;
  g_array_sort (g->nodes, compare_nodes);
  g->node_of_func = b->node_of_func;
  for (guint i = 0; i < g->nodes->len; i++)
    g->node_of_func[pyro_call_graph_node (g, i)->func] = i;

  g->edges = g_array_sized_new (FALSE, FALSE, sizeof (PyroCallGraphEdge), b->edges->len);
  for (guint i = 0; i < b->edges->len; i++)
    {
      const RawEdge *raw = &g_array_index (b->edges, RawEdge, i);
      PyroCallGraphEdge edge = {
        g->node_of_func[raw->caller_func], g->node_of_func[raw->callee_func],
        raw->weight, raw->calls,
      };
      g_array_append_val (g->edges, edge);
    }
  g_array_sort (g->edges, compare_edges);
  index_adjacency (g, TRUE, &g->out_start, &g->out_edges);
  index_adjacency (g, FALSE, &g->in_start, &g->in_edges);

  g_array_unref (b->edges);
  g_hash_table_unref (b->edge_of_pair);
  return g;
}

PyroCallGraph *
pyro_call_graph_new_from_tree (const PyroCallTree *tree)
{
  g_return_val_if_fail (!tree->inverted, NULL);

  Builder b;
  builder_init (&b, tree->profile);
  guint n_funcs = pyro_profile_n_funcs (tree->profile);
  g_autofree guint32 *func_on_path = g_new0 (guint32, MAX (n_funcs, 1));
  GArray *edge_on_path = g_array_new (FALSE, TRUE, sizeof (guint32));
  /* edge entered at each depth of the walk, PYRO_NONE under the root */
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *next = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *entered = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 zero = 0, none = PYRO_NONE;
  g_array_append_val (stack, zero);
  g_array_append_val (next, zero);
  g_array_append_val (entered, none);

  /* Depth first; a function's total and an edge's weight are counted at
   * their outermost occurrence on the path, so once per sample. */
  while (stack->len > 0)
    {
      guint top = stack->len - 1;
      guint32 node = g_array_index (stack, guint32, top);
      guint32 *k = &g_array_index (next, guint32, top);
      if (*k < tree->child_count[node])
        {
          guint32 child = tree->children[tree->child_start[node] + (*k)++];
          guint32 f = tree->func[child];
          PyroCallGraphNode *gn = builder_node (&b, f);
          gn->self += tree->self[child];
          if (func_on_path[f]++ == 0)
            gn->total += tree->total[child];
          guint32 e = PYRO_NONE;
          if (node != 0)
            {
              e = builder_edge (&b, tree->func[node], f);
              if (edge_on_path->len <= e)
                g_array_set_size (edge_on_path, e + 1);
              if (g_array_index (edge_on_path, guint32, e)++ == 0)
                g_array_index (b.edges, RawEdge, e).weight += tree->total[child];
            }
          g_array_append_val (stack, child);
          g_array_append_val (next, zero);
          g_array_append_val (entered, e);
        }
      else
        {
          guint32 e = g_array_index (entered, guint32, top);
          if (node != 0)
            func_on_path[tree->func[node]]--;
          if (e != PYRO_NONE)
            g_array_index (edge_on_path, guint32, e)--;
          g_array_set_size (stack, top);
          g_array_set_size (next, top);
          g_array_set_size (entered, top);
        }
    }
  g_array_unref (stack);
  g_array_unref (next);
  g_array_unref (entered);
  g_array_unref (edge_on_path);

  return builder_finish (&b, FALSE, pyro_call_tree_total (tree));
}

PyroCallGraph *
pyro_call_graph_new_exact (PyroProfile *profile)
{
  g_return_val_if_fail (profile->has_call_stats, NULL);

  Builder b;
  builder_init (&b, profile);
  guint n_funcs = pyro_profile_n_funcs (profile);
  double grand_total = 0;
  for (guint i = 0; i < profile->func_stats->len; i++)
    {
      const PyroFuncStats *st = &g_array_index (profile->func_stats, PyroFuncStats, i);
      if (st->func >= n_funcs)
        continue;
      PyroCallGraphNode *node = builder_node (&b, st->func);
      node->self += st->self_time;
      node->total += st->cum_time;
      node->calls = MAX (node->calls, 0) + st->total_calls;
      grand_total += st->self_time;
    }
  for (guint i = 0; i < profile->call_edges->len; i++)
    {
      const PyroCallEdge *ce = &g_array_index (profile->call_edges, PyroCallEdge, i);
      if (ce->caller >= n_funcs || ce->callee >= n_funcs)
        continue;
      guint32 index = builder_edge (&b, ce->caller, ce->callee);
      RawEdge *e = &g_array_index (b.edges, RawEdge, index);
      e->weight += ce->cum_time;
      e->calls = MAX (e->calls, 0) + ce->total_calls;
    }
  /* cProfile's cumulative times can add up to more than the sum of its own
   * times (time it does not attribute, recursion through exec()); the
   * heaviest node then stands for 100 %, so no share exceeds it */
  for (guint i = 0; i < b.nodes->len; i++)
    grand_total = MAX (grand_total, g_array_index (b.nodes, PyroCallGraphNode, i).total);
  return builder_finish (&b, TRUE, grand_total);
}

static gboolean
selection_is_empty (const PyroSelection *selection)
{
  return selection == NULL
         || (!selection->has_range && !selection->invert && selection->threads->len == 0
             && selection->transforms->len == 0);
}

PyroCallGraph *
pyro_call_graph_new (PyroProfile *profile, const PyroSelection *selection,
                     GCancellable *cancellable, GError **error)
{
  if (profile->has_call_stats && selection_is_empty (selection))
    return pyro_call_graph_new_exact (profile);

  /* the graph is always drawn callers above callees */
  g_autoptr (PyroSelection) top_down = selection != NULL ? pyro_selection_copy (selection) : NULL;
  if (top_down != NULL)
    top_down->invert = FALSE;
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (profile, top_down, cancellable, error);
  if (tree == NULL)
    return NULL;
  return pyro_call_graph_new_from_tree (tree);
}

PyroCallGraph *
pyro_call_graph_ref (PyroCallGraph *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
call_graph_clear (gpointer data)
{
  PyroCallGraph *self = data;
  pyro_profile_unref (self->profile);
  g_array_unref (self->nodes);
  g_array_unref (self->edges);
  g_free (self->node_of_func);
  g_free (self->out_start);
  g_free (self->out_edges);
  g_free (self->in_start);
  g_free (self->in_edges);
}

void
pyro_call_graph_unref (PyroCallGraph *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, call_graph_clear);
}

guint32
pyro_call_graph_find_edge (const PyroCallGraph *self, guint32 caller, guint32 callee)
{
  if (caller >= self->nodes->len || callee >= self->nodes->len)
    return PYRO_NONE;
  for (guint32 i = self->out_start[caller]; i < self->out_start[caller + 1]; i++)
    if (pyro_call_graph_edge (self, self->out_edges[i])->callee == callee)
      return self->out_edges[i];
  return PYRO_NONE;
}

void
pyro_call_graph_filter_init (PyroCallGraphFilter *filter)
{
  filter->node_fraction = PYRO_CALL_GRAPH_DEFAULT_FRACTION;
  filter->edge_fraction = -1;
  filter->focus_func = PYRO_NONE;
  filter->focus_depth = 2;
}

/* Marks the nodes within @depth edges of @start, following callees when
 * @outgoing, else callers. */
static void
mark_reachable (const PyroCallGraph *g, guint32 start, guint depth, gboolean outgoing,
                guint8 *mark)
{
  guint n = g->nodes->len;
  g_autofree guint32 *dist = g_new (guint32, n);
  memset (dist, 0xff, n * sizeof (guint32));
  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (guint32));
  const guint32 *start_of = outgoing ? g->out_start : g->in_start;
  const guint32 *list = outgoing ? g->out_edges : g->in_edges;

  dist[start] = 0;
  mark[start] = TRUE;
  g_array_append_val (queue, start);
  for (guint q = 0; q < queue->len; q++)
    {
      guint32 n0 = g_array_index (queue, guint32, q);
      if (dist[n0] >= depth)
        continue;
      for (guint32 i = start_of[n0]; i < start_of[n0 + 1]; i++)
        {
          const PyroCallGraphEdge *e = pyro_call_graph_edge (g, list[i]);
          guint32 other = outgoing ? e->callee : e->caller;
          if (dist[other] != PYRO_NONE)
            continue;
          dist[other] = dist[n0] + 1;
          mark[other] = TRUE;
          g_array_append_val (queue, other);
        }
    }
}

PyroCallGraphSubset *
pyro_call_graph_prune (const PyroCallGraph *self, const PyroCallGraphFilter *filter)
{
  guint n = self->nodes->len;
  g_autofree guint8 *considered = g_malloc0 (MAX (n, 1));
  g_autofree guint8 *visible = g_malloc0 (MAX (n, 1));
  guint32 focus = PYRO_NONE;

  if (filter->focus_func != PYRO_NONE && filter->focus_func < pyro_profile_n_funcs (self->profile))
    focus = self->node_of_func[filter->focus_func];
  if (focus != PYRO_NONE)
    {
      mark_reachable (self, focus, filter->focus_depth, TRUE, considered);
      mark_reachable (self, focus, filter->focus_depth, FALSE, considered);
    }
  else
    memset (considered, TRUE, n);

  /* a hair under the exact share, so a node at exactly N % stays */
  double edge_fraction = filter->edge_fraction < 0 ? filter->node_fraction / 5 : filter->edge_fraction;
  double node_min = filter->node_fraction * self->grand_total * (1 - 1e-9);
  double edge_min = edge_fraction * self->grand_total * (1 - 1e-9);

  PyroCallGraphSubset *subset = g_new0 (PyroCallGraphSubset, 1);
  subset->nodes = g_array_new (FALSE, FALSE, sizeof (guint32));
  subset->edges = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint32 i = 0; i < n; i++)
    {
      if (!considered[i])
        continue;
      visible[i] = i == focus || pyro_call_graph_node (self, i)->total >= node_min;
      if (visible[i])
        g_array_append_val (subset->nodes, i);
      else
        subset->n_hidden_nodes++;
    }
  for (guint32 i = 0; i < self->edges->len; i++)
    {
      const PyroCallGraphEdge *e = pyro_call_graph_edge (self, i);
      if (!considered[e->caller] || !considered[e->callee])
        continue;
      if (visible[e->caller] && visible[e->callee] && e->weight >= edge_min)
        g_array_append_val (subset->edges, i);
      else
        subset->n_hidden_edges++;
    }
  return subset;
}

void
pyro_call_graph_subset_free (PyroCallGraphSubset *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->nodes);
  g_array_unref (self->edges);
  g_free (self);
}
