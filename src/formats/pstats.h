/* pstats.h — cProfile and profile dumps (`python -m cProfile -o out.prof`,
 * `pstats.Stats.dump_stats`): a marshalled dict
 * {(file, line, name): (cc, nc, tt, ct, {caller: (nc, cc, tt, ct)})}.
 *
 * The exact numbers go into the profile's call stats; the stacks and
 * samples hold a call tree estimated from the caller/callee pairs
 * (core/call-stats-tree.h), marked meta.estimated. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_pstats_reader;

G_END_DECLS
