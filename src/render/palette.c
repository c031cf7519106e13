#include "palette.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

struct _PyroPalette {
  PyroProfile *profile;
  PyroPaletteStyle style;
  guint n_funcs;
  PyroRgb *colors;   /* [n_funcs] */
};

/* "/python3.11/", "/python2.7/": the directory CPython installs its standard
 * library into. */
static gboolean
has_python_lib_dir (const char *file)
{
  for (const char *p = strstr (file, "/python"); p != NULL; p = strstr (p + 1, "/python"))
    {
      const char *v = p + strlen ("/python");
      if (!g_ascii_isdigit (*v))
        continue;
      while (g_ascii_isdigit (*v) || *v == '.')
        v++;
      if (*v == '/')
        return TRUE;
    }
  return FALSE;
}

static gboolean
looks_python_file (const char *file)
{
  return g_str_has_suffix (file, ".py") || g_str_has_suffix (file, ".pyw")
         || g_str_has_prefix (file, "<frozen") || g_str_has_prefix (file, "<built-in")
         || g_str_has_prefix (file, "<string>") || strcmp (file, "~") == 0;
}

PyroCategory
pyro_func_category (const PyroProfile *profile, guint32 func)
{
  if (func == PYRO_NONE || func >= pyro_profile_n_funcs (profile))
    return PYRO_CATEGORY_OTHER;

  PyroFuncKind kind = pyro_profile_func_kind (profile, func);
  const char *file = pyro_profile_func_file (profile, func);
  const char *name = pyro_profile_func_name (profile, func);

  if (kind == PYRO_FUNC_KERNEL)
    return PYRO_CATEGORY_KERNEL;

  /* cProfile names built-ins "<built-in method …>" or "<method …>" with the
   * file "~". */
  gboolean builtin = strcmp (file, "~") == 0 || g_str_has_prefix (name, "<built-in")
                     || g_str_has_prefix (name, "<method ");
  if (kind != PYRO_FUNC_PYTHON && !builtin && !looks_python_file (file))
    return kind == PYRO_FUNC_NATIVE ? PYRO_CATEGORY_NATIVE : PYRO_CATEGORY_OTHER;

  if (strstr (file, "site-packages") != NULL || strstr (file, "dist-packages") != NULL)
    return PYRO_CATEGORY_PYTHON_PACKAGE;
  if (builtin || g_str_has_prefix (file, "<frozen") || g_str_has_prefix (file, "<built-in")
      || has_python_lib_dir (file))
    return PYRO_CATEGORY_PYTHON_STDLIB;
  return PYRO_CATEGORY_PYTHON_USER;
}

const char *
pyro_category_label (PyroCategory category)
{
  switch (category)
    {
    case PYRO_CATEGORY_PYTHON_USER: return _("Python");
    case PYRO_CATEGORY_PYTHON_STDLIB: return _("Standard library");
    case PYRO_CATEGORY_PYTHON_PACKAGE: return _("Installed packages");
    case PYRO_CATEGORY_NATIVE: return _("Native");
    case PYRO_CATEGORY_KERNEL: return _("Kernel");
    case PYRO_CATEGORY_OTHER:
    case PYRO_N_CATEGORIES:
    default: return _("Other");
    }
}

typedef struct {
  double hue;         /* degrees */
  double saturation;  /* 0 … 1 */
  double lightness;   /* 0 … 1 */
} Hsl;

/* Calm, distinguishable hues that keep the meaning people know from py-spy:
 * user code warm red-orange, standard library yellow, packages aqua; native
 * code cool blue, the kernel muted green. */
static const Hsl base_default[PYRO_N_CATEGORIES] = {
  [PYRO_CATEGORY_PYTHON_USER] = { 14, 0.78, 0.66 },
  [PYRO_CATEGORY_PYTHON_STDLIB] = { 46, 0.80, 0.64 },
  [PYRO_CATEGORY_PYTHON_PACKAGE] = { 180, 0.50, 0.62 },
  [PYRO_CATEGORY_NATIVE] = { 215, 0.50, 0.72 },
  [PYRO_CATEGORY_KERNEL] = { 110, 0.35, 0.64 },
  [PYRO_CATEGORY_OTHER] = { 275, 0.35, 0.72 },
};

static const Hsl base_high_contrast[PYRO_N_CATEGORIES] = {
  [PYRO_CATEGORY_PYTHON_USER] = { 8, 1.0, 0.40 },
  [PYRO_CATEGORY_PYTHON_STDLIB] = { 50, 1.0, 0.50 },
  [PYRO_CATEGORY_PYTHON_PACKAGE] = { 185, 1.0, 0.36 },
  [PYRO_CATEGORY_NATIVE] = { 225, 1.0, 0.45 },
  [PYRO_CATEGORY_KERNEL] = { 120, 1.0, 0.30 },
  [PYRO_CATEGORY_OTHER] = { 285, 1.0, 0.45 },
};

/* Okabe & Ito's colour-blind safe set: orange, yellow, reddish purple, sky
 * blue, bluish green, and grey; told apart by hue and by lightness alike, so
 * deuteranopia and protanopia keep every pair distinct. */
