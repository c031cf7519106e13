/* perf-data-header.c — the file header, the attrs section (one event each)
 * and the feature sections after the data (build ids, host, command line…).
 * Pipe-mode files carry the same things as HEADER_* records; both land here. */
#include "perf-data-private.h"

#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

static guint64
rd64 (const guint8 *p)
{
  guint64 v;
  memcpy (&v, p, sizeof v);
  return v;
}

static guint32
rd32 (const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, sizeof v);
  return v;
}

void
perf_event_free (PerfEvent *event)
{
  g_array_unref (event->ids);
  g_free (event->name);
  g_free (event);
}

static const char *
perf_event_default_name (const struct perf_event_attr *attr)
{
  static const char *const hardware[] = {
    "cycles", "instructions", "cache-references", "cache-misses", "branch-instructions",
    "branch-misses", "bus-cycles", "stalled-cycles-frontend", "stalled-cycles-backend",
    "ref-cycles",
  };
  static const char *const software[] = {
    "cpu-clock", "task-clock", "page-faults", "context-switches", "cpu-migrations",
    "minor-faults", "major-faults", "alignment-faults", "emulation-faults", "dummy",
    "bpf-output", "cgroup-switches",
  };
  if (attr->type == PERF_TYPE_HARDWARE && attr->config < G_N_ELEMENTS (hardware))
    return hardware[attr->config];
  if (attr->type == PERF_TYPE_SOFTWARE && attr->config < G_N_ELEMENTS (software))
    return software[attr->config];
  if (attr->type == PERF_TYPE_TRACEPOINT)
    return "tracepoint";
  return "raw event";
}

gboolean
perf_add_event (PerfReader *r, const guint8 *attr, gsize attr_len, gsize offset,
                const guint64 *ids, gsize n_ids, GError **error)
{
  if (attr_len < PERF_ATTR_SIZE_VER0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, offset,
                             _("an event attr of %zu bytes is shorter than the "
                               "smallest perf_event_attr (%d bytes)"), attr_len, PERF_ATTR_SIZE_VER0);
      return FALSE;
    }
  PerfEvent *event = g_new0 (PerfEvent, 1);
  memcpy (&event->attr, attr, MIN (attr_len, sizeof event->attr));
  event->attr.size = (guint32) MIN (attr_len, sizeof event->attr);
  event->name = g_strdup (perf_event_default_name (&event->attr));
  event->ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (gsize i = 0; i < n_ids; i++)
    {
      guint64 id;
      memcpy (&id, ids + i, sizeof id);
      g_array_append_val (event->ids, id);
      if (!g_hash_table_contains (r->event_by_id, &id))
        g_hash_table_insert (r->event_by_id, g_memdup2 (&id, sizeof id), event);
    }
  g_ptr_array_add (r->events, event);
  return TRUE;
}

gboolean
perf_events_ready (PerfReader *r, gsize offset, GError **error)
{
  if (r->events->len == 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, offset,
                             _("no event attributes before the first sample; expected an attrs "
                               "section or HEADER_ATTR records"));
      return FALSE;
    }
  PerfEvent *first = g_ptr_array_index (r->events, 0);
  r->same_layout = TRUE;
  for (guint i = 1; i < r->events->len; i++)
    {
      PerfEvent *e = g_ptr_array_index (r->events, i);
      if (e->attr.sample_type != first->attr.sample_type)
        r->same_layout = FALSE;
    }
  guint64 st = first->attr.sample_type;
  if (st & PERF_SAMPLE_IDENTIFIER)
    r->id_pos = 0;
  else if (st & PERF_SAMPLE_ID)
    r->id_pos = !!(st & PERF_SAMPLE_IP) + !!(st & PERF_SAMPLE_TID) + !!(st & PERF_SAMPLE_TIME)
                + !!(st & PERF_SAMPLE_ADDR);
  else
    r->id_pos = -1;
  if (!r->same_layout && !(st & PERF_SAMPLE_IDENTIFIER))
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, r->ctx, offset,
                             _("events with different sample layouts and no sample identifier "
                               "(PERF_SAMPLE_IDENTIFIER); samples cannot be told apart"));
      return FALSE;
    }
  /* The first event weighs the views, as perf report shows it first,
   * unless another was asked for ("page-faults" names "page-faults:u"). */
  r->weigh = first;
  if (r->wanted_event != NULL)
    {
      gsize n = strlen (r->wanted_event);
      r->weigh = NULL;
      g_autoptr (GString) names = g_string_new (NULL);
      for (guint i = 0; i < r->events->len && r->weigh == NULL; i++)
        {
          PerfEvent *e = g_ptr_array_index (r->events, i);
          if (strncmp (e->name, r->wanted_event, n) == 0 && (e->name[n] == '\0' || e->name[n] == ':'))
            r->weigh = e;
          g_string_append_printf (names, "%s%s", i ? ", " : "", e->name);
        }
      if (r->weigh == NULL)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, r->ctx, offset,
                                 _("the recording holds no event '%s' (it holds: %s)"),
                                 r->wanted_event, names->str);
          return FALSE;
        }
    }
  first = r->weigh;
  r->weigh_in_seconds = first->attr.type == PERF_TYPE_SOFTWARE
                        && (first->attr.config == PERF_COUNT_SW_CPU_CLOCK
                            || first->attr.config == PERF_COUNT_SW_TASK_CLOCK);
  return TRUE;
}

