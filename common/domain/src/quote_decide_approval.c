/*
 * The governed half of the lifecycle: approval, document, presentation,
 * acceptance and conversion. Each handler checks the matrix cell, then the
 * guards of SPEC §3 in a fixed order, so a command that breaks several
 * rules always gets the same code.
 */
#include <stdint.h>
#include <stdio.h>

#include "core/strutil.h"
#include "decide_internal.h"

static int fp_equal(const uint8_t a[Q2O_SHA256_LEN], const uint8_t b[Q2O_SHA256_LEN])
{
    return memcmp(a, b, Q2O_SHA256_LEN) == 0;
}

/* The approval fingerprint the revision would have now: equals the one
 * computed at pricing unless content or policy changed. */
static int content_unchanged(decide_ctx *c)
{
    uint8_t now_fp[Q2O_SHA256_LEN];
    q2o_quote_content_fp(c->q, c->rev->policy_version, now_fp);
    return fp_equal(now_fp, c->rev->approval_fp);
}

static void emit_approved(decide_ctx *c, int automatic)
{
    q2o_event *e = dc_emit(c, Q2O_EV_APPROVED);
    memcpy(e->u.approved.approval_fp, c->rev->approval_fp, Q2O_SHA256_LEN);
    e->u.approved.automatic = automatic;
    e->u.approved.expires_at = c->now + c->env->approval->window_ms;
}

q2o_err dc_submit(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    if (dc_require(c, Q2O_ACT_SUBMIT))
        return c->out->err;
    if (!r->priced || dc_zero_hash(r->pricing_fp))
        return dc_fail(c, Q2O_QUOTE_PRICE_STALE, "revision %d has no price snapshot", r->number);
    if (r->policy_version != c->env->approval->version)
        return dc_fail(c, Q2O_QUOTE_APPROVAL_STALE, "priced under policy %lld, policy is now %lld: reprice",
                       (long long)r->policy_version, (long long)c->env->approval->version);
    if (!r->approval_required) {
        emit_approved(c, 1); /* Priced -> Approved: nothing fired, snapshot present */
        return Q2O_OK;
    }
    memcpy(dc_emit(c, Q2O_EV_SUBMITTED)->u.submitted.approval_fp, r->approval_fp, Q2O_SHA256_LEN);
    int pending = 0; /* steps reused from before a recall count as approved */
    for (uint32_t i = 0; i < r->n_steps; i++)
        pending += r->steps[i].mandatory && !r->steps[i].approved_by[0];
    if (r->status == Q2O_ST_REQUIRES_APPROVAL && r->n_steps && !pending)
        emit_approved(c, 0);
    return Q2O_OK;
}

static int is_own_quote(decide_ctx *c)
{
    const char *me = c->cmd->actor.id;
    return strcmp(me, c->q->header.owner_id) == 0 || strcmp(me, c->rev->submitted_by) == 0 ||
           strcmp(me, c->q->header.created_by) == 0;
}

/* Guards shared by approve and reject: fingerprint, policy, window, self,
 * a pending step of the approver's role. Returns the step index or -1. */
static int approver_step(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    if (dc_require(c, Q2O_ACT_APPROVE))
        return -1;
    if (!fp_equal(c->cmd->u.approve.expected_fp, r->approval_fp)) {
        dc_fail(c, Q2O_QUOTE_CHANGED_DURING_APPROVAL, "the cited fingerprint is not the one under review");
        return -1;
    }
    if (r->policy_version != c->env->approval->version) {
        dc_fail(c, Q2O_QUOTE_APPROVAL_STALE, "policy version changed from %lld to %lld",
                (long long)r->policy_version, (long long)c->env->approval->version);
        return -1;
    }
    if (c->now >= r->submitted_at + c->env->approval->window_ms) {
        dc_fail(c, Q2O_QUOTE_APPROVAL_EXPIRED, "submitted at %lld, window %lld ms", (long long)r->submitted_at,
                (long long)c->env->approval->window_ms);
        return -1;
    }
    if (is_own_quote(c)) {
        dc_fail(c, Q2O_AUTH_SELF_APPROVAL, "%s owns, created or submitted this quote", c->cmd->actor.id);
        return -1;
    }
    for (uint32_t i = 0; i < r->n_steps; i++)
        if (!r->steps[i].approved_by[0] && (r->steps[i].role & c->cmd->actor.roles))
            return (int)i;
    dc_fail(c, Q2O_QUOTE_STEP_NOT_PENDING, "no pending step for %s", c->cmd->actor.id);
    return -1;
}

