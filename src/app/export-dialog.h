/* export-dialog.h — "Export View…" (Ctrl+E): the view the window shows, at
 * its zoom and under the document's selection, to PNG (1× or 2×), SVG or PDF,
 * under a title line naming the program, the date and the selection.  Views
 * the exporter does not paint (the function table) export as the flame
 * graph.  Action: export.show, in the window's "export" group. */
#pragma once

#include "window.h"

G_BEGIN_DECLS

void      pyro_export_dialog_attach (PyroWindow *window);

/* The view pyro_export_dialog_export() paints for @window ("flame", …). */
const char *pyro_export_dialog_view (PyroWindow *window);
/* The title line: "fib_slow.py · 21 Nov 2026 09:02 · zoomed on fib · …".
 * Caller frees. */
char     *pyro_export_dialog_title (PyroWindow *window);
/* Exports what @window shows to @path (the extension picks the format) at
 * @scale (1 or 2, PNG only). */
gboolean  pyro_export_dialog_export (PyroWindow *window, const char *path, double scale,
                                     GError **error);

G_END_DECLS
