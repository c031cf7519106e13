#include "profile-diff.h"
#include "function-table.h"

#include <glib/gi18n.h>
#include <math.h>

/* A's rows by function name alone, for B's functions whose file differs
 * (fib in fib_slow.py against fib in fib_fast.py); PYRO_NONE marks a name
 * that A has in more than one file. */
static GHashTable *
index_names (const PyroProfileDiff *diff)
{
  GHashTable *by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < diff->rows->len; i++)
    {
      const char *name = g_array_index (diff->rows, PyroDiffRow, i).name;
      gpointer row = g_hash_table_contains (by_name, name) ? GUINT_TO_POINTER (PYRO_NONE)
                                                            : GUINT_TO_POINTER (i + 1);
      g_hash_table_insert (by_name, (gpointer) name, row);
    }
  return by_name;
}

static void
add_rows (GHashTable *by_key, GHashTable *a_names, PyroProfileDiff *diff, PyroProfile *profile,
          gboolean is_b)
{
  g_autoptr (PyroFunctionTable) table = pyro_function_table_new_for_profile (profile);
  if (is_b)
    diff->b_total = table->grand_total;
  else
    diff->a_total = table->grand_total;

  for (guint i = 0; i < table->rows->len; i++)
    {
      const PyroFunctionRow *r = &g_array_index (table->rows, PyroFunctionRow, i);
      const char *name = pyro_profile_func_name (profile, r->func);
      const char *file = pyro_profile_func_file (profile, r->func);
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", name, file);
      gpointer index;
      gpointer by_name = a_names != NULL ? g_hash_table_lookup (a_names, name) : NULL;
      gboolean found = g_hash_table_lookup_extended (by_key, key, NULL, &index);
      if (!found && by_name != NULL && GPOINTER_TO_UINT (by_name) != PYRO_NONE)
        index = by_name;
      else if (!found)
        {
          PyroDiffRow row = {
            g_string_chunk_insert_const (diff->strings, name),
            g_string_chunk_insert_const (diff->strings, file),
            0, 0,
          };
          g_array_append_val (diff->rows, row);
          index = GUINT_TO_POINTER (diff->rows->len);
          g_hash_table_insert (by_key, g_steal_pointer (&key), index);
        }
      PyroDiffRow *row = &g_array_index (diff->rows, PyroDiffRow, GPOINTER_TO_UINT (index) - 1);
      /* the same name and file twice (two first lines): add them up */
      if (is_b)
        row->b += r->total;
      else
        row->a += r->total;
    }
}

static double
share_change (const PyroProfileDiff *d, const PyroDiffRow *r)
{
  double a = d->a_total > 0 ? r->a / d->a_total : 0;
  double b = d->b_total > 0 ? r->b / d->b_total : 0;
  return fabs (b - a);
}

static int
compare_change (gconstpointer x, gconstpointer y, gpointer user_data)
{
  double cx = share_change (user_data, x), cy = share_change (user_data, y);
  if (cx != cy)
    return cx > cy ? -1 : 1;
  return g_strcmp0 (((const PyroDiffRow *) x)->name, ((const PyroDiffRow *) y)->name);
}

PyroProfileDiff *
pyro_profile_diff_new (PyroProfile *a, PyroProfile *b)
{
  PyroProfileDiff *diff = g_new0 (PyroProfileDiff, 1);
  diff->rows = g_array_new (FALSE, FALSE, sizeof (PyroDiffRow));
  diff->strings = g_string_chunk_new (4096);
  diff->unit = b->meta.unit;

  g_autoptr (GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  add_rows (by_key, NULL, diff, a, FALSE);
  g_autoptr (GHashTable) a_names = index_names (diff);
  add_rows (by_key, a_names, diff, b, TRUE);
  g_array_sort_with_data (diff->rows, compare_change, diff);
  return diff;
}

void
pyro_profile_diff_free (PyroProfileDiff *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->rows);
  g_string_chunk_free (self->strings);
  g_free (self);
}

double
pyro_profile_diff_ratio (const PyroProfileDiff *self)
{
  return self->b_total > 0 ? self->a_total / self->b_total : 0;
}

char *
pyro_profile_diff_headline (const PyroProfileDiff *self)
{
  double ratio = pyro_profile_diff_ratio (self);
  GString *s = g_string_new (NULL);

  if (ratio == 0)
    g_string_append (s, _("B is empty"));
  else if (fabs (ratio - 1) < 0.005)
    g_string_append (s, _("B costs the same overall"));
  else if (ratio > 1)
    g_string_append_printf (s, _("B is %.1f× faster overall"), ratio);
  else
    g_string_append_printf (s, _("B is %.1f× slower overall"), 1 / ratio);

  if (self->rows->len > 0 && self->a_total > 0 && self->b_total > 0)
    {
      const PyroDiffRow *top = &g_array_index (self->rows, PyroDiffRow, 0);
      if (share_change (self, top) >= 0.005)
        g_string_append_printf (s, _("; %s went from %.1f%% to %.1f%%"), top->name,
                                100 * top->a / self->a_total, 100 * top->b / self->b_total);
    }
  return g_string_free (s, FALSE);
}
