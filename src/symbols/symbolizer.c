#include "symbolizer-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* A resolved address: its frames, innermost first, strings in the chunk. */
typedef struct {
  guint n;
  PyroSymbolFrame frames[];
} Resolved;

#define MAX_INLINE_DEPTH 32

static void
module_free (Module *m)
{
  g_hash_table_unref (m->cache);
  pyro_elf_module_free (m->elf);
  g_free (m->path);
  g_free (m);
}

static void
process_free (Process *p)
{
  g_array_unref (p->mappings);
  pyro_jit_map_free (p->jit);
  if (p->unwinder != NULL)
    pyro_unwinder_free (p->unwinder);
  g_free (p);
}

/* What a symbolizer hands back to its cache: everything but the mappings. */
struct _PyroSymbolCache {
  gint ref_count;
  GMutex lock;
  gboolean lent;
  GHashTable *modules;       /* NULL until a symbolizer gave them back */
  GStringChunk *strings;
  PyroKernelSymbols *kernel;
  gboolean kernel_loaded;
  gboolean kernel_mismatch;
  GBytes *kernel_build_id;
};

static GPrivate thread_cache;

PyroSymbolCache *
pyro_symbol_cache_new (void)
{
  PyroSymbolCache *self = g_new0 (PyroSymbolCache, 1);
  self->ref_count = 1;
  g_mutex_init (&self->lock);
  return self;
}

PyroSymbolCache *
pyro_symbol_cache_ref (PyroSymbolCache *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
pyro_symbol_cache_unref (PyroSymbolCache *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_clear_pointer (&self->modules, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  pyro_kernel_symbols_free (self->kernel);
  g_clear_pointer (&self->kernel_build_id, g_bytes_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
pyro_symbol_cache_set_thread_default (PyroSymbolCache *cache)
{
  g_private_set (&thread_cache, cache);
}

/* Takes the cache's modules when no other symbolizer holds them. */
static void
borrow (PyroSymbolizer *self, PyroSymbolCache *cache)
{
  g_mutex_lock (&cache->lock);
  if (!cache->lent)
    {
      cache->lent = TRUE;
      self->cache = pyro_symbol_cache_ref (cache);
      self->modules = g_steal_pointer (&cache->modules);
      self->strings = g_steal_pointer (&cache->strings);
      self->kernel = g_steal_pointer (&cache->kernel);
      self->kernel_loaded = cache->kernel_loaded;
      self->kernel_mismatch = cache->kernel_mismatch;
      self->kernel_build_id = g_steal_pointer (&cache->kernel_build_id);
    }
  g_mutex_unlock (&cache->lock);
}

static void
give_back (PyroSymbolizer *self)
{
  PyroSymbolCache *cache = self->cache;
  g_mutex_lock (&cache->lock);
  cache->modules = g_steal_pointer (&self->modules);
  cache->strings = g_steal_pointer (&self->strings);
  cache->kernel = g_steal_pointer (&self->kernel);
  cache->kernel_loaded = self->kernel_loaded;
  cache->kernel_mismatch = self->kernel_mismatch;
  cache->kernel_build_id = g_steal_pointer (&self->kernel_build_id);
  cache->lent = FALSE;
  g_mutex_unlock (&cache->lock);
  g_clear_pointer (&self->cache, pyro_symbol_cache_unref);
}

PyroSymbolizer *
pyro_symbolizer_new (void)
{
  PyroSymbolizer *self = g_new0 (PyroSymbolizer, 1);
  self->processes = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) process_free);
  PyroSymbolCache *cache = g_private_get (&thread_cache);
  if (cache != NULL)
    borrow (self, cache);
  if (self->modules == NULL)
    self->modules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) module_free);
  if (self->strings == NULL)
    self->strings = g_string_chunk_new (1 << 16);
  return self;
}

