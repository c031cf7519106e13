#include "elf-module.h"
#include "demangle.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Debug files are looked up next to the binary, in .debug/ and under
 * /usr/lib/debug, by build id and by .gnu_debuglink. */
static char *debuginfo_path = NULL;

static const Dwfl_Callbacks offline_callbacks = {
  .find_elf = dwfl_build_id_find_elf,
  .find_debuginfo = dwfl_standard_find_debuginfo,
  .section_address = dwfl_offline_section_address,
  .debuginfo_path = &debuginfo_path,
};

/* Set: binaries and debug files are looked up under this directory instead
 * of /, like perf report --symfs. */
static char *symfs;

void
pyro_elf_module_set_symfs (const char *dir)
{
  g_free (symfs);
  g_free (debuginfo_path);
  symfs = g_strdup (dir);
  debuginfo_path = dir != NULL ? g_strdup_printf ("-.debug:%s/usr/lib/debug", dir) : NULL;
}

static char *
build_id_cache_path (const guint8 *build_id, gsize len)
{
  if (len < 2)
    return NULL;
  GString *hex = g_string_new (NULL);
  for (gsize i = 1; i < len; i++)
    g_string_append_printf (hex, "%02x", build_id[i]);
  g_autofree char *first = g_strdup_printf ("%02x", build_id[0]);
  g_autofree char *rest = g_string_free (hex, FALSE);
  return g_build_filename (symfs != NULL ? symfs : g_get_home_dir (), ".debug", ".build-id", first,
                           rest, "elf", NULL);
}

static gboolean
report (PyroElfModule *self, const char *path)
{
  /* Paths come from the recording: never block on a FIFO or a device. */
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0)
    return FALSE;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      self->state = PYRO_ELF_MODULE_NOT_ELF;
      return FALSE;
    }
  self->dwfl = dwfl_begin (&offline_callbacks);
  g_autofree char *name = g_path_get_basename (self->path);
  /* Base 0 with add_p_vaddr: module addresses are the link-time addresses. */
  self->module = dwfl_report_elf (self->dwfl, name, path, fd, 0, true);
  dwfl_report_end (self->dwfl, NULL, NULL);
  if (self->module == NULL)
    {
      close (fd);
      g_clear_pointer (&self->dwfl, dwfl_end);
      self->state = PYRO_ELF_MODULE_NOT_ELF;
      return FALSE;
    }
  self->state = PYRO_ELF_MODULE_OK;
  return TRUE;
}

static gboolean
build_id_matches (PyroElfModule *self, const guint8 *build_id, gsize len)
{
  const unsigned char *bits = NULL;
  GElf_Addr vaddr;
  int n = dwfl_module_build_id (self->module, &bits, &vaddr);
  if (n <= 0)
    return TRUE; /* nothing to compare */
  /* perf pads build ids to 20 or 24 bytes with zeros. */
  gsize cmp = MIN ((gsize) n, len);
  if (memcmp (bits, build_id, cmp) != 0)
    return FALSE;
  for (gsize i = cmp; i < len; i++)
    if (build_id[i] != 0)
      return FALSE;
  return TRUE;
}

static void
read_segments (PyroElfModule *self)
{
  GElf_Addr bias;
  Elf *elf = dwfl_module_getelf (self->module, &bias);
  size_t n = 0;
  if (elf == NULL || elf_getphdrnum (elf, &n) != 0)
    return;
  for (size_t i = 0; i < n; i++)
    {
      GElf_Phdr mem, *ph = gelf_getphdr (elf, (int) i, &mem);
      if (ph == NULL || ph->p_type != PT_LOAD)
        continue;
      PyroElfSegment seg = { ph->p_offset, ph->p_vaddr, ph->p_filesz };
      g_array_append_val (self->segments, seg);
    }
}

