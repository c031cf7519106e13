/* speedscope (reader and writer) and Chrome trace-event readers. */
#include "formats/speedscope.h"
#include "formats/chrome-trace.h"
#include "formats/folded.h"
#include "core/call-tree.h"
#include "fixtures.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define SCHEMA "https://www.speedscope.app/file-format-schema.json"

static const char sampled_doc[] =
  "{\"$schema\": \"" SCHEMA "\",\n"
  " \"shared\": {\"frames\": [{\"name\": \"main\", \"file\": \"app.py\", \"line\": 10},\n"
  "                         {\"name\": \"work\", \"file\": \"app.py\", \"line\": 3},\n"
  "                         {\"name\": \"work\", \"file\": \"app.py\", \"line\": 4},\n"
  "                         {\"name\": \"memcpy\"}]},\n"
  " \"profiles\": [\n"
  "  {\"type\": \"sampled\", \"name\": \"MainThread\", \"unit\": \"milliseconds\",\n"
  "   \"startValue\": 0, \"endValue\": 60,\n"
  "   \"samples\": [[0, 1], [0, 2], [0, 2, 3], []], \"weights\": [10, 20, 25, 5]},\n"
  "  {\"type\": \"sampled\", \"name\": \"Worker\", \"unit\": \"microseconds\",\n"
  "   \"startValue\": 100, \"endValue\": 5100,\n"
  "   \"samples\": [[0, 1]], \"weights\": [5000]}],\n"
  " \"name\": \"python app.py\", \"activeProfileIndex\": 0, \"exporter\": \"hand\"}";

static void
test_speedscope_sampled (void)
{
  g_autoptr (PyroProfile) p = fixture_load_ok ("sampled.json", sampled_doc);
  g_assert_cmpstr (p->meta.format, ==, "speedscope");
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
  g_assert_true (p->meta.has_time);
  g_assert_cmpuint (pyro_profile_n_threads (p), ==, 2);
  g_assert_cmpstr (pyro_profile_str (p, g_array_index (p->threads, PyroThread, 1).name), ==, "Worker");
  g_assert_cmpuint (pyro_profile_n_samples (p), ==, 5);
  g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (p), 0.065, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("main", "work")), 0.060, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("main", "work", "memcpy")), 0.025, 1e-12);

  /* one function "work" with frames at lines 3 and 4 */
  guint32 work = fixture_func (p, "work");
  g_assert_cmpstr (pyro_profile_func_file (p, work), ==, "app.py");
  g_assert_cmpint (pyro_profile_func_kind (p, work), ==, PYRO_FUNC_PYTHON);
  guint lines = 0;
  for (guint fr = 0; fr < pyro_profile_n_frames (p); fr++)
    if (PYRO_COL (p->frame_func, guint32, fr) == work)
      lines |= 1u << PYRO_COL (p->frame_line, guint32, fr);
  g_assert_cmpuint (lines, ==, (1u << 3) | (1u << 4));

  /* samples laid end to end from startValue: the worker's starts at 100 µs */
  g_assert_cmpint (PYRO_COL (p->sample_time, gint64, 1), ==, 10000000);
  g_assert_cmpint (PYRO_COL (p->sample_time, gint64, 4), ==, 100000);
  g_assert_cmpstr (p->meta.command_line, ==, "python app.py");
}

static void
test_speedscope_evented (void)
{
  g_autoptr (PyroProfile) p = fixture_load_ok ("evented.speedscope.json",
    "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}]},\n"
    " \"profiles\": [{\"type\": \"evented\", \"name\": \"t\", \"unit\": \"nanoseconds\", \"startValue\": 0, \"endValue\": 100,\n"
    "  \"events\": [{\"type\": \"O\", \"at\": 0, \"frame\": 0}, {\"type\": \"O\", \"at\": 10, \"frame\": 1},\n"
    "             {\"type\": \"O\", \"at\": 10, \"frame\": 2}, {\"type\": \"C\", \"at\": 30, \"frame\": 2},\n"
    "             {\"type\": \"C\", \"at\": 40, \"frame\": 1}, {\"type\": \"O\", \"at\": 50, \"frame\": 2},\n"
    "             {\"type\": \"C\", \"at\": 55, \"frame\": 2}]}]}");
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
  /* a is still open at the end: it runs until endValue */
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("a")), 100e-9, 1e-18);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("a", "b")), 30e-9, 1e-18);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("a", "b", "c")), 20e-9, 1e-18);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("a", "c")), 5e-9, 1e-18);
  gint64 start, end;
  g_assert_true (pyro_profile_time_bounds (p, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 55);
}

