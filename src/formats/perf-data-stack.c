/* perf-data-stack.c — a sample's addresses (callchain, or the user stack
 * unwound with DWARF CFI) turned into a stack of the profile: each address
 * symbolized once, inline frames each their own frame, kernel frames above
 * user frames. */
#include "perf-data-private.h"

#include <string.h>
#include <glib/gi18n.h>
#include <inttypes.h>

#define MAX_FRAMES_PER_ADDRESS 32
#define MAX_UNWIND_DEPTH 512
#define KERNEL_PID G_MAXUINT32

typedef struct {
  guint32 start;    /* into frame_ids, innermost first */
  guint32 n;
  guint32 problem;  /* index into the problem tables, or PYRO_NONE */
} Resolved;

/* Open addressing from (pid, address) to a Resolved index. */
typedef struct {
  guint64 address;
  guint32 pid;
  guint32 value;    /* Resolved index + 1; 0 = empty */
} Slot;

struct _PerfStacks {
  PyroProfile *profile;
  PyroSymbolizer *symbolizer;
  Slot *slots;
  gsize n_slots;    /* power of two */
  gsize n_used;
  GArray *resolved;     /* Resolved */
  GArray *frame_ids;    /* guint32 */
  GArray *chain;        /* guint32 frame ids of the current sample, innermost first */
  guint64 pcs[MAX_UNWIND_DEPTH];
  /* modules with missing names or lines */
  GHashTable *problem_index;  /* "module\nproblem" -> index + 1 */
  GPtrArray *problem_keys;    /* char *, owned by problem_index */
  GArray *problem_samples;    /* guint64 */
  GArray *problem_stamp;      /* guint64: last sample counted */
  guint64 sample_no;
};

PerfStacks *
perf_stacks_new (PyroProfile *profile, PyroSymbolizer *symbolizer)
{
  PerfStacks *s = g_new0 (PerfStacks, 1);
  s->profile = profile;
  s->symbolizer = symbolizer;
  s->n_slots = 1 << 12;
  s->slots = g_new0 (Slot, s->n_slots);
  s->resolved = g_array_new (FALSE, FALSE, sizeof (Resolved));
  s->frame_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  s->chain = g_array_new (FALSE, FALSE, sizeof (guint32));
  s->problem_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->problem_keys = g_ptr_array_new ();
  s->problem_samples = g_array_new (FALSE, TRUE, sizeof (guint64));
  s->problem_stamp = g_array_new (FALSE, TRUE, sizeof (guint64));
  return s;
}

void
perf_stacks_free (PerfStacks *s)
{
  if (s == NULL)
    return;
  g_free (s->slots);
  g_array_unref (s->resolved);
  g_array_unref (s->frame_ids);
  g_array_unref (s->chain);
  g_hash_table_unref (s->problem_index);
  g_ptr_array_unref (s->problem_keys);
  g_array_unref (s->problem_samples);
  g_array_unref (s->problem_stamp);
  g_free (s);
}

static inline gsize
slot_hash (guint32 pid, guint64 address)
{
  guint64 h = (address ^ ((guint64) pid << 40) ^ pid) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  return (gsize) (h ^ (h >> 29));
}

static Slot *
find_slot (Slot *slots, gsize n_slots, guint32 pid, guint64 address)
{
  gsize mask = n_slots - 1;
  for (gsize i = slot_hash (pid, address) & mask;; i = (i + 1) & mask)
    if (slots[i].value == 0 || (slots[i].address == address && slots[i].pid == pid))
      return &slots[i];
}

static void
grow (PerfStacks *s)
{
  gsize n = s->n_slots * 2;
  Slot *slots = g_new0 (Slot, n);
  for (gsize i = 0; i < s->n_slots; i++)
    if (s->slots[i].value != 0)
      *find_slot (slots, n, s->slots[i].pid, s->slots[i].address) = s->slots[i];
  g_free (s->slots);
  s->slots = slots;
  s->n_slots = n;
}

static guint32
problem_for (PerfStacks *s, const PyroSymbolFrame *f)
{
  if (f->problem == NULL || f->module == NULL)
    return PYRO_NONE;
  g_autofree char *key = g_strconcat (f->module, "\n", f->problem, NULL);
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (s->problem_index, key));
  if (idx == 0)
    {
      g_ptr_array_add (s->problem_keys, key);
      g_hash_table_insert (s->problem_index, g_steal_pointer (&key),
                           GUINT_TO_POINTER (s->problem_keys->len));
      g_array_set_size (s->problem_samples, s->problem_keys->len);
      g_array_set_size (s->problem_stamp, s->problem_keys->len);
      idx = s->problem_keys->len;
    }
  return idx - 1;
}

static PyroFuncKind
kind_of (const PyroSymbolFrame *f, gboolean kernel)
{
  if (kernel)
    return PYRO_FUNC_KERNEL;
  /* Python 3.12 -X perf names its trampolines "py::function:file". */
  if (g_str_has_prefix (f->function, "py::"))
    return PYRO_FUNC_PYTHON;
  return PYRO_FUNC_NATIVE;
}

