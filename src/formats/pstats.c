#include "pstats.h"
#include "marshal.h"
#include "core/call-stats-tree.h"

#include <string.h>
#include <glib/gi18n.h>

/* A key by the identity of its parts: cProfile writes a fresh tuple for
 * every caller entry, but its strings are shared through references, so
 * equal pointers into the file mean equal strings. */
typedef struct {
  gconstpointer name;  /* string or code object; NULL in an empty slot */
  gconstpointer file;
  guint64 line_bits;
  guint32 func;
} KeySlot;

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  KeySlot *keys;            /* open addressing, power-of-two size */
  gsize n_keys_slots;
  gsize n_keys;
  GArray *stats_row;        /* func -> index into func_stats, PYRO_NONE */
  GArray *edge_stamp;       /* func -> 1 + index of the entry that last added an edge from it */
  GArray *edge_index;       /* func -> index into call_edges of that edge */
  GArray *module_of_file;   /* file string id -> module string id, PYRO_NONE */
  const char *last_file;    /* the file text of the previous key, most often shared */
  guint32 last_file_len;
  guint32 last_file_id;
} PstatsReader;

static const char *const pstats_extensions[] = { "prof", "pstats", "cprof", NULL };

static guint32
intern_text (PyroProfile *p, const PyroMarshalValue *v)
{
  if (g_utf8_validate (v->str, v->len, NULL))
    return pyro_profile_intern_len (p, v->str, v->len);
  /* Python 2 byte strings in another encoding than UTF-8. */
  g_autofree char *valid = g_utf8_make_valid (v->str, v->len);
  return pyro_profile_intern (p, valid);
}

static gboolean
is_text (const PyroMarshalValue *v)
{
  return v->type == PYRO_MARSHAL_STR || v->type == PYRO_MARSHAL_BYTES;
}

static char *
text_dup (const PyroMarshalValue *v)
{
  return v->type == PYRO_MARSHAL_STR || v->type == PYRO_MARSHAL_BYTES
         ? g_utf8_make_valid (v->str, v->len) : g_strdup ("?");
}

/* The module of a built-in, from cProfile's `<built-in method mod.name>`
 * or `<method 'name' of 'mod.Type' objects>`. */
static char *
module_of_builtin (const char *name)
{
  if (g_str_has_prefix (name, "<built-in method "))
    {
      const char *start = name + strlen ("<built-in method ");
      const char *dot = strrchr (start, '.');
      return dot != NULL ? g_strndup (start, (gsize) (dot - start)) : g_strdup ("");
    }
  const char *of = strstr (name, "' of '");
  if (g_str_has_prefix (name, "<method '") && of != NULL)
    {
      const char *start = of + strlen ("' of '");
      const char *end = strchr (start, '\'');
      if (end == NULL)
        return g_strdup ("");
      const char *dot = g_strrstr_len (start, end - start, ".");
      return dot != NULL ? g_strndup (start, (gsize) (dot - start)) : g_strdup ("builtins");
    }
  return g_strdup ("");
}

/* The dotted module name of a source path: relative to site-packages or the
 * standard library when it lies there, else the file's own name. */
static char *
module_of_path (const char *file)
{
  gsize len = strlen (file);
  if (g_str_has_prefix (file, "<frozen ") && len > 9 && file[len - 1] == '>')
    return g_strndup (file + 8, len - 9);
  if (*file == '<' || *file == '\0')
    return g_strdup ("");

  const char *rel = NULL;
  const char *markers[] = { "/site-packages/", "/dist-packages/" };
  for (guint i = 0; i < G_N_ELEMENTS (markers) && rel == NULL; i++)
    {
      const char *m = g_strrstr (file, markers[i]);
      if (m != NULL)
        rel = m + strlen (markers[i]);
    }
  if (rel == NULL)
    {
      const char *lib = g_strrstr (file, "/lib/python");
      const char *slash = lib != NULL ? strchr (lib + 1 + strlen ("lib/python"), '/') : NULL;
      if (slash != NULL)
        rel = slash + 1;
    }
  if (rel == NULL)
    {
      const char *slash = strrchr (file, '/');
      const char *backslash = strrchr (file, '\\');
      rel = MAX (slash, backslash) != NULL ? MAX (slash, backslash) + 1 : file;
    }

  GString *module = g_string_new (rel);
  const char *exts[] = { ".py", ".pyw", ".pyx" };
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    if (g_str_has_suffix (module->str, exts[i]))
      {
        g_string_truncate (module, module->len - strlen (exts[i]));
        break;
      }
  for (gsize i = 0; i < module->len; i++)
    if (module->str[i] == '/' || module->str[i] == '\\')
      module->str[i] = '.';
  if (g_str_has_suffix (module->str, ".__init__"))
    g_string_truncate (module, module->len - strlen (".__init__"));
  else if (g_str_equal (module->str, "__init__"))
    g_string_truncate (module, 0);
  return g_string_free (module, FALSE);
}

