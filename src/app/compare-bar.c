#include <glib/gi18n.h>

#include "compare-bar.h"
#include "compare-table.h"
#include "application.h"
#include "core/tree-diff.h"
#include "formats/reader.h"
#include "render/diff-palette.h"

struct _PyroCompareBar
{
  GtkWidget parent_instance;

  GtkWidget *revealer;
  GtkWidget *headline_label;
  GtkWidget *names_label;
  GtkWidget *legend;
  GtkWidget *spinner;

  PyroWindow *window;           /* weak */
  PyroDocument *document;
  AdwViewStack *view_stack;
  GSimpleActionGroup *actions;
  GtkFileChooserNative *chooser;
  GtkWidget *table;             /* the "Changes" page while comparing */

  PyroProfile *before;          /* A, NULL when not comparing */
  char *before_name;
  GCancellable *loading;        /* reading A */
  PyroProfile *diff_after;      /* the B the diff was made with */
  PyroProfileDiff *diff;
  char *headline;
  char *error;
  double *before_totals;        /* per node of the document's tree */
  guint before_n_nodes;
  double before_total;
};

G_DEFINE_FINAL_TYPE (PyroCompareBar, pyro_compare_bar, GTK_TYPE_WIDGET)

static gboolean
comparing (PyroCompareBar *self)
{
  return self->before != NULL || self->loading != NULL;
}

static void
update_actions (PyroCompareBar *self)
{
  gboolean ready = self->document != NULL
                   && pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY;
  GAction *open = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "open");
  GAction *stop = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "stop");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (open), ready);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop), comparing (self));
}

static void
set_flame_diff (PyroCompareBar *self, double *before, guint n_nodes, double before_total)
{
  g_free (self->before_totals);
  self->before_totals = before;
  self->before_n_nodes = n_nodes;
  self->before_total = before_total;
  pyro_flame_view_set_diff (pyro_window_get_flame_view (self->window), before, n_nodes, before_total);
  pyro_flame_view_set_diff (pyro_window_get_icicle_view (self->window), before, n_nodes, before_total);
}

/* A's tree shaped like the one B's views show: inverted alike, with B's
 * transforms applied to A's functions of the same name.  A time range does
 * not carry over: the two recordings have their own clocks. */
static PyroCallTree *
before_tree (PyroCompareBar *self)
{
  PyroProfile *after = pyro_document_get_profile (self->document);
  const PyroSelection *shown = pyro_document_get_selection (self->document);
  g_autoptr (PyroSelection) sel = pyro_selection_new ();
  sel->invert = shown->invert;

  g_autoptr (GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint f = pyro_profile_n_funcs (self->before); f-- > 0;)
    g_hash_table_insert (by_name, (gpointer) pyro_profile_func_name (self->before, f),
                         GUINT_TO_POINTER (f + 1));
  for (guint i = 0; i < shown->transforms->len; i++)
    {
      const PyroTransform *t = &g_array_index (shown->transforms, PyroTransform, i);
      guint found = GPOINTER_TO_UINT (g_hash_table_lookup (by_name, pyro_profile_func_name (after, t->func)));
      if (found != 0)
        pyro_selection_push_transform (sel, t->kind, found - 1);
    }
  return pyro_call_tree_new (self->before, sel, NULL, NULL);
}

static void
update_colors (PyroCompareBar *self)
{
  const PyroCallTree *tree = pyro_document_get_tree (self->document);
  if (self->before == NULL || tree == NULL
      || pyro_document_get_state (self->document) != PYRO_DOCUMENT_READY)
    {
      set_flame_diff (self, NULL, 0, 0);
      return;
    }
  g_autoptr (PyroCallTree) a = before_tree (self);
  if (a == NULL)
    return;
  set_flame_diff (self, pyro_call_tree_match_totals (tree, a), tree->n_nodes,
                  pyro_call_tree_total (a));
}

