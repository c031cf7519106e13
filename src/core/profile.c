#include "profile.h"
#include "id-set.h"
#include "trie-index.h"

#include <string.h>

#define COL(type) g_array_new (FALSE, FALSE, sizeof (type))

PyroProfile *
pyro_profile_new (const char *format)
{
  PyroProfile *self = g_new0 (PyroProfile, 1);

  g_atomic_ref_count_init (&self->ref);
  self->string_chunk = g_string_chunk_new (64 * 1024);
  self->strings = g_ptr_array_new ();
  self->string_lengths = COL (guint32);
  self->func_name = COL (guint32);
  self->func_file = COL (guint32);
  self->func_line = COL (guint32);
  self->func_module = COL (guint32);
  self->func_kind = COL (guint8);
  self->frame_func = COL (guint32);
  self->frame_line = COL (guint32);
  self->frame_address = COL (guint64);
  self->stack_parent = COL (guint32);
  self->stack_frame = COL (guint32);
  self->sample_time = COL (gint64);
  self->sample_stack = COL (guint32);
  self->sample_thread = COL (guint32);
  self->sample_weight = COL (double);
  self->threads = COL (PyroThread);
  self->counters = g_ptr_array_new ();
  self->marks = COL (PyroMark);
  self->func_stats = COL (PyroFuncStats);
  self->call_edges = COL (PyroCallEdge);
  self->meta.format = g_strdup (format);
  self->meta.unit = PYRO_UNIT_SAMPLES;
  self->warnings = g_ptr_array_new_with_free_func (g_free);

  self->string_index = pyro_id_set_new ();
  self->func_index = pyro_id_set_new ();
  self->frame_index = pyro_id_set_new ();
  self->stack_index = pyro_trie_index_new ();

  /* String 0 is the empty string: "no file", "no module". */
  pyro_profile_intern_len (self, "", 0);
  return self;
}

