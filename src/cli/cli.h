/* cli.h — `pyrometer SUBCOMMAND ...`, headless. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @name is a subcommand (so main() must not open a window). */
gboolean pyro_cli_is_subcommand (const char *name);
/* Runs argv[1] as a subcommand; returns the exit status (0 ok, 1 bad input, 2 bad usage). */
int      pyro_cli_main (int argc, char **argv);

G_END_DECLS
