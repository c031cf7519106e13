/* cpython-sampler.c — the timer thread that turns CPython stacks into a profile. */
#define _GNU_SOURCE
#include "sampler/cpython-sampler.h"
#include "sampler/tick-priority.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sampler/cpython-reader.h"

#define LAUNCH_ATTACH_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define RSS_PERIOD_NS (10 * G_GINT64_CONSTANT (1000000))

typedef struct {
  guint32 index;        /* thread index in the profile */
  PyroCounter *running;
  PyroCounter *gil;
  gboolean named;
  int last_running;     /* last value appended to the counters, -1 none */
  int last_gil;
} ThreadInfo;

struct _PyroCPythonSampler {
  PyroCPythonReader *reader;
  guint32 pid;
  GPid child;             /* launched command, 0 when attached */
  int exit_status;
  double rate;
  gboolean keep_idle;

  GThread *thread;
  gint stop;              /* atomic */
  gboolean exited;
  GError *error;

  GMutex lock;            /* guards stats and thread_stacks */
  PyroCPythonSamplerStats stats;
  GHashTable *thread_stacks;   /* tid -> guint64 count */

  PyroProfile *profile;
  PyroProfile *memory;
  GHashTable *threads;    /* tid -> ThreadInfo* */
  GHashTable *funcs;      /* const PyroCPythonCode* -> func id + 1 (profile) */
  GHashTable *memory_funcs;
  GHashTable *memory_threads; /* tid -> thread index + 1 (memory profile) */
  PyroCounter *rss;
  int statm_fd;
  gint64 last_rss;
  gint64 last_rss_time;
  GArray *stack_ids;      /* guint32 scratch: frame ids root first */
  char *process_name;
};

static void
sampler_init (PyroCPythonSampler *self, PyroCPythonTarget *target)
{
  g_autofree char *comm_path = NULL;
  g_autofree char *statm = NULL;
  char *comm = NULL;

  self->pid = pyro_cpython_target_pid (target);
  self->reader = pyro_cpython_reader_new (target);
  self->rate = 1000;
  self->exit_status = -1;
  g_mutex_init (&self->lock);
  self->thread_stacks = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->threads = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->funcs = g_hash_table_new (NULL, NULL);
  self->memory_funcs = g_hash_table_new (NULL, NULL);
  self->memory_threads = g_hash_table_new (NULL, NULL);
  self->stack_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->profile = pyro_profile_new ("pyrometer-python");
  self->memory = pyro_profile_new ("pyrometer-python");
  self->memory->meta.unit = PYRO_UNIT_BYTES;
  comm_path = g_strdup_printf ("/proc/%u/comm", self->pid);
  if (g_file_get_contents (comm_path, &comm, NULL, NULL))
    self->process_name = g_strchomp (comm);
  else
    self->process_name = g_strdup_printf ("%u", self->pid);
  statm = g_strdup_printf ("/proc/%u/statm", self->pid);
  self->statm_fd = open (statm, O_RDONLY | O_CLOEXEC);
  self->rss = pyro_profile_add_counter (self->profile, "RSS", "bytes");
}

PyroCPythonSampler *
pyro_cpython_sampler_attach (guint32 pid, GError **error)
{
  PyroCPythonTarget *target = pyro_cpython_target_open (pid, error);
  PyroCPythonSampler *self;

  if (target == NULL)
    return NULL;
  self = g_new0 (PyroCPythonSampler, 1);
  sampler_init (self, target);
  return self;
}

PyroCPythonSampler *
pyro_cpython_sampler_launch (const char *const *argv, GError **error)
{
  GPid child;
  gint64 deadline;
  g_autoptr (GError) last = NULL;
  PyroCPythonSampler *self;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &child, error))
    return NULL;

  /* The interpreter is mapped a little after exec (libpython by the dynamic
   * loader); its runtime is found long before the first line of the script
   * runs, so polling every millisecond loses nothing. */
  deadline = g_get_monotonic_time () + LAUNCH_ATTACH_TIMEOUT_US;
  for (;;)
    {
      PyroCPythonTarget *target;
      int status;

      g_clear_error (&last);
      target = pyro_cpython_target_open ((guint32) child, &last);
      if (target != NULL)
        {
          self = g_new0 (PyroCPythonSampler, 1);
          sampler_init (self, target);
          self->child = child;
          return self;
        }
      if (g_error_matches (last, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
          g_get_monotonic_time () > deadline)
        break;
      if (waitpid (child, &status, WNOHANG) == child)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "%s exited (status %d) before its Python interpreter could be found: %s",
                       argv[0], status, last->message);
          return NULL;
        }
      g_usleep (1000);
    }
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  g_propagate_prefixed_error (error, g_steal_pointer (&last), "Cannot record %s: ", argv[0]);
  return NULL;
}

