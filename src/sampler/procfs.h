/* procfs.h — what the recorder reads out of /proc about a process. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 start;
  guint64 end;
  guint64 offset;
  guint64 inode;
  char *path;
} PyroProcMap;

/* Resident set size of @pid in bytes, or -1 when the process is gone. */
gint64 pyro_proc_rss (guint32 pid);
/* Thread ids of @pid (its tasks), or NULL when the process is gone. */
GArray *pyro_proc_tasks (guint32 pid, GError **error);
/* Process ids of the children of @pid (every thread's, from
 * /proc/PID/task/TID/children), or NULL when the process is gone. */
GArray *pyro_proc_children (guint32 pid);
/* The command line with arguments separated by spaces, or NULL. */
char *pyro_proc_cmdline (guint32 pid);
/* The short name of thread @tid of @pid (comm), or NULL. */
char *pyro_proc_comm (guint32 pid, guint32 tid);
/* File-backed executable mappings of @pid, as PyroProcMap, or NULL with @error. */
GArray *pyro_proc_exec_maps (guint32 pid, GError **error);
void pyro_proc_maps_free (GArray *maps);
/* Owner of @pid, or -1 when the process is gone. */
gint64 pyro_proc_uid (guint32 pid);
/* TRUE while @pid exists and is not a zombie. */
gboolean pyro_proc_alive (guint32 pid);

G_END_DECLS
