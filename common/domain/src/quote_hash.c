/*
 * Hashes of the quote domain. All are SHA-256 over fields in a fixed order,
 * independent of any wire encoding, so that schema evolution (upcasting an
 * old Avro record to a new one) never changes a hash:
 *   - integers as 8-byte big-endian, strings as u32 BE length + bytes,
 *     hashes as their 32 bytes, arrays as a count then the items;
 *   - an event: "q2o.event.v1", prev_hash, the metadata (type, quote id,
 *     version, time, revision, actor id, roles, command id, correlation id,
 *     source), then the payload fields of its type in declaration order.
 * Changing any of these functions changes every head hash: version the tag
 * instead ("q2o.event.v2") and keep v1 for old events.
 */
#include <stdio.h>
#include <string.h>

#include "core/sha256.h"
#include "core/strutil.h"
#include "domain/quote.h"

#define H_I(c, v) q2o_sha256_update_i64((c), (int64_t)(v))
#define H_S(c, s) q2o_sha256_update_str((c), (s))
#define H_B(c, b) q2o_sha256_update((c), (b), Q2O_SHA256_LEN)

static void hash_header(q2o_sha256 *c, const q2o_quote_header *h)
{
    H_S(c, h->quote_number); H_I(c, h->quote_type); H_S(c, h->account_id); H_S(c, h->customer_id);
    H_S(c, h->customer_legal_entity); H_S(c, h->sold_to); H_S(c, h->ship_to);
    H_I(c, h->ship_to_is_gift_recipient); H_S(c, h->bill_to); H_S(c, h->billing_account_id);
    H_S(c, h->selling_entity); H_S(c, h->currency); H_S(c, h->market); H_S(c, h->channel);
    H_S(c, h->owner_id); H_S(c, h->opportunity_id); H_S(c, h->order_type);
    H_I(c, h->order_type_requires_pay_method); H_I(c, h->n_contacts);
    for (uint32_t i = 0; i < h->n_contacts && i < Q2O_MAX_CONTACTS; i++)
        H_S(c, h->contacts[i]);
    const q2o_acceptance_policy *p = &h->acceptance;
    H_I(c, p->allowed_methods); H_I(c, p->require_po); H_I(c, p->require_signature);
    H_I(c, p->block_after_expiry); H_I(c, p->allow_partner); H_I(c, p->block_legal_entity_mismatch);
    H_I(c, p->allow_delayed_conversion); H_I(c, p->allow_cancel_after_accept);
    H_I(c, h->created_at); H_S(c, h->created_by);
}

static void hash_terms(q2o_sha256 *c, const q2o_terms *t)
{
    H_I(c, t->valid_until); H_I(c, t->contract_start); H_I(c, t->term_months);
    H_S(c, t->payment_terms); H_S(c, t->legal_terms_version); H_S(c, t->pay_method);
    H_I(c, t->legal_clause_exception);
    if (t->cancel_date) {
        H_S(c, "v2");
        H_I(c, t->cancel_date);
    }
}

/* Fields added after the first schema are hashed only when set, so that
 * the hashes of events written before them do not change (schemas/README.md). */
static void hash_price(q2o_sha256 *c, const q2o_line_price *p)
{
    H_I(c, p->catalog_version); H_I(c, p->list_unit); H_I(c, p->list_total);
    H_I(c, p->discount_total); H_I(c, p->net_total); H_I(c, p->recurring_total);
    H_I(c, p->cost_total); H_I(c, p->margin_bp); H_I(c, p->promo_ends_at);
    if (p->one_time_total || p->term_months || p->promo_code[0]) {
        H_S(c, "v2");
        H_I(c, p->one_time_total); H_I(c, p->term_months); H_S(c, p->promo_code);
    }
}

static void hash_trace(q2o_sha256 *c, const q2o_line_trace *t)
{
    if (!t->n_steps)
        return;
    H_I(c, t->n_steps);
    for (uint32_t i = 0; i < t->n_steps && i < Q2O_MAX_PRICE_STEPS; i++) {
        const q2o_price_step *s = &t->steps[i];
        H_I(c, s->stage); H_S(c, s->rule); H_I(c, s->rule_version); H_I(c, s->input);
        H_I(c, s->rate_bp); H_I(c, s->amount); H_I(c, s->after);
    }
}

