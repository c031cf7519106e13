#include <glib/gi18n.h>
#include <math.h>

#include "function-view.h"
#include "function-item.h"
#include "render/weight-format.h"

typedef enum {
  COL_NAME,
  COL_CALLS,
  COL_SELF,
  COL_SELF_PCT,
  COL_SELF_PER_CALL,
  COL_TOTAL,
  COL_TOTAL_PCT,
  COL_TOTAL_PER_CALL,
  COL_FILE,
  COL_LINE,
  N_COLS
} ColumnKind;

struct _PyroFunctionView
{
  GtkWidget parent_instance;

  GtkSearchEntry *filter_entry;
  GtkLabel *estimated_label;
  GtkLabel *count_label;
  GtkColumnView *table;
  GtkColumnView *callers;
  GtkColumnView *callees;
  GtkLabel *callers_title;
  GtkLabel *callees_title;

  PyroDocument *document;
  gulong trees_handler;
  gulong selected_handler;

  GListStore *store;
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  char *filter_text;              /* casefolded, NULL when empty */
  GtkSingleSelection *selection;
  GListStore *caller_store;
  GListStore *callee_store;

  GtkColumnViewColumn *columns[N_COLS];
  GtkColumnViewColumn *caller_columns[N_COLS];
  GtkColumnViewColumn *callee_columns[N_COLS];

  gboolean exact;
  PyroUnit unit;
  double grand_total;
  /* New trees came while the view was not shown: the rows wait for it. */
  gboolean stale;
};

G_DEFINE_FINAL_TYPE (PyroFunctionView, pyro_function_view, GTK_TYPE_WIDGET)

/* Cells */

static char *
format_value (PyroFunctionView *self, double v)
{
  if (v < 0)
    return g_strdup ("");
  if (self->exact || self->unit == PYRO_UNIT_SECONDS)
    return g_strdup_printf ("%.3f", v);
  if (self->unit == PYRO_UNIT_BYTES)
    return pyro_format_weight (self->unit, v);
  if (v == floor (v))
    return g_strdup_printf ("%.0f", v);
  return g_strdup_printf ("%.2f", v);
}

static char *
format_percent (PyroFunctionView *self, double v)
{
  if (self->grand_total <= 0)
    return g_strdup ("");
  return g_strdup_printf ("%.2f %%", 100.0 * v / self->grand_total);
}

static char *
format_calls (PyroFunctionItem *item)
{
  double calls = pyro_function_item_get_calls (item);
  double prim = pyro_function_item_get_prim_calls (item);
  if (calls < 0)
    return g_strdup ("");
  if (prim >= 0 && prim != calls)
    return g_strdup_printf ("%.0f/%.0f", calls, prim);
  return g_strdup_printf ("%.0f", calls);
}

static char *
cell_text (PyroFunctionView *self, ColumnKind kind, PyroFunctionItem *item)
{
  switch (kind)
    {
    case COL_NAME:
      return g_strdup (pyro_function_item_get_name (item));
    case COL_CALLS:
      return format_calls (item);
    case COL_SELF:
      return format_value (self, pyro_function_item_get_self (item));
    case COL_SELF_PCT:
      return format_percent (self, pyro_function_item_get_self (item));
    case COL_SELF_PER_CALL:
      return format_value (self, pyro_function_item_get_self_per_call (item));
    case COL_TOTAL:
      return format_value (self, pyro_function_item_get_total (item));
    case COL_TOTAL_PCT:
      return format_percent (self, pyro_function_item_get_total (item));
    case COL_TOTAL_PER_CALL:
      return format_value (self, pyro_function_item_get_total_per_call (item));
    case COL_FILE:
      return g_strdup (pyro_function_item_get_file (item));
    case COL_LINE:
      return pyro_function_item_get_line (item) > 0
               ? g_strdup_printf ("%u", pyro_function_item_get_line (item))
               : g_strdup ("");
    case N_COLS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  ColumnKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "pyro-kind"));
  GtkWidget *label = gtk_label_new (NULL);
  if (kind == COL_NAME || kind == COL_FILE)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label),
                               kind == COL_FILE ? PANGO_ELLIPSIZE_START : PANGO_ELLIPSIZE_END);
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  gtk_list_item_set_child (list_item, label);
}

