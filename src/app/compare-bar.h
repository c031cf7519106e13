/* compare-bar.h — the window's profile (B, after) compared with another (A,
 * before), across formats.  A bar under the header gives the headline ("B is
 * 3.4× faster overall; fib went from 62% to 0.3%") and a legend; the flame
 * and icicle views keep B's sizes and colour each frame by the change of its
 * share (red more, blue less, white the same); a "Changes" page lists every
 * function with A, B, the change and the ratio.
 *
 * Actions, in the window's "compare" group: compare.open (choose B, opened
 * in a new window compared with the profile open here, A) and compare.stop. */
#pragma once

#include <adwaita.h>
#include "window.h"
#include "core/profile-diff.h"

G_BEGIN_DECLS

#define PYRO_TYPE_COMPARE_BAR (pyro_compare_bar_get_type ())
G_DECLARE_FINAL_TYPE (PyroCompareBar, pyro_compare_bar, PYRO, COMPARE_BAR, GtkWidget)

GtkWidget *pyro_compare_bar_new (void);
/* Follows @window's document; adds the "Changes" page to @view_stack while
 * comparing. */
void       pyro_compare_bar_attach (PyroCompareBar *self, PyroWindow *window,
                                    AdwViewStack *view_stack);

/* Compares the document's profile, once loaded, with @before, read in a
 * worker thread; a file that does not load shows its error in the bar. */
void       pyro_compare_bar_compare_with_file (PyroCompareBar *self, GFile *before);
/* Compares with @before (a reference is taken), called @name in the bar. */
void       pyro_compare_bar_compare_with (PyroCompareBar *self, PyroProfile *before,
                                          const char *name);
/* Opens @after (B) in a window of its own, compared with the profile open
 * here (A); returns that window (borrowed), NULL when nothing is open here. */
PyroWindow *pyro_compare_bar_open_after (PyroCompareBar *self, GFile *after);
void       pyro_compare_bar_stop (PyroCompareBar *self);

/* Handles a drop of one file on a window that shows a profile: with
 * @compare TRUE (Ctrl held) it is opened as B at once, otherwise a dialog
 * asks whether to open it or compare it with the open profile.
 * FALSE when the window shows no profile (the caller opens the file). */
gboolean   pyro_compare_bar_handle_drop (PyroCompareBar *self, GFile *file, gboolean compare);

gboolean   pyro_compare_bar_get_active (PyroCompareBar *self);
/* The headline shown, NULL until both profiles are ready. */
const char *pyro_compare_bar_get_headline (PyroCompareBar *self);
/* The name of A, NULL when not comparing. */
const char *pyro_compare_bar_get_before_name (PyroCompareBar *self);
/* For each node of the document's current tree, its weight in A (the
 * colours of the flame views); NULL until both profiles are ready.  Owned
 * by the bar, replaced when the tree is. */
const double *pyro_compare_bar_get_before_totals (PyroCompareBar *self, guint *n_nodes,
                                                  double *before_total);
/* Why the last comparison could not be made, or NULL. */
const char *pyro_compare_bar_get_error (PyroCompareBar *self);
/* The comparison of the whole profiles, NULL until both are ready. */
const PyroProfileDiff *pyro_compare_bar_get_diff (PyroCompareBar *self);
/* The rows of the "Changes" table (PyroCompareRow items). */
GListModel *pyro_compare_bar_get_rows (PyroCompareBar *self);

G_END_DECLS
