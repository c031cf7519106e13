#include <glib/gi18n.h>

#include "application.h"
#include "compare-bar.h"
#include "demos.h"
#include "window.h"
#include "preferences-window.h"

#define RECENT_APP_NAME "Pyrometer"
#define RECENT_MAX 10

struct _PyroApplication
{
  AdwApplication parent_instance;
  GMenu *recent_menu;
  GtkRecentManager *recent_manager;
  GSettings *settings;
  GFile *compare_before;   /* --compare: the profile the opened one is compared with */
  gboolean open_demo;      /* --demo */
};

G_DEFINE_FINAL_TYPE (PyroApplication, pyro_application, ADW_TYPE_APPLICATION)

static PyroWindow *
new_window (PyroApplication *self)
{
  return pyro_window_new (ADW_APPLICATION (self));
}

PyroWindow *
pyro_application_open_file (PyroApplication *self, GFile *file, PyroWindow *hint)
{
  g_return_val_if_fail (PYRO_IS_APPLICATION (self), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (!PYRO_IS_WINDOW (l->data))
        continue;
      PyroWindow *window = l->data;
      GFile *shown = pyro_document_get_file (pyro_window_get_document (window));
      if (shown != NULL && g_file_equal (shown, file) && !pyro_window_is_reusable (window))
        {
          gtk_window_present (GTK_WINDOW (window));
          return window;
        }
    }

  PyroWindow *window = hint != NULL && pyro_window_is_reusable (hint) ? hint : new_window (self);
  pyro_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Recent files */

static int
compare_recent (gconstpointer a, gconstpointer b)
{
  GDateTime *x = gtk_recent_info_get_modified ((GtkRecentInfo *) a);
  GDateTime *y = gtk_recent_info_get_modified ((GtkRecentInfo *) b);
  return g_date_time_compare (y, x);
}

static void
rebuild_recent_menu (PyroApplication *self)
{
  GList *items = gtk_recent_manager_get_items (self->recent_manager);
  GList *ours = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_application (l->data, RECENT_APP_NAME) && gtk_recent_info_exists (l->data))
      ours = g_list_prepend (ours, l->data);
  ours = g_list_sort (ours, compare_recent);

  g_menu_remove_all (self->recent_menu);
  guint n = 0;
  for (GList *l = ours; l != NULL && n < RECENT_MAX; l = l->next, n++)
    {
      g_autofree char *label = g_strdup (gtk_recent_info_get_display_name (l->data));
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                         gtk_recent_info_get_uri (l->data));
      g_menu_append_item (self->recent_menu, item);
    }
  g_list_free (ours);
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

void
pyro_application_add_recent (PyroApplication *self, GFile *file, const char *mime_type)
{
  g_return_if_fail (PYRO_IS_APPLICATION (self));
  if (file == NULL)
    return;
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .mime_type = (char *) (mime_type != NULL ? mime_type : "application/octet-stream"),
    .app_name = (char *) RECENT_APP_NAME,
    .app_exec = (char *) "pyrometer %u",
  };
  gtk_recent_manager_add_full (self->recent_manager, uri, &data);
}

GMenuModel *
pyro_application_get_recent_menu (PyroApplication *self)
{
  g_return_val_if_fail (PYRO_IS_APPLICATION (self), NULL);
  return G_MENU_MODEL (self->recent_menu);
}

GSettings *
pyro_application_get_settings (PyroApplication *self)
{
  g_return_val_if_fail (PYRO_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* Settings are optional: running from the build tree, the schema may not be
 * installed, and the window then simply opens at its default size. */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, PYRO_APP_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/* Actions */

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = user_data;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
  /* A window saving a recording closes by itself once it is saved; the
   * application ends with its last window. */
  if (gtk_application_get_windows (GTK_APPLICATION (app)) == NULL)
    g_application_quit (app);
}

static void
new_window_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (PYRO_APPLICATION (user_data))));
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { _("The Pyrometer authors"), NULL };
  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", gtk_application_get_active_window (app),
                                   "application-name", _("Pyrometer"),
                                   "application-icon", PYRO_APP_ID,
                                   "version", PYRO_VERSION,
                                   "comments", _("See where a program spends its time: flame "
                                                 "graphs, icicle charts, squaremaps and function "
                                                 "tables of perf, cProfile, Sysprof and folded-stack "
                                                 "profiles."),
                                   "license-type", GTK_LICENSE_MIT_X11,
                                   "developers", developers,
                                   "website", "https://github.com/pyrometer/pyrometer",
                                   NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  PyroApplication *self = user_data;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PYRO_IS_PREFERENCES_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return;
      }
  GtkWidget *prefs = pyro_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (prefs),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_set_application (GTK_WINDOW (prefs), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (prefs));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "new-window", .activate = new_window_action },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
};

