#define _GNU_SOURCE
#include "recorder.h"
#include "access-error.h"
#include "perf-ring.h"
#include "procfs.h"
#include "tick-priority.h"
#include "formats/syscap-sources.h"
#include "formats/syscap-symbols.h"
#include "symbols/symbolizer.h"

#include <asm/perf_regs.h>
#include <gio/gio.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sysprof-capture.h>
#include <unistd.h>

G_DEFINE_QUARK (pyro-sampler-error-quark, pyro_sampler_error)

#define RING_PAGES 128          /* 512 KiB a CPU: perf's default, inside the mlock limit */
#define STACK_COPY 8192         /* bytes of user stack copied per sample in DWARF mode */
#define TICK_US 10000           /* RSS poll, task rescan: 100 Hz */
#define FLUSH_US G_USEC_PER_SEC /* the file never lags more than this */
#define PROGRESS_US (G_USEC_PER_SEC / 2)
#define AUTO_DECIDE_SAMPLES 200 /* frame-pointer stacks judged over this many samples */
#define MAX_FRAMES 1024
/* A process the stack source refused may not run its interpreter yet: a
 * wrapper script (pyenv's shims) execs it later, or the loader has not mapped
 * libpython.  It is offered again this often, for this long after it started
 * or ran another program. */
#define SOURCE_RETRY_US 10000
#define SOURCE_RETRY_WINDOW_US (2 * G_USEC_PER_SEC)
/* Mixed mode: Python stacks kept per thread, and how long a native sample
 * may wait for the Python stack read after it. */
#define PYTHON_HISTORY_NS (200 * G_GINT64_CONSTANT (1000000))
#define SPLICE_WAIT_NS (100 * G_GINT64_CONSTANT (1000000))
#define REGS_MASK (((G_GUINT64_CONSTANT (1) << PERF_REG_X86_64_MAX) - 1)                     \
                   & ~((G_GUINT64_CONSTANT (1) << PERF_REG_X86_DS)                            \
                       | (G_GUINT64_CONSTANT (1) << PERF_REG_X86_ES)                          \
                       | (G_GUINT64_CONSTANT (1) << PERF_REG_X86_FS)                          \
                       | (G_GUINT64_CONSTANT (1) << PERF_REG_X86_GS)))

typedef enum {
  STACKS_FP,
  STACKS_DWARF,
} StackMode;

typedef struct {
  guint32 pid;
  guint counter_id;
  gint64 rss;          /* last polled */
  gint64 charged_rss;  /* RSS when the previous sample of this process was taken */
  gint64 start;
  gboolean exited;
  gboolean source_attached;
  gboolean source_refused;
  gboolean source_failed;     /* refused for good (no right to read it) */
  gint64 source_read_at;      /* ns: start of the last complete read of its stacks */
  gint64 source_next_try;     /* µs: a refused process is offered again ... */
  gint64 source_retry_until;  /* ... until then, or when it runs another program */
  dev_t exe_dev;
  ino_t exe_ino;
} Process;

typedef struct {
  guint32 pid;
  guint64 address;
} AddressKey;

/* A frame as the stack source reported it: its strings stay at their
 * address while the source follows the process. */
typedef struct {
  const char *function;
  const char *file;
  guint32 line;
  guint64 address;  /* its JITMAP address */
} FrameKey;

/* A Python stack read at @time (mixed mode). */
typedef struct {
  gint64 time;
  GArray *addrs;  /* jitmap addresses, leaf first */
} PythonStack;

/* A native sample waiting for the Python stacks read after it. */
typedef struct {
  gint64 time;
  guint32 pid;
  guint32 tid;
  guint n;
  guint64 addrs[];
} PendingSample;

/* A thread the stack source reported: its state counters (see
 * PYRO_SYSCAP_THREAD_STATE_CATEGORY) and the name last written. */
typedef struct {
  guint running_id;   /* 0 in mixed mode */
  guint gil_id;
  gint running;       /* last value written, -1 before the first */
  gint holds_gil;
  char *name;
} SourceThread;

struct _PyroRecorder {
  /* options, copied */
  guint frequency;
  PyroSampleEvent event;
  PyroRecordMode mode;
  PyroCallGraphMode call_graph;
  double duration;
  gint64 flush_us;
  gint64 progress_us;
  char *output;
  guint32 pid;
  char **argv;
  char *cwd;
  PyroStackSource *source;
  gboolean launched;
  gboolean follow_children;

  PyroRecordProgressFunc progress_func;
  gpointer progress_data;
  PyroRecordEndedFunc ended_func;
  gpointer ended_data;

  /* lock guards everything below that both threads touch */
  GMutex lock;
  SysprofCaptureWriter *writer;
  GHashTable *processes;     /* pid -> Process* */
  GHashTable *threads;       /* tid -> pid */
  GHashTable *addresses;     /* AddressKey* set: what to resolve at the end */
  GHashTable *python_frames; /* jitmap address -> PyroSyscapSymbol* */
  GHashTable *python_stacks; /* tid -> GArray of PythonStack, oldest first (mixed) */
  GPtrArray *pending;        /* PendingSample*, in arrival order (mixed) */
  GHashTable *source_threads; /* tid -> SourceThread* */
  GHashTable *frame_addresses; /* FrameKey* set: JITMAP address by the source's strings */
  PyroSymbolizer *symbolizer;
  guint64 samples;
  guint64 lost;
  gint64 rss_total;

  /* perf events; the fds array is only grown by the tick thread */
  PyroPerfRing *rings;       /* one per CPU */
  guint n_cpus;
  GArray *fds;               /* int: every event */
  GHashTable *traced;        /* tids with their own events (attach, or after a switch) */
  GHashTable *inherited;     /* tids born under an inherited event (FORK records; lock) */
  StackMode stacks;
  guint judged;
  guint shallow;
  gint switch_wanted;        /* atomic: the reader asks the tick thread to reopen as DWARF */
  int wake_fd;

  GThread *reader;
  GThread *ticker;
  gint stopping;             /* atomic */
  gint ended;                /* atomic: the ended callback ran */
  PyroRecordEnd end;
  gint64 start_time;         /* monotonic ns */
  gint64 start_us;

  GPid child;
  int exit_status;
  gboolean finished;
};

static gint64
now_ns (void)
{
  return SYSPROF_CAPTURE_CURRENT_TIME;
}

static guint
address_hash (gconstpointer p)
{
  const AddressKey *k = p;
  return (guint) (k->address ^ (k->address >> 29) ^ ((guint64) k->pid * 2654435761u));
}

static gboolean
address_equal (gconstpointer a, gconstpointer b)
{
  const AddressKey *x = a, *y = b;
  return x->pid == y->pid && x->address == y->address;
}

static guint
frame_key_hash (gconstpointer p)
{
  const FrameKey *k = p;
  return (guint) (GPOINTER_TO_SIZE (k->function) ^ (GPOINTER_TO_SIZE (k->file) * 31) ^ (k->line * 2654435761u));
}

static gboolean
frame_key_equal (gconstpointer a, gconstpointer b)
{
  const FrameKey *x = a, *y = b;
  return x->function == y->function && x->file == y->file && x->line == y->line;
}

static void
source_thread_free (gpointer p)
{
  SourceThread *t = p;
  g_free (t->name);
  g_free (t);
}

static void
python_frame_free (gpointer p)
{
  PyroSyscapSymbol *f = p;
  g_free ((char *) f->function);
  g_free ((char *) f->file);
  g_free ((char *) f->module);
  g_free (f);
}

