#include "speedscope.h"
#include "json-input.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#define SPEEDSCOPE_SCHEMA "https://www.speedscope.app/file-format-schema.json"

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  guint n_frames;
  guint32 *frames;   /* speedscope frame index -> our frame id */
  gboolean have_unit;
  GArray *stack;     /* guint32 stack ids of the open frames (evented) */
  GArray *open;      /* guint frame indices of the open frames (evented) */
} SpeedscopeReader;

static const char *const speedscope_extensions[] = { "speedscope", NULL };

static gboolean
looks_python (const char *file)
{
  return g_str_has_suffix (file, ".py") || g_str_has_suffix (file, ".pyx")
         || g_str_has_prefix (file, "<frozen");
}

static gboolean
read_frames (SpeedscopeReader *r, JsonObject *root, GError **error)
{
  JsonNode *shared = json_object_get_member (root, "shared");
  if (shared == NULL || !JSON_NODE_HOLDS_OBJECT (shared))
    {
      pyro_json_set_error (error, r->ctx, "shared", _("expected an object holding \"frames\""));
      return FALSE;
    }
  JsonNode *frames = json_object_get_member (json_node_get_object (shared), "frames");
  if (frames == NULL || !JSON_NODE_HOLDS_ARRAY (frames))
    {
      pyro_json_set_error (error, r->ctx, "shared.frames", _("expected an array of frames"));
      return FALSE;
    }
  JsonArray *array = json_node_get_array (frames);
  r->n_frames = json_array_get_length (array);
  r->frames = g_new (guint32, MAX (r->n_frames, 1));
  for (guint i = 0; i < r->n_frames; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *name = JSON_NODE_HOLDS_OBJECT (node)
                           ? pyro_json_get_string (json_node_get_object (node), "name") : NULL;
      if (name == NULL)
        {
          g_autofree char *where = g_strdup_printf ("shared.frames[%u]", i);
          pyro_json_set_error (error, r->ctx, where, _("expected an object with a string \"name\""));
          return FALSE;
        }
      JsonObject *object = json_node_get_object (node);
      const char *file = pyro_json_get_string (object, "file");
      double line = 0;
      if (!pyro_json_get_number (object, "line", &line) || line < 0 || line > G_MAXUINT32)
        line = 0;
      PyroProfile *p = r->profile;
      PyroFuncKind kind = file != NULL && looks_python (file) ? PYRO_FUNC_PYTHON : PYRO_FUNC_NATIVE;
      guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, name),
                                            pyro_profile_intern (p, file), 0, 0, kind);
      r->frames[i] = pyro_profile_add_frame (p, func, (guint32) line, 0);
    }
  return TRUE;
}

/* speedscope's units map to ours; time units scale to seconds. */
static gboolean
parse_unit (const char *unit, PyroUnit *out, double *scale)
{
  static const struct { const char *name; PyroUnit unit; double scale; } units[] = {
    { "none", PYRO_UNIT_SAMPLES, 1 },
    { "nanoseconds", PYRO_UNIT_SECONDS, 1e-9 },
    { "microseconds", PYRO_UNIT_SECONDS, 1e-6 },
    { "milliseconds", PYRO_UNIT_SECONDS, 1e-3 },
    { "seconds", PYRO_UNIT_SECONDS, 1 },
    { "bytes", PYRO_UNIT_BYTES, 1 },
  };
  for (guint i = 0; unit != NULL && i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (unit, units[i].name))
      {
        *out = units[i].unit;
        *scale = units[i].scale;
        return TRUE;
      }
  return FALSE;
}

