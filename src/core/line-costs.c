#include "line-costs.h"

#include <string.h>

G_DEFINE_QUARK (pyro-line-costs-error-quark, pyro_line_costs_error)

static gboolean
ends_with_path (const char *path, gsize path_len, const char *tail, gsize tail_len)
{
  return path_len > tail_len && path[path_len - tail_len - 1] == '/'
         && memcmp (path + path_len - tail_len, tail, tail_len) == 0;
}

static gboolean
file_matches (const char *candidate, const char *wanted)
{
  gsize c = strlen (candidate), w = strlen (wanted);
  if (c == 0)
    return FALSE;
  return (c == w && memcmp (candidate, wanted, c) == 0) || ends_with_path (candidate, c, wanted, w)
         || ends_with_path (wanted, w, candidate, c);
}

/* The one string id of the profile's files that @file names. */
static guint32
find_file (const PyroProfile *profile, const char *file, GError **error)
{
  guint32 found = PYRO_NONE;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr (GString) all = g_string_new (NULL);
  for (guint f = 0; f < pyro_profile_n_funcs (profile); f++)
    {
      guint32 id = PYRO_COL (profile->func_file, guint32, f);
      if (!g_hash_table_add (seen, GUINT_TO_POINTER (id)))
        continue;
      const char *name = pyro_profile_str (profile, id);
      if (!file_matches (name, file))
        continue;
      g_string_append_printf (all, "%s%s", all->len ? ", " : "", name);
      if (found != PYRO_NONE)
        {
          /* keep collecting names for the message */
          found = G_MAXUINT32 - 1;
          continue;
        }
      found = id;
    }
  if (found == PYRO_NONE)
    g_set_error (error, PYRO_LINE_COSTS_ERROR, PYRO_LINE_COSTS_ERROR_NO_FILE,
                 "no function of the profile is in a file named '%s'", file);
  else if (found == G_MAXUINT32 - 1)
    {
      g_set_error (error, PYRO_LINE_COSTS_ERROR, PYRO_LINE_COSTS_ERROR_AMBIGUOUS,
                   "'%s' names several files (%s); give more of the path", file, all->str);
      found = PYRO_NONE;
    }
  return found;
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  guint32 x = ((const PyroLineCost *) a)->line, y = ((const PyroLineCost *) b)->line;
  return x < y ? -1 : x > y;
}

PyroLineCosts *
pyro_line_costs_new (const PyroProfile *profile, const char *file,
                     const PyroSelection *selection, GError **error)
{
  guint32 file_id = find_file (profile, file, error);
  if (file_id == PYRO_NONE)
    return NULL;
  return pyro_line_costs_new_for_file_id (profile, file_id, selection);
}

PyroLineCosts *
pyro_line_costs_new_for_file_id (const PyroProfile *profile, guint32 file_id,
                                 const PyroSelection *selection)
{
  guint n_stacks = pyro_profile_n_stacks (profile);
  guint n_frames = pyro_profile_n_frames (profile);
  const guint32 *parent = (const guint32 *) profile->stack_parent->data;
  const guint32 *stack_frame = (const guint32 *) profile->stack_frame->data;

  /* line of each frame in the file, 0 otherwise */
  g_autofree guint32 *frame_line = g_new0 (guint32, MAX (n_frames, 1));
  for (guint f = 0; f < n_frames; f++)
    {
      guint32 func = PYRO_COL (profile->frame_func, guint32, f);
      if (PYRO_COL (profile->func_file, guint32, func) == file_id)
        frame_line[f] = PYRO_COL (profile->frame_line, guint32, f);
    }

  /* self weight per stack, then summed up the trie (parents have smaller ids) */
  g_autofree double *self_w = g_new0 (double, MAX (n_stacks, 1));
  double grand_total = 0;
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    {
      if (selection != NULL
          && (!pyro_selection_includes_time (selection, PYRO_COL (profile->sample_time, gint64, i))
              || !pyro_selection_includes_thread (selection, PYRO_COL (profile->sample_thread, guint32, i))))
        continue;
      if (!pyro_selection_includes_state (selection, pyro_profile_sample_flags (profile, i)))
        continue;
      guint32 s = PYRO_COL (profile->sample_stack, guint32, i);
      double w = PYRO_COL (profile->sample_weight, double, i);
      if (s < n_stacks)
        self_w[s] += w;
      grand_total += w;
    }
  g_autofree double *cum = g_memdup2 (self_w, sizeof (double) * MAX (n_stacks, 1));
  for (guint s = n_stacks; s > 0; s--)
    if (parent[s - 1] != PYRO_NONE)
      cum[parent[s - 1]] += cum[s - 1];

  g_autoptr (GHashTable) by_line = g_hash_table_new (NULL, NULL); /* line -> index + 1 */
  PyroLineCosts *self = g_new0 (PyroLineCosts, 1);
  self->file = g_strdup (pyro_profile_str (profile, file_id));
  self->grand_total = grand_total;
  self->lines = g_array_new (FALSE, FALSE, sizeof (PyroLineCost));

  for (guint s = 0; s < n_stacks; s++)
    {
      guint32 line = frame_line[stack_frame[s]];
      if (line == 0 || cum[s] == 0)
        continue;
      /* A sample counts once per line: skip when an ancestor is on it too. */
      gboolean repeated = FALSE;
      for (guint32 a = parent[s]; a != PYRO_NONE && !repeated; a = parent[a])
        repeated = frame_line[stack_frame[a]] == line;
      guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (by_line, GUINT_TO_POINTER (line)));
      if (idx == 0)
        {
          PyroLineCost cost = { line, 0, 0 };
          g_array_append_val (self->lines, cost);
          idx = self->lines->len;
          g_hash_table_insert (by_line, GUINT_TO_POINTER (line), GUINT_TO_POINTER (idx));
        }
      PyroLineCost *cost = &g_array_index (self->lines, PyroLineCost, idx - 1);
      cost->self += self_w[s];
      if (!repeated)
        cost->total += cum[s];
    }
  g_array_sort (self->lines, compare_lines);
  return self;
}

void
pyro_line_costs_free (PyroLineCosts *self)
{
  if (self == NULL)
    return;
  g_free (self->file);
  g_array_unref (self->lines);
  g_free (self);
}

const PyroLineCost *
pyro_line_costs_lookup (const PyroLineCosts *self, guint32 line)
{
  guint lo = 0, hi = self->lines->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const PyroLineCost *c = &g_array_index (self->lines, PyroLineCost, mid);
      if (c->line == line)
        return c;
      if (c->line < line)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

const PyroLineCost *
pyro_line_costs_hottest (const PyroLineCosts *self)
{
  const PyroLineCost *best = NULL;
  for (guint i = 0; i < self->lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (self->lines, PyroLineCost, i);
      if (best == NULL || c->self > best->self || (c->self == best->self && c->total > best->total))
        best = c;
    }
  return best;
}
