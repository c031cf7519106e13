/* mprof.h — memory_profiler's `mprof run` output (mprofile_*.dat): MEM lines
 * become the RSS counter, CHLD lines one counter per child process, FUNC
 * lines marks (the function's span) and samples weighted by the memory the
 * call grew, nested by their stack level, so that the function table lists
 * functions with their growth.  CMDLINE is the command line. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_mprof_reader;

G_END_DECLS
