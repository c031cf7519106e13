/* perf-data-records.c — the stream of records in the data section (and in
 * zstd-compressed records): mappings, thread names, forks, lost counts, and
 * samples parsed field by field after their event's sample_type. */
#include "perf-data-private.h"

#include <string.h>
#include <sys/mman.h>
#include <glib/gi18n.h>
#include <inttypes.h>

#define DECOMPRESS_CHUNK (1 << 20)
#define STEP_BYTES (1 << 20)

typedef struct {
  PerfReader *r;
  const guint8 *rec;
  gsize size;
  gsize offset;       /* file offset of the record, or of its COMPRESSED record */
  gboolean compressed;
} Record;

G_GNUC_PRINTF (4, 5) static gboolean
record_error (const Record *rec, PyroFormatError code, GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  guint32 type;
  memcpy (&type, rec->rec, sizeof type);
  pyro_format_set_error (error, code, rec->r->ctx, rec->offset, _("%s%s (record type %u)"),
                         rec->compressed ? _("in the records decompressed from here: ") : "",
                         message, type);
  return FALSE;
}

/* Records of several CPUs' buffers arrive interleaved: a sample may come
 * before the mapping it falls in.  As perf does, records are queued and, at
 * each FINISHED_ROUND, those older than the previous round's newest are
 * handled in time order. */
typedef struct {
  guint64 time;
  guint64 seq;
  const guint8 *data;
  gsize size;
  gsize offset;
  gboolean compressed;  /* @data is an owned copy of decompressed bytes */
} QueuedRecord;

static guint32
thread_for (PerfReader *r, guint32 pid, guint32 tid)
{
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (r->thread_index, GUINT_TO_POINTER (tid)));
  if (idx != 0)
    return idx - 1;
  g_array_append_val (r->thread_pids, pid);
  g_array_append_val (r->thread_tids, tid);
  g_hash_table_insert (r->thread_index, GUINT_TO_POINTER (tid), GUINT_TO_POINTER (r->thread_pids->len));
  return r->thread_pids->len - 1;
}

/* A NUL-terminated name inside [p, end), made valid UTF-8. */
static char *
record_string (const guint8 *p, const guint8 *end)
{
  if (p >= end)
    return g_strdup ("");
  return g_utf8_make_valid ((const char *) p, (gssize) strnlen ((const char *) p, (gsize) (end - p)));
}

/* Reads the sample's fields in the order the kernel writes them; stops
 * after STACK_USER, the last field this reader uses. */
