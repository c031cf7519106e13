#include "hotspot-tour.h"
#include "function-table.h"

#include <glib/gi18n.h>
#include <string.h>

static void
step_clear (gpointer data)
{
  g_free (((PyroTourStep *) data)->caption);
}

/* "1,973" */
static char *
format_count (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", value);
  GString *s = g_string_new (NULL);
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

typedef struct {
  PyroProfile *profile;
  double *stack_self;   /* per stack */
  double *stack_total;  /* per stack, callees included */
} StackWeights;

static void
stack_weights_init (StackWeights *w, PyroProfile *p)
{
  guint n = pyro_profile_n_stacks (p);
  w->profile = p;
  w->stack_self = g_new0 (double, MAX (n, 1));
  w->stack_total = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint32 s = PYRO_COL (p->sample_stack, guint32, i);
      if (s != PYRO_NONE && pyro_selection_includes_state (NULL, pyro_profile_sample_flags (p, i)))
        w->stack_self[s] += PYRO_COL (p->sample_weight, double, i);
    }
  memcpy (w->stack_total, w->stack_self, n * sizeof (double));
  for (guint s = n; s > 0; s--)
    {
      guint32 parent = PYRO_COL (p->stack_parent, guint32, s - 1);
      if (parent != PYRO_NONE)
        w->stack_total[parent] += w->stack_total[s - 1];
    }
}

static void
stack_weights_clear (StackWeights *w)
{
  g_free (w->stack_self);
  g_free (w->stack_total);
}

static inline guint32
stack_func (PyroProfile *p, guint32 stack, guint32 *line)
{
  guint32 frame = PYRO_COL (p->stack_frame, guint32, stack);
  *line = PYRO_COL (p->frame_line, guint32, frame);
  return PYRO_COL (p->frame_func, guint32, frame);
}

/* The line with the most weight, from a line -> weight table. */
static guint32
heaviest_line (GHashTable *lines)
{
  GHashTableIter iter;
  gpointer key, value;
  guint32 best = 0;
  double best_w = 0;
  g_hash_table_iter_init (&iter, lines);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double w = *(double *) value;
      guint32 line = GPOINTER_TO_UINT (key);
      if (w > best_w || (w == best_w && line < best))
        {
          best = line;
          best_w = w;
        }
    }
  return best;
}

static void
add_line (GHashTable *lines, guint32 line, double w)
{
  if (line == 0 || w == 0)
    return;
  double *slot = g_hash_table_lookup (lines, GUINT_TO_POINTER (line));
  if (slot == NULL)
    {
      slot = g_new0 (double, 1);
      g_hash_table_insert (lines, GUINT_TO_POINTER (line), slot);
    }
  *slot += w;
}

/* Hottest line of @func, and the line of @caller that calls it. */
static void
find_lines (const StackWeights *w, guint32 func, guint32 caller, guint32 *hottest, guint32 *call_line)
{
  PyroProfile *p = w->profile;
  g_autoptr (GHashTable) own = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GHashTable) calls = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint s = 0; s < pyro_profile_n_stacks (p); s++)
    {
      guint32 line;
      if (stack_func (p, s, &line) != func)
        continue;
      add_line (own, line, w->stack_self[s]);
      guint32 parent = PYRO_COL (p->stack_parent, guint32, s);
      guint32 parent_line;
      if (parent != PYRO_NONE && caller != PYRO_NONE && stack_func (p, parent, &parent_line) == caller)
        add_line (calls, parent_line, w->stack_total[s]);
    }
  *hottest = heaviest_line (own);
  *call_line = heaviest_line (calls);
}

static guint32
heaviest_node (const PyroCallTree *tree, guint32 func)
{
  guint32 best = PYRO_NONE;
  for (guint i = 1; i < tree->n_nodes; i++)
    if (tree->func[i] == func && (best == PYRO_NONE || tree->total[i] > tree->total[best]))
      best = i;
  return best;
}

static char *
caption (PyroProfile *p, const PyroTourStep *step)
{
  GString *s = g_string_new (pyro_profile_func_name (p, step->func));
  const char *of_what = p->meta.unit == PYRO_UNIT_BYTES ? _("of the memory growth") : _("of the time");

  g_string_append_printf (s, " — %.0f%% %s", step->self_pct, of_what);
  if (step->total_pct >= step->self_pct + 5)
    g_string_append_printf (s, _(" (%.0f%% with what it calls)"), step->total_pct);
  if (step->calls >= 0)
    {
      g_autofree char *count = format_count (step->calls);
      g_string_append_printf (s, step->calls == 1 ? _(", %s call") : _(", %s calls"), count);
    }
  if (step->caller != PYRO_NONE)
    {
      const char *file = pyro_profile_func_file (p, step->caller);
      g_autofree char *base = g_path_get_basename (file);
      g_string_append_printf (s, _(", called from %s"), pyro_profile_func_name (p, step->caller));
      if (*file && step->call_line > 0)
        g_string_append_printf (s, " (%s:%u)", base, step->call_line);
      else if (*file)
        g_string_append_printf (s, " (%s)", base);
    }
  if (step->hottest_line > 0)
    g_string_append_printf (s, _("; its hottest line is %u"), step->hottest_line);
  return g_string_free (s, FALSE);
}

static guint32
heaviest_exact_caller (PyroProfile *p, guint32 func)
{
  guint32 best = PYRO_NONE;
  double best_w = -1;
  for (guint i = 0; i < p->call_edges->len; i++)
    {
      const PyroCallEdge *e = &g_array_index (p->call_edges, PyroCallEdge, i);
      if (e->callee == func && e->caller != func && e->cum_time > best_w)
        {
          best = e->caller;
          best_w = e->cum_time;
        }
    }
  return best;
}

GArray *
pyro_hotspot_tour_new (const PyroCallTree *tree, guint n_steps)
{
  PyroProfile *p = tree->profile;
  g_autoptr (PyroFunctionTable) table = p->has_call_stats ? pyro_function_table_new_exact (p)
                                                          : pyro_function_table_new (tree);
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (PyroTourStep));
  g_array_set_clear_func (steps, step_clear);
  double grand = table->grand_total;
  StackWeights w;
  stack_weights_init (&w, p);

  for (guint i = 0; i < table->rows->len && steps->len < n_steps; i++)
    {
      const PyroFunctionRow *row = &g_array_index (table->rows, PyroFunctionRow, i);
      if (row->self <= 0)
        break;
      PyroTourStep step = {
        .func = row->func,
        .self = row->self,
        .total = row->total,
        .self_pct = grand > 0 ? 100 * row->self / grand : 0,
        .total_pct = grand > 0 ? 100 * row->total / grand : 0,
        .calls = row->calls,
        .caller = PYRO_NONE,
        .node = heaviest_node (tree, row->func),
      };
      if (p->has_call_stats)
        step.caller = heaviest_exact_caller (p, row->func);
      else
        {
          g_autoptr (GArray) callers = NULL;
          pyro_function_neighbours (tree, row->func, &callers, NULL);
          for (guint k = 0; k < callers->len && step.caller == PYRO_NONE; k++)
            if (g_array_index (callers, PyroNeighbour, k).func != row->func)
              step.caller = g_array_index (callers, PyroNeighbour, k).func;
        }
      find_lines (&w, row->func, step.caller, &step.hottest_line, &step.call_line);
      step.caption = caption (p, &step);
      g_array_append_val (steps, step);
    }
  stack_weights_clear (&w);
  return steps;
}
