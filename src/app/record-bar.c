#include <glib/gi18n.h>

#include "record-bar.h"

struct _PyroRecordBar
{
  GtkWidget parent_instance;

  GtkWidget *revealer;
  GtkWidget *title_label;
  GtkWidget *status_label;
  GtkWidget *spinner;
  GtkWidget *stop_button;

  PyroRecording *recording;
};

G_DEFINE_FINAL_TYPE (PyroRecordBar, pyro_record_bar, GTK_TYPE_WIDGET)

/* "12,345": digits grouped as the locale does. */
static char *
format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

static void
update (PyroRecordBar *self)
{
  if (self->recording == NULL)
    {
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
      return;
    }
  gboolean active = pyro_recording_get_active (self->recording);
  gboolean ending = pyro_recording_get_ending (self->recording);
  g_autofree char *title = ending ? g_strdup (_("Resolving the symbols of the recording…"))
                                  : g_strdup_printf (_("Recording %s"), pyro_recording_get_title (self->recording));
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_widget_set_sensitive (self->stop_button, active && !ending);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), ending);
  gtk_widget_set_visible (self->spinner, ending);
  PyroRecordingStatus p;
  pyro_recording_get_status (self->recording, &p);
  g_autofree char *elapsed = g_strdup_printf (_("%.1f s"), p.elapsed);
  g_autofree char *samples = format_count (p.samples);
  g_autofree char *lost = format_count (p.lost);
  g_autofree char *rss = p.rss > 0 ? g_format_size ((guint64) p.rss) : g_strdup ("–");
  /* Translators: elapsed time, samples, lost samples, resident memory */
  g_autofree char *status = g_strdup_printf (_("%s · %s samples · %s lost · RSS %s"), elapsed,
                                             samples, lost, rss);
  gtk_label_set_text (GTK_LABEL (self->status_label), status);
  if (p.lost > 0)
    gtk_widget_add_css_class (self->status_label, "warning");
  else
    gtk_widget_remove_css_class (self->status_label, "warning");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), active);
}

void
pyro_record_bar_set_recording (PyroRecordBar *self, PyroRecording *recording)
{
  g_return_if_fail (PYRO_IS_RECORD_BAR (self));
  if (self->recording != NULL)
    g_signal_handlers_disconnect_by_data (self->recording, self);
  g_set_object (&self->recording, recording);
  if (recording != NULL)
    {
      gtk_widget_set_tooltip_text (self->title_label, pyro_recording_get_output (recording));
      g_signal_connect_swapped (recording, "progress", G_CALLBACK (update), self);
      g_signal_connect_swapped (recording, "notify::active", G_CALLBACK (update), self);
      g_signal_connect_swapped (recording, "notify::ending", G_CALLBACK (update), self);
    }
  update (self);
}

const char *
pyro_record_bar_get_status (PyroRecordBar *self)
{
  g_return_val_if_fail (PYRO_IS_RECORD_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

GtkWidget *
pyro_record_bar_new (void)
{
  return g_object_new (PYRO_TYPE_RECORD_BAR, NULL);
}

static void
pyro_record_bar_dispose (GObject *object)
{
  PyroRecordBar *self = PYRO_RECORD_BAR (object);
  if (self->recording != NULL)
    g_signal_handlers_disconnect_by_data (self->recording, self);
  g_clear_object (&self->recording);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_record_bar_parent_class)->dispose (object);
}

static void
pyro_record_bar_class_init (PyroRecordBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = pyro_record_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "recordbar");
}

static void
pyro_record_bar_init (PyroRecordBar *self)
{
  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "record-box");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);

  GtkWidget *dot = gtk_image_new_from_icon_name ("media-record-symbolic");
  gtk_widget_add_css_class (dot, "record-dot");
  gtk_box_append (GTK_BOX (box), dot);

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_box_append (GTK_BOX (box), self->title_label);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (GTK_BOX (box), self->spinner);

  self->status_label = gtk_label_new (NULL);
  gtk_widget_set_hexpand (self->status_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 1);
  gtk_widget_add_css_class (self->status_label, "numeric");
  gtk_box_append (GTK_BOX (box), self->status_label);

  self->stop_button = gtk_button_new_with_mnemonic (_("_Stop"));
  gtk_widget_set_tooltip_text (self->stop_button, _("Stop Recording and Show the Result (Esc or Ctrl+R)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->stop_button), "record.stop");
  gtk_widget_add_css_class (self->stop_button, "destructive-action");
  gtk_widget_set_valign (self->stop_button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), self->stop_button);
}
