/* pyrometer record — sample a command or a running process into a Sysprof capture. */
#include "cli-private.h"
#include "sampler/recorder.h"
#include "sampler/cpython-stack-source.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* auto: Python stacks when the program is a Python interpreter. */
static gboolean
looks_like_python (const char *const *command, int pid)
{
  g_autofree char *exe = NULL;
  if (pid > 0)
    {
      g_autofree char *link = g_strdup_printf ("/proc/%d/exe", pid);
      exe = g_file_read_link (link, NULL);
    }
  else if (command != NULL && command[0] != NULL)
    exe = g_strdup (command[0]);
  if (exe == NULL)
    return FALSE;
  g_autofree char *base = g_path_get_basename (exe);
  return g_str_has_prefix (base, "python");
}

static gboolean
parse_mode (const char *text, const char *const *command, int pid, PyroRecordMode *mode)
{
  if (text == NULL || g_str_equal (text, "auto"))
    *mode = looks_like_python (command, pid) ? PYRO_RECORD_PYTHON : PYRO_RECORD_NATIVE;
  else if (g_str_equal (text, "native"))
    *mode = PYRO_RECORD_NATIVE;
  else if (g_str_equal (text, "python"))
    *mode = PYRO_RECORD_PYTHON;
  else if (g_str_equal (text, "mixed"))
    *mode = PYRO_RECORD_MIXED;
  else
    return FALSE;
  return TRUE;
}

typedef struct {
  gint ended;
  gboolean tty;
} RecordState;

static void
on_ended (PyroRecordEnd reason, gpointer user_data)
{
  RecordState *state = user_data;
  g_atomic_int_set (&state->ended, 1);
}

static void
on_progress (const PyroRecordProgress *p, gpointer user_data)
{
  RecordState *state = user_data;
  if (!state->tty)
    return;
  fprintf (stderr, "\r%6.1f s  %" G_GUINT64_FORMAT " samples  %" G_GUINT64_FORMAT " lost  "
           "%u threads  RSS %.1f MiB   ", p->elapsed, p->samples, p->lost, p->n_threads,
           p->rss / 1048576.0);
  fflush (stderr);
}

static gboolean
parse_call_graph (const char *text, PyroCallGraphMode *out)
{
  if (text == NULL)
    *out = PYRO_CALL_GRAPH_AUTO;
  else if (g_str_equal (text, "fp"))
    *out = PYRO_CALL_GRAPH_FP;
  else if (g_str_equal (text, "dwarf"))
    *out = PYRO_CALL_GRAPH_DWARF;
  else if (g_str_equal (text, "auto"))
    *out = PYRO_CALL_GRAPH_AUTO;
  else
    return FALSE;
  return TRUE;
}

