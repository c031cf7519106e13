/* live-swap — the cost of one live-view update of a recording in the window
 * (run it under xvfb-run).
 *
 *   live-swap CAPTURE [RUNS] [VIEW]
 *
 * CAPTURE is a capture cut off while it was recorded (no symbol table inside,
 * as the live view reads it).  First the read off the UI thread: the capture
 * loaded RUNS times with a fresh symbolizer each time, then RUNS times with
 * the symbols kept from one read to the next (as the document keeps them for
 * a file it reloads).  Then the swap on the UI thread: the window shows
 * the first half of CAPTURE in VIEW (flame, icicle, callgraph, squaremap or
 * functions; flame by default) and reloads it RUNS times as a recording does,
 * the file grown each time until it is whole; for each reload the
 * main-loop dispatch that swaps the new profile in is timed (wall from the
 * end of its poll, and the UI thread's CPU), then the CPU until the frame
 * that paints it. */
#define _GNU_SOURCE
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/application.h"
#include "app/window.h"
#include "formats/reader.h"
#include "symbols/symbolizer.h"

static double
thread_cpu_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
wall_ms (void)
{
  return g_get_monotonic_time () / 1e3;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what, double *v, guint n)
{
  g_qsort_with_data (v, (gint) n, sizeof (double), (GCompareDataFunc) compare_double, NULL);
  g_print ("%-44s median %7.2f ms  min %7.2f  max %7.2f  (%u runs)\n", what, v[n / 2], v[0], v[n - 1], n);
}

/* Reading */

static void
time_reads (const char *path, guint runs, gboolean keep_symbols, double *wall, double *cpu)
{
  g_autoptr (PyroSymbolCache) cache = keep_symbols ? pyro_symbol_cache_new () : NULL;
  pyro_symbol_cache_set_thread_default (cache);
  /* the first read of a kept cache fills it; the runs measure the reads after */
  if (keep_symbols)
    pyro_profile_unref (pyro_format_load_file (path, NULL, NULL, NULL, NULL));
  for (guint r = 0; r < runs; r++)
    {
      double w = wall_ms (), c = thread_cpu_ms ();
      g_autoptr (GError) error = NULL;
      PyroProfile *profile = pyro_format_load_file (path, NULL, NULL, NULL, &error);
      if (profile == NULL)
        g_error ("%s", error->message);
      wall[r] = wall_ms () - w;
      cpu[r] = thread_cpu_ms () - c;
      pyro_profile_unref (profile);
    }
  pyro_symbol_cache_set_thread_default (NULL);
}

/* Swapping */

typedef struct {
  double poll_end;       /* wall when the last poll returned */
  gboolean replaced;     /* "profile-replaced" was emitted in this dispatch */
  double handlers_start;
  double handlers_end;
  gboolean swapped;      /* the swap happened: the next paint shows it */
  gboolean painted;
  gboolean done;
} Timing;

static Timing timing;

static gint
timed_poll (GPollFD *fds, guint nfds, gint timeout)
{
  gint r = g_poll (fds, nfds, timeout);
  timing.poll_end = wall_ms ();
  return r;
}

static gboolean
replaced_hook (GSignalInvocationHint *hint, guint n, const GValue *values, gpointer data)
{
  timing.replaced = TRUE;
  timing.handlers_start = wall_ms ();
  return TRUE;
}

static void
trees_changed_after (PyroDocument *doc, gpointer data)
{
  if (timing.replaced)
    timing.handlers_end = wall_ms ();
}

static void
after_paint (GdkFrameClock *clock, gpointer data)
{
  if (timing.swapped)
    timing.painted = TRUE;
}

static void
reload_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  if (!pyro_document_reload_finish (PYRO_DOCUMENT (source), result, &error))
    g_error ("%s", error->message);
  timing.done = TRUE;
}

static gboolean
settled (PyroDocument *doc)
{
  return pyro_document_get_state (doc) == PYRO_DOCUMENT_READY && !pyro_document_get_busy (doc);
}

