#include <glib/gi18n.h>

#include "window.h"
#include "application.h"
#include "breadcrumb-bar.h"
#include "callgraph-view.h"
#include "window-settings.h"
#include "compare-bar.h"
#include "demos.h"
#include "record-actions.h"
#include "record-bar.h"
#include "event-chooser.h"
#include "export-dialog.h"
#include "missing-banner.h"
#include "presentation.h"
#include "tour-bar.h"
#include "source-view.h"
#include "timeline-view.h"
#include "formats/reader.h"
#include "render/palette.h"
#include "render/weight-format.h"

struct _PyroWindow
{
  AdwApplicationWindow parent_instance;

  AdwHeaderBar *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkToggleButton *search_button;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkLabel *match_label;
  GtkStack *main_stack;
  AdwStatusPage *loading_page;
  AdwStatusPage *error_page;
  GtkLabel *error_details;
  GtkProgressBar *progress_bar;
  AdwViewStack *view_stack;
  PyroBreadcrumbBar *flame_crumbs;
  PyroBreadcrumbBar *icicle_crumbs;
  PyroBreadcrumbBar *squaremap_crumbs;
  PyroFlameView *flame_view;
  PyroFlameView *icicle_view;
  PyroSquaremapView *squaremap_view;
  PyroFunctionView *function_view;
  PyroSourceView *source_view;
  PyroTimelineView *timeline_view;
  GtkBox *legend_box;
  GtkLabel *transforms_label;
  GtkSpinner *busy_spinner;
  GtkLabel *summary_label;
  GMenu *recent_submenu;
  PyroTourBar *tour_bar;
  PyroCompareBar *compare_bar;
  GMenu *demos_submenu;

  PyroDocument *document;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (PyroWindow, pyro_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (PyroWindow *self)
{
  PyroDocumentState state = pyro_document_get_state (self->document);
  gboolean ready = state == PYRO_DOCUMENT_READY;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 ready && pyro_document_get_can_undo (self->document));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load",
                                 state == PYRO_DOCUMENT_LOADING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find", ready);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), ready);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher_title), ready);
}

/* Status bar */

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  PyroRgb *rgb = user_data;
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_set_source_rgb (cr, rgb->r, rgb->g, rgb->b);
  cairo_fill (cr);
}

/* The swatches follow the palette the views use outside presentation mode. */
static PyroPaletteStyle
legend_style (PyroWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
  return settings != NULL ? pyro_window_settings_flame_palette (settings) : PYRO_PALETTE_DEFAULT;
}

static void
fill_legend (PyroWindow *self, PyroProfile *profile)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend_box))) != NULL)
    gtk_box_remove (self->legend_box, child);

  gboolean present[PYRO_N_CATEGORIES] = { FALSE };
  for (guint f = 0; f < pyro_profile_n_funcs (profile); f++)
    present[pyro_func_category (profile, f)] = TRUE;

  for (int c = 0; c < PYRO_N_CATEGORIES; c++)
    {
      if (!present[c])
        continue;
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *swatch = gtk_drawing_area_new ();
      PyroRgb *rgb = g_new (PyroRgb, 1);
      *rgb = pyro_palette_category_color (c, legend_style (self));
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, rgb, g_free);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (swatch, "swatch");
      gtk_box_append (GTK_BOX (item), swatch);
      GtkWidget *label = gtk_label_new (pyro_category_label (c));
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (item), label);
      gtk_box_append (self->legend_box, item);
    }
}

static void
update_summary (PyroWindow *self)
{
  PyroProfile *profile = pyro_document_get_profile (self->document);
  if (profile == NULL)
    return;
  const PyroFormatReader *reader = pyro_format_reader_by_id (profile->meta.format);
  g_autofree char *total = pyro_format_weight (profile->meta.unit, pyro_profile_total_weight (profile));
  GString *details = g_string_new (reader != NULL ? _(reader->name) : profile->meta.format);
  g_string_append_printf (details, " · %s", total);
  if (profile->meta.sample_rate > 0)
    g_string_append_printf (details, " · %.0f Hz", profile->meta.sample_rate);
  g_autofree char *summary = g_strdup_printf ("%s · %s", pyro_document_get_display_name (self->document),
                                              details->str);
  gtk_label_set_text (self->summary_label, summary);
  adw_view_switcher_title_set_subtitle (self->switcher_title, details->str);
  g_string_free (details, TRUE);
}

