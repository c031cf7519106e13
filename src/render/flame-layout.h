/* flame-layout.h — where each frame of a flame graph or icicle chart goes.
 *
 * Pure geometry, no drawing: given a call tree, the node that fills the width
 * (the zoom) and a viewport, it lists the rectangles to draw.  Rows are tree
 * depths: the root ("all") is row 0, at the bottom of a flame graph or the
 * top of an icicle chart.  Ancestors of the zoom node are drawn as
 * full-width rows, so the path to it stays visible and clickable.  A frame
 * narrower than one pixel is skipped with everything above it.
 *
 * Coordinates are content coordinates in logical pixels: x from 0 to the
 * viewport width, y from 0 to content_height, which is the viewport height or
 * more when the tree is deeper than the viewport (scroll to see the rest).
 */
#pragma once

#include <glib.h>
#include "core/call-tree.h"

G_BEGIN_DECLS

typedef enum {
  PYRO_FLAME_ORIENTATION_FLAME,   /* root at the bottom */
  PYRO_FLAME_ORIENTATION_ICICLE,  /* root at the top */
} PyroFlameOrientation;

typedef enum {
  PYRO_FLAME_RECT_ANCESTOR = 1 << 0,  /* an ancestor of the zoom node */
  PYRO_FLAME_RECT_ZOOM     = 1 << 1,  /* the zoom node itself */
} PyroFlameRectFlags;

typedef struct {
  guint32 node;     /* call tree node */
  guint32 flags;    /* PyroFlameRectFlags */
  double x, y, w, h;
} PyroFlameRect;

typedef struct {
  const PyroCallTree *tree;   /* borrowed: must outlive the layout */
  guint32 zoom;
  PyroFlameOrientation orientation;
  double width;
  double row_height;
  double content_height;      /* MAX (viewport height, rows * row_height) */
  guint n_rows;               /* deepest drawn row + 1 */
  GArray *rects;              /* PyroFlameRect, parents before children */
} PyroFlameLayout;

#define PYRO_FLAME_ROW_HEIGHT 18.0

/* Lays out @tree zoomed on @zoom (0 = root) in a @width x @height viewport.
 * Caller owns the result. */
PyroFlameLayout *pyro_flame_layout_new (const PyroCallTree *tree, guint32 zoom,
                                        PyroFlameOrientation orientation,
                                        double width, double height, double row_height);
void             pyro_flame_layout_free (PyroFlameLayout *self);

/* The node drawn at (@x, @y) in content coordinates, or PYRO_NONE. */
guint32 pyro_flame_layout_hit (const PyroFlameLayout *self, double x, double y);
/* The rectangle of @node, or NULL when it is not drawn. */
const PyroFlameRect *pyro_flame_layout_find (const PyroFlameLayout *self, guint32 node);

/* A mask of the functions whose name or file contains @needle (ASCII
 * case-insensitive): g_malloc'd, one byte per function of @profile, or NULL
 * when @needle is empty. */
guint8 *pyro_flame_match_funcs (const PyroProfile *profile, const char *needle);
/* Weight of the samples under @root that pass through a function in
 * @func_mask, each counted once (outermost matches only).  The matched share
 * is this divided by tree->total[root]. */
double  pyro_flame_matched_weight (const PyroCallTree *tree, guint32 root,
                                   const guint8 *func_mask);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroFlameLayout, pyro_flame_layout_free)

G_END_DECLS
