#include <glib/gi18n.h>
#include <string.h>

#include "export-dialog.h"
#include "compare-bar.h"
#include "render/export.h"

typedef struct {
  PyroWindow *window;   /* owns this */
  GSimpleActionGroup *actions;
  GtkFileChooserNative *chooser;
  gboolean busy;
} ExportDialog;

const char *
pyro_export_dialog_view (PyroWindow *window)
{
  const char *shown = pyro_window_get_view (window);
  if (shown != NULL && g_strv_contains (pyro_export_views (), shown))
    return shown;
  return "flame";
}

static guint32
zoom_of (PyroWindow *window, const char *view)
{
  if (g_str_equal (view, "icicle"))
    return pyro_flame_view_get_zoom (pyro_window_get_icicle_view (window));
  if (g_str_equal (view, "squaremap"))
    return pyro_squaremap_view_get_root (pyro_window_get_squaremap_view (window));
  return pyro_flame_view_get_zoom (pyro_window_get_flame_view (window));
}

static GDateTime *
recorded_at (PyroDocument *document, PyroProfile *profile)
{
  if (profile->meta.start_time > 0)
    return g_date_time_new_from_unix_local (profile->meta.start_time / G_GINT64_CONSTANT (1000000000));
  GFile *file = pyro_document_get_file (document);
  g_autoptr (GFileInfo) info = file != NULL
    ? g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE, NULL, NULL)
    : NULL;
  GDateTime *modified = info != NULL ? g_file_info_get_modification_date_time (info) : NULL;
  if (modified != NULL)
    {
      GDateTime *local = g_date_time_to_local (modified);
      g_date_time_unref (modified);
      return local;
    }
  return g_date_time_new_now_local ();
}

char *
pyro_export_dialog_title (PyroWindow *window)
{
  PyroDocument *document = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (document);
  const PyroSelection *sel = pyro_document_get_selection (document);
  const PyroCallTree *tree = pyro_document_get_tree (document);
  g_return_val_if_fail (profile != NULL, NULL);

  GString *title = g_string_new (profile->meta.command_line != NULL && profile->meta.command_line[0]
                                   ? profile->meta.command_line
                                   : pyro_document_get_display_name (document));
  g_autoptr (GDateTime) when = recorded_at (document, profile);
  g_autofree char *date = g_date_time_format (when, "%-d %b %Y %H:%M");
  g_string_append_printf (title, " · %s", date);
  const char *before = pyro_compare_bar_get_before_name (pyro_window_get_compare_bar (window));
  if (before != NULL)
    g_string_append_printf (title, _(" · compared with %s"), before);

  const char *view = pyro_export_dialog_view (window);
  guint32 zoom = zoom_of (window, view);
  if (tree != NULL && zoom > 0 && zoom < tree->n_nodes && tree->func[zoom] != PYRO_NONE)
    g_string_append_printf (title, _(" · zoomed on %s"),
                            pyro_profile_func_name (profile, tree->func[zoom]));
  for (guint i = 0; i < sel->transforms->len; i++)
    {
      const PyroTransform *t = &g_array_index (sel->transforms, PyroTransform, i);
      const char *name = pyro_profile_func_name (profile, t->func);
      switch (t->kind)
        {
        case PYRO_TRANSFORM_FOCUS_FUNC:
          g_string_append_printf (title, _(" · focused on %s"), name);
          break;
        case PYRO_TRANSFORM_MERGE_FUNC:
          g_string_append_printf (title, _(" · %s merged"), name);
          break;
        case PYRO_TRANSFORM_DROP_FUNC:
          g_string_append_printf (title, _(" · without %s"), name);
          break;
        case PYRO_TRANSFORM_COLLAPSE_RECURSION:
          g_string_append_printf (title, _(" · recursion of %s collapsed"), name);
          break;
        default:
          break;
        }
    }
  if (sel->has_range)
    g_string_append_printf (title, _(" · %.2f s to %.2f s"),
                            (sel->range_start - profile->meta.start_time) / 1e9,
                            (sel->range_end - profile->meta.start_time) / 1e9);
  if (sel->invert)
    g_string_append (title, _(" · bottom-up"));
  return g_string_free (title, FALSE);
}

static int
view_width (PyroWindow *window, const char *view)
{
  GtkWidget *widget = g_str_equal (view, "icicle") ? GTK_WIDGET (pyro_window_get_icicle_view (window))
                      : g_str_equal (view, "squaremap") ? GTK_WIDGET (pyro_window_get_squaremap_view (window))
                      : GTK_WIDGET (pyro_window_get_flame_view (window));
  int width = gtk_widget_get_width (widget);
  /* As seen: the view's own width, unless it is not on screen. */
  return width >= 400 ? width : 1600;
}

