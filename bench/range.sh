#!/usr/bin/env bash
# The window's lower half.  Targets: recomputing every view's model after a
# range drag on a 1,000,000-sample trace under 50 ms (call tree + function
# table + per-line costs); opening a 20,000-line source file with annotations
# under 100 ms to first paint (run in the real window under Xvfb).
set -euo pipefail
builddir="${PYRO_BUILDDIR:?set PYRO_BUILDDIR to the meson build directory}"

/usr/bin/time -f "range-recompute peak RSS: %M KB" "$builddir/bench/range-recompute" 1000000 15

if command -v xvfb-run > /dev/null; then
  # in Pyrometer's window, then the source view alone; GTK's default renderer
  # under Xvfb is OpenGL in software (llvmpipe), so Cairo's is measured too
  for renderer in "" cairo; do
    for where in window alone; do
      echo "renderer: ${renderer:-default}"
      GSK_RENDERER="$renderer" xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- \
        "$builddir/bench/range-source-paint" 9 "$where" 2> /dev/null | grep -v SpiRegistry
    done
  done
else
  echo "range-source-paint: skipped, xvfb-run is not installed"
fi
