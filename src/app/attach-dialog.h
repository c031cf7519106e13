/* attach-dialog.h — "Attach to a Process" (Ctrl+Shift+R): a searchable
 * list of the running processes (PID, user, CPU use, command line; Python
 * interpreters marked), refreshed every 2 s with the user's own processes
 * first.  Attach records the selected process with the Record dialog's
 * rate, stacks and call-graph choices, into the cache folder. */
#pragma once

#include <adwaita.h>
#include "window.h"
#include "process-list.h"
#include "recording.h"

G_BEGIN_DECLS

#define PYRO_TYPE_ATTACH_DIALOG (pyro_attach_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PyroAttachDialog, pyro_attach_dialog, PYRO, ATTACH_DIALOG, AdwWindow)

/* Shows the dialog for @window (one at a time per window). */
PyroAttachDialog *pyro_attach_dialog_present (PyroWindow *window);

PyroProcessList  *pyro_attach_dialog_get_processes (PyroAttachDialog *self);
/* The processes shown under the search text, in order. */
GListModel       *pyro_attach_dialog_get_shown (PyroAttachDialog *self);
void              pyro_attach_dialog_set_search (PyroAttachDialog *self, const char *text);
/* Selects @pid when it is shown; FALSE otherwise. */
gboolean          pyro_attach_dialog_select (PyroAttachDialog *self, guint32 pid);
/* Does what the Attach button does; returns the recording or NULL. */
PyroRecording    *pyro_attach_dialog_attach (PyroAttachDialog *self);

G_END_DECLS
