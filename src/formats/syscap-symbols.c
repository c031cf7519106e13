#include "syscap-symbols.h"
#include "reader.h"

#include <glib/gi18n.h>
#include <string.h>

#define HEADER "pyrometer-symbols 1\n"

typedef struct {
  guint32 pid;
  guint64 address;
  guint first;  /* index into frames */
  guint n;
} Entry;

struct _PyroSyscapSymbols {
  GStringChunk *strings;
  GHashTable *string_ids;  /* interned char * -> id + 1 */
  GPtrArray *string_list;  /* id -> interned char * */
  GArray *frames;          /* PyroSyscapSymbol, strings interned */
  GArray *entries;         /* Entry */
  GHashTable *index;       /* Entry key -> entry index + 1 */
};

static guint
entry_hash (gconstpointer p)
{
  const Entry *e = p;
  return g_int64_hash (&e->address) ^ (e->pid * 2654435761u);
}

static gboolean
entry_equal (gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  return x->pid == y->pid && x->address == y->address;
}

PyroSyscapSymbols *
pyro_syscap_symbols_new (void)
{
  PyroSyscapSymbols *self = g_new0 (PyroSyscapSymbols, 1);
  self->strings = g_string_chunk_new (4096);
  self->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->string_list = g_ptr_array_new ();
  self->frames = g_array_new (FALSE, FALSE, sizeof (PyroSyscapSymbol));
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->index = g_hash_table_new_full (entry_hash, entry_equal, g_free, NULL);
  return self;
}

void
pyro_syscap_symbols_free (PyroSyscapSymbols *self)
{
  if (self == NULL)
    return;
  g_string_chunk_free (self->strings);
  g_hash_table_unref (self->string_ids);
  g_ptr_array_unref (self->string_list);
  g_array_unref (self->frames);
  g_array_unref (self->entries);
  g_hash_table_unref (self->index);
  g_free (self);
}

static const char *
intern (PyroSyscapSymbols *self, const char *s)
{
  if (s == NULL)
    return NULL;
  gpointer id = g_hash_table_lookup (self->string_ids, s);
  if (id != NULL)
    return g_ptr_array_index (self->string_list, GPOINTER_TO_UINT (id) - 1);
  /* One line a string: a newline inside a name would end the record. */
  char *copy = g_string_chunk_insert (self->strings, s);
  for (char *p = copy; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  g_ptr_array_add (self->string_list, copy);
  g_hash_table_insert (self->string_ids, copy, GUINT_TO_POINTER (self->string_list->len));
  return copy;
}

static guint
string_id (PyroSyscapSymbols *self, const char *s)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->string_ids, s)) - 1;
}

void
pyro_syscap_symbols_add (PyroSyscapSymbols *self, guint32 pid, guint64 address,
                         const PyroSyscapSymbol *frames, guint n_frames)
{
  Entry key = { .pid = pid, .address = address };
  if (n_frames == 0 || g_hash_table_contains (self->index, &key))
    return;
  Entry e = { .pid = pid, .address = address, .first = self->frames->len, .n = n_frames };
  for (guint i = 0; i < n_frames; i++)
    {
      PyroSyscapSymbol f = frames[i];
      f.function = intern (self, f.function != NULL ? f.function : "");
      f.file = intern (self, f.file);
      f.module = intern (self, f.module);
      g_array_append_val (self->frames, f);
    }
  g_array_append_val (self->entries, e);
  g_hash_table_insert (self->index, g_memdup2 (&e, sizeof e), GUINT_TO_POINTER (self->entries->len));
}

guint
pyro_syscap_symbols_size (PyroSyscapSymbols *self)
{
  return self->entries->len;
}

static const char kind_chars[] = { [PYRO_FUNC_NATIVE] = 'n', [PYRO_FUNC_PYTHON] = 'p',
                                   [PYRO_FUNC_KERNEL] = 'k', [PYRO_FUNC_OTHER] = 'o' };

