/* export.h — paints a view of a profile to PNG, SVG or PDF (by the output's
 * extension) with the same painters the window uses. */
#pragma once

#include <gio/gio.h>
#include "core/profile.h"
#include "core/selection.h"

G_BEGIN_DECLS

#define PYRO_EXPORT_ERROR (pyro_export_error_quark ())
GQuark pyro_export_error_quark (void);

typedef enum {
  PYRO_EXPORT_ERROR_UNKNOWN_FORMAT,  /* the output's extension is not .png, .svg or .pdf */
  PYRO_EXPORT_ERROR_UNKNOWN_VIEW,
  PYRO_EXPORT_ERROR_INVALID,         /* a size or scale out of range */
  PYRO_EXPORT_ERROR_WRITE,
} PyroExportError;

typedef struct {
  const char *view;     /* "flame", "icicle", "squaremap", ... */
  const char *title;    /* nullable: a title line above the view */
  int width;            /* logical pixels, 0 = default (1600) */
  int height;           /* 0 = fit the content */
  double scale;         /* 1 or 2 for PNG; 0 = 1 */
  guint32 zoom;         /* the node of the selection's call tree that fills the
                         * view, as the window shows it; 0 = the root */
  /* Nullable: a differential flame graph, see pyro_flame_painter_set_diff();
   * one weight per node of the selection's call tree (diff_n_nodes of them). */
  const double *diff_before;
  guint diff_n_nodes;
  double diff_before_total;
} PyroExportOptions;

/* Returns the views pyro_export_file() accepts, NULL-terminated. */
const char *const *pyro_export_views (void);

/* Paints @options->view of @profile under @selection (NULL = everything)
 * into @out_path; the extension (.png, .svg, .pdf, any case) picks the
 * format; a NULL view means "flame".  A flame graph deeper than 32,000
 * device pixels is cut there (its deepest frames are left out). */
gboolean pyro_export_file (PyroProfile *profile, const PyroSelection *selection,
                           const PyroExportOptions *options, const char *out_path,
                           GError **error);

G_END_DECLS