int
pyro_cli_record (int argc, char **argv)
{
  int frequency = 999;
  g_autofree char *call_graph = NULL;
  g_autofree char *event = NULL;
  g_autofree char *mode = NULL;
  double duration = 0;
  g_autofree char *output = NULL;
  int pid = 0;
  gboolean subprocesses = FALSE;
  g_auto (GStrv) command = NULL;
  const GOptionEntry entries[] = {
    { "freq", 'F', 0, G_OPTION_ARG_INT, &frequency, N_("Samples per second of CPU time (default 999)"), N_("HZ") },
    { "call-graph", 0, 0, G_OPTION_ARG_STRING, &call_graph,
      N_("How stacks are walked: fp (frame pointers), dwarf (copy and unwind the stack); "
         "by default frame pointers, switching to dwarf when they give one-frame stacks"), N_("fp|dwarf") },
    { "event", 'e', 0, G_OPTION_ARG_STRING, &event, N_("What clocks the samples: cpu-clock (default) or cycles"), N_("EVENT") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode,
      N_("Which stacks: native, python (read out of CPython 3.11–3.13), mixed (native with Python "
         "frames spliced in) or auto (default: python for a Python interpreter)"), N_("MODE") },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration, N_("Stop after this many seconds"), N_("S") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The capture to write (default pyrometer-COMMAND-DATE-TIME.syscap)"), N_("OUT") },
    { "pid", 'p', 0, G_OPTION_ARG_INT, &pid, N_("Attach to this running process instead of launching one"), N_("PID") },
    { "subprocesses", 0, 0, G_OPTION_ARG_NONE, &subprocesses,
      N_("Python mode: also sample the child processes of the target (multiprocessing workers); "
         "native and mixed mode always follow them"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, N_("-- COMMAND [ARG…]") },
    { NULL },
  };
  if (!pyro_cli_parse ("record", "[-p PID | -- COMMAND [ARG…]]",
                       _("Samples the native stacks of a command (or of a running process) with "
                         "perf_event_open and writes a Sysprof capture, with the RSS of every "
                         "process as a counter and every address resolved inside the file. "
                         "Ctrl+C stops and writes the file."),
                       entries, &argc, &argv))
    return PYRO_EXIT_USAGE;

  PyroRecordOptions options = { 0 };
  if (frequency <= 0 || frequency > 100000)
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE, "-F takes a rate between 1 and 100000 Hz, not %d", frequency);
  if (!parse_call_graph (call_graph, &options.call_graph))
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE, "--call-graph takes fp or dwarf, not '%s'", call_graph);
  if (event == NULL || g_str_equal (event, "cpu-clock"))
    options.event = PYRO_SAMPLE_EVENT_CPU_CLOCK;
  else if (g_str_equal (event, "cycles"))
    options.event = PYRO_SAMPLE_EVENT_CYCLES;
  else
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE, "--event takes cpu-clock or cycles, not '%s'", event);
  if (duration < 0)
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE, "--duration must not be negative");
  gboolean has_command = command != NULL && command[0] != NULL;
  if ((pid > 0) == has_command)
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE,
                          "give either -p PID or -- COMMAND (see 'pyrometer record --help')");
  if (pid < 0)
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE, "-p takes a process id, not %d", pid);

  g_autofree char *name = NULL;
  if (output == NULL)
    {
      if (has_command)
        name = g_strdup (command[0]);
      else
        {
          g_autofree char *comm_path = g_strdup_printf ("/proc/%d/comm", pid);
          if (g_file_get_contents (comm_path, &name, NULL, NULL))
            g_strchomp (name);
        }
      output = pyro_recorder_default_output (name);
    }

  options.frequency = (guint) frequency;
  options.duration = duration;
  options.output = output;
  options.pid = (guint32) pid;
  options.argv = (const char *const *) command;
  options.follow_children = subprocesses;
  if (!parse_mode (mode, (const char *const *) command, pid, &options.mode))
    return pyro_cli_fail ("record", PYRO_EXIT_USAGE, _("--mode takes auto, native, python or mixed, not '%s'"), mode);
  if (options.mode != PYRO_RECORD_NATIVE)
    options.stack_source = pyro_cpython_stack_source_new ();

  /* Signals are taken by this thread only (sigtimedwait below); the recorder's
   * threads inherit the blocked mask and the command gets it cleared. */
  sigset_t stop_signals, previous;
  sigemptyset (&stop_signals);
  sigaddset (&stop_signals, SIGINT);
  sigaddset (&stop_signals, SIGTERM);
  sigaddset (&stop_signals, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &stop_signals, &previous);

  RecordState state = { .tty = isatty (STDERR_FILENO) };
  g_autoptr (PyroRecorder) recorder = pyro_recorder_new (&options);
  pyro_recorder_set_ended_func (recorder, on_ended, &state);
  pyro_recorder_set_progress_func (recorder, on_progress, &state);
  g_autoptr (GError) error = NULL;
  if (!pyro_recorder_start (recorder, &error))
    {
      pthread_sigmask (SIG_SETMASK, &previous, NULL);
      return pyro_cli_fail ("record", PYRO_EXIT_BAD_INPUT, "%s", error->message);
    }

  const struct timespec interval = { 0, 100 * 1000 * 1000 };
  while (!g_atomic_int_get (&state.ended))
    {
      int sig = sigtimedwait (&stop_signals, NULL, &interval);
      if (sig > 0)
        pyro_recorder_stop (recorder);
    }
  if (!pyro_recorder_finish (recorder, &error))
    {
      pthread_sigmask (SIG_SETMASK, &previous, NULL);
      return pyro_cli_fail ("record", PYRO_EXIT_BAD_INPUT, "%s", error->message);
    }
  pthread_sigmask (SIG_SETMASK, &previous, NULL);

  PyroRecordProgress p;
  pyro_recorder_get_progress (recorder, &p);
  if (state.tty)
    fputc ('\n', stderr);
  double lost_pct = p.samples + p.lost > 0 ? 100.0 * p.lost / (p.samples + p.lost) : 0;
  fprintf (stderr, "pyrometer record: wrote %s: %" G_GUINT64_FORMAT " samples, %" G_GUINT64_FORMAT
           " lost (%.1f%%), %u processes, %u threads, %.1f s\n", output, p.samples, p.lost, lost_pct,
           p.n_processes, p.n_threads, p.elapsed);
  return PYRO_EXIT_OK;
}
