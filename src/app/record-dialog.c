#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "record-dialog.h"
#include "application.h"
#include "record-actions.h"

struct _PyroRecordDialog
{
  AdwWindow parent_instance;

  AdwEntryRow *command_row;
  AdwEntryRow *directory_row;
  GtkSpinButton *rate_spin;
  GtkSpinButton *duration_spin;
  AdwComboRow *stacks_row;
  AdwComboRow *call_graph_row;
  AdwActionRow *output_row;
  GtkWidget *error_group;
  GtkLabel *error_label;

  PyroWindow *window;     /* weak */
  GSettings *settings;    /* nullable */
  GtkFileChooserNative *chooser;
  char *output_text;
};

G_DEFINE_FINAL_TYPE (PyroRecordDialog, pyro_record_dialog, ADW_TYPE_WINDOW)

/* "~/src/demo" for a folder under the home folder. */
static char *
display_folder (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize n = strlen (home);
  if (g_str_has_prefix (path, home) && (path[n] == '/' || path[n] == '\0'))
    return g_strconcat ("~", path + n, NULL);
  return g_strdup (path);
}

/* The working folder typed, with ~ expanded; the home folder when empty. */
static char *
working_folder (PyroRecordDialog *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->directory_row)));
  g_strstrip (text);
  if (text[0] == '\0')
    return g_strdup (g_get_home_dir ());
  if (text[0] == '~' && (text[1] == '/' || text[1] == '\0'))
    return g_build_filename (g_get_home_dir (), text + 1, NULL);
  return g_canonicalize_filename (text, g_get_home_dir ());
}

static void
show_error (PyroRecordDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->error_group, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->command_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->command_row), "error");
}

static void
inputs_changed (PyroRecordDialog *self)
{
  g_auto (GStrv) argv = NULL;
  const char *command = gtk_editable_get_text (GTK_EDITABLE (self->command_row));
  if (!g_shell_parse_argv (command, NULL, &argv, NULL))
    argv = NULL;
  g_autofree char *folder = working_folder (self);
  g_autofree char *output = pyro_recording_default_output (argv != NULL ? argv[0] : NULL, folder);
  g_autofree char *dir = g_path_get_dirname (output);
  g_autofree char *shown = display_folder (dir);
  g_free (self->output_text);
  if (g_strcmp0 (dir, folder) == 0)
    /* Translators: where the recording is saved: a folder */
    self->output_text = g_strdup_printf (_("%s (the working folder)"), shown);
  else if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    self->output_text = g_strdup_printf (_("%s (the cache folder: the working folder is not writable)"), shown);
  else
    self->output_text = g_strdup_printf (_("%s (the cache folder)"), shown);
  adw_action_row_set_subtitle (self->output_row, self->output_text);
  show_error (self, NULL);
}

/* Choosing files */

static void
program_chosen (GtkNativeDialog *chooser, int response, PyroRecordDialog *self)
{
  g_autoptr (GFile) file = response == GTK_RESPONSE_ACCEPT
                             ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (path == NULL)
    return;
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *command = NULL;
  /* A script that cannot run by itself runs under its interpreter. */
  if (g_str_has_suffix (path, ".py") && g_access (path, X_OK) != 0)
    command = g_strconcat ("python3 ", quoted, NULL);
  else
    command = g_steal_pointer (&quoted);
  gtk_editable_set_text (GTK_EDITABLE (self->command_row), command);
  if (gtk_editable_get_text (GTK_EDITABLE (self->directory_row))[0] == '\0')
    {
      g_autofree char *dir = g_path_get_dirname (path);
      gtk_editable_set_text (GTK_EDITABLE (self->directory_row), dir);
    }
}

static void
directory_chosen (GtkNativeDialog *chooser, int response, PyroRecordDialog *self)
{
  g_autoptr (GFile) file = response == GTK_RESPONSE_ACCEPT
                             ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->directory_row), path);
}

