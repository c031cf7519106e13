#include "mprof.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

#define MIB 1048576.0

typedef struct {
  char *name;
  double mem_start, mem_end;  /* MiB */
  gint64 t_start, t_end;      /* unix ns */
  int level;                  /* stack level, -1 in older files */
  guint32 stack;
  double child_growth;        /* MiB grown by the calls nested in this one */
  guint parent;               /* index of the enclosing call, G_MAXUINT for none */
} MprofCall;

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  PyroCounter *rss;
  GHashTable *children;   /* pid string -> PyroCounter* */
  GArray *calls;          /* MprofCall */
  gint64 first_time;          /* unix ns */
} MprofReader;

static const char *const mprof_extensions[] = { "mprof", NULL };

static void
call_clear (gpointer data)
{
  g_free (((MprofCall *) data)->name);
}

/* Splits @line (NUL-terminated copy) into at most @max fields on spaces. */
static guint
split_fields (char *line, char **fields, guint max)
{
  guint n = 0;
  char *save = NULL;
  for (char *tok = strtok_r (line, " \t", &save); tok != NULL && n < max; tok = strtok_r (NULL, " \t", &save))
    fields[n++] = tok;
  return n;
}

static gboolean
number (const char *text, double *out)
{
  char *end;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static void
note_time (MprofReader *r, gint64 t)
{
  if (r->first_time == 0 || t < r->first_time)
    r->first_time = t;
}

static gint64
ns (double unix_seconds)
{
  return (gint64) llround (unix_seconds * 1e9);
}

/* A unix time in ns, exactly: a double holds today's times to ~256 ns only. */
static gboolean
time_ns (const char *text, gint64 *out)
{
  const char *dot = strchr (text, '.');
  double seconds;
  if (!number (text, &seconds) || seconds < 0 || seconds > 9e9)
    return FALSE;
  if (dot == NULL || strpbrk (text, "eE") != NULL)
    {
      *out = ns (seconds);
      return TRUE;
    }
  gint64 whole = g_ascii_strtoll (text, NULL, 10), fraction = 0;
  int digits = 0;
  for (const char *c = dot + 1; g_ascii_isdigit (*c) && digits < 9; c++, digits++)
    fraction = fraction * 10 + (*c - '0');
  for (; digits < 9; digits++)
    fraction *= 10;
  *out = whole * 1000000000 + fraction;
  return TRUE;
}

static gboolean
parse_line (MprofReader *r, const char *line, gsize len, gsize offset, guint64 line_no,
            GError **error)
{
  g_autofree char *copy = g_strndup (line, len);
  char *f[8] = { (char *) "" };
  guint n;
  double a, c, e;
  gint64 t1, t2;
  const char *expected;

  if (g_str_has_prefix (copy, "CMDLINE"))
    {
      const char *rest = copy + strlen ("CMDLINE");
      while (*rest == ' ')
        rest++;
      g_free (r->profile->meta.command_line);
      r->profile->meta.command_line = g_utf8_make_valid (rest, -1);
      return TRUE;
    }
  n = split_fields (copy, f, G_N_ELEMENTS (f));
  if (g_str_equal (f[0], "MEM"))
    {
      expected = "'MEM MiB TIME'";
      if (n == 3 && number (f[1], &a) && time_ns (f[2], &t1))
        {
          pyro_counter_append (r->rss, t1, a * MIB);
          note_time (r, t1);
          return TRUE;
        }
    }
  else if (g_str_equal (f[0], "CHLD"))
    {
      expected = "'CHLD PID MiB TIME'";
      if (n == 4 && number (f[2], &a) && time_ns (f[3], &t1))
        {
          PyroCounter *counter = g_hash_table_lookup (r->children, f[1]);
          if (counter == NULL)
            {
              g_autofree char *name = g_strdup_printf ("RSS of child %s", f[1]);
              counter = pyro_profile_add_counter (r->profile, name, "bytes");
              g_hash_table_insert (r->children, g_strdup (f[1]), counter);
            }
          pyro_counter_append (counter, t1, a * MIB);
          note_time (r, t1);
          return TRUE;
        }
    }
  else if (g_str_equal (f[0], "FUNC"))
    {
      expected = "'FUNC NAME MEM_START T_START MEM_END T_END [LEVEL]'";
      if ((n == 6 || n == 7) && number (f[2], &a) && time_ns (f[3], &t1) && number (f[4], &c)
          && time_ns (f[5], &t2) && (n == 6 || (number (f[6], &e) && e >= 0 && e < 1e6))
          && t2 >= t1)
        {
          MprofCall call = {
            .name = g_utf8_make_valid (f[1], -1),
            .mem_start = a, .t_start = t1, .mem_end = c, .t_end = t2,
            .level = n == 7 ? (int) e : -1,
          };
          g_array_append_val (r->calls, call);
          note_time (r, t1);
          return TRUE;
        }
    }
  else
    expected = _("a line starting with MEM, FUNC, CHLD or CMDLINE");

  g_autofree char *shown = g_utf8_make_valid (line, (gssize) MIN (len, 60));
  pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, offset,
                         _("line %" PRIu64 ": expected %s, found '%s'"),
                         line_no, expected, shown);
  return FALSE;
}

