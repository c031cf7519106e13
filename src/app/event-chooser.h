/* event-chooser.h — picks the event of a perf.data recording that weighs
 * every view (cycles, page faults, …), for recordings of several events.
 * Hidden for every other trace. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"

G_BEGIN_DECLS

#define PYRO_TYPE_EVENT_CHOOSER (pyro_event_chooser_get_type ())
G_DECLARE_FINAL_TYPE (PyroEventChooser, pyro_event_chooser, PYRO, EVENT_CHOOSER, GtkWidget)

GtkWidget *pyro_event_chooser_new (void);
/* Follows @document: shows the events of each profile it loads, and reloads
 * the file weighed by the event chosen. */
void       pyro_event_chooser_set_document (PyroEventChooser *self, PyroDocument *document);

G_END_DECLS
