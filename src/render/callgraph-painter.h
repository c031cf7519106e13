/* callgraph-painter.h — paints a PyroCallGraphLayout with Cairo.
 *
 * The same painter serves the window and the exporter: clusters (module
 * boxes), then edges with their arrows and labels, then the nodes with
 * their label lines.  It skips what lies outside the clip, drops text when
 * it would be unreadably small, and keeps shaped labels between frames, so
 * keep one painter per view and repaint with it.  It paints no background.
 */
#pragma once

#include <cairo.h>
#include "callgraph-layout.h"
#include "callgraph-style.h"

G_BEGIN_DECLS

typedef struct _PyroCallGraphPainter PyroCallGraphPainter;

/* @font: the font the layout was measured with; NULL = "Sans 9". */
PyroCallGraphPainter *pyro_callgraph_painter_new (const char *font);
void                  pyro_callgraph_painter_free (PyroCallGraphPainter *self);

void pyro_callgraph_painter_set_colors (PyroCallGraphPainter *self, PyroCallGraphColors colors);
/* The box under the pointer (PYRO_NONE for none): its edges are drawn on
 * top and thicker, the others faded. */
void pyro_callgraph_painter_set_hover (PyroCallGraphPainter *self, guint32 box);
/* The selected function (PYRO_NONE for none), outlined. */
void pyro_callgraph_painter_set_selected (PyroCallGraphPainter *self, guint32 func);

void pyro_callgraph_painter_paint (PyroCallGraphPainter *self, cairo_t *cr,
                                   const PyroCallGraphLayout *layout);
/* Paints only box @box and its edges, emphasised, over a graph painted
 * without hover (for example from tiles). */
void pyro_callgraph_painter_paint_hover (PyroCallGraphPainter *self, cairo_t *cr,
                                         const PyroCallGraphLayout *layout, guint32 box);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCallGraphPainter, pyro_callgraph_painter_free)

G_END_DECLS
