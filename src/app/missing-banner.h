/* missing-banner.h — the problems found while loading a trace (binaries or
 * debug info that could not be found, with the samples they hold; lost
 * events), shown once in a bar under the header until dismissed. */
#pragma once

#include <gtk/gtk.h>
#include "document.h"

G_BEGIN_DECLS

#define PYRO_TYPE_MISSING_BANNER (pyro_missing_banner_get_type ())
G_DECLARE_FINAL_TYPE (PyroMissingBanner, pyro_missing_banner, PYRO, MISSING_BANNER, GtkWidget)

GtkWidget  *pyro_missing_banner_new (void);
/* Follows @document: each file it loads with warnings shows them, until
 * dismissed; reloading the same file does not show them again. */
void        pyro_missing_banner_set_document (PyroMissingBanner *self, PyroDocument *document);
/* Whether the bar is shown, and the text it shows (NULL when hidden). */
gboolean    pyro_missing_banner_get_shown (PyroMissingBanner *self);
const char *pyro_missing_banner_get_text (PyroMissingBanner *self);
void        pyro_missing_banner_dismiss (PyroMissingBanner *self);

G_END_DECLS
