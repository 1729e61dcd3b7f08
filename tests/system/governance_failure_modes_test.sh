#!/usr/bin/env bash
# tests/system/governance_failure_modes_test.sh BUILD_DIR — the governance
# failure modes of the quote model (seed 003 §27: "approval applied to
# changed quote", "customer signs old revision", "proposal document drift",
# "quote modified during approval"; SPEC §3 guards, editability matrix,
# revisions, concurrency; §5 approval fingerprint and document hash) end to
# end on a real Apache Kafka (infra/kafka; one node on 127.0.0.1:19792,
# controller :19793), driven only through q2octl's typed subcommands.
#
# One quote worker (/readyz on :19794) prices with the sample catalog
# (schemas/catalog/saas-suite.json, published by `q2octl catalog load`
# before the worker starts). Every quote is created for the sample customer
# by rep-1 (owner and submitter) with a line at 18 % discount, above the
# policy's 15 % (max_discount_bp 1500), so pricing fires
# DISCOUNT_ABOVE_THRESHOLD and the revision needs approval. Approvals are
# given, step by step, by an approver holding the step's role as `q2octl show`
# lists it (never rep-1), with the step's required limit as authority limit.
#
# Each refusal is checked the same way (expect_refused): q2octl exits 1, the
# result's code_name is the exact code, no event is recorded, and the quote
# as its event log has it (`q2octl show --json`: version, head hash, every
# revision's status, fingerprints, lines, terms, document, acceptance) is
# byte-identical before and after. Each scenario ends with the legitimate
# command succeeding and prints "ok - <name>"; finally `q2octl verify` walks
# every quote's hash chain.
#
# The scenarios work on four different quotes and run concurrently (each
# q2octl call spends most of its ~0.3-1 s waiting on the broker); each
# one's output is printed whole, in order, when all are done.
#
# The codes are the ones the domain uses (common/core/include/core/error.h,
# common/domain/src/editability.c, quote_decide*.c):
#   - an approval citing a fingerprint not under review:
#     QUOTE_CHANGED_DURING_APPROVAL (SPEC §3 Concurrency);
#   - a commercial change to an approved revision: QUOTE_REVISION_REQUIRED;
#   - anything addressed to a superseded revision: QUOTE_ALREADY_SUPERSEDED;
#   - a cited document hash that is not the presented/attached one:
#     QUOTE_DOCUMENT_MISMATCH; a document rendered from another snapshot than
#     the approved one: QUOTE_APPROVAL_STALE;
#   - an edit while IN_REVIEW: QUOTE_NOT_EDITABLE_IN_STATE (matrix "LOCKED");
#   - a stale --expected-version: QUOTE_CONCURRENT_MODIFICATION.
set -euo pipefail
source "$(dirname "$0")/kafka_test_lib.sh"
source "$(dirname "$0")/quote_eos_lib.sh"
# The handler runs with errexit off: under `set -e` the `(exit $rc)` that
# hands the status to kafka_test_cleanup would end the shell on a failure
# before the broker is stopped and $WORK removed.
SCENARIO_PIDS=()
trap 'rc=$?; set +e; for p in "${SCENARIO_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ $rc -eq 0 ] || show_log quote 30; eos_cleanup_workers; (exit $rc); kafka_test_cleanup' EXIT

PORT=19792
QUOTE_HTTP=19794
REP=rep-1
CUSTOMER=(--actor alice@acme.example --roles CUSTOMER --legal-entity ACME-INC --method ESIGNATURE)
DOCWORKER=(--actor document-worker --roles SYSTEM)
S=$WORK   # scratch dir of the running scenario (its own when concurrent)
CUR='.revisions[-1]'

# ---------------------------------------------------------------- helpers

# ctl ARGS...: q2octl ARGS --json; the output in $S/out, the exit status in $RC.
ctl() { RC=0; "$CTL_BIN" "$@" --json >"$S/out" 2>"$S/ctl.err" || RC=$?; }
show_result() { { cat "$S/out"; cat "$S/ctl.err"; } | sed 's/^/     | /'; }

# quote_json QUOTE: the quote as its event log has it (show --json .quote),
# one line, keys sorted.
quote_json() {
  "$CTL_BIN" show "$1" --json >"$S/show.json" 2>"$S/show.err" ||
    { cat "$S/show.err" >&2; fail "q2octl show $1" >&2; }
  jq -cS .quote "$S/show.json"
}
# field QUOTE JQ: a value of the quote (jq -r over show --json .quote).
field() { quote_json "$1" | jq -r "$2"; }

# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"; }
expect_ne() { [ "$2" != "$3" ] || fail "$1: both are '$2'"; }

# expect_ok WHAT ARGS...: the command is accepted (exit 0, code OK).
expect_ok() {
  local what=$1; shift
  ctl "$@"
  if [ "$RC" -ne 0 ] || [ "$(jq -r .code_name "$S/out" 2>/dev/null)" != OK ]; then
    show_result; fail "$what: exit $RC, expected 0 and OK"
  fi
}

# expect_refused QUOTE CODE WHAT ARGS...: the command is refused with CODE
# (exit 1, code_name CODE, no event) and the quote did not move.
expect_refused() {
  local q=$1 code=$2 what=$3; shift 3
  local before after got
  before=$(quote_json "$q")
  ctl "$@"
  got=$(jq -r '.code_name // empty' "$S/out" 2>/dev/null || true)
  if [ "$RC" -ne 1 ] || [ "$got" != "$code" ]; then
    show_result; fail "$what: exit $RC and ${got:-no code}, expected exit 1 and $code"
  fi
  [ "$(jq -r '.status' "$S/out")" = REJECTED ] || { show_result; fail "$what: status is not REJECTED"; }
  [ "$(jq -r '.event_types | length' "$S/out")" = 0 ] ||
    fail "$what: the refusal recorded events $(jq -c .event_types "$S/out")"
  after=$(quote_json "$q")
  if [ "$before" != "$after" ]; then
    diff <(jq -S . <<<"$before") <(jq -S . <<<"$after") | head -40 | sed 's/^/     /'
    fail "$what: refused with $code, but the quote moved (version $(jq .version <<<"$before") -> $(jq .version <<<"$after"))"
  fi
  echo "     refused: $what -> $code ($(jq -r .detail "$S/out"))"
}

# new_quote QUOTE [QTY]: created by rep-1 for the sample customer, one line
# of QTY (500) users at 18 %, priced: REQUIRES_APPROVAL, the deal desk's step.
new_quote() {
  local q=$1 qty=${2:-500}
  expect_ok "create $q" create --quote "$q" --sample-acme --actor $REP
  expect_ok "add-line $q" add-line --quote "$q" --actor $REP --line L1 --offering SAAS-ENT-USER --qty "$qty" \
    --discount-pct 18
  expect_ok "price $q" price --quote "$q" --actor $REP
  local j; j=$(quote_json "$q")
  expect_eq "$q after pricing" "$(jq -r "$CUR.status" <<<"$j")" REQUIRES_APPROVAL
  expect_eq "$q: the policy's discount reason (figure/threshold)" \
    "$(jq -r "$CUR.approval_reasons[0] | \"\(.figure)/\(.threshold)\"" <<<"$j")" 1800/1500
}

# approve_pending QUOTE [--lock] [q2octl approve flags...]: every pending
# step approved by "approver-<role>" holding the step's role (as show lists
# it) with the step's required limit; --lock: each approval carries the
# version just read (--expected-version). Ends APPROVED.
approve_pending() {
  local q=$1 lock=0 role limit steps n=0; shift
  [ "${1:-}" = --lock ] && { lock=1; shift; }
  steps=$(field "$q" "$CUR.approval_steps[] | select((.approved_by // \"\") == \"\") | \"\(.role | join(\",\")) \(.required_limit // 0)\"")
  [ -n "$steps" ] || fail "$q: no pending approval step (status $(field "$q" "$CUR.status"))"
  while read -r role limit; do
    local ver=()
    [ $lock = 1 ] && ver=(--expected-version "$(field "$q" .version)")
    expect_ok "approve $q as $role" approve --quote "$q" --actor "approver-${role,,}" --roles "$role" \
      --authority-limit "$limit" "${ver[@]}" "$@"
    n=$((n + 1))
  done <<<"$steps"
  expect_status "$q" APPROVED '$'
}
# expect_status QUOTE STATUS REV ('$': the current revision)
expect_status() {
  local rev=$3
  [ "$rev" = '$' ] && rev=$(field "$1" .current_revision)
  expect_eq "$1: status of revision $rev" "$(field "$1" ".revisions[$rev - 1].status")" "$2"
}

