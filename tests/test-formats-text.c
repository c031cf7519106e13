/* Austin text and memory_profiler (mprof) readers. */
#include "formats/austin.h"
#include "formats/mprof.h"
#include "core/call-tree.h"
#include "fixtures.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define MIB 1048576.0

/* austin */

static void
test_austin_wall (void)
{
  /* Austin 3's documented output: metadata, then root-first frames. */
  g_autoptr (PyroProfile) p = fixture_load_ok ("wall.austin",
    "# austin: 3.6.0\n"
    "# interval: 100\n"
    "# mode: wall\n"
    "# python: 3.11.2\n"
    "\n"
    "P4317;T0:4317;/srv/app.py:<module>:30;/srv/app.py:main:22;/srv/app.py:busy:5 1200\n"
    "P4317;T0:4317;/srv/app.py:<module>:30;/srv/app.py:main:22;/srv/app.py:busy:6 300\n"
    "P4317;T0:4318;/srv/app.py:<module>:30;C:\\lib\\io.py:read:88 500\r\n"
    "P4317;T0:4318 100\n"
    "\n"
    "# duration: 2100\n");
  g_assert_cmpstr (p->meta.format, ==, "austin");
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
  g_assert_cmpfloat (p->meta.sample_rate, ==, 10000);
  g_assert_cmpuint (pyro_profile_n_threads (p), ==, 2);
  g_assert_cmpuint (g_array_index (p->threads, PyroThread, 1).tid, ==, 4318);
  g_assert_cmpuint (g_array_index (p->threads, PyroThread, 1).pid, ==, 4317);
  g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (p), 2100e-6, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("<module>", "main", "busy")), 1500e-6, 1e-12);
  guint32 read = fixture_func (p, "read");
  g_assert_cmpstr (pyro_profile_func_file (p, read), ==, "C:\\lib\\io.py");
  guint32 busy = fixture_func (p, "busy");
  g_assert_cmpint (pyro_profile_func_kind (p, busy), ==, PYRO_FUNC_PYTHON);
  guint lines = 0;
  for (guint fr = 0; fr < pyro_profile_n_frames (p); fr++)
    if (PYRO_COL (p->frame_func, guint32, fr) == busy)
      lines |= 1u << PYRO_COL (p->frame_line, guint32, fr);
  g_assert_cmpuint (lines, ==, (1u << 5) | (1u << 6));
}

static void
test_austin_modes (void)
{
  const char *samples = "P1;T0:1;a.py:f:1;a.py:g:2 %s\nP1;T0:1;a.py:f:1 %s\n";
  g_autofree char *cpu = g_strconcat ("# austin: 3.6.0\n# mode: cpu\n", samples, NULL);
  g_autofree char *cpu_doc = g_strdup_printf (cpu, "40", "60");
  g_autoptr (PyroProfile) c = fixture_load_ok ("cpu.austin", cpu_doc);
  g_assert_cmpint (c->meta.unit, ==, PYRO_UNIT_SECONDS);
  g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (c), 100e-6, 1e-15);

  /* memory: signed bytes; growth weighs, frees do not */
  g_autofree char *mem = g_strconcat ("# austin: 3.6.0\n# mode: memory\n", samples, NULL);
  g_autofree char *mem_doc = g_strdup_printf (mem, "4096", "-1024");
  g_autoptr (PyroProfile) m = fixture_load_ok ("mem.austin", mem_doc);
  g_assert_cmpint (m->meta.unit, ==, PYRO_UNIT_BYTES);
  g_assert_cmpfloat (fixture_path_total (m, FIXTURE_PATH ("f", "g")), ==, 4096);
  g_assert_cmpfloat (pyro_profile_total_weight (m), ==, 4096);

  /* full: time,idle,memory; time weighs, with or without the mode line */
  g_autofree char *full = g_strconcat ("# austin: 3.6.0\n# mode: full\n", samples, NULL);
  g_autofree char *full_doc = g_strdup_printf (full, "70,0,2048", "30,1,-512");
  g_autoptr (PyroProfile) f = fixture_load_ok ("full.austin", full_doc);
  g_assert_cmpint (f->meta.unit, ==, PYRO_UNIT_SECONDS);
  g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (f), 100e-6, 1e-15);
  g_autofree char *bare = g_strdup_printf (samples, "70,0,2048", "30,1,-512");
  g_autoptr (PyroProfile) b = fixture_load_ok ("bare.txt", bare);
  g_assert_cmpstr (b->meta.format, ==, "austin");
  g_assert_cmpfloat_with_epsilon (fixture_path_total (b, FIXTURE_PATH ("f", "g")), 70e-6, 1e-15);
}