static gboolean
parse_sample (const Record *rec, PerfSample *s, PerfEvent **event_out, GError **error)
{
  PerfReader *r = rec->r;
  const guint8 *p = rec->rec + 8, *end = rec->rec + rec->size;
  PerfEvent *event = g_ptr_array_index (r->events, 0);

  memset (s, 0, sizeof *s);
  memcpy (&s->misc, rec->rec + 4, sizeof s->misc);
  if (r->events->len > 1 && r->id_pos >= 0)
    {
      if ((gsize) (end - p) < (gsize) (r->id_pos + 1) * 8)
        return record_error (rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                             _("a sample of %zu bytes is too short for its event id"),
                             rec->size);
      guint64 id;
      memcpy (&id, p + r->id_pos * 8, sizeof id);
      event = g_hash_table_lookup (r->event_by_id, &id);
      if (event == NULL)
        {
          *event_out = NULL;
          return TRUE;
        }
    }
  *event_out = event;
  guint64 st = event->attr.sample_type;

#define NEED(n, what)                                                                         \
  if ((gsize) (end - p) < (gsize) (n))                                                      \
    return record_error (rec, PYRO_FORMAT_ERROR_TRUNCATED, error,                           \
                         "the sample's %s needs %" G_GUINT64_FORMAT " bytes, %" G_GSIZE_FORMAT \
                         " remain in the record", what, (guint64) (n), (gsize) (end - p))
#define TAKE64(dst, what) do { NEED (8, what); memcpy (&(dst), p, 8); p += 8; } while (0)

  guint64 skip;
  if (st & PERF_SAMPLE_IDENTIFIER) TAKE64 (s->id, "identifier");
  if (st & PERF_SAMPLE_IP) TAKE64 (s->ip, "ip");
  if (st & PERF_SAMPLE_TID)
    {
      NEED (8, "pid/tid");
      memcpy (&s->pid, p, 4);
      memcpy (&s->tid, p + 4, 4);
      p += 8;
    }
  if (st & PERF_SAMPLE_TIME) TAKE64 (s->time, "time");
  if (st & PERF_SAMPLE_ADDR) TAKE64 (skip, "addr");
  if (st & PERF_SAMPLE_ID) TAKE64 (s->id, "id");
  if (st & PERF_SAMPLE_STREAM_ID) TAKE64 (skip, "stream id");
  if (st & PERF_SAMPLE_CPU)
    {
      NEED (8, "cpu");
      memcpy (&s->cpu, p, 4);
      p += 8;
    }
  if (st & PERF_SAMPLE_PERIOD) TAKE64 (s->period, "period");
  if (st & PERF_SAMPLE_READ)
    {
      guint64 rf = event->attr.read_format;
      guint per_value = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST);
      guint64 times = !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) + !!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);
      if (rf & PERF_FORMAT_GROUP)
        {
          guint64 nr;
          TAKE64 (nr, "read group size");
          if (nr > (gsize) (end - p) / 8)
            return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                                 _("a read group of %" PRIu64 " values runs past the record"), nr);
          NEED ((times + nr * per_value) * 8, "read values");
          p += (times + nr * per_value) * 8;
        }
      else
        {
          NEED ((times + per_value) * 8, "read value");
          p += (times + per_value) * 8;
        }
    }
  if (st & PERF_SAMPLE_CALLCHAIN)
    {
      guint64 nr;
      TAKE64 (nr, "callchain length");
      if (nr > (gsize) (end - p) / 8)
        return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                             _("a callchain of %" PRIu64 " entries runs past the end of its "
                               "sample (%zu bytes remain)"), nr, (gsize) (end - p));
      s->callchain = (const guint64 *) p;
      s->callchain_nr = nr;
      p += nr * 8;
    }
  if (st & PERF_SAMPLE_RAW)
    {
      guint32 raw;
      NEED (4, "raw size");
      memcpy (&raw, p, 4);
      NEED ((guint64) raw + 4, "raw data");
      p += 4 + raw;
    }
  if (st & PERF_SAMPLE_BRANCH_STACK)
    {
      guint64 nr;
      TAKE64 (nr, "branch stack size");
      if (event->attr.branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX)
        TAKE64 (skip, "branch hw index");
      if (nr > (gsize) (end - p) / 24)
        return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                             _("a branch stack of %" PRIu64 " entries runs past the record"), nr);
      p += nr * 24;
    }
  if (st & PERF_SAMPLE_REGS_USER)
    {
      TAKE64 (s->regs_abi, "user register ABI");
      if (s->regs_abi != 0)
        {
          s->regs_mask = event->attr.sample_regs_user;
          guint n = (guint) __builtin_popcountll (s->regs_mask);
          NEED ((guint64) n * 8, "user registers");
          s->regs = (const guint64 *) p;
          p += (gsize) n * 8;
        }
    }
  if (st & PERF_SAMPLE_STACK_USER)
    {
      guint64 size;
      TAKE64 (size, "user stack size");
      if (size != 0)
        {
          if (size > (gsize) (end - p) || (gsize) (end - p) - size < 8)
            return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                                 _("a user stack of %" PRIu64 " bytes runs past the end of "
                                   "its sample (%zu bytes remain)"), size, (gsize) (end - p));
          s->stack = p;
          guint64 dyn;
          memcpy (&dyn, p + size, sizeof dyn);
          s->stack_size = MIN (dyn, size);
          p += size + 8;
        }
    }
