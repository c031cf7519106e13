/* `pyrometer report|info|export` as a person runs them. */
#include "fixtures.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_pyrometer (Run *r, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *bin = g_getenv ("PYRO_BIN");
  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  va_list args;
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* headless: a subcommand must never need a display */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
}

static const char *demo = "main;parse;read 10\nmain;parse 5\nmain;compute;fib 70\nmain;compute 5\nmain 10\n";

static void
test_report_json (void)
{
  g_autofree char *path = fixture_write_temp ("demo.folded", demo, -1);
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "report", path, "--format", "json", "--top", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "folded");
  g_assert_cmpstr (json_object_get_string_member (root, "unit"), ==, "samples");
  g_assert_cmpint (json_object_get_int_member (root, "samples"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (root, "total"), ==, 100);
  g_assert_true (json_object_get_null_member (root, "duration_s"));
  JsonArray *funcs = json_object_get_array_member (root, "functions");
  g_assert_cmpuint (json_array_get_length (funcs), ==, 3);
  JsonObject *top = json_array_get_object_element (funcs, 0);
  g_assert_cmpstr (json_object_get_string_member (top, "name"), ==, "fib");
  g_assert_cmpfloat (json_object_get_double_member (top, "self"), ==, 70);
  g_assert_cmpfloat (json_object_get_double_member (top, "self_pct"), ==, 70);
  JsonObject *second = json_array_get_object_element (funcs, 1);
  /* ties on self (10) break by total: main (100) before read (10) */
  g_assert_cmpstr (json_object_get_string_member (second, "name"), ==, "main");
  g_assert_cmpfloat (json_object_get_double_member (second, "total_pct"), ==, 100);
  g_assert_true (json_object_get_null_member (second, "calls"));
}

static void
test_report_text_and_info (void)
{
  g_autofree char *path = fixture_write_temp ("demo.folded", demo, -1);
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "report", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "fib"));
  g_assert_nonnull (strstr (r.out, "70.00%"));

  g_auto (Run) i = { 0 };
  run_pyrometer (&i, "info", path, "--format", "json", NULL);
  g_assert_cmpint (i.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, i.out, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "functions"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (root, "threads"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "samples"), ==, 5);
}

static void
expect_bad_input (const char *basename, const void *data, gssize len, const char *fragment)
{
  g_autofree char *path = fixture_write_temp (basename, data, len);
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "report", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  /* one line that names the file and the problem */
  g_assert_nonnull (strstr (r.err, basename));
  g_assert_nonnull (strstr (r.err, fragment));
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (long) strlen (r.err) - 1);
}

static void
test_bad_files (void)
{
  expect_bad_input ("empty.folded", "", 0, "empty");
  guint8 garbage[4096];
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_rand_int (rand);
  garbage[0] = 0xfe;
  expect_bad_input ("garbage.bin", garbage, sizeof garbage, "not a format Pyrometer reads");
  expect_bad_input ("nan.folded", "a;b 1\na;b x1\n", -1, "expected a sample count");

  gsize n = 10u << 20;
  g_autofree char *big = g_malloc (n + 1);
  memset (big, 'y', n);
  big[n] = '\n';
  expect_bad_input ("long.folded", big, (gssize) n + 1, "line 1");

  g_auto (Run) missing = { 0 };
  run_pyrometer (&missing, "report", "/nonexistent/trace.folded", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/trace.folded"));
}

static void
test_usage (void)
{
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "report", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_auto (Run) bad = { 0 };
  run_pyrometer (&bad, "report", "--no-such-option", "x", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  const char *commands[] = { "report", "info", "export" };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto (Run) help = { 0 };
      run_pyrometer (&help, commands[i], "--help", NULL);
      g_assert_cmpint (help.status, ==, 0);
      g_assert_nonnull (strstr (help.out, commands[i]));
    }
}

static void
test_export_folded (void)
{
  g_autofree char *path = fixture_write_temp ("demo.folded", demo, -1);
  g_autofree char *out = fixture_temp_path ("out.folded");
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "export", path, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_auto (Run) again = { 0 };
  run_pyrometer (&again, "report", out, "--format", "json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "\"total\" : 100"));
}