q2o_err dc_approve_step(decide_ctx *c)
{
    int i = approver_step(c);
    if (i < 0)
        return c->out->err;
    const q2o_approval_step *s = &c->rev->steps[i];
    int64_t limit = c->cmd->actor.authority_limit;
    if (limit >= 0 && limit < s->required_limit)
        return dc_fail(c, Q2O_AUTH_LIMIT_EXCEEDED, "limit %lld below %lld", (long long)limit,
                       (long long)s->required_limit);
    q2o_event *e = dc_emit(c, Q2O_EV_STEP_APPROVED);
    e->u.step.step = (uint32_t)i;
    e->u.step.role = s->role;
    memcpy(e->u.step.approval_fp, c->rev->approval_fp, Q2O_SHA256_LEN);
    Q2O_STRCPY(e->u.step.comment, c->cmd->u.approve.comment);
    int pending = 0;
    for (uint32_t k = 0; k < c->rev->n_steps; k++)
        pending += (int)k != i && c->rev->steps[k].mandatory && !c->rev->steps[k].approved_by[0];
    if (!pending)
        emit_approved(c, 0);
    return Q2O_OK;
}

q2o_err dc_reject_approval(decide_ctx *c)
{
    /* A reject cites the fingerprint too: same guards as approving. */
    if (approver_step(c) < 0)
        return c->out->err;
    if (!c->cmd->u.approve.comment[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "a rejection needs a comment saying why");
    q2o_event *e = dc_emit(c, Q2O_EV_REJECTED_BY_APPROVER);
    Q2O_STRCPY(e->u.reason.reason_code, "APPROVER_REJECTED");
    Q2O_STRCPY(e->u.reason.comment, c->cmd->u.approve.comment);
    return Q2O_OK;
}

q2o_err dc_recall(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_RECALL))
        return c->out->err;
    dc_emit(c, Q2O_EV_APPROVAL_RECALLED)->u.reason = c->cmd->u.reason;
    return Q2O_OK;
}

q2o_err dc_attach_document(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    if (dc_require(c, Q2O_ACT_ATTACH_DOCUMENT))
        return c->out->err;
    if (!c->cmd->u.attach.document_id[0] || dc_zero_hash(c->cmd->u.attach.document_hash))
        return dc_fail(c, Q2O_FIELD_INVALID, "document_id and document_hash are required");
    if (!fp_equal(c->cmd->u.attach.snapshot_fp, r->approval_fp) || !content_unchanged(c))
        return dc_fail(c, Q2O_QUOTE_APPROVAL_STALE, "document rendered from another snapshot than revision %d's",
                       r->number);
    q2o_event *e = dc_emit(c, Q2O_EV_DOCUMENT_ATTACHED);
    Q2O_STRCPY(e->u.document.document_id, c->cmd->u.attach.document_id);
    memcpy(e->u.document.document_hash, c->cmd->u.attach.document_hash, Q2O_SHA256_LEN);
    Q2O_STRCPY(e->u.document.template_version, c->cmd->u.attach.template_version);
    memcpy(e->u.document.snapshot_fp, c->cmd->u.attach.snapshot_fp, Q2O_SHA256_LEN);
    return Q2O_OK;
}

/* 1 when the revision's approval covers a fired EXPIRED_PROMOTION_OVERRIDE:
 * approved by approvers (a fired rule is never auto-approved) for the very
 * content priced, with that rule among the reasons. */
static int promotion_override_approved(const q2o_revision *r)
{
    if (!r->approved || r->auto_approved || !fp_equal(r->approved_fp, r->approval_fp))
        return 0;
    for (uint32_t i = 0; i < r->n_reasons && i < Q2O_MAX_APPROVAL_REASONS; i++)
        if (r->reasons[i].rule == Q2O_AR_EXPIRED_PROMOTION_OVERRIDE)
            return 1;
    return 0;
}

