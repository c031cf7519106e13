/* application.h — the GtkApplication: windows, actions, opening files, the
 * recent-files menu. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PYRO_TYPE_APPLICATION (pyro_application_get_type ())
G_DECLARE_FINAL_TYPE (PyroApplication, pyro_application, PYRO, APPLICATION, AdwApplication)

typedef struct _PyroWindow PyroWindow;

PyroApplication *pyro_application_new (void);
/* Opens @file in @hint when that window shows nothing yet, else in the window
 * already showing it, else in a new window.  Returns the window (borrowed). */
PyroWindow      *pyro_application_open_file (PyroApplication *self, GFile *file,
                                             PyroWindow *hint);
/* "Open Recent" items: win.open-recent with the file's URI. */
GMenuModel      *pyro_application_get_recent_menu (PyroApplication *self);
void             pyro_application_add_recent (PyroApplication *self, GFile *file,
                                              const char *mime_type);
/* The GSettings of the app, or NULL when its schema is not installed. */
GSettings       *pyro_application_get_settings (PyroApplication *self);

int              pyro_application_run (int argc, char **argv);

G_END_DECLS
