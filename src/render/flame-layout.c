#include "flame-layout.h"

#include <math.h>
#include <string.h>

/* Until the number of rows is known, rects carry their row in y. */
static void
push_rect (GArray *rects, guint32 node, guint32 flags, double x, double w, guint32 row)
{
  PyroFlameRect r = { node, flags, x, row, w, 0 };
  g_array_append_val (rects, r);
}

typedef struct {
  guint32 node;
  double x;
} Pending;

PyroFlameLayout *
pyro_flame_layout_new (const PyroCallTree *tree, guint32 zoom, PyroFlameOrientation orientation,
                       double width, double height, double row_height)
{
  g_return_val_if_fail (tree != NULL, NULL);
  g_return_val_if_fail (row_height > 0, NULL);

  PyroFlameLayout *self = g_new0 (PyroFlameLayout, 1);
  self->tree = tree;
  self->zoom = zoom < tree->n_nodes ? zoom : 0;
  self->orientation = orientation;
  self->width = MAX (width, 0);
  self->row_height = row_height;
  self->rects = g_array_new (FALSE, FALSE, sizeof (PyroFlameRect));
  zoom = self->zoom;

  guint32 max_row = tree->depth[zoom];
  /* Ancestors as full-width rows, root first. */
  g_array_set_size (self->rects, tree->depth[zoom]);
  for (guint32 a = tree->parent[zoom]; a != PYRO_NONE; a = tree->parent[a])
    g_array_index (self->rects, PyroFlameRect, tree->depth[a])
      = (PyroFlameRect) { a, PYRO_FLAME_RECT_ANCESTOR, 0, tree->depth[a], self->width, 0 };

  double zoom_total = tree->total[zoom];
  if (self->width >= 1 && zoom_total > 0)
    {
      double scale = self->width / zoom_total;
      push_rect (self->rects, zoom, PYRO_FLAME_RECT_ZOOM, 0, self->width, tree->depth[zoom]);

      g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (Pending));
      Pending first = { zoom, 0 };
      g_array_append_val (stack, first);
      while (stack->len > 0)
        {
          Pending p = g_array_index (stack, Pending, stack->len - 1);
          g_array_set_size (stack, stack->len - 1);

          const guint32 *kids = tree->children + tree->child_start[p.node];
          guint32 n_kids = tree->child_count[p.node];
          guint base = self->rects->len;
          double x = p.x;
          for (guint32 k = 0; k < n_kids; k++)
            {
              guint32 c = kids[k];
              double w = tree->total[c] * scale;
              /* Children are heaviest first: once one is under a pixel, so
               * are the rest. */
              if (w < 1)
                break;
              push_rect (self->rects, c, 0, x, w, tree->depth[c]);
              max_row = MAX (max_row, tree->depth[c]);
              x += w;
            }
          /* Pushed right to left so siblings are visited left to right. */
          for (guint i = self->rects->len; i > base; i--)
            {
              const PyroFlameRect *r = &g_array_index (self->rects, PyroFlameRect, i - 1);
              Pending next = { r->node, r->x };
              g_array_append_val (stack, next);
            }
        }
    }

  self->n_rows = self->rects->len > 0 ? max_row + 1 : 0;
  self->content_height = MAX (height, self->n_rows * row_height);
  for (guint i = 0; i < self->rects->len; i++)
    {
      PyroFlameRect *r = &g_array_index (self->rects, PyroFlameRect, i);
      double row = r->y;
      r->h = row_height;
      r->y = orientation == PYRO_FLAME_ORIENTATION_ICICLE ? row * row_height
                                                          : self->content_height - (row + 1) * row_height;
    }
  return self;
}

void
pyro_flame_layout_free (PyroFlameLayout *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->rects);
  g_free (self);
}

/* Walks from the zoom node down to @row with the same arithmetic as the
 * layout, so a hit lands on exactly the frame that was drawn. */
guint32
pyro_flame_layout_hit (const PyroFlameLayout *self, double x, double y)
{
  const PyroCallTree *tree = self->tree;
  if (self->rects->len == 0 || x < 0 || x >= self->width || y < 0 || y >= self->content_height)
    return PYRO_NONE;

  /* Rows are half-open, [top, top + row_height): counted from the bottom
   * in a flame graph, a row's top edge belongs to it. */
  double row_f = self->orientation == PYRO_FLAME_ORIENTATION_ICICLE
                   ? floor (y / self->row_height)
                   : ceil ((self->content_height - y) / self->row_height) - 1;
  if (row_f < 0)
    return PYRO_NONE;
  guint32 row = (guint32) row_f;
  guint32 zoom_row = tree->depth[self->zoom];

  guint32 node = self->zoom;
  if (row <= zoom_row)
    {
      while (tree->depth[node] > row)
        node = tree->parent[node];
      return node;
    }

  double zoom_total = tree->total[self->zoom];
  if (zoom_total <= 0)
    return PYRO_NONE;
  double scale = self->width / zoom_total;
  double node_x = 0;
  for (guint32 depth = zoom_row; depth < row; depth++)
    {
      const guint32 *kids = tree->children + tree->child_start[node];
      guint32 n_kids = tree->child_count[node];
      guint32 found = PYRO_NONE;
      double cx = node_x;
      for (guint32 k = 0; k < n_kids; k++)
        {
          double w = tree->total[kids[k]] * scale;
          if (w < 1 || cx > x)
            break;
          if (x < cx + w)
            {
              found = kids[k];
              break;
            }
          cx += w;
        }
      if (found == PYRO_NONE)
        return PYRO_NONE;
      node = found;
      node_x = cx;
    }
  return node;
}

const PyroFlameRect *
pyro_flame_layout_find (const PyroFlameLayout *self, guint32 node)
{
  for (guint i = 0; i < self->rects->len; i++)
    if (g_array_index (self->rects, PyroFlameRect, i).node == node)
      return &g_array_index (self->rects, PyroFlameRect, i);
  return NULL;
}

static gboolean
contains_ascii_nocase (const char *haystack, const char *needle, gsize needle_len)
{
  for (const char *h = haystack; *h; h++)
    if (g_ascii_strncasecmp (h, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

guint8 *
pyro_flame_match_funcs (const PyroProfile *profile, const char *needle)
{
  if (needle == NULL || *needle == '\0')
    return NULL;
  gsize len = strlen (needle);
  guint n = pyro_profile_n_funcs (profile);
  guint8 *mask = g_malloc0 (MAX (n, 1));
  for (guint32 f = 0; f < n; f++)
    mask[f] = contains_ascii_nocase (pyro_profile_func_name (profile, f), needle, len)
              || contains_ascii_nocase (pyro_profile_func_file (profile, f), needle, len);
  return mask;
}

double
pyro_flame_matched_weight (const PyroCallTree *tree, guint32 root, const guint8 *func_mask)
{
  if (func_mask == NULL || root >= tree->n_nodes)
    return 0;
  double matched = 0;
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (stack, root);
  while (stack->len > 0)
    {
      guint32 node = g_array_index (stack, guint32, stack->len - 1);
      g_array_set_size (stack, stack->len - 1);
      if (tree->func[node] != PYRO_NONE && func_mask[tree->func[node]])
        {
          matched += tree->total[node];
          continue;
        }
      g_array_append_vals (stack, tree->children + tree->child_start[node], tree->child_count[node]);
    }
  return matched;
}