void
pyro_symbolizer_free (PyroSymbolizer *self)
{
  if (self == NULL)
    return;
  /* Processes first: their unwinders read the modules. */
  g_hash_table_unref (self->processes);
  if (self->cache != NULL)
    give_back (self);
  g_clear_pointer (&self->modules, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  pyro_kernel_symbols_free (self->kernel);
  g_clear_pointer (&self->kernel_build_id, g_bytes_unref);
  g_free (self);
}

Process *
pyro_symbolizer_process (PyroSymbolizer *self, guint32 pid, gboolean create)
{
  Process *p = g_hash_table_lookup (self->processes, GUINT_TO_POINTER (pid));
  if (p == NULL && create)
    {
      p = g_new0 (Process, 1);
      p->pid = pid;
      p->mappings = g_array_new (FALSE, FALSE, sizeof (Mapping));
      g_hash_table_insert (self->processes, GUINT_TO_POINTER (pid), p);
    }
  return p;
}

/* Index of the first mapping whose start is greater than @address. */
static guint
upper_bound (GArray *mappings, guint64 address)
{
  guint lo = 0, hi = mappings->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (mappings, Mapping, mid).start <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

const Mapping *
pyro_symbolizer_find_mapping (Process *process, guint64 address)
{
  if (process == NULL)
    return NULL;
  guint i = upper_bound (process->mappings, address);
  if (i == 0)
    return NULL;
  const Mapping *m = &g_array_index (process->mappings, Mapping, i - 1);
  return address < m->end ? m : NULL;
}

static Module *
get_module (PyroSymbolizer *self, const char *path, const guint8 *build_id, gsize build_id_len)
{
  Module *m = g_hash_table_lookup (self->modules, path);
  if (m == NULL)
    {
      m = g_new0 (Module, 1);
      m->path = g_strdup (path);
      g_autofree char *base = g_path_get_basename (path);
      m->name = g_string_chunk_insert_const (self->strings, base);
      m->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      g_hash_table_insert (self->modules, m->path, m);
    }
  if (m->build_id_len == 0 && build_id != NULL && build_id_len > 0 && m->elf == NULL)
    {
      m->build_id_len = MIN (build_id_len, sizeof m->build_id);
      memcpy (m->build_id, build_id, m->build_id_len);
    }
  return m;
}

void
pyro_symbolizer_add_mapping (PyroSymbolizer *self, guint32 pid, guint64 start, guint64 end,
                             guint64 pgoff, const char *path, const guint8 *build_id,
                             gsize build_id_len)
{
  if (end <= start || path == NULL)
    return;
  Process *p = pyro_symbolizer_process (self, pid, TRUE);
  Module *module = get_module (self, path, build_id, build_id_len);

  /* A new mapping replaces whatever it overlaps, as mmap does: trim or
   * split the old ones. */
  GArray *kept = g_array_sized_new (FALSE, FALSE, sizeof (Mapping), p->mappings->len + 2);
  for (guint i = 0; i < p->mappings->len; i++)
    {
      Mapping old = g_array_index (p->mappings, Mapping, i);
      if (old.end <= start || old.start >= end)
        {
          g_array_append_val (kept, old);
          continue;
        }
      if (old.start < start)
        {
          Mapping left = old;
          left.end = start;
          g_array_append_val (kept, left);
        }
      if (old.end > end)
        {
          Mapping right = old;
          right.pgoff += end - old.start;
          right.start = end;
          g_array_append_val (kept, right);
        }
    }
  Mapping m = { start, end, pgoff, module };
  guint at = upper_bound (kept, start);
  g_array_insert_val (kept, at, m);
  g_array_unref (p->mappings);
  p->mappings = kept;
  p->generation++;
}

void
pyro_symbolizer_fork (PyroSymbolizer *self, guint32 parent, guint32 child)
{
  if (parent == child)
    return;
  Process *from = pyro_symbolizer_process (self, parent, FALSE);
  if (from == NULL)
    return;
  Process *to = pyro_symbolizer_process (self, child, TRUE);
  g_array_set_size (to->mappings, 0);
  g_array_append_vals (to->mappings, from->mappings->data, from->mappings->len);
  to->generation++;
}

void
pyro_symbolizer_forget (PyroSymbolizer *self, guint32 pid)
{
  g_hash_table_remove (self->processes, GUINT_TO_POINTER (pid));
}

PyroElfModule *
pyro_symbolizer_module_elf (Module *module)
{
  if (module->elf == NULL)
    module->elf = pyro_elf_module_open (module->path, module->build_id_len ? module->build_id : NULL,
                                        module->build_id_len);
  return module->elf->state == PYRO_ELF_MODULE_OK ? module->elf : NULL;
}

/* Files that are not on disk: anonymous memory, the vdso, memfds. */
static gboolean
is_pseudo_path (const char *path)
{
  /* The vdso has a build id: perf keeps its image in the build-id cache. */
  if (g_str_equal (path, "[vdso]"))
    return FALSE;
  return path[0] != '/' || g_str_has_prefix (path, "//anon") || g_str_has_prefix (path, "/memfd:")
         || g_str_has_prefix (path, "/dev/zero") || g_str_has_prefix (path, "/SYSV");
}

static guint
unknown_frame (PyroSymbolizer *self, const char *module_name, const char *module_path,
               guint64 offset, const char *problem, PyroSymbolFrame *out)
{
  char buf[64];
  g_snprintf (buf, sizeof buf, "+0x%" G_GINT64_MODIFIER "x", offset);
  g_autofree char *name = g_strconcat (module_name, buf, NULL);
  memset (out, 0, sizeof *out);
  out->function = g_string_chunk_insert_const (self->strings, name);
  out->module = module_path;
  out->problem = problem;
  return 1;
}

static const char *
jit_lookup (PyroSymbolizer *self, Process *p, guint32 pid, guint64 address)
{
  if (p == NULL)
    return NULL;
  if (!p->jit_loaded)
    {
      g_autofree char *path = g_strdup_printf ("%s/perf-%u.map", g_get_tmp_dir (), pid);
      p->jit = pyro_jit_map_load (path);
      p->jit_loaded = TRUE;
    }
  return p->jit != NULL ? pyro_jit_map_lookup (p->jit, address) : NULL;
}

static const char *
problem_of (const PyroElfModule *elf)
{
  switch (elf->state)
    {
    case PYRO_ELF_MODULE_MISSING: return N_ ("not found");
    case PYRO_ELF_MODULE_NOT_ELF: return N_ ("not an ELF file");
    case PYRO_ELF_MODULE_BUILD_ID_MISMATCH: return N_ ("build id differs from the recorded one");
    case PYRO_ELF_MODULE_OK:
    default: return elf->has_dwarf ? NULL : N_ ("no debug info (no lines, no inline frames)");
    }
}

guint
pyro_symbolizer_resolve (PyroSymbolizer *self, guint32 pid, guint64 address,
                         PyroSymbolFrame *out, guint max)
{
  if (max == 0)
    return 0;
  Process *p = pyro_symbolizer_process (self, pid, FALSE);
  const Mapping *map = pyro_symbolizer_find_mapping (p, address);

  if (map == NULL || is_pseudo_path (map->module->path))
    {
      const char *jit = jit_lookup (self, p, pid, address);
      if (jit != NULL)
        {
          memset (out, 0, sizeof *out);
          out->function = jit;
          out->module = g_string_chunk_insert_const (self->strings, "[jit]");
          return 1;
        }
      /* Outside every file: a broken frame-pointer chain gives stack and
       * heap addresses.  One name per region, not one per address. */
      memset (out, 0, sizeof *out);
      out->function = map != NULL ? map->module->name
                                  : g_string_chunk_insert_const (self->strings, "[unknown]");
      out->module = map != NULL ? map->module->path : NULL;
      return 1;
    }

  Module *module = map->module;
  guint64 offset = address - map->start + map->pgoff;
  PyroElfModule *elf = pyro_symbolizer_module_elf (module);
  guint64 vaddr;
  if (elf == NULL)
    return unknown_frame (self, module->name, module->path, offset, problem_of (module->elf), out);
  if (!pyro_elf_module_offset_to_vaddr (elf, offset, &vaddr))
    return unknown_frame (self, module->name, module->path, offset, NULL, out);

  Resolved *r = g_hash_table_lookup (module->cache, &vaddr);
  if (r == NULL)
    {
      PyroElfFrame frames[MAX_INLINE_DEPTH];
      guint n = pyro_elf_module_resolve (elf, vaddr, self->strings, frames, MAX_INLINE_DEPTH);
      const char *problem = problem_of (elf);
      r = g_malloc0 (sizeof (Resolved) + MAX (n, 1) * sizeof (PyroSymbolFrame));
      if (n == 0)
        {
          unknown_frame (self, module->name, module->path, vaddr, problem, &r->frames[0]);
          n = 1;
        }
      else
        for (guint i = 0; i < n; i++)
          r->frames[i] = (PyroSymbolFrame) {
            .function = frames[i].function,
            .file = frames[i].file,
            .line = frames[i].line,
            .module = module->path,
            .inlined = frames[i].inlined,
            .function_line = frames[i].function_line,
            .problem = problem,
          };
      r->n = n;
      g_hash_table_insert (module->cache, g_memdup2 (&vaddr, sizeof vaddr), r);
    }
  guint n = MIN (r->n, max);
  memcpy (out, r->frames, n * sizeof (PyroSymbolFrame));
  /* When truncated, keep the outer (real) function as the last frame. */
  if (n < r->n)
    out[n - 1] = r->frames[r->n - 1];
  return n;
}

void
pyro_symbolizer_set_kernel_build_id (PyroSymbolizer *self, const guint8 *build_id,
                                     gsize build_id_len)
{
  g_autoptr (GBytes) wanted = build_id != NULL && build_id_len > 0 ? g_bytes_new (build_id, build_id_len) : NULL;
  gboolean same = wanted == NULL ? self->kernel_build_id == NULL
                  : self->kernel_build_id != NULL && g_bytes_equal (wanted, self->kernel_build_id);
  /* Symbols kept from a read of another kernel's recording do not apply. */
  if (!same && self->kernel_loaded)
    {
      g_clear_pointer (&self->kernel, pyro_kernel_symbols_free);
      self->kernel_loaded = FALSE;
      self->kernel_mismatch = FALSE;
    }
  g_clear_pointer (&self->kernel_build_id, g_bytes_unref);
  self->kernel_build_id = g_steal_pointer (&wanted);
}

static gboolean
same_build_id (GBytes *recorded, GBytes *running)
{
  gsize a_len, b_len;
  const guint8 *a = g_bytes_get_data (recorded, &a_len);
  const guint8 *b = g_bytes_get_data (running, &b_len);
  gsize n = MIN (a_len, b_len);
  if (memcmp (a, b, n) != 0)
    return FALSE;
  for (gsize i = n; i < a_len; i++)
    if (a[i] != 0)
      return FALSE;
  return TRUE;
}

static char *kernel_symbols_file;

void
pyro_symbolizer_set_symfs (const char *dir)
{
  pyro_elf_module_set_symfs (dir);
}

void
pyro_symbolizer_set_kernel_symbols_file (const char *path)
{
  g_free (kernel_symbols_file);
  kernel_symbols_file = g_strdup (path);
}

guint
pyro_symbolizer_resolve_kernel (PyroSymbolizer *self, guint64 address, PyroSymbolFrame *out,
                                guint max)
{
  static const char kernel_module[] = "[kernel.kallsyms]";
  if (max == 0)
    return 0;
  if (!self->kernel_loaded && kernel_symbols_file != NULL)
    {
      self->kernel_loaded = TRUE;
      self->kernel = pyro_kernel_symbols_load (kernel_symbols_file, NULL);
    }
  if (!self->kernel_loaded)
    {
      self->kernel_loaded = TRUE;
      /* perf record keeps the recorded kernel's symbols in its build-id
       * cache: exact for that kernel, and far faster to read than
       * /proc/kallsyms, which the kernel formats line by line. */
      if (self->kernel_build_id != NULL)
        {
          gsize len;
          const guint8 *bid = g_bytes_get_data (self->kernel_build_id, &len);
          GString *hex = g_string_new (NULL);
          for (gsize i = 0; i < len && i < 20; i++)
            g_string_append_printf (hex, "%02x", bid[i]);
          g_autofree char *hex_text = g_string_free (hex, FALSE);
          g_autofree char *cached = g_build_filename (g_get_home_dir (), ".debug", "[kernel.kallsyms]",
                                                      hex_text, "kallsyms", NULL);
          self->kernel = pyro_kernel_symbols_load (cached, NULL);
        }
      if (self->kernel == NULL && self->kernel_build_id != NULL)
        {
          g_autoptr (GBytes) running = pyro_kernel_build_id ();
          self->kernel_mismatch = running != NULL && !same_build_id (self->kernel_build_id, running);
        }
      if (self->kernel == NULL && !self->kernel_mismatch)
        self->kernel = pyro_kernel_symbols_load ("/proc/kallsyms", NULL);
    }
  const char *name, *module;
  guint64 offset;
  if (self->kernel != NULL && pyro_kernel_symbols_lookup (self->kernel, address, &name, &module, &offset))
    {
      memset (out, 0, sizeof *out);
      out->function = name;
      out->module = module;
      return 1;
    }
  const char *problem = self->kernel_mismatch ? N_ ("recorded on another kernel")
                        : self->kernel == NULL ? N_ ("kernel symbols not readable (kernel.kptr_restrict)")
                        : NULL;
  return unknown_frame (self, kernel_module, kernel_module, address, problem, out);
}
