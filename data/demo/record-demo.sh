#!/usr/bin/env bash
# Re-creates data/demo/demo.folded: a perf recording of examples/course_demo.py.
#
# Python 3.13's -X perf_jit writes DWARF for the interpreter's per-function
# trampolines, so `perf record --call-graph dwarf` unwinds through Python code
# and `perf inject --jit` names each trampoline py::FUNCTION:FILE.  (Python
# 3.12's -X perf needs a libpython built with frame pointers, which pyenv's
# builds are not.)  Needs root or kernel.perf_event_paranoid <= 1.
set -euo pipefail

top="$(cd "$(dirname "$0")/../.." && pwd)"
python="${PYTHON:-$(pyenv which python3.13 2>/dev/null || ls -d "$HOME"/.pyenv/versions/3.13.*/bin/python3 | tail -n1)}"
out="${1:-$top/data/demo/demo.folded}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
perf record -q -F 499 -k 1 --call-graph dwarf,16384 -o raw.data -- \
  "$python" -X perf_jit "$top/examples/course_demo.py" 4 > /dev/null
perf inject --jit -i raw.data -o jit.data
perf script -i jit.data -F comm,tid,time,ip,sym,dso 2> /dev/null > script.txt

# Collapse to folded stacks.  Python frames become `function (file)`; native
# frames are kept below the innermost Python frame (C extensions, libc, the
# kernel) except the interpreter's own (libpython), whose time is the Python
# function's self time; interpreter frames between Python frames are the eval
# loop and are dropped.  Samples that never reached Python code (start-up,
# shutdown) keep their native stack.
python3 - "$top" script.txt "$out" <<'PY'
import collections, re, sys

top, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
frame_re = re.compile(r"^\s*[0-9a-f]+ (.+?)(?:\+0x[0-9a-f]+)? \((.+)\)$")
counts = collections.Counter()

def fold(frames):
    frames = frames[::-1]  # root first
    py = [i for i, (sym, dso) in enumerate(frames) if sym.startswith("py::")]
    names = []
    for i, (sym, dso) in enumerate(frames):
        if sym.startswith("py::"):
            func, _, path = sym[4:].partition(":")
            if path.startswith(top + "/"):
                path = path[len(top) + 1:]
            names.append(f"{func} ({path})")
        elif py and i < py[-1]:
            continue
        elif py and "libpython" in dso:
            continue
        elif dso == "[kernel.kallsyms]":
            names.append(sym + "_[k]")
        elif sym != "[unknown]":
            names.append(sym)
    return ";".join(n.replace(";", ":") for n in names)

frames = []
with open(src, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                stack = fold(frames)
                if stack:
                    counts[stack] += 1
            frames = []
            continue
        if not line.startswith(("\t", " ")) or "(inlined)" in line:
            continue
        m = frame_re.match(line)
        if m:
            frames.append((m.group(1), m.group(2)))
if frames:
    stack = fold(frames)
    if stack:
        counts[stack] += 1

with open(dst, "w", encoding="utf-8") as out:
    for stack, n in sorted(counts.items()):
        out.write(f"{stack} {n}\n")
print(f"{sum(counts.values())} samples, {len(counts)} distinct stacks -> {dst}", file=sys.stderr)
PY
