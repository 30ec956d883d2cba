#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz, replays their seed corpora and
# runs each target for a bounded time. One line per target on stdout:
#   fuzz <target> execs=N crashes=C
# Exit status: 0 when every target ran crash-free, 1 on any crash, leak,
# timeout (-timeout=10 s per input), out-of-memory (-rss_limit_mb=2048) or
# broken invariant; 2 on a usage or build error. Reproducers are kept in
# BUILD_DIR/fuzz-artifacts/<target>/ (replay one with
#   BUILD_DIR/bin/<target> <file>).
#
# Usage: scripts/fuzz.sh [BUILD_DIR] [SECONDS]
#   BUILD_DIR  clang build dir, configured here when it has no CMakeCache
#              (default build-fuzz)
#   SECONDS    fuzzing time per target, after the replay (default 30)
# Environment:
#   GONGKAI_SHARED_DIR   seeds and corpus (default <repo>/../shared; skipped
#                        with a note when absent)
#   GONGKAI_FUZZ_TARGETS space-separated subset of targets to run
#   GONGKAI_FUZZ_JOBS    build parallelism (default 2)
#   GONGKAI_FUZZ_KEEP    a directory to keep the grown corpora in (default:
#                        a temporary directory, removed at exit)
#
# The corpora are assembled at run time in a temporary directory from
# ../shared (seeds, corpus .txt/.html/.tsv), tests/data, the committed seeds
# in tests/fuzz/seeds/<target>/ and gongkai-fuzz-seeds (rendered 示例
# HTML/DOCX, serialised requests); nothing from ../shared is committed.
# PDF is not fuzzed: the PDF reader runs pdftotext as a subprocess, and PDF
# inputs are skipped by fuzz_parse and fuzz_services.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build-fuzz}
SECONDS_PER_TARGET=${2:-30}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [BUILD_DIR] [SECONDS]" >&2
  exit 2
fi
SHARED=${GONGKAI_SHARED_DIR:-$ROOT/../shared}
JOBS=${GONGKAI_FUZZ_JOBS:-2}
ALL_TARGETS="fuzz_decode fuzz_html fuzz_docx fuzz_docx_xml fuzz_solver fuzz_parse fuzz_validate fuzz_services"
TARGETS=${GONGKAI_FUZZ_TARGETS:-$ALL_TARGETS}

# --- build -----------------------------------------------------------------
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -DGONGKAI_FUZZ=ON \
    -DGONGKAI_SANITIZE=fuzzer-no-link,address,undefined -DGONGKAI_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD.configure.log" 2>&1 || {
    cat "$BUILD.configure.log" >&2
    exit 2
  }
fi
if ! cmake --build "$BUILD" --target gongkai_fuzz_all -j "$JOBS" >"$BUILD/fuzz-build.log" 2>&1; then
  tail -40 "$BUILD/fuzz-build.log" >&2
  echo "fuzz: build failed (log: $BUILD/fuzz-build.log)" >&2
  exit 2
fi

# --- corpora ---------------------------------------------------------------
if [[ -n "${GONGKAI_FUZZ_KEEP:-}" ]]; then
  WORK=$GONGKAI_FUZZ_KEEP
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-fuzz.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
CORPUS="$WORK/corpus"
mkdir -p "$CORPUS" "$WORK/docs" "$WORK/gen"
for t in $ALL_TARGETS; do mkdir -p "$CORPUS/$t"; done

# Real documents (text/html) from ../shared and tests/data.
docs=()
if [[ -d "$SHARED" ]]; then
  while IFS= read -r -d '' f; do docs+=("$f"); done < <(
    find "$SHARED/seeds" "$SHARED/corpus" -maxdepth 2 -type f \
      \( -name '*.txt' -o -name '*.html' -o -name '*.tsv' \) -print0 2>/dev/null | sort -z)
else
  echo "fuzz: $SHARED absent: seeding from tests/data and tests/fuzz/seeds only" >&2
fi
while IFS= read -r -d '' f; do docs+=("$f"); done < <(
  find "$ROOT/tests/data" -type f \( -name '*.txt' -o -name '*.html' \) -print0 | sort -z)
i=0
for f in "${docs[@]}"; do
  cp "$f" "$WORK/docs/$i.${f##*.}"
  i=$((i + 1))
done

"$BUILD/bin/gongkai-fuzz-seeds" "$WORK/gen" "${docs[@]}" 2>"$WORK/gen.log" || {
  cat "$WORK/gen.log" >&2
  echo "fuzz: gongkai-fuzz-seeds failed" >&2
  exit 2
}

