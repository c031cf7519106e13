#include "callgraph-layout.h"
#include "callgraph-style.h"

#include <glib/gi18n.h>
#include <graphviz/gvc.h>
#include <math.h>
#include <pango/pangocairo.h>

G_DEFINE_QUARK (pyro-callgraph-error-quark, pyro_callgraph_error)

#define MARGIN 12.0
#define PAD_X 8.0
#define PAD_Y 5.0
/* Graphviz measures in points, 72 to the inch; we draw one pixel a point. */
#define PIXELS_PER_INCH 72.0

static GMutex graphviz_mutex;
static GVC_t *graphviz_context;

void
pyro_callgraph_graphviz_lock (void)
{
  g_mutex_lock (&graphviz_mutex);
}

void
pyro_callgraph_graphviz_unlock (void)
{
  g_mutex_unlock (&graphviz_mutex);
}

static void
box_clear (gpointer data)
{
  PyroCallGraphBox *box = data;
  g_strfreev (box->lines);
}

static void
wire_clear (gpointer data)
{
  PyroCallGraphWire *wire = data;
  g_free (wire->points);
  g_free (wire->label);
}

static void
cluster_clear (gpointer data)
{
  PyroCallGraphCluster *cluster = data;
  g_free (cluster->name);
}

/* Pixel size of @lines, the first in bold, as the painter draws them. */
static void
measure_lines (PangoLayout *layout, const PangoFontDescription *font, char **lines,
               gboolean first_bold, double *width, double *height)
{
  double w = 0, h = 0;
  g_autoptr (PangoFontDescription) bold = pango_font_description_copy (font);
  pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      pango_layout_set_font_description (layout, i == 0 && first_bold ? bold : font);
      pango_layout_set_text (layout, lines[i], -1);
      int lw, lh;
      pango_layout_get_pixel_size (layout, &lw, &lh);
      w = MAX (w, lw);
      h += lh;
    }
  *width = w;
  *height = h;
}

static char *
inches (double pixels)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4f", pixels / PIXELS_PER_INCH));
}

static void
set_attr (void *object, const char *name, const char *value)
{
  agsafeset (object, (char *) name, (char *) value, (char *) "");
}

static void
read_wire (Agedge_t *e, const boxf *bb, PyroCallGraphWire *wire)
{
  splines *spl = ED_spl (e);
  if (spl == NULL || spl->size == 0)
    return;
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (double));
  for (int b = 0; b < spl->size; b++)
    {
      const bezier *bz = &spl->list[b];
      for (int i = b == 0 ? 0 : 1; i < bz->size; i++)
        {
          double xy[2] = { bz->list[i].x - bb->LL.x + MARGIN, bb->UR.y - bz->list[i].y + MARGIN };
          g_array_append_vals (pts, xy, 2);
        }
      if (b == spl->size - 1 && bz->eflag)
        {
          wire->has_arrow = TRUE;
          wire->tip_x = bz->ep.x - bb->LL.x + MARGIN;
          wire->tip_y = bb->UR.y - bz->ep.y + MARGIN;
        }
    }
  wire->n_points = pts->len / 2;
  wire->points = (double *) g_array_free (pts, FALSE);
}

/* Point at @t (0 … 1) along the chain of cubic segments of @wire. */
static void
wire_point (const PyroCallGraphWire *wire, double t, double *x, double *y)
{
  guint segments = wire->n_points >= 4 ? (wire->n_points - 1) / 3 : 0;
  if (segments == 0)
    {
      *x = wire->n_points > 0 ? wire->points[0] : 0;
      *y = wire->n_points > 0 ? wire->points[1] : 0;
      return;
    }
  double pos = CLAMP (t, 0, 1) * segments;
  guint i = MIN ((guint) pos, segments - 1);
  double u = pos - i, v = 1 - u;
  const double *p = wire->points + 6 * i;
  double a = v * v * v, b = 3 * v * v * u, c = 3 * v * u * u, d = u * u * u;
  *x = a * p[0] + b * p[2] + c * p[4] + d * p[6];
  *y = a * p[1] + b * p[3] + c * p[5] + d * p[7];
}

