/* symbolizer.h — native address -> function, inline chain and file:line,
 * through libdw/libelf, with a per-module cache so each address is resolved
 * once.  Shared by the perf.data reader and the recorder.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PyroSymbolizer PyroSymbolizer;

typedef struct {
  const char *function;   /* demangled; "module+0xoffset" when the module has no
                           * name for it (the function start from the CFI when
                           * known), the region's name ("[unknown]", "[heap]")
                           * outside every file */
  const char *file;       /* nullable */
  guint32 line;           /* 0 unknown */
  const char *module;     /* path of the mapped file */
  gboolean inlined;       /* an inlined call inside the next (outer) frame */
  guint32 function_line;  /* first line of the function, 0 unknown */
  const char *problem;    /* nullable: why names or lines are missing for the module
                           * ("not found", "build id differs", "no debug info") */
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

/* @child starts with a copy of @parent's mappings (fork without exec). */
void pyro_symbolizer_fork (PyroSymbolizer *self, guint32 parent, guint32 child);

/* Forgets every mapping of @pid (it exec'd or exited). */
void pyro_symbolizer_forget (PyroSymbolizer *self, guint32 pid);

/* Resolves a kernel @address through /proc/kallsyms (read once, when first
 * needed).  @build_id, when known, is compared with the running kernel's;
 * a different kernel gives "[kernel.kallsyms]+0xoffset" frames. */
guint pyro_symbolizer_resolve_kernel (PyroSymbolizer *self, guint64 address,
                                      PyroSymbolFrame *out, guint max);
void  pyro_symbolizer_set_kernel_build_id (PyroSymbolizer *self, const guint8 *build_id,
                                           gsize build_id_len);

/* From now on, every symbolizer reads kernel symbols from @path (in
 * /proc/kallsyms' format) instead of perf's build-id cache or /proc/kallsyms,
 * and does not compare kernel build ids.  For programs that load many
 * traces one after the other, such as fuzz targets, where reading the
 * running kernel's table again for each one would cost more than the rest
 * of the load.  Call it before any trace is loaded. */
void  pyro_symbolizer_set_kernel_symbols_file (const char *path);

/* From now on, every symbolizer looks binaries and their debug files up
 * under @dir instead of / (NULL: / again), as perf report --symfs does: for
 * traces recorded on another machine whose files were copied under @dir, and
 * for fuzz targets, which point it at an empty directory so that a load
 * never depends on, or spends its time in, the machine's own binaries. */
void  pyro_symbolizer_set_symfs (const char *dir);

/* Modules (each file's ELF and the addresses already resolved in it), names
 * and kernel symbols, kept from one symbolizer to the next: the reads of a
 * file that grows (a live recording) then resolve only the addresses they
 * have not seen.  Mappings are not kept; each read declares its own. */
typedef struct _PyroSymbolCache PyroSymbolCache;

PyroSymbolCache *pyro_symbol_cache_new (void);
PyroSymbolCache *pyro_symbol_cache_ref (PyroSymbolCache *self);
void             pyro_symbol_cache_unref (PyroSymbolCache *self);

/* Symbolizers that pyro_symbolizer_new() makes in the calling thread from
 * now on take their modules from @cache (nullable: none) and give them back
 * when freed.  The cache serves one symbolizer at a time: while it is lent,
 * another symbolizer starts empty, as without a cache. */
void pyro_symbol_cache_set_thread_default (PyroSymbolCache *cache);

/* Unwinds a user stack copied by the kernel (PERF_SAMPLE_REGS_USER +
 * PERF_SAMPLE_STACK_USER) with libdw's CFI unwinder.  @regs holds the
 * registers in perf's x86-64 order (PERF_REG_X86_*) compressed by @regs_mask;
 * @stack is the copy starting at the stack pointer.  Memory outside the copy
 * is read from the mapped ELF files.  Writes the program counters, the
 * sampled one first, callers as return addresses; returns how many (0 when
 * the architecture or the registers are not supported). */
guint pyro_symbolizer_unwind (PyroSymbolizer *self, guint32 pid, guint32 tid,
                              const guint64 *regs, guint64 regs_mask,
                              const guint8 *stack, gsize stack_size,
                              guint64 *pcs, guint max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSymbolizer, pyro_symbolizer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSymbolCache, pyro_symbol_cache_unref)

G_END_DECLS