static void hash_priced_v2(q2o_sha256 *c, const q2o_ev_priced *p)
{
    if (!p->one_time_total && !p->recurring_total && !p->catalog_id[0] && !p->pricebook_id[0] &&
        !p->compared_revision && !p->n_changes)
        return;
    H_S(c, "v2");
    H_I(c, p->one_time_total); H_I(c, p->recurring_total); H_S(c, p->catalog_id); H_S(c, p->pricebook_id);
    H_I(c, p->compared_revision); H_I(c, p->n_changes);
    for (uint32_t i = 0; i < p->n_changes; i++) {
        const q2o_price_change *x = &p->changes[i];
        H_S(c, x->line_id); H_I(c, x->kind); H_I(c, x->previous_quantity); H_I(c, x->quantity);
        H_I(c, x->previous_net); H_I(c, x->net);
    }
}

/* The commercial content of a line (what a customer or approver sees).
 * as_approved: a price override that acceptance assigned is hashed as the
 * line was approved (no reason, no override), so that the approval
 * fingerprint of an accepted revision stays the one approved; the event
 * hash (as_approved 0) covers every field. */
static void hash_line(q2o_sha256 *c, const q2o_line *l, int with_price, int as_approved)
{
    int kept = l->override_assigned_on_accept;
    H_S(c, l->line_id); H_S(c, l->parent_line_id); H_I(c, l->line_number); H_I(c, l->action);
    H_S(c, l->offering_id); H_S(c, l->display_name); H_I(c, l->quantity); H_S(c, l->uom);
    H_I(c, l->term_months); H_S(c, l->asset_ref); H_I(c, l->n_options);
    for (uint32_t i = 0; i < l->n_options && i < Q2O_MAX_LINE_OPTIONS; i++) {
        H_S(c, l->options[i].name);
        H_S(c, l->options[i].value);
    }
    H_I(c, l->discount_bp);
    H_I(c, kept && as_approved ? -1 : l->override_unit_price);
    H_S(c, kept && as_approved ? "" : l->override_reason);
    H_S(c, l->promo_code);
    if (with_price) {
        H_I(c, l->priced);
        hash_price(c, &l->price);
    }
    if (kept && !as_approved) {
        H_S(c, "v2");
        H_I(c, kept);
    }
}

static void hash_acceptance(q2o_sha256 *c, const q2o_acceptance *a)
{
    H_I(c, a->method); H_S(c, a->acceptor_id); H_S(c, a->acceptor_legal_entity);
    H_I(c, a->on_behalf_as_partner); H_S(c, a->document_id); H_B(c, a->document_hash);
    H_S(c, a->po_reference); H_S(c, a->signature_envelope_id); H_S(c, a->source_address);
    H_S(c, a->evidence_ref);
}

static void hash_accepted(q2o_sha256 *c, const q2o_event *e)
{
    hash_acceptance(c, &e->u.accepted.evidence);
    if (!e->u.accepted.price_override_reason[0] && !e->u.accepted.freight_override &&
        !e->u.accepted.freight_override_amount && !e->u.accepted.cancel_date)
        return;
    H_S(c, "v2");
    H_S(c, e->u.accepted.price_override_reason); H_I(c, e->u.accepted.freight_override);
    H_I(c, e->u.accepted.freight_override_amount); H_I(c, e->u.accepted.cancel_date);
}

static void hash_priced(q2o_sha256 *c, const q2o_ev_priced *p)
{
    H_I(c, p->n_lines);
    for (uint32_t i = 0; i < p->n_lines; i++) {
        H_S(c, p->lines[i].line_id);
        H_S(c, p->lines[i].display_name);
        hash_price(c, &p->lines[i].price);
        hash_trace(c, &p->lines[i].trace);
    }
    H_I(c, p->merchandise); H_I(c, p->discount_total); H_I(c, p->net_total); H_I(c, p->freight);
    H_I(c, p->tax); H_I(c, p->grand_total); H_I(c, p->cost_total); H_I(c, p->margin_bp);
    H_I(c, p->max_discount_bp); H_I(c, p->catalog_version); H_I(c, p->pricebook_version);
    H_I(c, p->price_valid_until); H_I(c, p->promo_ends_at); H_B(c, p->pricing_fp);
    H_B(c, p->approval_fp); H_I(c, p->policy_version);
    hash_priced_v2(c, p);
}

