/* Layout geometry on hand-computed trees, and exports read back. */
#include "core/call-tree.h"
#include "fixtures.h"
#include "render/export.h"
#include "render/flame-layout.h"
#include "render/flame-painter.h"
#include "render/palette.h"
#include "render/squaremap-layout.h"
#include "render/squaremap-painter.h"

#include <cairo.h>
#include <math.h>
#include <string.h>

/* root 100 = d 60 + a 40 (a = b 30 + c 10); "tiny" is 1/100000 of it. */
static const char *shape = "d 60\na;b 30\na;c 10\na;c;tiny;deeper 0.001\n";

static guint32
node_at (const PyroCallTree *tree, PyroProfile *p, const char *const *path)
{
  guint32 node = 0;
  for (guint i = 0; path[i] != NULL && node != PYRO_NONE; i++)
    node = pyro_call_tree_find_child (tree, node, fixture_func (p, path[i]));
  return node;
}

#define NODE(tree, p, ...) node_at ((tree), (p), (const char *const[]) { __VA_ARGS__, NULL })

static const PyroFlameRect *
rect_of (const PyroFlameLayout *layout, guint32 node)
{
  const PyroFlameRect *r = pyro_flame_layout_find (layout, node);
  g_assert_nonnull (r);
  return r;
}

static void
test_flame_widths (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (shape);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (PyroFlameLayout) l = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_FLAME, 1000, 0, 18);
  double total = pyro_call_tree_total (t);

  /* heaviest first: d (60) left of a (40.001) */
  const PyroFlameRect *d = rect_of (l, NODE (t, p, "d"));
  const PyroFlameRect *a = rect_of (l, NODE (t, p, "a"));
  const PyroFlameRect *b = rect_of (l, NODE (t, p, "a", "b"));
  const PyroFlameRect *c = rect_of (l, NODE (t, p, "a", "c"));
  g_assert_cmpfloat_with_epsilon (d->x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (d->w, 1000 * 60 / total, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->x, d->w, 1e-9);
  g_assert_cmpfloat_with_epsilon (a->w, 1000 * 40.001 / total, 1e-9);
  g_assert_cmpfloat_with_epsilon (b->x, a->x, 1e-9);
  g_assert_cmpfloat_with_epsilon (b->w, 1000 * 30 / total, 1e-9);
  g_assert_cmpfloat_with_epsilon (c->x, a->x + b->w, 1e-9);
  g_assert_cmpfloat_with_epsilon (c->w, 1000 * 10.001 / total, 1e-9);
  g_assert_cmpfloat (rect_of (l, 0)->w, ==, 1000);

  /* tiny is 0.01 px wide: skipped, and so is what it calls */
  g_assert_null (pyro_flame_layout_find (l, NODE (t, p, "a", "c", "tiny")));
  g_assert_null (pyro_flame_layout_find (l, NODE (t, p, "a", "c", "tiny", "deeper")));
  g_assert_cmpuint (l->rects->len, ==, 5);
  g_assert_cmpuint (l->n_rows, ==, 3);

  /* 1000x wider, tiny is 10 px and deeper 1 px: both drawn */
  g_autoptr (PyroFlameLayout) wide = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_FLAME, 1e6, 0, 18);
  g_assert_nonnull (pyro_flame_layout_find (wide, NODE (t, p, "a", "c", "tiny", "deeper")));
  g_assert_cmpuint (wide->n_rows, ==, 5);
}

static void
test_flame_orientation (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (shape);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (PyroFlameLayout) flame = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_FLAME, 1000, 100, 18);
  g_autoptr (PyroFlameLayout) icicle = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_ICICLE, 1000, 100, 18);
  guint32 b = NODE (t, p, "a", "b");

  /* the viewport is taller than the 3 rows: the flame sits on its floor */
  g_assert_cmpfloat (flame->content_height, ==, 100);
  g_assert_cmpfloat (rect_of (flame, 0)->y, ==, 100 - 18);
  g_assert_cmpfloat (rect_of (flame, b)->y, ==, 100 - 3 * 18);
  g_assert_cmpfloat (rect_of (icicle, 0)->y, ==, 0);
  g_assert_cmpfloat (rect_of (icicle, b)->y, ==, 2 * 18);
  g_assert_cmpfloat (rect_of (icicle, b)->h, ==, 18);
  g_assert_cmpfloat (rect_of (icicle, b)->x, ==, rect_of (flame, b)->x);

  /* a viewport shorter than the rows grows to fit them */
  g_autoptr (PyroFlameLayout) low = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_FLAME, 1000, 20, 18);
  g_assert_cmpfloat (low->content_height, ==, 54);
}

