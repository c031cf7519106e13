/* cpython-target.c — finding CPython's runtime in another process. */
#define _GNU_SOURCE
#include "sampler/cpython-target.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <gio/gio.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define IOV_BATCH 256

struct _PyroCPythonTarget {
  guint32 pid;
  guint32 version;
  char *binary;
  PyroCPythonLayout layout;
  guint64 runtime;
  guint64 code_type;
  guint64 eval_start;
  guint64 eval_end;
  int mem_fd;           /* /proc/PID/mem, opened when process_vm_readv is refused */
  gboolean use_mem_fd;
};

typedef struct {
  guint64 runtime;
  guint64 version;
  guint64 code_type;
  guint64 eval_start;
  guint64 eval_size;
  gboolean has_runtime;
  gboolean has_version;
  guint64 load_vaddr;   /* page-aligned p_vaddr of the first PT_LOAD */
  gboolean runtime_loaded; /* _PyRuntime lies in a PT_LOAD */
  gboolean runtime_in_file; /* ... in its file contents, not its zero-filled tail */
  guint64 runtime_offset;  /* file offset of _PyRuntime's initial contents */
} ElfFacts;

char *
pyro_cpython_permission_message (guint32 pid)
{
  return g_strdup_printf ("Not allowed to read the memory of process %u: reading another "
                          "process needs ptrace rights over it. Run pyrometer as the same "
                          "user as the target with ptrace allowed (sudo sysctl "
                          "kernel.yama.ptrace_scope=0), or as root, or give it "
                          "CAP_SYS_PTRACE (sudo setcap cap_sys_ptrace+ep $(which pyrometer))",
                          pid);
}

static void
set_permission_error (GError **error, guint32 pid)
{
  g_autofree char *msg = pyro_cpython_permission_message (pid);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, msg);
}

static char
process_state (guint32 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *text = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  paren = strrchr (text, ')');
  if (paren == NULL || paren[1] == '\0' || paren[2] == '\0')
    return 0;
  return paren[2];
}

gboolean
pyro_cpython_target_alive (const PyroCPythonTarget *self)
{
  char state = process_state (self->pid);
  return state != 0 && state != 'Z' && state != 'X';
}

static char *
process_name (guint32 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/comm", pid);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("?");
  return g_strchomp (text);
}

static gboolean
read_elf_facts (const char *path, ElfFacts *facts)
{
  int fd;
  Elf *elf;
  Elf_Scn *scn = NULL;
  size_t n_phdr = 0;
  gboolean have_load = FALSE;
  long page = sysconf (_SC_PAGESIZE);

  memset (facts, 0, sizeof *facts);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  elf_version (EV_CURRENT);
  elf = elf_begin (fd, ELF_C_READ_MMAP, NULL);
  if (elf == NULL || elf_kind (elf) != ELF_K_ELF)
    {
      if (elf != NULL)
        elf_end (elf);
      close (fd);
      return FALSE;
    }

  if (elf_getphdrnum (elf, &n_phdr) == 0)
    for (size_t i = 0; i < n_phdr && !have_load; i++)
      {
        GElf_Phdr phdr;
        if (gelf_getphdr (elf, (int) i, &phdr) != NULL && phdr.p_type == PT_LOAD)
          {
            facts->load_vaddr = phdr.p_vaddr & ~(guint64) (page - 1);
            have_load = TRUE;
          }
      }

  while ((scn = elf_nextscn (elf, scn)) != NULL)
    {
      GElf_Shdr shdr;
      Elf_Data *data;

      if (gelf_getshdr (scn, &shdr) == NULL)
        continue;
      if (shdr.sh_type != SHT_DYNSYM && shdr.sh_type != SHT_SYMTAB)
        continue;
      if (shdr.sh_entsize == 0 || (data = elf_getdata (scn, NULL)) == NULL)
        continue;
      for (size_t i = 0; i < shdr.sh_size / shdr.sh_entsize; i++)
        {
          GElf_Sym sym;
          const char *name;

          if (gelf_getsym (data, (int) i, &sym) == NULL || sym.st_shndx == SHN_UNDEF)
            continue;
          name = elf_strptr (elf, shdr.sh_link, sym.st_name);
          if (name == NULL || name[0] == '\0')
            continue;
          if (strcmp (name, "_PyRuntime") == 0)
            {
              facts->runtime = sym.st_value;
              facts->has_runtime = TRUE;
            }
          else if (strcmp (name, "Py_Version") == 0)
            {
              facts->version = sym.st_value;
              facts->has_version = TRUE;
            }
          else if (strcmp (name, "PyCode_Type") == 0)
            facts->code_type = sym.st_value;
          else if (strcmp (name, "_PyEval_EvalFrameDefault") == 0)
            {
              facts->eval_start = sym.st_value;
              facts->eval_size = sym.st_size;
            }
        }
    }
  if (facts->has_runtime)
    for (size_t i = 0; i < n_phdr && !facts->runtime_loaded; i++)
      {
        GElf_Phdr phdr;
        if (gelf_getphdr (elf, (int) i, &phdr) != NULL && phdr.p_type == PT_LOAD &&
            facts->runtime >= phdr.p_vaddr && facts->runtime < phdr.p_vaddr + phdr.p_memsz)
          {
            facts->runtime_loaded = TRUE;
            facts->runtime_in_file = facts->runtime < phdr.p_vaddr + phdr.p_filesz;
            facts->runtime_offset = facts->runtime - phdr.p_vaddr + phdr.p_offset;
          }
      }
  elf_end (elf);
  close (fd);
  return have_load;
}

