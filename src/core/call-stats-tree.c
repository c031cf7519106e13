#include "call-stats-tree.h"

#include <stdlib.h>
#include <string.h>

/* A child waiting to become a node.  The children of one node sit together
 * in the pool, heaviest first; the heap holds only the heaviest waiting
 * child of each node, so it stays small even under a node with thousands
 * of callees. */
typedef struct {
  double value;
  guint32 func;
  guint32 parent;  /* node id, PYRO_NONE for a root */
  guint32 end;     /* pool index after the last sibling */
} Child;

typedef struct {
  double value;
  guint32 child;   /* pool index */
} HeapEntry;

typedef struct {
  double value;
  double child_sum;
  guint64 path_mask;  /* bit (func % 64) of every function on the path */
  guint32 func;
  guint32 parent;
  guint32 stack;
  guint32 depth;
} Node;

typedef struct {
  PyroProfile *profile;
  guint n_funcs;
  double *cum;          /* [n_funcs] cumulative time, 0 without stats */
  guint32 *out_start;   /* [n_funcs + 1] CSR of edges by caller */
  guint32 *out_callee;  /* [n_edges] */
  double *out_weight;   /* [n_edges] callee time over all calls from this caller */
  guint32 *frame_of;    /* [n_funcs] frame id, PYRO_NONE until used */
  GArray *nodes;        /* Node */
  GArray *pool;         /* Child */
  guint pool_cap;
  GArray *heap;         /* HeapEntry, max-heap on value */
} Builder;

static void
heap_push (Builder *b, guint32 child)
{
  HeapEntry e = { g_array_index (b->pool, Child, child).value, child };
  g_array_append_val (b->heap, e);
  HeapEntry *h = (HeapEntry *) b->heap->data;
  guint i = b->heap->len - 1;
  while (i > 0)
    {
      guint up = (i - 1) / 2;
      if (h[up].value >= h[i].value)
        break;
      HeapEntry t = h[up];
      h[up] = h[i];
      h[i] = t;
      i = up;
    }
}

static guint32
heap_pop (Builder *b)
{
  HeapEntry *h = (HeapEntry *) b->heap->data;
  guint32 top = h[0].child;
  guint n = b->heap->len - 1;
  h[0] = h[n];
  g_array_set_size (b->heap, n);
  guint i = 0;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, best = i;
      if (l < n && h[l].value > h[best].value)
        best = l;
      if (r < n && h[r].value > h[best].value)
        best = r;
      if (best == i)
        break;
      HeapEntry t = h[best];
      h[best] = h[i];
      h[i] = t;
      i = best;
    }
  return top;
}

static int
compare_children (gconstpointer a, gconstpointer b)
{
  const Child *x = a, *y = b;
  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return x->func < y->func ? -1 : x->func > y->func;
}

/* Sorts the children added to the pool since @start and queues the first. */
static void
queue_children (Builder *b, guint start)
{
  guint end = b->pool->len;
  if (end == start)
    return;
  Child *children = &g_array_index (b->pool, Child, start);
  qsort (children, end - start, sizeof (Child), compare_children);
  for (guint i = 0; i < end - start; i++)
    children[i].end = end;
  heap_push (b, start);
}

static void
add_child (Builder *b, double value, guint32 func, guint32 parent)
{
  if (b->pool->len >= b->pool_cap)
    return;
  Child c = { value, func, parent, 0 };
  g_array_append_val (b->pool, c);
}

static gboolean
on_path (Builder *b, guint32 node, guint32 func)
{
  const Node *nodes = (const Node *) b->nodes->data;
  if ((nodes[node].path_mask & (G_GUINT64_CONSTANT (1) << (func % 64))) == 0)
    return FALSE;
  for (guint32 n = node; n != PYRO_NONE; n = nodes[n].parent)
    if (nodes[n].func == func)
      return TRUE;
  return FALSE;
}

static void
build_edges (Builder *b)
{
  PyroProfile *p = b->profile;
  guint n = b->n_funcs;
  guint n_edges = p->call_edges->len;
  g_autofree double *edge_cum = g_new0 (double, n);
  g_autofree double *edge_calls = g_new0 (double, n);

  b->out_start = g_new0 (guint32, n + 1);
  b->out_callee = g_new (guint32, MAX (n_edges, 1));
  b->out_weight = g_new (double, MAX (n_edges, 1));

  for (guint i = 0; i < n_edges; i++)
    {
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, i);
      if (e->caller >= n || e->callee >= n)
        continue;
      b->out_start[e->caller + 1]++;
      edge_cum[e->callee] += e->cum_time;
      if (e->caller != e->callee)
        edge_calls[e->callee] += e->total_calls;
    }
  for (guint f = 0; f < n; f++)
    b->out_start[f + 1] += b->out_start[f];

  g_autofree guint32 *fill = g_memdup2 (b->out_start, n * sizeof (guint32));
  for (guint i = 0; i < n_edges; i++)
    {
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, i);
      if (e->caller >= n || e->callee >= n)
        continue;
      guint32 at = fill[e->caller]++;
      double w = 0;
      /* An edge can claim more than the callee's whole time when calls
       * recurse through other functions: cap it there. */
      if (edge_cum[e->callee] > 0)
        w = MIN (e->cum_time, b->cum[e->callee]);
      else if (edge_calls[e->callee] > 0 && e->caller != e->callee)
        w = b->cum[e->callee] * e->total_calls / edge_calls[e->callee];
      b->out_callee[at] = e->callee;
      b->out_weight[at] = w;
    }
}

/* Roots: functions that no caller with any time calls, and functions with
 * calls that no caller recorded (made at the top, like cProfile's outer
 * `exec`, which imports call again); failing that, the `<module>` entries;
 * failing that, the function with the most time. */
