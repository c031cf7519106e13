/* function-table.h — self and total weight per function, and the callers
 * and callees of one function, derived from a top-down call tree.
 *
 * Total counts a function once per sample even when it recurses.
 */
#pragma once

#include "call-tree.h"

G_BEGIN_DECLS

typedef struct {
  guint32 func;
  double self;
  double total;
  double calls;   /* exact call count, or -1 when the trace has none */
} PyroFunctionRow;

typedef struct {
  PyroProfile *profile;   /* owned reference */
  double grand_total;     /* root total of the tree */
  GArray *rows;           /* PyroFunctionRow, functions with total > 0, self descending */
} PyroFunctionTable;

/* @tree must be a top-down tree. Caller owns the result. */
PyroFunctionTable *pyro_function_table_new (const PyroCallTree *tree);
/* The exact table of a deterministic profile (has_call_stats): self = own
 * time, total = cumulative time, calls = total calls. */
PyroFunctionTable *pyro_function_table_new_exact (PyroProfile *profile);
/* The table `report` shows: exact for deterministic profiles, else from the
 * whole profile's top-down tree. */
PyroFunctionTable *pyro_function_table_new_for_profile (PyroProfile *profile);
void               pyro_function_table_free (PyroFunctionTable *self);
/* Row of @func, or NULL. */
const PyroFunctionRow *pyro_function_table_lookup (const PyroFunctionTable *self, guint32 func);

typedef struct {
  guint32 func;
  double weight;     /* weight of samples where this edge was on the stack */
} PyroNeighbour;

/* Callers and callees of @func in a top-down @tree; arrays of PyroNeighbour,
 * heaviest first.  Caller owns both arrays. */
void pyro_function_neighbours (const PyroCallTree *tree, guint32 func,
                               GArray **callers, GArray **callees);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroFunctionTable, pyro_function_table_free)

G_END_DECLS
