/* corpus-fixtures.h — one small trace of every format the readers know,
 * made by the real tool where one exists (python3 -m cProfile, perf record,
 * kernprof, pyrometer record and export).  Shared by the damaged-file test
 * and the leak test. */
#pragma once

#include <glib.h>

typedef struct {
  const char *name;     /* "perf-data", used in test paths */
  char *(*make) (void); /* path of a fresh file, or NULL when the tool is missing */
} CorpusFixture;

/* Every fixture, ending with { NULL, NULL }. */
extern const CorpusFixture corpus_fixtures[];
