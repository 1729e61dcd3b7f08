/*
 * The editability matrix of SPEC §3 as data: for each action and revision
 * status, a verdict, the code a command gets when the verdict is no, and a
 * note. The handlers in quote_decide*.c consult it through dc_require, and
 * q2o_quote_allowed answers "what may I do now" from it, so the published
 * matrix and the enforced one cannot drift apart.
 */
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "decide_internal.h"

#define R_EDIT (Q2O_ROLE_SALES_REP | Q2O_ROLE_SALES_ENGINEER | Q2O_ROLE_SALES_MANAGER | \
                Q2O_ROLE_DEAL_DESK | Q2O_ROLE_SYSTEM | Q2O_ROLE_ADMIN)
#define R_INTERNAL (R_EDIT | Q2O_ROLE_FINANCE | Q2O_ROLE_LEGAL | Q2O_ROLE_OPERATIONS)
#define R_APPROVER (Q2O_ROLE_SALES_MANAGER | Q2O_ROLE_DEAL_DESK | Q2O_ROLE_FINANCE | Q2O_ROLE_LEGAL)
#define R_ACCEPT (Q2O_ROLE_CUSTOMER | Q2O_ROLE_PARTNER | Q2O_ROLE_SYSTEM)

static const uint32_t action_roles[Q2O_ACT__COUNT] = {
    [Q2O_ACT_EDIT_LINES] = R_EDIT,
    [Q2O_ACT_CHANGE_TERMS] = R_EDIT,
    [Q2O_ACT_INTERNAL_NOTE] = R_INTERNAL,
    [Q2O_ACT_PRICE] = R_EDIT,
    [Q2O_ACT_SUBMIT] = R_EDIT,
    [Q2O_ACT_APPROVE] = R_APPROVER,
    [Q2O_ACT_ATTACH_DOCUMENT] = Q2O_ROLE_SYSTEM | Q2O_ROLE_ADMIN,
    [Q2O_ACT_SEND_PROPOSAL] = R_EDIT,
    [Q2O_ACT_ACCEPT] = R_ACCEPT,
    [Q2O_ACT_CUSTOMER_REJECT] = R_ACCEPT | Q2O_ROLE_SALES_REP | Q2O_ROLE_SALES_MANAGER,
    [Q2O_ACT_CONVERT] = Q2O_ROLE_SALES_REP | Q2O_ROLE_SALES_MANAGER | Q2O_ROLE_OPERATIONS |
                        Q2O_ROLE_SYSTEM | Q2O_ROLE_ADMIN,
    [Q2O_ACT_CANCEL] = Q2O_ROLE_SALES_REP | Q2O_ROLE_SALES_MANAGER | Q2O_ROLE_DEAL_DESK | Q2O_ROLE_ADMIN,
    [Q2O_ACT_CREATE_REVISION] = R_EDIT,
    [Q2O_ACT_RECALL] = R_EDIT,
};

#define YES {Q2O_V_YES, Q2O_OK, NULL}
#define DRAFT {Q2O_V_YES_BACK_TO_DRAFT, Q2O_OK, "returns the revision to Draft; reprice"}
#define NEWREV {Q2O_V_NEW_REVISION, Q2O_QUOTE_REVISION_REQUIRED, "only in a new revision"}
#define NO(code, note) {Q2O_V_NO, Q2O_##code, note}
#define COND(code, note) {Q2O_V_CONDITIONAL, Q2O_##code, note}
#define ALREADY(code, note) {Q2O_V_ALREADY, Q2O_##code, note}
#define LOCKED NO(QUOTE_NOT_EDITABLE_IN_STATE, "locked while in review; recall the approval first")
#define FROZEN NO(QUOTE_NOT_EDITABLE_IN_STATE, "an accepted revision never changes")
#define DONE NO(QUOTE_NOT_EDITABLE_IN_STATE, "the revision is closed")
#define SUPER NO(QUOTE_ALREADY_SUPERSEDED, "a newer revision exists")
#define EXPIRED_REV {Q2O_V_NEW_REVISION, Q2O_QUOTE_EXPIRED, "expired: revive through a new revision"}

/* Columns: NONE DRAFT PRICED REQUIRES_APPROVAL IN_REVIEW APPROVED PRESENTED
 *          ACCEPTED CONVERTED REJECTED EXPIRED CANCELED SUPERSEDED */
