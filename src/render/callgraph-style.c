#include "callgraph-style.h"

#include <math.h>
#include <string.h>

/* Longest function name shown whole; C++ names can run to kilobytes. */
#define MAX_NAME_CHARS 60

static double
hue_to_rgb (double m1, double m2, double h)
{
  if (h < 0)
    h += 1;
  if (h > 1)
    h -= 1;
  if (h * 6 < 1)
    return m1 + (m2 - m1) * h * 6;
  if (h * 2 < 1)
    return m2;
  if (h * 3 < 2)
    return m1 + (m2 - m1) * (2.0 / 3 - h) * 6;
  return m1;
}

static PyroRgb
hsl (double h, double s, double l)
{
  double m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s;
  double m1 = 2 * l - m2;
  return (PyroRgb) { hue_to_rgb (m1, m2, h + 1.0 / 3), hue_to_rgb (m1, m2, h),
                     hue_to_rgb (m1, m2, h - 1.0 / 3) };
}

/* viridis at 0, 1/8, … 1 */
static const guint32 viridis[] = {
  0x440154, 0x46327e, 0x365c8d, 0x277f8e, 0x1fa187, 0x4ac16d, 0x9fda3a, 0xd8e219, 0xfde725,
};

PyroRgb
pyro_callgraph_color (PyroCallGraphColors scheme, double share)
{
  double v = CLAMP (share, 0, 1);
  if (isnan (v))
    v = 0;
  if (scheme == PYRO_CALLGRAPH_COLORS_VIRIDIS)
    {
      double pos = v * (G_N_ELEMENTS (viridis) - 1);
      guint i = MIN ((guint) pos, G_N_ELEMENTS (viridis) - 2);
      double t = pos - i;
      PyroRgb a = { (viridis[i] >> 16) / 255.0, ((viridis[i] >> 8) & 0xff) / 255.0, (viridis[i] & 0xff) / 255.0 };
      PyroRgb b = { (viridis[i + 1] >> 16) / 255.0, ((viridis[i + 1] >> 8) & 0xff) / 255.0, (viridis[i + 1] & 0xff) / 255.0 };
      return pyro_rgb_mix (a, b, t);
    }
  /* HSL from (240°, 80 %, 25 %) to (0°, 100 %, 50 %), as gprof2dot */
  return hsl ((2.0 / 3) * (1 - v), 0.8 + 0.2 * v, 0.25 + 0.25 * v);
}

char *
pyro_callgraph_color_hex (PyroRgb color)
{
  return g_strdup_printf ("#%02x%02x%02x", (int) lround (CLAMP (color.r, 0, 1) * 255),
                          (int) lround (CLAMP (color.g, 0, 1) * 255),
                          (int) lround (CLAMP (color.b, 0, 1) * 255));
}

double
pyro_callgraph_share (const PyroCallGraph *graph, double weight)
{
  return graph->grand_total > 0 ? weight / graph->grand_total : 0;
}

const char *
pyro_callgraph_node_module (const PyroCallGraph *graph, guint32 node)
{
  guint32 func = pyro_call_graph_node (graph, node)->func;
  const char *module = pyro_profile_func_module (graph->profile, func);
  return module[0] != '\0' ? module : pyro_profile_func_file (graph->profile, func);
}

static char *
short_name (const char *name)
{
  if (g_utf8_strlen (name, -1) <= MAX_NAME_CHARS)
    return g_strdup (name);
  const char *cut = g_utf8_offset_to_pointer (name, MAX_NAME_CHARS - 1);
  return g_strdup_printf ("%.*s…", (int) (cut - name), name);
}

static char *
format_count (double count)
{
  /* %'d groups digits by the locale ("1,234"), as the function table */
  return g_strdup_printf ("%'.0f×", count);
}

GStrv
pyro_callgraph_node_lines (const PyroCallGraph *graph, guint32 node)
{
  const PyroCallGraphNode *n = pyro_call_graph_node (graph, node);
  g_autoptr (GStrvBuilder) lines = g_strv_builder_new ();
  g_autofree char *name = short_name (pyro_profile_func_name (graph->profile, n->func));
  g_strv_builder_add (lines, name);

  const char *module = pyro_callgraph_node_module (graph, node);
  g_autofree char *base = module[0] != '\0' ? g_path_get_basename (module) : NULL;
  guint32 line = pyro_profile_func_line (graph->profile, n->func);
  g_autofree char *location = base == NULL ? NULL
                              : line > 0 ? g_strdup_printf ("%s:%u", base, line) : g_strdup (base);
  if (location != NULL)
    g_strv_builder_add (lines, location);

  g_autofree char *shares = g_strdup_printf ("%.2f%% (%.2f%%)", 100 * pyro_callgraph_share (graph, n->total),
                                             100 * pyro_callgraph_share (graph, n->self));
  g_strv_builder_add (lines, shares);
  g_autofree char *calls = n->calls >= 0 ? format_count (n->calls) : NULL;
  if (calls != NULL)
    g_strv_builder_add (lines, calls);
  return g_strv_builder_end (lines);
}

char *
pyro_callgraph_edge_label (const PyroCallGraph *graph, guint32 edge)
{
  const PyroCallGraphEdge *e = pyro_call_graph_edge (graph, edge);
  double pct = 100 * pyro_callgraph_share (graph, e->weight);
  if (e->calls < 0)
    return g_strdup_printf ("%.2f%%", pct);
  g_autofree char *calls = format_count (e->calls);
  return g_strdup_printf ("%.2f%%\n%s", pct, calls);
}

double
pyro_callgraph_edge_width (double share)
{
  /* gprof2dot: 0.5 … 4 pt with the weight; a little heavier on screen */
  return MAX (1.0, 6.0 * CLAMP (share, 0, 1));
}
