/*
 * evolve(): apply one event to the state, then assert the invariants of
 * SPEC §3. Events are facts: evolve never refuses one for business reasons,
 * only for a broken chain (hash or version), which means the log itself is
 * wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/money.h"
#include "core/strutil.h"
#include "domain/quote.h"

static q2o_revision *cur(q2o_quote *q)
{
    Q2O_CHECK(q->n_revisions > 0);
    return &q->revisions[q->n_revisions - 1];
}

static q2o_line *line_mut(q2o_quote *q, const char *id)
{
    for (uint32_t i = 0; i < q->n_lines; i++)
        if (strcmp(q->lines[i].line_id, id) == 0)
            return &q->lines[i];
    return NULL;
}

static void reserve_lines(q2o_quote *q, uint32_t n)
{
    if (n <= q->cap_lines)
        return;
    uint32_t cap = q->cap_lines ? q->cap_lines * 2 : 8;
    while (cap < n)
        cap *= 2;
    q->lines = realloc(q->lines, cap * sizeof *q->lines);
    Q2O_CHECK(q->lines != NULL);
    q->cap_lines = cap;
}

/* A commercial edit invalidates the price (and with it the approval
 * evaluation); an earlier approval stays on record for reuse. */
static void back_to_draft(q2o_quote *q)
{
    q2o_revision *r = cur(q);
    r->status = Q2O_ST_DRAFT;
    r->priced = 0;
    r->approval_required = 0;
    r->n_reasons = r->n_steps = 0;
    memset(r->approval_fp, 0, sizeof r->approval_fp);
    for (uint32_t i = 0; i < q->n_lines; i++)
        q->lines[i].priced = 0;
}

static void apply_priced(q2o_quote *q, const q2o_ev_priced *p)
{
    q2o_revision *r = cur(q);
    Q2O_CHECK(p->n_lines == q->n_lines);
    for (uint32_t i = 0; i < p->n_lines; i++) {
        q2o_line *l = line_mut(q, p->lines[i].line_id);
        Q2O_CHECK(l != NULL);
        l->price = p->lines[i].price;
        l->priced = 1;
        Q2O_STRCPY(l->display_name, p->lines[i].display_name);
    }
    r->status = Q2O_ST_PRICED;
    r->priced = 1;
    q2o_revision_set_price(r, p);
    r->approval_required = 0;
    r->n_reasons = r->n_steps = 0;
    r->document_status = Q2O_OP_NONE;
}

static void apply_line_event(q2o_quote *q, const q2o_event *e)
{
    if (e->type == Q2O_EV_LINE_ADDED) {
        reserve_lines(q, q->n_lines + 1);
        q->lines[q->n_lines++] = e->u.line;
    } else if (e->type == Q2O_EV_LINE_CHANGED) {
        q2o_line *l = line_mut(q, e->u.line.line_id);
        Q2O_CHECK(l != NULL);
        *l = e->u.line;
    } else {
        q2o_line *l = line_mut(q, e->u.line_id);
        Q2O_CHECK(l != NULL);
        uint32_t i = (uint32_t)(l - q->lines);
        memmove(&q->lines[i], &q->lines[i + 1], (q->n_lines - i - 1) * sizeof *l);
        q->n_lines--;
    }
    back_to_draft(q);
}

static void close_revision(q2o_revision *r, q2o_status to)
{
    r->status_before_close = r->status;
    r->status = to;
}

/* The lines as the parent revision left them: what the new revision's
 * QuotePriced will name its changes against. */
static void capture_baseline(q2o_quote *q)
{
    free(q->baseline);
    q->baseline = NULL;
    q->n_baseline = q->n_lines;
    if (!q->n_lines)
        return;
    q->baseline = calloc(q->n_lines, sizeof *q->baseline);
    Q2O_CHECK(q->baseline != NULL);
    for (uint32_t i = 0; i < q->n_lines; i++) {
        const q2o_line *l = &q->lines[i];
        q2o_line_baseline *b = &q->baseline[i];
        Q2O_STRCPY(b->line_id, l->line_id);
        Q2O_STRCPY(b->offering_id, l->offering_id);
        b->quantity = l->quantity;
        b->discount_bp = l->discount_bp;
        b->override_unit_price = l->override_unit_price;
        b->net_total = l->priced ? l->price.net_total : 0;
    }
}