static const q2o_matrix_cell matrix[Q2O_ACT__COUNT][Q2O_ST__COUNT] = {
    [Q2O_ACT_EDIT_LINES] = {DONE, YES, DRAFT, DRAFT, LOCKED, NEWREV, NEWREV, FROZEN, FROZEN, NEWREV,
                            EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_CHANGE_TERMS] = {DONE, YES, DRAFT, DRAFT, LOCKED, NEWREV, NEWREV, FROZEN, FROZEN, NEWREV,
                              EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_INTERNAL_NOTE] = {DONE, YES, YES, YES, YES, YES, YES, YES, YES, YES, YES, YES,
                               NO(QUOTE_ALREADY_SUPERSEDED, "note the current revision")},
    [Q2O_ACT_PRICE] = {DONE, YES, YES, YES, LOCKED, NEWREV, NEWREV, FROZEN, FROZEN, NEWREV, EXPIRED_REV,
                       DONE, SUPER},
    [Q2O_ACT_SUBMIT] = {DONE, NO(QUOTE_PRICE_STALE, "price the revision first"),
                        YES, YES, NO(QUOTE_NOT_EDITABLE_IN_STATE, "already in review"),
                        COND(QUOTE_NOT_EDITABLE_IN_STATE, "only when the approval window has passed"),
                        NO(QUOTE_NOT_EDITABLE_IN_STATE, "already presented"), FROZEN, FROZEN, NEWREV,
                        EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_APPROVE] = {DONE, NO(QUOTE_NOT_EDITABLE_IN_STATE, "not submitted for approval"),
                         NO(QUOTE_NOT_EDITABLE_IN_STATE, "not submitted for approval"),
                         NO(QUOTE_NOT_EDITABLE_IN_STATE, "not submitted for approval yet"), YES,
                         NO(QUOTE_NOT_EDITABLE_IN_STATE, "already approved"),
                         NO(QUOTE_NOT_EDITABLE_IN_STATE, "already approved and presented"), FROZEN, FROZEN,
                         DONE, EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_ATTACH_DOCUMENT] = {DONE, NO(QUOTE_NOT_EDITABLE_IN_STATE, "not approved"),
                                 COND(QUOTE_APPROVAL_REQUIRED, "only when no approval is needed"),
                                 NO(QUOTE_APPROVAL_REQUIRED, "approve first"), NO(QUOTE_APPROVAL_REQUIRED, "approve first"),
                                 YES, YES, FROZEN, FROZEN, DONE, EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_SEND_PROPOSAL] = {DONE, NO(QUOTE_PRICE_STALE, "price and approve first"),
                               COND(QUOTE_APPROVAL_REQUIRED, "only when no approval is needed"),
                               NO(QUOTE_APPROVAL_REQUIRED, "submit for approval first"),
                               NO(QUOTE_APPROVAL_REQUIRED, "approval in progress"), YES,
                               {Q2O_V_YES, Q2O_OK, "resend"}, FROZEN, FROZEN, NEWREV, EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_ACCEPT] = {DONE, NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                        NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"), NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                        NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"), NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                        YES, ALREADY(QUOTE_ALREADY_ACCEPTED, "already accepted"),
                        NO(QUOTE_ALREADY_CONVERTED, "already converted"), DONE, EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_CUSTOMER_REJECT] = {DONE, NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                                 NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                                 NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                                 NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"),
                                 NO(QUOTE_NOT_EDITABLE_IN_STATE, "not presented"), YES, FROZEN, FROZEN, DONE,
                                 EXPIRED_REV, DONE, SUPER},
    [Q2O_ACT_CONVERT] = {DONE, NO(QUOTE_CONVERSION_NOT_READY, "not accepted"),
                         NO(QUOTE_CONVERSION_NOT_READY, "not accepted"), NO(QUOTE_CONVERSION_NOT_READY, "not accepted"),
                         NO(QUOTE_CONVERSION_NOT_READY, "not accepted"), NO(QUOTE_CONVERSION_NOT_READY, "not accepted"),
                         NO(QUOTE_CONVERSION_NOT_READY, "not accepted yet"), YES,
                         ALREADY(QUOTE_ALREADY_CONVERTED, "already converted: same key gives the same order"),
                         DONE, {Q2O_V_NO, Q2O_QUOTE_EXPIRED, "expired"}, DONE, SUPER},
    [Q2O_ACT_CANCEL] = {DONE, YES, YES, YES, YES, YES, YES,
                        COND(QUOTE_NOT_EDITABLE_IN_STATE, "only when the acceptance policy allows it"),
                        NO(QUOTE_ALREADY_CONVERTED, "converted: cancel the order instead"), DONE, DONE,
                        ALREADY(QUOTE_NOT_EDITABLE_IN_STATE, "already canceled"), SUPER},
    [Q2O_ACT_CREATE_REVISION] = {DONE, NO(QUOTE_NOT_EDITABLE_IN_STATE, "edit the draft directly"), YES, YES,
                                 LOCKED, YES, YES, FROZEN, FROZEN, YES, YES, DONE, SUPER},
    [Q2O_ACT_RECALL] = {DONE, NO(QUOTE_NOT_EDITABLE_IN_STATE, "nothing awaits approval"),
                        NO(QUOTE_NOT_EDITABLE_IN_STATE, "nothing awaits approval"), YES, YES,
                        NO(QUOTE_NOT_EDITABLE_IN_STATE, "already approved: create a revision"),
                        NO(QUOTE_NOT_EDITABLE_IN_STATE, "already presented: create a revision"), FROZEN, FROZEN, DONE,
                        EXPIRED_REV, DONE, SUPER},
};