static int
compare_calls (gconstpointer a, gconstpointer b)
{
  const MprofCall *x = a, *y = b;
  if (x->t_start != y->t_start)
    return x->t_start < y->t_start ? -1 : 1;
  if (x->t_end != y->t_end)
    return x->t_end > y->t_end ? -1 : 1;
  return x->level < y->level ? -1 : x->level > y->level;
}

static gboolean
encloses (const MprofCall *outer, const MprofCall *inner)
{
  if (outer->level >= 0 && inner->level >= 0 && inner->level <= outer->level)
    return FALSE;
  return inner->t_start >= outer->t_start && inner->t_end <= outer->t_end;
}

/* Nests the calls (a call encloses the calls of a deeper level that ran
 * inside its span), gives each a stack, and charges each call the growth
 * that its nested calls do not account for. */
static void
build_calls (MprofReader *r)
{
  PyroProfile *p = r->profile;
  GArray *calls = r->calls;
  g_array_sort (calls, compare_calls);
  g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  guint32 thread = pyro_profile_add_thread (p, 0, 0, "main", NULL);

  for (guint i = 0; i < calls->len; i++)
    {
      MprofCall *call = &g_array_index (calls, MprofCall, i);
      while (open->len > 0
             && !encloses (&g_array_index (calls, MprofCall, g_array_index (open, guint, open->len - 1)), call))
        g_array_set_size (open, open->len - 1);
      call->parent = open->len ? g_array_index (open, guint, open->len - 1) : G_MAXUINT;

      const char *dot = strrchr (call->name, '.');
      g_autofree char *module = dot ? g_strndup (call->name, (gsize) (dot - call->name)) : NULL;
      guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, dot ? dot + 1 : call->name), 0, 0,
                                            pyro_profile_intern (p, module), PYRO_FUNC_PYTHON);
      guint32 frame = pyro_profile_add_frame (p, func, 0, 0);
      guint32 parent_stack = call->parent != G_MAXUINT
                               ? g_array_index (calls, MprofCall, call->parent).stack : PYRO_NONE;
      call->stack = pyro_profile_add_stack (p, parent_stack, frame);
      if (call->parent != G_MAXUINT)
        g_array_index (calls, MprofCall, call->parent).child_growth += call->mem_end - call->mem_start;
      g_array_append_val (open, i);
      pyro_profile_add_mark (p, call->name, call->t_start, call->t_end, thread);
    }
  /* A call that freed memory, or whose callees grew more than it did in
   * all, is charged nothing: weights are growth. */
  for (guint i = 0; i < calls->len; i++)
    {
      const MprofCall *call = &g_array_index (calls, MprofCall, i);
      double self = (call->mem_end - call->mem_start) - call->child_growth;
      pyro_profile_add_sample (p, call->t_start, call->stack, thread, MAX (self, 0) * MIB);
    }
}

