/* The call graph's layout (Graphviz dot through libgvc), its painter and its
 * exports: boxes where dot put them, edges from caller to callee, fills on
 * the temperature scale, and .dot / SVG files that carry every visible
 * node's label. */
#include "fixtures.h"
#include "core/call-graph.h"
#include "render/callgraph-dot.h"
#include "render/callgraph-layout.h"
#include "render/callgraph-painter.h"
#include "render/callgraph-style.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char trace[] =
  "main;parse;read 100\n"
  "main;parse;lex;read 40\n"
  "main;compute;fib;fib;fib 300\n"
  "main;compute;fib;fib 200\n"
  "main;compute;helper;fib 60\n"
  "main;report;format<int> 80\n"
  "main;report;tiny 3\n"
  "main;compute 50\n"
  "main 20\n"
  "idle 147\n";

static PyroCallGraph *
graph_of (PyroProfile *profile)
{
  g_autoptr (GError) error = NULL;
  PyroCallGraph *graph = pyro_call_graph_new (profile, NULL, NULL, &error);
  g_assert_no_error (error);
  return graph;
}

static void
assert_color (PyroRgb c, guint32 hex)
{
  g_assert_cmpint (lround (c.r * 255), ==, hex >> 16);
  g_assert_cmpint (lround (c.g * 255), ==, (hex >> 8) & 0xff);
  g_assert_cmpint (lround (c.b * 255), ==, hex & 0xff);
}

static void
test_temperature_scale (void)
{
  /* gprof2dot's stops, visual-styles.md */
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, 0), 0x0d0d73);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, 0.25), 0x0c9393);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, 0.5), 0x0ab60a);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, 0.75), 0xdada06);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, 1), 0xff0000);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, 7), 0xff0000);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_VIRIDIS, 0), 0x440154);
  assert_color (pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_VIRIDIS, 1), 0xfde725);
  /* viridis gets lighter all the way, so it reads in grey too */
  double last = -1;
  for (int i = 0; i <= 20; i++)
    {
      PyroRgb c = pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_VIRIDIS, i / 20.0);
      double luma = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
      g_assert_cmpfloat (luma, >, last);
      last = luma;
    }
}

static void
test_labels (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (trace);
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  guint32 fib = graph->node_of_func[fixture_func (p, "fib")];
  g_auto (GStrv) lines = pyro_callgraph_node_lines (graph, fib);
  g_assert_cmpstr (lines[0], ==, "fib");
  /* 560 of 1000 in total, all of it self */
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "56.00% (56.00%)");
  guint32 loop = pyro_call_graph_find_edge (graph, fib, fib);
  g_autofree char *label = pyro_callgraph_edge_label (graph, loop);
  g_assert_cmpstr (label, ==, "50.00%");
}

static gboolean
inside (const PyroCallGraphBox *b, double x, double y, double slack)
{
  return x >= b->x - slack && x <= b->x + b->width + slack && y >= b->y - slack
         && y <= b->y + b->height + slack;
}

static void
test_layout (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (trace);
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  filter.node_fraction = 0.01;
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (subset->n_hidden_nodes, ==, 1);  /* tiny */

  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCallGraphLayout) layout = pyro_callgraph_layout_new (graph, subset, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (layout->boxes->len, ==, subset->nodes->len);
  g_assert_cmpuint (layout->wires->len, ==, subset->edges->len);
  g_assert_cmpuint (layout->n_hidden_nodes, ==, 1);

  for (guint i = 0; i < layout->boxes->len; i++)
    {
      const PyroCallGraphBox *a = &g_array_index (layout->boxes, PyroCallGraphBox, i);
      g_assert_cmpfloat (a->width, >, 20);
      g_assert_cmpfloat (a->height, >, 20);
      g_assert_cmpfloat (a->x, >=, 0);
      g_assert_cmpfloat (a->y, >=, 0);
      g_assert_cmpfloat (a->x + a->width, <=, layout->width);
      g_assert_cmpfloat (a->y + a->height, <=, layout->height);
      for (guint j = i + 1; j < layout->boxes->len; j++)
        {
          const PyroCallGraphBox *b = &g_array_index (layout->boxes, PyroCallGraphBox, j);
          gboolean apart = a->x + a->width <= b->x || b->x + b->width <= a->x
                           || a->y + a->height <= b->y || b->y + b->height <= a->y;
          g_assert_true (apart);
        }
      g_assert_cmpuint (pyro_callgraph_layout_box_at (layout, a->x + a->width / 2, a->y + a->height / 2), ==, i);
      g_assert_cmpuint (pyro_callgraph_layout_find_func (layout, a->func), ==, i);
    }

  /* top to bottom: a caller sits above its callees (recursion aside) */
  guint32 main_box = pyro_callgraph_layout_find_func (layout, fixture_func (p, "main"));
  guint32 read_box = pyro_callgraph_layout_find_func (layout, fixture_func (p, "read"));
  g_assert_cmpfloat (g_array_index (layout->boxes, PyroCallGraphBox, main_box).y, <,
                     g_array_index (layout->boxes, PyroCallGraphBox, read_box).y);

  /* every edge leaves its caller's box and its arrow ends at the callee's */
  for (guint i = 0; i < layout->wires->len; i++)
    {
      const PyroCallGraphWire *w = &g_array_index (layout->wires, PyroCallGraphWire, i);
      const PyroCallGraphEdge *e = pyro_call_graph_edge (graph, w->edge);
      const PyroCallGraphBox *from = &g_array_index (layout->boxes, PyroCallGraphBox, w->from);
      const PyroCallGraphBox *to = &g_array_index (layout->boxes, PyroCallGraphBox, w->to);
      g_assert_cmpuint (from->node, ==, e->caller);
      g_assert_cmpuint (to->node, ==, e->callee);
      g_assert_cmpuint (w->n_points, >=, 4);
      g_assert_cmpuint ((w->n_points - 1) % 3, ==, 0);
      g_assert_true (w->has_arrow);
      g_assert_true (inside (from, w->points[0], w->points[1], 2));
      g_assert_true (inside (to, w->tip_x, w->tip_y, 2));
      g_assert_nonnull (w->label);
    }
}

