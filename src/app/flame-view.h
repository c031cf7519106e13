/* flame-view.h — the flame graph (root at the bottom) or icicle chart (root
 * at the top) of a document's call tree.  Click zooms into a frame,
 * Escape/Backspace zooms out, the context menu applies transforms, a search
 * highlights every matching frame.  Painted by src/render's flame painter;
 * scrolls vertically (GtkScrollable) when the tree is deeper than the view. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"
#include "render/flame-layout.h"
#include "render/palette.h"

G_BEGIN_DECLS

#define PYRO_TYPE_FLAME_VIEW (pyro_flame_view_get_type ())
G_DECLARE_FINAL_TYPE (PyroFlameView, pyro_flame_view, PYRO, FLAME_VIEW, GtkWidget)

GtkWidget    *pyro_flame_view_new (PyroFlameOrientation orientation);

void          pyro_flame_view_set_document (PyroFlameView *self, PyroDocument *document);
PyroDocument *pyro_flame_view_get_document (PyroFlameView *self);
void          pyro_flame_view_set_orientation (PyroFlameView *self,
                                               PyroFlameOrientation orientation);
PyroFlameOrientation pyro_flame_view_get_orientation (PyroFlameView *self);

/* The node filling the width (0 = root); the "zoom" property. */
guint32       pyro_flame_view_get_zoom (PyroFlameView *self);
void          pyro_flame_view_set_zoom (PyroFlameView *self, guint32 node);
gboolean      pyro_flame_view_zoom_out (PyroFlameView *self);

/* Highlights the functions whose name or file contains @text; "" ends it. */
void          pyro_flame_view_set_search (PyroFlameView *self, const char *text);
/* Share (0 … 1) of the zoomed frame's total that passes through a match;
 * the "matched-share" property, -1 when there is no search. */
double        pyro_flame_view_get_matched_share (PyroFlameView *self);

/* The current layout (for tests and hit testing), or NULL before the first
 * paint; content coordinates, see pyro_flame_view_get_scroll_offset(). */
const PyroFlameLayout *pyro_flame_view_get_layout (PyroFlameView *self);
double        pyro_flame_view_get_scroll_offset (PyroFlameView *self);

/* Presentation: labels and rows @scale times their normal size (1 … 4). */
void          pyro_flame_view_set_text_scale (PyroFlameView *self, double scale);
double        pyro_flame_view_get_text_scale (PyroFlameView *self);
void          pyro_flame_view_set_palette_style (PyroFlameView *self, PyroPaletteStyle style);
/* Laser-pointer hover: see pyro_flame_painter_set_laser(). */
void          pyro_flame_view_set_laser (PyroFlameView *self, gboolean laser);
/* Differential colouring of the document's current tree (see
 * pyro_flame_painter_set_diff(), copied); NULL ends it. */
void          pyro_flame_view_set_diff (PyroFlameView *self, const double *before, guint n_nodes,
                                        double before_total);

G_END_DECLS
