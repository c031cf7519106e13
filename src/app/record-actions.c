#include <glib/gi18n.h>

#include "record-actions.h"
#include "application.h"
#include "attach-dialog.h"
#include "record-dialog.h"

typedef struct {
  PyroWindow *window;      /* owns this */
  PyroRecordBar *bar;
  GtkWidget *button;       /* Record, or Stop while recording */
  GSimpleActionGroup *actions;
  PyroRecording *recording;
  gboolean close_when_finished;
} RecordActions;

static RecordActions *
lookup (PyroWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "pyro-record-actions");
}

static gboolean
recording_runs (RecordActions *self)
{
  return self->recording != NULL && pyro_recording_get_active (self->recording);
}

static void
update (RecordActions *self)
{
  gboolean running = recording_runs (self);
  gboolean can_stop = running && !pyro_recording_get_ending (self->recording);
  GAction *stop = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "stop");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop), can_stop);
  GAction *record = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "new");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (record), !running || can_stop);
  gtk_button_set_icon_name (GTK_BUTTON (self->button),
                            running ? "media-playback-stop-symbolic" : "media-record-symbolic");
  gtk_widget_set_tooltip_text (self->button, running ? _("Stop Recording (Ctrl+R)")
                                                     : _("Record a Program (Ctrl+R)"));
}

static void
toast (PyroWindow *window, const char *text)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  if (ADW_IS_TOAST_OVERLAY (content))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (content), adw_toast_new (text));
}

static gboolean
close_window (gpointer window)
{
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
recording_finished (PyroRecording *recording, RecordActions *self)
{
  if (self->close_when_finished)
    {
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_window, g_object_ref (self->window), g_object_unref);
      return;
    }
  const GError *error = pyro_recording_get_error (recording);
  if (error != NULL)
    pyro_window_show_error (self->window, _("The Recording Failed"), error->message);
  else
    {
      g_autofree char *name = g_path_get_basename (pyro_recording_get_output (recording));
      g_autofree char *text = g_strdup_printf (_("Recording saved as “%s”"), name);
      toast (self->window, text);
    }
  update (self);
}

static void
set_recording (RecordActions *self, PyroRecording *recording)
{
  if (self->recording != NULL)
    g_signal_handlers_disconnect_by_data (self->recording, self);
  g_set_object (&self->recording, recording);
  if (recording != NULL)
    {
      g_signal_connect_swapped (recording, "notify::active", G_CALLBACK (update), self);
      g_signal_connect_swapped (recording, "notify::ending", G_CALLBACK (update), self);
      g_signal_connect (recording, "finished", G_CALLBACK (recording_finished), self);
    }
  pyro_record_bar_set_recording (self->bar, recording);
  update (self);
}

PyroRecording *
pyro_record_actions_start (PyroWindow *hint, const PyroRecordingRequest *request, GError **error)
{
  g_return_val_if_fail (PYRO_IS_WINDOW (hint), NULL);
  PyroWindow *window = hint;
  RecordActions *self = lookup (hint);
  if (!pyro_window_is_reusable (hint) || (self != NULL && recording_runs (self)))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (hint));
      window = pyro_window_new (ADW_APPLICATION (app));
      self = lookup (window);
    }
  gtk_window_present (GTK_WINDOW (window));
  g_return_val_if_fail (self != NULL, NULL);

  g_autoptr (PyroRecording) recording = pyro_recording_new (pyro_window_get_document (window), request);
  g_autoptr (GError) local_error = NULL;
  if (!pyro_recording_start (recording, &local_error))
    {
      g_autofree char *title = g_strdup_printf (_("Could Not Record %s"), pyro_recording_get_title (recording));
      pyro_window_show_error (window, title, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  set_recording (self, recording);
  return recording;
}

PyroRecording *
pyro_record_actions_get_recording (PyroWindow *window)
{
  RecordActions *self = lookup (window);
  return self != NULL ? self->recording : NULL;
}

/* Actions */

static void
new_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RecordActions *self = user_data;
  if (recording_runs (self))
    pyro_recording_stop (self->recording);
  else
    pyro_record_dialog_present (self->window);
}

static void
dialog_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RecordActions *self = user_data;
  pyro_record_dialog_present (self->window);
}

static void
attach_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RecordActions *self = user_data;
  pyro_attach_dialog_present (self->window);
}

static void
stop_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RecordActions *self = user_data;
  if (self->recording != NULL)
    pyro_recording_stop (self->recording);
}

static const GActionEntry record_actions[] = {
  { .name = "new", .activate = new_action },
  { .name = "dialog", .activate = dialog_action },
  { .name = "attach", .activate = attach_action },
  { .name = "stop", .activate = stop_action },
};

/* Escape stops only when nothing focused took it (a zoomed flame graph
 * zooms out first). */
static gboolean
escape_pressed (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  RecordActions *self = lookup (PYRO_WINDOW (widget));
  if (self == NULL || !recording_runs (self) || pyro_recording_get_ending (self->recording))
    return FALSE;
  pyro_recording_stop (self->recording);
  return TRUE;
}

/* Closing the window (or quitting) while it records stops the recording;
 * the window stays, its bar showing the symbols being resolved, until the
 * capture is complete: one cut off here would lack its symbol table. */
static gboolean
close_requested (GtkWindow *window, RecordActions *self)
{
  if (!recording_runs (self))
    return FALSE;
  if (!self->close_when_finished)
    toast (self->window, _("The window closes once the recording is saved"));
  self->close_when_finished = TRUE;
  pyro_recording_stop (self->recording);
  return TRUE;
}

static void
record_actions_free (RecordActions *self)
{
  /* A closed window ends its recording; the capture is finished in the
   * background. */
  if (recording_runs (self))
    pyro_recording_stop (self->recording);
  if (self->recording != NULL)
    g_signal_handlers_disconnect_by_data (self->recording, self);
  g_clear_object (&self->recording);
  g_clear_object (&self->actions);
  g_free (self);
}

void
pyro_record_actions_attach (PyroWindow *window, AdwHeaderBar *header_bar, PyroRecordBar *bar)
{
  RecordActions *self = g_new0 (RecordActions, 1);
  self->window = window;
  self->bar = bar;
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), record_actions,
                                   G_N_ELEMENTS (record_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "record", G_ACTION_GROUP (self->actions));
  g_object_set_data_full (G_OBJECT (window), "pyro-record-actions", self,
                          (GDestroyNotify) record_actions_free);
  g_signal_connect (window, "close-request", G_CALLBACK (close_requested), self);

  self->button = gtk_button_new_from_icon_name ("media-record-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), "record.new");
  adw_header_bar_pack_start (header_bar, self->button);

  GtkEventController *keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_r, GDK_CONTROL_MASK),
                      gtk_named_action_new ("record.new")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("record.attach")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);

  GtkEventController *escape = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (escape, GTK_PHASE_BUBBLE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (escape),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (escape_pressed, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (window), escape);
  update (self);
}
