/* window-settings.h — keeps a window in step with the preferences that
 * change how its views look: the "palette" (flame graph, icicle chart,
 * squaremap and call graph colours) and the presentation text scale. */
#pragma once

#include "window.h"

G_BEGIN_DECLS

/* @settings: the io.github.pyrometer.Pyrometer settings; the window follows
 * their changes until it is destroyed. */
void             pyro_window_settings_attach (PyroWindow *window, GSettings *settings);

/* The palette of the flame graph, icicle chart and squaremap that the
 * "palette" setting asks for outside presentation mode (presentation always
 * uses high contrast). */
PyroPaletteStyle pyro_window_settings_flame_palette (GSettings *settings);
/* Whether the "palette" setting asks for the colour-blind safe scale. */
gboolean         pyro_window_settings_colorblind (GSettings *settings);

G_END_DECLS
