#include "squaremap-painter.h"
#include "label-cache.h"
#include "weight-format.h"

#include <glib/gi18n.h>
#include <string.h>

struct _PyroSquaremapPainter {
  PyroProfile *profile;
  PyroPalette *palette;
  PyroLabelCache *labels;
  guint32 hover;
  guint8 *search;
};

PyroSquaremapPainter *
pyro_squaremap_painter_new (PyroProfile *profile)
{
  PyroSquaremapPainter *self = g_new0 (PyroSquaremapPainter, 1);
  self->profile = pyro_profile_ref (profile);
  self->palette = pyro_palette_new (profile, PYRO_PALETTE_DEFAULT);
  self->labels = pyro_label_cache_new ();
  self->hover = PYRO_NONE;
  return self;
}

void
pyro_squaremap_painter_free (PyroSquaremapPainter *self)
{
  if (self == NULL)
    return;
  pyro_palette_free (self->palette);
  pyro_label_cache_free (self->labels);
  g_free (self->search);
  pyro_profile_unref (self->profile);
  g_free (self);
}

void
pyro_squaremap_painter_set_palette_style (PyroSquaremapPainter *self, PyroPaletteStyle style)
{
  if (pyro_palette_get_style (self->palette) == style)
    return;
  pyro_palette_free (self->palette);
  self->palette = pyro_palette_new (self->profile, style);
}

void
pyro_squaremap_painter_set_font (PyroSquaremapPainter *self, const PangoFontDescription *font)
{
  pyro_label_cache_set_font (self->labels, font);
}

void
pyro_squaremap_painter_set_hover (PyroSquaremapPainter *self, guint32 node)
{
  self->hover = node;
}

void
pyro_squaremap_painter_set_search (PyroSquaremapPainter *self, const guint8 *func_mask)
{
  g_clear_pointer (&self->search, g_free);
  if (func_mask != NULL)
    self->search = g_memdup2 (func_mask, MAX (pyro_profile_n_funcs (self->profile), 1));
}

/* "name  file.py:12  1.234 s": the file's base name keeps the strip short;
 * the full path is in the tooltip and the source view. */
static char *
cell_label (PyroSquaremapPainter *self, const PyroCallTree *tree, guint32 node)
{
  guint32 func = tree->func[node];
  g_autofree char *weight = pyro_format_weight (self->profile->meta.unit, tree->total[node]);
  if (func == PYRO_NONE)
    return g_strdup_printf ("%s  %s", _("all"), weight);

  GString *s = g_string_new (pyro_profile_func_name (self->profile, func));
  const char *file = pyro_profile_func_file (self->profile, func);
  if (*file != '\0')
    {
      const char *slash = strrchr (file, '/');
      g_string_append_printf (s, "  %s", slash != NULL && slash[1] != '\0' ? slash + 1 : file);
      guint32 line = pyro_profile_func_line (self->profile, func);
      if (line > 0)
        g_string_append_printf (s, ":%u", line);
    }
  g_string_append_printf (s, "  %s", weight);
  return g_string_free (s, FALSE);
}

static inline void
set_source (cairo_t *cr, PyroRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

void
pyro_squaremap_painter_paint (PyroSquaremapPainter *self, cairo_t *cr, const PyroSquaremapLayout *layout)
{
  const PyroCallTree *tree = layout->tree;
  const PyroRgb black = { 0, 0, 0 }, dim_toward = { 0.93, 0.93, 0.92 };
  double clip_x1, clip_y1, clip_x2, clip_y2;
  cairo_clip_extents (cr, &clip_x1, &clip_y1, &clip_x2, &clip_y2);
  double line_h = pyro_label_cache_line_height (self->labels);
  const PyroSquareRect *hovered = NULL;

  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < layout->rects->len; i++)
    {
      const PyroSquareRect *r = &g_array_index (layout->rects, PyroSquareRect, i);
      if (r->y + r->h <= clip_y1 || r->y >= clip_y2 || r->x + r->w <= clip_x1 || r->x >= clip_x2)
        continue;

      guint32 func = tree->func[r->node];
      PyroRgb fill = pyro_palette_func_color (self->palette, func);
      gboolean dimmed = FALSE;
      if (self->search != NULL)
        {
          if (func != PYRO_NONE && self->search[func])
            fill = pyro_palette_search_color ();
          else
            dimmed = TRUE;
        }
      if (dimmed)
        fill = pyro_rgb_mix (fill, dim_toward, 0.7);

      set_source (cr, fill);
      cairo_rectangle (cr, r->x, r->y, r->w, r->h);
      cairo_fill_preserve (cr);
      set_source (cr, pyro_rgb_mix (fill, black, 0.35));
      cairo_new_path (cr);
      cairo_rectangle (cr, r->x + 0.5, r->y + 0.5, r->w - 1, r->h - 1);
      cairo_stroke (cr);

      if (r->node == self->hover)
        hovered = r;

      if (r->label_h > 0)
        {
          g_autofree char *label = cell_label (self, tree, r->node);
          PyroRgb ink = pyro_palette_text_color (fill);
          if (dimmed)
            ink = pyro_rgb_mix (ink, fill, 0.45);
          set_source (cr, ink);
          cairo_save (cr);
          cairo_rectangle (cr, r->x, r->y, r->w, r->label_h);
          cairo_clip (cr);
          pyro_label_cache_draw (self->labels, cr, label, r->x + 4,
                                 r->y + MAX (0, (r->label_h - line_h) / 2), r->w - 8);
          cairo_restore (cr);
        }
    }

  if (hovered != NULL)
    {
      cairo_set_source_rgb (cr, 0.08, 0.08, 0.1);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, hovered->x + 1, hovered->y + 1, MAX (hovered->w - 2, 0), MAX (hovered->h - 2, 0));
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}
