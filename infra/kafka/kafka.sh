#!/usr/bin/env bash
# infra/kafka/kafka.sh — a real Apache Kafka 3.9.x (KRaft, no ZooKeeper) for
# development and system tests, from Maven Central jars: no Docker, no tarball.
#
#   kafka.sh fetch                      jars -> infra/kafka/lib (idempotent)
#   kafka.sh start [--nodes N] [--port P] [--dir D | --name NAME]
#                  [--timeout S] [--override key=value]...
#                                       fresh cluster; waits until ready;
#                                       last stdout line = bootstrap string
#   kafka.sh stop [--dir D]             SIGTERM all nodes, SIGKILL after 30 s
#   kafka.sh kill-node I [--dir D]      SIGKILL node I (failure tests)
#   kafka.sh restart-node I [--dir D]   start stopped node I again (same
#                                       config and data), wait until ready
#   kafka.sh status [--dir D]           one line per node; exit 0 iff all run
#   kafka.sh bootstrap [--dir D]        print the bootstrap string
#   kafka.sh create-topic TOPIC [--partitions N] [--replication-factor R]
#                  [--config k=v]... [--dir D]
#   kafka.sh tool MAIN-CLASS [ARGS...]  run a Kafka tool class from the jars
#                                       (e.g. org.apache.kafka.tools.TopicCommand)
#   kafka.sh clean [--dir D]            stop, then remove the run dir (all of
#                                       infra/kafka/run without --dir)
#
# Node i (1-based) listens on 127.0.0.1: client port P+2(i-1), controller
# port P+2(i-1)+1; default P=19092 (so 19092/19093, 19094/19095, 19096/19097).
# Default run dir: infra/kafka/run/dev (--name NAME: infra/kafka/run/NAME).
# See README.md beside this file.
set -euo pipefail

KAFKA_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$KAFKA_HOME/lib
LOG4J=$KAFKA_HOME/log4j.properties
KAFKA_VERSION_PREFIX=3.9.
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.7.1
: "${KAFKA_HEAP_OPTS:=-Xms256m -Xmx512m}"
: "${KAFKA_JVM_OPTS:=-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true}"
: "${KAFKA_MVN_ARGS:=}"        # extra mvn arguments, e.g. -Dmaven.repo.local=...
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  log "installing Debian packages: $*"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_java() { command -v java >/dev/null || apt_install default-jre-headless; }
need_mvn() { command -v mvn >/dev/null || apt_install default-jre-headless maven; }
need_kcat() { command -v kcat >/dev/null || apt_install kcat; }

# ---------------------------------------------------------------- fetch ----

lib_ok() {
  [ -f "$LIB/.fetched" ] && [ "$(cat "$LIB/.fetched")" = "$(pom_sum)" ] &&
    compgen -G "$LIB/kafka_2.13-${KAFKA_VERSION_PREFIX}*.jar" >/dev/null
}
pom_sum() { sha256sum "$KAFKA_HOME/pom.xml" | cut -d' ' -f1; }

