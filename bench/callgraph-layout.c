/* Call graph layout and pan repaint, offscreen.
 *
 * Builds a profile through the public model API whose call graph has
 * N functions and E caller→callee edges (a layered program: every function
 * has a main caller one level up, the other edges go one to three levels
 * down), lays it out with Graphviz's dot through libgvc with every node
 * shown, then pans a 1600×1000 Cairo image surface across the graph at
 * 100 % and paints the whole graph fitted to the view.
 *
 *   callgraph-layout [N [E [RUNS]]]   (default 500 1500 5)
 */
#include "core/call-graph.h"
#include "render/callgraph-layout.h"
#include "render/callgraph-painter.h"
#include "render/callgraph-tiles.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#define VIEW_W 1600
#define VIEW_H 1000
#define LEVELS 14

static double
now (clockid_t clock)
{
  struct timespec ts;
  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof (double), compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Root-first path of tree parents from the root to @node. */
static guint
tree_path (const guint32 *parent, guint32 node, guint32 *out)
{
  guint n = 0;
  for (guint32 v = node; v != PYRO_NONE; v = parent[v])
    out[n++] = v;
  for (guint i = 0; i < n / 2; i++)
    {
      guint32 t = out[i];
      out[i] = out[n - 1 - i];
      out[n - 1 - i] = t;
    }
  return n;
}

static PyroProfile *
make_profile (guint n_funcs, guint n_edges)
{
  GRand *rand = g_rand_new_with_seed (42);
  PyroProfile *p = pyro_profile_new ("bench");
  guint32 thread = pyro_profile_add_thread (p, 1, 1, "main", "bench");
  guint32 *frame = g_new (guint32, n_funcs);
  guint32 *level = g_new (guint32, n_funcs);
  guint32 *parent = g_new (guint32, n_funcs);
  GPtrArray *by_level[LEVELS + 4];
  for (guint l = 0; l < G_N_ELEMENTS (by_level); l++)
    by_level[l] = g_ptr_array_new ();

  for (guint f = 0; f < n_funcs; f++)
    {
      g_autofree char *name = g_strdup_printf ("module%u.function_%u", f % 23, f);
      g_autofree char *file = g_strdup_printf ("/src/app/module%u.py", f % 23);
      guint32 fn = pyro_profile_add_func (p, pyro_profile_intern (p, name), pyro_profile_intern (p, file),
                                          10 + f, pyro_profile_intern (p, file), PYRO_FUNC_PYTHON);
      frame[f] = pyro_profile_add_frame (p, fn, 0, 0);
      level[f] = f == 0 ? 0 : 1 + (guint) (pow (g_rand_double (rand), 0.8) * (LEVELS - 1));
      g_ptr_array_add (by_level[level[f]], GUINT_TO_POINTER (f));
    }
  /* levels must not be empty below a used one */
  parent[0] = PYRO_NONE;
  for (guint f = 1; f < n_funcs; f++)
    {
      guint l = level[f];
      while (by_level[l - 1]->len == 0)
        l--;
      GPtrArray *up = by_level[l - 1];
      parent[f] = GPOINTER_TO_UINT (up->pdata[g_rand_int_range (rand, 0, up->len)]);
    }

  g_autoptr (GHashTable) pairs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint32 *path = g_new (guint32, n_funcs + 1);
  guint32 *frames = g_new (guint32, n_funcs + 1);
  /* one sample per tree leaf path, heavier near the top */
  for (guint f = 1; f < n_funcs; f++)
    {
      guint n = tree_path (parent, f, path);
      for (guint i = 0; i < n; i++)
        frames[i] = frame[path[i]];
      pyro_profile_add_sample (p, 0, pyro_profile_add_stack_frames (p, frames, n), thread,
                               1 + g_rand_int_range (rand, 0, 40));
    }
  guint extra = n_edges > n_funcs - 1 ? n_edges - (n_funcs - 1) : 0;
  guint added = 0;
  while (added < extra)
    {
      guint32 a = g_rand_int_range (rand, 0, n_funcs);
      guint step = 1 + (g_rand_double (rand) < 0.25 ? g_rand_int_range (rand, 1, 3) : 0);
      guint l = level[a] + step;
      if (l >= G_N_ELEMENTS (by_level) || by_level[l]->len == 0)
        continue;
      guint32 b = GPOINTER_TO_UINT (by_level[l]->pdata[g_rand_int_range (rand, 0, by_level[l]->len)]);
      gint64 key = ((gint64) a << 32) | b;
      if (parent[b] == a || g_hash_table_contains (pairs, &key))
        continue;
      g_hash_table_add (pairs, g_memdup2 (&key, sizeof key));
      guint n = tree_path (parent, a, path);
      for (guint i = 0; i < n; i++)
        frames[i] = frame[path[i]];
      frames[n] = frame[b];
      pyro_profile_add_sample (p, 0, pyro_profile_add_stack_frames (p, frames, n + 1), thread,
                               1 + g_rand_int_range (rand, 0, 10));
      added++;
    }
  pyro_profile_finish (p);
  for (guint l = 0; l < G_N_ELEMENTS (by_level); l++)
    g_ptr_array_unref (by_level[l]);
  g_free (path);
  g_free (frames);
  g_free (frame);
  g_free (level);
  g_free (parent);
  g_rand_free (rand);
  return p;
}

/* One frame as the view paints it: background, then the graph from
 * @tiles, or painted directly when @tiles is NULL. */
static double
paint_frame (PyroCallGraphPainter *painter, PyroCallGraphTiles *tiles, cairo_surface_t *surface,
             const PyroCallGraphLayout *layout, double zoom, double ox, double oy, double *cpu)
{
  double t0 = now (CLOCK_MONOTONIC), c0 = now (CLOCK_PROCESS_CPUTIME_ID);
  cairo_t *cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.98, 0.98, 0.98);
  cairo_paint (cr);
  if (tiles != NULL)
    pyro_callgraph_tiles_paint (tiles, cr, painter, layout, zoom, ox, oy, VIEW_W, VIEW_H);
  else
    {
      cairo_translate (cr, ox, oy);
      cairo_scale (cr, zoom, zoom);
      pyro_callgraph_painter_paint (painter, cr, layout);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  *cpu = now (CLOCK_PROCESS_CPUTIME_ID) - c0;
  return now (CLOCK_MONOTONIC) - t0;
}

int
main (int argc, char **argv)
{
  guint n_funcs = argc > 1 ? (guint) atoi (argv[1]) : 500;
  guint n_edges = argc > 2 ? (guint) atoi (argv[2]) : 1500;
  guint runs = argc > 3 ? (guint) atoi (argv[3]) : 5;
  if (n_funcs < 2 || runs < 1)
    {
      g_printerr ("usage: %s [N_FUNCS [N_EDGES [RUNS]]]\n", argv[0]);
      return 2;
    }

  g_autoptr (PyroProfile) profile = make_profile (n_funcs, n_edges);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroCallGraph) graph = pyro_call_graph_new (profile, NULL, NULL, &error);
  PyroCallGraphFilter filter;
  pyro_call_graph_filter_init (&filter);
  filter.node_fraction = 0;
  filter.edge_fraction = 0;
  g_autoptr (PyroCallGraphSubset) subset = pyro_call_graph_prune (graph, &filter);
  g_print ("graph: %u nodes, %u edges, all shown\n", subset->nodes->len, subset->edges->len);

  double *wall = g_new (double, runs), *cpu = g_new (double, runs);
  PyroCallGraphLayout *layout = NULL;
  for (guint r = 0; r < runs; r++)
    {
      g_clear_pointer (&layout, pyro_callgraph_layout_free);
      double t0 = now (CLOCK_MONOTONIC), c0 = now (CLOCK_PROCESS_CPUTIME_ID);
      layout = pyro_callgraph_layout_new (graph, subset, NULL, &error);
      cpu[r] = now (CLOCK_PROCESS_CPUTIME_ID) - c0;
      wall[r] = now (CLOCK_MONOTONIC) - t0;
      if (layout == NULL)
        {
          g_printerr ("layout failed: %s\n", error->message);
          return 1;
        }
    }
  g_print ("layout (measure labels + dot + read back): median %.3f s wall, %.3f s CPU over %u runs; drawing %.0fx%.0f px\n",
           median (wall, runs), median (cpu, runs), runs, layout->width, layout->height);

  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, VIEW_W, VIEW_H);
  g_autoptr (PyroCallGraphPainter) painter = pyro_callgraph_painter_new (NULL);
  g_autoptr (PyroCallGraphTiles) tiles = pyro_callgraph_tiles_new ();
  double first_cpu;
  double first = paint_frame (painter, NULL, surface, layout, 1, 0, 0, &first_cpu);
  g_print ("first frame (shaping labels): %.2f ms wall, %.2f ms CPU\n", first * 1e3, first_cpu * 1e3);

  /* drag diagonally across the whole drawing at 100 %, 4 px a frame as a
   * hand drags, then back: the view paints from tiles, which are painted
   * as they come into sight on the way out and copied on the way back */
  double span = hypot (MAX (0, layout->width - VIEW_W), MAX (0, layout->height - VIEW_H));
  guint frames = MAX (2, (guint) (span / 4));
  double *fw = g_new (double, 2 * frames), *fc = g_new (double, 2 * frames);
  for (int pass = 0; pass < 3; pass++)
    {
      PyroCallGraphTiles *use = pass == 0 ? NULL : tiles;
      guint n = pass == 0 ? MIN (frames, 120u) : frames;
      double max_w = 0;
      for (guint i = 0; i < n; i++)
        {
          double t = (double) (pass == 2 ? n - 1 - i : i) / (n - 1);
          double ox = -t * MAX (0, layout->width - VIEW_W), oy = -t * MAX (0, layout->height - VIEW_H);
          fw[i] = paint_frame (painter, use, surface, layout, 1, ox, oy, &fc[i]);
          max_w = MAX (max_w, fw[i]);
        }
      const char *what[] = { "painted directly (no tiles)", "from tiles, first pass (tiles painted as they appear)",
                             "from tiles, back over painted tiles" };
      g_print ("pan at 100%%, %ux%u, %s: median %.2f ms wall, %.2f ms CPU, worst %.2f ms wall (%u frames)\n",
               VIEW_W, VIEW_H, what[pass], median (fw, n) * 1e3, median (fc, n) * 1e3, max_w * 1e3, n);
    }

  double fit = MIN ((double) VIEW_W / layout->width, (double) VIEW_H / layout->height);
  for (guint i = 0; i < 60; i++)
    fw[i] = paint_frame (painter, NULL, surface, layout, fit, i % 2, 0, &fc[i]);
  g_print ("whole graph fitted (zoom %.2f), painted directly: median %.2f ms wall, %.2f ms CPU\n", fit,
           median (fw, 60) * 1e3, median (fc, 60) * 1e3);

  cairo_surface_destroy (surface);
  pyro_callgraph_layout_free (layout);
  g_free (wall);
  g_free (cpu);
  g_free (fw);
  g_free (fc);
  return 0;
}
