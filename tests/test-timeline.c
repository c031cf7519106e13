/* test-timeline.c — what the memory timeline shows: the peak of an `mprof
 * run` recording, function spans as marks, sample density and a function's
 * time on the stack, and the painted peak. */
#include <math.h>
#include <string.h>
#include <cairo.h>

#include "render/timeline-layout.h"
#include "render/timeline-painter.h"
#include "formats/reader.h"
#include "fixtures.h"

#define MIB (1024.0 * 1024.0)

static void
test_mprof_peak (void)
{
  g_autofree char *dat = NULL;
  FixtureMprof f;
  if (!fixture_run_mprof (&dat, &f))
    return;
  g_assert_cmpfloat (f.max_mib, >, 100);
  g_assert_cmpfloat (f.grow_end, >, f.grow_start);

  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (dat, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (PyroTimeline) tl = pyro_timeline_new (p);
  g_assert_false (pyro_timeline_is_empty (tl));
  g_assert_cmpuint (tl->counters->len, >=, 1);
  g_assert_cmpuint (tl->charts->len, >=, 1);
  const PyroTimelineCounter *rss = &g_array_index (tl->counters, PyroTimelineCounter, 0);
  g_assert_cmpfloat (fabs (rss->max - f.max_mib * MIB), <=, 0.05 * f.max_mib * MIB);

  /* grow's mark spans its FUNC times, sits below main's, and holds the peak */
  guint grow = G_MAXUINT, main_mark = G_MAXUINT;
  for (guint i = 0; i < p->marks->len; i++)
    {
      const char *name = pyro_profile_str (p, g_array_index (p->marks, PyroMark, i).name);
      if (g_str_has_suffix (name, "grow"))
        grow = i;
      else if (g_str_has_suffix (name, "main"))
        main_mark = i;
    }
  g_assert_cmpuint (grow, !=, G_MAXUINT);
  g_assert_cmpuint (main_mark, !=, G_MAXUINT);
  const PyroMark *g = &g_array_index (p->marks, PyroMark, grow);
  g_assert_cmpfloat (fabs ((g->end - g->start) / 1e9 - (f.grow_end - f.grow_start)), <, 1e-3);
  g_assert_cmpuint (g_array_index (tl->mark_row, guint32, grow), >,
                    g_array_index (tl->mark_row, guint32, main_mark));
  g_assert_cmpint (rss->max_time, >=, g->start);
  g_assert_cmpint (rss->max_time, <=, g->end + 60000000);

  /* the painted peak: a red dot where the maximum is */
  const int width = 800, height = 300;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  PyroTimelineViewport vp = { .width = width, .height = height, .view_start = tl->start,
                              .view_end = tl->end, .selected_func = PYRO_NONE,
                              .foreground = { 0, 0, 0 }, .accent = { 0, 0, 1 } };
  pyro_timeline_paint (tl, cr, &vp);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  double px = pyro_timeline_time_to_x (&vp, rss->max_time);
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gboolean red = FALSE;
  for (int y = 0; y < height && !red; y++)
    {
      const guint32 pixel = *(const guint32 *) (data + y * stride + (int) round (px) * 4);
      guint r = (pixel >> 16) & 0xff, gr = (pixel >> 8) & 0xff, b = pixel & 0xff;
      red = r > 200 && gr < 60 && b < 60;
    }
  cairo_surface_destroy (surface);
  g_assert_true (red);
}

/* Two threads, samples every millisecond; f1 on the stack for the first
 * half of thread 0's samples only. */
static PyroProfile *
timed_profile (void)
{
  PyroProfile *p = pyro_profile_new ("synthetic");
  guint32 f0 = pyro_profile_add_func (p, pyro_profile_intern (p, "f0"), 0, 0, 0, PYRO_FUNC_NATIVE);
  guint32 f1 = pyro_profile_add_func (p, pyro_profile_intern (p, "f1"), 0, 0, 0, PYRO_FUNC_NATIVE);
  guint32 fr0 = pyro_profile_add_frame (p, f0, 0, 0), fr1 = pyro_profile_add_frame (p, f1, 0, 0);
  guint32 s0 = pyro_profile_add_stack (p, PYRO_NONE, fr0);
  guint32 s1 = pyro_profile_add_stack (p, s0, fr1);
  guint32 t0 = pyro_profile_add_thread (p, 1, 1, "main", "x");
  guint32 t1 = pyro_profile_add_thread (p, 1, 2, "worker", "x");
  for (gint64 i = 0; i < 1000; i++)
    {
      pyro_profile_add_sample (p, 5000000000 + i * 1000000, i < 500 ? s1 : s0, t0, 1);
      if (i % 4 == 0)
        pyro_profile_add_sample (p, 5000000000 + i * 1000000, s0, t1, 1);
    }
  p->meta.has_time = TRUE;
  pyro_profile_finish (p);
  return p;
}

static void
test_density_and_func (void)
{
  g_autoptr (PyroProfile) p = timed_profile ();
  g_autoptr (PyroTimeline) tl = pyro_timeline_new (p);
  g_assert_true (tl->samples_timed);
  g_assert_cmpint (tl->start, ==, 5000000000);
  g_assert_cmpint (tl->end, ==, 5000000000 + 999 * 1000000);
  g_assert_cmpuint (tl->threads->len, ==, 2);

  const guint bins = 10;
  g_autofree double *d = pyro_timeline_density (tl, tl->start, tl->end + 1, bins);
  double sum0 = 0, sum1 = 0;
  for (guint b = 0; b < bins; b++)
    {
      sum0 += d[b];
      sum1 += d[bins + b];
      g_assert_cmpfloat (d[b], ==, 100);
      g_assert_cmpfloat (d[bins + b], ==, 25);
    }
  g_assert_cmpfloat (sum0, ==, 1000);
  g_assert_cmpfloat (sum1, ==, 250);

  guint32 f1 = fixture_func (p, "f1");
  g_autofree gboolean *on = pyro_timeline_func_bins (tl, f1, tl->start, tl->end + 1, bins);
  for (guint b = 0; b < bins; b++)
    g_assert_cmpint (on[b], ==, b < 5);

  /* a zoomed window counts only its samples */
  g_autofree double *z = pyro_timeline_density (tl, tl->start + 100000000, tl->start + 200000000, 1);
  g_assert_cmpfloat (z[0], ==, 100);
}

/* Samples of a thread that was not running are not activity. */
static void
test_density_skips_idle (void)
{
  g_autoptr (PyroProfile) p = timed_profile ();
  guint32 worker = PYRO_NONE;
  for (guint t = 0; t < pyro_profile_n_threads (p); t++)
    if (g_str_equal (pyro_profile_str (p, PYRO_COL (p->threads, PyroThread, t).name), "worker"))
      worker = t;
  g_assert_cmpuint (worker, !=, PYRO_NONE);
  for (guint i = 0; i < pyro_profile_n_samples (p); i++)
    if (PYRO_COL (p->sample_thread, guint32, i) == worker
        && PYRO_COL (p->sample_time, gint64, i) < 5500000000)
      pyro_profile_set_sample_flags (p, i, PYRO_SAMPLE_IDLE);
  g_autoptr (PyroTimeline) tl = pyro_timeline_new (p);
  const guint bins = 10;
  g_autofree double *d = pyro_timeline_density (tl, tl->start, tl->end + 1, bins);
  guint row = g_array_index (tl->threads, guint32, 0) == worker ? 0 : 1;
  for (guint b = 0; b < bins; b++)
    {
      g_assert_cmpfloat (d[(1 - row) * bins + b], ==, 100);
      g_assert_cmpfloat (d[row * bins + b], ==, b < 5 ? 0 : 25);
    }
}

static void
test_untimed_is_empty (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("a;b 3\na 1\n");
  g_autoptr (PyroTimeline) tl = pyro_timeline_new (p);
  g_assert_true (pyro_timeline_is_empty (tl));
  g_autofree char *d = pyro_timeline_format_duration (1500000000);
  g_assert_cmpstr (d, ==, "1.5 s");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/timeline/mprof-peak", test_mprof_peak);
  g_test_add_func ("/timeline/density-and-func", test_density_and_func);
  g_test_add_func ("/timeline/density-skips-idle", test_density_skips_idle);
  g_test_add_func ("/timeline/untimed", test_untimed_is_empty);
  return g_test_run ();
}
