#include "perf-ring.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
injected_errno (void)
{
  static const struct { const char *name; int value; } names[] = {
    { "EACCES", EACCES }, { "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "ESRCH", ESRCH },
    { "ENOENT", ENOENT }, { "EINVAL", EINVAL }, { "EMFILE", EMFILE },
  };
  const char *want = g_getenv ("PYRO_SAMPLER_FAIL_OPEN");
  if (want == NULL || *want == '\0')
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (want, names[i].name))
      return names[i].value;
  return EPERM;
}

int
pyro_perf_event_open (struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd)
{
  int fail = injected_errno ();
  if (fail != 0)
    return -fail;
  long fd = syscall (SYS_perf_event_open, attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
  return fd < 0 ? -errno : (int) fd;
}

int
pyro_perf_ring_map (PyroPerfRing *ring, int fd, guint data_pages)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  memset (ring, 0, sizeof *ring);
  ring->fd = fd;
  ring->map_size = page * (1 + data_pages);
  void *base = mmap (NULL, ring->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED)
    {
      int err = errno;
      memset (ring, 0, sizeof *ring);
      ring->fd = -1;
      return -err;
    }
  ring->base = base;
  ring->data = ring->base + page;
  ring->data_size = (guint64) page * data_pages;
  ring->scratch = g_malloc (G_MAXUINT16 + 1);
  return 0;
}

void
pyro_perf_ring_unmap (PyroPerfRing *ring)
{
  if (ring->base != NULL)
    munmap (ring->base, ring->map_size);
  g_free (ring->scratch);
  ring->base = NULL;
  ring->data = NULL;
  ring->scratch = NULL;
}

guint
pyro_perf_ring_drain (PyroPerfRing *ring, PyroPerfRecordFunc func, gpointer user_data)
{
  if (ring->base == NULL)
    return 0;
  struct perf_event_mmap_page *meta = (struct perf_event_mmap_page *) ring->base;
  guint64 head = __atomic_load_n (&meta->data_head, __ATOMIC_ACQUIRE);
  guint64 tail = meta->data_tail;
  guint64 mask = ring->data_size - 1;
  guint n = 0;

  while (tail + sizeof (struct perf_event_header) <= head)
    {
      guint64 at = tail & mask;
      struct perf_event_header header;
      if (at + sizeof header <= ring->data_size)
        memcpy (&header, ring->data + at, sizeof header);
      else
        {
          gsize first = ring->data_size - at;
          memcpy (&header, ring->data + at, first);
          memcpy ((guint8 *) &header + first, ring->data, sizeof header - first);
        }
      if (header.size < sizeof header || tail + header.size > head)
        break;

      const struct perf_event_header *record;
      if (at + header.size <= ring->data_size)
        record = (const struct perf_event_header *) (ring->data + at);
      else
        {
          gsize first = ring->data_size - at;
          memcpy (ring->scratch, ring->data + at, first);
          memcpy (ring->scratch + first, ring->data, header.size - first);
          record = (const struct perf_event_header *) ring->scratch;
        }
      func (record, user_data);
      tail += header.size;
      n++;
    }
  __atomic_store_n (&meta->data_tail, tail, __ATOMIC_RELEASE);
  return n;
}
