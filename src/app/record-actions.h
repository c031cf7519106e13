/* record-actions.h — recording from a window.
 *
 * Actions, in the window's "record" group: record.new opens the Record
 * dialog (Ctrl+R), or stops the recording this window shows; record.dialog
 * always opens the Record dialog (the main menu); record.attach
 * opens the Attach to Process dialog (Ctrl+Shift+R); record.stop (Esc when
 * no view takes it, Ctrl+R) ends the recording.  A Record button goes to the
 * start of the header bar.  Both dialogs start through
 * pyro_record_actions_start(). */
#pragma once

#include "window.h"
#include "record-bar.h"
#include "recording.h"

G_BEGIN_DECLS

void           pyro_record_actions_attach (PyroWindow *window, AdwHeaderBar *header_bar,
                                           PyroRecordBar *bar);

/* Starts @request in @hint when that window shows nothing, else in a new
 * window, and shows the live view there.  Returns the recording (owned by
 * its window), or NULL with @error set when the recorder refused to start;
 * the error is then also shown on that window's error page. */
PyroRecording *pyro_record_actions_start (PyroWindow *hint, const PyroRecordingRequest *request,
                                          GError **error);
/* The recording @window shows while it runs or ends, else NULL. */
PyroRecording *pyro_record_actions_get_recording (PyroWindow *window);

G_END_DECLS
