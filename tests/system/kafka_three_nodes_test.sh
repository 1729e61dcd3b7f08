#!/usr/bin/env bash
# tests/system/kafka_three_nodes_test.sh BUILD_DIR — failure smoke test of a
# three-node KRaft cluster from infra/kafka/ (combined broker+controller
# nodes; client ports 19292/19294/19296, controller ports 19293/19295/19297,
# in a temp dir): 3 brokers in metadata; a topic with replication factor 3
# and min ISR 2 takes acks=all writes; SIGKILL the node that is the active
# controller; the cluster elects another controller, still serves metadata,
# and takes acks=all writes with 2 of 3 replicas; the node restarts with its
# data, rejoins the metadata and every partition's ISR; nothing is lost.
# Stops the cluster on exit, success or failure.
set -euo pipefail
source "$(dirname "$0")/kafka_test_lib.sh"
PORT=19292

quorum_leader() {
  timeout 60 bash "$KAFKA" tool org.apache.kafka.tools.MetadataQuorumCommand \
    --bootstrap-server "$BS" describe --status 2>/dev/null | sed -nE 's/^LeaderId: *([0-9]+)$/\1/p'
}
brokers_are() {
  local md n
  md=$(metadata "$BS") || true
  n=$(sed -nE 's/^ ([0-9]+) brokers:$/\1/p' <<<"$md")
  [ "$n" = "$1" ] && return 0
  WAIT_NOTE="metadata lists ${n:-no} brokers, want $1: $(head -n 1 <<<"$md")"
  return 1
}
isr_full() { # every partition of topic ha has 3 in-sync replicas
  local md; md=$(metadata "$BS" -t ha) || return 1
  [ "$(grep -cE 'partition [0-9]+, leader [0-9]+, replicas: [0-9,]+, isrs: [0-9]+,[0-9]+,[0-9]+$' <<<"$md")" = 3 ]
}
check_records() { # check_records N: topic ha holds exactly ha-1..ha-N
  local got want
  got=$(consume "$BS" ha -c "$1" | sort)
  want=$(seq -f 'ha-%g' 1 "$1" | sort)
  [ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") | head; fail "records in ha differ from ha-1..ha-$1"; }
}

step "fetch the Kafka jars (idempotent)"
bash "$KAFKA" fetch

step "start three nodes on ports $PORT.."
t=$SECONDS
BS=$(bash "$KAFKA" start --nodes 3 --port $PORT --dir "$CLUSTER" | tail -n 1)
[ "$BS" = "127.0.0.1:19292,127.0.0.1:19294,127.0.0.1:19296" ] || fail "bootstrap string '$BS'"
ok "bootstrap $BS, ready in $((SECONDS - t)) s"

step "metadata lists three brokers; the quorum has a leader"
brokers_are 3 || { metadata "$BS"; fail "broker count"; }
leader=$(quorum_leader)
[[ $leader =~ ^[1-3]$ ]] || fail "no quorum leader ('$leader')"
ok "3 brokers; active controller: node $leader"

step "topic ha: 3 partitions, replication factor 3, min ISR 2; 50 records with acks=all"
bash "$KAFKA" create-topic ha --partitions 3 --replication-factor 3 \
  --config min.insync.replicas=2 --dir "$CLUSTER"
wait_until 30 "full ISR on ha" isr_full
seq -f 'ha-%g' 1 50 | produce "$BS" ha
check_records 50
ok "50 records written and read back"

step "SIGKILL node $leader (the active controller)"
t=$SECONDS
bash "$KAFKA" kill-node "$leader" --dir "$CLUSTER"
wait_until 60 "metadata without the killed broker" brokers_are 2
ok "metadata lists 2 brokers after $((SECONDS - t)) s (broker session timeout)"
new_leader=$(quorum_leader)
[[ $new_leader =~ ^[1-3]$ ]] && [ "$new_leader" != "$leader" ] || fail "no new quorum leader ('$new_leader')"
ok "node $new_leader is the active controller now"

step "with 2 of 3 replicas: 50 more records with acks=all, all 100 read back"
seq -f 'ha-%g' 51 100 | produce "$BS" ha
check_records 100
ok "100 records"

step "restart node $leader with its data; it rejoins"
t=$SECONDS
bash "$KAFKA" restart-node "$leader" --dir "$CLUSTER" >/dev/null
wait_until 30 "3 brokers in metadata after the restart" brokers_are 3
wait_until 60 "full ISR on ha after the restart" isr_full
ok "3 brokers and every partition's ISR full again $((SECONDS - t)) s after the restart"
bash "$KAFKA" status --dir "$CLUSTER" >/dev/null || fail "status says not all nodes run"

step "50 more records with acks=all; all 150 read back"
seq -f 'ha-%g' 101 150 | produce "$BS" ha
check_records 150
ok "150 records"

step "stop all three"
t=$SECONDS
bash "$KAFKA" stop --dir "$CLUSTER"
if bash "$KAFKA" status --dir "$CLUSTER" | grep -q running; then fail "a node still runs"; fi
for p in 19292 19294 19296; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then fail "port $p still open"; fi
done
ok "stopped in $((SECONDS - t)) s, ports closed"
