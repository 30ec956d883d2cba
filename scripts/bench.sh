#!/usr/bin/env bash
# `make bench`: the short version of every benchmark, one `name value` line
# per figure (full runs and their commands: BENCHMARKS.md).
#
#   scripts/bench.sh BUILD_DIR
#
# Google Benchmark binaries in BUILD_DIR/bin (*_bench) run with a short
# --benchmark_min_time; core_bench's figures get the names of issue 8
# (parse_<layout>_MBps for Parse, parse_into_<layout>_MBps for ParseInto with
# one reused message, validate_reports_per_s, rollup_reports_per_s), the
# others print <binary>_<benchmark>_{cpu_us,MBps,items_per_s}. Then the
# end-to-end run with 10,000 reports (bench/e2e/run_e2e.sh; 100,000 is the
# full run). A part that is not built prints a `SKIP:` line.
set -uo pipefail

build=${1:-build}
bin=$build/bin
here=$(cd "$(dirname "$0")/.." && pwd)
min_time=${BENCH_MIN_TIME:-0.3}
e2e_count=${BENCH_E2E_COUNT:-10000}

# name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,...
figures() {
  local exe=$1
  "$bin/$exe" --benchmark_min_time="$min_time" --benchmark_format=csv 2>/dev/null |
    awk -F, -v exe="$exe" '
      /^name,/ { header = 1; next }
      !header { next }
      {
        name = $1; gsub(/"/, "", name)
        unit = $5; cpu = $4
        us = (unit == "ns") ? cpu / 1000 : (unit == "ms") ? cpu * 1000 : (unit == "s") ? cpu * 1e6 : cpu
        bps = $6; ips = $7
        if ($9 == "true") { printf "SKIP: %s %s: %s\n", exe, name, $10; next }
        if (exe == "core_bench") {
          if (name ~ /^BM_Parse\//) {
            split(name, p, "/"); layout = p[2]
            printf "parse_%s_MBps %.1f\n", layout, bps / 1e6
            printf "parse_%s_us_per_report %.1f\n", layout, us
          } else if (name ~ /^BM_ParseInto\//) {
            split(name, p, "/"); layout = p[2]
            printf "parse_into_%s_MBps %.1f\n", layout, bps / 1e6
            printf "parse_into_%s_us_per_report %.1f\n", layout, us
          } else if (name == "BM_Validate") {
            printf "validate_reports_per_s %.0f\n", ips
          } else if (name ~ /^BM_Rollup/) {
            printf "rollup_reports_per_s %.0f\n", ips
          }
          next
        }
        key = exe "_" name; gsub(/[^A-Za-z0-9_]+/, "_", key)
        printf "%s_cpu_us %.2f\n", key, us
        if (bps != "") printf "%s_MBps %.1f\n", key, bps / 1e6
        if (ips != "") printf "%s_items_per_s %.0f\n", key, ips
      }'
}

found=0
failed=0
for path in "$bin"/*_bench; do
  [[ -x $path ]] || continue
  found=1
  if ! figures "$(basename "$path")"; then
    echo "FAIL: $(basename "$path") exited with an error (run it by hand to see why)"
    failed=1
  fi
done
[[ $found == 1 ]] || echo "SKIP: no *_bench binaries in $bin"

bash "$here/bench/e2e/run_e2e.sh" "$build" "$e2e_count" | sed 's/^e2e_/e2e_short_/' || failed=1
exit "$failed"
