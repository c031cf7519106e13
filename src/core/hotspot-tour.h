/* hotspot-tour.h — the steps of a guided walk through the hottest functions
 * of a selection, ranked by self cost (ties by total), each with a caption a
 * class can read: "fib — 62% of the time, 1,973 calls, called from main
 * (hot.py:12); its hottest line is 3". */
#pragma once

#include "call-tree.h"

G_BEGIN_DECLS

typedef struct {
  guint32 func;
  double self;            /* in the profile's unit */
  double total;
  double self_pct;        /* of the selection's total */
  double total_pct;
  double calls;           /* exact call count, or -1 when the trace has none */
  guint32 caller;         /* heaviest caller, or PYRO_NONE */
  guint32 call_line;      /* line of the caller that calls it, 0 when unknown */
  guint32 hottest_line;   /* line of the function with the most self cost, 0 when unknown */
  guint32 node;           /* heaviest node of the function in the tree, for zooming */
  char *caption;          /* owned */
} PyroTourStep;

/* Up to @n_steps steps for @tree (a top-down tree of @tree->profile);
 * an array of PyroTourStep that frees its captions.  Caller owns it. */
GArray *pyro_hotspot_tour_new (const PyroCallTree *tree, guint n_steps);

G_END_DECLS
