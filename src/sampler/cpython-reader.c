/* cpython-reader.c — walking every thread's frame chain in a CPython process. */
#define _GNU_SOURCE
#include "sampler/cpython-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "sampler/cpython-linetable.h"
#include "sampler/cpython-objects.h"

#define MAX_THREADS 4096
#define MAX_DEPTH 4096
#define MAX_CODE_UNITS (1 << 22)
#define PAGE 4096u

#define SIG_MAX 128

typedef struct {
  PyroCPythonCode pub;
  guint64 bytecode;       /* address of the first code unit */
  guint32 n_units;
  gint32 *lines;          /* line per code unit, PYRO_CPY_NO_LINE when none */
  guint8 sig[SIG_MAX];    /* the code object's name, file and line table fields */
} CodeEntry;

typedef struct {
  guint64 code;
  guint64 instr;
} RawFrame;

typedef struct {
  guint64 addr;
  guint32 len;
  guint8 data[2 * PAGE];
} PageWindow;

struct _PyroCPythonReader {
  PyroCPythonTarget *target;
  const PyroCPythonLayout *l;
  PyroCPythonObjects *objects;

  GHashTable *codes;       /* address -> CodeEntry* */
  GPtrArray *retired;      /* CodeEntry* replaced at their address, kept alive */
  GHashTable *stat_fds;    /* tid -> fd of /proc/PID/task/TID/stat */
  GHashTable *names;       /* thread_id -> char*, owned */
  gboolean names_stale;
  gint64 names_read_at;    /* monotonic µs */
  gint64 names_interval;   /* µs before looking again for unnamed threads */

  guint64 gil;             /* 3.12+: address of the main interpreter's GIL */

  GArray *stacks;          /* PyroCPythonThreadStack */
  GArray *frames;          /* PyroCPythonFrame, all threads back to back */
  PageWindow window;
  guint8 *tstate_buf;
  guint32 tstate_len;

  /* A code object is freed when its last function dies and its address is
   * reused: every sample re-reads, for every frame at once, the fields that
   * tell code objects apart (signature) and compares them with the cache. */
  guint32 sig_offset;
  guint32 sig_len;
  GArray *raw;             /* RawFrame */
  GArray *sig_addrs;       /* guint64 */
  GArray *sig_lens;        /* guint32 */
  GByteArray *sig_buf;
};

static void
code_entry_free (gpointer data)
{
  CodeEntry *e = data;
  g_free (e->lines);
  g_free (e);
}

static void
close_fd (gpointer data)
{
  close (GPOINTER_TO_INT (data));
}

PyroCPythonReader *
pyro_cpython_reader_new (PyroCPythonTarget *target)
{
  PyroCPythonReader *self = g_new0 (PyroCPythonReader, 1);
  const PyroCPythonLayout *l = pyro_cpython_target_layout (target);
  guint32 need = 0;

  self->target = target;
  self->l = l;
  self->objects = pyro_cpython_objects_new (target);
  self->codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->retired = g_ptr_array_new_with_free_func (code_entry_free);
  self->stat_fds = g_hash_table_new_full (NULL, NULL, NULL, close_fd);
  self->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->names_stale = TRUE;
  self->names_interval = 100000;
  self->stacks = g_array_new (FALSE, TRUE, sizeof (PyroCPythonThreadStack));
  self->frames = g_array_new (FALSE, TRUE, sizeof (PyroCPythonFrame));

  need = MAX (need, l->tstate_next);
  need = MAX (need, l->tstate_thread_id);
  need = MAX (need, l->tstate_native_thread_id);
  if (l->tstate_cframe != PYRO_CPY_ABSENT)
    need = MAX (need, l->tstate_cframe);
  if (l->tstate_current_frame != PYRO_CPY_ABSENT)
    need = MAX (need, l->tstate_current_frame);
  self->tstate_len = need + 8;

  {
    guint32 lo = MIN (MIN (l->code_filename, l->code_name), MIN (l->code_qualname, l->code_linetable));
    guint32 hi = MAX (MAX (l->code_filename, l->code_name), MAX (l->code_qualname, l->code_linetable)) + 8;
    lo = MIN (lo, l->code_firstlineno);
    hi = MAX (hi, l->code_firstlineno + 4);
    if (hi - lo > SIG_MAX)
      {
        lo = l->code_qualname;
        hi = lo + 8;
      }
    self->sig_offset = lo;
    self->sig_len = hi - lo;
  }
  self->raw = g_array_new (FALSE, FALSE, sizeof (RawFrame));
  self->sig_addrs = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->sig_lens = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->sig_buf = g_byte_array_new ();
  self->tstate_buf = g_malloc (self->tstate_len);
  return self;
}

