#include "marshal.h"

#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

#define FLAG_REF 0x80
#define ARENA_BLOCK (64u * 1024u)
#define STEP_BYTES (1u << 20)

/* Values live in blocks that are freed together with the document. */
typedef struct {
  GPtrArray *blocks;
  guint8 *cur;
  gsize left;
} Arena;

struct _PyroMarshalDocument {
  Arena arena;
  PyroMarshalValue root;
};

/* The type of a reference-table slot whose object is still being read. */
#define PENDING G_MAXUINT32

/* How `w_object` lays out a code object in each Python release: raw 4-byte
 * ints first, then fields.  T: a tuple; S: str or bytes; f: the file name;
 * n: the function name; L: the first line as a raw 4-byte int. */
typedef struct {
  const char *python;
  guint n_longs;
  const char *fields;
} CodeLayout;

static const CodeLayout code_layouts[] = {
  { N_("3.11 and later"), 5, "STTTSfnSLSS" },
  { N_("3.8 to 3.10"), 6, "STTTTTfnLS" },
  { N_("3.0 to 3.7"), 5, "STTTTTfnLS" },
  { "2.x", 4, "STTTTTfnLS" },
};

/* A growable array of values: appending through GArray's function call
 * was most of the parse time. */
typedef struct {
  PyroMarshalValue *data;
  gsize len;
  gsize cap;
} Values;

static inline void
values_push (Values *a, const PyroMarshalValue *v)
{
  if (G_UNLIKELY (a->len == a->cap))
    {
      a->cap = MAX (64, a->cap * 2);
      a->data = g_renew (PyroMarshalValue, a->data, a->cap);
    }
  a->data[a->len++] = *v;
}

typedef struct {
  const PyroLoadContext *ctx;
  const guint8 *data;
  gsize length;
  gsize pos;
  guint depth;
  Values refs;          /* type PENDING while being read */
  Values interned;      /* Python 2 interned strings, for 'R' */
  Values scratch;       /* items of the containers being read */
  int code_layout;      /* index into code_layouts, -1 while unknown */
  gsize next_step;
  Arena *arena;
} Parser;

static gpointer
arena_alloc (Arena *a, gsize size)
{
  size = (size + 7) & ~(gsize) 7;
  if (a->left < size)
    {
      gsize block = MAX (size, ARENA_BLOCK);
      a->cur = g_malloc (block);
      g_ptr_array_add (a->blocks, a->cur);
      a->left = block;
    }
  gpointer mem = a->cur;
  a->cur += size;
  a->left -= size;
  return mem;
}

const char *
pyro_marshal_type_name (PyroMarshalType type)
{
  switch (type)
    {
    case PYRO_MARSHAL_NONE: return "None";
    case PYRO_MARSHAL_BOOL: return _("a bool");
    case PYRO_MARSHAL_INT: return _("an int");
    case PYRO_MARSHAL_FLOAT: return _("a float");
    case PYRO_MARSHAL_STR: return _("a str");
    case PYRO_MARSHAL_BYTES: return _("a bytes string");
    case PYRO_MARSHAL_TUPLE: return _("a tuple");
    case PYRO_MARSHAL_LIST: return _("a list");
    case PYRO_MARSHAL_DICT: return _("a dict");
    case PYRO_MARSHAL_SET: return _("a set");
    case PYRO_MARSHAL_CODE: return _("a code object");
    case PYRO_MARSHAL_OTHER:
    default: return _("an object of another type");
    }
}

gboolean
pyro_marshal_number (const PyroMarshalValue *value, double *out)
{
  if (value->type != PYRO_MARSHAL_INT && value->type != PYRO_MARSHAL_FLOAT
      && value->type != PYRO_MARSHAL_BOOL)
    return FALSE;
  *out = value->number;
  return TRUE;
}

static gboolean
need (Parser *p, gsize n, const char *what, GError **error)
{
  if (p->length - p->pos >= n)
    return TRUE;
  pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, p->ctx, p->pos,
                         _("expected %s (%zu bytes), but the file ends at byte %zu"), _(what), n, p->length);
  return FALSE;
}