static void
show_cell (GtkListItem *list_item)
{
  PyroFunctionView *self = g_object_get_data (G_OBJECT (list_item), "pyro-view");
  ColumnKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "pyro-kind"));
  PyroFunctionItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = cell_text (self, kind, item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  if (g_strcmp0 (gtk_label_get_text (label), text) == 0)
    return;
  gtk_label_set_text (label, text);
  if (kind == COL_NAME || kind == COL_FILE)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

/* A grown profile updates the items in place (fill()): their cells follow. */
static void
item_notified (PyroFunctionItem *item, GParamSpec *pspec, GtkListItem *list_item)
{
  show_cell (list_item);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, PyroFunctionView *self)
{
  g_object_set_data (G_OBJECT (list_item), "pyro-view", self);
  g_object_set_data (G_OBJECT (list_item), "pyro-kind", g_object_get_data (G_OBJECT (factory), "pyro-kind"));
  show_cell (list_item);
  g_signal_connect_object (gtk_list_item_get_item (list_item), "notify", G_CALLBACK (item_notified),
                           list_item, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, PyroFunctionView *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), item_notified, list_item);
}

static GtkSorter *
make_sorter (ColumnKind kind)
{
  static const char *const props[N_COLS] = {
    [COL_NAME] = "name", [COL_CALLS] = "calls", [COL_SELF] = "self", [COL_SELF_PCT] = "self",
    [COL_SELF_PER_CALL] = "self-per-call", [COL_TOTAL] = "total", [COL_TOTAL_PCT] = "total",
    [COL_TOTAL_PER_CALL] = "total-per-call", [COL_FILE] = "file", [COL_LINE] = "line",
  };
  GtkExpression *expr = gtk_property_expression_new (PYRO_TYPE_FUNCTION_ITEM, NULL, props[kind]);
  if (kind == COL_NAME || kind == COL_FILE)
    return GTK_SORTER (gtk_string_sorter_new (expr));
  return GTK_SORTER (gtk_numeric_sorter_new (expr));
}

static GtkColumnViewColumn *
add_column (PyroFunctionView *self, GtkColumnView *view, ColumnKind kind, int width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_object_set_data (G_OBJECT (factory), "pyro-kind", GINT_TO_POINTER (kind));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
  GtkColumnViewColumn *column = gtk_column_view_column_new (NULL, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  if (kind == COL_NAME)
    gtk_column_view_column_set_expand (column, TRUE);
  g_autoptr (GtkSorter) sorter = make_sorter (kind);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
  return column;
}

/* Titles depend on whether the numbers are exact times or samples. */
static void
update_columns (PyroFunctionView *self)
{
  const char *self_title = self->exact ? _("Own Time") : _("Self");
  const char *total_title = self->exact ? _("Cumulative") : _("Total");
  GtkColumnViewColumn **sets[] = { self->columns, self->caller_columns, self->callee_columns };

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      GtkColumnViewColumn **c = sets[s];
      gboolean main_table = s == 0;
      gtk_column_view_column_set_title (c[COL_NAME], _("Function"));
      gtk_column_view_column_set_title (c[COL_CALLS], _("Calls"));
      gtk_column_view_column_set_title (c[COL_SELF], self_title);
      gtk_column_view_column_set_title (c[COL_SELF_PCT], _("Self %"));
      gtk_column_view_column_set_title (c[COL_SELF_PER_CALL], _("Own/Call"));
      gtk_column_view_column_set_title (c[COL_TOTAL], main_table || self->exact ? total_title : _("Weight"));
      gtk_column_view_column_set_title (c[COL_TOTAL_PCT], main_table ? _("Total %") : _("Share"));
      gtk_column_view_column_set_title (c[COL_TOTAL_PER_CALL], _("Cum/Call"));
      gtk_column_view_column_set_title (c[COL_FILE], _("File"));
      gtk_column_view_column_set_title (c[COL_LINE], _("Line"));

      gtk_column_view_column_set_visible (c[COL_CALLS], self->exact);
      gtk_column_view_column_set_visible (c[COL_SELF_PER_CALL], self->exact && main_table);
      gtk_column_view_column_set_visible (c[COL_TOTAL_PER_CALL], self->exact && main_table);
      gtk_column_view_column_set_visible (c[COL_SELF], main_table || self->exact);
      gtk_column_view_column_set_visible (c[COL_SELF_PCT], main_table && !self->exact);
      gtk_column_view_column_set_visible (c[COL_TOTAL_PCT], !self->exact);
      gtk_column_view_column_set_visible (c[COL_FILE], main_table);
      gtk_column_view_column_set_visible (c[COL_LINE], main_table);
    }
}

