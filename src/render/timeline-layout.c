#include "timeline-layout.h"

static void
extend (PyroTimeline *self, gboolean *any, gint64 start, gint64 end)
{
  if (!*any)
    {
      self->start = start;
      self->end = end;
      *any = TRUE;
      return;
    }
  self->start = MIN (self->start, start);
  self->end = MAX (self->end, end);
}

static void
add_counters (PyroTimeline *self, gboolean *any)
{
  PyroProfile *p = self->profile;
  for (guint c = 0; c < p->counters->len; c++)
    {
      const PyroCounter *counter = g_ptr_array_index (p->counters, c);
      guint n = MIN (counter->times->len, counter->values->len);
      if (n == 0)
        continue;
      PyroTimelineCounter info = { c, 0, 0, 0 };
      for (guint i = 0; i < n; i++)
        {
          double v = g_array_index (counter->values, double, i);
          gint64 t = g_array_index (counter->times, gint64, i);
          if (i == 0 || v < info.min)
            info.min = v;
          if (i == 0 || v > info.max)
            {
              info.max = v;
              info.max_time = t;
            }
          extend (self, any, t, t);
        }
      g_array_append_val (self->counters, info);

      PyroTimelineChart *chart = NULL;
      for (guint k = 0; k < self->charts->len && chart == NULL; k++)
        if (g_array_index (self->charts, PyroTimelineChart, k).unit == counter->unit)
          chart = &g_array_index (self->charts, PyroTimelineChart, k);
      if (chart == NULL)
        {
          PyroTimelineChart fresh = { counter->unit, info.max, g_array_new (FALSE, FALSE, sizeof (guint)) };
          g_array_append_val (self->charts, fresh);
          chart = &g_array_index (self->charts, PyroTimelineChart, self->charts->len - 1);
        }
      chart->max = MAX (chart->max, info.max);
      guint index = self->counters->len - 1;
      g_array_append_val (chart->series, index);
    }
}

static int
compare_mark_start (gconstpointer a, gconstpointer b, gpointer data)
{
  const PyroProfile *p = data;
  const PyroMark *x = &g_array_index (p->marks, PyroMark, *(const guint32 *) a);
  const PyroMark *y = &g_array_index (p->marks, PyroMark, *(const guint32 *) b);
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  /* the longer span first, so that an enclosing call sits above its callees */
  if (x->end != y->end)
    return x->end > y->end ? -1 : 1;
  return 0;
}

/* Greedy interval packing: each mark goes to the first row that is free at
 * its start, so nested spans stack below their parent. */
static void
add_marks (PyroTimeline *self, gboolean *any)
{
  PyroProfile *p = self->profile;
  guint n = p->marks->len;
  g_array_set_size (self->mark_row, n);
  if (n == 0)
    return;
  g_autofree guint32 *order = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint32), compare_mark_start, p);

  g_autoptr (GArray) row_end = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      const PyroMark *m = &g_array_index (p->marks, PyroMark, order[i]);
      gint64 end = MAX (m->start, m->end);
      extend (self, any, m->start, end);
      guint row = 0;
      while (row < row_end->len && g_array_index (row_end, gint64, row) > m->start)
        row++;
      if (row == row_end->len)
        g_array_append_val (row_end, end);
      else
        g_array_index (row_end, gint64, row) = end;
      g_array_index (self->mark_row, guint32, order[i]) = row;
    }
  self->n_mark_rows = row_end->len;
}

PyroTimeline *
pyro_timeline_new (PyroProfile *profile)
{
  PyroTimeline *self = g_new0 (PyroTimeline, 1);
  self->profile = pyro_profile_ref (profile);
  self->counters = g_array_new (FALSE, FALSE, sizeof (PyroTimelineCounter));
  self->charts = g_array_new (FALSE, FALSE, sizeof (PyroTimelineChart));
  self->threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->mark_row = g_array_new (FALSE, TRUE, sizeof (guint32));

  gboolean any = FALSE;
  gint64 first, last;
  self->samples_timed = profile->meta.has_time && pyro_profile_time_bounds (profile, &first, &last);
  if (self->samples_timed)
    {
      extend (self, &any, first, last);
      guint n_threads = pyro_profile_n_threads (profile);
      g_autofree gboolean *seen = g_new0 (gboolean, MAX (n_threads, 1));
      for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
        {
          guint32 t = PYRO_COL (profile->sample_thread, guint32, i);
          if (t < n_threads)
            seen[t] = TRUE;
        }
      for (guint32 t = 0; t < n_threads; t++)
        if (seen[t])
          g_array_append_val (self->threads, t);
    }
  add_counters (self, &any);
  add_marks (self, &any);
  if (any && self->end == self->start)
    self->end = self->start + 1;
  return self;
}

