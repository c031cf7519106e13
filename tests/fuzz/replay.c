/* Replays the inputs that once crashed a fuzz target (tests/fuzz/regressions/
 * TARGET/) through the same harness, in every build: a fixed bug stays fixed
 * without clang or libFuzzer.  The target is chosen at build time by
 * PYRO_REPLAY_TARGET. */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", "regressions",
                                                     PYRO_REPLAY_TARGET, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, >, 0);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/fuzz-replay/%s/%s", PYRO_REPLAY_TARGET, name);
      g_test_add_data_func_full (test_path, g_build_filename (dir_path, name, NULL), replay, g_free);
    }
  return g_test_run ();
}
