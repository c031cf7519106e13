/* squaremap-painter.h — paints a PyroSquaremapLayout with Cairo.
 *
 * Used like the flame painter (see flame-painter.h): one painter per view,
 * pyro_squaremap_painter_paint() from the widget's snapshot through
 * gtk_snapshot_append_cairo(), or onto an export surface.  Cells take the
 * flame graph's colours; each label strip reads "name  file:line  1.234 s"
 * (or "… samples"), shortened to what fits.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>
#include "squaremap-layout.h"
#include "palette.h"

G_BEGIN_DECLS

typedef struct _PyroSquaremapPainter PyroSquaremapPainter;

PyroSquaremapPainter *pyro_squaremap_painter_new (PyroProfile *profile);
void                  pyro_squaremap_painter_free (PyroSquaremapPainter *self);

void pyro_squaremap_painter_set_palette_style (PyroSquaremapPainter *self, PyroPaletteStyle style);
/* Label font; NULL = "Sans 9". */
void pyro_squaremap_painter_set_font (PyroSquaremapPainter *self, const PangoFontDescription *font);
/* The node under the pointer, outlined; PYRO_NONE for none. */
void pyro_squaremap_painter_set_hover (PyroSquaremapPainter *self, guint32 node);
/* As pyro_flame_painter_set_search(). */
void pyro_squaremap_painter_set_search (PyroSquaremapPainter *self, const guint8 *func_mask);

void pyro_squaremap_painter_paint (PyroSquaremapPainter *self, cairo_t *cr,
                                   const PyroSquaremapLayout *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSquaremapPainter, pyro_squaremap_painter_free)

G_END_DECLS
