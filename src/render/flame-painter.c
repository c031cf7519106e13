#include "flame-painter.h"
#include "diff-palette.h"
#include "label-cache.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define LABEL_PADDING 4.0

struct _PyroFlamePainter {
  PyroProfile *profile;
  PyroPalette *palette;
  PyroLabelCache *labels;
  guint32 hover;
  guint8 *search;   /* one byte per func, or NULL */
  double *diff_before;  /* one weight per node, or NULL */
  guint diff_n_nodes;
  double diff_before_total;
  gboolean laser;
};

PyroFlamePainter *
pyro_flame_painter_new (PyroProfile *profile)
{
  PyroFlamePainter *self = g_new0 (PyroFlamePainter, 1);
  self->profile = pyro_profile_ref (profile);
  self->palette = pyro_palette_new (profile, PYRO_PALETTE_DEFAULT);
  self->labels = pyro_label_cache_new ();
  self->hover = PYRO_NONE;
  return self;
}

void
pyro_flame_painter_free (PyroFlamePainter *self)
{
  if (self == NULL)
    return;
  pyro_palette_free (self->palette);
  pyro_label_cache_free (self->labels);
  g_free (self->search);
  g_free (self->diff_before);
  pyro_profile_unref (self->profile);
  g_free (self);
}

void
pyro_flame_painter_set_palette_style (PyroFlamePainter *self, PyroPaletteStyle style)
{
  if (pyro_palette_get_style (self->palette) == style)
    return;
  pyro_palette_free (self->palette);
  self->palette = pyro_palette_new (self->profile, style);
}

const PyroPalette *
pyro_flame_painter_get_palette (PyroFlamePainter *self)
{
  return self->palette;
}

void
pyro_flame_painter_set_font (PyroFlamePainter *self, const PangoFontDescription *font)
{
  pyro_label_cache_set_font (self->labels, font);
}

void
pyro_flame_painter_set_hover (PyroFlamePainter *self, guint32 node)
{
  self->hover = node;
}

void
pyro_flame_painter_set_search (PyroFlamePainter *self, const guint8 *func_mask)
{
  g_clear_pointer (&self->search, g_free);
  if (func_mask != NULL)
    self->search = g_memdup2 (func_mask, MAX (pyro_profile_n_funcs (self->profile), 1));
}

void
pyro_flame_painter_set_diff (PyroFlamePainter *self, const double *before, guint n_nodes,
                             double before_total)
{
  g_clear_pointer (&self->diff_before, g_free);
  self->diff_n_nodes = 0;
  if (before == NULL || n_nodes == 0)
    return;
  self->diff_before = g_memdup2 (before, sizeof (double) * n_nodes);
  self->diff_n_nodes = n_nodes;
  self->diff_before_total = before_total;
}

void
pyro_flame_painter_set_laser (PyroFlamePainter *self, gboolean laser)
{
  self->laser = laser;
}

