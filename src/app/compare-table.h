/* compare-table.h — the "Changes" page of a comparison: every function with
 * its share of A (before) and of B (after), the change in points and the
 * ratio of the two costs, largest change first; sortable by each column.
 * Activating a row selects the function in B. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"
#include "core/profile-diff.h"

G_BEGIN_DECLS

#define PYRO_TYPE_COMPARE_ROW (pyro_compare_row_get_type ())
G_DECLARE_FINAL_TYPE (PyroCompareRow, pyro_compare_row, PYRO, COMPARE_ROW, GObject)

const char *pyro_compare_row_get_name (PyroCompareRow *self);
const char *pyro_compare_row_get_file (PyroCompareRow *self);
/* Shares of the totals of A and B, 0 … 1. */
double      pyro_compare_row_get_a_share (PyroCompareRow *self);
double      pyro_compare_row_get_b_share (PyroCompareRow *self);
/* Cost in A divided by cost in B; 0 when either is 0. */
double      pyro_compare_row_get_ratio (PyroCompareRow *self);

#define PYRO_TYPE_COMPARE_TABLE (pyro_compare_table_get_type ())
G_DECLARE_FINAL_TYPE (PyroCompareTable, pyro_compare_table, PYRO, COMPARE_TABLE, GtkWidget)

GtkWidget  *pyro_compare_table_new (PyroDocument *document);
/* Shows @diff (borrowed: keep it alive while shown; NULL empties the table). */
void        pyro_compare_table_set_diff (PyroCompareTable *self, const PyroProfileDiff *diff);
/* The rows in diff order. */
GListModel *pyro_compare_table_get_rows (PyroCompareTable *self);

G_END_DECLS
