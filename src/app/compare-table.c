#include <glib/gi18n.h>
#include <math.h>

#include "compare-table.h"

/* Rows */

struct _PyroCompareRow
{
  GObject parent_instance;
  char *name;
  char *file;
  double a_share;
  double b_share;
  double ratio;
};

G_DEFINE_FINAL_TYPE (PyroCompareRow, pyro_compare_row, G_TYPE_OBJECT)

static void
pyro_compare_row_finalize (GObject *object)
{
  PyroCompareRow *self = PYRO_COMPARE_ROW (object);
  g_free (self->name);
  g_free (self->file);
  G_OBJECT_CLASS (pyro_compare_row_parent_class)->finalize (object);
}

static void
pyro_compare_row_class_init (PyroCompareRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pyro_compare_row_finalize;
}

static void
pyro_compare_row_init (PyroCompareRow *self)
{
}

const char *pyro_compare_row_get_name (PyroCompareRow *self) { return self->name; }
const char *pyro_compare_row_get_file (PyroCompareRow *self) { return self->file; }
double pyro_compare_row_get_a_share (PyroCompareRow *self) { return self->a_share; }
double pyro_compare_row_get_b_share (PyroCompareRow *self) { return self->b_share; }
double pyro_compare_row_get_ratio (PyroCompareRow *self) { return self->ratio; }

/* Table */

typedef enum {
  COLUMN_NAME,
  COLUMN_A,
  COLUMN_B,
  COLUMN_CHANGE,
  COLUMN_RATIO,
} Column;

struct _PyroCompareTable
{
  GtkWidget parent_instance;
  GtkWidget *scrolled;
  GtkColumnView *view;
  GListStore *rows;
  PyroDocument *document;
};

G_DEFINE_FINAL_TYPE (PyroCompareTable, pyro_compare_table, GTK_TYPE_WIDGET)

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_NAME ? 0 : 1);
  if (column == COLUMN_NAME)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  PyroCompareRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  double change = row->b_share - row->a_share;

  gtk_widget_remove_css_class (label, "diff-more");
  gtk_widget_remove_css_class (label, "diff-less");
  switch (column)
    {
    case COLUMN_NAME:
      text = g_strdup (row->name);
      gtk_widget_set_tooltip_text (label, row->file[0] != '\0' ? row->file : NULL);
      break;
    case COLUMN_A:
      text = g_strdup_printf ("%.1f %%", 100 * row->a_share);
      break;
    case COLUMN_B:
      text = g_strdup_printf ("%.1f %%", 100 * row->b_share);
      break;
    case COLUMN_CHANGE:
      /* U+2212 MINUS SIGN lines up with the plus. */
      text = g_strdup_printf ("%s%.1f pp", change >= 0 ? "+" : "−", fabs (100 * change));
      if (fabs (change) >= 0.0005)
        gtk_widget_add_css_class (label, change > 0 ? "diff-more" : "diff-less");
      break;
    case COLUMN_RATIO:
    default:
      text = row->ratio > 0 ? g_strdup_printf ("%.2f×", row->ratio) : g_strdup ("—");
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

static double
column_value (PyroCompareRow *row, Column column)
{
  switch (column)
    {
    case COLUMN_A:
      return row->a_share;
    case COLUMN_B:
      return row->b_share;
    case COLUMN_CHANGE:
      return row->b_share - row->a_share;
    case COLUMN_RATIO:
    default:
      return row->ratio;
    }
}

static int
compare_rows (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  PyroCompareRow *x = (PyroCompareRow *) a, *y = (PyroCompareRow *) b;
  if (column == COLUMN_NAME)
    return g_utf8_collate (x->name, y->name);
  double u = column_value (x, column), v = column_value (y, column);
  return u < v ? GTK_ORDERING_SMALLER : u > v ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
add_column (PyroCompareTable *self, const char *title, Column column, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  GtkColumnViewColumn *c = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, TRUE);
  GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (c, sorter);
  g_object_unref (sorter);
  gtk_column_view_append_column (self->view, c);
  g_object_unref (c);
}

static void
row_activated (GtkColumnView *view, guint position, PyroCompareTable *self)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr (PyroCompareRow) row = g_list_model_get_item (model, position);
  PyroProfile *profile = pyro_document_get_profile (self->document);
  if (row == NULL || profile == NULL)
    return;
  for (guint f = 0; f < pyro_profile_n_funcs (profile); f++)
    if (g_str_equal (pyro_profile_func_name (profile, f), row->name))
      {
        pyro_document_set_selected_func (self->document, f);
        return;
      }
}

void
pyro_compare_table_set_diff (PyroCompareTable *self, const PyroProfileDiff *diff)
{
  g_return_if_fail (PYRO_IS_COMPARE_TABLE (self));
  g_list_store_remove_all (self->rows);
  if (diff == NULL)
    return;

  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < diff->rows->len; i++)
    {
      const PyroDiffRow *r = &g_array_index (diff->rows, PyroDiffRow, i);
      PyroCompareRow *row = g_object_new (PYRO_TYPE_COMPARE_ROW, NULL);
      row->name = g_strdup (r->name);
      row->file = g_strdup (r->file != NULL ? r->file : "");
      row->a_share = diff->a_total > 0 ? r->a / diff->a_total : 0;
      row->b_share = diff->b_total > 0 ? r->b / diff->b_total : 0;
      row->ratio = r->a > 0 && r->b > 0 ? r->a / r->b : 0;
      g_ptr_array_add (items, row);
    }
  g_list_store_splice (self->rows, 0, 0, items->pdata, items->len);
}

GListModel *
pyro_compare_table_get_rows (PyroCompareTable *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_TABLE (self), NULL);
  return G_LIST_MODEL (self->rows);
}

static void
pyro_compare_table_dispose (GObject *object)
{
  PyroCompareTable *self = PYRO_COMPARE_TABLE (object);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->rows);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (pyro_compare_table_parent_class)->dispose (object);
}

static void
pyro_compare_table_class_init (PyroCompareTableClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pyro_compare_table_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "comparetable");
}

static void
pyro_compare_table_init (PyroCompareTable *self)
{
  self->rows = g_list_store_new (PYRO_TYPE_COMPARE_ROW);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  add_column (self, _("Function"), COLUMN_NAME, TRUE);
  add_column (self, _("Before (A)"), COLUMN_A, FALSE);
  add_column (self, _("After (B)"), COLUMN_B, FALSE);
  add_column (self, _("Change"), COLUMN_CHANGE, FALSE);
  add_column (self, _("Ratio A/B"), COLUMN_RATIO, FALSE);

  GtkSortListModel *sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                                      g_object_ref (gtk_column_view_get_sorter (self->view)));
  GtkSingleSelection *selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_signal_connect (self->view, "activate", G_CALLBACK (row_activated), self);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->view));
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

GtkWidget *
pyro_compare_table_new (PyroDocument *document)
{
  PyroCompareTable *self = g_object_new (PYRO_TYPE_COMPARE_TABLE, NULL);
  self->document = g_object_ref (document);
  return GTK_WIDGET (self);
}
