/* selection.h — what part of a profile the views show.
 *
 * A selection is a time range, a set of threads and an ordered list of
 * transforms (focus, merge, drop, collapse recursion) plus the invert flag.
 * Transforms form a stack so that the last one can be undone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PYRO_TRANSFORM_FOCUS_FUNC,          /* root every stack at its first call of func */
  PYRO_TRANSFORM_MERGE_FUNC,          /* remove func, its callees go to its caller */
  PYRO_TRANSFORM_DROP_FUNC,           /* drop samples whose stack contains func */
  PYRO_TRANSFORM_COLLAPSE_RECURSION,  /* fold direct recursion of func into one node */
} PyroTransformKind;

typedef struct {
  PyroTransformKind kind;
  guint32 func;
} PyroTransform;

/* What each sample weighs in the derived views. */
typedef enum {
  PYRO_WEIGHT_PRIMARY,        /* the trace's own unit: samples, seconds, bytes */
  PYRO_WEIGHT_MEMORY_GROWTH,  /* bytes of RSS growth charged to the sample (sample_bytes) */
  PYRO_WEIGHT_GIL,            /* the primary weight of samples whose thread held the GIL */
} PyroWeightKind;

typedef struct {
  gboolean has_range;
  gint64 range_start;   /* ns, inclusive */
  gint64 range_end;     /* ns, exclusive */
  GArray *threads;      /* guint32 thread indices; empty = every thread */
  GArray *transforms;   /* PyroTransform, applied in order */
  gboolean invert;      /* bottom-up: roots are the functions that ran */
  PyroWeightKind weight;
  /* Samples of threads that were not running (PYRO_SAMPLE_IDLE) count only
   * when set; a NULL selection hides them too. */
  gboolean show_idle;
} PyroSelection;

PyroSelection *pyro_selection_new (void);
PyroSelection *pyro_selection_copy (const PyroSelection *self);
void           pyro_selection_free (PyroSelection *self);
gboolean       pyro_selection_equal (const PyroSelection *a, const PyroSelection *b);

void     pyro_selection_set_range (PyroSelection *self, gint64 start, gint64 end);
void     pyro_selection_clear_range (PyroSelection *self);
void     pyro_selection_push_transform (PyroSelection *self, PyroTransformKind kind, guint32 func);
/* Removes the last transform; FALSE when there was none. */
gboolean pyro_selection_pop_transform (PyroSelection *self);
gboolean pyro_selection_includes_thread (const PyroSelection *self, guint32 thread);
gboolean pyro_selection_includes_time (const PyroSelection *self, gint64 time);
/* Whether a sample with PyroSampleFlags @flags counts; @self may be NULL. */
gboolean pyro_selection_includes_state (const PyroSelection *self, guint8 flags);

const char *pyro_transform_kind_to_string (PyroTransformKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSelection, pyro_selection_free)

G_END_DECLS
