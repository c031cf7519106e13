/* elf-module.h — one ELF file opened with libdw: file offsets to addresses,
 * and an address to its inline chain with names and file:line. */
#pragma once

#include <elfutils/libdwfl.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PYRO_ELF_MODULE_OK,
  PYRO_ELF_MODULE_MISSING,        /* the file cannot be opened */
  PYRO_ELF_MODULE_NOT_ELF,
  PYRO_ELF_MODULE_BUILD_ID_MISMATCH,
} PyroElfModuleState;

typedef struct {
  GElf_Off offset;
  GElf_Addr vaddr;
  GElf_Xword filesz;
} PyroElfSegment;

typedef struct {
  char *path;             /* as recorded */
  char *opened_path;      /* what was opened: @path or a build-id cache copy */
  PyroElfModuleState state;
  gboolean has_dwarf;     /* lines and inline frames are available */
  Dwfl *dwfl;             /* module reported at its link-time addresses */
  Dwfl_Module *module;
  GArray *segments;       /* PyroElfSegment of the PT_LOAD headers */
  GMappedFile *mapped;    /* raw bytes, for the unwinder's memory reads */
} PyroElfModule;

/* One frame of a resolved address; strings are owned by the caller's chunk. */
typedef struct {
  const char *function;
  const char *file;         /* nullable */
  guint32 line;
  guint32 function_line;    /* first line of the function, 0 unknown */
  gboolean inlined;
} PyroElfFrame;

/* Opens @path; when @build_id is given and differs from the file's, looks in
 * perf's build-id cache (~/.debug/.build-id) before giving up.  Never NULL:
 * check ->state. */
PyroElfModule *pyro_elf_module_open (const char *path, const guint8 *build_id,
                                     gsize build_id_len);
void pyro_elf_module_free (PyroElfModule *self);

/* Looks binaries and their debug files up under @dir (NULL: under /) in
 * every module opened from now on. */
void pyro_elf_module_set_symfs (const char *dir);

/* Link-time address of file offset @offset, or FALSE outside every segment. */
gboolean pyro_elf_module_offset_to_vaddr (const PyroElfModule *self, guint64 offset,
                                          guint64 *vaddr);
/* File offset of link-time address @vaddr, or FALSE. */
gboolean pyro_elf_module_vaddr_to_offset (const PyroElfModule *self, guint64 vaddr,
                                          guint64 *offset);

/* Resolves link-time @vaddr, innermost frame first, into at most @max frames;
 * returns how many (0 when no symbol covers it).  Strings are copied into
 * @strings. */
guint pyro_elf_module_resolve (PyroElfModule *self, guint64 vaddr, GStringChunk *strings,
                               PyroElfFrame *out, guint max);

G_END_DECLS