static void
test_diff_json (void)
{
  g_autofree char *a = fixture_write_temp ("slow.folded", "main;fib;fib 60\nmain;fib 20\nmain;setup 20\n", -1);
  g_autofree char *b = fixture_write_temp ("fast.folded", "main;fib 5\nmain;setup 20\n", -1);
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "diff", a, b, "--format", "json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (root, "a_total"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (root, "b_total"), ==, 25);
  g_assert_cmpfloat (json_object_get_double_member (root, "ratio"), ==, 4);
  JsonObject *fib = json_array_get_object_element (json_object_get_array_member (root, "functions"), 0);
  g_assert_cmpstr (json_object_get_string_member (fib, "name"), ==, "fib");
  g_assert_cmpfloat (json_object_get_double_member (fib, "a"), ==, 80);
  g_assert_cmpfloat (json_object_get_double_member (fib, "b"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (fib, "delta"), ==, -75);

  g_auto (Run) text = { 0 };
  run_pyrometer (&text, "diff", a, b, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "B is 4.0× faster overall; fib went from 80.0% to 20.0%"));
}

static guint32
png_width (const char *path)
{
  g_autofree guint8 *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, (char **) &data, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  return (guint32) data[16] << 24 | (guint32) data[17] << 16 | (guint32) data[18] << 8 | data[19];
}

static void
test_export_images (void)
{
  g_autofree char *path = fixture_write_temp ("demo.folded", demo, -1);
  g_autofree char *png = fixture_temp_path ("flame.png");
  g_autofree char *svg = fixture_temp_path ("squares.svg");
  g_autofree char *pdf = fixture_temp_path ("icicle.PDF");

  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "export", path, "-o", png, "--width", "640", "--scale", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (png_width (png), ==, 1280);

  g_auto (Run) s = { 0 };
  run_pyrometer (&s, "export", path, "-o", svg, "--view", "squaremap", NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<title>demo.folded — Squaremap</title>"));

  g_auto (Run) p = { 0 };
  run_pyrometer (&p, "export", path, "-o", pdf, "--view", "icicle", NULL);
  g_assert_cmpint (p.status, ==, 0);
  g_autofree char *head = NULL;
  g_assert_true (g_file_get_contents (pdf, &head, NULL, NULL));
  g_assert_true (g_str_has_prefix (head, "%PDF-"));

  /* bad usage: exit 2 with a message naming the problem, nothing written */
  const char *bad[][4] = {
    { "-o", "out.jpeg", NULL, NULL },
    { "-o", "out.png", "--view", "sunburst" },
    { "-o", "out.png", "--scale", "3" },
    { "-o", "out.png", "--width", "10" },
  };
  const char *expect[] = { "out.jpeg", "sunburst", "scale", "width" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (Run) u = { 0 };
      g_autofree char *out = fixture_temp_path (bad[i][1]);
      run_pyrometer (&u, "export", path, bad[i][0], out, bad[i][2], bad[i][3], NULL);
      g_assert_cmpint (u.status, ==, 2);
      g_assert_nonnull (strstr (u.err, expect[i]));
      g_assert_null (strchr (g_strchomp (u.err), '\n'));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }

  /* a bad input file is exit 1 */
  g_autofree char *empty = fixture_write_temp ("empty.folded", "", 0);
  g_auto (Run) e = { 0 };
  run_pyrometer (&e, "export", empty, "-o", png, NULL);
  g_assert_cmpint (e.status, ==, 1);
}

/* Any trace becomes a Sysprof capture; read back, it is the same profile. */
static void
test_export_syscap (void)
{
  g_autofree char *path = fixture_write_temp ("demo.folded", demo, -1);
  g_autofree char *out = fixture_temp_path ("demo.syscap");
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "export", path, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);

  g_auto (Run) before = { 0 };
  g_auto (Run) after = { 0 };
  run_pyrometer (&before, "report", path, "--format", "json", "--top", "100", NULL);
  run_pyrometer (&after, "report", out, "--format", "json", "--top", "100", NULL);
  g_assert_cmpint (after.status, ==, 0);
  g_autoptr (JsonParser) pa = json_parser_new ();
  g_autoptr (JsonParser) pb = json_parser_new ();
  g_assert_true (json_parser_load_from_data (pa, before.out, -1, NULL));
  g_assert_true (json_parser_load_from_data (pb, after.out, -1, NULL));
  JsonObject *a = json_node_get_object (json_parser_get_root (pa));
  JsonObject *b = json_node_get_object (json_parser_get_root (pb));
  g_assert_cmpstr (json_object_get_string_member (b, "format"), ==, "syscap");
  g_assert_cmpfloat (json_object_get_double_member (a, "total"), ==, json_object_get_double_member (b, "total"));
  JsonArray *fa = json_object_get_array_member (a, "functions");
  JsonArray *fb = json_object_get_array_member (b, "functions");
  g_assert_cmpuint (json_array_get_length (fa), ==, json_array_get_length (fb));
  for (guint i = 0; i < json_array_get_length (fa); i++)
    {
      JsonObject *x = json_array_get_object_element (fa, i);
      JsonObject *y = json_array_get_object_element (fb, i);
      g_assert_cmpstr (json_object_get_string_member (x, "name"), ==, json_object_get_string_member (y, "name"));
      g_assert_cmpfloat (json_object_get_double_member (x, "self"), ==, json_object_get_double_member (y, "self"));
      g_assert_cmpfloat (json_object_get_double_member (x, "total"), ==, json_object_get_double_member (y, "total"));
    }
}

