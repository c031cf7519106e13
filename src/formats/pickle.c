#include "pickle.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

struct _PyroPickle {
  GPtrArray *values;        /* every value made, owned */
  PyroPickleValue *root;
};

typedef struct {
  const PyroLoadContext *ctx;
  PyroPickle *pickle;
  const guint8 *data;
  gsize length;
  gsize pos;
  gsize op_offset;          /* offset of the opcode being run, for errors */
  GPtrArray *stack;         /* PyroPickleValue* */
  GArray *marks;            /* guint stack lengths at each MARK */
  GHashTable *memo;         /* index -> value */
} Unpickler;

static void
value_free (gpointer data)
{
  PyroPickleValue *v = data;
  g_free (v->text);
  if (v->items != NULL)
    g_ptr_array_unref (v->items);
  g_free (v);
}

static PyroPickleValue *
new_value (Unpickler *u, PyroPickleType type)
{
  PyroPickleValue *v = g_new0 (PyroPickleValue, 1);
  v->type = type;
  v->offset = u->op_offset;
  if (type == PYRO_PICKLE_TUPLE || type == PYRO_PICKLE_LIST || type == PYRO_PICKLE_DICT)
    v->items = g_ptr_array_new ();
  g_ptr_array_add (u->pickle->values, v);
  return v;
}

static gboolean
fail (Unpickler *u, GError **error, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Unpickler *u, GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, u->ctx, u->op_offset, "%s", message);
  return FALSE;
}

static gboolean
take (Unpickler *u, gsize n, const guint8 **out, GError **error)
{
  if (n > u->length - u->pos)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, u->ctx, u->op_offset,
                             _("the pickle opcode 0x%02x needs %zu more bytes, "
                               "but the file ends after %zu"),
                             u->data[u->op_offset], n, u->length - u->pos);
      return FALSE;
    }
  *out = u->data + u->pos;
  u->pos += n;
  return TRUE;
}

static guint64
le (const guint8 *p, guint n)
{
  guint64 v = 0;
  for (guint i = n; i > 0; i--)
    v = v << 8 | p[i - 1];
  return v;
}

static void
push (Unpickler *u, PyroPickleValue *v)
{
  g_ptr_array_add (u->stack, v);
}

static gboolean
pop (Unpickler *u, PyroPickleValue **out, GError **error)
{
  guint floor = u->marks->len ? g_array_index (u->marks, guint, u->marks->len - 1) : 0;
  if (u->stack->len <= floor)
    return fail (u, error, _("the pickle opcode 0x%02x needs a value, but the stack is empty"),
                 u->data[u->op_offset]);
  *out = g_ptr_array_steal_index (u->stack, u->stack->len - 1);
  return TRUE;
}

static PyroPickleValue *
top (Unpickler *u)
{
  return g_ptr_array_index (u->stack, u->stack->len - 1);
}

/* Moves every value above the last MARK into @items (if given) and drops the mark. */
static gboolean
pop_mark (Unpickler *u, GPtrArray *items, GError **error)
{
  if (u->marks->len == 0)
    return fail (u, error, _("the pickle opcode 0x%02x needs a MARK before it, found none"),
                 u->data[u->op_offset]);
  guint at = g_array_index (u->marks, guint, u->marks->len - 1);
  g_array_set_size (u->marks, u->marks->len - 1);
  for (guint i = at; items != NULL && i < u->stack->len; i++)
    g_ptr_array_add (items, g_ptr_array_index (u->stack, i));
  g_ptr_array_set_size (u->stack, at);
  return TRUE;
}

/* UTF-8 where NUL is a character like any other, as in Python strings. */
static gboolean
valid_utf8 (const guint8 *p, gsize n)
{
  while (n > 0)
    {
      const guint8 *nul = memchr (p, '\0', n);
      gsize segment = nul ? (gsize) (nul - p) : n;
      if (!g_utf8_validate_len ((const char *) p, segment, NULL))
        return FALSE;
      segment += nul ? 1 : 0;
      p += segment;
      n -= segment;
    }
  return TRUE;
}

static gboolean
push_text (Unpickler *u, PyroPickleType type, gsize n, GError **error)
{
  const guint8 *p;
  if (!take (u, n, &p, error))
    return FALSE;
  if (type == PYRO_PICKLE_STRING && !valid_utf8 (p, n))
    return fail (u, error, _("expected a UTF-8 string of %zu bytes, found invalid UTF-8"), n);
  PyroPickleValue *v = new_value (u, type);
  v->text = g_malloc (n + 1);
  memcpy (v->text, p, n);
  v->text[n] = '\0';
  v->length = n;
  push (u, v);
  return TRUE;
}

