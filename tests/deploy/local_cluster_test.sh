#!/usr/bin/env bash
# Integration test of scripts/local-cluster: Redis, 3 parse replicas, 2
# validate replicas and the aggregate on loopback, wired as in Kubernetes.
#  1. A batch through the aggregate gives exactly the in-process output, and
#     its Parse calls spread over all three parse replicas (per-replica
#     request counts from each /metrics endpoint); the parse cache works
#     through Redis under the ACL user of the Kubernetes Secret.
#  2. A second batch during which one parse replica is SIGKILLed and another
#     drains on SIGTERM still gives exactly the in-process output: nothing
#     is lost.
# Usage: local_cluster_test.sh BUILD_DIR. Exits 77 (CTest: skipped) with a
# message when the binaries or redis-server are missing.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=$build/bin
# Reports in batch a (load spread) and batch b (replicas killed mid-way).
count_a=${GONGKAI_LOCAL_CLUSTER_REPORTS_A:-400}
count_b=${GONGKAI_LOCAL_CLUSTER_REPORTS_B:-1200}

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
passes=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then
    echo "ok   $what"
    passes=$((passes + 1))
  else
    echo "FAIL $what"
    failures=$((failures + 1))
  fi
}

# Sum of the samples matching the awk regex PATTERN on the /metrics at PORT;
# empty when the endpoint does not answer (a replica that is gone).
metric_sum() {
  local body
  body=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    cat <&3' _ "$1" 2>/dev/null) || return 0
  awk -v pattern="$2" '$0 ~ pattern { n += $NF } END { print n + 0 }' <<<"$body"
}
parse_requests() {
  metric_sum "$1" '^gongkai_rpc_requests_total[{].*method="[^"]*Parse"'
}
# The sum of metric_sum over every parse replica.
parse_metric_total() {
  local port total=0
  for port in "${parse_metrics[@]}"; do total=$((total + $(metric_sum "$port" "$1"))); done
  echo "$total"
}
# Refreshes seen[i], the last count read from parse replica i, and sets
# polled to their sum (a replica that is gone keeps its last count). Not to
# be called in a subshell.
seen=(0 0 0)
polled=0
poll_parse() {
  local i n
  polled=0
  for i in 0 1 2; do
    n=$(parse_requests "${parse_metrics[i]}")
    [ -n "$n" ] && seen[i]=$n
    polled=$((polled + seen[i]))
  done
}
# True when PID has exited (a zombie not yet reaped counts as exited).
gone() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null || true)
  [ -z "$stat" ] || [[ $stat == Z* ]]
}
wait_gone() {
  for _ in $(seq 1 150); do gone "$1" && return 0; sleep 0.1; done
  false
}

# Two synthetic batches (示例 reports from gongkai-corpusgen; the
# .expected.json oracles are left out of the batch).
for batch in a b; do
  if [ "$batch" = a ]; then seed=11 n=$count_a; else seed=12 n=$count_b; fi
  "$bin/gongkai-corpusgen" --count "$n" --seed "$seed" --out "$work/gen-$batch" >/dev/null
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
poll_parse
total=$polled
echo "Parse requests per replica for $count_a reports: ${seen[*]} (total $total)"
check "every document was parsed (total >= $count_a)" test "$total" -ge "$count_a"
for i in 0 1 2; do
  # round_robin: each replica gets about a third; demand at least a sixth.
  check "parse replica $((i + 1)) took its share (${seen[i]} >= $((total / 6)))" test "${seen[i]}" -ge $((total / 6))
done

# The Redis tier works under the ACL user of Secret gongkai-redis-auth:
# every parse was stored there, and a second pass over batch a is served
# from it by whichever replica gets each document.
puts=$(parse_metric_total '^gongkai_cache_puts_total[{]tier="redis"')
check "every parse was stored in Redis ($puts >= $count_a)" test "$puts" -ge "$count_a"
remote a
check "batch a again = in-process output" same_output a "$rc"
hits=$(parse_metric_total '^gongkai_cache_requests_total[{]tier="redis",outcome="hit"')
errors=$(parse_metric_total '^gongkai_cache_(requests_total[{]tier="redis",outcome="error"|put_errors_total[{]tier="redis")')
echo "Redis: $puts puts, $hits hits on the second pass, $errors errors"
check "the second pass hit Redis" test "$hits" -gt 0
check "no Redis errors (the ACL allows what the cache does)" test "$errors" -eq 0

# 2. Replicas go away during a batch: parse-1 is SIGKILLed after a fifth of
# the batch, parse-2 gets SIGTERM (drain) after three tenths.
poll_parse
before=$polled
"$bin/gongkai" --endpoint "$AGGREGATE" aggregate --output json "$work/b" \
  >"$work/b.remote.json" 2>"$work/b.remote.err" &
batch_pid=$!
killed=-1 termed=-1 at_term=0
while kill -0 "$batch_pid" 2>/dev/null; do
  poll_parse
  done_so_far=$((polled - before))
  if [ $killed -lt 0 ] && [ $done_so_far -ge $((count_b / 5)) ]; then
    kill -KILL "${parse_pids[0]}"
    killed=$done_so_far
  elif [ $killed -ge 0 ] && [ $termed -lt 0 ] && [ $done_so_far -ge $((3 * count_b / 10)) ]; then
    kill -TERM "${parse_pids[1]}"
    termed=$done_so_far
    at_term=${seen[1]}
  fi
  sleep 0.02
done
rc=0
wait "$batch_pid" || rc=$?
poll_parse  # parse-2 still answers /metrics while it drains
echo "parse-1 SIGKILLed after $killed of $count_b Parse calls, parse-2 SIGTERMed after $termed;" \
  "per replica: ${seen[*]}; parse-2 took $((seen[1] - at_term)) calls after its SIGTERM"
check "parse-1 was killed mid-batch" test "$killed" -ge 0 -a "$killed" -lt "$count_b"
check "parse-2 was drained mid-batch" test "$termed" -ge 0 -a "$termed" -lt "$count_b"
reported=$(grep -c '"source":' "$work/b.remote.json" || true)
check "the roll-up of batch b accounts for all $count_b reports ($reported)" test "$reported" -eq "$count_b"
# How soon the aggregate's health check sees parse-2's NOT_SERVING depends
# on the machine's load, so the calls parse-2 still took (it keeps serving
# for --drain_seconds) are reported above, not asserted.
check "parse-1 is gone" wait_gone "${parse_pids[0]}"
check "parse-2 exited after draining" wait_gone "${parse_pids[1]}"
check "parse-2 logged its drain" grep -q '"msg":"draining"' "$state/logs/parse-2.log"
check "batch b, two replicas lost on the way = in-process output" same_output b "$rc"

"$repo/scripts/local-cluster" stop --state "$state"
for pid in "$AGGREGATE_PID" $PARSE_PIDS $VALIDATE_PIDS "$REDIS_PID"; do
  check "process $pid stopped" gone "$pid"
done

echo "local_cluster: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