static void
test_speedscope_units (void)
{
  static const struct { const char *unit; PyroUnit expect; double scale; } cases[] = {
    { "none", PYRO_UNIT_SAMPLES, 1 },
    { "nanoseconds", PYRO_UNIT_SECONDS, 1e-9 },
    { "microseconds", PYRO_UNIT_SECONDS, 1e-6 },
    { "milliseconds", PYRO_UNIT_SECONDS, 1e-3 },
    { "seconds", PYRO_UNIT_SECONDS, 1 },
    { "bytes", PYRO_UNIT_BYTES, 1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = g_strdup_printf (
        "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"f\"}]},"
        " \"profiles\": [{\"type\": \"sampled\", \"name\": \"p\", \"unit\": \"%s\", \"startValue\": 0,"
        " \"endValue\": 7, \"samples\": [[0], [0]], \"weights\": [3, 4.5]}]}", cases[i].unit);
      g_autoptr (PyroProfile) p = fixture_load_ok ("units.json", doc);
      g_assert_cmpint (p->meta.unit, ==, cases[i].expect);
      g_assert_cmpint (p->meta.has_time, ==, cases[i].expect == PYRO_UNIT_SECONDS);
      g_assert_cmpfloat_with_epsilon (pyro_profile_total_weight (p), 7.5 * cases[i].scale,
                                      7.5 * cases[i].scale * 1e-12);
    }
}

static void
test_speedscope_bad (void)
{
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": []}, ", "byte ");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                " \"profiles\": [{\"type\": \"sampled\", \"name\": \"p\", \"unit\": \"none\", \"startValue\": 0,"
                " \"endValue\": 1, \"samples\": [[0, 3]], \"weights\": [1]}]}",
                "profiles[0].samples[0][1]: expected a frame index below 1");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                " \"profiles\": [{\"type\": \"sampled\", \"name\": \"p\", \"unit\": \"none\", \"startValue\": 0,"
                " \"endValue\": 1, \"samples\": [[0], [0]], \"weights\": [1]}]}",
                "expected 2 weights");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                " \"profiles\": [{\"type\": \"sampled\", \"name\": \"p\", \"unit\": \"furlongs\", \"startValue\": 0,"
                " \"endValue\": 1, \"samples\": [], \"weights\": []}]}",
                "found furlongs");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}, {\"name\": \"b\"}]},"
                " \"profiles\": [{\"type\": \"evented\", \"name\": \"p\", \"unit\": \"none\", \"startValue\": 0,"
                " \"endValue\": 1, \"events\": [{\"type\": \"O\", \"at\": 0, \"frame\": 0},"
                " {\"type\": \"C\", \"at\": 1, \"frame\": 1}]}]}",
                "profiles[0].events[1]: closes frame 1");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                " \"profiles\": [{\"type\": \"evented\", \"name\": \"p\", \"unit\": \"none\", \"startValue\": 0,"
                " \"endValue\": 1, \"events\": [{\"type\": \"O\", \"at\": 5, \"frame\": 0},"
                " {\"type\": \"C\", \"at\": 1, \"frame\": 0}]}]}",
                "time order");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"name\": \"a\"}]},"
                " \"profiles\": [{\"type\": \"sampled\", \"name\": \"p\", \"unit\": \"bytes\", \"startValue\": 0,"
                " \"endValue\": 1, \"samples\": [[0]], \"weights\": [1]},"
                " {\"type\": \"sampled\", \"name\": \"q\", \"unit\": \"seconds\", \"startValue\": 0,"
                " \"endValue\": 1, \"samples\": [[0]], \"weights\": [1]}]}",
                "one unit per trace");
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\", \"shared\": {\"frames\": [{\"nome\": \"a\"}]}, \"profiles\": []}",
                "shared.frames[0]");

  /* A parse error names the byte where it happened: line 2, column 3. */
  fixture_expect_error_text ("bad.json", "{\"$schema\": \"" SCHEMA "\",\n  ]", "byte ");

  /* Nesting that would exhaust json-glib's recursion stops with a message. */
  g_autoptr (GString) deep = g_string_new ("{\"$schema\": \"" SCHEMA "\", \"x\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  fixture_expect_error_text ("deep.json", deep->str, "nests deeper than");
}

