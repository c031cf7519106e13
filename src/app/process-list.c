#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process-list.h"
#include "sampler/procfs.h"

struct _PyroProcess
{
  GObject parent_instance;

  guint32 pid;
  guint32 uid;
  guint64 start_ticks;   /* when the process started: tells a reused PID apart */
  guint64 cpu_ticks;     /* user + system time so far */
  char *user;
  char *command;
  double cpu;
  gboolean python;
  gboolean own;
};

G_DEFINE_FINAL_TYPE (PyroProcess, pyro_process, G_TYPE_OBJECT)

enum {
  PROCESS_PROP_0,
  PROCESS_PROP_CPU,
  PROCESS_N_PROPS
};

static GParamSpec *process_properties[PROCESS_N_PROPS];

static void
pyro_process_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PyroProcess *self = PYRO_PROCESS (object);
  switch (prop_id)
    {
    case PROCESS_PROP_CPU:
      g_value_set_double (value, self->cpu);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pyro_process_finalize (GObject *object)
{
  PyroProcess *self = PYRO_PROCESS (object);
  g_free (self->user);
  g_free (self->command);
  G_OBJECT_CLASS (pyro_process_parent_class)->finalize (object);
}

static void
pyro_process_class_init (PyroProcessClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = pyro_process_finalize;
  object_class->get_property = pyro_process_get_property;
  process_properties[PROCESS_PROP_CPU] =
    g_param_spec_double ("cpu", NULL, NULL, -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, PROCESS_N_PROPS, process_properties);
}

static void
pyro_process_init (PyroProcess *self)
{
  self->cpu = -1;
}

guint32 pyro_process_get_pid (PyroProcess *self) { return self->pid; }
const char *pyro_process_get_user (PyroProcess *self) { return self->user; }
const char *pyro_process_get_command (PyroProcess *self) { return self->command; }
double pyro_process_get_cpu (PyroProcess *self) { return self->cpu; }
gboolean pyro_process_get_python (PyroProcess *self) { return self->python; }
gboolean pyro_process_get_own (PyroProcess *self) { return self->own; }

/* Reading /proc */

static gboolean
name_is_python (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  return g_str_has_prefix (base, "python") || g_str_has_prefix (base, "libpython");
}

gboolean
pyro_process_is_python (guint32 pid)
{
  g_autofree char *link = g_strdup_printf ("/proc/%u/exe", pid);
  g_autofree char *exe = g_file_read_link (link, NULL);
  if (exe != NULL && name_is_python (exe))
    return TRUE;

  g_autoptr (GError) error = NULL;
  GArray *maps = pyro_proc_exec_maps (pid, &error);
  if (maps != NULL)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < maps->len && !found; i++)
        {
          const PyroProcMap *map = &g_array_index (maps, PyroProcMap, i);
          found = map->path != NULL && name_is_python (map->path);
        }
      pyro_proc_maps_free (maps);
      return found;
    }

  /* Another user's process: /proc only shows its command line. */
  g_autofree char *cmdline_path = g_strdup_printf ("/proc/%u/cmdline", pid);
  g_autofree char *cmdline = NULL;
  if (exe == NULL && g_file_get_contents (cmdline_path, &cmdline, NULL, NULL) && cmdline[0] != '\0')
    return name_is_python (cmdline);
  return FALSE;
}

typedef struct {
  guint32 pid;
  guint32 uid;
  guint64 start_ticks;
  guint64 cpu_ticks;
  char *command;
  gboolean python;
} Snapshot;

static void
snapshot_free (Snapshot *s)
{
  g_free (s->command);
  g_free (s);
}

/* utime, stime and starttime from /proc/PID/stat; the name in brackets may
 * hold spaces and parentheses, so the fields are counted after the last ')'.
 * Zombies are left out. */
static gboolean
read_stat (guint32 pid, guint64 *cpu_ticks, guint64 *start_ticks)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  char *close = strrchr (text, ')');
  if (close == NULL)
    return FALSE;
  char state;
  unsigned long long utime, stime, start;
  /* Fields 3 (state) to 22 (starttime). */
  if (sscanf (close + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu",
              &state, &utime, &stime, &start) != 4)
    return FALSE;
  if (state == 'Z' || state == 'X')
    return FALSE;
  *cpu_ticks = utime + stime;
  *start_ticks = start;
  return TRUE;
}

typedef struct {
  guint32 pid;
  guint64 start_ticks;
  gboolean python;
} Known;