static guint32
take_u32 (Parser *p)
{
  const guint8 *b = p->data + p->pos;
  p->pos += 4;
  return (guint32) b[0] | (guint32) b[1] << 8 | (guint32) b[2] << 16 | (guint32) b[3] << 24;
}

static guint64
take_u64 (Parser *p)
{
  guint64 lo = take_u32 (p);
  guint64 hi = take_u32 (p);
  return lo | hi << 32;
}

/* A 4-byte length that must be >= 0 and, at @unit bytes per element, fit in
 * what is left of the file. */
static gboolean
take_length (Parser *p, gsize unit, const char *what, guint32 *out, GError **error)
{
  gsize at = p->pos;
  if (!need (p, 4, N_("a 4-byte length"), error))
    return FALSE;
  gint32 n = (gint32) take_u32 (p);
  if (n < 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, at,
                             _("expected the length of %s, found a negative length %d"), _(what), n);
      return FALSE;
    }
  if ((guint64) n * unit > p->length - p->pos)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, p->ctx, at,
                             _("%s of length %d cannot fit in the %zu"
                               " bytes left in the file"), _(what), n, p->length - p->pos);
      return FALSE;
    }
  *out = (guint32) n;
  return TRUE;
}

static gboolean
read_text_number (Parser *p, double *out, GError **error)
{
  gsize at = p->pos;
  if (!need (p, 1, N_("the length of a float written as text"), error))
    return FALSE;
  guint n = p->data[p->pos++];
  if (!need (p, n, N_("the digits of a float written as text"), error))
    return FALSE;
  char buf[257];
  memcpy (buf, p->data + p->pos, n);
  buf[n] = '\0';
  p->pos += n;
  char *end = NULL;
  *out = g_ascii_strtod (buf, &end);
  if (n == 0 || end != buf + n)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, at,
                             _("expected a float written as text, found '%s'"), buf);
      return FALSE;
    }
  return TRUE;
}

/* A long: a signed 4-byte digit count, then 15-bit digits, least
 * significant first.  Kept as a double: every pstats number is one. */
static gboolean
read_long (Parser *p, double *out, GError **error)
{
  gsize at = p->pos;
  if (!need (p, 4, N_("the digit count of a long int"), error))
    return FALSE;
  gint32 n = (gint32) take_u32 (p);
  guint64 count = n < 0 ? (guint64) -(gint64) n : (guint64) n;
  if (count * 2 > p->length - p->pos)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, p->ctx, at,
                             _("a long int of %" PRIu64 " digits cannot fit in the %zu"
                               " bytes left in the file"), count, p->length - p->pos);
      return FALSE;
    }
  double value = 0;
  for (guint64 i = count; i > 0; i--)
    {
      const guint8 *d = p->data + p->pos + (i - 1) * 2;
      guint digit = (guint) d[0] | (guint) d[1] << 8;
      if (digit > 0x7fff)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx,
                                 p->pos + (i - 1) * 2,
                                 _("expected a 15-bit digit of a long int, found %u"), digit);
          return FALSE;
        }
      value = value * 32768.0 + digit;
    }
  p->pos += count * 2;
  *out = n < 0 ? -value : value;
  return TRUE;
}

static gboolean read_object (Parser *p, PyroMarshalValue *out, GError **error);

/* Moves the items pushed since @base into the arena. */
static const PyroMarshalValue *
collect_items (Parser *p, gsize base)
{
  gsize n = p->scratch.len - base;
  PyroMarshalValue *items = arena_alloc (p->arena, MAX (n, 1) * sizeof (PyroMarshalValue));
  if (n > 0)
    memcpy (items, p->scratch.data + base, n * sizeof (PyroMarshalValue));
  p->scratch.len = base;
  return items;
}

