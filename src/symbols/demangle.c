#include "demangle.h"

#include <libiberty/demangle.h>
#include <stdlib.h>
#include <string.h>

char *
pyro_demangle (const char *name)
{
  if (name == NULL || name[0] != '_' || (name[1] != 'Z' && name[1] != 'R'))
    return NULL;
  /* libiberty's AUTO style recognises Itanium C++, Rust legacy (hash-suffixed
   * Itanium) and Rust v0 names. */
  char *raw = cplus_demangle (name, DMGL_PARAMS | DMGL_ANSI | DMGL_AUTO);
  if (raw == NULL)
    return NULL;
  char *out = g_strdup (raw);
  free (raw);
  return out;
}
