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
/* What the read of the interpreter's state also fetches on speculation, at
 * the addresses the previous sample found: the thread states of the first
 * SPEC_THREADS threads, the first thread's frame windows and the signatures
 * of up to SPEC_CODES of its code objects.  A steady program then costs one
 * system call a sample. */
#define SPEC_THREADS 8
#define SPEC_CODES 128
#define SPEC_WINDOWS 2  /* 3.12 keeps the entry frame on the C stack */

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

#define WINDOW_PAGES 4

typedef struct {
  guint64 addr;
  guint32 len;
  guint8 data[(WINDOW_PAGES + 1) * PAGE];
  guint8 scratch[(WINDOW_PAGES + 1) * PAGE];
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

  guint64 interp;          /* the main interpreter, 0 until initialised */
  guint64 gil;             /* 3.12+: address of the main interpreter's GIL */
  GArray *cframes;         /* guint64: last _PyCFrame address per thread position */
  guint8 *tstate_read;     /* tstate_len + 8 bytes */

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

  /* speculation: addresses seen by the previous sample */
  GArray *spec_tstates;    /* guint64 per thread position */
  guint64 spec_window[SPEC_WINDOWS];   /* the first thread's frame windows */
  guint32 spec_window_len[SPEC_WINDOWS];
  GArray *spec_codes;      /* guint64: first thread's code objects, as walked */
  GByteArray *spec_buf;    /* what the speculative pieces read */
  guint spec_got;          /* pieces of it read whole */
  gsize spec_tstate_at[SPEC_THREADS];  /* offsets in spec_buf, 0 when not read */
  gsize spec_cframe_at[SPEC_THREADS];
  gsize spec_window_at[SPEC_WINDOWS];
  gsize spec_sigs_at;
  guint64 used_window[SPEC_WINDOWS];   /* windows the first thread's walk used ... */
  guint64 used_lo[SPEC_WINDOWS];       /* ... and the bytes of them it read */
  guint64 used_hi[SPEC_WINDOWS];
  guint n_used_windows;
  GArray *uniq_codes;      /* guint64: the code objects of a walk, each once */
  GArray *code_slot;       /* guint32 per raw frame: its index in uniq_codes */
  GHashTable *uniq_index;  /* code address -> slot + 1 */
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
  self->tstate_read = g_malloc (self->tstate_len + 8);
  self->cframes = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->spec_tstates = g_array_new (FALSE, TRUE, sizeof (guint64));
  self->spec_codes = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->spec_buf = g_byte_array_new ();
  self->uniq_codes = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->code_slot = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->uniq_index = g_hash_table_new (g_int64_hash, g_int64_equal);
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
  g_free (self->tstate_read);
  g_array_unref (self->cframes);
  g_array_unref (self->raw);
  g_array_unref (self->sig_addrs);
  g_array_unref (self->sig_lens);
  g_byte_array_unref (self->sig_buf);
  g_array_unref (self->spec_tstates);
  g_array_unref (self->spec_codes);
  g_byte_array_unref (self->spec_buf);
  g_array_unref (self->uniq_codes);
  g_array_unref (self->code_slot);
  g_hash_table_unref (self->uniq_index);
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

/* Frames of one thread lie close together in its data stack, callers below
 * callees: read the frame's pages and up to WINDOW_PAGES - 1 pages below in
 * one call (the kernel stops at the first unmapped one) and serve the
 * frames inside them from the copy. */
static const guint8 *
window_get (PyroCPythonReader *self, guint64 addr, guint32 len, GError **error)
{
  PageWindow *w = &self->window;
  guint64 start, end, lowest;
  guint64 addrs[WINDOW_PAGES];
  guint32 lens[WINDOW_PAGES];
  guint n = 0, got;
  guint8 *scratch = w->scratch;

  /* A frame pointer read while the thread changed it can be anything: one
   * that wraps around or spans more than two pages is a torn read. */
  if (addr > G_MAXUINT64 - len - PAGE || len > PAGE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "A frame at 0x%" G_GINT64_MODIFIER "x cannot be read: the stack changed under the read", addr);
      return NULL;
    }
  if (w->len != 0 && addr >= w->addr && addr + len <= w->addr + w->len)
    return w->data + (addr - w->addr);
  for (guint i = 0; i < SPEC_WINDOWS; i++)
    if (self->spec_window_at[i] != 0 && addr >= self->spec_window[i]
        && addr + len <= self->spec_window[i] + self->spec_window_len[i])
      {
        w->addr = self->spec_window[i];
        w->len = self->spec_window_len[i];
        memcpy (w->data, self->spec_buf->data + self->spec_window_at[i] - 1, w->len);
        return w->data + (addr - w->addr);
      }
  start = addr & ~(guint64) (PAGE - 1);
  end = (addr + len + PAGE - 1) & ~(guint64) (PAGE - 1);
  w->len = 0;
  /* The frame's own pages first, so that they are read even when a page
   * below is not mapped. */
  addrs[n] = start;
  lens[n++] = (guint32) (end - start);
  for (guint64 p = start; n < WINDOW_PAGES && p >= PAGE; n++)
    {
      p -= PAGE;
      addrs[n] = p;
      lens[n] = PAGE;
    }
  got = pyro_cpython_target_read_prefix (self->target, addrs, lens, n, scratch, error);
  if (got == 0)
    return NULL;
  /* Lay the pieces out in address order. */
  lowest = addrs[got - 1];
  memcpy (w->data + (start - lowest), scratch, end - start);
  for (guint i = 1; i < got; i++)
    memcpy (w->data + (addrs[i] - lowest), scratch + (end - start) + (i - 1) * PAGE, PAGE);
  w->addr = lowest;
  w->len = (guint32) (end - lowest);
  return w->data + (addr - lowest);
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

static gboolean
walk_frames (PyroCPythonReader *self, guint64 frame, gboolean first_thread, GError **error)
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
      if (first_thread)
        {
          guint u = self->n_used_windows;
          if (u == 0 || self->used_window[u - 1] != self->window.addr)
            {
              if (u < SPEC_WINDOWS)
                {
                  self->used_window[u] = self->window.addr;
                  self->used_lo[u] = frame;
                  self->used_hi[u] = frame + l->frame_size;
                  self->n_used_windows++;
                }
            }
          else
            {
              self->used_lo[u - 1] = MIN (self->used_lo[u - 1], frame);
              self->used_hi[u - 1] = MAX (self->used_hi[u - 1], frame + l->frame_size);
            }
        }
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

  /* Deep stacks repeat code objects (recursion): each is read once. */
  g_array_set_size (self->uniq_codes, 0);
  g_array_set_size (self->code_slot, self->raw->len);
  g_hash_table_remove_all (self->uniq_index);
  for (guint i = 0; i < self->raw->len; i++)
    {
      guint64 *code = &g_array_index (self->raw, RawFrame, i).code;
      guint slot = GPOINTER_TO_UINT (g_hash_table_lookup (self->uniq_index, code));
      if (slot == 0)
        {
          g_array_append_val (self->uniq_codes, *code);
          slot = self->uniq_codes->len;
          g_hash_table_insert (self->uniq_index, code, GUINT_TO_POINTER (slot));
        }
      g_array_index (self->code_slot, guint32, i) = slot - 1;
    }
  guint n_uniq = self->uniq_codes->len;
  g_array_set_size (self->sig_addrs, n_uniq);
  g_array_set_size (self->sig_lens, n_uniq);
  g_byte_array_set_size (self->sig_buf, n_uniq * self->sig_len);
  gboolean sigs_fetched = first_thread && self->spec_sigs_at != 0 && self->spec_codes->len == n_uniq
                          && memcmp (self->spec_codes->data, self->uniq_codes->data,
                                     n_uniq * sizeof (guint64)) == 0;
  if (first_thread)
    {
      g_array_set_size (self->spec_codes, 0);
      if (n_uniq <= SPEC_CODES)
        g_array_append_vals (self->spec_codes, self->uniq_codes->data, n_uniq);
    }
  for (guint i = 0; i < n_uniq; i++)
    {
      g_array_index (self->sig_addrs, guint64, i) = g_array_index (self->uniq_codes, guint64, i) + self->sig_offset;
      g_array_index (self->sig_lens, guint32, i) = self->sig_len;
    }
  if (sigs_fetched)
    {
      memcpy (self->sig_buf->data, self->spec_buf->data + self->spec_sigs_at - 1, n_uniq * self->sig_len);
      sigs_read = TRUE;
    }
  else
  {
    g_autoptr (GError) local = NULL;
    sigs_read = pyro_cpython_target_read_many (self->target, (const guint64 *) self->sig_addrs->data,
                                               (const guint32 *) self->sig_lens->data,
                                               n_uniq, self->sig_buf->data, &local);
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
          memcmp (code->sig, self->sig_buf->data + g_array_index (self->code_slot, guint32, i) * self->sig_len,
                  self->sig_len) != 0 ||
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

/* Appends a speculative piece; returns its offset in spec_buf. */
static gsize
spec_piece (GArray *addrs, GArray *lens, gsize *total, guint64 address, guint32 len)
{
  gsize at = *total;
  g_array_append_val (addrs, address);
  g_array_append_val (lens, len);
  *total += len;
  return at;
}

/* Reads the head of the thread list and who holds the GIL, and with them in
 * the same call what the previous sample suggests will be read next (see
 * SPEC_THREADS). */
static gboolean
read_interp_state (PyroCPythonReader *self, guint64 *tstate, guint64 *holder, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  g_autoptr (GArray) addrs = g_array_sized_new (FALSE, FALSE, sizeof (guint64), 32);
  g_autoptr (GArray) lens = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 32);
  gsize total = 0;
  guint32 gil_lo = 0, gil_len = 0;
  guint n_essential;

  memset (self->spec_tstate_at, 0, sizeof self->spec_tstate_at);
  memset (self->spec_cframe_at, 0, sizeof self->spec_cframe_at);
  memset (self->spec_window_at, 0, sizeof self->spec_window_at);
  self->spec_sigs_at = 0;
  self->spec_got = 0;

  spec_piece (addrs, lens, &total, self->interp + l->interp_threads_head, 8);
  if (l->runtime_tstate_current != PYRO_CPY_ABSENT)
    spec_piece (addrs, lens, &total, pyro_cpython_target_runtime (self->target) + l->runtime_tstate_current, 8);
  else
    {
      if (self->gil == 0 && !read_u64 (self, self->interp + l->interp_ceval_gil, &self->gil, error))
        return FALSE;
      gil_lo = MIN (l->gil_locked, l->gil_last_holder);
      gil_len = MAX (l->gil_locked + 4, l->gil_last_holder + 8) - gil_lo;
      if (self->gil == 0 || gil_len > 64)
        {
          *holder = 0;
          return read_u64 (self, self->interp + l->interp_threads_head, tstate, error);
        }
      spec_piece (addrs, lens, &total, self->gil + gil_lo, gil_len);
    }
  n_essential = addrs->len;

  /* Offsets are kept + 1 so that 0 means "not fetched". */
  for (guint i = 0; i < MIN (self->spec_tstates->len, SPEC_THREADS); i++)
    {
      guint64 t = g_array_index (self->spec_tstates, guint64, i);
      guint64 cframe = i < self->cframes->len ? g_array_index (self->cframes, guint64, i) : 0;
      if (t == 0)
        break;
      self->spec_tstate_at[i] = spec_piece (addrs, lens, &total, t, self->tstate_len) + 1;
      if (l->tstate_cframe != PYRO_CPY_ABSENT && cframe != 0)
        self->spec_cframe_at[i] = spec_piece (addrs, lens, &total, cframe + l->cframe_current_frame, 8) + 1;
    }
  for (guint i = 0; i < SPEC_WINDOWS; i++)
    if (self->spec_window_len[i] != 0)
      self->spec_window_at[i] = spec_piece (addrs, lens, &total, self->spec_window[i],
                                            self->spec_window_len[i]) + 1;
  if (self->spec_codes->len > 0)
    {
      self->spec_sigs_at = total + 1;
      for (guint i = 0; i < self->spec_codes->len; i++)
        spec_piece (addrs, lens, &total, g_array_index (self->spec_codes, guint64, i) + self->sig_offset,
                    self->sig_len);
    }

  g_byte_array_set_size (self->spec_buf, total);
  self->spec_got = pyro_cpython_target_read_prefix (self->target, (const guint64 *) addrs->data,
                                                    (const guint32 *) lens->data, addrs->len,
                                                    self->spec_buf->data, error);
  if (self->spec_got < n_essential)
    {
      if (self->spec_got > 0)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Process %u: the GIL state could not be read",
                     pyro_cpython_target_pid (self->target));
      return FALSE;
    }

  /* Forget what was not read whole: read_prefix stops at the first piece
   * that failed. */
  {
    gsize read_upto = 0;
    for (guint i = 0; i < self->spec_got; i++)
      read_upto += g_array_index (lens, guint32, i);
    for (guint i = 0; i < SPEC_THREADS; i++)
      {
        if (self->spec_tstate_at[i] != 0 && self->spec_tstate_at[i] - 1 + self->tstate_len > read_upto)
          self->spec_tstate_at[i] = 0;
        if (self->spec_cframe_at[i] != 0 && self->spec_cframe_at[i] - 1 + 8 > read_upto)
          self->spec_cframe_at[i] = 0;
      }
    for (guint i = 0; i < SPEC_WINDOWS; i++)
      if (self->spec_window_at[i] != 0 && self->spec_window_at[i] - 1 + self->spec_window_len[i] > read_upto)
        self->spec_window_at[i] = 0;
    if (self->spec_sigs_at != 0 && self->spec_got < addrs->len)
      self->spec_sigs_at = 0;
  }

  const guint8 *buf = self->spec_buf->data;
  *tstate = u64_at (buf, 0);
  if (l->runtime_tstate_current != PYRO_CPY_ABSENT)
    *holder = u64_at (buf, 8);
  else
    {
      gint32 locked;
      memcpy (&locked, buf + 8 + (l->gil_locked - gil_lo), sizeof locked);
      *holder = locked > 0 ? u64_at (buf, 8 + (l->gil_last_holder - gil_lo)) : 0;
    }
  return TRUE;
}

