/* callgraph-dot.h — a pruned call graph as a Graphviz .dot document, with
 * the labels and colours the painter draws, for people who lay it out with
 * `dot` themselves (as gprof2dot's output is used). */
#pragma once

#include <gio/gio.h>
#include "core/call-graph.h"
#include "callgraph-style.h"

G_BEGIN_DECLS

/* The .dot text of @subset; caller frees. */
char *pyro_callgraph_dot_new (const PyroCallGraph *graph, const PyroCallGraphSubset *subset,
                              PyroCallGraphColors colors, gboolean group_by_module);

G_END_DECLS
