#include <glib/gi18n.h>
#include <string.h>

#include "frame-actions.h"
#include "render/weight-format.h"

char *
pyro_frame_tooltip_markup (PyroDocument *document, const PyroCallTree *tree, guint32 node)
{
  PyroProfile *profile = pyro_document_get_profile (document);
  guint32 func = tree->func[node];
  double all = pyro_call_tree_total (tree);
  PyroUnit unit = profile->meta.unit;
  g_autofree char *self_text = pyro_format_weight (unit, tree->self[node]);
  g_autofree char *total_text = pyro_format_weight (unit, tree->total[node]);
  GString *out = g_string_new (NULL);

  if (func == PYRO_NONE)
    g_string_append_printf (out, "<b>%s</b>", _("All samples"));
  else
    {
      g_autofree char *name = g_markup_escape_text (pyro_profile_func_name (profile, func), -1);
      g_string_append_printf (out, "<b>%s</b>", name);
      const char *file = pyro_profile_func_file (profile, func);
      if (file[0] != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (file, -1);
          guint32 line = pyro_profile_func_line (profile, func);
          if (line > 0)
            g_string_append_printf (out, "\n<small>%s:%u</small>", escaped, line);
          else
            g_string_append_printf (out, "\n<small>%s</small>", escaped);
        }
    }
  g_string_append_printf (out, "\n%s %s (%.2f%%)", _("Self:"), self_text,
                          all > 0 ? 100.0 * tree->self[node] / all : 0.0);
  g_string_append_printf (out, "\n%s %s (%.2f%%)", _("Total:"), total_text,
                          all > 0 ? 100.0 * tree->total[node] / all : 0.0);
  if (unit != PYRO_UNIT_SAMPLES && tree->sample_count > 0)
    g_string_append_printf (out, "\n%s %.0f", _("Samples in view:"), tree->sample_count);
  if (profile->meta.estimated)
    g_string_append_printf (out, "\n<i>%s</i>", _("Estimated from caller/callee pairs"));
  return g_string_free (out, FALSE);
}

GMenuModel *
pyro_frame_menu_new (const char *prefix)
{
  GMenu *menu = g_menu_new ();
  GMenu *transforms = g_menu_new ();
  GMenu *view = g_menu_new ();
  GMenu *undo = g_menu_new ();
  struct { const char *label; const char *action; } items[] = {
    { N_("_Focus on Function"), "focus" },
    { N_("_Merge Function"), "merge" },
    { N_("_Drop Function"), "drop" },
    { N_("_Collapse Recursion"), "collapse" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *action = g_strdup_printf ("%s.%s", prefix, items[i].action);
      g_menu_append (transforms, _(items[i].label), action);
    }
  g_autofree char *invert = g_strdup_printf ("%s.invert", prefix);
  g_menu_append (view, _("_Invert (Bottom-Up)"), invert);
  g_menu_append (undo, _("_Undo"), "win.undo");

  g_menu_append_section (menu, NULL, G_MENU_MODEL (transforms));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (undo));
  g_object_unref (transforms);
  g_object_unref (view);
  g_object_unref (undo);
  return G_MENU_MODEL (menu);
}

void
pyro_frame_activate (PyroDocument *document, const PyroCallTree *tree, guint32 node,
                     const char *action_name)
{
  const char *dot = strrchr (action_name, '.');
  const char *name = dot != NULL ? dot + 1 : action_name;

  if (g_str_equal (name, "invert"))
    {
      pyro_document_set_inverted (document, !pyro_document_get_inverted (document));
      return;
    }
  if (tree == NULL || node == PYRO_NONE || node >= tree->n_nodes || tree->func[node] == PYRO_NONE)
    return;

  guint32 func = tree->func[node];
  if (g_str_equal (name, "focus"))
    pyro_document_push_transform (document, PYRO_TRANSFORM_FOCUS_FUNC, func);
  else if (g_str_equal (name, "merge"))
    pyro_document_push_transform (document, PYRO_TRANSFORM_MERGE_FUNC, func);
  else if (g_str_equal (name, "drop"))
    pyro_document_push_transform (document, PYRO_TRANSFORM_DROP_FUNC, func);
  else if (g_str_equal (name, "collapse"))
    pyro_document_push_transform (document, PYRO_TRANSFORM_COLLAPSE_RECURSION, func);
}

GArray *
pyro_frame_path_funcs (const PyroCallTree *tree, guint32 node)
{
  GArray *funcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (tree == NULL || node == PYRO_NONE || node >= tree->n_nodes)
    return funcs;
  g_autoptr (GArray) path = g_array_new (FALSE, FALSE, sizeof (guint32));
  pyro_call_tree_path (tree, node, path);
  for (guint i = 0; i < path->len; i++)
    g_array_append_val (funcs, tree->func[g_array_index (path, guint32, i)]);
  return funcs;
}

guint32
pyro_frame_path_find (const PyroCallTree *tree, GArray *funcs)
{
  guint32 node = 0;
  if (tree == NULL || funcs == NULL)
    return 0;
  for (guint i = 0; i < funcs->len; i++)
    {
      guint32 child = pyro_call_tree_find_child (tree, node, g_array_index (funcs, guint32, i));
      if (child == PYRO_NONE)
        break;
      node = child;
    }
  return node;
}