/* The current frame of the thread whose state is in tstate_buf.  3.11 and
 * 3.12 keep it behind a _PyCFrame on the C stack, which rarely moves: the
 * caller has already read the last one seen at @guess_at (into @guess). */
static gboolean
current_frame (PyroCPythonReader *self, guint index, gboolean have_guess, guint64 guess,
               guint64 *frame, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  guint64 cframe;

  if (l->tstate_current_frame != PYRO_CPY_ABSENT)
    {
      *frame = u64_at (self->tstate_buf, l->tstate_current_frame);
      return TRUE;
    }
  cframe = u64_at (self->tstate_buf, l->tstate_cframe);
  if (index >= self->cframes->len)
    g_array_set_size (self->cframes, index + 1);
  g_array_index (self->cframes, guint64, index) = cframe;
  *frame = 0;
  if (cframe == 0)
    return TRUE;
  if (have_guess)
    {
      *frame = guess;
      return TRUE;
    }
  return read_u64 (self, cframe + l->cframe_current_frame, frame, error);
}

gboolean
pyro_cpython_reader_sample (PyroCPythonReader *self, const PyroCPythonThreadStack **threads,
                            guint *n_threads, GError **error)
{
  const PyroCPythonLayout *l = self->l;
  guint64 tstate, holder;
  guint count = 0;
  guint frame_start = 0;

  g_array_set_size (self->stacks, 0);
  g_array_set_size (self->frames, 0);
  *threads = NULL;
  *n_threads = 0;

  /* The main interpreter lives inside _PyRuntime: once set, its address
   * stays. */
  if (self->interp == 0)
    {
      if (!read_u64 (self, pyro_cpython_target_runtime (self->target) + l->runtime_interpreters_head,
                     &self->interp, error))
        return FALSE;
      if (self->interp == 0)
        return TRUE;  /* not initialised yet */
    }
  if (!read_interp_state (self, &tstate, &holder, error))
    return FALSE;

  /* A new thread registers in threading._active a little after its thread
   * state exists, and threads started from C never do: look again for
   * unnamed threads, less and less often. */
  if (self->names_stale && g_get_monotonic_time () - self->names_read_at > self->names_interval)
    {
      guint before = g_hash_table_size (self->names);
      pyro_cpython_objects_thread_names (self->objects, self->interp, self->names);
      if (self->names_read_at != 0 && g_hash_table_size (self->names) == before)
        self->names_interval = MIN (self->names_interval * 2, 10 * G_USEC_PER_SEC);
      else
        self->names_interval = 100000;
      self->names_read_at = g_get_monotonic_time ();
      self->names_stale = FALSE;
    }

  while (tstate != 0 && count < MAX_THREADS)
    {
      PyroCPythonThreadStack stack = { 0 };
      guint64 frame, addrs[2], last_cframe = 0;
      guint32 lens[2];
      guint n_pieces = 1, got;
      guint8 buf[8];
      const guint8 *t;

      if (count < SPEC_THREADS && self->spec_tstate_at[count] != 0
          && g_array_index (self->spec_tstates, guint64, count) == tstate)
        {
          memcpy (self->tstate_read, self->spec_buf->data + self->spec_tstate_at[count] - 1,
                  self->tstate_len);
          got = 1;
          if (self->spec_cframe_at[count] != 0)
            {
              memcpy (self->tstate_read + self->tstate_len,
                      self->spec_buf->data + self->spec_cframe_at[count] - 1, 8);
              last_cframe = g_array_index (self->cframes, guint64, count);
              got = 2;
            }
        }
      else
        {
          addrs[0] = tstate;
          lens[0] = self->tstate_len;
          if (l->tstate_cframe != PYRO_CPY_ABSENT && count < self->cframes->len &&
              (last_cframe = g_array_index (self->cframes, guint64, count)) != 0)
            {
              addrs[1] = last_cframe + l->cframe_current_frame;
              lens[1] = 8;
              n_pieces = 2;
            }
          got = pyro_cpython_target_read_prefix (self->target, addrs, lens, n_pieces,
                                                 self->tstate_read, error);
          if (got == 0)
            return FALSE;
        }
      if (count >= self->spec_tstates->len)
        g_array_set_size (self->spec_tstates, count + 1);
      g_array_index (self->spec_tstates, guint64, count) = tstate;
      memcpy (self->tstate_buf, self->tstate_read, self->tstate_len);
      memcpy (buf, self->tstate_read + self->tstate_len, 8);
      t = self->tstate_buf;
      stack.tid = (guint32) u64_at (t, l->tstate_native_thread_id);
      stack.thread_id = u64_at (t, l->tstate_thread_id);
      stack.holds_gil = holder == tstate;
      if (!current_frame (self, count, got == 2 && l->tstate_cframe != PYRO_CPY_ABSENT &&
                                         u64_at (t, l->tstate_cframe) == last_cframe,
                          u64_at (buf, 0), &frame, error))
        return FALSE;
      tstate = u64_at (t, l->tstate_next);
      count++;

      self->window.len = 0;
      self->n_used_windows = 0;
      if (!walk_frames (self, frame, count == 1, error))
        return FALSE;
      /* Next time, the pages of the first thread's frames come with the
       * thread state. */
      if (count == 1)
        for (guint i = 0; i < SPEC_WINDOWS; i++)
          {
            /* The pieces fetched were for the old addresses: the other
             * threads must not look them up with the new ones. */
            self->spec_window_at[i] = 0;
            guint64 lo = self->used_lo[i] & ~(guint64) (PAGE - 1);
            guint64 hi = (self->used_hi[i] + PAGE - 1) & ~(guint64) (PAGE - 1);
            gboolean used = i < self->n_used_windows && hi - lo <= sizeof self->window.data;
            self->spec_window[i] = used ? lo : 0;
            self->spec_window_len[i] = used ? (guint32) (hi - lo) : 0;
          }
      /* Holding the GIL means running Python code; only the others need the
       * (costly) look at the scheduler state. */
      stack.running = stack.holds_gil || (stack.tid != 0 && thread_running (self, stack.tid));
      stack.name = g_hash_table_lookup (self->names, &stack.thread_id);
      if (stack.name == NULL && stack.thread_id != 0)
        self->names_stale = TRUE;
      stack.n_frames = self->frames->len - frame_start;
      g_array_append_val (self->stacks, stack);
      frame_start = self->frames->len;
    }

  g_array_set_size (self->spec_tstates, MIN (count, self->spec_tstates->len));

  /* Frames are pointed at only now: the array may have moved while growing. */
  frame_start = 0;
  for (guint i = 0; i < self->stacks->len; i++)
    {
      PyroCPythonThreadStack *st = &g_array_index (self->stacks, PyroCPythonThreadStack, i);
      st->frames = st->n_frames ? &g_array_index (self->frames, PyroCPythonFrame, frame_start) : NULL;
      frame_start += st->n_frames;
    }
  *threads = (const PyroCPythonThreadStack *) self->stacks->data;
  *n_threads = self->stacks->len;
  return TRUE;
}