void
pyro_cpython_reader_free (PyroCPythonReader *self)
{
  if (self == NULL)
    return;
  {
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init (&iter, self->codes);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_ptr_array_add (self->retired, value);
  }
  g_hash_table_unref (self->codes);
  g_ptr_array_unref (self->retired);
  g_hash_table_unref (self->stat_fds);
  g_hash_table_unref (self->names);
  g_array_unref (self->stacks);
  g_array_unref (self->frames);
  pyro_cpython_objects_free (self->objects);
  pyro_cpython_target_free (self->target);
  g_free (self->tstate_buf);
  g_array_unref (self->raw);
  g_array_unref (self->sig_addrs);
  g_array_unref (self->sig_lens);
  g_byte_array_unref (self->sig_buf);
  g_free (self);
}

PyroCPythonTarget *
pyro_cpython_reader_get_target (PyroCPythonReader *self)
{
  return self->target;
}

void
pyro_cpython_reader_refresh_names (PyroCPythonReader *self)
{
  self->names_stale = TRUE;
  self->names_read_at = 0;
}

static guint64
u64_at (const guint8 *buf, guint32 offset)
{
  guint64 v;
  memcpy (&v, buf + offset, sizeof v);
  return v;
}

/* Frames of one thread lie close together in its data stack: read whole
 * pages once and serve the frames inside them from the copy. */
static const guint8 *
window_get (PyroCPythonReader *self, guint64 addr, guint32 len, GError **error)
{
  PageWindow *w = &self->window;
  guint64 start, end;

  if (w->len != 0 && addr >= w->addr && addr + len <= w->addr + w->len)
    return w->data + (addr - w->addr);
  start = addr & ~(guint64) (PAGE - 1);
  end = (addr + len + PAGE - 1) & ~(guint64) (PAGE - 1);
  if (end - start > sizeof w->data)
    return NULL;
  w->len = 0;
  if (!pyro_cpython_target_read (self->target, start, w->data, end - start, error))
    return NULL;
  w->addr = start;
  w->len = (guint32) (end - start);
  return w->data + (addr - start);
}

static CodeEntry *
load_code (PyroCPythonReader *self, guint64 addr, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  guint32 header = l->code_code_adaptive;
  g_autofree guint8 *buf = g_malloc (header);
  g_autofree guint8 *table = NULL;
  gsize table_len = 0;
  guint64 n_units;
  gint32 first_line;
  CodeEntry *e;
  guint64 *key;

  if (!pyro_cpython_target_read (self->target, addr, buf, header, error))
    return NULL;
  if (pyro_cpython_target_code_type (self->target) != 0 &&
      u64_at (buf, l->object_type) != pyro_cpython_target_code_type (self->target))
    return NULL;  /* 3.13: an executable that is not a code object */
  n_units = u64_at (buf, l->bytes_size);  /* ob_size of a PyVarObject */
  memcpy (&first_line, buf + l->code_firstlineno, sizeof first_line);
  if (n_units == 0 || n_units > MAX_CODE_UNITS || first_line < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Process %u: 0x%" G_GINT64_MODIFIER "x is not a code object (%"
                   G_GINT64_MODIFIER "u code units)", pyro_cpython_target_pid (self->target),
                   addr, n_units);
      return NULL;
    }

  e = g_new0 (CodeEntry, 1);
  e->pub.qualname = pyro_cpython_objects_str (self->objects, u64_at (buf, l->code_qualname));
  e->pub.filename = pyro_cpython_objects_str (self->objects, u64_at (buf, l->code_filename));
  e->pub.first_line = (guint32) first_line;
  e->bytecode = addr + l->code_code_adaptive;
  memcpy (e->sig, buf + self->sig_offset, self->sig_len);
  e->n_units = (guint32) n_units;
  e->lines = g_new (gint32, n_units);
  table = pyro_cpython_objects_bytes (self->objects, u64_at (buf, l->code_linetable),
                                      &table_len, NULL);
  pyro_cpython_linetable_decode (table, table_len, first_line, e->lines, n_units);

  /* Callers key their own caches by the entry pointer: an entry replaced at
   * its address stays allocated so that no later entry takes its pointer. */
  {
    CodeEntry *old = g_hash_table_lookup (self->codes, &addr);
    if (old != NULL)
      g_ptr_array_add (self->retired, old);
  }
  key = g_new (guint64, 1);
  *key = addr;
  g_hash_table_replace (self->codes, key, e);
  return e;
}

