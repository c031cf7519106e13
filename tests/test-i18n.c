/* test-i18n.c — translations: po/POTFILES names every file with marked
 * strings, the German catalogue translates every message of the current
 * sources, and the built catalogue reaches the running program. */
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

static char *
source_root (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", NULL);
}

static char *
run (const char *const *argv, const char *cwd, const char *const *env_overrides, char **err_out)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  for (guint i = 0; env_overrides != NULL && env_overrides[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env_overrides[i], env_overrides[i + 1], TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  char *out = NULL, *err = NULL;
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("%s failed:\n%s", argv[0], err);
  if (err_out != NULL)
    *err_out = err;
  else
    g_free (err);
  return out;
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  if (path == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s is not installed", name);
      g_test_skip (msg);
    }
  return path != NULL;
}

/* The file's text has a string marked for translation: _("…"), N_("…"),
 * C_("…", …), NC_ or a translatable="yes" attribute. */
static gboolean
has_marked_strings (const char *text)
{
  static GRegex *marker;
  if (marker == NULL)
    marker = g_regex_new ("(^|[^A-Za-z0-9_])(N|C|NC)?_ ?\\(\\s*\"|translatable=\"yes\"",
                          G_REGEX_MULTILINE, 0, NULL);
  return g_regex_match (marker, text, 0, NULL);
}

static void
collect_marked (const char *root, const char *rel, GPtrArray *found)
{
  g_autofree char *dir_path = g_build_filename (root, rel, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = g_build_filename (rel, name, NULL);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          collect_marked (root, child_rel, found);
          continue;
        }
      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h")
          && !g_str_has_suffix (name, ".ui") && !g_str_has_suffix (name, ".in")
          && !g_str_has_suffix (name, ".xml"))
        continue;
      g_autofree char *text = NULL;
      if (g_file_get_contents (child, &text, NULL, NULL) && has_marked_strings (text))
        g_ptr_array_add (found, g_steal_pointer (&child_rel));
    }
}

static GHashTable *
read_potfiles (const char *root)
{
  g_autofree char *path = g_build_filename (root, "po", "POTFILES", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  GHashTable *listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0' && lines[i][0] != '#')
        g_hash_table_add (listed, g_strdup (lines[i]));
    }
  return listed;
}

static void
test_potfiles_complete (void)
{
  g_autofree char *root = source_root ();
  g_autoptr (GHashTable) listed = read_potfiles (root);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  collect_marked (root, "src", found);
  collect_marked (root, "ui", found);
  collect_marked (root, "data", found);
  g_assert_cmpuint (found->len, >, 10);

  g_autoptr (GString) missing = g_string_new (NULL);
  for (guint i = 0; i < found->len; i++)
    if (!g_hash_table_contains (listed, found->pdata[i]))
      g_string_append_printf (missing, "  %s\n", (char *) found->pdata[i]);
  if (missing->len > 0)
    g_error ("these files have strings marked for translation but are missing from po/POTFILES:\n%s",
             missing->str);
}

static void
test_potfiles_exist (void)
{
  g_autofree char *root = source_root ();
  g_autoptr (GHashTable) listed = read_potfiles (root);
  GHashTableIter iter;
  const char *rel;
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rel, NULL))
    {
      g_autofree char *path = g_build_filename (root, rel, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("po/POTFILES names %s, which does not exist", rel);
    }
}

/* msgfmt --statistics: "N translated messages[, N fuzzy translations][, N
 * untranslated messages]." */
static void
assert_complete (const char *statistics, const char *what)
{
  if (strstr (statistics, "fuzzy") != NULL || strstr (statistics, "untranslated") != NULL)
    g_error ("%s is not complete: %s", what, statistics);
  g_assert_nonnull (strstr (statistics, "translated message"));
}

static void
test_german_complete (void)
{
  if (!have_program ("msgfmt"))
    return;
  g_autofree char *root = source_root ();
  g_autofree char *po = g_build_filename (root, "po", "de.po", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL };
  g_free (run (argv, NULL, NULL, &err));
  assert_complete (err, "po/de.po");
}

