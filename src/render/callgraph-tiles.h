/* callgraph-tiles.h — a cache of painted tiles of a call graph at one zoom,
 * so panning a big graph costs copying pixels, not stroking every edge.
 *
 * Tiles are painted by a PyroCallGraphPainter the first time they come into
 * view and kept (the least recently used dropped past a memory budget)
 * until the zoom changes or the caller clears them because what they show
 * changed: the layout, the colours or the selected function.
 */
#pragma once

#include <cairo.h>
#include "callgraph-layout.h"
#include "callgraph-painter.h"

G_BEGIN_DECLS

typedef struct _PyroCallGraphTiles PyroCallGraphTiles;

PyroCallGraphTiles *pyro_callgraph_tiles_new (void);
void                pyro_callgraph_tiles_free (PyroCallGraphTiles *self);
void                pyro_callgraph_tiles_clear (PyroCallGraphTiles *self);

/* Paints the part of @layout that falls in (0, 0, @width, @height) of
 * @cr's user space, the layout scaled by @zoom with its origin at
 * (@offset_x, @offset_y), rounded to whole pixels.  Tiles match the device
 * scale of @cr's target. */
void pyro_callgraph_tiles_paint (PyroCallGraphTiles *self, cairo_t *cr, PyroCallGraphPainter *painter,
                                 const PyroCallGraphLayout *layout, double zoom,
                                 double offset_x, double offset_y, int width, int height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCallGraphTiles, pyro_callgraph_tiles_free)

G_END_DECLS
