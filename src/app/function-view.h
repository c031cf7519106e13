/* function-view.h — the function table (sortable, filterable) with the
 * Callers and Callees of the selected function below it.  Exact numbers when
 * the trace has call statistics (cProfile), as pstats prints them. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"

G_BEGIN_DECLS

#define PYRO_TYPE_FUNCTION_VIEW (pyro_function_view_get_type ())
G_DECLARE_FINAL_TYPE (PyroFunctionView, pyro_function_view, PYRO, FUNCTION_VIEW, GtkWidget)

GtkWidget *pyro_function_view_new (void);
void       pyro_function_view_set_document (PyroFunctionView *self, PyroDocument *document);
/* Grabs the filter entry's focus. */
void       pyro_function_view_focus_filter (PyroFunctionView *self);
/* Rows shown (after filtering), for tests. */
GListModel *pyro_function_view_get_rows (PyroFunctionView *self);
GListModel *pyro_function_view_get_callers (PyroFunctionView *self);
GListModel *pyro_function_view_get_callees (PyroFunctionView *self);

G_END_DECLS