/* Rectangles already taken, bucketed in a grid so each test looks at a
 * few neighbours only. */
#define CELL 64.0

typedef struct {
  GHashTable *cells;   /* cell key -> GArray of rectangle indices */
  GArray *rects;       /* double[4]: x, y, w, h */
  GArray *owners;      /* guint32: the wire a rectangle traces, or PYRO_NONE */
} Occupancy;

static gint64
cell_key (gint64 cx, gint64 cy)
{
  return (cy << 32) ^ (cx & 0xffffffff);
}

static void
occupancy_add (Occupancy *o, double x, double y, double w, double h, guint32 owner)
{
  double r[4] = { x, y, w, h };
  guint index = o->owners->len;
  g_array_append_vals (o->rects, r, 4);
  g_array_append_val (o->owners, owner);
  for (gint64 cy = (gint64) floor (y / CELL); cy <= (gint64) floor ((y + h) / CELL); cy++)
    for (gint64 cx = (gint64) floor (x / CELL); cx <= (gint64) floor ((x + w) / CELL); cx++)
      {
        gint64 key = cell_key (cx, cy);
        GArray *list = g_hash_table_lookup (o->cells, &key);
        if (list == NULL)
          {
            list = g_array_new (FALSE, FALSE, sizeof (guint));
            g_hash_table_insert (o->cells, g_memdup2 (&key, sizeof key), list);
          }
        g_array_append_val (list, index);
      }
}

static gboolean
occupancy_hits (const Occupancy *o, double x, double y, double w, double h, guint32 ignore)
{
  for (gint64 cy = (gint64) floor (y / CELL); cy <= (gint64) floor ((y + h) / CELL); cy++)
    for (gint64 cx = (gint64) floor (x / CELL); cx <= (gint64) floor ((x + w) / CELL); cx++)
      {
        gint64 key = cell_key (cx, cy);
        GArray *list = g_hash_table_lookup (o->cells, &key);
        for (guint k = 0; list != NULL && k < list->len; k++)
          {
            guint index = g_array_index (list, guint, k);
            const double *r = &g_array_index (o->rects, double, 4 * index);
            if (g_array_index (o->owners, guint32, index) == ignore)
              continue;
            if (x < r[0] + r[2] && r[0] < x + w && y < r[1] + r[3] && r[1] < y + h)
              return TRUE;
          }
      }
  return FALSE;
}

/* Puts every edge label beside its curve, at the middle when that spot
 * clears the nodes, the other labels and the other curves, else at the
 * first clear spot further along or on the other side; heavier edges (laid
 * out first) get the better spots. */
static void
place_labels (PyroCallGraphLayout *self)
{
  static const double along[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8 };
  Occupancy o = { g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref),
                  g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (guint32)) };
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const PyroCallGraphBox *b = &g_array_index (self->boxes, PyroCallGraphBox, i);
      occupancy_add (&o, b->x, b->y, b->width, b->height, PYRO_NONE);
    }
  for (guint i = 0; i < self->wires->len; i++)
    {
      const PyroCallGraphWire *w = &g_array_index (self->wires, PyroCallGraphWire, i);
      guint steps = MAX (4, (w->n_points / 3) * 6);
      for (guint k = 0; k <= steps; k++)
        {
          double x, y;
          wire_point (w, (double) k / steps, &x, &y);
          occupancy_add (&o, x - 1.5, y - 1.5, 3, 3, i);
        }
    }
  for (guint i = 0; i < self->wires->len; i++)
    {
      PyroCallGraphWire *w = &g_array_index (self->wires, PyroCallGraphWire, i);
      double best_x = 0, best_y = 0;
      gboolean found = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (along) * 2 && !found; k++)
        {
          double mx, my;
          wire_point (w, along[k / 2], &mx, &my);
          double x = k % 2 == 0 ? mx + 5 : mx - 5 - w->label_width;
          double y = my - w->label_height / 2;
          if (k == 0)
            {
              best_x = x;
              best_y = y;
            }
          if (!occupancy_hits (&o, x, y, w->label_width, w->label_height, i))
            {
              best_x = x;
              best_y = y;
              found = TRUE;
            }
        }
      w->label_x = best_x;
      w->label_y = best_y;
      occupancy_add (&o, best_x, best_y, w->label_width, w->label_height, PYRO_NONE);
    }
  g_hash_table_unref (o.cells);
  g_array_unref (o.rects);
  g_array_unref (o.owners);
}