PyroRecorder *
pyro_recorder_new (const PyroRecordOptions *options)
{
  PyroRecorder *self = g_new0 (PyroRecorder, 1);
  self->frequency = options->frequency != 0 ? options->frequency : 999;
  self->event = options->event;
  self->mode = options->mode;
  self->call_graph = options->call_graph;
  self->duration = options->duration;
  self->flush_us = options->flush_interval > 0 ? (gint64) (options->flush_interval * G_USEC_PER_SEC) : FLUSH_US;
  self->progress_us = options->flush_interval > 0 ? self->flush_us : PROGRESS_US;
  self->output = g_strdup (options->output);
  self->pid = options->pid;
  self->argv = g_strdupv ((char **) options->argv);
  self->cwd = g_strdup (options->cwd);
  self->source = options->stack_source;
  self->launched = options->pid == 0;
  self->follow_children = options->follow_children;
  self->stacks = options->call_graph == PYRO_CALL_GRAPH_DWARF ? STACKS_DWARF : STACKS_FP;
  g_mutex_init (&self->lock);
  self->processes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->threads = g_hash_table_new (NULL, NULL);
  self->addresses = g_hash_table_new_full (address_hash, address_equal, g_free, NULL);
  self->python_frames = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, python_frame_free);
  self->python_stacks = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->source_threads = g_hash_table_new_full (NULL, NULL, NULL, source_thread_free);
  self->frame_addresses = g_hash_table_new_full (frame_key_hash, frame_key_equal, g_free, NULL);
  self->traced = g_hash_table_new (NULL, NULL);
  self->inherited = g_hash_table_new (NULL, NULL);
  self->fds = g_array_new (FALSE, FALSE, sizeof (int));
  self->wake_fd = -1;
  self->child = -1;
  self->exit_status = -1;
  return self;
}

void
pyro_recorder_free (PyroRecorder *self)
{
  if (self == NULL)
    return;
  if (self->reader != NULL || self->ticker != NULL)
    {
      pyro_recorder_stop (self);
      pyro_recorder_finish (self, NULL);
    }
  for (guint i = 0; i < self->n_cpus; i++)
    pyro_perf_ring_unmap (&self->rings[i]);
  g_free (self->rings);
  for (guint i = 0; i < self->fds->len; i++)
    close (g_array_index (self->fds, int, i));
  g_array_unref (self->fds);
  if (self->wake_fd >= 0)
    close (self->wake_fd);
  if (self->writer != NULL)
    sysprof_capture_writer_unref (self->writer);
  g_clear_pointer (&self->symbolizer, pyro_symbolizer_free);
  pyro_stack_source_free (self->source);
  g_hash_table_unref (self->processes);
  g_hash_table_unref (self->threads);
  g_hash_table_unref (self->addresses);
  g_hash_table_unref (self->python_frames);
  g_hash_table_unref (self->python_stacks);
  g_ptr_array_unref (self->pending);
  g_hash_table_unref (self->source_threads);
  g_hash_table_unref (self->frame_addresses);
  g_hash_table_unref (self->traced);
  g_hash_table_unref (self->inherited);
  g_mutex_clear (&self->lock);
  g_free (self->output);
  g_strfreev (self->argv);
  g_free (self->cwd);
  g_free (self);
}

void
pyro_recorder_set_progress_func (PyroRecorder *self, PyroRecordProgressFunc func, gpointer user_data)
{
  self->progress_func = func;
  self->progress_data = user_data;
}

void
pyro_recorder_set_ended_func (PyroRecorder *self, PyroRecordEndedFunc func, gpointer user_data)
{
  self->ended_func = func;
  self->ended_data = user_data;
}

char *
pyro_recorder_default_output (const char *command)
{
  g_autofree char *base = g_path_get_basename (command != NULL && *command ? command : "process");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_strdelimit (base, " /\\:", '_');
  return g_strdup_printf ("pyrometer-%s-%s.syscap", base, stamp);
}

/* ---- processes and threads (lock held) ---------------------------------- */

static Process *
ensure_process (PyroRecorder *self, guint32 pid, gint64 time, gboolean synthesize_maps)
{
  Process *p = g_hash_table_lookup (self->processes, GUINT_TO_POINTER (pid));
  if (p != NULL)
    return p;

  p = g_new0 (Process, 1);
  p->pid = pid;
  p->start = time;
  p->rss = pyro_proc_rss (pid);
  p->charged_rss = p->rss;
  g_hash_table_insert (self->processes, GUINT_TO_POINTER (pid), p);

  g_autofree char *cmdline = pyro_proc_cmdline (pid);
  g_autofree char *comm = cmdline == NULL ? pyro_proc_comm (pid, pid) : NULL;
  sysprof_capture_writer_add_process (self->writer, time, -1, (int32_t) pid,
                                      cmdline != NULL ? cmdline : comm != NULL ? comm : "");

  SysprofCaptureCounter counter = { 0 };
  p->counter_id = sysprof_capture_writer_request_counter (self->writer, 1);
  counter.id = p->counter_id;
  counter.type = SYSPROF_CAPTURE_COUNTER_INT64;
  g_strlcpy (counter.category, "Memory", sizeof counter.category);
  g_strlcpy (counter.name, "RSS", sizeof counter.name);
  g_snprintf (counter.description, sizeof counter.description, "Resident set size of %u, bytes", pid);
  counter.value.v64 = MAX (p->rss, 0);
  sysprof_capture_writer_define_counters (self->writer, time, -1, (int32_t) pid, &counter, 1);

  if (synthesize_maps)
    {
      GArray *maps = pyro_proc_exec_maps (pid, NULL);
      for (guint i = 0; maps != NULL && i < maps->len; i++)
        {
          const PyroProcMap *m = &g_array_index (maps, PyroProcMap, i);
          sysprof_capture_writer_add_map (self->writer, time, -1, (int32_t) pid, m->start, m->end,
                                          m->offset, m->inode, m->path);
          pyro_symbolizer_add_mapping (self->symbolizer, pid, m->start, m->end, m->offset, m->path,
                                       NULL, 0);
        }
      pyro_proc_maps_free (maps);
    }
  return p;
}

static void
process_exited (PyroRecorder *self, Process *p, gint64 time)
{
  if (p->exited)
    return;
  p->exited = TRUE;
  sysprof_capture_writer_add_exit (self->writer, time, -1, (int32_t) p->pid);
  g_autofree char *name = g_strdup_printf ("process %u", p->pid);
  sysprof_capture_writer_add_mark (self->writer, p->start, -1, (int32_t) p->pid,
                                   MAX (time - p->start, 0), "pyrometer", "process", name);
}

static void
write_thread_name (PyroRecorder *self, gint64 time, guint32 pid, guint32 tid, const char *name)
{
  g_autofree char *text = g_strdup_printf ("%u\t%u\t%s", pid, tid, name);
  sysprof_capture_writer_add_metadata (self->writer, time, -1, (int32_t) pid,
                                       "pyrometer.thread-name", text, -1);
}

static void
ensure_thread (PyroRecorder *self, guint32 pid, guint32 tid, gint64 time)
{
  if (g_hash_table_contains (self->threads, GUINT_TO_POINTER (tid)))
    return;
  g_hash_table_insert (self->threads, GUINT_TO_POINTER (tid), GUINT_TO_POINTER (pid));
  g_autofree char *comm = pyro_proc_comm (pid, tid);
  if (comm != NULL)
    write_thread_name (self, time, pid, tid, comm);
}

static void
note_address (PyroRecorder *self, guint32 pid, guint64 lookup)
{
  AddressKey key = { pid, lookup };
  if (!g_hash_table_contains (self->addresses, &key))
    g_hash_table_add (self->addresses, g_memdup2 (&key, sizeof key));
}

/* ---- native samples (reader thread, lock held) -------------------------- */

typedef struct {
  const guint8 *p;
  const guint8 *end;
} Cursor;

static gboolean
take (Cursor *c, void *out, gsize n)
{
  if ((gsize) (c->end - c->p) < n)
    return FALSE;
  if (out != NULL)
    memcpy (out, c->p, n);
  c->p += n;
  return TRUE;
}

static void
python_stack_clear (gpointer p)
{
  g_array_unref (((PythonStack *) p)->addrs);
}

/* The Python stack of @tid read nearest in time to @time, or NULL.  When
 * the reads stalled around @time (the tick thread waited for the reader,
 * which stalls when it first unwinds through a library: at the start of a
 * new call), the read after it shows the call that was running. */
