/* cpython-linetable.c — decoder of the 3.11+ co_linetable format.
 *
 * Each entry: a byte with bit 7 set, bits 3-6 the kind, bits 0-2 the length
 * minus one in code units, then kind-dependent varints.  See
 * Objects/locations.md in CPython.
 */
#include "sampler/cpython-linetable.h"

typedef struct {
  const guint8 *p;
  const guint8 *end;
} Cursor;

static guint32
read_varint (Cursor *c)
{
  guint32 value = 0;
  guint shift = 0;

  while (c->p < c->end)
    {
      guint8 b = *c->p++;
      if (shift < 32)
        value |= (guint32) (b & 63) << shift;
      shift += 6;
      if (!(b & 64))
        break;
    }
  return value;
}

static gint32
read_svarint (Cursor *c)
{
  guint32 u = read_varint (c);
  return (u & 1) ? -(gint32) (u >> 1) : (gint32) (u >> 1);
}

void
pyro_cpython_linetable_decode (const guint8 *table, gsize len, gint first_line,
                               gint32 *lines, gsize n_units)
{
  Cursor c = { table, table + len };
  /* 64 bits: a damaged table can add deltas past the range of int; such a
   * line is nonsense but must not overflow. */
  gint64 line = first_line;
  gsize unit = 0;

  while (c.p < c.end && unit < n_units)
    {
      guint8 b = *c.p++;
      guint kind = (b >> 3) & 15;
      gsize n = (b & 7) + 1;
      gboolean no_location = FALSE;

      if (kind == 15)
        no_location = TRUE;
      else if (kind == 14)
        {
          line += read_svarint (&c);
          read_varint (&c);
          read_varint (&c);
          read_varint (&c);
        }
      else if (kind == 13)
        line += read_svarint (&c);
      else if (kind >= 10)
        {
          line += kind - 10;
          c.p = MIN (c.p + 2, c.end);
        }
      else
        c.p = MIN (c.p + 1, c.end);

      for (gsize end = MIN (unit + n, n_units); unit < end; unit++)
        lines[unit] = no_location ? PYRO_CPY_NO_LINE : (gint32) CLAMP (line, G_MININT32, G_MAXINT32);
    }
  for (; unit < n_units; unit++)
    lines[unit] = PYRO_CPY_NO_LINE;
}