PyroElfModule *
pyro_elf_module_open (const char *path, const guint8 *build_id, gsize build_id_len)
{
  PyroElfModule *self = g_new0 (PyroElfModule, 1);
  self->path = g_strdup (path);
  self->segments = g_array_new (FALSE, FALSE, sizeof (PyroElfSegment));
  self->state = PYRO_ELF_MODULE_MISSING;

  g_autofree char *rooted = symfs != NULL ? g_build_filename (symfs, path, NULL) : NULL;
  if (rooted != NULL)
    path = rooted;
  gboolean opened = report (self, path);
  if (opened && build_id != NULL && build_id_len > 0 && !build_id_matches (self, build_id, build_id_len))
    {
      g_clear_pointer (&self->dwfl, dwfl_end);
      self->module = NULL;
      self->state = PYRO_ELF_MODULE_BUILD_ID_MISMATCH;
      opened = FALSE;
    }
  g_autofree char *cached = NULL;
  if (!opened && build_id != NULL)
    {
      cached = build_id_cache_path (build_id, build_id_len);
      PyroElfModuleState first = self->state;
      if (cached != NULL && report (self, cached))
        path = cached;
      else
        self->state = first;
      opened = self->state == PYRO_ELF_MODULE_OK;
    }
  if (!opened)
    return self;

  self->opened_path = g_strdup (path);
  read_segments (self);
  Dwarf_Addr bias;
  self->has_dwarf = dwfl_module_getdwarf (self->module, &bias) != NULL;
  self->mapped = g_mapped_file_new (path, FALSE, NULL);
  return self;
}

void
pyro_elf_module_free (PyroElfModule *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->dwfl, dwfl_end);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  g_array_unref (self->segments);
  g_free (self->path);
  g_free (self->opened_path);
  g_free (self);
}

