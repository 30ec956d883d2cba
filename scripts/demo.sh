#!/usr/bin/env bash
# The README's demo: parse, validate and roll up the sample reports that ship
# in tests/data/aggregate/samples (synthetic, marked 示例).
set -euo pipefail
build=${1:-build}
cli="$build/bin/gongkai"
samples=tests/data/aggregate/samples
first=$(ls "$samples" | head -n 1)

echo "== gongkai parse $samples/$first (first 12 cells)"
"$cli" parse --output cells "$samples/$first" | head -n 12
echo
echo "== gongkai validate $samples (error findings exit 3; the demo goes on)"
"$cli" validate --output findings "$samples"/* || true
echo
echo "== gongkai aggregate --level province $samples"
"$cli" aggregate --level province --output table "$samples"
