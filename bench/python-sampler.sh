#!/usr/bin/env bash
# bench/python-sampler.sh — what sampling Python stacks costs.
#
#   PYRO_BUILDDIR=_build bash bench/python-sampler.sh
#
# 1. Slowdown of a CPU-bound pure-Python program sampled at 1,000 and
#    10,000 Hz, and under `pyrometer record -F 999`, against the same program
#    alone: five rounds, each running them side by side in turn; the program
#    reports its own run time; medians.
# 2. Samples delivered per thread at 1,000 Hz on a 4-thread target (attach,
#    5 s): stacks read for each thread against elapsed time × rate.
#    The same through `pyrometer record --mode python` when it is built.
# 3. Recorder cost per tick for one thread with a 30-frame stack, once the
#    code objects are cached (attach, 1,000 Hz, 3 s).
# PYRO_PYTHON picks the interpreter (default python3).
set -euo pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
build="${PYRO_BUILDDIR:-$top/_build}"
sampler="$build/bench/python-sampler"
py="${PYRO_PYTHON:-python3}"
cpu="$top/bench/python-cpu.py"
work="${PYRO_PY_WORK:-15000000}"
rounds=5

[ -x "$sampler" ] || { echo "build first: $sampler is missing" >&2; exit 1; }
echo "python: $("$py" -c 'import sys; print(sys.version.split()[0])') ($py)"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The fourth column is the whole recorder: `pyrometer record -F 999`, which
# picks Python stacks for a Python program.
pyrometer="$build/src/pyrometer"
alone=() ; k1=() ; k10=() ; rec=()
for r in $(seq $rounds); do
  alone+=("$("$py" "$cpu" --work "$work")")
  k1+=("$("$sampler" --rate 1000 -- "$py" "$cpu" --work "$work" 2>/dev/null)")
  k10+=("$("$sampler" --rate 10000 -- "$py" "$cpu" --work "$work" 2>/dev/null)")
  if [ -x "$pyrometer" ]; then
    capture="$(mktemp --suffix=.syscap)"
    rec+=("$("$pyrometer" record -F 999 -o "$capture" -- "$py" "$cpu" --work "$work" 2>/dev/null | tail -1)")
    rm -f "$capture"
  fi
done
m_alone=$(printf '%s\n' "${alone[@]}" | median)
m_k1=$(printf '%s\n' "${k1[@]}" | median)
m_k10=$(printf '%s\n' "${k10[@]}" | median)
echo "runs alone:    ${alone[*]} s"
echo "runs 1000 Hz:  ${k1[*]} s"
echo "runs 10000 Hz: ${k10[*]} s"
if [ ${#rec[@]} -gt 0 ]; then
  m_rec=$(printf '%s\n' "${rec[@]}" | median)
  echo "runs under pyrometer record -F 999: ${rec[*]} s"
  awk -v a="$m_alone" -v b="$m_rec" 'BEGIN {
    printf "slowdown under pyrometer record -F 999: %+.2f%% (median %.3f s vs %.3f s alone; target <= 2%%)\n", (b / a - 1) * 100, b, a }'
fi
awk -v a="$m_alone" -v b="$m_k1" -v c="$m_k10" 'BEGIN {
  printf "slowdown at 1,000 Hz:  %+.2f%% (median %.3f s vs %.3f s alone; target <= 2%%)\n", (b / a - 1) * 100, b, a
  printf "slowdown at 10,000 Hz: %+.2f%% (median %.3f s vs %.3f s alone; target <= 5%%)\n", (c / a - 1) * 100, c, a }'

"$py" "$cpu" --threads 4 --work 400000000 >/dev/null &
target=$!
trap 'kill $target 2>/dev/null || true' EXIT
sleep 0.5
out="$("$sampler" --rate 1000 --keep-idle --duration 5 --pid "$target" 2>&1)"
kill $target 2>/dev/null || true
wait $target 2>/dev/null || true
expected=$(awk '/^expected_ticks/ { print $2 }' <<<"$out")
echo "4 threads at 1,000 Hz for 5 s: expected $expected stacks per thread"
awk -v e="$expected" '/^thread / { n++; p = $NF / e * 100; if (min == "" || p < min) min = p;
    printf "  %s %s: %d stacks (%.1f%%)\n", $2, $3, $NF, p }
  END { printf "samples delivered, worst thread: %.1f%% of expected (%d threads; target >= 98%%)\n", min, n }' <<<"$out"

# The same through `pyrometer record --mode python` (the recorder's tick
# thread), counted from the capture: samples per thread against 5 s × 1000.
if [ -x "$pyrometer" ]; then
  "$py" "$cpu" --threads 4 --work 400000000 >/dev/null &
  target=$!
  sleep 0.5
  capture="$(mktemp --suffix=.syscap)"
  "$pyrometer" record --mode python -F 1000 -d 5 -p "$target" -o "$capture" 2>/dev/null
  kill $target 2>/dev/null || true
  wait $target 2>/dev/null || true
  "$pyrometer" info --format json "$capture" | "$py" -c '
import json, sys
d = json.load(sys.stdin)
rates = [t["samples"] / 5000 * 100 for t in d["thread_state"]]
for t, r in zip(d["thread_state"], rates):
    print("  %s: %d samples (%.1f%%)" % (t["name"], t["samples"], r))
print("pyrometer record, worst thread: %.1f%% of expected (%d threads; target >= 98%%)" % (min(rates), len(rates)))'
  rm -f "$capture"
fi

"$py" "$cpu" --depth 30 --work 400000000 >/dev/null &
target=$!
sleep 0.5
out="$("$sampler" --rate 1000 --duration 3 --pid "$target" 2>&1)"
kill $target 2>/dev/null || true
wait $target 2>/dev/null || true
awk '/^frames_per_stack/ { f = $2 } /^us_per_tick/ { u = $2 } /^max_us_per_tick/ { m = $2 }
  /^cpu_us_per_tick/ { c = $2 }
  END { printf "cost per sample, %s-frame stack, cached: %.1f us mean wall (max %.0f us), %.1f us CPU of the sampling thread (target < 20 us)\n", f, u, m, c }' <<<"$out"
