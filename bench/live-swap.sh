#!/usr/bin/env bash
# The live view of a recording in the window.  Target: swapping a re-read
# capture in fits in a frame (under 16 ms of the UI thread) for a few
# thousand to ~100,000 samples, and a re-read resolves only the addresses it
# has not seen.  The capture is `xz` compressing generated text, recorded
# with `pyrometer record` that is killed mid-recording, so the file has no
# symbol table, as the live view reads it.
#   LIVE_SECONDS (default 20) and LIVE_FREQ (default 4000) size the capture.
set -euo pipefail
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
build="${PYRO_BUILDDIR:?set PYRO_BUILDDIR to a meson build directory}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
mkdir -p "$out"
[ -x "$build/bench/live-swap" ] || ninja -C "$build" bench/live-swap > /dev/null

text="$out/live-text.txt"
[ -s "$text" ] || python3 - "$text" <<'PY'
import random, sys
random.seed(1)
words = ["".join(random.choice("abcdefghij") for _ in range(random.randint(2, 9))) for _ in range(5000)]
with open(sys.argv[1], "w") as f:
    for i in range(3000000):
        f.write(words[random.randrange(5000)] + (" " if i % 13 else "\n"))
PY

capture="$out/live.syscap"
rm -f "$capture"
timeout -s KILL "${LIVE_SECONDS:-20}" "$bin" record -F "${LIVE_FREQ:-4000}" -o "$capture" -- \
  sh -c "while true; do xz -T2 -6 -c '$text' > /dev/null; done" > /dev/null 2>&1 || true
"$bin" info "$capture" | grep -E "^(Samples|Functions):"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

for view in flame functions; do
  xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
    "$build/bench/live-swap" "$capture" 9 "$view" 2> /dev/null
done
