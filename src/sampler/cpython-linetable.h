/* cpython-linetable.h — line numbers from a CPython 3.11+ location table (PEP 626/657). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PYRO_CPY_NO_LINE (-1)

/* Fills @lines[i], for every code unit i < @n_units, with the line of that
 * code unit as described by @table (co_linetable) of a code object starting
 * at @first_line: PYRO_CPY_NO_LINE where the table says "no location" or ends
 * before unit i.  A truncated table is read as far as it goes. */
void pyro_cpython_linetable_decode (const guint8 *table, gsize len, gint first_line,
                                    gint32 *lines, gsize n_units);

G_END_DECLS