cmd_fetch() {
  if lib_ok; then return 0; fi
  need_mvn
  local t0=$SECONDS tmp
  log "fetching Kafka jars from Maven Central into $LIB"
  tmp=$(mktemp -d "$KAFKA_HOME/.lib.XXXXXX")
  # -q: mvn prints only errors (Maven 3.8 adds colour escapes even then,
  # stripped here); bounded in time like everything else.
  # shellcheck disable=SC2086
  if ! (cd "$KAFKA_HOME" && timeout 900 mvn -B -q $KAFKA_MVN_ARGS -f pom.xml \
        "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime \
        -DoutputDirectory="$tmp" >"$tmp.log" 2>&1); then
    sed 's/\x1b\[[0-9;]*m//g' "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "mvn copy-dependencies failed (is Maven Central reachable?)"
  fi
  rm -f "$tmp.log"
  compgen -G "$tmp/kafka_2.13-${KAFKA_VERSION_PREFIX}*.jar" >/dev/null ||
    { rm -rf "$tmp"; die "no kafka_2.13-${KAFKA_VERSION_PREFIX}x jar among the fetched jars"; }
  pom_sum >"$tmp/.fetched"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  log "fetched $(ls "$LIB"/*.jar | wc -l) jars ($(basename "$(ls "$LIB"/kafka_2.13-*.jar)")) in $((SECONDS - t0)) s"
}

java_run() { # java_run HEAP MAIN ARGS...: run a class from lib/ in the foreground
  local heap=$1; shift
  need_java
  # shellcheck disable=SC2086
  java $heap -Djava.awt.headless=true -Dlog4j.configuration="file:$LOG4J" \
    -cp "$LIB/*" "$@"
}

cmd_tool() {
  [ $# -ge 1 ] || die "usage: kafka.sh tool MAIN-CLASS [ARGS...]"
  cmd_fetch
  java_run "-Xms64m -Xmx256m" "$@"
}

# ------------------------------------------------------------ run dirs ----

DIR=
dir_from_args() { # sets DIR from --dir/--name (already parsed into OPT_DIR/OPT_NAME)
  if [ -n "${OPT_DIR:-}" ]; then
    mkdir -p "$OPT_DIR"
    DIR=$(cd "$OPT_DIR" && pwd)
  else
    DIR=$KAFKA_HOME/run/${OPT_NAME:-dev}
  fi
}

node_count() { cat "$DIR/nodes" 2>/dev/null || echo 0; }
node_pid() { cat "$DIR/node-$1/pid" 2>/dev/null || true; }

# Is node I running? Checks the pid and that it is really that node's JVM.
node_alive() {
  local pid; pid=$(node_pid "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-Dq2o.kafka.node=$DIR/node-$1 "
}

client_port() { echo $(( $(cat "$DIR/port") + 2 * ($1 - 1) )); }
ctrl_port() { echo $(( $(cat "$DIR/port") + 2 * ($1 - 1) + 1 )); }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() { # write_config I N RF MINISR OVERRIDES...
  local i=$1 n=$2 rf=$3 minisr=$4; shift 4
  local voters="" j
  for ((j = 1; j <= n; j++)); do voters+="${voters:+,}$j@127.0.0.1:$(ctrl_port "$j")"; done
  local nd=$DIR/node-$i
  mkdir -p "$nd/data"
  cat >"$nd/server.properties" <<EOF
# generated by infra/kafka/kafka.sh start — node $i of $n
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(client_port "$i"),CONTROLLER://127.0.0.1:$(ctrl_port "$i")
advertised.listeners=PLAINTEXT://127.0.0.1:$(client_port "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$nd/data

# Replication matching the node count (1/1 for one node, 3/2 for three).
default.replication.factor=$rf
min.insync.replicas=$minisr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$minisr

# Small-host tuning (the values Kafka's own test harness uses).
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=2097152
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
num.replica.fetchers=1

# Development convenience: producing to / fetching metadata for an unknown
# topic creates it (num.partitions=1, default.replication.factor above).
# The services create their topics explicitly; tests that must not rely on
# this pass --override auto.create.topics.enable=false.
auto.create.topics.enable=true
EOF
  local kv
  for kv in "$@"; do
    [[ $kv == *=* ]] || die "--override expects key=value, got '$kv'"
    printf '%s\n' "$kv" >>"$nd/server.properties"
  done
}

launch_node() { # launch_node I: start node I's JVM in the background
  local i=$1 nd=$DIR/node-$1
  need_java
  # setsid: the node outlives the shell that started it (and its Ctrl-C);
  # the inner bash writes its own pid, then becomes the JVM (exec).
  # shellcheck disable=SC2086
  setsid bash -c 'echo $$ >"$0/pid"; exec "$@"' "$nd" \
    java $KAFKA_HEAP_OPTS $KAFKA_JVM_OPTS \
    -Djava.io.tmpdir="$DIR/tmp" \
    -Dlog4j.configuration="file:$LOG4J" \
    "-Dq2o.kafka.node=$nd" \
    -cp "$LIB/*" kafka.Kafka "$nd/server.properties" \
    >>"$nd/server.log" 2>&1 </dev/null &
  disown  # no "Killed" job report when kill-node/stop ends it
  local k
  for ((k = 0; k < 50; k++)); do [ -s "$nd/pid" ] && return 0; sleep 0.1; done
  die "node $i: no pid written"
}

# wait_ready DEADLINE OFFSETS... : every listed node (i:byte-offset of its
# log when launched) logged "Kafka Server started" after that offset, and a
# metadata request lists every node that should be running.
wait_ready() {
  local deadline=$1; shift
  local n i off bs md want good=0
  n=$(node_count)
  bs=$(cat "$DIR/bootstrap")
  while :; do
    local pending=0
    for spec in "$@"; do
      i=${spec%%:*}; off=${spec#*:}
      if ! node_alive "$i"; then
        log "node $i exited while starting; last lines of $DIR/node-$i/server.log:"
        tail -n 40 "$DIR/node-$i/server.log" >&2 || true
        return 1
      fi
      tail -c "+$((off + 1))" "$DIR/node-$i/server.log" | grep -q "Kafka Server started" || pending=1
    done
    if [ $pending -eq 0 ]; then
      md=$(timeout 15 kcat -L -b "$bs" -m 5 2>/dev/null || true)
      want=1
      for ((i = 1; i <= n; i++)); do
        if node_alive "$i" && ! grep -qE "^ +broker $i at " <<<"$md"; then want=0; fi
      done
      # Twice in a row, 0.5 s apart: in one of a dozen three-node runs a
      # restarted node was listed once and missing from the next answer.
      if [ $want -eq 1 ]; then
        good=$((good + 1))
        [ $good -ge 2 ] && return 0
      else
        good=0
      fi
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "not ready within the time limit"
      for spec in "$@"; do
        i=${spec%%:*}
        log "last lines of $DIR/node-$i/server.log:"
        tail -n 20 "$DIR/node-$i/server.log" >&2 || true
      done
      [ -n "${md:-}" ] && { log "last metadata answer:"; printf '%s\n' "$md" >&2; }
      return 1
    fi
    sleep 0.5
  done
}

kill_nodes() { # kill_nodes SIGNAL WAIT-SECONDS NODE...: signal, wait, SIGKILL
  local sig=$1 wait=$2; shift 2
  local i alive deadline round
  for round in "$sig" KILL; do
    for i in "$@"; do
      node_alive "$i" && kill "-$round" "$(node_pid "$i")" 2>/dev/null || true
    done
    deadline=$((SECONDS + wait))
    while :; do
      alive=()
      for i in "$@"; do if node_alive "$i"; then alive+=("$i"); fi; done
      if [ ${#alive[@]} -eq 0 ]; then
        for i in "$@"; do rm -f "$DIR/node-$i/pid"; done
        return 0
      fi
      [ "$SECONDS" -ge "$deadline" ] && break
      sleep 0.2
    done
    [ "$round" = KILL ] && break
    log "node(s) ${alive[*]} still running after ${wait}s: SIGKILL"
    wait=10
  done
  log "node(s) ${alive[*]} survived SIGKILL"
  return 1
}

# While a start or restart is not ready, any exit (failure, Ctrl-C) kills
# the nodes it launched: no JVM is left behind.
STARTING=()
abort_start() {
  local rc=$?
  if [ ${#STARTING[@]} -gt 0 ]; then
    log "start failed: killing node(s) ${STARTING[*]}"
    kill_nodes KILL 10 "${STARTING[@]}" || true
  fi
  exit "$rc"
}
trap abort_start EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- start ----

cmd_start() {
  local n=1 port=19092 timeout=120 overrides=()
  while [ $# -gt 0 ]; do
    case $1 in
      --nodes) n=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --dir) OPT_DIR=$2; shift 2 ;;
      --name) OPT_NAME=$2; shift 2 ;;
      --timeout) timeout=$2; shift 2 ;;
      --override)
        [[ ${2:-} == ?*=* ]] || die "--override expects key=value, got '${2:-}'"
        overrides+=("$2"); shift 2 ;;
      *) die "start: unknown argument '$1'" ;;
    esac
  done
  [[ $n =~ ^[1-9]$ ]] || die "--nodes must be 1..9"
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1024 ] && [ $((port + 2 * n)) -lt 32768 ] ||
    die "--port must leave all ports in 1024..32767 (below the ephemeral range)"
  dir_from_args

  if [ -f "$DIR/nodes" ]; then
    local j
    for ((j = 1; j <= $(node_count); j++)); do
      node_alive "$j" && die "a cluster is already running in $DIR (kafka.sh stop --dir $DIR)"
    done
  fi
  local p
  for ((p = port; p < port + 2 * n; p++)); do
    port_in_use "$p" && die "port $p on 127.0.0.1 is in use"
  done

  cmd_fetch
  need_java
  need_kcat
  local t0=$SECONDS
  # A fresh cluster every time: wipe the run dir's previous contents.
  mkdir -p "$DIR"
  find "$DIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  touch "$DIR/.q2o-kafka"
  mkdir -p "$DIR/tmp"
  echo "$n" >"$DIR/nodes"
  echo "$port" >"$DIR/port"

  local rf=1 minisr=1
  if [ "$n" -ge 3 ]; then rf=3; minisr=2; elif [ "$n" -eq 2 ]; then rf=2; minisr=1; fi
  local bs="" i
  for ((i = 1; i <= n; i++)); do bs+="${bs:+,}127.0.0.1:$(client_port "$i")"; done
  echo "$bs" >"$DIR/bootstrap"

  local cid
  cid=$(java_run "-Xmx128m" kafka.tools.StorageTool random-uuid 2>"$DIR/format.log" | tail -n 1) ||
    { cat "$DIR/format.log" >&2; die "StorageTool random-uuid failed"; }
  [[ $cid =~ ^[A-Za-z0-9_-]{22}$ ]] || die "unexpected cluster id '$cid'"
  echo "$cid" >"$DIR/cluster.id"

  for ((i = 1; i <= n; i++)); do
    write_config "$i" "$n" "$rf" "$minisr" "${overrides[@]}"
    java_run "-Xmx128m" kafka.tools.StorageTool format -t "$cid" \
      -c "$DIR/node-$i/server.properties" >>"$DIR/format.log" 2>&1 ||
      { cat "$DIR/format.log" >&2; die "formatting node $i failed"; }
  done

  local specs=()
  for ((i = 1; i <= n; i++)); do
    STARTING+=("$i")
    launch_node "$i"
    specs+=("$i:0")
  done
  wait_ready $((SECONDS + timeout)) "${specs[@]}" || exit 1
  STARTING=()
  log "$n node(s) ready in $((SECONDS - t0)) s; cluster id $cid; run dir $DIR"
  echo "$bs"
}

# ----------------------------------------------------- other subcommands ----

parse_dir_opts() { # parse_dir_opts ARGS...: --dir/--name; leaves the rest in REST
  REST=()
  while [ $# -gt 0 ]; do
    case $1 in
      --dir) OPT_DIR=$2; shift 2 ;;
      --name) OPT_NAME=$2; shift 2 ;;
      *) REST+=("$1"); shift ;;
    esac
  done
  if [ -n "${OPT_DIR:-}" ] && [ ! -d "$OPT_DIR" ]; then die "no run dir $OPT_DIR"; fi
  dir_from_args
}