/* A perf string: u32 length, then that many bytes (NUL-padded). */
static char *
read_string (PerfReader *r, const guint8 *data, gsize len, gsize *pos, gsize base, GError **error)
{
  if (len - *pos < 4)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, base + *pos,
                             _("a string length needs 4 bytes, %zu remain"),
                             len - *pos);
      return NULL;
    }
  guint32 n = rd32 (data + *pos);
  if (n > len - *pos - 4)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, base + *pos,
                             _("a string of %u bytes runs past its section (%zu"
                               " bytes remain)"), n, len - *pos - 4);
      return NULL;
    }
  const char *s = (const char *) data + *pos + 4;
  *pos += 4 + n;
  return g_utf8_make_valid (s, (gssize) strnlen (s, n));
}

gboolean
perf_read_build_id_entry (PerfReader *r, const guint8 *data, gsize len, gsize offset,
                          GError **error)
{
  /* header (8), pid (4), build_id[24] (20 bytes + size byte + padding), filename */
  if (len < 8 + 4 + 24)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, offset,
                             _("a build-id entry needs at least 36 bytes, it has %zu"),
                             len);
      return FALSE;
    }
  guint16 misc;
  memcpy (&misc, data + 4, sizeof misc);
  const guint8 *bid = data + 12;
  gsize bid_len = 20;
  if (misc & (1 << 15))
    bid_len = MIN (bid[20], 20);
  const char *name = (const char *) data + 36;
  g_autofree char *path = g_strndup (name, len - 36);
  if (*path == '\0')
    return TRUE;
  GBytes *bytes = g_bytes_new (bid, bid_len);
  if (g_str_equal (path, "[kernel.kallsyms]") || g_str_has_prefix (path, "[kernel.kallsyms]"))
    {
      g_clear_pointer (&r->kernel_build_id, g_bytes_unref);
      r->kernel_build_id = bytes;
    }
  else
    g_hash_table_replace (r->build_ids, g_steal_pointer (&path), bytes);
  return TRUE;
}

static gboolean
read_build_ids (PerfReader *r, const guint8 *data, gsize len, gsize base, GError **error)
{
  gsize pos = 0;
  while (len - pos >= 8)
    {
      guint16 size;
      memcpy (&size, data + pos + 6, sizeof size);
      if (size < 8 || size > len - pos)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, base + pos,
                                 _("a build-id entry of %u bytes does not fit its section "
                                   "(%zu bytes remain)"), size, len - pos);
          return FALSE;
        }
      if (!perf_read_build_id_entry (r, data + pos, size, base + pos, error))
        return FALSE;
      pos += size;
    }
  return TRUE;
}

static gboolean
read_event_desc (PerfReader *r, const guint8 *data, gsize len, gsize base, GError **error)
{
  if (len < 8)
    return TRUE;
  guint32 nr = rd32 (data), attr_size = rd32 (data + 4);
  gsize pos = 8;
  for (guint32 i = 0; i < nr; i++)
    {
      if (attr_size > len - pos || len - pos - attr_size < 4)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, base + pos,
                                 _("event description %u of %u runs past its section"), i + 1, nr);
          return FALSE;
        }
      pos += attr_size;
      guint32 nr_ids = rd32 (data + pos);
      pos += 4;
      g_autofree char *name = read_string (r, data, len, &pos, base, error);
      if (name == NULL)
        return FALSE;
      if (nr_ids > (len - pos) / 8)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, base + pos,
                                 _("event description '%s' lists %u ids, more than its section holds"),
                                 name, nr_ids);
          return FALSE;
        }
      PerfEvent *event = NULL;
      if (nr_ids > 0)
        {
          guint64 id = rd64 (data + pos);
          event = g_hash_table_lookup (r->event_by_id, &id);
        }
      if (event == NULL && i < r->events->len)
        event = g_ptr_array_index (r->events, i);
      if (event != NULL && *name)
        {
          g_free (event->name);
          event->name = g_steal_pointer (&name);
        }
      pos += (gsize) nr_ids * 8;
    }
  return TRUE;
}

