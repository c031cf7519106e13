#include <glib/gi18n.h>

#include "event-chooser.h"
#include "formats/perf-data.h"

struct _PyroEventChooser
{
  GtkWidget parent_instance;

  GtkWidget *drop_down;
  GtkStringList *events;
  PyroDocument *document;
};

G_DEFINE_FINAL_TYPE (PyroEventChooser, pyro_event_chooser, GTK_TYPE_WIDGET)

static void
selected_changed (PyroEventChooser *self)
{
  guint index = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->drop_down));
  const char *event = gtk_string_list_get_string (self->events, index);
  if (self->document == NULL || event == NULL
      || pyro_document_get_state (self->document) != PYRO_DOCUMENT_READY)
    return;
  PyroProfile *profile = pyro_document_get_profile (self->document);
  if (g_strcmp0 (profile->meta.event, event) == 0)
    return;
  pyro_document_load_event (self->document, pyro_document_get_file (self->document), event);
}

static void
state_changed (PyroEventChooser *self)
{
  PyroProfile *profile = pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY
                         ? pyro_document_get_profile (self->document) : NULL;
  g_auto (GStrv) events = profile != NULL ? pyro_perf_data_events (profile) : NULL;
  guint n = events != NULL ? g_strv_length (events) : 0;
  if (n < 2)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  g_signal_handlers_block_by_func (self->drop_down, selected_changed, self);
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  gtk_string_list_splice (self->events, 0, old, (const char *const *) events);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (events[i], profile->meta.event))
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->drop_down), i);
  g_signal_handlers_unblock_by_func (self->drop_down, selected_changed, self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

void
pyro_event_chooser_set_document (PyroEventChooser *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_EVENT_CHOOSER (self));
  g_return_if_fail (PYRO_IS_DOCUMENT (document));
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  g_signal_connect_swapped (document, "notify::state", G_CALLBACK (state_changed), self);
  state_changed (self);
}

GtkWidget *
pyro_event_chooser_new (void)
{
  return g_object_new (PYRO_TYPE_EVENT_CHOOSER, NULL);
}

static void
pyro_event_chooser_dispose (GObject *object)
{
  PyroEventChooser *self = PYRO_EVENT_CHOOSER (object);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->drop_down, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_event_chooser_parent_class)->dispose (object);
}

static void
pyro_event_chooser_class_init (PyroEventChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pyro_event_chooser_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "eventchooser");
}

static void
pyro_event_chooser_init (PyroEventChooser *self)
{
  self->events = gtk_string_list_new (NULL);
  /* The drop-down owns the model; self->events stays valid as long. */
  self->drop_down = gtk_drop_down_new (G_LIST_MODEL (self->events), NULL);
  gtk_widget_set_tooltip_text (self->drop_down, _("Event That Weighs Every View"));
  gtk_widget_set_parent (self->drop_down, GTK_WIDGET (self));
  g_signal_connect_swapped (self->drop_down, "notify::selected", G_CALLBACK (selected_changed), self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
