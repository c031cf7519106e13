/* frame-actions.h — what the flame, icicle and squaremap views share about a
 * frame: its tooltip, its context menu and its transforms, and how a zoom
 * survives a recomputed tree. */
#pragma once

#include <gio/gio.h>
#include "document.h"

G_BEGIN_DECLS

/* Pango markup: function, file:line, self and total with their share. */
char       *pyro_frame_tooltip_markup (PyroDocument *document, const PyroCallTree *tree,
                                       guint32 node);
/* The context menu of a frame; its actions are "PREFIX.focus", "PREFIX.merge",
 * "PREFIX.drop", "PREFIX.collapse", "PREFIX.invert" and "win.undo". */
GMenuModel *pyro_frame_menu_new (const char *prefix);
/* Runs the action named by the suffix of @action_name on @node's function. */
void        pyro_frame_activate (PyroDocument *document, const PyroCallTree *tree,
                                 guint32 node, const char *action_name);

/* The functions on the path root → @node (root excluded); caller frees. */
GArray     *pyro_frame_path_funcs (const PyroCallTree *tree, guint32 node);
/* The deepest node of @tree along @funcs (0 when nothing matches). */
guint32     pyro_frame_path_find (const PyroCallTree *tree, GArray *funcs);

G_END_DECLS
