/* folded.h — folded stacks (`root;...;leaf COUNT`), as flamegraph.pl,
 * `perf script | stackcollapse` and py-spy write them. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_folded_reader;

/* Writes every sampled stack of @profile as one folded line. */
gboolean pyro_folded_write (PyroProfile *profile, GOutputStream *out,
                            GCancellable *cancellable, GError **error);

G_END_DECLS
