#include "ui-fixtures.h"
#include "app/window.h"

#include <math.h>
#include <string.h>

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ui_wait_until (gboolean (*cond) (gpointer), gpointer data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

gboolean
ui_document_settled (gpointer window)
{
  PyroDocument *doc = pyro_window_get_document (window);
  PyroDocumentState state = pyro_document_get_state (doc);
  return (state == PYRO_DOCUMENT_READY && !pyro_document_get_busy (doc))
         || state == PYRO_DOCUMENT_FAILED;
}

gboolean
ui_view_allocated (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 100
         && gtk_widget_get_height (widget) > 50;
}

gboolean
ui_flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
painted_cb (GdkFrameClock *clock, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

void
ui_wait_for_paint (GtkWidget *widget)
{
  gboolean painted = FALSE;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (widget);
  g_assert_true (ui_wait_until (ui_flag_set, &painted));
  g_signal_handler_disconnect (clock, id);
}

UiPixels
ui_render_widget (GtkWidget *widget)
{
  UiPixels px = { 0 };
  ui_wait_for_paint (widget);
  px.width = gtk_widget_get_width (widget);
  px.height = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, px.width, px.height);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GdkTexture) texture =
    gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, px.width, px.height));
  px.width = gdk_texture_get_width (texture);
  px.height = gdk_texture_get_height (texture);
  px.stride = (gsize) px.width * 4;
  px.data = g_malloc (px.stride * px.height);
  gdk_texture_download (texture, px.data, px.stride);
  return px;
}

PyroRgb
ui_pixel_at (const UiPixels *px, double x, double y)
{
  int ix = CLAMP ((int) x, 0, px->width - 1);
  int iy = CLAMP ((int) y, 0, px->height - 1);
  guint32 v;
  memcpy (&v, px->data + (gsize) iy * px->stride + (gsize) ix * 4, 4);
  return (PyroRgb) { ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0 };
}

void
ui_assert_color (PyroRgb got, PyroRgb want)
{
  double tolerance = 2.5 / 255;
  if (fabs (got.r - want.r) > tolerance || fabs (got.g - want.g) > tolerance
      || fabs (got.b - want.b) > tolerance)
    g_error ("pixel is rgb(%.0f, %.0f, %.0f), expected rgb(%.0f, %.0f, %.0f)", got.r * 255,
             got.g * 255, got.b * 255, want.r * 255, want.g * 255, want.b * 255);
}

void
ui_skip_without_display (void)
{
  g_test_skip ("no display to open windows on: run under xvfb-run");
}
