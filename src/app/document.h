/* document.h — one opened profile and everything the views of a window share:
 * the selection (with undo), the call trees derived from it off the UI
 * thread, and the selected function that every view follows. */
#pragma once

#include <gio/gio.h>
#include "core/profile.h"
#include "core/selection.h"
#include "core/call-tree.h"
#include "core/function-table.h"

G_BEGIN_DECLS

typedef enum {
  PYRO_DOCUMENT_EMPTY,
  PYRO_DOCUMENT_LOADING,
  PYRO_DOCUMENT_READY,
  PYRO_DOCUMENT_FAILED,
} PyroDocumentState;

#define PYRO_TYPE_DOCUMENT (pyro_document_get_type ())
G_DECLARE_FINAL_TYPE (PyroDocument, pyro_document, PYRO, DOCUMENT, GObject)

PyroDocument     *pyro_document_new (void);

/* Loads @file in a worker thread; the state goes LOADING, then READY or FAILED
 * (or back to EMPTY when cancelled). */
void              pyro_document_load (PyroDocument *self, GFile *file);
/* Loads the perf.data @file with @event weighing every view (see
 * pyro_perf_data_load()), as pyro_document_load() does. */
void              pyro_document_load_event (PyroDocument *self, GFile *file, const char *event);
void              pyro_document_cancel (PyroDocument *self);
/* Reads @file again in a worker thread and swaps the new profile and its
 * trees in together, without passing through LOADING: for a file that grows
 * while it is shown (a live recording).  When @file is the file already
 * shown (READY), the selection, its undo history and the selected function
 * are kept, and "profile-replaced" is emitted before "trees-changed"; else
 * they start afresh and the state becomes READY.  The native symbols one
 * read resolves are kept for the next read of the same file, which resolves
 * only addresses not seen before; loading another file drops them.  Fails
 * with G_IO_ERROR_CANCELLED when another load or a newer reload took over. */
void              pyro_document_reload_async (PyroDocument *self, GFile *file,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean          pyro_document_reload_finish (PyroDocument *self, GAsyncResult *result,
                                               GError **error);

PyroDocumentState pyro_document_get_state (PyroDocument *self);
GFile            *pyro_document_get_file (PyroDocument *self);
/* File name for titles; "" when no file. */
const char       *pyro_document_get_display_name (PyroDocument *self);
double            pyro_document_get_progress (PyroDocument *self);
/* The reader's message when FAILED, else NULL. */
const char       *pyro_document_get_error_message (PyroDocument *self);

/* Valid once READY; owned by the document. */
PyroProfile      *pyro_document_get_profile (PyroDocument *self);
const PyroSelection *pyro_document_get_selection (PyroDocument *self);
/* The tree the flame views show (bottom-up when inverted), the top-down tree
 * and the function table; replaced together, then "trees-changed" is emitted.
 * NULL until the first computation finishes. */
const PyroCallTree *pyro_document_get_tree (PyroDocument *self);
const PyroCallTree *pyro_document_get_top_down (PyroDocument *self);
const PyroFunctionTable *pyro_document_get_function_table (PyroDocument *self);
/* TRUE while trees are being recomputed. */
gboolean          pyro_document_get_busy (PyroDocument *self);

void              pyro_document_push_transform (PyroDocument *self, PyroTransformKind kind,
                                                guint32 func);
/* Restricts every view to the samples in [@start, @end) (ns); undoable. */
void              pyro_document_set_range (PyroDocument *self, gint64 start, gint64 end);
/* Shows the whole time again; undoable. */
void              pyro_document_clear_range (PyroDocument *self);
void              pyro_document_set_inverted (PyroDocument *self, gboolean inverted);
gboolean          pyro_document_get_inverted (PyroDocument *self);
/* Weigh every view by the memory growth charged to samples instead of the
 * trace's own unit; only for traces that carry it. */
void              pyro_document_set_memory_growth (PyroDocument *self, gboolean memory_growth);
gboolean          pyro_document_get_memory_growth (PyroDocument *self);
gboolean          pyro_document_has_memory_growth (PyroDocument *self);
/* Count the samples of threads that were not running (hidden by default);
 * undoable.  Only traces that carry thread state have such samples. */
void              pyro_document_set_show_idle (PyroDocument *self, gboolean show_idle);
gboolean          pyro_document_get_show_idle (PyroDocument *self);
gboolean          pyro_document_has_thread_state (PyroDocument *self);
/* Undoes the last change of the selection; FALSE when there is none. */
gboolean          pyro_document_undo (PyroDocument *self);
gboolean          pyro_document_get_can_undo (PyroDocument *self);

guint32           pyro_document_get_selected_func (PyroDocument *self);
void              pyro_document_set_selected_func (PyroDocument *self, guint32 func);

G_END_DECLS