static void
spin_until_settled (PyroDocument *doc)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!settled (doc) && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  if (!settled (doc))
    g_error ("the capture did not load in 60 s");
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      g_printerr ("usage: live-swap CAPTURE [RUNS] [VIEW]\n");
      return 2;
    }
  const char *path = argv[1];
  guint runs = argc > 2 ? (guint) MAX (atoi (argv[2]), 1) : 9;
  const char *view = argc > 3 ? argv[3] : "flame";

  g_autofree double *wall = g_new (double, runs);
  g_autofree double *cpu = g_new (double, runs);
  time_reads (path, runs, FALSE, wall, cpu);
  print_stats ("read, symbols resolved afresh: wall", wall, runs);
  print_stats ("read, symbols resolved afresh: CPU", cpu, runs);
  time_reads (path, runs, TRUE, wall, cpu);
  print_stats ("read, symbols kept: wall", wall, runs);
  print_stats ("read, symbols kept: CPU", cpu, runs);

  if (!gtk_init_check ())
    {
      g_printerr ("live-swap: no display (run under xvfb-run)\n");
      return 77;
    }
  /* The window reads a copy that grows from half the capture to all of it,
   * as a recording's file does between flushes. */
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  g_autofree char *dir = g_dir_make_tmp ("pyro-live-swap-XXXXXX", NULL);
  g_autofree char *live = g_build_filename (dir, "live.syscap", NULL);
  if (!g_file_set_contents (live, contents, (gssize) (length / 2), &error))
    g_error ("%s", error->message);

  g_autoptr (PyroApplication) app = pyro_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;
  PyroWindow *window = pyro_window_new (ADW_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
  gtk_window_present (GTK_WINDOW (window));
  PyroDocument *doc = pyro_window_get_document (window);
  g_autoptr (GFile) file = g_file_new_for_path (live);
  /* the live view's first read comes through a reload, as here */
  pyro_document_reload_async (doc, file, NULL, reload_done, NULL);
  spin_until_settled (doc);
  pyro_window_set_view (window, view);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  g_main_context_set_poll_func (NULL, timed_poll);
  g_signal_add_emission_hook (g_signal_lookup ("profile-replaced", PYRO_TYPE_DOCUMENT), 0,
                              replaced_hook, NULL, NULL);
  g_signal_connect_after (doc, "trees-changed", G_CALLBACK (trees_changed_after), NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), NULL);

  g_autofree double *handlers = g_new (double, runs);
  g_autofree double *paint_cpu = g_new (double, runs);
  for (guint r = 0; r < runs; r++)
    {
      memset (&timing, 0, sizeof timing);
      gsize grown = length / 2 + (length - length / 2) * (r + 1) / runs;
      if (!g_file_set_contents (live, contents, (gssize) grown, &error))
        g_error ("%s", error->message);
      pyro_document_reload_async (doc, file, NULL, reload_done, NULL);
      while (!timing.painted || !timing.done)
        {
          gboolean painted_before = timing.painted;
          double c = thread_cpu_ms ();
          g_main_context_iteration (NULL, TRUE);
          double end = wall_ms ();
          double used = thread_cpu_ms () - c;
          if (timing.replaced && !timing.swapped)
            {
              timing.swapped = TRUE;
              wall[r] = end - timing.poll_end;
              cpu[r] = used;
              handlers[r] = timing.handlers_end - timing.handlers_start;
              paint_cpu[r] = used;
            }
          else if (timing.swapped && !painted_before)
            paint_cpu[r] += used;
        }
    }
  g_autofree char *what = g_strdup_printf ("swap dispatch (%s view): wall", view);
  print_stats (what, wall, runs);
  g_free (what);
  what = g_strdup_printf ("swap dispatch (%s view): UI-thread CPU", view);
  print_stats (what, cpu, runs);
  print_stats ("  of which the views' handlers: wall", handlers, runs);
  print_stats ("swap to its frame painted: UI-thread CPU", paint_cpu, runs);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (live);
  g_rmdir (dir);
  return 0;
}
