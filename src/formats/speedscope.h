/* speedscope.h — speedscope's JSON file format (sampled and evented
 * profiles), read and written.  https://www.speedscope.app/file-format-schema.json */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_speedscope_reader;

/* Writes @profile as a speedscope file: one sampled profile per thread that
 * has samples, frames shared, weights in the profile's unit. */
gboolean pyro_speedscope_write (PyroProfile *profile, GOutputStream *out,
                                GCancellable *cancellable, GError **error);

G_END_DECLS
