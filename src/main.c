/* pyrometer: with a subcommand it runs headless; without one it is the
 * desktop application. */
#include <locale.h>
#include <glib/gi18n.h>

#include "cli/cli.h"
#include "app/application.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* PYRO_LOCALEDIR in the environment points at translations built but not
   * installed (the build tree's po/), for tests and translators. */
  const char *localedir = g_getenv ("PYRO_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : PYRO_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && pyro_cli_is_subcommand (argv[1]))
    return pyro_cli_main (argc, argv);
  return pyro_application_run (argc, argv);
}