gboolean
pyro_export_dialog_export (PyroWindow *window, const char *path, double scale, GError **error)
{
  PyroDocument *document = pyro_window_get_document (window);
  PyroProfile *profile = pyro_document_get_profile (document);
  if (profile == NULL || pyro_document_get_state (document) != PYRO_DOCUMENT_READY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("%s: there is no profile to export"), path);
      return FALSE;
    }
  const char *view = pyro_export_dialog_view (window);
  g_autofree char *title = pyro_export_dialog_title (window);
  PyroExportOptions options = {
    .view = view,
    .title = title,
    .width = view_width (window, view),
    .scale = scale,
    .zoom = zoom_of (window, view),
  };
  if (!g_str_equal (view, "squaremap"))
    options.diff_before = pyro_compare_bar_get_before_totals (pyro_window_get_compare_bar (window),
                                                              &options.diff_n_nodes,
                                                              &options.diff_before_total);
  return pyro_export_file (profile, pyro_document_get_selection (document), &options, path, error);
}

/* The dialog */

static void
toast (PyroWindow *window, const char *text)
{
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  if (ADW_IS_TOAST_OVERLAY (content))
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (content), adw_toast_new (text));
}

static void
chooser_response (GtkNativeDialog *dialog, int response, ExportDialog *self)
{
  g_autoptr (GFile) file = response == GTK_RESPONSE_ACCEPT
                             ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog)) : NULL;
  const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "scale");
  double scale = g_strcmp0 (choice, "2") == 0 ? 2 : 1;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_clear_object (&self->chooser);
  if (path == NULL)
    return;

  g_autofree char *lower = g_ascii_strdown (path, -1);
  if (!g_str_has_suffix (lower, ".png") && !g_str_has_suffix (lower, ".svg")
      && !g_str_has_suffix (lower, ".pdf"))
    {
      char *with_extension = g_strconcat (path, ".png", NULL);
      g_free (path);
      path = with_extension;
    }
  g_autoptr (GError) error = NULL;
  if (!pyro_export_dialog_export (self->window, path, scale, &error))
    {
      toast (self->window, error->message);
      return;
    }
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *done = g_strdup_printf (_("Exported “%s”"), base);
  toast (self->window, done);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *pattern)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
show_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  ExportDialog *self = user_data;
  PyroDocument *document = pyro_window_get_document (self->window);
  if (pyro_document_get_state (document) != PYRO_DOCUMENT_READY)
    return;
  if (self->chooser == NULL)
    {
      self->chooser = gtk_file_chooser_native_new (_("Export View"), GTK_WINDOW (self->window),
                                                   GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                                   _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
      GtkFileChooser *chooser = GTK_FILE_CHOOSER (self->chooser);
      add_filter (chooser, _("PNG image"), "*.png");
      add_filter (chooser, _("SVG drawing"), "*.svg");
      add_filter (chooser, _("PDF document"), "*.pdf");
      const char *ids[] = { "1", "2", NULL };
      const char *labels[] = { _("1× (screen)"), _("2× (sharp on projectors and slides)"), NULL };
      gtk_file_chooser_add_choice (chooser, "scale", _("PNG size"), ids, labels);
      gtk_file_chooser_set_choice (chooser, "scale", "2");
      g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
    }
  g_autofree char *stem = g_strdup (pyro_document_get_display_name (document));
  char *dot = strrchr (stem, '.');
  if (dot != NULL && dot != stem)
    *dot = '\0';
  g_autofree char *name = g_strdup_printf ("%s-%s.png", stem, pyro_export_dialog_view (self->window));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static const GActionEntry export_actions[] = {
  { .name = "show", .activate = show_action },
};

static void
export_dialog_free (ExportDialog *self)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->actions);
  g_free (self);
}

static void
state_changed (PyroDocument *document, GParamSpec *pspec, PyroWindow *window)
{
  ExportDialog *self = g_object_get_data (G_OBJECT (window), "pyro-export-dialog");
  if (self == NULL)
    return;
  GAction *show = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "show");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (show),
                               pyro_document_get_state (document) == PYRO_DOCUMENT_READY);
}

void
pyro_export_dialog_attach (PyroWindow *window)
{
  ExportDialog *self = g_new0 (ExportDialog, 1);
  self->window = window;
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), export_actions,
                                   G_N_ELEMENTS (export_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "export", G_ACTION_GROUP (self->actions));
  g_object_set_data_full (G_OBJECT (window), "pyro-export-dialog", self,
                          (GDestroyNotify) export_dialog_free);

  PyroDocument *document = pyro_window_get_document (window);
  g_signal_connect_object (document, "notify::state", G_CALLBACK (state_changed), window, 0);
  state_changed (document, NULL, window);

  GtkEventController *keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_e, GDK_CONTROL_MASK),
                      gtk_named_action_new ("export.show")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
}
