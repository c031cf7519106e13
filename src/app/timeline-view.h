/* timeline-view.h — the memory timeline of a document: counters (RSS, …) as
 * line charts with the peak marked, sample density per thread, marks as bars
 * and the selected function's time on the stack.  Dragging selects a time
 * range that every view recomputes for; Escape or the reset button clears
 * it (the "timeline.clear-range" action); Ctrl+scroll zooms, scroll pans a
 * zoomed timeline.  Hidden for traces without time.  Painted by src/render's
 * timeline painter. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"
#include "render/timeline-layout.h"

G_BEGIN_DECLS

#define PYRO_TYPE_TIMELINE_VIEW (pyro_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (PyroTimelineView, pyro_timeline_view, PYRO, TIMELINE_VIEW, GtkWidget)

GtkWidget          *pyro_timeline_view_new (void);
void                pyro_timeline_view_set_document (PyroTimelineView *self, PyroDocument *document);

/* What the view shows, for tests: NULL before a profile is ready. */
const PyroTimeline *pyro_timeline_view_get_timeline (PyroTimelineView *self);
/* The visible time window (ns); FALSE when there is no timeline. */
gboolean            pyro_timeline_view_get_window (PyroTimelineView *self, gint64 *start,
                                                   gint64 *end);
/* Zooms by @factor (> 1 zooms in) around the time at @x (widget coordinates). */
void                pyro_timeline_view_zoom (PyroTimelineView *self, double factor, double x);
/* The range line: "1.20 s – 3.45 s (2.25 s)", or the whole trace's length. */
const char         *pyro_timeline_view_get_range_text (PyroTimelineView *self);
/* Selects what a drag from @x0 to @x1 (drawing-area coordinates) selects. */
void                pyro_timeline_view_drag (PyroTimelineView *self, double x0, double x1);

G_END_DECLS
