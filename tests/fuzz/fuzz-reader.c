/* libFuzzer target for one reader, chosen at build time by PYRO_FUZZ_READER.
 * A loaded profile is also derived into a call tree, so the model's code
 * sees whatever a reader lets through. */
#include "core/call-tree.h"
#include "formats/reader.h"
#include "symbols/symbolizer.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *kernel_symbols_path;
static char *empty_symfs;

static void
remove_temporary_files (void)
{
  g_unlink (kernel_symbols_path);
  g_free (kernel_symbols_path);
  g_rmdir (empty_symfs);
  g_free (empty_symfs);
}

/* Kernel addresses resolve through a small synthetic table covering the
 * kernel text where x86-64 kernels load, written once: reading the machine's
 * /proc/kallsyms again for every input would take most of each run. */
int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  GString *table = g_string_new (NULL);
  for (guint i = 0; i < 1024; i++)
    g_string_append_printf (table, "%016" G_GINT64_MODIFIER "x %c kernel_function_%u%s\n",
                            G_GUINT64_CONSTANT (0xffffffff81000000) + (guint64) i * 0x4000,
                            i % 3 ? 't' : 'T', i, i >= 1000 ? "\t[module]" : "");
  g_autoptr (GError) error = NULL;
  int fd = g_file_open_tmp ("pyro-fuzz-kallsyms-XXXXXX", &kernel_symbols_path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_assert_true (g_file_set_contents (kernel_symbols_path, table->str, (gssize) table->len, NULL));
  g_string_free (table, TRUE);
  atexit (remove_temporary_files);
  pyro_symbolizer_set_kernel_symbols_file (kernel_symbols_path);
  /* Binaries named by an input are not looked up on this machine: opening
   * their DWARF again for every input took most of each run. */
  empty_symfs = g_dir_make_tmp ("pyro-fuzz-symfs-XXXXXX", &error);
  g_assert_no_error (error);
  pyro_symbolizer_set_symfs (empty_symfs);
  return 0;
}

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
