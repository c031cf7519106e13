/* callgraph-view.h — the call graph of a document in the style of gprof2dot
 * and PyCallGraph: boxes and arrows coloured by heat, laid out by Graphviz's
 * dot in a worker thread and painted by src/render's call graph painter.
 *
 * Drag pans, scroll and pinch zoom, Ctrl+0 fits the graph; hover highlights
 * a node's edges; click selects the function in every view; double-click
 * shows only that function's callers and callees to a chosen depth (Escape
 * shows everything again).  A slider hides nodes under a share of the total
 * before layout, so graphs of thousands of functions stay usable.
 */
#pragma once

#include <gtk/gtk.h>
#include "document.h"
#include "render/callgraph-layout.h"

G_BEGIN_DECLS

#define PYRO_TYPE_CALLGRAPH_VIEW (pyro_callgraph_view_get_type ())
G_DECLARE_FINAL_TYPE (PyroCallGraphView, pyro_callgraph_view, PYRO, CALLGRAPH_VIEW, GtkWidget)

GtkWidget *pyro_callgraph_view_new (void);
void       pyro_callgraph_view_set_document (PyroCallGraphView *self, PyroDocument *document);

/* Nodes under this share of the total are hidden (default 0.005), edges
 * under a fifth of it. */
void       pyro_callgraph_view_set_threshold (PyroCallGraphView *self, double fraction);
double     pyro_callgraph_view_get_threshold (PyroCallGraphView *self);
/* Shows only @func's callers and callees up to the focus depth;
 * PYRO_NONE shows the whole graph again. */
void       pyro_callgraph_view_set_focus (PyroCallGraphView *self, guint32 func);
guint32    pyro_callgraph_view_get_focus (PyroCallGraphView *self);
void       pyro_callgraph_view_set_focus_depth (PyroCallGraphView *self, guint depth);
void       pyro_callgraph_view_set_group_by_module (PyroCallGraphView *self, gboolean group);
void       pyro_callgraph_view_set_colorblind (PyroCallGraphView *self, gboolean colorblind);
/* Zooms so the whole graph fits the view (Ctrl+0). */
void       pyro_callgraph_view_fit (PyroCallGraphView *self);

/* TRUE while a graph is being built or laid out (the "busy" property). */
gboolean   pyro_callgraph_view_get_busy (PyroCallGraphView *self);
/* The current layout, or NULL (for tests). */
const PyroCallGraphLayout *pyro_callgraph_view_get_layout (PyroCallGraphView *self);
/* Where the centre of layout box @box is in the canvas's coordinates;
 * FALSE when there is no such box.  The canvas is the widget that takes
 * the pointer (for tests). */
gboolean   pyro_callgraph_view_box_position (PyroCallGraphView *self, guint32 box,
                                             double *x, double *y);
GtkWidget *pyro_callgraph_view_get_canvas (PyroCallGraphView *self);

G_END_DECLS