# proposal FILE QUOTE REV TEXT: a deterministic stand-in for the document
# worker's PDF (its SHA-256 is what is attached, presented and signed).
proposal() { printf '%%PDF-1.4\n%% proposal %s revision %s\n%s\n' "$2" "$3" "$4" >"$1"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

scenario() { SCENARIO=$1; step "scenario: $1"; }
scenario_ok() { echo "ok - $SCENARIO"; }

# run_scenarios FUNCTION...: each in the background with its own scratch
# dir and log; then every log in order; fails if any scenario failed.
run_scenarios() {
  local i rc failed=()
  local fns=("$@")
  for i in "${!fns[@]}"; do
    (S=$WORK/scenario-$i; mkdir -p "$S"; "${fns[$i]}") >"$WORK/scenario-$i.log" 2>&1 &
    SCENARIO_PIDS+=($!)
  done
  for i in "${!fns[@]}"; do
    rc=0; wait "${SCENARIO_PIDS[$i]}" || rc=$?
    cat "$WORK/scenario-$i.log"
    [ $rc -eq 0 ] || failed+=("${fns[$i]}")
  done
  SCENARIO_PIDS=()
  [ ${#failed[@]} -eq 0 ] || fail "${#failed[@]} of ${#fns[@]} scenarios failed: ${failed[*]}"
}

# ---------------------------------------------------------------- setup

step "start one Kafka node on port $PORT, create the topics, load the catalog, start the quote worker"
BS=$(bash "$KAFKA" start --nodes 1 --port $PORT --dir "$CLUSTER" | tail -n 1)
export Q2O_BOOTSTRAP=$BS
"$CTL_BIN" topics create >/dev/null || fail "q2octl topics create"
"$CTL_BIN" catalog load "$SAMPLE_CATALOG" >/dev/null || fail "q2octl catalog load"
supervise quote "$QUOTE_BIN" $QUOTE_HTTP Q2O_DATA_DIR="$WORK/quote-data" Q2O_INSTANCE_ID=quote-gov-1
wait_until 60 "quote worker ready" ready $QUOTE_HTTP
ok "bootstrap $BS, quote worker ready"

# ---------------------------------------------------------------- scenarios

scenario_approval_applied_to_changed_quote() {
  local Q FP_OLD FP_NEW
  scenario "approval applied to a changed quote"
  Q=Q-GOV-1
  new_quote $Q
  expect_ok "submit $Q" submit --quote $Q --actor $REP
  expect_status $Q IN_REVIEW 1
  FP_OLD=$(field $Q "$CUR.approval_fp")
  expect_refused $Q QUOTE_NOT_EDITABLE_IN_STATE "change the quantity while in review" \
    change-line --quote $Q --actor $REP --line L1 --qty 600
  expect_ok "recall $Q" recall --quote $Q --actor $REP
  expect_status $Q DRAFT 1
  expect_ok "change the quantity after the recall" change-line --quote $Q --actor $REP --line L1 --qty 600
  expect_ok "reprice $Q" price --quote $Q --actor $REP
  expect_ok "resubmit $Q" submit --quote $Q --actor $REP
  expect_status $Q IN_REVIEW 1
  FP_NEW=$(field $Q "$CUR.approval_fp")
  expect_ne "$Q: the approval fingerprint after the change" "$FP_NEW" "$FP_OLD"
  expect_refused $Q QUOTE_CHANGED_DURING_APPROVAL "approve citing the fingerprint reviewed before the change" \
    approve --quote $Q --actor approver-deal_desk --roles DEAL_DESK --authority-limit -1 --fingerprint "$FP_OLD"
  approve_pending $Q --fingerprint "$FP_NEW"
  expect_eq "$Q: the approved fingerprint" "$(field $Q "$CUR.approved_fp")" "$FP_NEW"
  expect_eq "$Q: the approved quantity" "$(field $Q '.lines[0].quantity')" 600
  # and once approved, a deeper discount needs a new revision (no silent change)
  expect_refused $Q QUOTE_REVISION_REQUIRED "deepen the discount of the approved revision" \
    change-line --quote $Q --actor $REP --line L1 --discount-pct 25
  scenario_ok
}

scenario_customer_signs_old_revision() {
  local Q H1 H2 DOC1 DOC2 J
  scenario "customer signs an old revision"
  Q=Q-GOV-2
  new_quote $Q
  expect_ok "submit $Q" submit --quote $Q --actor $REP
  approve_pending $Q
  proposal "$WORK/$Q-R1.pdf" $Q 1 "500 users at 18 %"
  H1=$(sha "$WORK/$Q-R1.pdf")
  expect_ok "attach revision 1's proposal" attach-document --quote $Q "${DOCWORKER[@]}" --file "$WORK/$Q-R1.pdf"
  expect_ok "present revision 1" present --quote $Q --actor $REP
  expect_status $Q PRESENTED 1
  DOC1=$(field $Q "$CUR.document_id")
  expect_eq "$Q: revision 1's presented hash" "$(field $Q "$CUR.presented_hash")" "$H1"
  expect_ok "revise $Q (revision 2 supersedes 1)" revise --quote $Q --actor $REP --reason CUSTOMER_REQUEST
  expect_eq "$Q: current revision" "$(field $Q .current_revision)" 2
  expect_status $Q SUPERSEDED 1
  expect_refused $Q QUOTE_ALREADY_SUPERSEDED "customer signs revision 1 while revision 2 is being prepared" \
    accept --quote $Q "${CUSTOMER[@]}" --revision 1 --document-id "$DOC1" --hash "$H1"
  expect_ok "change revision 2" change-line --quote $Q --actor $REP --line L1 --qty 600
  expect_ok "price revision 2" price --quote $Q --actor $REP
  expect_ok "submit revision 2" submit --quote $Q --actor $REP
  approve_pending $Q
  proposal "$WORK/$Q-R2.pdf" $Q 2 "600 users at 18 %"
  H2=$(sha "$WORK/$Q-R2.pdf")
  expect_ok "attach revision 2's proposal" attach-document --quote $Q "${DOCWORKER[@]}" --file "$WORK/$Q-R2.pdf"
  expect_ok "present revision 2" present --quote $Q --actor $REP
  expect_status $Q PRESENTED 2
  DOC2=$(field $Q "$CUR.document_id")
  expect_ne "$Q: the two proposals" "$H2" "$H1"
  expect_refused $Q QUOTE_ALREADY_SUPERSEDED "customer signs revision 1 (its document) after revision 2 was presented" \
    accept --quote $Q "${CUSTOMER[@]}" --revision 1 --document-id "$DOC1" --hash "$H1"
  expect_refused $Q QUOTE_DOCUMENT_MISMATCH "customer signs revision 1's document without naming a revision" \
    accept --quote $Q "${CUSTOMER[@]}" --document-id "$DOC1" --hash "$H1"
  expect_refused $Q QUOTE_ALREADY_SUPERSEDED "the rep re-presents revision 1" \
    present --quote $Q --actor $REP --revision 1 --document-id "$DOC1" --hash "$H1"
  expect_ok "customer signs revision 2" accept --quote $Q "${CUSTOMER[@]}" --revision 2 --document-id "$DOC2" --hash "$H2"
  J=$(quote_json $Q)
  expect_eq "$Q: accepted revision" "$(jq -r .accepted_revision <<<"$J")" 2
  expect_eq "$Q: revision 1" "$(jq -r '.revisions[0].status' <<<"$J")" SUPERSEDED
  expect_eq "$Q: revision 2" "$(jq -r '.revisions[1].status' <<<"$J")" ACCEPTED
  expect_eq "$Q: the signed document" "$(jq -r '.revisions[1].acceptance.document_hash' <<<"$J")" "$H2"
  scenario_ok
}

scenario_proposal_document_drift() {
  local Q FP FP_DRAFT H H_ALT
  scenario "proposal document drift"
  Q=Q-GOV-3
  new_quote $Q 400
  FP_DRAFT=$(field $Q "$CUR.approval_fp")   # the snapshot before the final price update
  expect_ok "final price update: 500 users" change-line --quote $Q --actor $REP --line L1 --qty 500
  expect_ok "reprice $Q" price --quote $Q --actor $REP
  expect_ok "submit $Q" submit --quote $Q --actor $REP
  approve_pending $Q
  FP=$(field $Q "$CUR.approved_fp")
  expect_ne "$Q: the approved snapshot vs the earlier one" "$FP" "$FP_DRAFT"
  proposal "$WORK/$Q-early.pdf" $Q 1 "400 users at 18 % (rendered before the final price update)"
  proposal "$WORK/$Q.pdf" $Q 1 "500 users at 18 %"
  proposal "$WORK/$Q-altered.pdf" $Q 1 "500 users at 28 %"
  H=$(sha "$WORK/$Q.pdf")
  H_ALT=$(sha "$WORK/$Q-altered.pdf")
  expect_refused $Q QUOTE_APPROVAL_STALE "attach a proposal rendered from the snapshot before the final price update" \
    attach-document --quote $Q "${DOCWORKER[@]}" --file "$WORK/$Q-early.pdf" --snapshot-fp "$FP_DRAFT"
  expect_ok "attach the proposal of the approved snapshot" attach-document --quote $Q "${DOCWORKER[@]}" --file "$WORK/$Q.pdf"
  expect_eq "$Q: the attached document's snapshot" "$(field $Q "$CUR.document_snapshot_fp")" "$FP"
  expect_refused $Q QUOTE_DOCUMENT_MISMATCH "present a document other than the attached one" \
    present --quote $Q --actor $REP --hash "$H_ALT"
  expect_ok "present $Q" present --quote $Q --actor $REP
  expect_eq "$Q: the presented hash" "$(field $Q "$CUR.presented_hash")" "$H"
  expect_refused $Q QUOTE_DOCUMENT_MISMATCH "customer signs an altered document" \
    accept --quote $Q "${CUSTOMER[@]}" --hash "$H_ALT"
  expect_ok "customer signs the presented document" accept --quote $Q "${CUSTOMER[@]}" --hash "$H"
  expect_status $Q ACCEPTED 1
  expect_eq "$Q: the signed document" "$(field $Q "$CUR.acceptance.document_hash")" "$H"
  scenario_ok
}

scenario_quote_modified_during_approval() {
  local Q V J0 J1 FP LINES0 TERMS0
  scenario "quote modified during approval"
  Q=Q-GOV-4
  new_quote $Q
  expect_ok "submit $Q" submit --quote $Q --actor $REP
  expect_status $Q IN_REVIEW 1
  J0=$(quote_json $Q)
  FP=$(jq -r "$CUR.approval_fp" <<<"$J0")
  LINES0=$(jq -c .lines <<<"$J0")
  TERMS0=$(jq -c "$CUR.terms" <<<"$J0")
  expect_refused $Q QUOTE_NOT_EDITABLE_IN_STATE "change the quantity while in review" \
    change-line --quote $Q --actor $REP --line L1 --qty 900
  expect_refused $Q QUOTE_NOT_EDITABLE_IN_STATE "deepen the discount while in review" \
    change-line --quote $Q --actor $REP --line L1 --discount-pct 30
  expect_refused $Q QUOTE_NOT_EDITABLE_IN_STATE "change the payment terms while in review" \
    terms --quote $Q --actor $REP --payment-terms NET45 --term-months 36
  expect_refused $Q QUOTE_NOT_EDITABLE_IN_STATE "add a line while in review" \
    add-line --quote $Q --actor $REP --line L2 --offering SAAS-ENT-USER --qty 10
  # optimistic lock: the approver read version V; a note (allowed in review,
  # not commercial) moves the quote to V+1; an approval conditional on V is refused
  V=$(field $Q .version)
  expect_ok "a note while in review" note --quote $Q --actor $REP --text "customer asked for a call"
  expect_eq "$Q: version after the note" "$(field $Q .version)" $((V + 1))
  expect_refused $Q QUOTE_CONCURRENT_MODIFICATION "approve conditional on the version read before the note" \
    approve --quote $Q --actor approver-deal_desk --roles DEAL_DESK --authority-limit -1 --expected-version "$V"
  approve_pending $Q --lock
  J1=$(quote_json $Q)
  expect_eq "$Q: the approved fingerprint is the one submitted" "$(jq -r "$CUR.approved_fp" <<<"$J1")" "$FP"
  expect_eq "$Q: the approved lines are the submitted ones" "$(jq -c .lines <<<"$J1")" "$LINES0"
  expect_eq "$Q: the approved terms are the submitted ones" "$(jq -c "$CUR.terms" <<<"$J1")" "$TERMS0"
  scenario_ok
}

step "four scenarios, concurrently (one quote each)"
run_scenarios scenario_approval_applied_to_changed_quote scenario_customer_signs_old_revision scenario_proposal_document_drift scenario_quote_modified_during_approval

# ---------------------------------------------------------------- verify
step "q2octl verify: every quote's hash chain"
for q in Q-GOV-1 Q-GOV-2 Q-GOV-3 Q-GOV-4; do
  ctl verify "$q"
  [ "$RC" -eq 0 ] && [ "$(jq -r .ok "$S/out")" = true ] || { show_result; fail "verify $q"; }
  ok "$q: chain intact, $(jq -r .events "$S/out") events"
done
unsupervise quote
[ "$(last_exit quote)" = 0 ] || fail "the quote worker exited $(last_exit quote) on SIGTERM"
ok "the quote worker stopped cleanly"
