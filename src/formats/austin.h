/* austin.h — Austin's text output: `# key: value` metadata, then one line
 * per sample `P<pid>;T<iid>:<tid>;<file>:<func>:<line>;... METRIC`, root
 * frame first.  The metric is µs in wall and cpu mode, signed bytes in
 * memory mode and `time,idle,memory` in full mode. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_austin_reader;

G_END_DECLS
