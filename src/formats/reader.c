#include "reader.h"
#include "folded.h"
#include "perf-data.h"
#include "speedscope.h"
#include "austin.h"
#include "chrome-trace.h"
#include "mprof.h"
#include "lprof.h"
#include "pstats.h"
#include "syscap.h"

#include <string.h>
#include <sys/mman.h>
#include <glib/gi18n.h>

G_DEFINE_QUARK (pyro-format-error-quark, pyro_format_error)

/* Content sniffers run in this order; the best score wins, earlier on ties. */
static const PyroFormatReader *const readers[] = {
  &pyro_folded_reader,
  &pyro_perf_data_reader,
  &pyro_speedscope_reader,
  &pyro_austin_reader,
  &pyro_chrome_trace_reader,
  &pyro_mprof_reader,
  &pyro_lprof_reader,
  &pyro_pstats_reader,
  &pyro_syscap_reader,
  NULL,
};

const PyroFormatReader *const *
pyro_format_readers (void)
{
  return readers;
}

const PyroFormatReader *
pyro_format_reader_by_id (const char *id)
{
  for (guint i = 0; readers[i] != NULL; i++)
    if (g_strcmp0 (readers[i]->id, id) == 0)
      return readers[i];
  return NULL;
}

static gboolean
has_extension (const PyroFormatReader *reader, const char *basename)
{
  const char *dot = strrchr (basename, '.');
  if (dot == NULL || reader->extensions == NULL)
    return FALSE;
  for (guint i = 0; reader->extensions[i] != NULL; i++)
    if (g_ascii_strcasecmp (dot + 1, reader->extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

const PyroFormatReader *
pyro_format_sniff (const guint8 *data, gsize length, const char *path)
{
  g_autofree char *basename = g_path_get_basename (path != NULL ? path : "");
  const PyroFormatReader *best = NULL;
  int best_score = PYRO_SNIFF_NO;

  for (guint i = 0; readers[i] != NULL; i++)
    {
      int score = readers[i]->sniff != NULL ? readers[i]->sniff (data, length, basename) : 0;
      if (score < PYRO_SNIFF_EXTENSION && has_extension (readers[i], basename))
        score = PYRO_SNIFF_EXTENSION;
      if (score > best_score)
        {
          best = readers[i];
          best_score = score;
        }
    }
  return best;
}

static GString *
list_reader_names (void)
{
  GString *names = g_string_new (NULL);
  for (guint i = 0; readers[i] != NULL; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", _(readers[i]->name));
  return names;
}

PyroProfile *
pyro_format_load_file (const char *path, PyroProgressFunc progress, gpointer progress_data,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local->code, "%s", local->message);
      return NULL;
    }

  gsize length = g_mapped_file_get_length (mapped);
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (mapped);
  if (length == 0)
    {
      g_set_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_EMPTY,
                   _("%s: the file is empty; expected a profile"), path);
      return NULL;
    }
  madvise ((void *) data, length, MADV_SEQUENTIAL);

  const PyroFormatReader *reader = pyro_format_sniff (data, length, path);
  if (reader == NULL)
    {
      g_autoptr (GString) names = list_reader_names ();
      g_set_error (error, PYRO_FORMAT_ERROR, PYRO_FORMAT_ERROR_UNKNOWN_FORMAT,
                   _("%s: byte 0: not a format Pyrometer reads (expected one of: %s)"),
                   path, names->str);
      return NULL;
    }

  PyroLoadContext ctx = {
    .path = path,
    .data = data,
    .length = length,
    .progress = progress,
    .progress_data = progress_data,
    .cancellable = cancellable,
  };
  PyroProfile *profile = reader->load (&ctx, error);
  if (profile == NULL)
    return NULL;
  pyro_profile_finish (profile);
  if (progress != NULL)
    progress (1.0, progress_data);
  return profile;
}

void
pyro_format_set_error (GError **error, PyroFormatError code, const PyroLoadContext *ctx,
                       gsize offset, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PYRO_FORMAT_ERROR, code, _("%s: byte %zu: %s"),
               ctx->path, offset, message);
}

gboolean
pyro_format_step (const PyroLoadContext *ctx, gsize offset, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return FALSE;
  if (ctx->progress != NULL && ctx->length > 0)
    ctx->progress ((double) offset / (double) ctx->length, ctx->progress_data);
  return TRUE;
}
