/* jit-map.h — /tmp/perf-PID.map files written by JIT compilers (Python 3.12
 * -X perf, V8, the JVM with perf-map-agent): "START SIZE NAME" per line, hex. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PyroJitMap PyroJitMap;

/* Reads @path; NULL when it does not exist or holds no entry. */
PyroJitMap *pyro_jit_map_load (const char *path);
void        pyro_jit_map_free (PyroJitMap *self);
/* Name of the code region holding @address, or NULL. */
const char *pyro_jit_map_lookup (const PyroJitMap *self, guint64 address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroJitMap, pyro_jit_map_free)

G_END_DECLS
