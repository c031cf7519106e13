/* python-sampler.c — runs the CPython sampler over a command or a PID and
 * prints what bench/python-sampler.sh measures: ticks, stacks per thread,
 * the time spent per tick.
 *
 *   python-sampler [--rate HZ] [--keep-idle] [--duration S] --pid PID
 *   python-sampler [--rate HZ] [--keep-idle] -- COMMAND ARGS...
 */
#include <stdio.h>
#include <stdlib.h>

#include "sampler/cpython-sampler.h"

int
main (int argc, char **argv)
{
  double rate = 1000, duration = 0;
  gboolean keep_idle = FALSE;
  gint pid = 0;
  g_auto (GStrv) command = NULL;
  GOptionEntry entries[] = {
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Samples per second", "HZ" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration, "Seconds to sample an attached PID", "S" },
    { "keep-idle", 0, 0, G_OPTION_ARG_NONE, &keep_idle, "Record idle threads too", NULL },
    { "pid", 0, 0, G_OPTION_ARG_INT, &pid, "Attach to this process", "PID" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, "COMMAND" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[-- COMMAND ARGS...]");
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCPythonSampler) sampler = NULL;
  g_autoptr (PyroProfile) profile = NULL;
  PyroCPythonSamplerStats stats;
  gint64 start, end;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (pid > 0)
    sampler = pyro_cpython_sampler_attach (pid, &error);
  else if (command != NULL && command[0] != NULL)
    sampler = pyro_cpython_sampler_launch ((const char *const *) command, &error);
  else
    {
      g_printerr ("Name a --pid or a command after --\n");
      return 2;
    }
  if (sampler == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  pyro_cpython_sampler_set_rate (sampler, rate);
  pyro_cpython_sampler_set_keep_idle (sampler, keep_idle);
  start = g_get_monotonic_time ();
  if (!pyro_cpython_sampler_start (sampler, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (pid > 0 && duration > 0)
    {
      g_usleep ((gulong) (duration * G_USEC_PER_SEC));
      pyro_cpython_sampler_stop (sampler);
    }
  if (!pyro_cpython_sampler_wait (sampler, &error))
    g_printerr ("sampling ended early: %s\n", error->message);
  end = g_get_monotonic_time ();

  pyro_cpython_sampler_get_stats (sampler, &stats);
  profile = pyro_cpython_sampler_take_profile (sampler);
  g_printerr ("elapsed_s %.3f\n", (end - start) / 1e6);
  g_printerr ("expected_ticks %.0f\n", (end - start) / 1e6 * rate);
  g_printerr ("ticks %" G_GUINT64_FORMAT "\n", stats.ticks);
  g_printerr ("missed_ticks %" G_GUINT64_FORMAT "\n", stats.missed_ticks);
  g_printerr ("failed_ticks %" G_GUINT64_FORMAT "\n", stats.failed_ticks);
  g_printerr ("stacks %" G_GUINT64_FORMAT "\n", stats.stacks);
  g_printerr ("frames_per_stack %.1f\n", stats.stacks ? (double) stats.frames / stats.stacks : 0);
  g_printerr ("us_per_tick %.2f\n", stats.ticks ? stats.busy_ns / 1e3 / stats.ticks : 0);
  g_printerr ("max_us_per_tick %.1f\n", stats.max_tick_ns / 1e3);
  g_printerr ("cpu_us_per_tick %.2f\n", stats.ticks ? stats.cpu_ns / 1e3 / stats.ticks : 0);
  g_printerr ("samples %u\n", pyro_profile_n_samples (profile));
  for (guint i = 0; i < pyro_profile_n_threads (profile); i++)
    {
      const PyroThread *t = &g_array_index (profile->threads, PyroThread, i);
      g_printerr ("thread %u %s stacks %" G_GUINT64_FORMAT "\n", t->tid,
                  pyro_profile_str (profile, t->name),
                  pyro_cpython_sampler_get_thread_samples (sampler, t->tid));
    }
  return 0;
}