PyroProfile *
pyro_profile_ref (PyroProfile *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

static void
counter_free (gpointer data)
{
  PyroCounter *counter = data;
  g_array_unref (counter->times);
  g_array_unref (counter->values);
  g_free (counter);
}

void
pyro_profile_unref (PyroProfile *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;

  pyro_profile_finish (self);
  g_string_chunk_free (self->string_chunk);
  g_ptr_array_unref (self->strings);
  GArray *cols[] = {
    self->string_lengths, self->func_name, self->func_file, self->func_line,
    self->func_module, self->func_kind, self->frame_func, self->frame_line,
    self->frame_address, self->stack_parent, self->stack_frame, self->sample_time,
    self->sample_stack, self->sample_thread, self->sample_weight, self->threads,
    self->marks, self->func_stats, self->call_edges,
  };
  for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
    g_array_unref (cols[i]);
  if (self->sample_bytes != NULL)
    g_array_unref (self->sample_bytes);
  if (self->sample_flags != NULL)
    g_array_unref (self->sample_flags);
  g_ptr_array_foreach (self->counters, (GFunc) counter_free, NULL);
  g_ptr_array_unref (self->counters);
  g_free (self->meta.format);
  g_free (self->meta.command_line);
  g_free (self->meta.host);
  g_free (self->meta.event);
  g_free (self->meta.os_release);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

void
pyro_profile_finish (PyroProfile *self)
{
  g_clear_pointer (&self->string_index, pyro_id_set_free);
  g_clear_pointer (&self->func_index, pyro_id_set_free);
  g_clear_pointer (&self->frame_index, pyro_id_set_free);
  g_clear_pointer (&self->stack_index, pyro_trie_index_free);
  if (self->sample_bytes != NULL && self->sample_bytes->len < self->sample_weight->len)
    g_array_set_size (self->sample_bytes, self->sample_weight->len);
  if (self->sample_flags != NULL && self->sample_flags->len < self->sample_weight->len)
    g_array_set_size (self->sample_flags, self->sample_weight->len);
}

/* strings */

typedef struct {
  const char *str;
  gsize len;
} StrKey;

static gboolean
string_equal (guint32 id, gconstpointer key, gpointer user_data)
{
  const PyroProfile *self = user_data;
  const StrKey *k = key;
  return PYRO_COL (self->string_lengths, guint32, id) == k->len
         && memcmp (g_ptr_array_index (self->strings, id), k->str, k->len) == 0;
}

guint32
pyro_profile_intern_len (PyroProfile *self, const char *str, gsize len)
{
  g_return_val_if_fail (self->string_index != NULL, PYRO_NONE);

  StrKey key = { str, len };
  guint64 hash = pyro_hash_bytes (str, len);
  guint32 id = pyro_id_set_lookup (self->string_index, hash, &key, string_equal, self);
  if (id != PYRO_NONE)
    return id;

  id = self->strings->len;
  char *copy = g_string_chunk_insert_len (self->string_chunk, str, len);
  guint32 len32 = (guint32) MIN (len, G_MAXUINT32);
  g_ptr_array_add (self->strings, copy);
  g_array_append_val (self->string_lengths, len32);
  pyro_id_set_insert (self->string_index, hash, id);
  return id;
}

guint32
pyro_profile_intern (PyroProfile *self, const char *str)
{
  return str == NULL ? 0 : pyro_profile_intern_len (self, str, strlen (str));
}

/* funcs */

typedef struct {
  guint32 name, file, line, module;
  guint8 kind;
} FuncKey;

static gboolean
func_equal (guint32 id, gconstpointer key, gpointer user_data)
{
  const PyroProfile *self = user_data;
  const FuncKey *k = key;
  return PYRO_COL (self->func_name, guint32, id) == k->name
         && PYRO_COL (self->func_file, guint32, id) == k->file
         && PYRO_COL (self->func_line, guint32, id) == k->line
         && PYRO_COL (self->func_module, guint32, id) == k->module
         && PYRO_COL (self->func_kind, guint8, id) == k->kind;
}

guint32
pyro_profile_add_func (PyroProfile *self, guint32 name, guint32 file, guint32 line,
                       guint32 module, PyroFuncKind kind)
{
  g_return_val_if_fail (self->func_index != NULL, PYRO_NONE);

  FuncKey key = { name, file, line, module, (guint8) kind };
  guint64 hash = pyro_hash_mix (pyro_hash_u32x2 (name, file) ^ ((guint64) line << 32 | module),
                                0x9e3779b97f4a7c15ull + kind);
  guint32 id = pyro_id_set_lookup (self->func_index, hash, &key, func_equal, self);
  if (id != PYRO_NONE)
    return id;

  id = self->func_name->len;
  g_array_append_val (self->func_name, key.name);
  g_array_append_val (self->func_file, key.file);
  g_array_append_val (self->func_line, key.line);
  g_array_append_val (self->func_module, key.module);
  g_array_append_val (self->func_kind, key.kind);
  pyro_id_set_insert (self->func_index, hash, id);
  return id;
}

/* frames */

typedef struct {
  guint32 func, line;
  guint64 address;
} FrameKey;

static gboolean
frame_equal (guint32 id, gconstpointer key, gpointer user_data)
{
  const PyroProfile *self = user_data;
  const FrameKey *k = key;
  return PYRO_COL (self->frame_func, guint32, id) == k->func
         && PYRO_COL (self->frame_line, guint32, id) == k->line
         && PYRO_COL (self->frame_address, guint64, id) == k->address;
}

guint32
pyro_profile_add_frame (PyroProfile *self, guint32 func, guint32 line, guint64 address)
{
  g_return_val_if_fail (self->frame_index != NULL, PYRO_NONE);

  FrameKey key = { func, line, address };
  guint64 hash = pyro_hash_mix (pyro_hash_u32x2 (func, line) ^ address, 0x94d049bb133111ebull);
  guint32 id = pyro_id_set_lookup (self->frame_index, hash, &key, frame_equal, self);
  if (id != PYRO_NONE)
    return id;

  id = self->frame_func->len;
  g_array_append_val (self->frame_func, func);
  g_array_append_val (self->frame_line, line);
  g_array_append_val (self->frame_address, address);
  pyro_id_set_insert (self->frame_index, hash, id);
  return id;
}

/* stacks */

guint32
pyro_profile_add_stack (PyroProfile *self, guint32 parent, guint32 frame)
{
  g_return_val_if_fail (self->stack_index != NULL, PYRO_NONE);

  guint32 id = pyro_trie_index_find (self->stack_index, parent, frame,
                                     (const guint32 *) self->stack_frame->data);
  if (id != PYRO_NONE)
    return id;

  id = self->stack_parent->len;
  g_array_append_val (self->stack_parent, parent);
  g_array_append_val (self->stack_frame, frame);
  pyro_trie_index_add (self->stack_index, parent, id, frame,
                       (const guint32 *) self->stack_frame->data);
  return id;
}

guint32
pyro_profile_add_stack_frames (PyroProfile *self, const guint32 *frames, guint n_frames)
{
  guint32 stack = PYRO_NONE;
  for (guint i = 0; i < n_frames; i++)
    stack = pyro_profile_add_stack (self, stack, frames[i]);
  return stack;
}

void
pyro_profile_add_sample (PyroProfile *self, gint64 time, guint32 stack, guint32 thread,
                         double weight)
{
  g_array_append_val (self->sample_time, time);
  g_array_append_val (self->sample_stack, stack);
  g_array_append_val (self->sample_thread, thread);
  g_array_append_val (self->sample_weight, weight);
}

void
pyro_profile_add_sample_bytes (PyroProfile *self, guint sample, double bytes)
{
  g_return_if_fail (sample < self->sample_weight->len);
  if (self->sample_bytes == NULL)
    self->sample_bytes = g_array_new (FALSE, TRUE, sizeof (double));
  if (self->sample_bytes->len < self->sample_weight->len)
    g_array_set_size (self->sample_bytes, self->sample_weight->len);
  g_array_index (self->sample_bytes, double, sample) += bytes;
}

void
pyro_profile_set_sample_flags (PyroProfile *self, guint sample, guint8 flags)
{
  g_return_if_fail (sample < self->sample_weight->len);
  if (self->sample_flags == NULL)
    self->sample_flags = g_array_new (FALSE, TRUE, sizeof (guint8));
  if (self->sample_flags->len < self->sample_weight->len)
    g_array_set_size (self->sample_flags, self->sample_weight->len);
  g_array_index (self->sample_flags, guint8, sample) = flags;
}

guint32
pyro_profile_add_thread (PyroProfile *self, guint32 pid, guint32 tid, const char *name,
                         const char *process_name)
{
  PyroThread thread = {
    .pid = pid,
    .tid = tid,
    .name = pyro_profile_intern (self, name),
    .process_name = pyro_profile_intern (self, process_name),
  };
  g_array_append_val (self->threads, thread);
  return self->threads->len - 1;
}

PyroCounter *
pyro_profile_add_counter (PyroProfile *self, const char *name, const char *unit)
{
  PyroCounter *counter = g_new0 (PyroCounter, 1);
  counter->name = pyro_profile_intern (self, name);
  counter->unit = pyro_profile_intern (self, unit);
  counter->times = COL (gint64);
  counter->values = COL (double);
  g_ptr_array_add (self->counters, counter);
  return counter;
}

void
pyro_counter_append (PyroCounter *counter, gint64 time, double value)
{
  g_array_append_val (counter->times, time);
  g_array_append_val (counter->values, value);
}

void
pyro_profile_add_mark (PyroProfile *self, const char *name, gint64 start, gint64 end,
                       guint32 thread)
{
  PyroMark mark = { pyro_profile_intern (self, name), start, end, thread };
  g_array_append_val (self->marks, mark);
}

void
pyro_profile_add_func_stats (PyroProfile *self, const PyroFuncStats *stats)
{
  self->has_call_stats = TRUE;
  g_array_append_val (self->func_stats, *stats);
}

void
pyro_profile_add_call_edge (PyroProfile *self, const PyroCallEdge *edge)
{
  self->has_call_stats = TRUE;
  g_array_append_val (self->call_edges, *edge);
}

const char *
pyro_profile_func_name (const PyroProfile *self, guint32 func)
{
  return pyro_profile_str (self, PYRO_COL (self->func_name, guint32, func));
}

const char *
pyro_profile_func_file (const PyroProfile *self, guint32 func)
{
  return pyro_profile_str (self, PYRO_COL (self->func_file, guint32, func));
}

guint32
pyro_profile_func_line (const PyroProfile *self, guint32 func)
{
  return PYRO_COL (self->func_line, guint32, func);
}

const char *
pyro_profile_func_module (const PyroProfile *self, guint32 func)
{
  return pyro_profile_str (self, PYRO_COL (self->func_module, guint32, func));
}

PyroFuncKind
pyro_profile_func_kind (const PyroProfile *self, guint32 func)
{
  return (PyroFuncKind) PYRO_COL (self->func_kind, guint8, func);
}

double
pyro_profile_total_weight (const PyroProfile *self)
{
  const double *w = (const double *) self->sample_weight->data;
  double total = 0;
  for (guint i = 0; i < self->sample_weight->len; i++)
    total += w[i];
  return total;
}

gboolean
pyro_profile_time_bounds (const PyroProfile *self, gint64 *start, gint64 *end)
{
  const gint64 *t = (const gint64 *) self->sample_time->data;
  guint n = self->sample_time->len;

  if (!self->meta.has_time || n == 0)
    return FALSE;
  gint64 lo = t[0], hi = t[0];
  for (guint i = 1; i < n; i++)
    {
      lo = MIN (lo, t[i]);
      hi = MAX (hi, t[i]);
    }
  *start = lo;
  *end = hi;
  return TRUE;
}

const char *
pyro_unit_to_string (PyroUnit unit)
{
  switch (unit)
    {
    case PYRO_UNIT_SECONDS: return "seconds";
    case PYRO_UNIT_BYTES: return "bytes";
    case PYRO_UNIT_SAMPLES:
    default: return "samples";
    }
}

const char *
pyro_func_kind_to_string (PyroFuncKind kind)
{
  switch (kind)
    {
    case PYRO_FUNC_NATIVE: return "native";
    case PYRO_FUNC_PYTHON: return "python";
    case PYRO_FUNC_KERNEL: return "kernel";
    case PYRO_FUNC_OTHER:
    default: return "other";
    }
}

void
pyro_profile_add_warning (PyroProfile *self, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}
