/* chrome-trace.h — Chrome's trace-event JSON (as py-spy --format chrometrace
 * and many tracers write it): a bare array of events or {"traceEvents": [...]}.
 * Duration events (`B`/`E` pairs and complete `X` events) nest per pid/tid;
 * the time between two events is charged to the stack that was open. */
#pragma once

#include "reader.h"

G_BEGIN_DECLS

extern const PyroFormatReader pyro_chrome_trace_reader;

G_END_DECLS
