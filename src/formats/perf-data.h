/* perf-data.h — `perf record` files (perf.data, file and pipe mode). */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_perf_data_reader;

/* Loads the perf.data at @path with @event ("page-faults"; NULL for the
 * first) weighing the views; the other events become timeline counters.
 * The result is finished. */
PyroProfile *pyro_perf_data_load (const char *path, const char *event, PyroProgressFunc progress,
                                  gpointer progress_data, GCancellable *cancellable,
                                  GError **error);

/* The events of a perf.data profile that can weigh its views, sorted by
 * name: the one that does and those kept as timeline counters.  Empty for
 * other profiles.  Free with g_strfreev(). */
char **pyro_perf_data_events (const PyroProfile *profile);

G_END_DECLS
