#!/usr/bin/env bash
# Folded-stacks reader throughput and `pyrometer report` on a 100 MB file with
# 200,000 distinct stacks.  Targets: reader >= 300 MB/s on one core, peak RSS
# under 3x the distinct-stack data; report < 0.5 s wall and < 300 MB peak RSS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
out="$here/out"
mkdir -p "$out"
big="$out/big.folded"
[ -f "$big" ] || python3 "$here/gen-folded.py" "$big" 100 200000

bytes=$(stat -c %s "$big")
stacks=$(wc -l < "$big")
echo "input: $big, $((bytes / 1000000)) MB, $stacks distinct stacks"

hyperfine --warmup 1 --runs 10 --export-json "$out/folded.json" \
  "$bin info $big" "$bin report $big"

python3 - "$out/folded.json" "$bytes" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
size = int(sys.argv[2])
load = runs[0]["median"]
print(f"reader (info, load only): median {load:.3f} s = {size / load / 1e6:.0f} MB/s")
print(f"report: median {runs[1]['median']:.3f} s")
PY
for cmd in info report; do
  /usr/bin/time -f "$cmd peak RSS: %M KB" "$bin" $cmd "$big" > /dev/null
done
