/* breadcrumb-bar.h — the clickable path from the root of a call tree to the
 * node a view is zoomed on; "activated" carries the clicked node. */
#pragma once

#include <adwaita.h>
#include "core/call-tree.h"

G_BEGIN_DECLS

#define PYRO_TYPE_BREADCRUMB_BAR (pyro_breadcrumb_bar_get_type ())
G_DECLARE_FINAL_TYPE (PyroBreadcrumbBar, pyro_breadcrumb_bar, PYRO, BREADCRUMB_BAR, AdwBin)

GtkWidget *pyro_breadcrumb_bar_new (void);
/* Shows root → @node of @tree (borrowed only during the call). */
void       pyro_breadcrumb_bar_set_path (PyroBreadcrumbBar *self, const PyroCallTree *tree,
                                         guint32 node);

G_END_DECLS
