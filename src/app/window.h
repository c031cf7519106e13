/* window.h — one window per profile: header bar with the view switcher, the
 * loading, error and empty pages, and the views of its document. */
#pragma once

#include <adwaita.h>
#include "document.h"
#include "flame-view.h"
#include "squaremap-view.h"
#include "function-view.h"
#include "source-view.h"
#include "timeline-view.h"

G_BEGIN_DECLS

#define PYRO_TYPE_WINDOW (pyro_window_get_type ())
G_DECLARE_FINAL_TYPE (PyroWindow, pyro_window, PYRO, WINDOW, AdwApplicationWindow)

PyroWindow   *pyro_window_new (AdwApplication *application);
/* Loads @file into this window's document. */
void          pyro_window_open (PyroWindow *self, GFile *file);
PyroDocument *pyro_window_get_document (PyroWindow *self);
/* TRUE when the window shows nothing worth keeping (empty or error page). */
gboolean      pyro_window_is_reusable (PyroWindow *self);

/* The views, for tests. */
PyroFlameView     *pyro_window_get_flame_view (PyroWindow *self);
PyroFlameView     *pyro_window_get_icicle_view (PyroWindow *self);
PyroSquaremapView *pyro_window_get_squaremap_view (PyroWindow *self);
PyroFunctionView  *pyro_window_get_function_view (PyroWindow *self);
PyroSourceView    *pyro_window_get_source_view (PyroWindow *self);
PyroTimelineView  *pyro_window_get_timeline_view (PyroWindow *self);
/* "empty", "loading", "error" or "profile". */
const char        *pyro_window_get_page (PyroWindow *self);
/* Shows a view: "flame", "icicle", "squaremap", "functions". */
void               pyro_window_set_view (PyroWindow *self, const char *name);
/* The name of the view shown (see pyro_window_set_view()). */
const char        *pyro_window_get_view (PyroWindow *self);
/* The hotspot tour and the comparison of this window. */
typedef struct _PyroTourBar PyroTourBar;
typedef struct _PyroCompareBar PyroCompareBar;
PyroTourBar       *pyro_window_get_tour_bar (PyroWindow *self);
PyroCompareBar    *pyro_window_get_compare_bar (PyroWindow *self);
/* Title and description of the error page. */
void               pyro_window_get_error_text (PyroWindow *self, const char **title,
                                               const char **description);
/* Shows the error page with @title and @description (a failed recording). */
void               pyro_window_show_error (PyroWindow *self, const char *title,
                                           const char *description);

G_END_DECLS
