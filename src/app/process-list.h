/* process-list.h — the running processes one may attach to, as a GListModel
 * of PyroProcess items: PID, owner, command line, CPU use measured between
 * the last two refreshes, and whether the process runs a Python interpreter.
 * The user's own processes come first, the newest first.  A refresh reads
 * /proc in a worker thread, then removes the processes that ended, inserts
 * the new ones and updates the CPU use of the others in place ("notify::cpu"),
 * so that a list view keeps its scroll position and selection. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PYRO_TYPE_PROCESS (pyro_process_get_type ())
G_DECLARE_FINAL_TYPE (PyroProcess, pyro_process, PYRO, PROCESS, GObject)

guint32     pyro_process_get_pid (PyroProcess *self);
/* The owner's login name, or the uid as text when it has none. */
const char *pyro_process_get_user (PyroProcess *self);
/* Arguments separated by spaces.  Processes without a command line (kernel
 * threads) and zombies are not listed. */
const char *pyro_process_get_command (PyroProcess *self);
/* Percent of one CPU used since the previous refresh (above 100 for several
 * busy threads), or a negative number before a second refresh saw it. */
double      pyro_process_get_cpu (PyroProcess *self);
gboolean    pyro_process_get_python (PyroProcess *self);
/* TRUE when the process belongs to the user running Pyrometer. */
gboolean    pyro_process_get_own (PyroProcess *self);

#define PYRO_TYPE_PROCESS_LIST (pyro_process_list_get_type ())
G_DECLARE_FINAL_TYPE (PyroProcessList, pyro_process_list, PYRO, PROCESS_LIST, GObject)

/* An empty list; call pyro_process_list_refresh() to fill it. */
PyroProcessList *pyro_process_list_new (void);
/* Reads /proc again off the UI thread; "refreshed" is emitted once the
 * items are replaced.  A refresh asked for while one runs is folded into it. */
void             pyro_process_list_refresh (PyroProcessList *self);
/* How many refreshes have completed. */
guint            pyro_process_list_get_generation (PyroProcessList *self);
/* The item for @pid, or NULL (borrowed). */
PyroProcess     *pyro_process_list_find (PyroProcessList *self, guint32 pid);

/* TRUE when @pid runs a Python interpreter: its executable is named
 * python…, or it maps a libpython (an embedding program).  Reads /proc;
 * may be called from any thread. */
gboolean         pyro_process_is_python (guint32 pid);

G_END_DECLS
