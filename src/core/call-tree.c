#include "call-tree.h"
#include "trie-index.h"

#include <string.h>

/* A trie of (parent, func) built while deriving the tree: each transform maps
 * one trie into the next, then samples are accumulated onto the last one. */
typedef struct {
  GArray *parent;  /* guint32 */
  GArray *func;    /* guint32 */
  PyroTrieIndex *index;
} FuncTrie;

static void
trie_init (FuncTrie *t, guint reserve)
{
  t->parent = g_array_sized_new (FALSE, FALSE, sizeof (guint32), reserve);
  t->func = g_array_sized_new (FALSE, FALSE, sizeof (guint32), reserve);
  t->index = pyro_trie_index_new ();
  guint32 none = PYRO_NONE;
  g_array_append_val (t->parent, none);
  g_array_append_val (t->func, none);
  pyro_trie_index_add (t->index, PYRO_NONE, 0, PYRO_NONE, (const guint32 *) t->func->data);
}

static void
trie_clear (FuncTrie *t)
{
  g_clear_pointer (&t->parent, g_array_unref);
  g_clear_pointer (&t->func, g_array_unref);
  g_clear_pointer (&t->index, pyro_trie_index_free);
}

static guint32
trie_child (FuncTrie *t, guint32 parent, guint32 func)
{
  guint32 id = pyro_trie_index_find (t->index, parent, func, (const guint32 *) t->func->data);
  if (id != PYRO_NONE)
    return id;
  id = t->parent->len;
  g_array_append_val (t->parent, parent);
  g_array_append_val (t->func, func);
  pyro_trie_index_add (t->index, parent, id, func, (const guint32 *) t->func->data);
  return id;
}

/* Maps every node of @from into a new trie under one transform; map[n] is
 * the new node or PYRO_NONE when the node's samples are dropped. */
