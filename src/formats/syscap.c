#define _GNU_SOURCE
#include "syscap.h"
#include "syscap-symbols.h"
#include "symbols/symbolizer.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysprof-capture.h>
#include <unistd.h>

#define HEADER_SIZE sizeof (SysprofCaptureFileHeader)
#define CONTEXT_MAX G_GUINT64_CONSTANT (0xfffffffffffff001) /* perf's PERF_CONTEXT_MAX */
#define KERNEL_START G_GUINT64_CONSTANT (0xffff800000000000)
#define MAX_INLINE 32

static const char *const syscap_extensions[] = { "syscap", NULL };

typedef struct {
  gint64 time;
  guint32 pid;
  guint32 tid;
  guint first;   /* into addrs */
  guint n;
  gint64 bytes;  /* allocation size, or -1 for a CPU sample */
  guint8 flags;  /* PyroSampleFlags of the thread when it was taken */
} RawSample;

typedef enum { EVENT_MAP, EVENT_FORK } EventKind;

typedef struct {
  EventKind kind;
  guint32 pid;
  guint32 child;
  guint64 start, end, offset;
  char *path;
} MapEvent;

typedef struct {
  guint32 pid;
  guint64 address;
} Key;

typedef struct {
  PyroCounter *counter;
  gboolean is_double;
} CounterDef;

/* A thread state counter (PYRO_SYSCAP_THREAD_STATE_CATEGORY). */
typedef struct {
  guint32 tid;
  guint8 flag;       /* the PyroSampleFlags bit it sets */
  gboolean inverse;  /* the flag is set while the value is 0 (Running -> IDLE) */
} StateDef;

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  GArray *samples;        /* RawSample */
  GArray *addrs;          /* guint64 */
  GArray *events;         /* MapEvent, in capture order */
  GHashTable *jitmap;     /* guint64 address -> char * */
  GHashTable *process;    /* pid -> char * command line */
  GHashTable *thread_name;/* tid -> char * */
  GHashTable *counters;   /* counter id -> CounterDef */
  GHashTable *state_defs; /* counter id -> StateDef */
  GHashTable *thread_flags; /* tid -> guint8 PyroSampleFlags, current */
  GByteArray *symbols;    /* the embedded table's bytes */
  guint64 n_cpu_samples;

  PyroSyscapSymbols *table;
  PyroSymbolizer *symbolizer;
  guint replayed_events;
  GHashTable *resolved;   /* Key* -> guint (first << 8 | n) into frame_ids */
  GArray *frame_ids;      /* guint32 */
  GHashTable *threads;    /* (pid << 32 | tid) -> thread index + 1 */
} Loader;

static void
map_event_clear (gpointer p)
{
  g_free (((MapEvent *) p)->path);
}

static guint
key_hash (gconstpointer p)
{
  const Key *k = p;
  return (guint) (k->address ^ (k->address >> 31) ^ ((guint64) k->pid * 2654435761u));
}

static gboolean
key_equal (gconstpointer a, gconstpointer b)
{
  const Key *x = a, *y = b;
  return x->pid == y->pid && x->address == y->address;
}

static PyroSniff
syscap_sniff (const guint8 *data, gsize length, const char *basename)
{
  guint32 magic = SYSPROF_CAPTURE_MAGIC;
  if (length >= 4 && memcmp (data, &magic, 4) == 0)
    return PYRO_SNIFF_MAGIC;
  return PYRO_SNIFF_NO;
}

/* Bytes from the start up to the first frame whose length is too small,
 * unaligned or past the end: libsysprof-capture walks the frames when it
 * opens a capture and aborts (an assertion) on an unaligned one. */
static gsize
aligned_frames_end (const PyroLoadContext *ctx)
{
  gsize offset = HEADER_SIZE;
  while (ctx->length - offset >= sizeof (SysprofCaptureFrame))
    {
      SysprofCaptureFrame frame;
      memcpy (&frame, ctx->data + offset, sizeof frame);
      if (frame.len < sizeof frame || frame.len % SYSPROF_CAPTURE_ALIGN != 0
          || frame.len > ctx->length - offset)
        break;
      offset += frame.len;
    }
  return offset;
}

/* A descriptor on the first @length bytes being loaded: the file itself when
 * that is all of it, else a memory file holding a copy. */
