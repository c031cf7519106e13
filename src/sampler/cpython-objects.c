/* cpython-objects.c — Python objects read out of another process. */
#include "sampler/cpython-objects.h"

#include <gio/gio.h>
#include <string.h>

#define MAX_STR_CHARS 4096
#define MAX_BYTES (1 << 20)
#define MAX_DICT_ENTRIES (1 << 16)

/* Type flags from CPython's object.h, unchanged since 3.11. */
#define TPFLAGS_INLINE_VALUES (1ul << 2)
#define TPFLAGS_MANAGED_DICT (1ul << 4)

/* dk_kind: DICT_KEYS_GENERAL entries carry a hash, the others do not. */
#define DICT_KEYS_GENERAL 0

typedef struct {
  guint8 *header;   /* the object's header past its reference count */
  char *text;
} CachedStr;

static void
cached_str_free (gpointer data)
{
  CachedStr *c = data;
  g_free (c->header);
  g_free (c->text);
  g_free (c);
}

struct _PyroCPythonObjects {
  PyroCPythonTarget *target;
  const PyroCPythonLayout *l;
  GHashTable *strings;   /* address -> CachedStr* */
  GPtrArray *retired;    /* texts replaced at their address */
};

PyroCPythonObjects *
pyro_cpython_objects_new (PyroCPythonTarget *target)
{
  PyroCPythonObjects *self = g_new0 (PyroCPythonObjects, 1);
  self->target = target;
  self->l = pyro_cpython_target_layout (target);
  self->strings = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, cached_str_free);
  self->retired = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
pyro_cpython_objects_free (PyroCPythonObjects *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->strings);
  g_ptr_array_unref (self->retired);
  g_free (self);
}

static gboolean
read_u64 (PyroCPythonObjects *self, guint64 addr, guint64 *out)
{
  return addr != 0 && pyro_cpython_target_read (self->target, addr, out, sizeof *out, NULL);
}

/* The text of the str whose header (unicode_compact_data bytes) is @buf. */
static char *
decode_str (PyroCPythonObjects *self, guint64 addr, const guint8 *buf)
{
  const PyroCPythonLayout *l = self->l;
  g_autofree guint8 *data = NULL;
  guint64 length;
  guint32 state, kind;
  gsize n_bytes;
  guint32 data_offset;

  memcpy (&length, buf + l->unicode_length, sizeof length);
  memcpy (&state, buf + l->unicode_state, sizeof state);
  kind = (state >> l->unicode_kind_shift) & 7;
  if (!((state >> l->unicode_compact_shift) & 1) || (kind != 1 && kind != 2 && kind != 4))
    return NULL;
  data_offset = ((state >> l->unicode_ascii_shift) & 1) ? l->unicode_ascii_data
                                                        : l->unicode_compact_data;
  length = MIN (length, MAX_STR_CHARS);
  n_bytes = length * kind;
  data = g_malloc (n_bytes + 4);
  if (n_bytes > 0 && !pyro_cpython_target_read (self->target, addr + data_offset, data, n_bytes, NULL))
    return NULL;
  switch (kind)
    {
    case 1:
      {
        GString *s = g_string_sized_new (n_bytes);
        for (gsize i = 0; i < n_bytes; i++)
          g_string_append_unichar (s, data[i]);
        return g_string_free (s, FALSE);
      }
    case 2:
      return g_utf16_to_utf8 ((const gunichar2 *) data, (glong) length, NULL, NULL, NULL);
    default:
      return g_ucs4_to_utf8 ((const gunichar *) data, (glong) length, NULL, NULL, NULL);
    }
}

static char *
read_str (PyroCPythonObjects *self, guint64 addr)
{
  g_autofree guint8 *buf = g_malloc (self->l->unicode_compact_data);

  if (addr == 0 ||
      !pyro_cpython_target_read (self->target, addr, buf, self->l->unicode_compact_data, NULL))
    return NULL;
  return decode_str (self, addr, buf);
}

/* Strings die and their addresses are reused: an entry is trusted only while
 * the header at its address (type, length, hash, state) is unchanged, which
 * costs one small read instead of reading the text again. */
