#include "export.h"
#include "core/call-tree.h"
#include "diff-palette.h"
#include "callgraph-export.h"
#include "flame-painter.h"
#include "label-cache.h"
#include "palette.h"
#include "squaremap-painter.h"
#include "weight-format.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

G_DEFINE_QUARK (pyro-export-error-quark, pyro_export_error)

#define DEFAULT_WIDTH 1600
#define MARGIN 10.0
#define TITLE_HEIGHT 34.0
/* Cairo's image surfaces stop at 32,767 pixels a side. */
#define MAX_DEVICE_PIXELS 32000

typedef enum { FORMAT_PNG, FORMAT_SVG, FORMAT_PDF } Format;

static const char *const views[] = { "flame", "icicle", "squaremap", "callgraph", NULL };

const char *const *
pyro_export_views (void)
{
  return views;
}

static gboolean
format_from_path (const char *path, Format *format, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    *format = FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = FORMAT_PDF;
  else
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_UNKNOWN_FORMAT,
                   _("%s: unknown output extension; expected .png, .svg or .pdf"), path);
      return FALSE;
    }
  return TRUE;
}

static PangoLayout *
text_layout (cairo_t *cr, const char *font, const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* The title on the left; on the right the total and a legend of the
 * categories this profile has, so a printed graph explains its colours. */
/* The legend of a differential graph, right-aligned at @x; returns where
 * it starts. */
static double
paint_diff_legend (cairo_t *cr, double x)
{
  const struct { double before, after; const char *label; } items[] = {
    { 0, 1, N_("More in B") },
    { 1, 1, N_("Same") },
    { 1, 0, N_("Less in B") },
  };
  for (int i = G_N_ELEMENTS (items) - 1; i >= 0; i--)
    {
      g_autoptr (PangoLayout) item = text_layout (cr, "Sans 9", _(items[i].label));
      int iw, ih;
      pango_layout_get_pixel_size (item, &iw, &ih);
      x -= iw;
      cairo_set_source_rgb (cr, 0.25, 0.25, 0.28);
      cairo_move_to (cr, x, (TITLE_HEIGHT - ih) / 2);
      pango_cairo_show_layout (cr, item);
      PyroRgb swatch = pyro_diff_color (items[i].before, items[i].after);
      cairo_rectangle (cr, x - 15.5, (TITLE_HEIGHT - 11) / 2 + 0.5, 10, 10);
      cairo_set_source_rgb (cr, swatch.r, swatch.g, swatch.b);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      x -= 16 + 14;
    }
  return x;
}

static void
paint_title (cairo_t *cr, PyroProfile *profile, const PyroCallTree *tree, const char *title,
             double width, gboolean diff)
{
  g_autofree char *total = pyro_format_weight (profile->meta.unit, pyro_call_tree_total (tree));
  g_autoptr (GString) right = g_string_new (NULL);
  g_string_append_printf (right, _("%s in total"), total);
  if (profile->meta.estimated)
    g_string_append_printf (right, " · %s", _("estimated from caller/callee pairs"));

  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  g_autoptr (PangoLayout) head = text_layout (cr, "Sans Bold 11", title);
  pango_layout_set_width (head, (int) (width * 0.45 * PANGO_SCALE));
  pango_layout_set_ellipsize (head, PANGO_ELLIPSIZE_MIDDLE);
  int hw, hh;
  pango_layout_get_pixel_size (head, &hw, &hh);
  cairo_move_to (cr, MARGIN, (TITLE_HEIGHT - hh) / 2);
  pango_cairo_show_layout (cr, head);

  gboolean present[PYRO_N_CATEGORIES] = { FALSE };
  for (guint i = 1; i < tree->n_nodes; i++)
    present[pyro_func_category (profile, tree->func[i])] = TRUE;

  double x = width - MARGIN;
  if (diff)
    x = paint_diff_legend (cr, x);
  for (int c = PYRO_N_CATEGORIES - 1; c >= 0 && !diff; c--)
    {
      if (!present[c])
        continue;
      g_autoptr (PangoLayout) item = text_layout (cr, "Sans 9", pyro_category_label (c));
      int iw, ih;
      pango_layout_get_pixel_size (item, &iw, &ih);
      x -= iw;
      cairo_set_source_rgb (cr, 0.25, 0.25, 0.28);
      cairo_move_to (cr, x, (TITLE_HEIGHT - ih) / 2);
      pango_cairo_show_layout (cr, item);
      PyroRgb swatch = pyro_palette_category_color (c, PYRO_PALETTE_DEFAULT);
      cairo_set_source_rgb (cr, swatch.r, swatch.g, swatch.b);
      cairo_rectangle (cr, x - 16, (TITLE_HEIGHT - 11) / 2, 11, 11);
      cairo_fill (cr);
      x -= 16 + 14;
    }

  g_autoptr (PangoLayout) info = text_layout (cr, "Sans 9", right->str);
  int iw, ih;
  pango_layout_get_pixel_size (info, &iw, &ih);
  if (x - iw - 12 > MARGIN + hw + 24)
    {
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.38);
      cairo_move_to (cr, x - iw - 12, (TITLE_HEIGHT - ih) / 2);
      pango_cairo_show_layout (cr, info);
    }
}

