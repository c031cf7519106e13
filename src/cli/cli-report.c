#include "cli-private.h"
#include "core/call-tree.h"
#include "core/function-table.h"

#include <glib/gi18n.h>
#include <stdio.h>

/* Samples per thread; a sample's weight counts when weights are counts. */
static double *
thread_samples (PyroProfile *profile)
{
  double *n = g_new0 (double, pyro_profile_n_threads (profile) + 1);
  for (guint i = 0; i < pyro_profile_n_samples (profile); i++)
    {
      guint32 t = PYRO_COL (profile->sample_thread, guint32, i);
      if (t < pyro_profile_n_threads (profile))
        n[t] += profile->meta.unit == PYRO_UNIT_SAMPLES ? PYRO_COL (profile->sample_weight, double, i) : 1;
    }
  return n;
}

static void
add_sample_count (JsonBuilder *b, PyroProfile *profile, double total)
{
  json_builder_set_member_name (b, "samples");
  if (profile->meta.unit == PYRO_UNIT_SAMPLES)
    json_builder_add_int_value (b, (gint64) total);
  else if (profile->meta.has_time)
    json_builder_add_int_value (b, pyro_profile_n_samples (profile));
  else
    json_builder_add_null_value (b);
}

static void
add_duration (JsonBuilder *b, PyroProfile *profile)
{
  gint64 start, end;
  json_builder_set_member_name (b, "duration_s");
  if (pyro_profile_time_bounds (profile, &start, &end))
    json_builder_add_double_value (b, (end - start) / 1e9);
  else
    json_builder_add_null_value (b);
}

/* Where the trace says which samples held the GIL: the table weighed by
 * those samples only, else NULL. */
static PyroFunctionTable *
gil_table (PyroProfile *profile)
{
  if (profile->sample_flags == NULL)
    return NULL;
  g_autoptr (PyroSelection) selection = pyro_selection_new ();
  selection->weight = PYRO_WEIGHT_GIL;
  PyroCallTree *tree = pyro_call_tree_new (profile, selection, NULL, NULL);
  if (tree == NULL)
    return NULL;
  PyroFunctionTable *table = pyro_function_table_new (tree);
  pyro_call_tree_free (tree);
  return table;
}

/* Share of @row's total weight that held the GIL. */
static double
gil_share (PyroFunctionTable *gil, const PyroFunctionRow *row)
{
  const PyroFunctionRow *g = pyro_function_table_lookup (gil, row->func);
  return row->total > 0 && g != NULL ? 100.0 * g->total / row->total : 0;
}

static void
print_json (PyroProfile *profile, PyroFunctionTable *table, guint top)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  double total = table->grand_total;
  g_autoptr (PyroFunctionTable) gil = gil_table (profile);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, profile->meta.format);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, pyro_unit_to_string (profile->meta.unit));
  add_sample_count (b, profile, total);
  json_builder_set_member_name (b, "total");
  json_builder_add_double_value (b, total);
  add_duration (b, profile);
  json_builder_set_member_name (b, "estimated");
  json_builder_add_boolean_value (b, profile->meta.estimated);

  g_autofree double *per_thread = thread_samples (profile);
  json_builder_set_member_name (b, "threads");
  json_builder_begin_array (b);
  for (guint i = 0; i < pyro_profile_n_threads (profile); i++)
    {
      const PyroThread *t = &g_array_index (profile->threads, PyroThread, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tid");
      json_builder_add_int_value (b, t->tid);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, pyro_profile_str (profile, t->name));
      json_builder_set_member_name (b, "samples");
      json_builder_add_int_value (b, (gint64) per_thread[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "functions");
  json_builder_begin_array (b);
  for (guint i = 0; i < MIN (top, table->rows->len); i++)
    {
      const PyroFunctionRow *row = &g_array_index (table->rows, PyroFunctionRow, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, pyro_profile_func_name (profile, row->func));
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, pyro_profile_func_file (profile, row->func));
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, pyro_profile_func_line (profile, row->func));
      json_builder_set_member_name (b, "module");
      json_builder_add_string_value (b, pyro_profile_func_module (profile, row->func));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, pyro_func_kind_to_string (pyro_profile_func_kind (profile, row->func)));
      json_builder_set_member_name (b, "self");
      json_builder_add_double_value (b, row->self);
      json_builder_set_member_name (b, "total");
      json_builder_add_double_value (b, row->total);
      json_builder_set_member_name (b, "self_pct");
      json_builder_add_double_value (b, total > 0 ? 100.0 * row->self / total : 0);
      json_builder_set_member_name (b, "total_pct");
      json_builder_add_double_value (b, total > 0 ? 100.0 * row->total / total : 0);
      json_builder_set_member_name (b, "calls");
      if (row->calls >= 0)
        json_builder_add_int_value (b, (gint64) row->calls);
      else
        json_builder_add_null_value (b);
      if (gil != NULL)
        {
          json_builder_set_member_name (b, "gil_pct");
          json_builder_add_double_value (b, gil_share (gil, row));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  pyro_cli_print_json (b);
}

