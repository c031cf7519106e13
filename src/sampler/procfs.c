#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gssize
read_small (const char *path, char *buf, gsize size)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  gssize n = read (fd, buf, size - 1);
  close (fd);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return n;
}

gint64
pyro_proc_rss (guint32 pid)
{
  char path[64], buf[256];
  g_snprintf (path, sizeof path, "/proc/%u/statm", pid);
  if (read_small (path, buf, sizeof buf) <= 0)
    return -1;
  unsigned long long size = 0, resident = 0;
  if (sscanf (buf, "%llu %llu", &size, &resident) != 2)
    return -1;
  return (gint64) resident * sysconf (_SC_PAGESIZE);
}

GArray *
pyro_proc_tasks (guint32 pid, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/task", pid);
  g_autoptr (GDir) dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return NULL;
  GArray *tids = g_array_new (FALSE, FALSE, sizeof (guint32));
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 tid;
      if (g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT32, &tid, NULL))
        {
          guint32 t = (guint32) tid;
          g_array_append_val (tids, t);
        }
    }
  return tids;
}

GArray *
pyro_proc_children (guint32 pid)
{
  g_autoptr (GArray) tids = pyro_proc_tasks (pid, NULL);
  if (tids == NULL)
    return NULL;
  GArray *children = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < tids->len; i++)
    {
      char path[64];
      g_autofree char *text = NULL;
      g_snprintf (path, sizeof path, "/proc/%u/task/%u/children", pid, g_array_index (tids, guint32, i));
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      g_auto (GStrv) words = g_strsplit (g_strstrip (text), " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          guint64 child;
          if (g_ascii_string_to_unsigned (words[w], 10, 1, G_MAXINT32, &child, NULL))
            {
              guint32 c = (guint32) child;
              g_array_append_val (children, c);
            }
        }
    }
  return children;
}

char *
pyro_proc_cmdline (guint32 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/cmdline", pid);
  char *contents = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  if (len == 0)
    {
      g_free (contents);
      return NULL;
    }
  for (gsize i = 0; i + 1 < len; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';
  return contents;
}

char *
pyro_proc_comm (guint32 pid, guint32 tid)
{
  char path[96], buf[64];
  g_snprintf (path, sizeof path, "/proc/%u/task/%u/comm", pid, tid);
  gssize n = read_small (path, buf, sizeof buf);
  if (n <= 0)
    return NULL;
  return g_strchomp (g_strdup (buf));
}

void
pyro_proc_maps_free (GArray *maps)
{
  if (maps == NULL)
    return;
  for (guint i = 0; i < maps->len; i++)
    g_free (g_array_index (maps, PyroProcMap, i).path);
  g_array_unref (maps);
}

GArray *
pyro_proc_exec_maps (guint32 pid, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/maps", pid);
  g_autofree char *contents = NULL;
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  GArray *maps = g_array_new (FALSE, FALSE, sizeof (PyroProcMap));
  char *save = NULL;
  for (char *line = strtok_r (contents, "\n", &save); line != NULL;
       line = strtok_r (NULL, "\n", &save))
    {
      unsigned long long start, end, offset, inode;
      char perms[8];
      unsigned dev_major, dev_minor;
      int name_at = 0;
      if (sscanf (line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &offset,
                  &dev_major, &dev_minor, &inode, &name_at) < 7)
        continue;
      /* Only executable mappings hold code an address can point into. */
      if (strchr (perms, 'x') == NULL || name_at <= 0 || line[name_at] == '\0')
        continue;
      PyroProcMap m = {
        .start = start, .end = end, .offset = offset, .inode = inode,
        .path = g_strdup (line + name_at),
      };
      g_array_append_val (maps, m);
    }
  return maps;
}

gint64
pyro_proc_uid (guint32 pid)
{
  char path[64];
  struct stat st;
  g_snprintf (path, sizeof path, "/proc/%u", pid);
  if (stat (path, &st) != 0)
    return -1;
  return st.st_uid;
}

gboolean
pyro_proc_alive (guint32 pid)
{
  char path[64], buf[512];
  g_snprintf (path, sizeof path, "/proc/%u/stat", pid);
  if (read_small (path, buf, sizeof buf) <= 0)
    return FALSE;
  /* The state follows the parenthesised name, which may itself hold ')'. */
  const char *paren = strrchr (buf, ')');
  return paren != NULL && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}