typedef struct {
  char *path;
  guint64 start;
  guint64 end;
  guint64 offset;   /* file offset mapped at start */
  gboolean writable;
} Mapping;

static void
mapping_clear (gpointer data)
{
  g_free (((Mapping *) data)->path);
}

/* Every mapping, in address order; anonymous ones have an empty path. */
static GArray *
read_mappings (guint32 pid, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/maps", pid);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;
  GArray *maps;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_ACCES) ||
          g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_PERM))
        set_permission_error (error, pid);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "No process with PID %u (%s)", pid, local->message);
      return NULL;
    }
  maps = g_array_new (FALSE, TRUE, sizeof (Mapping));
  g_array_set_clear_func (maps, mapping_clear);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 start, end, offset;
      char perms[8];
      int consumed = 0;
      Mapping m;
      const char *file;

      if (sscanf (lines[i], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x %7s %"
                  G_GINT64_MODIFIER "x %*s %*s %n", &start, &end, perms, &offset, &consumed) < 4 ||
          consumed == 0)
        continue;
      file = lines[i] + consumed;
      m.path = g_strdup (file);
      m.start = start;
      m.end = end;
      m.offset = offset;
      m.writable = perms[1] == 'w';
      g_array_append_val (maps, m);
    }
  return maps;
}

static gboolean
is_libpython (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  return g_str_has_prefix (base, "libpython3");
}

/* "3.10" from ".../libpython3.10.so.1.0" or ".../python3.10", else NULL. */
static char *
version_from_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *p = strstr (base, "python");
  guint major, minor;

  if (p != NULL && sscanf (p, "python%u.%u", &major, &minor) == 2)
    return g_strdup_printf ("%u.%u", major, minor);
  return NULL;
}

static char *
supported_versions (void)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < pyro_cpython_n_layouts; i++)
    g_string_append_printf (s, "%s%u.%u", i ? ", " : "",
                            pyro_cpython_layouts[i].version_hex >> 24,
                            (pyro_cpython_layouts[i].version_hex >> 16) & 0xff);
  return g_string_free (s, FALSE);
}

static char *
version_string (guint32 hex)
{
  return g_strdup_printf ("%u.%u.%u", hex >> 24, (hex >> 16) & 0xff, (hex >> 8) & 0xff);
}

static guint64
field_u64 (const guint8 *buf, guint32 offset)
{
  guint64 v;
  memcpy (&v, buf + offset, sizeof v);
  return v;
}

/* TRUE when the loader has mapped the writable segment holding _PyRuntime
 * (from its place in @binary, unless it is zero-filled).  Until then (the
 * loader maps the whole file read-only first, then each segment over it) the
 * address shows other bytes of the file, and a reader that trusted them
 * would follow garbage for the whole recording. */
static gboolean
runtime_segment_mapped (const GArray *maps, const char *binary, guint64 runtime,
                        const ElfFacts *facts)
{
  for (guint i = 0; i < maps->len; i++)
    {
      const Mapping *m = &g_array_index (maps, Mapping, i);
      if (runtime < m->start || runtime >= m->end)
        continue;
      if (!facts->runtime_in_file)
        return m->writable;
      return m->writable && strcmp (m->path, binary) == 0 &&
             m->offset + (runtime - m->start) == facts->runtime_offset;
    }
  return FALSE;
}

/* 3.13+: the runtime begins with _Py_DebugOffsets, filled by the target's own
 * build; trust it over the table where both have a field. */