typedef struct {
  GHashTable *known;    /* pid -> Known*, from the previous refresh */
  GPtrArray *snapshots; /* Snapshot* */
  GHashTable *users;    /* uid -> char*, filled by the worker */
  gint64 time;          /* monotonic µs when /proc was read */
} RefreshJob;

static void
refresh_job_free (RefreshJob *job)
{
  g_clear_pointer (&job->known, g_hash_table_unref);
  g_clear_pointer (&job->snapshots, g_ptr_array_unref);
  g_clear_pointer (&job->users, g_hash_table_unref);
  g_free (job);
}

static char *
user_name (guint32 uid)
{
  struct passwd pwd, *found = NULL;
  char buf[1024];
  if (getpwuid_r (uid, &pwd, buf, sizeof buf, &found) == 0 && found != NULL)
    return g_strdup (found->pw_name);
  return g_strdup_printf ("%u", uid);
}

static void
refresh_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RefreshJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open ("/proc", 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  guint32 self_pid = (guint32) getpid ();
  job->time = g_get_monotonic_time ();
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 pid;
      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXUINT32, &pid, NULL) || pid == self_pid)
        continue;
      g_autofree char *proc_dir = g_strdup_printf ("/proc/%s", name);
      struct stat st;
      guint64 cpu_ticks, start_ticks;
      if (stat (proc_dir, &st) != 0 || !read_stat ((guint32) pid, &cpu_ticks, &start_ticks))
        continue;
      /* Kernel threads have no command line and cannot be sampled. */
      g_autofree char *cmdline = pyro_proc_cmdline ((guint32) pid);
      if (cmdline == NULL)
        continue;

      Snapshot *s = g_new0 (Snapshot, 1);
      s->pid = (guint32) pid;
      s->uid = st.st_uid;
      s->cpu_ticks = cpu_ticks;
      s->start_ticks = start_ticks;
      /* One line: arguments may hold newlines and tabs. */
      s->command = g_strdup (g_strdelimit (g_strchomp (cmdline), "\n\r\t", ' '));
      Known *known = g_hash_table_lookup (job->known, GUINT_TO_POINTER (s->pid));
      s->python = known != NULL && known->start_ticks == start_ticks
                    ? known->python : pyro_process_is_python (s->pid);
      if (!g_hash_table_contains (job->users, GUINT_TO_POINTER (s->uid)))
        g_hash_table_insert (job->users, GUINT_TO_POINTER (s->uid), user_name (s->uid));
      g_ptr_array_add (job->snapshots, s);
    }
  g_task_return_boolean (task, TRUE);
}

/* The list */

struct _PyroProcessList
{
  GObject parent_instance;

  GPtrArray *items;       /* PyroProcess*, in display order */
  GHashTable *by_pid;     /* pid -> PyroProcess*, borrowed from items */
  gint64 time;            /* when the items were read */
  guint generation;
  gboolean running;
  gboolean again;
};

enum {
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
list_get_item_type (GListModel *model)
{
  return PYRO_TYPE_PROCESS;
}

static guint
list_get_n_items (GListModel *model)
{
  return PYRO_PROCESS_LIST (model)->items->len;
}

static gpointer
list_get_item (GListModel *model, guint position)
{
  PyroProcessList *self = PYRO_PROCESS_LIST (model);
  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pyro_process_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (PyroProcessList, pyro_process_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, pyro_process_list_model_init))

static int
compare_processes (gconstpointer a, gconstpointer b)
{
  const PyroProcess *p = *(PyroProcess *const *) a;
  const PyroProcess *q = *(PyroProcess *const *) b;
  if (p->own != q->own)
    return p->own ? -1 : 1;
  return p->pid > q->pid ? -1 : p->pid < q->pid;
}

static void refresh_start (PyroProcessList *self);

static guint
sorted_position (PyroProcessList *self, PyroProcess *p)
{
  guint lo = 0, hi = self->items->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (compare_processes (&g_ptr_array_index (self->items, mid), &p) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The items are updated in place (gone ones removed, new ones inserted at
 * their place), so that a list view keeps its scroll position and
 * selection across refreshes. */
static void
refresh_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PyroProcessList *self = PYRO_PROCESS_LIST (source);
  RefreshJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  self->running = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Listing processes: %s", error->message);
      return;
    }

  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < job->snapshots->len; i++)
    {
      Snapshot *s = g_ptr_array_index (job->snapshots, i);
      g_hash_table_insert (seen, GUINT_TO_POINTER (s->pid), s);
    }
  for (guint i = self->items->len; i-- > 0;)
    {
      PyroProcess *p = g_ptr_array_index (self->items, i);
      Snapshot *s = g_hash_table_lookup (seen, GUINT_TO_POINTER (p->pid));
      if (s != NULL && s->start_ticks == p->start_ticks)
        continue;
      g_hash_table_remove (self->by_pid, GUINT_TO_POINTER (p->pid));
      g_ptr_array_remove_index (self->items, i);
      g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
    }