static gboolean
push_int_bytes (Unpickler *u, const guint8 *p, gsize n)
{
  PyroPickleValue *v = new_value (u, PYRO_PICKLE_INT);
  if (n <= 8)
    {
      guint64 raw = le (p, (guint) n);
      if (n > 0 && n < 8 && (p[n - 1] & 0x80))
        raw |= ~(guint64) 0 << (n * 8);
      v->integer = (gint64) raw;
      v->number = (double) v->integer;
    }
  else
    {
      /* Too wide for 64 bits: keep the value as a double. */
      double d = 0;
      gboolean negative = (p[n - 1] & 0x80) != 0;
      for (gsize i = n; i > 0; i--)
        d = d * 256 + (negative ? (guint8) ~p[i - 1] : p[i - 1]);
      v->number = negative ? -(d + 1) : d;
      v->integer = v->number >= 0 ? G_MAXINT64 : G_MININT64;
    }
  push (u, v);
  return TRUE;
}

/* A text line (protocol 0 opcodes), without its newline. */
static gboolean
take_line (Unpickler *u, char **out, GError **error)
{
  const guint8 *nl = memchr (u->data + u->pos, '\n', u->length - u->pos);
  if (nl == NULL)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, u->ctx, u->op_offset,
                             _("the pickle opcode '%c' needs a line ending in a newline, "
                               "but the file ends first"), u->data[u->op_offset]);
      return FALSE;
    }
  *out = g_strndup ((const char *) u->data + u->pos, (gsize) (nl - u->data) - u->pos);
  u->pos = (gsize) (nl - u->data) + 1;
  return TRUE;
}

static gboolean
make_global (Unpickler *u, const char *module, const char *name)
{
  PyroPickleValue *v = new_value (u, PYRO_PICKLE_GLOBAL);
  v->text = g_strdup_printf ("%s.%s", module, name);
  v->length = strlen (v->text);
  push (u, v);
  return TRUE;
}

static gboolean
memo_get (Unpickler *u, guint64 index, GError **error)
{
  PyroPickleValue *v = g_hash_table_lookup (u->memo, &index);
  if (v == NULL)
    return fail (u, error, _("the pickle refers to memo entry %" PRIu64 ", which was never stored"), index);
  push (u, v);
  return TRUE;
}

static gboolean
memo_put (Unpickler *u, guint64 index, GError **error)
{
  guint floor = u->marks->len ? g_array_index (u->marks, guint, u->marks->len - 1) : 0;
  if (u->stack->len <= floor)
    return fail (u, error, _("the pickle stores an empty stack in its memo"));
  g_hash_table_insert (u->memo, g_memdup2 (&index, sizeof index), top (u));
  return TRUE;
}

/* SETITEM(S) add to a dict, APPEND(S) to a list. */
static gboolean
add_items (Unpickler *u, PyroPickleValue *container, GPtrArray *items, GError **error)
{
  guint8 op = u->data[u->op_offset];
  gboolean to_dict = op == 's' || op == 'u';
  if (container->type != (to_dict ? PYRO_PICKLE_DICT : PYRO_PICKLE_LIST))
    return fail (u, error, _("the pickle adds items to something that is not a %s"),
                 to_dict ? "dict" : "list");
  if (to_dict && items->len % 2 != 0)
    return fail (u, error, _("expected key/value pairs for a dict, found an odd count (%u)"), items->len);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (container->items, g_ptr_array_index (items, i));
  return TRUE;
}

static gboolean
make_tuple (Unpickler *u, guint n, GError **error)
{
  PyroPickleValue *t = new_value (u, PYRO_PICKLE_TUPLE);
  g_ptr_array_set_size (t->items, n);
  for (guint i = n; i > 0; i--)
    {
      PyroPickleValue *v = NULL;
      if (!pop (u, &v, error))
        return FALSE;
      g_ptr_array_index (t->items, i - 1) = v;
    }
  push (u, t);
  return TRUE;
}