# decode: the text documents, also as GB18030 and UTF-16 (with a BOM).
for f in "$WORK"/docs/*.txt "$WORK"/gen/text/*; do
  [[ -f "$f" ]] || continue
  b=$(basename "$f")
  cp "$f" "$CORPUS/fuzz_decode/$b"
  iconv -f UTF-8 -t GB18030 "$f" >"$CORPUS/fuzz_decode/gb_$b" 2>/dev/null || rm -f "$CORPUS/fuzz_decode/gb_$b"
  iconv -f UTF-8 -t UTF-16 "$f" >"$CORPUS/fuzz_decode/u16_$b" 2>/dev/null || rm -f "$CORPUS/fuzz_decode/u16_$b"
done
cp "$WORK"/docs/*.html "$WORK"/gen/html/* "$CORPUS/fuzz_html/" 2>/dev/null || true
cp "$WORK"/gen/docx/* "$CORPUS/fuzz_docx/" 2>/dev/null || true
for f in "$WORK"/gen/docx/*.docx; do
  [[ -f "$f" ]] && unzip -p "$f" word/document.xml >"$CORPUS/fuzz_docx_xml/$(basename "$f" .docx).xml" 2>/dev/null || true
done
cp "$WORK"/docs/* "$WORK"/gen/text/* "$WORK"/gen/html/* "$WORK"/gen/docx/* \
  "$CORPUS/fuzz_parse/" 2>/dev/null || true
cp "$CORPUS"/fuzz_decode/gb_* "$CORPUS/fuzz_parse/" 2>/dev/null || true
cp "$WORK"/gen/validate/* "$CORPUS/fuzz_validate/" 2>/dev/null || true
cp "$WORK"/gen/services/* "$CORPUS/fuzz_services/" 2>/dev/null || true
for t in $ALL_TARGETS; do
  if [[ -d "$ROOT/tests/fuzz/seeds/$t" ]]; then cp "$ROOT/tests/fuzz/seeds/$t"/* "$CORPUS/$t/" 2>/dev/null || true; fi
done

# Dictionaries: tests/fuzz/dict/*.txt (one UTF-8 token a line) → libFuzzer
# format, every byte outside printable ASCII (and '"', '\' not starting an
# \xNN escape) written as \xNN.
to_dict() {
  perl -ne 'next if /^#/ || /^\s*$/; chomp;
    s/([^\x20-\x7e])|(")|(\\(?!x[0-9a-fA-F]{2}))/sprintf("\\x%02x", ord($&))/ge;
    print "\"$_\"\n"' "$@"
}
to_dict "$ROOT/tests/fuzz/dict/report_labels.txt" >"$WORK/text.dict"
to_dict "$ROOT/tests/fuzz/dict/markup.txt" >"$WORK/markup.dict"
to_dict "$ROOT/tests/fuzz/dict/report_labels.txt" "$ROOT/tests/fuzz/dict/markup.txt" >"$WORK/all.dict"
cat "$WORK/gen/validate.dict" "$WORK/text.dict" >"$WORK/validate.dict" 2>/dev/null || cp "$WORK/text.dict" "$WORK/validate.dict"
dict_for() {
  case "$1" in
    fuzz_html | fuzz_docx | fuzz_docx_xml) echo "$WORK/markup.dict" ;;
    fuzz_parse | fuzz_services) echo "$WORK/all.dict" ;;
    fuzz_validate) echo "$WORK/validate.dict" ;;
    *) echo "$WORK/text.dict" ;;
  esac
}

# --- replay and fuzz ------------------------------------------------------
ARTIFACTS="$BUILD/fuzz-artifacts"
failed=0
for t in $TARGETS; do
  bin="$BUILD/bin/$t"
  if [[ ! -x "$bin" ]]; then
    echo "fuzz $t execs=0 crashes=0 (not built: see $BUILD/fuzz-build.log)"
    continue
  fi
  mkdir -p "$ARTIFACTS/$t"
  log="$WORK/$t.log"
  common=(-rss_limit_mb=2048 -timeout=10 -artifact_prefix="$ARTIFACTS/$t/"
    -dict="$(dict_for "$t")" -print_final_stats=1)
  status=0
  # Replay: every seed, plus the committed reproducers of fixed bugs.
  replay=("$CORPUS/$t")
  [[ -d "$ROOT/tests/fuzz/regression/inputs/$t" ]] && replay+=("$ROOT/tests/fuzz/regression/inputs/$t")
  "$bin" "${common[@]}" -runs=0 "${replay[@]}" >"$log.replay" 2>&1 || status=$?
  if [[ $status -eq 0 && $SECONDS_PER_TARGET -gt 0 ]]; then
    # -max_len: mutate at most 64 KiB (real pages are up to ~350 KiB, which
    # makes a few executions a second); the replay above ran them whole.
    "$bin" "${common[@]}" -max_len=65536 -max_total_time="$SECONDS_PER_TARGET" \
      "$CORPUS/$t" >"$log" 2>&1 || status=$?
  fi
  execs=0
  for l in "$log.replay" "$log"; do
    [[ -f "$l" ]] || continue
    n=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$l" | tail -1)
    execs=$((execs + ${n:-0}))
  done
  crashes=0
  if [[ $status -ne 0 ]]; then
    crashes=1
    failed=1
    for l in "$log.replay" "$log"; do
      [[ -f "$l" ]] && grep -E 'ERROR: |invariant broken|SUMMARY|Test unit written|runtime error' "$l" | head -8 >&2 || true
    done
    cp "$log.replay" "$ARTIFACTS/$t/replay.log" 2>/dev/null || true
    cp "$log" "$ARTIFACTS/$t/fuzz.log" 2>/dev/null || true
  fi
  echo "fuzz $t execs=$execs crashes=$crashes"
done
exit $failed
