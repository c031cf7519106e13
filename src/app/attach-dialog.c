#include <glib/gi18n.h>
#include <string.h>

#include "attach-dialog.h"
#include "application.h"
#include "record-actions.h"

#define REFRESH_SECONDS 2

struct _PyroAttachDialog
{
  AdwWindow parent_instance;

  GtkWidget *attach_button;
  GtkSearchEntry *search_entry;
  GtkColumnView *column_view;
  GtkLabel *note_label;

  PyroWindow *window;     /* weak */
  GSettings *settings;    /* nullable */
  PyroProcessList *processes;
  GtkCustomFilter *filter;
  GtkFilterListModel *shown;
  GtkSingleSelection *selection;
  char *search;           /* lower case */
  guint refresh_source;
  guint first_refresh_source;
};

G_DEFINE_FINAL_TYPE (PyroAttachDialog, pyro_attach_dialog, ADW_TYPE_WINDOW)

/* Searching */

static gboolean
matches (gpointer item, gpointer user_data)
{
  PyroAttachDialog *self = user_data;
  if (self->search == NULL || self->search[0] == '\0')
    return TRUE;
  PyroProcess *p = item;
  char pid[16];
  g_snprintf (pid, sizeof pid, "%u", pyro_process_get_pid (p));
  g_autofree char *command = g_utf8_strdown (pyro_process_get_command (p), -1);
  g_autofree char *user = g_utf8_strdown (pyro_process_get_user (p), -1);
  return strstr (pid, self->search) != NULL || strstr (command, self->search) != NULL
         || strstr (user, self->search) != NULL
         || (pyro_process_get_python (p) && strstr ("python", self->search) != NULL);
}

static void
search_changed (PyroAttachDialog *self)
{
  g_free (self->search);
  self->search = g_utf8_strdown (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  g_strstrip (self->search);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Cells */

static GtkWidget *
new_label (double xalign)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), (float) xalign);
  return label;
}

