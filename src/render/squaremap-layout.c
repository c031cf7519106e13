#include "squaremap-layout.h"

#include <math.h>

/* Cells below this size in either direction are not drawn. */
#define MIN_CELL 3.0
/* A label strip needs this much room below it to be worth drawing. */
#define MIN_LABEL_WIDTH 28.0

typedef struct {
  guint32 node;
  double value;   /* area units */
} Item;

static void
push_cell (PyroSquaremapLayout *self, GArray *queue, guint32 node, guint32 level,
           double x, double y, double w, double h)
{
  if (w < MIN_CELL || h < MIN_CELL)
    return;
  PyroSquareRect r = { node, level, x, y, w, h, 0 };
  if (w >= MIN_LABEL_WIDTH && h >= PYRO_SQUAREMAP_LABEL_HEIGHT + 2 * MIN_CELL)
    r.label_h = PYRO_SQUAREMAP_LABEL_HEIGHT;
  g_array_append_val (self->rects, r);
  guint idx = self->rects->len - 1;
  g_array_append_val (queue, idx);
}

/* Worst aspect ratio of a row of items summing to @sum with extremes @lo and
 * @hi, laid along a side of length @side (Bruls, Huizing, van Wijk). */
static double
worst_ratio (double sum, double lo, double hi, double side)
{
  double s2 = side * side, sum2 = sum * sum;
  return MAX (s2 * hi / sum2, sum2 / (s2 * lo));
}

/* Squarifies @items (largest first; a trailing item with node PYRO_NONE
 * stands for the parent's own time and is left empty) into the rectangle. */
static void
squarify (PyroSquaremapLayout *self, GArray *queue, const Item *items, guint n, guint32 level,
          double x, double y, double w, double h)
{
  guint i = 0;
  while (i < n && w > 0 && h > 0)
    {
      double side = MIN (w, h);
      double sum = items[i].value, lo = sum, hi = sum;
      guint end = i + 1;
      double ratio = worst_ratio (sum, lo, hi, side);
      while (end < n)
        {
          double v = items[end].value;
          double r = worst_ratio (sum + v, MIN (lo, v), MAX (hi, v), side);
          if (r > ratio)
            break;
          sum += v;
          lo = MIN (lo, v);
          hi = MAX (hi, v);
          ratio = r;
          end++;
        }
      if (end == n)
        {
          /* The last row takes what is left, absorbing rounding. */
          sum = 0;
          for (guint k = i; k < n; k++)
            sum += items[k].value;
        }
      double thickness = sum / side;
      double offset = 0;
      for (guint k = i; k < end; k++)
        {
          double len = items[k].value / thickness;
          if (items[k].node != PYRO_NONE)
            {
              if (w >= h)
                push_cell (self, queue, items[k].node, level, x, y + offset, thickness, len);
              else
                push_cell (self, queue, items[k].node, level, x + offset, y, len, thickness);
            }
          offset += len;
        }
      if (w >= h)
        {
          x += thickness;
          w -= thickness;
        }
      else
        {
          y += thickness;
          h -= thickness;
        }
      i = end;
    }
}

PyroSquaremapLayout *
pyro_squaremap_layout_new (const PyroCallTree *tree, guint32 root, double width, double height)
{
  g_return_val_if_fail (tree != NULL, NULL);

  PyroSquaremapLayout *self = g_new0 (PyroSquaremapLayout, 1);
  self->tree = tree;
  self->root = root < tree->n_nodes ? root : 0;
  self->width = MAX (width, 0);
  self->height = MAX (height, 0);
  self->rects = g_array_new (FALSE, FALSE, sizeof (PyroSquareRect));
  if (tree->total[self->root] <= 0)
    return self;

  /* Breadth first through a queue of rect indices: parents come before
   * children in rects, and deep trees need no recursion. */
  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
  push_cell (self, queue, self->root, 0, 0, 0, self->width, self->height);
  for (guint q = 0; q < queue->len; q++)
    {
      PyroSquareRect cell = g_array_index (self->rects, PyroSquareRect, g_array_index (queue, guint, q));
      double pad = PYRO_SQUAREMAP_PADDING;
      double ix = cell.x + pad, iy = cell.y + MAX (cell.label_h, pad);
      double iw = cell.w - 2 * pad, ih = cell.y + cell.h - pad - iy;
      double total = tree->total[cell.node];
      guint32 n_kids = tree->child_count[cell.node];
      if (iw < MIN_CELL || ih < MIN_CELL || n_kids == 0 || total <= 0)
        continue;

      double scale = iw * ih / total;
      const guint32 *kids = tree->children + tree->child_start[cell.node];
      g_array_set_size (items, 0);
      double kids_total = 0;
      for (guint32 k = 0; k < n_kids; k++)
        {
          /* Heaviest first: the rest would be smaller than a cell too. */
          if (tree->total[kids[k]] * scale < MIN_CELL * MIN_CELL)
            break;
          Item it = { kids[k], tree->total[kids[k]] * scale };
          g_array_append_val (items, it);
        }
      for (guint32 k = 0; k < n_kids; k++)
        kids_total += tree->total[kids[k]];
      /* What the children leave (self time and the children too small to
       * draw) stays empty, so every drawn child keeps its true share. */
      double rest = (total - kids_total) * scale;
      for (guint32 k = items->len; k < n_kids; k++)
        rest += tree->total[kids[k]] * scale;
      if (rest > 1e-9 * iw * ih)
        {
          Item it = { PYRO_NONE, rest };
          g_array_append_val (items, it);
        }
      if (items->len > 0)
        squarify (self, queue, (const Item *) items->data, items->len, cell.level + 1, ix, iy, iw, ih);
    }
  return self;
}

void
pyro_squaremap_layout_free (PyroSquaremapLayout *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->rects);
  g_free (self);
}

guint32
pyro_squaremap_layout_hit (const PyroSquaremapLayout *self, double x, double y)
{
  /* Children follow their parents, so the last cell containing the point is
   * the innermost. */
  for (guint i = self->rects->len; i > 0; i--)
    {
      const PyroSquareRect *r = &g_array_index (self->rects, PyroSquareRect, i - 1);
      if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
        return r->node;
    }
  return PYRO_NONE;
}

const PyroSquareRect *
pyro_squaremap_layout_find (const PyroSquaremapLayout *self, guint32 node)
{
  for (guint i = 0; i < self->rects->len; i++)
    if (g_array_index (self->rects, PyroSquareRect, i).node == node)
      return &g_array_index (self->rects, PyroSquareRect, i);
  return NULL;
}