/* The writer's output holds what speedscope's file-format schema requires. */
static void
check_schema (JsonNode *root)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  JsonObject *file = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (file, "$schema"), ==, SCHEMA);
  if (json_object_has_member (file, "name"))
    g_assert_cmpint (json_node_get_value_type (json_object_get_member (file, "name")), ==, G_TYPE_STRING);
  if (json_object_has_member (file, "exporter"))
    g_assert_cmpint (json_node_get_value_type (json_object_get_member (file, "exporter")), ==, G_TYPE_STRING);
  JsonArray *frames = json_object_get_array_member (json_object_get_object_member (file, "shared"), "frames");
  guint n_frames = json_array_get_length (frames);
  for (guint i = 0; i < n_frames; i++)
    {
      JsonObject *frame = json_array_get_object_element (frames, i);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (frame, "name")), ==, G_TYPE_STRING);
      if (json_object_has_member (frame, "file"))
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (frame, "file")), ==, G_TYPE_STRING);
      if (json_object_has_member (frame, "line"))
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (frame, "line")), ==, G_TYPE_INT64);
    }
  JsonArray *profiles = json_object_get_array_member (file, "profiles");
  g_assert_cmpuint (json_array_get_length (profiles), >, 0);
  if (json_object_has_member (file, "activeProfileIndex"))
    g_assert_cmpint (json_object_get_int_member (file, "activeProfileIndex"), <,
                     json_array_get_length (profiles));
  for (guint i = 0; i < json_array_get_length (profiles); i++)
    {
      JsonObject *profile = json_array_get_object_element (profiles, i);
      g_assert_cmpstr (json_object_get_string_member (profile, "type"), ==, "sampled");
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (profile, "name")), ==, G_TYPE_STRING);
      const char *unit = json_object_get_string_member (profile, "unit");
      g_assert_true (g_strv_contains ((const char *const[]) { "none", "nanoseconds", "microseconds",
                                                             "milliseconds", "seconds", "bytes", NULL }, unit));
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (profile, "startValue")));
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (profile, "endValue")));
      JsonArray *samples = json_object_get_array_member (profile, "samples");
      JsonArray *weights = json_object_get_array_member (profile, "weights");
      g_assert_cmpuint (json_array_get_length (samples), ==, json_array_get_length (weights));
      double sum = 0;
      for (guint k = 0; k < json_array_get_length (samples); k++)
        {
          JsonArray *stack = json_array_get_array_element (samples, k);
          for (guint j = 0; j < json_array_get_length (stack); j++)
            {
              JsonNode *index = json_array_get_element (stack, j);
              g_assert_cmpint (json_node_get_value_type (index), ==, G_TYPE_INT64);
              g_assert_cmpint (json_node_get_int (index), >=, 0);
              g_assert_cmpint (json_node_get_int (index), <, n_frames);
            }
          sum += json_node_get_double (json_array_get_element (weights, k));
        }
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (profile, "endValue")
                                      - json_object_get_double_member (profile, "startValue"),
                                      sum, 1e-9 * MAX (sum, 1));
    }
}

