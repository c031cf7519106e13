/* tour-bar.h — the hotspot tour: a bar under the header that walks the
 * hottest functions of the document's current selection one by one ("Step 2
 * of 5" and a caption in plain words).  Each step zooms the flame graph, the
 * icicle chart and the squaremap to the function's heaviest call, highlights
 * every call of it and makes it the selected function, so the function
 * table and the source view (at its hottest line) follow.
 *
 * Actions, in the window's "tour" group: tour.start, tour.next (F6),
 * tour.previous (Shift+F6), tour.stop.  The number of steps (default 5) is
 * kept in GSettings ("tour-steps") when the schema is installed.  In
 * presentation mode the bar stays visible and stands in for the header. */
#pragma once

#include <gtk/gtk.h>
#include "window.h"
#include "core/hotspot-tour.h"

G_BEGIN_DECLS

#define PYRO_TYPE_TOUR_BAR (pyro_tour_bar_get_type ())
G_DECLARE_FINAL_TYPE (PyroTourBar, pyro_tour_bar, PYRO, TOUR_BAR, GtkWidget)

GtkWidget  *pyro_tour_bar_new (void);
/* Follows @window's document and adds the "tour" actions and keys to it. */
void        pyro_tour_bar_attach (PyroTourBar *self, PyroWindow *window);

gboolean    pyro_tour_bar_get_active (PyroTourBar *self);
/* The current step (0-based) and the number of steps; 0 steps when idle. */
guint       pyro_tour_bar_get_step (PyroTourBar *self);
guint       pyro_tour_bar_get_n_steps (PyroTourBar *self);
/* The current step, or NULL when idle; owned by the bar. */
const PyroTourStep *pyro_tour_bar_get_current (PyroTourBar *self);
/* "Step 2 of 5" and the caption, as shown. */
const char *pyro_tour_bar_get_position_text (PyroTourBar *self);
const char *pyro_tour_bar_get_caption (PyroTourBar *self);

/* Steps of the next tour (1 … 20). */
void        pyro_tour_bar_set_max_steps (PyroTourBar *self, guint n);
guint       pyro_tour_bar_get_max_steps (PyroTourBar *self);

/* Presentation mode: the bar is always shown, with larger text, and holds
 * the controls the hidden header would have. */
void        pyro_tour_bar_set_presenting (PyroTourBar *self, gboolean presenting);

G_END_DECLS