#undef TAKE64
#undef NEED
  return TRUE;
}

static gboolean
on_sample (const Record *rec, GError **error)
{
  PerfReader *r = rec->r;
  PerfSample s;
  PerfEvent *event;
  if (r->weigh == NULL && !perf_events_ready (r, rec->offset, error))
    return FALSE;
  if (!parse_sample (rec, &s, &event, error))
    return FALSE;
  if (event == NULL)
    {
      r->other_event_samples++;
      return TRUE;
    }
  if (event != r->weigh)
    {
      /* Other events (page faults next to cycles) become a counter of the
       * timeline: their running total over time. */
      r->other_event_samples++;
      if (event->counter == NULL)
        event->counter = pyro_profile_add_counter (r->profile, event->name, PERF_EVENT_COUNTER_UNIT);
      event->running_total += (event->attr.sample_type & PERF_SAMPLE_PERIOD) ? (double) s.period : 1.0;
      pyro_counter_append (event->counter, (gint64) s.time, event->running_total);
      return TRUE;
    }
  gboolean x86_64 = r->arch == NULL || g_str_equal (r->arch, "x86_64");
  guint32 stack = perf_stacks_add_sample (r->stacks, &s, x86_64);
  if (stack == PYRO_NONE)
    return TRUE;
  double weight = 1;
  if (event->attr.sample_type & PERF_SAMPLE_PERIOD)
    weight = (double) s.period;
  else if (!event->attr.freq && event->attr.sample_period > 0)
    weight = (double) event->attr.sample_period;
  if (r->weigh_in_seconds)
    weight /= 1e9;
  pyro_profile_add_sample (r->profile, (gint64) s.time, stack, thread_for (r, s.pid, s.tid), weight);
  return TRUE;
}

static gboolean
on_mmap (const Record *rec, gboolean v2, GError **error)
{
  PerfReader *r = rec->r;
  const guint8 *p = rec->rec + 8, *end = rec->rec + rec->size;
  gsize fixed = v2 ? 4 + 4 + 8 * 3 + 24 + 4 + 4 : 4 + 4 + 8 * 3;
  if ((gsize) (end - p) < fixed)
    return record_error (rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                         _("a mapping record needs %zu bytes, it has %zu"),
                         fixed + 8, rec->size);
  guint16 misc;
  memcpy (&misc, rec->rec + 4, sizeof misc);
  if ((misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_KERNEL)
    return TRUE; /* kernel text and modules come from /proc/kallsyms */
  guint32 pid;
  guint64 addr, len, pgoff;
  memcpy (&pid, p, 4);
  memcpy (&addr, p + 8, 8);
  memcpy (&len, p + 16, 8);
  memcpy (&pgoff, p + 24, 8);
  const guint8 *bid = NULL;
  gsize bid_len = 0;
  if (v2)
    {
      guint32 prot;
      memcpy (&prot, p + 32 + 24, 4);
      if (!(prot & PROT_EXEC))
        return TRUE;
      if (misc & PERF_RECORD_MISC_MMAP_BUILD_ID)
        {
          bid_len = MIN (p[32], 20);
          bid = p + 36;
        }
    }
  g_autofree char *path = record_string (p + fixed, end);
  if (bid == NULL)
    {
      GBytes *known = g_hash_table_lookup (r->build_ids, path);
      if (known != NULL)
        bid = g_bytes_get_data (known, &bid_len);
    }
  if (len > 0 && addr + len > addr)
    pyro_symbolizer_add_mapping (r->symbolizer, pid, addr, addr + len, pgoff, path, bid, bid_len);
  return TRUE;
}

static gboolean
on_comm (const Record *rec, GError **error)
{
  if (rec->size < 8 + 8)
    return record_error (rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                         _("a COMM record needs at least 16 bytes, it has %zu"), rec->size);
  guint32 tid;
  memcpy (&tid, rec->rec + 12, 4);
  g_hash_table_replace (rec->r->comms, GUINT_TO_POINTER (tid),
                        record_string (rec->rec + 16, rec->rec + rec->size));
  return TRUE;
}

static gboolean
on_fork (const Record *rec, GError **error)
{
  PerfReader *r = rec->r;
  if (rec->size < 8 + 24)
    return record_error (rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                         _("a FORK record needs at least 32 bytes, it has %zu"), rec->size);
  guint32 pid, ppid, tid, ptid;
  memcpy (&pid, rec->rec + 8, 4);
  memcpy (&ppid, rec->rec + 12, 4);
  memcpy (&tid, rec->rec + 16, 4);
  memcpy (&ptid, rec->rec + 20, 4);
  if (pid != ppid)
    pyro_symbolizer_fork (r->symbolizer, ppid, pid);
  const char *parent = g_hash_table_lookup (r->comms, GUINT_TO_POINTER (ptid));
  if (parent != NULL && !g_hash_table_contains (r->comms, GUINT_TO_POINTER (tid)))
    g_hash_table_insert (r->comms, GUINT_TO_POINTER (tid), g_strdup (parent));
  return TRUE;
}

static gboolean
on_header_attr (const Record *rec, GError **error)
{
  PerfReader *r = rec->r;
  if (rec->size < 8 + 8)
    return record_error (rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                         _("a HEADER_ATTR record of %zu bytes holds no attr"), rec->size);
  guint32 attr_size;
  memcpy (&attr_size, rec->rec + 12, 4);
  if (attr_size == 0)
    attr_size = PERF_ATTR_SIZE_VER0;
  if (attr_size > rec->size - 8)
    return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                         _("the attr says it holds %u bytes, its record only %zu"),
                         attr_size, rec->size - 8);
  gsize n_ids = (rec->size - 8 - attr_size) / 8;
  r->weigh = NULL;
  return perf_add_event (r, rec->rec + 8, attr_size, rec->offset,
                         (const guint64 *) (rec->rec + 8 + attr_size), n_ids, error);
}

