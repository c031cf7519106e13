/* presentation.h — presentation mode, for a class: full screen, the text of
 * every view larger (a scale the teacher sets, kept in GSettings as
 * "presentation-text-scale"), the high-contrast palette, a laser-pointer
 * hover in the flame views, and the header replaced by the tour bar.  Light
 * or dark follows the desktop's style, as the rest of the window does.
 *
 * Actions, in the window's "presentation" group: presentation.toggle
 * (boolean state, F11), presentation.text-larger (Ctrl++) and
 * presentation.text-smaller (Ctrl+−). */
#pragma once

#include "window.h"
#include "tour-bar.h"

G_BEGIN_DECLS

#define PYRO_PRESENTATION_MIN_SCALE 1.0
#define PYRO_PRESENTATION_MAX_SCALE 3.0

/* Adds the actions and keys to @window; @header_bar is hidden while
 * presenting and @tour_bar stands in for it. */
void     pyro_presentation_attach (PyroWindow *window, GtkWidget *header_bar,
                                   PyroTourBar *tour_bar);
gboolean pyro_presentation_get_active (PyroWindow *window);
/* The text scale presentation mode uses (also while not presenting). */
double   pyro_presentation_get_text_scale (PyroWindow *window);
void     pyro_presentation_set_text_scale (PyroWindow *window, double scale);

G_END_DECLS
