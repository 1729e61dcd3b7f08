#!/usr/bin/env bash
# infra/run-demo.sh — the one command that sets up a fresh machine, builds
# q2o and runs the main job over Kafka, with no Kafka installed:
#
#   q2o-broker        librdkafka's mock cluster in its own process; creates
#                     the topics and prints bootstrap=HOST:PORT
#   q2o-quote-worker  consumes quote.commands; produces quote.events and
#                     quote.results (exactly-once loop, LMDB projection)
#   q2o-erp-worker    consumes quote.events; produces OrderCreated to order.events
#   q2o-demo --bootstrap ...   walks the sample quote through its lifecycle,
#                     each command produced to Kafka, its result awaited
#
# then prints the quote's events (q2octl history), the order (q2octl orders),
# the quote (q2octl show), the hash-chain check (q2octl verify) and how to
# look around. Everything started here is stopped on exit, even on failure.
# Exit status: non-zero when a step of the story misbehaves, a process dies,
# the order does not appear or the log does not verify.
#
#   bash infra/run-demo.sh            the Kafka demo (above)
#   bash infra/run-demo.sh --keep     ... and keep everything running until Ctrl-C
#   bash infra/run-demo.sh --local    the in-process demo (one process, no Kafka)
#
# Environment: Q2O_DATA_DIR (default ./q2o-data; recreated each run, logs in
# $Q2O_DATA_DIR/logs); DEMO_BUILD_DIR (default ./build), DEMO_SKIP_SETUP=1
# and DEMO_SKIP_BUILD=1 (the ctest entry uses both), DEMO_CHECKS=FILE (a bash
# script run while everything is up, with Q2O_BOOTSTRAP, Q2OCTL,
# DEMO_QUOTE_WORKER_PID and DEMO_ERP_WORKER_PID exported; its failure fails
# the run). These are not Q2O_* names on purpose: every q2o process refuses
# an unknown Q2O_* setting. Other Q2O_* settings (runtime/config.h) reach the
# workers and q2octl as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${DEMO_BUILD_DIR:-build}
DATA=${Q2O_DATA_DIR:-q2o-data}
MODE=kafka
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --local) MODE=local ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-demo: unknown argument $arg (--local, --keep, --help)" >&2; exit 2 ;;
  esac
done

now_ms() { date +%s%3N; }
T_START=$(now_ms)
phase() { printf '\n== %s  (+%d ms)\n' "$1" $(( $(now_ms) - T_START )); }

[ "${DEMO_SKIP_SETUP:-0}" = 1 ] || bash infra/setup.sh
if [ "${DEMO_SKIP_BUILD:-0}" != 1 ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  if [ "$MODE" = local ]; then targets=(q2o-demo); else
    targets=(q2o-broker q2o-quote-worker q2o-erp-worker q2o-document-worker q2octl q2o-demo); fi
  cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}"
fi
if [ "$MODE" = local ]; then
  exec "$BUILD/services/demo/q2o-demo" "$DATA"
fi