static gboolean
on_event_update (const Record *rec)
{
  PerfReader *r = rec->r;
  guint64 type, id;
  if (rec->size < 8 + 16)
    return TRUE;
  memcpy (&type, rec->rec + 8, 8);
  memcpy (&id, rec->rec + 16, 8);
  PerfEvent *event = g_hash_table_lookup (r->event_by_id, &id);
  if (type == 2 /* PERF_EVENT_UPDATE__NAME */ && event != NULL)
    {
      g_free (event->name);
      event->name = record_string (rec->rec + 24, rec->rec + rec->size);
    }
  return TRUE;
}

static gboolean read_stream (PerfReader *r, const guint8 *data, gsize len, gsize base,
                             gboolean compressed, gsize *consumed, GError **error);

static gboolean
on_compressed (const Record *rec, GError **error)
{
  PerfReader *r = rec->r;
  if (r->zstd == NULL)
    r->zstd = ZSTD_createDCtx ();
  ZSTD_inBuffer in = { rec->rec + 8, rec->size - 8, 0 };
  while (in.pos < in.size)
    {
      guint old = r->pending->len;
      g_byte_array_set_size (r->pending, old + DECOMPRESS_CHUNK);
      ZSTD_outBuffer out = { r->pending->data + old, DECOMPRESS_CHUNK, 0 };
      gsize in_before = in.pos;
      size_t ret = ZSTD_decompressStream (r->zstd, &out, &in);
      g_byte_array_set_size (r->pending, old + (guint) out.pos);
      if (ZSTD_isError (ret))
        return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                             _("corrupt zstd data in a COMPRESSED record: %s"), ZSTD_getErrorName (ret));
      gsize consumed = 0;
      if (!read_stream (r, r->pending->data, r->pending->len, rec->offset, TRUE, &consumed, error))
        return FALSE;
      g_byte_array_remove_range (r->pending, 0, (guint) consumed);
      if (out.pos == 0 && in.pos == in_before)
        break;
    }
  return TRUE;
}

