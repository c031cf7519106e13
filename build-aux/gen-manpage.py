#!/usr/bin/env python3
"""Writes pyrometer(1) from the program's own --help texts, so the man page
and --help come from the same option tables.

usage: gen-manpage.py PYROMETER OUT VERSION
"""
import re
import subprocess
import sys

binary, out, version = sys.argv[1:4]
env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, check=True).stdout


def roff(text):
    return text.replace("\\", "\\\\").replace("-", "\\-").replace("'", "\\(aq")


overview = run("help")
commands = re.findall(r"^  (\w+)\s+(.*)$", overview.split("Commands:")[1], re.M)

lines = [
    '.TH PYROMETER 1 "" "pyrometer %s" "User Commands"' % version,
    ".SH NAME",
    "pyrometer \\- see where the time and the memory of a program go",
    ".SH SYNOPSIS",
    ".B pyrometer",
    "[\\fIFILE\\fR...]",
]
for name, _ in commands:
    lines += [".br", ".B pyrometer %s" % name, "[\\fIOPTION\\fR...]"]
lines += [
    ".SH DESCRIPTION",
    roff("Without a command, pyrometer opens each FILE in a window: a flame graph, icicle chart, "
         "call graph, squaremap and function table of the trace. With a command it runs without "
         "a display."),
    ".SH COMMANDS",
]
for name, summary in commands:
    help_text = run(name, "--help")
    usage = re.search(r"Usage:\n\s+(.*)", help_text).group(1)
    lines += [".SS %s" % roff(name), roff(summary) + ".", ".PP", ".B %s" % roff(usage)]
    for m in re.finditer(r"^\s+((?:-\w, )?--[\w-]+(?:=\S+)?)\s{2,}(.*)$", help_text, re.M):
        if m.group(1).startswith(("-h, --help", "--help")):
            continue
        lines += [".TP", ".B %s" % roff(m.group(1)), roff(m.group(2))]
lines += [
    ".SH EXIT STATUS",
    "0 on success, 1 when a file cannot be read (one line on standard error names the file and "
    "the place), 2 on bad usage.",
    ".SH SEE ALSO",
    ".BR perf (1),",
    ".BR sysprof (1)",
]
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