static gboolean
step (Unpickler *u, gboolean *stop, GError **error)
{
  const guint8 *p;
  PyroPickleValue *a = NULL, *b = NULL, *c = NULL;
  u->op_offset = u->pos;
  if (!take (u, 1, &p, error))
    return FALSE;
  guint8 op = p[0];

  switch (op)
    {
    case 0x80: /* PROTO */
      if (!take (u, 1, &p, error))
        return FALSE;
      if (p[0] > 5)
        return fail (u, error, _("pickle protocol %u is newer than the 5 this reader knows"), p[0]);
      return TRUE;
    case 0x95: /* FRAME: a length hint only */
      return take (u, 8, &p, error);
    case '.': /* STOP */
      if (!pop (u, &u->pickle->root, error))
        return FALSE;
      *stop = TRUE;
      return TRUE;
    case '(': /* MARK */
      if (u->marks->len >= PYRO_PICKLE_MAX_DEPTH)
        return fail (u, error, _("the pickle nests MARKs deeper than %d"), PYRO_PICKLE_MAX_DEPTH);
      g_array_append_val (u->marks, u->stack->len);
      return TRUE;
    case '0': /* POP */
      return pop (u, &a, error);
    case '1': /* POP_MARK */
      return pop_mark (u, NULL, error);
    case '2': /* DUP */
      if (!pop (u, &a, error))
        return FALSE;
      push (u, a);
      push (u, a);
      return TRUE;
    case 'N':
      push (u, new_value (u, PYRO_PICKLE_NONE));
      return TRUE;
    case 0x88: case 0x89: /* NEWTRUE, NEWFALSE */
      a = new_value (u, PYRO_PICKLE_BOOL);
      a->integer = op == 0x88;
      a->number = a->integer;
      push (u, a);
      return TRUE;
    case 'K': /* BININT1 */
    case 'M': /* BININT2 */
      if (!take (u, op == 'K' ? 1 : 2, &p, error))
        return FALSE;
      a = new_value (u, PYRO_PICKLE_INT);
      a->integer = (gint64) le (p, op == 'K' ? 1 : 2);
      a->number = (double) a->integer;
      push (u, a);
      return TRUE;
    case 'J': /* BININT */
      return take (u, 4, &p, error) && push_int_bytes (u, p, 4);
    case 0x8a: /* LONG1 */
    case 0x8b: /* LONG4 */
      {
        guint width = op == 0x8a ? 1 : 4;
        if (!take (u, width, &p, error))
          return FALSE;
        guint64 n = le (p, width);
        return take (u, n, &p, error) && push_int_bytes (u, p, n);
      }
    case 'I': case 'L': /* INT, LONG (text) */
      {
        g_autofree char *line = NULL;
        if (!take_line (u, &line, error))
          return FALSE;
        if (op == 'L' && g_str_has_suffix (line, "L"))
          line[strlen (line) - 1] = '\0';
        char *end;
        a = new_value (u, op == 'I' && (g_str_equal (line, "00") || g_str_equal (line, "01"))
                            ? PYRO_PICKLE_BOOL : PYRO_PICKLE_INT);
        a->number = g_ascii_strtod (line, &end);
        if (end == line || *end != '\0' || strpbrk (line, ".eEnN") != NULL)
          return fail (u, error, _("expected a decimal integer, found '%.40s'"), line);
        if (a->type == PYRO_PICKLE_BOOL)
          a->number = a->integer = line[1] == '1';
        else
          {
            /* exact when it fits; out of range it saturates, as LONG1 does */
            errno = 0;
            a->integer = g_ascii_strtoll (line, NULL, 10);
            if (errno == 0)
              a->number = (double) a->integer;
          }
        push (u, a);
        return TRUE;
      }
    case 'G': /* BINFLOAT, big-endian */
      {
        if (!take (u, 8, &p, error))
          return FALSE;
        guint64 bits;
        memcpy (&bits, p, sizeof bits);
        bits = GUINT64_FROM_BE (bits);
        a = new_value (u, PYRO_PICKLE_FLOAT);
        memcpy (&a->number, &bits, sizeof bits);
        push (u, a);
        return TRUE;
      }
    case 'F': /* FLOAT (text) */
      {
        g_autofree char *line = NULL;
        if (!take_line (u, &line, error))
          return FALSE;
        char *end;
        a = new_value (u, PYRO_PICKLE_FLOAT);
        a->number = g_ascii_strtod (line, &end);
        if (end == line || *end != '\0')
          return fail (u, error, _("expected a decimal number, found '%.40s'"), line);
        push (u, a);
        return TRUE;
      }
    case 0x8c: /* SHORT_BINUNICODE */
      return take (u, 1, &p, error) && push_text (u, PYRO_PICKLE_STRING, p[0], error);
    case 'X': /* BINUNICODE */
      return take (u, 4, &p, error) && push_text (u, PYRO_PICKLE_STRING, le (p, 4), error);
    case 0x8d: /* BINUNICODE8 */
      return take (u, 8, &p, error) && push_text (u, PYRO_PICKLE_STRING, le (p, 8), error);
    case 'C': case 'U': /* SHORT_BINBYTES, SHORT_BINSTRING */
      return take (u, 1, &p, error) && push_text (u, PYRO_PICKLE_BYTES, p[0], error);
    case 'B': case 'T': /* BINBYTES, BINSTRING */
      return take (u, 4, &p, error) && push_text (u, PYRO_PICKLE_BYTES, le (p, 4), error);
    case 0x8e: /* BINBYTES8 */
      return take (u, 8, &p, error) && push_text (u, PYRO_PICKLE_BYTES, le (p, 8), error);
    case ')': /* EMPTY_TUPLE */
      return make_tuple (u, 0, error);
    case 0x85: case 0x86: case 0x87: /* TUPLE1..3 */
      return make_tuple (u, op - 0x84, error);
    case 't': /* TUPLE */
      a = new_value (u, PYRO_PICKLE_TUPLE);
      if (!pop_mark (u, a->items, error))
        return FALSE;
      push (u, a);
      return TRUE;
    case ']': /* EMPTY_LIST */
      push (u, new_value (u, PYRO_PICKLE_LIST));
      return TRUE;
    case 'l': /* LIST */
      a = new_value (u, PYRO_PICKLE_LIST);
      if (!pop_mark (u, a->items, error))
        return FALSE;
      push (u, a);
      return TRUE;
    case '}': /* EMPTY_DICT */
      push (u, new_value (u, PYRO_PICKLE_DICT));
      return TRUE;
    case 'd': /* DICT */
      a = new_value (u, PYRO_PICKLE_DICT);
      if (!pop_mark (u, a->items, error))
        return FALSE;
      if (a->items->len % 2 != 0)
        return fail (u, error, _("expected key/value pairs for a dict, found an odd count (%u)"), a->items->len);
      push (u, a);
      return TRUE;
    case 'a': /* APPEND */
      {
        if (!pop (u, &a, error) || !pop (u, &b, error))
          return FALSE;
        g_autoptr (GPtrArray) items = g_ptr_array_new ();
        g_ptr_array_add (items, a);
        push (u, b);
        return add_items (u, b, items, error);
      }
    case 's': /* SETITEM */
      {
        if (!pop (u, &b, error) || !pop (u, &a, error) || !pop (u, &c, error))
          return FALSE;
        g_autoptr (GPtrArray) items = g_ptr_array_new ();
        g_ptr_array_add (items, a);
        g_ptr_array_add (items, b);
        push (u, c);
        return add_items (u, c, items, error);
      }
    case 'e': case 'u': /* APPENDS, SETITEMS */
      {
        g_autoptr (GPtrArray) items = g_ptr_array_new ();
        if (!pop_mark (u, items, error) || !pop (u, &a, error))
          return FALSE;
        push (u, a);
        return add_items (u, a, items, error);
      }
    case 0x94: /* MEMOIZE */
      return memo_put (u, g_hash_table_size (u->memo), error);
    case 'q': /* BINPUT */
      return take (u, 1, &p, error) && memo_put (u, p[0], error);
    case 'r': /* LONG_BINPUT */
      return take (u, 4, &p, error) && memo_put (u, le (p, 4), error);
    case 'h': /* BINGET */
      return take (u, 1, &p, error) && memo_get (u, p[0], error);
    case 'j': /* LONG_BINGET */
      return take (u, 4, &p, error) && memo_get (u, le (p, 4), error);
    case 'c': /* GLOBAL "module\nname\n" */
      {
        g_autofree char *module = NULL, *name = NULL;
        if (!take_line (u, &module, error) || !take_line (u, &name, error))
          return FALSE;
        g_autofree char *m = g_utf8_make_valid (module, -1), *n = g_utf8_make_valid (name, -1);
        return make_global (u, m, n);
      }
    case 0x93: /* STACK_GLOBAL */
      if (!pop (u, &b, error) || !pop (u, &a, error))
        return FALSE;
      if (a->type != PYRO_PICKLE_STRING || b->type != PYRO_PICKLE_STRING)
        return fail (u, error, _("expected a module and a name (strings) for a class reference"));
      return make_global (u, a->text, b->text);
    case 0x81: /* NEWOBJ: cls, args */
    case 'R':  /* REDUCE: callable, args — recorded, never called */
      if (!pop (u, &b, error) || !pop (u, &a, error))
        return FALSE;
      c = new_value (u, PYRO_PICKLE_OBJECT);
      c->cls = a;
      c->args = b;
      push (u, c);
      return TRUE;
    case 0x92: /* NEWOBJ_EX: cls, args, kwargs */
      if (!pop (u, &c, error) || !pop (u, &b, error) || !pop (u, &a, error))
        return FALSE;
      c = new_value (u, PYRO_PICKLE_OBJECT);
      c->cls = a;
      c->args = b;
      push (u, c);
      return TRUE;
    case 'b': /* BUILD: obj, state */
      if (!pop (u, &b, error) || !pop (u, &a, error))
        return FALSE;
      if (a->type != PYRO_PICKLE_OBJECT)
        return fail (u, error, _("the pickle sets the state of something that is not an object"));
      a->state = b;
      push (u, a);
      return TRUE;
    default:
      return fail (u, error, _("unsupported pickle opcode 0x%02x ('%c'); this reader builds "
                     "plain data only"), op, g_ascii_isprint (op) ? op : '?');
    }
}

