#!/usr/bin/env bash
# tests/system/quote_exactly_once_test.sh BUILD_DIR — exactly-once under
# failure on a real Apache Kafka (infra/kafka), modelled on Kafka's own
# exactly-once system test (a copier killed with SIGKILL while a bounded
# input flows, then the output is checked for loss and duplicates).
#
#   - one KRaft node on 127.0.0.1:19392 (controller :19393), 6 partitions
#     per topic; the quote worker (/readyz on :19394) and the ERP worker
#     (:19395), each under a supervisor that restarts it when it exits;
#   - q2o-eos-driver produces EOS_COMMANDS (20,000) commands over
#     EOS_QUOTES (200) quotes, each a full lifecycle up to an order and a
#     retried conversion, at EOS_RATE (100) commands/s so that commands flow all
#     through the failure phase;
#   - meanwhile the quote worker gets SIGKILL EOS_KILLS (11) times, each
#     0.5-3 s (random) after it was ready again and had consumed its first
#     commands, always while the driver is still producing; in the middle the broker is SIGKILLed and restarted
#     (kill-node + restart-node);
#   - then q2o-eos-check waits until every command has a result, the
#     workers stop cleanly (SIGTERM, exit 0), and q2o-eos-check verifies:
#     exactly one result per command, contiguous versions and verified
#     hash chains, no command producing events twice, the LMDB projection
#     equal to the fold of the events topic, exactly one order per
#     converted revision, the retried conversions answered with the same
#     order id, no dead letters.
#
# Why one node: the broker restart then takes away EVERYTHING at once — the
# partition leaders, the group coordinator and the transaction
# coordinator — so every in-flight transaction of the worker and of the ERP
# worker has an unknown outcome and must be recovered (aborted, fenced or
# completed) when the broker comes back; with three nodes the same restart
# only moves leaders. It also fits the 2-core CI machine (three JVMs plus
# the workers do not). Kafka's replication is Kafka's to test.
set -euo pipefail
source "$(dirname "$0")/kafka_test_lib.sh"
source "$(dirname "$0")/quote_eos_lib.sh"
trap 'rc=$?; set +e; eos_cleanup_workers; (exit $rc); kafka_test_cleanup' EXIT

PORT=19392
QUOTE_HTTP=19394
ERP_HTTP=19395
N=${EOS_COMMANDS:-20000}
Q=${EOS_QUOTES:-200}
RATE=${EOS_RATE:-100}
KILLS=${EOS_KILLS:-11}
BROKER_RESTART_AFTER=$((KILLS / 2))

on_failure() {
  show_log quote 60; show_log erp 20
  echo "---- quote worker exits (seconds rc):"; cat "$WORK/quote.exits" 2>/dev/null || true
}

step "start one Kafka node on port $PORT"
BS=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" | tail -n 1)
export Q2O_BOOTSTRAP=$BS
ok "bootstrap $BS"

step "create the q2o topics (6 partitions)"
"$CTL_BIN" topics create >/dev/null || fail "q2octl topics create"
"$CTL_BIN" catalog load "$SAMPLE_CATALOG" >/dev/null || fail "q2octl catalog load"
ok "topics created"

step "start the ERP and quote workers (supervised)"
supervise erp "$ERP_BIN" $ERP_HTTP Q2O_DATA_DIR="$WORK/erp-data" Q2O_INSTANCE_ID=erp-eos-1
supervise quote "$QUOTE_BIN" $QUOTE_HTTP Q2O_DATA_DIR="$WORK/quote-data" Q2O_INSTANCE_ID=quote-eos-1
wait_until 60 "quote worker ready" ready $QUOTE_HTTP
wait_until 60 "erp worker ready" ready $ERP_HTTP
ok "both ready"

step "drive $N commands over $Q quotes at $RATE/s; kill the quote worker $KILLS times, restart the broker once"
t_drive=$SECONDS
"$DRIVER" --commands "$N" --quotes "$Q" --rate "$RATE" --out "$WORK/commands.txt" --tag eos \
  >"$WORK/driver.out" 2>&1 &
DRIVER_PID=$!
driver_running() { kill -0 $DRIVER_PID 2>/dev/null; }

