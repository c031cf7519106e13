/* The Flatpak manifest parses, asks for no more than it needs, and builds
 * every library meson.build needs that the GNOME runtime does not ship. */
#include <json-glib/json-glib.h>
#include <string.h>

/* pkg-config names the org.gnome.Sdk provides */
static const char *const in_runtime[] = {
  "glib-2.0", "gio-2.0", "gio-unix-2.0", "json-glib-1.0", "libzstd", "cairo", "pangocairo",
  "sysprof-capture-4", "gtk4", "libadwaita-1", "gtksourceview-5", NULL,
};

/* pkg-config name -> the manifest module that provides it */
static const char *const from_modules[][2] = {
  { "libdw", "elfutils" },
  { "libelf", "elfutils" },
  { "libgvc", "graphviz" },
};

static void
test_manifest (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "flatpak", "io.github.pyrometer.Pyrometer.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (root, "id"), ==, "io.github.pyrometer.Pyrometer");
  g_assert_cmpstr (json_object_get_string_member (root, "command"), ==, "pyrometer");
  g_assert_cmpstr (json_object_get_string_member (root, "runtime"), ==, "org.gnome.Platform");

  JsonArray *args = json_object_get_array_member (root, "finish-args");
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);
      g_assert_cmpstr (arg, !=, "--device=all");
      g_assert_false (g_str_has_prefix (arg, "--filesystem=host") && !g_str_has_suffix (arg, ":ro"));
    }

  g_autoptr (GHashTable) modules = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *mods = json_object_get_array_member (root, "modules");
  for (guint i = 0; i < json_array_get_length (mods); i++)
    {
      JsonObject *m = json_array_get_object_element (mods, i);
      g_hash_table_add (modules, (gpointer) json_object_get_string_member (m, "name"));
      JsonArray *sources = json_object_get_array_member (m, "sources");
      for (guint k = 0; k < json_array_get_length (sources); k++)
        {
          JsonObject *src = json_array_get_object_element (sources, k);
          if (g_str_equal (json_object_get_string_member (src, "type"), "archive"))
            g_assert_cmpuint (strlen (json_object_get_string_member (src, "sha256")), ==, 64);
        }
    }
  g_assert_true (g_hash_table_contains (modules, "pyrometer"));

  /* every dependency('…') of meson.build is in the runtime or a module */
  g_autofree char *meson_path = g_test_build_filename (G_TEST_DIST, "..", "meson.build", NULL);
  g_autofree char *meson = NULL;
  g_assert_true (g_file_get_contents (meson_path, &meson, NULL, NULL));
  g_autoptr (GRegex) re = g_regex_new ("dependency\\('([^']+)'", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  guint checked = 0;
  for (g_regex_match (re, meson, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      if (g_str_equal (name, "threads"))
        continue;
      gboolean ok = g_strv_contains (in_runtime, name);
      for (guint i = 0; i < G_N_ELEMENTS (from_modules) && !ok; i++)
        ok = g_str_equal (from_modules[i][0], name) && g_hash_table_contains (modules, from_modules[i][1]);
      if (!ok)
        g_error ("meson.build needs %s, which neither the runtime nor a manifest module provides", name);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/flatpak/manifest", test_manifest);
  return g_test_run ();
}
