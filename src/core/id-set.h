/* id-set.h — an open-addressing index from a key to a guint32 id, where the
 * key lives in the caller's own columns.  Lets the profile deduplicate rows
 * without storing each key twice.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PyroIdSet PyroIdSet;

/* TRUE when row @id equals @key. */
typedef gboolean (*PyroIdEqualFunc) (guint32 id, gconstpointer key, gpointer user_data);

PyroIdSet *pyro_id_set_new (void);
void       pyro_id_set_free (PyroIdSet *self);
/* The id of the row equal to @key, or G_MAXUINT32. */
guint32    pyro_id_set_lookup (PyroIdSet *self, guint64 hash, gconstpointer key,
                               PyroIdEqualFunc equal, gpointer user_data);
/* Adds @id under @hash; the caller has checked it is not present. */
void       pyro_id_set_insert (PyroIdSet *self, guint64 hash, guint32 id);

guint64 pyro_hash_bytes (const void *data, gsize length);

static inline guint64
pyro_hash_mix (guint64 a, guint64 b)
{
  unsigned __int128 r = (unsigned __int128) a * b;
  return (guint64) r ^ (guint64) (r >> 64);
}

static inline guint64
pyro_hash_u32x2 (guint32 a, guint32 b)
{
  return pyro_hash_mix (((guint64) a << 32 | b) ^ 0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull);
}

G_END_DECLS
