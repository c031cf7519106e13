#!/usr/bin/env bash
# Call graph: Graphviz dot layout (through libgvc) of a 500-node,
# 1,500-edge graph with every node shown, and the repaint of a 1600x1000
# view while panning across it at 100 %, offscreen (Cairo image surface).
# Targets: layout under 1 s; repaint during pan under 8 ms a frame.
# The profile is built through the public model API; see
# bench/callgraph-layout.c.
set -euo pipefail
build="${PYRO_BUILDDIR:?set PYRO_BUILDDIR to a meson build directory}"
prog="$build/bench/callgraph-layout"
[ -x "$prog" ] || ninja -C "$build" bench/callgraph-layout >/dev/null
/usr/bin/time -f "peak RSS: %M KB, wall %e s (building the profile, 5 layouts and the pans)" "$prog" 500 1500 5