static GArray *
python_stack_at (PyroRecorder *self, guint32 tid, gint64 time)
{
  GArray *history = g_hash_table_lookup (self->python_stacks, GUINT_TO_POINTER (tid));
  const PythonStack *before = NULL, *after = NULL;
  gint64 interval = G_GINT64_CONSTANT (1000000000) / self->frequency;
  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      const PythonStack *ps = &g_array_index (history, PythonStack, i);
      if (ps->time <= time)
        before = ps;
      else
        {
          after = ps;
          break;
        }
    }
  if (before == NULL || after == NULL)
    return before != NULL ? before->addrs : after != NULL ? after->addrs : NULL;
  if (time - before->time > 2 * interval)
    return after->addrs;
  return time - before->time <= after->time - time ? before->addrs : after->addrs;
}

/* Replaces the interpreter's evaluation frames of @native (leaf first) with
 * the thread's Python stack read nearest to @time. */
static guint
splice_python (PyroRecorder *self, gint64 time, guint32 pid, guint32 tid, const guint64 *native,
               guint n, guint64 *out, guint max)
{
  GArray *py = python_stack_at (self, tid, time);
  if (py == NULL || py->len == 0 || self->source->klass->is_eval_frame == NULL)
    {
      memcpy (out, native, MIN (n, max) * sizeof (guint64));
      return MIN (n, max);
    }

  /* Walk root first: the outermost evaluation frame takes the outermost Python frame. */
  guint n_eval = 0;
  for (guint i = 0; i < n; i++)
    if (self->source->klass->is_eval_frame (self->source, pid, native[i]))
      n_eval++;
  g_autoptr (GArray) root_first = g_array_sized_new (FALSE, FALSE, sizeof (guint64), n + py->len);
  guint next_py = py->len;  /* python frames are leaf first: walk them backwards */
  guint seen_eval = 0;
  for (guint i = n; i-- > 0;)
    {
      if (next_py > 0 && self->source->klass->is_eval_frame (self->source, pid, native[i]))
        {
          seen_eval++;
          guint take_n = seen_eval == n_eval ? next_py : 1;
          for (guint k = 0; k < take_n; k++)
            {
              guint64 a = g_array_index (py, guint64, --next_py);
              g_array_append_val (root_first, a);
            }
          continue;
        }
      g_array_append_val (root_first, native[i]);
    }
  guint m = MIN (root_first->len, max);
  for (guint i = 0; i < m; i++)
    out[i] = g_array_index (root_first, guint64, root_first->len - 1 - i);
  return m;
}

static void
write_sample (PyroRecorder *self, gint64 time, guint32 pid, guint32 tid, const guint64 *addrs,
              guint n, gboolean charge)
{
  Process *p = ensure_process (self, pid, time, !self->launched);
  ensure_thread (self, pid, tid, time);
  sysprof_capture_writer_add_sample (self->writer, time, -1, (int32_t) pid, (int32_t) tid, addrs, n);
  self->samples++;
  for (guint i = 0; i < n; i++)
    {
      gboolean python = g_hash_table_contains (self->python_frames, &addrs[i]);
      note_address (self, python ? 0 : pid, python || i == 0 ? addrs[i] : addrs[i] - 1);
    }

  /* The growth of the process since its previous charged sample goes to
   * this stack. */
  if (!charge)
    {
      p->charged_rss = MIN (p->charged_rss, p->rss);
      return;
    }
  if (p->rss > p->charged_rss && p->charged_rss >= 0)
    sysprof_capture_writer_add_allocation_copy (self->writer, time, -1, (int32_t) pid, (int32_t) tid,
                                                0, p->rss - p->charged_rss, addrs, n);
  p->charged_rss = p->rss;
}

static void
handle_sample (PyroRecorder *self, const struct perf_event_header *header)
{
  Cursor c = { (const guint8 *) header + sizeof *header, (const guint8 *) header + header->size };
  guint64 ip, time, period, nr;
  guint32 pid_tid[2];
  if (!take (&c, &ip, 8) || !take (&c, pid_tid, 8) || !take (&c, &time, 8) || !take (&c, &period, 8)
      || !take (&c, &nr, 8) || nr > (guint64) (c.end - c.p) / 8)
    return;
  const guint64 *chain = (const guint64 *) c.p;
  c.p += nr * 8;

  guint64 addrs[MAX_FRAMES];
  guint n = 0;
  for (guint64 i = 0; i < nr && n < MAX_FRAMES; i++)
    if (chain[i] < PERF_CONTEXT_MAX)
      addrs[n++] = chain[i];
  if (n == 0)
    addrs[n++] = ip;

  if (self->stacks == STACKS_DWARF)
    {
      guint64 abi, regs[PERF_REG_X86_64_MAX], size;
      guint n_regs = (guint) __builtin_popcountll (REGS_MASK);
      if (take (&c, &abi, 8) && abi != 0 && take (&c, regs, n_regs * 8) && take (&c, &size, 8)
          && size <= (guint64) (c.end - c.p))
        {
          const guint8 *stack = c.p;
          guint64 dyn_size = size;
          c.p += size;
          if (size > 0 && take (&c, &dyn_size, 8))
            dyn_size = MIN (dyn_size, size);
          guint64 unwound[MAX_FRAMES];
          guint m = pyro_symbolizer_unwind (self->symbolizer, pid_tid[0], pid_tid[1], regs, REGS_MASK,
                                            stack, dyn_size, unwound, MAX_FRAMES);
          if (m > n || (m > 1 && m == n))
            {
              memcpy (addrs, unwound, m * sizeof (guint64));
              n = m;
            }
        }
    }
  else if (self->call_graph == PYRO_CALL_GRAPH_AUTO && self->judged < AUTO_DECIDE_SAMPLES)
    {
      self->judged++;
      if (n <= 1)
        self->shallow++;
      if (self->judged == AUTO_DECIDE_SAMPLES && self->shallow * 2 > self->judged)
        {
          g_atomic_int_set (&self->switch_wanted, 1);
          sysprof_capture_writer_add_mark (self->writer, (gint64) time, -1, (int32_t) pid_tid[0], 0,
                                           "pyrometer", "call-graph",
                                           "frame-pointer stacks are one frame deep: switching to DWARF unwinding");
        }
    }

  if (self->mode == PYRO_RECORD_MIXED && self->source != NULL)
    {
      /* The reader may run ahead of the Python reads: the sample waits for
       * the read after it, to splice the stack nearest in time. */
      PendingSample *ps = g_malloc (sizeof *ps + n * sizeof (guint64));
      ps->time = (gint64) time;
      ps->pid = pid_tid[0];
      ps->tid = pid_tid[1];
      ps->n = n;
      memcpy (ps->addrs, addrs, n * sizeof (guint64));
      g_ptr_array_add (self->pending, ps);
    }
  else
    write_sample (self, (gint64) time, pid_tid[0], pid_tid[1], addrs, n, TRUE);
}

/* Non-sample records end with sample_id: pid, tid, time. */
static gint64
record_time (const struct perf_event_header *header)
{
  gint64 t;
  memcpy (&t, (const guint8 *) header + header->size - 8, 8);
  return t;
}