static void
push_roots (Builder *b)
{
  PyroProfile *p = b->profile;
  guint n = b->n_funcs;
  g_autofree gboolean *called = g_new0 (gboolean, n);
  g_autofree double *recorded = g_new0 (double, n);
  g_autofree double *calls = g_new0 (double, n);
  for (guint i = 0; i < p->func_stats->len; i++)
    {
      const PyroFuncStats *st = &g_array_index (p->func_stats, PyroFuncStats, i);
      if (st->func < n)
        calls[st->func] = st->total_calls;
    }
  for (guint i = 0; i < p->call_edges->len; i++)
    {
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, i);
      if (e->caller >= n || e->callee >= n)
        continue;
      recorded[e->callee] += e->total_calls;
      if (e->caller != e->callee && b->cum[e->caller] > 0)
        called[e->callee] = TRUE;
    }

  for (guint f = 0; f < n; f++)
    if (b->cum[f] > 0 && (!called[f] || calls[f] > recorded[f]))
      add_child (b, b->cum[f], f, PYRO_NONE);
  for (guint f = 0; f < n && b->pool->len == 0; f++)
    if (b->cum[f] > 0 && g_str_equal (pyro_profile_func_name (p, f), "<module>"))
      add_child (b, b->cum[f], f, PYRO_NONE);

  if (b->pool->len == 0)
    {
      guint32 best = PYRO_NONE;
      for (guint f = 0; f < n; f++)
        if (b->cum[f] > 0 && (best == PYRO_NONE || b->cum[f] > b->cum[best]))
          best = f;
      if (best != PYRO_NONE)
        add_child (b, b->cum[best], best, PYRO_NONE);
    }
  queue_children (b, 0);
}

static void
expand (Builder *b, guint32 node_id)
{
  const Node node = g_array_index (b->nodes, Node, node_id);
  double cum = b->cum[node.func];
  if (cum <= 0)
    return;
  double scale = node.value / cum;
  double sum = 0;

  guint start = b->pool->len;
  for (guint32 i = b->out_start[node.func]; i < b->out_start[node.func + 1]; i++)
    {
      double w = b->out_weight[i] * scale;
      if (w <= 0 || on_path (b, node_id, b->out_callee[i]))
        continue;
      add_child (b, w, b->out_callee[i], node_id);
      sum += w;
    }
  if (sum > node.value)
    for (guint i = start; i < b->pool->len; i++)
      g_array_index (b->pool, Child, i).value *= node.value / sum;
  queue_children (b, start);
}

static guint32
add_node (Builder *b, const Child *c)
{
  PyroProfile *p = b->profile;
  Node node = { .value = c->value, .func = c->func, .parent = c->parent, .depth = 1 };
  guint32 parent_stack = PYRO_NONE;
  node.path_mask = G_GUINT64_CONSTANT (1) << (c->func % 64);
  if (c->parent != PYRO_NONE)
    {
      Node *parent = &g_array_index (b->nodes, Node, c->parent);
      parent->child_sum += c->value;
      parent_stack = parent->stack;
      node.depth = parent->depth + 1;
      node.path_mask |= parent->path_mask;
    }
  if (b->frame_of[c->func] == PYRO_NONE)
    b->frame_of[c->func] = pyro_profile_add_frame (p, c->func, 0, 0);
  node.stack = pyro_profile_add_stack (p, parent_stack, b->frame_of[c->func]);
  g_array_append_val (b->nodes, node);
  return b->nodes->len - 1;
}

guint
pyro_call_stats_tree_build (PyroProfile *profile, guint32 thread, guint max_nodes, guint max_depth)
{
  Builder b = { .profile = profile, .n_funcs = pyro_profile_n_funcs (profile) };
  guint n = b.n_funcs;

  b.cum = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < profile->func_stats->len; i++)
    {
      const PyroFuncStats *st = &g_array_index (profile->func_stats, PyroFuncStats, i);
      if (st->func < n && st->cum_time > 0)
        b.cum[st->func] = st->cum_time;
    }
  b.frame_of = g_new (guint32, MAX (n, 1));
  memset (b.frame_of, 0xff, MAX (n, 1) * sizeof (guint32));
  b.nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  b.pool = g_array_new (FALSE, FALSE, sizeof (Child));
  b.pool_cap = max_nodes > G_MAXUINT / 4 ? G_MAXUINT : max_nodes * 4;
  b.heap = g_array_new (FALSE, FALSE, sizeof (HeapEntry));
  build_edges (&b);
  push_roots (&b);

  while (b.heap->len > 0 && b.nodes->len < max_nodes)
    {
      guint32 ci = heap_pop (&b);
      Child c = g_array_index (b.pool, Child, ci);
      if (ci + 1 < c.end)
        heap_push (&b, ci + 1);
      guint32 id = add_node (&b, &c);
      if (g_array_index (b.nodes, Node, id).depth < max_depth)
        expand (&b, id);
    }

  for (guint i = 0; i < b.nodes->len; i++)
    {
      const Node *node = &g_array_index (b.nodes, Node, i);
      double own = node->value - node->child_sum;
      if (own > node->value * 1e-12)
        pyro_profile_add_sample (profile, 0, node->stack, thread, own);
    }
  profile->meta.estimated = TRUE;

  guint n_nodes = b.nodes->len;
  g_free (b.cum);
  g_free (b.frame_of);
  g_free (b.out_start);
  g_free (b.out_callee);
  g_free (b.out_weight);
  g_array_unref (b.nodes);
  g_array_unref (b.pool);
  g_array_unref (b.heap);
  return n_nodes;
}
