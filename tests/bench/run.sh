#!/usr/bin/env bash
# tests/bench/run.sh — q2o's benchmark on a real Apache Kafka, in one run
# (method: tests/bench/README.md). Builds RelWithDebInfo into build-bench/,
# starts its own one-node Kafka 3.9 from infra/kafka (127.0.0.1:19692, in a
# temp dir under build-bench/), runs every measurement, prints a table and
# stops everything it started.
#
#   (a) commands/s through the quote worker with exactly-once: the driver
#       pre-loads N commands, then a fresh worker starts; the rate is
#       (results - 1) / (last - first result timestamp);
#   (b) the same N messages through q2o-bench-passthrough, a raw
#       transactional consume -> produce copier with the same batch settings
#       (1 output per input, and 2 outputs per input like the worker's result
#       + event), same broker, same rate definition;
#   (c) the ratio (a) / (b);
#   (d) p50/p99 command-to-result latency at half of (a)'s median rate;
#   (e) restore: a worker with an empty LMDB restores the partitions of (a)
#       (>= 50k events): events / (time from assignment to the last
#       partition restored, from the worker's own log), and the time from
#       process start to /readyz.
# Repetitions: BENCH_REPS (3); medians are reported.
# Knobs: BENCH_COMMANDS (60000), BENCH_QUOTES (600), BENCH_REPS (3),
# BENCH_LATENCY_SECONDS (30), Q2O_BATCH_MAX (500), Q2O_BATCH_WAIT_MS (20).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
KAFKA=$ROOT/infra/kafka/kafka.sh
PORT=19692
HTTP=19694
N=${BENCH_COMMANDS:-60000}
Q=${BENCH_QUOTES:-600}
REPS=${BENCH_REPS:-3}
LAT_S=${BENCH_LATENCY_SECONDS:-30}
export Q2O_BATCH_MAX=${Q2O_BATCH_MAX:-500}
export Q2O_BATCH_WAIT_MS=${Q2O_BATCH_WAIT_MS:-20}
export Q2O_PARTITIONS=6
export Q2O_LOG_LEVEL=info
export Q2O_KAFKA_SESSION_TIMEOUT_MS=6000
export Q2O_KAFKA_HEARTBEAT_INTERVAL_MS=1500

log() { echo "== [$SECONDS s] $*" >&2; }

# ---------------------------------------------------------------- build
log "build (RelWithDebInfo) in $BUILD"
extra=()
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQ2O_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" --target q2o-quote-worker q2octl q2o-eos-driver q2o-eos-check q2o-bench-passthrough >/dev/null
QUOTE_BIN=$BUILD/services/quote/q2o-quote-worker
CTL_BIN=$BUILD/services/ctl/q2octl
DRIVER=$BUILD/tests/tools/eos/q2o-eos-driver
CHECK=$BUILD/tests/tools/eos/q2o-eos-check
PASS=$BUILD/tests/bench/q2o-bench-passthrough

