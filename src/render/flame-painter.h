/* flame-painter.h — paints a PyroFlameLayout with Cairo.
 *
 * The same painter serves the window and the exporter.  In a GtkWidget's
 * snapshot():
 *
 *   cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &bounds);
 *   cairo_translate (cr, 0, -scroll_y);            (content -> widget)
 *   pyro_flame_painter_paint (painter, cr, layout);
 *   cairo_destroy (cr);
 *
 * It paints only frames (filled boxes with a 1 px gap, labels elided with
 * "…"), not the background, and skips what lies outside the clip.  It keeps
 * shaped labels between frames, so keep one painter per view and repaint
 * with it.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>
#include "flame-layout.h"
#include "palette.h"

G_BEGIN_DECLS

typedef struct _PyroFlamePainter PyroFlamePainter;

/* A painter for layouts of trees of @profile (keeps a reference). */
PyroFlamePainter *pyro_flame_painter_new (PyroProfile *profile);
void              pyro_flame_painter_free (PyroFlamePainter *self);

/* Default: PYRO_PALETTE_DEFAULT. */
void pyro_flame_painter_set_palette_style (PyroFlamePainter *self, PyroPaletteStyle style);
const PyroPalette *pyro_flame_painter_get_palette (PyroFlamePainter *self);
/* Label font; NULL = "Sans 9". */
void pyro_flame_painter_set_font (PyroFlamePainter *self, const PangoFontDescription *font);
/* The node under the pointer, drawn with an outline; PYRO_NONE for none. */
void pyro_flame_painter_set_hover (PyroFlamePainter *self, guint32 node);
/* Functions matching a search (from pyro_flame_match_funcs(), copied):
 * matches turn magenta, everything else is dimmed.  NULL ends the search. */
void pyro_flame_painter_set_search (PyroFlamePainter *self, const guint8 *func_mask);
/* Differential colouring: @before holds, for each of the @n_nodes nodes of
 * the trees painted next, that node's weight in the "before" profile (from
 * pyro_call_tree_match_totals()), @before_total that profile's total (copied).
 * Frames are then coloured by the change of their share (diff-palette.h)
 * instead of by kind.  NULL ends it; layouts of a tree with another node
 * count are painted with the normal colours. */
void pyro_flame_painter_set_diff (PyroFlamePainter *self, const double *before, guint n_nodes,
                                  double before_total);
/* Presentation: the hovered frame gets a glow and a thick outline, like a
 * laser pointer, and every other call of its function a thick outline. */
void pyro_flame_painter_set_laser (PyroFlamePainter *self, gboolean laser);

void pyro_flame_painter_paint (PyroFlamePainter *self, cairo_t *cr,
                               const PyroFlameLayout *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroFlamePainter, pyro_flame_painter_free)

G_END_DECLS
