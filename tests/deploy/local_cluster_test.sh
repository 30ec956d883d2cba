#!/usr/bin/env bash
# Integration test of scripts/local-cluster: Redis, 3 parse replicas, 2
# validate replicas and the aggregate on loopback, wired as in Kubernetes.
#  1. A batch through the aggregate gives exactly the in-process output, and
#     its Parse calls spread over all three parse replicas (per-replica
#     request counts from each /metrics endpoint).
#  2. A second batch during which one parse replica is SIGKILLed and another
#     drains on SIGTERM still gives exactly the in-process output: nothing
#     is lost.
# Usage: local_cluster_test.sh BUILD_DIR. Exits 77 (CTest: skipped) with a
# message when the binaries or redis-server are missing.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=$build/bin
count=${GONGKAI_LOCAL_CLUSTER_REPORTS:-400}

for b in gongkai-parse-server gongkai-validate-server gongkai-aggregate-server gongkai gongkai-corpusgen; do
  if [ ! -x "$bin/$b" ]; then
    echo "SKIP: $bin/$b is not built (the servers, the CLI and gongkai-corpusgen are needed)"
    exit 77
  fi
done
if ! command -v redis-server >/dev/null 2>&1; then
  echo "SKIP: redis-server is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-local-cluster-test.XXXXXX")
state=$work/state
cleanup() {
  "$repo/scripts/local-cluster" stop --state "$state" || true
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then
    echo "ok   $what"
  else
    echo "FAIL $what"
    failures=$((failures + 1))
  fi
}

# Sum of gongkai_rpc_requests_total for Parse on the /metrics at PORT.
parse_requests() {
  local body
  body=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    cat <&3' _ "$1") || { echo 0; return; }
  awk '/^gongkai_rpc_requests_total\{/ && /method="[^"]*Parse"/ { n += $NF } END { print n + 0 }' <<<"$body"
}
parse_total() {
  local port total=0
  for port in $PARSE_METRICS; do total=$((total + $(parse_requests "$port"))); done
  echo "$total"
}

# Two synthetic batches (示例 reports from gongkai-corpusgen; the
# .expected.json oracles are left out of the batch).
for batch in a b; do
  seed=$([ "$batch" = a ] && echo 11 || echo 12)
  "$bin/gongkai-corpusgen" --count "$count" --seed "$seed" --out "$work/gen-$batch" >/dev/null
  mkdir -p "$work/$batch"
  find "$work/gen-$batch" -type f ! -name '*.expected.json' -exec mv -t "$work/$batch" {} +
  set +e
  "$bin/gongkai" aggregate --output json "$work/$batch" >"$work/$batch.inprocess.json" 2>"$work/$batch.inprocess.err"
  echo $? >"$work/$batch.inprocess.rc"
  set -e
done
echo "batches: $(ls "$work/a" | wc -l) and $(ls "$work/b" | wc -l) reports;" \
  "in-process exit codes $(cat "$work/a.inprocess.rc") and $(cat "$work/b.inprocess.rc")"

"$repo/scripts/local-cluster" start --build "$build" --state "$state" --parse 3 --validate 2 >/dev/null
# shellcheck disable=SC1091
. "$state/cluster.env"
read -r -a parse_pids <<<"$PARSE_PIDS"
read -r -a parse_metrics <<<"$PARSE_METRICS"

remote() {  # remote BATCH: the batch through the aggregate; sets rc
  set +e
  "$bin/gongkai" --endpoint "$AGGREGATE" aggregate --output json "$work/$1" \
    >"$work/$1.remote.json" 2>"$work/$1.remote.err"
  rc=$?
  set -e
}
same_output() {  # same_output BATCH RC
  [ "$2" = "$(cat "$work/$1.inprocess.rc")" ] && cmp -s "$work/$1.inprocess.json" "$work/$1.remote.json" \
    || { echo "  exit $2 vs $(cat "$work/$1.inprocess.rc")"; diff <(head -c 200000 "$work/$1.inprocess.json") \
           <(head -c 200000 "$work/$1.remote.json") | head -n 20; head -n 5 "$work/$1.remote.err"; false; }
}

# 1. Load spreads over the replicas.
remote a
check "batch a through the aggregate = in-process output" same_output a "$rc"
counts=()
for port in "${parse_metrics[@]}"; do counts+=("$(parse_requests "$port")"); done
total=$((counts[0] + counts[1] + counts[2]))
echo "Parse requests per replica for $count reports: ${counts[*]} (total $total)"
check "every document was parsed (total >= $count)" test "$total" -ge "$count"
for i in 0 1 2; do
  # round_robin: each replica gets about a third; demand at least a sixth.
  check "parse replica $((i + 1)) took its share (${counts[i]} >= $((total / 6)))" test "${counts[i]}" -ge $((total / 6))
done

# 2. Replicas go away during a batch: parse-1 is SIGKILLed after a fifth of
# the batch, parse-2 gets SIGTERM (drain) after two fifths.
before=$(parse_total)
"$bin/gongkai" --endpoint "$AGGREGATE" aggregate --output json "$work/b" \
  >"$work/b.remote.json" 2>"$work/b.remote.err" &
batch_pid=$!
killed=-1
termed=-1
for _ in $(seq 1 3000); do
  done_so_far=$(($(parse_total) - before))
  if [ $killed -lt 0 ] && [ $done_so_far -ge $((count / 5)) ]; then
    kill -KILL "${parse_pids[0]}"
    killed=$done_so_far
  fi
  if [ $killed -ge 0 ] && [ $termed -lt 0 ] && [ $done_so_far -ge $((2 * count / 5)) ]; then
    kill -TERM "${parse_pids[1]}"
    termed=$done_so_far
  fi
  kill -0 "$batch_pid" 2>/dev/null || break
  sleep 0.02
done
rc=0
wait "$batch_pid" || rc=$?
after=$(parse_requests "${parse_metrics[2]}")
echo "parse-1 SIGKILLed after $killed Parse calls, parse-2 SIGTERMed after $termed;" \
  "parse-3 finished with $after calls in all"
check "parse-1 was killed mid-batch" test "$killed" -ge 0 -a "$killed" -lt "$count"
check "parse-2 was drained mid-batch" test "$termed" -ge 0 -a "$termed" -lt "$count"
check "parse-1 is gone" bash -c "! kill -0 ${parse_pids[0]} 2>/dev/null"
for _ in $(seq 1 100); do kill -0 "${parse_pids[1]}" 2>/dev/null || break; sleep 0.1; done
check "parse-2 exited after draining" bash -c "! kill -0 ${parse_pids[1]} 2>/dev/null"
check "parse-2 logged its drain" grep -q '"msg":"draining"' "$state/logs/parse-2.log"
check "batch b, two replicas lost on the way = in-process output" same_output b "$rc"

"$repo/scripts/local-cluster" stop --state "$state"
for pid in "$AGGREGATE_PID" $PARSE_PIDS $VALIDATE_PIDS; do
  check "process $pid stopped" bash -c "! kill -0 $pid 2>/dev/null"
done

echo "local cluster: $failures failed"
[ "$failures" -eq 0 ]
