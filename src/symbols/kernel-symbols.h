/* kernel-symbols.h — kernel function names from /proc/kallsyms. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PyroKernelSymbols PyroKernelSymbols;

/* Reads @path (normally /proc/kallsyms).  Returns NULL with @error set when
 * it cannot be read or every address is hidden (kptr_restrict). */
PyroKernelSymbols *pyro_kernel_symbols_load (const char *path, GError **error);
void pyro_kernel_symbols_free (PyroKernelSymbols *self);

/* Name of the function holding @address and its module ("[kernel.kallsyms]"
 * or "[name]" for a loadable module); FALSE when no symbol covers it. */
gboolean pyro_kernel_symbols_lookup (const PyroKernelSymbols *self, guint64 address,
                                     const char **name, const char **module,
                                     guint64 *offset);

/* Build id of the running kernel from /sys/kernel/notes; NULL when unknown. */
GBytes *pyro_kernel_build_id (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroKernelSymbols, pyro_kernel_symbols_free)

G_END_DECLS