static gboolean
frame_index (SpeedscopeReader *r, JsonNode *node, guint *out)
{
  double v;
  if (!pyro_json_node_number (node, &v) || v < 0 || v >= r->n_frames || v != (double) (guint) v)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gint64
to_ns (double value, double scale)
{
  double ns = value * scale * 1e9;
  return llround (CLAMP (ns, -9.2e18, 9.2e18));
}

static gboolean
read_sampled (SpeedscopeReader *r, JsonObject *object, guint index, guint32 thread,
              double start, double scale, GError **error)
{
  JsonNode *samples_node = json_object_get_member (object, "samples");
  JsonNode *weights_node = json_object_get_member (object, "weights");
  if (samples_node == NULL || !JSON_NODE_HOLDS_ARRAY (samples_node)
      || weights_node == NULL || !JSON_NODE_HOLDS_ARRAY (weights_node))
    {
      g_autofree char *where = g_strdup_printf ("profiles[%u]", index);
      pyro_json_set_error (error, r->ctx, where,
                           _("a sampled profile needs \"samples\" and \"weights\" arrays"));
      return FALSE;
    }
  JsonArray *samples = json_node_get_array (samples_node);
  JsonArray *weights = json_node_get_array (weights_node);
  guint n = json_array_get_length (samples);
  if (json_array_get_length (weights) != n)
    {
      g_autofree char *where = g_strdup_printf ("profiles[%u].weights", index);
      pyro_json_set_error (error, r->ctx, where, _("expected %u weights (one per sample), found %u"),
                           n, json_array_get_length (weights));
      return FALSE;
    }

  double at = start;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *sample = json_array_get_element (samples, i);
      double weight;
      if (!pyro_json_node_number (json_array_get_element (weights, i), &weight) || weight < 0)
        {
          g_autofree char *where = g_strdup_printf ("profiles[%u].weights[%u]", index, i);
          pyro_json_set_error (error, r->ctx, where, _("expected a non-negative number"));
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (sample))
        {
          g_autofree char *where = g_strdup_printf ("profiles[%u].samples[%u]", index, i);
          pyro_json_set_error (error, r->ctx, where, _("expected an array of frame indices"));
          return FALSE;
        }
      JsonArray *frames = json_node_get_array (sample);
      guint32 stack = PYRO_NONE;
      for (guint k = 0; k < json_array_get_length (frames); k++)
        {
          guint f;
          if (!frame_index (r, json_array_get_element (frames, k), &f))
            {
              g_autofree char *where = g_strdup_printf ("profiles[%u].samples[%u][%u]", index, i, k);
              pyro_json_set_error (error, r->ctx, where,
                                   _("expected a frame index below %u (the length of shared.frames)"),
                                   r->n_frames);
              return FALSE;
            }
          stack = pyro_profile_add_stack (r->profile, stack, r->frames[f]);
        }
      /* Sampled profiles have no timestamps; speedscope lays samples end to
       * end from startValue, and so do we. */
      pyro_profile_add_sample (r->profile, to_ns (at, scale), stack, thread, weight * scale);
      at += weight;
    }
  return TRUE;
}

static gboolean
read_evented (SpeedscopeReader *r, JsonObject *object, guint index, guint32 thread,
              double start, double end, double scale, GError **error)
{
  JsonNode *events_node = json_object_get_member (object, "events");
  if (events_node == NULL || !JSON_NODE_HOLDS_ARRAY (events_node))
    {
      g_autofree char *where = g_strdup_printf ("profiles[%u]", index);
      pyro_json_set_error (error, r->ctx, where, _("an evented profile needs an \"events\" array"));
      return FALSE;
    }
  JsonArray *events = json_node_get_array (events_node);
  g_array_set_size (r->stack, 0);
  g_array_set_size (r->open, 0);
  double last = start;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = event ? pyro_json_get_string (event, "type") : NULL;
      double at;
      guint f;
      if (type == NULL || (!g_str_equal (type, "O") && !g_str_equal (type, "C"))
          || !pyro_json_get_number (event, "at", &at)
          || !frame_index (r, json_object_get_member (event, "frame"), &f))
        {
          g_autofree char *where = g_strdup_printf ("profiles[%u].events[%u]", index, i);
          pyro_json_set_error (error, r->ctx, where,
                               _("expected {\"type\": \"O\" or \"C\", \"at\": number, \"frame\": index below %u}"),
                               r->n_frames);
          return FALSE;
        }
      if (at < last)
        {
          g_autofree char *where = g_strdup_printf ("profiles[%u].events[%u]", index, i);
          pyro_json_set_error (error, r->ctx, where,
                               _("events must be in time order: \"at\" %g comes after %g"), at, last);
          return FALSE;
        }
      if (r->stack->len > 0 && at > last)
        pyro_profile_add_sample (r->profile, to_ns (last, scale),
                                 g_array_index (r->stack, guint32, r->stack->len - 1), thread,
                                 (at - last) * scale);
      last = at;
      if (type[0] == 'O')
        {
          guint32 parent = r->stack->len ? g_array_index (r->stack, guint32, r->stack->len - 1) : PYRO_NONE;
          guint32 stack = pyro_profile_add_stack (r->profile, parent, r->frames[f]);
          g_array_append_val (r->stack, stack);
          g_array_append_val (r->open, f);
        }
      else
        {
          if (r->open->len == 0 || g_array_index (r->open, guint, r->open->len - 1) != f)
            {
              g_autofree char *where = g_strdup_printf ("profiles[%u].events[%u]", index, i);
              if (r->open->len == 0)
                pyro_json_set_error (error, r->ctx, where, _("closes frame %u, but no frame is open"), f);
              else
                pyro_json_set_error (error, r->ctx, where,
                                     _("closes frame %u, but the innermost open frame is %u"), f,
                                     g_array_index (r->open, guint, r->open->len - 1));
              return FALSE;
            }
          g_array_set_size (r->stack, r->stack->len - 1);
          g_array_set_size (r->open, r->open->len - 1);
        }
    }
  /* Frames still open at the end ran until endValue. */
  if (r->stack->len > 0 && end > last)
    pyro_profile_add_sample (r->profile, to_ns (last, scale),
                             g_array_index (r->stack, guint32, r->stack->len - 1), thread,
                             (end - last) * scale);
  return TRUE;
}

