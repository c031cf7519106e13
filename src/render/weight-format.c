#include "weight-format.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* 1234567 -> "1,234,567" */
static char *
group_thousands (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (value));
  GString *out = g_string_new (value < 0 ? "-" : "");
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
pyro_format_weight (PyroUnit unit, double value)
{
  switch (unit)
    {
    case PYRO_UNIT_SECONDS:
      if (fabs (value) >= 0.001 || value == 0)
        return g_strdup_printf (_("%.3f s"), value);
      return g_strdup_printf (_("%.3f ms"), value * 1000);
    case PYRO_UNIT_BYTES:
      return g_format_size_full ((guint64) MAX (value, 0), G_FORMAT_SIZE_IEC_UNITS);
    case PYRO_UNIT_SAMPLES:
    default:
      if (value != floor (value))
        return g_strdup_printf (_("%.2f samples"), value);
      {
        g_autofree char *n = group_thousands (value);
        return g_strdup_printf (ngettext ("%s sample", "%s samples", value == 1 ? 1 : 2), n);
      }
    }
}
