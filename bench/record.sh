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

echo "== samples delivered (single thread, $seconds s of CPU)"
cpu=$("$bin" record -F 999 -o "$out/delivered.syscap" -- "$burn" "$seconds" 2>&1 | sed -n 's/^cpu //p')
samples=$("$bin" info "$out/delivered.syscap" | sed -n 's/^Samples: *//p')
python3 -c "import sys; c=float(sys.argv[1]); s=int(sys.argv[2]); e=c*999; print(f'{s} samples for {c:.3f} s of CPU: expected {e:.0f}, delivered {100*s/e:.1f}%')" "$cpu" "$samples"

echo "== file size: 4 threads at 999 Hz for 10 s, extrapolated to 60 s on 4 busy CPUs"
"$bin" record -F 999 -o "$out/size.syscap" -- "$burn" 10 4 2>"$out/size.log" || true
size=$(stat -c %s "$out/size.syscap")
samples=$("$bin" info "$out/size.syscap" | sed -n 's/^Samples: *//p')
python3 -c "import sys; b=int(sys.argv[1]); s=int(sys.argv[2]); per=b/s; full=per*4*999*60; print(f'{b/1e6:.2f} MB for {s} samples ({per:.0f} B a sample incl. symbols): 60 s x 4 threads x 999 Hz = {4*999*60} samples -> {full/1e6:.1f} MB')" "$size" "$samples"
