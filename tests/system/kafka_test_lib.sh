# tests/system/kafka_test_lib.sh — sourced by the *_test.sh system tests that
# start a real Kafka from infra/kafka/kafka.sh. Not a test itself (ctest
# registers only *_test.sh).
#
# After sourcing: ROOT, KAFKA (path of kafka.sh), WORK (a fresh temp dir,
# removed at exit), CLUSTER (the run dir for kafka.sh --dir). An EXIT trap
# stops the cluster (SIGTERM, then SIGKILL) and removes WORK, on success and
# on failure alike.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KAFKA=$ROOT/infra/kafka/kafka.sh
BUILD_DIR=${1:-}
# The temp dir must allow exec (the JVM's compression codecs unpack native
# libraries into java.io.tmpdir, which kafka.sh puts inside the run dir): the
# build dir does, so prefer it.
if [ -n "$BUILD_DIR" ] && [ -d "$BUILD_DIR" ]; then
  WORK_PARENT=$(cd "$BUILD_DIR" && pwd)
else
  WORK_PARENT=${TMPDIR:-/tmp}
fi
# A previous run of this test that was killed outright (SIGKILL, e.g. a
# ctest timeout) could not run its trap: stop its brokers (which would hold
# the ports) and remove its dir.
for stale in "$WORK_PARENT"/q2o-$(basename "$0" .sh).*; do
  [ -d "$stale" ] || continue
  echo "removing the leftovers of an earlier run: $stale"
  [ -f "$stale/cluster/nodes" ] && bash "$KAFKA" stop --dir "$stale/cluster" || true
  rm -rf "$stale"
done
WORK=$(mktemp -d "$WORK_PARENT/q2o-$(basename "$0" .sh).XXXXXX")
CLUSTER=$WORK/cluster
T0=$SECONDS

kafka_test_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -f "$CLUSTER/nodes" ]; then
    bash "$KAFKA" stop --dir "$CLUSTER" >/dev/null 2>&1 || bash "$KAFKA" stop --dir "$CLUSTER" || true
  fi
  if [ "$rc" -ne 0 ] && [ -d "$CLUSTER" ]; then
    for log in "$CLUSTER"/node-*/server.log; do
      [ -f "$log" ] || continue
      echo "---- last lines of $log"
      tail -n 30 "$log"
    done
  fi
  rm -rf "$WORK"
  if [ "$rc" -eq 0 ]; then echo "PASS $(basename "$0") in $((SECONDS - T0)) s"; else echo "FAIL $(basename "$0") (exit $rc) after $((SECONDS - T0)) s"; fi
  exit "$rc"
}
trap kafka_test_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { echo "== [$((SECONDS - T0))s] $*"; }
ok() { echo "   ok: $*"; }
fail() { echo "   FAILED: $*"; exit 1; }

# wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.5 s. A
# COMMAND may set WAIT_NOTE to say what it saw last (printed on failure).
WAIT_NOTE=
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  WAIT_NOTE=
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within ${limit}s${WAIT_NOTE:+ (last: $WAIT_NOTE)}"
    sleep 0.5
  done
}

# metadata BOOTSTRAP [kcat args]: kcat -L, bounded in time.
metadata() { local bs=$1; shift; timeout 20 kcat -L -b "$bs" -m 5 "$@" 2>/dev/null; }
broker_count() { metadata "$1" | sed -nE 's/^ ([0-9]+) brokers:$/\1/p'; }

# produce BOOTSTRAP TOPIC [kcat -X args]: lines on stdin, one record each.
produce() {
  local bs=$1 topic=$2; shift 2
  timeout 60 kcat -P -b "$bs" -t "$topic" -X acks=all -X message.timeout.ms=45000 "$@" 2>"$WORK/kcat-produce.err" ||
    { cat "$WORK/kcat-produce.err"; fail "kcat produce to $topic"; }
  # kcat logs a refused connection to a stopped bootstrap broker and goes
  # on; a failed delivery shows as "Delivery failed" / "ERROR" lines.
  if grep -qiE "delivery failed|failed to produce" "$WORK/kcat-produce.err"; then
    cat "$WORK/kcat-produce.err"; fail "kcat produce to $topic: delivery failed"
  fi
}

# consume BOOTSTRAP TOPIC [kcat args]: every record value from the beginning,
# one a line, until the end of every partition.
consume() {
  local bs=$1 topic=$2; shift 2
  timeout 60 kcat -C -b "$bs" -t "$topic" -o beginning -e -q -f '%s\n' "$@" 2>"$WORK/kcat-consume.err" ||
    { cat "$WORK/kcat-consume.err" >&2; fail "kcat consume from $topic"; }
}
