#include "trie-index.h"
#include "id-set.h"

#define NONE G_MAXUINT32
#define LIST_LIMIT 8

struct _PyroTrieIndex {
  GArray *first_child;   /* guint32 per node, +1 slot for the root at index 0 */
  GArray *next_sibling;  /* guint32 per node */
  GArray *n_children;    /* guint32 per node, +1 for the root */
  GArray *parent_of;     /* guint32 per node, for the hash index's equality */
  PyroIdSet *wide;       /* (parent, key) -> id for parents past LIST_LIMIT */
  const guint32 *keys;
};

typedef struct {
  guint32 parent, key;
} WideKey;

static gboolean
wide_equal (guint32 id, gconstpointer key, gpointer user_data)
{
  const PyroTrieIndex *self = user_data;
  const WideKey *k = key;
  return g_array_index (self->parent_of, guint32, id) == k->parent && self->keys[id] == k->key;
}

PyroTrieIndex *
pyro_trie_index_new (void)
{
  PyroTrieIndex *self = g_new0 (PyroTrieIndex, 1);
  guint32 none = NONE, zero = 0;
  self->first_child = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->next_sibling = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->n_children = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->parent_of = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->wide = pyro_id_set_new ();
  g_array_append_val (self->first_child, none);
  g_array_append_val (self->n_children, zero);
  return self;
}

void
pyro_trie_index_free (PyroTrieIndex *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->first_child);
  g_array_unref (self->next_sibling);
  g_array_unref (self->n_children);
  g_array_unref (self->parent_of);
  pyro_id_set_free (self->wide);
  g_free (self);
}

/* Slot of @parent in first_child/n_children: the root is slot 0. */
static inline guint32
slot_of (guint32 parent)
{
  return parent == NONE ? 0 : parent + 1;
}

guint32
pyro_trie_index_find (PyroTrieIndex *self, guint32 parent, guint32 key, const guint32 *keys)
{
  guint32 slot = slot_of (parent);
  guint32 n = g_array_index (self->n_children, guint32, slot);

  if (n > LIST_LIMIT)
    {
      WideKey k = { parent, key };
      self->keys = keys;
      return pyro_id_set_lookup (self->wide, pyro_hash_u32x2 (parent, key), &k, wide_equal, self);
    }
  const guint32 *next = (const guint32 *) self->next_sibling->data;
  for (guint32 c = g_array_index (self->first_child, guint32, slot); c != NONE; c = next[c])
    if (keys[c] == key)
      return c;
  return NONE;
}

void
pyro_trie_index_add (PyroTrieIndex *self, guint32 parent, guint32 id, guint32 key,
                     const guint32 *keys)
{
  guint32 slot = slot_of (parent);
  guint32 none = NONE, zero = 0;

  g_assert (id == self->next_sibling->len);
  g_array_append_val (self->first_child, none);
  g_array_append_val (self->n_children, zero);
  g_array_append_val (self->parent_of, parent);

  guint32 *first = &g_array_index (self->first_child, guint32, slot);
  g_array_append_val (self->next_sibling, *first);
  *first = id;

  guint32 *n = &g_array_index (self->n_children, guint32, slot);
  (*n)++;
  if (*n == LIST_LIMIT + 1)
    {
      const guint32 *next = (const guint32 *) self->next_sibling->data;
      for (guint32 c = *first; c != NONE; c = next[c])
        pyro_id_set_insert (self->wide, pyro_hash_u32x2 (parent, keys[c]), c);
    }
  else if (*n > LIST_LIMIT + 1)
    pyro_id_set_insert (self->wide, pyro_hash_u32x2 (parent, key), id);
}