static void
test_flame_zoom (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (shape);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  guint32 a = NODE (t, p, "a"), c = NODE (t, p, "a", "c");
  g_autoptr (PyroFlameLayout) l = pyro_flame_layout_new (t, c, PYRO_FLAME_ORIENTATION_ICICLE, 1000, 0, 18);

  /* the path to c stays as full-width rows, root first */
  const PyroFlameRect *r0 = &g_array_index (l->rects, PyroFlameRect, 0);
  const PyroFlameRect *r1 = &g_array_index (l->rects, PyroFlameRect, 1);
  const PyroFlameRect *r2 = &g_array_index (l->rects, PyroFlameRect, 2);
  g_assert_cmpuint (r0->node, ==, 0);
  g_assert_cmpuint (r1->node, ==, a);
  g_assert_cmpuint (r2->node, ==, c);
  g_assert_true (r0->flags & PYRO_FLAME_RECT_ANCESTOR);
  g_assert_true (r1->flags & PYRO_FLAME_RECT_ANCESTOR);
  g_assert_true (r2->flags & PYRO_FLAME_RECT_ZOOM);
  g_assert_cmpfloat (r1->w, ==, 1000);
  g_assert_cmpfloat (r2->w, ==, 1000);
  g_assert_cmpfloat (r2->y, ==, 2 * 18);

  /* tiny is 0.001 of c's 10.001: 0.1 px at 1000 px, 10 px at 100000 */
  g_assert_null (pyro_flame_layout_find (l, NODE (t, p, "a", "c", "tiny")));
  g_autoptr (PyroFlameLayout) wide = pyro_flame_layout_new (t, c, PYRO_FLAME_ORIENTATION_ICICLE, 100000, 0, 18);
  const PyroFlameRect *tiny = rect_of (wide, NODE (t, p, "a", "c", "tiny"));
  g_assert_cmpfloat_with_epsilon (tiny->w, 100000 * 0.001 / 10.001, 1e-6);
  /* outside the zoom: neither d nor b */
  g_assert_null (pyro_flame_layout_find (wide, NODE (t, p, "d")));
  g_assert_null (pyro_flame_layout_find (wide, NODE (t, p, "a", "b")));
}

static void
test_flame_hit (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (shape);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);

  for (int o = 0; o < 2; o++)
    {
      g_autoptr (PyroFlameLayout) l = pyro_flame_layout_new (t, 0, o, 1000, 200, 18);
      for (guint i = 0; i < l->rects->len; i++)
        {
          const PyroFlameRect *r = &g_array_index (l->rects, PyroFlameRect, i);
          g_assert_cmpuint (pyro_flame_layout_hit (l, r->x + r->w / 2, r->y + r->h / 2), ==, r->node);
          g_assert_cmpuint (pyro_flame_layout_hit (l, r->x + 0.01, r->y + 0.01), ==, r->node);
          /* the top-left corner belongs to the frame, the bottom edge to the next row */
          g_assert_cmpuint (pyro_flame_layout_hit (l, r->x, r->y), ==, r->node);
          g_assert_cmpuint (pyro_flame_layout_hit (l, r->x + r->w / 2, r->y + r->h - 1e-6), ==, r->node);
        }
      /* above d (which calls nothing) and beyond the deepest row: nothing */
      const PyroFlameRect *d = rect_of (l, NODE (t, p, "d"));
      double above_d = o == PYRO_FLAME_ORIENTATION_FLAME ? d->y - 9 : d->y + 18 + 9;
      g_assert_cmpuint (pyro_flame_layout_hit (l, d->x + 5, above_d), ==, PYRO_NONE);
      g_assert_cmpuint (pyro_flame_layout_hit (l, 500, o == PYRO_FLAME_ORIENTATION_FLAME ? 5 : 195), ==, PYRO_NONE);
      g_assert_cmpuint (pyro_flame_layout_hit (l, -1, d->y + 1), ==, PYRO_NONE);
      g_assert_cmpuint (pyro_flame_layout_hit (l, 1000, d->y + 1), ==, PYRO_NONE);
    }

  /* zoomed: the ancestor rows hit their node across the whole width */
  guint32 c = NODE (t, p, "a", "c");
  g_autoptr (PyroFlameLayout) z = pyro_flame_layout_new (t, c, PYRO_FLAME_ORIENTATION_ICICLE, 1000, 0, 18);
  g_assert_cmpuint (pyro_flame_layout_hit (z, 990, 20), ==, NODE (t, p, "a"));
  g_assert_cmpuint (pyro_flame_layout_hit (z, 1, 2), ==, 0);
  g_assert_cmpuint (pyro_flame_layout_hit (z, 700, 40), ==, c);
}

