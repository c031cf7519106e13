#include "diff-palette.h"

#include <math.h>

/* Changes smaller than this are noise between two runs of one program. */
#define SAME_THRESHOLD 0.03

static const PyroRgb white = { 1, 1, 1 };
static const PyroRgb more = { 0.85, 0.11, 0.09 };
static const PyroRgb less = { 0.11, 0.35, 0.86 };

double
pyro_diff_change (double before_share, double after_share)
{
  double larger = MAX (before_share, after_share);
  if (!(larger > 0))
    return 0;
  return CLAMP ((after_share - before_share) / larger, -1, 1);
}

PyroRgb
pyro_diff_color (double before_share, double after_share)
{
  double change = pyro_diff_change (before_share, after_share);
  if (fabs (change) < SAME_THRESHOLD)
    return white;
  /* A square root keeps moderate changes visibly tinted. */
  double amount = sqrt ((fabs (change) - SAME_THRESHOLD) / (1 - SAME_THRESHOLD));
  return pyro_rgb_mix (white, change > 0 ? more : less, amount);
}
