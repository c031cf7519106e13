/* call-stats-tree.h — a call tree estimated from the caller/callee pairs of a
 * deterministic profile (cProfile, profile), as SnakeViz and RunSnakeRun
 * draw one.
 *
 * The dump holds no stacks, only per-function totals and per-edge totals.
 * The tree starts at the roots (functions nobody with any time calls, or
 * with calls no caller recorded: the entry point); under
 * a node of function F worth V seconds, a callee C gets the cumulative time
 * of the edge F -> C scaled by V / cumulative(F), and the children together
 * are scaled down when they would exceed V.  An edge without times (the
 * `profile` module's caller counts) shares C's cumulative time by calls
 * among C's other callers.  A
 * function already on the path is not descended into again: recursive time
 * stays in the node's own time.  What the children do not cover is the
 * node's own time.
 *
 * Nodes are expanded heaviest first until the node budget is spent, so the
 * tree of a huge dump keeps its biggest branches.
 */
#pragma once

#include "profile.h"

G_BEGIN_DECLS

#define PYRO_CALL_STATS_TREE_MAX_NODES 250000
#define PYRO_CALL_STATS_TREE_MAX_DEPTH 256

/* Adds to @profile (which has call stats and no samples yet) one stack per
 * node and one sample per node with own time (time 0, weight in seconds,
 * thread @thread), and sets meta.estimated.  At most @max_nodes nodes, at
 * most @max_depth deep.  Returns the number of nodes. */
guint pyro_call_stats_tree_build (PyroProfile *profile, guint32 thread, guint max_nodes,
                                  guint max_depth);

G_END_DECLS
