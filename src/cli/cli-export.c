#include "cli-private.h"
#include "formats/folded.h"
#include "formats/speedscope.h"

#include <glib/gi18n.h>

typedef gboolean (*TraceWriter) (PyroProfile *profile, GOutputStream *out,
                                 GCancellable *cancellable, GError **error);

static gboolean
write_trace (PyroProfile *profile, const char *out_path, TraceWriter writer, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (out_path);
  g_autoptr (GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  return writer (profile, G_OUTPUT_STREAM (out), NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

int
pyro_cli_export (int argc, char **argv)
{
  g_autofree char *out_path = NULL;
  g_autofree char *view = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to OUT; its extension picks the format (.png, .svg, .pdf, .folded, .speedscope.json)"), "OUT" },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, N_("The view to paint: flame (default) or icicle"), "VIEW" },
    { NULL },
  };
  if (!pyro_cli_parse ("export", "FILE -o OUT", _("Writes a view of a trace as an image or document, or the trace as folded stacks."),
                       entries, &argc, &argv))
    return PYRO_EXIT_USAGE;
  if (argc != 2 || out_path == NULL)
    return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("expected FILE and -o OUT (see 'pyrometer export --help')"));

  g_autoptr (PyroProfile) profile = pyro_cli_load (argv[1]);
  if (profile == NULL)
    return PYRO_EXIT_BAD_INPUT;

  g_autoptr (GError) error = NULL;
  if (g_str_has_suffix (out_path, ".folded"))
    {
      if (!write_trace (profile, out_path, pyro_folded_write, &error))
        return pyro_cli_fail ("export", PYRO_EXIT_BAD_INPUT, "%s", error->message);
      return PYRO_EXIT_OK;
    }
  if (g_str_has_suffix (out_path, ".speedscope.json"))
    {
      if (!write_trace (profile, out_path, pyro_speedscope_write, &error))
        return pyro_cli_fail ("export", PYRO_EXIT_BAD_INPUT, "%s", error->message);
      return PYRO_EXIT_OK;
    }
  return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("%s: unknown output extension; expected .folded or .speedscope.json"), out_path);
}
