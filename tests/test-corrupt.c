/* Every reader against damaged files: each fixture truncated at 50 points
 * and bit-flipped at 200.  Each case must end in under 2 s with either a
 * profile or an error that names the file; a crash ends this binary and
 * fails the test. */
#include "core/call-tree.h"
#include "formats/reader.h"
#include "corpus-fixtures.h"
#include "fixtures.h"

#include <string.h>

static void
load_one (const char *path, const char *what)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (PyroProfile) profile = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  if (profile != NULL)
    {
      /* a profile that loads must also derive */
      g_autoptr (PyroCallTree) tree = pyro_call_tree_new (profile, NULL, NULL, NULL);
      g_assert_nonnull (tree);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
      if (strstr (error->message, path) == NULL)
        g_error ("%s: the error does not name the file: %s", what, error->message);
    }
  double elapsed = (g_get_monotonic_time () - start) / 1e6;
  if (elapsed > 2.0)
    g_error ("%s took %.1f s", what, elapsed);
}

static void
test_fixture (gconstpointer data)
{
  const CorpusFixture *fixture = data;
  g_autofree char *path = fixture->make ();
  if (path == NULL)
    {
      g_test_skip ("the tool that makes this fixture is not available here");
      return;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) intact = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  if (intact == NULL)
    {
      g_test_skip_printf ("no reader for this fixture yet: %s", error->message);
      return;
    }

  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_autofree char *damaged = fixture_temp_path ("damaged");
  g_autoptr (GRand) rand = g_rand_new_with_seed (len);

  for (guint i = 1; i <= 50; i++)
    {
      gsize cut = len * i / 51;
      g_assert_true (g_file_set_contents (damaged, bytes, (gssize) cut, NULL));
      g_autofree char *what = g_strdup_printf ("%s cut at %" G_GSIZE_FORMAT, path, cut);
      load_one (damaged, what);
    }
  g_autofree char *copy = g_memdup2 (bytes, len);
  for (guint i = 0; i < 200; i++)
    {
      gsize at = g_rand_int_range (rand, 0, (gint32) MIN (len, G_MAXINT32));
      guint8 bit = (guint8) (1u << g_rand_int_range (rand, 0, 8));
      copy[at] ^= bit;
      g_assert_true (g_file_set_contents (damaged, copy, (gssize) len, NULL));
      g_autofree char *what = g_strdup_printf ("%s with bit %u of byte %" G_GSIZE_FORMAT " flipped", path, bit, at);
      load_one (damaged, what);
      copy[at] ^= bit;
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (const CorpusFixture *f = corpus_fixtures; f->name != NULL; f++)
    {
      g_autofree char *name = g_strconcat ("/corrupt/", f->name, NULL);
      g_test_add_data_func (name, f, test_fixture);
    }
  return g_test_run ();
}
