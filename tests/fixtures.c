#include "fixtures.h"
#include "core/call-tree.h"
#include "formats/reader.h"

#include <string.h>
#include <glib/gstdio.h>

static char *temp_dir;

static void
remove_temp_dir (void)
{
  if (temp_dir == NULL)
    return;
  g_autoptr (GDir) dir = g_dir_open (temp_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (temp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (temp_dir);
}

char *
fixture_temp_path (const char *basename)
{
  if (temp_dir == NULL)
    {
      temp_dir = g_dir_make_tmp ("pyro-test-XXXXXX", NULL);
      g_assert_nonnull (temp_dir);
      atexit (remove_temp_dir);
    }
  return g_build_filename (temp_dir, basename, NULL);
}

char *
fixture_write_temp (const char *basename, const void *data, gssize len)
{
  char *path = fixture_temp_path (basename);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

PyroProfile *
fixture_profile_from_folded (const char *text)
{
  g_autofree char *path = fixture_write_temp ("fixture.folded", text, -1);
  g_autoptr (GError) error = NULL;
  PyroProfile *profile = pyro_format_load_file (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

guint32
fixture_func (PyroProfile *profile, const char *name)
{
  for (guint f = 0; f < pyro_profile_n_funcs (profile); f++)
    if (strcmp (pyro_profile_func_name (profile, f), name) == 0)
      return f;
  return PYRO_NONE;
}

PyroProfile *
fixture_load (const char *basename, const void *data, gssize len, GError **error)
{
  g_autofree char *path = fixture_write_temp (basename, data, len);
  return pyro_format_load_file (path, NULL, NULL, NULL, error);
}

PyroProfile *
fixture_load_text (const char *basename, const char *text, GError **error)
{
  return fixture_load (basename, text, -1, error);
}

PyroProfile *
fixture_load_ok (const char *basename, const char *text)
{
  g_autoptr (GError) error = NULL;
  PyroProfile *p = fixture_load (basename, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

void
fixture_expect_error (const char *basename, const void *data, gssize len, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PyroProfile) p = fixture_load (basename, data, len, &error);
  g_assert_null (p);
  g_assert_nonnull (error);
  if (strstr (error->message, basename) == NULL || strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' and '%s' in: %s", basename, fragment, error->message);
}

void
fixture_expect_error_text (const char *basename, const char *text, const char *fragment)
{
  fixture_expect_error (basename, text, -1, fragment);
}

double
fixture_path_total (PyroProfile *profile, const char *const *names)
{
  g_autoptr (PyroCallTree) t = pyro_call_tree_new (profile, NULL, NULL, NULL);
  guint32 node = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      guint32 func = fixture_func (profile, names[i]);
      g_assert_cmpuint (func, !=, PYRO_NONE);
      node = pyro_call_tree_find_child (t, node, func);
      g_assert_cmpuint (node, !=, PYRO_NONE);
    }
  return t->total[node];
}

static const char kernprof_script[] =
  "import time\n"
  "\n"
  "@profile\n"
  "def grow(n):\n"
  "    data = []\n"
  "    for i in range(n):\n"
  "        data.append(i * i)\n"
  "    time.sleep(0.01)\n"
  "    return data\n"
  "\n"
  "@profile\n"
  "def main():\n"
  "    total = 0\n"
  "    for k in range(5):\n"
  "        total += len(grow(1000 * (k + 1)))\n"
  "    return total\n"
  "\n"
  "main()\n";

gboolean
fixture_run (const char *dir, const char *const *argv, char **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL, *ignored = NULL;
  int status;
  if (!g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     out != NULL ? out : &ignored, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s failed: %s %s", argv[0], error->message, err ? err : "");
      g_test_skip (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
fixture_run_kernprof (char **lprof, char **report)
{
  g_autofree char *kernprof = g_find_program_in_path ("kernprof");
  if (kernprof == NULL)
    {
      g_test_skip ("line_profiler's kernprof is not installed (Debian: python3-line-profiler)");
      return FALSE;
    }
  /* line_profiler's report runs with the interpreter kernprof runs with: its #! line */
  g_autofree char *head = NULL;
  g_assert_true (g_file_get_contents (kernprof, &head, NULL, NULL));
  g_autofree char *python = g_str_has_prefix (head, "#!") ? g_strstrip (g_strndup (head + 2, strcspn (head + 2, "\n")))
                                                          : g_strdup ("python3");
  g_autofree char *script = fixture_write_temp ("profiled.py", kernprof_script, -1);
  g_autofree char *dir = g_path_get_dirname (script);
  g_autofree char *out = fixture_temp_path ("profiled.py.lprof");
  const char *run[] = { kernprof, "-l", "-o", out, script, NULL };
  const char *show[] = { python, "-m", "line_profiler", out, NULL };
  g_autofree char *text = NULL;
  if (!fixture_run (dir, run, NULL) || !fixture_run (dir, show, &text))
    return FALSE;
  *lprof = g_steal_pointer (&out);
  *report = g_steal_pointer (&text);
  return TRUE;
}

static const char mprof_script[] =
  "import time\n"
  "\n"
  "@profile\n"
  "def grow():\n"
  "    data = bytearray(100 * 1024 * 1024)\n"
  "    for i in range(0, len(data), 4096):\n"
  "        data[i] = 1\n"
  "    time.sleep(0.6)\n"
  "    return data\n"
  "\n"
  "@profile\n"
  "def main():\n"
  "    time.sleep(0.3)\n"
  "    d = grow()\n"
  "    del d\n"
  "    time.sleep(0.3)\n"
  "\n"
  "main()\n";

gboolean
fixture_run_mprof (char **dat, FixtureMprof *facts)
{
  g_autofree char *mprof = g_find_program_in_path ("mprof");
  if (mprof == NULL)
    mprof = g_find_program_in_path ("python3-mprof");
  if (mprof == NULL)
    {
      g_test_skip ("memory_profiler's mprof is not installed (Debian: python3-memory-profiler)");
      return FALSE;
    }
  g_autofree char *script = fixture_write_temp ("alloc.py", mprof_script, -1);
  g_autofree char *dir = g_path_get_dirname (script);
  g_autofree char *out = fixture_temp_path ("mprofile_alloc.dat");
  const char *argv[] = { mprof, "run", "--interval", "0.05", "-o", out, "alloc.py", NULL };
  if (!fixture_run (dir, argv, NULL))
    return FALSE;

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  FixtureMprof f = { 0 };
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) w = g_strsplit (lines[i], " ", -1);
      if (g_strv_length (w) == 3 && g_str_equal (w[0], "MEM") && g_ascii_strtod (w[1], NULL) > f.max_mib)
        {
          f.max_mib = g_ascii_strtod (w[1], NULL);
          f.max_time = g_ascii_strtod (w[2], NULL);
        }
      if (g_strv_length (w) >= 6 && g_str_equal (w[0], "FUNC") && g_str_equal (w[1], "__main__.grow"))
        {
          f.grow_mem_start = g_ascii_strtod (w[2], NULL);
          f.grow_start = g_ascii_strtod (w[3], NULL);
          f.grow_mem_end = g_ascii_strtod (w[4], NULL);
          f.grow_end = g_ascii_strtod (w[5], NULL);
        }
    }
  *facts = f;
  *dat = g_steal_pointer (&out);
  return TRUE;
}