static void
open_chooser (PyroRecordDialog *self, const char *title, GtkFileChooserAction action,
              GCallback done)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, _("_Select"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_autofree char *folder = working_folder (self);
  g_autoptr (GFile) start = g_file_new_for_path (folder);
  if (g_file_query_file_type (start, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), start, NULL);
  g_signal_connect (self->chooser, "response", done, self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_program (PyroRecordDialog *self)
{
  open_chooser (self, _("Choose the Program or Script"), GTK_FILE_CHOOSER_ACTION_OPEN,
                G_CALLBACK (program_chosen));
}

static void
choose_directory (PyroRecordDialog *self)
{
  open_chooser (self, _("Choose the Working Folder"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                G_CALLBACK (directory_chosen));
}

/* The request */

void
pyro_record_dialog_request_clear (PyroRecordingRequest *request)
{
  g_strfreev ((char **) request->argv);
  g_free ((char *) request->cwd);
  g_free ((char *) request->output);
  *request = (PyroRecordingRequest) { 0 };
}

gboolean
pyro_record_dialog_get_request (PyroRecordDialog *self, PyroRecordingRequest *request,
                                GError **error)
{
  g_return_val_if_fail (PYRO_IS_RECORD_DIALOG (self), FALSE);
  *request = (PyroRecordingRequest) { 0 };

  const char *command = gtk_editable_get_text (GTK_EDITABLE (self->command_row));
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (command));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Type the command to record, or choose the program with the button beside it"));
      return FALSE;
    }
  if (!g_shell_parse_argv (command, NULL, &argv, &parse_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The command line cannot be read: %s"), parse_error->message);
      return FALSE;
    }
  g_autofree char *folder = working_folder (self);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("The working folder “%s” does not exist"), folder);
      return FALSE;
    }
  /* The program as the recorder starts it: a path with a slash is taken
   * from the working folder, a bare name from PATH. */
  g_autofree char *program = NULL;
  if (strchr (argv[0], '/') != NULL)
    program = g_canonicalize_filename (argv[0], folder);
  else
    program = g_find_program_in_path (argv[0]);
  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   strchr (argv[0], '/') != NULL ? _("“%s” does not exist")
                                                 : _("“%s” is not a program in PATH"),
                   argv[0]);
      return FALSE;
    }
  if (g_access (program, X_OK) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("“%s” is not executable; run it through its interpreter, for example "
                     "python3 %s"), argv[0], argv[0]);
      return FALSE;
    }
  g_free (argv[0]);
  argv[0] = g_steal_pointer (&program);

  request->argv = (const char *const *) g_steal_pointer (&argv);
  request->cwd = g_steal_pointer (&folder);
  request->frequency = (guint) gtk_spin_button_get_value_as_int (self->rate_spin);
  request->mode = (PyroRecordingMode) adw_combo_row_get_selected (self->stacks_row);
  request->call_graph = (PyroRecordingCallGraph) adw_combo_row_get_selected (self->call_graph_row);
  request->duration = gtk_spin_button_get_value (self->duration_spin);
  return TRUE;
}

static void
save_settings (PyroRecordDialog *self)
{
  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "record-command",
                         gtk_editable_get_text (GTK_EDITABLE (self->command_row)));
  g_settings_set_string (self->settings, "record-directory",
                         gtk_editable_get_text (GTK_EDITABLE (self->directory_row)));
  g_settings_set_uint (self->settings, "default-sample-rate",
                       (guint) gtk_spin_button_get_value_as_int (self->rate_spin));
  g_settings_set_enum (self->settings, "record-stacks", (int) adw_combo_row_get_selected (self->stacks_row));
  g_settings_set_enum (self->settings, "record-call-graph",
                       (int) adw_combo_row_get_selected (self->call_graph_row));
  g_settings_set_uint (self->settings, "record-duration",
                       (guint) gtk_spin_button_get_value_as_int (self->duration_spin));
}

