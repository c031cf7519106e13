/* syscap-writer.h — writes any profile as a Sysprof capture, so that a
 * cProfile dump or a folded file becomes something Sysprof opens.
 *
 * Every frame becomes a JIT-mapped address named `function (file:line)`
 * (what Sysprof shows) and an entry of our embedded symbol table (what we
 * read back: kind, module, file and line).  Capture samples carry no weight:
 * a trace counted in samples is written sample for sample; any other unit
 * (seconds, bytes) is written as samples in proportion to the weight, at
 * most about 100,000 of them.  The sources of the files the frames name
 * go in too, when they can be read here (syscap-sources.h). */
#pragma once

#include "core/profile.h"

G_BEGIN_DECLS

gboolean pyro_syscap_write (PyroProfile *profile, const char *path, GError **error);

G_END_DECLS