static void
append_id (GString *out, PyroSyscapSymbols *self, const char *s)
{
  if (s == NULL)
    g_string_append (out, " -");
  else
    g_string_append_printf (out, " %u", string_id (self, s));
}

GBytes *
pyro_syscap_symbols_serialize (PyroSyscapSymbols *self)
{
  GString *out = g_string_new (HEADER);
  for (guint i = 0; i < self->string_list->len; i++)
    g_string_append_printf (out, "s %s\n", (const char *) g_ptr_array_index (self->string_list, i));
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *e = &g_array_index (self->entries, Entry, i);
      g_string_append_printf (out, "a %u %" G_GINT64_MODIFIER "x %u\n", e->pid, e->address, e->n);
      for (guint k = 0; k < e->n; k++)
        {
          const PyroSyscapSymbol *f = &g_array_index (self->frames, PyroSyscapSymbol, e->first + k);
          g_string_append_printf (out, "f %c %d %u", kind_chars[f->kind], f->inlined ? 1 : 0, f->line);
          append_id (out, self, f->function);
          append_id (out, self, f->file);
          append_id (out, self, f->module);
          if (f->function_line != 0)
            g_string_append_printf (out, " %u", f->function_line);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free_to_bytes (out);
}

static gboolean
parse_u64 (const char *s, guint base, guint64 max, guint64 *out)
{
  return g_ascii_string_to_unsigned (s, base, 0, max, out, NULL);
}

static gboolean
parse_string_ref (PyroSyscapSymbols *self, const char *s, const char **out)
{
  guint64 id;
  if (g_str_equal (s, "-"))
    {
      *out = NULL;
      return TRUE;
    }
  if (!parse_u64 (s, 10, G_MAXUINT32, &id) || id >= self->string_list->len)
    return FALSE;
  *out = g_ptr_array_index (self->string_list, id);
  return TRUE;
}

static gboolean
parse_frame (PyroSyscapSymbols *self, char *line, PyroSyscapSymbol *f)
{
  g_auto (GStrv) fields = g_strsplit (line, " ", 0);
  guint n_fields = g_strv_length (fields);
  if ((n_fields != 7 && n_fields != 8) || !g_str_equal (fields[0], "f") || strlen (fields[1]) != 1)
    return FALSE;
  const char *k = memchr (kind_chars, fields[1][0], sizeof kind_chars);
  guint64 inlined, lineno, function_line = 0;
  if (k == NULL || !parse_u64 (fields[2], 10, 1, &inlined)
      || !parse_u64 (fields[3], 10, G_MAXUINT32, &lineno)
      || (n_fields == 8 && !parse_u64 (fields[7], 10, G_MAXUINT32, &function_line)))
    return FALSE;
  f->function_line = (guint32) function_line;
  f->kind = (PyroFuncKind) (k - kind_chars);
  f->inlined = inlined != 0;
  f->line = (guint32) lineno;
  return parse_string_ref (self, fields[4], &f->function) && f->function != NULL
         && parse_string_ref (self, fields[5], &f->file)
         && parse_string_ref (self, fields[6], &f->module);
}

static gboolean
parse_entry (const char *line, Entry *entry, guint *n_frames)
{
  g_auto (GStrv) fields = g_strsplit (line, " ", 0);
  guint64 pid, address, n;
  if (g_strv_length (fields) != 4 || !g_str_equal (fields[0], "a")
      || !parse_u64 (fields[1], 10, G_MAXUINT32, &pid)
      || !parse_u64 (fields[2], 16, G_MAXUINT64, &address)
      || !parse_u64 (fields[3], 10, 1024, &n) || n == 0)
    return FALSE;
  *entry = (Entry) { .pid = (guint32) pid, .address = address };
  *n_frames = (guint) n;
  return TRUE;
}

PyroSyscapSymbols *
pyro_syscap_symbols_parse (const char *text, gsize length, GError **error)
{
  gsize header_len = strlen (HEADER);
  if (length < header_len || memcmp (text, HEADER, header_len) != 0)
    {
      g_set_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_INVALID,
                   "the embedded symbol table does not start with \"pyrometer-symbols 1\"");
      return NULL;
    }
  g_autoptr (PyroSyscapSymbols) self = pyro_syscap_symbols_new ();
  g_autoptr (GArray) pending = g_array_new (FALSE, FALSE, sizeof (PyroSyscapSymbol));
  Entry current = { 0 };
  guint want = 0;
  gsize pos = header_len;
  guint lineno = 1;

  while (pos < length)
    {
      const char *nl = memchr (text + pos, '\n', length - pos);
      if (nl == NULL)
        break;  /* a last line without its newline was cut: drop it */
      g_autofree char *line = g_strndup (text + pos, nl - (text + pos));
      gsize line_at = pos;
      pos = nl - text + 1;
      lineno++;

      if (want > 0)
        {
          PyroSyscapSymbol f;
          if (!parse_frame (self, line, &f))
            goto bad;
          g_array_append_val (pending, f);
          if (--want == 0)
            {
              current.first = self->frames->len;
              current.n = pending->len;
              g_array_append_vals (self->frames, pending->data, pending->len);
              g_array_append_val (self->entries, current);
              g_hash_table_insert (self->index, g_memdup2 (&current, sizeof current),
                                   GUINT_TO_POINTER (self->entries->len));
              g_array_set_size (pending, 0);
            }
          continue;
        }
      if (line[0] == 's' && line[1] == ' ')
        {
          char *copy = g_string_chunk_insert (self->strings, line + 2);
          g_ptr_array_add (self->string_list, copy);
          g_hash_table_insert (self->string_ids, copy, GUINT_TO_POINTER (self->string_list->len));
          continue;
        }
      if (!parse_entry (line, &current, &want))
        goto bad;
      continue;

    bad:
      g_set_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_INVALID,
                   _("line %u (byte %zu) of the embedded symbol table: "
                     "expected \"s TEXT\", \"a PID ADDRESS N\" or \"f KIND INLINED LINE FUNC FILE MODULE [FUNCLINE]\""),
                   lineno, line_at);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const PyroSyscapSymbol *
pyro_syscap_symbols_lookup (PyroSyscapSymbols *self, guint32 pid, guint64 address, guint *n_frames)
{
  Entry key = { .pid = pid, .address = address };
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->index, &key));
  if (i == 0 && pid != 0)
    {
      key.pid = 0;
      i = GPOINTER_TO_UINT (g_hash_table_lookup (self->index, &key));
    }
  if (i == 0)
    return NULL;
  const Entry *e = &g_array_index (self->entries, Entry, i - 1);
  *n_frames = e->n;
  return &g_array_index (self->frames, PyroSyscapSymbol, e->first);
}

