/* syscap-symbols.h — the symbol table Pyrometer stores inside its Sysprof
 * captures, so that a recording opens fully on a machine without the binaries.
 *
 * It travels as FILE_CHUNK frames named PYRO_SYSCAP_SYMBOLS_PATH (Sysprof
 * lists it as an embedded file and otherwise ignores it).  The content is
 * UTF-8 text, one record a line:
 *
 *   pyrometer-symbols 1
 *   s TEXT                           a string; ids count from 0 in order
 *   a PID ADDRESS N                  N frames follow for this address
 *   f KIND INLINED LINE FUNC FILE MODULE [FUNCLINE]
 *
 * ADDRESS is hexadecimal and is the *lookup* address: a sample's leaf address
 * as written, and every other (return) address minus one, so that a return
 * address resolves to its call instruction.  PID is 0 for addresses that mean
 * the same in every process (JITMAP addresses of Python frames).  The frames
 * of an address go innermost (inlined) first.  KIND is n, p, k or o (native,
 * python, kernel, other), INLINED 0 or 1, LINE 0 when unknown, FUNC, FILE and
 * MODULE string ids or - for none, FUNCLINE the function's first line when
 * known (absent in older captures).
 */
#pragma once

#include <glib.h>
#include "core/profile.h"

G_BEGIN_DECLS

#define PYRO_SYSCAP_SYMBOLS_PATH "/.pyrometer/symbols"

/* The state of each thread of a Python recording travels as 0/1 step
 * counters (a value is written when it changes, just before the sample that
 * sees it) of this category, named "Running TID" and "GIL TID": Sysprof draws
 * them, the reader turns them into each sample's PyroSampleFlags.  Mixed
 * recordings carry only the GIL ones (a native sample always ran). */
#define PYRO_SYSCAP_THREAD_STATE_CATEGORY "Python thread state"
#define PYRO_SYSCAP_RUNNING_PREFIX "Running "
#define PYRO_SYSCAP_GIL_PREFIX "GIL "

typedef struct {
  const char *function;
  const char *file;     /* nullable */
  const char *module;   /* nullable */
  guint32 line;
  gboolean inlined;
  PyroFuncKind kind;
  guint32 function_line;  /* first line of the function, 0 unknown */
} PyroSyscapSymbol;

typedef struct _PyroSyscapSymbols PyroSyscapSymbols;

PyroSyscapSymbols *pyro_syscap_symbols_new (void);
void pyro_syscap_symbols_free (PyroSyscapSymbols *self);

/* Records the frames of lookup address @address in @pid (strings are copied). */
void pyro_syscap_symbols_add (PyroSyscapSymbols *self, guint32 pid, guint64 address,
                              const PyroSyscapSymbol *frames, guint n_frames);
guint pyro_syscap_symbols_size (PyroSyscapSymbols *self);

GBytes *pyro_syscap_symbols_serialize (PyroSyscapSymbols *self);
/* Parses a table; a table cut short keeps the addresses it holds in full. */
PyroSyscapSymbols *pyro_syscap_symbols_parse (const char *text, gsize length, GError **error);

/* The files the table's frames name with a line number, those named by the
 * most frames first: the sources worth storing with the capture.  Caller
 * owns the array; the strings stay valid for the table's life. */
GPtrArray *pyro_syscap_symbols_source_files (PyroSyscapSymbols *self);

/* Frames of @address in @pid (or in pid 0); NULL when absent.  The frames
 * stay valid for the table's life. */
const PyroSyscapSymbol *pyro_syscap_symbols_lookup (PyroSyscapSymbols *self, guint32 pid,
                                                    guint64 address, guint *n_frames);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroSyscapSymbols, pyro_syscap_symbols_free)

G_END_DECLS
