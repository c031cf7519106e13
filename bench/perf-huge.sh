#!/usr/bin/env bash
# Huge perf.data files: `pyrometer report` wall time and peak RSS on a 2 GB and
# a 4 GB recording, beside `perf report --stdio` on the same file when it ends
# within PERF_TIMEOUT seconds.  Target: peak RSS under the file's size.
#
# The files are real recordings of xz compressing generated text with
# `--call-graph dwarf,65528`: every sample copies 64 KB of user stack, so a
# recording grows by about 64 MB a second at -F 1000 and no repeated data is
# involved.  They are made once into bench/out/ (about 6.5 GB of disk) and
# are not kept by git; delete them with `rm bench/out/huge-*.perf.data`.
#   SIZES="2 4"        which sizes to make and measure, in GB
#   PERF_TIMEOUT=300   seconds perf report may take before it is given up
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${PYRO_BIN:?set PYRO_BIN to the pyrometer binary}"
out="$here/out"
sizes="${SIZES:-2 4}"
perf_timeout="${PERF_TIMEOUT:-300}"
mkdir -p "$out"

if ! command -v perf >/dev/null || ! command -v xz >/dev/null; then
  echo "skipped: perf (linux-perf) and xz are needed"
  exit 0
fi

need_kb=0
for gb in $sizes; do
  [ -f "$out/huge-${gb}g.perf.data" ] || need_kb=$(( need_kb + gb * 1100000 ))
done
free_kb=$(df -Pk "$out" | awk 'NR == 2 { print $4 }')
if [ "$need_kb" -gt 0 ] && [ "$free_kb" -lt $(( need_kb + 2000000 )) ]; then
  echo "skipped: the recordings need $(( need_kb / 1000000 )) GB and $out has $(( free_kb / 1000000 )) GB free"
  exit 0
fi

input="$out/huge-input.txt"
if [ ! -f "$input" ]; then
  python3 - "$input" <<'PY'
import random, sys
rng = random.Random(11)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
         for _ in range(20000)]
with open(sys.argv[1], "w") as f:
    n = 0
    while n < 200_000_000:
        line = " ".join(rng.choice(words) for _ in range(12)) + " %d\n" % rng.getrandbits(30)
        f.write(line)
        n += len(line)
PY
fi

# Records xz until the file has grown past GB gigabytes.
record() { # GB
  local gb="$1" file="$out/huge-$1g.perf.data"
  [ -f "$file" ] && return 0
  local limit=$(( gb * 1000000000 ))
  # perf ends its workload with SIGTERM: the loop passes it on to xz.
  perf record -q -F 1000 --call-graph dwarf,65528 -m 512 -o "$file.tmp" -- \
    sh -c 'trap "kill \$xz 2>/dev/null; exit 0" TERM INT
           while :; do xz -T1 -9 -c "$1" > /dev/null & xz=$!; wait $xz; done' sh "$input" &
  local perf_pid=$!
  while kill -0 "$perf_pid" 2>/dev/null; do
    if [ -f "$file.tmp" ] && [ "$(stat -c %s "$file.tmp")" -ge "$limit" ]; then
      kill -INT "$perf_pid"
      break
    fi
    sleep 1
  done
  if ! wait "$perf_pid" && [ ! -s "$file.tmp" ]; then
    echo "skipped: perf record is not allowed here (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid))"
    rm -f "$file.tmp"
    exit 0
  fi
  mv "$file.tmp" "$file"
}

echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for gb in $sizes; do
  record "$gb"
  file="$out/huge-${gb}g.perf.data"
  echo "== $file: $(( $(stat -c %s "$file") / 1000000 )) MB"
  /usr/bin/time -f "pyrometer report: %e s wall, %U s user, %S s system, peak RSS %M KB" \
    "$bin" report "$file" > /dev/null
  if timeout "$perf_timeout" /usr/bin/time -f "perf report --stdio: %e s wall, %U s user, %S s system, peak RSS %M KB" \
       perf report -i "$file" --stdio > /dev/null 2> "$out/perf-huge-perf.err"; then
    tail -1 "$out/perf-huge-perf.err"
  else
    echo "perf report --stdio: did not finish within $perf_timeout s"
  fi
  echo "machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