static void
test_austin_bad (void)
{
  fixture_expect_error_text ("bad.austin", "# austin: 3.6.0\nP1;T0:1;a.py:f:1 12\nP1;T0:1;a.py:f:1 twelve\n",
                "byte 53: line 3: expected the sample's time in microseconds");
  fixture_expect_error_text ("bad.austin", "# austin: 3.6.0\nP1;T0:1;a.py-f-1 12\n", "line 2: expected a frame");
  fixture_expect_error_text ("bad.austin", "# austin: 3.6.0\nQ1;T0:1;a.py:f:1 12\n", "line 2: expected 'P<pid>");
  fixture_expect_error_text ("bad.austin", "# austin: 3.6.0\n# mode: full\nP1;T0:1;a.py:f:1 12\n", "'time,idle,memory'");
  fixture_expect_error_text ("bad.austin", "# austin: 3.6.0\n# mode: wall\n", "found none");
}

/* mprof */

static const char mprof_doc[] =
  "CMDLINE /usr/bin/python3 demo.py --fast\n"
  "MEM 10.000000 1700000000.0000\n"
  "\n"
  "FUNC __main__.inner 12.0000 1700000000.2000 62.0000 1700000000.4000 1\n"
  "MEM 12.000000 1700000000.1000\n"
  "MEM 70.500000 1700000000.3000\n"
  "FUNC __main__.outer 11.0000 1700000000.1500 71.0000 1700000000.5000 0\n"
  "FUNC __main__.outer 71.0000 1700000000.6000 51.0000 1700000000.7000 0\r\n"
  "CHLD 4242 5.500000 1700000000.2000\n"
  "CHLD 4242 8.000000 1700000000.4000\n"
  "MEM 20.000000 1700000000.8000\n";

static void
test_mprof_basic (void)
{
  g_autoptr (PyroProfile) p = fixture_load_ok ("mprofile_20231114.dat", mprof_doc);
  g_assert_cmpstr (p->meta.format, ==, "mprof");
  g_assert_cmpstr (p->meta.command_line, ==, "/usr/bin/python3 demo.py --fast");
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_BYTES);
  g_assert_cmpint (p->meta.start_time, ==, G_GINT64_CONSTANT (1700000000000000000));

  g_assert_cmpuint (p->counters->len, ==, 2);
  const PyroCounter *rss = g_ptr_array_index (p->counters, 0);
  g_assert_cmpstr (pyro_profile_str (p, rss->name), ==, "RSS");
  g_assert_cmpstr (pyro_profile_str (p, rss->unit), ==, "bytes");
  g_assert_cmpuint (rss->values->len, ==, 4);
  g_assert_cmpfloat (g_array_index (rss->values, double, 2), ==, 70.5 * MIB);
  const PyroCounter *child = g_ptr_array_index (p->counters, 1);
  g_assert_cmpstr (pyro_profile_str (p, child->name), ==, "RSS of child 4242");
  g_assert_cmpuint (child->values->len, ==, 2);

  /* marks in time order, with the file's times */
  g_assert_cmpuint (p->marks->len, ==, 3);
  const PyroMark *m = &g_array_index (p->marks, PyroMark, 0);
  g_assert_cmpstr (pyro_profile_str (p, m->name), ==, "__main__.outer");
  g_assert_cmpint (m->start, ==, G_GINT64_CONSTANT (1700000000150000000));
  g_assert_cmpint (m->end, ==, G_GINT64_CONSTANT (1700000000500000000));
  m = &g_array_index (p->marks, PyroMark, 1);
  g_assert_cmpstr (pyro_profile_str (p, m->name), ==, "__main__.inner");

  /* growth: inner grew 50 MiB inside outer's 60; the second outer call freed */
  g_assert_cmpfloat (fixture_path_total (p, FIXTURE_PATH ("outer", "inner")), ==, 50 * MIB);
  g_assert_cmpfloat (fixture_path_total (p, FIXTURE_PATH ("outer")), ==, 60 * MIB);
  g_assert_cmpstr (pyro_profile_func_module (p, fixture_func (p, "inner")), ==, "__main__");
}

static void
test_mprof_old_and_sparse (void)
{
  /* Older files: FUNC without a level; a file with only MEM lines. */
  g_autoptr (PyroProfile) p = fixture_load_ok ("old.dat",
    "MEM 1.0 100.0\nFUNC m.f 1.0 100.5 3.0 101.0\nFUNC m.g 1.5 100.6 2.5 100.9\nMEM 3.0 101.0\n");
  g_assert_cmpfloat (fixture_path_total (p, FIXTURE_PATH ("f", "g")), ==, 1 * MIB);
  g_assert_cmpfloat (fixture_path_total (p, FIXTURE_PATH ("f")), ==, 2 * MIB);
  g_autoptr (PyroProfile) q = fixture_load_ok ("mem-only.dat", "MEM 1.0 100.0\nMEM 2.0 100.1\n");
  g_assert_cmpuint (pyro_profile_n_samples (q), ==, 0);
  g_assert_cmpuint (((PyroCounter *) g_ptr_array_index (q->counters, 0))->values->len, ==, 2);
}