static q2o_err promotion_ended(decide_ctx *c, const q2o_line *l, q2o_time_ms ended, const char *what,
                               const char *why)
{
    char at[32];
    q2o_time_format(ended, at, sizeof at);
    if (!l)
        return dc_fail(c, Q2O_QUOTE_PROMOTION_EXPIRED, "a promotion ended at %s, before %s", at, what);
    return dc_fail(c, Q2O_QUOTE_PROMOTION_EXPIRED, "promotion %s on line %s ended at %s, before %s%s",
                   l->price.promo_code[0] ? l->price.promo_code : l->promo_code, l->line_id, at, what, why);
}

/* Promotion validity (SPEC §3 Expiry). A promotion applied inside its
 * window stops holding when it ends: the revision's promo_ends_at (the
 * earliest such end) blocks from then on, approval or not. A promotion
 * kept past its window (override_reason PROMOTION_EXTENSION, domain/
 * pricing.h: its line's promo_ends_at is on or before priced_at) had ended
 * when priced: it holds only while the revision's approval covers
 * EXPIRED_PROMOTION_OVERRIDE. Either refusal names the line, the code and
 * the end; the way out is a new revision repriced without the code (or
 * with a valid one), or the override approved. */
static q2o_err check_promotions(decide_ctx *c, const char *what)
{
    const q2o_revision *r = c->rev;
    const q2o_line *ended = NULL;
    int current = r == q2o_quote_current(c->q); /* the lines are the current revision's */
    for (uint32_t i = 0; current && !ended && i < c->q->n_lines; i++)
        if (r->promo_ends_at && c->q->lines[i].price.promo_ends_at == r->promo_ends_at)
            ended = &c->q->lines[i];
    if (r->promo_ends_at && r->promo_ends_at <= c->now)
        return promotion_ended(c, ended, r->promo_ends_at, what, "");
    if (!current || promotion_override_approved(r))
        return Q2O_OK;
    for (uint32_t i = 0; i < c->q->n_lines; i++) {
        const q2o_line *l = &c->q->lines[i];
        if (l->price.promo_ends_at && l->price.promo_ends_at <= r->priced_at)
            return promotion_ended(c, l, l->price.promo_ends_at, what,
                                   ": kept by " Q2O_REASON_PROMOTION_EXTENSION
                                   " without an approved EXPIRED_PROMOTION_OVERRIDE");
    }
    return Q2O_OK;
}

/* Validities that must still hold to present or accept. */
static q2o_err check_validity(decide_ctx *c, int accepting)
{
    const q2o_revision *r = c->rev;
    if (!accepting && (!r->terms.valid_until || r->terms.valid_until <= c->now))
        return dc_fail(c, Q2O_QUOTE_VALIDITY_NOT_SET, "valid_until must be after now");
    if (r->price_valid_until <= c->now)
        return dc_fail(c, Q2O_PRICE_EXPIRED, "price valid until %lld", (long long)r->price_valid_until);
    if (check_promotions(c, accepting ? "acceptance" : "presentation"))
        return c->out->err;
    if (r->terms.contract_start && r->terms.contract_start <= c->now)
        return dc_fail(c, Q2O_QUOTE_CONTRACT_START_PASSED, "contract start passed");
    if (!accepting && r->approved && !r->auto_approved && r->approval_expires_at <= c->now)
        return dc_fail(c, Q2O_QUOTE_APPROVAL_EXPIRED, "approval window passed: resubmit");
    return Q2O_OK;
}

q2o_err dc_present(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    if (dc_require(c, Q2O_ACT_SEND_PROPOSAL))
        return c->out->err;
    if (r->document_status != Q2O_OP_DONE)
        return dc_fail(c, Q2O_QUOTE_DOCUMENT_MISSING, "revision %d has no proposal document", r->number);
    if (strcmp(c->cmd->u.present.document_id, r->document_id) != 0 ||
        !fp_equal(c->cmd->u.present.document_hash, r->document_hash))
        return dc_fail(c, Q2O_QUOTE_DOCUMENT_MISMATCH, "cited document is not revision %d's", r->number);
    if (!fp_equal(r->document_snapshot_fp, r->approval_fp) || !content_unchanged(c) ||
        (r->status != Q2O_ST_PRICED && !fp_equal(r->approved_fp, r->approval_fp)))
        return dc_fail(c, Q2O_QUOTE_APPROVAL_STALE, "document or approval does not cover the current content");
    if (!r->terms.legal_terms_version[0])
        return dc_fail(c, Q2O_QUOTE_LEGAL_TERMS_UNRESOLVED, "legal_terms_version");
    if (check_validity(c, 0))
        return c->out->err;
    if (!dc_is_contact(&c->q->header, c->cmd->u.present.recipient))
        return dc_fail(c, Q2O_QUOTE_RECIPIENT_NOT_AUTHORIZED, "recipient '%s'", c->cmd->u.present.recipient);
    if (r->status == Q2O_ST_PRICED)
        emit_approved(c, 1); /* Priced -> Approved -> Presented: nothing fired */
    q2o_event *e = dc_emit(c, Q2O_EV_PRESENTED);
    Q2O_STRCPY(e->u.presented.document_id, r->document_id);
    memcpy(e->u.presented.document_hash, r->document_hash, Q2O_SHA256_LEN);
    Q2O_STRCPY(e->u.presented.recipient, c->cmd->u.present.recipient);
    e->u.presented.valid_until = r->terms.valid_until;
    return Q2O_OK;
}

