/* call-graph.h — functions as nodes, caller → callee pairs as edges.
 *
 * A deterministic profile (has_call_stats) gives exact numbers: a node's
 * self and total are its own and cumulative time, an edge carries the
 * caller's call count of the callee and the callee's cumulative time under
 * that caller.  Any other trace (or a cProfile trace under a non-empty
 * selection) is summarised from its top-down call tree: an edge weighs the
 * samples in which the caller called the callee, counted once per sample
 * even when the pair repeats in a recursive stack, and has no call count.
 * Direct recursion is an edge from a node to itself.
 */
#pragma once

#include <gio/gio.h>
#include "call-tree.h"
#include "profile.h"
#include "selection.h"

G_BEGIN_DECLS

typedef struct {
  guint32 func;
  double self;
  double total;
  double calls;    /* exact call count, -1 when the trace has none */
} PyroCallGraphNode;

typedef struct {
  guint32 caller;  /* node index */
  guint32 callee;  /* node index; equal to caller for direct recursion */
  double weight;
  double calls;    /* exact call count, -1 when the trace has none */
} PyroCallGraphEdge;

typedef struct {
  PyroProfile *profile;   /* owned reference */
  gboolean exact;         /* numbers come from call stats, not samples */
  double grand_total;     /* what 100 % stands for: the selection's total weight;
                           * exact graphs: the sum of own times, or the
                           * largest cumulative time when that is larger */
  GArray *nodes;          /* PyroCallGraphNode, total descending */
  GArray *edges;          /* PyroCallGraphEdge, weight descending */
  guint32 *node_of_func;  /* [n_funcs of the profile]: node index or PYRO_NONE */

  /* adjacency: edge indices leaving / entering node n are
   * out_edges[out_start[n] .. out_start[n + 1]) and the same for in_ */
  guint32 *out_start, *out_edges;
  guint32 *in_start, *in_edges;
} PyroCallGraph;

/* The graph of @profile under @selection (NULL = everything): exact when the
 * profile has call stats and the selection is empty, else from the call
 * tree.  Returns NULL only when cancelled (with @error set).  Caller owns. */
PyroCallGraph *pyro_call_graph_new (PyroProfile *profile, const PyroSelection *selection,
                                    GCancellable *cancellable, GError **error);
/* The graph summarised from a top-down @tree.  Caller owns. */
PyroCallGraph *pyro_call_graph_new_from_tree (const PyroCallTree *tree);
/* The exact graph of a profile with call stats.  Caller owns. */
PyroCallGraph *pyro_call_graph_new_exact (PyroProfile *profile);
/* Graphs are immutable once built and shared between threads by reference. */
PyroCallGraph *pyro_call_graph_ref (PyroCallGraph *self);
void           pyro_call_graph_unref (PyroCallGraph *self);

static inline const PyroCallGraphNode *
pyro_call_graph_node (const PyroCallGraph *self, guint32 node)
{
  return &g_array_index (self->nodes, PyroCallGraphNode, node);
}

static inline const PyroCallGraphEdge *
pyro_call_graph_edge (const PyroCallGraph *self, guint32 edge)
{
  return &g_array_index (self->edges, PyroCallGraphEdge, edge);
}

/* Index of the edge @caller → @callee (node indices), or PYRO_NONE. */
guint32 pyro_call_graph_find_edge (const PyroCallGraph *self, guint32 caller, guint32 callee);

/* What part of the graph to show. */
typedef struct {
  double node_fraction;  /* hide nodes whose total is under this share (0.005) */
  double edge_fraction;  /* hide edges under this share; < 0: node_fraction / 5 */
  guint32 focus_func;    /* PYRO_NONE: whole graph; else only its neighbourhood */
  guint focus_depth;     /* callers and callees up to this many calls away */
} PyroCallGraphFilter;

#define PYRO_CALL_GRAPH_DEFAULT_FRACTION 0.005

void pyro_call_graph_filter_init (PyroCallGraphFilter *filter);

typedef struct {
  GArray *nodes;         /* guint32 node indices, in graph order */
  GArray *edges;         /* guint32 edge indices between visible nodes */
  guint n_hidden_nodes;  /* nodes of the considered part under the threshold */
  guint n_hidden_edges;  /* edges of the considered part not shown */
} PyroCallGraphSubset;

/* The nodes and edges @filter keeps.  A focused function is always kept.
 * Caller owns the result. */
PyroCallGraphSubset *pyro_call_graph_prune (const PyroCallGraph *self,
                                            const PyroCallGraphFilter *filter);
void pyro_call_graph_subset_free (PyroCallGraphSubset *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCallGraph, pyro_call_graph_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCallGraphSubset, pyro_call_graph_subset_free)

G_END_DECLS
