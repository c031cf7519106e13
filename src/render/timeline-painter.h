/* timeline-painter.h — paints a PyroTimeline with Cairo: one line chart per
 * counter unit (MiB for bytes) with the peak marked, a sample-density strip
 * per thread, marks as bars packed in rows, a time axis in seconds, the
 * selected time range and the times a selected function was on the stack.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>
#include "timeline-layout.h"
#include "palette.h"

G_BEGIN_DECLS

typedef struct {
  double width;
  double height;
  gint64 view_start;        /* visible time window (ns) */
  gint64 view_end;
  gboolean has_range;       /* the document's selected range */
  gint64 range_start;
  gint64 range_end;
  guint32 selected_func;    /* PYRO_NONE when none */
  PyroRgb foreground;       /* text and axes: the theme's text colour */
  PyroRgb accent;           /* selected range */
  const PangoFontDescription *font;  /* NULL: a small sans */
} PyroTimelineViewport;

/* Where the plots sit horizontally: time maps onto [left, left + width). */
typedef struct {
  double left;
  double width;
} PyroTimelinePlot;

PyroTimelinePlot pyro_timeline_plot_area (const PyroTimelineViewport *vp);
double           pyro_timeline_time_to_x (const PyroTimelineViewport *vp, gint64 time);
gint64           pyro_timeline_x_to_time (const PyroTimelineViewport *vp, double x);

void             pyro_timeline_paint (const PyroTimeline *timeline, cairo_t *cr,
                                      const PyroTimelineViewport *vp);

/* "1.25 s", "340 ms", "12 µs" for a duration; caller frees. */
char            *pyro_timeline_format_duration (gint64 ns);

G_END_DECLS