static guint32
line_of (double line)
{
  return line >= 0 && line <= G_MAXUINT32 ? (guint32) line : 0;
}

static void
ensure_func_slots (PstatsReader *r, guint32 func)
{
  guint old = r->stats_row->len;
  if (func < old)
    return;
  guint size = MAX (func + 1, old * 2);
  g_array_set_size (r->stats_row, size);
  g_array_set_size (r->edge_stamp, size);
  g_array_set_size (r->edge_index, size);
  for (guint i = old; i < size; i++)
    {
      g_array_index (r->stats_row, guint32, i) = PYRO_NONE;
      g_array_index (r->edge_stamp, guint32, i) = 0;
    }
}

static guint32
module_for_file (PstatsReader *r, guint32 file_id)
{
  GArray *cache = r->module_of_file;
  if (file_id >= cache->len)
    {
      guint old = cache->len;
      g_array_set_size (cache, MAX (file_id + 1, old * 2));
      memset (&g_array_index (cache, guint32, old), 0xff, (cache->len - old) * sizeof (guint32));
    }
  guint32 *slot = &g_array_index (cache, guint32, file_id);
  if (*slot == PYRO_NONE)
    {
      g_autofree char *module = module_of_path (pyro_profile_str (r->profile, file_id));
      *slot = pyro_profile_intern (r->profile, module);
    }
  return *slot;
}

static gsize
key_hash (gconstpointer name, gconstpointer file, guint64 line_bits)
{
  guint64 h = (guint64) (guintptr) name * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  h ^= (guint64) (guintptr) file * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F);
  h ^= line_bits * G_GUINT64_CONSTANT (0x165667B19E3779F9);
  return (gsize) (h ^ (h >> 29));
}

static KeySlot *
key_slot (KeySlot *slots, gsize n_slots, gconstpointer name, gconstpointer file,
          guint64 line_bits)
{
  gsize i = key_hash (name, file, line_bits) & (n_slots - 1);
  while (slots[i].name != NULL
         && (slots[i].name != name || slots[i].file != file || slots[i].line_bits != line_bits))
    i = (i + 1) & (n_slots - 1);
  return &slots[i];
}

static void
remember_key (PstatsReader *r, gconstpointer name, gconstpointer file, guint64 line_bits,
              guint32 func)
{
  if ((r->n_keys + 1) * 2 > r->n_keys_slots)
    {
      gsize n = MAX (1024, r->n_keys_slots * 2);
      KeySlot *slots = g_new0 (KeySlot, n);
      for (gsize i = 0; i < r->n_keys_slots; i++)
        if (r->keys[i].name != NULL)
          *key_slot (slots, n, r->keys[i].name, r->keys[i].file, r->keys[i].line_bits)
            = r->keys[i];
      g_free (r->keys);
      r->keys = slots;
      r->n_keys_slots = n;
    }
  *key_slot (r->keys, r->n_keys_slots, name, file, line_bits)
    = (KeySlot) { name, file, line_bits, func };
  r->n_keys++;
}

/* A key (file, line, name); the `profile` module names its entry point by
 * the code object it ran. */
