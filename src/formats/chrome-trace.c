#include "chrome-trace.h"
#include "json-input.h"

#include <string.h>
#include <glib/gi18n.h>

/* One begin or end, after `X` events are split in two. */
typedef struct {
  double ts;       /* µs */
  double order;    /* tie-break within one rank */
  guint32 thread;
  guint8 rank;     /* at equal ts: ends of X, then B/E in file order, then begins of X */
  gboolean begin;
  guint32 frame;   /* begins only */
} Edge;

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  GHashTable *threads;    /* pid << 32 | tid -> thread index + 1 */
  GHashTable *funcs;      /* "name\nfile\nline" -> frame id + 1 */
  GHashTable *counters;   /* "pid name" -> PyroCounter* */
  GArray *edges;
} ChromeReader;

static const char *const chrome_extensions[] = { "trace", NULL };

/* Ids and times come from the file: keep their conversions defined. */
static gint64
to_i64 (double v)
{
  return (gint64) CLAMP (v, -9.2e18, 9.2e18);
}

static guint32
thread_for (ChromeReader *r, double pid, double tid)
{
  guint64 key = ((guint64) (guint32) to_i64 (pid) << 32) | (guint32) to_i64 (tid);
  gpointer found = g_hash_table_lookup (r->threads, &key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  guint32 thread = pyro_profile_add_thread (r->profile, (guint32) to_i64 (pid),
                                            (guint32) to_i64 (tid), NULL, NULL);
  g_hash_table_insert (r->threads, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (thread + 1));
  return thread;
}

static double
member_number (JsonObject *object, const char *member, double fallback)
{
  double v;
  return object != NULL && pyro_json_get_number (object, member, &v) ? v : fallback;
}

static guint32
frame_for (ChromeReader *r, const char *name, JsonObject *args)
{
  const char *file = NULL;
  double line = 0;
  if (args != NULL)
    {
      file = pyro_json_get_string (args, "filename");
      if (file == NULL)
        file = pyro_json_get_string (args, "file");
      line = member_number (args, "line", member_number (args, "lineno", 0));
      if (line < 0 || line > G_MAXUINT32)
        line = 0;
    }
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%u", name, file ? file : "", (guint32) line);
  gpointer found = g_hash_table_lookup (r->funcs, key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  PyroProfile *p = r->profile;
  PyroFuncKind kind = file != NULL && (g_str_has_suffix (file, ".py") || g_str_has_prefix (file, "<frozen"))
                        ? PYRO_FUNC_PYTHON : PYRO_FUNC_OTHER;
  guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, name), pyro_profile_intern (p, file),
                                        0, 0, kind);
  guint32 frame = pyro_profile_add_frame (p, func, (guint32) line, 0);
  g_hash_table_insert (r->funcs, g_steal_pointer (&key), GUINT_TO_POINTER (frame + 1));
  return frame;
}

static void
read_metadata_event (ChromeReader *r, JsonObject *event, const char *name, double pid, double tid)
{
  JsonNode *args_node = json_object_get_member (event, "args");
  JsonObject *args = args_node && JSON_NODE_HOLDS_OBJECT (args_node) ? json_node_get_object (args_node) : NULL;
  const char *value = args ? pyro_json_get_string (args, "name") : NULL;
  if (value == NULL)
    return;
  PyroThread *thread = &g_array_index (r->profile->threads, PyroThread, thread_for (r, pid, tid));
  if (g_str_equal (name, "thread_name"))
    thread->name = pyro_profile_intern (r->profile, value);
  else if (g_str_equal (name, "process_name"))
    {
      guint32 id = pyro_profile_intern (r->profile, value);
      for (guint i = 0; i < r->profile->threads->len; i++)
        {
          PyroThread *t = &g_array_index (r->profile->threads, PyroThread, i);
          if (t->pid == (guint32) to_i64 (pid))
            t->process_name = id;
        }
    }
}