need_cluster() { [ -f "$DIR/nodes" ] || die "no cluster in $DIR (kafka.sh start first)"; }

node_arg() {
  [[ ${1:-} =~ ^[1-9]$ ]] && [ "$1" -le "$(node_count)" ] ||
    die "node must be 1..$(node_count), got '${1:-}'"
}

cmd_stop() {
  parse_dir_opts "$@"
  [ -f "$DIR/nodes" ] || { log "nothing to stop in $DIR"; return 0; }
  local n; n=$(node_count)
  kill_nodes TERM "$STOP_TIMEOUT" $(seq 1 "$n") || die "could not stop $DIR"
  log "stopped $DIR"
}

cmd_kill_node() {
  parse_dir_opts "$@"; need_cluster
  local i=${REST[0]:-}; node_arg "$i"
  node_alive "$i" || die "node $i is not running"
  kill_nodes KILL 10 "$i" || die "node $i survived SIGKILL"
  log "node $i killed (SIGKILL)"
}

cmd_restart_node() {
  local timeout=120
  parse_dir_opts "$@"; need_cluster
  set -- "${REST[@]}"
  local i=${1:-}; shift || true
  while [ $# -gt 0 ]; do
    case $1 in --timeout) timeout=$2; shift 2 ;; *) die "restart-node: unknown argument '$1'" ;; esac
  done
  node_arg "$i"
  node_alive "$i" && die "node $i is already running"
  local port; port=$(client_port "$i")
  port_in_use "$port" && die "port $port on 127.0.0.1 is in use"
  need_kcat
  local t0=$SECONDS off
  off=$(stat -c %s "$DIR/node-$i/server.log" 2>/dev/null || echo 0)
  printf '\n==== restart-node %s at %s ====\n' "$i" "$(date -Is)" >>"$DIR/node-$i/server.log"
  STARTING=("$i")
  launch_node "$i"
  wait_ready $((SECONDS + timeout)) "$i:$off" || exit 1
  STARTING=()
  log "node $i ready again in $((SECONDS - t0)) s"
  cat "$DIR/bootstrap"
}