static int
compare_lines (const void *a, const void *b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static char *
folded_text (PyroProfile *p)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_assert_true (pyro_folded_write (p, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_output_stream_close (out, NULL, NULL);
  g_auto (GStrv) lines = g_strsplit (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), "\n", -1);
  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  return g_strjoinv ("\n", lines);
}

/* Write, read back: same stacks and weights (the folded text of both). */
static void
roundtrip (PyroProfile *p)
{
  g_autofree char *path = fixture_temp_path ("out.speedscope.json");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileOutputStream) out = g_file_replace (file, NULL, FALSE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pyro_speedscope_write (p, G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  check_schema (json_parser_get_root (parser));

  g_autoptr (PyroProfile) back = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->meta.format, ==, "speedscope");
  g_assert_cmpint (back->meta.unit, ==, p->meta.unit);
  g_autofree char *before = folded_text (p);
  g_autofree char *after = folded_text (back);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (pyro_profile_n_threads (back), ==, MAX (pyro_profile_n_threads (p), 1));
}

static void
test_speedscope_roundtrip (void)
{
  g_autoptr (PyroProfile) folded = fixture_profile_from_folded (
    "main (app.py:3);work (app.py:7);\"quoted\\name\" 5\n"
    "main (app.py:3);work (app.py:8) 2.5\n"
    "main (app.py:3) 1\n"
    "memcpy 4\n");
  roundtrip (folded);
  g_autoptr (PyroProfile) sampled = fixture_load_ok ("sampled.json", sampled_doc);
  roundtrip (sampled);
}

/* `pyrometer export FILE -o out.speedscope.json` writes the same file. */
static void
test_speedscope_export_cli (void)
{
  const char *bin = g_getenv ("PYRO_BIN");
  if (bin == NULL || !g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("PYRO_BIN is not set to the built pyrometer");
      return;
    }
  g_autofree char *in = fixture_write_temp ("cli.folded", "a;b 3\na;c 1\n", -1);
  g_autofree char *out = fixture_temp_path ("cli.speedscope.json");
  const char *argv[] = { bin, "export", in, "-o", out, NULL };
  int status;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_autoptr (PyroProfile) p = pyro_format_load_file (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fixture_path_total (p, FIXTURE_PATH ("a", "b")), ==, 3);
  g_assert_cmpfloat (fixture_path_total (p, FIXTURE_PATH ("a")), ==, 4);
}

static void
test_chrome_begin_end (void)
{
  /* py-spy's shape: B/E pairs with filename and line in args */
  g_autoptr (PyroProfile) p = fixture_load_ok ("trace.json",
    "[{\"name\": \"<module>\", \"cat\": \"py-spy\", \"ph\": \"B\", \"ts\": 0, \"pid\": 7, \"tid\": 7,"
    "  \"args\": {\"filename\": \"app.py\", \"line\": 20}},\n"
    " {\"name\": \"work\", \"cat\": \"py-spy\", \"ph\": \"B\", \"ts\": 100, \"pid\": 7, \"tid\": 7,"
    "  \"args\": {\"filename\": \"app.py\", \"line\": 5}},\n"
    " {\"name\": \"work\", \"ph\": \"E\", \"ts\": 400, \"pid\": 7, \"tid\": 7},\n"
    " {\"name\": \"<module>\", \"ph\": \"E\", \"ts\": 1000, \"pid\": 7, \"tid\": 7},\n"
    " {\"name\": \"other\", \"ph\": \"B\", \"ts\": 50, \"pid\": 7, \"tid\": 8},\n"
    " {\"ph\": \"E\", \"ts\": 250, \"pid\": 7, \"tid\": 8},\n"
    " {\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 7, \"tid\": 8, \"args\": {\"name\": \"worker\"}},\n"
    " {\"name\": \"instant\", \"ph\": \"i\", \"ts\": 3, \"pid\": 7, \"tid\": 7}]");
  g_assert_cmpstr (p->meta.format, ==, "chrome-trace");
  g_assert_cmpint (p->meta.unit, ==, PYRO_UNIT_SECONDS);
  g_assert_cmpuint (pyro_profile_n_threads (p), ==, 2);
  g_assert_cmpstr (pyro_profile_str (p, g_array_index (p->threads, PyroThread, 1).name), ==, "worker");
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("<module>")), 1000e-6, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("<module>", "work")), 300e-6, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("other")), 200e-6, 1e-12);
  guint32 work = fixture_func (p, "work");
  g_assert_cmpstr (pyro_profile_func_file (p, work), ==, "app.py");
  g_assert_cmpint (pyro_profile_func_kind (p, work), ==, PYRO_FUNC_PYTHON);
  gint64 start, end;
  g_assert_true (pyro_profile_time_bounds (p, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 400000);
}

