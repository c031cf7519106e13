#include <adwaita.h>
#include <glib/gi18n.h>

#include "application.h"

int
pyro_application_run (int argc, char **argv)
{
  g_autoptr (AdwApplication) app = adw_application_new (PYRO_APP_ID, G_APPLICATION_HANDLES_OPEN);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
