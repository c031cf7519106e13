/* symbolizer.h — native address -> function, inline chain and file:line,
 * through libdw/libelf, with a per-module cache so each address is resolved
 * once.  Shared by the perf.data reader and the recorder.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PyroSymbolizer PyroSymbolizer;

typedef struct {
  const char *function;   /* demangled; "module+0xoffset" when unknown */
  const char *file;       /* nullable */
  guint32 line;           /* 0 unknown */
  const char *module;     /* path of the mapped file */
  gboolean inlined;       /* an inlined call inside the next (outer) frame */
} PyroSymbolFrame;

PyroSymbolizer *pyro_symbolizer_new (void);
void            pyro_symbolizer_free (PyroSymbolizer *self);

/* Declares that @path is mapped at [start, end) with file offset @pgoff in @pid.
 * @build_id may be NULL. */
void pyro_symbolizer_add_mapping (PyroSymbolizer *self, guint32 pid, guint64 start,
                                  guint64 end, guint64 pgoff, const char *path,
                                  const guint8 *build_id, gsize build_id_len);

/* Resolves @address of @pid into @out, innermost (inlined) frame first.
 * Returns how many frames were written (at least 1 when @max > 0).  Strings
 * stay valid for the symbolizer's life. */
guint pyro_symbolizer_resolve (PyroSymbolizer *self, guint32 pid, guint64 address,
                               PyroSymbolFrame *out, guint max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSymbolizer, pyro_symbolizer_free)

G_END_DECLS