/* `pyrometer record -- python3 script.py` picks Python stacks by itself. */
static void
test_record_python (void)
{
  g_autofree char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                              ? g_strdup ("/usr/bin/python3") : g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_skip ("no python3 on this machine");
      return;
    }
  static const char script[] =
    "def busy_a():\n    t = 0\n    for i in range(3_000_000):\n        t += i\n    return t\n\n"
    "def busy_b():\n    t = 0\n    for i in range(1_000_000):\n        t += i\n    return t\n\n"
    "def main():\n    for _ in range(3):\n        busy_a()\n        busy_b()\n\nmain()\n";
  g_autofree char *path = fixture_write_temp ("busy.py", script, -1);
  g_autofree char *out = fixture_temp_path ("busy.syscap");
  g_auto (Run) rec = { 0 };
  run_pyrometer (&rec, "record", "-o", out, "--", python, path, NULL);
  if (rec.status != 0)
    {
      g_test_skip_printf ("recording is not allowed here: %s", rec.err);
      return;
    }
  g_auto (Run) r = { 0 };
  run_pyrometer (&r, "report", out, "--format", "json", "--top", "50", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  JsonArray *funcs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "functions");
  double a = 0, b = 0;
  for (guint i = 0; i < json_array_get_length (funcs); i++)
    {
      JsonObject *f = json_array_get_object_element (funcs, i);
      const char *name = json_object_get_string_member (f, "name");
      if (g_str_equal (name, "busy_a"))
        {
          a = json_object_get_double_member (f, "self");
          g_assert_cmpstr (json_object_get_string_member (f, "file"), ==, path);
          g_assert_cmpstr (json_object_get_string_member (f, "kind"), ==, "python");
        }
      else if (g_str_equal (name, "busy_b"))
        b = json_object_get_double_member (f, "self");
    }
  g_assert_cmpfloat (a + b, >, 0);
  /* three times the work: about 75% of the two.  The 5-point accuracy is
   * checked on longer recordings in test-cpython; this checks the command
   * line picks Python stacks, so it allows for a busy machine. */
  g_assert_cmpfloat (fabs (100 * a / (a + b) - 75), <, 15);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/report-json", test_report_json);
  g_test_add_func ("/cli/report-text-info", test_report_text_and_info);
  g_test_add_func ("/cli/bad-files", test_bad_files);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/export-folded", test_export_folded);
  g_test_add_func ("/cli/diff-json", test_diff_json);
  g_test_add_func ("/cli/export-syscap", test_export_syscap);
  g_test_add_func ("/cli/record-python", test_record_python);
  g_test_add_func ("/cli/export-images", test_export_images);
  return g_test_run ();
}
