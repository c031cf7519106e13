/* function-item.h — one row of the function table or of its Callers and
 * Callees lists, as a GObject with properties so GtkColumnView can sort it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PYRO_TYPE_FUNCTION_ITEM (pyro_function_item_get_type ())
G_DECLARE_FINAL_TYPE (PyroFunctionItem, pyro_function_item, PYRO, FUNCTION_ITEM, GObject)

/* @calls and @prim_calls are -1 when unknown. Strings are copied. */
PyroFunctionItem *pyro_function_item_new (guint32 func, const char *name, const char *file,
                                          guint line, double self, double total,
                                          double calls, double prim_calls);

/* New numbers for the same function (a grown profile); notifies them. */
void        pyro_function_item_set_values (PyroFunctionItem *self, double self_weight, double total,
                                           double calls, double prim_calls);

guint32     pyro_function_item_get_func (PyroFunctionItem *self);
const char *pyro_function_item_get_name (PyroFunctionItem *self);
const char *pyro_function_item_get_file (PyroFunctionItem *self);
guint       pyro_function_item_get_line (PyroFunctionItem *self);
double      pyro_function_item_get_self (PyroFunctionItem *self);
double      pyro_function_item_get_total (PyroFunctionItem *self);
double      pyro_function_item_get_calls (PyroFunctionItem *self);
double      pyro_function_item_get_prim_calls (PyroFunctionItem *self);
/* Own time per call (self / calls) and cumulative per primitive call, as
 * pstats computes them; -1 when the calls are unknown or zero. */
double      pyro_function_item_get_self_per_call (PyroFunctionItem *self);
double      pyro_function_item_get_total_per_call (PyroFunctionItem *self);

G_END_DECLS