BROKER=$BUILD/services/broker/q2o-broker
QUOTE=$BUILD/services/quote/q2o-quote-worker
ERP=$BUILD/services/erp/q2o-erp-worker
DOCW=$BUILD/services/document/q2o-document-worker
export Q2OCTL=$ROOT/$BUILD/services/ctl/q2octl
case "$BUILD" in /*) Q2OCTL=$BUILD/services/ctl/q2octl ;; esac
DEMO=$BUILD/services/demo/q2o-demo
for b in "$BROKER" "$QUOTE" "$ERP" "$DOCW" "$Q2OCTL" "$DEMO"; do
  [ -x "$b" ] || { echo "run-demo: $b is not built" >&2; exit 2; }
done

rm -rf "$DATA"
mkdir -p "$DATA/logs"
LOGS=$(cd "$DATA/logs" && pwd)

pids=()
names=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    for _ in $(seq 50); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run-demo: ${names[$i]} did not stop on SIGTERM; killing it" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
    wait "${pids[$i]}" 2>/dev/null || true
  done
  [ ${#pids[@]} -eq 0 ] || echo "run-demo: stopped ${names[*]}; logs in $LOGS"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { # name, log, command...
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

alive() { # fail loudly when a process we started has died
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "run-demo: ${names[$i]} exited; the end of its log:" >&2
      tail -n 20 "$LOGS/${names[$i]}.log" >&2 || true
      exit 1
    fi
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

http_ok() { # port path: HTTP 200?
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
  IFS= read -r -t 2 status <&3 || status=
  exec 3<&- 3>&-
  [[ $status == *" 200"* ]]
}

wait_ready() { # name port
  for _ in $(seq 300); do
    alive
    http_ok "$2" /readyz && return 0
    sleep 0.2
  done
  echo "run-demo: $1 not ready after 60 s (see $LOGS/$1.log)" >&2
  exit 1
}

phase "starting the embedded broker (librdkafka mock cluster, its own process)"
start q2o-broker "$LOGS/q2o-broker.log" "$BROKER"
BOOTSTRAP=
for _ in $(seq 150); do
  alive
  BOOTSTRAP=$(sed -n 's/^bootstrap=//p' "$LOGS/q2o-broker.log" | head -n 1)
  [ -n "$BOOTSTRAP" ] && break
  sleep 0.2
done
[ -n "$BOOTSTRAP" ] || { echo "run-demo: q2o-broker printed no bootstrap= line" >&2; exit 1; }
export Q2O_BOOTSTRAP=$BOOTSTRAP
echo "broker: $BOOTSTRAP (topics created by q2o-broker)"

phase "q2octl catalog load schemas/catalog/saas-suite.json (validated, then published to q2o.catalog)"
"$Q2OCTL" catalog load "$ROOT/schemas/catalog/saas-suite.json" || { echo "run-demo: the sample catalog did not load" >&2; exit 1; }

phase "starting q2o-quote-worker, q2o-erp-worker and q2o-document-worker (separate processes)"
QUOTE_PORT=$(free_port)
ERP_PORT=$(free_port)
DOC_PORT=$(free_port)
# The mock cluster holds a waiting fetch for its whole fetch.wait.max.ms even
# when data arrives (a real broker answers at once): keep it short here.
export Q2O_KAFKA_FETCH_WAIT_MAX_MS=${Q2O_KAFKA_FETCH_WAIT_MAX_MS:-10}
Q2O_DATA_DIR=$DATA/quote-worker Q2O_HTTP_PORT=$QUOTE_PORT Q2O_INSTANCE_ID=quote-demo \
  start q2o-quote-worker "$LOGS/q2o-quote-worker.log" "$QUOTE"
Q2O_DATA_DIR=$DATA/erp-worker Q2O_HTTP_PORT=$ERP_PORT Q2O_INSTANCE_ID=erp-demo \
  start q2o-erp-worker "$LOGS/q2o-erp-worker.log" "$ERP"
Q2O_DATA_DIR=$DATA/document-worker Q2O_HTTP_PORT=$DOC_PORT Q2O_INSTANCE_ID=document-demo \
  Q2O_DOCUMENT_DIR=$DATA/documents start q2o-document-worker "$LOGS/q2o-document-worker.log" "$DOCW"
export DEMO_QUOTE_WORKER_PID=${pids[1]} DEMO_ERP_WORKER_PID=${pids[2]}
wait_ready q2o-quote-worker "$QUOTE_PORT"
wait_ready q2o-erp-worker "$ERP_PORT"
wait_ready q2o-document-worker "$DOC_PORT"
echo "quote worker ready on :$QUOTE_PORT (/healthz /readyz /metrics), erp worker on :$ERP_PORT, document worker on :$DOC_PORT"
T_READY=$(now_ms)

phase "the story over Kafka (q2o-demo --bootstrap $BOOTSTRAP)"
rc=0
"$DEMO" --bootstrap "$BOOTSTRAP" || rc=$?
T_STORY=$(now_ms)
alive

phase "q2octl history Q-1000 (the events, read back from q2o.quote.events)"
"$Q2OCTL" history Q-1000 || rc=1

phase "q2octl orders --quote Q-1000 (the ERP worker's OrderCreated on q2o.order.events)"
"$Q2OCTL" orders --quote Q-1000 --wait-ms 20000 || rc=1

phase "q2octl waterfall Q-1000 (every line's price, step by step, from its QuotePriced event)"
"$Q2OCTL" waterfall Q-1000 || rc=1

phase "the proposals q2o-document-worker rendered ($DATA/documents, named by SHA-256)"
ls -l "$DATA"/documents/*.pdf 2>/dev/null || { echo "run-demo: no proposal PDF was rendered" >&2; rc=1; }
signed=0
for pdf in "$DATA"/documents/*.pdf; do
  [ -f "$pdf" ] || continue
  if "$Q2OCTL" verify-document "$pdf" Q-1000; then signed=$((signed + 1)); fi
done
[ "$signed" -eq 1 ] || { echo "run-demo: expected exactly one PDF to be the signed one, got $signed" >&2; rc=1; }
if command -v pdftotext >/dev/null; then
  for pdf in "$DATA"/documents/*.pdf; do
    "$Q2OCTL" verify-document "$pdf" Q-1000 >/dev/null 2>&1 || continue
    echo "-- pdftotext of the signed proposal (first lines)"; pdftotext -layout "$pdf" - | head -n 25
  done
fi

phase "q2octl show Q-1000"
"$Q2OCTL" show Q-1000 --actor rep-1 --roles SALES_REP || rc=1

phase "q2octl verify Q-1000"
"$Q2OCTL" verify Q-1000 || rc=1

if [ -n "${DEMO_CHECKS:-}" ]; then
  phase "extra checks: $DEMO_CHECKS"
  bash "$DEMO_CHECKS" || rc=1
fi
alive

phase "timings"
echo "workers ready after $(( T_READY - T_START )) ms; the story took $(( T_STORY - T_READY )) ms"

cat <<EOT

== how to look around (while the processes run: bash infra/run-demo.sh --keep)
  export Q2O_BOOTSTRAP=$BOOTSTRAP
  $Q2OCTL show Q-1000 --actor alice@acme.example --roles CUSTOMER
  $Q2OCTL history Q-1000 --json
  $Q2OCTL as-of Q-1000 --version 10
  $Q2OCTL waterfall Q-1000 --revision 1
  $Q2OCTL catalog show --offering SAAS-ENT-USER
  $Q2OCTL note --quote Q-1000 --actor rep-1 --text "customer called"
  $Q2OCTL allowed --status PRESENTED
  kcat -b $BOOTSTRAP -C -t q2o.quote.events -o beginning -e -f '%t[%p]@%o key=%k %h\n'
  kcat -b $BOOTSTRAP -C -t q2o.quote.results -o beginning -e -f '%t[%p]@%o key=%k %h\n'
  curl -s localhost:$QUOTE_PORT/metrics | grep ^q2o_
  logs: $LOGS/*.log   stores: mdb_stat -a $DATA/quote-worker
EOT

if [ "$rc" -ne 0 ]; then
  echo "run-demo: FAILED (see above and $LOGS)" >&2
  exit "$rc"
fi
if [ "$KEEP" = 1 ]; then
  echo
  echo "Everything keeps running; Ctrl-C stops it."
  while true; do alive; sleep 1; done
fi