static void
show_table (PyroCompareBar *self, gboolean show)
{
  if (show && self->table == NULL && self->view_stack != NULL)
    {
      self->table = pyro_compare_table_new (self->document);
      AdwViewStackPage *page = adw_view_stack_add_titled (self->view_stack, self->table, "changes",
                                                          _("Changes"));
      adw_view_stack_page_set_icon_name (page, "view-list-symbolic");
    }
  else if (!show && self->table != NULL)
    {
      if (self->view_stack != NULL)
        adw_view_stack_remove (self->view_stack, self->table);
      self->table = NULL;
    }
  if (self->table != NULL)
    pyro_compare_table_set_diff (PYRO_COMPARE_TABLE (self->table), self->diff);
}

static void
refresh (PyroCompareBar *self)
{
  PyroProfile *after = pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY
                         ? pyro_document_get_profile (self->document) : NULL;

  if (self->before != NULL && after != NULL && self->diff_after != after)
    {
      g_clear_pointer (&self->diff, pyro_profile_diff_free);
      g_clear_pointer (&self->headline, g_free);
      self->diff = pyro_profile_diff_new (self->before, after);
      self->diff_after = after;
      self->headline = pyro_profile_diff_headline (self->diff);
    }
  else if (self->before == NULL || after == NULL)
    {
      g_clear_pointer (&self->diff, pyro_profile_diff_free);
      g_clear_pointer (&self->headline, g_free);
      self->diff_after = NULL;
    }

  const char *after_name = pyro_document_get_display_name (self->document);
  if (self->headline != NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->headline_label), self->headline);
      g_autofree char *names = g_strdup_printf (_("B: %s, compared with A: %s"), after_name,
                                                self->before_name);
      gtk_label_set_text (GTK_LABEL (self->names_label), names);
    }
  else if (comparing (self))
    {
      gtk_label_set_text (GTK_LABEL (self->headline_label), _("Reading the profiles to compare…"));
      gtk_label_set_text (GTK_LABEL (self->names_label), self->before_name != NULL ? self->before_name : "");
    }
  gtk_widget_set_visible (self->legend, self->headline != NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), comparing (self) && self->headline == NULL);
  gtk_widget_set_visible (self->spinner, comparing (self) && self->headline == NULL);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), comparing (self));
  show_table (self, self->headline != NULL);
  update_colors (self);
  update_actions (self);
}

static void
show_error (PyroCompareBar *self, const char *message)
{
  pyro_compare_bar_stop (self);
  self->error = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->headline_label), _("Could not compare"));
  gtk_label_set_text (GTK_LABEL (self->names_label), message);
  gtk_widget_set_visible (self->legend, FALSE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
}

/* Loading A */

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  PyroProfile *profile = pyro_format_load_file (task_data, NULL, NULL, cancellable, &error);
  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, (GDestroyNotify) pyro_profile_unref);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) profile = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  PyroCompareBar *self = PYRO_COMPARE_BAR (source);
  g_clear_object (&self->loading);
  if (profile == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_autofree char *name = g_strdup (self->before_name);
  pyro_compare_bar_compare_with (self, profile, name);
}

void
pyro_compare_bar_compare_with_file (PyroCompareBar *self, GFile *before)
{
  g_return_if_fail (PYRO_IS_COMPARE_BAR (self));
  pyro_compare_bar_stop (self);
  g_autofree char *path = g_file_get_path (before);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (before);
      g_autofree char *message = g_strdup_printf (_("%s: only local files can be compared"), uri);
      show_error (self, message);
      return;
    }
  self->before_name = g_file_get_basename (before);
  self->loading = g_cancellable_new ();
  GTask *task = g_task_new (self, self->loading, load_done, NULL);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_task_run_in_thread (task, load_thread);
  g_object_unref (task);
  refresh (self);
}

static void
set_before (PyroCompareBar *self, PyroProfile *before, const char *name)
{
  pyro_profile_ref (before);
  g_clear_pointer (&self->error, g_free);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->before, pyro_profile_unref);
  g_free (self->before_name);
  self->before = before;
  self->before_name = g_strdup (name);
  self->diff_after = NULL;
}

