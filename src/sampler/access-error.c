#include "access-error.h"
#include "procfs.h"

#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

enum {
  CAP_BIT_SYS_PTRACE = 19,
  CAP_BIT_SYS_ADMIN = 21,
  CAP_BIT_PERFMON = 38,
};

static int
read_int_file (const char *path, int fallback)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return fallback;
  gint64 v;
  if (!g_ascii_string_to_signed (g_strstrip (text), 10, G_MININT, G_MAXINT, &v, NULL))
    return fallback;
  return (int) v;
}

static const char *
status_field (const char *status, const char *name)
{
  const char *p = strstr (status, name);
  return p != NULL ? p + strlen (name) : NULL;
}

void
pyro_access_facts_read (PyroAccessFacts *facts, guint32 pid)
{
  memset (facts, 0, sizeof *facts);
  facts->perf_event_paranoid = read_int_file ("/proc/sys/kernel/perf_event_paranoid", G_MININT);
  facts->ptrace_scope = read_int_file ("/proc/sys/kernel/yama/ptrace_scope", -1);
  facts->max_sample_rate = read_int_file ("/proc/sys/kernel/perf_event_max_sample_rate", 0);
  facts->self_uid = geteuid ();
  facts->target_uid = pid != 0 ? pyro_proc_uid (pid) : -1;

  g_autofree char *status = NULL;
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      const char *eff = status_field (status, "CapEff:");
      guint64 caps = eff != NULL ? g_ascii_strtoull (eff, NULL, 16) : 0;
      facts->cap_sys_ptrace = (caps >> CAP_BIT_SYS_PTRACE) & 1;
      facts->cap_sys_admin = (caps >> CAP_BIT_SYS_ADMIN) & 1;
      facts->cap_perfmon = (caps >> CAP_BIT_PERFMON) & 1;
      const char *seccomp = status_field (status, "Seccomp:");
      facts->seccomp_filter = seccomp != NULL && g_ascii_strtoull (seccomp, NULL, 10) == 2;
    }
  facts->in_container = g_file_test ("/.dockerenv", G_FILE_TEST_EXISTS)
                        || g_file_test ("/run/.containerenv", G_FILE_TEST_EXISTS)
                        || g_getenv ("container") != NULL;
}

static char *
user_name (gint64 uid)
{
  struct passwd *pw = getpwuid ((uid_t) uid);
  return pw != NULL ? g_strdup (pw->pw_name) : g_strdup_printf ("%" G_GINT64_FORMAT, uid);
}

static char *
other_user (const PyroAccessFacts *f, guint32 pid, const char *what)
{
  g_autofree char *owner = user_name (f->target_uid);
  g_autofree char *self = user_name (f->self_uid);
  return g_strdup_printf ("process %u belongs to user %s and you are %s; %s another user's "
                          "process needs CAP_SYS_PTRACE. Run it as that user "
                          "(sudo -u %s pyrometer record -p %u) or grant the capability: "
                          "sudo setcap cap_perfmon,cap_sys_ptrace+ep \"$(command -v pyrometer)\"",
                          pid, owner, self, what, owner, pid);
}

static char *
container_blocks (const char *call)
{
  return g_strdup_printf ("a seccomp filter (the container's security profile) blocks %s. "
                          "Start the container with: docker run --cap-add PERFMON "
                          "--cap-add SYS_PTRACE --security-opt seccomp=unconfined … "
                          "(podman takes the same options)", call);
}

