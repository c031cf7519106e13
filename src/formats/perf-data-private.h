/* perf-data-private.h — what the perf.data reader's parts share: the events
 * (attrs), the header's features, the record cursor and one parsed sample.
 *
 * Layout: tools/perf/Documentation/perf.data-file-format.txt in the Linux
 * tree and <linux/perf_event.h>.  Every length read from the file is checked
 * against what remains before it is used.
 */
#pragma once

#include "reader.h"
#include "symbols/symbolizer.h"

#include <linux/perf_event.h>
#include <zstd.h>

G_BEGIN_DECLS

/* Records perf itself adds to the kernel's (tools/lib/perf/include/perf/event.h). */
enum {
  PERF_RECORD_HEADER_ATTR = 64,
  PERF_RECORD_HEADER_EVENT_TYPE = 65,
  PERF_RECORD_HEADER_TRACING_DATA = 66,
  PERF_RECORD_HEADER_BUILD_ID = 67,
  PERF_RECORD_FINISHED_ROUND = 68,
  PERF_RECORD_ID_INDEX = 69,
  PERF_RECORD_AUXTRACE_INFO = 70,
  PERF_RECORD_AUXTRACE = 71,
  PERF_RECORD_EVENT_UPDATE = 78,
  PERF_RECORD_HEADER_FEATURE = 80,
  PERF_RECORD_COMPRESSED = 81,
};

/* Feature bits of the file header (tools/perf/util/header.h). */
enum {
  PERF_FEAT_BUILD_ID = 2,
  PERF_FEAT_HOSTNAME = 3,
  PERF_FEAT_OSRELEASE = 4,
  PERF_FEAT_ARCH = 6,
  PERF_FEAT_NRCPUS = 7,
  PERF_FEAT_CMDLINE = 11,
  PERF_FEAT_EVENT_DESC = 12,
};

/* Unit of the timeline counters of the events that do not weigh the views. */
#define PERF_EVENT_COUNTER_UNIT "count"

#define PERF_FILE_HEADER_SIZE 104
#define PERF_PIPE_HEADER_SIZE 16

typedef struct {
  struct perf_event_attr attr;  /* zero-extended to this header's size */
  char *name;
  GArray *ids;                  /* guint64 */
  PyroCounter *counter;         /* running total, for events that do not weigh */
  double running_total;
} PerfEvent;

typedef struct {
  guint64 id;
  guint64 ip;
  guint32 pid, tid;
  guint64 time;
  guint64 period;
  guint32 cpu;
  const guint64 *callchain;     /* nullable */
  guint64 callchain_nr;
  guint64 regs_abi;
  const guint64 *regs;          /* nullable */
  guint64 regs_mask;
  const guint8 *stack;          /* nullable */
  guint64 stack_size;           /* bytes copied that hold data (dyn_size) */
  guint16 misc;
} PerfSample;

typedef struct _PerfStacks PerfStacks;

typedef struct {
  const PyroLoadContext *ctx;
  PyroProfile *profile;
  PyroSymbolizer *symbolizer;
  PerfStacks *stacks;

  gboolean pipe;
  GPtrArray *events;            /* PerfEvent*, in file order */
  GHashTable *event_by_id;      /* guint64* id -> PerfEvent* */
  gboolean same_layout;         /* every event has the same sample_type */
  int id_pos;                   /* u64 index of the id in a sample, -1 none */

  /* features */
  char *hostname;
  char *os_release;
  char *arch;
  char *command_line;
  guint32 nr_cpus;
  GHashTable *build_ids;        /* path -> GBytes* */
  GBytes *kernel_build_id;

  /* the weighing event and what was seen */
  const char *wanted_event;     /* nullable: weigh by this event, not the first */
  PerfEvent *weigh;
  gboolean weigh_in_seconds;
  guint64 lost;
  guint64 throttled;
  guint64 other_event_samples;
  guint64 samples_without_weighing;

  /* threads, in first-seen order; indexes are the profile's thread ids */
  GHashTable *thread_index;     /* tid -> index + 1 */
  GArray *thread_pids;          /* guint32 */
  GArray *thread_tids;          /* guint32 */
  GPtrArray *thread_names;      /* char * */
  GHashTable *comms;            /* tid -> char *, the latest COMM */

  /* records waiting to be handled in time order (see perf-data-records.c) */
  GArray *queue;                /* QueuedRecord */
  guint64 round_limit;          /* max time seen at the previous FINISHED_ROUND */
  guint64 max_time;
  guint64 seq;
  gsize released;               /* bytes of the mapped file given back to the kernel */

  /* COMPRESSED records form one zstd stream */
  ZSTD_DCtx *zstd;
  GByteArray *pending;          /* decompressed bytes not yet parsed */
} PerfReader;

/* perf-data-header.c */
gboolean perf_read_file_header (PerfReader *r, gsize *data_offset, gsize *data_end, GError **error);
gboolean perf_add_event (PerfReader *r, const guint8 *attr, gsize attr_len, gsize offset,
                         const guint64 *ids, gsize n_ids, GError **error);
gboolean perf_read_feature (PerfReader *r, guint feature, const guint8 *data, gsize len,
                            gsize offset, GError **error);
gboolean perf_read_build_id_entry (PerfReader *r, const guint8 *data, gsize len, gsize offset,
                                   GError **error);
/* After the attrs: picks the weighing event and where a sample's id is. */
gboolean perf_events_ready (PerfReader *r, gsize offset, GError **error);
void perf_event_free (PerfEvent *event);

/* perf-data-records.c */
void     perf_records_init (PerfReader *r);
void     perf_records_clear (PerfReader *r);
gboolean perf_read_records (PerfReader *r, const guint8 *data, gsize len, gsize base,
                            GError **error);
gboolean perf_finish_records (PerfReader *r, gsize offset, GError **error);

/* perf-data-stack.c */
PerfStacks *perf_stacks_new (PyroProfile *profile, PyroSymbolizer *symbolizer);
void        perf_stacks_free (PerfStacks *stacks);
/* Stack id of @sample (kernel frames above user frames, inline frames each
 * their own), or PYRO_NONE when it has no address at all. */
guint32     perf_stacks_add_sample (PerfStacks *stacks, const PerfSample *sample,
                                    gboolean user_regs_x86_64);
/* One warning per module whose names or lines are missing, with how many
 * samples it holds. */
void        perf_stacks_report_problems (PerfStacks *stacks, PyroProfile *profile,
                                         guint64 n_samples);

G_END_DECLS
