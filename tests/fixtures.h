/* fixtures.h — small helpers the test binaries share. */
#pragma once

#include "core/profile.h"

/* A profile from folded text (via the folded reader); aborts the test on error. */
PyroProfile *fixture_profile_from_folded (const char *text);
/* Function id by name, or PYRO_NONE. */
guint32 fixture_func (PyroProfile *profile, const char *name);
/* Path of a fresh file under the test's temporary directory. */
char *fixture_temp_path (const char *basename);
/* Writes @len bytes to a fresh temporary file; returns its path. */
char *fixture_write_temp (const char *basename, const void *data, gssize len);