static inline void
set_source (cairo_t *cr, PyroRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static const PyroRgb white = { 1, 1, 1 };
static const PyroRgb dim_toward = { 0.93, 0.93, 0.92 };

void
pyro_flame_painter_paint (PyroFlamePainter *self, cairo_t *cr, const PyroFlameLayout *layout)
{
  const PyroCallTree *tree = layout->tree;
  gboolean high_contrast = pyro_palette_get_style (self->palette) == PYRO_PALETTE_HIGH_CONTRAST;
  double clip_x1, clip_y1, clip_x2, clip_y2;
  cairo_clip_extents (cr, &clip_x1, &clip_y1, &clip_x2, &clip_y2);
  double text_dy = MAX (0, (layout->row_height - 1 - pyro_label_cache_line_height (self->labels)) / 2);
  guint32 hover_func = self->hover < tree->n_nodes ? tree->func[self->hover] : PYRO_NONE;
  const PyroFlameRect *hovered = NULL;
  gboolean diff = self->diff_before != NULL && self->diff_n_nodes == tree->n_nodes;
  double after_total = tree->total[0];

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (guint i = 0; i < layout->rects->len; i++)
    {
      const PyroFlameRect *r = &g_array_index (layout->rects, PyroFlameRect, i);
      if (r->y + r->h <= clip_y1 || r->y >= clip_y2 || r->x + r->w <= clip_x1 || r->x >= clip_x2)
        continue;

      /* Whole pixels: crisp edges, and the image backend's fastest fill. */
      double x0 = floor (r->x + 0.5), x1 = floor (r->x + r->w + 0.5);
      double w = x1 - x0 >= 2 ? x1 - x0 - 1 : 1;
      double h = r->h - 1;

      guint32 func = tree->func[r->node];
      PyroRgb fill = pyro_palette_func_color (self->palette, func);
      if (diff)
        fill = pyro_diff_color (self->diff_before_total > 0 ? self->diff_before[r->node] / self->diff_before_total : 0,
                                after_total > 0 ? tree->total[r->node] / after_total : 0);
      gboolean dimmed = FALSE;
      if (self->search != NULL)
        {
          if (func != PYRO_NONE && self->search[func])
            fill = pyro_palette_search_color ();
          else
            dimmed = TRUE;
        }
      if (r->flags & PYRO_FLAME_RECT_ANCESTOR)
        fill = pyro_rgb_mix (fill, white, 0.35);
      if (dimmed)
        fill = pyro_rgb_mix (fill, dim_toward, 0.7);

      set_source (cr, fill);
      cairo_rectangle (cr, x0, r->y, w, h);
      cairo_fill (cr);

      if (r->node == self->hover)
        hovered = r;
      else if (hover_func != PYRO_NONE && func == hover_func && w >= 3)
        {
          /* Every other call of the hovered function, outlined thinly. */
          set_source (cr, high_contrast ? (PyroRgb) { 0, 0, 0 } : (PyroRgb) { 0.25, 0.25, 0.3 });
          cairo_set_line_width (cr, 1);
          if (self->laser && w >= 5)
            {
              set_source (cr, (PyroRgb) { 0.05, 0.05, 0.05 });
              cairo_set_line_width (cr, 2);
              cairo_rectangle (cr, x0 + 1, r->y + 1, w - 2, h - 2);
            }
          else
            cairo_rectangle (cr, x0 + 0.5, r->y + 0.5, w - 1, h - 1);
          cairo_stroke (cr);
        }

      double room = w - 2 * LABEL_PADDING;
      if (room > 8)
        {
          const char *name = func == PYRO_NONE ? _("all") : pyro_profile_func_name (self->profile, func);
          PyroRgb ink = pyro_palette_text_color (fill);
          if (dimmed)
            ink = pyro_rgb_mix (ink, fill, 0.45);
          set_source (cr, ink);
          pyro_label_cache_draw (self->labels, cr, name, x0 + LABEL_PADDING, r->y + text_dy, room);
        }
    }

  if (hovered != NULL)
    {
      double x0 = floor (hovered->x + 0.5), x1 = floor (hovered->x + hovered->w + 0.5);
      double w = MAX (x1 - x0 - 1, 1);
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
      if (self->laser)
        {
          /* A yellow glow and a black outline: visible from the back row on
           * frames of any colour, red ones included. */
          cairo_set_source_rgba (cr, 1, 0.85, 0, 0.75);
          cairo_set_line_width (cr, 8);
          cairo_rectangle (cr, x0 - 2, hovered->y - 2, w + 4, hovered->h + 3);
          cairo_stroke (cr);
          cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
          cairo_set_line_width (cr, 3);
          cairo_rectangle (cr, x0 + 1.5, hovered->y + 1.5, MAX (w - 3, 0), hovered->h - 4);
          cairo_stroke (cr);
        }
      else
        {
          cairo_set_source_rgb (cr, 0.08, 0.08, 0.1);
          cairo_set_line_width (cr, 2);
          cairo_rectangle (cr, x0 + 1, hovered->y + 1, MAX (w - 2, 0), hovered->h - 3);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}