static gboolean
thread_running (PyroCPythonReader *self, guint32 tid)
{
  gpointer value;
  int fd;
  char buf[512];
  ssize_t n;
  const char *paren;

  if (g_hash_table_lookup_extended (self->stat_fds, GUINT_TO_POINTER (tid), NULL, &value))
    fd = GPOINTER_TO_INT (value);
  else
    {
      g_autofree char *path = g_strdup_printf ("/proc/%u/task/%u/stat",
                                               pyro_cpython_target_pid (self->target), tid);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        return FALSE;
      g_hash_table_insert (self->stat_fds, GUINT_TO_POINTER (tid), GINT_TO_POINTER (fd));
    }
  n = pread (fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    {
      g_hash_table_remove (self->stat_fds, GUINT_TO_POINTER (tid));
      return FALSE;
    }
  buf[n] = '\0';
  paren = strrchr (buf, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] == 'R';
}

static gboolean
read_u64 (PyroCPythonReader *self, guint64 addr, guint64 *out, GError **error)
{
  return pyro_cpython_target_read (self->target, addr, out, sizeof *out, error);
}

static guint64
gil_holder (PyroCPythonReader *self, guint64 interp, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  guint64 holder = 0;

  if (l->runtime_tstate_current != PYRO_CPY_ABSENT)
    {
      if (!read_u64 (self, pyro_cpython_target_runtime (self->target) + l->runtime_tstate_current,
                     &holder, error))
        return G_MAXUINT64;
      return holder;
    }
  if (self->gil == 0 && !read_u64 (self, interp + l->interp_ceval_gil, &self->gil, error))
    return G_MAXUINT64;
  if (self->gil != 0)
    {
      guint8 buf[32];
      guint32 len = MAX (l->gil_locked + 4, l->gil_last_holder + 8);
      gint32 locked;

      if (len > sizeof buf || !pyro_cpython_target_read (self->target, self->gil, buf, len, error))
        return G_MAXUINT64;
      memcpy (&locked, buf + l->gil_locked, sizeof locked);
      if (locked > 0)
        holder = u64_at (buf, l->gil_last_holder);
    }
  return holder;
}

static gboolean
walk_frames (PyroCPythonReader *self, guint64 frame, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  guint depth = 0;
  gboolean sigs_read;

  g_array_set_size (self->raw, 0);
  while (frame != 0 && depth++ < MAX_DEPTH)
    {
      const guint8 *f = window_get (self, frame, l->frame_size, error);
      RawFrame raw;

      if (f == NULL)
        return FALSE;
      raw.code = u64_at (f, l->frame_code);
      raw.instr = u64_at (f, l->frame_instr);
      frame = u64_at (f, l->frame_previous);
      if (l->frame_owned_by_cstack != PYRO_CPY_ABSENT &&
          f[l->frame_owner] == l->frame_owned_by_cstack)
        continue;
      if (raw.code != 0)
        g_array_append_val (self->raw, raw);
    }
  if (self->raw->len == 0)
    return TRUE;

  g_array_set_size (self->sig_addrs, self->raw->len);
  g_array_set_size (self->sig_lens, self->raw->len);
  g_byte_array_set_size (self->sig_buf, self->raw->len * self->sig_len);
  for (guint i = 0; i < self->raw->len; i++)
    {
      g_array_index (self->sig_addrs, guint64, i) =
        g_array_index (self->raw, RawFrame, i).code + self->sig_offset;
      g_array_index (self->sig_lens, guint32, i) = self->sig_len;
    }
  {
    g_autoptr (GError) local = NULL;
    sigs_read = pyro_cpython_target_read_many (self->target, (const guint64 *) self->sig_addrs->data,
                                               (const guint32 *) self->sig_lens->data,
                                               self->raw->len, self->sig_buf->data, &local);
    if (!sigs_read && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_FAILED))
      {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
  }

  for (guint i = 0; i < self->raw->len; i++)
    {
      const RawFrame *raw = &g_array_index (self->raw, RawFrame, i);
      CodeEntry *code = g_hash_table_lookup (self->codes, &raw->code);
      PyroCPythonFrame out;
      gint64 lasti;

      if (code == NULL || !sigs_read ||
          memcmp (code->sig, self->sig_buf->data + i * self->sig_len, self->sig_len) != 0 ||
          raw->instr + 2 < code->bytecode ||
          raw->instr > code->bytecode + 2 * (guint64) code->n_units)
        {
          g_autoptr (GError) local = NULL;
          code = load_code (self, raw->code, &local);
          if (code == NULL)
            {
              if (local != NULL && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_FAILED))
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return FALSE;
                }
              continue;
            }
        }
      out.code = &code->pub;
      lasti = ((gint64) raw->instr - (gint64) code->bytecode) / 2;
      if (lasti < 0)
        out.line = code->pub.first_line;
      else if (lasti < code->n_units && code->lines[lasti] != PYRO_CPY_NO_LINE)
        out.line = (guint32) code->lines[lasti];
      else
        out.line = 0;
      g_array_append_val (self->frames, out);
    }
  return TRUE;
}