cmd_status() {
  parse_dir_opts "$@"
  if [ ! -f "$DIR/nodes" ]; then echo "$DIR: no cluster"; return 1; fi
  local n i all=0
  n=$(node_count)
  echo "$DIR: $n node(s), cluster id $(cat "$DIR/cluster.id" 2>/dev/null), bootstrap $(cat "$DIR/bootstrap")"
  for ((i = 1; i <= n; i++)); do
    if node_alive "$i"; then
      echo "node $i: running (pid $(node_pid "$i")) 127.0.0.1:$(client_port "$i") controller :$(ctrl_port "$i")"
    else
      echo "node $i: stopped 127.0.0.1:$(client_port "$i") controller :$(ctrl_port "$i")"; all=1
    fi
  done
  return $all
}

cmd_bootstrap() {
  parse_dir_opts "$@"; need_cluster
  cat "$DIR/bootstrap"
}

cmd_create_topic() {
  parse_dir_opts "$@"; need_cluster
  set -- "${REST[@]}"
  local topic=${1:-}; shift || true
  [ -n "$topic" ] || die "usage: kafka.sh create-topic TOPIC [--partitions N] [--replication-factor R] [--config k=v]... [--dir D]"
  cmd_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(cat "$DIR/bootstrap")" \
    --create --if-not-exists --topic "$topic" "$@" >&2
}

cmd_clean() {
  if [ $# -eq 0 ]; then
    local d
    for d in "$KAFKA_HOME"/run/*/; do
      [ -f "$d/.q2o-kafka" ] || continue
      (OPT_DIR=$d cmd_stop) || true
    done
    rm -rf "$KAFKA_HOME/run"
    log "removed $KAFKA_HOME/run"
    return 0
  fi
  parse_dir_opts "$@"
  [ -d "$DIR" ] || return 0
  [ -f "$DIR/.q2o-kafka" ] || [ -z "$(ls -A "$DIR")" ] || die "$DIR is not a kafka.sh run dir; not removing it"
  cmd_stop --dir "$DIR"
  rm -rf "$DIR"
  log "removed $DIR"
}

usage() { sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

sub=${1:-}; shift || true
case $sub in
  fetch) cmd_fetch ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  kill-node) cmd_kill_node "$@" ;;
  restart-node) cmd_restart_node "$@" ;;
  status) cmd_status "$@" ;;
  bootstrap) cmd_bootstrap "$@" ;;
  create-topic) cmd_create_topic "$@" ;;
  tool) cmd_tool "$@" ;;
  clean) cmd_clean "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