static void apply_new_revision(q2o_quote *q, const q2o_event *e)
{
    Q2O_CHECK(q->n_revisions < Q2O_MAX_REVISIONS && e->u.revision_created.number == q->n_revisions + 1);
    q2o_quote_reserve_revisions(q, (uint32_t)q->n_revisions + 1);
    const q2o_revision *parent = cur(q); /* the array may have moved */
    q2o_revision *r = &q->revisions[q->n_revisions++];
    memset(r, 0, sizeof *r);
    r->number = e->u.revision_created.number;
    r->parent = e->u.revision_created.parent;
    r->status = Q2O_ST_DRAFT;
    r->created_at = e->at;
    r->terms = parent->terms;
    capture_baseline(q);
    for (uint32_t i = 0; i < q->n_lines; i++) { /* lines carry over, to be repriced */
        q->lines[i].priced = 0;
        q->lines[i].override_assigned_on_accept = 0; /* a kept price is now the line's own override */
    }
}

static void apply_approval_event(q2o_quote *q, const q2o_event *e)
{
    q2o_revision *r = cur(q);
    switch (e->type) {
    case Q2O_EV_APPROVAL_REQUIRED:
        r->status = Q2O_ST_REQUIRES_APPROVAL;
        r->approval_required = 1;
        r->n_reasons = e->u.required.n_reasons;
        memcpy(r->reasons, e->u.required.reasons, sizeof r->reasons);
        r->n_steps = e->u.required.n_steps;
        memcpy(r->steps, e->u.required.steps, sizeof r->steps);
        break;
    case Q2O_EV_SUBMITTED:
        if (r->status == Q2O_ST_APPROVED) { /* the approval expired: review again */
            r->approved = 0;
            for (uint32_t i = 0; i < r->n_steps; i++) {
                r->steps[i].approved_by[0] = '\0';
                r->steps[i].approved_at = 0;
            }
        }
        r->status = Q2O_ST_IN_REVIEW;
        Q2O_STRCPY(r->submitted_by, e->actor_id);
        r->submitted_at = e->at;
        break;
    case Q2O_EV_STEP_APPROVED:
        Q2O_CHECK(e->u.step.step < r->n_steps);
        Q2O_STRCPY(r->steps[e->u.step.step].approved_by, e->actor_id);
        r->steps[e->u.step.step].approved_at = e->at;
        break;
    case Q2O_EV_APPROVED:
        r->status = Q2O_ST_APPROVED;
        r->approved = 1;
        r->auto_approved = e->u.approved.automatic;
        memcpy(r->approved_fp, e->u.approved.approval_fp, Q2O_SHA256_LEN);
        r->approved_at = e->at;
        r->approval_expires_at = e->u.approved.expires_at;
        /* The document worker renders on this event: generation is pending,
         * unless a document of this very snapshot is attached already (a
         * re-approval after the approval window passed renders nothing new). */
        if (r->document_status != Q2O_OP_DONE ||
            memcmp(r->document_snapshot_fp, e->u.approved.approval_fp, Q2O_SHA256_LEN) != 0)
            r->document_status = Q2O_OP_PENDING;
        break;
    case Q2O_EV_REJECTED_BY_APPROVER: close_revision(r, Q2O_ST_REJECTED); break;
    case Q2O_EV_APPROVAL_RECALLED: r->status = Q2O_ST_DRAFT; break;
    default: Q2O_CHECK(!"not an approval event");
    }
    if (e->type == Q2O_EV_REJECTED_BY_APPROVER || e->type == Q2O_EV_APPROVAL_RECALLED)
        Q2O_STRCPY(r->close_reason, e->u.reason.reason_code);
}

/* The unit price that reproduces a line's accepted net through the
 * waterfall's OVERRIDE stage (net per period = unit x quantity): the net per
 * month of a recurring line, else its net, over the quantity, rounded. */
static int64_t kept_unit_price(const q2o_line *l)
{
    int64_t period = l->price.term_months > 0 ? l->price.recurring_total : l->price.net_total, unit = 0;
    if (period <= 0 || l->quantity <= 0 || q2o_money_mul_div(period, 1, l->quantity, &unit) != Q2O_OK)
        return 0;
    return unit;
}