static const char *const action_names[] = {
#define Q2O_ACT_NAME_(n, s) s,
    Q2O_ACTION_LIST(Q2O_ACT_NAME_)
#undef Q2O_ACT_NAME_
};

const char *q2o_action_name(q2o_action a)
{
    return (unsigned)a < Q2O_ACT__COUNT ? action_names[a] : "?";
}

const char *q2o_verdict_name(q2o_verdict v)
{
    static const char *const names[] = {"no", "yes", "yes, back to Draft", "new revision", "conditional",
                                        "already"};
    return (unsigned)v < Q2O_ARRAY_LEN(names) ? names[v] : "?";
}

const q2o_matrix_cell *q2o_matrix_cell_at(q2o_action a, q2o_status s)
{
    Q2O_CHECK((unsigned)a < Q2O_ACT__COUNT && (unsigned)s < Q2O_ST__COUNT);
    return &matrix[a][s];
}

uint32_t q2o_action_roles(q2o_action a)
{
    return (unsigned)a < Q2O_ACT__COUNT ? action_roles[a] : 0;
}

int q2o_command_action(q2o_command_type t)
{
    switch (t) {
    case Q2O_CMD_ADD_LINE:
    case Q2O_CMD_CHANGE_LINE:
    case Q2O_CMD_REMOVE_LINE: return Q2O_ACT_EDIT_LINES;
    case Q2O_CMD_CHANGE_TERMS: return Q2O_ACT_CHANGE_TERMS;
    case Q2O_CMD_ADD_NOTE: return Q2O_ACT_INTERNAL_NOTE;
    case Q2O_CMD_PRICE_QUOTE: return Q2O_ACT_PRICE;
    case Q2O_CMD_SUBMIT_FOR_APPROVAL: return Q2O_ACT_SUBMIT;
    case Q2O_CMD_RECALL_APPROVAL: return Q2O_ACT_RECALL;
    case Q2O_CMD_APPROVE_STEP:
    case Q2O_CMD_REJECT_APPROVAL: return Q2O_ACT_APPROVE;
    case Q2O_CMD_ATTACH_DOCUMENT: return Q2O_ACT_ATTACH_DOCUMENT;
    case Q2O_CMD_PRESENT_QUOTE: return Q2O_ACT_SEND_PROPOSAL;
    case Q2O_CMD_ACCEPT_QUOTE: return Q2O_ACT_ACCEPT;
    case Q2O_CMD_REJECT_BY_CUSTOMER: return Q2O_ACT_CUSTOMER_REJECT;
    case Q2O_CMD_CONVERT_TO_ORDER: return Q2O_ACT_CONVERT;
    case Q2O_CMD_CANCEL_QUOTE: return Q2O_ACT_CANCEL;
    case Q2O_CMD_CREATE_REVISION: return Q2O_ACT_CREATE_REVISION;
    default: return -1;
    }
}

