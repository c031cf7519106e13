/* callgraph-style.h — what a call graph node and edge say and how they are
 * coloured, shared by the painter and the .dot writer so both carry the same
 * labels and colours.
 *
 * Colour follows gprof2dot's temperature scale: a node's total share of the
 * profile (an edge's weight share) goes from dark blue (0 %) through cyan,
 * green and yellow to red (100 %).  The colour-blind-safe alternative is
 * viridis, whose lightness rises steadily with the share.
 */
#pragma once

#include <glib.h>
#include "core/call-graph.h"
#include "palette.h"

G_BEGIN_DECLS

typedef enum {
  PYRO_CALLGRAPH_COLORS_TEMPERATURE,
  PYRO_CALLGRAPH_COLORS_VIRIDIS,
} PyroCallGraphColors;

/* Colour of a share (0 … 1, clamped) on @scheme. */
PyroRgb pyro_callgraph_color (PyroCallGraphColors scheme, double share);
/* "#rrggbb" of the same colour; caller frees. */
char   *pyro_callgraph_color_hex (PyroRgb color);

/* Share of the graph's grand total, 0 when the total is 0. */
double pyro_callgraph_share (const PyroCallGraph *graph, double weight);

/* The lines of a node's label: function name (shortened when very long),
 * "module:line" (omitted when unknown), "12.34% (5.67%)" as total and self
 * share, and "1,234×" when the call count is known.  Caller frees. */
GStrv pyro_callgraph_node_lines (const PyroCallGraph *graph, guint32 node);
/* An edge's label: its share, and "N×" on a second line when known. */
char *pyro_callgraph_edge_label (const PyroCallGraph *graph, guint32 edge);
/* Stroke width (px) of an edge of @share, thicker for heavier edges. */
double pyro_callgraph_edge_width (double share);

/* The module a node is grouped under ("" when unknown). */
const char *pyro_callgraph_node_module (const PyroCallGraph *graph, guint32 node);

G_END_DECLS