static void
update_transforms (PyroWindow *self)
{
  PyroProfile *profile = pyro_document_get_profile (self->document);
  const PyroSelection *sel = pyro_document_get_selection (self->document);
  GString *text = g_string_new (NULL);

  if (profile != NULL && profile->meta.estimated)
    g_string_append (text, _("Estimated from caller/callee pairs"));
  for (guint i = 0; profile != NULL && i < sel->transforms->len; i++)
    {
      const PyroTransform *t = &g_array_index (sel->transforms, PyroTransform, i);
      const char *name = pyro_profile_func_name (profile, t->func);
      const char *what = NULL;
      switch (t->kind)
        {
        case PYRO_TRANSFORM_FOCUS_FUNC:
          what = _("Focused on %s");
          break;
        case PYRO_TRANSFORM_MERGE_FUNC:
          what = _("Merged %s");
          break;
        case PYRO_TRANSFORM_DROP_FUNC:
          what = _("Dropped %s");
          break;
        case PYRO_TRANSFORM_COLLAPSE_RECURSION:
          what = _("Collapsed recursion of %s");
          break;
        default:
          continue;
        }
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, what, name);
    }
  if (sel->invert)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, _("Inverted (bottom-up)"));
    }
  if (text->len > 0)
    {
      gtk_label_set_text (self->transforms_label, text->str);
      gtk_widget_remove_css_class (GTK_WIDGET (self->transforms_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->transforms_label), "accent");
    }
  else
    {
      gtk_label_set_text (self->transforms_label,
                          _("Click to zoom · Right-click for transforms · Esc zooms out"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->transforms_label), "accent");
      gtk_widget_add_css_class (GTK_WIDGET (self->transforms_label), "dim-label");
    }
  g_string_free (text, TRUE);
}

/* Document signals */

static void
set_title (PyroWindow *self)
{
  const char *name = pyro_document_get_display_name (self->document);
  gtk_window_set_title (GTK_WINDOW (self), name[0] != '\0' ? name : _("Pyrometer"));
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (self->switcher_title),
                                     name[0] != '\0' ? name : _("Pyrometer"));
}

/* "Weigh by memory growth": the RSS growth the recorder charged to each
 * sample becomes the weight of every view. */
static void
memory_growth_change_state (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  PyroWindow *self = user_data;
  pyro_document_set_memory_growth (self->document, g_variant_get_boolean (value));
}

/* "Show Idle Samples": samples of threads that slept or waited, which a
 * Python recording marks, count again. */
static void
show_idle_change_state (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  PyroWindow *self = user_data;
  pyro_document_set_show_idle (self->document, g_variant_get_boolean (value));
}

static void
show_idle_changed (PyroWindow *self)
{
  GAction *idle = g_action_map_lookup_action (G_ACTION_MAP (self), "show-idle");
  g_simple_action_set_state (G_SIMPLE_ACTION (idle),
                             g_variant_new_boolean (pyro_document_get_show_idle (self->document)));
}

static void
memory_growth_changed (PyroWindow *self)
{
  GAction *memory = g_action_map_lookup_action (G_ACTION_MAP (self), "memory-growth");
  g_simple_action_set_state (G_SIMPLE_ACTION (memory),
                             g_variant_new_boolean (pyro_document_get_memory_growth (self->document)));
}

static void
state_changed (PyroWindow *self)
{
  PyroDocumentState state = pyro_document_get_state (self->document);
  const char *name = pyro_document_get_display_name (self->document);
  PyroApplication *app = PYRO_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  set_title (self);
  GAction *memory = g_action_map_lookup_action (G_ACTION_MAP (self), "memory-growth");
  if (memory != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (memory),
                                 state == PYRO_DOCUMENT_READY && pyro_document_has_memory_growth (self->document));
  GAction *idle = g_action_map_lookup_action (G_ACTION_MAP (self), "show-idle");
  if (idle != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (idle),
                                 state == PYRO_DOCUMENT_READY && pyro_document_has_thread_state (self->document));
  switch (state)
    {
    case PYRO_DOCUMENT_EMPTY:
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      break;
    case PYRO_DOCUMENT_LOADING:
      {
        g_autofree char *title = g_strdup_printf (_("Loading “%s”"), name);
        adw_status_page_set_title (self->loading_page, title);
        gtk_progress_bar_set_fraction (self->progress_bar, 0);
        gtk_stack_set_visible_child_name (self->main_stack, "loading");
      }
      break;
    case PYRO_DOCUMENT_FAILED:
      {
        g_autofree char *title = g_strdup_printf (_("Could Not Open “%s”"), name);
        adw_status_page_set_title (self->error_page, title);
        gtk_label_set_text (self->error_details, pyro_document_get_error_message (self->document));
        gtk_stack_set_visible_child_name (self->main_stack, "error");
      }
      break;
    case PYRO_DOCUMENT_READY:
      {
        PyroProfile *profile = pyro_document_get_profile (self->document);
        const PyroFormatReader *reader = pyro_format_reader_by_id (profile->meta.format);
        fill_legend (self, profile);
        update_summary (self);
        update_transforms (self);
        gtk_stack_set_visible_child_name (self->main_stack, "profile");
        if (app != NULL)
          pyro_application_add_recent (app, pyro_document_get_file (self->document),
                                       reader != NULL ? reader->mime_type : NULL);
        gtk_widget_grab_focus (GTK_WIDGET (self->flame_view));
      }
      break;
    default:
      break;
    }
  update_actions (self);
}