static PyroRgb
pixel (cairo_surface_t *s, double x, double y)
{
  cairo_surface_flush (s);
  const guint8 *data = cairo_image_surface_get_data (s);
  guint32 px = *(const guint32 *) (data + (int) y * cairo_image_surface_get_stride (s) + (int) x * 4);
  return (PyroRgb) { ((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0, (px & 0xff) / 255.0 };
}

static gboolean
same_color (PyroRgb a, PyroRgb b)
{
  return fabs (a.r - b.r) < 1.5 / 255 && fabs (a.g - b.g) < 1.5 / 255 && fabs (a.b - b.b) < 1.5 / 255;
}

static void
test_flame_painter_search (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (shape);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (PyroFlameLayout) l = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_ICICLE, 400, 100, 18);
  g_autoptr (PyroFlamePainter) painter = pyro_flame_painter_new (p);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 100);
  cairo_t *cr = cairo_create (s);
  const PyroFlameRect *b = rect_of (l, NODE (t, p, "a", "b"));
  const PyroFlameRect *d = rect_of (l, NODE (t, p, "d"));
  const PyroPalette *palette = pyro_flame_painter_get_palette (painter);
  PyroRgb d_color = pyro_palette_func_color (palette, fixture_func (p, "d"));
  /* the right end of a frame, clear of its label */
  double bx = b->x + b->w - 4, by = b->y + 2, dx = d->x + d->w - 4, dy = d->y + 2;

  pyro_flame_painter_paint (painter, cr, l);
  g_assert_true (same_color (pixel (s, dx, dy), d_color));
  /* the 1 px gap after a frame shows what was beneath */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  pyro_flame_painter_paint (painter, cr, l);
  g_assert_true (same_color (pixel (s, floor (d->x + d->w + 0.5) - 1, dy), (PyroRgb) { 0, 0, 0 }));

  g_autofree guint8 *mask = pyro_flame_match_funcs (p, "b");
  pyro_flame_painter_set_search (painter, mask);
  pyro_flame_painter_paint (painter, cr, l);
  g_assert_true (same_color (pixel (s, bx, by), pyro_palette_search_color ()));
  PyroRgb dimmed = pixel (s, dx, dy);
  g_assert_false (same_color (dimmed, d_color));
  /* dimmed toward a light grey: lighter than the frame's own colour */
  g_assert_cmpfloat (dimmed.r + dimmed.g + dimmed.b, >, d_color.r + d_color.g + d_color.b);

  pyro_flame_painter_set_search (painter, NULL);
  pyro_flame_painter_paint (painter, cr, l);
  g_assert_true (same_color (pixel (s, dx, dy), d_color));
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_search_share (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("main;f;g;f 10\nmain;g 5\nmain;h 80\nother;g;f 5\n");
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);

  g_autofree guint8 *f = pyro_flame_match_funcs (p, "f");
  g_assert_true (f[fixture_func (p, "f")]);
  g_assert_false (f[fixture_func (p, "g")]);
  /* main;f;g;f counts once (10), other;g;f 5 */
  g_assert_cmpfloat (pyro_flame_matched_weight (t, 0, f), ==, 15);

  guint8 *fg = g_malloc0 (pyro_profile_n_funcs (p));
  fg[fixture_func (p, "f")] = fg[fixture_func (p, "g")] = 1;
  g_assert_cmpfloat (pyro_flame_matched_weight (t, 0, fg), ==, 20);
  /* under main only */
  g_assert_cmpfloat (pyro_flame_matched_weight (t, NODE (t, p, "main"), fg), ==, 15);
  g_free (fg);

  /* case-insensitive, on names and files; empty needle = no search */
  g_autofree guint8 *upper = pyro_flame_match_funcs (p, "MAI");
  g_assert_true (upper[fixture_func (p, "main")]);
  g_assert_null (pyro_flame_match_funcs (p, ""));
}

