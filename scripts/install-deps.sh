#!/usr/bin/env bash
# Installs every Debian package gongkai needs to build, test and run (as root,
# or via sudo). Skips apt entirely when all are already installed.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libicu-dev libhiredis-dev libssl-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libgumbo-dev libzip-dev libxml2-dev libxlsxwriter-dev poppler-utils
  redis-server yamllint openssl
  # scripts/fuzz.sh (libFuzzer) and scripts/sanitize.sh: clang with its
  # fuzzer and sanitizer runtimes; llvm for llvm-symbolizer in reports.
  clang libclang-rt-14-dev llvm
  # The profiles in BENCHMARKS.md: callgrind instruction counts and perf.
  valgrind linux-perf
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# kubectl (for the deploy tests' `kubectl kustomize`) comes from Debian's
# kubernetes-client unless some kubectl is already installed.
if ! command -v kubectl >/dev/null 2>&1; then missing+=(kubernetes-client); fi
# node and npm (for the deploy tests' schema checks) from Debian unless some
# node/npm is already installed.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
