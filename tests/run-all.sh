#!/usr/bin/env bash
# tests/run-all.sh — the one command that sets up a fresh machine and runs
# every test tier CI runs: the normal build and the ASan+UBSan build, each
# through ctest (Criterion suites: core, domain, model, codec incl. the
# cross-check against fastavro, LMDB store incl. crash tests, runtime; the
# demo; the compose file).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0

# Criterion runs each test in a forked child; a sanitizer report printed by
# a child after its test passed would not fail it, so the logs are searched.
run_build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  local rc=0
  (cd "$dir" && ctest --output-on-failure -O ctest-full.log) || rc=$?
  local total fails
  total=$(grep -oE "tests failed out of [0-9]+" "$dir/ctest-full.log" | grep -oE "[0-9]+$" || echo 0)
  fails=$(grep -oE "[0-9]+ tests failed out of" "$dir/ctest-full.log" | grep -oE "^[0-9]+" || echo 0)
  passed=$((passed + total - fails))
  failed=$((failed + fails))
  if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$dir/ctest-full.log"; then
    grep -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$dir/ctest-full.log" | head -20
    echo "sanitizer reports in $dir/ctest-full.log"
    failed=$((failed + 1))
    rc=1
  fi
  return $rc
}

status=0
echo "== build and test (RelWithDebInfo)"
run_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo || status=1
echo "== build and test (ASan + UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# System tests (a real Kafka broker) run once, in the normal build above.
run_build build-asan -DCMAKE_BUILD_TYPE=Debug -DQ2O_SANITIZE=ON -DQ2O_SYSTEM_TESTS=OFF || status=1
echo "tests: $passed passed, $failed failed"
exit $status