static void
load_settings (PyroRecordDialog *self)
{
  if (self->settings == NULL)
    return;
  g_autofree char *command = g_settings_get_string (self->settings, "record-command");
  g_autofree char *directory = g_settings_get_string (self->settings, "record-directory");
  gtk_editable_set_text (GTK_EDITABLE (self->command_row), command);
  gtk_editable_set_text (GTK_EDITABLE (self->directory_row),
                         directory[0] != '\0' ? directory : g_get_home_dir ());
  gtk_spin_button_set_value (self->rate_spin, g_settings_get_uint (self->settings, "default-sample-rate"));
  adw_combo_row_set_selected (self->stacks_row, (guint) g_settings_get_enum (self->settings, "record-stacks"));
  adw_combo_row_set_selected (self->call_graph_row,
                              (guint) g_settings_get_enum (self->settings, "record-call-graph"));
  gtk_spin_button_set_value (self->duration_spin, g_settings_get_uint (self->settings, "record-duration"));
}

PyroRecording *
pyro_record_dialog_record (PyroRecordDialog *self)
{
  g_return_val_if_fail (PYRO_IS_RECORD_DIALOG (self), NULL);
  PyroRecordingRequest request;
  g_autoptr (GError) error = NULL;
  if (!pyro_record_dialog_get_request (self, &request, &error))
    {
      show_error (self, error->message);
      return NULL;
    }
  save_settings (self);
  PyroWindow *window = self->window;
  gtk_window_close (GTK_WINDOW (self));
  /* A refusal is shown on the window's error page. */
  PyroRecording *recording = window != NULL ? pyro_record_actions_start (window, &request, NULL) : NULL;
  pyro_record_dialog_request_clear (&request);
  return recording;
}

static void
record_clicked (PyroRecordDialog *self)
{
  pyro_record_dialog_record (self);
}

/* Public */

void
pyro_record_dialog_set_command (PyroRecordDialog *self, const char *command)
{
  g_return_if_fail (PYRO_IS_RECORD_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->command_row), command);
}

void
pyro_record_dialog_set_directory (PyroRecordDialog *self, const char *directory)
{
  g_return_if_fail (PYRO_IS_RECORD_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->directory_row), directory);
}

const char *
pyro_record_dialog_get_output_text (PyroRecordDialog *self)
{
  g_return_val_if_fail (PYRO_IS_RECORD_DIALOG (self), NULL);
  return self->output_text;
}

PyroRecordDialog *
pyro_record_dialog_present (PyroWindow *window)
{
  PyroRecordDialog *self = g_object_get_data (G_OBJECT (window), "pyro-record-dialog");
  if (self == NULL)
    {
      self = g_object_new (PYRO_TYPE_RECORD_DIALOG, "transient-for", window, NULL);
      self->window = window;
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
      GSettings *settings = app != NULL ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
      if (settings != NULL)
        self->settings = g_object_ref (settings);
      load_settings (self);
      inputs_changed (self);
      g_object_set_data (G_OBJECT (window), "pyro-record-dialog", self);
    }
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->command_row));
  return self;
}

/* GObject */

static void
pyro_record_dialog_dispose (GObject *object)
{
  PyroRecordDialog *self = PYRO_RECORD_DIALOG (object);
  if (self->window != NULL)
    {
      g_object_set_data (G_OBJECT (self->window), "pyro-record-dialog", NULL);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PYRO_TYPE_RECORD_DIALOG);
  G_OBJECT_CLASS (pyro_record_dialog_parent_class)->dispose (object);
}

static void
pyro_record_dialog_finalize (GObject *object)
{
  g_free (PYRO_RECORD_DIALOG (object)->output_text);
  G_OBJECT_CLASS (pyro_record_dialog_parent_class)->finalize (object);
}

static void
pyro_record_dialog_class_init (PyroRecordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = pyro_record_dialog_dispose;
  object_class->finalize = pyro_record_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pyrometer/Pyrometer/record-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, command_row);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, directory_row);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, rate_spin);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, stacks_row);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, call_graph_row);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, output_row);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, PyroRecordDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, inputs_changed);
  gtk_widget_class_bind_template_callback (widget_class, choose_program);
  gtk_widget_class_bind_template_callback (widget_class, choose_directory);
  gtk_widget_class_bind_template_callback (widget_class, record_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pyro_record_dialog_init (PyroRecordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
