#include "callgraph-tiles.h"

#include <math.h>

#define TILE 256
/* 64 MB of tiles at device scale 1 */
#define MAX_TILES 256

typedef struct {
  cairo_surface_t *surface;
  guint64 used;
} Tile;

struct _PyroCallGraphTiles {
  GHashTable *tiles;   /* (column, row) packed in a gint64 -> Tile */
  const PyroCallGraphLayout *layout;
  double zoom;
  double device_scale;
  guint64 clock;
};

static void
tile_free (gpointer data)
{
  Tile *tile = data;
  cairo_surface_destroy (tile->surface);
  g_free (tile);
}

PyroCallGraphTiles *
pyro_callgraph_tiles_new (void)
{
  PyroCallGraphTiles *self = g_new0 (PyroCallGraphTiles, 1);
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, tile_free);
  return self;
}

void
pyro_callgraph_tiles_free (PyroCallGraphTiles *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->tiles);
  g_free (self);
}

void
pyro_callgraph_tiles_clear (PyroCallGraphTiles *self)
{
  g_hash_table_remove_all (self->tiles);
}

static void
evict_oldest (PyroCallGraphTiles *self)
{
  GHashTableIter iter;
  gpointer key, value, oldest = NULL;
  guint64 oldest_used = G_MAXUINT64;
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Tile *) value)->used < oldest_used)
      {
        oldest_used = ((Tile *) value)->used;
        oldest = key;
      }
  if (oldest != NULL)
    g_hash_table_remove (self->tiles, oldest);
}

static Tile *
render_tile (PyroCallGraphTiles *self, PyroCallGraphPainter *painter, const PyroCallGraphLayout *layout,
             gint64 column, gint64 row)
{
  int px = (int) ceil (TILE * self->device_scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  cairo_surface_set_device_scale (surface, self->device_scale, self->device_scale);
  cairo_t *cr = cairo_create (surface);
  cairo_translate (cr, -(double) column * TILE, -(double) row * TILE);
  cairo_scale (cr, self->zoom, self->zoom);
  pyro_callgraph_painter_paint (painter, cr, layout);
  cairo_destroy (cr);
  Tile *tile = g_new0 (Tile, 1);
  tile->surface = surface;
  return tile;
}

void
pyro_callgraph_tiles_paint (PyroCallGraphTiles *self, cairo_t *cr, PyroCallGraphPainter *painter,
                            const PyroCallGraphLayout *layout, double zoom, double offset_x,
                            double offset_y, int width, int height)
{
  double sx = 1, sy = 1;
  cairo_surface_get_device_scale (cairo_get_target (cr), &sx, &sy);
  if (layout != self->layout || zoom != self->zoom || sx != self->device_scale)
    {
      pyro_callgraph_tiles_clear (self);
      self->layout = layout;
      self->zoom = zoom;
      self->device_scale = sx;
    }
  double ox = round (offset_x), oy = round (offset_y);
  double right = MIN (width - ox, layout->width * zoom);
  double bottom = MIN (height - oy, layout->height * zoom);
  gint64 c0 = (gint64) floor (MAX (0, -ox) / TILE), c1 = (gint64) floor ((right - 1) / TILE);
  gint64 r0 = (gint64) floor (MAX (0, -oy) / TILE), r1 = (gint64) floor ((bottom - 1) / TILE);

  self->clock++;
  for (gint64 row = r0; row <= r1; row++)
    for (gint64 column = c0; column <= c1; column++)
      {
        gint64 key = (row << 32) | (column & 0xffffffff);
        Tile *tile = g_hash_table_lookup (self->tiles, &key);
        if (tile == NULL)
          {
            if (g_hash_table_size (self->tiles) >= MAX_TILES)
              evict_oldest (self);
            tile = render_tile (self, painter, layout, column, row);
            g_hash_table_insert (self->tiles, g_memdup2 (&key, sizeof key), tile);
          }
        tile->used = self->clock;
        double x = ox + (double) column * TILE, y = oy + (double) row * TILE;
        cairo_set_source_surface (cr, tile->surface, x, y);
        cairo_rectangle (cr, x, y, TILE, TILE);
        cairo_fill (cr);
      }
}
