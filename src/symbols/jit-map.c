#include "jit-map.h"

#include <string.h>

typedef struct {
  guint64 start;
  guint64 end;
  const char *name;
} JitEntry;

struct _PyroJitMap {
  GStringChunk *strings;
  GArray *entries; /* JitEntry by start */
};

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  guint64 x = ((const JitEntry *) a)->start, y = ((const JitEntry *) b)->start;
  return x < y ? -1 : x > y;
}

PyroJitMap *
pyro_jit_map_load (const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;

  PyroJitMap *self = g_new0 (PyroJitMap, 1);
  self->strings = g_string_chunk_new (4096);
  self->entries = g_array_new (FALSE, FALSE, sizeof (JitEntry));
  for (char *line = text, *next; line != NULL && *line; line = next)
    {
      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      char *end = NULL;
      guint64 start = g_ascii_strtoull (line, &end, 16);
      if (end == line || *end != ' ')
        continue;
      char *size_text = end + 1;
      guint64 size = g_ascii_strtoull (size_text, &end, 16);
      if (end == size_text || *end != ' ' || size == 0 || start + size < start)
        continue;
      JitEntry entry = { start, start + size, g_string_chunk_insert_const (self->strings, end + 1) };
      g_array_append_val (self->entries, entry);
    }
  if (self->entries->len == 0)
    {
      pyro_jit_map_free (self);
      return NULL;
    }
  /* Later lines describe newer code at reused addresses: a stable sort keeps
   * their order, and the lookup takes the last entry starting at or below. */
  g_array_sort (self->entries, compare_entries);
  return self;
}

void
pyro_jit_map_free (PyroJitMap *self)
{
  if (self == NULL)
    return;
  g_string_chunk_free (self->strings);
  g_array_unref (self->entries);
  g_free (self);
}

const char *
pyro_jit_map_lookup (const PyroJitMap *self, guint64 address)
{
  const JitEntry *e = (const JitEntry *) self->entries->data;
  guint lo = 0, hi = self->entries->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (e[mid].start <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i > 0 && lo - i < 4; i--)
    if (address < e[i - 1].end)
      return e[i - 1].name;
  return NULL;
}