static gboolean
read_profile (SpeedscopeReader *r, JsonNode *node, guint index, GError **error)
{
  g_autofree char *where = g_strdup_printf ("profiles[%u]", index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      pyro_json_set_error (error, r->ctx, where, _("expected a profile object"));
      return FALSE;
    }
  JsonObject *object = json_node_get_object (node);
  const char *type = pyro_json_get_string (object, "type");
  const char *unit_name = pyro_json_get_string (object, "unit");
  const char *name = pyro_json_get_string (object, "name");
  PyroUnit unit;
  double scale, start = 0, end = 0;
  if (type == NULL || (!g_str_equal (type, "sampled") && !g_str_equal (type, "evented")))
    {
      pyro_json_set_error (error, r->ctx, where, _("expected \"type\": \"sampled\" or \"evented\""));
      return FALSE;
    }
  if (!parse_unit (unit_name, &unit, &scale))
    {
      pyro_json_set_error (error, r->ctx, where,
                           _("expected \"unit\" to be one of none, nanoseconds, microseconds, "
                             "milliseconds, seconds, bytes; found %s"), unit_name ? unit_name : _("none given"));
      return FALSE;
    }
  if (!pyro_json_get_number (object, "startValue", &start)
      || !pyro_json_get_number (object, "endValue", &end))
    {
      pyro_json_set_error (error, r->ctx, where, _("expected numbers \"startValue\" and \"endValue\""));
      return FALSE;
    }
  if (r->have_unit && unit != r->profile->meta.unit)
    {
      pyro_json_set_error (error, r->ctx, where,
                           _("measures %s, but an earlier profile measures %s; Pyrometer shows "
                             "one unit per trace"), pyro_unit_to_string (unit),
                           pyro_unit_to_string (r->profile->meta.unit));
      return FALSE;
    }
  r->have_unit = TRUE;
  r->profile->meta.unit = unit;
  r->profile->meta.has_time = unit == PYRO_UNIT_SECONDS;

  guint32 thread = pyro_profile_add_thread (r->profile, 0, index, name ? name : where, NULL);
  if (type[0] == 's')
    return read_sampled (r, object, index, thread, start, scale, error);
  return read_evented (r, object, index, thread, start, end, scale, error);
}

