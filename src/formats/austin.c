#define _GNU_SOURCE
#include "austin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

typedef enum {
  AUSTIN_WALL,
  AUSTIN_CPU,
  AUSTIN_MEMORY,
  AUSTIN_FULL,
} AustinMode;

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  AustinMode mode;
  gboolean mode_known;
  GHashTable *threads;  /* "P…;T…" text -> thread index + 1 */
  GHashTable *frames;   /* frame text -> frame id + 1 */
} AustinReader;

static const char *const austin_extensions[] = { "austin", NULL };

static gboolean
parse_uint (const char *s, gsize len, guint64 *out)
{
  guint64 v = 0;
  if (len == 0 || len > 19)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint64) (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_double (const char *s, gsize len, double *out)
{
  char buf[64];
  if (len == 0 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, s, len);
  buf[len] = '\0';
  char *end;
  *out = g_ascii_strtod (buf, &end);
  return end == buf + len && isfinite (*out);
}

static void
read_metadata (AustinReader *r, const char *line, gsize len)
{
  const char *colon = memchr (line, ':', len);
  if (colon == NULL)
    return;
  g_autofree char *key = g_strstrip (g_strndup (line + 1, (gsize) (colon - line - 1)));
  g_autofree char *value = g_strstrip (g_strndup (colon + 1, (gsize) (line + len - colon - 1)));
  PyroMetadata *meta = &r->profile->meta;

  if (g_str_equal (key, "mode"))
    {
      r->mode_known = TRUE;
      if (g_str_equal (value, "cpu"))
        r->mode = AUSTIN_CPU;
      else if (g_str_equal (value, "memory"))
        r->mode = AUSTIN_MEMORY;
      else if (g_str_equal (value, "full"))
        r->mode = AUSTIN_FULL;
      else
        r->mode = AUSTIN_WALL;
    }
  else if (g_str_equal (key, "interval"))
    {
      double us;
      if (parse_double (value, strlen (value), &us) && us > 0)
        meta->sample_rate = 1e6 / us;
    }
  else if (g_str_equal (key, "cmdline") || g_str_equal (key, "command"))
    {
      g_free (meta->command_line);
      meta->command_line = g_utf8_make_valid (value, -1);
    }
}

static guint32
thread_for (AustinReader *r, const char *text, gsize len, const char *tid_text, gsize tid_len,
            guint64 pid)
{
  g_autofree char *key = g_strndup (text, len);
  gpointer found = g_hash_table_lookup (r->threads, key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  /* Austin prints the native thread id, in decimal or as a hex pthread id;
   * the full text stays in the thread's name. */
  g_autofree char *tid_str = g_strndup (tid_text, tid_len);
  guint64 tid = g_ascii_strtoull (tid_str, NULL, g_str_has_prefix (tid_str, "0x") ? 16 : 10);
  g_autofree char *name = g_utf8_make_valid (key, -1);
  guint32 thread = pyro_profile_add_thread (r->profile, (guint32) pid, (guint32) tid, name, NULL);
  g_hash_table_insert (r->threads, g_steal_pointer (&key), GUINT_TO_POINTER (thread + 1));
  return thread;
}

/* `file:function:line`; the file may itself hold colons (C:\…), so split
 * from the right. */
static gboolean
frame_for (AustinReader *r, const char *text, gsize len, guint32 *out)
{
  g_autofree char *key = g_strndup (text, len);
  gpointer found = g_hash_table_lookup (r->frames, key);
  if (found != NULL)
    {
      *out = GPOINTER_TO_UINT (found) - 1;
      return TRUE;
    }
  const char *last = memrchr (text, ':', len);
  if (last == NULL || last == text)
    return FALSE;
  const char *middle = memrchr (text, ':', (gsize) (last - text));
  guint64 line;
  if (middle == NULL || !parse_uint (last + 1, (gsize) (text + len - last - 1), &line)
      || line > G_MAXUINT32)
    return FALSE;

  PyroProfile *p = r->profile;
  g_autofree char *file = g_utf8_make_valid (text, middle - text);
  g_autofree char *name = g_utf8_make_valid (middle + 1, last - middle - 1);
  PyroFuncKind kind = g_str_has_suffix (file, ".py") || g_str_has_prefix (file, "<")
                        ? PYRO_FUNC_PYTHON : PYRO_FUNC_NATIVE;
  guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, name),
                                        pyro_profile_intern (p, file), 0, 0, kind);
  *out = pyro_profile_add_frame (p, func, (guint32) line, 0);
  g_hash_table_insert (r->frames, g_steal_pointer (&key), GUINT_TO_POINTER (*out + 1));
  return TRUE;
}

