#include <glib/gi18n.h>

#include "breadcrumb-bar.h"

struct _PyroBreadcrumbBar
{
  AdwBin parent_instance;
  GtkWidget *scroller;
  GtkWidget *box;
};

G_DEFINE_FINAL_TYPE (PyroBreadcrumbBar, pyro_breadcrumb_bar, ADW_TYPE_BIN)

enum { ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
crumb_clicked (GtkButton *button, PyroBreadcrumbBar *self)
{
  guint node = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "pyro-node"));
  g_signal_emit (self, signals[ACTIVATED], 0, node);
}

static gboolean
scroll_to_end (gpointer user_data)
{
  PyroBreadcrumbBar *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
pyro_breadcrumb_bar_set_path (PyroBreadcrumbBar *self, const PyroCallTree *tree, guint32 node)
{
  g_return_if_fail (PYRO_IS_BREADCRUMB_BAR (self));

  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  if (tree == NULL)
    return;

  g_autoptr (GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (node != 0 && node < tree->n_nodes)
    pyro_call_tree_path (tree, node, path);
  guint32 root = 0;
  g_array_prepend_val (path, root);

  for (guint i = 0; i < path->len; i++)
    {
      guint32 n = g_array_index (path, guint32, i);
      const char *name = tree->func[n] == PYRO_NONE
                           ? _("All")
                           : pyro_profile_func_name (tree->profile, tree->func[n]);
      if (i > 0)
        {
          GtkWidget *sep = gtk_image_new_from_icon_name ("go-next-symbolic");
          gtk_widget_add_css_class (sep, "dim-label");
          gtk_box_append (GTK_BOX (self->box), sep);
        }
      GtkWidget *label = gtk_label_new (name);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_widget_set_tooltip_text (label, name);
      if (i + 1 == path->len)
        {
          /* Where the view is: a label, not a button. */
          gtk_widget_add_css_class (label, "heading");
          gtk_widget_add_css_class (label, "current");
          gtk_box_append (GTK_BOX (self->box), label);
          break;
        }
      GtkWidget *button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data (G_OBJECT (button), "pyro-node", GUINT_TO_POINTER (n));
      g_signal_connect (button, "clicked", G_CALLBACK (crumb_clicked), self);
      gtk_box_append (GTK_BOX (self->box), button);
    }
  g_idle_add (scroll_to_end, g_object_ref (self));
}

static void
pyro_breadcrumb_bar_class_init (PyroBreadcrumbBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[ACTIVATED] =
    g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_css_name (widget_class, "breadcrumbbar");
}

static void
pyro_breadcrumb_bar_init (PyroBreadcrumbBar *self)
{
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_EXTERNAL, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->box);
  adw_bin_set_child (ADW_BIN (self), self->scroller);
}

GtkWidget *
pyro_breadcrumb_bar_new (void)
{
  return g_object_new (PYRO_TYPE_BREADCRUMB_BAR, NULL);
}