PyroPickle *
pyro_pickle_parse (const PyroLoadContext *ctx, GError **error)
{
  g_autoptr (PyroPickle) pickle = g_new0 (PyroPickle, 1);
  pickle->values = g_ptr_array_new_with_free_func (value_free);
  Unpickler u = {
    .ctx = ctx,
    .pickle = pickle,
    .data = ctx->data,
    .length = ctx->length,
    .stack = g_ptr_array_new (),
    .marks = g_array_new (FALSE, FALSE, sizeof (guint)),
    .memo = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
  };
  gboolean stop = FALSE, ok = TRUE;
  gsize next_step = 1u << 20;
  while (ok && !stop)
    {
      if (u.pos >= u.length)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, ctx, u.length,
                                 _("the pickle ends without its STOP opcode ('.')"));
          ok = FALSE;
          break;
        }
      ok = step (&u, &stop, error);
      if (ok && u.pos >= next_step)
        {
          ok = pyro_format_step (ctx, u.pos, error);
          next_step = u.pos + (1u << 20);
        }
    }
  g_ptr_array_unref (u.stack);
  g_array_unref (u.marks);
  g_hash_table_unref (u.memo);
  if (!ok)
    return NULL;
  return g_steal_pointer (&pickle);
}

void
pyro_pickle_free (PyroPickle *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->values);
  g_free (self);
}

