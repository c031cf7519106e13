/* cli-lines.c — `pyrometer report FILE --lines SOURCE`: per-line self and
 * total cost of one source file, as text (with the source when readable) or
 * JSON {"lines": [{"file", "line", "self", "total"}]}. */
#include "cli-private.h"
#include "core/line-costs.h"

#include <glib/gi18n.h>
#include <stdio.h>

static void
print_json (const PyroLineCosts *costs)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < costs->lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (costs->lines, PyroLineCost, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, costs->file);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, c->line);
      json_builder_set_member_name (b, "self");
      json_builder_add_double_value (b, c->self);
      json_builder_set_member_name (b, "total");
      json_builder_add_double_value (b, c->total);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  pyro_cli_print_json (b);
}

static void
print_text (const PyroLineCosts *costs, const char *source)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_lines = 0;
  /* Show the code next to its cost when the file is at hand. */
  if (g_file_get_contents (costs->file, &text, NULL, NULL)
      || g_file_get_contents (source, &text, NULL, NULL))
    {
      lines = g_strsplit (text, "\n", -1);
      n_lines = g_strv_length (lines);
    }
  double total = costs->grand_total;
  printf ("%s\n", costs->file);
  printf ("%7s %7s %7s  %s\n", _("Self%"), _("Total%"), _("Line"), _("Source"));
  for (guint i = 0; i < costs->lines->len; i++)
    {
      const PyroLineCost *c = &g_array_index (costs->lines, PyroLineCost, i);
      const char *code = c->line > 0 && c->line <= n_lines ? g_strchug (lines[c->line - 1]) : "";
      printf ("%6.2f%% %6.2f%% %7u  %s\n", total > 0 ? 100 * c->self / total : 0,
              total > 0 ? 100 * c->total / total : 0, c->line, code);
    }
}

int
pyro_cli_report_lines (PyroProfile *profile, const char *source, gboolean json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroLineCosts) costs = pyro_line_costs_new (profile, source, NULL, &error);
  if (costs == NULL)
    return pyro_cli_fail ("report", PYRO_EXIT_BAD_INPUT, "--lines: %s", error->message);
  if (json)
    print_json (costs);
  else
    print_text (costs, source);
  return PYRO_EXIT_OK;
}