/* SPEC section 7, what QuoteAccepted recorded for a retail quote: the
 * cancel date and the freight override on the revision, the price override
 * reason on every line without one (the quoted price is kept). */
static void apply_retail_acceptance(q2o_quote *q, q2o_revision *r, const q2o_event *e)
{
    r->cancel_date = e->u.accepted.cancel_date;
    r->freight_override = e->u.accepted.freight_override;
    r->freight_override_amount = e->u.accepted.freight_override_amount;
    Q2O_STRCPY(r->price_override_reason, e->u.accepted.price_override_reason);
    for (uint32_t i = 0; r->price_override_reason[0] && i < q->n_lines; i++) {
        q2o_line *l = &q->lines[i];
        if (l->override_reason[0])
            continue;
        Q2O_STRCPY(l->override_reason, r->price_override_reason);
        l->override_unit_price = kept_unit_price(l);
        l->override_assigned_on_accept = 1;
    }
}

static void apply_customer_event(q2o_quote *q, const q2o_event *e)
{
    q2o_revision *r = cur(q);
    switch (e->type) {
    case Q2O_EV_DOCUMENT_ATTACHED:
        r->document_status = Q2O_OP_DONE;
        Q2O_STRCPY(r->document_id, e->u.document.document_id);
        memcpy(r->document_hash, e->u.document.document_hash, Q2O_SHA256_LEN);
        Q2O_STRCPY(r->template_version, e->u.document.template_version);
        memcpy(r->document_snapshot_fp, e->u.document.snapshot_fp, Q2O_SHA256_LEN);
        break;
    case Q2O_EV_PRESENTED:
        r->status = Q2O_ST_PRESENTED;
        r->presented_at = e->at;
        Q2O_STRCPY(r->recipient, e->u.presented.recipient);
        memcpy(r->presented_hash, e->u.presented.document_hash, Q2O_SHA256_LEN);
        break;
    case Q2O_EV_ACCEPTED:
        r->status = Q2O_ST_ACCEPTED;
        r->accepted = 1;
        r->accepted_at = e->at;
        r->acceptance = e->u.accepted.evidence;
        memcpy(r->accepted_fp, r->approved_fp, Q2O_SHA256_LEN);
        q->accepted_revision = r->number;
        apply_retail_acceptance(q, r, e);
        break;
    case Q2O_EV_REJECTED_BY_CUSTOMER:
        close_revision(r, Q2O_ST_REJECTED);
        Q2O_STRCPY(r->close_reason, e->u.reason.reason_code);
        break;
    case Q2O_EV_CONVERTED:
        r->status = Q2O_ST_CONVERTED;
        r->converted = 1;
        r->conversion = e->u.converted.conversion;
        q->n_conversions++;
        break;
    default: Q2O_CHECK(!"not a customer event");
    }
}

static void apply(q2o_quote *q, const q2o_event *e)
{
    switch (e->type) {
    case Q2O_EV_CREATED: {
        q2o_quote_reserve_revisions(q, 1);
        q2o_revision *r = &q->revisions[0];
        q->exists = 1;
        Q2O_STRCPY(q->quote_id, e->quote_id);
        q->header = e->u.created.header;
        q->n_revisions = 1;
        memset(r, 0, sizeof *r);
        r->number = 1;
        r->status = Q2O_ST_DRAFT;
        r->created_at = e->at;
        r->terms = e->u.created.terms;
        break;
    }
    case Q2O_EV_LINE_ADDED:
    case Q2O_EV_LINE_CHANGED:
    case Q2O_EV_LINE_REMOVED: apply_line_event(q, e); break;
    case Q2O_EV_TERMS_CHANGED: cur(q)->terms = e->u.terms; back_to_draft(q); break;
    case Q2O_EV_NOTE_ADDED: cur(q)->n_notes++; break;
    case Q2O_EV_OWNER_REASSIGNED: Q2O_STRCPY(q->header.owner_id, e->u.owner_id); break;
    case Q2O_EV_PRICED:
        apply_priced(q, &e->u.priced);
        cur(q)->priced_at = e->at;
        break;
    case Q2O_EV_VALIDATION_FAILED: break; /* recorded for friction analytics; state unchanged */
    case Q2O_EV_APPROVAL_REQUIRED:
    case Q2O_EV_SUBMITTED:
    case Q2O_EV_STEP_APPROVED:
    case Q2O_EV_APPROVED:
    case Q2O_EV_REJECTED_BY_APPROVER:
    case Q2O_EV_APPROVAL_RECALLED: apply_approval_event(q, e); break;
    case Q2O_EV_DOCUMENT_ATTACHED:
    case Q2O_EV_PRESENTED:
    case Q2O_EV_ACCEPTED:
    case Q2O_EV_REJECTED_BY_CUSTOMER:
    case Q2O_EV_CONVERTED: apply_customer_event(q, e); break;
    case Q2O_EV_EXPIRED: close_revision(cur(q), Q2O_ST_EXPIRED); cur(q)->expired_kind = e->u.expired.kind; break;
    case Q2O_EV_CANCELED:
        close_revision(cur(q), Q2O_ST_CANCELED);
        Q2O_STRCPY(cur(q)->close_reason, e->u.reason.reason_code);
        break;
    case Q2O_EV_SUPERSEDED: close_revision(cur(q), Q2O_ST_SUPERSEDED); break;
    case Q2O_EV_REVISION_CREATED: apply_new_revision(q, e); break;
    default: Q2O_CHECK(!"unknown event type");
    }
}