static int
open_data (const PyroLoadContext *ctx, gsize length)
{
  struct stat st;
  int fd = ctx->path != NULL && length == ctx->length ? open (ctx->path, O_RDONLY | O_CLOEXEC) : -1;
  if (fd >= 0 && fstat (fd, &st) == 0 && (gsize) st.st_size == ctx->length)
    return fd;
  if (fd >= 0)
    close (fd);
  fd = memfd_create ("pyrometer-syscap", MFD_CLOEXEC);
  if (fd < 0)
    return -1;
  gsize done = 0;
  while (done < length)
    {
      ssize_t w = write (fd, ctx->data + done, length - done);
      if (w <= 0)
        {
          close (fd);
          return -1;
        }
      done += (gsize) w;
    }
  return fd;
}

static char *
bounded_string (const char *s, gsize max)
{
  return g_utf8_make_valid (s, strnlen (s, max));
}

/* ---- pass 1: frames ------------------------------------------------------ */

static gsize
min_frame_size (SysprofCaptureFrameType type)
{
  switch (type)
    {
    case SYSPROF_CAPTURE_FRAME_SAMPLE: return sizeof (SysprofCaptureSample);
    case SYSPROF_CAPTURE_FRAME_MAP: return sizeof (SysprofCaptureMap) + 1;
    case SYSPROF_CAPTURE_FRAME_PROCESS: return sizeof (SysprofCaptureProcess) + 1;
    case SYSPROF_CAPTURE_FRAME_FORK: return sizeof (SysprofCaptureFork);
    case SYSPROF_CAPTURE_FRAME_JITMAP: return sizeof (SysprofCaptureJitmap);
    case SYSPROF_CAPTURE_FRAME_CTRDEF: return sizeof (SysprofCaptureCounterDefine);
    case SYSPROF_CAPTURE_FRAME_CTRSET: return sizeof (SysprofCaptureCounterSet);
    case SYSPROF_CAPTURE_FRAME_MARK: return sizeof (SysprofCaptureMark) + 1;
    case SYSPROF_CAPTURE_FRAME_METADATA: return sizeof (SysprofCaptureMetadata) + 1;
    case SYSPROF_CAPTURE_FRAME_FILE_CHUNK: return sizeof (SysprofCaptureFileChunk);
    case SYSPROF_CAPTURE_FRAME_ALLOCATION: return sizeof (SysprofCaptureAllocation);
    default: return sizeof (SysprofCaptureFrame);
    }
}

/* Checks what libsysprof-capture trusts: the counts inside a frame against
 * its length.  @raw points at the frame in the mapped file. */
static gboolean
frame_consistent (SysprofCaptureFrameType type, const guint8 *raw, gsize len)
{
  switch (type)
    {
    case SYSPROF_CAPTURE_FRAME_SAMPLE:
      {
        const SysprofCaptureSample *s = (const SysprofCaptureSample *) raw;
        return sizeof *s + (gsize) s->n_addrs * sizeof (SysprofCaptureAddress) <= len;
      }
    case SYSPROF_CAPTURE_FRAME_ALLOCATION:
      {
        const SysprofCaptureAllocation *a = (const SysprofCaptureAllocation *) raw;
        return sizeof *a + (gsize) a->n_addrs * sizeof (SysprofCaptureAddress) <= len;
      }
    case SYSPROF_CAPTURE_FRAME_CTRDEF:
      {
        const SysprofCaptureCounterDefine *d = (const SysprofCaptureCounterDefine *) raw;
        return sizeof *d + (gsize) d->n_counters * sizeof (SysprofCaptureCounter) <= len;
      }
    case SYSPROF_CAPTURE_FRAME_CTRSET:
      {
        const SysprofCaptureCounterSet *c = (const SysprofCaptureCounterSet *) raw;
        return sizeof *c + (gsize) c->n_values * sizeof (SysprofCaptureCounterValues) <= len;
      }
    case SYSPROF_CAPTURE_FRAME_FILE_CHUNK:
      {
        const SysprofCaptureFileChunk *f = (const SysprofCaptureFileChunk *) raw;
        return sizeof *f + (gsize) f->len <= len;
      }
    default:
      return TRUE;
    }
}

