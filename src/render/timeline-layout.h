/* timeline-layout.h — what the memory timeline shows, derived from a profile:
 * the time extent, every counter with its peak, charts grouping counters of
 * one unit, the threads that have timed samples, the row of every mark, and
 * per-pixel bins of sample density and of a function's time on the stack.
 *
 * Times are the profile's nanoseconds; the axis reads them in seconds from
 * the start of the extent.
 */
#pragma once

#include <glib.h>
#include "core/profile.h"

G_BEGIN_DECLS

typedef struct {
  guint32 counter;   /* index into profile->counters */
  double min;
  double max;
  gint64 max_time;   /* ns: the first point at the maximum */
} PyroTimelineCounter;

/* Counters sharing a unit share a chart and its vertical axis. */
typedef struct {
  guint32 unit;      /* string id */
  double max;        /* largest value of its counters */
  GArray *series;    /* guint: indices into PyroTimeline.counters */
} PyroTimelineChart;

typedef struct {
  PyroProfile *profile;     /* owned reference */
  gint64 start;             /* extent of timed samples, counters and marks (ns) */
  gint64 end;
  gboolean samples_timed;   /* samples carry real timestamps */
  GArray *counters;         /* PyroTimelineCounter, counters with points */
  GArray *charts;           /* PyroTimelineChart */
  GArray *threads;          /* guint32 thread indices with timed samples, by index */
  GArray *mark_row;         /* guint32 per mark of the profile: the row it is drawn on */
  guint n_mark_rows;
} PyroTimeline;

/* Caller owns the result; keeps a reference to @profile. */
PyroTimeline *pyro_timeline_new (PyroProfile *profile);
void          pyro_timeline_free (PyroTimeline *self);
/* TRUE when nothing of the profile has a time: no timed samples, counters
 * or marks (folded stacks, cProfile). */
gboolean      pyro_timeline_is_empty (const PyroTimeline *self);

/* Sample counts of every thread of self->threads in @n_bins equal slices of
 * [@start, @end): element [t * n_bins + b].  Caller frees with g_free(). */
double       *pyro_timeline_density (const PyroTimeline *self, gint64 start, gint64 end,
                                     guint n_bins);
/* Per bin of [@start, @end): TRUE where a sample had @func on its stack.
 * Caller frees with g_free(). */
gboolean     *pyro_timeline_func_bins (const PyroTimeline *self, guint32 func, gint64 start,
                                       gint64 end, guint n_bins);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroTimeline, pyro_timeline_free)

G_END_DECLS
