/* cpython-stack-source.h — the CPython frame reader as the recorder's extra
 * stack source (see stack-source.h): Python stacks for python and mixed mode. */
#pragma once

#include "sampler/stack-source.h"

G_BEGIN_DECLS

/* A source that follows every CPython 3.11–3.13 process offered to it;
 * other processes are refused with G_IO_ERROR_NOT_SUPPORTED. */
PyroStackSource *pyro_cpython_stack_source_new (void);

G_END_DECLS
