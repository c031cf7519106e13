#define _GNU_SOURCE
#include "folded.h"

#include <string.h>
#include <sys/mman.h>
#include <glib/gi18n.h>
#include <inttypes.h>

/* Consecutive folded lines usually share a prefix (the files are sorted), so
 * the reader keeps the previous line's frames and re-resolves only the frames
 * after the common prefix: most bytes are compared, not hashed. */
typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  GArray *frame_of_string;  /* string id -> frame id, PYRO_NONE when not seen */
  GArray *prev_ends;        /* gsize end offset of each frame in the previous stack */
  GArray *prev_stacks;      /* guint32 stack id after each frame */
  const char *prev;         /* previous stack text */
  gsize prev_len;
  guint32 thread;
} FoldedReader;

static const char *const folded_extensions[] = { "folded", "collapsed", "stacks", NULL };

static gboolean
is_count_char (char c)
{
  return g_ascii_isdigit (c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

/* Parses a non-negative decimal count; FALSE when @s is not one. */
static gboolean
parse_count (const char *s, gsize len, double *out)
{
  if (len == 0 || len > 64)
    return FALSE;
  guint64 v = 0;
  gsize i = 0;
  for (; i < len && g_ascii_isdigit (s[i]); i++)
    {
      if (v > (G_MAXUINT64 - 9) / 10)
        break;
      v = v * 10 + (guint64) (s[i] - '0');
    }
  if (i == len)
    {
      *out = (double) v;
      return TRUE;
    }
  for (gsize k = 0; k < len; k++)
    if (!is_count_char (s[k]))
      return FALSE;
  char buf[65];
  memcpy (buf, s, len);
  buf[len] = '\0';
  char *end = NULL;
  double d = g_ascii_strtod (buf, &end);
  if (end != buf + len || !(d >= 0) || d > 1e300)
    return FALSE;
  *out = d;
  return TRUE;
}

static gboolean
strip_suffix (const char **name, gsize *len, const char *suffix)
{
  gsize n = strlen (suffix);
  if (*len > n && memcmp (*name + *len - n, suffix, n) == 0)
    {
      *len -= n;
      return TRUE;
    }
  return FALSE;
}

static gboolean
looks_python (const char *file, gsize len)
{
  return (len > 3 && memcmp (file + len - 3, ".py", 3) == 0)
         || (len > 4 && memcmp (file + len - 4, ".pyx", 4) == 0)
         || (len >= 7 && memcmp (file, "<frozen", 7) == 0);
}

/* Splits `name (file:line)` (py-spy) and the `_[k]`/`_[j]`/`_[i]` suffixes. */
static guint32
make_frame (FoldedReader *r, const char *text, gsize len)
{
  PyroProfile *p = r->profile;
  const char *name = text;
  gsize name_len = len;
  const char *file = NULL;
  gsize file_len = 0;
  guint32 line = 0;
  PyroFuncKind kind = PYRO_FUNC_NATIVE;

  if (strip_suffix (&name, &name_len, "_[k]"))
    kind = PYRO_FUNC_KERNEL;
  else if (strip_suffix (&name, &name_len, "_[j]"))
    kind = PYRO_FUNC_OTHER;
  else
    strip_suffix (&name, &name_len, "_[i]");

  if (name_len > 3 && name[name_len - 1] == ')')
    {
      const char *open = g_strrstr_len (name, (gssize) name_len, " (");
      if (open != NULL)
        {
          const char *inner = open + 2;
          gsize inner_len = (gsize) (name + name_len - 1 - inner);
          const char *colon = memrchr (inner, ':', inner_len);
          guint64 v = 0;
          gboolean digits = colon != NULL && colon + 1 < inner + inner_len;
          for (const char *c = colon ? colon + 1 : inner; digits && c < inner + inner_len; c++)
            {
              digits = g_ascii_isdigit (*c) && v < G_MAXUINT32 / 10;
              v = v * 10 + (guint64) (*c - '0');
            }
          file = inner;
          file_len = digits ? (gsize) (colon - inner) : inner_len;
          line = digits ? (guint32) v : 0;
          name_len = (gsize) (open - name);
        }
    }
  if (file != NULL && looks_python (file, file_len))
    kind = PYRO_FUNC_PYTHON;

  guint32 name_id, file_id = 0;
  if (g_utf8_validate (name, (gssize) name_len, NULL))
    name_id = pyro_profile_intern_len (p, name, name_len);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (name, (gssize) name_len);
      name_id = pyro_profile_intern (p, valid);
    }
  if (file != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (file, (gssize) file_len);
      file_id = pyro_profile_intern (p, valid);
    }
  guint32 func = pyro_profile_add_func (p, name_id, file_id, 0, 0, kind);
  return pyro_profile_add_frame (p, func, line, 0);
}

static guint32
frame_for_text (FoldedReader *r, const char *text, gsize len)
{
  guint32 sid = pyro_profile_intern_len (r->profile, text, len);
  if (sid >= r->frame_of_string->len)
    {
      guint old = r->frame_of_string->len;
      g_array_set_size (r->frame_of_string, MAX (sid + 1, old * 2));
      memset (&g_array_index (r->frame_of_string, guint32, old), 0xff,
              (r->frame_of_string->len - old) * sizeof (guint32));
    }
  guint32 *slot = &g_array_index (r->frame_of_string, guint32, sid);
  if (*slot == PYRO_NONE)
    *slot = make_frame (r, text, len);
  return *slot;
}

static guint32
resolve_stack (FoldedReader *r, const char *stack, gsize len)
{
  gsize common = 0;
  gsize limit = MIN (len, r->prev_len);
  while (common < limit && stack[common] == r->prev[common])
    common++;

  guint keep = 0;
  while (keep < r->prev_ends->len)
    {
      gsize end = g_array_index (r->prev_ends, gsize, keep);
      if (end > common || (end == common && end != len && stack[end] != ';'))
        break;
      keep++;
    }
  g_array_set_size (r->prev_ends, keep);
  g_array_set_size (r->prev_stacks, keep);

  guint32 at = keep ? g_array_index (r->prev_stacks, guint32, keep - 1) : PYRO_NONE;
  gsize pos = keep ? g_array_index (r->prev_ends, gsize, keep - 1) + 1 : 0;
  while (pos < len)
    {
      const char *semi = memchr (stack + pos, ';', len - pos);
      gsize end = semi ? (gsize) (semi - stack) : len;
      if (end > pos)
        at = pyro_profile_add_stack (r->profile, at, frame_for_text (r, stack + pos, end - pos));
      g_array_append_val (r->prev_ends, end);
      g_array_append_val (r->prev_stacks, at);
      pos = end + 1;
    }
  r->prev = stack;
  r->prev_len = len;
  return at;
}

static gboolean
parse_line (FoldedReader *r, const char *line, gsize len, gsize offset, guint64 line_no,
            GError **error)
{
  while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
    len--;
  if (len == 0)
    return TRUE;

  const char *space = NULL;
  for (gsize i = len; i > 0; i--)
    if (line[i - 1] == ' ' || line[i - 1] == '\t')
      {
        space = line + i - 1;
        break;
      }
  if (space == NULL)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, offset,
                             _("line %" PRIu64 ": expected 'frame;frame;... COUNT', "
                               "found no count after the stack"), line_no);
      return FALSE;
    }

  const char *count_text = space + 1;
  gsize count_len = (gsize) (line + len - count_text);
  double count;
  if (!parse_count (count_text, count_len, &count))
    {
      g_autofree char *shown = g_utf8_make_valid (count_text, (gssize) MIN (count_len, 40));
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx,
                             offset + (gsize) (count_text - line),
                             _("line %" PRIu64 ": expected a sample count after "
                               "the last space, found '%s'"), line_no, shown);
      return FALSE;
    }

  /* difffolded.pl writes `stack BEFORE AFTER`: keep the second count. */
  gsize stack_len = (gsize) (space - line);
  for (gsize i = stack_len; i > 0; i--)
    {
      char c = line[i - 1];
      if (c == ' ')
        {
          double before;
          if (i < stack_len && parse_count (line + i, stack_len - i, &before))
            stack_len = i - 1;
          break;
        }
      if (!is_count_char (c))
        break;
    }

  guint32 stack = resolve_stack (r, line, stack_len);
  pyro_profile_add_sample (r->profile, 0, stack, r->thread, count);
  return TRUE;
}

