/* trie-index.h — finds the child of a trie node by key while a trie (the
 * profile's stacks, a call tree) is being built.
 *
 * Children are kept in sibling lists: a new node's neighbours in memory are
 * the nodes created just before it, so building a deep new path touches only
 * recent memory.  A node with many children moves them to a hash index so
 * that wide fan-outs (a dispatcher, the root) stay O(1).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PyroTrieIndex PyroTrieIndex;

/* @keys is the caller's key column (frame or func per node), read on lookup. */
PyroTrieIndex *pyro_trie_index_new (void);
void           pyro_trie_index_free (PyroTrieIndex *self);
/* The child of @parent (G_MAXUINT32 = the root) with @key, or G_MAXUINT32. */
guint32        pyro_trie_index_find (PyroTrieIndex *self, guint32 parent, guint32 key,
                                     const guint32 *keys);
/* Records that node @id (the next id, in order) is a child of @parent with
 * @key; @keys must already hold it. */
void           pyro_trie_index_add (PyroTrieIndex *self, guint32 parent, guint32 id,
                                    guint32 key, const guint32 *keys);

G_END_DECLS
