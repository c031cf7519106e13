/* perf-data.c — the perf.data reader: file mode (header, attrs, data,
 * features) and pipe mode (`perf record -o -`, everything as records). */
#include "perf-data.h"
#include "perf-data-private.h"

#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

static const char perf_magic[8] = { 'P', 'E', 'R', 'F', 'I', 'L', 'E', '2' };
static const char perf_magic_swapped[8] = { '2', 'E', 'L', 'I', 'F', 'R', 'E', 'P' };

static PyroSniff
perf_sniff (const guint8 *data, gsize length, const char *basename)
{
  if (length >= 8 && (memcmp (data, perf_magic, 8) == 0 || memcmp (data, perf_magic_swapped, 8) == 0))
    return PYRO_SNIFF_MAGIC;
  if (g_str_has_prefix (basename, "perf.data"))
    return PYRO_SNIFF_EXTENSION;
  return PYRO_SNIFF_NO;
}

static void
reader_clear (PerfReader *r)
{
  perf_stacks_free (r->stacks);
  pyro_symbolizer_free (r->symbolizer);
  g_ptr_array_unref (r->events);
  g_hash_table_unref (r->event_by_id);
  g_hash_table_unref (r->build_ids);
  g_clear_pointer (&r->kernel_build_id, g_bytes_unref);
  g_hash_table_unref (r->thread_index);
  g_array_unref (r->thread_pids);
  g_array_unref (r->thread_tids);
  g_hash_table_unref (r->comms);
  perf_records_clear (r);
  g_free (r->hostname);
  g_free (r->os_release);
  g_free (r->arch);
  g_free (r->command_line);
}

static void
add_threads (PerfReader *r)
{
  for (guint i = 0; i < r->thread_tids->len; i++)
    {
      guint32 pid = g_array_index (r->thread_pids, guint32, i);
      guint32 tid = g_array_index (r->thread_tids, guint32, i);
      const char *name = g_hash_table_lookup (r->comms, GUINT_TO_POINTER (tid));
      const char *process = g_hash_table_lookup (r->comms, GUINT_TO_POINTER (pid));
      g_autofree char *fallback = NULL;
      if (name == NULL)
        name = fallback = tid == 0 ? g_strdup ("swapper") : g_strdup_printf ("thread %u", tid);
      pyro_profile_add_thread (r->profile, pid, tid, name, process != NULL ? process : name);
    }
}

static void
fill_metadata (PerfReader *r)
{
  PyroProfile *p = r->profile;
  PerfEvent *weigh = r->weigh;
  p->meta.command_line = g_strdup (r->command_line);
  p->meta.host = g_strdup (r->hostname);
  p->meta.os_release = g_strdup (r->os_release);
  p->meta.n_cpus = r->nr_cpus;
  p->meta.unit = r->weigh_in_seconds ? PYRO_UNIT_SECONDS : PYRO_UNIT_SAMPLES;
  if (weigh == NULL)
    return;
  p->meta.event = g_strdup (weigh->name);
  p->meta.has_time = (weigh->attr.sample_type & PERF_SAMPLE_TIME) != 0;
  if (weigh->attr.freq)
    p->meta.sample_rate = (double) weigh->attr.sample_freq;
  else if (r->weigh_in_seconds && weigh->attr.sample_period > 0)
    p->meta.sample_rate = 1e9 / (double) weigh->attr.sample_period;
}

static void
add_warnings (PerfReader *r)
{
  PyroProfile *p = r->profile;
  guint64 n = pyro_profile_n_samples (p);
  if (r->events->len > 1 && r->weigh != NULL)
    {
      g_autoptr (GString) others = g_string_new (NULL);
      for (guint i = 0; i < r->events->len; i++)
        {
          PerfEvent *e = g_ptr_array_index (r->events, i);
          if (e != r->weigh)
            g_string_append_printf (others, "%s%s", others->len ? ", " : "", e->name);
        }
      pyro_profile_add_warning (p, _("the recording also holds %s (%" PRIu64
                                  " samples), shown as timeline counters; the views are weighed by %s"),
                                others->str, r->other_event_samples, r->weigh->name);
    }
  if (r->lost > 0)
    pyro_profile_add_warning (p, _("the kernel lost %" PRIu64 " events while recording "
                                "(buffers full); totals are lower than they were"), r->lost);
  if (r->throttled > 0)
    pyro_profile_add_warning (p, _("sampling was throttled %" PRIu64 " times "
                                "(kernel.perf_event_max_sample_rate)"), r->throttled);
  perf_stacks_report_problems (r->stacks, p, n);
}

