/* callgraph-layout.h — positions of a pruned call graph, computed by
 * Graphviz's `dot` (libgvc, top to bottom) and read back for our own painter.
 *
 * Node boxes are sized from their measured labels and handed to dot with a
 * fixed size; dot places them and routes the edges as cubic Béziers.  Edge
 * labels are placed beside the middle of their curve rather than by dot,
 * whose label nodes make the layout of big graphs many times slower.
 * Coordinates are pixels, y pointing down, (0, 0) at the top-left corner of
 * the drawing.  A layout copies every text and share it paints, so it
 * outlives the graph it came from.  Safe to call from any thread: Graphviz
 * is not re-entrant, so layouts run one at a time.
 */
#pragma once

#include <gio/gio.h>
#include "core/call-graph.h"

G_BEGIN_DECLS

#define PYRO_CALLGRAPH_ERROR (pyro_callgraph_error_quark ())
GQuark pyro_callgraph_error_quark (void);

typedef enum {
  PYRO_CALLGRAPH_ERROR_LAYOUT,
} PyroCallGraphError;

typedef struct {
  guint32 node;          /* graph node index */
  guint32 func;
  double x, y;           /* top-left */
  double width, height;
  double share;          /* total share: the fill colour */
  GStrv lines;           /* label lines, see pyro_callgraph_node_lines() */
} PyroCallGraphBox;

typedef struct {
  guint32 edge;          /* graph edge index */
  guint32 from, to;      /* box indices */
  double share;          /* weight share: colour and width */
  double *points;        /* x, y pairs: start, then 3 per cubic segment */
  guint n_points;
  gboolean has_arrow;    /* arrow from the last point to the tip */
  double tip_x, tip_y;
  double label_x, label_y; /* top-left of the label */
  double label_width, label_height;
  char *label;
} PyroCallGraphWire;

typedef struct {
  char *name;            /* module */
  double x, y, width, height;
} PyroCallGraphCluster;

typedef struct {
  double width, height;  /* the drawing, margins included */
  GArray *boxes;         /* PyroCallGraphBox */
  GArray *wires;         /* PyroCallGraphWire */
  GArray *clusters;      /* PyroCallGraphCluster, drawn under the rest */
  guint n_hidden_nodes;  /* from the subset, for legends */
  gboolean exact;
} PyroCallGraphLayout;

typedef struct {
  const char *font;      /* Pango font description; NULL = "Sans 9" */
  gboolean group_by_module;
} PyroCallGraphLayoutOptions;

/* Lays out the nodes and edges of @subset.  Returns NULL with @error set
 * when Graphviz's dot layout cannot run.  Caller owns the result. */
PyroCallGraphLayout *pyro_callgraph_layout_new (const PyroCallGraph *graph,
                                                const PyroCallGraphSubset *subset,
                                                const PyroCallGraphLayoutOptions *options,
                                                GError **error);
void pyro_callgraph_layout_free (PyroCallGraphLayout *self);

/* Index of the box containing (@x, @y), or PYRO_NONE. */
guint32 pyro_callgraph_layout_box_at (const PyroCallGraphLayout *self, double x, double y);
/* Index of the box of @func, or PYRO_NONE. */
guint32 pyro_callgraph_layout_find_func (const PyroCallGraphLayout *self, guint32 func);

/* Serialises Graphviz use across threads (layout and the .dot writer). */
void pyro_callgraph_graphviz_lock (void);
void pyro_callgraph_graphviz_unlock (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCallGraphLayout, pyro_callgraph_layout_free)

G_END_DECLS
