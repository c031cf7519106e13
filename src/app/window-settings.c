#include "window-settings.h"
#include "callgraph-view.h"
#include "presentation.h"

#define PRESENTING_CLASS "presenting"

PyroPaletteStyle
pyro_window_settings_flame_palette (GSettings *settings)
{
  g_autofree char *palette = g_settings_get_string (settings, "palette");
  if (g_str_equal (palette, "high-contrast"))
    return PYRO_PALETTE_HIGH_CONTRAST;
  if (g_str_equal (palette, "colour-blind"))
    return PYRO_PALETTE_COLORBLIND;
  return PYRO_PALETTE_DEFAULT;
}

gboolean
pyro_window_settings_colorblind (GSettings *settings)
{
  g_autofree char *palette = g_settings_get_string (settings, "palette");
  return g_str_equal (palette, "colour-blind");
}

static void
apply_palette (PyroWindow *window, GSettings *settings)
{
  /* Presentation mode sets its own palette while it runs. */
  if (!gtk_widget_has_css_class (GTK_WIDGET (window), PRESENTING_CLASS))
    {
      PyroPaletteStyle style = pyro_window_settings_flame_palette (settings);
      pyro_flame_view_set_palette_style (pyro_window_get_flame_view (window), style);
      pyro_flame_view_set_palette_style (pyro_window_get_icicle_view (window), style);
      pyro_squaremap_view_set_palette_style (pyro_window_get_squaremap_view (window), style);
    }
  GObject *callgraph = gtk_widget_get_template_child (GTK_WIDGET (window), PYRO_TYPE_WINDOW,
                                                      "callgraph_view");
  if (PYRO_IS_CALLGRAPH_VIEW (callgraph))
    pyro_callgraph_view_set_colorblind (PYRO_CALLGRAPH_VIEW (callgraph),
                                        pyro_window_settings_colorblind (settings));
}

static void
palette_changed (GSettings *settings, const char *key, PyroWindow *window)
{
  apply_palette (window, settings);
}

/* Leaving presentation mode puts the default palette back and then drops the
 * "presenting" class: that is when the preferred palette returns. */
static void
css_classes_changed (PyroWindow *window, GParamSpec *pspec, GSettings *settings)
{
  if (!gtk_widget_has_css_class (GTK_WIDGET (window), PRESENTING_CLASS))
    apply_palette (window, settings);
}

static void
scale_changed (GSettings *settings, const char *key, PyroWindow *window)
{
  double scale = g_settings_get_double (settings, key);
  if (scale != pyro_presentation_get_text_scale (window))
    pyro_presentation_set_text_scale (window, scale);
}

void
pyro_window_settings_attach (PyroWindow *window, GSettings *settings)
{
  g_return_if_fail (PYRO_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_signal_connect_object (settings, "changed::palette", G_CALLBACK (palette_changed), window, 0);
  g_signal_connect_object (settings, "changed::presentation-text-scale", G_CALLBACK (scale_changed),
                           window, 0);
  g_signal_connect_data (window, "notify::css-classes", G_CALLBACK (css_classes_changed),
                         g_object_ref (settings), (GClosureNotify) g_object_unref, 0);
  apply_palette (window, settings);
}