PyroCallGraphLayout *
pyro_callgraph_layout_new (const PyroCallGraph *graph, const PyroCallGraphSubset *subset,
                           const PyroCallGraphLayoutOptions *options, GError **error)
{
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (
    options != NULL && options->font != NULL ? options->font : "Sans 9");
  g_autoptr (PangoFontDescription) small = pango_font_description_copy (font);
  pango_font_description_set_size (small, pango_font_description_get_size (font) * 8 / 9);
  gboolean group = options != NULL && options->group_by_module;

  PyroCallGraphLayout *self = g_new0 (PyroCallGraphLayout, 1);
  self->boxes = g_array_sized_new (FALSE, TRUE, sizeof (PyroCallGraphBox), subset->nodes->len);
  g_array_set_clear_func (self->boxes, box_clear);
  self->wires = g_array_sized_new (FALSE, TRUE, sizeof (PyroCallGraphWire), subset->edges->len);
  g_array_set_clear_func (self->wires, wire_clear);
  self->clusters = g_array_new (FALSE, TRUE, sizeof (PyroCallGraphCluster));
  g_array_set_clear_func (self->clusters, cluster_clear);
  self->n_hidden_nodes = subset->n_hidden_nodes;
  self->exact = graph->exact;

  /* Text is measured outside the Graphviz lock: it is the slower half. */
  PangoFontMap *font_map = pango_cairo_font_map_get_default ();
  PangoContext *pango = pango_font_map_create_context (font_map);
  g_autoptr (PangoLayout) text = pango_layout_new (pango);
  g_object_unref (pango);
  g_autofree guint32 *box_of_node = g_new (guint32, MAX (graph->nodes->len, 1));
  for (guint i = 0; i < subset->nodes->len; i++)
    {
      guint32 n = g_array_index (subset->nodes, guint32, i);
      const PyroCallGraphNode *node = pyro_call_graph_node (graph, n);
      PyroCallGraphBox box = { n, node->func, 0, 0, 0, 0,
                               pyro_callgraph_share (graph, node->total),
                               pyro_callgraph_node_lines (graph, n) };
      measure_lines (text, font, box.lines, TRUE, &box.width, &box.height);
      box.width = ceil (box.width + 2 * PAD_X);
      box.height = ceil (box.height + 2 * PAD_Y);
      box_of_node[n] = i;
      g_array_append_val (self->boxes, box);
    }
  for (guint i = 0; i < subset->edges->len; i++)
    {
      guint32 e = g_array_index (subset->edges, guint32, i);
      const PyroCallGraphEdge *edge = pyro_call_graph_edge (graph, e);
      PyroCallGraphWire wire = { 0 };
      wire.edge = e;
      wire.from = box_of_node[edge->caller];
      wire.to = box_of_node[edge->callee];
      wire.share = pyro_callgraph_share (graph, edge->weight);
      wire.label = pyro_callgraph_edge_label (graph, e);
      g_auto (GStrv) lines = g_strsplit (wire.label, "\n", -1);
      measure_lines (text, small, lines, FALSE, &wire.label_width, &wire.label_height);
      g_array_append_val (self->wires, wire);
    }

  /* modules in order of their heaviest node */
  g_autoptr (GHashTable) cluster_of_module = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint32 *cluster_of_box = g_new (guint32, MAX (self->boxes->len, 1));
  for (guint i = 0; i < self->boxes->len; i++)
    {
      cluster_of_box[i] = PYRO_NONE;
      const char *module = pyro_callgraph_node_module (graph, g_array_index (self->boxes, PyroCallGraphBox, i).node);
      if (!group || module[0] == '\0')
        continue;
      gpointer found;
      if (!g_hash_table_lookup_extended (cluster_of_module, module, NULL, &found))
        {
          PyroCallGraphCluster cluster = { g_path_get_basename (module), 0, 0, 0, 0 };
          found = GUINT_TO_POINTER (self->clusters->len);
          g_array_append_val (self->clusters, cluster);
          g_hash_table_insert (cluster_of_module, (gpointer) module, found);
        }
      cluster_of_box[i] = GPOINTER_TO_UINT (found);
    }

  pyro_callgraph_graphviz_lock ();
  if (graphviz_context == NULL)
    {
      agseterr (AGERR);
      graphviz_context = gvContext ();
    }
  Agraph_t *g = agopen ((char *) "callgraph", Agdirected, NULL);
  agattr (g, AGRAPH, (char *) "rankdir", (char *) "TB");
  agattr (g, AGRAPH, (char *) "nodesep", (char *) "0.25");
  agattr (g, AGRAPH, (char *) "ranksep", (char *) "0.5");
  /* cluster labels: Pango sizes are points at 96 dpi, Graphviz's at 72 */
  const char *family = pango_font_description_get_family (font);
  char fontsize[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (fontsize, sizeof fontsize, "%.1f",
                   pango_font_description_get_size (font) / (double) PANGO_SCALE * 96 / 72);
  agattr (g, AGRAPH, (char *) "fontname", (char *) (family != NULL ? family : "Sans"));
  agattr (g, AGRAPH, (char *) "fontsize", fontsize);
  agattr (g, AGNODE, (char *) "shape", (char *) "box");
  agattr (g, AGNODE, (char *) "fixedsize", (char *) "true");
  agattr (g, AGNODE, (char *) "label", (char *) "");
  agattr (g, AGNODE, (char *) "width", (char *) "1");
  agattr (g, AGNODE, (char *) "height", (char *) "0.5");

  g_autofree Agraph_t **subgraphs = g_new0 (Agraph_t *, MAX (self->clusters->len, 1));
  for (guint c = 0; c < self->clusters->len; c++)
    {
      g_autofree char *name = g_strdup_printf ("cluster_%u", c);
      subgraphs[c] = agsubg (g, name, TRUE);
      set_attr (subgraphs[c], "label", g_array_index (self->clusters, PyroCallGraphCluster, c).name);
      set_attr (subgraphs[c], "labeljust", "l");
    }
  g_autofree Agnode_t **gv_nodes = g_new (Agnode_t *, MAX (self->boxes->len, 1));
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const PyroCallGraphBox *box = &g_array_index (self->boxes, PyroCallGraphBox, i);
      g_autofree char *name = g_strdup_printf ("n%u", i);
      Agraph_t *owner = cluster_of_box[i] != PYRO_NONE ? subgraphs[cluster_of_box[i]] : g;
      gv_nodes[i] = agnode (owner, name, TRUE);
      g_autofree char *w = inches (box->width);
      g_autofree char *h = inches (box->height);
      agset (gv_nodes[i], (char *) "width", w);
      agset (gv_nodes[i], (char *) "height", h);
    }
  g_autofree Agedge_t **gv_edges = g_new (Agedge_t *, MAX (self->wires->len, 1));
  for (guint i = 0; i < self->wires->len; i++)
    {
      const PyroCallGraphWire *wire = &g_array_index (self->wires, PyroCallGraphWire, i);
      gv_edges[i] = agedge (g, gv_nodes[wire->from], gv_nodes[wire->to], NULL, TRUE);
    }

  gboolean ok = self->boxes->len == 0 || gvLayout (graphviz_context, g, "dot") == 0;
  if (ok && self->boxes->len > 0)
    {
      boxf bb = GD_bb (g);
      self->width = ceil (bb.UR.x - bb.LL.x + 2 * MARGIN);
      self->height = ceil (bb.UR.y - bb.LL.y + 2 * MARGIN);
      for (guint i = 0; i < self->boxes->len; i++)
        {
          PyroCallGraphBox *box = &g_array_index (self->boxes, PyroCallGraphBox, i);
          pointf c = ND_coord (gv_nodes[i]);
          box->width = ND_width (gv_nodes[i]) * PIXELS_PER_INCH;
          box->height = ND_height (gv_nodes[i]) * PIXELS_PER_INCH;
          box->x = c.x - bb.LL.x + MARGIN - box->width / 2;
          box->y = bb.UR.y - c.y + MARGIN - box->height / 2;
        }
      for (guint i = 0; i < self->wires->len; i++)
        {
          PyroCallGraphWire *wire = &g_array_index (self->wires, PyroCallGraphWire, i);
          read_wire (gv_edges[i], &bb, wire);
        }
      for (guint c = 0; c < self->clusters->len; c++)
        {
          PyroCallGraphCluster *cluster = &g_array_index (self->clusters, PyroCallGraphCluster, c);
          boxf cb = GD_bb (subgraphs[c]);
          cluster->x = cb.LL.x - bb.LL.x + MARGIN;
          cluster->y = bb.UR.y - cb.UR.y + MARGIN;
          cluster->width = cb.UR.x - cb.LL.x;
          cluster->height = cb.UR.y - cb.LL.y;
        }
    }
  /* A layout that failed half-way holds memory too. */
  if (self->boxes->len > 0)
    gvFreeLayout (graphviz_context, g);
  agclose (g);
  pyro_callgraph_graphviz_unlock ();

  if (ok && self->boxes->len > 0)
    {
      place_labels (self);
      /* labels may stick out past dot's bounding box */
      for (guint i = 0; i < self->wires->len; i++)
        {
          const PyroCallGraphWire *w = &g_array_index (self->wires, PyroCallGraphWire, i);
          self->width = MAX (self->width, ceil (w->label_x + w->label_width + MARGIN));
        }
    }

  if (!ok)
    {
      g_set_error (error, PYRO_CALLGRAPH_ERROR, PYRO_CALLGRAPH_ERROR_LAYOUT,
                   _("Graphviz could not lay out the call graph; is the graphviz package (its dot layout plugin) installed?"));
      pyro_callgraph_layout_free (self);
      return NULL;
    }
  if (self->boxes->len == 0)
    {
      self->width = 2 * MARGIN;
      self->height = 2 * MARGIN;
    }
  return self;
}

void
pyro_callgraph_layout_free (PyroCallGraphLayout *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->boxes);
  g_array_unref (self->wires);
  g_array_unref (self->clusters);
  g_free (self);
}

guint32
pyro_callgraph_layout_box_at (const PyroCallGraphLayout *self, double x, double y)
{
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const PyroCallGraphBox *box = &g_array_index (self->boxes, PyroCallGraphBox, i);
      if (x >= box->x && x < box->x + box->width && y >= box->y && y < box->y + box->height)
        return i;
    }
  return PYRO_NONE;
}

guint32
pyro_callgraph_layout_find_func (const PyroCallGraphLayout *self, guint32 func)
{
  for (guint i = 0; i < self->boxes->len; i++)
    if (g_array_index (self->boxes, PyroCallGraphBox, i).func == func)
      return i;
  return PYRO_NONE;
}