/* The acceptance policy of the account (SPEC §3 Acceptance). */
static q2o_err check_acceptor(decide_ctx *c)
{
    const q2o_acceptance *a = &c->cmd->u.accept;
    const q2o_acceptance_policy *p = &c->q->header.acceptance;
    const q2o_actor *actor = &c->cmd->actor;
    /* A customer signs for the entity their identity carries; the payload's
     * entity counts only for evidence relayed by a system or a partner. */
    const char *entity = (actor->roles & Q2O_ROLE_CUSTOMER) && actor->legal_entity[0] ? actor->legal_entity
                         : a->acceptor_legal_entity[0]                                 ? a->acceptor_legal_entity
                                                                                       : actor->legal_entity;
    int partner = (actor->roles & Q2O_ROLE_PARTNER) && !(actor->roles & Q2O_ROLE_CUSTOMER);
    if (partner && (!p->allow_partner || !a->on_behalf_as_partner))
        return dc_fail(c, Q2O_QUOTE_ACCEPTOR_NOT_AUTHORIZED, "partner %s may not accept for the customer", actor->id);
    if (!partner && (actor->roles & Q2O_ROLE_CUSTOMER) && strcmp(actor->id, a->acceptor_id) != 0)
        return dc_fail(c, Q2O_QUOTE_ACCEPTOR_NOT_AUTHORIZED, "%s cannot accept as %s", actor->id, a->acceptor_id);
    if (!dc_is_contact(&c->q->header, a->acceptor_id))
        return dc_fail(c, Q2O_QUOTE_ACCEPTOR_NOT_AUTHORIZED, "'%s' is not an authorized contact", a->acceptor_id);
    if ((unsigned)a->method >= Q2O_AM__COUNT || !(p->allowed_methods & (1u << a->method)))
        return dc_fail(c, Q2O_QUOTE_ACCEPTANCE_METHOD_INVALID, "method %s", q2o_accept_method_name(a->method));
    if (p->require_po && !a->po_reference[0])
        return dc_fail(c, Q2O_QUOTE_PO_REQUIRED, "po_reference");
    if (p->require_signature && (!a->signature_envelope_id[0] || a->method != Q2O_AM_ESIGNATURE))
        return dc_fail(c, Q2O_QUOTE_SIGNATURE_REQUIRED, "signature_envelope_id");
    if (p->block_legal_entity_mismatch && entity[0] && strcmp(entity, c->q->header.customer_legal_entity) != 0)
        return dc_fail(c, Q2O_QUOTE_LEGAL_ENTITY_MISMATCH, "%s signs for %s, the customer is %s", a->acceptor_id,
                       entity, c->q->header.customer_legal_entity);
    return Q2O_OK;
}

/* What acceptance does to a retail pre-order quote (SPEC section 7),
 * recorded on QuoteAccepted for evolve to apply:
 *   - the quoted price is kept: the order type's price override reason goes
 *     to every line without a reason (evolve fixes their unit price);
 *   - the freight becomes a freight override when the order type says so;
 *   - the cancel date: a manual one wins, else arrival + expiration days.
 * The settings are read when the quote is accepted: changing the order
 * type's days later does not touch accepted quotes. */