/* Filtering */

static gboolean
filter_match (gpointer item, gpointer user_data)
{
  PyroFunctionView *self = user_data;
  if (self->filter_text == NULL)
    return TRUE;
  g_autofree char *name = g_utf8_casefold (pyro_function_item_get_name (item), -1);
  if (strstr (name, self->filter_text) != NULL)
    return TRUE;
  g_autofree char *file = g_utf8_casefold (pyro_function_item_get_file (item), -1);
  return strstr (file, self->filter_text) != NULL;
}

static void
update_count (PyroFunctionView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *text = shown == all
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u function", "%u functions", all), all)
    : g_strdup_printf (_("%u of %u functions"), shown, all);
  gtk_label_set_text (self->count_label, text);
}

static void
filter_changed (PyroFunctionView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_clear_pointer (&self->filter_text, g_free);
  if (text[0] != '\0')
    self->filter_text = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* Callers and callees */

static PyroFunctionItem *
item_for_func (PyroProfile *profile, guint32 func, double self_value, double total,
               double calls, double prim_calls)
{
  return pyro_function_item_new (func, pyro_profile_func_name (profile, func),
                                 pyro_profile_func_file (profile, func),
                                 pyro_profile_func_line (profile, func), self_value, total,
                                 calls, prim_calls);
}

static void
fill_neighbours (PyroFunctionView *self, guint32 func)
{
  PyroProfile *profile = self->document != NULL ? pyro_document_get_profile (self->document) : NULL;
  g_list_store_remove_all (self->caller_store);
  g_list_store_remove_all (self->callee_store);

  if (profile == NULL || func == PYRO_NONE)
    {
      gtk_label_set_text (self->callers_title, _("Callers — select a function above"));
      gtk_label_set_text (self->callees_title, _("Callees — select a function above"));
      return;
    }
  g_autofree char *name = g_markup_escape_text (pyro_profile_func_name (profile, func), -1);
  g_autofree char *callers_markup = g_strdup_printf (_("Callers of %s"), name);
  g_autofree char *callees_markup = g_strdup_printf (_("Callees of %s"), name);
  gtk_label_set_markup (self->callers_title, callers_markup);
  gtk_label_set_markup (self->callees_title, callees_markup);

  if (self->exact)
    {
      for (guint i = 0; i < profile->call_edges->len; i++)
        {
          const PyroCallEdge *e = &g_array_index (profile->call_edges, PyroCallEdge, i);
          if (e->callee == func)
            {
              g_autoptr (PyroFunctionItem) item = item_for_func (
                profile, e->caller, e->self_time, e->cum_time, e->total_calls, e->prim_calls);
              g_list_store_append (self->caller_store, item);
            }
          if (e->caller == func)
            {
              g_autoptr (PyroFunctionItem) item = item_for_func (
                profile, e->callee, e->self_time, e->cum_time, e->total_calls, e->prim_calls);
              g_list_store_append (self->callee_store, item);
            }
        }
      return;
    }

  const PyroCallTree *top_down = pyro_document_get_top_down (self->document);
  if (top_down == NULL)
    return;
  GArray *in = NULL, *out = NULL;
  pyro_function_neighbours (top_down, func, &in, &out);
  for (guint i = 0; i < in->len; i++)
    {
      PyroNeighbour *n = &g_array_index (in, PyroNeighbour, i);
      g_autoptr (PyroFunctionItem) item = item_for_func (profile, n->func, -1, n->weight, -1, -1);
      g_list_store_append (self->caller_store, item);
    }
  for (guint i = 0; i < out->len; i++)
    {
      PyroNeighbour *n = &g_array_index (out, PyroNeighbour, i);
      g_autoptr (PyroFunctionItem) item = item_for_func (profile, n->func, -1, n->weight, -1, -1);
      g_list_store_append (self->callee_store, item);
    }
  g_array_unref (in);
  g_array_unref (out);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* Selects the row of @func (if shown) without feeding back to the document. */
static void
select_func_row (PyroFunctionView *self, guint32 func)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);
  guint found = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < n && func != PYRO_NONE; i++)
    {
      g_autoptr (PyroFunctionItem) item = g_list_model_get_item (model, i);
      if (pyro_function_item_get_func (item) == func)
        {
          found = i;
          break;
        }
    }
  if (gtk_single_selection_get_selected (self->selection) != found)
    gtk_single_selection_set_selected (self->selection, found);
  GtkWidget *list = find_list_view (GTK_WIDGET (self->table));
  if (found != GTK_INVALID_LIST_POSITION && list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", found);
}