static void hash_approval_lists(q2o_sha256 *c, uint32_t nr, const q2o_approval_reason *r, uint32_t ns,
                                const q2o_approval_step *s)
{
    H_I(c, nr);
    for (uint32_t i = 0; i < nr && i < Q2O_MAX_APPROVAL_REASONS; i++) {
        H_I(c, r[i].rule); H_I(c, r[i].figure); H_I(c, r[i].threshold);
    }
    H_I(c, ns);
    for (uint32_t i = 0; i < ns && i < Q2O_MAX_APPROVAL_STEPS; i++) {
        H_I(c, s[i].role); H_I(c, s[i].mandatory); H_I(c, s[i].required_limit);
        H_S(c, s[i].approved_by); H_I(c, s[i].approved_at);
    }
}

static void hash_payload_a(q2o_sha256 *c, const q2o_event *e)
{
    switch (e->type) {
    case Q2O_EV_CREATED: hash_header(c, &e->u.created.header); hash_terms(c, &e->u.created.terms); break;
    case Q2O_EV_LINE_ADDED:
    case Q2O_EV_LINE_CHANGED: hash_line(c, &e->u.line, 1, 0); break;
    case Q2O_EV_LINE_REMOVED: H_S(c, e->u.line_id); break;
    case Q2O_EV_TERMS_CHANGED: hash_terms(c, &e->u.terms); break;
    case Q2O_EV_NOTE_ADDED: H_S(c, e->u.note); break;
    case Q2O_EV_OWNER_REASSIGNED: H_S(c, e->u.owner_id); break;
    case Q2O_EV_PRICED: hash_priced(c, &e->u.priced); break;
    case Q2O_EV_VALIDATION_FAILED:
        H_I(c, e->u.failed.n_violations);
        for (uint32_t i = 0; i < e->u.failed.n_violations && i < Q2O_MAX_VIOLATIONS; i++) {
            H_I(c, e->u.failed.violations[i].code);
            H_S(c, e->u.failed.violations[i].line_id);
            H_S(c, e->u.failed.violations[i].detail);
        }
        break;
    case Q2O_EV_APPROVAL_REQUIRED:
        H_B(c, e->u.required.approval_fp); H_I(c, e->u.required.policy_version);
        hash_approval_lists(c, e->u.required.n_reasons, e->u.required.reasons, e->u.required.n_steps,
                            e->u.required.steps);
        break;
    case Q2O_EV_SUBMITTED: H_B(c, e->u.submitted.approval_fp); break;
    case Q2O_EV_STEP_APPROVED:
        H_I(c, e->u.step.step); H_I(c, e->u.step.role); H_B(c, e->u.step.approval_fp);
        H_S(c, e->u.step.comment);
        break;
    default: break;
    }
}

static void hash_unavailable(q2o_sha256 *c, const q2o_event *e)
{
    if (!e->u.converted.n_unavailable && !e->u.converted.unavailable_total)
        return;
    H_S(c, "v2");
    H_I(c, e->u.converted.n_unavailable);
    for (uint32_t i = 0; i < e->u.converted.n_unavailable && i < Q2O_MAX_UNAVAILABLE_LISTED; i++)
        H_S(c, e->u.converted.unavailable[i]);
    H_I(c, e->u.converted.unavailable_total);
}

