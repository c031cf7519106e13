/* syscap-sources.h — source files stored inside a Sysprof capture, so that
 * the annotated source of a recording opens on a machine without them.
 *
 * They sit next to the symbol table (syscap-symbols.h), written at the end
 * of a recording: each file as FILE_CHUNK frames, the frames Sysprof itself
 * embeds files with (it lists them and otherwise skips them), named
 * PYRO_SYSCAP_SOURCE_PREFIX followed by the path the profile names the file
 * by ("/.pyrometer/source/home/me/prog.c"; a relative path gets a "/"
 * between).  The chunks of one file follow each other, the last one marked
 * last.  The stored files are those the symbol table names with a line
 * number, those of the most frames first, each read whole: at most
 * PYRO_SYSCAP_SOURCE_MAX_FILE bytes a file and PYRO_SYSCAP_SOURCE_MAX_TOTAL
 * in all; files that cannot be read, are larger, or whose path does not
 * fit a frame's 256-byte name are left out.
 */
#pragma once

#include <gio/gio.h>
#include <sysprof-capture.h>
#include "syscap-symbols.h"

G_BEGIN_DECLS

#define PYRO_SYSCAP_SOURCE_PREFIX "/.pyrometer/source"
#define PYRO_SYSCAP_SOURCE_MAX_FILE (1024 * 1024)
#define PYRO_SYSCAP_SOURCE_MAX_TOTAL (16 * 1024 * 1024)

/* Stores the sources of the files @symbols names (relative paths are read
 * from the current directory).  Returns how many files went in. */
guint pyro_syscap_sources_write (SysprofCaptureWriter *writer, gint64 time, PyroSyscapSymbols *symbols);

/* The text of @file as stored in the capture at @capture_path, or NULL
 * when the capture holds no copy of it (@error is set only when the capture
 * cannot be read).  Caller owns the text; @length gets its size. */
char *pyro_syscap_sources_read (const char *capture_path, const char *file, gsize *length,
                                GCancellable *cancellable, GError **error);

G_END_DECLS