static void
progress_changed (PyroWindow *self)
{
  double p = pyro_document_get_progress (self->document);
  g_autofree char *text = g_strdup_printf (_("%.0f %%"), p * 100);
  gtk_progress_bar_set_fraction (self->progress_bar, p);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
trees_changed (PyroWindow *self)
{
  update_transforms (self);
  update_actions (self);
}

static void
busy_changed (PyroWindow *self)
{
  gtk_spinner_set_spinning (self->busy_spinner, pyro_document_get_busy (self->document));
}

/* A live recording swapped a grown capture in: the legend and the summary
 * read the profile itself. */
static void
profile_replaced (PyroWindow *self)
{
  fill_legend (self, pyro_document_get_profile (self->document));
  update_summary (self);
}

/* Breadcrumbs follow each view's zoom */

static void
flame_zoom_changed (PyroFlameView *view, GParamSpec *pspec, PyroBreadcrumbBar *crumbs)
{
  PyroDocument *document = pyro_flame_view_get_document (view);
  if (document == NULL)
    return;
  pyro_breadcrumb_bar_set_path (crumbs, pyro_document_get_tree (document),
                                pyro_flame_view_get_zoom (view));
}

static void
flame_crumb_activated (PyroBreadcrumbBar *crumbs, guint node, PyroFlameView *view)
{
  pyro_flame_view_set_zoom (view, node);
  gtk_widget_grab_focus (GTK_WIDGET (view));
}

static void
squaremap_root_changed (PyroWindow *self)
{
  pyro_breadcrumb_bar_set_path (self->squaremap_crumbs, pyro_document_get_tree (self->document),
                                pyro_squaremap_view_get_root (self->squaremap_view));
}

static void
squaremap_crumb_activated (PyroBreadcrumbBar *crumbs, guint node, PyroWindow *self)
{
  pyro_squaremap_view_set_root (self->squaremap_view, node);
  gtk_widget_grab_focus (GTK_WIDGET (self->squaremap_view));
}

/* Search */

static PyroFlameView *
visible_flame_view (PyroWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  if (g_strcmp0 (name, "icicle") == 0)
    return self->icicle_view;
  if (g_strcmp0 (name, "flame") == 0)
    return self->flame_view;
  return NULL;
}

static void
update_match_label (PyroWindow *self)
{
  PyroFlameView *view = visible_flame_view (self);
  double share = view != NULL ? pyro_flame_view_get_matched_share (view)
                              : pyro_flame_view_get_matched_share (self->flame_view);
  if (share < 0)
    {
      gtk_label_set_text (self->match_label, "");
      return;
    }
  g_autofree char *text = g_strdup_printf (_("Matched: %.1f %% of the samples shown"), share * 100);
  gtk_label_set_text (self->match_label, text);
}

static void
search_changed (PyroWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  pyro_flame_view_set_search (self->flame_view, text);
  pyro_flame_view_set_search (self->icicle_view, text);
  pyro_squaremap_view_set_search (self->squaremap_view, text);
  update_match_label (self);
}

static void
stop_search (PyroWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_mode_changed (PyroWindow *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      PyroFlameView *view = visible_flame_view (self);
      if (view != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (view));
    }
}

/* Actions */

static void
chooser_response (GtkNativeDialog *dialog, int response, PyroWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      PyroApplication *app = PYRO_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          pyro_application_open_file (app, file, self);
        }
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroWindow *self = PYRO_WINDOW (widget);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  self->chooser = gtk_file_chooser_native_new (_("Open a Profile"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);

  g_autoptr (GtkFileFilter) traces = gtk_file_filter_new ();
  gtk_file_filter_set_name (traces, _("Profiles and traces"));
  for (const PyroFormatReader *const *r = pyro_format_readers (); *r != NULL; r++)
    {
      if ((*r)->mime_type != NULL)
        gtk_file_filter_add_mime_type (traces, (*r)->mime_type);
      for (guint i = 0; (*r)->extensions != NULL && (*r)->extensions[i] != NULL; i++)
        {
          g_autofree char *pattern = g_strdup_printf ("*.%s", (*r)->extensions[i]);
          gtk_file_filter_add_pattern (traces, pattern);
        }
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), traces);
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);

  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_recent_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroWindow *self = PYRO_WINDOW (widget);
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  pyro_application_open_file (PYRO_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                              file, self);
}

