/*
 * The editability matrix (SPEC §3), cell by cell: the published data
 * (q2o_matrix_cell_at), the answer to "what may I do now"
 * (q2o_quote_allowed) and what a command handler actually does must agree.
 *
 * For every action and every status DRAFT..SUPERSEDED: given a fresh quote
 * driven to that status, when the action's representative command (complete,
 * so that only the state can refuse it) is sent by an actor holding the
 * action's role, then
 *   YES, YES_BACK_TO_DRAFT  it succeeds (back-to-draft leaves Draft);
 *   CONDITIONAL             it succeeds iff the condition holds, else it is
 *                           refused with the cell's code;
 *   NO, NEW_REVISION        it is refused with exactly the cell's code;
 *   ALREADY                 likewise, except convert with the same key: the
 *                           same order, replayed, no events;
 * q2o_quote_allowed agrees (allowed <=> not refused with the cell's code),
 * and an actor holding every role but the action's gets AUTH_ROLE_REQUIRED
 * from both.
 *
 * The NONE column is not a revision's state: before CreateQuote every
 * command is refused with QUOTE_NOT_FOUND by the envelope, before any cell
 * is consulted (see no_cell_applies_before_the_quote_exists).

 * GAP (reported): q2o_quote_allowed answers for the current revision only, so
 * its answer for the SUPERSEDED column cannot be asked; that column is
 * checked against the handlers only.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(editability_matrix, .init = setup, .fini = teardown);

/* The command that stands for each action. */
static const q2o_command_type representative[Q2O_ACT__COUNT] = {
    [Q2O_ACT_EDIT_LINES] = Q2O_CMD_ADD_LINE,
    [Q2O_ACT_CHANGE_TERMS] = Q2O_CMD_CHANGE_TERMS,
    [Q2O_ACT_INTERNAL_NOTE] = Q2O_CMD_ADD_NOTE,
    [Q2O_ACT_PRICE] = Q2O_CMD_PRICE_QUOTE,
    [Q2O_ACT_SUBMIT] = Q2O_CMD_SUBMIT_FOR_APPROVAL,
    [Q2O_ACT_APPROVE] = Q2O_CMD_APPROVE_STEP,
    [Q2O_ACT_ATTACH_DOCUMENT] = Q2O_CMD_ATTACH_DOCUMENT,
    [Q2O_ACT_SEND_PROPOSAL] = Q2O_CMD_PRESENT_QUOTE,
    [Q2O_ACT_ACCEPT] = Q2O_CMD_ACCEPT_QUOTE,
    [Q2O_ACT_CUSTOMER_REJECT] = Q2O_CMD_REJECT_BY_CUSTOMER,
    [Q2O_ACT_CONVERT] = Q2O_CMD_CONVERT_TO_ORDER,
    [Q2O_ACT_CANCEL] = Q2O_CMD_CANCEL_QUOTE,
    [Q2O_ACT_CREATE_REVISION] = Q2O_CMD_CREATE_REVISION,
    [Q2O_ACT_RECALL] = Q2O_CMD_RECALL_APPROVAL,
};

/* The conditions of the CONDITIONAL cells, as SPEC §3 states them. */
static int condition_holds(const q2o_quote *q, q2o_action a)
{
    const q2o_revision *r = q2o_quote_current(q);
    if (r->status == Q2O_ST_PRICED && (a == Q2O_ACT_SEND_PROPOSAL || a == Q2O_ACT_ATTACH_DOCUMENT))
        return !r->approval_required; /* "if no approval needed" */
    if (r->status == Q2O_ST_ACCEPTED && a == Q2O_ACT_CANCEL)
        return q->header.acceptance.allow_cancel_after_accept; /* "by policy" */
    if (r->status == Q2O_ST_APPROVED && a == Q2O_ACT_SUBMIT)
        return r->approved && !r->auto_approved && r->approval_expires_at <= f.now; /* resubmit */
    return 0;
}

static int cell_allows(const q2o_matrix_cell *cell, const q2o_quote *q, q2o_action a)
{
    return cell->verdict == Q2O_V_YES || cell->verdict == Q2O_V_YES_BACK_TO_DRAFT ||
           (cell->verdict == Q2O_V_CONDITIONAL && condition_holds(q, a));
}

static q2o_allowed allowed_for(const q2o_actor *actor, q2o_action a)
{
    q2o_allowed all[Q2O_ACT__COUNT];
    q2o_quote_allowed(f.q, actor, f.now, all);
    return all[a];
}

/* An actor holding every role except those of the action. */
static void then_outsider_is_refused(const q2o_command *c, q2o_action a, const char *where)
{
    q2o_command out = *c;
    Q2O_STRCPY(out.actor.id, "outsider");
    out.actor.roles = (uint32_t)Q2O_ROLE__ALL & ~q2o_action_roles(a);
    snprintf(out.command_id, sizeof out.command_id, "cmd-outsider-%d", ++f.seq);
    q2o_allowed o = allowed_for(&out.actor, a);
    cr_assert_not(o.allowed, "%s: allowed without the role", where);
    cr_assert_eq(o.code, Q2O_AUTH_ROLE_REQUIRED, "%s: allowed() says %s", where, q2o_err_name(o.code));
    q2o_err err = fx_send(&f, &out);
    cr_assert_eq(err, Q2O_AUTH_ROLE_REQUIRED, "%s: command without the role got %s", where, q2o_err_name(err));
}

