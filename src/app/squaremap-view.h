/* squaremap-view.h — RunSnakeRun's squaremap of a document's call tree:
 * nested cells whose area is the total; click re-roots, Escape/Backspace goes
 * back up, hover outlines, the context menu applies transforms.  Painted by
 * src/render's squaremap painter. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"
#include "render/squaremap-layout.h"
#include "render/palette.h"

G_BEGIN_DECLS

#define PYRO_TYPE_SQUAREMAP_VIEW (pyro_squaremap_view_get_type ())
G_DECLARE_FINAL_TYPE (PyroSquaremapView, pyro_squaremap_view, PYRO, SQUAREMAP_VIEW, GtkWidget)

GtkWidget *pyro_squaremap_view_new (void);
void       pyro_squaremap_view_set_document (PyroSquaremapView *self, PyroDocument *document);
/* The node filling the view (0 = root); the "root" property. */
guint32    pyro_squaremap_view_get_root (PyroSquaremapView *self);
void       pyro_squaremap_view_set_root (PyroSquaremapView *self, guint32 node);
gboolean   pyro_squaremap_view_zoom_out (PyroSquaremapView *self);
void       pyro_squaremap_view_set_search (PyroSquaremapView *self, const char *text);
/* The palette of the cells (presentation mode uses the high-contrast one). */
void       pyro_squaremap_view_set_palette_style (PyroSquaremapView *self, PyroPaletteStyle style);
/* Current layout or NULL (for tests). */
const PyroSquaremapLayout *pyro_squaremap_view_get_layout (PyroSquaremapView *self);

G_END_DECLS
