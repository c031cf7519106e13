#include "callgraph-export.h"
#include "callgraph-dot.h"
#include "callgraph-layout.h"
#include "callgraph-painter.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define TITLE_HEIGHT 34.0
#define MARGIN 10.0
/* Cairo's image surfaces stop at 32,767 pixels a side. */
#define MAX_DEVICE_PIXELS 32000

typedef enum { OUT_PNG, OUT_SVG, OUT_PDF, OUT_DOT } OutFormat;

static gboolean
format_of (const char *path, OutFormat *format, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    *format = OUT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = OUT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = OUT_PDF;
  else if (g_str_has_suffix (lower, ".dot") || g_str_has_suffix (lower, ".gv"))
    *format = OUT_DOT;
  else
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_UNKNOWN_FORMAT,
                   _("%s: unknown output extension for the call graph; expected .png, .svg, .pdf or .dot"), path);
      return FALSE;
    }
  return TRUE;
}

static void
paint_header (cairo_t *cr, const char *title, const PyroCallGraphLayout *layout, double width)
{
  g_autoptr (PangoLayout) head = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) bold = pango_font_description_from_string ("Sans Bold 11");
  pango_layout_set_font_description (head, bold);
  pango_layout_set_text (head, title, -1);
  int hw, hh;
  pango_layout_get_pixel_size (head, &hw, &hh);
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  cairo_move_to (cr, MARGIN, (TITLE_HEIGHT - hh) / 2);
  pango_cairo_show_layout (cr, head);

  g_autoptr (GString) info = g_string_new (layout->exact ? _("exact call counts") : _("from samples"));
  if (layout->n_hidden_nodes > 0)
    {
      g_string_append (info, " · ");
      g_string_append_printf (info, ngettext ("%u node under %.1f%% hidden", "%u nodes under %.1f%% hidden",
                                              layout->n_hidden_nodes),
                              layout->n_hidden_nodes, 100 * PYRO_CALL_GRAPH_DEFAULT_FRACTION);
    }
  g_autoptr (PangoLayout) right = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) plain = pango_font_description_from_string ("Sans 9");
  pango_layout_set_font_description (right, plain);
  pango_layout_set_text (right, info->str, -1);
  int iw, ih;
  pango_layout_get_pixel_size (right, &iw, &ih);
  if (width - MARGIN - iw > MARGIN + hw + 24)
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.38);
      cairo_move_to (cr, width - MARGIN - iw, (TITLE_HEIGHT - ih) / 2);
      pango_cairo_show_layout (cr, right);
    }
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_bytes (const char *out_path, const void *data, gsize len, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (out_path);
  g_autoptr (GError) local = NULL;
  if (g_file_replace_contents (file, data, len, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &local))
    return TRUE;
  g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_WRITE, _("%s: could not write: %s"),
               out_path, local->message);
  return FALSE;
}