uint32_t q2o_command_roles(q2o_command_type t)
{
    switch (t) {
    case Q2O_CMD_CREATE_QUOTE: return R_EDIT;
    case Q2O_CMD_REASSIGN_OWNER: return Q2O_ROLE_SALES_MANAGER | Q2O_ROLE_DEAL_DESK | Q2O_ROLE_ADMIN;
    case Q2O_CMD_EXPIRE_QUOTE: return Q2O_ROLE_SYSTEM | Q2O_ROLE_ADMIN;
    default: {
        int a = q2o_command_action(t);
        return a >= 0 ? action_roles[a] : 0;
    }
    }
}

/* Conditions of CONDITIONAL cells, evaluated on the state. */
static int condition_holds(const q2o_quote *q, const q2o_revision *r, q2o_action a, q2o_time_ms now)
{
    if (r->status == Q2O_ST_PRICED && (a == Q2O_ACT_SEND_PROPOSAL || a == Q2O_ACT_ATTACH_DOCUMENT))
        return !r->approval_required;
    if (r->status == Q2O_ST_APPROVED && a == Q2O_ACT_SUBMIT)
        return r->approved && !r->auto_approved && r->approval_expires_at <= now;
    if (r->status == Q2O_ST_ACCEPTED && a == Q2O_ACT_CANCEL)
        return q->header.acceptance.allow_cancel_after_accept;
    return 0;
}

/* A proposal refused because approval is pending says which rule it waits
 * for when that rule is the discount (the validation code of SPEC §8). */
static q2o_err refusal_code(const q2o_revision *r, q2o_action a, const q2o_matrix_cell *cell)
{
    if (cell->code == Q2O_QUOTE_APPROVAL_REQUIRED && (a == Q2O_ACT_SEND_PROPOSAL || a == Q2O_ACT_ATTACH_DOCUMENT) &&
        r->approval_required && r->n_reasons && r->reasons[0].rule == Q2O_AR_DISCOUNT_ABOVE_THRESHOLD)
        return Q2O_DISCOUNT_REQUIRES_APPROVAL;
    return cell->code;
}

void q2o_quote_allowed(const q2o_quote *q, const q2o_actor *actor, q2o_time_ms now,
                       q2o_allowed out[Q2O_ACT__COUNT])
{
    const q2o_revision *r = q2o_quote_current(q);
    char roles[128];
    for (int a = 0; a < Q2O_ACT__COUNT; a++) {
        q2o_allowed *o = &out[a];
        const q2o_matrix_cell *cell = q2o_matrix_cell_at((q2o_action)a, r ? r->status : Q2O_ST_NONE);
        memset(o, 0, sizeof *o);
        o->action = (q2o_action)a;
        o->verdict = cell->verdict;
        o->code = cell->code;
        if (!(actor->roles & action_roles[a])) {
            o->code = Q2O_AUTH_ROLE_REQUIRED;
            snprintf(o->reason, sizeof o->reason, "needs one of the roles %s",
                     q2o_roles_format(action_roles[a], roles, sizeof roles));
            continue;
        }
        int ok = cell->verdict == Q2O_V_YES || cell->verdict == Q2O_V_YES_BACK_TO_DRAFT ||
                 (cell->verdict == Q2O_V_CONDITIONAL && r && condition_holds(q, r, (q2o_action)a, now));
        o->allowed = ok;
        o->code = ok ? Q2O_OK : r ? refusal_code(r, (q2o_action)a, cell) : cell->code;
        snprintf(o->reason, sizeof o->reason, "%s: %s", r ? q2o_status_name(r->status) : "NONE",
                 cell->note ? cell->note : (ok ? "allowed" : q2o_err_message(cell->code)));
    }
}

q2o_err dc_require(decide_ctx *c, q2o_action action)
{
    const q2o_matrix_cell *cell = q2o_matrix_cell_at(action, c->rev->status);
    switch (cell->verdict) {
    case Q2O_V_YES:
    case Q2O_V_YES_BACK_TO_DRAFT: return Q2O_OK;
    case Q2O_V_CONDITIONAL:
        if (condition_holds(c->q, c->rev, action, c->now))
            return Q2O_OK;
        break;
    default: break;
    }
    return dc_fail(c, refusal_code(c->rev, action, cell), "%s is not allowed in %s: %s", q2o_action_name(action),
                   q2o_status_name(c->rev->status), cell->note ? cell->note : "");
}
