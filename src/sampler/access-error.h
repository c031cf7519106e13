/* access-error.h — why the kernel refused to let us watch a process, and
 * the command that would allow it.
 *
 * The explanation is a pure function of a few facts about the system
 * (sysctls, our capabilities, who owns the target, seccomp), so that every
 * cause can be tested without changing the machine.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PYRO_ACCESS_PERF_EVENT,   /* perf_event_open on the process */
  PYRO_ACCESS_READ_MEMORY,  /* process_vm_readv / /proc/PID/mem (ptrace attach rules) */
  PYRO_ACCESS_READ_PROC,    /* /proc/PID/maps and friends (ptrace read rules) */
} PyroAccessKind;

typedef struct {
  int perf_event_paranoid;  /* G_MININT when unknown */
  int ptrace_scope;         /* -1 without Yama */
  int max_sample_rate;      /* Hz, 0 when unknown */
  gboolean cap_perfmon;
  gboolean cap_sys_admin;
  gboolean cap_sys_ptrace;
  gboolean seccomp_filter;  /* a seccomp filter is installed on us */
  gboolean in_container;
  gint64 self_uid;
  gint64 target_uid;        /* -1 when unknown or launching */
} PyroAccessFacts;

/* Reads the facts of this machine about watching @pid (0 for a command we launch). */
void pyro_access_facts_read (PyroAccessFacts *facts, guint32 pid);

/* One or two sentences: which setting refused @kind on @pid with @errnum, and
 * the exact command that would allow it.  @frequency is the requested rate. */
char *pyro_access_explain (const PyroAccessFacts *facts, PyroAccessKind kind, guint32 pid,
                           int errnum, guint frequency);

G_END_DECLS