gboolean
pyro_elf_module_offset_to_vaddr (const PyroElfModule *self, guint64 offset, guint64 *vaddr)
{
  for (guint i = 0; i < self->segments->len; i++)
    {
      const PyroElfSegment *s = &g_array_index (self->segments, PyroElfSegment, i);
      if (offset >= s->offset && offset < s->offset + s->filesz)
        {
          *vaddr = offset - s->offset + s->vaddr;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
pyro_elf_module_vaddr_to_offset (const PyroElfModule *self, guint64 vaddr, guint64 *offset)
{
  for (guint i = 0; i < self->segments->len; i++)
    {
      const PyroElfSegment *s = &g_array_index (self->segments, PyroElfSegment, i);
      if (vaddr >= s->vaddr && vaddr < s->vaddr + s->filesz)
        {
          *offset = vaddr - s->vaddr + s->offset;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
readable_name (const char *name, GStringChunk *strings)
{
  /* .dynsym names may carry a symbol version: "memcpy@@GLIBC_2.14". */
  g_autofree char *plain = NULL;
  const char *at = strchr (name, '@');
  if (at != NULL && at != name)
    name = plain = g_strndup (name, (gsize) (at - name));
  g_autofree char *demangled = pyro_demangle (name);
  return g_string_chunk_insert_const (strings, demangled != NULL ? demangled : name);
}

/* Name of a subprogram or inlined subroutine DIE, through its abstract origin. */
static const char *
die_name (Dwarf_Die *die, GStringChunk *strings)
{
  Dwarf_Attribute attr;
  const char *name = dwarf_formstring (dwarf_attr_integrate (die, DW_AT_linkage_name, &attr));
  if (name == NULL)
    name = dwarf_formstring (dwarf_attr_integrate (die, DW_AT_MIPS_linkage_name, &attr));
  if (name == NULL)
    name = dwarf_diename (die);
  return name != NULL ? readable_name (name, strings) : NULL;
}

static const char *
insert_nullable (GStringChunk *strings, const char *s)
{
  return s != NULL ? g_string_chunk_insert_const (strings, s) : NULL;
}

static void
fill_decl (PyroElfFrame *frame, Dwarf_Die *die, GStringChunk *strings, const char *fallback_file)
{
  int decl_line = 0;
  const char *decl_file = dwarf_decl_file (die);
  if (dwarf_decl_line (die, &decl_line) == 0 && decl_line > 0)
    frame->function_line = (guint32) decl_line;
  frame->file = insert_nullable (strings, decl_file != NULL ? decl_file : fallback_file);
}

guint
pyro_elf_module_resolve (PyroElfModule *self, guint64 vaddr, GStringChunk *strings,
                         PyroElfFrame *out, guint max)
{
  if (self->module == NULL || max == 0)
    return 0;

  GElf_Off sym_offset = 0;
  GElf_Sym sym;
  const char *sym_name = dwfl_module_addrinfo (self->module, vaddr, &sym_offset, &sym,
                                               NULL, NULL, NULL);
  const char *line_file = NULL;
  int line = 0;
  Dwfl_Line *dl = dwfl_module_getsrc (self->module, vaddr);
  if (dl != NULL)
    line_file = dwfl_lineinfo (dl, NULL, &line, NULL, NULL, NULL);

  guint n = 0;
  Dwarf_Addr bias = 0;
  Dwarf_Die *cu = self->has_dwarf ? dwfl_module_addrdie (self->module, vaddr, &bias) : NULL;
  Dwarf_Die *scopes = NULL;
  int n_scopes = cu != NULL ? dwarf_getscopes (cu, vaddr - bias, &scopes) : 0;
  Dwarf_Files *files = NULL;
  size_t n_files = 0;
  if (cu != NULL && dwarf_getsrcfiles (cu, &files, &n_files) != 0)
    files = NULL;

  const char *cur_file = line_file;
  guint32 cur_line = line > 0 ? (guint32) line : 0;
  /* After an inlined instance, dwarf_getscopes goes on with the scopes of
   * the abstract definition; the caller's scopes come from the concrete
   * tree, through dwarf_getscopes_die. */
  for (int i = 0; i < n_scopes && n < max;)
    {
      int tag = dwarf_tag (&scopes[i]);
      if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
        {
          i++;
          continue;
        }
      PyroElfFrame *f = &out[n++];
      memset (f, 0, sizeof *f);
      f->line = cur_line;
      fill_decl (f, &scopes[i], strings, cur_file);
      if (tag == DW_TAG_subprogram)
        {
          /* The ELF symbol names the real function (with .cold/.part suffixes),
           * as perf shows it. */
          f->function = sym_name != NULL ? readable_name (sym_name, strings)
                                         : die_name (&scopes[i], strings);
          if (f->function == NULL)
            n--;
          break;
        }
      f->function = die_name (&scopes[i], strings);
      f->inlined = TRUE;
      /* The caller's position is the call site of this inlined copy. */
      Dwarf_Attribute attr;
      Dwarf_Word call_file = 0, call_line = 0;
      if (dwarf_formudata (dwarf_attr (&scopes[i], DW_AT_call_file, &attr), &call_file) == 0
          && files != NULL && call_file < n_files)
        cur_file = dwarf_filesrc (files, call_file, NULL, NULL);
      cur_line = dwarf_formudata (dwarf_attr (&scopes[i], DW_AT_call_line, &attr), &call_line) == 0
                   ? (guint32) call_line : 0;
      if (f->function == NULL)
        n--;
      Dwarf_Die *outer = NULL;
      int n_outer = dwarf_getscopes_die (&scopes[i], &outer);
      free (scopes);
      scopes = outer;
      n_scopes = n_outer;
      i = 1;
    }
  free (scopes);

  /* No symbol covers the address (a stripped library's internal function):
   * the call-frame info still knows where the function starts, so samples
   * of one function stay together under "module+0xstart". */
  if (n == 0 && sym_name == NULL)
    {
      Dwarf_Addr cfi_bias = 0;
      Dwarf_CFI *cfi = dwfl_module_eh_cfi (self->module, &cfi_bias);
      if (cfi == NULL)
        cfi = dwfl_module_dwarf_cfi (self->module, &cfi_bias);
      Dwarf_Frame *frame = NULL;
      Dwarf_Addr start, end;
      if (cfi != NULL && dwarf_cfi_addrframe (cfi, vaddr - cfi_bias, &frame) == 0
          && dwarf_frame_info (frame, &start, &end, NULL) >= 0)
        {
          g_autofree char *base = g_path_get_basename (self->path);
          g_autofree char *name = g_strdup_printf ("%s+0x%" G_GINT64_MODIFIER "x", base,
                                                   (guint64) (start + cfi_bias));
          PyroElfFrame *f = &out[n++];
          memset (f, 0, sizeof *f);
          f->function = g_string_chunk_insert_const (strings, name);
        }
      free (frame);
    }

  /* An inline chain that never reached its subprogram still needs the outer function. */
  if ((n == 0 || out[n - 1].inlined) && sym_name != NULL && n < max)
    {
      PyroElfFrame *f = &out[n++];
      memset (f, 0, sizeof *f);
      f->function = readable_name (sym_name, strings);
      f->file = insert_nullable (strings, cur_file);
      f->line = cur_line;
    }
  return n;
}