static void
test_mprof_bad (void)
{
  fixture_expect_error_text ("mprofile_bad.dat", "MEM 1.0 100.0\nMEM one 100.1\n",
                "byte 14: line 2: expected 'MEM MiB TIME', found 'MEM one 100.1'");
  fixture_expect_error_text ("mprofile_bad.dat", "MEM 1.0 100.0\nFUNC f 1 2 3\n", "line 2: expected 'FUNC NAME");
  fixture_expect_error_text ("mprofile_bad.dat", "MEM 1.0 100.0\nFUNC f 1 5 3 4 0\n", "line 2: expected 'FUNC NAME");
  fixture_expect_error_text ("mprofile_bad.dat", "CMDLINE x\nWHAT 1 2\n", "line 2: expected a line starting with MEM");
  fixture_expect_error_text ("mprofile_bad.dat", "CMDLINE x\n\n", "found none");
}

static void
test_mprof_real (void)
{
  g_autofree char *dat = NULL;
  FixtureMprof f;
  if (!fixture_run_mprof (&dat, &f))
    return;

  g_assert_cmpfloat (f.grow_end, >, f.grow_start);
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = pyro_format_load_file (dat, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->meta.format, ==, "mprof");
  g_assert_nonnull (strstr (p->meta.command_line, "alloc.py"));

  /* the timeline's peak within 5% of the file's maximum, and 100 MiB above
   * where it started */
  const PyroCounter *rss = g_ptr_array_index (p->counters, 0);
  double peak = 0, first = g_array_index (rss->values, double, 0);
  gint64 peak_time = 0;
  for (guint i = 0; i < rss->values->len; i++)
    if (g_array_index (rss->values, double, i) > peak)
      {
        peak = g_array_index (rss->values, double, i);
        peak_time = g_array_index (rss->times, gint64, i);
      }
  g_assert_cmpfloat (fabs (peak - f.max_mib * MIB), <=, 0.05 * f.max_mib * MIB);
  g_assert_cmpfloat (peak - first, >=, 95 * MIB);

  /* grow's mark spans the file's FUNC times, and the peak falls inside it */
  const PyroMark *grow = NULL;
  for (guint i = 0; i < p->marks->len; i++)
    if (g_str_equal (pyro_profile_str (p, g_array_index (p->marks, PyroMark, i).name), "__main__.grow"))
      grow = &g_array_index (p->marks, PyroMark, i);
  g_assert_nonnull (grow);
  g_assert_cmpint (llabs (grow->start - (gint64) (f.grow_start * 1e9)), <, 1000);
  g_assert_cmpint (llabs (grow->end - (gint64) (f.grow_end * 1e9)), <, 1000);
  g_assert_cmpint (peak_time, >=, grow->start);
  g_assert_cmpint (peak_time, <=, grow->end);

  /* the table lists grow with its growth, nested in main */
  double growth = fixture_path_total (p, FIXTURE_PATH ("main", "grow"));
  g_assert_cmpfloat (fabs (growth - (f.grow_mem_end - f.grow_mem_start) * MIB), <, 0.01 * MIB);
  g_assert_cmpfloat (growth, >=, 95 * MIB);
  g_assert_cmpfloat (growth, <=, 105 * MIB);

  /* `pyrometer info --format json` reports the same counter and mark */
  const char *bin = g_getenv ("PYRO_BIN");
  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    return;
  g_autofree char *json = NULL;
  const char *info[] = { bin, "info", "--format", "json", dat, NULL };
  g_assert_true (fixture_run (NULL, info, &json));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "mprof");
  JsonObject *c = json_array_get_object_element (json_object_get_array_member (root, "counters"), 0);
  g_assert_cmpstr (json_object_get_string_member (c, "name"), ==, "RSS");
  g_assert_cmpstr (json_object_get_string_member (c, "unit"), ==, "bytes");
  g_assert_cmpfloat (fabs (json_object_get_double_member (c, "max") - f.max_mib * MIB), <=, 0.05 * f.max_mib * MIB);
  double origin = g_array_index (rss->times, gint64, 0) / 1e9;
  g_assert_cmpfloat (fabs (json_object_get_double_member (c, "max_time_s") - (f.max_time - origin)), <, 1e-3);
  JsonArray *marks = json_object_get_array_member (root, "marks");
  gboolean found = FALSE;
  for (guint i = 0; i < json_array_get_length (marks); i++)
    {
      JsonObject *m = json_array_get_object_element (marks, i);
      if (!g_str_equal (json_object_get_string_member (m, "name"), "__main__.grow"))
        continue;
      found = TRUE;
      g_assert_cmpfloat (fabs (json_object_get_double_member (m, "start_s") - (f.grow_start - origin)), <, 1e-3);
      g_assert_cmpfloat (fabs (json_object_get_double_member (m, "end_s") - (f.grow_end - origin)), <, 1e-3);
    }
  g_assert_true (found);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/austin/wall", test_austin_wall);
  g_test_add_func ("/austin/modes", test_austin_modes);
  g_test_add_func ("/austin/bad", test_austin_bad);
  g_test_add_func ("/mprof/basic", test_mprof_basic);
  g_test_add_func ("/mprof/old-and-sparse", test_mprof_old_and_sparse);
  g_test_add_func ("/mprof/bad", test_mprof_bad);
  g_test_add_func ("/mprof/real", test_mprof_real);
  return g_test_run ();
}
