/* LeakSanitizer on the command line: `pyrometer report`, `info` and `export`
 * on every corpus fixture, in a build with AddressSanitizer.  A leak, any
 * other sanitizer report or a failed command fails the test; only the
 * third-party allocations listed in build-aux/lsan.supp are tolerated.
 * Skipped with a message in a build without the sanitizer. */
#include "corpus-fixtures.h"
#include "fixtures.h"

#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define PYRO_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PYRO_TEST_ASAN 1
#endif
#endif

#ifdef PYRO_TEST_ASAN
/* Arguments after the trace; "@OUT@" is replaced by a temporary file whose
 * name ends with the given extension. */
typedef struct {
  const char *command;
  const char *out_extension; /* nullable: no output file */
  const char *extra[3];
} Run;

static const Run runs[] = {
  { "report", NULL, { NULL } },
  { "report", NULL, { "--format", "json", NULL } },
  { "info", NULL, { "--format", "json", NULL } },
  { "export", ".png", { NULL } },
  { "export", ".svg", { "--view", "callgraph", NULL } },
  { "export", ".pdf", { "--view", "squaremap", NULL } },
  { "export", ".speedscope.json", { NULL } },
  { "export", ".syscap", { NULL } },
};

static char **
sanitizer_environment (void)
{
  g_autofree char *supp = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "build-aux",
                                            "lsan.supp", NULL);
  g_autofree char *lsan = g_strdup_printf ("suppressions=%s:print_suppressions=0", supp);
  char **env = g_get_environ ();
  env = g_environ_setenv (env, "ASAN_OPTIONS", "detect_leaks=1", TRUE);
  env = g_environ_setenv (env, "LSAN_OPTIONS", lsan, TRUE);
  env = g_environ_setenv (env, "UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1", TRUE);
  /* GLib's slice allocator would hide a leaked slice inside its magazines. */
  env = g_environ_setenv (env, "G_SLICE", "always-malloc", TRUE);
  return env;
}

static void
run_cli (const char *trace, const Run *run, char **env)
{
  g_autofree char *out = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) g_getenv ("PYRO_BIN"));
  g_ptr_array_add (argv, (char *) run->command);
  g_ptr_array_add (argv, (char *) trace);
  if (run->out_extension != NULL)
    {
      g_autofree char *base = g_strconcat ("leak-out", run->out_extension, NULL);
      out = fixture_temp_path (base);
      g_ptr_array_add (argv, "-o");
      g_ptr_array_add (argv, out);
    }
  for (guint i = 0; run->extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) run->extra[i]);
  g_ptr_array_add (argv, NULL);
  g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                &err, &status, &error);
  g_assert_no_error (error);
  gboolean reported = strstr (err, "LeakSanitizer") != NULL || strstr (err, "AddressSanitizer") != NULL
                      || strstr (err, "runtime error:") != NULL;
  if (reported || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s:\n%s", command, err);
      g_test_fail_printf ("%s %s", command, reported ? "has a sanitizer report" : "failed");
    }
}

#endif

static void
test_fixture (gconstpointer data)
{
#ifndef PYRO_TEST_ASAN
  g_test_skip ("this build has no AddressSanitizer: configure with -Db_sanitize=address,undefined "
               "(build-aux/dev sanitize)");
#else
  const CorpusFixture *fixture = data;
  g_autofree char *path = fixture->make ();
  if (path == NULL)
    {
      g_test_skip ("the tool that makes this fixture is not available here");
      return;
    }
  g_auto (GStrv) env = sanitizer_environment ();
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    run_cli (path, &runs[i], env);
#endif
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (const CorpusFixture *f = corpus_fixtures; f->name != NULL; f++)
    {
      g_autofree char *name = g_strconcat ("/leaks/", f->name, NULL);
      g_test_add_data_func (name, f, test_fixture);
    }
  return g_test_run ();
}