static void
format_weight (char *buf, gsize size, PyroUnit unit, double w)
{
  switch (unit)
    {
    /* pstats prints six decimals; most functions of a dump take microseconds */
    case PYRO_UNIT_SECONDS: g_snprintf (buf, size, w >= 10 ? "%.3fs" : "%.6fs", w); break;
    case PYRO_UNIT_BYTES: g_snprintf (buf, size, "%.1fMiB", w / 1048576.0); break;
    case PYRO_UNIT_SAMPLES:
    default: g_snprintf (buf, size, "%.0f", w); break;
    }
}

static void
print_text (PyroProfile *profile, PyroFunctionTable *table, guint top)
{
  double total = table->grand_total;
  char self_buf[32], total_buf[32];
  g_autoptr (PyroFunctionTable) gil = gil_table (profile);

  format_weight (total_buf, sizeof total_buf, profile->meta.unit, total);
  printf ("%s: %s, total %s %s\n", profile->meta.format, pyro_unit_to_string (profile->meta.unit),
          total_buf, profile->meta.estimated ? _("(call tree estimated from caller/callee pairs)") : "");
  printf ("%7s %7s %12s %12s %10s  ", _("Self%"), _("Total%"), _("Self"), _("Total"), _("Calls"));
  if (gil != NULL)
    printf ("%6s  ", _("GIL%"));
  printf ("%s\n", _("Function"));
  for (guint i = 0; i < MIN (top, table->rows->len); i++)
    {
      const PyroFunctionRow *row = &g_array_index (table->rows, PyroFunctionRow, i);
      const char *file = pyro_profile_func_file (profile, row->func);
      guint32 line = pyro_profile_func_line (profile, row->func);
      char calls[32] = "-";
      if (row->calls >= 0)
        g_snprintf (calls, sizeof calls, "%.0f", row->calls);
      format_weight (self_buf, sizeof self_buf, profile->meta.unit, row->self);
      format_weight (total_buf, sizeof total_buf, profile->meta.unit, row->total);
      printf ("%6.2f%% %6.2f%% %12s %12s %10s  ", total > 0 ? 100 * row->self / total : 0,
              total > 0 ? 100 * row->total / total : 0, self_buf, total_buf, calls);
      if (gil != NULL)
        printf ("%5.1f%%  ", gil_share (gil, row));
      printf ("%s", pyro_profile_func_name (profile, row->func));
      if (*file)
        printf (line ? "  %s:%u" : "  %s", file, line);
      putchar ('\n');
    }
}

int
pyro_cli_report (int argc, char **argv)
{
  int top = 20;
  g_autofree char *format = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *event = NULL;
  g_autofree char *symfs = NULL;
  const GOptionEntry entries[] = {
    { "top", 'n', 0, G_OPTION_ARG_INT, &top, N_("Show the N hottest functions (default 20)"), "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), "text|json" },
    { "lines", 0, 0, G_OPTION_ARG_FILENAME, &lines, N_("Print the self and total cost of each line of SOURCE instead"), "SOURCE" },
    { "event", 0, 0, G_OPTION_ARG_STRING, &event, N_("perf.data with several events: weigh by EVENT instead of the first"), "EVENT" },
    { "symfs", 0, 0, G_OPTION_ARG_FILENAME, &symfs, N_("Look binaries and their debug files up under DIR instead of /"), "DIR" },
    { NULL },
  };
  if (!pyro_cli_parse ("report", "FILE", _("Prints the functions with the most self cost."),
                       entries, &argc, &argv))
    return PYRO_EXIT_USAGE;
  if (!pyro_cli_use_symfs ("report", symfs))
    return PYRO_EXIT_USAGE;
  if (argc != 2)
    return pyro_cli_fail ("report", PYRO_EXIT_USAGE, _("expected one FILE (see 'pyrometer report --help')"));
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    return pyro_cli_fail ("report", PYRO_EXIT_USAGE, _("--format takes text or json, not '%s'"), format);
  if (top < 0)
    return pyro_cli_fail ("report", PYRO_EXIT_USAGE, _("--top takes a number of 0 or more"));

  g_autoptr (PyroProfile) profile = event != NULL ? pyro_cli_load_event (argv[1], event)
                                                  : pyro_cli_load (argv[1]);
  if (profile == NULL)
    return PYRO_EXIT_BAD_INPUT;
  if (lines != NULL)
    return pyro_cli_report_lines (profile, lines, format != NULL && g_str_equal (format, "json"));
  g_autoptr (PyroFunctionTable) table = pyro_function_table_new_for_profile (profile);
  if (format != NULL && g_str_equal (format, "json"))
    print_json (profile, table, (guint) top);
  else
    print_text (profile, table, (guint) top);
  return PYRO_EXIT_OK;
}