const char *
pyro_cpython_objects_str (PyroCPythonObjects *self, guint64 addr)
{
  guint32 size = self->l->unicode_compact_data;
  g_autofree guint8 *buf = g_malloc (size);
  CachedStr *cached;
  char *text;
  guint64 *key;

  if (addr == 0 || !pyro_cpython_target_read (self->target, addr, buf, size, NULL))
    return "?";
  cached = g_hash_table_lookup (self->strings, &addr);
  if (cached != NULL && memcmp (cached->header, buf + 8, size - 8) == 0)
    return cached->text;
  text = decode_str (self, addr, buf);
  if (text == NULL)
    return "?";
  if (cached != NULL)
    {
      /* Handed-out text must stay valid: keep the old one alive. */
      g_ptr_array_add (self->retired, cached->text);
      g_free (cached->header);
    }
  else
    {
      cached = g_new0 (CachedStr, 1);
      key = g_new (guint64, 1);
      *key = addr;
      g_hash_table_insert (self->strings, key, cached);
    }
  cached->header = g_memdup2 (buf + 8, size - 8);
  cached->text = text;
  return text;
}

guint8 *
pyro_cpython_objects_bytes (PyroCPythonObjects *self, guint64 addr, gsize *len, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  gint64 size;
  guint8 *data;

  *len = 0;
  if (!pyro_cpython_target_read (self->target, addr + l->bytes_size, &size, sizeof size, error))
    return NULL;
  if (size < 0 || size > MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Process %u: bytes object at 0x%" G_GINT64_MODIFIER "x claims %"
                   G_GINT64_FORMAT " bytes", pyro_cpython_target_pid (self->target), addr, size);
      return NULL;
    }
  data = g_malloc (size + 1);
  if (size > 0 &&
      !pyro_cpython_target_read (self->target, addr + l->bytes_sval, data, size, error))
    {
      g_free (data);
      return NULL;
    }
  *len = size;
  return data;
}

/* An int that fits in 64 bits (thread idents do). */
static gboolean
read_long (PyroCPythonObjects *self, guint64 addr, guint64 *out)
{
  const PyroCPythonLayout *l = self->l;
  gint64 size_or_tag;
  guint64 ndigits;
  guint32 digits[3];
  guint64 value = 0;

  if (!pyro_cpython_target_read (self->target, addr + l->long_size_or_tag, &size_or_tag,
                                 sizeof size_or_tag, NULL))
    return FALSE;
  if (l->long_tagged)
    {
      if ((size_or_tag & 3) == 2)
        return FALSE;  /* negative */
      ndigits = (guint64) size_or_tag >> 3;
    }
  else
    {
      if (size_or_tag < 0)
        return FALSE;
      ndigits = (guint64) size_or_tag;
    }
  if (ndigits > G_N_ELEMENTS (digits))
    return FALSE;
  if (ndigits > 0 &&
      !pyro_cpython_target_read (self->target, addr + l->long_digit, digits, ndigits * 4, NULL))
    return FALSE;
  for (guint64 i = ndigits; i > 0; i--)
    value = (value << 30) | (digits[i - 1] & 0x3fffffff);
  *out = value;
  return TRUE;
}

typedef struct {
  guint64 n;
  guint64 *keys;
  guint64 *values;  /* NULL for the keys of a split table read alone */
} DictItems;

static void
dict_items_clear (DictItems *items)
{
  g_free (items->keys);
  g_free (items->values);
  memset (items, 0, sizeof *items);
}

/* The keys and values of a PyDictKeysObject; the values come from the
 * entries, or from @values_addr for a split table.  Deleted slots have a
 * zero key. */
