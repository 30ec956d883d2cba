#!/usr/bin/env bash
# The test suite under sanitizers, one command:
#   1. ASan + UBSan: the whole suite (build-asan, every target, ctest).
#   2. TSan: the concurrent parts — servers and caches (build-tsan, the
#      targets those tests need, ctest -R '[Ss]ervice|[Cc]ache|[Ss]erver').
# A sanitizer report in any process (test binaries and the servers or CLI
# they start) is written to BUILD/sanitizer-logs/ and fails the run, even
# when the test that started the process passed.
# Exit status: 0 clean; 1 on a build failure, a failed test or any
# sanitizer report (tests that built still run); 2 on a configure error. Prints one summary line per stage with its time.
#
# Usage: scripts/sanitize.sh [asan|tsan|all]   (default all)
# Environment:
#   GONGKAI_SANITIZE_JOBS   build and ctest parallelism (default 2)
#   GONGKAI_ASAN_DIR / GONGKAI_TSAN_DIR   build dirs (default build-asan,
#                                          build-tsan under the repo)
#
# TSan caveat: Debian's gRPC and Abseil are not TSan-instrumented, so
# happens-before edges created inside them (gRPC's completion queues and
# threads, absl::Mutex) are invisible to TSan. tests/sanitizers/tsan.supp
# suppresses reports whose stacks are inside those libraries; see the
# comments there for each entry.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WHICH=${1:-all}
JOBS=${GONGKAI_SANITIZE_JOBS:-2}
ASAN_DIR=${GONGKAI_ASAN_DIR:-$ROOT/build-asan}
TSAN_DIR=${GONGKAI_TSAN_DIR:-$ROOT/build-tsan}
case "$WHICH" in asan | tsan | all) ;; *)
  echo "usage: $0 [asan|tsan|all]" >&2
  exit 2
  ;;
esac

failed=0

# configure BUILD_DIR SANITIZERS
configure() {
  local dir=$1 sanitize=$2
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    mkdir -p "$dir"
    cmake -S "$ROOT" -B "$dir" -DGONGKAI_SANITIZE="$sanitize" -DGONGKAI_BENCH=OFF \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$dir/configure.log" 2>&1 || {
      tail -30 "$dir/configure.log" >&2
      echo "sanitize: configure of $dir failed" >&2
      exit 2
    }
  fi
}

# check_logs DIR STAGE: fails the run when any sanitizer wrote a report.
check_logs() {
  local logs=$1 stage=$2 n
  n=$(find "$logs" -type f -size +0 | wc -l)
  if [[ $n -gt 0 ]]; then
    echo "sanitize $stage: $n sanitizer report file(s) in $logs:" >&2
    find "$logs" -type f -size +0 | head -5 | while read -r f; do
      echo "--- $f" >&2
      grep -E 'ERROR|WARNING: ThreadSanitizer|runtime error|SUMMARY' "$f" | head -5 >&2
    done
    failed=1
  fi
}

run_asan() {
  local start=$SECONDS logs="$ASAN_DIR/sanitizer-logs"
  configure "$ASAN_DIR" address,undefined
  rm -rf "$logs" && mkdir -p "$logs"
  # halt_on_error: UBSan aborts (non-zero exit) instead of printing and going on.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$logs/asan:log_exe_name=1"
  export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizers/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan:log_exe_name=1"
  # Keep going past a target that fails to build (e.g. a benchmark): the
  # tests that did build still run; the failure is reported at the end.
  if ! cmake --build "$ASAN_DIR" -j "$JOBS" -- -k >"$ASAN_DIR/build.log" 2>&1; then
    grep -E 'error|Error [0-9]' "$ASAN_DIR/build.log" | head -20 >&2
    echo "sanitize asan: build failed (log: $ASAN_DIR/build.log); running the tests that built" >&2
    failed=1
  fi
  local built=$SECONDS
  local rc=0
  # The deploy config checks (yamllint, kustomize, node schema/policy tests)
  # run no gongkai code; deploy.local_cluster (the servers) does run.
  (cd "$ASAN_DIR" && ctest --output-on-failure -j "$JOBS" \
    -E '_NOT_BUILT|^deploy\.(yamllint|kustomize|schema|policy|dockerfile)$' \
    >"$ASAN_DIR/ctest.log" 2>&1) || rc=$?
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
  grep -E 'tests passed|tests failed' "$ASAN_DIR/ctest.log" | tail -1 | sed 's/^/sanitize asan: /'
  if [[ $rc -ne 0 ]]; then
    sed -n '/The following tests FAILED/,$p' "$ASAN_DIR/ctest.log" >&2
    failed=1
  fi
  check_logs "$logs" asan
  echo "sanitize asan: build $((built - start)) s, ctest $((SECONDS - built)) s"
}

run_tsan() {
  local start=$SECONDS logs="$TSAN_DIR/sanitizer-logs"
  configure "$TSAN_DIR" thread
  rm -rf "$logs" && mkdir -p "$logs"
  export TSAN_OPTIONS="suppressions=$ROOT/tests/sanitizers/tsan.supp:halt_on_error=0:second_deadlock_stack=1:log_path=$logs/tsan:log_exe_name=1"
  # The test binaries of the concurrent parts and the servers they start.
  local available wanted=() t
  available=$(cmake --build "$TSAN_DIR" --target help 2>/dev/null | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p')
  for t in cache_test runner_test parse_service_test validate_service_test \
    aggregate_service_test server_test gongkai-parse-server gongkai-validate-server \
    gongkai-aggregate-server gongkai; do
    if grep -qx "$t" <<<"$available"; then wanted+=("$t"); fi
  done
  # Any other test binary whose name says service/cache/server.
  while read -r t; do
    [[ " ${wanted[*]} " == *" $t "* ]] || wanted+=("$t")
  done < <(grep -Ei '(service|cache|server).*_test$' <<<"$available" || true)
  if ! cmake --build "$TSAN_DIR" -j "$JOBS" --target "${wanted[@]}" -- -k >"$TSAN_DIR/build.log" 2>&1; then
    grep -E 'error|Error [0-9]' "$TSAN_DIR/build.log" | head -20 >&2
    echo "sanitize tsan: build failed (log: $TSAN_DIR/build.log); running the tests that built" >&2
    failed=1
  fi
  local built=$SECONDS
  local rc=0
  (cd "$TSAN_DIR" && ctest --output-on-failure -j "$JOBS" -R '[Ss]ervice|[Cc]ache|[Ss]erver' \
    -E '_NOT_BUILT' >"$TSAN_DIR/ctest.log" 2>&1) || rc=$?
  unset TSAN_OPTIONS
  grep -E 'tests passed|tests failed|No tests were found' "$TSAN_DIR/ctest.log" | tail -1 | sed 's/^/sanitize tsan: /'
  if [[ $rc -ne 0 ]]; then
    sed -n '/The following tests FAILED/,$p' "$TSAN_DIR/ctest.log" >&2
    failed=1
  fi
  check_logs "$logs" tsan
  echo "sanitize tsan: built ${wanted[*]}; build $((built - start)) s, ctest $((SECONDS - built)) s"
}

[[ "$WHICH" == asan || "$WHICH" == all ]] && run_asan
[[ "$WHICH" == tsan || "$WHICH" == all ]] && run_tsan
exit $failed
