#!/usr/bin/env bash
# tests/system/quote_rebalance_test.sh BUILD_DIR — two quote worker
# instances in one consumer group on a real Kafka (infra/kafka; one node on
# 127.0.0.1:19492, controller :19493): partitions move on join and on leave
# with nothing lost and nothing duplicated.
#
#   1. instance A (transactional.id quote-rb-a, its own LMDB) owns all 6
#      partitions; the ERP worker runs beside it; the driver starts producing
#      RB_COMMANDS (6,000) commands over RB_QUOTES (60) quotes at RB_RATE
#      (100) commands/s;
#   2. mid-stream instance B (quote-rb-b, its own LMDB) joins: the group
#      rebalances (eager: A gives up all, then 3 + 3), B restores its three
#      partitions from the events topic and takes over;
#   3. mid-stream A stops with SIGTERM (finishes its batch, commits, leaves
#      the group): B takes all 6 partitions;
#   4. A starts again and joins: 3 + 3 again (A restores from the offsets its
#      LMDB recorded, catching up on what B wrote meanwhile);
#   5. after the driver: q2o-eos-check waits for every result, both
#      instances stop with SIGTERM, and q2o-eos-check verifies exactly one
#      result per command, contiguous verified chains, no command producing
#      events twice, one order per converted revision, and the stores: every
#      head in either LMDB is a point of the chain folded from the log
#      (never ahead, never a different hash), and for every quote the more
#      advanced of the two equals the fold (each instance holds only what it
#      owned; a partition it lost stays behind in its store, as a prefix).
set -euo pipefail
source "$(dirname "$0")/kafka_test_lib.sh"
source "$(dirname "$0")/quote_eos_lib.sh"
trap 'rc=$?; set +e; eos_cleanup_workers; (exit $rc); kafka_test_cleanup' EXIT

PORT=19492
A_HTTP=19494
B_HTTP=19495
ERP_HTTP=19496
N=${RB_COMMANDS:-6000}
Q=${RB_QUOTES:-60}
RATE=${RB_RATE:-100}

on_failure() { show_log quote-a 20; show_log quote-a2 20; show_log quote-b 30; show_log erp 10; }

# The partition count of the latest assignment a worker logged.
assigned_count() {
  grep '"msg":"partitions assigned","worker":"quote"' "$WORK/$1.log" 2>/dev/null | tail -n 1 |
    sed -nE 's/.*"count":"([0-9]+)".*/\1/p'
}
has_partitions() { # NAME COUNT HTTP: ready with COUNT partitions assigned
  WAIT_NOTE="$1 has $(assigned_count "$1") partitions"
  [ "$(assigned_count "$1")" = "$2" ] && ready "$3"
}
# A's second life runs as "quote-a2" (its own log, so that its assignment
# lines are its own) with the same LMDB and transactional.id.
start_a() { supervise "$1" "$QUOTE_BIN" $A_HTTP Q2O_DATA_DIR="$WORK/a-data" Q2O_INSTANCE_ID=quote-rb-a; }
start_b() { supervise quote-b "$QUOTE_BIN" $B_HTTP Q2O_DATA_DIR="$WORK/b-data" Q2O_INSTANCE_ID=quote-rb-b; }

step "start one Kafka node on port $PORT, create the topics"
BS=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" | tail -n 1)
export Q2O_BOOTSTRAP=$BS
"$CTL_BIN" topics create >/dev/null || fail "q2octl topics create"
"$CTL_BIN" catalog load "$SAMPLE_CATALOG" >/dev/null || fail "q2octl catalog load"
ok "bootstrap $BS"

step "start the ERP worker and quote instance A"
supervise erp "$ERP_BIN" $ERP_HTTP Q2O_DATA_DIR="$WORK/erp-data" Q2O_INSTANCE_ID=erp-rb-1
start_a quote-a
wait_until 60 "A owns all 6 partitions" has_partitions quote-a 6 $A_HTTP
wait_until 60 "erp ready" ready $ERP_HTTP
ok "A: 6 partitions"

