/* profile-diff.h — compares two profiles function by function (before = A,
 * after = B), across formats: functions are matched by name and file. */
#pragma once

#include "profile.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;   /* owned by the diff */
  const char *file;
  double a;           /* total (inclusive) weight in A, 0 when absent */
  double b;
} PyroDiffRow;

typedef struct {
  double a_total;
  double b_total;
  PyroUnit unit;      /* B's unit */
  GArray *rows;       /* PyroDiffRow, largest change of share first */
  GStringChunk *strings;
} PyroProfileDiff;

PyroProfileDiff *pyro_profile_diff_new (PyroProfile *a, PyroProfile *b);
void             pyro_profile_diff_free (PyroProfileDiff *self);
/* a_total / b_total: how many times less B costs; 0 when B is empty. */
double           pyro_profile_diff_ratio (const PyroProfileDiff *self);
/* One sentence for people: "B is 3.4× faster overall; fib went from 62% to 0.3%".
 * Caller frees. */
char            *pyro_profile_diff_headline (const PyroProfileDiff *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroProfileDiff, pyro_profile_diff_free)

G_END_DECLS