static gboolean
is_queued_type (guint32 type)
{
  switch (type)
    {
    case PERF_RECORD_SAMPLE:
    case PERF_RECORD_MMAP:
    case PERF_RECORD_MMAP2:
    case PERF_RECORD_COMM:
    case PERF_RECORD_FORK:
    case PERF_RECORD_EXIT:
      return TRUE;
    default:
      return FALSE;
    }
}

static guint
time_index (guint64 st)
{
  return !!(st & PERF_SAMPLE_IDENTIFIER) + !!(st & PERF_SAMPLE_IP) + !!(st & PERF_SAMPLE_TID);
}

/* The record's timestamp: a sample's TIME field, or the sample_id trailer of
 * other records; 0 when it has none (synthesized records come first). */
static guint64
record_time (PerfReader *r, const guint8 *rec, gsize size, guint32 type)
{
  if (r->events->len == 0)
    return 0;
  PerfEvent *event = g_ptr_array_index (r->events, 0);
  guint64 st = event->attr.sample_type, t = 0;
  if (type == PERF_RECORD_SAMPLE)
    {
      if (r->events->len > 1 && r->id_pos >= 0 && size >= 8 + (gsize) (r->id_pos + 1) * 8)
        {
          guint64 id;
          memcpy (&id, rec + 8 + r->id_pos * 8, 8);
          PerfEvent *e = g_hash_table_lookup (r->event_by_id, &id);
          if (e != NULL)
            st = e->attr.sample_type;
        }
      gsize at = 8 + time_index (st) * 8;
      if ((st & PERF_SAMPLE_TIME) && size >= at + 8)
        memcpy (&t, rec + at, 8);
      return t;
    }
  if (!event->attr.sample_id_all || !(st & PERF_SAMPLE_TIME))
    return 0;
  /* trailer: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER */
  gsize after = 8 * (1 + !!(st & PERF_SAMPLE_ID) + !!(st & PERF_SAMPLE_STREAM_ID)
                     + !!(st & PERF_SAMPLE_CPU) + !!(st & PERF_SAMPLE_IDENTIFIER));
  if (size >= 8 + after)
    memcpy (&t, rec + size - after, 8);
  return t;
}

