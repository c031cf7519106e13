/* label-cache.h — one-line labels elided to a width, shaped once and kept.
 *
 * Shaping text is the slowest part of painting a frame; a view repaints the
 * same few thousand names on every hover, so the painters keep each label's
 * shaped layout (and its shortened forms) between frames.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

G_BEGIN_DECLS

typedef struct _PyroLabelCache PyroLabelCache;

PyroLabelCache *pyro_label_cache_new (void);
void            pyro_label_cache_free (PyroLabelCache *self);

/* NULL = "Sans 9".  Drops every cached label. */
void   pyro_label_cache_set_font (PyroLabelCache *self, const PangoFontDescription *font);
/* Logical height of one line of text in the current font. */
double pyro_label_cache_line_height (PyroLabelCache *self);

/* Draws @text with its top-left corner at (@x, @y) in the current source
 * colour, cut at a character boundary and ended with "…" when wider than
 * @max_width.  Returns FALSE (and draws nothing) when not even one
 * character fits. */
gboolean pyro_label_cache_draw (PyroLabelCache *self, cairo_t *cr, const char *text,
                                double x, double y, double max_width);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroLabelCache, pyro_label_cache_free)

G_END_DECLS
