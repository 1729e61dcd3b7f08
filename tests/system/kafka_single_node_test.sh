#!/usr/bin/env bash
# tests/system/kafka_single_node_test.sh BUILD_DIR — smoke test of the real
# Kafka from infra/kafka/ (one KRaft node on 127.0.0.1:19192, controller
# :19193, in a temp dir): fetch, start, metadata, topic creation with Kafka's
# TopicCommand, 100 records produced and consumed with kcat (librdkafka),
# Kafka's own ProducerPerformance in transactional mode read back
# read_committed, and a librdkafka transactional producer whose aborted
# records a read_committed consumer must not see. Stops the broker on exit,
# success or failure.
set -euo pipefail
source "$(dirname "$0")/kafka_test_lib.sh"
PORT=19192

step "fetch the Kafka jars (idempotent)"
bash "$KAFKA" fetch
ok "$(ls "$ROOT"/infra/kafka/lib/kafka_2.13-*.jar | xargs -n1 basename)"

step "start one node on port $PORT (auto topic creation off)"
t=$SECONDS
BS=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" \
      --override auto.create.topics.enable=false | tail -n 1)
[ "$BS" = "127.0.0.1:$PORT" ] || fail "bootstrap string '$BS'"
ok "bootstrap $BS, ready in $((SECONDS - t)) s"
bash "$KAFKA" status --dir "$CLUSTER" >/dev/null || fail "status says not all nodes run"

step "metadata lists exactly one broker"
[ "$(broker_count "$BS")" = 1 ] || { metadata "$BS"; fail "broker count"; }
ok "1 broker"

step "create topics with Kafka's TopicCommand"
bash "$KAFKA" create-topic smoke --partitions 3 --replication-factor 1 --dir "$CLUSTER"
bash "$KAFKA" create-topic perf-txn --partitions 2 --replication-factor 1 --dir "$CLUSTER"
bash "$KAFKA" create-topic txn-check --partitions 1 --replication-factor 1 --dir "$CLUSTER"
md=$(metadata "$BS")
grep -q 'topic "smoke" with 3 partitions' <<<"$md" || { echo "$md"; fail "topic smoke"; }
grep -q 'topic "txn-check" with 1 partitions' <<<"$md" || { echo "$md"; fail "topic txn-check"; }
ok "smoke (3 partitions), perf-txn (2), txn-check (1)"

step "produce 100 records with kcat (acks=all) and consume them back"
seq -f 'record-%g' 1 100 | produce "$BS" smoke
got=$(consume "$BS" smoke -c 100 | sort)
want=$(seq -f 'record-%g' 1 100 | sort)
[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") | head; fail "records read back differ"; }
ok "100 of 100 records read back"

step "an unknown topic is not auto-created (--override took effect)"
if echo x | timeout 20 kcat -P -b "$BS" -t no-such-topic -X message.timeout.ms=3000 2>/dev/null; then
  fail "producing to an unknown topic succeeded"
fi
metadata "$BS" | grep -q 'topic "no-such-topic"' && fail "no-such-topic was created"
ok "unknown topic refused"

step "Kafka's ProducerPerformance, transactional, 2000 records; read back read_committed"
timeout 120 bash "$KAFKA" tool org.apache.kafka.tools.ProducerPerformance \
  --topic perf-txn --num-records 2000 --record-size 100 --throughput -1 \
  --transactional-id q2o-system-perf --transaction-duration-ms 100 \
  --producer-props bootstrap.servers="$BS" acks=all | tail -n 1
n=$(timeout 60 kcat -C -b "$BS" -t perf-txn -o beginning -e -q -f 'x\n' -X isolation.level=read_committed | wc -l)
[ "$n" = 2000 ] || fail "read_committed consumer saw $n of 2000 records"
ok "2000 committed records visible"

step "librdkafka transactions: aborted records are invisible to read_committed"
cc -O1 -o "$WORK/kafka_txn_check" "$ROOT/tests/system/kafka_txn_check.c" \
  $(pkg-config --cflags --libs rdkafka)
timeout 120 "$WORK/kafka_txn_check" "$BS" txn-check
committed=$(consume "$BS" txn-check -X isolation.level=read_committed)
want=$( (seq -f 'committed-a-%g' 0 9; seq -f 'committed-b-%g' 0 9) )
[ "$committed" = "$want" ] || { echo "$committed"; fail "read_committed saw other than the 20 committed records in order"; }
ok "read_committed: the 20 committed records, in order, no aborted one"
uncommitted=$(consume "$BS" txn-check -X isolation.level=read_uncommitted)
[ "$(grep -c '^aborted-' <<<"$uncommitted")" = 10 ] || { echo "$uncommitted"; fail "read_uncommitted should see the 10 aborted records"; }
[ "$(wc -l <<<"$uncommitted")" = 30 ] || { echo "$uncommitted"; fail "read_uncommitted should see 30 records"; }
ok "read_uncommitted: 30 records including the 10 aborted (they are in the log)"

step "stop"
bash "$KAFKA" stop --dir "$CLUSTER"
if bash "$KAFKA" status --dir "$CLUSTER" | grep -q running; then fail "a node still runs"; fi
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
if port_open; then fail "port $PORT still open"; fi
ok "stopped, port $PORT closed"
