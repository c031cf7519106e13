/* Times flame graph layout + paint of a call tree of about 1,000,000 nodes
 * at 1920x1080 into an offscreen Cairo image surface, as the window repaints
 * it: one painter kept across frames, a new layout per frame, the hovered
 * frame moving.  Prints the median wall and CPU time of the frames after the
 * first, and the first (cold) frame on its own.
 *
 * usage: flame-paint [NODES] [FRAMES]
 */
#include "core/call-tree.h"
#include "core/profile.h"
#include "render/flame-layout.h"
#include "render/flame-painter.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define WIDTH 1920
#define HEIGHT 1080
#define MAX_DEPTH 80
#define N_FUNCS 6000

typedef struct {
  PyroProfile *profile;
  GRand *rand;
  guint32 frames[N_FUNCS];
  gint64 time;
} Gen;

/* Function names and files of a plausible Python program: user code,
 * standard library, installed packages and native code. */
static void
make_funcs (Gen *g)
{
  static const char *const verbs[] = { "parse", "load", "render", "compute", "update", "read", "encode", "visit", "merge", "sort", "fetch", "check" };
  static const char *const nouns[] = { "record", "tokens", "frame", "matrix", "row", "node", "header", "cache", "batch", "index", "field", "chunk" };
  for (guint i = 0; i < N_FUNCS; i++)
    {
      g_autofree char *name = NULL, *file = NULL;
      PyroFuncKind kind = PYRO_FUNC_PYTHON;
      const char *verb = verbs[i % G_N_ELEMENTS (verbs)], *noun = nouns[(i / 12) % G_N_ELEMENTS (nouns)];
      switch (i % 10)
        {
        case 0: case 1: case 2: case 3:
          name = g_strdup_printf ("%s_%s_%u", verb, noun, i);
          file = g_strdup_printf ("/home/student/project/app/module%u.py", i % 40);
          break;
        case 4: case 5:
          name = g_strdup_printf ("%s_%s", verb, noun);
          file = g_strdup_printf ("/usr/lib/python3.11/lib%u/%s.py", i % 30, noun);
          break;
        case 6: case 7:
          name = g_strdup_printf ("%s.%s_%u", noun, verb, i);
          file = g_strdup_printf ("/home/student/.venv/lib/python3.11/site-packages/pkg%u/core.py", i % 25);
          break;
        default:
          name = g_strdup_printf ("__%s_%s_impl%u", verb, noun, i);
          file = g_strdup ("");
          kind = PYRO_FUNC_NATIVE;
          break;
        }
      guint32 f = pyro_profile_add_func (g->profile, pyro_profile_intern (g->profile, name),
                                         pyro_profile_intern (g->profile, file), 1 + i % 500, 0, kind);
      g->frames[i] = pyro_profile_add_frame (g->profile, f, 0, 0);
    }
}

/* Spends @budget nodes on the subtree under @stack: a chain step now and
 * then (deep stacks), otherwise 2 to 8 callees with skewed shares (a few
 * wide frames, many narrow ones), as real profiles look. */
static void
grow (Gen *g, guint32 stack, guint depth, guint budget)
{
  guint remaining = budget - 1;
  if (remaining == 0 || depth >= MAX_DEPTH)
    {
      pyro_profile_add_sample (g->profile, g->time++, stack, 0, 1);
      return;
    }
  if (g_rand_double (g->rand) < 0.1)
    pyro_profile_add_sample (g->profile, g->time++, stack, 0, 1);

  guint k = g_rand_double (g->rand) < 0.35 ? 1 : (guint) g_rand_int_range (g->rand, 2, 9);
  k = MIN (k, remaining);
  double weights[8], sum = 0;
  for (guint i = 0; i < k; i++)
    sum += weights[i] = 0.02 + g_rand_double (g->rand) * g_rand_double (g->rand) * g_rand_double (g->rand);
  guint first = (guint) g_rand_int_range (g->rand, 0, N_FUNCS);
  guint given = 0;
  for (guint i = 0; i < k; i++)
    {
      guint share = i + 1 == k ? remaining - given : (guint) (remaining * weights[i] / sum);
      given += share;
      if (share == 0)
        continue;
      guint32 child = pyro_profile_add_stack (g->profile, stack, g->frames[(first + i * 7919) % N_FUNCS]);
      grow (g, child, depth + 1, share);
    }
}