static void
handle_record (const struct perf_event_header *header, gpointer user_data)
{
  PyroRecorder *self = user_data;
  const guint8 *body = (const guint8 *) header + sizeof *header;
  gsize body_len = header->size - sizeof *header;

  switch (header->type)
    {
    case PERF_RECORD_SAMPLE:
      handle_sample (self, header);
      break;

    case PERF_RECORD_MMAP2:
      {
        struct { guint32 pid, tid; guint64 addr, len, pgoff; guint32 maj, min; guint64 ino, ino_gen;
                 guint32 prot, flags; } m;
        if (body_len < sizeof m + 16)
          break;
        memcpy (&m, body, sizeof m);
        const char *name = (const char *) body + sizeof m;
        gsize max = body_len - sizeof m - 16;
        if (memchr (name, '\0', max) == NULL || !(m.prot & 4 /* PROT_EXEC */) || name[0] == '\0')
          break;
        gint64 time = record_time (header);
        ensure_process (self, m.pid, time, FALSE);
        sysprof_capture_writer_add_map (self->writer, time, -1, (int32_t) m.pid, m.addr,
                                        m.addr + m.len, m.pgoff, m.ino, name);
        pyro_symbolizer_add_mapping (self->symbolizer, m.pid, m.addr, m.addr + m.len, m.pgoff, name,
                                     NULL, 0);
        break;
      }

    case PERF_RECORD_COMM:
      {
        guint32 ids[2];
        if (body_len < 8 + 16 + 1)
          break;
        memcpy (ids, body, 8);
        const char *comm = (const char *) body + 8;
        if (memchr (comm, '\0', body_len - 8 - 16) == NULL)
          break;
        gint64 time = record_time (header);
        if (header->misc & PERF_RECORD_MISC_COMM_EXEC)
          {
            /* A new program: its mappings replace the old ones. */
            pyro_symbolizer_forget (self->symbolizer, ids[0]);
            g_autofree char *cmdline = pyro_proc_cmdline (ids[0]);
            sysprof_capture_writer_add_process (self->writer, time, -1, (int32_t) ids[0],
                                                cmdline != NULL ? cmdline : comm);
          }
        ensure_process (self, ids[0], time, FALSE);
        g_hash_table_insert (self->threads, GUINT_TO_POINTER (ids[1]), GUINT_TO_POINTER (ids[0]));
        write_thread_name (self, time, ids[0], ids[1], comm);
        break;
      }

    case PERF_RECORD_FORK:
      {
        guint32 ids[4]; /* pid, ppid, tid, ptid */
        if (body_len < 16 + 8)
          break;
        memcpy (ids, body, 16);
        gint64 time = record_time (header);
        g_hash_table_add (self->inherited, GUINT_TO_POINTER (ids[2]));
        if (ids[0] != ids[1])
          {
            pyro_symbolizer_fork (self->symbolizer, ids[1], ids[0]);
            sysprof_capture_writer_add_fork (self->writer, time, -1, (int32_t) ids[1], (int32_t) ids[0]);
            ensure_process (self, ids[0], time, FALSE);
          }
        break;
      }

    case PERF_RECORD_EXIT:
      {
        guint32 ids[4];
        if (body_len < 16 + 8)
          break;
        memcpy (ids, body, 16);
        gint64 time = record_time (header);
        Process *p = g_hash_table_lookup (self->processes, GUINT_TO_POINTER (ids[0]));
        if (ids[0] == ids[2] && p != NULL)
          process_exited (self, p, time);
        break;
      }

    case PERF_RECORD_LOST:
      {
        guint64 id_lost[2];
        if (body_len < 16)
          break;
        memcpy (id_lost, body, 16);
        self->lost += id_lost[1];
        g_autofree char *message = g_strdup_printf ("%" G_GUINT64_FORMAT " samples lost", id_lost[1]);
        sysprof_capture_writer_add_mark (self->writer, record_time (header), -1, -1, 0, "pyrometer",
                                         "lost", message);
        break;
      }

    default:
      break;
    }
}

/* ---- perf events --------------------------------------------------------- */

static void
fill_attr (PyroRecorder *self, struct perf_event_attr *attr, gboolean inherit, gboolean side_band)
{
  memset (attr, 0, sizeof *attr);
  attr->size = sizeof *attr;
  if (self->event == PYRO_SAMPLE_EVENT_CYCLES)
    {
      attr->type = PERF_TYPE_HARDWARE;
      attr->config = PERF_COUNT_HW_CPU_CYCLES;
      attr->freq = 1;
      attr->sample_freq = self->frequency;
    }
  else
    {
      /* A fixed period of CPU time gives exactly one sample per 1/F of CPU. */
      attr->type = PERF_TYPE_SOFTWARE;
      attr->config = PERF_COUNT_SW_CPU_CLOCK;
      attr->sample_period = G_GUINT64_CONSTANT (1000000000) / self->frequency;
    }
  attr->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CALLCHAIN
                      | PERF_SAMPLE_PERIOD;
  if (self->stacks == STACKS_DWARF)
    {
      attr->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
      attr->sample_regs_user = REGS_MASK;
      attr->sample_stack_user = STACK_COPY;
    }
  attr->exclude_kernel = 1;
  attr->exclude_hv = 1;
  attr->exclude_callchain_kernel = 1;
  attr->inherit = inherit;
  attr->mmap = side_band;
  attr->mmap2 = side_band;
  attr->comm = side_band;
  attr->comm_exec = side_band;
  attr->task = side_band;
  attr->sample_id_all = 1;
  attr->use_clockid = 1;
  attr->clockid = CLOCK_MONOTONIC;
  attr->watermark = 1;
  attr->wakeup_watermark = RING_PAGES * 4096 / 4;
  attr->disabled = 1;
}

static gboolean
explain_open_failure (PyroRecorder *self, guint32 pid, int errnum, GError **error)
{
  PyroAccessFacts facts;
  pyro_access_facts_read (&facts, self->launched ? 0 : pid);
  g_autofree char *why = pyro_access_explain (&facts, PYRO_ACCESS_PERF_EVENT, self->launched ? 0 : pid,
                                              errnum, self->frequency);
  int code = errnum == EACCES || errnum == EPERM ? PYRO_SAMPLER_ERROR_PERMISSION
           : errnum == ESRCH ? PYRO_SAMPLER_ERROR_NO_PROCESS
           : PYRO_SAMPLER_ERROR_FAILED;
  g_set_error (error, PYRO_SAMPLER_ERROR, code, "cannot sample process %u: %s", pid, why);
  return FALSE;
}

/* Opens one event per CPU on @tid, writing into the per-CPU rings. */
static gboolean
open_task (PyroRecorder *self, guint32 tid, gboolean inherit, gboolean enable, GError **error)
{
  struct perf_event_attr attr;
  fill_attr (self, &attr, inherit, TRUE);
  /* The launched command counts from its exec: nothing of the launcher is sampled. */
  attr.enable_on_exec = self->launched && !enable && self->fds->len == 0;
  guint opened = 0;
  int first_err = 0;

  for (guint cpu = 0; cpu < self->n_cpus; cpu++)
    {
      int fd = pyro_perf_event_open (&attr, (pid_t) tid, (int) cpu, -1);
      if (fd < 0)
        {
          if (fd == -ENODEV || fd == -ENXIO)
            continue;  /* an offline CPU */
          first_err = -fd;
          break;
        }
      g_array_append_val (self->fds, fd);
      PyroPerfRing *ring = &self->rings[cpu];
      if (ring->base == NULL)
        {
          int r = pyro_perf_ring_map (ring, fd, RING_PAGES);
          if (r < 0)
            {
              g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_FAILED,
                           "cannot map the sample buffer: %s (raise "
                           "kernel.perf_event_mlock_kb, or run fewer recordings at once)",
                           g_strerror (-r));
              return FALSE;
            }
        }
      else if (ioctl (fd, PERF_EVENT_IOC_SET_OUTPUT, ring->fd) != 0)
        {
          first_err = errno;
          break;
        }
      if (enable)
        ioctl (fd, PERF_EVENT_IOC_ENABLE, 0);
      opened++;
    }
  if (first_err != 0)
    return explain_open_failure (self, tid, first_err, error);
  if (opened == 0)
    return explain_open_failure (self, tid, ENODEV, error);
  g_hash_table_add (self->traced, GUINT_TO_POINTER (tid));
  return TRUE;
}

static void drain_all (PyroRecorder *self);

