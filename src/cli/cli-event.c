/* cli-event.c — `pyrometer report FILE --event NAME`: a perf.data recording
 * of several events (-e cycles,page-faults) weighed by the one asked for. */
#include "cli-private.h"
#include "formats/perf-data.h"

#include <stdio.h>

PyroProfile *
pyro_cli_load_event (const char *path, const char *event)
{
  g_autoptr (GError) error = NULL;
  PyroProfile *profile = pyro_perf_data_load (path, event, NULL, NULL, NULL, &error);
  if (profile == NULL)
    {
      g_autofree char *line = g_strdelimit (g_strdup (error->message), "\n", ' ');
      fprintf (stderr, "pyrometer: %s\n", line);
      return NULL;
    }
  for (guint i = 0; i < profile->warnings->len; i++)
    fprintf (stderr, "pyrometer: warning: %s: %s\n", path,
             (const char *) g_ptr_array_index (profile->warnings, i));
  return profile;
}
