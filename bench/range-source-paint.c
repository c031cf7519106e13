/* range-source-paint — opening a 20,000-line source file with annotations:
 * the time from selecting a function to the first frame painted with its
 * file read, highlighted and annotated (run it under xvfb-run).
 *
 *   range-source-paint [RUNS] [window|alone]
 *
 * "window" (the default) selects the function in Pyrometer's real window,
 * every view reacting to the selection as they do for a person; "alone" puts
 * the source view by itself in a window, to tell its own cost from the
 * others'.  Each run selects a function in a different file, so every run
 * reads and lays out a fresh 20,000-line file. */
#include <gtk/gtk.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "app/application.h"
#include "app/source-view.h"
#include "app/window.h"

#define N_LINES 20000

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (gboolean (*cond) (gpointer), gpointer data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 50;
}

static gboolean
settled (gpointer data)
{
  return pyro_document_get_state (data) == PYRO_DOCUMENT_READY && !pyro_document_get_busy (data);
}

typedef struct {
  PyroSourceView *view;
  gboolean painted;
  guint frames;
} PaintWait;

/* The frame counts once it shows the file scrolled to its hot line. */
static void
after_paint (GdkFrameClock *clock, PaintWait *w)
{
  w->frames++;
  if (pyro_source_view_get_loading (w->view) || pyro_source_view_get_local_path (w->view) == NULL)
    return;
  GtkTextView *text = GTK_TEXT_VIEW (pyro_source_view_get_view (w->view));
  GtkTextIter iter;
  GdkRectangle visible;
  int y, height;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text);
  /* the cursor is on the hot line */
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (text, &visible);
  gtk_text_view_get_line_yrange (text, &iter, &y, &height);
  if (y >= visible.y && y + height <= visible.y + visible.height)
    w->painted = TRUE;
}

static gboolean
painted (gpointer data)
{
  return ((PaintWait *) data)->painted;
}

/* CPU time of the whole process (every thread), ms: on a loaded machine the
 * wall time mostly measures waiting for a core. */
static double
cpu_ms (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
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
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 7;
  gboolean alone = argc > 2 && strcmp (argv[2], "alone") == 0;
  g_autofree char *dir = g_dir_make_tmp ("pyro-source-paint-XXXXXX", NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("range-source-paint: no display (run under xvfb-run)\n");
      return 77;
    }

  /* one Python file per run, and a folded profile with costs on 2,000 of
   * each file's lines */
  g_autoptr (GString) folded = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (3);
  for (guint r = 0; r < runs; r++)
    {
      g_autofree char *name = g_strdup_printf ("module_%u.py", r);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GString) text = g_string_new (NULL);
      for (guint l = 1; l <= N_LINES; l++)
        {
          if (l % 20 == 1)
            g_string_append_printf (text, "def function_%u(values, limit=%u):\n", l, l);
          else
            g_string_append_printf (text, "    total = sum(v * %u for v in values if v < limit)  # %u\n", l, l);
        }
      g_file_set_contents (path, text->str, (gssize) text->len, NULL);
      for (guint k = 0; k < 2000; k++)
        {
          guint line = 2 + g_rand_int_range (rand, 0, N_LINES - 2);
          g_string_append_printf (folded, "main (%s:1);work_%u (%s:%u) %u\n", path, r, path, line,
                                  1 + g_rand_int_range (rand, 0, 50));
        }
    }
  g_rand_free (rand);
  g_autofree char *trace = g_build_filename (dir, "lines.folded", NULL);
  g_file_set_contents (trace, folded->str, (gssize) folded->len, NULL);

  g_autoptr (GFile) file = g_file_new_for_path (trace);
  g_autoptr (PyroApplication) app = NULL;
  g_autoptr (PyroDocument) own_doc = NULL;
  PyroDocument *doc;
  PyroSourceView *view;
  GtkWidget *window;
  if (alone)
    {
      own_doc = pyro_document_new ();
      doc = own_doc;
      pyro_document_load (doc, file);
      if (!wait_until (settled, doc))
        return 1;
      window = gtk_window_new ();
      view = PYRO_SOURCE_VIEW (pyro_source_view_new ());
      pyro_source_view_set_document (view, doc);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
      gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
    }
  else
    {
      app = pyro_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      if (!g_application_register (G_APPLICATION (app), NULL, NULL))
        return 1;
      PyroWindow *w = pyro_application_open_file (app, file, NULL);
      if (w == NULL)
        return 1;
      window = GTK_WIDGET (w);
      doc = pyro_window_get_document (w);
      view = pyro_window_get_source_view (w);
      gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
      if (!wait_until (settled, doc))
        return 1;
    }
  gtk_window_present (GTK_WINDOW (window));
  /* a first frame of the window before the clock starts */
  if (!wait_until (mapped, view))
    return 1;
  PyroProfile *profile = pyro_document_get_profile (doc);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  double *ms = g_new (double, runs);
  double *cpu = g_new (double, runs);
  guint frames = 0;
  for (guint r = 0; r < runs; r++)
    {
      g_autofree char *fname = g_strdup_printf ("work_%u", r);
      guint32 func = PYRO_NONE;
      for (guint f = 0; f < pyro_profile_n_funcs (profile); f++)
        if (g_str_equal (pyro_profile_func_name (profile, f), fname))
          func = f;
      PaintWait w = { view, FALSE, 0 };
      gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &w);
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();
      pyro_document_set_selected_func (doc, func);
      if (!wait_until (painted, &w))
        return 1;
      ms[r] = (g_get_monotonic_time () - start) / 1000.0;
      cpu[r] = cpu_ms () - cpu_start;
      frames += w.frames;
      g_signal_handler_disconnect (clock, id);
      if (pyro_source_view_get_hot_line (view) == 0)
        {
          g_printerr ("range-source-paint: no hot line marked in %s\n", pyro_source_view_get_local_path (view));
          return 1;
        }
      /* the next run starts once every view is done with this one (the
       * text view lays out the rest of the file for a while) */
      if (!wait_until (settled, doc))
        return 1;
      gint64 quiet_until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      while (g_main_context_pending (NULL) && g_get_monotonic_time () < quiet_until)
        g_main_context_iteration (NULL, FALSE);
    }
  qsort (ms, runs, sizeof (double), compare_double);
  qsort (cpu, runs, sizeof (double), compare_double);
  g_print ("open a %d-line source file with annotations, select to first paint (%s): median %.1f ms "
           "wall (%.1f ms CPU), worst %.1f ms wall over %u runs, %.1f frames a run\n",
           N_LINES, alone ? "source view alone" : "whole window", ms[runs / 2], cpu[runs / 2],
           ms[runs - 1], runs, (double) frames / runs);
  g_free (ms);
  g_free (cpu);
  gtk_window_destroy (GTK_WINDOW (window));
  for (guint r = 0; r < runs; r++)
    {
      g_autofree char *name = g_strdup_printf ("module_%u.py", r);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_unlink (trace);
  g_rmdir (dir);
  return 0;
}