static void
setup_number (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = new_label (1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
setup_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = new_label (0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_pid (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PyroProcess *p = gtk_list_item_get_item (item);
  g_autofree char *text = g_strdup_printf ("%u", pyro_process_get_pid (p));
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
bind_user (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PyroProcess *p = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gtk_label_set_text (GTK_LABEL (label), pyro_process_get_user (p));
  if (pyro_process_get_own (p))
    gtk_widget_remove_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "dim-label");
}

static void
show_cpu (PyroProcess *p, GParamSpec *pspec, GtkLabel *label)
{
  double cpu = pyro_process_get_cpu (p);
  /* Translators: CPU use of a process, in percent of one CPU */
  g_autofree char *text = cpu >= 0 ? g_strdup_printf (_("%.0f %%"), cpu) : g_strdup ("…");
  gtk_label_set_text (label, text);
}

static void
bind_cpu (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PyroProcess *p = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  show_cpu (p, NULL, GTK_LABEL (label));
  g_signal_connect_object (p, "notify::cpu", G_CALLBACK (show_cpu), label, 0);
}

static void
unbind_cpu (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PyroProcess *p = gtk_list_item_get_item (item);
  g_signal_handlers_disconnect_by_func (p, show_cpu, gtk_list_item_get_child (item));
}

static void
setup_command (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *badge = gtk_label_new (_("Python"));
  gtk_widget_add_css_class (badge, "python-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, _("A Python interpreter: its Python functions are recorded"));
  gtk_box_append (GTK_BOX (box), badge);
  GtkWidget *label = new_label (0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_command (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  PyroProcess *p = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *badge = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (badge);
  gtk_widget_set_visible (badge, pyro_process_get_python (p));
  gtk_label_set_text (GTK_LABEL (label), pyro_process_get_command (p));
  gtk_widget_set_tooltip_text (label, pyro_process_get_command (p));
}

static void
add_column (PyroAttachDialog *self, const char *title, GCallback setup, GCallback bind,
            GCallback unbind, gboolean expand, int fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, self);
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

/* Refreshing */

static gboolean
refresh_tick (gpointer user_data)
{
  PyroAttachDialog *self = user_data;
  pyro_process_list_refresh (self->processes);
  return G_SOURCE_CONTINUE;
}

/* A second reading soon after the first, so that CPU use shows at once. */
static gboolean
first_refresh (gpointer user_data)
{
  PyroAttachDialog *self = user_data;
  self->first_refresh_source = 0;
  pyro_process_list_refresh (self->processes);
  return G_SOURCE_REMOVE;
}

static void
selection_changed (PyroAttachDialog *self)
{
  gtk_widget_set_sensitive (self->attach_button,
                            gtk_single_selection_get_selected_item (self->selection) != NULL);
}

/* Attaching */

PyroRecording *
pyro_attach_dialog_attach (PyroAttachDialog *self)
{
  g_return_val_if_fail (PYRO_IS_ATTACH_DIALOG (self), NULL);
  PyroProcess *p = gtk_single_selection_get_selected_item (self->selection);
  if (p == NULL)
    return NULL;
  PyroRecordingRequest request = {
    .pid = pyro_process_get_pid (p),
    .frequency = self->settings != NULL ? g_settings_get_uint (self->settings, "default-sample-rate") : 0,
    .mode = self->settings != NULL ? (PyroRecordingMode) g_settings_get_enum (self->settings, "record-stacks")
                                   : PYRO_RECORDING_MODE_AUTO,
    .call_graph = self->settings != NULL
                    ? (PyroRecordingCallGraph) g_settings_get_enum (self->settings, "record-call-graph")
                    : PYRO_RECORDING_CALL_GRAPH_AUTO,
  };
  PyroWindow *window = self->window;
  gtk_window_close (GTK_WINDOW (self));
  /* A refusal is shown on the window's error page. */
  return window != NULL ? pyro_record_actions_start (window, &request, NULL) : NULL;
}

static void
attach_clicked (PyroAttachDialog *self)
{
  pyro_attach_dialog_attach (self);
}

static void
row_activated (PyroAttachDialog *self, guint position)
{
  gtk_single_selection_set_selected (self->selection, position);
  pyro_attach_dialog_attach (self);
}

/* Public */

PyroProcessList *
pyro_attach_dialog_get_processes (PyroAttachDialog *self)
{
  g_return_val_if_fail (PYRO_IS_ATTACH_DIALOG (self), NULL);
  return self->processes;
}

GListModel *
pyro_attach_dialog_get_shown (PyroAttachDialog *self)
{
  g_return_val_if_fail (PYRO_IS_ATTACH_DIALOG (self), NULL);
  return G_LIST_MODEL (self->shown);
}

void
pyro_attach_dialog_set_search (PyroAttachDialog *self, const char *text)
{
  g_return_if_fail (PYRO_IS_ATTACH_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  search_changed (self);
}

gboolean
pyro_attach_dialog_select (PyroAttachDialog *self, guint32 pid)
{
  g_return_val_if_fail (PYRO_IS_ATTACH_DIALOG (self), FALSE);
  GListModel *shown = G_LIST_MODEL (self->shown);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (PyroProcess) p = g_list_model_get_item (shown, i);
      if (pyro_process_get_pid (p) == pid)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

PyroAttachDialog *
pyro_attach_dialog_present (PyroWindow *window)
{
  PyroAttachDialog *self = g_object_get_data (G_OBJECT (window), "pyro-attach-dialog");
  if (self == NULL)
    {
      self = g_object_new (PYRO_TYPE_ATTACH_DIALOG, "transient-for", window, NULL);
      self->window = window;
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
      GSettings *settings = app != NULL ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
      if (settings != NULL)
        self->settings = g_object_ref (settings);
      guint rate = settings != NULL ? g_settings_get_uint (settings, "default-sample-rate") : 999;
      g_autofree char *cache = pyro_recording_cache_dir ();
      const char *home = g_get_home_dir ();
      g_autofree char *shown = g_str_has_prefix (cache, home) ? g_strconcat ("~", cache + strlen (home), NULL)
                                                               : g_strdup (cache);
      g_autofree char *note = g_strdup_printf (_("Recorded at %u samples a second with the stacks and call "
                                                 "graph chosen in the Record dialog, and saved in %s. "
                                                 "Processes of other users need the rights of their owner."),
                                               rate, shown);
      gtk_label_set_text (self->note_label, note);
      g_object_set_data (G_OBJECT (window), "pyro-attach-dialog", self);
    }
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

/* GObject */

static void
pyro_attach_dialog_dispose (GObject *object)
{
  PyroAttachDialog *self = PYRO_ATTACH_DIALOG (object);
  if (self->window != NULL)
    {
      g_object_set_data (G_OBJECT (self->window), "pyro-attach-dialog", NULL);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->first_refresh_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PYRO_TYPE_ATTACH_DIALOG);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->processes);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (pyro_attach_dialog_parent_class)->dispose (object);
}

static void
pyro_attach_dialog_finalize (GObject *object)
{
  g_free (PYRO_ATTACH_DIALOG (object)->search);
  G_OBJECT_CLASS (pyro_attach_dialog_parent_class)->finalize (object);
}

static void
pyro_attach_dialog_class_init (PyroAttachDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = pyro_attach_dialog_dispose;
  object_class->finalize = pyro_attach_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pyrometer/Pyrometer/attach-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PyroAttachDialog, attach_button);
  gtk_widget_class_bind_template_child (widget_class, PyroAttachDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PyroAttachDialog, column_view);
  gtk_widget_class_bind_template_child (widget_class, PyroAttachDialog, note_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, attach_clicked);
  gtk_widget_class_bind_template_callback (widget_class, row_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pyro_attach_dialog_init (PyroAttachDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->processes = pyro_process_list_new ();
  self->filter = gtk_custom_filter_new (matches, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->processes)),
                                           g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, _("PID"), G_CALLBACK (setup_number), G_CALLBACK (bind_pid), NULL, FALSE, 80);
  add_column (self, _("User"), G_CALLBACK (setup_text), G_CALLBACK (bind_user), NULL, FALSE, 110);
  add_column (self, _("CPU"), G_CALLBACK (setup_number), G_CALLBACK (bind_cpu), G_CALLBACK (unbind_cpu),
              FALSE, 70);
  add_column (self, _("Command Line"), G_CALLBACK (setup_command), G_CALLBACK (bind_command), NULL,
              TRUE, 0);

  pyro_process_list_refresh (self->processes);
  self->first_refresh_source = g_timeout_add (500, first_refresh, self);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_tick, self);
}