static void
selected_func_changed (PyroFunctionView *self)
{
  if (self->stale)
    return;
  guint32 func = pyro_document_get_selected_func (self->document);
  select_func_row (self, func);
  fill_neighbours (self, func);
}

static void
table_selection_changed (PyroFunctionView *self)
{
  PyroFunctionItem *item = gtk_single_selection_get_selected_item (self->selection);
  if (item != NULL && self->document != NULL)
    pyro_document_set_selected_func (self->document, pyro_function_item_get_func (item));
}

static void
table_activated (PyroFunctionView *self, guint position)
{
  g_autoptr (PyroFunctionItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (item != NULL && self->document != NULL)
    pyro_document_set_selected_func (self->document, pyro_function_item_get_func (item));
}

static void
neighbour_activated (PyroFunctionView *self, guint position, GtkColumnView *view)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr (PyroFunctionItem) item = g_list_model_get_item (model, position);
  if (item == NULL || self->document == NULL)
    return;
  /* The function may be hidden by the filter: clear it so the row shows. */
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
  pyro_document_set_selected_func (self->document, pyro_function_item_get_func (item));
}

/* Filling the table */

static double
prim_calls_of (PyroProfile *profile, guint32 func, const guint32 *stats_index)
{
  if (stats_index == NULL || stats_index[func] == PYRO_NONE)
    return -1;
  return g_array_index (profile->func_stats, PyroFuncStats, stats_index[func]).prim_calls;
}

static PyroFunctionItem *
row_item (PyroProfile *profile, const PyroFunctionTable *table, guint i, const guint32 *stats_index)
{
  const PyroFunctionRow *row = &g_array_index (table->rows, PyroFunctionRow, i);
  return item_for_func (profile, row->func, row->self, row->total, row->calls,
                        prim_calls_of (profile, row->func, stats_index));
}

/* A live recording's grown profile keeps the functions of the part read
 * before, under the same numbers: the rows shown get their new numbers and
 * the new functions are appended, so the list keeps its row widgets
 * (replacing every row costs tens of milliseconds on each swap).  FALSE
 * when a row's function is not in @table under the same name: the table
 * is filled afresh. */
static gboolean
update_in_place (PyroFunctionView *self, PyroProfile *profile, const PyroFunctionTable *table,
                 const guint32 *stats_index)
{
  GListModel *store = G_LIST_MODEL (self->store);
  guint n_items = g_list_model_get_n_items (store);
  guint n_funcs = pyro_profile_n_funcs (profile);
  if (n_items == 0 || n_items > table->rows->len)
    return FALSE;
  g_autofree guint32 *row_of = g_new (guint32, n_funcs);
  memset (row_of, 0xff, sizeof (guint32) * n_funcs);
  for (guint i = 0; i < table->rows->len; i++)
    row_of[g_array_index (table->rows, PyroFunctionRow, i).func] = i;
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PyroFunctionItem) item = g_list_model_get_item (store, i);
      guint32 func = pyro_function_item_get_func (item);
      if (func >= n_funcs || row_of[func] == PYRO_NONE
          || g_strcmp0 (pyro_function_item_get_name (item), pyro_profile_func_name (profile, func)) != 0
          || g_strcmp0 (pyro_function_item_get_file (item), pyro_profile_func_file (profile, func)) != 0)
        return FALSE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr (PyroFunctionItem) item = g_list_model_get_item (store, i);
      guint32 func = pyro_function_item_get_func (item);
      const PyroFunctionRow *row = &g_array_index (table->rows, PyroFunctionRow, row_of[func]);
      pyro_function_item_set_values (item, row->self, row->total, row->calls,
                                     prim_calls_of (profile, func, stats_index));
      row_of[func] = PYRO_NONE;
    }
  GPtrArray *added = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < table->rows->len; i++)
    if (row_of[g_array_index (table->rows, PyroFunctionRow, i).func] != PYRO_NONE)
      g_ptr_array_add (added, row_item (profile, table, i, stats_index));
  g_list_store_splice (self->store, n_items, 0, added->pdata, added->len);
  g_ptr_array_unref (added);
  gtk_sorter_changed (gtk_column_view_get_sorter (self->table), GTK_SORTER_CHANGE_DIFFERENT);
  return TRUE;
}