void
pyro_compare_bar_compare_with (PyroCompareBar *self, PyroProfile *before, const char *name)
{
  g_return_if_fail (PYRO_IS_COMPARE_BAR (self));
  g_return_if_fail (before != NULL);
  set_before (self, before, name);
  refresh (self);
}

PyroWindow *
pyro_compare_bar_open_after (PyroCompareBar *self, GFile *after)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  PyroProfile *open = pyro_document_get_state (self->document) == PYRO_DOCUMENT_READY
                        ? pyro_document_get_profile (self->document) : NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self->window));
  if (open == NULL || app == NULL)
    return NULL;
  /* B gets a window of its own, as every profile does: this one keeps A. */
  PyroWindow *window = pyro_application_open_file (PYRO_APPLICATION (app), after, NULL);
  if (window != self->window)
    pyro_compare_bar_compare_with (pyro_window_get_compare_bar (window), open,
                                   pyro_document_get_display_name (self->document));
  return window;
}

void
pyro_compare_bar_stop (PyroCompareBar *self)
{
  g_return_if_fail (PYRO_IS_COMPARE_BAR (self));
  g_clear_pointer (&self->error, g_free);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->before, pyro_profile_unref);
  g_clear_pointer (&self->before_name, g_free);
  if (self->document != NULL)
    refresh (self);
}

/* Drop */

typedef struct {
  PyroCompareBar *self;
  GFile *file;
} DropData;

static void
drop_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  DropData *data = user_data;
  if (g_str_equal (response, "compare"))
    pyro_compare_bar_open_after (data->self, data->file);
  else if (g_str_equal (response, "open"))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (data->self->window));
      if (app != NULL)
        pyro_application_open_file (PYRO_APPLICATION (app), data->file, NULL);
    }
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

gboolean
pyro_compare_bar_handle_drop (PyroCompareBar *self, GFile *file, gboolean compare)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), FALSE);
  if (pyro_document_get_state (self->document) != PYRO_DOCUMENT_READY)
    return FALSE;
  if (compare)
    {
      pyro_compare_bar_open_after (self, file);
      return TRUE;
    }
  g_autofree char *dropped = g_file_get_basename (file);
  g_autofree char *heading = g_strdup_printf (_("Open “%s”?"), dropped);
  g_autofree char *body = g_strdup_printf (_("Open it in a new window, or compare it with “%s”, "
                                             "the profile open here (before)."),
                                           pyro_document_get_display_name (self->document));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self->window), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "open", _("_Open"), "compare", _("_Compare"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "compare",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "compare");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  DropData *data = g_new (DropData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  g_signal_connect (dialog, "response", G_CALLBACK (drop_response), data);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* Actions */

static void
chooser_response (GtkNativeDialog *dialog, int response, PyroCompareBar *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        pyro_compare_bar_open_after (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PyroCompareBar *self = user_data;
  if (self->chooser == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Compare “%s” With…"),
                                                pyro_document_get_display_name (self->document));
      self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self->window),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Compare"),
                                                   _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
      g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
stop_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  pyro_compare_bar_stop (user_data);
}

static const GActionEntry compare_actions[] = {
  { .name = "open", .activate = open_action },
  { .name = "stop", .activate = stop_action },
};

/* Public */

gboolean
pyro_compare_bar_get_active (PyroCompareBar *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), FALSE);
  return comparing (self);
}

const char *
pyro_compare_bar_get_headline (PyroCompareBar *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  return self->headline;
}

const char *
pyro_compare_bar_get_before_name (PyroCompareBar *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  return self->before != NULL ? self->before_name : NULL;
}

const double *
pyro_compare_bar_get_before_totals (PyroCompareBar *self, guint *n_nodes, double *before_total)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  if (n_nodes != NULL)
    *n_nodes = self->before_n_nodes;
  if (before_total != NULL)
    *before_total = self->before_total;
  return self->before_totals;
}

const char *
pyro_compare_bar_get_error (PyroCompareBar *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  return self->error;
}

