#include "cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>

static gboolean
counter_stats (const PyroCounter *c, double *min, double *max, gint64 *max_time)
{
  if (c->values->len == 0)
    return FALSE;
  *min = *max = g_array_index (c->values, double, 0);
  *max_time = g_array_index (c->times, gint64, 0);
  for (guint i = 1; i < c->values->len; i++)
    {
      double v = g_array_index (c->values, double, i);
      *min = MIN (*min, v);
      if (v > *max)
        {
          *max = v;
          *max_time = g_array_index (c->times, gint64, i);
        }
    }
  return TRUE;
}

/* Counters and marks are timed from the first sample, or from the
 * recording's start when there are no samples. */
static gint64
time_origin (PyroProfile *profile)
{
  gint64 start, end;
  if (pyro_profile_time_bounds (profile, &start, &end))
    return start;
  return profile->meta.start_time;
}

/* Per thread: samples, those that ran, those that held the GIL. */
typedef struct {
  guint samples;
  guint running;
  guint gil;
} ThreadState;

static ThreadState *
thread_states (PyroProfile *profile)
{
  ThreadState *states = g_new0 (ThreadState, pyro_profile_n_threads (profile) + 1);
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    {
      guint32 t = MIN (PYRO_COL (profile->sample_thread, guint32, i), pyro_profile_n_threads (profile));
      guint8 flags = pyro_profile_sample_flags (profile, i);
      states[t].samples++;
      states[t].running += !(flags & PYRO_SAMPLE_IDLE);
      states[t].gil += (flags & PYRO_SAMPLE_GIL) != 0;
    }
  return states;
}

static void
print_json (PyroProfile *profile)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 start, end;
  gint64 origin = time_origin (profile);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, profile->meta.format);
  json_builder_set_member_name (b, "samples");
  json_builder_add_int_value (b, pyro_profile_n_samples (profile));
  json_builder_set_member_name (b, "duration_s");
  if (pyro_profile_time_bounds (profile, &start, &end))
    json_builder_add_double_value (b, (end - start) / 1e9);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "threads");
  json_builder_add_int_value (b, pyro_profile_n_threads (profile));
  json_builder_set_member_name (b, "functions");
  json_builder_add_int_value (b, pyro_profile_n_funcs (profile));

  if (profile->sample_flags != NULL)
    {
      g_autofree ThreadState *states = thread_states (profile);
      json_builder_set_member_name (b, "thread_state");
      json_builder_begin_array (b);
      for (guint i = 0; i < pyro_profile_n_threads (profile); i++)
        {
          const PyroThread *t = &g_array_index (profile->threads, PyroThread, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "pid");
          json_builder_add_int_value (b, t->pid);
          json_builder_set_member_name (b, "tid");
          json_builder_add_int_value (b, t->tid);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, pyro_profile_str (profile, t->name));
          json_builder_set_member_name (b, "samples");
          json_builder_add_int_value (b, states[i].samples);
          json_builder_set_member_name (b, "running");
          json_builder_add_int_value (b, states[i].running);
          json_builder_set_member_name (b, "gil");
          json_builder_add_int_value (b, states[i].gil);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_set_member_name (b, "counters");
  json_builder_begin_array (b);
  for (guint i = 0; i < profile->counters->len; i++)
    {
      const PyroCounter *c = g_ptr_array_index (profile->counters, i);
      double min = 0, max = 0;
      gint64 max_time = origin;
      counter_stats (c, &min, &max, &max_time);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, pyro_profile_str (profile, c->name));
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, pyro_profile_str (profile, c->unit));
      json_builder_set_member_name (b, "points");
      json_builder_add_int_value (b, c->values->len);
      json_builder_set_member_name (b, "min");
      json_builder_add_double_value (b, min);
      json_builder_set_member_name (b, "max");
      json_builder_add_double_value (b, max);
      json_builder_set_member_name (b, "max_time_s");
      json_builder_add_double_value (b, (max_time - origin) / 1e9);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "marks");
  json_builder_begin_array (b);
  for (guint i = 0; i < profile->marks->len; i++)
    {
      const PyroMark *m = &g_array_index (profile->marks, PyroMark, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, pyro_profile_str (profile, m->name));
      json_builder_set_member_name (b, "start_s");
      json_builder_add_double_value (b, (m->start - origin) / 1e9);
      json_builder_set_member_name (b, "end_s");
      json_builder_add_double_value (b, (m->end - origin) / 1e9);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  pyro_cli_print_json (b);
}

static void
print_text (PyroProfile *profile)
{
  gint64 start, end;
  printf ("%-12s %s\n", _("Format:"), profile->meta.format);
  printf ("%-12s %u\n", _("Samples:"), pyro_profile_n_samples (profile));
  if (pyro_profile_time_bounds (profile, &start, &end))
    printf ("%-12s %.3f s\n", _("Duration:"), (end - start) / 1e9);
  printf ("%-12s %u\n", _("Threads:"), pyro_profile_n_threads (profile));
  printf ("%-12s %u\n", _("Functions:"), pyro_profile_n_funcs (profile));
  printf ("%-12s %s\n", _("Unit:"), pyro_unit_to_string (profile->meta.unit));
  if (profile->meta.command_line != NULL)
    printf ("%-12s %s\n", _("Command:"), profile->meta.command_line);
  if (profile->sample_flags != NULL)
    {
      g_autofree ThreadState *states = thread_states (profile);
      for (guint i = 0; i < pyro_profile_n_threads (profile); i++)
        {
          const PyroThread *t = &g_array_index (profile->threads, PyroThread, i);
          guint n = MAX (states[i].samples, 1);
          printf ("%-12s ", _("Thread:"));
          printf (_("%s (process %u, thread %u): %u samples, %.1f%% running, %.1f%% holding the GIL"),
                  pyro_profile_str (profile, t->name), t->pid, t->tid, states[i].samples,
                  100.0 * states[i].running / n, 100.0 * states[i].gil / n);
          putchar ('\n');
        }
    }
  for (guint i = 0; i < profile->counters->len; i++)
    {
      const PyroCounter *c = g_ptr_array_index (profile->counters, i);
      printf ("%-12s %s (%s, %u points)\n", _("Counter:"), pyro_profile_str (profile, c->name),
              pyro_profile_str (profile, c->unit), c->values->len);
    }
  if (profile->marks->len > 0)
    printf ("%-12s %u\n", _("Marks:"), profile->marks->len);
}

int
pyro_cli_info (int argc, char **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), "text|json" },
    { NULL },
  };
  if (!pyro_cli_parse ("info", "FILE", _("Prints the format, samples, duration, threads and functions of a trace."),
                       entries, &argc, &argv))
    return PYRO_EXIT_USAGE;
  if (argc != 2)
    return pyro_cli_fail ("info", PYRO_EXIT_USAGE, _("expected one FILE (see 'pyrometer info --help')"));
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return pyro_cli_fail ("info", PYRO_EXIT_USAGE, _("--format takes text or json, not '%s'"), format);

  g_autoptr (PyroProfile) profile = pyro_cli_load (argv[1]);
  if (profile == NULL)
    return PYRO_EXIT_BAD_INPUT;
  if (format != NULL && g_str_equal (format, "json"))
    print_json (profile);
  else
    print_text (profile);
  return PYRO_EXIT_OK;
}
