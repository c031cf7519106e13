/* squaremap-layout.h — RunSnakeRun's squaremap of a call tree.
 *
 * A squarified treemap: each node is a cell whose area is its total, its
 * children (largest first) fill the cell below a label strip, inset by a
 * padding, in rows laid along the shorter side so cells stay close to square.
 * Children share their parent's inner area in proportion to their totals;
 * what they leave empty is the parent's self time.  Cells smaller than a few
 * pixels are skipped with everything inside them.  Pure geometry, no drawing.
 */
#pragma once

#include <glib.h>
#include "core/call-tree.h"

G_BEGIN_DECLS

typedef struct {
  guint32 node;       /* call tree node */
  guint32 level;      /* 0 for the root cell, +1 per nesting */
  double x, y, w, h;
  double label_h;     /* height of the label strip at the top, 0 if none */
} PyroSquareRect;

typedef struct {
  const PyroCallTree *tree;   /* borrowed: must outlive the layout */
  guint32 root;               /* the node filling the viewport */
  double width, height;
  GArray *rects;              /* PyroSquareRect, parents before children */
} PyroSquaremapLayout;

#define PYRO_SQUAREMAP_LABEL_HEIGHT 16.0
#define PYRO_SQUAREMAP_PADDING 2.0

/* Lays out the subtree of @root (0 = whole tree) in @width x @height.
 * Caller owns the result. */
PyroSquaremapLayout *pyro_squaremap_layout_new (const PyroCallTree *tree, guint32 root,
                                                double width, double height);
void                 pyro_squaremap_layout_free (PyroSquaremapLayout *self);

/* The innermost node whose cell contains (@x, @y), or PYRO_NONE. */
guint32 pyro_squaremap_layout_hit (const PyroSquaremapLayout *self, double x, double y);
/* The cell of @node, or NULL when it is not drawn. */
const PyroSquareRect *pyro_squaremap_layout_find (const PyroSquaremapLayout *self, guint32 node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSquaremapLayout, pyro_squaremap_layout_free)

G_END_DECLS
