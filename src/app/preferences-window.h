/* preferences-window.h — the Preferences window: palette, presentation text
 * scale, default sample rate, and the source path mappings remembered per
 * trace.  Every control is bound to the application's GSettings, so a change
 * applies at once and in every window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PYRO_TYPE_PREFERENCES_WINDOW (pyro_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PyroPreferencesWindow, pyro_preferences_window, PYRO, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @settings: the io.github.pyrometer.Pyrometer settings (referenced). */
GtkWidget *pyro_preferences_window_new (GSettings *settings);

/* The number of source path mappings listed (for tests). */
guint      pyro_preferences_window_get_n_path_maps (PyroPreferencesWindow *self);

G_END_DECLS