static void retail_acceptance(decide_ctx *c, q2o_event *e)
{
    const q2o_revision *r = c->rev;
    const q2o_cat_order_type *ot = dc_order_type(c, c->q->header.order_type);
    if (r->terms.cancel_date)
        e->u.accepted.cancel_date = r->terms.cancel_date;
    if (!ot || !ot->is_quote)
        return;
    q2o_time_ms arrival = dc_arrival_date(&r->terms, c->q->header.created_at);
    q2o_time_ms days = ot->expiration_days > 0 ? (q2o_time_ms)ot->expiration_days * Q2O_MS_PER_DAY : 0;
    if (!e->u.accepted.cancel_date && days && arrival >= 0 && days <= INT64_MAX - arrival)
        e->u.accepted.cancel_date = arrival + days;
    for (uint32_t i = 0; ot->price_override_reason[0] && i < c->q->n_lines; i++)
        if (!c->q->lines[i].override_reason[0]) {
            Q2O_STRCPY(e->u.accepted.price_override_reason, ot->price_override_reason);
            break;
        }
    if (ot->freight_override_on_accept) {
        e->u.accepted.freight_override = 1;
        e->u.accepted.freight_override_amount = r->freight;
    }
}

q2o_err dc_accept(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    if (c->q->accepted_revision && c->q->accepted_revision != r->number)
        return dc_fail(c, Q2O_QUOTE_ALREADY_ACCEPTED, "revision %d was accepted", c->q->accepted_revision);
    if (dc_require(c, Q2O_ACT_ACCEPT))
        return c->out->err;
    if (r->terms.valid_until && r->terms.valid_until <= c->now && c->q->header.acceptance.block_after_expiry) {
        q2o_event *e = dc_emit(c, Q2O_EV_EXPIRED); /* the refusal is recorded: the revision is expired */
        e->u.expired.kind = Q2O_EXP_PROPOSAL;
        e->u.expired.valid_until = r->terms.valid_until;
        return dc_fail(c, Q2O_QUOTE_EXPIRED, "valid until %lld, now %lld", (long long)r->terms.valid_until,
                       (long long)c->now);
    }
    if (check_validity(c, 1))
        return c->out->err;
    if (strcmp(c->cmd->u.accept.document_id, r->document_id) != 0 ||
        !fp_equal(c->cmd->u.accept.document_hash, r->presented_hash))
        return dc_fail(c, Q2O_QUOTE_DOCUMENT_MISMATCH, "the accepted document is not the one presented");
    if (!content_unchanged(c) || !fp_equal(r->approved_fp, r->approval_fp))
        return dc_fail(c, Q2O_QUOTE_APPROVAL_STALE, "content changed after approval");
    if (check_acceptor(c))
        return c->out->err;
    q2o_event *e = dc_emit(c, Q2O_EV_ACCEPTED);
    e->u.accepted.evidence = c->cmd->u.accept;
    if ((c->cmd->actor.roles & Q2O_ROLE_CUSTOMER) && c->cmd->actor.legal_entity[0])
        Q2O_STRCPY(e->u.accepted.evidence.acceptor_legal_entity, c->cmd->actor.legal_entity);
    retail_acceptance(c, e);
    return Q2O_OK;
}

q2o_err dc_reject_by_customer(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_CUSTOMER_REJECT))
        return c->out->err;
    if (!c->cmd->u.reason.reason_code[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "a reject reason code is required");
    dc_emit(c, Q2O_EV_REJECTED_BY_CUSTOMER)->u.reason = c->cmd->u.reason;
    return Q2O_OK;
}

static void conversion_hash(decide_ctx *c, uint8_t out[Q2O_SHA256_LEN])
{
    q2o_sha256 h;
    q2o_sha256_init(&h);
    q2o_sha256_update_str(&h, "q2o.conversion.v1");
    q2o_sha256_update_str(&h, c->q->quote_id);
    q2o_sha256_update_i64(&h, c->rev->number);
    q2o_sha256_update(&h, c->rev->approval_fp, Q2O_SHA256_LEN);
    q2o_sha256_update(&h, c->rev->pricing_fp, Q2O_SHA256_LEN);
    q2o_sha256_update(&h, c->rev->presented_hash, Q2O_SHA256_LEN);
    q2o_sha256_final(&h, out);
}