static PyroProfile *
speedscope_load (const PyroLoadContext *ctx, GError **error)
{
  g_autoptr (JsonParser) parser = pyro_json_parse (ctx, "speedscope", error);
  if (parser == NULL)
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx,
                             pyro_json_skip_space (ctx->data, ctx->length),
                             _("expected a speedscope object {\"shared\": ..., \"profiles\": [...]}"));
      return NULL;
    }
  JsonObject *object = json_node_get_object (root);
  JsonNode *profiles = json_object_get_member (object, "profiles");
  if (profiles == NULL || !JSON_NODE_HOLDS_ARRAY (profiles))
    {
      pyro_json_set_error (error, ctx, "profiles", _("expected an array of profiles"));
      return NULL;
    }

  g_autoptr (PyroProfile) profile = pyro_profile_new ("speedscope");
  SpeedscopeReader r = {
    .ctx = ctx,
    .profile = profile,
    .stack = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .open = g_array_new (FALSE, FALSE, sizeof (guint)),
  };
  gboolean ok = read_frames (&r, object, error);
  JsonArray *array = json_node_get_array (profiles);
  guint n = json_array_get_length (array);
  for (guint i = 0; ok && i < n; i++)
    {
      ok = read_profile (&r, json_array_get_element (array, i), i, error);
      if (ok)
        ok = pyro_format_step (ctx, (gsize) ((double) ctx->length * (i + 1) / n), error);
    }
  g_free (r.frames);
  g_array_unref (r.stack);
  g_array_unref (r.open);
  if (!ok)
    return NULL;
  if (n == 0)
    {
      pyro_json_set_error (error, ctx, "profiles", _("expected at least one profile, found none"));
      return NULL;
    }
  const char *name = pyro_json_get_string (object, "name");
  if (name != NULL && profile->meta.command_line == NULL)
    profile->meta.command_line = g_strdup (name);
  return g_steal_pointer (&profile);
}

static PyroSniff
speedscope_sniff (const guint8 *data, gsize length, const char *basename)
{
  gsize start = pyro_json_skip_space (data, length);
  if (start >= length || data[start] != '{')
    return PYRO_SNIFF_NO;
  gsize limit = MIN (length, 65536);
  if (g_strstr_len ((const char *) data, (gssize) limit, SPEEDSCOPE_SCHEMA) != NULL)
    return PYRO_SNIFF_MAGIC;
  if (g_str_has_suffix (basename, ".speedscope.json"))
    return PYRO_SNIFF_CONTENT;
  return PYRO_SNIFF_NO;
}

const PyroFormatReader pyro_speedscope_reader = {
  .id = "speedscope",
  .name = N_("speedscope JSON"),
  .extensions = speedscope_extensions,
  .mime_type = "application/x-speedscope+json",
  .sniff = speedscope_sniff,
  .load = speedscope_load,
};

/* writer */

static const char *
unit_name (PyroUnit unit)
{
  switch (unit)
    {
    case PYRO_UNIT_SECONDS: return "seconds";
    case PYRO_UNIT_BYTES: return "bytes";
    case PYRO_UNIT_SAMPLES:
    default: return "none";
    }
}

static void
append_number (GString *s, double v)
{
  if (v == (double) (gint64) v && v < 9007199254740992.0 && v > -9007199254740992.0)
    g_string_append_printf (s, "%" G_GINT64_FORMAT, (gint64) v);
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (s, g_ascii_dtostr (buf, sizeof buf, v));
    }
}

static gboolean
flush (GString *buf, GOutputStream *out, gboolean force, GCancellable *cancellable, GError **error)
{
  if (!force && buf->len < (1 << 16))
    return TRUE;
  gboolean ok = g_output_stream_write_all (out, buf->str, buf->len, NULL, cancellable, error);
  g_string_truncate (buf, 0);
  return ok;
}

static void
append_frames (GString *s, PyroProfile *p)
{
  g_string_append (s, "\"shared\":{\"frames\":[");
  for (guint fr = 0; fr < pyro_profile_n_frames (p); fr++)
    {
      guint32 func = PYRO_COL (p->frame_func, guint32, fr);
      guint32 line = PYRO_COL (p->frame_line, guint32, fr);
      const char *file = pyro_profile_func_file (p, func);
      if (line == 0)
        line = pyro_profile_func_line (p, func);
      g_string_append (s, fr ? ",\n{\"name\":" : "\n{\"name\":");
      pyro_json_append_string (s, pyro_profile_func_name (p, func));
      if (*file != '\0')
        {
          g_string_append (s, ",\"file\":");
          pyro_json_append_string (s, file);
        }
      if (line != 0)
        g_string_append_printf (s, ",\"line\":%u", line);
      g_string_append_c (s, '}');
    }
  g_string_append (s, "]},\n");
}

