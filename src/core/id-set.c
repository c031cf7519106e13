#include "id-set.h"

#include <string.h>

typedef struct {
  guint32 hash;  /* the key's hash folded to 32 bits */
  guint32 id1;   /* id + 1; 0 marks an empty slot */
} Slot;

struct _PyroIdSet {
  Slot *slots;
  guint32 mask;
  guint32 used;
};

static inline guint32
fold (guint64 hash)
{
  return (guint32) hash ^ (guint32) (hash >> 32);
}

PyroIdSet *
pyro_id_set_new (void)
{
  PyroIdSet *self = g_new0 (PyroIdSet, 1);
  self->mask = 1023;
  self->slots = g_new0 (Slot, self->mask + 1);
  return self;
}

void
pyro_id_set_free (PyroIdSet *self)
{
  if (self == NULL)
    return;
  g_free (self->slots);
  g_free (self);
}

guint32
pyro_id_set_lookup (PyroIdSet *self, guint64 hash, gconstpointer key,
                    PyroIdEqualFunc equal, gpointer user_data)
{
  guint32 h = fold (hash);

  for (guint32 i = h & self->mask;; i = (i + 1) & self->mask)
    {
      const Slot *s = &self->slots[i];
      if (s->id1 == 0)
        return G_MAXUINT32;
      if (s->hash == h && equal (s->id1 - 1, key, user_data))
        return s->id1 - 1;
    }
}

static void
place (Slot *slots, guint32 mask, guint32 h, guint32 id1)
{
  guint32 i = h & mask;
  while (slots[i].id1 != 0)
    i = (i + 1) & mask;
  slots[i].hash = h;
  slots[i].id1 = id1;
}

static void
grow (PyroIdSet *self)
{
  guint32 new_mask = self->mask * 2 + 1;
  Slot *new_slots = g_new0 (Slot, (gsize) new_mask + 1);

  for (guint32 i = 0; i <= self->mask; i++)
    if (self->slots[i].id1 != 0)
      place (new_slots, new_mask, self->slots[i].hash, self->slots[i].id1);
  g_free (self->slots);
  self->slots = new_slots;
  self->mask = new_mask;
}

void
pyro_id_set_insert (PyroIdSet *self, guint64 hash, guint32 id)
{
  /* Keep the load under 1/2 so that probes stay short. */
  if ((self->used + 1) * 2 > self->mask)
    grow (self);
  place (self->slots, self->mask, fold (hash), id + 1);
  self->used++;
}

guint64
pyro_hash_bytes (const void *data, gsize length)
{
  const guint8 *p = data;
  guint64 h = 0x243f6a8885a308d3ull ^ length;

  while (length >= 8)
    {
      guint64 v;
      memcpy (&v, p, 8);
      h = pyro_hash_mix (h ^ v, 0xbf58476d1ce4e5b9ull);
      p += 8;
      length -= 8;
    }
  guint64 tail = 0;
  memcpy (&tail, p, length);
  return pyro_hash_mix (h ^ tail, 0x94d049bb133111ebull);
}