static const Hsl base_colorblind[PYRO_N_CATEGORIES] = {
  [PYRO_CATEGORY_PYTHON_USER] = { 41, 1.0, 0.45 },
  [PYRO_CATEGORY_PYTHON_STDLIB] = { 56, 0.85, 0.60 },
  [PYRO_CATEGORY_PYTHON_PACKAGE] = { 327, 0.45, 0.64 },
  [PYRO_CATEGORY_NATIVE] = { 202, 0.77, 0.63 },
  [PYRO_CATEGORY_KERNEL] = { 164, 1.0, 0.31 },
  [PYRO_CATEGORY_OTHER] = { 0, 0.0, 0.75 },
};

static const Hsl *
base_of (PyroPaletteStyle style)
{
  switch (style)
    {
    case PYRO_PALETTE_HIGH_CONTRAST: return base_high_contrast;
    case PYRO_PALETTE_COLORBLIND: return base_colorblind;
    case PYRO_PALETTE_DEFAULT:
    default: return base_default;
    }
}

static double
hue_to_channel (double p, double q, double t)
{
  if (t < 0)
    t += 1;
  if (t > 1)
    t -= 1;
  if (t < 1.0 / 6)
    return p + (q - p) * 6 * t;
  if (t < 1.0 / 2)
    return q;
  if (t < 2.0 / 3)
    return p + (q - p) * (2.0 / 3 - t) * 6;
  return p;
}

static PyroRgb
hsl_to_rgb (Hsl c)
{
  double h = fmod (fmod (c.hue, 360) + 360, 360) / 360;
  double s = CLAMP (c.saturation, 0, 1), l = CLAMP (c.lightness, 0, 1);
  if (s == 0)
    return (PyroRgb) { l, l, l };
  double q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  double p = 2 * l - q;
  return (PyroRgb) { hue_to_channel (p, q, h + 1.0 / 3), hue_to_channel (p, q, h),
                     hue_to_channel (p, q, h - 1.0 / 3) };
}

/* FNV-1a: fixed across runs and machines, unlike pointer-seeded hashes. */
static guint32
name_hash (const char *s)
{
  guint32 h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (guint8) *s) * 16777619u;
  return h;
}

static PyroRgb
func_color (const PyroProfile *profile, guint32 func, PyroPaletteStyle style)
{
  PyroCategory category = pyro_func_category (profile, func);
  Hsl c = base_of (style)[category];
  guint32 h = name_hash (pyro_profile_func_name (profile, func));
  /* Two independent jitters in -1 … 1 from different bits of the hash. */
  double j1 = (double) (h & 0xffff) / 0xffff * 2 - 1;
  double j2 = (double) (h >> 16) / 0xffff * 2 - 1;
  if (style == PYRO_PALETTE_COLORBLIND)
    {
      /* Lightness only: a hue shift would walk toward the neighbours' hues. */
      c.lightness += j2 * 0.04;
    }
  else if (style == PYRO_PALETTE_HIGH_CONTRAST)
    {
      /* Small enough that no category's text flips between black and white. */
      c.hue += j1 * 6;
      c.lightness += j2 * 0.03;
    }
  else
    {
      c.hue += j1 * 9;
      c.lightness += j2 * 0.06;
      c.saturation += j1 * 0.06;
    }
  return hsl_to_rgb (c);
}

PyroPalette *
pyro_palette_new (PyroProfile *profile, PyroPaletteStyle style)
{
  PyroPalette *self = g_new0 (PyroPalette, 1);
  self->profile = pyro_profile_ref (profile);
  self->style = style;
  self->n_funcs = pyro_profile_n_funcs (profile);
  self->colors = g_new (PyroRgb, MAX (self->n_funcs, 1));
  for (guint32 f = 0; f < self->n_funcs; f++)
    self->colors[f] = func_color (profile, f, style);
  return self;
}

void
pyro_palette_free (PyroPalette *self)
{
  if (self == NULL)
    return;
  pyro_profile_unref (self->profile);
  g_free (self->colors);
  g_free (self);
}

PyroPaletteStyle
pyro_palette_get_style (const PyroPalette *self)
{
  return self->style;
}

PyroRgb
pyro_palette_func_color (const PyroPalette *self, guint32 func)
{
  if (func >= self->n_funcs)
    return self->style == PYRO_PALETTE_HIGH_CONTRAST ? (PyroRgb) { 0.35, 0.35, 0.35 }
                                                     : (PyroRgb) { 0.80, 0.80, 0.78 };
  return self->colors[func];
}

PyroRgb
pyro_palette_category_color (PyroCategory category, PyroPaletteStyle style)
{
  if ((guint) category >= PYRO_N_CATEGORIES)
    category = PYRO_CATEGORY_OTHER;
  return hsl_to_rgb (base_of (style)[category]);
}

PyroRgb
pyro_palette_search_color (void)
{
  return (PyroRgb) { 230 / 255.0, 0, 230 / 255.0 };
}

static double
linear_channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

PyroRgb
pyro_palette_text_color (PyroRgb background)
{
  double lum = 0.2126 * linear_channel (background.r) + 0.7152 * linear_channel (background.g)
               + 0.0722 * linear_channel (background.b);
  /* The luminance where black and white text have equal WCAG contrast. */
  return lum > 0.179 ? (PyroRgb) { 0.10, 0.10, 0.12 } : (PyroRgb) { 1, 1, 1 };
}

PyroRgb
pyro_rgb_mix (PyroRgb color, PyroRgb toward, double amount)
{
  return (PyroRgb) { color.r + (toward.r - color.r) * amount, color.g + (toward.g - color.g) * amount,
                     color.b + (toward.b - color.b) * amount };
}
