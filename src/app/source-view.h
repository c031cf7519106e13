/* source-view.h — the annotated source of the document's selected function:
 * its file, read-only, highlighted by GtkSourceView, with a gutter giving
 * every line's self and total cost (share of the selection and absolute)
 * over a heat bar.  The function's hottest line gets the cursor and a
 * "pyro-hot" mark; F7 / Shift+F7 walk the hot lines.
 *
 * The text is looked up at the recorded path (relative paths against the
 * trace's folder and the working directory), then through the path mappings
 * the "Locate Source…" button records for the trace (kept in GSettings when
 * the schema has "source-path-maps"), then in the copy a capture stores
 * (syscap-sources.h).  Without the text the view says so and lists the
 * costly lines by number.
 *
 * The costs are computed with the text, off the UI thread.  A large file
 * shows the screen around the hot line first and takes the lines above and
 * below it in the frames after (line_at_row maps rows to lines meanwhile),
 * so the first frame shows the hot line without laying out the whole file. */
#pragma once

#include <gtksourceview/gtksource.h>
#include "document.h"
#include "core/line-costs.h"

G_BEGIN_DECLS

#define PYRO_TYPE_SOURCE_VIEW (pyro_source_view_get_type ())
G_DECLARE_FINAL_TYPE (PyroSourceView, pyro_source_view, PYRO, SOURCE_VIEW, GtkWidget)

GtkWidget       *pyro_source_view_new (void);
void             pyro_source_view_set_document (PyroSourceView *self, PyroDocument *document);

/* Maps recorded paths starting with @from to @to for the current trace
 * (what "Locate Source…" does) and reloads. */
void             pyro_source_view_add_path_map (PyroSourceView *self, const char *from,
                                                const char *to);
/* Moves the cursor to the next (or previous) hot line; FALSE when none. */
gboolean         pyro_source_view_next_hot_line (PyroSourceView *self, gboolean backwards);

/* For tests. */
GtkSourceView   *pyro_source_view_get_view (PyroSourceView *self);
/* TRUE while the text is being read. */
gboolean         pyro_source_view_get_loading (PyroSourceView *self);
/* The file the profile names (NULL when none) and the local file read
 * (NULL when its text was not found; the capture when the text is the copy
 * stored in it). */
const char      *pyro_source_view_get_recorded_path (PyroSourceView *self);
const char      *pyro_source_view_get_local_path (PyroSourceView *self);
/* The four numbers the gutter shows at buffer line @row, tab-separated
 * (self share, self, total share, total; for line_profiler traces hits,
 * time in µs, time per hit in µs, share of the function's time); NULL
 * when the row has none. */
char            *pyro_source_view_dup_gutter_text (PyroSourceView *self, guint row);
/* TRUE when the text shown is the copy stored in the capture. */
gboolean         pyro_source_view_get_embedded (PyroSourceView *self);
/* The source line (1-based) that holds the cursor and the hot mark; 0 none. */
guint32          pyro_source_view_get_hot_line (PyroSourceView *self);
/* The source line shown at buffer line @row (0-based); 0 when none. */
guint32          pyro_source_view_line_at_row (PyroSourceView *self, guint row);
/* The costs the gutter shows; NULL when no file is shown. */
const PyroLineCosts *pyro_source_view_get_costs (PyroSourceView *self);

G_END_DECLS
