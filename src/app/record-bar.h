/* record-bar.h — the bar under the header while a recording runs in the
 * window: what is recorded, the elapsed time, samples, lost samples and RSS
 * (updated at every flush), and a Stop button (record.stop). */
#pragma once

#include <gtk/gtk.h>
#include "recording.h"

G_BEGIN_DECLS

#define PYRO_TYPE_RECORD_BAR (pyro_record_bar_get_type ())
G_DECLARE_FINAL_TYPE (PyroRecordBar, pyro_record_bar, PYRO, RECORD_BAR, GtkWidget)

GtkWidget  *pyro_record_bar_new (void);
/* Shows @recording while it is active; NULL hides the bar. */
void        pyro_record_bar_set_recording (PyroRecordBar *self, PyroRecording *recording);
/* The status line: "12.0 s · 11,804 samples · 0 lost · RSS 4.2 MB". */
const char *pyro_record_bar_get_status (PyroRecordBar *self);

G_END_DECLS