static gboolean
key_func (PstatsReader *r, const PyroMarshalValue *key, guint32 *out, GError **error)
{
  double line;
  if (key->type != PYRO_MARSHAL_TUPLE || key->len != 3 || !is_text (&key->items[0])
      || !pyro_marshal_number (&key->items[1], &line)
      || !(is_text (&key->items[2]) || key->items[2].type == PYRO_MARSHAL_CODE))
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, key->offset,
                             _("expected a function key (file, line, name), found %s%s"),
                             pyro_marshal_type_name (key->type),
                             key->type == PYRO_MARSHAL_TUPLE ? _(" of other items") : "");
      return FALSE;
    }

  PyroProfile *p = r->profile;
  const PyroMarshalValue *file = &key->items[0], *name = &key->items[2];
  gconstpointer name_id_ptr = name->type == PYRO_MARSHAL_CODE ? (gconstpointer) name->code
                                                              : (gconstpointer) name->str;
  guint64 line_bits;
  memcpy (&line_bits, &line, sizeof line_bits);
  if (r->keys != NULL)
    {
      const KeySlot *slot = key_slot (r->keys, r->n_keys_slots, name_id_ptr, file->str,
                                      line_bits);
      if (slot->name != NULL)
        {
          *out = slot->func;
          return TRUE;
        }
    }

  if (file->str != r->last_file || file->len != r->last_file_len)
    {
      r->last_file = file->str;
      r->last_file_len = file->len;
      r->last_file_id = intern_text (p, file);
    }
  guint32 file_id = r->last_file_id;
  guint32 name_id;
  if (name->type == PYRO_MARSHAL_CODE)
    {
      g_autofree char *code_name = text_dup (&name->code->name);
      g_autofree char *code_file = text_dup (&name->code->file);
      g_autofree char *text = g_strdup_printf ("<code object %s, file \"%s\", line %u>",
                                               code_name, code_file, name->code->first_line);
      name_id = pyro_profile_intern (p, text);
    }
  else
    name_id = intern_text (p, name);

  const char *file_text = pyro_profile_str (p, file_id);
  gboolean builtin = g_str_equal (file_text, "~") || file_text[0] == '\0'
                     || (g_str_equal (file_text, "profile") && line == 0);
  guint32 module_id;
  if (builtin)
    {
      g_autofree char *module = module_of_builtin (pyro_profile_str (p, name_id));
      module_id = pyro_profile_intern (p, module);
    }
  else
    module_id = module_for_file (r, file_id);
  guint32 func = pyro_profile_add_func (p, name_id, file_id, line_of (line), module_id,
                                        builtin ? PYRO_FUNC_OTHER : PYRO_FUNC_PYTHON);
  ensure_func_slots (r, func);
  remember_key (r, name_id_ptr, file->str, line_bits, func);
  *out = func;
  return TRUE;
}

static gboolean
numbers (const PyroMarshalValue *tuple, guint n, double *out)
{
  for (guint i = 0; i < n; i++)
    if (!pyro_marshal_number (&tuple->items[i], &out[i]))
      return FALSE;
  return TRUE;
}

/* Keys that name the same function (the `profile` module's code objects,
 * unmarshalled twice) are merged as pstats.Stats.add merges them: summed. */
static void
add_edge (PstatsReader *r, guint32 entry, gboolean callee_merged, const PyroCallEdge *edge)
{
  PyroProfile *p = r->profile;
  guint32 *stamp = &g_array_index (r->edge_stamp, guint32, edge->caller);
  guint32 *index = &g_array_index (r->edge_index, guint32, edge->caller);
  guint32 found = *stamp == entry + 1 ? *index : PYRO_NONE;

  for (guint i = 0; callee_merged && found == PYRO_NONE && i < p->call_edges->len; i++)
    {
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, i);
      if (e->caller == edge->caller && e->callee == edge->callee)
        found = i;
    }
  if (found != PYRO_NONE)
    {
      PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, found);
      e->total_calls += edge->total_calls;
      e->prim_calls += edge->prim_calls;
      e->self_time += edge->self_time;
      e->cum_time += edge->cum_time;
    }
  else
    {
      found = p->call_edges->len;
      pyro_profile_add_call_edge (p, edge);
    }
  *stamp = entry + 1;
  *index = found;
}

