# tests/system/quote_eos_lib.sh — sourced by the quote_*_test.sh system
# tests after kafka_test_lib.sh: the q2o binaries of the build dir, worker
# processes under a small supervisor (restarts a worker that exits, as
# systemd or Kubernetes would), readiness and metrics probes, and the
# exactly-once tools (tests/tools/eos). Not a test itself.

[ -n "$BUILD_DIR" ] || { echo "usage: $0 BUILD_DIR"; exit 2; }
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
QUOTE_BIN=$BUILD_DIR/services/quote/q2o-quote-worker
ERP_BIN=$BUILD_DIR/services/erp/q2o-erp-worker
CTL_BIN=$BUILD_DIR/services/ctl/q2octl
DRIVER=$BUILD_DIR/tests/tools/eos/q2o-eos-driver
CHECK=$BUILD_DIR/tests/tools/eos/q2o-eos-check
# The catalog the workers price with and the driver plans with (its default).
SAMPLE_CATALOG=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/schemas/catalog/saas-suite.json
for b in "$QUOTE_BIN" "$ERP_BIN" "$CTL_BIN" "$DRIVER" "$CHECK"; do
  [ -x "$b" ] || { echo "missing $b (build the tree first)"; exit 1; }
done
export Q2O_TOPIC_PREFIX=q2o.
export Q2O_PARTITIONS=6
export Q2O_LOG_LEVEL=${Q2O_LOG_LEVEL:-info}
# A SIGKILLed member stays in the group until its session times out; the
# librdkafka 2.0 default (45 s) would make every restart wait that long.
# 6 s is the broker's minimum (group.min.session.timeout.ms).
export Q2O_KAFKA_SESSION_TIMEOUT_MS=${Q2O_KAFKA_SESSION_TIMEOUT_MS:-6000}
export Q2O_KAFKA_HEARTBEAT_INTERVAL_MS=${Q2O_KAFKA_HEARTBEAT_INTERVAL_MS:-1500}

SUPERVISED=()   # names of supervised workers, for the cleanup

# supervise NAME BINARY PORT [VAR=VALUE...]: run BINARY in the background
# with the given environment (plus Q2O_HTTP_PORT=PORT), restart it 0.3 s
# after it exits, until $WORK/NAME.stop exists. $WORK/NAME.pid holds the
# current pid; $WORK/NAME.exits gets one line per exit ("<seconds> <rc>");
# the log is $WORK/NAME.log (appended).
supervise() {
  local name=$1 bin=$2 port=$3; shift 3
  rm -f "$WORK/$name.stop"; : >"$WORK/$name.exits"
  (
    trap '' INT
    while [ ! -f "$WORK/$name.stop" ]; do
      env "$@" Q2O_HTTP_PORT="$port" "$bin" >>"$WORK/$name.log" 2>&1 &
      echo $! >"$WORK/$name.pid"
      rc=0; wait $! || rc=$?
      echo "$SECONDS $rc" >>"$WORK/$name.exits"
      [ -f "$WORK/$name.stop" ] && break
      sleep 0.3
    done
  ) 2>>"$WORK/$name.supervisor.log" &
  echo $! >"$WORK/$name.supervisor"
  SUPERVISED+=("$name")
}

# unsupervise NAME: stop restarting it, SIGTERM the worker, wait for both.
unsupervise() {
  local name=$1 pid sup
  touch "$WORK/$name.stop"
  pid=$(cat "$WORK/$name.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  sup=$(cat "$WORK/$name.supervisor" 2>/dev/null || true)
  if [ -n "$sup" ]; then
    for _ in $(seq 1 120); do kill -0 "$sup" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$sup" 2>/dev/null; then
      echo "   $name did not stop within 30 s of SIGTERM: SIGKILL"
      [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$sup" 2>/dev/null || true
  fi
}

# The last exit code of a supervised worker ("" if it never exited).
last_exit() { tail -n 1 "$WORK/$1.exits" 2>/dev/null | cut -d' ' -f2; }

eos_cleanup_workers() {
  local n pid
  for n in "${SUPERVISED[@]}"; do
    touch "$WORK/$n.stop"
    pid=$(cat "$WORK/$n.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  for n in "${SUPERVISED[@]}"; do
    pid=$(cat "$WORK/$n.supervisor" 2>/dev/null || true)
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
}

# http PORT PATH: the body (empty and non-zero exit if not 200).
http() { curl -sf --max-time 2 "http://127.0.0.1:$1$2" 2>/dev/null; }
ready() { http "$1" /readyz >/dev/null; }
# metric PORT NAME: the sum of a Prometheus metric's samples (0 if absent).
metric() { http "$1" /metrics | awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d\n", s + 0 }'; }

# A random number of milliseconds in [lo, hi].
rand_ms() { echo $(($1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1))); }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# Print a worker's log tail (on failure).
show_log() { echo "---- last lines of $WORK/$1.log"; tail -n "${2:-40}" "$WORK/$1.log" 2>/dev/null | cut -c1-400; }