static gboolean
read_sequence (Parser *p, PyroMarshalValue *v, guint32 n, GError **error)
{
  gsize base = p->scratch.len;
  for (guint32 i = 0; i < n; i++)
    {
      PyroMarshalValue item;
      if (!read_object (p, &item, error))
        return FALSE;
      values_push (&p->scratch, &item);
    }
  v->len = n;
  v->items = collect_items (p, base);
  return TRUE;
}

static gboolean
read_dict (Parser *p, PyroMarshalValue *v, GError **error)
{
  gsize base = p->scratch.len;
  for (;;)
    {
      if (p->pos >= p->length)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, p->ctx, p->pos,
                                 _("the dict that starts at byte %zu"
                                   " never ends: expected a key or its closing '0', but the file "
                                   "ends here"), v->offset);
          return FALSE;
        }
      if ((p->data[p->pos] & ~FLAG_REF) == '0')
        {
          p->pos++;
          break;
        }
      PyroMarshalValue key, value;
      if (!read_object (p, &key, error))
        return FALSE;
      if (p->pos < p->length && (p->data[p->pos] & ~FLAG_REF) == '0')
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, p->pos,
                                 _("expected the value of the dict key at byte %zu"
                                   ", found the end-of-dict byte '0'"), key.offset);
          return FALSE;
        }
      if (!read_object (p, &value, error))
        return FALSE;
      values_push (&p->scratch, &key);
      values_push (&p->scratch, &value);
    }
  if ((p->scratch.len - base) / 2 > G_MAXUINT32)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, p->ctx, v->offset,
                             _("a dict of more than %u entries"), G_MAXUINT32);
      return FALSE;
    }
  v->len = (guint32) ((p->scratch.len - base) / 2);
  v->items = collect_items (p, base);
  return TRUE;
}

static gboolean
field_matches (char kind, const PyroMarshalValue *value)
{
  if (kind == 'T')
    return value->type == PYRO_MARSHAL_TUPLE;
  return value->type == PYRO_MARSHAL_STR || value->type == PYRO_MARSHAL_BYTES;
}

static gboolean
read_code_as (Parser *p, PyroMarshalCode *code, const CodeLayout *layout, GError **error)
{
  if (!need (p, 4 * layout->n_longs, N_("the integer fields of a code object"), error))
    return FALSE;
  p->pos += 4 * layout->n_longs;
  for (guint i = 0; layout->fields[i] != '\0'; i++)
    {
      char kind = layout->fields[i];
      if (kind == 'L')
        {
          if (!need (p, 4, N_("the first line of a code object"), error))
            return FALSE;
          gint32 line = (gint32) take_u32 (p);
          code->first_line = line > 0 ? (guint32) line : 0;
          continue;
        }
      gsize at = p->pos;
      PyroMarshalValue field;
      if (!read_object (p, &field, error))
        return FALSE;
      if (!field_matches (kind, &field))
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, at,
                                 _("field %u of a Python %s code object should be %s, found %s"),
                                 i + 1, _(layout->python), kind == 'T' ? _("a tuple") : _("a string"),
                                 pyro_marshal_type_name (field.type));
          return FALSE;
        }
      if (kind == 'f')
        code->file = field;
      else if (kind == 'n')
        code->name = field;
    }
  return TRUE;
}

/* The layout is found once per file, on its first code object, by trying
 * each release's layout; nested code objects then follow the same one, so a
 * wrong guess costs one extra pass over that object. */
static gboolean
read_code (Parser *p, PyroMarshalValue *v, GError **error)
{
  PyroMarshalCode *code = arena_alloc (p->arena, sizeof *code);
  memset (code, 0, sizeof *code);
  v->code = code;
  if (p->code_layout >= 0)
    return read_code_as (p, code, &code_layouts[p->code_layout], error);

  gsize pos = p->pos;
  guint depth = p->depth;
  gsize refs = p->refs.len, interned = p->interned.len, scratch = p->scratch.len;
  for (guint i = 0; i < G_N_ELEMENTS (code_layouts); i++)
    {
      g_autoptr (GError) local = NULL;
      p->code_layout = (int) i;
      if (read_code_as (p, code, &code_layouts[i], &local))
        return TRUE;
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      p->pos = pos;
      p->depth = depth;
      p->refs.len = refs;
      p->interned.len = interned;
      p->scratch.len = scratch;
    }
  p->code_layout = -1;
  pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, p->ctx, v->offset,
                         _("found a marshalled code object whose fields match no Python release "
                           "this reader knows (2.x, 3.0 to 3.7, 3.8 to 3.10, 3.11 and later), so "
                           "it cannot be skipped"));
  return FALSE;
}