/* GApplication */

static void
pyro_application_startup (GApplication *app)
{
  PyroApplication *self = PYRO_APPLICATION (app);
  G_APPLICATION_CLASS (pyro_application_parent_class)->startup (app);

  g_set_application_name (_("Pyrometer"));
  gtk_window_set_default_icon_name (PYRO_APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);

  struct { const char *action; const char *accels[2]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.close", { "<Control>w", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.find", { "<Control>f", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  self->recent_manager = gtk_recent_manager_get_default ();
  g_signal_connect_object (self->recent_manager, "changed", G_CALLBACK (rebuild_recent_menu), self,
                           G_CONNECT_SWAPPED);
  rebuild_recent_menu (self);
  self->settings = lookup_settings ();
  /* Without the schema there is nothing to edit. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences")),
                               self->settings != NULL);
}

/* --compare and --demo act in the instance that parsed them: the one that
 * runs, unless another instance is already running. */
static int
pyro_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  PyroApplication *self = PYRO_APPLICATION (app);
  g_autofree char *compare = NULL;
  if (g_variant_dict_lookup (options, "compare", "^ay", &compare))
    self->compare_before = g_file_new_for_commandline_arg (compare);
  self->open_demo = g_variant_dict_contains (options, "demo");
  return -1;
}

static void
pyro_application_activate (GApplication *app)
{
  PyroApplication *self = PYRO_APPLICATION (app);
  if (self->open_demo)
    {
      self->open_demo = FALSE;
      g_autoptr (GFile) demo = pyro_demos_find_bundled ();
      if (demo != NULL)
        {
          pyro_application_open_file (self, demo, NULL);
          return;
        }
      g_printerr (_("pyrometer: the bundled demo recording is not installed\n"));
    }
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (new_window (PYRO_APPLICATION (app)));
  gtk_window_present (window);
}

static void
pyro_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  PyroApplication *self = PYRO_APPLICATION (app);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
  PyroWindow *reuse = active != NULL && PYRO_IS_WINDOW (active) ? PYRO_WINDOW (active) : NULL;

  for (int i = 0; i < n_files; i++)
    {
      PyroWindow *window = pyro_application_open_file (self, files[i], i == 0 ? reuse : NULL);
      if (i == 0 && self->compare_before != NULL)
        pyro_compare_bar_compare_with_file (pyro_window_get_compare_bar (window), self->compare_before);
    }
  g_clear_object (&self->compare_before);
}

static void
pyro_application_finalize (GObject *object)
{
  PyroApplication *self = PYRO_APPLICATION (object);
  g_clear_object (&self->recent_menu);
  g_clear_object (&self->settings);
  g_clear_object (&self->compare_before);
  G_OBJECT_CLASS (pyro_application_parent_class)->finalize (object);
}

static void
pyro_application_class_init (PyroApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = pyro_application_finalize;
  app_class->startup = pyro_application_startup;
  app_class->activate = pyro_application_activate;
  app_class->handle_local_options = pyro_application_handle_local_options;
  app_class->open = pyro_application_open;
}

static void
pyro_application_init (PyroApplication *self)
{
  const GOptionEntry options[] = {
    { "compare", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Show the profile opened compared with this one (before)"), N_("FILE_A") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open the bundled demo recording"), NULL },
    { NULL },
  };
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  self->recent_menu = g_menu_new ();
}

PyroApplication *
pyro_application_new (void)
{
  return g_object_new (PYRO_TYPE_APPLICATION,
                       "application-id", PYRO_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/pyrometer/Pyrometer",
                       NULL);
}

int
pyro_application_run (int argc, char **argv)
{
  g_autoptr (PyroApplication) app = pyro_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
