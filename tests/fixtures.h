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

/* Loads @len bytes (-1: a string) written to a temporary @basename. */
PyroProfile *fixture_load (const char *basename, const void *data, gssize len, GError **error);
PyroProfile *fixture_load_text (const char *basename, const char *text, GError **error);
/* The same, failing the test on an error. */
PyroProfile *fixture_load_ok (const char *basename, const char *text);
/* Fails the test unless loading fails with an error that names the file
 * and contains @fragment. */
void fixture_expect_error (const char *basename, const void *data, gssize len, const char *fragment);
/* Total of the top-down node reached by the root-first function @names. */
void fixture_expect_error_text (const char *basename, const char *text, const char *fragment);
double fixture_path_total (PyroProfile *profile, const char *const *names);
#define FIXTURE_PATH(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* Runs `kernprof -l` on a small script with two @profile functions (grow,
 * called 5 times with 5 timed lines; main with 4), then line_profiler's own
 * report of it (`python -m line_profiler`).  Sets @lprof and @report, or
 * skips the test with the reason and returns FALSE. */
gboolean fixture_kernprof (char **lprof, char **report);
