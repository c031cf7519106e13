/* Extreme shapes load, derive and paint: 10,000 threads, a stack 10,000
 * frames deep, a function name of 1 MB. */
#include "core/call-tree.h"
#include "core/function-table.h"
#include "formats/reader.h"
#include "fixtures.h"

#include <string.h>

static void
export_png (const char *path, const char *view)
{
  g_autofree char *png = fixture_temp_path ("huge.png");
  const char *argv[] = { g_getenv ("PYRO_BIN"), "export", path, "-o", png, "--view", view, NULL };
  int status;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpint (memcmp (data, "\x89PNG", 4), ==, 0);
}

static PyroProfile *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  PyroProfile *p = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return p;
}

static void
test_deep_stack (void)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < 10000; i++)
    g_string_append_printf (s, "%sframe_%d", i ? ";" : "", i);
  g_string_append (s, " 5\nframe_0;other 1\n");
  g_autofree char *path = fixture_write_temp ("deep.folded", s->str, (gssize) s->len);
  g_string_free (s, TRUE);

  g_autoptr (PyroProfile) p = load (path);
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_assert_cmpuint (tree->max_depth, ==, 10000);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  sel->invert = TRUE;
  g_autoptr (PyroCallTree) inverted = pyro_call_tree_new (p, sel, NULL, NULL);
  g_assert_cmpuint (inverted->max_depth, ==, 10000);
  g_autoptr (PyroFunctionTable) table = pyro_function_table_new (tree);
  g_assert_cmpuint (table->rows->len, ==, 10001);
  export_png (path, "flame");
  export_png (path, "squaremap");
}

static void
test_long_name (void)
{
  gsize n = 1u << 20;
  GString *s = g_string_new ("main;");
  for (gsize i = 0; i < n; i++)
    g_string_append_c (s, (char) ('a' + i % 26));
  g_string_append (s, " 3\nmain;short 1\n");
  g_autofree char *path = fixture_write_temp ("long-name.folded", s->str, (gssize) s->len);
  g_string_free (s, TRUE);

  g_autoptr (PyroProfile) p = load (path);
  g_autoptr (PyroCallTree) tree = pyro_call_tree_new (p, NULL, NULL, NULL);
  guint32 longest = 0;
  for (guint f = 0; f < pyro_profile_n_funcs (p); f++)
    longest = MAX (longest, (guint32) strlen (pyro_profile_func_name (p, f)));
  g_assert_cmpuint (longest, ==, n);
  export_png (path, "flame");
  export_png (path, "icicle");
}

static void
test_many_threads (void)
{
  GString *s = g_string_new ("{\"traceEvents\": [");
  for (int t = 0; t < 10000; t++)
    g_string_append_printf (s, "%s{\"name\": \"work_%d\", \"ph\": \"X\", \"ts\": %d, \"dur\": 10, \"pid\": 1, \"tid\": %d}",
                            t ? "," : "", t % 50, t, t + 1);
  g_string_append (s, "]}");
  g_autofree char *path = fixture_write_temp ("threads.json", s->str, (gssize) s->len);
  g_string_free (s, TRUE);

  g_autoptr (PyroProfile) p = load (path);
  g_assert_cmpuint (pyro_profile_n_threads (p), ==, 10000);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  for (guint32 t = 0; t < 10000; t += 2)
    g_array_append_val (sel->threads, t);
  g_autoptr (PyroCallTree) half = pyro_call_tree_new (p, sel, NULL, NULL);
  g_autoptr (PyroCallTree) all = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (pyro_call_tree_total (half) * 2, pyro_call_tree_total (all), 1e-9);
  export_png (path, "flame");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/huge/deep-stack", test_deep_stack);
  g_test_add_func ("/huge/long-name", test_long_name);
  g_test_add_func ("/huge/many-threads", test_many_threads);
  return g_test_run ();
}