static char *
explain_perf (const PyroAccessFacts *f, guint32 pid, int errnum, guint frequency)
{
  gboolean perf_cap = f->cap_perfmon || f->cap_sys_admin;
  switch (errnum)
    {
    case EACCES:
    case EPERM:
      if (!perf_cap && f->perf_event_paranoid > 2)
        return g_strdup_printf ("kernel.perf_event_paranoid is %d, which forbids perf_event_open "
                                "to users without CAP_PERFMON. Allow profiling your own "
                                "processes with: sudo sysctl kernel.perf_event_paranoid=2",
                                f->perf_event_paranoid);
      if (pid != 0 && f->target_uid >= 0 && f->target_uid != f->self_uid && !f->cap_sys_ptrace)
        return other_user (f, pid, "sampling");
      if (f->seccomp_filter || f->in_container)
        return container_blocks ("perf_event_open");
      if (!perf_cap && f->perf_event_paranoid > 1)
        return g_strdup_printf ("kernel.perf_event_paranoid is %d and the kernel refused the event "
                                "(the process may be set-uid or not dumpable). Allow it with: "
                                "sudo sysctl kernel.perf_event_paranoid=1",
                                f->perf_event_paranoid);
      return g_strdup_printf ("the kernel refused perf_event_open (%s) although "
                              "kernel.perf_event_paranoid is %d; a security module (SELinux, "
                              "AppArmor) may deny it: check 'journalctl -k | grep -i denied'",
                              g_strerror (errnum), f->perf_event_paranoid);
    case ESRCH:
      return g_strdup_printf ("process %u does not exist (it may have exited)", pid);
    case ENOENT:
    case ENODEV:
    case EOPNOTSUPP:
      return g_strdup ("this machine has no hardware cycle counter (a virtual machine?); "
                       "sample with the CPU clock instead: --event cpu-clock");
    case EINVAL:
      if (f->max_sample_rate > 0 && frequency > (guint) f->max_sample_rate)
        return g_strdup_printf ("kernel.perf_event_max_sample_rate is %d, below the %u Hz asked for. "
                                "Use -F %d, or allow it with: sudo sysctl "
                                "kernel.perf_event_max_sample_rate=%u",
                                f->max_sample_rate, frequency, f->max_sample_rate, frequency);
      return g_strdup ("the kernel does not support this kind of event (too old a kernel?)");
    case EMFILE:
    case ENFILE:
      return g_strdup ("too many open files (one event per thread and CPU); raise the limit "
                       "with: ulimit -n 65536");
    case ENOSYS:
      if (f->seccomp_filter || f->in_container)
        return container_blocks ("perf_event_open");
      return g_strdup ("this kernel was built without perf events (CONFIG_PERF_EVENTS)");
    default:
      return g_strdup_printf ("perf_event_open failed: %s", g_strerror (errnum));
    }
}

static char *
explain_read (const PyroAccessFacts *f, PyroAccessKind kind, guint32 pid, int errnum)
{
  if (errnum == ESRCH || errnum == ENOENT)
    return g_strdup_printf ("process %u does not exist (it may have exited)", pid);
  if (errnum != EPERM && errnum != EACCES)
    return g_strdup_printf ("reading process %u failed: %s", pid, g_strerror (errnum));

  if (f->target_uid >= 0 && f->target_uid != f->self_uid && !f->cap_sys_ptrace)
    return other_user (f, pid, "reading");
  if (kind == PYRO_ACCESS_READ_MEMORY && !f->cap_sys_ptrace)
    {
      if (f->ptrace_scope == 1)
        return g_strdup_printf ("kernel.yama.ptrace_scope is 1: only a parent may read its "
                                "children's memory. Launch the program under pyrometer record "
                                "instead of attaching, or allow attaching with: "
                                "sudo sysctl kernel.yama.ptrace_scope=0");
      if (f->ptrace_scope == 2)
        return g_strdup ("kernel.yama.ptrace_scope is 2: only CAP_SYS_PTRACE may read another "
                         "process's memory. Grant it with: sudo setcap cap_sys_ptrace+ep "
                         "\"$(command -v pyrometer)\", or lower the scope: "
                         "sudo sysctl kernel.yama.ptrace_scope=1");
      if (f->ptrace_scope == 3)
        return g_strdup ("kernel.yama.ptrace_scope is 3: no process may read another's memory "
                         "until the machine reboots with a lower setting "
                         "(kernel.yama.ptrace_scope=1 in /etc/sysctl.d/)");
    }
  if (f->seccomp_filter || f->in_container)
    return container_blocks ("reading another process");
  return g_strdup_printf ("the kernel refused to let us read process %u (%s); it may be "
                          "set-uid or not dumpable, or a security module denies it", pid,
                          g_strerror (errnum));
}

char *
pyro_access_explain (const PyroAccessFacts *facts, PyroAccessKind kind, guint32 pid,
                     int errnum, guint frequency)
{
  if (kind == PYRO_ACCESS_PERF_EVENT)
    return explain_perf (facts, pid, errnum, frequency);
  return explain_read (facts, kind, pid, errnum);
}