/* The code a refused command gets: the cell's, except that a proposal
 * waiting for an approval the discount fired names DISCOUNT_REQUIRES_APPROVAL
 * (the validation code SPEC §8 lists). */
static q2o_err refusal_code(const q2o_matrix_cell *cell, q2o_action a)
{
    const q2o_revision *r = fx_rev(&f);
    if (cell->code == Q2O_QUOTE_APPROVAL_REQUIRED && (a == Q2O_ACT_SEND_PROPOSAL || a == Q2O_ACT_ATTACH_DOCUMENT) &&
        r->approval_required && r->n_reasons && r->reasons[0].rule == Q2O_AR_DISCOUNT_ABOVE_THRESHOLD)
        return Q2O_DISCOUNT_REQUIRES_APPROVAL;
    return cell->code;
}

/* The whole check of one cell on the state f is in now: `revision` targets
 * a revision other than the current one (0 = current). */
static void check_cell(q2o_action a, q2o_status s, int32_t revision)
{
    const q2o_matrix_cell *cell = q2o_matrix_cell_at(a, s);
    char where[160];
    snprintf(where, sizeof where, "%s x %s (%s)", q2o_action_name(a), q2o_status_name(s),
             q2o_verdict_name(cell->verdict));
    if (a == Q2O_ACT_SEND_PROPOSAL && fx_rev(&f)->document_status != Q2O_OP_DONE)
        fx_attach(&f); /* sending needs the document; refused where the state forbids it */

    q2o_command c = fx_command_for(&f, representative[a], NULL);
    c.revision = revision;
    if (a == Q2O_ACT_CONVERT)
        c.u.convert.expected_status = Q2O_ST_NONE; /* ask the matrix, not the expected-status check */
    cr_assert(c.actor.roles & q2o_action_roles(a), "%s: the representative actor lacks the role", where);
    then_outsider_is_refused(&c, a, where);

    int expect_ok = cell_allows(cell, f.q, a);
    int replay = a == Q2O_ACT_CONVERT && cell->verdict == Q2O_V_ALREADY;
    q2o_allowed o = allowed_for(&c.actor, a);
    q2o_err want = refusal_code(cell, a);
    q2o_err err = fx_send(&f, &c);

    if (expect_ok || replay)
        cr_assert_eq(err, Q2O_OK, "%s: refused with %s (%s)", where, q2o_err_name(err), f.last.detail);
    else
        cr_assert_eq(err, want, "%s: got %s, the cell says %s (%s)", where, q2o_err_name(err),
                     q2o_err_name(want), f.last.detail);
    if (cell->verdict == Q2O_V_YES_BACK_TO_DRAFT)
        cr_assert_eq(fx_rev(&f)->status, Q2O_ST_DRAFT, "%s: left %s", where, q2o_status_name(fx_rev(&f)->status));
    if (replay) {
        cr_assert(f.last.replayed, "%s: not a replay", where);
        cr_assert_eq(f.last.n_events, 0, "%s: a replay emitted events", where);
        cr_assert_str_eq(f.last.order_id, fx_rev(&f)->conversion.order_id, "%s", where);
    }
    if (revision)
        return; /* q2o_quote_allowed has no revision argument: see GAP above */
    cr_assert_eq(o.allowed, expect_ok, "%s: allowed() says %d, the command %s", where, o.allowed,
                 q2o_err_name(err));
    cr_assert_eq(o.code, expect_ok ? Q2O_OK : want, "%s: allowed() code %s", where, q2o_err_name(o.code));
    cr_assert_eq(o.verdict, cell->verdict, "%s", where);
    cr_assert(o.reason[0], "%s: no reason given", where);
}

static void given_status_then_check_cell(q2o_action a, q2o_status s)
{
    fx_to_status(&f, s);
    check_cell(a, s, s == Q2O_ST_SUPERSEDED ? 1 : 0);
}

#define N_STATUSES (Q2O_ST__COUNT - 1) /* DRAFT..SUPERSEDED */

ParameterizedTestParameters(editability_matrix, every_cell_is_enforced_and_answered_alike)
{
    return fx_row_indices((size_t)Q2O_ACT__COUNT * N_STATUSES);
}

ParameterizedTest(size_t *i, editability_matrix, every_cell_is_enforced_and_answered_alike)
{
    q2o_action a = (q2o_action)(*i / N_STATUSES);
    q2o_status s = (q2o_status)(1 + *i % N_STATUSES);
    given_status_then_check_cell(a, s);
}

Test(editability_matrix, note_on_a_superseded_revision_goes_to_the_current_one)
{
    given_status_then_check_cell(Q2O_ACT_INTERNAL_NOTE, Q2O_ST_SUPERSEDED);
    cr_assert_eq(f.last.err, Q2O_QUOTE_ALREADY_SUPERSEDED);
}