/* Attach mode: events for every task of @pid not yet traced. */
static gboolean
trace_tasks (PyroRecorder *self, guint32 pid, gboolean enable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GArray) tids = pyro_proc_tasks (pid, &local);
  if (tids == NULL)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_NO_PROCESS,
                   "process %u does not exist (it may have exited)", pid);
      return FALSE;
    }
  /* Threads and children born since the events were opened are followed by
   * inheritance: their FORK records, written before they can be listed,
   * say which. */
  if (enable)
    drain_all (self);
  for (guint i = 0; i < tids->len; i++)
    {
      guint32 tid = g_array_index (tids, guint32, i);
      g_mutex_lock (&self->lock);
      gboolean covered = g_hash_table_contains (self->inherited, GUINT_TO_POINTER (tid));
      g_mutex_unlock (&self->lock);
      if (covered || g_hash_table_contains (self->traced, GUINT_TO_POINTER (tid)))
        continue;
      g_autoptr (GError) task_error = NULL;
      if (!open_task (self, tid, TRUE, enable, &task_error))
        {
          /* A thread that ended since the listing is not an error. */
          if (g_error_matches (task_error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_NO_PROCESS))
            continue;
          g_propagate_error (error, g_steal_pointer (&task_error));
          return FALSE;
        }
    }
  return TRUE;
}

/* Frame-pointer stacks came back one frame deep: silence the frame-pointer
 * events and sample every known task again with a copy of its stack. */
static void
switch_to_dwarf (PyroRecorder *self)
{
  guint old = self->fds->len;
  g_mutex_lock (&self->lock);
  self->stacks = STACKS_DWARF;
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < old; i++)
    ioctl (g_array_index (self->fds, int, i), PERF_EVENT_IOC_DISABLE, 0);
  g_hash_table_remove_all (self->traced);

  g_mutex_lock (&self->lock);
  g_autoptr (GList) pids = g_hash_table_get_keys (self->processes);
  g_mutex_unlock (&self->lock);
  for (GList *l = pids; l != NULL; l = l->next)
    {
      guint32 pid = GPOINTER_TO_UINT (l->data);
      g_autoptr (GArray) tids = pyro_proc_tasks (pid, NULL);
      for (guint i = 0; tids != NULL && i < tids->len; i++)
        open_task (self, g_array_index (tids, guint32, i), TRUE, TRUE, NULL);
    }
}

/* ---- threads ------------------------------------------------------------- */

static void
report_end (PyroRecorder *self, PyroRecordEnd reason)
{
  if (!g_atomic_int_compare_and_exchange (&self->ended, 0, 1))
    return;
  self->end = reason;
  g_atomic_int_set (&self->stopping, 1);
  guint64 one = 1;
  if (write (self->wake_fd, &one, sizeof one) < 0)
    {
      /* the reader also wakes by its poll timeout */
    }
  if (self->ended_func != NULL)
    self->ended_func (reason, self->ended_data);
}

/* Writes the pending mixed samples whose Python stacks have been read since
 * (all of them when @all); lock held. */
static void
write_pending (PyroRecorder *self, gboolean all)
{
  gint64 now = now_ns ();
  guint kept = 0;
  for (guint i = 0; i < self->pending->len; i++)
    {
      PendingSample *ps = g_ptr_array_index (self->pending, i);
      Process *p = g_hash_table_lookup (self->processes, GUINT_TO_POINTER (ps->pid));
      gboolean read_after = p == NULL || !p->source_attached || p->source_read_at > ps->time;
      if (!all && !read_after && now - ps->time < SPLICE_WAIT_NS)
        {
          self->pending->pdata[kept++] = ps;
          continue;
        }
      guint64 spliced[MAX_FRAMES];
      guint m = splice_python (self, ps->time, ps->pid, ps->tid, ps->addrs, ps->n, spliced, MAX_FRAMES);
      write_sample (self, ps->time, ps->pid, ps->tid, spliced, m, TRUE);
      g_free (ps);
    }
  self->pending->len = kept;
}

static void
drain_all (PyroRecorder *self)
{
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->n_cpus; i++)
    pyro_perf_ring_drain (&self->rings[i], handle_record, self);
  write_pending (self, FALSE);
  g_mutex_unlock (&self->lock);
}

static gpointer
reader_thread (gpointer data)
{
  PyroRecorder *self = data;
  struct pollfd *pfds = g_new0 (struct pollfd, self->n_cpus + 1);
  guint n = 0;
  for (guint i = 0; i < self->n_cpus; i++)
    if (self->rings[i].base != NULL)
      pfds[n++] = (struct pollfd) { .fd = self->rings[i].fd, .events = POLLIN };
  pfds[n++] = (struct pollfd) { .fd = self->wake_fd, .events = POLLIN };

  while (!g_atomic_int_get (&self->stopping))
    {
      poll (pfds, n, 50);
      drain_all (self);
    }
  g_free (pfds);
  return NULL;
}

typedef struct {
  PyroRecorder *self;
  guint32 pid;
  gint64 time;
} EmitContext;

static guint64
python_address (PyroRecorder *self, const PyroStackFrame *f)
{
  FrameKey key = { f->function, f->file, f->line, 0 };
  const FrameKey *known = g_hash_table_lookup (self->frame_addresses, &key);
  if (known != NULL)
    return known->address;

  g_autofree char *name = f->line > 0 && f->file != NULL
                            ? g_strdup_printf ("%s (%s:%u)", f->function, f->file, f->line)
                          : f->file != NULL ? g_strdup_printf ("%s (%s)", f->function, f->file)
                                            : g_strdup (f->function);
  guint64 address = sysprof_capture_writer_add_jitmap (self->writer, name);
  if (!g_hash_table_contains (self->python_frames, &address))
    {
      PyroSyscapSymbol *sym = g_new0 (PyroSyscapSymbol, 1);
      sym->function = g_strdup (f->function);
      sym->file = g_strdup (f->file);
      sym->module = g_strdup (f->module);
      sym->line = f->line;
      sym->function_line = f->first_line;
      sym->kind = PYRO_FUNC_PYTHON;
      g_hash_table_insert (self->python_frames, g_memdup2 (&address, sizeof address), sym);
    }
  key.address = address;
  g_hash_table_add (self->frame_addresses, g_memdup2 (&key, sizeof key));
  return address;
}

static guint
define_state_counter (PyroRecorder *self, gint64 time, guint32 pid, const char *prefix,
                      const char *description)
{
  SysprofCaptureCounter counter = { 0 };
  counter.id = sysprof_capture_writer_request_counter (self->writer, 1);
  counter.type = SYSPROF_CAPTURE_COUNTER_INT64;
  g_strlcpy (counter.category, PYRO_SYSCAP_THREAD_STATE_CATEGORY, sizeof counter.category);
  g_strlcpy (counter.name, prefix, sizeof counter.name);
  g_strlcpy (counter.description, description, sizeof counter.description);
  sysprof_capture_writer_define_counters (self->writer, time, -1, (int32_t) pid, &counter, 1);
  return counter.id;
}

/* Writes what changed of @t's name and state before its sample (lock held). */
static void
note_source_thread (PyroRecorder *self, gint64 time, guint32 pid, const PyroStackThread *t)
{
  SourceThread *st = g_hash_table_lookup (self->source_threads, GUINT_TO_POINTER (t->tid));
  ensure_thread (self, pid, t->tid, time);
  if (st == NULL)
    {
      g_autofree char *running = g_strdup_printf (PYRO_SYSCAP_RUNNING_PREFIX "%u", t->tid);
      g_autofree char *gil = g_strdup_printf (PYRO_SYSCAP_GIL_PREFIX "%u", t->tid);
      g_autofree char *running_text = g_strdup_printf ("1 while thread %u ran", t->tid);
      g_autofree char *gil_text = g_strdup_printf ("1 while thread %u held the GIL", t->tid);
      st = g_new0 (SourceThread, 1);
      st->running = st->holds_gil = -1;
      if (self->mode == PYRO_RECORD_PYTHON)
        st->running_id = define_state_counter (self, time, pid, running, running_text);
      st->gil_id = define_state_counter (self, time, pid, gil, gil_text);
      g_hash_table_insert (self->source_threads, GUINT_TO_POINTER (t->tid), st);
    }
  if (t->name != NULL && g_strcmp0 (st->name, t->name) != 0)
    {
      g_free (st->name);
      st->name = g_strdup (t->name);
      write_thread_name (self, time, pid, t->tid, t->name);
    }

  guint ids[2];
  SysprofCaptureCounterValue values[2];
  guint n = 0;
  if (st->running_id != 0 && st->running != !!t->running)
    {
      st->running = !!t->running;
      ids[n] = st->running_id;
      values[n++].v64 = st->running;
    }
  if (st->holds_gil != !!t->holds_gil)
    {
      st->holds_gil = !!t->holds_gil;
      ids[n] = st->gil_id;
      values[n++].v64 = st->holds_gil;
    }
  if (n > 0)
    sysprof_capture_writer_set_counters (self->writer, time, -1, (int32_t) pid, ids, values, n);
}

