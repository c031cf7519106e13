#include "timeline-painter.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define MIB (1024.0 * 1024.0)
#define LEFT_MARGIN 64.0
#define RIGHT_MARGIN 12.0
#define TOP_MARGIN 8.0
#define AXIS_HEIGHT 20.0
#define STRIP_HEIGHT 10.0
#define MARK_HEIGHT 14.0
#define ROW_GAP 3.0
#define MAX_STRIPS 6
#define MAX_MARK_ROWS 5
#define MIN_CHART_HEIGHT 36.0

/* Series colours: blue, green, purple, orange, teal (GNOME palette). */
static const PyroRgb series_colors[] = {
  { 0.208, 0.518, 0.894 },
  { 0.180, 0.761, 0.494 },
  { 0.569, 0.255, 0.675 },
  { 0.902, 0.380, 0.000 },
  { 0.129, 0.565, 0.643 },
};
static const PyroRgb peak_color = { 0.878, 0.106, 0.141 };
static const PyroRgb on_stack_color = { 0.898, 0.647, 0.039 };
static const PyroRgb mark_color = { 0.467, 0.463, 0.482 };

PyroTimelinePlot
pyro_timeline_plot_area (const PyroTimelineViewport *vp)
{
  PyroTimelinePlot plot = { LEFT_MARGIN, MAX (vp->width - LEFT_MARGIN - RIGHT_MARGIN, 1.0) };
  return plot;
}

double
pyro_timeline_time_to_x (const PyroTimelineViewport *vp, gint64 time)
{
  PyroTimelinePlot plot = pyro_timeline_plot_area (vp);
  double span = (double) MAX (vp->view_end - vp->view_start, 1);
  return plot.left + (double) (time - vp->view_start) / span * plot.width;
}

gint64
pyro_timeline_x_to_time (const PyroTimelineViewport *vp, double x)
{
  PyroTimelinePlot plot = pyro_timeline_plot_area (vp);
  double span = (double) MAX (vp->view_end - vp->view_start, 1);
  return vp->view_start + (gint64) llround ((x - plot.left) / plot.width * span);
}

char *
pyro_timeline_format_duration (gint64 ns)
{
  double a = fabs ((double) ns);
  if (a >= 1e9)
    return g_strdup_printf ("%.3g s", ns / 1e9);
  if (a >= 1e6)
    return g_strdup_printf ("%.3g ms", ns / 1e6);
  if (a >= 1e3)
    return g_strdup_printf ("%.3g µs", ns / 1e3);
  return g_strdup_printf ("%" G_GINT64_FORMAT " ns", ns);
}

/* A 1, 2 or 5 times a power of ten step giving about @target intervals. */
static double
nice_step (double span, double target)
{
  double raw = span / MAX (target, 1.0);
  double power = pow (10, floor (log10 (raw)));
  double f = raw / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

static void
set_rgba (cairo_t *cr, PyroRgb c, double alpha)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, alpha);
}

typedef struct {
  const PyroTimeline *tl;
  const PyroTimelineViewport *vp;
  cairo_t *cr;
  PangoLayout *layout;
  PyroTimelinePlot plot;
} Painter;

/* Draws @text with its left (@xalign 0), centre (0.5) or right (1) edge
 * at @x and its vertical centre at @y; returns its width. */
static double
draw_text (Painter *p, const char *text, double x, double y, double xalign, PyroRgb color,
           double alpha)
{
  pango_layout_set_text (p->layout, text, -1);
  int w, h;
  pango_layout_get_pixel_size (p->layout, &w, &h);
  set_rgba (p->cr, color, alpha);
  cairo_move_to (p->cr, round (x - w * xalign), round (y - h / 2.0));
  pango_cairo_show_layout (p->cr, p->layout);
  return w;
}

static double
text_width (Painter *p, const char *text)
{
  pango_layout_set_text (p->layout, text, -1);
  int w, h;
  pango_layout_get_pixel_size (p->layout, &w, &h);
  return w;
}