void
pyro_cpython_sampler_free (PyroCPythonSampler *self)
{
  if (self == NULL)
    return;
  if (self->thread != NULL)
    {
      pyro_cpython_sampler_stop (self);
      pyro_cpython_sampler_wait (self, NULL);
    }
  if (self->child != 0 && self->exit_status == -1)
    {
      /* A launched command belongs to the recording: do not leave a zombie. */
      kill (self->child, SIGKILL);
      waitpid (self->child, NULL, 0);
    }
  pyro_cpython_reader_free (self->reader);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->thread_stacks);
  g_hash_table_unref (self->threads);
  g_hash_table_unref (self->funcs);
  g_hash_table_unref (self->memory_funcs);
  g_hash_table_unref (self->memory_threads);
  g_array_unref (self->stack_ids);
  g_clear_pointer (&self->profile, pyro_profile_unref);
  g_clear_pointer (&self->memory, pyro_profile_unref);
  if (self->statm_fd >= 0)
    close (self->statm_fd);
  g_free (self->process_name);
  g_free (self);
}

void
pyro_cpython_sampler_set_rate (PyroCPythonSampler *self, double hz)
{
  self->rate = CLAMP (hz, 1, 100000);
}

void
pyro_cpython_sampler_set_keep_idle (PyroCPythonSampler *self, gboolean keep)
{
  self->keep_idle = keep;
}

guint32
pyro_cpython_sampler_get_pid (PyroCPythonSampler *self)
{
  return self->pid;
}

