#!/usr/bin/env bash
# A 2 GB folded file: loads with bounded memory (target: peak RSS under the
# file's size).  Cancellation and progress are exercised by tests/test-ui.c
# (cancelling a large load) on the same reader.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
out="$here/out"
mkdir -p "$out"
big="$out/big.folded"
[ -f "$big" ] || python3 "$here/gen-folded.py" "$big" 100 200000
huge="$out/huge.folded"
if [ ! -f "$huge" ]; then
  # the same stacks again and again, as a long recording gives them
  for _ in $(seq 19); do cat "$big"; done > "$huge"
fi
echo "input: $(( $(stat -c %s "$huge") / 1000000 )) MB"
/usr/bin/time -f "pyrometer report: %e s wall, peak RSS %M KB" "$bin" report "$huge" > /dev/null