/* The catalogue measured against a template extracted from today's sources,
 * so a new string without a German translation fails here. */
static void
test_german_current (void)
{
  if (!have_program ("xgettext") || !have_program ("msgmerge") || !have_program ("msgfmt"))
    return;
  g_autofree char *root = source_root ();
  g_autofree char *tmp = g_dir_make_tmp ("pyro-i18n-XXXXXX", NULL);
  g_autofree char *pot = g_build_filename (tmp, "pyrometer.pot", NULL);
  g_autofree char *merged = g_build_filename (tmp, "de.po", NULL);
  g_autofree char *po = g_build_filename (root, "po", "de.po", NULL);

  /* The keywords of meson's "glib" preset, as po/meson.build extracts. */
  const char *xgettext[] = { "xgettext", "--package-name=pyrometer", "--from-code=UTF-8",
                             "--add-comments", "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2",
                             "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
                             "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
                             "--files-from=po/POTFILES", "--directory=.", "-o", pot, NULL };
  g_free (run (xgettext, root, NULL, NULL));
  const char *msgmerge[] = { "msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot, NULL };
  g_free (run (msgmerge, NULL, NULL, NULL));
  g_autofree char *err = NULL;
  const char *msgfmt[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", merged, NULL };
  g_free (run (msgfmt, NULL, NULL, &err));
  if (strstr (err, "fuzzy") != NULL || strstr (err, "untranslated") != NULL)
    {
      /* Name the messages that need a translation. */
      const char *attrib[] = { "msgattrib", "--no-obsolete", "--no-wrap", "--untranslated", merged, NULL };
      const char *fuzzy[] = { "msgattrib", "--no-obsolete", "--no-wrap", "--only-fuzzy", merged, NULL };
      g_autofree char *untranslated = run (attrib, NULL, NULL, NULL);
      g_autofree char *unsure = run (fuzzy, NULL, NULL, NULL);
      g_autoptr (GString) list = g_string_new (NULL);
      g_autofree char *both = g_strconcat (untranslated, unsure, NULL);
      g_auto (GStrv) lines = g_strsplit (both, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "msgid \"") && !g_str_equal (lines[i], "msgid \"\""))
          g_string_append_printf (list, "  %s\n", lines[i]);
      g_error ("po/de.po against the strings of the current sources: %s\n"
               "translate these (or correct their fuzzy translations) in po/de.po:\n%s",
               err, list->str);
    }
  assert_complete (err, "po/de.po against the strings of the current sources");

  g_unlink (pot);
  g_unlink (merged);
  g_rmdir (tmp);
}

/* The built catalogue, found through PYRO_LOCALEDIR, translates the
 * program's own text. */
static void
test_german_cli (void)
{
  const char *bin = g_getenv ("PYRO_BIN");
  g_assert_nonnull (bin);
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "de", "LC_MESSAGES", "pyrometer.mo", NULL);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  const char *argv[] = { bin, "report", "--help", NULL };
  const char *german[] = { "LANGUAGE", "de", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
                           "PYRO_LOCALEDIR", localedir, NULL };
  g_autofree char *out = run (argv, NULL, german, NULL);
  g_assert_nonnull (strstr (out, "Gibt die Funktionen mit den höchsten eigenen Kosten aus."));

  const char *english[] = { "LANGUAGE", "", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
                            "PYRO_LOCALEDIR", localedir, NULL };
  g_autofree char *plain = run (argv, NULL, english, NULL);
  g_assert_nonnull (strstr (plain, "Prints the functions with the most self cost."));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/i18n/potfiles-complete", test_potfiles_complete);
  g_test_add_func ("/i18n/potfiles-exist", test_potfiles_exist);
  g_test_add_func ("/i18n/german-complete", test_german_complete);
  g_test_add_func ("/i18n/german-current", test_german_current);
  g_test_add_func ("/i18n/german-cli", test_german_cli);
  return g_test_run ();
}
