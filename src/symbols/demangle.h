/* demangle.h — C++ (Itanium) and Rust symbol names made readable. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Demangled form of @name, or NULL when @name is not mangled.  Free with g_free. */
char *pyro_demangle (const char *name);

G_END_DECLS
