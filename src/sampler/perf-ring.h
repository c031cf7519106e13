/* perf-ring.h — perf_event_open and the mmap ring buffer it fills. */
#pragma once

#include <glib.h>
#include <linux/perf_event.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef struct {
  int fd;
  guint8 *base;       /* metadata page, then the data pages */
  gsize map_size;
  guint8 *data;
  guint64 data_size;  /* a power of two */
  guint8 *scratch;    /* a record that wraps around the end is copied here */
} PyroPerfRing;

/* perf_event_open(2) with close-on-exec; returns the fd or -errno.
 *
 * Setting the environment variable PYRO_SAMPLER_FAIL_OPEN to an errno name
 * (EACCES, EPERM, ENOSYS, …) makes every call fail with it, so that the
 * explanations of refused access can be tested on any machine. */
int pyro_perf_event_open (struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd);

/* Maps @data_pages (a power of two) of ring buffer for @fd; returns -errno or 0. */
int  pyro_perf_ring_map (PyroPerfRing *ring, int fd, guint data_pages);
void pyro_perf_ring_unmap (PyroPerfRing *ring);

typedef void (*PyroPerfRecordFunc) (const struct perf_event_header *header, gpointer user_data);

/* Hands every complete record in the ring to @func and frees their space;
 * returns how many were read. */
guint pyro_perf_ring_drain (PyroPerfRing *ring, PyroPerfRecordFunc func, gpointer user_data);

G_END_DECLS