# ---------------------------------------------------------------- kafka
WORK=$(mktemp -d "$BUILD/q2o-bench.XXXXXX")
CLUSTER=$WORK/cluster
WPID=
cleanup() {
  local rc=$?
  [ -n "$WPID" ] && kill -KILL "$WPID" 2>/dev/null || true
  [ -f "$CLUSTER/nodes" ] && bash "$KAFKA" stop --dir "$CLUSTER" >/dev/null 2>&1 || true
  [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
log "start one Kafka node on port $PORT"
export Q2O_BOOTSTRAP=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" 2>"$WORK/kafka.err" | tail -n 1)

http() { curl -sf --max-time 2 "http://127.0.0.1:$HTTP$1" 2>/dev/null; }
metric() { http /metrics | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%d\n", s + 0 }'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# start_worker PREFIX NAME: a quote worker on PREFIX with data dir $WORK/NAME
start_worker() {
  Q2O_TOPIC_PREFIX=$1 Q2O_DATA_DIR="$WORK/$2" Q2O_INSTANCE_ID="bench-$2" Q2O_GROUP_ID="bench-quote-$1" \
    Q2O_HTTP_PORT=$HTTP "$QUOTE_BIN" >>"$WORK/$2.log" 2>&1 &
  WPID=$! WPREFIX=$1 WNAME=$2
}
# wait_ready [SECONDS]: until /readyz answers 200. A worker that dies
# before (see README.md: a restore right after topic creation can fail with
# KAFKA_RETRIABLE, which the worker treats as fatal) is started again, as a
# supervisor would, and counted.
EARLY_DEATHS=0
wait_ready() {
  local deadline=$((SECONDS + ${1:-300}))
  until http /readyz >/dev/null; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$WORK"/*.log >&2; echo "worker not ready" >&2; exit 1; }
    if ! kill -0 "$WPID" 2>/dev/null; then
      wait "$WPID" 2>/dev/null || true
      EARLY_DEATHS=$((EARLY_DEATHS + 1))
      echo "   the worker exited before it was ready (restarting it): $(grep -h '"restore failed"' "$WORK/$WNAME.log" | tail -n 1)" >&2
      start_worker "$WPREFIX" "$WNAME"
    fi
    sleep 0.02
  done
}
stop_worker() {
  kill -TERM "$WPID" 2>/dev/null || true
  wait "$WPID" 2>/dev/null || true
  WPID=
}
# restore seconds from the worker's log: first "partitions assigned" of the
# last start to the last "partition restored" after it.
restore_seconds() {
  python3 - "$1" <<'EOF'
import json, sys, datetime
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
start = max(i for i, l in enumerate(lines) if l.get('msg') == 'worker starting')
t = lambda l: datetime.datetime.strptime(l['ts'], '%Y-%m-%dT%H:%M:%S.%fZ').timestamp()
assigned = next(l for l in lines[start:] if l.get('msg') == 'partitions assigned')
restored = [l for l in lines[start:] if l.get('msg') == 'partition restored']
if not restored:
    print('0 0'); sys.exit(0)
print('%.3f %d' % (t(restored[-1]) - t(assigned), sum(int(l['events_read']) for l in restored)))
EOF
}

declare -a R_EVENTS R_EOS R_PASS1 R_PASS2 R_WALL R_RESTORE R_NET R_READY R_WARM
for rep in $(seq 1 "$REPS"); do
  P="bench$rep."
  export Q2O_TOPIC_PREFIX=$P
  log "rep $rep: topics $P*, pre-load $N commands over $Q quotes"
  "$CTL_BIN" topics create >/dev/null
  "$CTL_BIN" catalog load "$ROOT/schemas/catalog/saas-suite.json" >/dev/null
  for c in 1 2; do bash "$KAFKA" create-topic "${P}passthrough$c" --partitions 6 --dir "$CLUSTER" >/dev/null 2>&1; done
  "$DRIVER" --commands "$N" --quotes "$Q" --out "$WORK/cmds$rep.txt" --tag "b$rep" >"$WORK/driver$rep.out" 2>&1

  log "rep $rep: (a) quote worker, exactly-once"
  t0=$(now_ms)
  start_worker "$P" "w$rep"
  out=$("$CHECK" --count-topic "${P}quote.results" --expect "$N" --wait-ms 900000)
  wall=$((($(now_ms) - t0)))
  stop_worker
  R_EOS+=("$(sed -nE 's/^COUNT_RESULT .* rate=([0-9.]+)$/\1/p' <<<"$out")")
  R_WALL+=("$(awk -v n="$N" -v ms="$wall" 'BEGIN { printf "%.1f", n * 1000 / ms }')")
  log "rep $rep: (a) ${R_EOS[-1]} commands/s by result timestamps (${R_WALL[-1]}/s from process start)"

  log "rep $rep: (b) passthrough x1 and x2"
  for c in 1 2; do
    "$PASS" --in "${P}quote.commands" --out "${P}passthrough$c" --expect "$N" --copies $c --group "bench-pass$c-$rep" \
      --txn-id "bench-pass$c-$rep" --batch-max "$Q2O_BATCH_MAX" --batch-wait-ms "$Q2O_BATCH_WAIT_MS" >"$WORK/pass$c-$rep.out"
    out=$("$CHECK" --count-topic "${P}passthrough$c" --expect $((N * c)) --wait-ms 120000)
    r=$(sed -nE 's/^COUNT_RESULT .* rate=([0-9.]+)$/\1/p' <<<"$out")
    r=$(awk -v r="$r" -v c=$c 'BEGIN { printf "%.1f", r / c }') # input messages/s
    if [ $c = 1 ]; then R_PASS1+=("$r"); else R_PASS2+=("$r"); fi
    log "rep $rep: (b) passthrough x$c: $r input messages/s"
  done

  log "rep $rep: (e) restore: empty LMDB, same partitions"
  start_worker "$P" "w$rep"; wait_ready; stop_worker                 # warm: intact LMDB
  warm=$(restore_seconds "$WORK/w$rep.log" 2>/dev/null | cut -d' ' -f1 || echo 0)
  rm -rf "$WORK/w$rep"
  t0=$(now_ms)
  start_worker "$P" "w$rep"; wait_ready
  ready=$((($(now_ms) - t0)))
  stop_worker
  read -r secs events < <(restore_seconds "$WORK/w$rep.log")
  R_RESTORE+=("$(awk -v e="$events" -v s="$secs" 'BEGIN { printf "%.0f", e / s }')")
  R_NET+=("$(awk -v e="$events" -v s="$secs" -v w="$warm" 'BEGIN { printf "%.0f", (s > w ? e / (s - w) : 0) }')")
  R_READY+=("$ready")
  R_EVENTS+=("$events")
  R_WARM+=("$warm")
  log "rep $rep: (e) $events events restored in $secs s (${R_RESTORE[-1]} events/s); ready $ready ms after start; warm restart restore pass $warm s"
done

EOS=$(printf '%s\n' "${R_EOS[@]}" | median)
PASS1=$(printf '%s\n' "${R_PASS1[@]}" | median)
PASS2=$(printf '%s\n' "${R_PASS2[@]}" | median)
WALL=$(printf '%s\n' "${R_WALL[@]}" | median)
RESTORE=$(printf '%s\n' "${R_RESTORE[@]}" | median)
READY=$(printf '%s\n' "${R_READY[@]}" | median)

# ------------------------------------------------------------ (d) latency
RATE=$(awk -v r="$EOS" 'BEGIN { printf "%d", r / 2 }')
LN=$((RATE * LAT_S))
LQ=$(((LN + 99) / 100))
P="benchlat."
export Q2O_TOPIC_PREFIX=$P
log "(d) latency at $RATE commands/s (half of $EOS) for ${LAT_S} s: $LN commands"
"$CTL_BIN" topics create >/dev/null
"$CTL_BIN" catalog load "$ROOT/schemas/catalog/saas-suite.json" >/dev/null
start_worker "$P" wlat; wait_ready
lat=$("$DRIVER" --commands "$LN" --quotes "$LQ" --rate "$RATE" --latency --out "$WORK/cmdslat.txt" --tag lat 2>/dev/null | grep '^latency:')
stop_worker
P50=$(sed -nE 's/.*p50 ([0-9.]+) ms.*/\1/p' <<<"$lat")
P99=$(sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p' <<<"$lat")
PMAX=$(sed -nE 's/.*max ([0-9.]+) ms.*/\1/p' <<<"$lat")
log "(d) $lat"

# ---------------------------------------------------------------- table
cpu=$(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
EVENTS=$((N - Q)) # every command writes one event except the retried conversion
echo
echo "q2o benchmark — $(date -u +%Y-%m-%dT%H:%MZ), Kafka 3.9.2 (one KRaft node, loopback), librdkafka $(pkg-config --modversion rdkafka)"
echo "machine: $(nproc) CPUs ($cpu), $mem RAM, $(uname -sr)"
echo "load: $N commands over $Q quotes (~$EVENTS events), 6 partitions, batch $Q2O_BATCH_MAX / ${Q2O_BATCH_WAIT_MS} ms, LMDB sync nometa; $REPS repetitions, medians"
echo
printf '| %-64s | %-22s |\n' "measure" "result"
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..66})" "$(printf -- '-%.0s' {1..24})"
printf '| %-64s | %-22s |\n' "(a) quote worker, exactly-once: commands/s" "$EOS ($(IFS=/; echo "${R_EOS[*]}"))"
printf '| %-64s | %-22s |\n' "    same, from process start to the last result (join + restore)" "$WALL"
printf '| %-64s | %-22s |\n' "(b) raw transactional passthrough, 1 output per input: msgs/s" "$PASS1 ($(IFS=/; echo "${R_PASS1[*]}"))"
printf '| %-64s | %-22s |\n' "    raw transactional passthrough, 2 outputs per input: msgs/s" "$PASS2 ($(IFS=/; echo "${R_PASS2[*]}"))"
printf '| %-64s | %-22s |\n' "(c) ratio (a) / (b) 1 output  [aim >= 50 %]" "$(awk -v a="$EOS" -v b="$PASS1" 'BEGIN { printf "%.0f %%", 100 * a / b }')"
printf '| %-64s | %-22s |\n' "    ratio (a) / (b) 2 outputs (result + event, like the worker)" "$(awk -v a="$EOS" -v b="$PASS2" 'BEGIN { printf "%.0f %%", 100 * a / b }')"
printf '| %-64s | %-22s |\n' "(d) command-to-result latency at $RATE/s: p50 / p99 / max (ms)" "$P50 / $P99 / $PMAX"
printf '| %-64s | %-22s |\n' "(e) restore from an empty LMDB: events/s" "$RESTORE ($(IFS=/; echo "${R_RESTORE[*]}"))"
printf '| %-64s | %-22s |\n' "    same, without the fixed per-partition cost (minus the intact pass)" "$(printf '%s\n' "${R_NET[@]}" | median)"
printf '| %-64s | %-22s |\n' "    process start to /readyz with an empty LMDB (ms)" "$READY"
printf '| %-64s | %-22s |\n' "    restore pass with an intact LMDB, nothing to apply (s)" "$(printf '%s\n' "${R_WARM[@]}" | median)"
echo "events per restore: $(IFS=/; echo "${R_EVENTS[*]}")"
echo "workers that exited before ready and were restarted: $EARLY_DEATHS"
