/* weight-format.h — a sample weight as people read it in labels. */
#pragma once

#include <glib.h>
#include "core/profile.h"

G_BEGIN_DECLS

/* "1.234 s", "12.5 ms", "1,234 samples", "3.4 MiB"; caller frees. */
char *pyro_format_weight (PyroUnit unit, double value);

G_END_DECLS