static void
add_raw_sample (Loader *l, gint64 time, guint32 pid, guint32 tid, const SysprofCaptureAddress *addrs,
                guint n, gint64 bytes)
{
  RawSample s = { .time = time, .pid = pid, .tid = tid, .first = l->addrs->len, .n = n, .bytes = bytes,
                  .flags = GPOINTER_TO_UINT (g_hash_table_lookup (l->thread_flags, GUINT_TO_POINTER (tid))) };
  g_array_append_vals (l->addrs, addrs, n);
  g_array_append_val (l->samples, s);
  if (bytes < 0)
    l->n_cpu_samples++;
}

static const char *
counter_unit (const SysprofCaptureCounter *c)
{
  if (g_str_equal (c->category, "Memory") || strstr (c->description, "bytes") != NULL)
    return "bytes";
  if (strstr (c->name, "Percent") != NULL || strstr (c->category, "Percent") != NULL)
    return "percent";
  return "";
}

/* "Running TID" or "GIL TID" of the thread state category; FALSE otherwise. */
static gboolean
parse_state_counter (const char *category, const char *name, StateDef *out)
{
  const char *rest = NULL;
  guint64 tid;
  if (!g_str_equal (category, PYRO_SYSCAP_THREAD_STATE_CATEGORY))
    return FALSE;
  if (g_str_has_prefix (name, PYRO_SYSCAP_RUNNING_PREFIX))
    {
      rest = name + strlen (PYRO_SYSCAP_RUNNING_PREFIX);
      out->flag = PYRO_SAMPLE_IDLE;
      out->inverse = TRUE;
    }
  else if (g_str_has_prefix (name, PYRO_SYSCAP_GIL_PREFIX))
    {
      rest = name + strlen (PYRO_SYSCAP_GIL_PREFIX);
      out->flag = PYRO_SAMPLE_GIL;
      out->inverse = FALSE;
    }
  if (rest == NULL || !g_ascii_string_to_unsigned (rest, 10, 1, G_MAXUINT32, &tid, NULL))
    return FALSE;
  out->tid = (guint32) tid;
  return TRUE;
}

static void
set_thread_state (Loader *l, const StateDef *def, gint64 value)
{
  guint flags = GPOINTER_TO_UINT (g_hash_table_lookup (l->thread_flags, GUINT_TO_POINTER (def->tid)));
  if ((value != 0) != def->inverse)
    flags |= def->flag;
  else
    flags &= ~(guint) def->flag;
  g_hash_table_insert (l->thread_flags, GUINT_TO_POINTER (def->tid), GUINT_TO_POINTER (flags));
}

static void
read_metadata (Loader *l, const SysprofCaptureMetadata *m, gsize len)
{
  g_autofree char *id = bounded_string (m->id, sizeof m->id);
  g_autofree char *value = bounded_string (m->metadata, len - sizeof *m);
  PyroMetadata *meta = &l->profile->meta;

  if (g_str_equal (id, "pyrometer.command-line"))
    {
      g_free (meta->command_line);
      meta->command_line = g_steal_pointer (&value);
    }
  else if (g_str_equal (id, "pyrometer.frequency"))
    meta->sample_rate = g_ascii_strtod (value, NULL);
  else if (g_str_equal (id, "pyrometer.host"))
    {
      g_free (meta->host);
      meta->host = g_steal_pointer (&value);
    }
  else if (g_str_equal (id, "pyrometer.event"))
    {
      g_free (meta->event);
      meta->event = g_steal_pointer (&value);
    }
  else if (g_str_equal (id, "pyrometer.lost-samples"))
    {
      guint64 lost = g_ascii_strtoull (value, NULL, 10);
      if (lost > 0)
        pyro_profile_add_warning (l->profile, _("%" PRIu64 " samples were lost while "
                                                "recording (the reader fell behind the kernel)"), lost);
    }
  else if (g_str_equal (id, "pyrometer.thread-name"))
    {
      g_auto (GStrv) f = g_strsplit (value, "\t", 3);
      guint64 tid;
      if (g_strv_length (f) == 3 && g_ascii_string_to_unsigned (f[1], 10, 0, G_MAXUINT32, &tid, NULL))
        g_hash_table_insert (l->thread_name, GUINT_TO_POINTER ((guint32) tid), g_strdup (f[2]));
    }
}