/* Whether the event can apply to this state at all (structure, not
 * business rules): a hostile or corrupt log gets an error, never a crash. */
static int applicable(const q2o_quote *q, const q2o_event *e)
{
    if (e->type <= Q2O_EV_NONE || e->type >= Q2O_EV__COUNT)
        return 0;
    if (e->type == Q2O_EV_CREATED)
        return !q->exists && e->revision == 1;
    if (!q->exists || q->n_revisions < 1)
        return 0;
    if (e->type == Q2O_EV_REVISION_CREATED)
        return q->n_revisions < Q2O_MAX_REVISIONS && e->revision == q->n_revisions + 1 &&
               e->u.revision_created.number == q->n_revisions + 1;
    if (e->revision != q->n_revisions)
        return 0;
    switch (e->type) {
    case Q2O_EV_LINE_ADDED:
        return q->n_lines < Q2O_MAX_LINES && !q2o_quote_line(q, e->u.line.line_id);
    case Q2O_EV_LINE_CHANGED: return q2o_quote_line(q, e->u.line.line_id) != NULL;
    case Q2O_EV_LINE_REMOVED: return q2o_quote_line(q, e->u.line_id) != NULL;
    case Q2O_EV_PRICED:
        if (e->u.priced.n_lines != q->n_lines)
            return 0;
        for (uint32_t i = 0; i < e->u.priced.n_lines; i++)
            if (!q2o_quote_line(q, e->u.priced.lines[i].line_id))
                return 0;
        return 1;
    case Q2O_EV_STEP_APPROVED: return e->u.step.step < q->revisions[q->n_revisions - 1].n_steps;
    case Q2O_EV_APPROVAL_REQUIRED:
        return e->u.required.n_reasons <= Q2O_MAX_APPROVAL_REASONS &&
               e->u.required.n_steps <= Q2O_MAX_APPROVAL_STEPS;
    default: return 1;
    }
}

q2o_err q2o_quote_evolve(q2o_quote *q, const q2o_event *e)
{
    if (e->version != q->version + 1)
        return Q2O_STORE_VERSION_CONFLICT;
    if (memcmp(e->prev_hash, q->head_hash, Q2O_SHA256_LEN) != 0)
        return Q2O_HASH_CHAIN_BROKEN;
    if (!applicable(q, e))
        return Q2O_STORE_CORRUPT;
    apply(q, e);
    q->version = e->version;
    q->updated_at = e->at;
    q2o_event_hash(e, q->head_hash);
    char why[256];
    if (q2o_quote_check_invariants(q, why, sizeof why) != 0) {
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"quote invariant broken\",\"quote\":\"%s\","
                        "\"event\":\"%s\",\"version\":%llu,\"why\":\"%s\"}\n",
                q->quote_id, q2o_event_type_name(e->type), (unsigned long long)e->version, why);
        return Q2O_STORE_CORRUPT;
    }
    return Q2O_OK;
}
