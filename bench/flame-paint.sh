#!/usr/bin/env bash
# Flame graph layout + paint of a call tree of 1,000,000 nodes at 1920x1080,
# offscreen (Cairo image surface).  Target: median under 8 ms a frame.
# The tree is built through the public model API (a profile with 1,000,000
# distinct stacks); see bench/flame-paint.c.
set -euo pipefail
build="${PYRO_BUILDDIR:?set PYRO_BUILDDIR to a meson build directory}"
prog="$build/bench/flame-paint"
[ -x "$prog" ] || ninja -C "$build" bench/flame-paint >/dev/null
/usr/bin/time -f "peak RSS: %M KB, wall %e s (including building the tree)" "$prog" 1000000 41