static void allow_cancel_after_accept(q2o_quote_header *h, q2o_terms *t)
{
    (void)t;
    h->acceptance.allow_cancel_after_accept = 1;
}

Test(editability_matrix, accepted_cancel_is_allowed_when_the_policy_allows_it)
{
    fx_to_status_with(&f, Q2O_ST_ACCEPTED, allow_cancel_after_accept);
    check_cell(Q2O_ACT_CANCEL, Q2O_ST_ACCEPTED, 0);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_CANCELED);
}

Test(editability_matrix, accepted_cancel_is_refused_when_the_policy_does_not_allow_it)
{
    fx_to_status(&f, Q2O_ST_ACCEPTED);
    cr_assert_not(f.q->header.acceptance.allow_cancel_after_accept);
    check_cell(Q2O_ACT_CANCEL, Q2O_ST_ACCEPTED, 0);
    cr_assert_eq(f.last.err, Q2O_QUOTE_NOT_EDITABLE_IN_STATE);
}

Test(editability_matrix, priced_send_proposal_is_allowed_when_no_approval_is_needed)
{
    fx_to_status(&f, Q2O_ST_PRICED);
    cr_assert_not(fx_rev(&f)->approval_required);
    check_cell(Q2O_ACT_SEND_PROPOSAL, Q2O_ST_PRICED, 0);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_PRESENTED);
}

/* Pricing a revision that fires the policy moves it to RequiresApproval in
 * the same decision, so "Priced and approval required" is not a state the
 * events can build; the condition is shown on a state set by hand (decide is
 * a pure function of the state it is given). The reachable twin is the
 * REQUIRES_APPROVAL column, checked cell by cell. */
Test(editability_matrix, priced_send_proposal_is_refused_when_approval_is_required)
{
    fx_to_status(&f, Q2O_ST_REQUIRES_APPROVAL);
    f.q->revisions[f.q->n_revisions - 1].status = Q2O_ST_PRICED;
    cr_assert(fx_rev(&f)->approval_required);
    check_cell(Q2O_ACT_SEND_PROPOSAL, Q2O_ST_PRICED, 0);
    cr_assert_eq(f.last.err, Q2O_DISCOUNT_REQUIRES_APPROVAL, "the 20 %% discount is what waits");
    check_cell(Q2O_ACT_ATTACH_DOCUMENT, Q2O_ST_PRICED, 0);
    cr_assert_eq(f.last.err, Q2O_DISCOUNT_REQUIRES_APPROVAL);
}

Test(editability_matrix, converting_again_with_the_same_key_returns_the_same_order)
{
    fx_to_status(&f, Q2O_ST_CONVERTED);
    char order[Q2O_ID_MAX];
    Q2O_STRCPY(order, fx_rev(&f)->conversion.order_id);
    size_t events = f.n_log;
    cr_assert_eq(fx_convert(&f, "conv-key-1"), Q2O_OK);
    cr_assert(f.last.replayed);
    cr_assert_str_eq(f.last.order_id, order);
    cr_assert_eq(f.n_log, events, "a replay appended events");
}

Test(editability_matrix, converting_again_with_another_key_is_already_converted)
{
    fx_to_status(&f, Q2O_ST_CONVERTED);
    size_t events = f.n_log;
    cr_assert_eq(fx_convert(&f, "conv-key-2"), Q2O_QUOTE_ALREADY_CONVERTED);
    cr_assert_eq(fx_convert(&f, "conv-key-2"), q2o_matrix_cell_at(Q2O_ACT_CONVERT, Q2O_ST_CONVERTED)->code);
    cr_assert_not(f.last.replayed);
    cr_assert_eq(f.n_log, events);
}

Test(editability_matrix, no_cell_applies_before_the_quote_exists)
{
    for (int a = 0; a < Q2O_ACT__COUNT; a++) {
        q2o_command c = fx_command_for(&f, representative[a], NULL);
        q2o_allowed o = allowed_for(&c.actor, (q2o_action)a);
        cr_assert_not(o.allowed, "%s allowed on no quote", q2o_action_name((q2o_action)a));
        cr_assert_eq(fx_send(&f, &c), Q2O_QUOTE_NOT_FOUND, "%s", q2o_action_name((q2o_action)a));
    }
}

Test(editability_matrix, every_action_names_its_roles_and_every_cell_its_code)
{
    for (int a = 0; a < Q2O_ACT__COUNT; a++) {
        cr_assert_neq(q2o_action_roles((q2o_action)a), 0u, "%s has no role", q2o_action_name((q2o_action)a));
        for (int s = 0; s < Q2O_ST__COUNT; s++) {
            const q2o_matrix_cell *cell = q2o_matrix_cell_at((q2o_action)a, (q2o_status)s);
            int says_yes = cell->verdict == Q2O_V_YES || cell->verdict == Q2O_V_YES_BACK_TO_DRAFT;
            cr_assert_eq(cell->code == Q2O_OK, says_yes, "%s x %s: verdict %s with code %s",
                         q2o_action_name((q2o_action)a), q2o_status_name((q2o_status)s),
                         q2o_verdict_name(cell->verdict), q2o_err_name(cell->code));
        }
    }
}