PyroPickleValue *
pyro_pickle_root (PyroPickle *self)
{
  return self->root;
}

PyroPickleValue *
pyro_pickle_dict_get (const PyroPickleValue *dict, const char *key)
{
  if (dict == NULL || dict->type != PYRO_PICKLE_DICT)
    return NULL;
  for (guint i = 0; i + 1 < dict->items->len; i += 2)
    {
      const PyroPickleValue *k = g_ptr_array_index (dict->items, i);
      if (k->type == PYRO_PICKLE_STRING && g_str_equal (k->text, key))
        return g_ptr_array_index (dict->items, i + 1);
    }
  return NULL;
}

guint
pyro_pickle_len (const PyroPickleValue *value)
{
  if (value == NULL || value->items == NULL)
    return 0;
  return value->type == PYRO_PICKLE_DICT ? value->items->len / 2 : value->items->len;
}

PyroPickleValue *
pyro_pickle_item (const PyroPickleValue *value, guint i)
{
  if (value == NULL || value->items == NULL || i >= value->items->len)
    return NULL;
  return g_ptr_array_index (value->items, i);
}

gboolean
pyro_pickle_number (const PyroPickleValue *value, double *out)
{
  if (value == NULL || (value->type != PYRO_PICKLE_INT && value->type != PYRO_PICKLE_FLOAT
                        && value->type != PYRO_PICKLE_BOOL))
    return FALSE;
  *out = value->number;
  return TRUE;
}
