#include "tree-diff.h"

/* B's func ids -> A's, by name and file (the first of A's funcs with that
 * name and file), else by name when A has it in one file only (the slow and
 * the fast version of a script); PYRO_NONE when A lacks it. */
static guint32 *
map_funcs (PyroProfile *b, PyroProfile *a)
{
  g_autoptr (GHashTable) in_a = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint f = 0; f < pyro_profile_n_funcs (a); f++)
    {
      char *key = g_strdup_printf ("%s\x1f%s", pyro_profile_func_name (a, f), pyro_profile_func_file (a, f));
      if (!g_hash_table_contains (in_a, key))
        g_hash_table_insert (in_a, key, GUINT_TO_POINTER (f + 1));
      else
        g_free (key);
    }

  /* by name alone when A has the name in one file only */
  g_autoptr (GHashTable) names_a = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint f = 0; f < pyro_profile_n_funcs (a); f++)
    {
      const char *name = pyro_profile_func_name (a, f);
      gpointer previous = g_hash_table_lookup (names_a, name);
      gboolean same_file = previous != NULL && GPOINTER_TO_UINT (previous) != G_MAXUINT32
                           && g_str_equal (pyro_profile_func_file (a, GPOINTER_TO_UINT (previous) - 1),
                                           pyro_profile_func_file (a, f));
      if (previous == NULL)
        g_hash_table_insert (names_a, (gpointer) name, GUINT_TO_POINTER (f + 1));
      else if (!same_file)
        g_hash_table_insert (names_a, (gpointer) name, GUINT_TO_POINTER (G_MAXUINT32));
    }

  guint32 *map = g_new (guint32, pyro_profile_n_funcs (b) + 1);
  for (guint f = 0; f < pyro_profile_n_funcs (b); f++)
    {
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", pyro_profile_func_name (b, f),
                                              pyro_profile_func_file (b, f));
      map[f] = GPOINTER_TO_UINT (g_hash_table_lookup (in_a, key)) - 1;
      if (map[f] == PYRO_NONE)
        {
          guint v = GPOINTER_TO_UINT (g_hash_table_lookup (names_a, pyro_profile_func_name (b, f)));
          map[f] = (v == 0 || v == G_MAXUINT32) ? PYRO_NONE : v - 1;
        }
    }
  return map;
}

double *
pyro_call_tree_match_totals (const PyroCallTree *b, const PyroCallTree *a)
{
  g_autofree guint32 *map = map_funcs (b->profile, a->profile);
  g_autofree guint32 *a_node = g_new (guint32, b->n_nodes);
  double *totals = g_new0 (double, b->n_nodes);

  a_node[0] = 0;
  totals[0] = a->total[0];
  for (guint i = 1; i < b->n_nodes; i++)
    {
      guint32 p = a_node[b->parent[i]];
      guint32 f = map[b->func[i]];
      a_node[i] = (p == PYRO_NONE || f == PYRO_NONE) ? PYRO_NONE : pyro_call_tree_find_child (a, p, f);
      totals[i] = a_node[i] == PYRO_NONE ? 0 : a->total[a_node[i]];
    }
  return totals;
}