typedef struct {
  const char *file;
  guint frames;
} FileCount;

static int
compare_counts (gconstpointer a, gconstpointer b)
{
  const FileCount *x = a, *y = b;
  if (x->frames != y->frames)
    return x->frames > y->frames ? -1 : 1;
  return strcmp (x->file, y->file);
}

GPtrArray *
pyro_syscap_symbols_source_files (PyroSyscapSymbols *self)
{
  g_autoptr (GHashTable) counts = g_hash_table_new (NULL, NULL);  /* interned file -> count */
  for (guint i = 0; i < self->frames->len; i++)
    {
      const PyroSyscapSymbol *f = &g_array_index (self->frames, PyroSyscapSymbol, i);
      if (f->file == NULL || f->file[0] == '\0' || f->line == 0)
        continue;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, f->file));
      g_hash_table_insert (counts, (gpointer) f->file, GUINT_TO_POINTER (n + 1));
    }
  g_autoptr (GArray) sorted = g_array_new (FALSE, FALSE, sizeof (FileCount));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FileCount c = { key, GPOINTER_TO_UINT (value) };
      g_array_append_val (sorted, c);
    }
  g_array_sort (sorted, compare_counts);
  GPtrArray *files = g_ptr_array_sized_new (sorted->len);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (files, (gpointer) g_array_index (sorted, FileCount, i).file);
  return files;
}
