/* perf-data.h — `perf record` files (perf.data, file and pipe mode). */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_perf_data_reader;

G_END_DECLS
