#include "cli.h"
#include "cli-private.h"
#include "formats/reader.h"
#include "symbols/symbolizer.h"

#include <glib/gi18n.h>
#include <stdio.h>

static const PyroSubcommand subcommands[] = {
  { "record", N_("Sample a command or a running process into a Sysprof capture"), pyro_cli_record },
  { "report", N_("Print the hottest functions of a trace"), pyro_cli_report },
  { "info", N_("Print what a trace holds"), pyro_cli_info },
  { "export", N_("Write a view of a trace as PNG, SVG, PDF or folded stacks"), pyro_cli_export },
  { "diff", N_("Compare two traces: what got faster, what got slower"), pyro_cli_diff },
};

gboolean
pyro_cli_is_subcommand (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (name, subcommands[i].name))
      return TRUE;
  return g_str_equal (name, "help");
}

static void
print_overview (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: pyrometer [FILE…]\n       pyrometer COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _("Without a command, opens each FILE in a window."));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-8s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (out, "\n%s\n", _("Run 'pyrometer COMMAND --help' for a command's options."));
}

int
pyro_cli_main (int argc, char **argv)
{
  const char *name = argv[1];

  if (g_str_equal (name, "help"))
    {
      if (argc > 2 && pyro_cli_is_subcommand (argv[2]) && !g_str_equal (argv[2], "help"))
        {
          char *help_argv[] = { argv[0], argv[2], (char *) "--help", NULL };
          return pyro_cli_main (3, help_argv);
        }
      print_overview (stdout);
      return PYRO_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (name, subcommands[i].name))
      return subcommands[i].run (argc - 1, argv + 1);
  print_overview (stderr);
  return PYRO_EXIT_USAGE;
}

gboolean
pyro_cli_parse (const char *name, const char *usage, const char *description,
                const GOptionEntry *entries, int *argc, char ***argv)
{
  g_autofree char *prgname = g_strdup_printf ("pyrometer %s", name);
  g_autoptr (GOptionContext) context = g_option_context_new (usage);
  g_autoptr (GError) error = NULL;

  g_set_prgname (prgname);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, FALSE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      pyro_cli_fail (name, PYRO_EXIT_USAGE, "%s (see 'pyrometer %s --help')", error->message, name);
      return FALSE;
    }
  return TRUE;
}

int
pyro_cli_fail (const char *name, int status, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "pyrometer %s: %s\n", name, message);
  return status;
}

gboolean
pyro_cli_use_symfs (const char *name, const char *dir)
{
  if (dir == NULL)
    return TRUE;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      pyro_cli_fail (name, PYRO_EXIT_USAGE, _("--symfs takes a directory, not '%s'"), dir);
      return FALSE;
    }
  pyro_symbolizer_set_symfs (dir);
  return TRUE;
}

PyroProfile *
pyro_cli_load (const char *path)
{
  g_autoptr (GError) error = NULL;
  PyroProfile *profile = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  /* What the reader could not resolve (missing binaries, lost samples): once, one line each. */
  for (guint i = 0; profile != NULL && i < profile->warnings->len; i++)
    fprintf (stderr, "pyrometer: warning: %s: %s\n", path, (const char *) g_ptr_array_index (profile->warnings, i));
  if (profile == NULL)
    {
      /* One line: messages name the file and the place already. */
      g_autofree char *line = g_strdelimit (g_strdup (error->message), "\n", ' ');
      fprintf (stderr, "pyrometer: %s\n", line);
    }
  return profile;
}

void
pyro_cli_print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}