static const Resolved *
resolve (PerfStacks *s, guint32 pid, guint64 address, gboolean kernel)
{
  guint32 key_pid = kernel ? KERNEL_PID : pid;
  Slot *slot = find_slot (s->slots, s->n_slots, key_pid, address);
  if (slot->value != 0)
    return &g_array_index (s->resolved, Resolved, slot->value - 1);

  PyroSymbolFrame frames[MAX_FRAMES_PER_ADDRESS];
  guint n = kernel ? pyro_symbolizer_resolve_kernel (s->symbolizer, address, frames, MAX_FRAMES_PER_ADDRESS)
                   : pyro_symbolizer_resolve (s->symbolizer, pid, address, frames, MAX_FRAMES_PER_ADDRESS);
  Resolved r = { s->frame_ids->len, n, PYRO_NONE };
  PyroProfile *p = s->profile;
  for (guint i = 0; i < n; i++)
    {
      const PyroSymbolFrame *f = &frames[i];
      guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, f->function),
                                            f->file != NULL ? pyro_profile_intern (p, f->file) : 0,
                                            f->function_line,
                                            f->module != NULL ? pyro_profile_intern (p, f->module) : 0,
                                            kind_of (f, kernel));
      guint32 frame = pyro_profile_add_frame (p, func, f->line, 0);
      g_array_append_val (s->frame_ids, frame);
      if (r.problem == PYRO_NONE)
        r.problem = problem_for (s, f);
    }
  g_array_append_val (s->resolved, r);
  slot->pid = key_pid;
  slot->address = address;
  slot->value = s->resolved->len;
  if (++s->n_used * 2 > s->n_slots)
    grow (s);
  return &g_array_index (s->resolved, Resolved, s->resolved->len - 1);
}

static void
push_address (PerfStacks *s, guint32 pid, guint64 address, gboolean kernel, gboolean leaf)
{
  /* A caller's address is the return address: the call is the byte before. */
  const Resolved *r = resolve (s, pid, leaf || address == 0 ? address : address - 1, kernel);
  g_array_append_vals (s->chain, &g_array_index (s->frame_ids, guint32, r->start), r->n);
  if (r->problem != PYRO_NONE)
    {
      guint64 *stamp = &g_array_index (s->problem_stamp, guint64, r->problem);
      if (*stamp != s->sample_no)
        {
          *stamp = s->sample_no;
          g_array_index (s->problem_samples, guint64, r->problem)++;
        }
    }
}

guint32
perf_stacks_add_sample (PerfStacks *s, const PerfSample *sample, gboolean user_regs_x86_64)
{
  s->sample_no++;
  g_array_set_size (s->chain, 0);
  guint cpumode = sample->misc & PERF_RECORD_MISC_CPUMODE_MASK;
  gboolean kernel = cpumode == PERF_RECORD_MISC_KERNEL;
  gboolean had_user = FALSE, skip = FALSE, leaf = TRUE;
  gboolean can_unwind = user_regs_x86_64 && sample->regs != NULL && sample->stack != NULL
                        && sample->regs_abi == PERF_SAMPLE_REGS_ABI_64;

  if (sample->callchain != NULL && sample->callchain_nr > 0)
    {
      for (guint64 i = 0; i < sample->callchain_nr; i++)
        {
          guint64 ip;
          memcpy (&ip, sample->callchain + i, sizeof ip);
          if (ip >= (guint64) PERF_CONTEXT_MAX)
            {
              kernel = ip == (guint64) PERF_CONTEXT_KERNEL;
              skip = ip != (guint64) PERF_CONTEXT_KERNEL && ip != (guint64) PERF_CONTEXT_USER;
              continue;
            }
          if (skip)
            continue;
          had_user |= !kernel;
          push_address (s, sample->pid, ip, kernel, leaf);
          leaf = FALSE;
        }
    }
  else if (sample->ip != 0 && (kernel || !can_unwind))
    {
      had_user = !kernel;
      push_address (s, sample->pid, sample->ip, kernel, TRUE);
      leaf = FALSE;
    }

  if (!had_user && can_unwind)
    {
      guint n = pyro_symbolizer_unwind (s->symbolizer, sample->pid, sample->tid, sample->regs,
                                        sample->regs_mask, sample->stack, sample->stack_size,
                                        s->pcs, MAX_UNWIND_DEPTH);
      for (guint i = 0; i < n; i++)
        {
          push_address (s, sample->pid, s->pcs[i], FALSE, leaf);
          leaf = FALSE;
        }
    }

  if (s->chain->len == 0)
    return PYRO_NONE;
  guint32 stack = PYRO_NONE;
  const guint32 *ids = (const guint32 *) s->chain->data;
  for (guint i = s->chain->len; i > 0; i--)
    stack = pyro_profile_add_stack (s->profile, stack, ids[i - 1]);
  return stack;
}

typedef struct {
  guint64 samples;
  guint index;
} ProblemCount;

static int
compare_desc (gconstpointer a, gconstpointer b)
{
  guint64 x = ((const ProblemCount *) a)->samples, y = ((const ProblemCount *) b)->samples;
  return x < y ? 1 : x > y ? -1 : 0;
}

void
perf_stacks_report_problems (PerfStacks *s, PyroProfile *profile, guint64 n_samples)
{
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (ProblemCount));
  for (guint i = 0; i < s->problem_keys->len; i++)
    {
      ProblemCount c = { g_array_index (s->problem_samples, guint64, i), i };
      if (c.samples > 0)
        g_array_append_val (order, c);
    }
  g_array_sort (order, compare_desc);
  for (guint k = 0; k < order->len; k++)
    {
      const ProblemCount *c = &g_array_index (order, ProblemCount, k);
      const char *key = g_ptr_array_index (s->problem_keys, c->index);
      const char *nl = strchr (key, '\n');
      g_autofree char *module = g_strndup (key, (gsize) (nl - key));
      pyro_profile_add_warning (profile, _("%s: %s; %" PRIu64 " samples (%.1f%%)"),
                                module, _(nl + 1), c->samples,
                                n_samples > 0 ? 100.0 * (double) c->samples / (double) n_samples : 0.0);
    }
}