static gboolean
read_string (Parser *p, PyroMarshalValue *v, gboolean short_length, GError **error)
{
  guint32 n;
  if (short_length)
    {
      if (!need (p, 1, N_("the length of a short string"), error))
        return FALSE;
      n = p->data[p->pos++];
      if (!need (p, n, N_("the characters of a short string"), error))
        return FALSE;
    }
  else if (!take_length (p, 1, N_("a string"), &n, error))
    return FALSE;
  v->str = (const char *) p->data + p->pos;
  v->len = n;
  p->pos += n;
  return TRUE;
}

static gboolean
read_body (Parser *p, guint8 code, PyroMarshalValue *v, GError **error)
{
  switch (code)
    {
    case 'i':
      if (!need (p, 4, N_("a 4-byte int"), error))
        return FALSE;
      v->type = PYRO_MARSHAL_INT;
      v->number = (gint32) take_u32 (p);
      return TRUE;
    case 'I':
      if (!need (p, 8, N_("an 8-byte int"), error))
        return FALSE;
      v->type = PYRO_MARSHAL_INT;
      v->number = (double) (gint64) take_u64 (p);
      return TRUE;
    case 'l':
      v->type = PYRO_MARSHAL_INT;
      return read_long (p, &v->number, error);
    case 'g':
      {
        if (!need (p, 8, N_("an 8-byte float"), error))
          return FALSE;
        guint64 bits = take_u64 (p);
        v->type = PYRO_MARSHAL_FLOAT;
        memcpy (&v->number, &bits, sizeof bits);
        return TRUE;
      }
    case 'f':
      v->type = PYRO_MARSHAL_FLOAT;
      return read_text_number (p, &v->number, error);
    case 'y':
      v->type = PYRO_MARSHAL_OTHER;
      if (!need (p, 16, N_("a 16-byte complex"), error))
        return FALSE;
      p->pos += 16;
      return TRUE;
    case 'x':
      {
        double part;
        v->type = PYRO_MARSHAL_OTHER;
        return read_text_number (p, &part, error) && read_text_number (p, &part, error);
      }
    case 's':
      v->type = PYRO_MARSHAL_BYTES;
      return read_string (p, v, FALSE, error);
    case 't':
      v->type = PYRO_MARSHAL_STR;
      if (!read_string (p, v, FALSE, error))
        return FALSE;
      values_push (&p->interned, v);
      return TRUE;
    case 'u':
    case 'a':
    case 'A':
      v->type = PYRO_MARSHAL_STR;
      return read_string (p, v, FALSE, error);
    case 'z':
    case 'Z':
      v->type = PYRO_MARSHAL_STR;
      return read_string (p, v, TRUE, error);
    case ')':
      if (!need (p, 1, N_("the length of a small tuple"), error))
        return FALSE;
      v->type = PYRO_MARSHAL_TUPLE;
      {
        guint32 n = p->data[p->pos++];
        if (n > p->length - p->pos)
          {
            pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, p->ctx, p->pos - 1,
                                   _("a tuple of %u items cannot fit in the %zu"
                                     " bytes left in the file"), n, p->length - p->pos);
            return FALSE;
          }
        return read_sequence (p, v, n, error);
      }
    case '(':
    case '[':
    case '<':
    case '>':
      {
        guint32 n;
        v->type = code == '(' ? PYRO_MARSHAL_TUPLE : code == '[' ? PYRO_MARSHAL_LIST : PYRO_MARSHAL_SET;
        return take_length (p, 1, code == '(' ? N_("a tuple") : code == '[' ? N_("a list") : N_("a set"),
                            &n, error)
               && read_sequence (p, v, n, error);
      }
    case '{':
      v->type = PYRO_MARSHAL_DICT;
      return read_dict (p, v, error);
    case 'c':
      v->type = PYRO_MARSHAL_CODE;
      return read_code (p, v, error);
    default:
      break;
    }
  pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, v->offset,
                         _("expected a marshal type code, found byte 0x%02x%s"), code,
                         code == '0' ? _(" (the end of a dict, outside any dict)") : "");
  return FALSE;
}

