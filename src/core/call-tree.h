/* call-tree.h — the top-down or bottom-up call tree of a selection.
 *
 * Nodes are functions in context: a node is (parent node, func).  Node 0 is
 * the root, which stands for "all samples" and has func PYRO_NONE.  Children
 * are stored contiguously (CSR), heaviest first, names breaking ties, so a
 * layout can walk them in order without sorting.
 */
#pragma once

#include <gio/gio.h>
#include "profile.h"
#include "selection.h"

G_BEGIN_DECLS

typedef struct {
  PyroProfile *profile;   /* owned reference */
  gboolean inverted;

  guint n_nodes;
  guint32 *parent;        /* [n_nodes], PYRO_NONE for the root */
  guint32 *func;          /* [n_nodes], PYRO_NONE for the root */
  double  *self;          /* [n_nodes] weight of samples ending here */
  double  *total;         /* [n_nodes] weight of samples through here */
  guint32 *depth;         /* [n_nodes] root = 0 */
  guint32 *child_start;   /* [n_nodes] index into children[] */
  guint32 *child_count;   /* [n_nodes] */
  guint32 *children;      /* [n_nodes - 1] node ids, grouped by parent */

  guint32 max_depth;
  double  sample_count;   /* samples that passed the selection (count, not weight) */
} PyroCallTree;

/* Builds the tree of @profile under @selection (NULL = everything).
 * Returns NULL only when cancelled (with @error set). Caller owns the tree. */
PyroCallTree *pyro_call_tree_new (PyroProfile *profile, const PyroSelection *selection,
                                  GCancellable *cancellable, GError **error);
void          pyro_call_tree_free (PyroCallTree *self);

static inline double pyro_call_tree_total (const PyroCallTree *self) { return self->total[0]; }

/* Finds the child of @node with @func, or PYRO_NONE. */
guint32 pyro_call_tree_find_child (const PyroCallTree *self, guint32 node, guint32 func);
/* Fills @out (guint32 node ids) with the path root-exclusive .. @node. */
void    pyro_call_tree_path (const PyroCallTree *self, guint32 node, GArray *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PyroCallTree, pyro_call_tree_free)

G_END_DECLS
