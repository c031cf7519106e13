#include "label-cache.h"

#include <pango/pangocairo.h>
#include <string.h>

#define ELLIPSIS "\u2026"
/* Bounds the memory of a long session of zooming around a huge profile. */
#define MAX_ENTRIES 40000

typedef struct {
  PangoLayout *full;
  double full_width;
  GHashTable *elided;   /* byte length of the kept prefix -> PangoLayout */
} Entry;

struct _PyroLabelCache {
  PangoContext *context;
  PangoFontDescription *font;
  GHashTable *entries;  /* text -> Entry */
  double line_height;
  double ellipsis_width;
};

static void
entry_free (gpointer data)
{
  Entry *e = data;
  g_object_unref (e->full);
  g_clear_pointer (&e->elided, g_hash_table_unref);
  g_free (e);
}

static PangoLayout *
make_layout (PyroLabelCache *self, const char *text, int length)
{
  PangoLayout *layout = pango_layout_new (self->context);
  pango_layout_set_font_description (layout, self->font);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_text (layout, text, length);
  return layout;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

PyroLabelCache *
pyro_label_cache_new (void)
{
  PyroLabelCache *self = g_new0 (PyroLabelCache, 1);
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  /* Unhinted metrics: the same label has the same width on screen, in PNG,
   * SVG and PDF, so elision does not depend on the output. */
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  pyro_label_cache_set_font (self, NULL);
  return self;
}

void
pyro_label_cache_free (PyroLabelCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  pango_font_description_free (self->font);
  g_object_unref (self->context);
  g_free (self);
}

void
pyro_label_cache_set_font (PyroLabelCache *self, const PangoFontDescription *font)
{
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = font != NULL ? pango_font_description_copy (font) : pango_font_description_from_string ("Sans 9");
  g_hash_table_remove_all (self->entries);

  g_autoptr (PangoLayout) probe = make_layout (self, ELLIPSIS, -1);
  PangoRectangle logical;
  pango_layout_get_extents (probe, NULL, &logical);
  self->line_height = (double) logical.height / PANGO_SCALE;
  self->ellipsis_width = (double) logical.width / PANGO_SCALE;
}

double
pyro_label_cache_line_height (PyroLabelCache *self)
{
  return self->line_height;
}

static Entry *
lookup (PyroLabelCache *self, const char *text)
{
  Entry *e = g_hash_table_lookup (self->entries, text);
  if (e != NULL)
    return e;
  if (g_hash_table_size (self->entries) >= MAX_ENTRIES)
    g_hash_table_remove_all (self->entries);
  e = g_new0 (Entry, 1);
  e->full = make_layout (self, text, -1);
  e->full_width = layout_width (e->full);
  g_hash_table_insert (self->entries, g_strdup (text), e);
  return e;
}

/* The longest prefix of @e's text (in bytes, on a character boundary) whose
 * width plus an ellipsis fits in @max_width. */
static int
fitting_prefix (PyroLabelCache *self, Entry *e, double max_width)
{
  double room = max_width - self->ellipsis_width;
  if (room <= 0)
    return 0;
  int index, trailing;
  pango_layout_xy_to_index (e->full, (int) (room * PANGO_SCALE), 0, &index, &trailing);
  /* xy_to_index names the character under the point; it only fits when its
   * right edge does too. */
  PangoRectangle pos;
  pango_layout_index_to_pos (e->full, index, &pos);
  if ((double) (pos.x + pos.width) / PANGO_SCALE <= room)
    {
      const char *text = pango_layout_get_text (e->full);
      index = (int) (g_utf8_next_char (text + index) - text);
    }
  return index;
}

gboolean
pyro_label_cache_draw (PyroLabelCache *self, cairo_t *cr, const char *text, double x, double y,
                       double max_width)
{
  if (text == NULL || *text == '\0' || max_width <= self->ellipsis_width)
    return FALSE;
  Entry *e = lookup (self, text);
  PangoLayout *layout = e->full;
  if (e->full_width > max_width)
    {
      int keep = fitting_prefix (self, e, max_width);
      if (keep <= 0)
        return FALSE;
      if (e->elided == NULL)
        e->elided = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
      layout = g_hash_table_lookup (e->elided, GINT_TO_POINTER (keep));
      if (layout == NULL)
        {
          g_autofree char *shortened = g_strdup_printf ("%.*s" ELLIPSIS, keep, text);
          layout = make_layout (self, shortened, -1);
          g_hash_table_insert (e->elided, GINT_TO_POINTER (keep), layout);
        }
    }
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return TRUE;
}
