#include "callgraph-painter.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define PAD_Y 5.0
#define RADIUS 4.0
/* Below this zoom (device pixels per layout pixel) text is not drawn. */
#define MIN_TEXT_SCALE 0.4

struct _PyroCallGraphPainter {
  PangoFontDescription *font;
  PangoFontDescription *small;
  PyroCallGraphColors colors;
  guint32 hover;
  guint32 selected_func;

  PangoContext *context;
  /* shaped labels of the last layout painted, by box and by wire */
  const PyroCallGraphLayout *cached_for;
  GPtrArray *box_text;
  GPtrArray *wire_text;
};

static void
clear_layout (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

PyroCallGraphPainter *
pyro_callgraph_painter_new (const char *font)
{
  PyroCallGraphPainter *self = g_new0 (PyroCallGraphPainter, 1);
  self->font = pango_font_description_from_string (font != NULL ? font : "Sans 9");
  self->small = pango_font_description_copy (self->font);
  pango_font_description_set_size (self->small, pango_font_description_get_size (self->font) * 8 / 9);
  self->hover = PYRO_NONE;
  self->selected_func = PYRO_NONE;
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  self->box_text = g_ptr_array_new_with_free_func (clear_layout);
  self->wire_text = g_ptr_array_new_with_free_func (clear_layout);
  return self;
}

void
pyro_callgraph_painter_free (PyroCallGraphPainter *self)
{
  if (self == NULL)
    return;
  pango_font_description_free (self->font);
  pango_font_description_free (self->small);
  g_object_unref (self->context);
  g_ptr_array_unref (self->box_text);
  g_ptr_array_unref (self->wire_text);
  g_free (self);
}

void
pyro_callgraph_painter_set_colors (PyroCallGraphPainter *self, PyroCallGraphColors colors)
{
  self->colors = colors;
}

void
pyro_callgraph_painter_set_hover (PyroCallGraphPainter *self, guint32 box)
{
  self->hover = box;
}

void
pyro_callgraph_painter_set_selected (PyroCallGraphPainter *self, guint32 func)
{
  self->selected_func = func;
}

static PangoLayout *
box_layout (PyroCallGraphPainter *self, const PyroCallGraphBox *box)
{
  PangoLayout *layout = pango_layout_new (self->context);
  g_autofree char *text = g_strjoinv ("\n", box->lines);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_font_description (layout, self->font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
  bold->start_index = 0;
  bold->end_index = strlen (box->lines[0]);
  pango_attr_list_insert (attrs, bold);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static PangoLayout *
wire_layout (PyroCallGraphPainter *self, const PyroCallGraphWire *wire)
{
  PangoLayout *layout = pango_layout_new (self->context);
  pango_layout_set_text (layout, wire->label, -1);
  pango_layout_set_font_description (layout, self->small);
  return layout;
}

static void
ensure_cache (PyroCallGraphPainter *self, const PyroCallGraphLayout *layout)
{
  if (self->cached_for == layout && self->box_text->len == layout->boxes->len)
    return;
  g_ptr_array_set_size (self->box_text, 0);
  g_ptr_array_set_size (self->wire_text, 0);
  for (guint i = 0; i < layout->boxes->len; i++)
    g_ptr_array_add (self->box_text, NULL);
  for (guint i = 0; i < layout->wires->len; i++)
    g_ptr_array_add (self->wire_text, NULL);
  self->cached_for = layout;
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static gboolean
intersects (double x, double y, double w, double h, const double clip[4])
{
  return x <= clip[2] && y <= clip[3] && x + w >= clip[0] && y + h >= clip[1];
}

static void
paint_clusters (PyroCallGraphPainter *self, cairo_t *cr, const PyroCallGraphLayout *layout,
                const double clip[4], gboolean text)
{
  for (guint i = 0; i < layout->clusters->len; i++)
    {
      const PyroCallGraphCluster *c = &g_array_index (layout->clusters, PyroCallGraphCluster, i);
      if (!intersects (c->x, c->y, c->width, c->height, clip))
        continue;
      rounded_rect (cr, c->x + 0.5, c->y + 0.5, c->width - 1, c->height - 1, 6);
      cairo_set_source_rgba (cr, 0.45, 0.47, 0.55, 0.07);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.45, 0.47, 0.55, 0.55);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      if (!text)
        continue;
      g_autoptr (PangoLayout) label = pango_layout_new (self->context);
      g_autoptr (PangoFontDescription) bold = pango_font_description_copy (self->font);
      pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);
      pango_layout_set_font_description (label, bold);
      pango_layout_set_text (label, c->name, -1);
      pango_layout_set_width (label, (int) ((c->width - 12) * PANGO_SCALE));
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_MIDDLE);
      cairo_set_source_rgb (cr, 0.35, 0.37, 0.45);
      cairo_move_to (cr, c->x + 8, c->y + 4);
      pango_cairo_show_layout (cr, label);
    }
}

static void
wire_bounds (const PyroCallGraphWire *w, double out[4])
{
  out[0] = out[1] = G_MAXDOUBLE;
  out[2] = out[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < w->n_points; i++)
    {
      out[0] = MIN (out[0], w->points[2 * i]);
      out[1] = MIN (out[1], w->points[2 * i + 1]);
      out[2] = MAX (out[2], w->points[2 * i]);
      out[3] = MAX (out[3], w->points[2 * i + 1]);
    }
  if (w->has_arrow)
    {
      out[0] = MIN (out[0], w->tip_x);
      out[1] = MIN (out[1], w->tip_y);
      out[2] = MAX (out[2], w->tip_x);
      out[3] = MAX (out[3], w->tip_y);
    }
  out[2] = MAX (out[2], w->label_x + w->label_width);
  out[3] = MAX (out[3], w->label_y + w->label_height);
}

/* Adds the segments of @w that reach into @clip: dot routes a long edge
 * as many segments, and stroking the ones out of sight is most of the cost
 * of a frame. */
static void
wire_path (cairo_t *cr, const PyroCallGraphWire *w, const double clip[4], double width)
{
  const double *p = w->points;
  gboolean open = FALSE;
  guint i = 0;
  for (; i + 3 < w->n_points; i += 3)
    {
      const double *q = p + 2 * i;
      double x0 = MIN (MIN (q[0], q[2]), MIN (q[4], q[6])), x1 = MAX (MAX (q[0], q[2]), MAX (q[4], q[6]));
      double y0 = MIN (MIN (q[1], q[3]), MIN (q[5], q[7])), y1 = MAX (MAX (q[1], q[3]), MAX (q[5], q[7]));
      if (!intersects (x0 - width, y0 - width, x1 - x0 + 2 * width, y1 - y0 + 2 * width, clip))
        {
          open = FALSE;
          continue;
        }
      if (!open)
        cairo_move_to (cr, q[0], q[1]);
      cairo_curve_to (cr, q[2], q[3], q[4], q[5], q[6], q[7]);
      open = TRUE;
    }
  for (; i + 1 < w->n_points; i++)
    {
      if (!open)
        cairo_move_to (cr, p[2 * i], p[2 * i + 1]);
      cairo_line_to (cr, p[2 * i + 2], p[2 * i + 3]);
      open = TRUE;
    }
}

static void
paint_wire (PyroCallGraphPainter *self, cairo_t *cr, const PyroCallGraphWire *w, guint index,
            double emphasis, double alpha, gboolean text, const double clip[4])
{
  if (w->n_points < 2)
    return;
  PyroRgb color = pyro_callgraph_color (self->colors, w->share);
  double width = pyro_callgraph_edge_width (w->share) + emphasis;
  cairo_set_source_rgba (cr, color.r, color.g, color.b, alpha);
  cairo_set_line_width (cr, width);
  wire_path (cr, w, clip, width);
  cairo_stroke (cr);

  if (w->has_arrow)
    {
      double bx = w->points[2 * (w->n_points - 1)], by = w->points[2 * (w->n_points - 1) + 1];
      double dx = w->tip_x - bx, dy = w->tip_y - by;
      double len = hypot (dx, dy);
      if (len > 0)
        {
          /* the arrow is as long as dot left room for, wider for heavy edges */
          double half = MAX (3.5, width * 1.2);
          double nx = -dy / len * half, ny = dx / len * half;
          cairo_move_to (cr, w->tip_x, w->tip_y);
          cairo_line_to (cr, bx + nx, by + ny);
          cairo_line_to (cr, bx - nx, by - ny);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
    }

  if (!text)
    return;
  PangoLayout *label = g_ptr_array_index (self->wire_text, index);
  if (label == NULL)
    label = self->wire_text->pdata[index] = wire_layout (self, w);
  /* a pale halo keeps a label readable where another edge passes under it */
  rounded_rect (cr, w->label_x - 2, w->label_y, w->label_width + 4, w->label_height, 2);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.7 * alpha);
  cairo_fill (cr);
  PyroRgb ink = pyro_rgb_mix (color, (PyroRgb) { 0, 0, 0 }, 0.35);
  cairo_set_source_rgba (cr, ink.r, ink.g, ink.b, alpha);
  cairo_move_to (cr, w->label_x, w->label_y);
  pango_cairo_show_layout (cr, label);
}

static void
paint_box (PyroCallGraphPainter *self, cairo_t *cr, const PyroCallGraphBox *b, guint index,
           gboolean text)
{
  PyroRgb fill = pyro_callgraph_color (self->colors, b->share);
  rounded_rect (cr, b->x, b->y, b->width, b->height, RADIUS);
  cairo_set_source_rgb (cr, fill.r, fill.g, fill.b);
  cairo_fill_preserve (cr);
  PyroRgb edge = pyro_rgb_mix (fill, (PyroRgb) { 0, 0, 0 }, 0.35);
  cairo_set_source_rgb (cr, edge.r, edge.g, edge.b);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  if (b->func == self->selected_func || index == self->hover)
    {
      gboolean selected = b->func == self->selected_func;
      rounded_rect (cr, b->x - 2.5, b->y - 2.5, b->width + 5, b->height + 5, RADIUS + 2);
      cairo_set_source_rgba (cr, 0.11, 0.11, 0.13, selected ? 1 : 0.5);
      cairo_set_line_width (cr, selected ? 3 : 2);
      cairo_stroke (cr);
    }

  if (!text)
    return;
  PangoLayout *label = g_ptr_array_index (self->box_text, index);
  if (label == NULL)
    label = self->box_text->pdata[index] = box_layout (self, b);
  PyroRgb ink = pyro_palette_text_color (fill);
  cairo_set_source_rgb (cr, ink.r, ink.g, ink.b);
  int lw, lh;
  pango_layout_get_pixel_size (label, &lw, &lh);
  cairo_save (cr);
  cairo_rectangle (cr, b->x, b->y, b->width, b->height);
  cairo_clip (cr);
  cairo_move_to (cr, b->x + (b->width - lw) / 2, b->y + (b->height - lh) / 2);
  pango_cairo_show_layout (cr, label);
  cairo_restore (cr);
}

static gboolean
touches_hover (const PyroCallGraphPainter *self, const PyroCallGraphWire *w)
{
  return self->hover != PYRO_NONE && (w->from == self->hover || w->to == self->hover);
}

void
pyro_callgraph_painter_paint (PyroCallGraphPainter *self, cairo_t *cr,
                              const PyroCallGraphLayout *layout)
{
  ensure_cache (self, layout);
  pango_cairo_update_context (cr, self->context);

  double clip[4];
  cairo_clip_extents (cr, &clip[0], &clip[1], &clip[2], &clip[3]);
  double sx = 1, sy = 0;
  cairo_user_to_device_distance (cr, &sx, &sy);
  gboolean text = hypot (sx, sy) >= MIN_TEXT_SCALE;
  gboolean hovering = self->hover != PYRO_NONE && self->hover < layout->boxes->len;

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* half a device pixel looks as smooth as Cairo's default 0.1 and
   * flattens the curves of a zoomed-out graph several times faster */
  cairo_set_tolerance (cr, 0.5);
  paint_clusters (self, cr, layout, clip, text);

  double bounds[4];
  for (guint pass = 0; pass < (hovering ? 2u : 1u); pass++)
    for (guint i = 0; i < layout->wires->len; i++)
      {
        const PyroCallGraphWire *w = &g_array_index (layout->wires, PyroCallGraphWire, i);
        gboolean hot = hovering && touches_hover (self, w);
        if (hovering && hot != (pass == 1))
          continue;
        wire_bounds (w, bounds);
        if (!intersects (bounds[0], bounds[1], bounds[2] - bounds[0], bounds[3] - bounds[1], clip))
          continue;
        paint_wire (self, cr, w, i, hot ? 2 : 0, hovering && !hot ? 0.25 : 1, text, clip);
      }

  for (guint i = 0; i < layout->boxes->len; i++)
    {
      const PyroCallGraphBox *b = &g_array_index (layout->boxes, PyroCallGraphBox, i);
      if (intersects (b->x - 4, b->y - 4, b->width + 8, b->height + 8, clip))
        paint_box (self, cr, b, i, text);
    }
  cairo_restore (cr);
}

void
pyro_callgraph_painter_paint_hover (PyroCallGraphPainter *self, cairo_t *cr,
                                    const PyroCallGraphLayout *layout, guint32 box)
{
  if (box >= layout->boxes->len)
    return;
  ensure_cache (self, layout);
  pango_cairo_update_context (cr, self->context);
  double clip[4];
  cairo_clip_extents (cr, &clip[0], &clip[1], &clip[2], &clip[3]);
  double sx = 1, sy = 0;
  cairo_user_to_device_distance (cr, &sx, &sy);
  gboolean text = hypot (sx, sy) >= MIN_TEXT_SCALE;
  guint32 saved = self->hover;
  self->hover = box;

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_tolerance (cr, 0.5);
  for (guint i = 0; i < layout->wires->len; i++)
    {
      const PyroCallGraphWire *w = &g_array_index (layout->wires, PyroCallGraphWire, i);
      if (touches_hover (self, w))
        paint_wire (self, cr, w, i, 2, 1, text, clip);
    }
  for (guint i = 0; i < layout->wires->len; i++)
    {
      const PyroCallGraphWire *w = &g_array_index (layout->wires, PyroCallGraphWire, i);
      if (touches_hover (self, w))
        {
          guint32 other = w->from == box ? w->to : w->from;
          paint_box (self, cr, &g_array_index (layout->boxes, PyroCallGraphBox, other), other, text);
        }
    }
  paint_box (self, cr, &g_array_index (layout->boxes, PyroCallGraphBox, box), box, text);
  cairo_restore (cr);
  self->hover = saved;
}
