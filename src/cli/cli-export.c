#include "cli-private.h"
#include "formats/folded.h"
#include "formats/speedscope.h"
#include "formats/syscap-writer.h"
#include "render/export.h"

#include <glib/gi18n.h>

static gboolean
write_folded (PyroProfile *profile, const char *out_path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (out_path);
  g_autoptr (GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  return pyro_folded_write (profile, G_OUTPUT_STREAM (out), NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

static gboolean
write_speedscope (PyroProfile *profile, const char *out_path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (out_path);
  g_autoptr (GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  return pyro_speedscope_write (profile, G_OUTPUT_STREAM (out), NULL, error)
         && g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

static gboolean
has_image_extension (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".png") || g_str_has_suffix (lower, ".svg") || g_str_has_suffix (lower, ".pdf");
}

static const char *
view_title (const char *view)
{
  if (g_str_equal (view, "icicle"))
    return _("Icicle chart");
  if (g_str_equal (view, "squaremap"))
    return _("Squaremap");
  if (g_str_equal (view, "callgraph"))
    return _("Call graph");
  return _("Flame graph");
}

int
pyro_cli_export (int argc, char **argv)
{
  g_autofree char *out_path = NULL;
  g_autofree char *view = NULL;
  int width = 0;
  int scale = 1;
  g_autofree char *symfs = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to OUT; its extension picks the format (.png, .svg, .pdf, .folded, .speedscope.json, .syscap; .dot for the call graph)"), "OUT" },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, N_("The view to paint: flame (default), icicle, squaremap or callgraph"), "VIEW" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Width of the image in pixels (default 1600)"), "PIXELS" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale, N_("Pixels per image pixel in a PNG: 1 (default) or 2 for high-density screens"), "1|2" },
    { "symfs", 0, 0, G_OPTION_ARG_FILENAME, &symfs, N_("Look binaries and their debug files up under DIR instead of /"), "DIR" },
    { NULL },
  };
  if (!pyro_cli_parse ("export", "FILE -o OUT", _("Writes a view of a trace as an image or document, or the trace as folded stacks."),
                       entries, &argc, &argv))
    return PYRO_EXIT_USAGE;
  if (!pyro_cli_use_symfs ("export", symfs))
    return PYRO_EXIT_USAGE;
  if (argc != 2 || out_path == NULL)
    return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("expected FILE and -o OUT (see 'pyrometer export --help')"));

  gboolean folded = g_str_has_suffix (out_path, ".folded");
  gboolean speedscope = g_str_has_suffix (out_path, ".speedscope.json");
  gboolean syscap = g_str_has_suffix (out_path, ".syscap");
  gboolean dot = view != NULL && g_str_equal (view, "callgraph") && g_str_has_suffix (out_path, ".dot");
  if (!folded && !speedscope && !syscap && !dot && !has_image_extension (out_path))
    return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("%s: unknown output extension; expected .png, .svg, .pdf, .folded, .speedscope.json or .syscap"), out_path);
  if (view != NULL && !g_strv_contains (pyro_export_views (), view))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) pyro_export_views ());
      return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("unknown view “%s”; expected one of %s"), view, known);
    }
  if (scale != 1 && scale != 2)
    return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("--scale must be 1 or 2, not %d"), scale);
  if (width != 0 && (width < 200 || width > 16000))
    return pyro_cli_fail ("export", PYRO_EXIT_USAGE, _("--width must be between 200 and 16000 pixels, not %d"), width);

  g_autoptr (PyroProfile) profile = pyro_cli_load (argv[1]);
  if (profile == NULL)
    return PYRO_EXIT_BAD_INPUT;

  g_autoptr (GError) error = NULL;
  if (folded)
    {
      if (!write_folded (profile, out_path, &error))
        return pyro_cli_fail ("export", PYRO_EXIT_BAD_INPUT, "%s", error->message);
      return PYRO_EXIT_OK;
    }
  if (speedscope)
    {
      if (!write_speedscope (profile, out_path, &error))
        return pyro_cli_fail ("export", PYRO_EXIT_BAD_INPUT, "%s", error->message);
      return PYRO_EXIT_OK;
    }
  if (syscap)
    {
      if (!pyro_syscap_write (profile, out_path, &error))
        return pyro_cli_fail ("export", PYRO_EXIT_BAD_INPUT, "%s", error->message);
      return PYRO_EXIT_OK;
    }

  g_autofree char *base = g_path_get_basename (argv[1]);
  g_autofree char *title = g_strdup_printf ("%s — %s", base, view_title (view != NULL ? view : "flame"));
  PyroExportOptions options = { view, title, width, 0, scale };
  if (!pyro_export_file (profile, NULL, &options, out_path, &error))
    return pyro_cli_fail ("export", PYRO_EXIT_BAD_INPUT, "%s", error->message);
  return PYRO_EXIT_OK;
}