static gboolean
apply_debug_offsets (PyroCPythonTarget *self, GError **error)
{
  PyroCPythonLayout *l = &self->layout;
  g_autofree guint8 *buf = NULL;
  guint64 version;

  if (l->debug_cookie == PYRO_CPY_ABSENT)
    return TRUE;
  buf = g_malloc (l->debug_size);
  if (!pyro_cpython_target_read (self, self->runtime, buf, l->debug_size, error))
    return FALSE;
  if (memcmp (buf + l->debug_cookie, "xdebugpy", 8) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Process %u: _PyRuntime at 0x%" G_GINT64_MODIFIER "x does not start with "
                   "the \"xdebugpy\" cookie of _Py_DebugOffsets expected of Python %u.%u",
                   self->pid, self->runtime, self->version >> 24, (self->version >> 16) & 0xff);
      return FALSE;
    }
  version = field_u64 (buf, l->debug_version);
  if ((version >> 16) != (self->version >> 16))
    {
      g_autofree char *a = version_string ((guint32) version);
      g_autofree char *b = version_string (self->version);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Process %u: _Py_DebugOffsets says Python %s but Py_Version says %s",
                   self->pid, a, b);
      return FALSE;
    }
  if (field_u64 (buf, l->debug_version + 8) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Process %u runs a free-threaded (no GIL) build of Python %u.%u, which "
                   "pyrometer cannot read", self->pid, self->version >> 24,
                   (self->version >> 16) & 0xff);
      return FALSE;
    }

#define TAKE(field, debug) l->field = (guint32) field_u64 (buf, l->debug)
  TAKE (runtime_interpreters_head, debug_interpreters_head);
  TAKE (interp_next, debug_interp_next);
  TAKE (interp_threads_head, debug_interp_threads_head);
  TAKE (interp_ceval_gil, debug_interp_ceval_gil);
  TAKE (tstate_next, debug_tstate_next);
  TAKE (tstate_current_frame, debug_tstate_current_frame);
  TAKE (tstate_thread_id, debug_tstate_thread_id);
  TAKE (tstate_native_thread_id, debug_tstate_native_thread_id);
  TAKE (frame_previous, debug_frame_previous);
  TAKE (frame_code, debug_frame_executable);
  TAKE (frame_instr, debug_frame_instr_ptr);
  TAKE (frame_owner, debug_frame_owner);
  TAKE (code_filename, debug_code_filename);
  TAKE (code_name, debug_code_name);
  TAKE (code_qualname, debug_code_qualname);
  TAKE (code_linetable, debug_code_linetable);
  TAKE (code_firstlineno, debug_code_firstlineno);
  TAKE (code_code_adaptive, debug_code_code_adaptive);
#undef TAKE
  l->gil_locked = (guint32) (field_u64 (buf, l->debug_interp_gil_locked) -
                             field_u64 (buf, l->debug_interp_gil));
  l->gil_last_holder = (guint32) (field_u64 (buf, l->debug_interp_gil_holder) -
                                  field_u64 (buf, l->debug_interp_gil));
  if (l->frame_size < l->frame_owner + 1 || l->frame_size < l->frame_instr + 8 ||
      l->frame_size < l->frame_previous + 8 || l->frame_size < l->frame_code + 8)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Process %u: _Py_DebugOffsets places frame fields beyond the %u-byte "
                   "frame of Python %u.%u; this build is not supported", self->pid,
                   l->frame_size, self->version >> 24, (self->version >> 16) & 0xff);
      return FALSE;
    }
  return TRUE;
}

