#!/usr/bin/env bash
# q2octl against the running demo system (called by infra/run-demo.sh from
# ctl_demo_test.sh with Q2O_BOOTSTRAP, Q2OCTL and DEMO_QUOTE_WORKER_PID set).
# Each check names what it proves; the first failure stops the script.
set -uo pipefail
: "${Q2OCTL:?}" "${Q2O_BOOTSTRAP:?}" "${DEMO_QUOTE_WORKER_PID:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/q2o-ctl-checks.XXXXXX")
trap 'kill -CONT "$DEMO_QUOTE_WORKER_PID" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0
check() { # name expected-exit command... ; output in $tmp/out
  local name=$1 want=$2 got=0
  shift 2
  "$@" >"$tmp/out" 2>&1 || got=$?
  n=$((n + 1))
  if [ "$got" -ne "$want" ]; then
    echo "ctl check FAILED: $name: exit $got, expected $want; output:"
    cat "$tmp/out"
    exit 1
  fi
  echo "ok $n - $name (exit $got)"
}
has() { grep -q -- "$1" "$tmp/out" || { echo "ctl check FAILED: output lacks '$1':"; cat "$tmp/out"; exit 1; }; }
json_ok() { python3 -c "import json,sys; d=json.load(open('$tmp/out')); sys.exit(0 if ($1) else 1)" ||
  { echo "ctl check FAILED: JSON condition $1 on:"; cat "$tmp/out"; exit 1; }; }

# a command as JSON, from a file, ids generated
cat >"$tmp/note.json" <<'JSON'
{"type": "AddQuoteNote", "quote_id": "Q-1000",
 "actor": {"id": "rep-1", "roles": ["SALES_REP"]},
 "payload": {"note": "customer asked for the invoice address"}}
JSON
check "send FILE: a JSON command is accepted" 0 "$Q2OCTL" send "$tmp/note.json"
has "accepted  AddQuoteNote"
check "send -: stdin, --json result" 0 sh -c "\"$Q2OCTL\" send - --json < \"$tmp/note.json\""
json_ok "d['status']=='ACCEPTED' and d['code_name']=='OK' and d['event_types']==['QuoteNoteAdded']"

# a domain refusal: exit 1 with code, message and remediation
check "accept on a converted quote is refused" 1 "$Q2OCTL" accept --quote Q-1000 --actor alice@acme.example \
  --roles CUSTOMER --legal-entity ACME-INC --method ESIGNATURE --envelope ENV-1
has "REFUSED   AcceptQuote"
has "remediation:"

# usage errors: exit 2, the JSON path named
echo '{"type":"AddQuoteNote","quote_id":"Q-1000","actor":{"id":"rep-1"},"payload":{"note":7}}' >"$tmp/bad.json"
check "bad JSON names the path" 2 "$Q2OCTL" send "$tmp/bad.json"
has '$.payload.note: expected a string'
check "unknown option" 2 "$Q2OCTL" show Q-1000 --frobnicate
check "missing --quote" 2 "$Q2OCTL" price

# idempotency: the same command id twice gets the same result
check "first send of a fixed command id" 0 "$Q2OCTL" note --quote Q-1000 --actor rep-1 --text once \
  --command-id checks-fixed-1 --json
v1=$(python3 -c "import json; print(json.load(open('$tmp/out'))['version'])")
check "re-send of the same command id" 0 "$Q2OCTL" note --quote Q-1000 --actor rep-1 --text once \
  --command-id checks-fixed-1 --json
json_ok "d['version']==$v1"

# reading: JSON history, time travel, verify
check "history --json" 0 "$Q2OCTL" history Q-1000 --json
json_ok "d['chain_ok'] and len(d['events'])>=24 and d['events'][0]['type']=='QuoteCreated'"
check "as-of --version 5" 0 "$Q2OCTL" as-of Q-1000 --version 5
has "As of version 5"
has "Current revision 1: PRICED"
check "as-of a time before the quote existed" 1 "$Q2OCTL" as-of Q-1000 --time 2001-01-01T00:00:00Z
check "as-of needs exactly one bound" 2 "$Q2OCTL" as-of Q-1000
check "verify --json" 0 "$Q2OCTL" verify Q-1000 --json
json_ok "d['ok'] and d['events']>=24"
check "show --json with allowed actions" 0 "$Q2OCTL" show Q-1000 --json --actor fin-1 --roles FINANCE
json_ok "d['quote']['revisions'][1]['status']=='CONVERTED' and len(d['allowed'])==14"
check "a quote that does not exist" 1 "$Q2OCTL" show Q-NOPE
check "dry run prints the command" 0 "$Q2OCTL" add-line --quote Q-9 --line L1 --offering SAAS-ENT-USER --qty 5 --dry-run
has '"command_id": "ctl-'
check "allowed matrix" 0 "$Q2OCTL" allowed
check "config --json" 0 "$Q2OCTL" config --json
json_ok "d['bootstrap']=='$Q2O_BOOTSTRAP'"

# infrastructure: no worker answering -> 4; no broker -> 3
kill -STOP "$DEMO_QUOTE_WORKER_PID"
check "no result within --timeout-ms" 4 "$Q2OCTL" note --quote Q-1000 --actor rep-1 --text paused --timeout-ms 1500
has "no result for command"
kill -CONT "$DEMO_QUOTE_WORKER_PID"
check "the worker answers again after SIGCONT" 0 "$Q2OCTL" note --quote Q-1000 --actor rep-1 --text resumed
check "nothing listening at the bootstrap address" 3 "$Q2OCTL" note --quote Q-1000 --actor rep-1 --text x \
  --bootstrap 127.0.0.1:1 --timeout-ms 3000
check "verify after all that" 0 "$Q2OCTL" verify Q-1000
echo "ctl checks: all passed ($n)"