kills=0 broker_restarts=0
while [ $kills -lt $KILLS ]; do
  # wait until the restarted worker is ready and has consumed commands
  wait_until 120 "quote worker ready again (kill $kills)" ready $QUOTE_HTTP
  consuming() { WAIT_NOTE="consumed $(metric $QUOTE_HTTP q2o_consumed_total)"; [ "$(metric $QUOTE_HTTP q2o_consumed_total)" -gt 0 ]; }
  wait_until 30 "the restarted quote worker consumes commands (kill $kills)" consuming
  c0=$(metric $QUOTE_HTTP q2o_consumed_total)
  sleep_ms "$(rand_ms 500 3000)"
  driver_running || { on_failure; fail "the driver finished before kill $((kills + 1)) of $KILLS: lower EOS_RATE"; }
  c1=$(metric $QUOTE_HTTP q2o_consumed_total)
  pid=$(cat "$WORK/quote.pid")
  kill -KILL "$pid" 2>/dev/null || { on_failure; fail "the quote worker (pid $pid) was not running at kill $((kills + 1))"; }
  kills=$((kills + 1))
  echo "   kill $kills: SIGKILL pid $pid at $((SECONDS - t_drive)) s (it had consumed $c0 commands when the random wait began, $c1 at the kill; the driver is producing)"
  if [ $kills -eq $BROKER_RESTART_AFTER ] && [ $broker_restarts -eq 0 ]; then
    sleep_ms "$(rand_ms 500 2000)"
    echo "   broker: kill-node 1 at $((SECONDS - t_drive)) s"
    bash "$KAFKA" kill-node 1 --dir "$CLUSTER" >/dev/null
    sleep 3
    bash "$KAFKA" restart-node 1 --dir "$CLUSTER" >/dev/null 2>"$WORK/restart-node.err" ||
      { cat "$WORK/restart-node.err"; fail "restart-node"; }
    broker_restarts=1
    echo "   broker: ready again at $((SECONDS - t_drive)) s"
  fi
done
ok "$kills kills and $broker_restarts broker restart in $((SECONDS - t_drive)) s, the driver still producing"

step "wait for the driver"
wait $DRIVER_PID || { cat "$WORK/driver.out"; on_failure; fail "the driver failed"; }
grep '^driver:' "$WORK/driver.out" | sed 's/^/   /'
ok "driver done after $((SECONDS - t_drive)) s"

step "wait until every command has a result and every converted quote an order"
"$CHECK" --commands "$WORK/commands.txt" --wait-ms 240000 >"$WORK/check-wait.out" 2>&1 ||
  { tail -n 30 "$WORK/check-wait.out"; on_failure; fail "not every command answered (see above)"; }
ok "all answered at $((SECONDS - t_drive)) s"

step "stop the workers cleanly (SIGTERM)"
unsupervise quote
unsupervise erp
[ "$(last_exit quote)" = 0 ] || { on_failure; fail "the quote worker exited $(last_exit quote) on SIGTERM"; }
[ "$(last_exit erp)" = 0 ] || { on_failure; fail "the erp worker exited $(last_exit erp) on SIGTERM"; }
ok "both exited 0"

step "verify exactly-once (results, events, orders, LMDB projection = fold of the events topic)"
"$CHECK" --commands "$WORK/commands.txt" --store "$WORK/quote-data" >"$WORK/check.out" 2>&1 && rc=0 || rc=$?
grep -v '^{' "$WORK/check.out" | sed 's/^/   /'
[ $rc -eq 0 ] || { on_failure; fail "q2o-eos-check found violations"; }

unplanned=$(awk '$2 != 137' "$WORK/quote.exits" | wc -l)
restarts_erp=$(wc -l <"$WORK/erp.exits")
summary=$(grep '^CHECK_SUMMARY' "$WORK/check.out")
ok "$summary"
echo "   counts: kills=$kills broker_restarts=$broker_restarts quote_worker_exits=$(wc -l <"$WORK/quote.exits") (not by our SIGKILL: $((unplanned - 1)) besides the final clean stop) erp_exits=$restarts_erp duration=$((SECONDS - T0)) s"
awk '$2 != 137 && $2 != 0 { print "   quote worker exited " $2 " at " $1 " s (restarted by the supervisor)" }' "$WORK/quote.exits"
awk '$2 != 0 { print "   erp worker exited " $2 " at " $1 " s (restarted by the supervisor)" }' "$WORK/erp.exits"