static int
compare_queued (gconstpointer a, gconstpointer b)
{
  const QueuedRecord *x = a, *y = b;
  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static gboolean on_record (const Record *rec, gsize *extra, GError **error);

/* Handles the queued records up to @limit (all with G_MAXUINT64). */
static gboolean
flush_queue (PerfReader *r, guint64 limit, GError **error)
{
  GArray *q = r->queue;
  if (q->len == 0)
    return TRUE;
  g_array_sort (q, compare_queued);
  guint done = 0;
  gboolean ok = TRUE;
  for (; done < q->len; done++)
    {
      QueuedRecord *e = &g_array_index (q, QueuedRecord, done);
      if (e->time > limit)
        break;
      Record rec = { r, e->data, e->size, e->offset, e->compressed };
      gsize extra = 0;
      if (ok)
        ok = on_record (&rec, &extra, error);
      if (e->compressed)
        g_free ((gpointer) e->data);
    }
  g_array_remove_range (q, 0, done);
  return ok;
}

/* Past this many waiting records (a pipe-mode file may hold no round at
 * all), the older half is handled, as perf does when its queue is full. */
#define QUEUE_LIMIT (1 << 20)

static gboolean
enqueue (PerfReader *r, const Record *rec, guint32 type, GError **error)
{
  QueuedRecord e = {
    .time = record_time (r, rec->rec, rec->size, type),
    .seq = r->seq++,
    .data = rec->compressed ? g_memdup2 (rec->rec, rec->size) : rec->rec,
    .size = rec->size,
    .offset = rec->offset,
    .compressed = rec->compressed,
  };
  r->max_time = MAX (r->max_time, e.time);
  g_array_append_val (r->queue, e);
  if (r->queue->len < QUEUE_LIMIT)
    return TRUE;
  g_array_sort (r->queue, compare_queued);
  return flush_queue (r, g_array_index (r->queue, QueuedRecord, r->queue->len / 2).time, error);
}

/* Gives back the pages of the mapped file before @upto that no queued record
 * points into: a big file is read once, and its pages need not stay in
 * memory (peak RSS then stays well below the file's size). */
static void
release_pages (PerfReader *r, const guint8 *upto)
{
  for (guint i = 0; i < r->queue->len; i++)
    {
      const QueuedRecord *e = &g_array_index (r->queue, QueuedRecord, i);
      if (!e->compressed && e->data < upto)
        upto = e->data;
    }
  gsize page = 4096;
  gsize end = (gsize) (upto - r->ctx->data);
  gsize base = (gsize) r->ctx->data % page;
  /* page-aligned addresses: [data - base + released, data - base + end) */
  gsize from = r->released, to = (end + base) / page * page;
  if (to <= from + (1 << 20))
    return;
  madvise ((void *) (r->ctx->data - base + from), to - from, MADV_DONTNEED);
  r->released = to;
}

/* Queues, handles at once, or flushes a round. */
static gboolean
dispatch (const Record *rec, gsize *extra, GError **error)
{
  PerfReader *r = rec->r;
  guint32 type;
  memcpy (&type, rec->rec, 4);
  if (is_queued_type (type))
    {
      return enqueue (r, rec, type, error);
    }
  if (type == PERF_RECORD_FINISHED_ROUND)
    {
      guint64 limit = r->round_limit;
      r->round_limit = r->max_time;
      if (!flush_queue (r, limit, error))
        return FALSE;
      if (!rec->compressed)
        release_pages (r, rec->rec);
      return TRUE;
    }
  return on_record (rec, extra, error);
}

static gboolean
on_record (const Record *rec, gsize *extra, GError **error)
{
  PerfReader *r = rec->r;
  guint32 type;
  memcpy (&type, rec->rec, 4);
  switch (type)
    {
    case PERF_RECORD_SAMPLE:
      return on_sample (rec, error);
    case PERF_RECORD_MMAP:
      return on_mmap (rec, FALSE, error);
    case PERF_RECORD_MMAP2:
      return on_mmap (rec, TRUE, error);
    case PERF_RECORD_COMM:
      return on_comm (rec, error);
    case PERF_RECORD_FORK:
      return on_fork (rec, error);
    case PERF_RECORD_LOST:
      if (rec->size >= 24)
        {
          guint64 lost;
          memcpy (&lost, rec->rec + 16, 8);
          r->lost += lost;
        }
      return TRUE;
    case PERF_RECORD_LOST_SAMPLES:
      if (rec->size >= 16)
        {
          guint64 lost;
          memcpy (&lost, rec->rec + 8, 8);
          r->lost += lost;
        }
      return TRUE;
    case PERF_RECORD_THROTTLE:
      r->throttled++;
      return TRUE;
    case PERF_RECORD_HEADER_ATTR:
      return on_header_attr (rec, error);
    case PERF_RECORD_EVENT_UPDATE:
      return on_event_update (rec);
    case PERF_RECORD_HEADER_BUILD_ID:
      return perf_read_build_id_entry (r, rec->rec, rec->size, rec->offset, error);
    case PERF_RECORD_HEADER_FEATURE:
      {
        if (rec->size < 16)
          return TRUE;
        guint64 feature;
        memcpy (&feature, rec->rec + 8, 8);
        return feature > 255 || perf_read_feature (r, (guint) feature, rec->rec + 16, rec->size - 16,
                                                   rec->offset + 16, error);
      }
    case PERF_RECORD_HEADER_TRACING_DATA:
      if (rec->size >= 12)
        {
          guint32 n;
          memcpy (&n, rec->rec + 8, 4);
          *extra = n;
        }
      return TRUE;
    case PERF_RECORD_AUXTRACE:
      if (rec->size >= 16)
        memcpy (extra, rec->rec + 8, 8);
      return TRUE;
    case PERF_RECORD_COMPRESSED:
      if (rec->compressed)
        return record_error (rec, PYRO_FORMAT_ERROR_INVALID, error,
                             _("a COMPRESSED record inside compressed data"));
      return on_compressed (rec, error);
    default:
      /* EXIT, FINISHED_ROUND and the rest carry nothing the views use. */
      return TRUE;
    }
}

/* Parses the records in @data; with @compressed, a record cut at the end is
 * left for the next chunk and @consumed says where it starts. */
static gboolean
read_stream (PerfReader *r, const guint8 *data, gsize len, gsize base, gboolean compressed,
             gsize *consumed, GError **error)
{
  gsize pos = 0, stepped = 0;
  guint count = 0;
  while (pos < len)
    {
      Record rec = { r, data + pos, 0, compressed ? base : base + pos, compressed };
      gsize left = len - pos;
      if (left < 8)
        {
          if (compressed)
            break;
          pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, base + pos,
                                 _("a record header needs 8 bytes, %zu remain; "
                                   "the file is truncated"), left);
          return FALSE;
        }
      guint16 size;
      memcpy (&size, data + pos + 6, 2);
      rec.size = size;
      if (size < 8)
        return record_error (&rec, PYRO_FORMAT_ERROR_INVALID, error,
                             _("record size %u, expected at least 8 (the record header)"), size);
      if (size > left)
        {
          if (compressed)
            break;
          return record_error (&rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                               _("a record of %u bytes runs past the end of the data (%zu"
                                 " bytes remain); the file is truncated"), size, left);
        }
      gsize extra = 0;
      if (!dispatch (&rec, &extra, error))
        return FALSE;
      if (extra > left - size)
        return record_error (&rec, PYRO_FORMAT_ERROR_TRUNCATED, error,
                             _("the %zu bytes that follow the record run past the end "
                               "of the data (%zu remain)"), extra, left - size);
      pos += size + extra;
      /* A COMPRESSED record holds thousands of records: report each one.
       * DWARF samples are up to 64 KB each: report every megabyte too,
       * so that progress moves and Cancel answers within a fraction of a
       * second on huge files. */
      guint32 type;
      memcpy (&type, rec.rec, 4);
      if (!compressed && (++count % 4096 == 0 || type == PERF_RECORD_COMPRESSED
                          || pos - stepped >= STEP_BYTES))
        {
          stepped = pos;
          if (!pyro_format_step (r->ctx, base + pos, error))
            return FALSE;
        }
    }
  *consumed = pos;
  return TRUE;
}

void
perf_records_init (PerfReader *r)
{
  r->queue = g_array_new (FALSE, FALSE, sizeof (QueuedRecord));
  r->pending = g_byte_array_new ();
}

void
perf_records_clear (PerfReader *r)
{
  for (guint i = 0; i < r->queue->len; i++)
    {
      QueuedRecord *e = &g_array_index (r->queue, QueuedRecord, i);
      if (e->compressed)
        g_free ((gpointer) e->data);
    }
  g_array_unref (r->queue);
  g_byte_array_unref (r->pending);
  if (r->zstd != NULL)
    ZSTD_freeDCtx (r->zstd);
}

gboolean
perf_read_records (PerfReader *r, const guint8 *data, gsize len, gsize base, GError **error)
{
  gsize consumed;
  return read_stream (r, data, len, base, FALSE, &consumed, error);
}

gboolean
perf_finish_records (PerfReader *r, gsize offset, GError **error)
{
  if (!flush_queue (r, G_MAXUINT64, error))
    return FALSE;
  if (r->pending->len > 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, r->ctx, offset,
                             _("the compressed records end inside a record (%u bytes left over)"),
                             r->pending->len);
      return FALSE;
    }
  return TRUE;
}
