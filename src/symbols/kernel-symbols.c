#include "kernel-symbols.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  guint64 address;
  const char *name;
  const char *module;
} KernelSymbol;

struct _PyroKernelSymbols {
  char *text;      /* the file; names point into it */
  GArray *symbols; /* KernelSymbol, by address */
};

static int
compare_symbols (gconstpointer a, gconstpointer b)
{
  guint64 x = ((const KernelSymbol *) a)->address, y = ((const KernelSymbol *) b)->address;
  return x < y ? -1 : x > y;
}

static const char kernel_module[] = "[kernel.kallsyms]";

PyroKernelSymbols *
pyro_kernel_symbols_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;

  PyroKernelSymbols *self = g_new0 (PyroKernelSymbols, 1);
  self->symbols = g_array_sized_new (FALSE, FALSE, sizeof (KernelSymbol), 1 << 16);

  /* Lines: "ffffffff81000000 T _stext" or "... t name\t[module]". */
  for (char *line = text, *next; line != NULL && *line; line = next)
    {
      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      char *end = NULL;
      guint64 address = g_ascii_strtoull (line, &end, 16);
      if (end == line || end[0] != ' ' || end[1] == '\0' || end[2] != ' ')
        continue;
      char type = g_ascii_tolower (end[1]);
      if (type != 't' && type != 'w')
        continue;
      char *name = end + 3;
      char *tab = strchr (name, '\t');
      const char *module = kernel_module;
      if (tab != NULL)
        {
          *tab = '\0';
          module = g_strstrip (tab + 1);
        }
      if (address == 0)
        continue;
      KernelSymbol sym = { address, name, module };
      g_array_append_val (self->symbols, sym);
    }
  self->text = g_steal_pointer (&text);
  if (self->symbols->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "%s: no readable kernel addresses (kernel.kptr_restrict hides them)", path);
      pyro_kernel_symbols_free (self);
      return NULL;
    }
  g_array_sort (self->symbols, compare_symbols);
  return self;
}

void
pyro_kernel_symbols_free (PyroKernelSymbols *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_array_unref (self->symbols);
  g_free (self);
}

gboolean
pyro_kernel_symbols_lookup (const PyroKernelSymbols *self, guint64 address, const char **name,
                            const char **module, guint64 *offset)
{
  const KernelSymbol *syms = (const KernelSymbol *) self->symbols->data;
  guint lo = 0, hi = self->symbols->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (syms[mid].address <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return FALSE;
  const KernelSymbol *sym = &syms[lo - 1];
  /* Past the last symbol there is no size to bound it: accept 1 MiB. */
  if (lo == self->symbols->len && address - sym->address > (1 << 20))
    return FALSE;
  *name = sym->name;
  *module = sym->module;
  *offset = address - sym->address;
  return TRUE;
}

GBytes *
pyro_kernel_build_id (void)
{
  g_autofree guint8 *notes = NULL;
  gsize len = 0;
  if (!g_file_get_contents ("/sys/kernel/notes", (char **) &notes, &len, NULL))
    return NULL;
  gsize pos = 0;
  while (pos + 12 <= len)
    {
      guint32 namesz, descsz, type;
      memcpy (&namesz, notes + pos, 4);
      memcpy (&descsz, notes + pos + 4, 4);
      memcpy (&type, notes + pos + 8, 4);
      gsize name_off = pos + 12;
      gsize desc_off = name_off + ((namesz + 3u) & ~3u);
      gsize next = desc_off + ((descsz + 3u) & ~3u);
      if (namesz > len || descsz > len || next > len)
        return NULL;
      if (type == 3 && namesz == 4 && memcmp (notes + name_off, "GNU", 4) == 0)
        return g_bytes_new (notes + desc_off, descsz);
      pos = next;
    }
  return NULL;
}
