#!/usr/bin/env bash
# tests/system/quote_rebuild_test.sh BUILD_DIR — a quote worker whose LMDB
# directory is deleted rebuilds an identical projection from the events
# topic of a real Kafka (infra/kafka; one node on 127.0.0.1:19592,
# controller :19593).
#
#   1. the quote and ERP workers process RBD_COMMANDS (4,000) commands over
#      RBD_QUOTES (40) quotes; q2o-eos-check verifies exactly-once and that
#      the LMDB projection equals the fold of the events topic;
#   2. the quote worker stops (SIGTERM); its stream heads (quote, version,
#      head hash) are written to heads-before.txt;
#   3. its LMDB directory is deleted; it starts again, restores every
#      partition from the events topic, reports /readyz, and stops
#      (SIGTERM); heads-after.txt must be byte-identical to heads-before.txt
#      (same quotes, same versions, same head hashes), and q2o-eos-check
#      compares the rebuilt store with the fold again;
#   4. the rebuilt worker must also still know every command (the dedupe
#      entries are rebuilt from the events' causation ids): a second run of
#      the driver with the same tag re-sends the first 500 commands with the
#      same ids; each gets its recorded result back (replayed) and no new
#      event is written.
set -euo pipefail
source "$(dirname "$0")/kafka_test_lib.sh"
source "$(dirname "$0")/quote_eos_lib.sh"
trap 'rc=$?; set +e; eos_cleanup_workers; (exit $rc); kafka_test_cleanup' EXIT

PORT=19592
QUOTE_HTTP=19594
ERP_HTTP=19595
N=${RBD_COMMANDS:-4000}
Q=${RBD_QUOTES:-40}

on_failure() { show_log quote 30; show_log quote2 30; show_log quote3 30; }
start_quote() { supervise "$1" "$QUOTE_BIN" $QUOTE_HTTP Q2O_DATA_DIR="$WORK/quote-data" Q2O_INSTANCE_ID=quote-rbd-1; }

step "start one Kafka node on port $PORT, create the topics, start the workers"
BS=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" | tail -n 1)
export Q2O_BOOTSTRAP=$BS
"$CTL_BIN" topics create >/dev/null || fail "q2octl topics create"
"$CTL_BIN" catalog load "$SAMPLE_CATALOG" >/dev/null || fail "q2octl catalog load"
supervise erp "$ERP_BIN" $ERP_HTTP Q2O_DATA_DIR="$WORK/erp-data" Q2O_INSTANCE_ID=erp-rbd-1
start_quote quote
wait_until 60 "quote worker ready" ready $QUOTE_HTTP
ok "bootstrap $BS, workers ready"

step "drive $N commands over $Q quotes and wait for every result"
"$DRIVER" --commands "$N" --quotes "$Q" --out "$WORK/commands.txt" --tag rbd >"$WORK/driver.out" 2>&1 ||
  { cat "$WORK/driver.out"; fail "driver"; }
"$CHECK" --commands "$WORK/commands.txt" --wait-ms 120000 >"$WORK/check-wait.out" 2>&1 ||
  { tail -n 20 "$WORK/check-wait.out"; on_failure; fail "not every command answered"; }
ok "$(grep '^driver: produced' "$WORK/driver.out")"

step "stop the quote worker; verify; record its heads"
unsupervise quote
[ "$(last_exit quote)" = 0 ] || { on_failure; fail "the quote worker exited $(last_exit quote) on SIGTERM"; }
"$CHECK" --commands "$WORK/commands.txt" --store "$WORK/quote-data" >"$WORK/check1.out" 2>&1 ||
  { grep -v '^{' "$WORK/check1.out"; fail "q2o-eos-check before the rebuild"; }
"$CHECK" --heads-only --store "$WORK/quote-data" --dump-heads "$WORK/heads-before.txt" | sed 's/^/   /'
ok "$(grep '^CHECK_SUMMARY' "$WORK/check1.out")"

step "delete the LMDB directory; start the worker; wait for /readyz; stop it"
rm -rf "$WORK/quote-data"
t=$(date +%s%N)
start_quote quote2
wait_until 120 "the rebuilt worker ready" ready $QUOTE_HTTP
ready_ms=$((($(date +%s%N) - t) / 1000000))
restored=$(metric $QUOTE_HTTP q2o_restore_events_total)
unsupervise quote2
[ "$(last_exit quote2)" = 0 ] || { on_failure; fail "the rebuilt worker exited $(last_exit quote2) on SIGTERM"; }
ok "ready $ready_ms ms after start (process start, group join, restore of $restored events)"

step "compare: identical version and head hash for every quote"
"$CHECK" --heads-only --store "$WORK/quote-data" --dump-heads "$WORK/heads-after.txt" | sed 's/^/   /'
if ! cmp -s "$WORK/heads-before.txt" "$WORK/heads-after.txt"; then
  diff "$WORK/heads-before.txt" "$WORK/heads-after.txt" | head -20
  fail "the rebuilt projection differs"
fi
"$CHECK" --commands "$WORK/commands.txt" --store "$WORK/quote-data" >"$WORK/check2.out" 2>&1 ||
  { grep -v '^{' "$WORK/check2.out"; fail "q2o-eos-check after the rebuild"; }
ok "$(wc -l <"$WORK/heads-before.txt") quotes: identical heads; the rebuilt store equals the fold"

step "the rebuilt worker still knows every command: re-send the first 500 with the same ids"
start_quote quote3
wait_until 60 "quote worker ready" ready $QUOTE_HTTP
events_before=$(grep -o 'events=[0-9]*' "$WORK/check2.out" | head -n 1 | cut -d= -f2)
"$DRIVER" --commands "$N" --quotes "$Q" --out "$WORK/resent-all.txt" --tag rbd --limit 500 >"$WORK/driver2.out" 2>&1 ||
  { cat "$WORK/driver2.out"; fail "driver (re-send)"; }
# every command now has two results: the first and the re-emitted one
"$CHECK" --commands "$WORK/commands.txt" --resent "$WORK/resent-all.txt" --wait-ms 60000 >"$WORK/check3.out" 2>&1 ||
  { grep -v '^{' "$WORK/check3.out" | tail -n 20; on_failure; fail "the re-sent commands"; }
unsupervise quote3
unsupervise erp
grep -E '^(check|CHECK_SUMMARY)' "$WORK/check3.out" | sed 's/^/   /'
events_after=$(grep -o 'events=[0-9]*' "$WORK/check3.out" | head -n 1 | cut -d= -f2)
[ "$events_before" = "$events_after" ] || fail "events: $events_before before the re-send, $events_after after"
ok "500 re-sent commands answered again from the rebuilt dedupe entries (same status and version), events still $events_after"