  double seconds = self->time > 0 ? (job->time - self->time) / 1e6 : 0;
  double ticks_per_second = (double) sysconf (_SC_CLK_TCK);
  guint32 own_uid = (guint32) getuid ();
  gboolean filling = self->items->len == 0;
  for (guint i = 0; i < job->snapshots->len; i++)
    {
      Snapshot *s = g_ptr_array_index (job->snapshots, i);
      PyroProcess *p = g_hash_table_lookup (self->by_pid, GUINT_TO_POINTER (s->pid));
      if (p != NULL)
        {
          double cpu = seconds > 0 && s->cpu_ticks >= p->cpu_ticks
                         ? 100.0 * (s->cpu_ticks - p->cpu_ticks) / ticks_per_second / seconds
                         : -1;
          p->cpu_ticks = s->cpu_ticks;
          if (cpu != p->cpu)
            {
              p->cpu = cpu;
              g_object_notify_by_pspec (G_OBJECT (p), process_properties[PROCESS_PROP_CPU]);
            }
          continue;
        }
      p = g_object_new (PYRO_TYPE_PROCESS, NULL);
      p->pid = s->pid;
      p->uid = s->uid;
      p->start_ticks = s->start_ticks;
      p->cpu_ticks = s->cpu_ticks;
      p->user = g_strdup (g_hash_table_lookup (job->users, GUINT_TO_POINTER (s->uid)));
      p->command = g_steal_pointer (&s->command);
      p->python = s->python;
      p->own = s->uid == own_uid;
      g_hash_table_insert (self->by_pid, GUINT_TO_POINTER (p->pid), p);
      if (filling)
        {
          g_ptr_array_add (self->items, p);
          continue;
        }
      guint position = sorted_position (self, p);
      g_ptr_array_insert (self->items, (gint) position, p);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  /* The first reading arrives whole, so that a view starts at its top. */
  if (filling && self->items->len > 0)
    {
      g_ptr_array_sort (self->items, compare_processes);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->items->len);
    }
  self->time = job->time;
  self->generation++;
  g_signal_emit (self, signals[REFRESHED], 0);

  if (self->again)
    refresh_start (self);
}

static void
refresh_start (PyroProcessList *self)
{
  self->again = FALSE;
  self->running = TRUE;
  RefreshJob *job = g_new0 (RefreshJob, 1);
  job->known = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  for (guint i = 0; i < self->items->len; i++)
    {
      PyroProcess *p = g_ptr_array_index (self->items, i);
      Known *k = g_new (Known, 1);
      *k = (Known) { p->pid, p->start_ticks, p->python };
      g_hash_table_insert (job->known, GUINT_TO_POINTER (p->pid), k);
    }
  job->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) snapshot_free);
  job->users = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GTask) task = g_task_new (self, NULL, refresh_done, NULL);
  g_task_set_source_tag (task, refresh_start);
  g_task_set_task_data (task, job, (GDestroyNotify) refresh_job_free);
  g_task_run_in_thread (task, refresh_thread);
}

void
pyro_process_list_refresh (PyroProcessList *self)
{
  g_return_if_fail (PYRO_IS_PROCESS_LIST (self));
  if (self->running)
    self->again = TRUE;
  else
    refresh_start (self);
}

guint
pyro_process_list_get_generation (PyroProcessList *self)
{
  g_return_val_if_fail (PYRO_IS_PROCESS_LIST (self), 0);
  return self->generation;
}

PyroProcess *
pyro_process_list_find (PyroProcessList *self, guint32 pid)
{
  g_return_val_if_fail (PYRO_IS_PROCESS_LIST (self), NULL);
  return g_hash_table_lookup (self->by_pid, GUINT_TO_POINTER (pid));
}

static void
pyro_process_list_finalize (GObject *object)
{
  PyroProcessList *self = PYRO_PROCESS_LIST (object);
  g_hash_table_unref (self->by_pid);
  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (pyro_process_list_parent_class)->finalize (object);
}

static void
pyro_process_list_class_init (PyroProcessListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pyro_process_list_finalize;
  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pyro_process_list_init (PyroProcessList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_pid = g_hash_table_new (NULL, NULL);
}

PyroProcessList *
pyro_process_list_new (void)
{
  return g_object_new (PYRO_TYPE_PROCESS_LIST, NULL);
}