static gboolean
read_frame (Loader *l, SysprofCaptureReader *reader, SysprofCaptureFrameType type, gsize len)
{
  switch (type)
    {
    case SYSPROF_CAPTURE_FRAME_SAMPLE:
      {
        const SysprofCaptureSample *s = sysprof_capture_reader_read_sample (reader);
        if (s == NULL)
          return FALSE;
        add_raw_sample (l, s->frame.time, (guint32) s->frame.pid, (guint32) s->tid, s->addrs, s->n_addrs, -1);
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_ALLOCATION:
      {
        const SysprofCaptureAllocation *a = sysprof_capture_reader_read_allocation (reader);
        if (a == NULL)
          return FALSE;
        if (a->alloc_size > 0)
          add_raw_sample (l, a->frame.time, (guint32) a->frame.pid, (guint32) a->tid, a->addrs,
                          a->n_addrs, a->alloc_size);
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_MAP:
      {
        const SysprofCaptureMap *m = sysprof_capture_reader_read_map (reader);
        if (m == NULL)
          return FALSE;
        MapEvent e = { EVENT_MAP, (guint32) m->frame.pid, 0, m->start, m->end, m->offset,
                       bounded_string (m->filename, len - sizeof *m) };
        g_array_append_val (l->events, e);
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_FORK:
      {
        const SysprofCaptureFork *f = sysprof_capture_reader_read_fork (reader);
        if (f == NULL)
          return FALSE;
        MapEvent e = { EVENT_FORK, (guint32) f->frame.pid, (guint32) f->child_pid };
        g_array_append_val (l->events, e);
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_PROCESS:
      {
        const SysprofCaptureProcess *p = sysprof_capture_reader_read_process (reader);
        if (p == NULL)
          return FALSE;
        g_hash_table_insert (l->process, GUINT_TO_POINTER ((guint32) p->frame.pid),
                             bounded_string (p->cmdline, len - sizeof *p));
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_JITMAP:
      {
        const SysprofCaptureJitmap *j = sysprof_capture_reader_read_jitmap (reader);
        if (j == NULL)
          return FALSE;
        SysprofCaptureJitmapIter iter;
        SysprofCaptureAddress addr;
        const char *name;
        sysprof_capture_jitmap_iter_init (&iter, j);
        while (sysprof_capture_jitmap_iter_next (&iter, &addr, &name))
          g_hash_table_insert (l->jitmap, g_memdup2 (&addr, sizeof addr), g_utf8_make_valid (name, -1));
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_CTRDEF:
      {
        const SysprofCaptureCounterDefine *d = sysprof_capture_reader_read_counter_define (reader);
        if (d == NULL)
          return FALSE;
        for (guint i = 0; i < d->n_counters; i++)
          {
            const SysprofCaptureCounter *c = &d->counters[i];
            g_autofree char *category = bounded_string (c->category, sizeof c->category);
            g_autofree char *cname = bounded_string (c->name, sizeof c->name);
            StateDef state;
            if (parse_state_counter (category, cname, &state))
              {
                /* The state goes into the samples, not onto the timeline. */
                g_hash_table_insert (l->state_defs, GUINT_TO_POINTER (c->id), g_memdup2 (&state, sizeof state));
                continue;
              }
            g_autofree char *name = d->frame.pid > 0
                                      ? g_strdup_printf ("%s %s (%d)", category, cname, d->frame.pid)
                                      : g_strdup_printf ("%s %s", category, cname);
            CounterDef *def = g_new0 (CounterDef, 1);
            def->counter = pyro_profile_add_counter (l->profile, name, counter_unit (c));
            def->is_double = c->type == SYSPROF_CAPTURE_COUNTER_DOUBLE;
            g_hash_table_insert (l->counters, GUINT_TO_POINTER (c->id), def);
          }
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_CTRSET:
      {
        const SysprofCaptureCounterSet *set = sysprof_capture_reader_read_counter_set (reader);
        if (set == NULL)
          return FALSE;
        for (guint g = 0; g < set->n_values; g++)
          for (guint i = 0; i < G_N_ELEMENTS (set->values[g].ids); i++)
            {
              guint id = set->values[g].ids[i];
              if (id == 0)
                continue;
              const SysprofCaptureCounterValue *v = &set->values[g].values[i];
              const StateDef *state = g_hash_table_lookup (l->state_defs, GUINT_TO_POINTER (id));
              if (state != NULL)
                {
                  set_thread_state (l, state, v->v64);
                  continue;
                }
              const CounterDef *def = g_hash_table_lookup (l->counters, GUINT_TO_POINTER (id));
              if (def == NULL)
                continue;
              pyro_counter_append (def->counter, set->frame.time, def->is_double ? v->vdbl : (double) v->v64);
            }
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_MARK:
      {
        const SysprofCaptureMark *m = sysprof_capture_reader_read_mark (reader);
        if (m == NULL)
          return FALSE;
        g_autofree char *group = bounded_string (m->group, sizeof m->group);
        g_autofree char *name = bounded_string (m->name, sizeof m->name);
        g_autofree char *message = bounded_string (m->message, len - sizeof *m);
        g_autofree char *label = *message != '\0' ? g_strdup_printf ("%s: %s", name, message)
                                                  : g_strdup_printf ("%s: %s", group, name);
        /* a damaged mark can end past the range of gint64: saturate */
        gint64 duration = MAX (m->duration, 0);
        gint64 end = m->frame.time > G_MAXINT64 - duration ? G_MAXINT64 : m->frame.time + duration;
        pyro_profile_add_mark (l->profile, label, m->frame.time, end, PYRO_NONE);
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_METADATA:
      {
        const SysprofCaptureMetadata *m = sysprof_capture_reader_read_metadata (reader);
        if (m == NULL)
          return FALSE;
        read_metadata (l, m, len);
        return TRUE;
      }
    case SYSPROF_CAPTURE_FRAME_FILE_CHUNK:
      {
        const SysprofCaptureFileChunk *f = sysprof_capture_reader_read_file (reader);
        if (f == NULL)
          return FALSE;
        if (strncmp (f->path, PYRO_SYSCAP_SYMBOLS_PATH, sizeof f->path) == 0)
          g_byte_array_append (l->symbols, f->data, f->len);
        return TRUE;
      }
    default:
      return sysprof_capture_reader_skip (reader);
    }
}

/* ---- pass 2: stacks ------------------------------------------------------ */

static void
replay_events (Loader *l)
{
  if (l->symbolizer == NULL)
    l->symbolizer = pyro_symbolizer_new ();
  for (; l->replayed_events < l->events->len; l->replayed_events++)
    {
      const MapEvent *e = &g_array_index (l->events, MapEvent, l->replayed_events);
      if (e->kind == EVENT_FORK)
        pyro_symbolizer_fork (l->symbolizer, e->pid, e->child);
      else
        pyro_symbolizer_add_mapping (l->symbolizer, e->pid, e->start, e->end, e->offset, e->path, NULL, 0);
    }
}

static PyroFuncKind
kind_of_name (const char *name)
{
  const char *open = strrchr (name, '(');
  return open != NULL && strstr (open, ".py") != NULL ? PYRO_FUNC_PYTHON : PYRO_FUNC_OTHER;
}

static guint32
add_frame (Loader *l, const char *function, const char *file, guint32 line, const char *module,
           PyroFuncKind kind, guint64 address, guint32 func_line)
{
  PyroProfile *p = l->profile;
  guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, function),
                                        pyro_profile_intern (p, file != NULL ? file : ""), func_line,
                                        pyro_profile_intern (p, module != NULL ? module : ""), kind);
  return pyro_profile_add_frame (p, func, line, address);
}

/* Frame ids of @lookup in @pid, innermost first; returns (first << 8 | n). */
static guint
resolve (Loader *l, guint32 pid, guint64 address, guint64 lookup)
{
  Key key = { pid, lookup };
  gpointer found = g_hash_table_lookup (l->resolved, &key);
  if (found != NULL)
    return GPOINTER_TO_UINT (found);

  guint first = l->frame_ids->len;
  guint n = 0;
  guint n_table = 0;
  const PyroSyscapSymbol *sym = l->table != NULL ? pyro_syscap_symbols_lookup (l->table, pid, lookup, &n_table)
                                                 : NULL;
  if ((address & SYSPROF_CAPTURE_JITMAP_MARK) == SYSPROF_CAPTURE_JITMAP_MARK && sym == NULL)
    sym = l->table != NULL ? pyro_syscap_symbols_lookup (l->table, 0, address, &n_table) : NULL;

  if (sym != NULL)
    {
      for (guint i = 0; i < MIN (n_table, MAX_INLINE); i++)
        {
          guint32 id = add_frame (l, sym[i].function, sym[i].file, sym[i].line, sym[i].module, sym[i].kind,
                                  address, sym[i].function_line);
          g_array_append_val (l->frame_ids, id);
          n++;
        }
    }
  else if ((address & SYSPROF_CAPTURE_JITMAP_MARK) == SYSPROF_CAPTURE_JITMAP_MARK)
    {
      const char *name = g_hash_table_lookup (l->jitmap, &address);
      g_autofree char *unknown = name == NULL ? g_strdup_printf ("jit+0x%" G_GINT64_MODIFIER "x", address) : NULL;
      guint32 id = add_frame (l, name != NULL ? name : unknown, NULL, 0, NULL,
                              name != NULL ? kind_of_name (name) : PYRO_FUNC_OTHER, address, 0);
      g_array_append_val (l->frame_ids, id);
      n = 1;
    }
  else
    {
      PyroSymbolFrame frames[MAX_INLINE];
      replay_events (l);
      guint m = address >= KERNEL_START
                  ? pyro_symbolizer_resolve_kernel (l->symbolizer, lookup, frames, MAX_INLINE)
                  : pyro_symbolizer_resolve (l->symbolizer, pid, lookup, frames, MAX_INLINE);
      for (guint i = 0; i < m; i++)
        {
          guint32 id = add_frame (l, frames[i].function, frames[i].file, frames[i].line, frames[i].module,
                                  address >= KERNEL_START ? PYRO_FUNC_KERNEL : PYRO_FUNC_NATIVE, address,
                                  frames[i].function_line);
          g_array_append_val (l->frame_ids, id);
          n++;
        }
      if (n == 0)
        {
          g_autofree char *hex = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", address);
          guint32 id = add_frame (l, hex, NULL, 0, NULL, PYRO_FUNC_NATIVE, address, 0);
          g_array_append_val (l->frame_ids, id);
          n = 1;
        }
    }
  guint packed = (first << 8) | n;
  g_hash_table_insert (l->resolved, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (packed));
  return packed;
}

static guint32
thread_index (Loader *l, guint32 pid, guint32 tid)
{
  guint64 k = ((guint64) pid << 32) | tid;
  gpointer found = g_hash_table_lookup (l->threads, &k);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  const char *cmdline = g_hash_table_lookup (l->process, GUINT_TO_POINTER (pid));
  const char *name = g_hash_table_lookup (l->thread_name, GUINT_TO_POINTER (tid));
  g_autofree char *process = NULL;
  if (cmdline != NULL)
    {
      g_auto (GStrv) words = g_strsplit (cmdline, " ", 2);
      process = g_path_get_basename (words[0] != NULL ? words[0] : "");
    }
  else
    process = g_strdup_printf ("process %u", pid);
  g_autofree char *fallback = g_strdup_printf ("%s %u", tid == pid ? process : "thread", tid);
  guint32 index = pyro_profile_add_thread (l->profile, pid, tid, name != NULL ? name : fallback, process);
  g_hash_table_insert (l->threads, g_memdup2 (&k, sizeof k), GUINT_TO_POINTER (index + 1));
  return index;
}

static gboolean
build_samples (Loader *l, GError **error)
{
  PyroProfile *p = l->profile;
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  gboolean bytes_only = l->n_cpu_samples == 0;
  gboolean has_state = g_hash_table_size (l->state_defs) > 0;
  guint last_cpu_sample = G_MAXUINT;
  const RawSample *last = NULL;

  for (guint i = 0; i < l->samples->len; i++)
    {
      if ((i & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (l->ctx->cancellable, error))
        return FALSE;
      const RawSample *s = &g_array_index (l->samples, RawSample, i);
      /* The recorder charges RSS growth to the sample it writes just before. */
      if (s->bytes >= 0 && !bytes_only && last != NULL && last_cpu_sample != G_MAXUINT
          && last->time == s->time && last->tid == s->tid)
        {
          pyro_profile_add_sample_bytes (p, last_cpu_sample, (double) s->bytes);
          continue;
        }

      g_array_set_size (stack, 0);
      const guint64 *addrs = s->n > 0 ? &g_array_index (l->addrs, guint64, s->first) : NULL;
      for (guint k = s->n; k-- > 0;)
        {
          guint64 a = addrs[k];
          if (a >= CONTEXT_MAX || a == 0)
            continue;
          gboolean caller = k > 0 && (a & SYSPROF_CAPTURE_JITMAP_MARK) != SYSPROF_CAPTURE_JITMAP_MARK;
          guint packed = resolve (l, s->pid, a, caller ? a - 1 : a);
          guint first = packed >> 8, n = packed & 0xff;
          for (guint f = n; f-- > 0;)
            g_array_append_val (stack, g_array_index (l->frame_ids, guint32, first + f));
        }
      if (stack->len == 0)
        {
          guint32 id = add_frame (l, "[unknown]", NULL, 0, NULL, PYRO_FUNC_OTHER, 0, 0);
          g_array_append_val (stack, id);
        }
      guint32 leaf = pyro_profile_add_stack_frames (p, (const guint32 *) stack->data, stack->len);
      guint32 thread = thread_index (l, s->pid, s->tid);
      if (s->bytes >= 0)
        {
          pyro_profile_add_sample (p, s->time, leaf, thread, bytes_only ? (double) s->bytes : 0);
          pyro_profile_add_sample_bytes (p, pyro_profile_n_samples (p) - 1, (double) s->bytes);
          last = NULL;
          last_cpu_sample = G_MAXUINT;
        }
      else
        {
          pyro_profile_add_sample (p, s->time, leaf, thread, 1);
          last = s;
          last_cpu_sample = pyro_profile_n_samples (p) - 1;
          if (has_state)
            pyro_profile_set_sample_flags (p, last_cpu_sample, s->flags);
        }
    }
  if (bytes_only && l->samples->len > 0)
    p->meta.unit = PYRO_UNIT_BYTES;
  return TRUE;
}

static void
loader_clear (Loader *l)
{
  g_array_unref (l->samples);
  g_array_unref (l->addrs);
  g_array_unref (l->events);
  g_hash_table_unref (l->jitmap);
  g_hash_table_unref (l->process);
  g_hash_table_unref (l->thread_name);
  g_hash_table_unref (l->counters);
  g_hash_table_unref (l->state_defs);
  g_hash_table_unref (l->thread_flags);
  g_byte_array_unref (l->symbols);
  g_hash_table_unref (l->resolved);
  g_array_unref (l->frame_ids);
  g_hash_table_unref (l->threads);
  pyro_syscap_symbols_free (l->table);
  if (l->symbolizer != NULL)
    pyro_symbolizer_free (l->symbolizer);
  if (l->profile != NULL)
    pyro_profile_unref (l->profile);
}

static PyroProfile *
syscap_load (const PyroLoadContext *ctx, GError **error)
{
  if (ctx->length < HEADER_SIZE)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_TRUNCATED, ctx, ctx->length,
                             _("the Sysprof capture header is %zu bytes and the file "
                               "ends before it"), (gsize) HEADER_SIZE);
      return NULL;
    }
  const SysprofCaptureFileHeader *header = (const SysprofCaptureFileHeader *) ctx->data;
  if (!header->little_endian)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_UNSUPPORTED, ctx, 4,
                             _("a big-endian Sysprof capture; only little-endian ones are read"));
      return NULL;
    }

  int fd = open_data (ctx, aligned_frames_end (ctx));
  if (fd < 0)
    {
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, 0, _("cannot read the capture: %s"),
                             g_strerror (errno));
      return NULL;
    }
  SysprofCaptureReader *reader = sysprof_capture_reader_new_from_fd (fd);
  if (reader == NULL)
    {
      int e = errno;
      close (fd);
      pyro_format_set_error (error, PYRO_FORMAT_ERROR_INVALID, ctx, 0,
                             _("not a Sysprof capture (%s)"), g_strerror (e));
      return NULL;
    }

  Loader l = {
    .ctx = ctx,
    .profile = pyro_profile_new ("syscap"),
    .samples = g_array_new (FALSE, FALSE, sizeof (RawSample)),
    .addrs = g_array_new (FALSE, FALSE, sizeof (guint64)),
    .events = g_array_new (FALSE, FALSE, sizeof (MapEvent)),
    .jitmap = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free),
    .process = g_hash_table_new_full (NULL, NULL, NULL, g_free),
    .thread_name = g_hash_table_new_full (NULL, NULL, NULL, g_free),
    .counters = g_hash_table_new_full (NULL, NULL, NULL, g_free),
    .state_defs = g_hash_table_new_full (NULL, NULL, NULL, g_free),
    .thread_flags = g_hash_table_new (NULL, NULL),
    .symbols = g_byte_array_new (),
    .resolved = g_hash_table_new_full (key_hash, key_equal, g_free, NULL),
    .frame_ids = g_array_new (FALSE, FALSE, sizeof (guint32)),
    .threads = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
  };
  g_array_set_clear_func (l.events, map_event_clear);
  l.profile->meta.unit = PYRO_UNIT_SAMPLES;
  l.profile->meta.has_time = TRUE;
  g_autofree char *capture_time = bounded_string (header->capture_time, sizeof header->capture_time);
  g_autoptr (GDateTime) when = g_date_time_new_from_iso8601 (capture_time, NULL);
  /* Nanoseconds in 64 bits reach only the years 1678 to 2262; a damaged
   * header can name any year from 1 to 9999, which stays unknown. */
  gint64 seconds = when != NULL ? g_date_time_to_unix (when) : 0;
  if (when != NULL && ABS (seconds) < G_MAXINT64 / G_GINT64_CONSTANT (1000000000))
    l.profile->meta.start_time = seconds * G_GINT64_CONSTANT (1000000000);

  gsize offset = HEADER_SIZE;
  gboolean ok = TRUE;
  const char *cut = NULL;
  while (offset < ctx->length)
    {
      if (!pyro_format_step (ctx, offset / 2, error))
        {
          ok = FALSE;
          break;
        }
      if (ctx->length - offset < sizeof (SysprofCaptureFrame))
        {
          cut = N_("the file ends inside a frame header");
          break;
        }
      SysprofCaptureFrame frame;
      memcpy (&frame, ctx->data + offset, sizeof frame);
      if (frame.len < sizeof frame || frame.len % SYSPROF_CAPTURE_ALIGN != 0
          || frame.type == 0 || frame.type >= SYSPROF_CAPTURE_FRAME_LAST)
        {
          cut = N_("a damaged frame header (length or type out of range)");
          break;
        }
      if (frame.len > ctx->length - offset)
        {
          cut = N_("the file ends inside a frame");
          break;
        }
      if (frame.len < min_frame_size (frame.type)
          || !frame_consistent (frame.type, ctx->data + offset, frame.len))
        {
          cut = N_("a frame whose contents do not fit its length");
          break;
        }
      if (!read_frame (&l, reader, frame.type, frame.len))
        {
          cut = N_("a frame libsysprof-capture could not read");
          break;
        }
      offset += frame.len;
    }
  sysprof_capture_reader_unref (reader);

  if (ok && cut != NULL)
    pyro_profile_add_warning (l.profile, _("the capture stops at byte %zu of %zu (%s); "
                                            "loaded what comes before"),
                              offset, ctx->length, _(cut));

  if (ok && l.symbols->len > 0)
    {
      g_autoptr (GError) table_error = NULL;
      l.table = pyro_syscap_symbols_parse ((const char *) l.symbols->data, l.symbols->len, &table_error);
      if (l.table == NULL)
        pyro_profile_add_warning (l.profile, _("%s: %s; names come from the binaries on this machine"),
                                  ctx->path, table_error->message);
    }
  if (ok)
    ok = build_samples (&l, error);

  PyroProfile *profile = ok ? g_steal_pointer (&l.profile) : NULL;
  loader_clear (&l);
  return profile;
}

const PyroFormatReader pyro_syscap_reader = {
  .id = "syscap",
  .name = N_("Sysprof capture"),
  .extensions = syscap_extensions,
  .mime_type = "application/x-sysprof-capture",
  .sniff = syscap_sniff,
  .load = syscap_load,
};