static void
append_text (GString *svg, double x, double y, const char *anchor, const char *text)
{
  char bx[G_ASCII_DTOSTR_BUF_SIZE], by[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_string_append_printf (svg, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\">%s</text>\n",
                          g_ascii_formatd (bx, sizeof bx, "%.1f", x), g_ascii_formatd (by, sizeof by, "%.1f", y),
                          anchor, escaped);
}

/* Cairo draws text as glyph outlines; an invisible text layer over the
 * labels keeps an SVG graph searchable and its names selectable. */
static GByteArray *
add_svg_text_layer (GByteArray *svg, const PyroCallGraphLayout *layout, double fit, double top)
{
  const char *data = (const char *) svg->data;
  const char *end = g_strrstr_len (data, svg->len, "</svg>");
  if (end == NULL)
    return g_byte_array_ref (svg);
  char bs[G_ASCII_DTOSTR_BUF_SIZE], bt[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr (GString) layer = g_string_new (NULL);
  g_string_append_printf (layer, "<g fill-opacity=\"0\" font-family=\"sans-serif\" font-size=\"11\" "
                          "transform=\"scale(%s) translate(0 %s)\">\n",
                          g_ascii_formatd (bs, sizeof bs, "%.4f", fit), g_ascii_formatd (bt, sizeof bt, "%.1f", top));
  for (guint i = 0; i < layout->boxes->len; i++)
    {
      const PyroCallGraphBox *b = &g_array_index (layout->boxes, PyroCallGraphBox, i);
      guint n = g_strv_length (b->lines);
      double line = (b->height - 10) / MAX (n, 1);
      for (guint k = 0; k < n; k++)
        append_text (layer, b->x + b->width / 2, b->y + 5 + line * (k + 0.8), "middle", b->lines[k]);
    }
  for (guint i = 0; i < layout->wires->len; i++)
    {
      const PyroCallGraphWire *w = &g_array_index (layout->wires, PyroCallGraphWire, i);
      g_auto (GStrv) lines = g_strsplit (w->label, "\n", -1);
      guint n = g_strv_length (lines);
      for (guint k = 0; k < n; k++)
        append_text (layer, w->label_x, w->label_y + w->label_height / MAX (n, 1) * (k + 0.8), "start", lines[k]);
    }
  g_string_append (layer, "</g>\n");
  GByteArray *out = g_byte_array_sized_new (svg->len + layer->len);
  g_byte_array_append (out, svg->data, end - data);
  g_byte_array_append (out, (const guint8 *) layer->str, layer->len);
  g_byte_array_append (out, (const guint8 *) end, svg->len - (end - data));
  return out;
}

static gboolean
paint_image (const PyroCallGraphLayout *layout, const PyroExportOptions *options, OutFormat format,
             const char *out_path, GError **error)
{
  double scale = options->scale > 0 ? options->scale : 1;
  if (scale < 1 || scale > 4)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_INVALID,
                   _("scale %g is out of range (1 to 4)"), scale);
      return FALSE;
    }
  double top = options->title != NULL ? TITLE_HEIGHT : 0;
  double width = MAX (layout->width, options->title != NULL ? 480 : 0);
  double height = layout->height + top;
  /* a graph too big for one image is shrunk to fit, not cut */
  double fit = MIN (1.0, MAX_DEVICE_PIXELS / (scale * MAX (width, height)));

  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  if (format == OUT_PNG)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width * fit * scale),
                                            (int) ceil (height * fit * scale));
      cairo_surface_set_device_scale (surface, scale, scale);
    }
  else if (format == OUT_SVG)
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width * fit, height * fit);
  else
    surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width * fit, height * fit);

  cairo_t *cr = cairo_create (surface);
  cairo_scale (cr, fit, fit);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (options->title != NULL)
    paint_header (cr, options->title, layout, width);
  cairo_translate (cr, 0, top);
  g_autoptr (PyroCallGraphPainter) painter = pyro_callgraph_painter_new (NULL);
  pyro_callgraph_painter_paint (painter, cr, layout);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == OUT_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_WRITE, _("%s: could not paint: %s"),
                   out_path, cairo_status_to_string (status));
      return FALSE;
    }
  if (format == OUT_SVG)
    {
      g_autoptr (GByteArray) svg = add_svg_text_layer (bytes, layout, fit, top);
      return write_bytes (out_path, svg->data, svg->len, error);
    }
  return write_bytes (out_path, bytes->data, bytes->len, error);
}

gboolean
pyro_callgraph_export_file (PyroProfile *profile, const PyroSelection *selection,
                            const PyroExportOptions *options, const char *out_path,
                            GError **error)
{
  OutFormat format;
  if (!format_of (out_path, &format, error))
    return FALSE;
  g_autoptr (PyroCallGraph) graph = pyro_call_graph_new (profile, selection, NULL, error);
  if (graph == NULL)
    return FALSE;
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (graph, &filter);

  if (format == OUT_DOT)
    {
      g_autofree char *dot = pyro_callgraph_dot_new (graph, subset, PYRO_CALLGRAPH_COLORS_TEMPERATURE, FALSE);
      return write_bytes (out_path, dot, strlen (dot), error);
    }

  g_autoptr (GError) local = NULL;
  g_autoptr (PyroCallGraphLayout) layout = pyro_callgraph_layout_new (graph, subset, NULL, &local);
  if (layout == NULL)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_WRITE, "%s: %s", out_path, local->message);
      return FALSE;
    }
  return paint_image (layout, options, format, out_path, error);
}
