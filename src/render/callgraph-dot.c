#include "callgraph-dot.h"
#include "callgraph-layout.h"

#include <graphviz/cgraph.h>
#include <math.h>

static int
put_string (void *chan, const char *str)
{
  g_string_append ((GString *) chan, str);
  return 0;
}

static int
flush_nothing (void *chan)
{
  return 0;
}

static void
set_attr (void *object, const char *name, const char *value)
{
  agsafeset (object, (char *) name, (char *) value, (char *) "");
}

static void
set_number (void *object, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  set_attr (object, name, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

static void
set_colors (void *object, PyroRgb fill, gboolean node)
{
  g_autofree char *hex = pyro_callgraph_color_hex (fill);
  g_autofree char *dark = pyro_callgraph_color_hex (pyro_rgb_mix (fill, (PyroRgb) { 0, 0, 0 }, 0.35));
  if (node)
    {
      g_autofree char *ink = pyro_callgraph_color_hex (pyro_palette_text_color (fill));
      set_attr (object, "fillcolor", hex);
      set_attr (object, "color", dark);
      set_attr (object, "fontcolor", ink);
    }
  else
    {
      set_attr (object, "color", hex);
      set_attr (object, "fontcolor", dark);
    }
}

/* <b>name</b><br/>module:line<br/>… with every line escaped for HTML. */
static char *
html_label (char **lines)
{
  GString *html = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (lines[i], -1);
      if (i == 0)
        g_string_append_printf (html, "<b>%s</b>", escaped);
      else
        g_string_append_printf (html, "<br/>%s", escaped);
    }
  return g_string_free (html, FALSE);
}

/* Backslashes would start dot escapes; newlines become centred breaks. */
static char *
dot_escape (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
pyro_callgraph_dot_new (const PyroCallGraph *graph, const PyroCallGraphSubset *subset,
                        PyroCallGraphColors colors, gboolean group_by_module)
{
  Agiodisc_t io = { AgIoDisc.afread, put_string, flush_nothing };
  Agdisc_t disc = { &AgMemDisc, &AgIdDisc, &io };
  GString *out = g_string_new (NULL);

  pyro_callgraph_graphviz_lock ();
  Agraph_t *g = agopen ((char *) "callgraph", Agdirected, &disc);
  agattr (g, AGRAPH, (char *) "rankdir", (char *) "TB");
  agattr (g, AGRAPH, (char *) "nodesep", (char *) "0.25");
  agattr (g, AGRAPH, (char *) "ranksep", (char *) "0.5");
  agattr (g, AGRAPH, (char *) "fontname", (char *) "Sans");
  agattr (g, AGNODE, (char *) "shape", (char *) "box");
  agattr (g, AGNODE, (char *) "style", (char *) "filled,rounded");
  agattr (g, AGNODE, (char *) "fontname", (char *) "Sans");
  agattr (g, AGNODE, (char *) "fontsize", (char *) "10");
  agattr (g, AGEDGE, (char *) "fontname", (char *) "Sans");
  agattr (g, AGEDGE, (char *) "fontsize", (char *) "9");
  Agsym_t *node_label = agattr (g, AGNODE, (char *) "label", (char *) "\\N");

  g_autoptr (GHashTable) cluster_of_module = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree Agnode_t **gv_node = g_new0 (Agnode_t *, MAX (graph->nodes->len, 1));
  for (guint i = 0; i < subset->nodes->len; i++)
    {
      guint32 n = g_array_index (subset->nodes, guint32, i);
      const PyroCallGraphNode *node = pyro_call_graph_node (graph, n);
      Agraph_t *owner = g;
      const char *module = pyro_callgraph_node_module (graph, n);
      if (group_by_module && module[0] != '\0')
        {
          owner = g_hash_table_lookup (cluster_of_module, module);
          if (owner == NULL)
            {
              g_autofree char *name = g_strdup_printf ("cluster_%u", g_hash_table_size (cluster_of_module));
              g_autofree char *base = g_path_get_basename (module);
              g_autofree char *label = dot_escape (base);
              owner = agsubg (g, name, TRUE);
              set_attr (owner, "label", label);
              set_attr (owner, "labeljust", "l");
              set_attr (owner, "style", "rounded");
              g_hash_table_insert (cluster_of_module, (gpointer) module, owner);
            }
        }
      g_autofree char *name = g_strdup_printf ("f%u", node->func);
      gv_node[n] = agnode (owner, name, TRUE);
      g_auto (GStrv) lines = pyro_callgraph_node_lines (graph, n);
      g_autofree char *html = html_label (lines);
      agxset (gv_node[n], node_label, agstrdup_html (g, html));
      set_colors (gv_node[n], pyro_callgraph_color (colors, pyro_callgraph_share (graph, node->total)), TRUE);
    }
  for (guint i = 0; i < subset->edges->len; i++)
    {
      guint32 e = g_array_index (subset->edges, guint32, i);
      const PyroCallGraphEdge *edge = pyro_call_graph_edge (graph, e);
      Agedge_t *gv_edge = agedge (g, gv_node[edge->caller], gv_node[edge->callee], NULL, TRUE);
      g_autofree char *text = pyro_callgraph_edge_label (graph, e);
      g_autofree char *label = dot_escape (text);
      double share = pyro_callgraph_share (graph, edge->weight);
      double width = pyro_callgraph_edge_width (share);
      set_attr (gv_edge, "label", label);
      set_number (gv_edge, "penwidth", width);
      set_number (gv_edge, "arrowsize", MAX (0.5, sqrt (width) / 2));
      set_colors (gv_edge, pyro_callgraph_color (colors, share), FALSE);
    }
  agwrite (g, out);
  agclose (g);
  pyro_callgraph_graphviz_unlock ();
  return g_string_free (out, FALSE);
}