static void hash_payload_b(q2o_sha256 *c, const q2o_event *e)
{
    switch (e->type) {
    case Q2O_EV_APPROVED:
        H_B(c, e->u.approved.approval_fp); H_I(c, e->u.approved.automatic); H_I(c, e->u.approved.expires_at);
        break;
    case Q2O_EV_REJECTED_BY_APPROVER:
    case Q2O_EV_APPROVAL_RECALLED:
    case Q2O_EV_REJECTED_BY_CUSTOMER:
    case Q2O_EV_CANCELED: H_S(c, e->u.reason.reason_code); H_S(c, e->u.reason.comment); break;
    case Q2O_EV_DOCUMENT_ATTACHED:
        H_S(c, e->u.document.document_id); H_B(c, e->u.document.document_hash);
        H_S(c, e->u.document.template_version); H_B(c, e->u.document.snapshot_fp);
        break;
    case Q2O_EV_PRESENTED:
        H_S(c, e->u.presented.document_id); H_B(c, e->u.presented.document_hash);
        H_S(c, e->u.presented.recipient); H_I(c, e->u.presented.valid_until);
        break;
    case Q2O_EV_ACCEPTED: hash_accepted(c, e); break;
    case Q2O_EV_EXPIRED: H_I(c, e->u.expired.kind); H_I(c, e->u.expired.valid_until); break;
    case Q2O_EV_REVISION_CREATED:
        H_I(c, e->u.revision_created.number); H_I(c, e->u.revision_created.parent);
        H_S(c, e->u.revision_created.reason_code);
        break;
    case Q2O_EV_SUPERSEDED: H_I(c, e->u.superseded.superseded_by); break;
    case Q2O_EV_CONVERTED: {
        const q2o_conversion *cv = &e->u.converted.conversion;
        H_S(c, cv->idempotency_key); H_S(c, cv->order_id); H_S(c, cv->order_number);
        H_I(c, cv->converted_at); H_B(c, cv->snapshot_hash); H_I(c, e->u.converted.grand_total);
        H_S(c, e->u.converted.currency); H_B(c, e->u.converted.pricing_fp);
        H_B(c, e->u.converted.document_hash); H_I(c, e->u.converted.n_warnings);
        for (uint32_t i = 0; i < e->u.converted.n_warnings && i < 4; i++)
            H_I(c, e->u.converted.warnings[i]);
        hash_unavailable(c, e);
        break;
    }
    default: break;
    }
}

void q2o_event_hash(const q2o_event *e, uint8_t out[Q2O_SHA256_LEN])
{
    q2o_sha256 c;
    q2o_sha256_init(&c);
    H_S(&c, "q2o.event.v1");
    H_B(&c, e->prev_hash);
    H_I(&c, e->type); H_S(&c, e->quote_id); H_I(&c, e->version); H_I(&c, e->at);
    H_I(&c, e->revision); H_S(&c, e->actor_id); H_I(&c, e->actor_roles); H_S(&c, e->command_id);
    H_S(&c, e->correlation_id); H_S(&c, e->source);
    hash_payload_a(&c, e);
    hash_payload_b(&c, e);
    q2o_sha256_final(&c, out);
}

void q2o_quote_content_fp(const q2o_quote *q, int64_t policy_version, uint8_t out[Q2O_SHA256_LEN])
{
    const q2o_revision *r = q2o_quote_current(q);
    q2o_sha256 c;
    q2o_sha256_init(&c);
    H_S(&c, "q2o.approval.v1");
    H_S(&c, q->quote_id);
    H_I(&c, r ? r->number : 0);
    H_S(&c, q->header.currency);
    H_I(&c, q->n_lines);
    for (uint32_t i = 0; i < q->n_lines; i++)
        hash_line(&c, &q->lines[i], 1, 1);
    if (r) {
        hash_terms(&c, &r->terms);
        H_I(&c, r->merchandise); H_I(&c, r->discount_total); H_I(&c, r->net_total);
        H_I(&c, r->freight); H_I(&c, r->tax); H_I(&c, r->grand_total); H_I(&c, r->cost_total);
        H_I(&c, r->margin_bp); H_I(&c, r->max_discount_bp);
    }
    H_I(&c, policy_version);
    q2o_sha256_final(&c, out);
}

void q2o_order_id_for(const char *quote_id, int32_t revision, char order_id[Q2O_ID_MAX],
                      char order_number[Q2O_ID_MAX])
{
    q2o_sha256 c;
    uint8_t d[Q2O_SHA256_LEN];
    char hex[25];
    q2o_sha256_init(&c);
    H_S(&c, "q2o.order.v1");
    H_S(&c, quote_id);
    H_I(&c, revision);
    q2o_sha256_final(&c, d);
    q2o_hex(d, 12, hex);
    snprintf(order_id, Q2O_ID_MAX, "ORD-%s", hex);
    uint64_t num = 0;
    for (int i = 0; i < 6; i++)
        num = num << 8 | d[i];
    snprintf(order_number, Q2O_ID_MAX, "SO-%015llu", (unsigned long long)num);
}