static PyroProfile *
perf_load_event (const PyroLoadContext *ctx, const char *event, GError **error)
{
  g_autoptr (PyroProfile) profile = pyro_profile_new ("perf");
  PerfReader r = {
    .ctx = ctx,
    .profile = profile,
    .symbolizer = pyro_symbolizer_new (),
    .events = g_ptr_array_new_with_free_func ((GDestroyNotify) perf_event_free),
    .event_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
    .build_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref),
    .thread_index = g_hash_table_new (NULL, NULL),
    .thread_pids = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .thread_tids = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .comms = g_hash_table_new_full (NULL, NULL, NULL, g_free),
    .wanted_event = event,
    .id_pos = -1,
  };
  r.stacks = perf_stacks_new (profile, r.symbolizer);
  perf_records_init (&r);
  gboolean ok = FALSE;

  if (ctx->length < PERF_PIPE_HEADER_SIZE)
    pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, ctx, ctx->length,
                           _("a perf.data header needs at least %d bytes, the file has %zu"),
                           PERF_PIPE_HEADER_SIZE, ctx->length);
  else if (memcmp (ctx->data, perf_magic, 8) != 0)
    pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, ctx, 0,
                           _("a perf.data file of the other byte order; record it on this "
                             "architecture or convert it with perf"));
  else
    {
      guint64 header_size;
      memcpy (&header_size, ctx->data + 8, 8);
      gsize data_offset = PERF_PIPE_HEADER_SIZE, data_end = ctx->length;
      r.pipe = header_size == PERF_PIPE_HEADER_SIZE;
      ok = r.pipe || perf_read_file_header (&r, &data_offset, &data_end, error);
      if (ok && r.kernel_build_id != NULL)
        {
          gsize len;
          const guint8 *bid = g_bytes_get_data (r.kernel_build_id, &len);
          pyro_symbolizer_set_kernel_build_id (r.symbolizer, bid, len);
        }
      ok = ok && perf_read_records (&r, ctx->data + data_offset, data_end - data_offset, data_offset, error)
           && perf_finish_records (&r, data_end, error);
      if (ok && r.events->len == 0)
        {
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, data_offset,
                                 _("no event attributes in the file; expected HEADER_ATTR records"));
          ok = FALSE;
        }
    }
  if (ok)
    {
      add_threads (&r);
      fill_metadata (&r);
      add_warnings (&r);
      if (pyro_profile_n_samples (profile) == 0)
        pyro_profile_add_warning (profile, _("the recording holds no samples"));
    }
  reader_clear (&r);
  return ok ? g_steal_pointer (&profile) : NULL;
}

static PyroProfile *
perf_load (const PyroLoadContext *ctx, GError **error)
{
  return perf_load_event (ctx, NULL, error);
}

PyroProfile *
pyro_perf_data_load (const char *path, const char *event, PyroProgressFunc progress,
                     gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local->code, "%s", local->message);
      return NULL;
    }
  PyroLoadContext ctx = {
    .path = path,
    .data = (const guint8 *) g_mapped_file_get_contents (mapped),
    .length = g_mapped_file_get_length (mapped),
    .progress = progress,
    .progress_data = progress_data,
    .cancellable = cancellable,
  };
  if (perf_sniff (ctx.data, ctx.length, "") != PYRO_SNIFF_MAGIC)
    {
      g_set_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_UNKNOWN_FORMAT,
                   _("%s: byte 0: not a perf.data file (expected PERFILE2); only perf.data "
                     "recordings have several events"), path);
      return NULL;
    }
  PyroProfile *profile = perf_load_event (&ctx, event, error);
  if (profile != NULL)
    pyro_profile_finish (profile);
  return profile;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

char **
pyro_perf_data_events (const PyroProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  if (g_strcmp0 (profile->meta.format, "perf") == 0 && profile->meta.event != NULL)
    {
      g_ptr_array_add (names, g_strdup (profile->meta.event));
      /* The events that do not weigh are the counters on_sample() adds. */
      for (guint i = 0; i < profile->counters->len; i++)
        {
          const PyroCounter *c = g_ptr_array_index (profile->counters, i);
          if (g_str_equal (pyro_profile_str (profile, c->unit), PERF_EVENT_COUNTER_UNIT))
            g_ptr_array_add (names, g_strdup (pyro_profile_str (profile, c->name)));
        }
      g_ptr_array_sort (names, compare_names);
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

const PyroFormatReader pyro_perf_data_reader = {
  .id = "perf",
  .name = N_("perf.data (perf record)"),
  .extensions = NULL,
  .mime_type = "application/x-perf-data",
  .sniff = perf_sniff,
  .load = perf_load,
};
