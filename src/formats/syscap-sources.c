#include "syscap-sources.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define CHUNK (32 * 1024)

/* The frame name of @file, NULL when it does not fit. */
static char *
chunk_name (const char *file)
{
  char *name = g_strconcat (PYRO_SYSCAP_SOURCE_PREFIX, file[0] == '/' ? "" : "/", file, NULL);
  if (strlen (name) >= sizeof ((SysprofCaptureFileChunk *) NULL)->path)
    g_clear_pointer (&name, g_free);
  return name;
}

guint
pyro_syscap_sources_write (SysprofCaptureWriter *writer, gint64 time, PyroSyscapSymbols *symbols)
{
  g_autoptr (GPtrArray) files = pyro_syscap_symbols_source_files (symbols);
  gsize total = 0;
  guint stored = 0;
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *name = chunk_name (file);
      GStatBuf st;
      if (name == NULL || g_stat (file, &st) != 0 || !S_ISREG (st.st_mode)
          || st.st_size > PYRO_SYSCAP_SOURCE_MAX_FILE || total + (gsize) st.st_size > PYRO_SYSCAP_SOURCE_MAX_TOTAL)
        continue;
      g_autofree char *text = NULL;
      gsize length;
      if (!g_file_get_contents (file, &text, &length, NULL) || length > PYRO_SYSCAP_SOURCE_MAX_FILE
          || total + length > PYRO_SYSCAP_SOURCE_MAX_TOTAL)
        continue;
      for (gsize at = 0;; at += CHUNK)
        {
          gsize n = MIN (CHUNK, length - at);
          sysprof_capture_writer_add_file (writer, time, -1, -1, name, at + n >= length,
                                           (const guint8 *) text + at, n);
          if (at + n >= length)
            break;
        }
      total += length;
      stored++;
    }
  return stored;
}

char *
pyro_syscap_sources_read (const char *capture_path, const char *file, gsize *length,
                          GCancellable *cancellable, GError **error)
{
  g_autofree char *name = chunk_name (file);
  *length = 0;
  if (name == NULL)
    return NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (capture_path, FALSE, error);
  if (mapped == NULL)
    return NULL;
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (mapped);
  gsize size = g_mapped_file_get_length (mapped);
  const SysprofCaptureFileHeader *header = (const SysprofCaptureFileHeader *) data;
  if (size < sizeof *header || header->magic != SYSPROF_CAPTURE_MAGIC || !header->little_endian)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("%s: expected a little-endian Sysprof capture"), capture_path);
      return NULL;
    }

  g_autoptr (GByteArray) text = NULL;
  gsize offset = sizeof *header;
  SysprofCaptureFileChunk chunk;
  for (guint frames = 0; size - offset >= sizeof chunk.frame; frames++)
    {
      if ((frames & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      memcpy (&chunk.frame, data + offset, sizeof chunk.frame);
      /* a damaged or cut frame ends the walk: what was read so far stands */
      if (chunk.frame.len < sizeof chunk.frame || chunk.frame.len > size - offset)
        break;
      if (chunk.frame.type == SYSPROF_CAPTURE_FRAME_FILE_CHUNK && chunk.frame.len >= sizeof chunk)
        {
          memcpy (&chunk, data + offset, sizeof chunk);
          if (strncmp (chunk.path, name, sizeof chunk.path) == 0 && chunk.len <= chunk.frame.len - sizeof chunk)
            {
              if (text == NULL)
                text = g_byte_array_new ();
              g_byte_array_append (text, data + offset + sizeof chunk, chunk.len);
              if (chunk.is_last)
                break;
            }
        }
      offset += chunk.frame.len;
    }
  if (text == NULL)
    return NULL;
  *length = text->len;
  g_byte_array_append (text, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&text), FALSE);
}
