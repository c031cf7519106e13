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

/* Runs @argv in @dir (NULL: the current one; the program looked up in PATH),
 * its standard output in @out (nullable; captured either way so that it does
 * not mix with the TAP output).  FALSE, with the test skipped and the
 * program's error output as the reason, when it cannot run or fails. */
gboolean fixture_run (const char *dir, const char *const *argv, char **out);

/* Runs `kernprof -l` on a small script with two @profile functions (grow,
 * called 5 times with 5 timed lines; main with 4), then line_profiler's own
 * report of it (`python -m line_profiler`).  Sets @lprof and @report, or
 * skips the test with the reason and returns FALSE. */
gboolean fixture_run_kernprof (char **lprof, char **report);

/* What a memory_profiler .dat says, read line by line independently of the
 * reader: the highest MEM sample and grow()'s FUNC line. */
typedef struct {
  double max_mib, max_time;
  double grow_start, grow_end, grow_mem_start, grow_mem_end;
} FixtureMprof;

/* Runs `mprof run` on a script whose main() sleeps, calls grow() (touches a
 * 100 MiB bytearray and keeps it 0.6 s), frees it and sleeps.  Sets @dat and
 * @facts, or skips the test with the reason and returns FALSE. */
gboolean fixture_run_mprof (char **dat, FixtureMprof *facts);
