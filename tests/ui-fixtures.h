/* ui-fixtures.h — what the tests that open real windows share: spinning
 * the main loop until something holds, and reading back painted pixels. */
#pragma once

#include <gtk/gtk.h>
#include "render/palette.h"

/* Spins the main loop until @cond holds; FALSE after 30 s. */
gboolean ui_wait_until (gboolean (*cond) (gpointer), gpointer data);
/* Conditions for ui_wait_until. */
gboolean ui_document_settled (gpointer window);   /* PyroWindow: loaded and derived, or failed */
gboolean ui_view_allocated (gpointer widget);     /* mapped and given a real size */
gboolean ui_flag_set (gpointer flag);             /* gboolean * */

/* Waits until the window has drawn a frame with @widget's current state. */
void ui_wait_for_paint (GtkWidget *widget);

typedef struct {
  guint8 *data;   /* ARGB32, native endianness; g_free it */
  gsize stride;
  int width, height;
} UiPixels;

/* Renders @widget as the window paints it. */
UiPixels ui_render_widget (GtkWidget *widget);
PyroRgb  ui_pixel_at (const UiPixels *px, double x, double y);
/* Fails the test unless @got is @want within 2.5/255 per channel. */
void     ui_assert_color (PyroRgb got, PyroRgb want);

/* The test to register when there is no display. */
void ui_skip_without_display (void);