typedef struct {
  PyroProfile *profile;
  const PyroCallTree *tree;
  const char *view;
  const char *title;
  double width, height;   /* logical, whole page */
  double top;             /* where the view starts */
  PyroFlameLayout *flame;
  PyroSquaremapLayout *squares;
  const PyroExportOptions *options;
} Page;

static void
paint_page (cairo_t *cr, const Page *page)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (page->title != NULL)
    paint_title (cr, page->profile, page->tree, page->title, page->width,
                 page->flame != NULL && page->options->diff_before != NULL);

  cairo_save (cr);
  cairo_translate (cr, MARGIN, page->top);
  if (page->flame != NULL)
    {
      cairo_rectangle (cr, 0, 0, page->flame->width, page->flame->content_height);
      cairo_clip (cr);
      g_autoptr (PyroFlamePainter) painter = pyro_flame_painter_new (page->profile);
      pyro_flame_painter_set_diff (painter, page->options->diff_before, page->options->diff_n_nodes,
                                   page->options->diff_before_total);
      pyro_flame_painter_paint (painter, cr, page->flame);
    }
  else
    {
      g_autoptr (PyroSquaremapPainter) painter = pyro_squaremap_painter_new (page->profile);
      pyro_squaremap_painter_paint (painter, cr, page->squares);
    }
  cairo_restore (cr);
}

typedef struct {
  GOutputStream *out;
  GByteArray *held;   /* SVG: kept until the title is added */
  GError *error;
} Sink;