static void
fill (PyroFunctionView *self)
{
  self->stale = FALSE;
  PyroProfile *profile = pyro_document_get_profile (self->document);
  const PyroFunctionTable *table = pyro_document_get_function_table (self->document);
  if (profile == NULL || table == NULL)
    return;

  self->exact = profile->has_call_stats;
  self->unit = profile->meta.unit;
  self->grand_total = table->grand_total;
  /* The table and the caller/callee edges of a deterministic profile are
   * exact even when its call tree is estimated. */
  gtk_label_set_text (self->estimated_label,
                      self->exact ? _("Exact call counts and times")
                                  : _("Call tree estimated from caller/callee pairs"));
  gtk_widget_set_visible (GTK_WIDGET (self->estimated_label),
                          self->exact || profile->meta.estimated);
  if (self->exact)
    gtk_widget_remove_css_class (GTK_WIDGET (self->estimated_label), "warning");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->estimated_label), "warning");
  update_columns (self);

  g_autofree guint32 *stats_index = NULL;
  if (self->exact)
    {
      stats_index = g_new (guint32, pyro_profile_n_funcs (profile));
      memset (stats_index, 0xff, sizeof (guint32) * pyro_profile_n_funcs (profile));
      for (guint i = 0; i < profile->func_stats->len; i++)
        {
          guint32 f = g_array_index (profile->func_stats, PyroFuncStats, i).func;
          if (f < pyro_profile_n_funcs (profile))
            stats_index[f] = i;
        }
    }

  if (!update_in_place (self, profile, table, stats_index))
    {
      GPtrArray *items = g_ptr_array_new_full (table->rows->len, g_object_unref);
      for (guint i = 0; i < table->rows->len; i++)
        g_ptr_array_add (items, row_item (profile, table, i, stats_index));
      g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                           items->pdata, items->len);
      g_ptr_array_unref (items);
    }
  update_count (self);
  selected_func_changed (self);
}

/* Replacing every row costs its widgets (tens of milliseconds for a live
 * recording's swap, twice a second): a hidden table fills when shown. */
static void
trees_changed (PyroFunctionView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    fill (self);
  else
    self->stale = TRUE;
}

static void
fill_if_stale (PyroFunctionView *self)
{
  if (self->stale && self->document != NULL)
    fill (self);
}

static void
pyro_function_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pyro_function_view_parent_class)->map (widget);
  fill_if_stale (PYRO_FUNCTION_VIEW (widget));
}

void
pyro_function_view_set_document (PyroFunctionView *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_FUNCTION_VIEW (self));
  if (self->document == document)
    return;
  if (self->document != NULL)
    {
      g_clear_signal_handler (&self->trees_handler, self->document);
      g_clear_signal_handler (&self->selected_handler, self->document);
    }
  g_set_object (&self->document, document);
  g_list_store_remove_all (self->store);
  self->stale = FALSE;
  if (document != NULL)
    {
      self->trees_handler = g_signal_connect_swapped (document, "trees-changed",
                                                      G_CALLBACK (trees_changed), self);
      self->selected_handler = g_signal_connect_swapped (document, "notify::selected-func",
                                                         G_CALLBACK (selected_func_changed), self);
      if (pyro_document_get_tree (document) != NULL)
        fill (self);
    }
}

