#include "function-table.h"

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const PyroFunctionRow *x = a, *y = b;
  if (x->self != y->self)
    return x->self > y->self ? -1 : 1;
  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return x->func < y->func ? -1 : x->func > y->func;
}

PyroFunctionTable *
pyro_function_table_new (const PyroCallTree *tree)
{
  g_return_val_if_fail (!tree->inverted, NULL);

  guint n_funcs = pyro_profile_n_funcs (tree->profile);
  g_autofree double *self = g_new0 (double, n_funcs);
  g_autofree double *total = g_new0 (double, n_funcs);
  g_autofree guint32 *on_path = g_new0 (guint32, n_funcs);

  /* Depth-first, counting a function's total only at its outermost frame. */
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *next = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 zero = 0;
  g_array_append_val (stack, zero);
  g_array_append_val (next, zero);
  while (stack->len > 0)
    {
      guint top = stack->len - 1;
      guint32 node = g_array_index (stack, guint32, top);
      guint32 *k = &g_array_index (next, guint32, top);
      if (*k < tree->child_count[node])
        {
          guint32 child = tree->children[tree->child_start[node] + (*k)++];
          guint32 f = tree->func[child];
          self[f] += tree->self[child];
          if (on_path[f]++ == 0)
            total[f] += tree->total[child];
          g_array_append_val (stack, child);
          g_array_append_val (next, zero);
        }
      else
        {
          if (node != 0)
            on_path[tree->func[node]]--;
          g_array_set_size (stack, top);
          g_array_set_size (next, top);
        }
    }
  g_array_unref (stack);
  g_array_unref (next);

  PyroFunctionTable *table = g_new0 (PyroFunctionTable, 1);
  table->profile = pyro_profile_ref (tree->profile);
  table->grand_total = tree->total[0];
  table->rows = g_array_new (FALSE, FALSE, sizeof (PyroFunctionRow));
  for (guint f = 0; f < n_funcs; f++)
    if (total[f] != 0 || self[f] != 0)
      {
        PyroFunctionRow row = { f, self[f], total[f], -1 };
        g_array_append_val (table->rows, row);
      }
  g_array_sort (table->rows, compare_rows);
  return table;
}

PyroFunctionTable *
pyro_function_table_new_exact (PyroProfile *profile)
{
  PyroFunctionTable *table = g_new0 (PyroFunctionTable, 1);
  table->profile = pyro_profile_ref (profile);
  table->rows = g_array_new (FALSE, FALSE, sizeof (PyroFunctionRow));
  for (guint i = 0; i < profile->func_stats->len; i++)
    {
      const PyroFuncStats *st = &g_array_index (profile->func_stats, PyroFuncStats, i);
      PyroFunctionRow row = { st->func, st->self_time, st->cum_time, st->total_calls };
      g_array_append_val (table->rows, row);
      table->grand_total += st->self_time;
    }
  g_array_sort (table->rows, compare_rows);
  return table;
}

PyroFunctionTable *
pyro_function_table_new_for_profile (PyroProfile *profile)
{
  if (profile->has_call_stats)
    return pyro_function_table_new_exact (profile);
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (profile, NULL, NULL, NULL);
  return pyro_function_table_new (tree);
}

void
pyro_function_table_free (PyroFunctionTable *self)
{
  if (self == NULL)
    return;
  pyro_profile_unref (self->profile);
  g_array_unref (self->rows);
  g_free (self);
}

const PyroFunctionRow *
pyro_function_table_lookup (const PyroFunctionTable *self, guint32 func)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      const PyroFunctionRow *row = &g_array_index (self->rows, PyroFunctionRow, i);
      if (row->func == func)
        return row;
    }
  return NULL;
}

static int
compare_neighbours (gconstpointer a, gconstpointer b)
{
  const PyroNeighbour *x = a, *y = b;
  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  return x->func < y->func ? -1 : x->func > y->func;
}

static void
add_weight (GHashTable *acc, guint32 func, double w)
{
  double *slot = g_hash_table_lookup (acc, GUINT_TO_POINTER (func + 1));
  if (slot == NULL)
    {
      slot = g_new0 (double, 1);
      g_hash_table_insert (acc, GUINT_TO_POINTER (func + 1), slot);
    }
  *slot += w;
}

static GArray *
to_array (GHashTable *acc)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (PyroNeighbour));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, acc);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PyroNeighbour n = { GPOINTER_TO_UINT (key) - 1, *(double *) value };
      g_array_append_val (out, n);
    }
  g_array_sort (out, compare_neighbours);
  return out;
}

void
pyro_function_neighbours (const PyroCallTree *tree, guint32 func, GArray **callers,
                          GArray **callees)
{
  g_autoptr (GHashTable) in = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GHashTable) out = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint i = 1; i < tree->n_nodes; i++)
    {
      if (tree->func[i] != func)
        continue;
      guint32 p = tree->parent[i];
      if (p != 0)
        add_weight (in, tree->func[p], tree->total[i]);
      for (guint k = 0; k < tree->child_count[i]; k++)
        {
          guint32 c = tree->children[tree->child_start[i] + k];
          add_weight (out, tree->func[c], tree->total[c]);
        }
    }
  if (callers != NULL)
    *callers = to_array (in);
  if (callees != NULL)
    *callees = to_array (out);
}