static q2o_err check_conversion_ready(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    const q2o_quote_header *h = &c->q->header;
    if (r->terms.valid_until && r->terms.valid_until <= c->now && !h->acceptance.allow_delayed_conversion)
        return dc_fail(c, Q2O_QUOTE_EXPIRED, "validity passed and the policy does not allow delayed conversion");
    if (!h->billing_account_id[0] || !h->account_id[0])
        return dc_fail(c, Q2O_QUOTE_CONVERSION_NOT_READY, "billing_account_id");
    const q2o_cat_order_type *ot = dc_order_type(c, h->order_type);
    int pay_method_required = ot ? ot->pay_method_required : h->order_type_requires_pay_method;
    if (pay_method_required && !r->terms.pay_method[0])
        return dc_fail(c, Q2O_PAY_METHOD_REQUIRED, "order type %s", h->order_type);
    if (!h->order_type[0])
        return dc_fail(c, Q2O_QUOTE_CONVERSION_NOT_READY, "order_type");
    if (!r->priced || dc_zero_hash(r->pricing_fp) || !content_unchanged(c))
        return dc_fail(c, Q2O_QUOTE_PRICE_STALE, "price snapshot does not cover the accepted content");
    return Q2O_OK;
}

/* SPEC section 7: conversion lists the quoted lines that are unavailable
 * (sold out: the catalog tracks the offering's stock and it is 0). Only
 * informational: the order takes every line, stock is reserved downstream. */
static void list_unavailable(decide_ctx *c, q2o_event *e)
{
    const q2o_catalog *cat = c->env->catalog;
    for (uint32_t i = 0; cat && i < c->q->n_lines; i++) {
        const q2o_line *l = &c->q->lines[i];
        if (q2o_catalog_stock(cat, l->offering_id) != 0)
            continue;
        if (e->u.converted.n_unavailable < Q2O_MAX_UNAVAILABLE_LISTED)
            Q2O_STRCPY(e->u.converted.unavailable[e->u.converted.n_unavailable++], l->line_id);
        e->u.converted.unavailable_total++;
    }
}

q2o_err dc_convert(decide_ctx *c)
{
    const q2o_revision *r = c->rev;
    const char *key = c->cmd->u.convert.idempotency_key;
    if (!key[0])
        return dc_fail(c, Q2O_QUOTE_IDEMPOTENCY_KEY_REQUIRED, "idempotency_key");
    if (r->converted) {
        if (strcmp(key, r->conversion.idempotency_key) != 0)
            return dc_fail(c, Q2O_QUOTE_ALREADY_CONVERTED, "converted to %s with another key",
                           r->conversion.order_id);
        c->out->replayed = 1; /* same key: the same result, no new events */
        Q2O_STRCPY(c->out->order_id, r->conversion.order_id);
        Q2O_STRCPY(c->out->order_number, r->conversion.order_number);
        return Q2O_OK;
    }
    q2o_status want = c->cmd->u.convert.expected_status;
    if (dc_require(c, Q2O_ACT_CONVERT))
        return c->out->err;
    if (want != Q2O_ST_NONE && want != r->status)
        return dc_fail(c, Q2O_QUOTE_EXPECTED_STATUS_MISMATCH, "expected %s, revision is %s",
                       q2o_status_name(want), q2o_status_name(r->status));
    if (check_conversion_ready(c))
        return c->out->err;
    q2o_event *e = dc_emit(c, Q2O_EV_CONVERTED);
    q2o_conversion *cv = &e->u.converted.conversion;
    Q2O_STRCPY(cv->idempotency_key, key);
    q2o_order_id_for(c->q->quote_id, r->number, cv->order_id, cv->order_number);
    cv->converted_at = c->now;
    conversion_hash(c, cv->snapshot_hash);
    e->u.converted.grand_total = r->grand_total;
    Q2O_STRCPY(e->u.converted.currency, c->q->header.currency);
    memcpy(e->u.converted.pricing_fp, r->pricing_fp, Q2O_SHA256_LEN);
    memcpy(e->u.converted.document_hash, r->presented_hash, Q2O_SHA256_LEN);
    if (r->terms.valid_until && r->terms.valid_until <= c->now)
        e->u.converted.warnings[e->u.converted.n_warnings++] = (int)Q2O_QUOTE_EXPIRED;
    list_unavailable(c, e);
    Q2O_STRCPY(c->out->order_id, cv->order_id);
    Q2O_STRCPY(c->out->order_number, cv->order_number);
    return Q2O_OK;
}
