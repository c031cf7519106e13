/* profile.h — the columnar profile model shared by every reader and view.
 *
 * Tables are parallel arrays indexed by guint32 ids (after the Firefox
 * Profiler's processed format).  Readers fill a profile through the
 * pyro_profile_add_* functions, which intern and deduplicate; views read the
 * arrays directly.  Ids are assigned in creation order, so a stack's parent
 * always has a smaller id than the stack itself.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PYRO_NONE G_MAXUINT32

typedef enum {
  PYRO_FUNC_NATIVE,
  PYRO_FUNC_PYTHON,
  PYRO_FUNC_KERNEL,
  PYRO_FUNC_OTHER,
} PyroFuncKind;

/* What the thread of a sample was doing, where the recording knew it
 * (PyroProfile.sample_flags). */
typedef enum {
  PYRO_SAMPLE_IDLE = 1 << 0,  /* not running: sleeping, waiting for I/O, a lock or the GIL */
  PYRO_SAMPLE_GIL = 1 << 1,   /* holding Python's global interpreter lock */
} PyroSampleFlags;

/* What one unit of sample weight means. */
typedef enum {
  PYRO_UNIT_SAMPLES,
  PYRO_UNIT_SECONDS,
  PYRO_UNIT_BYTES,
} PyroUnit;

typedef struct {
  guint32 pid;
  guint32 tid;
  guint32 name;          /* string id */
  guint32 process_name;  /* string id */
} PyroThread;

typedef struct {
  guint32 name;   /* string id */
  guint32 unit;   /* string id: "bytes", "percent", ... */
  GArray *times;  /* gint64 ns */
  GArray *values; /* double, in the counter's unit */
} PyroCounter;

typedef struct {
  guint32 name;   /* string id */
  gint64 start;   /* ns */
  gint64 end;     /* ns */
  guint32 thread; /* thread index or PYRO_NONE */
} PyroMark;

/* Exact statistics of a deterministic profiler (cProfile), per function. */
typedef struct {
  guint32 func;
  double prim_calls;
  double total_calls;
  double self_time;  /* seconds */
  double cum_time;   /* seconds */
} PyroFuncStats;

/* One caller -> callee edge of a deterministic profile, with its own numbers. */
typedef struct {
  guint32 caller;
  guint32 callee;
  double total_calls;
  double prim_calls;
  double self_time;
  double cum_time;
} PyroCallEdge;

typedef struct {
  char *format;         /* reader id: "folded", "pstats", ... */
  char *command_line;   /* nullable */
  char *host;           /* nullable */
  double sample_rate;   /* Hz, 0 when unknown */
  gint64 start_time;    /* unix ns, 0 when unknown */
  PyroUnit unit;        /* unit of sample weights */
  gboolean has_time;    /* samples carry real timestamps */
  gboolean estimated;   /* stacks were estimated (e.g. from caller/callee pairs) */
  char *event;          /* nullable: the event that weighs the samples ("cycles") */
  char *os_release;     /* nullable: kernel release of the recording machine */
  guint32 n_cpus;       /* CPUs online while recording, 0 when unknown */
} PyroMetadata;

typedef struct _PyroIdSet PyroIdSet;
typedef struct _PyroTrieIndex PyroTrieIndex;

typedef struct {
  gatomicrefcount ref;

  /* strings: id -> NUL-terminated text, stable for the profile's life */
  GStringChunk *string_chunk;
  GPtrArray *strings;        /* char * */
  GArray *string_lengths;    /* guint32 */

  /* funcs */
  GArray *func_name;    /* guint32 string id */
  GArray *func_file;    /* guint32 string id, "" when unknown */
  GArray *func_line;    /* guint32 first line, 0 unknown */
  GArray *func_module;  /* guint32 string id, "" when unknown */
  GArray *func_kind;    /* guint8 PyroFuncKind */

  /* frames */
  GArray *frame_func;     /* guint32 */
  GArray *frame_line;     /* guint32, 0 unknown */
  GArray *frame_address;  /* guint64, 0 unknown */

  /* stacks: a trie */
  GArray *stack_parent;   /* guint32 or PYRO_NONE */
  GArray *stack_frame;    /* guint32 */

  /* samples */
  GArray *sample_time;    /* gint64 ns */
  GArray *sample_stack;   /* guint32 */
  GArray *sample_thread;  /* guint32 thread index */
  GArray *sample_weight;  /* double */
  /* A second weight: bytes of memory growth charged to each sample (the
   * recorder's RSS growth, Sysprof's allocations); NULL when none. */
  GArray *sample_bytes;   /* double, parallel to sample_weight */
  /* Thread state per sample (Python recordings): NULL when the trace does
   * not say, and then every sample counts as running. */
  GArray *sample_flags;   /* guint8 PyroSampleFlags, parallel to sample_weight */

  GArray *threads;        /* PyroThread */
  GPtrArray *counters;    /* PyroCounter* */
  GArray *marks;          /* PyroMark */

  /* call stats, present when has_call_stats */
  gboolean has_call_stats;
  GArray *func_stats;     /* PyroFuncStats */
  GArray *call_edges;     /* PyroCallEdge */

  PyroMetadata meta;

  /* Problems found while loading that a person should see once (missing
   * binaries, debug info, lost samples): char *, owned. */
  GPtrArray *warnings;

  /* deduplication indexes, used while building */
  PyroIdSet *string_index;
  PyroIdSet *func_index;
  PyroIdSet *frame_index;
  PyroTrieIndex *stack_index;
} PyroProfile;