gboolean
perf_read_feature (PerfReader *r, guint feature, const guint8 *data, gsize len, gsize offset,
                   GError **error)
{
  gsize pos = 0;
  switch (feature)
    {
    case PERF_FEAT_BUILD_ID:
      return read_build_ids (r, data, len, offset, error);
    case PERF_FEAT_HOSTNAME:
      g_free (r->hostname);
      return (r->hostname = read_string (r, data, len, &pos, offset, error)) != NULL;
    case PERF_FEAT_OSRELEASE:
      g_free (r->os_release);
      return (r->os_release = read_string (r, data, len, &pos, offset, error)) != NULL;
    case PERF_FEAT_ARCH:
      g_free (r->arch);
      return (r->arch = read_string (r, data, len, &pos, offset, error)) != NULL;
    case PERF_FEAT_NRCPUS:
      if (len >= 8)
        r->nr_cpus = rd32 (data + 4);
      return TRUE;
    case PERF_FEAT_CMDLINE:
      {
        if (len < 4)
          return TRUE;
        guint32 nr = rd32 (data);
        pos = 4;
        g_autoptr (GString) cmd = g_string_new (NULL);
        for (guint32 i = 0; i < nr; i++)
          {
            g_autofree char *arg = read_string (r, data, len, &pos, offset, error);
            if (arg == NULL)
              return FALSE;
            g_string_append_printf (cmd, "%s%s", i ? " " : "", arg);
          }
        g_free (r->command_line);
        r->command_line = g_string_free (g_steal_pointer (&cmd), FALSE);
        return TRUE;
      }
    case PERF_FEAT_EVENT_DESC:
      return read_event_desc (r, data, len, offset, error);
    default:
      return TRUE;
    }
}

static gboolean
check_section (PerfReader *r, gsize field_offset, guint64 off, guint64 size, const char *what,
               GError **error)
{
  gsize length = r->ctx->length;
  if (off > length || size > length - off)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, field_offset,
                             _("the %s section [%" PRIu64 ", +%" PRIu64
                               ") runs past the end of the file (%zu bytes); "
                               "the file is truncated or not a perf.data file"),
                             what, off, size, length);
      return FALSE;
    }
  return TRUE;
}

gboolean
perf_read_file_header (PerfReader *r, gsize *data_offset, gsize *data_end, GError **error)
{
  const guint8 *d = r->ctx->data;
  gsize length = r->ctx->length;
  if (length < PERF_FILE_HEADER_SIZE)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, length,
                             _("the perf.data header needs %d bytes, the file has %zu"),
                             PERF_FILE_HEADER_SIZE, length);
      return FALSE;
    }
  guint64 header_size = rd64 (d + 8);
  if (header_size != PERF_FILE_HEADER_SIZE)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, r->ctx, 8,
                             _("header size %" PRIu64 ", expected %d (a perf.data file "
                               "of another version)"), header_size, PERF_FILE_HEADER_SIZE);
      return FALSE;
    }
  guint64 attr_size = rd64 (d + 16);
  guint64 attrs_off = rd64 (d + 24), attrs_size = rd64 (d + 32);
  guint64 data_off = rd64 (d + 40), data_size = rd64 (d + 48);
  if (!check_section (r, 24, attrs_off, attrs_size, "attrs", error))
    return FALSE;
  if (data_off > length)
    return check_section (r, 40, data_off, data_size, "data", error);
  /* A recording that was killed never wrote the data size: read to the end. */
  if (data_size == 0)
    data_size = length - data_off;
  if (!check_section (r, 40, data_off, data_size, "data", error))
    return FALSE;

  if (attr_size < 16 + PERF_ATTR_SIZE_VER0 || attr_size > 16 + 4096 || attrs_size % attr_size != 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, 16,
                             _("attr size %" PRIu64 " does not fit an attrs section of %"
                               PRIu64 " bytes (expected a perf_event_attr plus 16 bytes, "
                               "dividing the section)"), attr_size, attrs_size);
      return FALSE;
    }
  for (guint64 pos = attrs_off; pos < attrs_off + attrs_size; pos += attr_size)
    {
      guint32 own = rd32 (d + pos + 4);
      if (own == 0)
        own = PERF_ATTR_SIZE_VER0;
      if (own != attr_size - 16)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, r->ctx, pos + 4,
                                 _("the event attr says it holds %u bytes, the header's attr size "
                                   "leaves %" PRIu64), own, attr_size - 16);
          return FALSE;
        }
      gsize ids_field = pos + own;
      guint64 ids_off = rd64 (d + ids_field), ids_size = rd64 (d + ids_field + 8);
      if (!check_section (r, ids_field, ids_off, ids_size, "event ids", error))
        return FALSE;
      if (!perf_add_event (r, d + pos, own, pos, (const guint64 *) (d + ids_off), ids_size / 8, error))
        return FALSE;
    }

  /* Feature sections: one (offset, size) per bit set, right after the data. */
  gsize table = data_off + data_size;
  for (guint bit = 0; bit < 256; bit++)
    {
      guint64 word = rd64 (d + 72 + (bit / 64) * 8);
      if (!(word & (G_GUINT64_CONSTANT (1) << (bit % 64))))
        continue;
      if (table > length || length - table < 16)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, table,
                                 _("the feature table runs past the end of the file (feature %u)"),
                                 bit);
          return FALSE;
        }
      guint64 off = rd64 (d + table), size = rd64 (d + table + 8);
      if (!check_section (r, table, off, size, "feature", error))
        return FALSE;
      if (!perf_read_feature (r, bit, d + off, size, off, error))
        return FALSE;
      table += 16;
    }
  *data_offset = data_off;
  *data_end = data_off + data_size;
  return perf_events_ready (r, 0, error);
}