static double
clock_ms (clockid_t clock)
{
  struct timespec ts;
  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
now_ms (void)
{
  return clock_ms (CLOCK_MONOTONIC);
}

/* CPU time of this thread: what a frame costs, whatever else the machine
 * is running. */
static double
cpu_ms (void)
{
  return clock_ms (CLOCK_THREAD_CPUTIME_ID);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  guint target = argc > 1 ? (guint) atoi (argv[1]) : 1000000;
  guint n_frames = argc > 2 ? (guint) atoi (argv[2]) : 41;
  if (target < 2 || n_frames < 2)
    {
      fprintf (stderr, "usage: flame-paint [NODES >= 2] [FRAMES >= 2]\n");
      return 2;
    }

  Gen g = { pyro_profile_new ("bench"), g_rand_new_with_seed (42), { 0 }, 0 };
  pyro_profile_add_thread (g.profile, 1, 1, "main", "bench");
  make_funcs (&g);
  guint32 root = pyro_profile_add_stack (g.profile, PYRO_NONE, g.frames[0]);
  grow (&g, root, 1, target);
  pyro_profile_finish (g.profile);

  double t0 = now_ms ();
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (g.profile, NULL, NULL, NULL);
  double tree_ms = now_ms () - t0;

  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  g_autoptr (PyroFlamePainter) painter = pyro_flame_painter_new (g.profile);

  double *times = g_new (double, n_frames);
  double *cpu_times = g_new (double, n_frames);
  guint rects = 0, rows = 0;
  guint32 hover = PYRO_NONE;
  for (guint i = 0; i < n_frames; i++)
    {
      double start = now_ms (), cpu_start = cpu_ms ();
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      g_autoptr (PyroFlameLayout) layout = pyro_flame_layout_new (tree, 0, PYRO_FLAME_ORIENTATION_FLAME, WIDTH, HEIGHT,
                                                                  PYRO_FLAME_ROW_HEIGHT);
      pyro_flame_painter_set_hover (painter, hover);
      pyro_flame_painter_paint (painter, cr, layout);
      cairo_surface_flush (surface);
      times[i] = now_ms () - start;
      cpu_times[i] = cpu_ms () - cpu_start;
      rects = layout->rects->len;
      rows = layout->n_rows;
      hover = g_array_index (layout->rects, PyroFlameRect, (i * 7919) % layout->rects->len).node;
    }
  if (g_getenv ("FLAME_PAINT_PNG") != NULL)
    cairo_surface_write_to_png (surface, g_getenv ("FLAME_PAINT_PNG"));

  double cold = times[0];
  qsort (times + 1, n_frames - 1, sizeof (double), compare_double);
  qsort (cpu_times + 1, n_frames - 1, sizeof (double), compare_double);
  double median = times[1 + (n_frames - 1) / 2];
  double cpu_median = cpu_times[1 + (n_frames - 1) / 2];
  printf ("call tree: %u nodes, %u stacks, depth %u (built in %.0f ms)\n", tree->n_nodes,
          pyro_profile_n_stacks (g.profile), tree->max_depth, tree_ms);
  printf ("frame: %u rects drawn in %u rows at %dx%d\n", rects, rows, WIDTH, HEIGHT);
  printf ("flame layout + paint: median %.2f ms over %u frames (min %.2f, max %.2f); first frame %.2f ms\n", median,
          n_frames - 1, times[1], times[n_frames - 1], cold);
  printf ("CPU time per frame: median %.2f ms; first frame %.2f ms\n", cpu_median, cpu_times[0]);

  g_free (times);
  g_free (cpu_times);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_rand_free (g.rand);
  pyro_profile_unref (g.profile);
  return 0;
}
