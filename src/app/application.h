/* application.h — the GtkApplication: windows, actions, opening files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int pyro_application_run (int argc, char **argv);

G_END_DECLS
