/* symbolizer-private.h — the processes, mappings and modules a symbolizer
 * keeps; shared by the resolver and the unwinder. */
#pragma once

#include "elf-module.h"
#include "jit-map.h"
#include "kernel-symbols.h"
#include "symbolizer.h"

G_BEGIN_DECLS

typedef struct {
  char *path;
  const char *name;          /* basename, in the symbolizer's chunk */
  guint8 build_id[32];
  gsize build_id_len;
  PyroElfModule *elf;        /* NULL until first needed */
  GHashTable *cache;         /* link-time address -> Resolved* */
} Module;

typedef struct {
  guint64 start;
  guint64 end;
  guint64 pgoff;
  Module *module;
} Mapping;

typedef struct _Unwinder Unwinder;

typedef struct {
  guint32 pid;
  GArray *mappings;          /* Mapping, by start, not overlapping */
  guint generation;          /* bumped when the mappings change */
  PyroJitMap *jit;
  gboolean jit_loaded;
  Unwinder *unwinder;        /* NULL until a stack is unwound */
} Process;

struct _PyroSymbolizer {
  PyroSymbolCache *cache;    /* nullable: where the modules go back when freed */
  GHashTable *processes;     /* pid -> Process* */
  GHashTable *modules;       /* path -> Module* */
  GStringChunk *strings;
  PyroKernelSymbols *kernel;
  gboolean kernel_loaded;
  gboolean kernel_mismatch;
  GBytes *kernel_build_id;
};

Process       *pyro_symbolizer_process (PyroSymbolizer *self, guint32 pid, gboolean create);
const Mapping *pyro_symbolizer_find_mapping (Process *process, guint64 address);
/* The module's ELF, opened on first use; NULL when it cannot be used. */
PyroElfModule *pyro_symbolizer_module_elf (Module *module);

void pyro_unwinder_free (Unwinder *unwinder);

G_END_DECLS
