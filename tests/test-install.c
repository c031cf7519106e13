/* test-install.c — `meson install` into a temporary DESTDIR puts every file
 * the desktop needs in place, they validate there, and the installed binary
 * runs headless: --help, and a report of the installed demo recording.
 * Also: every screenshot the metainfo shows is in data/screenshots at the
 * size it declares. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#define APP_ID "io.github.pyrometer.Pyrometer"

static char *
run (const char *const *argv, gboolean headless, int *status, char **err_out)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (headless)
    {
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  char *out = NULL, *err = NULL;
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  if (err_out != NULL)
    *err_out = err;
  else
    g_free (err);
  return out;
}

static char *
run_ok (const char *const *argv, gboolean headless)
{
  int status;
  g_autofree char *err = NULL;
  char *out = run (argv, headless, &status, &err);
  if (status != 0)
    g_error ("%s exited with %d:\n%s%s", argv[0], status, out, err);
  return out;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
installed (const char *destdir, const char *option, const char *rel)
{
  const char *prefix = g_getenv ("PYRO_INSTALL_PREFIX");
  const char *dir = g_getenv (option);
  g_assert_nonnull (prefix);
  g_assert_nonnull (dir);
  /* Install directories are relative to the prefix unless absolute. */
  g_autofree char *under = g_path_is_absolute (dir) ? g_strdup (dir) : g_build_filename (prefix, dir, NULL);
  return g_build_filename (destdir, under, rel, NULL);
}

static void
assert_file (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("%s was not installed", path);
}

static void
validate_with (const char *program, const char *const *args, const char *path)
{
  g_autofree char *found = g_find_program_in_path (program);
  if (found == NULL)
    {
      g_test_message ("%s is not installed; %s not validated", program, path);
      return;
    }
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, found);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, NULL);
  g_free (run_ok ((const char *const *) argv->pdata, TRUE));
}

static void
test_destdir (void)
{
  const char *meson = g_getenv ("PYRO_MESON");
  const char *build_root = g_getenv ("PYRO_BUILD_ROOT");
  if (meson == NULL || build_root == NULL)
    {
      g_test_skip ("PYRO_MESON and PYRO_BUILD_ROOT name the build to install (meson test sets them)");
      return;
    }
  g_autofree char *destdir = g_dir_make_tmp ("pyro-install-XXXXXX", NULL);
  const char *install[] = { meson, "install", "-C", build_root, "--no-rebuild", "--quiet",
                            "--destdir", destdir, NULL };
  g_free (run_ok (install, TRUE));

  g_autofree char *bin = installed (destdir, "PYRO_INSTALL_BINDIR", "pyrometer");
  g_autofree char *desktop = installed (destdir, "PYRO_INSTALL_DATADIR", "applications/" APP_ID ".desktop");
  g_autofree char *metainfo = installed (destdir, "PYRO_INSTALL_DATADIR", "metainfo/" APP_ID ".metainfo.xml");
  g_autofree char *mime = installed (destdir, "PYRO_INSTALL_DATADIR", "mime/packages/" APP_ID ".xml");
  g_autofree char *schemas = installed (destdir, "PYRO_INSTALL_DATADIR", "glib-2.0/schemas");
  g_autofree char *schema = g_build_filename (schemas, APP_ID ".gschema.xml", NULL);
  g_autofree char *icon = installed (destdir, "PYRO_INSTALL_DATADIR", "icons/hicolor/scalable/apps/" APP_ID ".svg");
  g_autofree char *symbolic = installed (destdir, "PYRO_INSTALL_DATADIR",
                                         "icons/hicolor/symbolic/apps/" APP_ID "-symbolic.svg");
  g_autofree char *man = installed (destdir, "PYRO_INSTALL_MANDIR", "man1/pyrometer.1");
  g_autofree char *mo = installed (destdir, "PYRO_INSTALL_LOCALEDIR", "de/LC_MESSAGES/pyrometer.mo");
  g_autofree char *demo = installed (destdir, "PYRO_INSTALL_DATADIR", "pyrometer/demo/demo.folded");
  const char *files[] = { bin, desktop, metainfo, mime, schema, icon, symbolic, man, mo, demo };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    assert_file (files[i]);
  g_assert_true (g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE));

  const char *no_args[] = { NULL };
  const char *no_net[] = { "validate", "--no-net", NULL };
  const char *strict[] = { "--strict", "--dry-run", NULL };
  const char *noout[] = { "--noout", NULL };
  validate_with ("desktop-file-validate", no_args, desktop);
  validate_with ("appstreamcli", no_net, metainfo);
  validate_with ("glib-compile-schemas", strict, schemas);
  validate_with ("xmllint", noout, mime);

  const char *help[] = { bin, "--help", NULL };
  g_autofree char *help_out = run_ok (help, TRUE);
  g_assert_nonnull (strstr (help_out, "--demo"));

  const char *report[] = { bin, "report", demo, "--top", "5", NULL };
  g_autofree char *report_out = run_ok (report, TRUE);
  /* The hottest function of the demo recording. */
  g_assert_nonnull (strstr (report_out, "is_prime"));

  const char *missing[] = { bin, "report", "/nonexistent/trace.prof", NULL };
  int status;
  g_autofree char *err = NULL;
  g_free (run (missing, TRUE, &status, &err));
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/trace.prof"));

  remove_tree (destdir);
}

/* <image …width="W" height="H">…/main/data/screenshots/NAME.png</image> */
static void
test_screenshots (void)
{
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);
  g_autofree char *path = g_build_filename (data, APP_ID ".metainfo.xml.in", NULL);
  g_autofree char *xml = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &xml, NULL, &error))
    g_error ("%s", error->message);

  g_autoptr (GRegex) image = g_regex_new ("<image type=\"source\" width=\"(\\d+)\" height=\"(\\d+)\">"
                                          "https://raw\\.githubusercontent\\.com/pyrometer/pyrometer/main/"
                                          "data/(screenshots/[a-z-]+\\.png)</image>", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  guint n = 0;
  for (g_regex_match (image, xml, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *width = g_match_info_fetch (match, 1);
      g_autofree char *height = g_match_info_fetch (match, 2);
      g_autofree char *rel = g_match_info_fetch (match, 3);
      g_autofree char *png = g_build_filename (data, rel, NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;
      if (!g_file_get_contents (png, &bytes, &len, NULL))
        g_error ("the metainfo shows %s, which is not in the repository", rel);
      /* PNG signature, then the IHDR chunk: big-endian width and height. */
      g_assert_cmpuint (len, >, 24);
      g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
      const guint8 *p = (const guint8 *) bytes + 16;
      guint32 w = (guint32) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
      guint32 h = (guint32) p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];
      if (w != g_ascii_strtoull (width, NULL, 10) || h != g_ascii_strtoull (height, NULL, 10))
        g_error ("%s is %u×%u, the metainfo says %s×%s", rel, w, h, width, height);
      n++;
    }
  g_assert_cmpuint (n, >=, 3);
  /* Every <screenshot> has an image this test understood. */
  guint screenshots = 0;
  for (const char *s = strstr (xml, "<screenshot"); s != NULL; s = strstr (s + 1, "<screenshot"))
    if (s[strlen ("<screenshot")] == '>' || s[strlen ("<screenshot")] == ' ')
      screenshots++;
  g_assert_cmpuint (screenshots, ==, n);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/install/screenshots", test_screenshots);
  g_test_add_func ("/install/destdir", test_destdir);
  return g_test_run ();
}