static PyroProfile *
folded_load (const PyroLoadContext *ctx, GError **error)
{
  FoldedReader r = { 0 };
  r.ctx = ctx;
  r.profile = pyro_profile_new ("folded");
  r.frame_of_string = g_array_new (FALSE, FALSE, sizeof (guint32));
  r.prev_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  r.prev_stacks = g_array_new (FALSE, FALSE, sizeof (guint32));
  r.prev = "";
  r.thread = pyro_profile_add_thread (r.profile, 0, 0, "all", NULL);

  const char *data = (const char *) ctx->data;
  gsize pos = 0, next_step = 0, dropped = 0;
  guint64 line_no = 0;
  gboolean ok = TRUE;

  if (memchr (data, '\0', MIN (ctx->length, 4096)) != NULL)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx,
                             (gsize) ((const char *) memchr (data, '\0', MIN (ctx->length, 4096)) - data),
                             _("expected text (folded stacks), found a NUL byte"));
      ok = FALSE;
    }
  while (ok && pos < ctx->length)
    {
      const char *nl = memchr (data + pos, '\n', ctx->length - pos);
      gsize end = nl ? (gsize) (nl - data) : ctx->length;
      line_no++;
      ok = parse_line (&r, data + pos, end - pos, pos, line_no, error);
      pos = end + 1;
      if (ok && pos >= next_step)
        {
          ok = pyro_format_step (ctx, pos, error);
          next_step = pos + (4u << 20);
          /* Pages behind us are clean file pages: let them go so that peak
           * memory follows the distinct stacks, not the file size. */
          gsize keep_from = r.prev - data;
          gsize drop_to = (MIN (keep_from, pos) / (1u << 20)) * (1u << 20);
          if (drop_to > dropped + (64u << 20))
            {
              madvise ((void *) (data + dropped), drop_to - dropped, MADV_DONTNEED);
              dropped = drop_to;
            }
        }
    }

  g_array_unref (r.frame_of_string);
  g_array_unref (r.prev_ends);
  g_array_unref (r.prev_stacks);
  if (!ok)
    {
      pyro_profile_unref (r.profile);
      return NULL;
    }
  if (pyro_profile_n_samples (r.profile) == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, ctx->length,
                             _("expected at least one 'frame;frame;... COUNT' line, found none"));
      pyro_profile_unref (r.profile);
      return NULL;
    }
  return r.profile;
}