static void
test_palette (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (
    "main (app/run.py:3);loads (/usr/lib/python3.11/json/__init__.py:299);"
    "get (/home/u/.venv/lib/python3.11/site-packages/requests/api.py:64);"
    "<built-in method time.sleep> (~:0);malloc;do_syscall_64_[k] 1\n"
    "main (app/run.py:3);_find_and_load (<frozen importlib._bootstrap>:1165) 1\n");
  const struct { const char *name; PyroCategory category; } expect[] = {
    { "main", PYRO_CATEGORY_PYTHON_USER },
    { "loads", PYRO_CATEGORY_PYTHON_STDLIB },
    { "get", PYRO_CATEGORY_PYTHON_PACKAGE },
    { "<built-in method time.sleep>", PYRO_CATEGORY_PYTHON_STDLIB },
    { "_find_and_load", PYRO_CATEGORY_PYTHON_STDLIB },
    { "malloc", PYRO_CATEGORY_NATIVE },
    { "do_syscall_64", PYRO_CATEGORY_KERNEL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    g_assert_cmpint (pyro_func_category (p, fixture_func (p, expect[i].name)), ==, expect[i].category);

  /* stable: two palettes of the same profile agree */
  g_autoptr (PyroPalette) one = pyro_palette_new (p, PYRO_PALETTE_DEFAULT);
  g_autoptr (PyroPalette) two = pyro_palette_new (p, PYRO_PALETTE_DEFAULT);
  for (guint32 f = 0; f < pyro_profile_n_funcs (p); f++)
    {
      PyroRgb x = pyro_palette_func_color (one, f), y = pyro_palette_func_color (two, f);
      g_assert_true (x.r == y.r && x.g == y.g && x.b == y.b);
    }
  /* text is dark on light fills and white on dark ones */
  g_assert_cmpfloat (pyro_palette_text_color ((PyroRgb) { 0.95, 0.9, 0.5 }).r, <, 0.5);
  g_assert_cmpfloat (pyro_palette_text_color ((PyroRgb) { 0.1, 0.1, 0.4 }).r, ==, 1);
}

/* CIE L*a*b* of a linear-light RGB colour (D65 white). */
static void
linear_to_lab (const double rgb[3], double lab[3])
{
  double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
  double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
  double f[3] = { x, y, z };
  for (int i = 0; i < 3; i++)
    f[i] = f[i] > 0.008856 ? cbrt (f[i]) : 7.787 * f[i] + 16.0 / 116;
  lab[0] = 116 * f[1] - 16;
  lab[1] = 500 * (f[0] - f[1]);
  lab[2] = 200 * (f[1] - f[2]);
}

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

/* The smallest CIE76 colour difference between two category colours of
 * @style, as seen through @vision (a linear-RGB matrix: Viénot, Brettel and
 * Mollon's simulation of dichromacy, or the identity). */
static double
min_category_delta_e (PyroPaletteStyle style, const double vision[3][3])
{
  double lab[PYRO_N_CATEGORIES][3];
  for (int c = 0; c < PYRO_N_CATEGORIES; c++)
    {
      PyroRgb rgb = pyro_palette_category_color (c, style);
      double lin[3] = { srgb_to_linear (rgb.r), srgb_to_linear (rgb.g), srgb_to_linear (rgb.b) };
      double seen[3];
      for (int i = 0; i < 3; i++)
        seen[i] = CLAMP (vision[i][0] * lin[0] + vision[i][1] * lin[1] + vision[i][2] * lin[2], 0, 1);
      linear_to_lab (seen, lab[c]);
    }
  double best = G_MAXDOUBLE;
  for (int a = 0; a < PYRO_N_CATEGORIES; a++)
    for (int b = a + 1; b < PYRO_N_CATEGORIES; b++)
      best = MIN (best, sqrt ((lab[a][0] - lab[b][0]) * (lab[a][0] - lab[b][0])
                              + (lab[a][1] - lab[b][1]) * (lab[a][1] - lab[b][1])
                              + (lab[a][2] - lab[b][2]) * (lab[a][2] - lab[b][2])));
  return best;
}

static void
test_palette_colorblind (void)
{
  static const double normal[3][3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
  static const double deuteranopia[3][3] = { { 0.29275, 0.70725, 0 }, { 0.29275, 0.70725, 0 },
                                             { -0.02234, 0.02234, 1 } };
  static const double protanopia[3][3] = { { 0.11238, 0.88762, 0 }, { 0.11238, 0.88762, 0 },
                                           { 0.00401, -0.00401, 1 } };

  /* Every pair of kinds stays apart (ΔE ≥ 12, clearly visible) for red–green
   * colour blindness too, which the default palette does not manage. */
  g_assert_cmpfloat (min_category_delta_e (PYRO_PALETTE_COLORBLIND, normal), >=, 25);
  g_assert_cmpfloat (min_category_delta_e (PYRO_PALETTE_COLORBLIND, deuteranopia), >=, 12);
  g_assert_cmpfloat (min_category_delta_e (PYRO_PALETTE_COLORBLIND, protanopia), >=, 12);
  g_assert_cmpfloat (min_category_delta_e (PYRO_PALETTE_DEFAULT, deuteranopia), <, 12);

  /* The chosen palette reaches the painted frames of the flame graph and
   * the squaremap: "d" and "b" change colour. */
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (shape);
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  g_autoptr (PyroFlameLayout) flame = pyro_flame_layout_new (t, 0, PYRO_FLAME_ORIENTATION_ICICLE, 400, 100, 18);
  g_autoptr (PyroSquaremapLayout) squares = pyro_squaremap_layout_new (t, 0, 400, 300);
  g_autoptr (PyroPalette) plain = pyro_palette_new (p, PYRO_PALETTE_DEFAULT);
  g_autoptr (PyroPalette) safe = pyro_palette_new (p, PYRO_PALETTE_COLORBLIND);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
  cairo_t *cr = cairo_create (s);
  const PyroFlameRect *d = rect_of (flame, NODE (t, p, "d"));
  const PyroSquareRect *b = pyro_squaremap_layout_find (squares, NODE (t, p, "a", "b"));
  g_assert_nonnull (b);
  const char *funcs[] = { "d", "b" };
  double xs[] = { d->x + d->w - 4, b->x + b->w - 4 }, ys[] = { d->y + 2, b->y + b->h - 4 };

  for (guint i = 0; i < G_N_ELEMENTS (funcs); i++)
    {
      PyroRgb before = pyro_palette_func_color (plain, fixture_func (p, funcs[i]));
      PyroRgb after = pyro_palette_func_color (safe, fixture_func (p, funcs[i]));
      g_assert_false (same_color (before, after));
      for (int style = PYRO_PALETTE_DEFAULT; style <= PYRO_PALETTE_COLORBLIND; style += PYRO_PALETTE_COLORBLIND)
        {
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_paint (cr);
          if (i == 0)
            {
              g_autoptr (PyroFlamePainter) painter = pyro_flame_painter_new (p);
              pyro_flame_painter_set_palette_style (painter, style);
              pyro_flame_painter_paint (painter, cr, flame);
            }
          else
            {
              g_autoptr (PyroSquaremapPainter) painter = pyro_squaremap_painter_new (p);
              pyro_squaremap_painter_set_palette_style (painter, style);
              pyro_squaremap_painter_paint (painter, cr, squares);
            }
          g_assert_true (same_color (pixel (s, xs[i], ys[i]), style == PYRO_PALETTE_DEFAULT ? before : after));
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static double
area (const PyroSquareRect *r)
{
  return r->w * r->h;
}

static void
test_squaremap (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded ("main;a;x 30\nmain;a 10\nmain;b 25\nmain;c 15\nmain;d 12\nmain 8\n");
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (p, NULL, NULL, NULL);
  guint32 main_node = NODE (t, p, "main");
  g_autoptr (PyroSquaremapLayout) l = pyro_squaremap_layout_new (t, main_node, 800, 500);

  const PyroSquareRect *root = pyro_squaremap_layout_find (l, main_node);
  g_assert_nonnull (root);
  g_assert_cmpfloat (area (root), ==, 800 * 500);
  double inner = (root->w - 2 * PYRO_SQUAREMAP_PADDING) * (root->h - root->label_h - PYRO_SQUAREMAP_PADDING);

  /* each child's share of its parent's inner area is its share of the total */
  const char *kids[] = { "a", "b", "c", "d" };
  double sum = 0;
  for (guint i = 0; i < G_N_ELEMENTS (kids); i++)
    {
      guint32 n = NODE (t, p, "main", kids[i]);
      const PyroSquareRect *r = pyro_squaremap_layout_find (l, n);
      g_assert_nonnull (r);
      g_assert_cmpfloat_with_epsilon (area (r) / inner, t->total[n] / t->total[main_node], 1e-9);
      sum += area (r);
      g_assert_cmpuint (r->level, ==, 1);
    }
  /* main's own 8 of 100 is left empty */
  g_assert_cmpfloat_with_epsilon (sum / inner, 0.92, 1e-9);

  /* every cell lies inside its parent's cell */
  for (guint i = 0; i < l->rects->len; i++)
    {
      const PyroSquareRect *r = &g_array_index (l->rects, PyroSquareRect, i);
      if (r->node == main_node)
        continue;
      const PyroSquareRect *up = pyro_squaremap_layout_find (l, t->parent[r->node]);
      g_assert_nonnull (up);
      g_assert_cmpfloat (r->x, >=, up->x - 1e-9);
      g_assert_cmpfloat (r->y, >=, up->y + up->label_h - 1e-9);
      g_assert_cmpfloat (r->x + r->w, <=, up->x + up->w + 1e-9);
      g_assert_cmpfloat (r->y + r->h, <=, up->y + up->h + 1e-9);
      /* the innermost cell answers a hit at its centre */
      if (t->child_count[r->node] == 0)
        g_assert_cmpuint (pyro_squaremap_layout_hit (l, r->x + r->w / 2, r->y + r->h / 2), ==, r->node);
    }
  /* x fills a's inside except a's own 10 of 40 */
  guint32 a = NODE (t, p, "main", "a");
  g_assert_nonnull (pyro_squaremap_layout_find (l, NODE (t, p, "main", "a", "x")));
  const PyroSquareRect *ra = pyro_squaremap_layout_find (l, a);
  g_assert_cmpuint (pyro_squaremap_layout_hit (l, ra->x + 3, ra->y + 3), ==, a);
  g_assert_cmpuint (pyro_squaremap_layout_hit (l, 801, 10), ==, PYRO_NONE);

  /* re-rooted on a, a fills the view */
  g_autoptr (PyroSquaremapLayout) z = pyro_squaremap_layout_new (t, a, 800, 500);
  g_assert_cmpfloat (area (pyro_squaremap_layout_find (z, a)), ==, 800 * 500);
  g_assert_null (pyro_squaremap_layout_find (z, NODE (t, p, "main", "b")));
}

/* Longest vertical run of @color in column @x of a PNG. */
static int
longest_run (cairo_surface_t *s, int x, PyroRgb color)
{
  int stride = cairo_image_surface_get_stride (s), h = cairo_image_surface_get_height (s);
  const guint8 *data = cairo_image_surface_get_data (s);
  int want[3] = { (int) (color.r * 255 + 0.5), (int) (color.g * 255 + 0.5), (int) (color.b * 255 + 0.5) };
  int best = 0, run = 0;
  for (int y = 0; y < h; y++)
    {
      guint32 px = *(const guint32 *) (data + y * stride + x * 4);
      int got[3] = { (px >> 16) & 0xff, (px >> 8) & 0xff, px & 0xff };
      gboolean same = ABS (got[0] - want[0]) <= 1 && ABS (got[1] - want[1]) <= 1 && ABS (got[2] - want[2]) <= 1;
      run = same ? run + 1 : 0;
      best = MAX (best, run);
    }
  return best;
}

static const char *demo = "main;parse;read 10\nmain;parse 5\nmain;compute;fib 70\nmain;compute 5\nmain 10\n";

static void
test_export_png (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (demo);
  g_autofree char *path = fixture_temp_path ("flame.png");
  g_autoptr (GError) error = NULL;

  for (int scale = 1; scale <= 2; scale++)
    {
      PyroExportOptions options = { "flame", "demo", 800, 0, scale };
      g_assert_true (pyro_export_file (p, NULL, &options, path, &error));
      g_assert_no_error (error);
      cairo_surface_t *s = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (s), ==, 800 * scale);

      /* main is the widest frame: its colour fills a full row (18 px less
       * the 1 px gap) in the middle column */
      g_autoptr (PyroPalette) palette = pyro_palette_new (p, PYRO_PALETTE_DEFAULT);
      PyroRgb main_color = pyro_palette_func_color (palette, fixture_func (p, "main"));
      g_assert_cmpint (longest_run (s, 400 * scale, main_color), ==, (int) (PYRO_FLAME_ROW_HEIGHT - 1) * scale);
      /* fib (70%) starts left: its colour is at 1/4 of the width too */
      PyroRgb fib_color = pyro_palette_func_color (palette, fixture_func (p, "fib"));
      g_assert_cmpint (longest_run (s, 200 * scale, fib_color), >=, (int) (PYRO_FLAME_ROW_HEIGHT - 1) * scale - 1);
      /* and not at 95%, where parse is */
      g_assert_cmpint (longest_run (s, 790 * scale, fib_color), <, 4);
      cairo_surface_destroy (s);
    }
}

typedef struct {
  gboolean saw_svg;
  GString *text;
} SvgScan;

static void
svg_start (GMarkupParseContext *context, const char *element, const char **names, const char **values,
           gpointer user_data, GError **error)
{
  SvgScan *scan = user_data;
  if (g_str_equal (element, "svg"))
    scan->saw_svg = TRUE;
}

static void
svg_text (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data, GError **error)
{
  SvgScan *scan = user_data;
  if (g_strcmp0 (g_markup_parse_context_get_element (context), "title") == 0)
    g_string_append_len (scan->text, text, (gssize) len);
}

static void
test_export_svg_pdf (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (demo);
  g_autoptr (GError) error = NULL;
  const char *views[] = { "flame", "icicle", "squaremap" };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      PyroExportOptions options = { views[i], "demo <profile> & co", 0, 0, 0 };
      g_autofree char *svg = fixture_temp_path ("view.SVG");
      g_assert_true (pyro_export_file (p, NULL, &options, svg, &error));
      g_assert_no_error (error);
      g_autofree char *contents = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (svg, &contents, &len, NULL));
      SvgScan scan = { FALSE, g_string_new (NULL) };
      const GMarkupParser parser = { svg_start, NULL, svg_text, NULL, NULL };
      g_autoptr (GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, &scan, NULL);
      g_assert_true (g_markup_parse_context_parse (ctx, contents, (gssize) len, &error));
      g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
      g_assert_no_error (error);
      g_assert_true (scan.saw_svg);
      g_assert_cmpstr (scan.text->str, ==, "demo <profile> & co");
      g_string_free (scan.text, TRUE);

      g_autofree char *pdf = fixture_temp_path ("view.pdf");
      g_assert_true (pyro_export_file (p, NULL, &options, pdf, &error));
      g_assert_no_error (error);
      g_autofree char *head = NULL;
      g_assert_true (g_file_get_contents (pdf, &head, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_true (g_str_has_prefix (head, "%PDF-"));
    }
}

static void
test_export_errors (void)
{
  g_autoptr (PyroProfile) p = fixture_profile_from_folded (demo);
  g_autoptr (GError) error = NULL;
  PyroExportOptions options = { "flame", NULL, 0, 0, 0 };
  g_autofree char *txt = fixture_temp_path ("out.txt");

  g_assert_false (pyro_export_file (p, NULL, &options, txt, &error));
  g_assert_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "out.txt"));
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  options.view = "sunburst";
  g_autofree char *png = fixture_temp_path ("out.png");
  g_assert_false (pyro_export_file (p, NULL, &options, png, &error));
  g_assert_error (error, PYRO_EXPORT_ERROR, PYRO_EXPORT_ERROR_UNKNOWN_VIEW);
  g_clear_error (&error);

  options.view = "flame";
  g_autofree char *missing = fixture_temp_path ("no/such/dir/out.png");
  g_assert_false (pyro_export_file (p, NULL, &options, missing, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "out.png"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/flame/widths", test_flame_widths);
  g_test_add_func ("/render/flame/orientation", test_flame_orientation);
  g_test_add_func ("/render/flame/zoom", test_flame_zoom);
  g_test_add_func ("/render/flame/hit", test_flame_hit);
  g_test_add_func ("/render/flame/search-share", test_search_share);
  g_test_add_func ("/render/flame/painter-search", test_flame_painter_search);
  g_test_add_func ("/render/palette", test_palette);
  g_test_add_func ("/render/palette/colorblind", test_palette_colorblind);
  g_test_add_func ("/render/squaremap", test_squaremap);
  g_test_add_func ("/render/export/png", test_export_png);
  g_test_add_func ("/render/export/svg-pdf", test_export_svg_pdf);
  g_test_add_func ("/render/export/errors", test_export_errors);
  return g_test_run ();
}