const PyroProfileDiff *
pyro_compare_bar_get_diff (PyroCompareBar *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  return self->diff;
}

GListModel *
pyro_compare_bar_get_rows (PyroCompareBar *self)
{
  g_return_val_if_fail (PYRO_IS_COMPARE_BAR (self), NULL);
  return self->table != NULL ? pyro_compare_table_get_rows (PYRO_COMPARE_TABLE (self->table)) : NULL;
}

static void
state_changed (PyroCompareBar *self)
{
  refresh (self);
}

void
pyro_compare_bar_attach (PyroCompareBar *self, PyroWindow *window, AdwViewStack *view_stack)
{
  g_return_if_fail (PYRO_IS_COMPARE_BAR (self));
  g_return_if_fail (self->window == NULL);
  self->window = window;
  self->view_stack = view_stack;
  self->document = g_object_ref (pyro_window_get_document (window));
  g_signal_connect_object (self->document, "notify::state", G_CALLBACK (state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->document, "trees-changed", G_CALLBACK (update_colors), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "compare", G_ACTION_GROUP (self->actions));
  update_actions (self);
}

/* Widget */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  double change = *(double *) user_data;
  PyroRgb c = pyro_diff_color (change < 0 ? 1 : 1 - change, change < 0 ? 1 + change : 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static GtkWidget *
legend_item (double change, const char *text)
{
  GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_drawing_area_new ();
  double *value = g_new (double, 1);
  *value = change;
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, value, g_free);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (item), swatch);
  gtk_box_append (GTK_BOX (item), gtk_label_new (text));
  return item;
}

static void
pyro_compare_bar_dispose (GObject *object)
{
  PyroCompareBar *self = PYRO_COMPARE_BAR (object);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  g_clear_object (&self->document);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->before, pyro_profile_unref);
  g_clear_pointer (&self->diff, pyro_profile_diff_free);
  self->table = NULL;
  self->window = NULL;
  self->view_stack = NULL;
  G_OBJECT_CLASS (pyro_compare_bar_parent_class)->dispose (object);
}

static void
pyro_compare_bar_finalize (GObject *object)
{
  PyroCompareBar *self = PYRO_COMPARE_BAR (object);
  g_free (self->before_name);
  g_free (self->headline);
  g_free (self->error);
  g_free (self->before_totals);
  G_OBJECT_CLASS (pyro_compare_bar_parent_class)->finalize (object);
}

static void
pyro_compare_bar_class_init (PyroCompareBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = pyro_compare_bar_dispose;
  object_class->finalize = pyro_compare_bar_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "comparebar");
}

static void
pyro_compare_bar_init (PyroCompareBar *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), compare_actions,
                                   G_N_ELEMENTS (compare_actions), self);

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  gtk_widget_add_css_class (box, "compare-box");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);

  self->spinner = gtk_spinner_new ();
  gtk_box_append (GTK_BOX (box), self->spinner);

  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  self->headline_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->headline_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->headline_label), TRUE);
  gtk_widget_add_css_class (self->headline_label, "compare-headline");
  self->names_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->names_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->names_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (self->names_label, "dim-label");
  gtk_box_append (GTK_BOX (texts), self->headline_label);
  gtk_box_append (GTK_BOX (texts), self->names_label);
  gtk_box_append (GTK_BOX (box), texts);

  self->legend = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 14);
  gtk_widget_set_valign (self->legend, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->legend), legend_item (1, _("More in B")));
  gtk_box_append (GTK_BOX (self->legend), legend_item (0, _("Same")));
  gtk_box_append (GTK_BOX (self->legend), legend_item (-1, _("Less in B")));
  gtk_box_append (GTK_BOX (box), self->legend);

  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_tooltip_text (close, _("Stop Comparing"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "compare.stop");
  gtk_widget_set_valign (close, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (close, "flat");
  gtk_box_append (GTK_BOX (box), close);
}

GtkWidget *
pyro_compare_bar_new (void)
{
  return g_object_new (PYRO_TYPE_COMPARE_BAR, NULL);
}
