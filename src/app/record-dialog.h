/* record-dialog.h — "Record a Program" (Ctrl+R): the command line (a file
 * chooser for the program), its working folder, the rate, which stacks,
 * the call-graph walk and an optional duration.  Record starts the
 * recording through pyro_record_actions_start() with the default capture
 * name, in the working folder when it is writable, else in the cache folder;
 * the dialog says which.  The last choices are kept in GSettings when the
 * schema is installed. */
#pragma once

#include <adwaita.h>
#include "window.h"
#include "recording.h"

G_BEGIN_DECLS

#define PYRO_TYPE_RECORD_DIALOG (pyro_record_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PyroRecordDialog, pyro_record_dialog, PYRO, RECORD_DIALOG, AdwWindow)

/* Shows the dialog for @window (one at a time per window). */
PyroRecordDialog *pyro_record_dialog_present (PyroWindow *window);

/* For tests: fill the fields, read what Record would start. */
void     pyro_record_dialog_set_command (PyroRecordDialog *self, const char *command);
void     pyro_record_dialog_set_directory (PyroRecordDialog *self, const char *directory);
/* The request from the fields, or FALSE with @error naming what is wrong.
 * Free the strings with pyro_record_dialog_request_clear(). */
gboolean pyro_record_dialog_get_request (PyroRecordDialog *self, PyroRecordingRequest *request,
                                         GError **error);
void     pyro_record_dialog_request_clear (PyroRecordingRequest *request);
/* What the Saved In row says. */
const char *pyro_record_dialog_get_output_text (PyroRecordDialog *self);
/* Does what the Record button does; returns the recording or NULL. */
PyroRecording *pyro_record_dialog_record (PyroRecordDialog *self);

G_END_DECLS