static PyroProfile *
mprof_load (const PyroLoadContext *ctx, GError **error)
{
  MprofReader r = {
    .ctx = ctx,
    .profile = pyro_profile_new ("mprof"),
    .children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .calls = g_array_new (FALSE, FALSE, sizeof (MprofCall)),
  };
  g_array_set_clear_func (r.calls, call_clear);
  r.rss = pyro_profile_add_counter (r.profile, "RSS", "bytes");

  const char *data = (const char *) ctx->data;
  const char *nul = memchr (data, '\0', ctx->length);
  gsize pos = 0, next_step = 0;
  guint64 line_no = 0;
  gboolean ok = TRUE;
  if (nul != NULL)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, (gsize) (nul - data),
                             _("expected memory_profiler text, found a NUL byte"));
      ok = FALSE;
    }
  while (ok && pos < ctx->length)
    {
      const char *nl = memchr (data + pos, '\n', ctx->length - pos);
      gsize end = nl ? (gsize) (nl - data) : ctx->length;
      gsize len = end - pos;
      line_no++;
      while (len > 0 && g_ascii_isspace (data[pos + len - 1]))
        len--;
      if (len > 0)
        ok = parse_line (&r, data + pos, len, pos, line_no, error);
      pos = end + 1;
      if (ok && pos >= next_step)
        {
          ok = pyro_format_step (ctx, pos, error);
          next_step = pos + (1u << 20);
        }
    }
  if (ok && r.rss->values->len == 0 && r.calls->len == 0 && g_hash_table_size (r.children) == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, ctx->length,
                             _("expected MEM or FUNC lines (memory_profiler's mprof run output), found none"));
      ok = FALSE;
    }
  if (ok)
    {
      build_calls (&r);
      r.profile->meta.unit = PYRO_UNIT_BYTES;
      /* Samples are calls, not ticks: counters and marks count from the
       * first line of the recording, not from the first call. */
      r.profile->meta.has_time = FALSE;
      r.profile->meta.start_time = r.first_time;
      if (r.rss->times->len > 1)
        {
          gint64 span = g_array_index (r.rss->times, gint64, r.rss->times->len - 1)
                        - g_array_index (r.rss->times, gint64, 0);
          if (span > 0)
            r.profile->meta.sample_rate = (r.rss->times->len - 1) * 1e9 / (double) span;
        }
    }
  g_hash_table_unref (r.children);
  g_array_unref (r.calls);
  if (!ok)
    {
      pyro_profile_unref (r.profile);
      return NULL;
    }
  return r.profile;
}

static PyroSniff
mprof_sniff (const guint8 *data, gsize length, const char *basename)
{
  static const char *const keys[] = { "CMDLINE ", "MEM ", "FUNC ", "CHLD " };
  gsize pos = 0;
  while (pos < length && (data[pos] == '\n' || data[pos] == '\r'))
    pos++;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gsize n = strlen (keys[i]);
      if (length - pos >= n && memcmp (data + pos, keys[i], n) == 0)
        return PYRO_SNIFF_MAGIC;
    }
  if (g_str_has_prefix (basename, "mprofile_") && g_str_has_suffix (basename, ".dat"))
    return PYRO_SNIFF_EXTENSION;
  return PYRO_SNIFF_NO;
}

const PyroFormatReader pyro_mprof_reader = {
  .id = "mprof",
  .name = N_("memory_profiler (mprof)"),
  .extensions = mprof_extensions,
  .mime_type = "text/x-mprof",
  .sniff = mprof_sniff,
  .load = mprof_load,
};