void
pyro_function_view_focus_filter (PyroFunctionView *self)
{
  g_return_if_fail (PYRO_IS_FUNCTION_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

GListModel *
pyro_function_view_get_rows (PyroFunctionView *self)
{
  fill_if_stale (self);
  return G_LIST_MODEL (self->selection);
}

GListModel *
pyro_function_view_get_callers (PyroFunctionView *self)
{
  fill_if_stale (self);
  return G_LIST_MODEL (self->caller_store);
}

GListModel *
pyro_function_view_get_callees (PyroFunctionView *self)
{
  fill_if_stale (self);
  return G_LIST_MODEL (self->callee_store);
}

static GtkSingleSelection *
sorted_selection (GtkColumnView *view, GListModel *model)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
  GtkSortListModel *sorted = gtk_sort_list_model_new (g_object_ref (model), g_object_ref (sorter));
  GtkSingleSelection *selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  return selection;
}

static void
add_columns (PyroFunctionView *self, GtkColumnView *view, GtkColumnViewColumn **out)
{
  static const int widths[N_COLS] = {
    [COL_NAME] = 0, [COL_CALLS] = 90, [COL_SELF] = 100, [COL_SELF_PCT] = 80,
    [COL_SELF_PER_CALL] = 90, [COL_TOTAL] = 100, [COL_TOTAL_PCT] = 80,
    [COL_TOTAL_PER_CALL] = 90, [COL_FILE] = 300, [COL_LINE] = 60,
  };
  for (int kind = 0; kind < N_COLS; kind++)
    out[kind] = add_column (self, view, kind, widths[kind]);
}

static void
pyro_function_view_dispose (GObject *object)
{
  PyroFunctionView *self = PYRO_FUNCTION_VIEW (object);
  pyro_function_view_set_document (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PYRO_TYPE_FUNCTION_VIEW);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (pyro_function_view_parent_class)->dispose (object);
}

static void
pyro_function_view_finalize (GObject *object)
{
  PyroFunctionView *self = PYRO_FUNCTION_VIEW (object);
  g_clear_object (&self->store);
  g_clear_object (&self->filtered);
  g_clear_object (&self->selection);
  g_clear_object (&self->caller_store);
  g_clear_object (&self->callee_store);
  g_free (self->filter_text);
  G_OBJECT_CLASS (pyro_function_view_parent_class)->finalize (object);
}

static void
pyro_function_view_class_init (PyroFunctionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pyro_function_view_dispose;
  object_class->finalize = pyro_function_view_finalize;
  widget_class->map = pyro_function_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pyrometer/Pyrometer/function-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, estimated_label);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, table);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, callers);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, callees);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, callers_title);
  gtk_widget_class_bind_template_child (widget_class, PyroFunctionView, callees_title);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, table_activated);
  gtk_widget_class_bind_template_callback (widget_class, neighbour_activated);
  gtk_widget_class_set_css_name (widget_class, "functionview");
}

static void
pyro_function_view_init (PyroFunctionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (PYRO_TYPE_FUNCTION_ITEM);
  self->caller_store = g_list_store_new (PYRO_TYPE_FUNCTION_ITEM);
  self->callee_store = g_list_store_new (PYRO_TYPE_FUNCTION_ITEM);
  self->filter = gtk_custom_filter_new (filter_match, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                              GTK_FILTER (self->filter));

  add_columns (self, self->table, self->columns);
  add_columns (self, self->callers, self->caller_columns);
  add_columns (self, self->callees, self->callee_columns);
  update_columns (self);

  self->selection = sorted_selection (self->table, G_LIST_MODEL (self->filtered));
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (table_selection_changed), self);
  g_object_unref (sorted_selection (self->callers, G_LIST_MODEL (self->caller_store)));
  g_object_unref (sorted_selection (self->callees, G_LIST_MODEL (self->callee_store)));

  gtk_column_view_sort_by_column (self->table, self->columns[COL_SELF], GTK_SORT_DESCENDING);
  gtk_column_view_sort_by_column (self->callers, self->caller_columns[COL_TOTAL], GTK_SORT_DESCENDING);
  gtk_column_view_sort_by_column (self->callees, self->callee_columns[COL_TOTAL], GTK_SORT_DESCENDING);
  fill_neighbours (self, PYRO_NONE);
}

GtkWidget *
pyro_function_view_new (void)
{
  return g_object_new (PYRO_TYPE_FUNCTION_VIEW, NULL);
}
