#include "syscap-writer.h"
#include "syscap-sources.h"
#include "syscap-symbols.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <sysprof-capture.h>

/* A capture frame's length is 16 bits: keep the innermost frames of deeper stacks. */
#define MAX_DEPTH 4000
#define PROPORTIONAL_SAMPLES 100000.0

typedef struct {
  SysprofCaptureWriter *writer;
  PyroProfile *profile;
  PyroSyscapSymbols *symbols;
  guint64 *frame_address;  /* per frame, 0 until mapped */
} Writer;

static guint64
frame_address (Writer *w, guint32 frame)
{
  if (w->frame_address[frame] != 0)
    return w->frame_address[frame];

  PyroProfile *p = w->profile;
  guint32 func = PYRO_COL (p->frame_func, guint32, frame);
  guint32 line = PYRO_COL (p->frame_line, guint32, frame);
  const char *name = pyro_profile_func_name (p, func);
  const char *file = pyro_profile_func_file (p, func);
  const char *module = pyro_profile_func_module (p, func);
  if (line == 0)
    line = pyro_profile_func_line (p, func);
  g_autofree char *shown = *file == '\0' ? g_strdup (name)
                           : line > 0     ? g_strdup_printf ("%s (%s:%u)", name, file, line)
                                          : g_strdup_printf ("%s (%s)", name, file);
  guint64 address = sysprof_capture_writer_add_jitmap (w->writer, shown);
  PyroSyscapSymbol sym = {
    .function = name,
    .file = *file ? file : NULL,
    .module = *module ? module : NULL,
    .line = line,
    .kind = pyro_profile_func_kind (p, func),
  };
  pyro_syscap_symbols_add (w->symbols, 0, address, &sym, 1);
  w->frame_address[frame] = address;
  return address;
}

static void
write_symbols (Writer *w, gint64 time)
{
  g_autoptr (GBytes) bytes = pyro_syscap_symbols_serialize (w->symbols);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const gsize chunk = 32 * 1024;
  for (gsize at = 0;; at += chunk)
    {
      gsize n = MIN (chunk, len - at);
      sysprof_capture_writer_add_file (w->writer, time, -1, -1, PYRO_SYSCAP_SYMBOLS_PATH,
                                       at + n >= len, data + at, n);
      if (at + n >= len)
        break;
    }
}

gboolean
pyro_syscap_write (PyroProfile *profile, const char *path, GError **error)
{
  Writer w = { 0 };
  w.writer = sysprof_capture_writer_new (path, 0);
  if (w.writer == NULL)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  w.profile = profile;
  w.symbols = pyro_syscap_symbols_new ();
  w.frame_address = g_new0 (guint64, pyro_profile_n_frames (profile) + 1);

  gint64 origin = SYSPROF_CAPTURE_CURRENT_TIME;
  double total = pyro_profile_total_weight (profile);
  gboolean counted = profile->meta.unit == PYRO_UNIT_SAMPLES;
  double quantum = counted || total <= 0 ? 1 : total / PROPORTIONAL_SAMPLES;

  for (guint t = 0; t < pyro_profile_n_threads (profile); t++)
    {
      const PyroThread *th = &g_array_index (profile->threads, PyroThread, t);
      const char *name = pyro_profile_str (profile, th->process_name);
      sysprof_capture_writer_add_process (w.writer, origin, -1, (int32_t) th->pid,
                                          *name ? name : pyro_profile_str (profile, th->name));
    }

  g_autofree SysprofCaptureAddress *addrs = g_new (SysprofCaptureAddress, MAX_DEPTH);
  gint64 clock = origin;
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    {
      guint32 stack = PYRO_COL (profile->sample_stack, guint32, i);
      double weight = PYRO_COL (profile->sample_weight, double, i);
      guint repeat = (guint) MIN (round (weight / quantum), (double) G_MAXUINT32);
      if (stack == PYRO_NONE || repeat == 0)
        continue;
      guint n = 0;
      for (guint32 s = stack; s != PYRO_NONE && n < MAX_DEPTH; s = PYRO_COL (profile->stack_parent, guint32, s))
        addrs[n++] = frame_address (&w, PYRO_COL (profile->stack_frame, guint32, s));
      guint32 thread = PYRO_COL (profile->sample_thread, guint32, i);
      const PyroThread *th = thread < pyro_profile_n_threads (profile)
                               ? &g_array_index (profile->threads, PyroThread, thread) : NULL;
      for (guint r = 0; r < repeat; r++)
        {
          /* without recorded times, samples are spread 1 ms apart */
          gint64 time = profile->meta.has_time ? PYRO_COL (profile->sample_time, gint64, i) : clock;
          sysprof_capture_writer_add_sample (w.writer, time, -1,
                                             th ? (int32_t) th->pid : 0, th ? (int32_t) th->tid : 0,
                                             addrs, n);
          clock += 1000000;
        }
    }

  for (guint i = 0; i < profile->marks->len; i++)
    {
      const PyroMark *m = &g_array_index (profile->marks, PyroMark, i);
      sysprof_capture_writer_add_mark (w.writer, m->start, -1, -1, (guint64) MAX (0, m->end - m->start),
                                       "pyrometer", pyro_profile_str (profile, m->name), "");
    }

  write_symbols (&w, clock);
  pyro_syscap_sources_write (w.writer, clock, w.symbols);
  gboolean ok = sysprof_capture_writer_flush (w.writer);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("%s: could not write the capture"), path);
  sysprof_capture_writer_unref (w.writer);
  pyro_syscap_symbols_free (w.symbols);
  g_free (w.frame_address);
  return ok;
}
