#!/usr/bin/env bash
# pyrometer record on a CPU-bound C program (bench/record-burn.c).
# Targets: at most 2% slower than the program alone and no slower than under
# `perf record -F 999 -g` (median of 5 runs each, hyperfine); at least 98% of
# the expected samples; 60 s of a 4-thread program at 999 Hz under 30 MB.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
build="${PYRO_BUILDDIR:?set PYRO_BUILDDIR to a meson build directory}"
burn="$build/bench/record-burn"
[ -x "$burn" ] || ninja -C "$build" bench/record-burn >/dev/null
out="$here/out"
mkdir -p "$out"
seconds="${RECORD_SECONDS:-3}"

echo "== overhead: $seconds s of CPU, alone / pyrometer record -F 999 / perf record -F 999 -g"
cmds=("$burn $seconds" "$bin record -F 999 -o $out/bench.syscap -- $burn $seconds")
if command -v perf >/dev/null && perf record -q -o /dev/null -- true 2>/dev/null; then
  cmds+=("perf record -q -F 999 -g -o $out/bench.perf.data -- $burn $seconds")
fi
hyperfine --runs 5 --warmup 1 --export-json "$out/record.json" "${cmds[@]}" 2>&1 | grep -v "^ *$" || true
python3 - "$out/record.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
alone = statistics.median(r[0]["times"])
for x in r[1:]:
    m = statistics.median(x["times"])
    print(f"{x['command'].split()[0]:<10} median {m:.3f} s vs alone {alone:.3f} s: {100 * (m / alone - 1):+.1f}%")
PY

echo "== the program's own run time: fixed work, alone / under pyrometer record -F 999 / under perf record -F 999 -g (median of 5, side by side)"
work="${RECORD_WORK:-10000}"
own() { "$@" 2>&1 >/dev/null | sed -n 's/^elapsed //p'; }
alone=(); pyro=(); perfr=()
have_perf=0
command -v perf >/dev/null && perf record -q -o /dev/null -- true 2>/dev/null && have_perf=1
for r in 1 2 3 4 5; do
  alone+=("$(own "$burn" work "$work")")
  pyro+=("$(own "$bin" record -F 999 -o "$out/own.syscap" -- "$burn" work "$work")")
  [ $have_perf = 1 ] && perfr+=("$(own perf record -q -F 999 -g -o "$out/own.perf.data" -- "$burn" work "$work")")
done
python3 - "${alone[*]}" "${pyro[*]}" "${perfr[*]}" <<'PY'
import statistics, sys
alone, pyro, perf = ([float(x) for x in a.split()] for a in sys.argv[1:4])
a = statistics.median(alone)
print(f"alone:           {' '.join(f'{x:.3f}' for x in alone)} s")
print(f"pyrometer record: {' '.join(f'{x:.3f}' for x in pyro)} s -> median {statistics.median(pyro):.3f} s, {100 * (statistics.median(pyro) / a - 1):+.1f}% (target <= 2%)")
if perf:
    print(f"perf record -g:   {' '.join(f'{x:.3f}' for x in perf)} s -> median {statistics.median(perf):.3f} s, {100 * (statistics.median(perf) / a - 1):+.1f}%")
PY

echo "== samples delivered (single thread, $seconds s of CPU)"
cpu=$("$bin" record -F 999 -o "$out/delivered.syscap" -- "$burn" "$seconds" 2>&1 | sed -n 's/^cpu //p')
samples=$("$bin" info "$out/delivered.syscap" | sed -n 's/^Samples: *//p')
python3 -c "import sys; c=float(sys.argv[1]); s=int(sys.argv[2]); e=c*999; print(f'{s} samples for {c:.3f} s of CPU: expected {e:.0f}, delivered {100*s/e:.1f}%')" "$cpu" "$samples"

echo "== file size: 4 threads at 999 Hz for 10 s, extrapolated to 60 s on 4 busy CPUs"
"$bin" record -F 999 -o "$out/size.syscap" -- "$burn" 10 4 2>"$out/size.log" || true
size=$(stat -c %s "$out/size.syscap")
samples=$("$bin" info "$out/size.syscap" | sed -n 's/^Samples: *//p')
python3 -c "import sys; b=int(sys.argv[1]); s=int(sys.argv[2]); per=b/s; full=per*4*999*60; print(f'{b/1e6:.2f} MB for {s} samples ({per:.0f} B a sample incl. symbols): 60 s x 4 threads x 999 Hz = {4*999*60} samples -> {full/1e6:.1f} MB')" "$size" "$samples"
