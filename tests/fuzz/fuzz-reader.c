/* libFuzzer target for one reader, chosen at build time by PYRO_FUZZ_READER.
 * A loaded profile is also derived into a call tree, so the model's code
 * sees whatever a reader lets through. */
#include "core/call-tree.h"
#include "formats/reader.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const PyroFormatReader *reader;
  if (reader == NULL)
    {
      reader = pyro_format_reader_by_id (PYRO_FUZZ_READER);
      g_assert (reader != NULL);
    }

  PyroLoadContext ctx = { .path = "fuzz-input", .data = data, .length = size };
  GError *error = NULL;
  PyroProfile *profile = reader->load (&ctx, &error);
  if (profile != NULL)
    {
      pyro_profile_finish (profile);
      PyroCallTree *tree = pyro_call_tree_new (profile, NULL, NULL, NULL);
      pyro_call_tree_free (tree);
      pyro_profile_unref (profile);
    }
  else
    g_assert (error != NULL && error->message != NULL);
  g_clear_error (&error);
  return 0;
}
