/* diff-palette.h — colours of a differential flame graph, after
 * flamegraph.pl's difffolded: a frame is red when the second profile (after)
 * spends a larger share of its time there than the first (before), blue when
 * a smaller one, white when the share is the same. */
#pragma once

#include "palette.h"

G_BEGIN_DECLS

/* The relative change of a share, from -1 (gone) to 1 (new): (after -
 * before) / max (after, before); 0 when both are 0. */
double  pyro_diff_change (double before_share, double after_share);
/* Fill of a frame whose share went from @before_share to @after_share. */
PyroRgb pyro_diff_color (double before_share, double after_share);

G_END_DECLS