static cairo_status_t
sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *sink = closure;
  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (sink->held != NULL)
    {
      g_byte_array_append (sink->held, data, length);
      return CAIRO_STATUS_SUCCESS;
    }
  if (!g_output_stream_write_all (sink->out, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* Cairo draws text as glyph outlines; a <title> keeps the SVG's subject
 * readable by file managers, browsers' tab titles and screen readers. */
static gboolean
write_svg_with_title (GOutputStream *out, GByteArray *svg, const char *title, GError **error)
{
  const char *data = (const char *) svg->data;
  const char *open = g_strstr_len (data, svg->len, "<svg");
  const char *end = open != NULL ? memchr (open, '>', svg->len - (gsize) (open - data)) : NULL;
  if (title == NULL || end == NULL)
    return g_output_stream_write_all (out, svg->data, svg->len, NULL, NULL, error);
  gsize head = (gsize) (end + 1 - data);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *element = g_strdup_printf ("\n<title>%s</title>", escaped);
  return g_output_stream_write_all (out, data, head, NULL, NULL, error)
         && g_output_stream_write_all (out, element, strlen (element), NULL, NULL, error)
         && g_output_stream_write_all (out, data + head, svg->len - head, NULL, NULL, error);
}

gboolean
pyro_export_file (PyroProfile *profile, const PyroSelection *selection, const PyroExportOptions *options,
                  const char *out_path, GError **error)
{
  g_return_val_if_fail (profile != NULL && options != NULL && out_path != NULL, FALSE);

  if (options->view != NULL && g_str_equal (options->view, "callgraph"))
    return pyro_callgraph_export_file (profile, selection, options, out_path, error);
  Format format;
  if (!format_from_path (out_path, &format, error))
    return FALSE;
  const char *view = options->view != NULL ? options->view : "flame";
  if (!g_strv_contains (views, view))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) views);
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_UNKNOWN_VIEW,
                   _("unknown view “%s”; expected one of %s"), view, known);
      return FALSE;
    }
  double scale = options->scale > 0 ? options->scale : 1;
  int width = options->width > 0 ? options->width : DEFAULT_WIDTH;
  if (scale < 1 || scale > 4 || width < 2 * MARGIN + 50 || width * scale > MAX_DEVICE_PIXELS
      || options->height < 0 || options->height * scale > MAX_DEVICE_PIXELS)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_INVALID,
                   _("image size %d×%d at scale %g is out of range (width at least %d, at most %d device pixels a side, scale 1 to 4)"),
                   width, options->height, scale, (int) (2 * MARGIN + 50), MAX_DEVICE_PIXELS);
      return FALSE;
    }

  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (profile, selection, NULL, error);
  if (tree == NULL)
    return FALSE;

  if (options->zoom >= tree->n_nodes)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_INVALID,
                   _("zoom node %u is out of range: the call tree has %u nodes"), options->zoom, tree->n_nodes);
      return FALSE;
    }

  if (options->diff_before != NULL && options->diff_n_nodes != tree->n_nodes)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_INVALID,
                   _("the differential colours are for a call tree of %u nodes, not of %u"),
                   options->diff_n_nodes, tree->n_nodes);
      return FALSE;
    }

  Page page = { profile, tree, view, options->title, width, 0, 0, NULL, NULL, options };
  page.top = options->title != NULL ? TITLE_HEIGHT : MARGIN;
  double view_w = width - 2 * MARGIN;
  double max_h = MAX_DEVICE_PIXELS / scale;
  if (g_str_equal (view, "squaremap"))
    {
      page.height = options->height > 0 ? options->height : floor (width * 0.625);
      page.squares = pyro_squaremap_layout_new (tree, options->zoom, view_w, MAX (page.height - page.top - MARGIN, 0));
    }
  else
    {
      PyroFlameOrientation o = g_str_equal (view, "icicle") ? PYRO_FLAME_ORIENTATION_ICICLE : PYRO_FLAME_ORIENTATION_FLAME;
      double view_h = options->height > 0 ? options->height - page.top - MARGIN : 0;
      page.flame = pyro_flame_layout_new (tree, options->zoom, o, view_w, MAX (view_h, 0), PYRO_FLAME_ROW_HEIGHT);
      if (options->height <= 0 && page.flame->content_height + page.top + MARGIN > max_h)
        {
          /* Too deep for one image: keep the rows nearest the root. */
          double rows = floor ((max_h - page.top - MARGIN) / PYRO_FLAME_ROW_HEIGHT);
          pyro_flame_layout_free (page.flame);
          page.flame = pyro_flame_layout_new (tree, options->zoom, o, view_w, rows * PYRO_FLAME_ROW_HEIGHT, PYRO_FLAME_ROW_HEIGHT);
          page.flame->content_height = rows * PYRO_FLAME_ROW_HEIGHT;
        }
      page.height = options->height > 0 ? options->height : page.flame->content_height + page.top + MARGIN;
    }

  g_autoptr (GFile) file = g_file_new_for_commandline_arg (out_path);
  g_autoptr (GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    {
      g_clear_pointer (&page.flame, pyro_flame_layout_free);
      g_clear_pointer (&page.squares, pyro_squaremap_layout_free);
      return FALSE;
    }
  Sink sink = { G_OUTPUT_STREAM (stream), format == FORMAT_SVG ? g_byte_array_new () : NULL, NULL };

  cairo_surface_t *surface;
  switch (format)
    {
    case FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (page.width * scale),
                                            (int) ceil (page.height * scale));
      cairo_surface_set_device_scale (surface, scale, scale);
      break;
    case FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (sink_write, &sink, page.width, page.height);
      break;
    case FORMAT_PDF:
    default:
      surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, page.width, page.height);
      break;
    }
  cairo_t *cr = cairo_create (surface);
  paint_page (cr, &page);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, sink_write, &sink);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_clear_pointer (&page.flame, pyro_flame_layout_free);
  g_clear_pointer (&page.squares, pyro_squaremap_layout_free);

  if (sink.error == NULL && status != CAIRO_STATUS_SUCCESS)
    g_set_error (&sink.error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_WRITE, "%s", cairo_status_to_string (status));
  if (sink.error == NULL && sink.held != NULL)
    write_svg_with_title (G_OUTPUT_STREAM (stream), sink.held, options->title, &sink.error);
  g_clear_pointer (&sink.held, g_byte_array_unref);
  if (sink.error == NULL)
    g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &sink.error);
  if (sink.error != NULL)
    {
      g_set_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_WRITE, _("%s: could not write: %s"),
                   out_path, sink.error->message);
      g_error_free (sink.error);
      return FALSE;
    }
  return TRUE;
}