/* Paints the layout and reads the fill of every box back from the pixels. */
static void
test_paint (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (trace);
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (graph, &filter);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCallGraphLayout) layout = pyro_callgraph_layout_new (graph, subset, NULL, &error);
  g_assert_no_error (error);

  for (int scheme = PYRO_CALLGRAPH_COLORS_TEMPERATURE; scheme <= PYRO_CALLGRAPH_COLORS_VIRIDIS; scheme++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, ceil (layout->width), ceil (layout->height));
      cairo_t *cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      g_autoptr (PyroCallGraphPainter) painter = pyro_callgraph_painter_new (NULL);
      pyro_callgraph_painter_set_colors (painter, scheme);
      pyro_callgraph_painter_paint (painter, cr, layout);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      const guint8 *data = cairo_image_surface_get_data (surface);
      int stride = cairo_image_surface_get_stride (surface);
      for (guint i = 0; i < layout->boxes->len; i++)
        {
          const PyroCallGraphBox *b = &g_array_index (layout->boxes, PyroCallGraphBox, i);
          /* left padding: no text there */
          int x = (int) (b->x + 4), y = (int) (b->y + b->height / 2);
          guint32 px = *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
          PyroRgb want = pyro_callgraph_color (scheme, b->share);
          /* Cairo rounds through 16 bits a channel: one step of slack */
          g_assert_cmpint (abs ((int) (px >> 16) - (int) lround (want.r * 255)), <=, 1);
          g_assert_cmpint (abs ((int) ((px >> 8) & 0xff) - (int) lround (want.g * 255)), <=, 1);
          g_assert_cmpint (abs ((int) (px & 0xff) - (int) lround (want.b * 255)), <=, 1);
        }
      cairo_surface_destroy (surface);
    }
}

static void
test_grouped (void)
{
  g_autoptr (PyroProfile) p = pyro_profile_new ("test");
  guint32 mods[] = { pyro_profile_intern (p, "/usr/lib/libc.so.6"), pyro_profile_intern (p, "/opt/app/bin/app") };
  const char *names[] = { "main", "run", "memcpy", "strlen" };
  guint32 frames[4];
  for (guint i = 0; i < 4; i++)
    frames[i] = pyro_profile_add_frame (p, pyro_profile_add_func (p, pyro_profile_intern (p, names[i]), pyro_profile_intern (p, ""), 0,
                                                                  mods[i < 2 ? 1 : 0], PYRO_FUNC_NATIVE), 0, 0);
  guint32 t = pyro_profile_add_thread (p, 1, 1, "app", "app");
  guint32 s1[] = { frames[0], frames[1], frames[2] };
  guint32 s2[] = { frames[0], frames[1], frames[3] };
  pyro_profile_add_sample (p, 0, pyro_profile_add_stack_frames (p, s1, 3), t, 6);
  pyro_profile_add_sample (p, 0, pyro_profile_add_stack_frames (p, s2, 3), t, 4);
  pyro_profile_finish (p);

  g_autoptr (PyroCallGraph) graph = graph_of (p);
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (graph, &filter);
  PyroCallGraphLayoutOptions options = { NULL, TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCallGraphLayout) layout = pyro_callgraph_layout_new (graph, subset, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (layout->clusters->len, ==, 2);
  for (guint c = 0; c < layout->clusters->len; c++)
    {
      const PyroCallGraphCluster *cl = &g_array_index (layout->clusters, PyroCallGraphCluster, c);
      gboolean libc = g_str_equal (cl->name, "libc.so.6");
      g_assert_true (libc || g_str_equal (cl->name, "app"));
      for (guint i = 0; i < layout->boxes->len; i++)
        {
          const PyroCallGraphBox *b = &g_array_index (layout->boxes, PyroCallGraphBox, i);
          gboolean in_libc = g_str_equal (pyro_profile_func_module (p, b->func), "/usr/lib/libc.so.6");
          gboolean contained = b->x >= cl->x && b->y >= cl->y && b->x + b->width <= cl->x + cl->width
                               && b->y + b->height <= cl->y + cl->height;
          g_assert_cmpint (contained, ==, in_libc == libc);
        }
    }

  g_autofree char *dot = pyro_callgraph_dot_new (graph, subset, PYRO_CALLGRAPH_COLORS_TEMPERATURE, TRUE);
  g_assert_nonnull (strstr (dot, "subgraph cluster_0"));
  g_assert_nonnull (strstr (dot, "subgraph cluster_1"));
}

static char *
run (const char *const *argv, int *status)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, status, &error);
  g_assert_no_error (error);
  return out;
}

