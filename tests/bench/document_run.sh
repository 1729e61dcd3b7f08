#!/usr/bin/env bash
# tests/bench/document_run.sh — the document worker's throughput end to end
# on a real Apache Kafka (one KRaft node from infra/kafka on 127.0.0.1:19892),
# in one run:
#   1. q2o-eos-driver produces full lifecycles for BENCH_DOC_QUOTES quotes
#      (each auto-approved once: one QuoteApproved per quote);
#   2. the quote worker handles them all, then stops;
#   3. q2o-document-worker starts on that backlog of quote events and, per
#      approved revision, folds the events into its LMDB copy, renders the
#      proposal PDF (deterministic, content-addressed file: temp + fsync +
#      rename), and produces DocumentGenerated + AttachQuoteDocument in its
#      exactly-once transaction;
#   4. rate = documents / (last - first DocumentGenerated timestamp), and
#      the wall time from the document worker's start to the last one.
# Repetitions: BENCH_REPS (3); medians. Prints figures only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
KAFKA=$ROOT/infra/kafka/kafka.sh
PORT=19892
HTTP=19894
Q=${BENCH_DOC_QUOTES:-500}
N=$((Q * 10))
REPS=${BENCH_REPS:-3}
export Q2O_PARTITIONS=6 Q2O_LOG_LEVEL=warn Q2O_KAFKA_SESSION_TIMEOUT_MS=6000 Q2O_KAFKA_HEARTBEAT_INTERVAL_MS=1500

log() { echo "== [$SECONDS s] $*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

log "build (RelWithDebInfo) in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQ2O_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" --target q2o-quote-worker q2o-document-worker q2octl q2o-eos-driver q2o-eos-check >/dev/null
QUOTE_BIN=$BUILD/services/quote/q2o-quote-worker
DOC_BIN=$BUILD/services/document/q2o-document-worker
CTL_BIN=$BUILD/services/ctl/q2octl
DRIVER=$BUILD/tests/tools/eos/q2o-eos-driver
CHECK=$BUILD/tests/tools/eos/q2o-eos-check

WORK=$(mktemp -d "$BUILD/q2o-docbench.XXXXXX")
CLUSTER=$WORK/cluster
PIDS=()
cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  [ -f "$CLUSTER/nodes" ] && bash "$KAFKA" stop --dir "$CLUSTER" >/dev/null 2>&1
  [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
log "start one Kafka node on port $PORT"
export Q2O_BOOTSTRAP=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" 2>"$WORK/kafka.err" | tail -n 1)

ready() { curl -sf --max-time 2 "http://127.0.0.1:$HTTP/readyz" >/dev/null 2>&1; }
wait_ready() {
  local deadline=$((SECONDS + 300))
  until ready; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$WORK"/*.log >&2; echo "worker not ready" >&2; exit 1; }
    sleep 0.05
  done
}

declare -a R_RATE R_WALL
for rep in $(seq 1 "$REPS"); do
  P="docbench$rep."
  export Q2O_TOPIC_PREFIX=$P
  log "rep $rep: topics $P*, catalog, $N commands over $Q quotes"
  "$CTL_BIN" topics create >/dev/null
  "$CTL_BIN" catalog load "$ROOT/schemas/catalog/saas-suite.json" >/dev/null
  "$DRIVER" --commands "$N" --quotes "$Q" --out "$WORK/cmds$rep.txt" --tag "d$rep" >"$WORK/driver$rep.out" 2>&1

  log "rep $rep: the quote worker handles them"
  Q2O_DATA_DIR="$WORK/q$rep" Q2O_INSTANCE_ID="docbench-q$rep" Q2O_HTTP_PORT=$HTTP "$QUOTE_BIN" >>"$WORK/q$rep.log" 2>&1 &
  PIDS+=($!)
  "$CHECK" --count-topic "${P}quote.results" --expect "$N" --wait-ms 900000 >/dev/null
  kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

  log "rep $rep: the document worker renders the backlog ($Q approved revisions)"
  t0=$(now_ms)
  Q2O_DATA_DIR="$WORK/d$rep" Q2O_INSTANCE_ID="docbench-d$rep" Q2O_HTTP_PORT=$HTTP \
    Q2O_DOCUMENT_DIR="$WORK/d$rep/documents" "$DOC_BIN" >>"$WORK/d$rep.log" 2>&1 &
  PIDS+=($!)
  out=$("$CHECK" --count-topic "${P}document.events" --expect "$Q" --wait-ms 900000)
  wall=$(($(now_ms) - t0))
  kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  pdfs=$(find "$WORK/d$rep/documents" -name '*.pdf' | wc -l)
  [ "$pdfs" -eq "$Q" ] || { echo "expected $Q PDFs, found $pdfs" >&2; exit 1; }
  R_RATE+=("$(sed -nE 's/^COUNT_RESULT .* rate=([0-9.]+)$/\1/p' <<<"$out")")
  R_WALL+=("$(awk -v n="$Q" -v ms="$wall" 'BEGIN { printf "%.1f", n * 1000 / ms }')")
  log "rep $rep: ${R_RATE[-1]} documents/s by event timestamps, ${R_WALL[-1]}/s from process start ($pdfs PDFs)"
done

cpu=$(lscpu 2>/dev/null | sed -nE 's/^Model name:[[:space:]]+//p' | head -n 1)
cat <<EOT

q2o document worker benchmark — $(date -u +%Y-%m-%dT%H:%MZ), Kafka 3.9.2 (one KRaft node, loopback)
machine: $(nproc) CPUs (${cpu:-unknown}), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM
load: $Q approved quotes (2 lines each), a backlog of quote events; $REPS repetitions, medians

| measure                                                    | result |
|------------------------------------------------------------|--------|
| documents/s (first to last DocumentGenerated timestamp)     | $(printf '%s\n' "${R_RATE[@]}" | median) (${R_RATE[*]}) |
| documents/s from process start (join, catch-up included)   | $(printf '%s\n' "${R_WALL[@]}" | median) (${R_WALL[*]}) |
EOT
