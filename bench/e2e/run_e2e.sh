#!/usr/bin/env bash
# End-to-end run of issue 8: 1 parse + 1 validate + 1 aggregate server on this
# machine, N generated reports streamed through AggregateService.Aggregate by
# e2e_driver. Prints one `name value` line per figure: reports/s, wall time,
# outcome counts and each server's peak RSS (VmHWM, MB).
#
#   bench/e2e/run_e2e.sh BUILD_DIR [COUNT=100000] [SEED=1]
#
# The reports are written once by gongkai-corpusgen to $E2E_CORPUS_DIR
# (default /tmp/gongkai-e2e-corpus-COUNT-SEED, reused by later runs) so that
# generating them costs none of the measured time; the driver streams the
# files. E2E_CORPUS_DIR=none generates in the driver while streaming.
# Also prints each process's CPU time (user+system, from /proc/PID/stat and
# /usr/bin/time) per report in µs: the load-independent figure.
# E2E_AGGREGATE_FLAGS adds flags to the aggregate server (e.g.
# "--aggregate_concurrency 8"). E2E_PERF=DIR
# records `perf record -g` of each server into DIR/<server>.data.
# Exits 0 with a `SKIP:` line when the servers or the driver are not built.
set -euo pipefail

build=${1:?usage: run_e2e.sh BUILD_DIR [COUNT] [SEED]}
count=${2:-100000}
seed=${3:-1}
bin=$build/bin
for exe in gongkai-parse-server gongkai-validate-server gongkai-aggregate-server e2e_driver \
  gongkai-corpusgen; do
  if [[ ! -x $bin/$exe ]]; then
    echo "SKIP: e2e: $bin/$exe not built"
    exit 0
  fi
done

corpus=${E2E_CORPUS_DIR:-/tmp/gongkai-e2e-corpus-$count-$seed}
# A corpus written by another build of the generator is written again.
generator_id=$(sha256sum "$bin/gongkai-corpusgen" | cut -d' ' -f1)
if [[ $corpus != none && $(cat "$corpus/.complete" 2>/dev/null) != "$generator_id" ]]; then
  rm -rf "$corpus"
  "$bin/gongkai-corpusgen" --count "$count" --seed "$seed" --out "$corpus"
  echo "$generator_id" >"$corpus/.complete"
fi

work=$(mktemp -d /tmp/gongkai-e2e.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server on a free port; sets $port from its "listening" log line.
start() {
  local name=$1; shift
  "$bin/$name" --port 0 --log_level info "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  eval "${name//-/_}_pid=$!"
  port=""
  for _ in $(seq 1 300); do
    port=$(grep -o '"listening".*' "$work/$name.log" 2>/dev/null | grep -o '"port":[0-9]*' |
           head -1 | cut -d: -f2 || true)
    [[ -n $port ]] && return 0
    sleep 0.1
  done
  echo "e2e: $name did not start; its log:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

peak_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# CPU seconds (utime + stime) of a running process.
cpu_s() {
  local ticks
  ticks=$(getconf CLK_TCK)
  awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat"
}

start gongkai-parse-server
parse_port=$port
start gongkai-validate-server
validate_port=$port
# shellcheck disable=SC2086  # E2E_AGGREGATE_FLAGS: extra flags, split on spaces
start gongkai-aggregate-server --parse_targets "127.0.0.1:$parse_port" \
  --validate_targets "127.0.0.1:$validate_port" --max_batch_items $((count + 10)) \
  ${E2E_AGGREGATE_FLAGS:-}
aggregate_port=$port

perf_pids=()
if [[ -n ${E2E_PERF:-} ]]; then
  mkdir -p "$E2E_PERF"
  for name in gongkai_parse_server gongkai_validate_server gongkai_aggregate_server; do
    pid_var=${name}_pid
    perf record -g -o "$E2E_PERF/$name.data" -p "${!pid_var}" >/dev/null 2>&1 &
    perf_pids+=($!)
  done
  sleep 1
fi
cpu_before=()
for pid in "$gongkai_parse_server_pid" "$gongkai_validate_server_pid" \
  "$gongkai_aggregate_server_pid"; do
  cpu_before+=("$(cpu_s "$pid")")
done

driver_args=(--target "127.0.0.1:$aggregate_port" --count "$count" --seed "$seed"
             --deadline_seconds 3600)
[[ $corpus != none ]] && driver_args+=(--corpus "$corpus")
status=0
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -f "e2e_driver_rss_MB %M %U %S" -o "$work/driver.time" \
    "$bin/e2e_driver" "${driver_args[@]}" | tee "$work/driver.out" || status=$?
  awk '/^e2e_driver_rss_MB/ {printf "%s %.1f\n", $1, $2 / 1024; print "e2e_driver_cpu_s", $3 + $4}' \
    "$work/driver.time" || true
else
  "$bin/e2e_driver" "${driver_args[@]}" | tee "$work/driver.out" || status=$?
fi
i=0
reports=$(awk '/^e2e_reports / {print $2}' "$work/driver.out" 2>/dev/null || true)
for name in parse validate aggregate; do
  pid_var=gongkai_${name}_server_pid
  used=$(awk -v a="$(cpu_s "${!pid_var}")" -v b="${cpu_before[$i]}" 'BEGIN {printf "%.2f", a - b}')
  echo "e2e_${name}_server_cpu_s $used"
  if [[ -n $reports && $reports -gt 0 ]]; then
    awk -v c="$used" -v n="$reports" -v s="$name" \
      'BEGIN {printf "e2e_%s_server_cpu_us_per_report %.0f\n", s, c * 1e6 / n}'
  fi
  i=$((i + 1))
done
if [[ -n $reports && $reports -gt 0 && -f $work/driver.time ]]; then
  awk -v n="$reports" '/^e2e_driver_rss_MB/ {printf "e2e_driver_cpu_us_per_report %.0f\n", ($3 + $4) * 1e6 / n}' \
    "$work/driver.time"
fi
for pid in "${perf_pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${perf_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
echo "e2e_parse_server_peak_rss_MB $(peak_mb "$gongkai_parse_server_pid")"
echo "e2e_validate_server_peak_rss_MB $(peak_mb "$gongkai_validate_server_pid")"
echo "e2e_aggregate_server_peak_rss_MB $(peak_mb "$gongkai_aggregate_server_pid")"
if [[ $status -ne 0 ]]; then
  echo "e2e: driver failed ($status); aggregate server log tail:" >&2
  tail -5 "$work/gongkai-aggregate-server.log" >&2
fi
exit $status
