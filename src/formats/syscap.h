/* syscap.h — Sysprof captures (.syscap): Pyrometer's own recordings and
 * Sysprof's, read with libsysprof-capture.
 *
 * Samples (native addresses and JITMAP names), maps, forks, processes,
 * counters, marks, metadata and allocations.  Native addresses resolve through
 * the symbol table embedded by the recorder (see syscap-symbols.h) when the
 * capture holds one, else through the binaries on this machine.  A capture cut
 * short loads the frames before the cut, with a warning.
 *
 * RSS growth the recorder charged to a sample (an ALLOCATION frame right after
 * the SAMPLE of the same thread and time) and Sysprof's allocations become the
 * profile's second weight, sample_bytes; a capture with allocations and no
 * samples loads them as samples weighted in bytes.
 */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_syscap_reader;

G_END_DECLS