void
pyro_timeline_free (PyroTimeline *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->charts->len; i++)
    g_array_unref (g_array_index (self->charts, PyroTimelineChart, i).series);
  g_array_unref (self->charts);
  g_array_unref (self->counters);
  g_array_unref (self->threads);
  g_array_unref (self->mark_row);
  pyro_profile_unref (self->profile);
  g_free (self);
}

gboolean
pyro_timeline_is_empty (const PyroTimeline *self)
{
  return !self->samples_timed && self->counters->len == 0 && self->profile->marks->len == 0;
}

static inline gboolean
bin_of (gint64 t, gint64 start, gint64 end, guint n_bins, guint *bin)
{
  if (t < start || t >= end)
    return FALSE;
  *bin = (guint) ((double) (t - start) / (double) (end - start) * n_bins);
  if (*bin >= n_bins)
    *bin = n_bins - 1;
  return TRUE;
}

double *
pyro_timeline_density (const PyroTimeline *self, gint64 start, gint64 end, guint n_bins)
{
  guint n_rows = self->threads->len;
  double *out = g_new0 (double, MAX ((gsize) n_rows * n_bins, 1));
  if (!self->samples_timed || n_bins == 0 || end <= start || n_rows == 0)
    return out;
  const PyroProfile *p = self->profile;
  guint n_threads = pyro_profile_n_threads (p);
  g_autofree guint32 *row_of = g_new (guint32, MAX (n_threads, 1));
  for (guint t = 0; t < n_threads; t++)
    row_of[t] = PYRO_NONE;
  for (guint r = 0; r < n_rows; r++)
    row_of[g_array_index (self->threads, guint32, r)] = r;

  const gint64 *time = (const gint64 *) p->sample_time->data;
  const guint32 *thread = (const guint32 *) p->sample_thread->data;
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint bin;
      /* The strip shows activity: a sleeping thread's samples are not. */
      if (pyro_profile_sample_flags (p, i) & PYRO_SAMPLE_IDLE)
        continue;
      if (thread[i] < n_threads && row_of[thread[i]] != PYRO_NONE
          && bin_of (time[i], start, end, n_bins, &bin))
        out[(gsize) row_of[thread[i]] * n_bins + bin] += 1;
    }
  return out;
}

gboolean *
pyro_timeline_func_bins (const PyroTimeline *self, guint32 func, gint64 start, gint64 end,
                         guint n_bins)
{
  gboolean *out = g_new0 (gboolean, MAX (n_bins, 1));
  const PyroProfile *p = self->profile;
  if (!self->samples_timed || func == PYRO_NONE || n_bins == 0 || end <= start)
    return out;

  /* parents have smaller ids: one forward pass marks every stack with func */
  guint n_stacks = pyro_profile_n_stacks (p);
  const guint32 *parent = (const guint32 *) p->stack_parent->data;
  const guint32 *stack_frame = (const guint32 *) p->stack_frame->data;
  const guint32 *frame_func = (const guint32 *) p->frame_func->data;
  g_autofree gboolean *has = g_new0 (gboolean, MAX (n_stacks, 1));
  for (guint s = 0; s < n_stacks; s++)
    has[s] = frame_func[stack_frame[s]] == func || (parent[s] != PYRO_NONE && has[parent[s]]);

  const gint64 *time = (const gint64 *) p->sample_time->data;
  const guint32 *stack = (const guint32 *) p->sample_stack->data;
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    {
      guint bin;
      if (stack[i] < n_stacks && has[stack[i]] && bin_of (time[i], start, end, n_bins, &bin))
        out[bin] = TRUE;
    }
  return out;
}
