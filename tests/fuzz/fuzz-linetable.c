/* libFuzzer target for the CPython location-table decoder: the first two
 * bytes give the first line and the number of code units to decode. */
#include "sampler/cpython-linetable.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2)
    return 0;
  gint first_line = data[0];
  gsize n_units = (gsize) data[1] * 4;
  gint32 *lines = g_new (gint32, n_units + 1);
  pyro_cpython_linetable_decode (data + 2, size - 2, first_line, lines, n_units);
  g_free (lines);
  return 0;
}