/* `C` events: every numeric member of args is one series. */
static void
read_counter_event (ChromeReader *r, JsonObject *event, const char *name, double pid, double ts)
{
  JsonNode *args_node = json_object_get_member (event, "args");
  if (args_node == NULL || !JSON_NODE_HOLDS_OBJECT (args_node))
    return;
  JsonObject *args = json_node_get_object (args_node);
  g_autoptr (GList) members = json_object_get_members (args);
  for (GList *l = members; l != NULL; l = l->next)
    {
      double value;
      if (!pyro_json_get_number (args, l->data, &value))
        continue;
      g_autofree char *series = g_list_length (members) > 1
                                  ? g_strdup_printf ("%s %s", name, (const char *) l->data)
                                  : g_strdup (name);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT " %s", to_i64 (pid), series);
      PyroCounter *counter = g_hash_table_lookup (r->counters, key);
      if (counter == NULL)
        {
          counter = pyro_profile_add_counter (r->profile, series, "");
          g_hash_table_insert (r->counters, g_steal_pointer (&key), counter);
        }
      pyro_counter_append (counter, to_i64 (ts * 1e3), value);
    }
}

static gboolean
read_event (ChromeReader *r, JsonNode *node, guint index, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *where = g_strdup_printf ("traceEvents[%u]", index);
      pyro_json_set_error (error, r->ctx, where, _("expected an event object"));
      return FALSE;
    }
  JsonObject *event = json_node_get_object (node);
  const char *ph = pyro_json_get_string (event, "ph");
  const char *name = pyro_json_get_string (event, "name");
  double pid = member_number (event, "pid", 0), tid = member_number (event, "tid", pid);
  double ts;
  if (ph == NULL)
    {
      g_autofree char *where = g_strdup_printf ("traceEvents[%u]", index);
      pyro_json_set_error (error, r->ctx, where, _("expected a string \"ph\" (the event phase)"));
      return FALSE;
    }
  if (g_str_equal (ph, "M"))
    {
      if (name != NULL)
        read_metadata_event (r, event, name, pid, tid);
      return TRUE;
    }
  if (!g_str_equal (ph, "B") && !g_str_equal (ph, "E") && !g_str_equal (ph, "X") && !g_str_equal (ph, "C"))
    return TRUE;
  if (!pyro_json_get_number (event, "ts", &ts))
    {
      g_autofree char *where = g_strdup_printf ("traceEvents[%u]", index);
      pyro_json_set_error (error, r->ctx, where, _("a \"%s\" event needs a number \"ts\" (µs)"), ph);
      return FALSE;
    }
  if (g_str_equal (ph, "C"))
    {
      read_counter_event (r, event, name ? name : "counter", pid, ts);
      return TRUE;
    }

  guint32 thread = thread_for (r, pid, tid);
  if (ph[0] == 'E')
    {
      Edge e = { ts, index, thread, 1, FALSE, PYRO_NONE };
      g_array_append_val (r->edges, e);
      return TRUE;
    }
  if (name == NULL)
    {
      g_autofree char *where = g_strdup_printf ("traceEvents[%u]", index);
      pyro_json_set_error (error, r->ctx, where, _("a \"%s\" event needs a string \"name\""), ph);
      return FALSE;
    }
  double dur = 0;
  if (ph[0] == 'X' && (!pyro_json_get_number (event, "dur", &dur) || dur < 0))
    {
      g_autofree char *where = g_strdup_printf ("traceEvents[%u]", index);
      pyro_json_set_error (error, r->ctx, where, _("an \"X\" event needs a non-negative number \"dur\" (µs)"));
      return FALSE;
    }
  if (ph[0] == 'X' && dur == 0)
    return TRUE;
  JsonNode *args = json_object_get_member (event, "args");
  guint32 frame = frame_for (r, name, args && JSON_NODE_HOLDS_OBJECT (args) ? json_node_get_object (args) : NULL);
  if (ph[0] == 'B')
    {
      Edge e = { ts, index, thread, 1, TRUE, frame };
      g_array_append_val (r->edges, e);
      return TRUE;
    }
  /* Of X events starting together the longer one encloses the shorter; of
   * those ending together the later-started one is inside. */
  Edge begin = { ts, -dur, thread, 2, TRUE, frame };
  Edge end = { ts + dur, -ts, thread, 0, FALSE, PYRO_NONE };
  g_array_append_val (r->edges, begin);
  g_array_append_val (r->edges, end);
  return TRUE;
}

