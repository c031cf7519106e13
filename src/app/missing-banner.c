#include <glib/gi18n.h>

#include "missing-banner.h"

/* Problems listed before the rest is counted. */
#define MAX_SHOWN 5

struct _PyroMissingBanner
{
  GtkWidget parent_instance;

  GtkWidget *revealer;
  GtkWidget *label;
  PyroDocument *document;
  GFile *dismissed;   /* the file whose problems were dismissed */
};

G_DEFINE_FINAL_TYPE (PyroMissingBanner, pyro_missing_banner, GTK_TYPE_WIDGET)

static void
show (PyroMissingBanner *self, gboolean shown)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), shown);
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
}

static void
state_changed (PyroMissingBanner *self)
{
  PyroDocumentState state = pyro_document_get_state (self->document);
  GFile *file = pyro_document_get_file (self->document);
  PyroProfile *profile = state == PYRO_DOCUMENT_READY ? pyro_document_get_profile (self->document) : NULL;
  if (profile == NULL || profile->warnings->len == 0
      || (self->dismissed != NULL && file != NULL && g_file_equal (self->dismissed, file)))
    {
      show (self, FALSE);
      return;
    }
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *heading = g_markup_escape_text (_("Loaded with warnings"), -1);
  g_string_append_printf (text, "<b>%s</b>", heading);
  guint n = profile->warnings->len;
  for (guint i = 0; i < MIN (n, MAX_SHOWN); i++)
    {
      g_autofree char *line = g_markup_escape_text (g_ptr_array_index (profile->warnings, i), -1);
      g_string_append_printf (text, "\n%s", line);
    }
  if (n > MAX_SHOWN)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %u more problem",
                                                 "and %u more problems", n - MAX_SHOWN),
                              n - MAX_SHOWN);
    }
  gtk_label_set_markup (GTK_LABEL (self->label), text->str);
  show (self, TRUE);
}

static void
dismiss_clicked (PyroMissingBanner *self)
{
  pyro_missing_banner_dismiss (self);
}

void
pyro_missing_banner_dismiss (PyroMissingBanner *self)
{
  g_return_if_fail (PYRO_IS_MISSING_BANNER (self));
  GFile *file = self->document != NULL ? pyro_document_get_file (self->document) : NULL;
  g_set_object (&self->dismissed, file);
  show (self, FALSE);
}

void
pyro_missing_banner_set_document (PyroMissingBanner *self, PyroDocument *document)
{
  g_return_if_fail (PYRO_IS_MISSING_BANNER (self));
  g_return_if_fail (PYRO_IS_DOCUMENT (document));
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  g_signal_connect_swapped (document, "notify::state", G_CALLBACK (state_changed), self);
  state_changed (self);
}

gboolean
pyro_missing_banner_get_shown (PyroMissingBanner *self)
{
  g_return_val_if_fail (PYRO_IS_MISSING_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
pyro_missing_banner_get_text (PyroMissingBanner *self)
{
  g_return_val_if_fail (PYRO_IS_MISSING_BANNER (self), NULL);
  return pyro_missing_banner_get_shown (self) ? gtk_label_get_text (GTK_LABEL (self->label)) : NULL;
}

GtkWidget *
pyro_missing_banner_new (void)
{
  return g_object_new (PYRO_TYPE_MISSING_BANNER, NULL);
}

static void
pyro_missing_banner_dispose (GObject *object)
{
  PyroMissingBanner *self = PYRO_MISSING_BANNER (object);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_object (&self->dismissed);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  G_OBJECT_CLASS (pyro_missing_banner_parent_class)->dispose (object);
}

static void
pyro_missing_banner_class_init (PyroMissingBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pyro_missing_banner_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "missingbanner");
}

static void
pyro_missing_banner_init (PyroMissingBanner *self)
{
  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "missing-box");
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);

  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), icon);

  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->label), TRUE);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_box_append (GTK_BOX (box), self->label);

  GtkWidget *dismiss = gtk_button_new_with_mnemonic (_("_Dismiss"));
  gtk_widget_set_valign (dismiss, GTK_ALIGN_START);
  g_signal_connect_swapped (dismiss, "clicked", G_CALLBACK (dismiss_clicked), self);
  gtk_box_append (GTK_BOX (box), dismiss);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