static char *
format_value (const char *unit, double value, double step)
{
  if (g_strcmp0 (unit, "bytes") == 0)
    {
      double mib = value / MIB;
      int decimals = step / MIB >= 1 ? 0 : step / MIB >= 0.1 ? 1 : 2;
      return g_strdup_printf ("%.*f MiB", decimals, mib);
    }
  return g_strdup_printf ("%g %s", value, unit != NULL ? unit : "");
}

static double
value_y (double value, double max, double top, double height)
{
  return top + height - (max > 0 ? value / max : 0) * height;
}

static void
paint_series (Painter *p, const PyroTimelineCounter *info, guint series_index, double max,
              double top, double height)
{
  cairo_t *cr = p->cr;
  const PyroCounter *counter = g_ptr_array_index (p->tl->profile->counters, info->counter);
  guint n = MIN (counter->times->len, counter->values->len);
  const gint64 *times = (const gint64 *) counter->times->data;
  const double *values = (const double *) counter->values->data;
  PyroRgb color = series_colors[series_index % G_N_ELEMENTS (series_colors)];

  /* One vertical run per pixel column keeps a million points cheap. */
  gboolean started = FALSE;
  double first_x = 0, last_x = 0;
  long column = G_MINLONG;
  double col_min = 0, col_max = 0, col_last = 0;
  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      gboolean before = times[i] < p->vp->view_start;
      gboolean after = times[i] > p->vp->view_end;
      if (before && i + 1 < n && times[i + 1] < p->vp->view_start)
        continue;
      if (after && i > 0 && times[i - 1] > p->vp->view_end)
        break;
      double x = pyro_timeline_time_to_x (p->vp, times[i]);
      double y = value_y (values[i], max, top, height);
      long c = lround (floor (x));
      if (c == column)
        {
          col_min = MIN (col_min, y);
          col_max = MAX (col_max, y);
          col_last = y;
          continue;
        }
      if (column != G_MINLONG && col_min != col_max)
        {
          cairo_line_to (cr, last_x, col_min);
          cairo_line_to (cr, last_x, col_max);
          cairo_line_to (cr, last_x, col_last);
        }
      if (!started)
        {
          cairo_move_to (cr, x, y);
          first_x = x;
          started = TRUE;
        }
      else
        cairo_line_to (cr, x, y);
      column = c;
      col_min = col_max = col_last = y;
      last_x = x;
    }
  if (!started)
    return;
  if (col_min != col_max)
    {
      cairo_line_to (cr, last_x, col_min);
      cairo_line_to (cr, last_x, col_max);
      cairo_line_to (cr, last_x, col_last);
    }
  cairo_path_t *line = cairo_copy_path (cr);
  cairo_line_to (cr, last_x, top + height);
  cairo_line_to (cr, first_x, top + height);
  cairo_close_path (cr);
  set_rgba (cr, color, series_index == 0 ? 0.18 : 0.08);
  cairo_fill (cr);
  cairo_append_path (cr, line);
  cairo_path_destroy (line);
  set_rgba (cr, color, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

static void
paint_peak (Painter *p, const PyroTimelineCounter *info, const char *unit, double max,
            double top, double height)
{
  if (info->max_time < p->vp->view_start || info->max_time > p->vp->view_end)
    return;
  cairo_t *cr = p->cr;
  double x = pyro_timeline_time_to_x (p->vp, info->max_time);
  double y = value_y (info->max, max, top, height);
  cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
  set_rgba (cr, peak_color, 1);
  cairo_fill (cr);

  g_autofree char *value = format_value (unit, info->max, info->max / 100);
  g_autofree char *at = pyro_timeline_format_duration (info->max_time - p->tl->start);
  g_autofree char *label = g_strdup_printf (_("peak %s at %s"), value, at);
  double w = text_width (p, label);
  double right = p->plot.left + p->plot.width;
  /* to the right of the dot when it fits, else to its left */
  gboolean left_side = x + 8 + w > right;
  draw_text (p, label, left_side ? x - 8 : x + 8, MAX (y, top + 7), left_side ? 1 : 0,
             peak_color, 1);
}

static void
paint_chart (Painter *p, const PyroTimelineChart *chart, double top, double height)
{
  cairo_t *cr = p->cr;
  const char *unit = pyro_profile_str (p->tl->profile, chart->unit);
  double max = chart->max > 0 ? chart->max * 1.08 : 1;
  PyroRgb fg = p->vp->foreground;

  /* horizontal grid and value labels */
  /* steps of 1, 2 or 5 MiB (times a power of ten) for memory */
  double scale = g_strcmp0 (unit, "bytes") == 0 ? MIB : 1;
  double step = nice_step (max / scale, MAX (height / 28, 1)) * scale;
  cairo_set_line_width (cr, 1);
  for (double v = 0; v <= max + step * 1e-9; v += step)
    {
      double y = round (value_y (v, max, top, height)) + 0.5;
      set_rgba (cr, fg, v == 0 ? 0.35 : 0.10);
      cairo_move_to (cr, p->plot.left, y);
      cairo_line_to (cr, p->plot.left + p->plot.width, y);
      cairo_stroke (cr);
      g_autofree char *label = format_value (unit, v, step);
      draw_text (p, label, p->plot.left - 6, y, 1, fg, 0.6);
    }

  cairo_save (cr);
  cairo_rectangle (cr, p->plot.left, top - 4, p->plot.width, height + 4);
  cairo_clip (cr);
  for (guint s = 0; s < chart->series->len; s++)
    {
      guint index = g_array_index (chart->series, guint, s);
      paint_series (p, &g_array_index (p->tl->counters, PyroTimelineCounter, index), s, max,
                    top, height);
    }
  cairo_restore (cr);

  /* the peak of the chart's first series (RSS), and a legend when several */
  if (chart->series->len > 0)
    paint_peak (p, &g_array_index (p->tl->counters, PyroTimelineCounter,
                                   g_array_index (chart->series, guint, 0)),
                unit, max, top, height);
  if (chart->series->len > 1)
    {
      double x = p->plot.left + 6;
      for (guint s = 0; s < chart->series->len && s < 6; s++)
        {
          guint index = g_array_index (chart->series, guint, s);
          const PyroTimelineCounter *info = &g_array_index (p->tl->counters, PyroTimelineCounter, index);
          const PyroCounter *counter = g_ptr_array_index (p->tl->profile->counters, info->counter);
          PyroRgb color = series_colors[s % G_N_ELEMENTS (series_colors)];
          set_rgba (cr, color, 1);
          cairo_rectangle (cr, x, top + 3, 8, 8);
          cairo_fill (cr);
          x += 12 + draw_text (p, pyro_profile_str (p->tl->profile, counter->name), x + 12, top + 7,
                               0, fg, 0.75) + 12;
        }
    }
}

static void
paint_strips (Painter *p, double top, guint n_strips, guint n_bins)
{
  cairo_t *cr = p->cr;
  const PyroTimeline *tl = p->tl;
  g_autofree double *density = pyro_timeline_density (tl, p->vp->view_start, p->vp->view_end, n_bins);
  double max = 0;
  for (gsize i = 0; i < (gsize) tl->threads->len * n_bins; i++)
    max = MAX (max, density[i]);
  for (guint r = 0; r < n_strips; r++)
    {
      double y = top + r * (STRIP_HEIGHT + ROW_GAP);
      set_rgba (cr, p->vp->foreground, 0.05);
      cairo_rectangle (cr, p->plot.left, y, p->plot.width, STRIP_HEIGHT);
      cairo_fill (cr);
      for (guint b = 0; b < n_bins && max > 0; b++)
        {
          double d = density[(gsize) r * n_bins + b];
          if (d <= 0)
            continue;
          /* square root keeps sparse activity visible next to dense bursts */
          set_rgba (cr, series_colors[0], 0.15 + 0.85 * sqrt (d / max));
          cairo_rectangle (cr, p->plot.left + b, y, 1, STRIP_HEIGHT);
          cairo_fill (cr);
        }
      guint32 t = g_array_index (tl->threads, guint32, r);
      const PyroThread *thread = &g_array_index (tl->profile->threads, PyroThread, t);
      const char *name = pyro_profile_str (tl->profile, thread->name);
      g_autofree char *label = name[0] != '\0' ? g_strdup (name) : g_strdup_printf ("%u", thread->tid);
      pango_layout_set_width (p->layout, (int) ((LEFT_MARGIN - 10) * PANGO_SCALE));
      pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_END);
      draw_text (p, label, 4, y + STRIP_HEIGHT / 2, 0, p->vp->foreground, 0.6);
      pango_layout_set_width (p->layout, -1);
    }
  if (tl->threads->len > n_strips)
    {
      g_autofree char *more = g_strdup_printf (_("+%u threads"), tl->threads->len - n_strips);
      draw_text (p, more, 4, top + n_strips * (STRIP_HEIGHT + ROW_GAP) + 4, 0,
                 p->vp->foreground, 0.5);
    }
}

