#!/usr/bin/env bash
# tests/run-all.sh — the one command that sets up a fresh machine and runs
# every test tier CI runs: the normal build and the ASan+UBSan build, each
# through ctest (Criterion suites: unit, model, codec incl. the cross-check
# against fastavro, LMDB store incl. crash tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
run_build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j 1)
}

echo "== build and test (RelWithDebInfo)"
run_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== build and test (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_build build-asan -DCMAKE_BUILD_TYPE=Debug -DQ2O_SANITIZE=ON
echo "all test tiers passed"
