/* tick-priority.h — asks the kernel to wake a sampling thread on time.
 *
 * A sampler that sleeps until each tick competes for the CPU with the busy
 * program it samples; a tick that starts late is a sample lost.  Nothing here
 * needs a privilege: the thread's timer slack drops to 1 ns, and on kernels
 * with the EEVDF scheduler (6.12 and later) it asks for a short time slice,
 * which lets it preempt the running program when it wakes.  Older kernels
 * ignore the slice. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call from the sampling thread itself. */
void pyro_tick_priority_apply (void);

G_END_DECLS