/* The sample's weight in the profile's unit; FALSE when @metric is not one. */
static gboolean
parse_metric (AustinReader *r, const char *metric, gsize len, double *weight)
{
  if (!r->mode_known && memchr (metric, ',', len) != NULL)
    {
      r->mode = AUSTIN_FULL;
      r->mode_known = TRUE;
    }
  if (r->mode == AUSTIN_FULL)
    {
      const char *c1 = memchr (metric, ',', len);
      const char *c2 = c1 ? memchr (c1 + 1, ',', (gsize) (metric + len - c1 - 1)) : NULL;
      guint64 time, idle;
      double memory;
      if (c2 == NULL || !parse_uint (metric, (gsize) (c1 - metric), &time)
          || !parse_uint (c1 + 1, (gsize) (c2 - c1 - 1), &idle) || idle > 1
          || !parse_double (c2 + 1, (gsize) (metric + len - c2 - 1), &memory))
        return FALSE;
      *weight = (double) time * 1e-6;
      return TRUE;
    }
  double value;
  if (!parse_double (metric, len, &value))
    return FALSE;
  if (r->mode == AUSTIN_MEMORY)
    *weight = MAX (value, 0);
  else
    *weight = value >= 0 ? value * 1e-6 : -1;
  return *weight >= 0;
}

static gboolean
parse_sample (AustinReader *r, const char *line, gsize len, gsize offset, guint64 line_no,
              GArray *frames, GError **error)
{
  const char *space = memrchr (line, ' ', len);
  const char *semi = memchr (line, ';', len);
  const char *thread_end = semi ? memchr (semi + 1, ';', (gsize) (line + len - semi - 1)) : NULL;
  guint64 pid;

  if (space == NULL || semi == NULL || line[0] != 'P'
      || !parse_uint (line + 1, (gsize) (semi - line - 1), &pid) || semi[1] != 'T')
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, offset,
                             _("line %" PRIu64 ": expected 'P<pid>;T<iid>:<tid>;"
                               "<file>:<function>:<line>;... METRIC'"), line_no);
      return FALSE;
    }
  if (thread_end == NULL || thread_end > space)
    thread_end = space;

  double weight;
  if (!parse_metric (r, space + 1, (gsize) (line + len - space - 1), &weight))
    {
      g_autofree char *shown = g_utf8_make_valid (space + 1, MIN (line + len - space - 1, 40));
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx,
                             offset + (gsize) (space + 1 - line),
                             _("line %" PRIu64 ": expected the sample's %s after the "
                               "last space, found '%s'"), line_no,
                             r->mode == AUSTIN_FULL ? "'time,idle,memory'"
                             : r->mode == AUSTIN_MEMORY ? _("memory delta in bytes")
                             : _("time in microseconds"), shown);
      return FALSE;
    }

  const char *tid = memchr (semi + 2, ':', (gsize) (thread_end - semi - 2));
  tid = tid ? tid + 1 : semi + 2;
  guint32 thread = thread_for (r, line, (gsize) (thread_end - line), tid,
                               (gsize) (thread_end - tid), pid);

  g_array_set_size (frames, 0);
  const char *pos = thread_end;
  while (pos < space)
    {
      const char *start = pos + 1;
      const char *end = memchr (start, ';', (gsize) (space - start));
      if (end == NULL)
        end = space;
      guint32 frame;
      if (end > start && !frame_for (r, start, (gsize) (end - start), &frame))
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx,
                                 offset + (gsize) (start - line),
                                 _("line %" PRIu64 ": expected a frame "
                                   "'<file>:<function>:<line>'"), line_no);
          return FALSE;
        }
      if (end > start)
        g_array_append_val (frames, frame);
      pos = end;
    }
  guint32 stack = pyro_profile_add_stack_frames (r->profile, (const guint32 *) frames->data, frames->len);
  pyro_profile_add_sample (r->profile, 0, stack, thread, weight);
  return TRUE;
}