static void
emit_python (const PyroStackThread *thread, const PyroStackFrame *frames, guint n_frames,
             gpointer user_data)
{
  EmitContext *ctx = user_data;
  PyroRecorder *self = ctx->self;
  guint32 tid = thread->tid;
  if (n_frames == 0)
    return;
  g_mutex_lock (&self->lock);
  note_source_thread (self, ctx->time, ctx->pid, thread);
  GArray *addrs = g_array_sized_new (FALSE, FALSE, sizeof (guint64), n_frames);
  for (guint i = 0; i < MIN (n_frames, MAX_FRAMES); i++)
    {
      guint64 a = python_address (self, &frames[i]);
      g_array_append_val (addrs, a);
    }
  if (self->mode == PYRO_RECORD_PYTHON)
    {
      /* Python allocates under the GIL: its holder's stack grew the memory. */
      write_sample (self, ctx->time, ctx->pid, tid, (const guint64 *) addrs->data, addrs->len,
                    thread->holds_gil);
      g_array_unref (addrs);
    }
  else
    {
      GArray *history = g_hash_table_lookup (self->python_stacks, GUINT_TO_POINTER (tid));
      if (history == NULL)
        {
          history = g_array_new (FALSE, FALSE, sizeof (PythonStack));
          g_array_set_clear_func (history, python_stack_clear);
          g_hash_table_insert (self->python_stacks, GUINT_TO_POINTER (tid), history);
        }
      guint old = 0;
      while (old < history->len
             && ctx->time - g_array_index (history, PythonStack, old).time > PYTHON_HISTORY_NS)
        old++;
      g_array_remove_range (history, 0, old);
      PythonStack ps = { ctx->time, addrs };
      g_array_append_val (history, ps);
    }
  g_mutex_unlock (&self->lock);
}

/* TRUE when @p runs another program than when last asked. */
static gboolean
exe_changed (Process *p)
{
  char path[64];
  struct stat st;
  g_snprintf (path, sizeof path, "/proc/%u/exe", p->pid);
  if (stat (path, &st) != 0 || (st.st_dev == p->exe_dev && st.st_ino == p->exe_ino))
    return FALSE;
  p->exe_dev = st.st_dev;
  p->exe_ino = st.st_ino;
  return TRUE;
}

static void
poll_stack_source (PyroRecorder *self)
{
  g_mutex_lock (&self->lock);
  g_autoptr (GList) list = g_hash_table_get_values (self->processes);
  g_mutex_unlock (&self->lock);
  for (GList *l = list; l != NULL; l = l->next)
    {
      Process *p = l->data;
      if (p->exited || p->source_failed)
        continue;
      if (p->source_refused)
        {
          gint64 now = g_get_monotonic_time ();
          if (now < p->source_next_try)
            continue;
          p->source_next_try = now + SOURCE_RETRY_US;
          if (exe_changed (p))
            p->source_retry_until = now + SOURCE_RETRY_WINDOW_US;
          if (now >= p->source_retry_until)
            continue;
        }
      if (!p->source_attached)
        {
          g_autoptr (GError) error = NULL;
          if (!self->source->klass->attach (self->source, p->pid, &error))
            {
              /* Not (yet) a process of this source's kind: the native
               * sampler has it meanwhile. */
              gint64 now = g_get_monotonic_time ();
              if (!p->source_refused)
                {
                  exe_changed (p);
                  p->source_retry_until = now + SOURCE_RETRY_WINDOW_US;
                }
              p->source_refused = TRUE;
              p->source_next_try = now + SOURCE_RETRY_US;
              if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
                {
                  p->source_failed = TRUE;
                  g_printerr ("pyrometer record: %s\n", error->message);
                }
              continue;
            }
          p->source_attached = TRUE;
          p->source_refused = FALSE;
        }
      EmitContext ctx = { self, p->pid, now_ns () };
      gboolean alive = self->source->klass->sample (self->source, p->pid, emit_python, &ctx);
      g_mutex_lock (&self->lock);
      p->source_read_at = ctx.time;
      g_mutex_unlock (&self->lock);
      if (!alive)
        {
          self->source->klass->detach (self->source, p->pid);
          p->exited = TRUE;
          /* The source's strings for that process are gone. */
          g_mutex_lock (&self->lock);
          g_hash_table_remove_all (self->frame_addresses);
          g_mutex_unlock (&self->lock);
        }
    }
}

static void
poll_rss (PyroRecorder *self, gint64 time)
{
  g_mutex_lock (&self->lock);
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (SysprofCaptureCounterValue));
  gint64 total = 0;
  g_hash_table_iter_init (&iter, self->processes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Process *p = value;
      if (p->exited)
        continue;
      gint64 rss = pyro_proc_rss (p->pid);
      if (rss < 0)
        continue;
      p->rss = rss;
      total += rss;
      SysprofCaptureCounterValue v = { .v64 = rss };
      g_array_append_val (ids, p->counter_id);
      g_array_append_val (values, v);
    }
  if (ids->len > 0)
    sysprof_capture_writer_set_counters (self->writer, time, -1, -1, (const guint *) ids->data,
                                         (const SysprofCaptureCounterValue *) values->data, ids->len);
  self->rss_total = total;
  g_mutex_unlock (&self->lock);
}

/* Python mode has no perf events to report forks and exits: the children of
 * every process followed are looked up in /proc. */
static void
scan_children (PyroRecorder *self)
{
  g_mutex_lock (&self->lock);
  g_autoptr (GList) list = g_hash_table_get_values (self->processes);
  g_mutex_unlock (&self->lock);
  for (GList *l = list; l != NULL; l = l->next)
    {
      Process *p = l->data;
      if (p->exited)
        continue;
      if (!pyro_proc_alive (p->pid))
        {
          g_mutex_lock (&self->lock);
          process_exited (self, p, now_ns ());
          g_mutex_unlock (&self->lock);
          continue;
        }
      g_autoptr (GArray) children = pyro_proc_children (p->pid);
      for (guint i = 0; children != NULL && i < children->len; i++)
        {
          guint32 child = g_array_index (children, guint32, i);
          g_mutex_lock (&self->lock);
          if (!g_hash_table_contains (self->processes, GUINT_TO_POINTER (child)))
            {
              gint64 time = now_ns ();
              sysprof_capture_writer_add_fork (self->writer, time, -1, (int32_t) p->pid, (int32_t) child);
              ensure_process (self, child, time, FALSE);
            }
          g_mutex_unlock (&self->lock);
        }
    }
}

static gboolean
target_gone (PyroRecorder *self)
{
  if (self->launched)
    {
      int status;
      pid_t r = waitpid (self->child, &status, WNOHANG);
      if (r == self->child)
        {
          self->exit_status = status;
          self->child = -1;
          return TRUE;
        }
      return r < 0 && errno == ECHILD;
    }
  return !pyro_proc_alive (self->pid);
}