static gboolean
read_keys (PyroCPythonObjects *self, guint64 keys_addr, guint64 values_addr, DictItems *items)
{
  const PyroCPythonLayout *l = self->l;
  guint8 header[64];
  guint8 log2_index_bytes, kind;
  gint64 nentries;
  guint32 entry_size, key_offset;
  g_autofree guint8 *entries = NULL;

  memset (items, 0, sizeof *items);
  if (keys_addr == 0 || l->dict_keys_indices > sizeof header ||
      !pyro_cpython_target_read (self->target, keys_addr, header, l->dict_keys_indices, NULL))
    return FALSE;
  log2_index_bytes = header[l->dict_keys_log2_index_bytes];
  kind = header[l->dict_keys_kind];
  memcpy (&nentries, header + l->dict_keys_nentries, sizeof nentries);
  if (nentries < 0 || nentries > MAX_DICT_ENTRIES || log2_index_bytes > 24)
    return FALSE;
  entry_size = kind == DICT_KEYS_GENERAL ? l->dict_entry_size : l->dict_unicode_entry_size;
  key_offset = kind == DICT_KEYS_GENERAL ? 8 : 0;
  entries = g_malloc (nentries * entry_size + 1);
  if (nentries > 0 &&
      !pyro_cpython_target_read (self->target,
                                 keys_addr + l->dict_keys_indices + (1ull << log2_index_bytes),
                                 entries, nentries * entry_size, NULL))
    return FALSE;

  items->n = nentries;
  items->keys = g_new0 (guint64, nentries + 1);
  items->values = g_new0 (guint64, nentries + 1);
  for (gint64 i = 0; i < nentries; i++)
    {
      memcpy (&items->keys[i], entries + i * entry_size + key_offset, 8);
      memcpy (&items->values[i], entries + i * entry_size + key_offset + 8, 8);
    }
  if (values_addr != 0 && nentries > 0 &&
      !pyro_cpython_target_read (self->target, values_addr, items->values, nentries * 8, NULL))
    {
      dict_items_clear (items);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_dict (PyroCPythonObjects *self, guint64 dict, DictItems *items)
{
  const PyroCPythonLayout *l = self->l;
  guint64 keys, values;

  if (!read_u64 (self, dict + l->dict_keys, &keys) || !read_u64 (self, dict + l->dict_values, &values))
    return FALSE;
  return read_keys (self, keys, values ? values + l->dict_values_values : 0, items);
}

static guint64
items_find (PyroCPythonObjects *self, const DictItems *items, const char *key)
{
  for (guint64 i = 0; i < items->n; i++)
    if (items->keys[i] != 0 && strcmp (pyro_cpython_objects_str (self, items->keys[i]), key) == 0)
      return items->values[i];
  return 0;
}

static guint64
dict_get (PyroCPythonObjects *self, guint64 dict, const char *key)
{
  DictItems items;
  guint64 value;

  if (dict == 0 || !read_dict (self, dict, &items))
    return 0;
  value = items_find (self, &items, key);
  dict_items_clear (&items);
  return value;
}

/* Attribute @name of an instance of a Python class (managed __dict__). */
static guint64
instance_attr (PyroCPythonObjects *self, guint64 obj, const char *name)
{
  const PyroCPythonLayout *l = self->l;
  guint64 type, flags, slot, values = 0, dict = 0;

  if (!read_u64 (self, obj + l->object_type, &type) ||
      !read_u64 (self, type + l->type_flags, &flags) || !(flags & TPFLAGS_MANAGED_DICT))
    return 0;
  if (!read_u64 (self, obj - l->managed_dict_before, &slot))
    return 0;
  switch (l->managed_values_kind)
    {
    case PYRO_CPY_VALUES_BEFORE_DICT:
      dict = slot;
      if (!read_u64 (self, obj - l->managed_dict_before - 8, &values))
        return 0;
      break;
    case PYRO_CPY_VALUES_TAGGED:
      if (slot & 1)
        values = slot + 1;  /* stored as values - 1 */
      else
        dict = slot;
      break;
    case PYRO_CPY_VALUES_INLINE:
      dict = slot;
      if (flags & TPFLAGS_INLINE_VALUES)
        {
          gint64 basicsize;
          guint8 head[4];
          if (!pyro_cpython_target_read (self->target, type + l->type_basicsize, &basicsize,
                                         sizeof basicsize, NULL) ||
              basicsize <= 0 ||
              !pyro_cpython_target_read (self->target, obj + basicsize, head, sizeof head, NULL))
            return 0;
          if (head[3])  /* valid */
            values = obj + basicsize;
        }
      break;
    default:
      return 0;
    }
  if (values != 0)
    {
      guint64 keys;
      DictItems items;
      guint64 value;

      if (!read_u64 (self, type + l->heaptype_cached_keys, &keys) ||
          !read_keys (self, keys, values + l->dict_values_values, &items))
        return 0;
      value = items_find (self, &items, name);
      dict_items_clear (&items);
      return value;
    }
  return dict_get (self, dict, name);
}

gboolean
pyro_cpython_objects_thread_names (PyroCPythonObjects *self, guint64 interp, GHashTable *names)
{
  const PyroCPythonLayout *l = self->l;
  guint64 modules, threading, module_dict, active;
  DictItems items;

  if (!read_u64 (self, interp + l->interp_modules, &modules) ||
      (threading = dict_get (self, modules, "threading")) == 0 ||
      !read_u64 (self, threading + l->module_dict, &module_dict) ||
      (active = dict_get (self, module_dict, "_active")) == 0 ||
      !read_dict (self, active, &items))
    return FALSE;

  for (guint64 i = 0; i < items.n; i++)
    {
      guint64 ident, name_obj;
      char *name;
      guint64 *key;

      if (items.keys[i] == 0 || items.values[i] == 0 || !read_long (self, items.keys[i], &ident))
        continue;
      name_obj = instance_attr (self, items.values[i], "_name");
      if (name_obj == 0 || (name = read_str (self, name_obj)) == NULL)
        continue;
      key = g_new (guint64, 1);
      *key = ident;
      g_hash_table_replace (names, key, name);
    }
  dict_items_clear (&items);
  return TRUE;
}
