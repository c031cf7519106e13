/* tick-priority.c — prompt wake-ups for a sampling thread. */
#define _GNU_SOURCE
#include "sampler/tick-priority.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel accepts slices of 0.1 to 100 ms. */
#define MIN_SLICE_NS G_GINT64_CONSTANT (100000)

/* struct sched_attr of <linux/sched/types.h>, first version (48 bytes): that
 * header clashes with <sched.h>. */
typedef struct {
  guint32 size;
  guint32 sched_policy;
  guint64 sched_flags;
  gint32 sched_nice;
  guint32 sched_priority;
  guint64 sched_runtime;
  guint64 sched_deadline;
  guint64 sched_period;
} SchedAttr;

#define SCHED_NORMAL_POLICY 0

void
pyro_tick_priority_apply (void)
{
  SchedAttr attr = { 0 };

  prctl (PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

  /* Keep the thread's own nice value: sched_setattr() sets it too. */
  errno = 0;
  int nice = getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
  if (errno != 0)
    return;
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_NORMAL_POLICY;
  attr.sched_nice = nice;
  /* The shortest slice: a tick reads and sleeps again well within it. */
  attr.sched_runtime = MIN_SLICE_NS;
  /* Refused by kernels that predate custom slices or by a seccomp filter;
   * the sampler then runs as before. */
  syscall (SYS_sched_setattr, 0, &attr, 0);
}
