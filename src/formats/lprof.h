/* lprof.h — line_profiler's `.lprof` files (kernprof -l): a pickled
 * LineStats whose state is {'timings': {(file, first_line, function):
 * [(line, hits, time), ...]}, 'unit': seconds per time unit}, read with the
 * data-only pickle subset.
 *
 * Each timed line becomes a frame (function, line) and one sample on a
 * one-frame stack weighted by the line's time in seconds; a line's time
 * includes the functions it called, as line_profiler measures it.  Each
 * function gets call stats: calls = hits of its first timed line, own and
 * cumulative time = the sum of its lines' times.  The per-line hit counts
 * are not part of the profile model: pyro_lprof_read_line_hits() gives
 * them by frame. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_lprof_reader;

/* Hits of every frame of @profile (loaded from the line_profiler file at
 * @path), as a guint64 array indexed by frame id: 0 for frames the file
 * does not time.  Caller owns the array. */
GArray *pyro_lprof_read_line_hits (const char *path, PyroProfile *profile, GError **error);

G_END_DECLS