static void
close_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroWindow *self = PYRO_WINDOW (widget);
  pyro_document_undo (self->document);
}

static void
cancel_load_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroWindow *self = PYRO_WINDOW (widget);
  pyro_document_cancel (self->document);
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  PyroWindow *self = PYRO_WINDOW (widget);
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);
  if (g_strcmp0 (name, "functions") == 0)
    {
      pyro_function_view_focus_filter (self->function_view);
      return;
    }
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Drag and drop */

static gboolean
drop (GtkDropTarget *target, const GValue *value, double x, double y, PyroWindow *self)
{
  PyroApplication *app = PYRO_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  /* One file on a profile: open it or compare with it (Ctrl compares at once). */
  GSList *dropped = G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) ? g_value_get_boxed (value) : NULL;
  GFile *single = G_VALUE_HOLDS (value, G_TYPE_FILE) ? g_value_get_object (value)
                  : dropped != NULL && dropped->next == NULL ? dropped->data : NULL;
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (target));
  if (single != NULL && pyro_compare_bar_handle_drop (self->compare_bar, single,
                                                      (mods & GDK_CONTROL_MASK) != 0))
    return TRUE;
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      for (GSList *l = files; l != NULL; l = l->next)
        pyro_application_open_file (app, l->data, self);
      return files != NULL;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      pyro_application_open_file (app, g_value_get_object (value), self);
      return TRUE;
    }
  return FALSE;
}

/* Public */

void
pyro_window_open (PyroWindow *self, GFile *file)
{
  g_return_if_fail (PYRO_IS_WINDOW (self));
  pyro_document_load (self->document, file);
}

PyroDocument *
pyro_window_get_document (PyroWindow *self)
{
  g_return_val_if_fail (PYRO_IS_WINDOW (self), NULL);
  return self->document;
}

gboolean
pyro_window_is_reusable (PyroWindow *self)
{
  g_return_val_if_fail (PYRO_IS_WINDOW (self), FALSE);
  PyroDocumentState state = pyro_document_get_state (self->document);
  return state == PYRO_DOCUMENT_EMPTY || state == PYRO_DOCUMENT_FAILED;
}

PyroFlameView *pyro_window_get_flame_view (PyroWindow *self) { return self->flame_view; }
PyroFlameView *pyro_window_get_icicle_view (PyroWindow *self) { return self->icicle_view; }
PyroSquaremapView *pyro_window_get_squaremap_view (PyroWindow *self) { return self->squaremap_view; }
PyroFunctionView *pyro_window_get_function_view (PyroWindow *self) { return self->function_view; }
PyroSourceView *pyro_window_get_source_view (PyroWindow *self) { return self->source_view; }
PyroTimelineView *pyro_window_get_timeline_view (PyroWindow *self) { return self->timeline_view; }