static gboolean
mark_is_func (const PyroProfile *profile, const PyroMark *mark, guint32 func)
{
  if (func == PYRO_NONE)
    return FALSE;
  /* mprof names a span "module.function"; the function table keeps "function" */
  const char *name = pyro_profile_str (profile, mark->name);
  const char *fname = pyro_profile_func_name (profile, func);
  gsize n = strlen (name), f = strlen (fname);
  return f > 0 && n >= f && strcmp (name + n - f, fname) == 0
         && (n == f || name[n - f - 1] == '.');
}

static void
paint_marks (Painter *p, double top, guint n_rows)
{
  cairo_t *cr = p->cr;
  const PyroProfile *profile = p->tl->profile;
  double right = p->plot.left + p->plot.width;
  for (guint i = 0; i < profile->marks->len; i++)
    {
      guint32 row = g_array_index (p->tl->mark_row, guint32, i);
      if (row >= n_rows)
        continue;
      const PyroMark *m = &g_array_index (profile->marks, PyroMark, i);
      if (m->end < p->vp->view_start || m->start > p->vp->view_end)
        continue;
      double x0 = MAX (pyro_timeline_time_to_x (p->vp, m->start), p->plot.left);
      double x1 = MIN (pyro_timeline_time_to_x (p->vp, m->end), right);
      double w = MAX (x1 - x0, 1);
      double y = top + row * (MARK_HEIGHT + ROW_GAP);
      gboolean selected = mark_is_func (profile, m, p->vp->selected_func);
      set_rgba (cr, selected ? on_stack_color : mark_color, selected ? 0.85 : 0.45);
      cairo_rectangle (cr, x0, y, w, MARK_HEIGHT);
      cairo_fill (cr);
      const char *name = pyro_profile_str (profile, m->name);
      if (w > 24)
        {
          pango_layout_set_width (p->layout, (int) ((w - 6) * PANGO_SCALE));
          pango_layout_set_ellipsize (p->layout, PANGO_ELLIPSIZE_END);
          draw_text (p, name, x0 + 3, y + MARK_HEIGHT / 2, 0, p->vp->foreground, 0.9);
          pango_layout_set_width (p->layout, -1);
        }
    }
}

