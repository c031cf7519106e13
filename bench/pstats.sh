#!/usr/bin/env bash
# A cProfile dump of 20,000 distinct functions (a generated script defines
# them, calls each from main, and each calls one shared helper): `pyrometer
# report` (load, estimated call tree, exact function table) against pstats
# loading it, sorting by cumulative time and printing 20 rows.
# Target: ours under a fifth of pstats' time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
python="${PYTHON:-python3}"
out="$here/out"
mkdir -p "$out"
script="$out/pstats_big.py"
big="$out/big.prof"

if [ ! -f "$big" ]; then
  "$python" - "$script" 20000 <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("def helper(x):\n    return x * 2\n\n")
    for i in range(n):
        f.write(f"def function_{i}(x):\n    return helper(x) + {i}\n\n")
    f.write("def main():\n    total = 0\n")
    for i in range(n):
        f.write(f"    total += function_{i}(1)\n")
    f.write("    return total\n\nmain()\n")
PY
  (cd "$out" && "$python" -m cProfile -o "$big" "$script" > /dev/null)
fi

funcs=$("$python" -c "import pstats, sys; print(len(pstats.Stats(sys.argv[1]).stats))" "$big")
echo "input: $big, $(stat -c %s "$big") bytes, $funcs functions"

pstats_cmd="$python -c \"import pstats; pstats.Stats('$big').sort_stats('cumulative').print_stats(20)\""
hyperfine --warmup 2 --runs 20 --export-json "$out/pstats.json" \
  "$bin report $big" "$pstats_cmd"

python3 - "$out/pstats.json" <<'PY'
import json, sys
ours, theirs = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
ratio = ours / theirs
print(f"pyrometer report: median {ours * 1000:.1f} ms; pstats: median {theirs * 1000:.1f} ms; "
      f"ratio {ratio:.3f} (target < 0.2): {'met' if ratio < 0.2 else 'NOT met'}")
PY
/usr/bin/time -f "report peak RSS: %M KB" "$bin" report "$big" > /dev/null
