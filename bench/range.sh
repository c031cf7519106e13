#!/usr/bin/env bash
# The window's lower half.  Targets: recomputing every view's model after a
# range drag on a 1,000,000-sample trace under 50 ms (call tree + function
# table + per-line costs); opening a 20,000-line source file with annotations
# under 100 ms to first paint (run in the real window under Xvfb).
set -euo pipefail
builddir="${PYRO_BUILDDIR:?set PYRO_BUILDDIR to the meson build directory}"

/usr/bin/time -f "range-recompute peak RSS: %M KB" "$builddir/bench/range-recompute" 1000000 15

if command -v xvfb-run > /dev/null; then
  xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
    "$builddir/bench/range-source-paint" 7 2> /dev/null
else
  echo "range-source-paint: skipped, xvfb-run is not installed"
fi