char *
pyro_cpython_sampler_get_version (PyroCPythonSampler *self)
{
  guint32 v = pyro_cpython_target_version (pyro_cpython_reader_get_target (self->reader));
  return g_strdup_printf ("%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff);
}

static gint64
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gint64
read_rss (PyroCPythonSampler *self)
{
  char buf[128];
  ssize_t n;
  guint64 size, resident;

  if (self->statm_fd < 0 || (n = pread (self->statm_fd, buf, sizeof buf - 1, 0)) <= 0)
    return -1;
  buf[n] = '\0';
  if (sscanf (buf, "%" G_GINT64_MODIFIER "u %" G_GINT64_MODIFIER "u", &size, &resident) != 2)
    return -1;
  return (gint64) resident * sysconf (_SC_PAGESIZE);
}

static ThreadInfo *
thread_info (PyroCPythonSampler *self, const PyroCPythonThreadStack *t)
{
  ThreadInfo *info = g_hash_table_lookup (self->threads, GUINT_TO_POINTER (t->tid));

  if (info == NULL)
    {
      g_autofree char *fallback = g_strdup_printf ("Thread %u", t->tid);
      g_autofree char *running = NULL;
      g_autofree char *gil = NULL;
      const char *name = t->name != NULL ? t->name : fallback;

      info = g_new0 (ThreadInfo, 1);
      info->index = pyro_profile_add_thread (self->profile, self->pid, t->tid, name,
                                             self->process_name);
      running = g_strdup_printf ("Running (%s)", name);
      gil = g_strdup_printf ("GIL (%s)", name);
      info->running = pyro_profile_add_counter (self->profile, running, "boolean");
      info->gil = pyro_profile_add_counter (self->profile, gil, "boolean");
      info->named = t->name != NULL;
      info->last_running = info->last_gil = -1;
      g_hash_table_insert (self->threads, GUINT_TO_POINTER (t->tid), info);
    }
  else if (!info->named && t->name != NULL)
    {
      /* The name became readable after the thread was first seen. */
      PyroThread *row = &g_array_index (self->profile->threads, PyroThread, info->index);
      row->name = pyro_profile_intern (self->profile, t->name);
      info->named = TRUE;
    }
  return info;
}

static guint32
add_stack (PyroProfile *profile, GHashTable *funcs, GArray *scratch,
           const PyroCPythonThreadStack *t)
{
  g_array_set_size (scratch, 0);
  for (guint i = t->n_frames; i > 0; i--)
    {
      const PyroCPythonFrame *f = &t->frames[i - 1];
      guint32 func = GPOINTER_TO_UINT (g_hash_table_lookup (funcs, f->code));
      guint32 frame;

      if (func == 0)
        {
          func = pyro_profile_add_func (profile, pyro_profile_intern (profile, f->code->qualname),
                                        pyro_profile_intern (profile, f->code->filename),
                                        f->code->first_line, pyro_profile_intern (profile, ""),
                                        PYRO_FUNC_PYTHON) + 1;
          g_hash_table_insert (funcs, (gpointer) f->code, GUINT_TO_POINTER (func));
        }
      frame = pyro_profile_add_frame (profile, func - 1, f->line, 0);
      g_array_append_val (scratch, frame);
    }
  return pyro_profile_add_stack_frames (profile, (const guint32 *) scratch->data, scratch->len);
}

static void
charge_memory (PyroCPythonSampler *self, gint64 time, gint64 growth,
               const PyroCPythonThreadStack *threads, guint n_threads)
{
  const PyroCPythonThreadStack *who = NULL;
  guint32 index;

  for (guint i = 0; i < n_threads && who == NULL; i++)
    if (threads[i].holds_gil && threads[i].n_frames > 0)
      who = &threads[i];
  for (guint i = 0; i < n_threads && who == NULL; i++)
    if (threads[i].running && threads[i].n_frames > 0)
      who = &threads[i];
  if (who == NULL)
    return;
  index = GPOINTER_TO_UINT (g_hash_table_lookup (self->memory_threads, GUINT_TO_POINTER (who->tid)));
  if (index == 0)
    {
      g_autofree char *fallback = g_strdup_printf ("Thread %u", who->tid);
      index = pyro_profile_add_thread (self->memory, self->pid, who->tid,
                                       who->name ? who->name : fallback, self->process_name) + 1;
      g_hash_table_insert (self->memory_threads, GUINT_TO_POINTER (who->tid), GUINT_TO_POINTER (index));
    }
  pyro_profile_add_sample (self->memory, time,
                           add_stack (self->memory, self->memory_funcs, self->stack_ids, who),
                           index - 1, (double) growth);
}

static void
record_tick (PyroCPythonSampler *self, gint64 time, const PyroCPythonThreadStack *threads,
             guint n_threads)
{
  gint64 rss = -1;
  guint64 frames = 0;

  /* RSS moves slowly and costs a system call: read it 100 times a second. */
  if (time - self->last_rss_time >= RSS_PERIOD_NS)
    {
      rss = read_rss (self);
      self->last_rss_time = time;
    }

  for (guint i = 0; i < n_threads; i++)
    {
      const PyroCPythonThreadStack *t = &threads[i];
      ThreadInfo *info;
      guint64 *count;

      frames += t->n_frames;
      g_mutex_lock (&self->lock);
      count = g_hash_table_lookup (self->thread_stacks, GUINT_TO_POINTER (t->tid));
      if (count == NULL)
        {
          count = g_new0 (guint64, 1);
          g_hash_table_insert (self->thread_stacks, GUINT_TO_POINTER (t->tid), count);
        }
      (*count)++;
      g_mutex_unlock (&self->lock);

      if (t->n_frames == 0)
        continue;
      info = thread_info (self, t);
      /* The counters are step functions: store the changes only. */
      if (info->last_running != (t->running ? 1 : 0))
        {
          info->last_running = t->running ? 1 : 0;
          pyro_counter_append (info->running, time, info->last_running);
        }
      if (info->last_gil != (t->holds_gil ? 1 : 0))
        {
          info->last_gil = t->holds_gil ? 1 : 0;
          pyro_counter_append (info->gil, time, info->last_gil);
        }
      if (!t->running && !self->keep_idle)
        continue;
      pyro_profile_add_sample (self->profile, time,
                               add_stack (self->profile, self->funcs, self->stack_ids, t),
                               info->index, 1);
    }

  if (rss >= 0)
    {
      pyro_counter_append (self->rss, time, (double) rss);
      if (self->last_rss > 0 && rss > self->last_rss)
        charge_memory (self, time, rss - self->last_rss, threads, n_threads);
      self->last_rss = rss;
    }

  g_mutex_lock (&self->lock);
  self->stats.stacks += n_threads;
  self->stats.frames += frames;
  g_mutex_unlock (&self->lock);
}

static gpointer
sampler_thread (gpointer data)
{
  PyroCPythonSampler *self = data;
  gint64 period = (gint64) (1e9 / self->rate);
  struct timespec next;
  gint64 next_ns = now_ns ();

  pyro_tick_priority_apply ();

  while (!g_atomic_int_get (&self->stop))
    {
      const PyroCPythonThreadStack *threads;
      guint n_threads;
      g_autoptr (GError) error = NULL;
      gint64 start = now_ns (), spent;

      if (!pyro_cpython_reader_sample (self->reader, &threads, &n_threads, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
              !pyro_cpython_target_alive (pyro_cpython_reader_get_target (self->reader)))
            {
              self->exited = TRUE;
              break;
            }
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
            {
              self->error = g_steal_pointer (&error);
              break;
            }
          g_mutex_lock (&self->lock);
          self->stats.failed_ticks++;
          g_mutex_unlock (&self->lock);
        }
      else
        record_tick (self, start, threads, n_threads);

      spent = now_ns () - start;
      g_mutex_lock (&self->lock);
      self->stats.ticks++;
      self->stats.busy_ns += spent;
      self->stats.max_tick_ns = MAX (self->stats.max_tick_ns, spent);
      g_mutex_unlock (&self->lock);

      next_ns += period;
      if (now_ns () > next_ns)
        {
          /* Fell behind (the machine is busy): skip the ticks already missed
           * rather than firing them in a burst. */
          gint64 missed = (now_ns () - next_ns) / period;
          g_mutex_lock (&self->lock);
          self->stats.missed_ticks += missed;
          g_mutex_unlock (&self->lock);
          next_ns += missed * period;
        }
      next.tv_sec = next_ns / 1000000000;
      next.tv_nsec = next_ns % 1000000000;
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
        ;
    }
  {
    struct timespec cpu;
    if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
      {
        g_mutex_lock (&self->lock);
        self->stats.cpu_ns = cpu.tv_sec * G_GINT64_CONSTANT (1000000000) + cpu.tv_nsec;
        g_mutex_unlock (&self->lock);
      }
  }
  return NULL;
}

gboolean
pyro_cpython_sampler_start (PyroCPythonSampler *self, GError **error)
{
  g_autofree char *version = pyro_cpython_sampler_get_version (self);

  g_return_val_if_fail (self->thread == NULL, FALSE);
  self->profile->meta.sample_rate = self->rate;
  self->profile->meta.has_time = TRUE;
  self->profile->meta.start_time = g_get_real_time () * 1000;
  self->memory->meta.has_time = TRUE;
  self->memory->meta.start_time = self->profile->meta.start_time;
  {
    g_autofree char *cmdline_path = g_strdup_printf ("/proc/%u/cmdline", self->pid);
    g_autofree char *cmdline = NULL;
    gsize len = 0;
    if (g_file_get_contents (cmdline_path, &cmdline, &len, NULL) && len > 0)
      {
        for (gsize i = 0; i + 1 < len; i++)
          if (cmdline[i] == '\0')
            cmdline[i] = ' ';
        self->profile->meta.command_line = g_strdup (cmdline);
        self->memory->meta.command_line = g_strdup (cmdline);
      }
  }
  self->thread = g_thread_try_new ("pyro-cpython", sampler_thread, self, error);
  return self->thread != NULL;
}

void
pyro_cpython_sampler_stop (PyroCPythonSampler *self)
{
  g_atomic_int_set (&self->stop, 1);
}

gboolean
pyro_cpython_sampler_wait (PyroCPythonSampler *self, GError **error)
{
  if (self->thread != NULL)
    {
      g_thread_join (self->thread);
      self->thread = NULL;
    }
  if (self->child != 0 && self->exit_status == -1 && self->exited)
    {
      int status;
      if (waitpid (self->child, &status, 0) == self->child)
        self->exit_status = status;
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
pyro_cpython_sampler_target_exited (PyroCPythonSampler *self)
{
  return self->exited;
}

int
pyro_cpython_sampler_get_exit_status (PyroCPythonSampler *self)
{
  return self->exit_status;
}

void
pyro_cpython_sampler_get_stats (PyroCPythonSampler *self, PyroCPythonSamplerStats *stats)
{
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

guint64
pyro_cpython_sampler_get_thread_samples (PyroCPythonSampler *self, guint32 tid)
{
  guint64 *count;
  guint64 n;

  g_mutex_lock (&self->lock);
  count = g_hash_table_lookup (self->thread_stacks, GUINT_TO_POINTER (tid));
  n = count ? *count : 0;
  g_mutex_unlock (&self->lock);
  return n;
}

PyroProfile *
pyro_cpython_sampler_take_profile (PyroCPythonSampler *self)
{
  g_return_val_if_fail (self->thread == NULL, NULL);
  return g_steal_pointer (&self->profile);
}

PyroProfile *
pyro_cpython_sampler_take_memory_profile (PyroCPythonSampler *self)
{
  g_return_val_if_fail (self->thread == NULL, NULL);
  return g_steal_pointer (&self->memory);
}