static void
test_chrome_complete (void)
{
  /* X events in any order; nesting comes from the spans */
  g_autoptr (PyroProfile) p = fixture_load_ok ("complete.json",
    "{\"traceEvents\": [\n"
    " {\"name\": \"inner\", \"ph\": \"X\", \"ts\": 20, \"dur\": 30, \"pid\": 1, \"tid\": 2},\n"
    " {\"name\": \"outer\", \"ph\": \"X\", \"ts\": 10, \"dur\": 90, \"pid\": 1, \"tid\": 2},\n"
    " {\"name\": \"same-start\", \"ph\": \"X\", \"ts\": 10, \"dur\": 5, \"pid\": 1, \"tid\": 2},\n"
    " {\"name\": \"next\", \"ph\": \"X\", \"ts\": 100, \"dur\": 10, \"pid\": 1, \"tid\": 2},\n"
    " {\"name\": \"zero\", \"ph\": \"X\", \"ts\": 60, \"dur\": 0, \"pid\": 1, \"tid\": 2},\n"
    " {\"name\": \"rss\", \"ph\": \"C\", \"ts\": 10, \"pid\": 1, \"args\": {\"bytes\": 4096}}],\n"
    " \"displayTimeUnit\": \"ms\"}");
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("outer")), 90e-6, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("outer", "inner")), 30e-6, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("outer", "same-start")), 5e-6, 1e-12);
  g_assert_cmpfloat_with_epsilon (fixture_path_total (p, FIXTURE_PATH ("next")), 10e-6, 1e-12);
  g_assert_cmpuint (fixture_func (p, "zero"), ==, PYRO_NONE);
  g_assert_cmpuint (p->counters->len, ==, 1);
}

static void
test_chrome_bad (void)
{
  fixture_expect_error_text ("bad.json", "[{\"name\": \"a\", \"ph\": \"X\", \"ts\": 1, \"pid\": 1, \"tid\": 1}]",
                "traceEvents[0]: an \"X\" event needs a non-negative number \"dur\"");
  fixture_expect_error_text ("bad.json", "[{\"name\": \"a\", \"ph\": \"B\", \"pid\": 1, \"tid\": 1}]", "needs a number \"ts\"");
  fixture_expect_error_text ("bad.json", "[{\"name\": \"a\", \"ph\": \"i\", \"ts\": 0}]", "expected duration events");
  fixture_expect_error_text ("bad.json", "[{\"name\": \"a\", \"ph\": \"B\", \"ts\": 0,", "byte ");
  fixture_expect_error_text ("bad.trace", "{\"traceEvents\": 3}", "expected a Chrome trace");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/speedscope/sampled", test_speedscope_sampled);
  g_test_add_func ("/speedscope/evented", test_speedscope_evented);
  g_test_add_func ("/speedscope/units", test_speedscope_units);
  g_test_add_func ("/speedscope/bad", test_speedscope_bad);
  g_test_add_func ("/speedscope/roundtrip", test_speedscope_roundtrip);
  g_test_add_func ("/speedscope/export-cli", test_speedscope_export_cli);
  g_test_add_func ("/chrome-trace/begin-end", test_chrome_begin_end);
  g_test_add_func ("/chrome-trace/complete", test_chrome_complete);
  g_test_add_func ("/chrome-trace/bad", test_chrome_bad);
  return g_test_run ();
}
