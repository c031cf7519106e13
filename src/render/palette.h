/* palette.h — the colour of a function in every view.
 *
 * A function's colour says what kind of code it is (Python user code, Python
 * standard library, installed packages, native, kernel); a small hue and
 * lightness jitter taken from a hash of the function's name tells neighbours
 * apart and is the same in every render of the same file.
 */
#pragma once

#include <glib.h>
#include "core/profile.h"

G_BEGIN_DECLS

typedef enum {
  PYRO_CATEGORY_PYTHON_USER,     /* Python code of the program itself */
  PYRO_CATEGORY_PYTHON_STDLIB,   /* /pythonX.Y/, <frozen …>, <built-in …>, ~ */
  PYRO_CATEGORY_PYTHON_PACKAGE,  /* site-packages, dist-packages */
  PYRO_CATEGORY_NATIVE,
  PYRO_CATEGORY_KERNEL,
  PYRO_CATEGORY_OTHER,
  PYRO_N_CATEGORIES
} PyroCategory;

typedef enum {
  PYRO_PALETTE_DEFAULT,
  PYRO_PALETTE_HIGH_CONTRAST,
  /* Okabe–Ito hues that stay apart for red–green colour blindness. */
  PYRO_PALETTE_COLORBLIND,
} PyroPaletteStyle;

/* Components in 0 … 1, ready for cairo_set_source_rgb(). */
typedef struct {
  double r, g, b;
} PyroRgb;

/* Per-profile colours, computed once for every function. */
typedef struct _PyroPalette PyroPalette;

PyroCategory pyro_func_category (const PyroProfile *profile, guint32 func);
/* A short translated name for legends: "Python", "Standard library", … */
const char  *pyro_category_label (PyroCategory category);

/* Colours of every function of @profile (keeps a reference to it). */
PyroPalette *pyro_palette_new (PyroProfile *profile, PyroPaletteStyle style);
void         pyro_palette_free (PyroPalette *self);
PyroPaletteStyle pyro_palette_get_style (const PyroPalette *self);

/* Fill colour of @func; PYRO_NONE (the root, "all") gets a neutral grey. */
PyroRgb pyro_palette_func_color (const PyroPalette *self, guint32 func);
/* The base colour of a category (legend swatches). */
PyroRgb pyro_palette_category_color (PyroCategory category, PyroPaletteStyle style);
/* Fill of a search match: magenta, as flamegraph.pl. */
PyroRgb pyro_palette_search_color (void);
/* Black or near-white, whichever reads better on @background. */
PyroRgb pyro_palette_text_color (PyroRgb background);
/* @color mixed toward @toward by @amount (0 … 1): dimming, hover. */
PyroRgb pyro_rgb_mix (PyroRgb color, PyroRgb toward, double amount);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroPalette, pyro_palette_free)

G_END_DECLS