static PyroProfile *
austin_load (const PyroLoadContext *ctx, GError **error)
{
  AustinReader r = {
    .ctx = ctx,
    .profile = pyro_profile_new ("austin"),
    .threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  g_autoptr (GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  const char *data = (const char *) ctx->data;
  const char *nul = memchr (data, '\0', ctx->length);
  gsize pos = 0, next_step = 0;
  guint64 line_no = 0;
  gboolean ok = TRUE;

  if (nul != NULL)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, (gsize) (nul - data),
                             _("expected Austin text, found a NUL byte"));
      ok = FALSE;
    }
  while (ok && pos < ctx->length)
    {
      const char *nl = memchr (data + pos, '\n', ctx->length - pos);
      gsize end = nl ? (gsize) (nl - data) : ctx->length;
      gsize len = end - pos;
      line_no++;
      while (len > 0 && (data[pos + len - 1] == '\r' || data[pos + len - 1] == ' '))
        len--;
      if (len > 0 && data[pos] == '#')
        read_metadata (&r, data + pos, len);
      else if (len > 0)
        ok = parse_sample (&r, data + pos, len, pos, line_no, frames, error);
      pos = end + 1;
      if (ok && pos >= next_step)
        {
          ok = pyro_format_step (ctx, pos, error);
          next_step = pos + (4u << 20);
        }
    }
  g_hash_table_unref (r.threads);
  g_hash_table_unref (r.frames);
  if (ok && pyro_profile_n_samples (r.profile) == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, ctx->length,
                             _("expected at least one 'P<pid>;T<iid>:<tid>;... METRIC' sample line, found none"));
      ok = FALSE;
    }
  if (!ok)
    {
      pyro_profile_unref (r.profile);
      return NULL;
    }
  r.profile->meta.unit = r.mode == AUSTIN_MEMORY ? PYRO_UNIT_BYTES : PYRO_UNIT_SECONDS;
  return r.profile;
}

/* `# austin: VERSION` heads every file Austin writes; bare sample lines
 * start with `P<pid>;T<iid>:`. */
static PyroSniff
austin_sniff (const guint8 *data, gsize length, const char *basename)
{
  const char *text = (const char *) data;
  gsize limit = MIN (length, 4096);
  if (limit >= 9 && memcmp (text, "# austin:", 9) == 0)
    return PYRO_SNIFF_MAGIC;
  gsize pos = 0;
  while (pos < limit && text[pos] == '#')
    {
      const char *nl = memchr (text + pos, '\n', limit - pos);
      if (nl == NULL)
        return PYRO_SNIFF_NO;
      if ((gsize) (nl - text) - pos >= 9 && memcmp (text + pos, "# austin:", 9) == 0)
        return PYRO_SNIFF_MAGIC;
      pos = (gsize) (nl - text) + 1;
    }
  while (pos < limit && (text[pos] == '\n' || text[pos] == '\r'))
    pos++;
  if (pos >= limit || text[pos] != 'P')
    return PYRO_SNIFF_NO;
  gsize i = pos + 1;
  while (i < limit && g_ascii_isdigit (text[i]))
    i++;
  if (i == pos + 1 || i + 1 >= limit || text[i] != ';' || text[i + 1] != 'T')
    return PYRO_SNIFF_NO;
  /* `P1;T0:1;` is Austin's alone; folded text could start `P1;T…` too. */
  gsize k = i + 2;
  while (k < limit && g_ascii_isdigit (text[k]))
    k++;
  return k > i + 2 && k < limit && text[k] == ':' ? PYRO_SNIFF_MAGIC : PYRO_SNIFF_CONTENT;
}

const PyroFormatReader pyro_austin_reader = {
  .id = "austin",
  .name = N_("Austin"),
  .extensions = austin_extensions,
  .mime_type = "text/x-austin",
  .sniff = austin_sniff,
  .load = austin_load,
};