/* Text whose first non-empty line ends in " NUMBER". */
static PyroSniff
folded_sniff (const guint8 *data, gsize length, const char *basename)
{
  gsize limit = MIN (length, 65536);
  const char *text = (const char *) data;
  gsize pos = 0;

  while (pos < limit && (text[pos] == '\n' || text[pos] == '\r'))
    pos++;
  const char *nl = memchr (text + pos, '\n', limit - pos);
  gsize end = nl ? (gsize) (nl - text) : limit;
  if (end == pos || memchr (text + pos, '\0', end - pos) != NULL)
    return PYRO_SNIFF_NO;
  if (text[pos] == '{' || text[pos] == '[' || text[pos] == '#')
    return PYRO_SNIFF_NO;
  while (end > pos && (text[end - 1] == '\r' || text[end - 1] == ' '))
    end--;
  gsize digits = 0;
  while (end > pos && is_count_char (text[end - 1]))
    end--, digits++;
  if (digits == 0 || end == pos || text[end - 1] != ' ')
    return PYRO_SNIFF_NO;
  return PYRO_SNIFF_CONTENT;
}

const PyroFormatReader pyro_folded_reader = {
  .id = "folded",
  .name = N_("Folded stacks"),
  .extensions = folded_extensions,
  .mime_type = "text/x-folded-stacks",
  .sniff = folded_sniff,
  .load = folded_load,
};

/* writer */

static void
append_frame (GString *s, PyroProfile *p, guint32 frame)
{
  guint32 func = PYRO_COL (p->frame_func, guint32, frame);
  guint32 line = PYRO_COL (p->frame_line, guint32, frame);
  const char *file = pyro_profile_func_file (p, func);

  g_string_append (s, pyro_profile_func_name (p, func));
  if (*file != '\0')
    {
      if (line == 0)
        line = pyro_profile_func_line (p, func);
      g_string_append_printf (s, " (%s:%u)", file, line);
    }
  else if (pyro_profile_func_kind (p, func) == PYRO_FUNC_KERNEL)
    g_string_append (s, "_[k]");
}

static void
append_weight (GString *s, double w)
{
  if (w == (double) (gint64) w && w < 9007199254740992.0)
    g_string_append_printf (s, " %" G_GINT64_FORMAT "\n", (gint64) w);
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (s, " %s\n", g_ascii_dtostr (buf, sizeof buf, w));
    }
}

gboolean
pyro_folded_write (PyroProfile *profile, GOutputStream *out, GCancellable *cancellable,
                   GError **error)
{
  guint n_stacks = pyro_profile_n_stacks (profile);
  g_autofree double *weight = g_new0 (double, MAX (n_stacks, 1));
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    {
      guint32 s = PYRO_COL (profile->sample_stack, guint32, i);
      if (s != PYRO_NONE)
        weight[s] += PYRO_COL (profile->sample_weight, double, i);
    }

  g_autoptr (GString) buf = g_string_sized_new (1 << 17);
  g_autoptr (GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint s = 0; s < n_stacks; s++)
    {
      if (weight[s] == 0)
        continue;
      g_array_set_size (path, 0);
      for (guint32 at = s; at != PYRO_NONE; at = PYRO_COL (profile->stack_parent, guint32, at))
        g_array_append_val (path, PYRO_COL (profile->stack_frame, guint32, at));
      for (guint i = path->len; i > 0; i--)
        {
          append_frame (buf, profile, g_array_index (path, guint32, i - 1));
          if (i > 1)
            g_string_append_c (buf, ';');
        }
      append_weight (buf, weight[s]);
      if (buf->len > (1 << 16))
        {
          if (!g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (buf, 0);
        }
    }
  return g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error);
}