static gpointer
tick_thread (gpointer data)
{
  PyroRecorder *self = data;
  gint64 next_flush = self->start_us + self->flush_us;
  gint64 next_progress = self->start_us + self->progress_us;
  gint64 next_housekeeping = self->start_us;
  gint64 source_interval = G_USEC_PER_SEC / self->frequency;
  gint64 next_source = self->start_us;
  gboolean want_source = self->source != NULL && self->mode != PYRO_RECORD_NATIVE;

  if (want_source)
    pyro_tick_priority_apply ();

  while (!g_atomic_int_get (&self->stopping))
    {
      gint64 now = g_get_monotonic_time ();
      if (now >= next_housekeeping)
        {
          next_housekeeping = now + TICK_US;
          poll_rss (self, now_ns ());
          if (g_atomic_int_get (&self->switch_wanted) == 1)
            {
              g_atomic_int_set (&self->switch_wanted, 2);
              switch_to_dwarf (self);
            }
          if (!self->launched && self->mode != PYRO_RECORD_PYTHON)
            trace_tasks (self, self->pid, TRUE, NULL);
          if (self->follow_children && self->mode == PYRO_RECORD_PYTHON)
            scan_children (self);
          if (target_gone (self))
            {
              report_end (self, PYRO_RECORD_END_TARGET_EXITED);
              break;
            }
          if (self->duration > 0 && now - self->start_us >= (gint64) (self->duration * G_USEC_PER_SEC))
            {
              report_end (self, PYRO_RECORD_END_DURATION);
              break;
            }
        }
      if (want_source && now >= next_source)
        {
          /* Ticks keep their phase; those the thread slept through are
           * skipped, not fired in a burst. */
          next_source += source_interval;
          if (next_source <= now)
            next_source += (now - next_source) / source_interval * source_interval + source_interval;
          poll_stack_source (self);
        }
      if (now >= next_flush)
        {
          next_flush = now + self->flush_us;
          g_mutex_lock (&self->lock);
          sysprof_capture_writer_flush (self->writer);
          g_mutex_unlock (&self->lock);
        }
      if (now >= next_progress && self->progress_func != NULL)
        {
          next_progress = now + self->progress_us;
          PyroRecordProgress progress;
          pyro_recorder_get_progress (self, &progress);
          self->progress_func (&progress, self->progress_data);
        }
      gint64 wake = MIN (next_housekeeping, MIN (next_flush, next_progress));
      if (want_source)
        wake = MIN (wake, next_source);
      struct timespec until = { wake / G_USEC_PER_SEC, (wake % G_USEC_PER_SEC) * 1000 };
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
        ;
    }
  return NULL;
}

/* ---- start, stop, finish ------------------------------------------------- */

/* Forks the command stopped on a pipe, so that its events exist before exec. */
static gboolean
launch (PyroRecorder *self, int *go_fd, int *exec_err_fd, GError **error)
{
  if (self->argv == NULL || self->argv[0] == NULL)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_LAUNCH, "no command to launch");
      return FALSE;
    }
  g_autofree char *program = g_find_program_in_path (self->argv[0]);
  if (program == NULL)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_LAUNCH,
                   "cannot run %s: no such program (looked in PATH)", self->argv[0]);
      return FALSE;
    }
  int go[2], err[2];
  if (pipe2 (go, O_CLOEXEC) != 0)
    goto pipe_failed;
  if (pipe2 (err, O_CLOEXEC) != 0)
    {
      close (go[0]);
      close (go[1]);
      goto pipe_failed;
    }

  pid_t child = fork ();
  if (child < 0)
    {
      int e = errno;
      close (go[0]); close (go[1]); close (err[0]); close (err[1]);
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_LAUNCH, "cannot fork: %s", g_strerror (e));
      return FALSE;
    }
  if (child == 0)
    {
      sigset_t all;
      char byte;
      sigemptyset (&all);
      sigprocmask (SIG_SETMASK, &all, NULL);
      signal (SIGINT, SIG_DFL);
      signal (SIGTERM, SIG_DFL);
      close (go[1]);
      close (err[0]);
      if (read (go[0], &byte, 1) != 1)
        _exit (127);
      if (self->cwd != NULL && chdir (self->cwd) != 0)
        {
          int e = errno;
          if (write (err[1], &e, sizeof e) < 0)
            _exit (126);
          _exit (127);
        }
      execv (program, self->argv);
      int e = errno;
      if (write (err[1], &e, sizeof e) < 0)
        _exit (126);
      _exit (127);
    }
  close (go[0]);
  close (err[1]);
  self->child = child;
  self->pid = (guint32) child;
  *go_fd = go[1];
  *exec_err_fd = err[0];
  return TRUE;

pipe_failed:
  g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_LAUNCH, "cannot create a pipe: %s",
               g_strerror (errno));
  return FALSE;
}

static void
kill_child (PyroRecorder *self)
{
  if (self->child <= 0)
    return;
  kill (self->child, SIGTERM);
  for (int i = 0; i < 100; i++)
    {
      int status;
      if (waitpid (self->child, &status, WNOHANG) == self->child)
        {
          self->exit_status = status;
          self->child = -1;
          return;
        }
      g_usleep (10000);
    }
  kill (self->child, SIGKILL);
  waitpid (self->child, &self->exit_status, 0);
  self->child = -1;
}

static void
write_metadata (PyroRecorder *self, const char *id, const char *value)
{
  sysprof_capture_writer_add_metadata (self->writer, now_ns (), -1, -1, id, value, -1);
}

static void
write_start_metadata (PyroRecorder *self)
{
  static const char *const mode_names[] = { "native", "python", "mixed" };
  static const char *const graph_names[] = { "auto", "fp", "dwarf" };
  g_autofree char *command_line = self->launched ? g_strjoinv (" ", self->argv)
                                                 : pyro_proc_cmdline (self->pid);
  g_autofree char *rate = g_strdup_printf ("%u", self->frequency);
  write_metadata (self, "pyrometer.command-line", command_line != NULL ? command_line : "");
  write_metadata (self, "pyrometer.frequency", rate);
  write_metadata (self, "pyrometer.event", self->event == PYRO_SAMPLE_EVENT_CYCLES ? "cycles" : "cpu-clock");
  write_metadata (self, "pyrometer.call-graph", graph_names[self->call_graph]);
  write_metadata (self, "pyrometer.mode", mode_names[self->mode]);
  write_metadata (self, "pyrometer.target", self->launched ? "launch" : "attach");
  write_metadata (self, "pyrometer.host", g_get_host_name ());
}

static gboolean
validate_target (PyroRecorder *self, GError **error)
{
  if (self->launched)
    return TRUE;
  if (!pyro_proc_alive (self->pid))
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_NO_PROCESS,
                   "process %u does not exist (it may have exited)", self->pid);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  GArray *maps = pyro_proc_exec_maps (self->pid, &local);
  if (maps == NULL)
    {
      int errnum = g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_ACCES) ? EACCES : ESRCH;
      PyroAccessFacts facts;
      pyro_access_facts_read (&facts, self->pid);
      g_autofree char *why = pyro_access_explain (&facts, PYRO_ACCESS_READ_PROC, self->pid, errnum,
                                                  self->frequency);
      g_set_error (error, PYRO_SAMPLER_ERROR,
                   errnum == EACCES ? PYRO_SAMPLER_ERROR_PERMISSION : PYRO_SAMPLER_ERROR_NO_PROCESS,
                   "cannot read the memory map of process %u: %s", self->pid, why);
      return FALSE;
    }
  pyro_proc_maps_free (maps);
  return TRUE;
}

