#!/bin/bash
# Parse RPC load test against one gongkai-parse-server replica on loopback.
#   bench/loadgen/run_parse_bench.sh BUILD_DIR hit|miss [SECONDS] [server flags...]
# Starts the server on a free port (read from its "listening" log line), warms
# it up for 2 s with gongkai-loadgen (64 calls in flight, ~10 KB synthetic
# reports), measures for SECONDS (default 10), prints the loadgen JSON line and
# the CPU time per call of the server and of the load generator, then stops
# the server with SIGTERM.
set -euo pipefail
BUILD=${1:?build dir}; MODE=${2:?hit or miss}; SECONDS_MEASURED=${3:-10}
shift $(( $# < 3 ? $# : 3 ))
BIN=$BUILD/bin
LOG=$(mktemp /tmp/gongkai-parse-bench.XXXXXX.log)
"$BIN/gongkai-parse-server" --host=127.0.0.1 --port=0 --drain_seconds=0 "$@" 2> "$LOG" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '"msg":"listening"' "$LOG" && break; sleep 0.1; done
PORT=$(grep -o '"port":[0-9]*' "$LOG" | head -1 | cut -d: -f2)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
"$BIN/gongkai-loadgen" --target=127.0.0.1:$PORT --in_flight=64 --mode=$MODE \
  --duration_s=1 --warmup_s=1 > /dev/null
BEFORE=$(cpu_ticks $SERVER)
OUT=$(mktemp); TIMES=$(mktemp)
/usr/bin/time -f "%U %S" -o "$TIMES" "$BIN/gongkai-loadgen" --target=127.0.0.1:$PORT \
  --in_flight=64 --mode=$MODE --duration_s=$SECONDS_MEASURED --warmup_s=0.5 > "$OUT"
AFTER=$(cpu_ticks $SERVER)
cat "$OUT"
CALLS=$(grep -o '"calls":[0-9]*' "$OUT" | cut -d: -f2)
read -r USER_S SYS_S < "$TIMES"
TICK=$(getconf CLK_TCK)
echo "server_cpu_us_per_call $(echo "scale=1; ($AFTER - $BEFORE) * 1000000 / $TICK / $CALLS" | bc)"
echo "loadgen_cpu_us_per_call $(echo "scale=1; ($USER_S + $SYS_S) * 1000000 / $CALLS" | bc)"
echo "load_average $(cut -d' ' -f1 /proc/loadavg)"
rm -f "$OUT" "$TIMES" "$LOG"