step "drive $N commands over $Q quotes at $RATE/s"
t_drive=$SECONDS
"$DRIVER" --commands "$N" --quotes "$Q" --rate "$RATE" --out "$WORK/commands.txt" --tag rb >"$WORK/driver.out" 2>&1 &
DRIVER_PID=$!
driver_running() { kill -0 $DRIVER_PID 2>/dev/null; }
sleep 8
a_before_join=$(metric $A_HTTP q2o_consumed_total)
[ "$a_before_join" -gt 0 ] || { on_failure; fail "A consumed nothing in 8 s"; }
ok "A consumed $a_before_join commands"

step "B joins mid-stream: partitions move on join (6 -> 3 + 3)"
driver_running || fail "the driver finished too early: lower RB_RATE"
start_b
wait_until 60 "B owns 3 partitions" has_partitions quote-b 3 $B_HTTP
wait_until 60 "A owns 3 partitions" has_partitions quote-a 3 $A_HTTP
ok "at $((SECONDS - t_drive)) s: A has $(assigned_count quote-a), B has $(assigned_count quote-b) partitions"
sleep 8
b_after_join=$(metric $B_HTTP q2o_consumed_total)
[ "$b_after_join" -gt 0 ] || { on_failure; fail "B consumed nothing after joining"; }
ok "B consumed $b_after_join commands"

step "A leaves mid-stream (SIGTERM): partitions move on leave (B takes 6)"
driver_running || fail "the driver finished too early: lower RB_RATE"
a_consumed=$(metric $A_HTTP q2o_consumed_total)
unsupervise quote-a
[ "$(last_exit quote-a)" = 0 ] || { on_failure; fail "A exited $(last_exit quote-a) on SIGTERM"; }
wait_until 60 "B owns all 6 partitions" has_partitions quote-b 6 $B_HTTP
ok "at $((SECONDS - t_drive)) s: A stopped cleanly after consuming $a_consumed commands; B has 6 partitions"
sleep 8

step "A comes back mid-stream (3 + 3 again)"
driver_running || fail "the driver finished too early: lower RB_RATE"
b_before_rejoin=$(metric $B_HTTP q2o_consumed_total)
start_a quote-a2
wait_until 60 "A owns 3 partitions again" has_partitions quote-a2 3 $A_HTTP
wait_until 60 "B owns 3 partitions again" has_partitions quote-b 3 $B_HTTP
ok "at $((SECONDS - t_drive)) s: A has $(assigned_count quote-a2), B has $(assigned_count quote-b) partitions (B consumed $b_before_rejoin while alone or shared)"

step "wait for the driver and for every result"
wait $DRIVER_PID || { cat "$WORK/driver.out"; fail "the driver failed"; }
driver_done=$((SECONDS - t_drive))
"$CHECK" --commands "$WORK/commands.txt" --wait-ms 120000 >"$WORK/check-wait.out" 2>&1 ||
  { tail -n 30 "$WORK/check-wait.out"; on_failure; fail "not every command answered"; }
a_final=$(metric $A_HTTP q2o_consumed_total)
b_final=$(metric $B_HTTP q2o_consumed_total)
[ "$a_final" -gt 0 ] || { on_failure; fail "A consumed nothing after rejoining"; }
ok "driver done at $driver_done s; all answered; A consumed $a_final since its restart, B $b_final in total"

step "stop both instances and the ERP worker (SIGTERM)"
unsupervise quote-a2
unsupervise quote-b
unsupervise erp
for n in quote-a2 quote-b erp; do
  [ "$(last_exit $n)" = 0 ] || { on_failure; fail "$n exited $(last_exit $n) on SIGTERM"; }
done
ok "all exited 0"

step "verify exactly-once across the rebalances; stores: the union equals the fold"
"$CHECK" --commands "$WORK/commands.txt" --store "$WORK/a-data" --store "$WORK/b-data" >"$WORK/check.out" 2>&1 &&
  rc=0 || rc=$?
grep -v '^{' "$WORK/check.out" | sed 's/^/   /'
[ $rc -eq 0 ] || { on_failure; fail "q2o-eos-check found violations"; }
revokes_a=$(cat "$WORK/quote-a.log" "$WORK/quote-a2.log" | grep -c '"msg":"partitions revoked","worker":"quote"' || true)
revokes_b=$(grep -c '"msg":"partitions revoked","worker":"quote"' "$WORK/quote-b.log" || true)
ok "$(grep '^CHECK_SUMMARY' "$WORK/check.out")"
echo "   counts: revocations A=$revokes_a B=$revokes_b, duration=$((SECONDS - T0)) s"