gboolean
pyro_recorder_start (PyroRecorder *self, GError **error)
{
  g_return_val_if_fail (self->writer == NULL, FALSE);
  sysprof_clock_init ();
  if (self->frequency > 100000)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_FAILED,
                   "%u Hz is too high a sampling rate (at most 100000)", self->frequency);
      return FALSE;
    }
  if (self->mode != PYRO_RECORD_NATIVE && self->source == NULL)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_FAILED,
                   "Python and mixed recordings need a Python stack reader");
      return FALSE;
    }
  if (!validate_target (self, error))
    return FALSE;

  self->writer = sysprof_capture_writer_new (self->output, 0);
  if (self->writer == NULL)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_OUTPUT, "cannot write %s: %s",
                   self->output, g_strerror (errno));
      return FALSE;
    }
  self->symbolizer = pyro_symbolizer_new ();
  self->wake_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  long n_cpus = sysconf (_SC_NPROCESSORS_CONF);
  self->n_cpus = n_cpus > 0 ? (guint) n_cpus : 1;
  self->rings = g_new0 (PyroPerfRing, self->n_cpus);
  for (guint i = 0; i < self->n_cpus; i++)
    self->rings[i].fd = -1;

  int go_fd = -1, exec_err_fd = -1;
  if (self->launched && !launch (self, &go_fd, &exec_err_fd, error))
    goto failed;

  gboolean native = self->mode != PYRO_RECORD_PYTHON;
  if (native)
    {
      gboolean ok = self->launched ? open_task (self, self->pid, TRUE, FALSE, error)
                                   : trace_tasks (self, self->pid, FALSE, error);
      if (!ok)
        goto failed;
    }

  self->start_time = now_ns ();
  self->start_us = g_get_monotonic_time ();
  write_start_metadata (self);

  g_mutex_lock (&self->lock);
  ensure_process (self, self->pid, self->start_time, !self->launched);
  if (!self->launched)
    {
      g_autoptr (GArray) tids = pyro_proc_tasks (self->pid, NULL);
      for (guint i = 0; tids != NULL && i < tids->len; i++)
        ensure_thread (self, self->pid, g_array_index (tids, guint32, i), self->start_time);
    }
  sysprof_capture_writer_flush (self->writer);
  g_mutex_unlock (&self->lock);

  if (!self->launched)
    for (guint i = 0; i < self->fds->len; i++)
      ioctl (g_array_index (self->fds, int, i), PERF_EVENT_IOC_ENABLE, 0);

  if (self->launched)
    {
      char byte = 1;
      int exec_errno = 0;
      if (write (go_fd, &byte, 1) != 1)
        exec_errno = errno;
      close (go_fd);
      go_fd = -1;
      if (exec_errno == 0 && read (exec_err_fd, &exec_errno, sizeof exec_errno) != sizeof exec_errno)
        exec_errno = 0;
      close (exec_err_fd);
      exec_err_fd = -1;
      if (exec_errno != 0)
        {
          g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_LAUNCH, "cannot run %s: %s",
                       self->argv[0], g_strerror (exec_errno));
          goto failed;
        }
    }

  self->reader = g_thread_new ("pyro-reader", reader_thread, self);
  self->ticker = g_thread_new ("pyro-tick", tick_thread, self);
  return TRUE;

failed:
  if (go_fd >= 0)
    close (go_fd);
  if (exec_err_fd >= 0)
    close (exec_err_fd);
  kill_child (self);
  sysprof_capture_writer_unref (self->writer);
  self->writer = NULL;
  unlink (self->output);
  return FALSE;
}

void
pyro_recorder_stop (PyroRecorder *self)
{
  report_end (self, PYRO_RECORD_END_STOPPED);
}

static void
write_symbols (PyroRecorder *self)
{
  g_autoptr (PyroSyscapSymbols) table = pyro_syscap_symbols_new ();
  PyroSymbolFrame frames[64];
  PyroSyscapSymbol out[64];
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->addresses);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const AddressKey *k = key;
      PyroSyscapSymbol *py = k->pid == 0 ? g_hash_table_lookup (self->python_frames, &k->address) : NULL;
      if (py != NULL)
        {
          pyro_syscap_symbols_add (table, 0, k->address, py, 1);
          continue;
        }
      guint n = pyro_symbolizer_resolve (self->symbolizer, k->pid, k->address, frames, G_N_ELEMENTS (frames));
      for (guint i = 0; i < n; i++)
        out[i] = (PyroSyscapSymbol) {
          .function = frames[i].function,
          .file = frames[i].file,
          .module = frames[i].module,
          .line = frames[i].line,
          .inlined = frames[i].inlined,
          .kind = PYRO_FUNC_NATIVE,
          .function_line = frames[i].function_line,
        };
      pyro_syscap_symbols_add (table, k->pid, k->address, out, n);
    }
  g_hash_table_iter_init (&iter, self->python_frames);
  while (g_hash_table_iter_next (&iter, &key, &value))
    pyro_syscap_symbols_add (table, 0, *(guint64 *) key, value, 1);

  g_autoptr (GBytes) bytes = pyro_syscap_symbols_serialize (table);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const gsize chunk = 32 * 1024;
  gint64 time = now_ns ();
  for (gsize at = 0; at < len || at == 0; at += chunk)
    {
      gsize n = MIN (chunk, len - at);
      sysprof_capture_writer_add_file (self->writer, time, -1, -1, PYRO_SYSCAP_SYMBOLS_PATH,
                                       at + n >= len, data + at, n);
      if (n == 0)
        break;
    }
  pyro_syscap_sources_write (self->writer, time, table);
}

gboolean
pyro_recorder_finish (PyroRecorder *self, GError **error)
{
  if (self->finished)
    return TRUE;
  if (self->reader != NULL)
    g_thread_join (self->reader);
  if (self->ticker != NULL)
    g_thread_join (self->ticker);
  self->reader = NULL;
  self->ticker = NULL;
  self->finished = TRUE;
  if (self->writer == NULL)
    return TRUE;

  for (guint i = 0; i < self->fds->len; i++)
    ioctl (g_array_index (self->fds, int, i), PERF_EVENT_IOC_DISABLE, 0);
  drain_all (self);
  g_mutex_lock (&self->lock);
  write_pending (self, TRUE);
  g_mutex_unlock (&self->lock);

  if (self->launched)
    kill_child (self);
  if (self->source != NULL)
    {
      GHashTableIter iter;
      gpointer value;
      g_hash_table_iter_init (&iter, self->processes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Process *) value)->source_attached)
          self->source->klass->detach (self->source, ((Process *) value)->pid);
    }

  gint64 end = now_ns ();
  g_autofree char *lost = g_strdup_printf ("%" G_GUINT64_FORMAT, self->lost);
  write_metadata (self, "pyrometer.lost-samples", lost);
  sysprof_capture_writer_add_mark (self->writer, self->start_time, -1, (int32_t) self->pid,
                                   end - self->start_time, "pyrometer", "recording",
                                   self->end == PYRO_RECORD_END_TARGET_EXITED ? "the target exited"
                                   : self->end == PYRO_RECORD_END_DURATION ? "the duration elapsed"
                                                                           : "stopped");
  /* Everything recorded so far is safe before the slower symbol resolution. */
  sysprof_capture_writer_flush (self->writer);
  write_symbols (self);
  gboolean ok = sysprof_capture_writer_flush (self->writer);
  int saved = errno;
  sysprof_capture_writer_unref (self->writer);
  self->writer = NULL;
  if (!ok)
    {
      g_set_error (error, PYRO_SAMPLER_ERROR, PYRO_SAMPLER_ERROR_OUTPUT, "cannot write %s: %s",
                   self->output, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

PyroRecordEnd
pyro_recorder_get_end (PyroRecorder *self)
{
  return self->end;
}

void
pyro_recorder_get_progress (PyroRecorder *self, PyroRecordProgress *progress)
{
  g_mutex_lock (&self->lock);
  *progress = (PyroRecordProgress) {
    .elapsed = self->start_us > 0 ? (g_get_monotonic_time () - self->start_us) / (double) G_USEC_PER_SEC : 0,
    .samples = self->samples,
    .lost = self->lost,
    .n_processes = g_hash_table_size (self->processes),
    .n_threads = g_hash_table_size (self->threads),
    .rss = self->rss_total,
    .output = self->output,
  };
  g_mutex_unlock (&self->lock);
}

int
pyro_recorder_get_exit_status (PyroRecorder *self)
{
  return self->exit_status;
}

guint32
pyro_recorder_get_pid (PyroRecorder *self)
{
  return self->pid;
}