PyroProfile *pyro_profile_new (const char *format);
PyroProfile *pyro_profile_ref (PyroProfile *self);
void         pyro_profile_unref (PyroProfile *self);

/* Interning; every add_* returns the id of an equal existing row if any. */
guint32 pyro_profile_intern (PyroProfile *self, const char *str);
guint32 pyro_profile_intern_len (PyroProfile *self, const char *str, gsize len);
guint32 pyro_profile_add_func (PyroProfile *self, guint32 name, guint32 file,
                               guint32 line, guint32 module, PyroFuncKind kind);
guint32 pyro_profile_add_frame (PyroProfile *self, guint32 func, guint32 line,
                                guint64 address);
guint32 pyro_profile_add_stack (PyroProfile *self, guint32 parent, guint32 frame);
/* Adds a stack from root-first frames; returns the leaf stack id. */
guint32 pyro_profile_add_stack_frames (PyroProfile *self, const guint32 *frames,
                                       guint n_frames);
void    pyro_profile_add_sample (PyroProfile *self, gint64 time, guint32 stack,
                                 guint32 thread, double weight);
/* Adds @bytes to the memory weight of sample @sample (creating the column). */
void    pyro_profile_add_sample_bytes (PyroProfile *self, guint sample, double bytes);
/* Sets the thread state of sample @sample (creating the column). */
void    pyro_profile_set_sample_flags (PyroProfile *self, guint sample, guint8 flags);
guint32 pyro_profile_add_thread (PyroProfile *self, guint32 pid, guint32 tid,
                                 const char *name, const char *process_name);
/* Returns a counter owned by the profile. */
PyroCounter *pyro_profile_add_counter (PyroProfile *self, const char *name,
                                       const char *unit);
void    pyro_counter_append (PyroCounter *counter, gint64 time, double value);
void    pyro_profile_add_mark (PyroProfile *self, const char *name, gint64 start,
                               gint64 end, guint32 thread);
void    pyro_profile_add_func_stats (PyroProfile *self, const PyroFuncStats *stats);
void    pyro_profile_add_call_edge (PyroProfile *self, const PyroCallEdge *edge);
void    pyro_profile_add_warning (PyroProfile *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Drops the build-time indexes; the profile is read-only afterwards. */
void    pyro_profile_finish (PyroProfile *self);

/* Accessors */
static inline const char *
pyro_profile_str (const PyroProfile *self, guint32 id)
{
  return id == PYRO_NONE ? "" : (const char *) g_ptr_array_index (self->strings, id);
}

#define PYRO_COL(arr, type, i) (g_array_index ((arr), type, (i)))

static inline guint pyro_profile_n_funcs (const PyroProfile *p) { return p->func_name->len; }
static inline guint pyro_profile_n_frames (const PyroProfile *p) { return p->frame_func->len; }
static inline guint pyro_profile_n_stacks (const PyroProfile *p) { return p->stack_parent->len; }
static inline guint pyro_profile_n_samples (const PyroProfile *p) { return p->sample_stack->len; }
static inline guint pyro_profile_n_threads (const PyroProfile *p) { return p->threads->len; }

static inline guint8
pyro_profile_sample_flags (const PyroProfile *p, guint sample)
{
  return p->sample_flags != NULL && sample < p->sample_flags->len
           ? PYRO_COL (p->sample_flags, guint8, sample) : 0;
}

const char *pyro_profile_func_name (const PyroProfile *self, guint32 func);
const char *pyro_profile_func_file (const PyroProfile *self, guint32 func);
guint32     pyro_profile_func_line (const PyroProfile *self, guint32 func);
const char *pyro_profile_func_module (const PyroProfile *self, guint32 func);
PyroFuncKind pyro_profile_func_kind (const PyroProfile *self, guint32 func);

/* Sum of every sample's weight. */
double   pyro_profile_total_weight (const PyroProfile *self);
/* First and last sample time (ns); FALSE when samples carry no time. */
gboolean pyro_profile_time_bounds (const PyroProfile *self, gint64 *start, gint64 *end);

const char *pyro_unit_to_string (PyroUnit unit);
const char *pyro_func_kind_to_string (PyroFuncKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroProfile, pyro_profile_unref)

G_END_DECLS