/* `pyrometer export --view callgraph -o x.dot`, laid out by Graphviz's own
 * dot; and -o x.svg: both must carry every visible node's name and no
 * hidden one. */
static void
test_export_files (void)
{
  g_autofree char *dot_bin = g_find_program_in_path ("dot");
  if (dot_bin == NULL)
    {
      g_test_skip ("Graphviz's dot is not installed (the graphviz package)");
      return;
    }
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (trace);
  g_autoptr (PyroCallGraph) graph = graph_of (p);
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (graph, &filter);
  g_assert_cmpuint (subset->n_hidden_nodes, ==, 1);

  g_autofree char *in = fixture_write_temp ("graph.folded", trace, -1);
  g_autofree char *dot_path = fixture_temp_path ("graph.dot");
  g_autofree char *svg_path = fixture_temp_path ("graph.svg");
  const char *bin = g_getenv ("PYRO_BIN");
  g_assert_nonnull (bin);
  int status;
  const char *to_dot[] = { bin, "export", in, "--view", "callgraph", "-o", dot_path, NULL };
  g_free (run (to_dot, &status));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  const char *to_svg[] = { bin, "export", in, "--view", "callgraph", "-o", svg_path, NULL };
  g_free (run (to_svg, &status));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  const char *layout[] = { dot_bin, "-Tsvg", dot_path, NULL };
  g_autofree char *dot_svg = run (layout, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *ours = NULL;
  g_assert_true (g_file_get_contents (svg_path, &ours, NULL, NULL));

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      guint32 func = pyro_call_graph_node (graph, i)->func;
      g_autofree char *name = g_markup_escape_text (pyro_profile_func_name (p, func), -1);
      g_autofree char *text = g_strdup_printf (">%s<", name);
      gboolean visible = FALSE;
      for (guint k = 0; k < subset->nodes->len; k++)
        visible |= g_array_index (subset->nodes, guint32, k) == i;
      g_assert_cmpint (strstr (dot_svg, text) != NULL, ==, visible);
      g_assert_cmpint (strstr (ours, text) != NULL, ==, visible);
    }
  /* the node's colour and the share lines come along */
  double main_share = pyro_callgraph_share (graph, pyro_call_graph_node (graph, graph->node_of_func[fixture_func (p, "main")])->total);
  PyroRgb hot = pyro_callgraph_color (PYRO_CALLGRAPH_COLORS_TEMPERATURE, main_share);
  g_autofree char *hex = pyro_callgraph_color_hex (hot);
  g_assert_nonnull (strstr (dot_svg, hex));
  g_assert_nonnull (strstr (dot_svg, "56.00% (56.00%)"));
  g_assert_nonnull (strstr (ours, "56.00% (56.00%)"));

  const char *bad[] = { bin, "export", in, "--view", "flame", "-o", dot_path, NULL };
  g_free (run (bad, &status));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/callgraph-render/temperature", test_temperature_scale);
  g_test_add_func ("/callgraph-render/labels", test_labels);
  g_test_add_func ("/callgraph-render/layout", test_layout);
  g_test_add_func ("/callgraph-render/paint", test_paint);
  g_test_add_func ("/callgraph-render/grouped", test_grouped);
  g_test_add_func ("/callgraph-render/export", test_export_files);
  return g_test_run ();
}
