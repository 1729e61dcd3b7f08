#!/usr/bin/env bash
# ctest ctl_demo_kafka: the Kafka demo end to end on the embedded broker —
# infra/run-demo.sh with q2o-broker, q2o-quote-worker and q2o-erp-worker as
# separate processes, the story over Kafka, history, the order, show and
# verify — plus q2octl's behaviour against the running system
# (ctl_demo_checks.sh: JSON sends, refusals, exit codes, time travel,
# timeouts, idempotent re-sends).
#
# usage: ctl_demo_test.sh BUILD_DIR     (exit 77 = skipped: binaries missing)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for b in services/broker/q2o-broker services/quote/q2o-quote-worker services/erp/q2o-erp-worker \
         services/ctl/q2octl services/demo/q2o-demo; do
  if [ ! -x "$BUILD/$b" ]; then echo "skipped: $BUILD/$b is not built"; exit 77; fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/q2o-ctl-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/run.out
rc=0
DEMO_SKIP_SETUP=1 DEMO_SKIP_BUILD=1 DEMO_BUILD_DIR="$BUILD" Q2O_DATA_DIR="$tmp/data" \
  DEMO_CHECKS="$ROOT/tests/integration/ctl_demo_checks.sh" \
  bash "$ROOT/infra/run-demo.sh" >"$out" 2>&1 || rc=$?
cat "$out"
fail() { echo "ctl_demo_test: FAIL: $*" >&2; exit 1; }
[ "$rc" -eq 0 ] || fail "run-demo.sh exited $rc"
grep -q "Every step behaved as the story expects." "$out" || fail "the story misbehaved"
grep -q "^OrderCreated ORD-" "$out" || fail "no OrderCreated printed"
grep -q "QuoteConvertedToOrder" "$out" || fail "history lacks the conversion"
grep -q "^Q-1000: ok" "$out" || fail "verify did not say ok"
grep -q "Current revision 2: CONVERTED" "$out" || fail "show did not print the converted revision"
grep -q "ctl checks: all passed" "$out" || fail "the q2octl checks did not finish"
grep -q "run-demo: stopped q2o-broker q2o-quote-worker q2o-erp-worker" "$out" || fail "processes not stopped"
echo "ctl_demo_test: ok"
