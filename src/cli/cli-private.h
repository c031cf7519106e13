/* cli-private.h — what the subcommands share. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "core/profile.h"

G_BEGIN_DECLS

enum {
  PYRO_EXIT_OK = 0,
  PYRO_EXIT_BAD_INPUT = 1,
  PYRO_EXIT_USAGE = 2,
};

typedef struct {
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} PyroSubcommand;

/* Parses @entries for subcommand @name; on failure prints the error and
 * returns FALSE.  @usage names the positional arguments. */
gboolean pyro_cli_parse (const char *name, const char *usage, const char *description,
                         const GOptionEntry *entries, int *argc, char ***argv);
/* Loads @path, printing "pyrometer: MESSAGE" on failure. */
PyroProfile *pyro_cli_load (const char *path);
/* --symfs DIR: binaries are looked up under @dir (NULL: nothing to do).
 * FALSE, having said why, when @dir is not a directory. */
gboolean pyro_cli_use_symfs (const char *name, const char *dir);
/* Prints @builder's root as pretty JSON on stdout. */
void pyro_cli_print_json (JsonBuilder *builder);
/* Prints "pyrometer NAME: MESSAGE" on stderr and returns @status. */
int pyro_cli_fail (const char *name, int status, const char *format, ...) G_GNUC_PRINTF (3, 4);

int pyro_cli_record (int argc, char **argv);
int pyro_cli_report (int argc, char **argv);
/* Prints the per-line cost of @source (cli-lines.c). */
int pyro_cli_report_lines (PyroProfile *profile, const char *source, gboolean json);
/* Loads a perf.data weighed by @event, printing errors and warnings (cli-event.c). */
PyroProfile *pyro_cli_load_event (const char *path, const char *event);
int pyro_cli_info (int argc, char **argv);
int pyro_cli_export (int argc, char **argv);
int pyro_cli_diff (int argc, char **argv);

G_END_DECLS
