/* tree-diff.h — matches the nodes of one call tree (after, B) with another
 * (before, A) by their path of function names, for the differential flame
 * graph: sized by B, coloured by B - A. */
#pragma once

#include "call-tree.h"

G_BEGIN_DECLS

/* For every node of @b, the total of the node with the same path in @a,
 * 0 when A has no such path.  Returns an array of b->n_nodes; g_free it. */
double *pyro_call_tree_match_totals (const PyroCallTree *b, const PyroCallTree *a);

G_END_DECLS
