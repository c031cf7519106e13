#!/usr/bin/env bash
# perf.data: `pyrometer report` side by side with `perf report --stdio` and
# Hotspot's parser (hotspot-perfparser) on recordings of a real program: xz
# compressing 80 MB of generated text.
#   1. frame pointers (-g), ~200,000 samples.  Targets: <= 0.25x the wall time
#      of perf report and of hotspot-perfparser; peak RSS <= half of perf report's.
#   2. --call-graph dwarf, ~50,000 samples.  Target: faster than hotspot-perfparser.
# Recordings are made once and kept in bench/out/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
out="$here/out"
mkdir -p "$out"

if ! command -v perf >/dev/null || ! command -v xz >/dev/null; then
  echo "skipped: perf (linux-perf) and xz are needed"
  exit 0
fi
hotspot=/usr/lib/x86_64-linux-gnu/libexec/hotspot-perfparser
[ -x "$hotspot" ] || hotspot=""

input="$out/xz-input.txt"
if [ ! -f "$input" ]; then
  python3 - "$input" <<'PY'
import random, sys
rng = random.Random(7)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
         for _ in range(20000)]
with open(sys.argv[1], "w") as f:
    n = 0
    while n < 80_000_000:
        line = " ".join(rng.choice(words) for _ in range(12)) + " %d\n" % rng.getrandbits(30)
        f.write(line)
        n += len(line)
PY
fi

record() { # FILE PERF-ARGS...
  local file="$1"; shift
  [ -f "$file" ] && return 0
  if ! perf record -q "$@" -o "$file.tmp" -- xz -T1 -1 -c "$input" > /dev/null; then
    echo "skipped: perf record is not allowed here (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid))"
    rm -f "$file.tmp"
    exit 0
  fi
  mv "$file.tmp" "$file"
}
fp="$out/xz-fp.perf.data"
dwarf="$out/xz-dwarf.perf.data"
record "$fp" -F 13000 -g
record "$dwarf" -F 2900 --call-graph dwarf

samples() { "$bin" report "$1" --format json -n 0 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["samples"])'; }
echo "frame pointers: $fp, $(( $(stat -c %s "$fp") / 1000000 )) MB, $(samples "$fp") samples"
echo "dwarf:          $dwarf, $(( $(stat -c %s "$dwarf") / 1000000 )) MB, $(samples "$dwarf") samples"

cmds=("$bin report $fp" "perf report -i $fp --stdio")
[ -n "$hotspot" ] && cmds+=("$hotspot --input $fp --output /dev/null")
hyperfine -N --warmup 1 --runs 8 --export-json "$out/perf-fp.json" --output=null "${cmds[@]}"

dcmds=("$bin report $dwarf")
[ -n "$hotspot" ] && dcmds+=("$hotspot --input $dwarf --output /dev/null")
hyperfine -N --warmup 1 --runs 3 --export-json "$out/perf-dwarf.json" --output=null "${dcmds[@]}"

rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
ours_rss=$(rss "$bin" report "$fp")
perf_rss=$(rss perf report -i "$fp" --stdio)
echo "peak RSS, frame-pointer file: pyrometer ${ours_rss} KB, perf report ${perf_rss} KB"
if [ -n "$hotspot" ]; then
  echo "peak RSS, frame-pointer file: hotspot-perfparser $(rss "$hotspot" --input "$fp" --output /dev/null) KB"
fi

python3 - "$out/perf-fp.json" "$out/perf-dwarf.json" "$ours_rss" "$perf_rss" <<'PY'
import json, sys
fp = json.load(open(sys.argv[1]))["results"]
dw = json.load(open(sys.argv[2]))["results"]
ours = fp[0]["median"]
print(f"frame pointers: pyrometer {ours:.2f} s, perf report {fp[1]['median']:.2f} s "
      f"-> {ours / fp[1]['median']:.2f}x (target <= 0.25x)")
if len(fp) > 2:
    print(f"frame pointers: hotspot-perfparser {fp[2]['median']:.2f} s "
          f"-> {ours / fp[2]['median']:.2f}x (target <= 0.25x)")
print(f"peak RSS: {int(sys.argv[3]) / int(sys.argv[4]):.2f}x perf report's (target <= 0.5x)")
if len(dw) > 1:
    print(f"dwarf: pyrometer {dw[0]['median']:.2f} s, hotspot-perfparser {dw[1]['median']:.2f} s "
          f"-> {dw[0]['median'] / dw[1]['median']:.2f}x (target < 1x)")
PY
