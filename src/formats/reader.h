/* reader.h — the registry of trace readers and how a file is opened.
 *
 * Each reader sniffs by content first and by extension second, and loads a
 * profile from the whole mapped file.  Errors use PYRO_FORMAT_ERROR and name
 * the file, the byte offset and what was expected.
 */
#pragma once

#include <gio/gio.h>
#include "core/profile.h"

G_BEGIN_DECLS

#define PYRO_FORMAT_ERROR (pyro_format_error_quark ())
GQuark pyro_format_error_quark (void);

typedef enum {
  PYRO_FORMAT_ERROR_UNKNOWN_FORMAT,
  PYRO_FORMAT_ERROR_INVALID,
  PYRO_FORMAT_ERROR_TRUNCATED,
  PYRO_FORMAT_ERROR_UNSUPPORTED,
  PYRO_FORMAT_ERROR_EMPTY,
} PyroFormatError;

/* Progress in [0, 1]; may be called from a worker thread. */
typedef void (*PyroProgressFunc) (double fraction, gpointer user_data);

typedef struct {
  const char *path;          /* for messages */
  const guint8 *data;        /* whole file */
  gsize length;
  PyroProgressFunc progress; /* nullable */
  gpointer progress_data;
  GCancellable *cancellable; /* nullable */
} PyroLoadContext;

typedef enum {
  PYRO_SNIFF_NO = 0,
  PYRO_SNIFF_EXTENSION = 1,  /* the name fits, the content says nothing */
  PYRO_SNIFF_CONTENT = 2,    /* the content looks like this format */
  PYRO_SNIFF_MAGIC = 3,      /* magic bytes match */
} PyroSniff;

typedef struct {
  const char *id;                   /* "folded" */
  const char *name;                 /* "Folded stacks", for people: marked with N_(), shown with _() */
  const char *const *extensions;    /* without dot, NULL-terminated */
  const char *mime_type;
  PyroSniff (*sniff) (const guint8 *data, gsize length, const char *basename);
  PyroProfile *(*load) (const PyroLoadContext *ctx, GError **error);
} PyroFormatReader;

/* Every reader, NULL-terminated. */
const PyroFormatReader *const *pyro_format_readers (void);
const PyroFormatReader *pyro_format_reader_by_id (const char *id);
/* Best reader for @data, or NULL. */
const PyroFormatReader *pyro_format_sniff (const guint8 *data, gsize length, const char *path);

/* Maps @path, picks a reader and loads it; the result is finished. */
PyroProfile *pyro_format_load_file (const char *path, PyroProgressFunc progress,
                                    gpointer progress_data, GCancellable *cancellable,
                                    GError **error);

/* Sets @error to "PATH: byte OFFSET: MESSAGE". */
void pyro_format_set_error (GError **error, PyroFormatError code, const PyroLoadContext *ctx,
                            gsize offset, const char *format, ...) G_GNUC_PRINTF (5, 6);
/* Reports progress at most every 1/256 and checks for cancellation; FALSE (with
 * @error set) when cancelled. */
gboolean pyro_format_step (const PyroLoadContext *ctx, gsize offset, GError **error);

G_END_DECLS
