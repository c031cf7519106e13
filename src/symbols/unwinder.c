/* unwinder.c — DWARF CFI unwinding of copied user stacks with libdwfl's
 * dwfl_attach_state: registers come from the sample, memory from the stack
 * copy and, outside it, from the mapped ELF files.  One Dwfl per process,
 * rebuilt when the process's mappings change. */
#include "symbolizer-private.h"

#include <string.h>

struct _Unwinder {
  Dwfl *dwfl;
  guint generation;
  gboolean usable;
  Process *process;
  PyroSymbolizer *symbolizer;
  /* the sample being unwound */
  guint32 tid;
  Dwarf_Word dwarf_regs[17];
  guint64 sp;
  const guint8 *stack;
  gsize stack_size;
  guint64 *pcs;
  guint max;
  guint n;
};

static char *debuginfo_path = NULL;

static const Dwfl_Callbacks unwind_callbacks = {
  .find_elf = dwfl_build_id_find_elf,
  .find_debuginfo = dwfl_standard_find_debuginfo,
  .debuginfo_path = &debuginfo_path,
};

void
pyro_unwinder_free (Unwinder *u)
{
  if (u->dwfl != NULL)
    dwfl_end (u->dwfl);
  g_free (u);
}

static pid_t
next_thread (Dwfl *dwfl, void *arg, void **thread_arg)
{
  /* Only the sampled thread is ever asked for through get_thread. */
  return 0;
}

static bool
get_thread (Dwfl *dwfl, pid_t tid, void *arg, void **thread_arg)
{
  Unwinder *u = arg;
  *thread_arg = u;
  return (guint32) tid == u->tid;
}

static bool
read_file_word (Unwinder *u, Dwarf_Addr addr, Dwarf_Word *result)
{
  const Mapping *m = pyro_symbolizer_find_mapping (u->process, addr);
  if (m == NULL)
    return FALSE;
  PyroElfModule *elf = pyro_symbolizer_module_elf (m->module);
  if (elf == NULL || elf->mapped == NULL)
    return FALSE;
  guint64 offset = addr - m->start + m->pgoff;
  gsize len = g_mapped_file_get_length (elf->mapped);
  if (offset > len || len - offset < sizeof *result)
    return FALSE;
  memcpy (result, g_mapped_file_get_contents (elf->mapped) + offset, sizeof *result);
  return TRUE;
}

static bool
memory_read (Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
  Unwinder *u = arg;
  if (addr >= u->sp && addr - u->sp <= u->stack_size && u->stack_size - (addr - u->sp) >= sizeof *result)
    {
      memcpy (result, u->stack + (addr - u->sp), sizeof *result);
      return TRUE;
    }
  return read_file_word (u, addr, result);
}

static bool
set_initial_registers (Dwfl_Thread *thread, void *arg)
{
  Unwinder *u = arg;
  return dwfl_thread_state_registers (thread, 0, G_N_ELEMENTS (u->dwarf_regs), u->dwarf_regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
  .next_thread = next_thread,
  .get_thread = get_thread,
  .memory_read = memory_read,
  .set_initial_registers = set_initial_registers,
};

/* Load bias of mapping @m: where the segment it maps landed minus its link-time address. */
static gboolean
mapping_bias (const Mapping *m, PyroElfModule *elf, guint64 *bias)
{
  for (guint i = 0; i < elf->segments->len; i++)
    {
      const PyroElfSegment *s = &g_array_index (elf->segments, PyroElfSegment, i);
      guint64 seg_page = s->offset & ~(guint64) 0xfff;
      if (seg_page >= m->pgoff && seg_page - m->pgoff < m->end - m->start)
        {
          *bias = m->start + (s->offset - m->pgoff) - s->vaddr;
          return TRUE;
        }
    }
  return FALSE;
}

static void
rebuild (Unwinder *u)
{
  if (u->dwfl != NULL)
    dwfl_end (u->dwfl);
  u->dwfl = dwfl_begin (&unwind_callbacks);
  u->generation = u->process->generation;
  u->usable = FALSE;
  g_autoptr (GHashTable) reported = g_hash_table_new (NULL, NULL);
  dwfl_report_begin (u->dwfl);
  for (guint i = 0; i < u->process->mappings->len; i++)
    {
      const Mapping *m = &g_array_index (u->process->mappings, Mapping, i);
      if (g_hash_table_contains (reported, m->module))
        continue;
      PyroElfModule *elf = pyro_symbolizer_module_elf (m->module);
      guint64 bias;
      if (elf == NULL || !mapping_bias (m, elf, &bias))
        continue;
      if (dwfl_report_elf (u->dwfl, m->module->name, elf->opened_path, -1, bias, true) != NULL)
        g_hash_table_add (reported, m->module);
    }
  dwfl_report_end (u->dwfl, NULL, NULL);
  u->usable = g_hash_table_size (reported) > 0
              && dwfl_attach_state (u->dwfl, NULL, (pid_t) u->process->pid, &thread_callbacks, u);
}

static int
collect_frame (Dwfl_Frame *state, void *arg)
{
  Unwinder *u = arg;
  Dwarf_Addr pc;
  bool activation;
  if (!dwfl_frame_pc (state, &pc, &activation) || pc == 0)
    return DWARF_CB_ABORT;
  if (u->n > 0 && pc == u->pcs[u->n - 1] && u->n > 1)
    return DWARF_CB_ABORT; /* no progress: a broken CFI loop */
  u->pcs[u->n++] = pc;
  return u->n < u->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

/* perf's x86-64 register numbers (PERF_REG_X86_*) for each DWARF register
 * 0..16: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip. */
static const guint8 perf_reg_of_dwarf[17] = { 0, 3, 2, 1, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 8 };

guint
pyro_symbolizer_unwind (PyroSymbolizer *self, guint32 pid, guint32 tid, const guint64 *regs,
                        guint64 regs_mask, const guint8 *stack, gsize stack_size,
                        guint64 *pcs, guint max)
{
#if defined(__x86_64__)
  if (max == 0)
    return 0;
  guint64 dwarf_regs[17];
  for (guint i = 0; i < G_N_ELEMENTS (perf_reg_of_dwarf); i++)
    {
      guint bit = perf_reg_of_dwarf[i];
      if (!(regs_mask & (G_GUINT64_CONSTANT (1) << bit)))
        return 0;
      guint index = (guint) __builtin_popcountll (regs_mask & ((G_GUINT64_CONSTANT (1) << bit) - 1));
      dwarf_regs[i] = regs[index];
    }

  Process *p = pyro_symbolizer_process (self, pid, FALSE);
  if (p == NULL)
    {
      pcs[0] = dwarf_regs[16];
      return 1;
    }
  if (p->unwinder == NULL)
    {
      p->unwinder = g_new0 (Unwinder, 1);
      p->unwinder->process = p;
      p->unwinder->symbolizer = self;
      p->unwinder->generation = p->generation - 1;
    }
  Unwinder *u = p->unwinder;
  if (u->generation != p->generation || u->dwfl == NULL)
    rebuild (u);

  u->tid = tid;
  memcpy (u->dwarf_regs, dwarf_regs, sizeof dwarf_regs);
  u->sp = dwarf_regs[7];
  u->stack = stack;
  u->stack_size = stack_size;
  u->pcs = pcs;
  u->max = max;
  u->n = 0;
  if (u->usable)
    dwfl_getthread_frames (u->dwfl, (pid_t) tid, collect_frame, u);
  if (u->n == 0)
    pcs[u->n++] = dwarf_regs[16];
  u->stack = NULL;
  return u->n;
#else
  return 0;
#endif
}