PyroCPythonTarget *
pyro_cpython_target_open (guint32 pid, GError **error)
{
  g_autoptr (PyroCPythonTarget) self = NULL;
  g_autoptr (GArray) maps = NULL;
  g_autofree char *exe_link = g_strdup_printf ("/proc/%u/exe", pid);
  g_autofree char *exe = NULL;
  g_autofree char *comm = NULL;
  g_autoptr (GPtrArray) candidates = g_ptr_array_new ();
  ElfFacts facts = { 0 };
  const Mapping *found = NULL;
  const PyroCPythonLayout *layout;
  g_autofree char *guessed = NULL;
  guint32 version = 0;

  g_autofree char *proc_dir = g_strdup_printf ("/proc/%u", pid);

  if (pid == 0 || !g_file_test (proc_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No process with PID %u", pid);
      return NULL;
    }
  maps = read_mappings (pid, error);
  if (maps == NULL)
    return NULL;
  comm = process_name (pid);
  exe = g_file_read_link (exe_link, NULL);

  /* The executable first (Debian links libpython statically), then libpython. */
  for (guint i = 0; i < maps->len; i++)
    {
      Mapping *m = &g_array_index (maps, Mapping, i);
      if (m->offset == 0 && exe != NULL && strcmp (m->path, exe) == 0)
        {
          g_ptr_array_add (candidates, m);
          break;
        }
    }
  for (guint i = 0; i < maps->len; i++)
    {
      Mapping *m = &g_array_index (maps, Mapping, i);
      gboolean seen = FALSE;
      if (m->offset != 0 || !is_libpython (m->path))
        continue;
      for (guint j = 0; j < candidates->len; j++)
        seen |= strcmp (((Mapping *) candidates->pdata[j])->path, m->path) == 0;
      if (!seen)
        g_ptr_array_add (candidates, m);
    }

  for (guint i = 0; i < candidates->len && found == NULL; i++)
    {
      const Mapping *m = candidates->pdata[i];
      g_autofree char *rooted = g_strdup_printf ("/proc/%u/root%s", pid, m->path);
      if (guessed == NULL)
        guessed = version_from_path (m->path);
      if (read_elf_facts (rooted, &facts) && facts.has_runtime)
        found = m;
    }

  if (found == NULL)
    {
      if (guessed != NULL && g_str_has_prefix (guessed, "3."))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "Process %u (%s) looks like Python %s but exports no _PyRuntime "
                     "symbol; pyrometer reads CPython 3.11 or newer", pid, comm, guessed);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "Process %u (%s) is not CPython: neither its executable (%s) nor a "
                     "libpython it maps exports _PyRuntime", pid, comm,
                     exe != NULL ? exe : "unreadable");
      return NULL;
    }

  self = g_new0 (PyroCPythonTarget, 1);
  self->pid = pid;
  self->mem_fd = -1;
  self->binary = g_strdup (found->path);
  {
    guint64 bias = found->start - facts.load_vaddr;
    self->runtime = bias + facts.runtime;
    if (!facts.runtime_loaded || !runtime_segment_mapped (maps, found->path, self->runtime, &facts))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     "Process %u (%s) has not finished loading %s: its _PyRuntime is not "
                     "mapped from the file yet", pid, comm, found->path);
        return NULL;
      }
    self->code_type = facts.code_type ? bias + facts.code_type : 0;
    if (facts.eval_start != 0)
      {
        self->eval_start = bias + facts.eval_start;
        self->eval_end = self->eval_start + MAX (facts.eval_size, 1);
      }
    if (facts.has_version &&
        !pyro_cpython_target_read (self, bias + facts.version, &version, sizeof version, error))
      return NULL;
  }

  if (!facts.has_version)
    {
      g_autofree char *supported = supported_versions ();
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Process %u (%s) runs Python %s, which pyrometer cannot read (no "
                   "Py_Version in %s); supported versions: %s", pid, comm,
                   guessed != NULL ? guessed : "older than 3.11", self->binary, supported);
      return NULL;
    }
  layout = pyro_cpython_layout_lookup (version);
  if (layout == NULL)
    {
      g_autofree char *found_version = version_string (version);
      g_autofree char *supported = supported_versions ();
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Process %u (%s) runs Python %s, which pyrometer cannot read; "
                   "supported versions: %s", pid, comm, found_version, supported);
      return NULL;
    }
  self->version = version;
  self->layout = *layout;
  if (!apply_debug_offsets (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
pyro_cpython_target_free (PyroCPythonTarget *self)
{
  if (self == NULL)
    return;
  if (self->mem_fd >= 0)
    close (self->mem_fd);
  g_free (self->binary);
  g_free (self);
}

guint32
pyro_cpython_target_pid (const PyroCPythonTarget *self)
{
  return self->pid;
}

guint32
pyro_cpython_target_version (const PyroCPythonTarget *self)
{
  return self->version;
}

const char *
pyro_cpython_target_binary (const PyroCPythonTarget *self)
{
  return self->binary;
}

const PyroCPythonLayout *
pyro_cpython_target_layout (const PyroCPythonTarget *self)
{
  return &self->layout;
}

guint64
pyro_cpython_target_runtime (const PyroCPythonTarget *self)
{
  return self->runtime;
}

guint64
pyro_cpython_target_code_type (const PyroCPythonTarget *self)
{
  return self->code_type;
}

gboolean
pyro_cpython_target_is_eval_address (const PyroCPythonTarget *self, guint64 address)
{
  return address >= self->eval_start && address < self->eval_end;
}

static gboolean
read_failed (PyroCPythonTarget *self, int saved, guint64 address, gsize len, GError **error)
{
  if (saved == EPERM || saved == EACCES)
    set_permission_error (error, self->pid);
  else if (saved == ESRCH || !pyro_cpython_target_alive (self))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Process %u exited", self->pid);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "Cannot read %" G_GSIZE_FORMAT " bytes at 0x%" G_GINT64_MODIFIER "x in "
                 "process %u: %s", len, address, self->pid, g_strerror (saved));
  return FALSE;
}

gboolean
pyro_cpython_target_read (PyroCPythonTarget *self, guint64 address, gpointer buf,
                          gsize len, GError **error)
{
  if (!self->use_mem_fd)
    {
      struct iovec local = { buf, len };
      struct iovec remote = { GSIZE_TO_POINTER (address), len };
      ssize_t n = process_vm_readv (self->pid, &local, 1, &remote, 1, 0);

      if (n == (ssize_t) len)
        return TRUE;
      if (n >= 0)
        return read_failed (self, EFAULT, address, len, error);
      /* Seccomp filters (containers) may refuse the syscall but allow /proc/PID/mem. */
      if (errno != EPERM && errno != ENOSYS)
        return read_failed (self, errno, address, len, error);
      {
        g_autofree char *path = g_strdup_printf ("/proc/%u/mem", self->pid);
        int saved = errno;
        self->mem_fd = open (path, O_RDONLY | O_CLOEXEC);
        if (self->mem_fd < 0)
          return read_failed (self, saved, address, len, error);
        self->use_mem_fd = TRUE;
      }
    }
  {
    ssize_t n = pread (self->mem_fd, buf, len, (off_t) address);
    if (n == (ssize_t) len)
      return TRUE;
    return read_failed (self, n < 0 ? errno : EFAULT, address, len, error);
  }
}

gboolean
pyro_cpython_target_read_many (PyroCPythonTarget *self, const guint64 *addresses,
                               const guint32 *lens, guint n, gpointer buf, GError **error)
{
  guint8 *out = buf;
  guint done = 0;

  while (!self->use_mem_fd && done < n)
    {
      struct iovec local[IOV_BATCH], remote[IOV_BATCH];
      guint count = MIN (n - done, IOV_BATCH);
      gsize total = 0;
      ssize_t got;

      for (guint i = 0; i < count; i++)
        {
          local[i].iov_base = out + total;
          local[i].iov_len = lens[done + i];
          remote[i].iov_base = GSIZE_TO_POINTER (addresses[done + i]);
          remote[i].iov_len = lens[done + i];
          total += lens[done + i];
        }
      got = process_vm_readv (self->pid, local, count, remote, count, 0);
      if (got < 0 && (errno == EPERM || errno == ENOSYS))
        break;  /* pyro_cpython_target_read() below decides about /proc/PID/mem */
      if (got < 0)
        return read_failed (self, errno, addresses[done], lens[done], error);
      if ((gsize) got != total)
        return read_failed (self, EFAULT, addresses[done], total, error);
      out += total;
      done += count;
    }
  for (; done < n; done++)
    {
      if (!pyro_cpython_target_read (self, addresses[done], out, lens[done], error))
        return FALSE;
      out += lens[done];
    }
  return TRUE;
}

guint
pyro_cpython_target_read_prefix (PyroCPythonTarget *self, const guint64 *addresses,
                                 const guint32 *lens, guint n, gpointer buf, GError **error)
{
  guint8 *out = buf;
  guint done = 0;

  g_return_val_if_fail (n <= IOV_BATCH, 0);
  if (n == 0)
    return 0;
  if (!self->use_mem_fd)
    {
      struct iovec local[IOV_BATCH], remote[IOV_BATCH];
      gsize total = 0;
      ssize_t got;

      for (guint i = 0; i < n; i++)
        {
          local[i].iov_base = out + total;
          local[i].iov_len = lens[i];
          remote[i].iov_base = GSIZE_TO_POINTER (addresses[i]);
          remote[i].iov_len = lens[i];
          total += lens[i];
        }
      got = process_vm_readv (self->pid, local, n, remote, n, 0);
      if (got >= 0)
        {
          for (gsize covered = 0; done < n && covered + lens[done] <= (gsize) got; done++)
            covered += lens[done];
          if (done == 0)
            read_failed (self, EFAULT, addresses[0], lens[0], error);
          return done;
        }
      if (errno != EPERM && errno != ENOSYS)
        {
          read_failed (self, errno, addresses[0], lens[0], error);
          return 0;
        }
    }
  /* pyro_cpython_target_read() falls back to /proc/PID/mem. */
  for (; done < n; done++)
    {
      g_autoptr (GError) local = NULL;
      if (!pyro_cpython_target_read (self, addresses[done], out, lens[done], &local))
        {
          if (done == 0)
            g_propagate_error (error, g_steal_pointer (&local));
          break;
        }
      out += lens[done];
    }
  return done;
}