static int
compare_edges (gconstpointer a, gconstpointer b)
{
  const Edge *x = a, *y = b;
  if (x->thread != y->thread)
    return x->thread < y->thread ? -1 : 1;
  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Walks each thread's edges in time order, charging the time between two
 * edges to the stack open between them. */
static void
build_samples (ChromeReader *r)
{
  g_array_sort (r->edges, compare_edges);
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < r->edges->len; i++)
    {
      const Edge *e = &g_array_index (r->edges, Edge, i);
      if (i == 0 || e[-1].thread != e->thread)
        g_array_set_size (stack, 0);
      else if (stack->len > 0 && e->ts > e[-1].ts)
        pyro_profile_add_sample (r->profile, to_i64 (e[-1].ts * 1e3),
                                 g_array_index (stack, guint32, stack->len - 1), e->thread,
                                 (e->ts - e[-1].ts) * 1e-6);
      if (e->begin)
        {
          guint32 parent = stack->len ? g_array_index (stack, guint32, stack->len - 1) : PYRO_NONE;
          guint32 s = pyro_profile_add_stack (r->profile, parent, e->frame);
          g_array_append_val (stack, s);
        }
      else if (stack->len > 0)
        g_array_set_size (stack, stack->len - 1);
    }
}

static PyroProfile *
chrome_load (const PyroLoadContext *ctx, GError **error)
{
  g_autoptr (JsonParser) parser = pyro_json_parse (ctx, "Chrome trace", error);
  if (parser == NULL)
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  JsonNode *events_node = root;
  if (JSON_NODE_HOLDS_OBJECT (root))
    events_node = json_object_get_member (json_node_get_object (root), "traceEvents");
  if (events_node == NULL || !JSON_NODE_HOLDS_ARRAY (events_node))
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx,
                             pyro_json_skip_space (ctx->data, ctx->length),
                             _("expected a Chrome trace: an array of events or {\"traceEvents\": [...]}"));
      return NULL;
    }

  JsonArray *events = json_node_get_array (events_node);
  guint n = json_array_get_length (events);
  g_autoptr (PyroProfile) profile = pyro_profile_new ("chrome-trace");
  ChromeReader r = {
    .ctx = ctx,
    .profile = profile,
    .threads = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
    .funcs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .edges = g_array_sized_new (FALSE, FALSE, sizeof (Edge), n),
  };
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < n; i++)
    {
      ok = read_event (&r, json_array_get_element (events, i), i, error);
      if (ok && i % 65536 == 0)
        ok = pyro_format_step (ctx, (gsize) ((double) ctx->length * i / n), error);
    }
  if (ok)
    build_samples (&r);
  g_hash_table_unref (r.threads);
  g_hash_table_unref (r.funcs);
  g_hash_table_unref (r.counters);
  g_array_unref (r.edges);
  if (!ok)
    return NULL;
  if (pyro_profile_n_samples (profile) == 0 && profile->counters->len == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_EMPTY, ctx, ctx->length,
                             _("expected duration events (\"ph\": \"B\"/\"E\" or \"X\" with a "
                               "positive \"dur\"), found none"));
      return NULL;
    }
  profile->meta.unit = PYRO_UNIT_SECONDS;
  profile->meta.has_time = TRUE;
  return g_steal_pointer (&profile);
}

static PyroSniff
chrome_sniff (const guint8 *data, gsize length, const char *basename)
{
  gsize start = pyro_json_skip_space (data, length);
  gsize limit = MIN (length, 65536);
  if (start >= limit)
    return PYRO_SNIFF_NO;
  const char *text = (const char *) data;
  if (data[start] == '{' && g_strstr_len (text, (gssize) limit, "\"traceEvents\"") != NULL)
    return PYRO_SNIFF_MAGIC;
  if (data[start] == '[')
    {
      gsize next = start + 1 + pyro_json_skip_space (data + start + 1, limit - start - 1);
      if (next >= limit || (data[next] != '{' && data[next] != ']'))
        return PYRO_SNIFF_NO;
      if (g_strstr_len (text, (gssize) limit, "\"ph\"") != NULL)
        return PYRO_SNIFF_CONTENT;
    }
  return PYRO_SNIFF_NO;
}

const PyroFormatReader pyro_chrome_trace_reader = {
  .id = "chrome-trace",
  .name = N_("Chrome trace events"),
  .extensions = chrome_extensions,
  .mime_type = "application/x-chrome-trace+json",
  .sniff = chrome_sniff,
  .load = chrome_load,
};