gboolean
pyro_speedscope_write (PyroProfile *profile, GOutputStream *out, GCancellable *cancellable,
                       GError **error)
{
  PyroProfile *p = profile;
  guint n_threads = pyro_profile_n_threads (p);
  guint n_samples = pyro_profile_n_samples (p);
  /* Group n_threads collects samples whose thread is unknown. */
  g_autofree double *total = g_new0 (double, n_threads + 1);
  g_autofree guint *count = g_new0 (guint, n_threads + 1);
  for (guint i = 0; i < n_samples; i++)
    {
      guint32 t = MIN (PYRO_COL (p->sample_thread, guint32, i), n_threads);
      total[t] += PYRO_COL (p->sample_weight, double, i);
      count[t]++;
    }

  g_autoptr (GString) s = g_string_sized_new (1 << 17);
  g_string_append (s, "{\"$schema\":\"" SPEEDSCOPE_SCHEMA "\",\n\"exporter\":\"pyrometer " PYRO_VERSION "\",\n");
  if (p->meta.command_line != NULL)
    {
      g_string_append (s, "\"name\":");
      pyro_json_append_string (s, p->meta.command_line);
      g_string_append (s, ",\n");
    }
  g_string_append (s, "\"activeProfileIndex\":0,\n");
  append_frames (s, p);
  g_string_append (s, "\"profiles\":[");

  g_autoptr (GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  gboolean first_profile = TRUE;
  for (guint t = 0; t <= n_threads; t++)
    {
      if (count[t] == 0 && !(t == 0 && n_samples == 0))
        continue;
      g_string_append (s, first_profile ? "\n{\"type\":\"sampled\",\"name\":" : ",\n{\"type\":\"sampled\",\"name\":");
      first_profile = FALSE;
      if (t < n_threads)
        {
          const PyroThread *th = &g_array_index (p->threads, PyroThread, t);
          const char *name = pyro_profile_str (p, th->name);
          g_autofree char *fallback = g_strdup_printf ("thread %u", th->tid);
          pyro_json_append_string (s, *name != '\0' ? name : fallback);
        }
      else
        g_string_append (s, "\"samples\"");
      g_string_append_printf (s, ",\"unit\":\"%s\",\"startValue\":0,\"endValue\":", unit_name (p->meta.unit));
      append_number (s, total[t]);
      g_string_append (s, ",\n\"samples\":[");
      gboolean first = TRUE;
      for (guint i = 0; i < n_samples; i++)
        {
          if (MIN (PYRO_COL (p->sample_thread, guint32, i), n_threads) != t)
            continue;
          g_array_set_size (path, 0);
          for (guint32 at = PYRO_COL (p->sample_stack, guint32, i); at != PYRO_NONE;
               at = PYRO_COL (p->stack_parent, guint32, at))
            g_array_append_val (path, PYRO_COL (p->stack_frame, guint32, at));
          g_string_append (s, first ? "[" : ",[");
          first = FALSE;
          for (guint k = path->len; k > 0; k--)
            g_string_append_printf (s, k == path->len ? "%u" : ",%u", g_array_index (path, guint32, k - 1));
          g_string_append_c (s, ']');
          if (!flush (s, out, FALSE, cancellable, error))
            return FALSE;
        }
      g_string_append (s, "],\n\"weights\":[");
      first = TRUE;
      for (guint i = 0; i < n_samples; i++)
        {
          if (MIN (PYRO_COL (p->sample_thread, guint32, i), n_threads) != t)
            continue;
          if (!first)
            g_string_append_c (s, ',');
          first = FALSE;
          append_number (s, PYRO_COL (p->sample_weight, double, i));
          if (!flush (s, out, FALSE, cancellable, error))
            return FALSE;
        }
      g_string_append (s, "]}");
    }
  g_string_append (s, "]}\n");
  return flush (s, out, TRUE, cancellable, error);
}