gboolean
pyro_cpython_reader_sample (PyroCPythonReader *self, const PyroCPythonThreadStack **threads,
                            guint *n_threads, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  guint64 interp, tstate, holder;
  guint count = 0;
  guint frame_start = 0;

  g_array_set_size (self->stacks, 0);
  g_array_set_size (self->frames, 0);
  self->window.len = 0;

  if (!read_u64 (self, pyro_cpython_target_runtime (self->target) + l->runtime_interpreters_head,
                 &interp, error))
    return FALSE;
  if (interp == 0)
    {
      /* Not initialised yet, or finalised. */
      *threads = NULL;
      *n_threads = 0;
      return TRUE;
    }
  holder = gil_holder (self, interp, error);
  if (holder == G_MAXUINT64)
    return FALSE;
  if (!read_u64 (self, interp + l->interp_threads_head, &tstate, error))
    return FALSE;

  /* A new thread registers in threading._active a little after its thread
   * state exists, and threads started from C never do: look again for
   * unnamed threads, less and less often. */
  if (self->names_stale && g_get_monotonic_time () - self->names_read_at > self->names_interval)
    {
      guint before = g_hash_table_size (self->names);
      pyro_cpython_objects_thread_names (self->objects, interp, self->names);
      if (self->names_read_at != 0 && g_hash_table_size (self->names) == before)
        self->names_interval = MIN (self->names_interval * 2, 10 * G_USEC_PER_SEC);
      else
        self->names_interval = 100000;
      self->names_read_at = g_get_monotonic_time ();
      self->names_stale = FALSE;
    }

  while (tstate != 0 && count++ < MAX_THREADS)
    {
      PyroCPythonThreadStack stack = { 0 };
      guint64 frame;
      const guint8 *t;

      if (!pyro_cpython_target_read (self->target, tstate, self->tstate_buf,
                                     self->tstate_len, error))
        return FALSE;
      t = self->tstate_buf;
      stack.tid = (guint32) u64_at (t, l->tstate_native_thread_id);
      stack.thread_id = u64_at (t, l->tstate_thread_id);
      stack.holds_gil = holder == tstate;
      if (l->tstate_current_frame != PYRO_CPY_ABSENT)
        frame = u64_at (t, l->tstate_current_frame);
      else
        {
          guint64 cframe = u64_at (t, l->tstate_cframe);
          frame = 0;
          if (cframe != 0 && !read_u64 (self, cframe + l->cframe_current_frame, &frame, error))
            return FALSE;
        }
      tstate = u64_at (t, l->tstate_next);

      if (!walk_frames (self, frame, error))
        return FALSE;
      stack.running = stack.tid != 0 && thread_running (self, stack.tid);
      stack.name = g_hash_table_lookup (self->names, &stack.thread_id);
      if (stack.name == NULL && stack.thread_id != 0)
        self->names_stale = TRUE;
      stack.n_frames = self->frames->len - frame_start;
      g_array_append_val (self->stacks, stack);
      frame_start = self->frames->len;
    }

  /* Frames are pointed at only now: the array may have moved while growing. */
  frame_start = 0;
  for (guint i = 0; i < self->stacks->len; i++)
    {
      PyroCPythonThreadStack *s = &g_array_index (self->stacks, PyroCPythonThreadStack, i);
      s->frames = s->n_frames ? &g_array_index (self->frames, PyroCPythonFrame, frame_start) : NULL;
      frame_start += s->n_frames;
    }
  *threads = (const PyroCPythonThreadStack *) self->stacks->data;
  *n_threads = self->stacks->len;
  return TRUE;
}
