#include "cli-private.h"
#include "core/profile-diff.h"

#include <glib/gi18n.h>
#include <stdio.h>

static void
print_json (const PyroProfileDiff *diff, guint top)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, pyro_unit_to_string (diff->unit));
  json_builder_set_member_name (b, "a_total");
  json_builder_add_double_value (b, diff->a_total);
  json_builder_set_member_name (b, "b_total");
  json_builder_add_double_value (b, diff->b_total);
  json_builder_set_member_name (b, "ratio");
  json_builder_add_double_value (b, pyro_profile_diff_ratio (diff));
  g_autofree char *headline = pyro_profile_diff_headline (diff);
  json_builder_set_member_name (b, "headline");
  json_builder_add_string_value (b, headline);
  json_builder_set_member_name (b, "functions");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (top, diff->rows->len); i++)
    {
      const PyroDiffRow *r = &g_array_index (diff->rows, PyroDiffRow, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, r->file);
      json_builder_set_member_name (b, "a");
      json_builder_add_double_value (b, r->a);
      json_builder_set_member_name (b, "b");
      json_builder_add_double_value (b, r->b);
      json_builder_set_member_name (b, "delta");
      json_builder_add_double_value (b, r->b - r->a);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  pyro_cli_print_json (b);
}

static void
print_text (const PyroProfileDiff *diff, guint top)
{
  g_autofree char *headline = pyro_profile_diff_headline (diff);
  printf ("%s\n\n", headline);
  printf ("%8s %8s %9s %8s  %s\n", _("A%"), _("B%"), _("Change"), _("Ratio"), _("Function"));
  for (guint i = 0; i < MIN (top, diff->rows->len); i++)
    {
      const PyroDiffRow *r = &g_array_index (diff->rows, PyroDiffRow, i);
      double a = diff->a_total > 0 ? 100 * r->a / diff->a_total : 0;
      double b = diff->b_total > 0 ? 100 * r->b / diff->b_total : 0;
      char ratio[32] = "-";
      if (r->a > 0 && r->b > 0)
        g_snprintf (ratio, sizeof ratio, "%.2f×", r->a / r->b);
      printf ("%7.2f%% %7.2f%% %+8.2f%% %8s  %s%s%s\n", a, b, b - a, ratio, r->name,
              *r->file ? "  " : "", r->file);
    }
}

int
pyro_cli_diff (int argc, char **argv)
{
  int top = 20;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "top", 'n', 0, G_OPTION_ARG_INT, &top, N_("Show the N functions that changed most (default 20)"), "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), "text|json" },
    { NULL },
  };
  if (!pyro_cli_parse ("diff", "A B", _("Compares profile B (after) with profile A (before), function by function."),
                       entries, &argc, &argv))
    return PYRO_EXIT_USAGE;
  if (argc != 3)
    return pyro_cli_fail ("diff", PYRO_EXIT_USAGE, _("expected two files, A and B (see 'pyrometer diff --help')"));
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return pyro_cli_fail ("diff", PYRO_EXIT_USAGE, _("--format takes text or json, not '%s'"), format);
  if (top < 0)
    return pyro_cli_fail ("diff", PYRO_EXIT_USAGE, _("--top takes a number of 0 or more"));

  g_autoptr (PyroProfile) a = pyro_cli_load (argv[1]);
  if (a == NULL)
    return PYRO_EXIT_BAD_INPUT;
  g_autoptr (PyroProfile) b = pyro_cli_load (argv[2]);
  if (b == NULL)
    return PYRO_EXIT_BAD_INPUT;
  if (a->meta.unit != b->meta.unit)
    fprintf (stderr, _("pyrometer diff: note: A is in %s and B in %s; shares are compared, totals are not comparable\n"),
             pyro_unit_to_string (a->meta.unit), pyro_unit_to_string (b->meta.unit));

  g_autoptr (PyroProfileDiff) diff = pyro_profile_diff_new (a, b);
  if (format != NULL && g_str_equal (format, "json"))
    print_json (diff, (guint) top);
  else
    print_text (diff, (guint) top);
  return PYRO_EXIT_OK;
}