static void
paint_axis (Painter *p, double y)
{
  cairo_t *cr = p->cr;
  PyroRgb fg = p->vp->foreground;
  double span = (double) (p->vp->view_end - p->vp->view_start);
  double step = nice_step (span, MAX (p->plot.width / 90, 1));
  gint64 origin = p->tl->start;
  double first = ceil ((p->vp->view_start - origin) / step) * step;
  cairo_set_line_width (cr, 1);
  set_rgba (cr, fg, 0.35);
  cairo_move_to (cr, p->plot.left, y + 0.5);
  cairo_line_to (cr, p->plot.left + p->plot.width, y + 0.5);
  cairo_stroke (cr);
  for (double t = first; origin + t <= p->vp->view_end; t += step)
    {
      double x = round (pyro_timeline_time_to_x (p->vp, origin + (gint64) t)) + 0.5;
      set_rgba (cr, fg, 0.35);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x, y + 4);
      cairo_stroke (cr);
      g_autofree char *label = pyro_timeline_format_duration ((gint64) llround (t));
      draw_text (p, t == 0 ? "0" : label, x, y + 12, 0.5, fg, 0.6);
    }
}

void
pyro_timeline_paint (const PyroTimeline *timeline, cairo_t *cr, const PyroTimelineViewport *vp)
{
  if (pyro_timeline_is_empty (timeline) || vp->width < LEFT_MARGIN + RIGHT_MARGIN + 10
      || vp->height < 40 || vp->view_end <= vp->view_start)
    return;

  Painter p = { timeline, vp, cr, pango_cairo_create_layout (cr), pyro_timeline_plot_area (vp) };
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans 8");
  if (vp->font != NULL)
    {
      pango_font_description_free (font);
      font = pango_font_description_copy (vp->font);
      pango_font_description_set_size (font, pango_font_description_get_size (font) * 5 / 6);
    }
  pango_layout_set_font_description (p.layout, font);

  guint n_strips = MIN (timeline->threads->len, MAX_STRIPS);
  guint n_mark_rows = MIN (timeline->n_mark_rows, MAX_MARK_ROWS);
  double strips_h = n_strips * (STRIP_HEIGHT + ROW_GAP) + (timeline->threads->len > n_strips ? 10 : 0);
  double marks_h = n_mark_rows * (MARK_HEIGHT + ROW_GAP);
  double axis_y = vp->height - AXIS_HEIGHT;
  double charts_top = TOP_MARGIN;
  double charts_h = axis_y - ROW_GAP * 2 - strips_h - marks_h - charts_top;
  guint n_charts = timeline->charts->len;
  /* Without room for every chart, the strips and marks go first. */
  while (n_charts > 0 && charts_h / n_charts < MIN_CHART_HEIGHT)
    n_charts--;
  if (n_charts == 0)
    charts_h = 0;

  guint n_bins = (guint) MAX (p.plot.width, 1);

  /* the selected function's time on the stack, under everything else */
  if (vp->selected_func != PYRO_NONE && timeline->samples_timed)
    {
      g_autofree gboolean *bins = pyro_timeline_func_bins (timeline, vp->selected_func,
                                                           vp->view_start, vp->view_end, n_bins);
      set_rgba (cr, on_stack_color, 0.16);
      for (guint b = 0; b < n_bins; b++)
        if (bins[b])
          cairo_rectangle (cr, p.plot.left + b, charts_top, 1, axis_y - charts_top);
      cairo_fill (cr);
    }

  double y = charts_top;
  double chart_h = n_charts > 0 ? charts_h / n_charts : 0;
  for (guint c = 0; c < n_charts; c++)
    {
      paint_chart (&p, &g_array_index (timeline->charts, PyroTimelineChart, c), y + 10,
                   chart_h - 14);
      y += chart_h;
    }
  y += ROW_GAP;
  if (n_strips > 0)
    {
      paint_strips (&p, y, n_strips, n_bins);
      y += strips_h;
    }
  if (n_mark_rows > 0)
    paint_marks (&p, y + ROW_GAP, n_mark_rows);
  paint_axis (&p, axis_y);

  if (vp->has_range)
    {
      double x0 = CLAMP (pyro_timeline_time_to_x (vp, vp->range_start), p.plot.left, p.plot.left + p.plot.width);
      double x1 = CLAMP (pyro_timeline_time_to_x (vp, vp->range_end), p.plot.left, p.plot.left + p.plot.width);
      set_rgba (cr, vp->accent, 0.14);
      cairo_rectangle (cr, x0, charts_top, MAX (x1 - x0, 1), axis_y - charts_top);
      cairo_fill (cr);
      set_rgba (cr, vp->accent, 0.9);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, round (x0) + 0.5, charts_top);
      cairo_line_to (cr, round (x0) + 0.5, axis_y);
      cairo_move_to (cr, round (x1) - 0.5, charts_top);
      cairo_line_to (cr, round (x1) - 0.5, axis_y);
      cairo_stroke (cr);
    }
  g_object_unref (p.layout);
}
