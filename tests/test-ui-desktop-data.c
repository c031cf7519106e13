/* test-ui-desktop-data.c — every format a reader opens is announced to the
 * desktop: its MIME type in the .desktop file's MimeType= and in the
 * shared-mime-info XML, and each of its extensions as a glob there, so a
 * double-click in a file manager opens Pyrometer. */
#include <string.h>

#include "formats/reader.h"

static char *
read_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  return text;
}

static void
test_desktop_mime_types (void)
{
  g_autofree char *desktop = read_data_file ("io.github.pyrometer.Pyrometer.desktop.in");
  const char *line = strstr (desktop, "\nMimeType=");
  g_assert_nonnull (line);
  g_autofree char *mime_line = g_strndup (line + 1, strcspn (line + 1, "\n"));

  for (const PyroFormatReader *const *r = pyro_format_readers (); *r != NULL; r++)
    {
      g_assert_nonnull ((*r)->mime_type);
      g_autofree char *entry = g_strdup_printf ("=%s;", (*r)->mime_type);
      g_autofree char *entry_mid = g_strdup_printf (";%s;", (*r)->mime_type);
      if (strstr (mime_line, entry) == NULL && strstr (mime_line, entry_mid) == NULL)
        g_error ("reader %s: %s is missing from the desktop file's MimeType=", (*r)->id,
                 (*r)->mime_type);
    }
}

static void
test_shared_mime_info (void)
{
  g_autofree char *xml = read_data_file ("io.github.pyrometer.Pyrometer.mime.xml");

  for (const PyroFormatReader *const *r = pyro_format_readers (); *r != NULL; r++)
    {
      g_autofree char *type = g_strdup_printf ("<mime-type type=\"%s\">", (*r)->mime_type);
      const char *start = strstr (xml, type);
      if (start == NULL)
        g_error ("reader %s: no <mime-type> for %s in the shared-mime-info XML", (*r)->id,
                 (*r)->mime_type);
      const char *end = strstr (start, "</mime-type>");
      g_assert_nonnull (end);
      g_autofree char *block = g_strndup (start, end - start);
      for (guint i = 0; (*r)->extensions != NULL && (*r)->extensions[i] != NULL; i++)
        {
          g_autofree char *glob = g_strdup_printf ("<glob pattern=\"*.%s\"/>", (*r)->extensions[i]);
          if (strstr (block, glob) == NULL)
            g_error ("reader %s: extension .%s has no glob under %s", (*r)->id,
                     (*r)->extensions[i], (*r)->mime_type);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/desktop/mime-types", test_desktop_mime_types);
  g_test_add_func ("/desktop/shared-mime-info", test_shared_mime_info);
  return g_test_run ();
}
