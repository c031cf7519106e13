/* range-recompute — what a drag on the timeline costs at the model level:
 * the top-down call tree, the function table and the per-line costs of the
 * hottest file for a time range, on a synthetic profile of N samples built
 * through the model API (default 1,000,000), 8 threads, 2,000 functions in
 * 40 files, stacks 4-40 deep.  Prints the median and worst of the runs. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/call-tree.h"
#include "core/function-table.h"
#include "core/line-costs.h"

#define N_FUNCS 2000
#define N_FILES 40
#define N_THREADS 8

static PyroProfile *
build (guint n_samples)
{
  PyroProfile *p = pyro_profile_new ("synthetic");
  guint32 frames[N_FUNCS * 4];
  for (guint f = 0; f < N_FUNCS; f++)
    {
      char name[32], file[32];
      g_snprintf (name, sizeof name, "func_%u", f);
      g_snprintf (file, sizeof file, "/src/module_%u.py", f % N_FILES);
      guint32 func = pyro_profile_add_func (p, pyro_profile_intern (p, name), pyro_profile_intern (p, file),
                                            10 * f + 1, pyro_profile_intern (p, "app"), PYRO_FUNC_PYTHON);
      for (guint l = 0; l < 4; l++)
        frames[f * 4 + l] = pyro_profile_add_frame (p, func, 10 * f + 2 + l, 0);
    }
  guint32 threads[N_THREADS];
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = pyro_profile_add_thread (p, 1, 1 + t, "worker", "app");

  /* A few thousand call paths reused with variations, as real traces are:
   * a shared prefix per path and one of eight leaves. */
  GRand *rand = g_rand_new_with_seed (42);
  const guint n_paths = 4000;
  guint32 *paths = g_new (guint32, n_paths * 40);
  guint *depths = g_new (guint, n_paths);
  for (guint i = 0; i < n_paths; i++)
    {
      depths[i] = 4 + g_rand_int_range (rand, 0, 36);
      for (guint d = 0; d < depths[i]; d++)
        paths[i * 40 + d] = frames[(d < 3 ? d * 7 : (guint) g_rand_int_range (rand, 0, N_FUNCS)) * 4
                                   + (guint) g_rand_int_range (rand, 0, 4)];
    }
  for (guint i = 0; i < n_samples; i++)
    {
      guint path = g_rand_int_range (rand, 0, n_paths);
      guint32 leaf[40];
      guint depth = depths[path];
      memcpy (leaf, paths + path * 40, depth * sizeof (guint32));
      leaf[depth - 1] = frames[(path * 13 + g_rand_int_range (rand, 0, 8) * 101) % (N_FUNCS * 4)];
      guint32 stack = pyro_profile_add_stack_frames (p, leaf, depth);
      pyro_profile_add_sample (p, (gint64) i * 1000000, stack, threads[i % N_THREADS], 1);
    }
  g_free (paths);
  g_free (depths);
  g_rand_free (rand);
  p->meta.has_time = TRUE;
  pyro_profile_finish (p);
  return p;
}

/* CPU time of the process, ms: with the cores shared the wall time mostly
 * measures waiting for one. */
static double
cpu_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000000;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 15;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (PyroProfile) p = build (n);
  g_print ("profile: %u samples, %u stacks, %u functions, built in %.0f ms\n",
           pyro_profile_n_samples (p), pyro_profile_n_stacks (p), pyro_profile_n_funcs (p),
           (g_get_monotonic_time () - t0) / 1000.0);

  /* the file of the heaviest leaf, as the source view would show */
  guint32 leaf_frame = PYRO_COL (p->stack_frame, guint32, PYRO_COL (p->sample_stack, guint32, 0));
  guint32 file = PYRO_COL (p->func_file, guint32, PYRO_COL (p->frame_func, guint32, leaf_frame));
  double *ms = g_new (double, runs);
  double *cpu = g_new (double, runs);
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  for (guint r = 0; r < runs; r++)
    {
      /* a different range each time, a third to two thirds of the trace */
      gint64 span = (gint64) n * 1000000;
      gint64 start = g_rand_int_range (rand, 0, (gint32) (span / 3 / 1000000)) * (gint64) 1000000;
      gint64 end = start + span / 3 + g_rand_int_range (rand, 0, (gint32) (span / 3 / 1000000)) * (gint64) 1000000;
      g_autoptr (PyroSelection) sel = pyro_selection_new ();
      pyro_selection_set_range (sel, start, end);

      gint64 a = g_get_monotonic_time ();
      double c = cpu_ms ();
      g_autoptr (PyroCallTree) tree = pyro_call_tree_new (p, sel, NULL, NULL);
      g_autoptr (PyroFunctionTable) table = pyro_function_table_new (tree);
      g_autoptr (PyroLineCosts) lines = pyro_line_costs_new_for_file_id (p, file, sel);
      ms[r] = (g_get_monotonic_time () - a) / 1000.0;
      cpu[r] = cpu_ms () - c;
      if (r == 0)
        g_print ("range: %u tree nodes, %u table rows, %u annotated lines\n", tree->n_nodes,
                 table->rows->len, lines->lines->len);
    }
  qsort (ms, runs, sizeof (double), compare_double);
  qsort (cpu, runs, sizeof (double), compare_double);
  g_print ("recompute after a range drag (tree + table + line costs): median %.1f ms wall (%.1f ms CPU), "
           "worst %.1f ms wall over %u runs\n", ms[runs / 2], cpu[runs / 2], ms[runs - 1], runs);
  g_free (ms);
  g_free (cpu);
  return 0;
}
