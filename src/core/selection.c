#include "selection.h"
#include "profile.h"

#include <string.h>

PyroSelection *
pyro_selection_new (void)
{
  PyroSelection *self = g_new0 (PyroSelection, 1);
  self->threads = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->transforms = g_array_new (FALSE, FALSE, sizeof (PyroTransform));
  return self;
}

PyroSelection *
pyro_selection_copy (const PyroSelection *self)
{
  PyroSelection *copy = pyro_selection_new ();
  copy->has_range = self->has_range;
  copy->range_start = self->range_start;
  copy->range_end = self->range_end;
  copy->invert = self->invert;
  copy->weight = self->weight;
  copy->show_idle = self->show_idle;
  g_array_append_vals (copy->threads, self->threads->data, self->threads->len);
  g_array_append_vals (copy->transforms, self->transforms->data, self->transforms->len);
  return copy;
}

void
pyro_selection_free (PyroSelection *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->threads);
  g_array_unref (self->transforms);
  g_free (self);
}

gboolean
pyro_selection_equal (const PyroSelection *a, const PyroSelection *b)
{
  if (a->has_range != b->has_range || a->invert != b->invert || a->weight != b->weight
      || a->show_idle != b->show_idle)
    return FALSE;
  if (a->has_range && (a->range_start != b->range_start || a->range_end != b->range_end))
    return FALSE;
  if (a->threads->len != b->threads->len || a->transforms->len != b->transforms->len)
    return FALSE;
  /* An empty GArray's data is NULL, which memcmp must not be given. */
  return (a->threads->len == 0
          || memcmp (a->threads->data, b->threads->data, a->threads->len * sizeof (guint32)) == 0)
         && (a->transforms->len == 0
             || memcmp (a->transforms->data, b->transforms->data,
                        a->transforms->len * sizeof (PyroTransform)) == 0);
}

void
pyro_selection_set_range (PyroSelection *self, gint64 start, gint64 end)
{
  self->has_range = TRUE;
  self->range_start = MIN (start, end);
  self->range_end = MAX (start, end);
}

void
pyro_selection_clear_range (PyroSelection *self)
{
  self->has_range = FALSE;
  self->range_start = self->range_end = 0;
}

void
pyro_selection_push_transform (PyroSelection *self, PyroTransformKind kind, guint32 func)
{
  PyroTransform t = { kind, func };
  g_array_append_val (self->transforms, t);
}

gboolean
pyro_selection_pop_transform (PyroSelection *self)
{
  if (self->transforms->len == 0)
    return FALSE;
  g_array_set_size (self->transforms, self->transforms->len - 1);
  return TRUE;
}

gboolean
pyro_selection_includes_thread (const PyroSelection *self, guint32 thread)
{
  if (self->threads->len == 0)
    return TRUE;
  for (guint i = 0; i < self->threads->len; i++)
    if (g_array_index (self->threads, guint32, i) == thread)
      return TRUE;
  return FALSE;
}

gboolean
pyro_selection_includes_time (const PyroSelection *self, gint64 time)
{
  return !self->has_range || (time >= self->range_start && time < self->range_end);
}

gboolean
pyro_selection_includes_state (const PyroSelection *self, guint8 flags)
{
  return !(flags & PYRO_SAMPLE_IDLE) || (self != NULL && self->show_idle);
}

const char *
pyro_transform_kind_to_string (PyroTransformKind kind)
{
  switch (kind)
    {
    case PYRO_TRANSFORM_FOCUS_FUNC: return "focus";
    case PYRO_TRANSFORM_MERGE_FUNC: return "merge";
    case PYRO_TRANSFORM_DROP_FUNC: return "drop";
    case PYRO_TRANSFORM_COLLAPSE_RECURSION: return "collapse-recursion";
    default: return "unknown";
    }
}