static gboolean
read_entry (PstatsReader *r, guint32 entry, const PyroMarshalValue *key,
            const PyroMarshalValue *value, GError **error)
{
  guint32 func;
  if (!key_func (r, key, &func, error))
    return FALSE;

  double v[4];
  if (value->type != PYRO_MARSHAL_TUPLE || value->len != 5 || !numbers (value, 4, v)
      || value->items[4].type != PYRO_MARSHAL_DICT)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, value->offset,
                             _("expected the statistics (primitive calls, calls, own time, "
                               "cumulative time, {callers}) of the function at byte %zu"
                               ", found %s%s"), key->offset,
                             pyro_marshal_type_name (value->type),
                             value->type == PYRO_MARSHAL_TUPLE ? _(" of other items") : "");
      return FALSE;
    }

  PyroProfile *p = r->profile;
  guint32 *row = &g_array_index (r->stats_row, guint32, func);
  gboolean merged = *row != PYRO_NONE;
  if (merged)
    {
      PyroFuncStats *st = &g_array_index (p->func_stats, PyroFuncStats, *row);
      st->prim_calls += v[0];
      st->total_calls += v[1];
      st->self_time += v[2];
      st->cum_time += v[3];
    }
  else
    {
      PyroFuncStats st = { func, v[0], v[1], v[2], v[3] };
      *row = p->func_stats->len;
      pyro_profile_add_func_stats (p, &st);
    }

  const PyroMarshalValue *callers = &value->items[4];
  for (guint32 i = 0; i < callers->len; i++)
    {
      const PyroMarshalValue *ckey = &callers->items[2 * i];
      const PyroMarshalValue *cval = &callers->items[2 * i + 1];
      PyroCallEdge edge = { .callee = func };
      if (!key_func (r, ckey, &edge.caller, error))
        return FALSE;
      double c[4], n;
      /* cProfile: (nc, cc, tt, ct), calls first; profile: a call count. */
      if (cval->type == PYRO_MARSHAL_TUPLE && cval->len == 4 && numbers (cval, 4, c))
        {
          edge.total_calls = c[0];
          edge.prim_calls = c[1];
          edge.self_time = c[2];
          edge.cum_time = c[3];
        }
      else if (pyro_marshal_number (cval, &n))
        edge.total_calls = edge.prim_calls = n;
      else
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, cval->offset,
                                 _("expected a caller's (calls, primitive calls, own time, "
                                   "cumulative time) or its call count, found %s"),
                                 pyro_marshal_type_name (cval->type));
          return FALSE;
        }
      add_edge (r, entry, merged, &edge);
    }
  return TRUE;
}

static PyroProfile *
pstats_load (const PyroLoadContext *ctx, GError **error)
{
  g_autoptr (PyroMarshalDocument) doc = pyro_marshal_parse (ctx, error);
  if (doc == NULL)
    return NULL;
  const PyroMarshalValue *root = pyro_marshal_document_root (doc);
  if (root->type != PYRO_MARSHAL_DICT)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, root->offset,
                             _("expected a dict of function statistics (a cProfile or profile "
                               "dump), found %s"), pyro_marshal_type_name (root->type));
      return NULL;
    }
  if (root->len == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, root->offset,
                             _("the dump holds no functions: was anything run under the profiler?"));
      return NULL;
    }

  g_autoptr (PyroProfile) profile = pyro_profile_new ("pstats");
  profile->meta.unit = PYRO_UNIT_SECONDS;
  PstatsReader r = {
    .ctx = ctx,
    .profile = profile,
    .stats_row = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .edge_stamp = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .edge_index = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .module_of_file = g_array_new (FALSE, FALSE, sizeof (guint32)),
  };
  gboolean ok = TRUE;
  for (guint32 i = 0; ok && i < root->len; i++)
    {
      const PyroMarshalValue *key = &root->items[2 * i];
      if (i % 4096 == 4095)
        ok = pyro_format_step (ctx, key->offset, error);
      ok = ok && read_entry (&r, i, key, &root->items[2 * i + 1], error);
    }
  g_free (r.keys);
  g_array_unref (r.stats_row);
  g_array_unref (r.edge_stamp);
  g_array_unref (r.edge_index);
  g_array_unref (r.module_of_file);
  if (!ok)
    return NULL;

  guint32 thread = pyro_profile_add_thread (profile, 0, 0, "profiled code", NULL);
  pyro_call_stats_tree_build (profile, thread, PYRO_CALL_STATS_TREE_MAX_NODES,
                              PYRO_CALL_STATS_TREE_MAX_DEPTH);
  return g_steal_pointer (&profile);
}

/* `{` (or `{` with FLAG_REF, Python 3.4+) opening a dict whose first key is
 * a 3-tuple: `)` 3 in Python 3, `(` 3 0 0 0 in Python 2. */
static PyroSniff
pstats_sniff (const guint8 *data, gsize length, const char *basename)
{
  if (length < 2 || (data[0] != '{' && data[0] != ('{' | 0x80)))
    return PYRO_SNIFF_NO;
  guint8 first = data[1] & 0x7f;
  if (first == ')' && length >= 3 && data[2] == 3)
    return PYRO_SNIFF_MAGIC;
  if (first == '(' && length >= 6 && memcmp (data + 2, "\3\0\0\0", 4) == 0)
    return PYRO_SNIFF_MAGIC;
  if (first == '0' && length == 2)
    return PYRO_SNIFF_CONTENT;
  return PYRO_SNIFF_NO;
}

const PyroFormatReader pyro_pstats_reader = {
  .id = "pstats",
  .name = N_("cProfile/profile dump (pstats)"),
  .extensions = pstats_extensions,
  .mime_type = "application/x-python-pstats",
  .sniff = pstats_sniff,
  .load = pstats_load,
};