static gboolean
read_reference (Parser *p, guint8 code, gsize at, PyroMarshalValue *out, GError **error)
{
  if (!need (p, 4, N_("a 4-byte reference index"), error))
    return FALSE;
  guint32 index = take_u32 (p);
  const Values *table = code == 'r' ? &p->refs : &p->interned;
  if (index >= table->len)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, at,
                             _("reference %u points past the %zu %s read so far"),
                             index, table->len,
                             code == 'r' ? _("referable objects") : _("interned strings"));
      return FALSE;
    }
  *out = table->data[index];
  if (out->type == PENDING)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, p->ctx, at,
                             _("reference %u points to an object that contains the reference "
                               "itself"), index);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_object (Parser *p, PyroMarshalValue *v, GError **error)
{
  gsize at = p->pos;
  if (at >= p->next_step)
    {
      if (!pyro_format_step (p->ctx, at, error))
        return FALSE;
      p->next_step = at + STEP_BYTES;
    }
  if (!need (p, 1, N_("a marshal type code"), error))
    return FALSE;
  if (p->depth >= PYRO_MARSHAL_MAX_DEPTH)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, p->ctx, at,
                             _("objects nested deeper than %d levels"), PYRO_MARSHAL_MAX_DEPTH);
      return FALSE;
    }

  guint8 byte = p->data[p->pos++];
  guint8 code = byte & ~FLAG_REF;
  memset (v, 0, sizeof *v);
  v->offset = at;
  switch (code)
    {
    case 'N':
      v->type = PYRO_MARSHAL_NONE;
      return TRUE;
    case 'F':
    case 'T':
      v->type = PYRO_MARSHAL_BOOL;
      v->number = code == 'T';
      return TRUE;
    case 'S':
    case '.':
      v->type = PYRO_MARSHAL_OTHER;
      return TRUE;
    case 'r':
    case 'R':
      return read_reference (p, code, at, v, error);
    default:
      break;
    }

  /* A flagged object takes its slot before its children are read. */
  gsize slot = p->refs.len;
  if (byte & FLAG_REF)
    {
      PyroMarshalValue pending = { .type = PENDING, .offset = at };
      values_push (&p->refs, &pending);
    }
  v->type = PYRO_MARSHAL_OTHER;
  p->depth++;
  if (!read_body (p, code, v, error))
    return FALSE;
  p->depth--;
  if (byte & FLAG_REF)
    p->refs.data[slot] = *v;
  return TRUE;
}

PyroMarshalDocument *
pyro_marshal_parse (const PyroLoadContext *ctx, GError **error)
{
  g_autoptr (PyroMarshalDocument) doc = g_new0 (PyroMarshalDocument, 1);
  doc->arena.blocks = g_ptr_array_new_with_free_func (g_free);
  Parser p = {
    .ctx = ctx,
    .data = ctx->data,
    .length = ctx->length,
    .code_layout = -1,
    .arena = &doc->arena,
  };
  gboolean ok = read_object (&p, &doc->root, error);
  g_free (p.refs.data);
  g_free (p.interned.data);
  g_free (p.scratch.data);
  if (!ok)
    return NULL;
  return g_steal_pointer (&doc);
}

const PyroMarshalValue *
pyro_marshal_document_root (const PyroMarshalDocument *doc)
{
  return &doc->root;
}

void
pyro_marshal_document_free (PyroMarshalDocument *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->arena.blocks);
  g_free (doc);
}