const char *
pyro_window_get_page (PyroWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

void
pyro_window_set_view (PyroWindow *self, const char *name)
{
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

const char *
pyro_window_get_view (PyroWindow *self)
{
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

PyroTourBar *pyro_window_get_tour_bar (PyroWindow *self) { return self->tour_bar; }
PyroCompareBar *pyro_window_get_compare_bar (PyroWindow *self) { return self->compare_bar; }

void
pyro_window_get_error_text (PyroWindow *self, const char **title, const char **description)
{
  if (title != NULL)
    *title = adw_status_page_get_title (self->error_page);
  if (description != NULL)
    *description = gtk_label_get_text (self->error_details);
}

void
pyro_window_show_error (PyroWindow *self, const char *title, const char *description)
{
  g_return_if_fail (PYRO_IS_WINDOW (self));
  adw_status_page_set_title (self->error_page, title);
  gtk_label_set_text (self->error_details, description != NULL ? description : "");
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
palette_setting_changed (PyroWindow *self)
{
  PyroProfile *profile = pyro_document_get_profile (self->document);
  if (profile != NULL)
    fill_legend (self, profile);
}

/* Window size */

static void
restore_size (PyroWindow *self, GSettings *settings)
{
  int width = g_settings_get_int (settings, "window-width");
  int height = g_settings_get_int (settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
close_request (GtkWindow *window)
{
  PyroWindow *self = PYRO_WINDOW (window);
  GtkApplication *app = gtk_window_get_application (window);
  GSettings *settings = app != NULL ? pyro_application_get_settings (PYRO_APPLICATION (app)) : NULL;
  if (settings != NULL)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }
  pyro_document_cancel (self->document);
  return GTK_WINDOW_CLASS (pyro_window_parent_class)->close_request (window);
}

/* GtkWindow:application is not a construct property: g_object_new() sets it
 * after constructed(), so the window joins its application here. */
static void
application_set (PyroWindow *self)
{
  PyroApplication *app = PYRO_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self, application_set, NULL);
  g_menu_append_section (self->recent_submenu, NULL, pyro_application_get_recent_menu (app));
  GSettings *settings = pyro_application_get_settings (app);
  if (settings != NULL)
    {
      restore_size (self, settings);
      pyro_window_settings_attach (self, settings);
      g_signal_connect_object (settings, "changed::palette", G_CALLBACK (palette_setting_changed), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
pyro_window_constructed (GObject *object)
{
  G_OBJECT_CLASS (pyro_window_parent_class)->constructed (object);
  g_signal_connect (object, "notify::application", G_CALLBACK (application_set), NULL);
}

static void
pyro_window_dispose (GObject *object)
{
  PyroWindow *self = PYRO_WINDOW (object);

  if (self->document != NULL)
    {
      pyro_document_cancel (self->document);
      g_signal_handlers_disconnect_by_data (self->document, self);
    }
  if (self->squaremap_view != NULL)
    g_signal_handlers_disconnect_by_data (self->squaremap_view, self);
  if (self->flame_view != NULL)
    g_signal_handlers_disconnect_by_data (self->flame_view, self);
  if (self->icicle_view != NULL)
    g_signal_handlers_disconnect_by_data (self->icicle_view, self);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PYRO_TYPE_WINDOW);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (pyro_window_parent_class)->dispose (object);
}

static void
pyro_window_class_init (PyroWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pyro_window_constructed;
  object_class->dispose = pyro_window_dispose;
  window_class->close_request = close_request;

  g_type_ensure (PYRO_TYPE_BREADCRUMB_BAR);
  g_type_ensure (PYRO_TYPE_FLAME_VIEW);
  g_type_ensure (PYRO_TYPE_SQUAREMAP_VIEW);
  g_type_ensure (PYRO_TYPE_CALLGRAPH_VIEW);
  g_type_ensure (PYRO_TYPE_FUNCTION_VIEW);
  g_type_ensure (PYRO_TYPE_SOURCE_VIEW);
  g_type_ensure (PYRO_TYPE_TIMELINE_VIEW);
  g_type_ensure (PYRO_TYPE_TOUR_BAR);
  g_type_ensure (PYRO_TYPE_COMPARE_BAR);
  g_type_ensure (PYRO_TYPE_RECORD_BAR);
  g_type_ensure (PYRO_TYPE_EVENT_CHOOSER);
  g_type_ensure (PYRO_TYPE_MISSING_BANNER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/pyrometer/Pyrometer/window.ui");
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, match_label);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, error_details);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, flame_crumbs);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, icicle_crumbs);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, squaremap_crumbs);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, flame_view);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, icicle_view);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, squaremap_view);
  gtk_widget_class_bind_template_child_full (widget_class, "callgraph_view", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "record_bar", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "event_chooser", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "missing_banner", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, function_view);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, source_view);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, legend_box);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, transforms_label);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, recent_submenu);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, tour_bar);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, PyroWindow, demos_submenu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, stop_search);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
}