static void
apply_transform (const FuncTrie *from, const PyroTransform *tr, FuncTrie *to, guint32 *map)
{
  const guint32 *parent = (const guint32 *) from->parent->data;
  const guint32 *func = (const guint32 *) from->func->data;
  guint n = from->parent->len;
  g_autofree guint8 *in_focus = tr->kind == PYRO_TRANSFORM_FOCUS_FUNC ? g_malloc0 (n) : NULL;

  map[0] = 0;
  for (guint i = 1; i < n; i++)
    {
      guint32 p = map[parent[i]];
      guint32 f = func[i];

      switch (tr->kind)
        {
        case PYRO_TRANSFORM_MERGE_FUNC:
          map[i] = (f == tr->func || p == PYRO_NONE) ? p : trie_child (to, p, f);
          break;
        case PYRO_TRANSFORM_DROP_FUNC:
          map[i] = (f == tr->func || p == PYRO_NONE) ? PYRO_NONE : trie_child (to, p, f);
          break;
        case PYRO_TRANSFORM_FOCUS_FUNC:
          in_focus[i] = in_focus[parent[i]] || f == tr->func;
          if (!in_focus[i])
            map[i] = PYRO_NONE;
          else if (!in_focus[parent[i]])
            map[i] = trie_child (to, 0, f);
          else
            map[i] = trie_child (to, p, f);
          break;
        case PYRO_TRANSFORM_COLLAPSE_RECURSION:
          if (p == PYRO_NONE)
            map[i] = PYRO_NONE;
          else if (f == tr->func && PYRO_COL (to->func, guint32, p) == f)
            map[i] = p;
          else
            map[i] = trie_child (to, p, f);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static int
compare_children (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const PyroCallTree *tree = user_data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  if (tree->total[x] != tree->total[y])
    return tree->total[x] > tree->total[y] ? -1 : 1;
  int c = strcmp (pyro_profile_func_name (tree->profile, tree->func[x]),
                  pyro_profile_func_name (tree->profile, tree->func[y]));
  return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Fills depth and the CSR child arrays; nodes already have parent, func,
 * self and total, and every parent id is smaller than its children's. */
static void
index_children (PyroCallTree *tree)
{
  guint n = tree->n_nodes;

  tree->depth = g_new0 (guint32, n);
  tree->child_start = g_new0 (guint32, n);
  tree->child_count = g_new0 (guint32, n);
  tree->children = g_new (guint32, MAX (n, 1));
  tree->max_depth = 0;

  for (guint i = 1; i < n; i++)
    {
      tree->child_count[tree->parent[i]]++;
      tree->depth[i] = tree->depth[tree->parent[i]] + 1;
      tree->max_depth = MAX (tree->max_depth, tree->depth[i]);
    }
  guint32 offset = 0;
  for (guint i = 0; i < n; i++)
    {
      tree->child_start[i] = offset;
      offset += tree->child_count[i];
    }
  g_autofree guint32 *fill = g_new0 (guint32, n);
  for (guint i = 1; i < n; i++)
    {
      guint32 p = tree->parent[i];
      tree->children[tree->child_start[p] + fill[p]++] = i;
    }
  for (guint i = 0; i < n; i++)
    if (tree->child_count[i] > 1)
      g_qsort_with_data (tree->children + tree->child_start[i], tree->child_count[i],
                         sizeof (guint32), compare_children, tree);
}

static void
alloc_nodes (PyroCallTree *tree, guint n)
{
  tree->n_nodes = n;
  tree->parent = g_new (guint32, n);
  tree->func = g_new (guint32, n);
  tree->self = g_new0 (double, n);
  tree->total = g_new0 (double, n);
}

/* Keeps the nodes with weight, in order, so ids stay parent-first. */
static PyroCallTree *
compact (PyroProfile *profile, const FuncTrie *trie, const double *self)
{
  guint n = trie->parent->len;
  const guint32 *parent = (const guint32 *) trie->parent->data;
  g_autofree double *total = g_memdup2 (self, n * sizeof (double));
  for (guint i = n - 1; i >= 1; i--)
    total[parent[i]] += total[i];

  g_autofree guint32 *renum = g_new (guint32, n);
  guint kept = 0;
  for (guint i = 0; i < n; i++)
    renum[i] = (i == 0 || total[i] != 0) ? kept++ : PYRO_NONE;

  PyroCallTree *tree = g_new0 (PyroCallTree, 1);
  tree->profile = pyro_profile_ref (profile);
  alloc_nodes (tree, kept);
  for (guint i = 0; i < n; i++)
    {
      guint32 j = renum[i];
      if (j == PYRO_NONE)
        continue;
      tree->parent[j] = i == 0 ? PYRO_NONE : renum[parent[i]];
      tree->func[j] = PYRO_COL (trie->func, guint32, i);
      tree->self[j] = self[i];
      tree->total[j] = total[i];
    }
  return tree;
}

static PyroCallTree *
invert (const PyroCallTree *td)
{
  FuncTrie trie;
  trie_init (&trie, td->n_nodes);
  GArray *self = g_array_new (FALSE, TRUE, sizeof (double));
  GArray *total = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (self, 1);
  g_array_set_size (total, 1);

  for (guint i = 1; i < td->n_nodes; i++)
    {
      double w = td->self[i];
      if (w == 0)
        continue;
      guint32 at = 0;
      for (guint32 n = i; n != 0; n = td->parent[n])
        {
          at = trie_child (&trie, at, td->func[n]);
          if (total->len <= at)
            {
              g_array_set_size (total, at + 1);
              g_array_set_size (self, at + 1);
            }
          g_array_index (total, double, at) += w;
        }
      g_array_index (self, double, at) += w;
      g_array_index (total, double, 0) += w;
    }

  PyroCallTree *tree = g_new0 (PyroCallTree, 1);
  tree->profile = pyro_profile_ref (td->profile);
  tree->inverted = TRUE;
  tree->sample_count = td->sample_count;
  alloc_nodes (tree, trie.parent->len);
  memcpy (tree->parent, trie.parent->data, tree->n_nodes * sizeof (guint32));
  memcpy (tree->func, trie.func->data, tree->n_nodes * sizeof (guint32));
  memcpy (tree->self, self->data, tree->n_nodes * sizeof (double));
  memcpy (tree->total, total->data, tree->n_nodes * sizeof (double));
  g_array_unref (self);
  g_array_unref (total);
  trie_clear (&trie);
  index_children (tree);
  return tree;
}

PyroCallTree *
pyro_call_tree_new (PyroProfile *profile, const PyroSelection *selection,
                    GCancellable *cancellable, GError **error)
{
  guint n_stacks = pyro_profile_n_stacks (profile);
  const guint32 *stack_parent = (const guint32 *) profile->stack_parent->data;
  const guint32 *stack_frame = (const guint32 *) profile->stack_frame->data;
  const guint32 *frame_func = (const guint32 *) profile->frame_func->data;

  /* stack -> node of the first trie; trie node 0 is the root */
  FuncTrie trie;
  trie_init (&trie, n_stacks + 1);
  g_autofree guint32 *stack_node = g_new (guint32, MAX (n_stacks, 1));
  for (guint s = 0; s < n_stacks; s++)
    {
      guint32 p = stack_parent[s] == PYRO_NONE ? 0 : stack_node[stack_parent[s]];
      stack_node[s] = trie_child (&trie, p, frame_func[stack_frame[s]]);
    }

  for (guint t = 0; selection != NULL && t < selection->transforms->len; t++)
    {
      const PyroTransform *tr = &g_array_index (selection->transforms, PyroTransform, t);
      FuncTrie next;
      trie_init (&next, trie.parent->len);
      g_autofree guint32 *map = g_new (guint32, trie.parent->len);
      apply_transform (&trie, tr, &next, map);
      for (guint s = 0; s < n_stacks; s++)
        if (stack_node[s] != PYRO_NONE)
          stack_node[s] = map[stack_node[s]];
      trie_clear (&trie);
      trie = next;
    }

  guint n_nodes = trie.parent->len;
  g_autofree double *self = g_new0 (double, n_nodes);
  const gint64 *time = (const gint64 *) profile->sample_time->data;
  const guint32 *sample_stack = (const guint32 *) profile->sample_stack->data;
  const guint32 *sample_thread = (const guint32 *) profile->sample_thread->data;
  /* memory growth when asked for and the trace has it */
  gboolean by_bytes = selection != NULL && selection->weight == PYRO_WEIGHT_MEMORY_GROWTH
                      && profile->sample_bytes != NULL;
  const double *weight = (const double *) (by_bytes ? profile->sample_bytes : profile->sample_weight)->data;
  guint n_samples = pyro_profile_n_samples (profile);
  gboolean by_time = selection != NULL && selection->has_range;
  gboolean by_thread = selection != NULL && selection->threads->len > 0;
  const guint8 *flags = profile->sample_flags != NULL && profile->sample_flags->len >= n_samples
                          ? (const guint8 *) profile->sample_flags->data : NULL;
  gboolean by_gil = selection != NULL && selection->weight == PYRO_WEIGHT_GIL;
  double count = 0;

  for (guint i = 0; i < n_samples; i++)
    {
      if ((i & 0xffff) == 0xffff && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          trie_clear (&trie);
          return NULL;
        }
      if (by_time && !pyro_selection_includes_time (selection, time[i]))
        continue;
      if (by_thread && !pyro_selection_includes_thread (selection, sample_thread[i]))
        continue;
      if (flags != NULL && !pyro_selection_includes_state (selection, flags[i]))
        continue;
      guint32 s = sample_stack[i];
      guint32 node = s == PYRO_NONE ? 0 : stack_node[s];
      if (node == PYRO_NONE)
        continue;
      if (by_gil && (flags == NULL || !(flags[i] & PYRO_SAMPLE_GIL)))
        continue;
      self[node] += weight[i];
      count++;
    }

  PyroCallTree *tree = compact (profile, &trie, self);
  tree->sample_count = count;
  trie_clear (&trie);
  index_children (tree);

  if (selection != NULL && selection->invert)
    {
      PyroCallTree *inverted = invert (tree);
      pyro_call_tree_free (tree);
      return inverted;
    }
  return tree;
}

void
pyro_call_tree_free (PyroCallTree *self)
{
  if (self == NULL)
    return;
  pyro_profile_unref (self->profile);
  g_free (self->parent);
  g_free (self->func);
  g_free (self->self);
  g_free (self->total);
  g_free (self->depth);
  g_free (self->child_start);
  g_free (self->child_count);
  g_free (self->children);
  g_free (self);
}

guint32
pyro_call_tree_find_child (const PyroCallTree *self, guint32 node, guint32 func)
{
  const guint32 *c = self->children + self->child_start[node];
  for (guint i = 0; i < self->child_count[node]; i++)
    if (self->func[c[i]] == func)
      return c[i];
  return PYRO_NONE;
}

void
pyro_call_tree_path (const PyroCallTree *self, guint32 node, GArray *out)
{
  g_array_set_size (out, 0);
  for (guint32 n = node; n != 0 && n != PYRO_NONE; n = self->parent[n])
    g_array_prepend_val (out, n);
}
