/* line-costs.h — self and total weight per line of one source file.
 *
 * Self is the weight of samples whose innermost frame is on the line; total
 * counts each sample once per line it has a frame on (recursion does not
 * count twice).  Honours the selection's time range and threads; the
 * transforms (focus, merge, drop) reshape call trees, not source lines, and
 * are not applied.
 */
#pragma once

#include "profile.h"
#include "selection.h"

G_BEGIN_DECLS

#define PYRO_LINE_COSTS_ERROR (pyro_line_costs_error_quark ())
GQuark pyro_line_costs_error_quark (void);

typedef enum {
  PYRO_LINE_COSTS_ERROR_NO_FILE,    /* no function of the profile is in that file */
  PYRO_LINE_COSTS_ERROR_AMBIGUOUS,  /* several files end with that path */
} PyroLineCostsError;

typedef struct {
  guint32 line;
  double self;
  double total;
} PyroLineCost;

typedef struct {
  char *file;           /* the file as the profile names it */
  double grand_total;   /* weight of every selected sample */
  GArray *lines;        /* PyroLineCost with self or total > 0, by line */
} PyroLineCosts;

/* @file matches a function's file when equal or when one ends with "/" and
 * the other (so "hot.c" finds "/src/hot.c").  @selection may be NULL.
 * Caller owns the result. */
PyroLineCosts *pyro_line_costs_new (const PyroProfile *profile, const char *file,
                                    const PyroSelection *selection, GError **error);
/* The costs of the file with string id @file_id (a func_file value); lines
 * of every function in that file count, inlined callees included.  Never
 * fails: a file without sampled lines gives an empty table. */
PyroLineCosts *pyro_line_costs_new_for_file_id (const PyroProfile *profile, guint32 file_id,
                                                const PyroSelection *selection);
void           pyro_line_costs_free (PyroLineCosts *self);
/* Cost of @line, or NULL when it has none. */
const PyroLineCost *pyro_line_costs_lookup (const PyroLineCosts *self, guint32 line);
/* The line with the most self weight (total breaks ties), or NULL when the
 * table is empty. */
const PyroLineCost *pyro_line_costs_hottest (const PyroLineCosts *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroLineCosts, pyro_line_costs_free)

G_END_DECLS