static void
pyro_window_init (PyroWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->document = pyro_document_new ();
  g_signal_connect_swapped (self->document, "notify::state", G_CALLBACK (state_changed), self);
  g_signal_connect_swapped (self->document, "notify::progress", G_CALLBACK (progress_changed), self);
  g_signal_connect_swapped (self->document, "notify::can-undo", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->document, "notify::busy", G_CALLBACK (busy_changed), self);
  g_signal_connect_swapped (self->document, "trees-changed", G_CALLBACK (trees_changed), self);
  g_signal_connect_swapped (self->document, "profile-replaced", G_CALLBACK (profile_replaced), self);

  pyro_flame_view_set_orientation (self->flame_view, PYRO_FLAME_ORIENTATION_FLAME);
  pyro_flame_view_set_orientation (self->icicle_view, PYRO_FLAME_ORIENTATION_ICICLE);
  pyro_flame_view_set_document (self->flame_view, self->document);
  pyro_flame_view_set_document (self->icicle_view, self->document);
  pyro_squaremap_view_set_document (self->squaremap_view, self->document);
  pyro_callgraph_view_set_document (PYRO_CALLGRAPH_VIEW (gtk_widget_get_template_child (GTK_WIDGET (self), PYRO_TYPE_WINDOW, "callgraph_view")),
                                    self->document);
  pyro_function_view_set_document (self->function_view, self->document);
  pyro_source_view_set_document (self->source_view, self->document);
  pyro_timeline_view_set_document (self->timeline_view, self->document);
  pyro_event_chooser_set_document (PYRO_EVENT_CHOOSER (gtk_widget_get_template_child (GTK_WIDGET (self), PYRO_TYPE_WINDOW, "event_chooser")),
                                   self->document);
  pyro_missing_banner_set_document (PYRO_MISSING_BANNER (gtk_widget_get_template_child (GTK_WIDGET (self), PYRO_TYPE_WINDOW, "missing_banner")),
                                    self->document);

  g_signal_connect (self->flame_view, "notify::zoom", G_CALLBACK (flame_zoom_changed), self->flame_crumbs);
  g_signal_connect (self->icicle_view, "notify::zoom", G_CALLBACK (flame_zoom_changed), self->icicle_crumbs);
  g_signal_connect (self->flame_crumbs, "activated", G_CALLBACK (flame_crumb_activated), self->flame_view);
  g_signal_connect (self->icicle_crumbs, "activated", G_CALLBACK (flame_crumb_activated), self->icicle_view);
  g_signal_connect_swapped (self->squaremap_view, "notify::root", G_CALLBACK (squaremap_root_changed), self);
  g_signal_connect (self->squaremap_crumbs, "activated", G_CALLBACK (squaremap_crumb_activated), self);
  g_signal_connect_swapped (self->flame_view, "notify::matched-share", G_CALLBACK (update_match_label), self);
  g_signal_connect_swapped (self->icicle_view, "notify::matched-share", G_CALLBACK (update_match_label), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (update_match_label), self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_object_bind_property (self->search_bar, "search-mode-enabled", self->search_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (search_mode_changed), self);

  g_autoptr (GPropertyAction) invert = g_property_action_new ("invert", self->document, "inverted");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (invert));
  g_autoptr (GSimpleAction) memory = g_simple_action_new_stateful ("memory-growth", NULL,
                                                                   g_variant_new_boolean (FALSE));
  g_simple_action_set_enabled (memory, FALSE);
  g_signal_connect (memory, "change-state", G_CALLBACK (memory_growth_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (memory));
  g_signal_connect_swapped (self->document, "notify::memory-growth", G_CALLBACK (memory_growth_changed), self);
  g_autoptr (GSimpleAction) idle = g_simple_action_new_stateful ("show-idle", NULL,
                                                                 g_variant_new_boolean (FALSE));
  g_simple_action_set_enabled (idle, FALSE);
  g_signal_connect (idle, "change-state", G_CALLBACK (show_idle_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (idle));
  g_signal_connect_swapped (self->document, "notify::show-idle", G_CALLBACK (show_idle_changed), self);

  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  g_signal_connect (target, "drop", G_CALLBACK (drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  pyro_tour_bar_attach (self->tour_bar, self);
  pyro_compare_bar_attach (self->compare_bar, self, self->view_stack);
  pyro_presentation_attach (self, GTK_WIDGET (self->header_bar), self->tour_bar);
  pyro_export_dialog_attach (self);
  pyro_demos_attach (self, self->demos_submenu);
  pyro_record_actions_attach (self, self->header_bar,
                              PYRO_RECORD_BAR (gtk_widget_get_template_child (GTK_WIDGET (self), PYRO_TYPE_WINDOW, "record_bar")));

  set_title (self);
  update_actions (self);
}

PyroWindow *
pyro_window_new (AdwApplication *application)
{
  return g_object_new (PYRO_TYPE_WINDOW, "application", application, NULL);
}
