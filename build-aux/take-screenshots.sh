#!/bin/bash
# Takes the screenshots the metainfo shows (data/screenshots/*.png) of the
# bundled demo recording, in a virtual X server:
#   build-aux/take-screenshots.sh BUILDDIR [OUTDIR]
# Needs xvfb-run, dbus-run-session, xdotool and ImageMagick's import.
set -eu
builddir=$(realpath "$1")
outdir=$(realpath "${2:-$(dirname "$0")/../data/screenshots}")
mkdir -p "$outdir"

if [ -z "${PYRO_SCREENSHOTS_INNER:-}" ]; then
  export PYRO_SCREENSHOTS_INNER=1
  exec xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- "$0" "$builddir" "$outdir"
fi

export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory
"$builddir/src/pyrometer" --demo &
pid=$!
trap 'kill $pid' EXIT
sleep 5

shot () { import -window root -crop "$1" +repage "$outdir/$2"; }

# The window opens at 1280×800 in the top left corner (no window manager).
xdotool mousemove 300 410 click 1    # select is_prime (zooms in)
sleep 1
xdotool mousemove 28 69 click 1      # "All" in the breadcrumbs: the whole graph, still selected
sleep 2
xdotool mousemove 700 250
shot 1280x800+0+0 flame-graph.png
xdotool mousemove 739 28 click 1     # Call Graph
sleep 6
xdotool mousemove 1200 700
shot 1280x800+0+0 call-graph.png
xdotool mousemove 840 28 click 1     # Functions
sleep 3
shot 1280x800+0+0 functions.png
gapplication action io.github.pyrometer.Pyrometer preferences
sleep 2
shot 640x640+0+0 preferences.png
