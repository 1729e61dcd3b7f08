/* codec_quote_samples.c — see codec_quote_samples.h. Not a test file itself:
 * it is linked into test_codec and into q2o_quote_vectors. */
#include "codec_quote_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"

/* "tag-seed", padded to the field's maximum for odd seeds. */
static void fill_str(char *dst, size_t size, const char *tag, uint32_t seed)
{
    snprintf(dst, size, "%s-%u", tag, seed);
    if (seed & 1u) {
        for (size_t i = strlen(dst); i + 1 < size; i++)
            dst[i] = (char)('a' + i % 26);
        dst[size - 1] = '\0';
    }
}

static void fill_sha(uint8_t *dst, uint32_t seed)
{
    for (unsigned i = 0; i < Q2O_SHA256_LEN; i++)
        dst[i] = (uint8_t)(seed * 31u + i * 7u + 1u);
}

/* A non-zero symbol of an enum with count symbols. */
static int sym(uint32_t seed, int count)
{
    return 1 + (int)(seed % (uint32_t)(count - 1));
}

#define S(field, tag) fill_str((field), sizeof(field), (tag), seed)
#define T0 1767225600000LL           /* 2026-01-01T00:00:00Z */

static void fill_actor(q2o_actor *a, uint32_t seed)
{
    S(a->id, "actor");
    a->roles = Q2O_ROLE_SALES_REP | Q2O_ROLE_DEAL_DESK | Q2O_ROLE_ADMIN;
    a->authority_limit = 5000000 + seed;
    S(a->legal_entity, "le");
}

static void fill_header(q2o_quote_header *h, uint32_t seed)
{
    S(h->quote_number, "Q");
    h->quote_type = (q2o_quote_type)sym(seed, Q2O_QT__COUNT);
    S(h->account_id, "acct");
    S(h->customer_id, "cust");
    S(h->customer_legal_entity, "cle");
    S(h->sold_to, "sold");
    S(h->ship_to, "ship");
    h->ship_to_is_gift_recipient = 1;
    S(h->bill_to, "bill");
    S(h->billing_account_id, "ba");
    S(h->selling_entity, "se");
    Q2O_STRCPY(h->currency, "EUR");
    S(h->market, "mkt");
    S(h->channel, "ch");
    S(h->owner_id, "owner");
    S(h->opportunity_id, "opp");
    S(h->order_type, "ot");
    h->order_type_requires_pay_method = 1;
    h->n_contacts = Q2O_MAX_CONTACTS;
    for (unsigned i = 0; i < Q2O_MAX_CONTACTS; i++)
        fill_str(h->contacts[i], sizeof h->contacts[i], "contact", seed + i);
    h->acceptance = (q2o_acceptance_policy){(1u << Q2O_AM__COUNT) - 1, 1, 1, 1, 1, 1, 1, 1};
    h->created_at = T0 + seed;
    S(h->created_by, "creator");
}

static void fill_terms(q2o_terms *t, uint32_t seed)
{
    t->valid_until = T0 + 30 * Q2O_MS_PER_DAY + seed;
    t->contract_start = T0 + 40 * Q2O_MS_PER_DAY;
    t->term_months = 36;
    S(t->payment_terms, "NET30");
    S(t->legal_terms_version, "LT");
    S(t->pay_method, "INVOICE");
    t->legal_clause_exception = 1;
    t->cancel_date = T0 + 70 * Q2O_MS_PER_DAY + seed;
}

static void fill_price(q2o_line_price *p, uint32_t seed)
{
    *p = (q2o_line_price){7, 1999, 1999 * 3, 500, 1999 * 3 - 500, 1000, 2000, 4321, T0 + seed, 77, 24, "JULY"};
    p->net_total = -p->net_total; /* negative amounts travel too (credits) */
}

static void fill_line(q2o_line *l, uint32_t seed)
{
    S(l->line_id, "line");
    S(l->parent_line_id, "parent");
    l->line_number = (int32_t)seed + 1;
    l->action = (q2o_line_action)sym(seed, Q2O_LA__COUNT);
    S(l->offering_id, "off");
    fill_str(l->display_name, sizeof l->display_name, "Größe \"bundle\"", seed);
    l->quantity = Q2O_MAX_QUANTITY;
    S(l->uom, "EA");
    l->term_months = 12;
    S(l->asset_ref, "asset");
    l->n_options = Q2O_MAX_LINE_OPTIONS;
    for (unsigned i = 0; i < Q2O_MAX_LINE_OPTIONS; i++) {
        fill_str(l->options[i].name, sizeof l->options[i].name, "opt", seed + i);
        fill_str(l->options[i].value, sizeof l->options[i].value, "val", seed + i);
    }
    l->discount_bp = 1500;
    l->override_unit_price = 1234;
    S(l->override_reason, "MATCH");
    S(l->promo_code, "PROMO");
    l->priced = 1;
    fill_price(&l->price, seed);
    l->override_assigned_on_accept = 1;
}

static void fill_reason(q2o_cmd_reason *r, uint32_t seed)
{
    S(r->reason_code, "RC");
    S(r->comment, "because");
}

static void fill_acceptance(q2o_acceptance *a, uint32_t seed)
{
    a->method = (q2o_accept_method)sym(seed, Q2O_AM__COUNT);
    S(a->acceptor_id, "acceptor");
    S(a->acceptor_legal_entity, "ale");
    a->on_behalf_as_partner = 1;
    S(a->document_id, "doc");
    fill_sha(a->document_hash, seed);
    S(a->po_reference, "po");
    S(a->signature_envelope_id, "env");
    S(a->source_address, "10.0.0.1");
    S(a->evidence_ref, "evidence");
}

static void fill_conversion(q2o_conversion *c, uint32_t seed)
{
    S(c->idempotency_key, "idem");
    S(c->order_id, "order");
    S(c->order_number, "ON");
    c->converted_at = T0 + seed;
    fill_sha(c->snapshot_hash, seed + 1);
}

static void fill_approvals(q2o_approval_reason *reasons, uint32_t *n_reasons, q2o_approval_step *steps,
                           uint32_t *n_steps, uint32_t seed)
{
    *n_reasons = Q2O_MAX_APPROVAL_REASONS;
    for (unsigned i = 0; i < Q2O_MAX_APPROVAL_REASONS; i++)
        reasons[i] = (q2o_approval_reason){(q2o_approval_rule)(i % Q2O_AR__COUNT), 100 + i, -50 - (int)i};
    *n_steps = Q2O_MAX_APPROVAL_STEPS;
    for (unsigned i = 0; i < Q2O_MAX_APPROVAL_STEPS; i++) {
        steps[i] = (q2o_approval_step){.role = 1u << i, .mandatory = 1, .required_limit = -1,
                                       .approved_at = T0 + i};
        fill_str(steps[i].approved_by, sizeof steps[i].approved_by, "appr", seed + i);
    }
}

/* A document reference: id, hash and a third string (template or recipient). */
static void fill_doc(char *id, size_t id_size, uint8_t *hash, char *third, size_t third_size,
                     uint32_t seed)
{
    fill_str(id, id_size, "doc", seed);
    fill_sha(hash, seed + 2);
    fill_str(third, third_size, "third", seed);
}

static void fill_priced(q2o_ev_priced *p, uint32_t n_lines, uint32_t seed)
{
    p->n_lines = n_lines;
    p->lines = n_lines ? calloc(n_lines, sizeof *p->lines) : NULL;
    Q2O_CHECK(n_lines == 0 || p->lines != NULL);
    for (uint32_t i = 0; i < n_lines; i++) {
        fill_str(p->lines[i].line_id, sizeof p->lines[i].line_id, "line", seed + i);
        fill_str(p->lines[i].display_name, sizeof p->lines[i].display_name, "name", seed + i);
        fill_price(&p->lines[i].price, seed + i);
        q2o_line_trace *t = &p->lines[i].trace;
        t->n_steps = 1 + (seed + i) % Q2O_MAX_PRICE_STEPS;
        for (uint32_t k = 0; k < t->n_steps; k++) {
            q2o_price_step *st = &t->steps[k];
            st->stage = (q2o_price_stage)k;
            fill_str(st->rule, sizeof st->rule, "rule", seed + k);
            st->rule_version = k + 1, st->input = 500 + k, st->rate_bp = -250 + (int32_t)k;
            st->amount = 1000 * (int64_t)k - 5, st->after = Q2O_MAX_AMOUNT - k;
        }
    }
    p->one_time_total = 2500000, p->recurring_total = -17;
    fill_str(p->catalog_id, sizeof p->catalog_id, "cat", seed);
    fill_str(p->pricebook_id, sizeof p->pricebook_id, "pb", seed);
    p->compared_revision = 2;
    p->n_changes = n_lines;
    p->changes = n_lines ? calloc(n_lines, sizeof *p->changes) : NULL;
    Q2O_CHECK(n_lines == 0 || p->changes != NULL);
    for (uint32_t i = 0; i < n_lines; i++) {
        fill_str(p->changes[i].line_id, sizeof p->changes[i].line_id, "line", seed + i);
        p->changes[i].kind = (q2o_line_change)(1 + i % 3);
        p->changes[i].previous_quantity = i, p->changes[i].quantity = 2 * i;
        p->changes[i].previous_net = -(int64_t)i, p->changes[i].net = Q2O_MAX_AMOUNT;
    }
    p->merchandise = 100, p->discount_total = 200, p->net_total = 300, p->freight = 400;
    p->tax = 500, p->grand_total = Q2O_MAX_AMOUNT, p->cost_total = -700;
    p->margin_bp = -1234, p->max_discount_bp = 9999;
    p->catalog_version = 11, p->pricebook_version = 12;
    p->price_valid_until = T0 + 1, p->promo_ends_at = T0 + 2;
    fill_sha(p->pricing_fp, seed + 3);
    fill_sha(p->approval_fp, seed + 4);
    p->policy_version = 13;
}

static void fill_failed(q2o_event *ev, uint32_t seed)
{
    ev->u.failed.n_violations = Q2O_MAX_VIOLATIONS;
    for (unsigned i = 0; i < Q2O_MAX_VIOLATIONS; i++) {
        q2o_violation *v = &ev->u.failed.violations[i];
        v->code = i % 2 ? Q2O_CONFIG_INCOMPLETE : Q2O_OFFERING_UNKNOWN;
        fill_str(v->line_id, sizeof v->line_id, "line", seed + i);
        fill_str(v->detail, sizeof v->detail, "det", seed + i);
    }
}

static void fill_converted(q2o_event *ev, uint32_t seed)
{
    fill_conversion(&ev->u.converted.conversion, seed);
    ev->u.converted.grand_total = -Q2O_MAX_AMOUNT;
    Q2O_STRCPY(ev->u.converted.currency, "BHD");
    fill_sha(ev->u.converted.pricing_fp, seed + 5);
    fill_sha(ev->u.converted.document_hash, seed + 6);
    ev->u.converted.n_warnings = 4;
    for (int i = 0; i < 4; i++)
        ev->u.converted.warnings[i] = Q2O_PAY_METHOD_REQUIRED + i;
    ev->u.converted.n_unavailable = Q2O_MAX_UNAVAILABLE_LISTED;
    for (uint32_t i = 0; i < Q2O_MAX_UNAVAILABLE_LISTED; i++)
        fill_str(ev->u.converted.unavailable[i], sizeof ev->u.converted.unavailable[i], "soldout", seed + i);
    ev->u.converted.unavailable_total = 4000000000u;
}

static void fill_accepted(q2o_event *ev, uint32_t seed)
{
    fill_acceptance(&ev->u.accepted.evidence, seed);
    S(ev->u.accepted.price_override_reason, "QUOTED");
    ev->u.accepted.freight_override = 1;
    ev->u.accepted.freight_override_amount = -Q2O_MAX_AMOUNT;
    ev->u.accepted.cancel_date = T0 + 60 * Q2O_MS_PER_DAY + seed;
}

static void event_payload(q2o_event *ev, uint32_t n_lines, uint32_t seed)
{
    switch (ev->type) {
    case Q2O_EV_CREATED: fill_header(&ev->u.created.header, seed); fill_terms(&ev->u.created.terms, seed); break;
    case Q2O_EV_LINE_ADDED: case Q2O_EV_LINE_CHANGED: fill_line(&ev->u.line, seed); break;
    case Q2O_EV_LINE_REMOVED: S(ev->u.line_id, "line"); break;
    case Q2O_EV_TERMS_CHANGED: fill_terms(&ev->u.terms, seed); break;
    case Q2O_EV_NOTE_ADDED: S(ev->u.note, "note"); break;
    case Q2O_EV_OWNER_REASSIGNED: S(ev->u.owner_id, "owner"); break;
    case Q2O_EV_PRICED: fill_priced(&ev->u.priced, n_lines, seed); break;
    case Q2O_EV_VALIDATION_FAILED: fill_failed(ev, seed); break;
    case Q2O_EV_APPROVAL_REQUIRED:
        fill_sha(ev->u.required.approval_fp, seed);
        ev->u.required.policy_version = 21;
        fill_approvals(ev->u.required.reasons, &ev->u.required.n_reasons, ev->u.required.steps,
                       &ev->u.required.n_steps, seed);
        break;
    case Q2O_EV_SUBMITTED: fill_sha(ev->u.submitted.approval_fp, seed); break;
    case Q2O_EV_STEP_APPROVED:
        ev->u.step.step = 7, ev->u.step.role = Q2O_ROLE_FINANCE;
        fill_sha(ev->u.step.approval_fp, seed);
        S(ev->u.step.comment, "ok");
        break;
    case Q2O_EV_APPROVED:
        fill_sha(ev->u.approved.approval_fp, seed);
        ev->u.approved.automatic = 1, ev->u.approved.expires_at = T0 + 9;
        break;
    case Q2O_EV_REJECTED_BY_APPROVER: case Q2O_EV_APPROVAL_RECALLED: case Q2O_EV_REJECTED_BY_CUSTOMER:
    case Q2O_EV_CANCELED: fill_reason(&ev->u.reason, seed); break;
    case Q2O_EV_DOCUMENT_ATTACHED:
        fill_doc(ev->u.document.document_id, sizeof ev->u.document.document_id, ev->u.document.document_hash,
                 ev->u.document.template_version, sizeof ev->u.document.template_version, seed);
        fill_sha(ev->u.document.snapshot_fp, seed + 8);
        break;
    case Q2O_EV_PRESENTED:
        fill_doc(ev->u.presented.document_id, sizeof ev->u.presented.document_id, ev->u.presented.document_hash,
                 ev->u.presented.recipient, sizeof ev->u.presented.recipient, seed);
        ev->u.presented.valid_until = T0 + 10;
        break;
    case Q2O_EV_ACCEPTED: fill_accepted(ev, seed); break;
    case Q2O_EV_EXPIRED: ev->u.expired.kind = (q2o_expiry_kind)sym(seed, Q2O_EXP__COUNT), ev->u.expired.valid_until = T0 - 1; break;
    case Q2O_EV_REVISION_CREATED:
        ev->u.revision_created.number = 3, ev->u.revision_created.parent = 2;
        S(ev->u.revision_created.reason_code, "REPRICE");
        break;
    case Q2O_EV_SUPERSEDED: ev->u.superseded.superseded_by = 4; break;
    case Q2O_EV_CONVERTED: fill_converted(ev, seed); break;
    case Q2O_EV_NONE: case Q2O_EV__COUNT: Q2O_CHECK(!"no such event type"); break;
    }
}

void q2o_sample_event(q2o_event_type t, uint32_t n_lines, uint32_t seed, q2o_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->type = t;
    S(ev->quote_id, "Q");
    ev->version = 1000000000000ULL + seed;
    ev->at = T0 + seed;
    ev->revision = 2;
    S(ev->actor_id, "actor");
    ev->actor_roles = Q2O_ROLE_SALES_MANAGER | Q2O_ROLE_SYSTEM;
    S(ev->command_id, "cmd");
    S(ev->correlation_id, "corr");
    S(ev->source, "CRM");
    fill_sha(ev->prev_hash, seed + 9);
    event_payload(ev, n_lines, seed);
}

static void command_payload(q2o_command *c, uint32_t seed)
{
    switch (c->type) {
    case Q2O_CMD_CREATE_QUOTE: fill_header(&c->u.create, seed); fill_terms(&c->terms, seed); break;
    case Q2O_CMD_ADD_LINE: case Q2O_CMD_CHANGE_LINE: fill_line(&c->u.line, seed); break;
    case Q2O_CMD_REMOVE_LINE: S(c->u.line_id, "line"); break;
    case Q2O_CMD_CHANGE_TERMS: fill_terms(&c->terms, seed); break;
    case Q2O_CMD_ADD_NOTE: S(c->u.note, "note"); break;
    case Q2O_CMD_REASSIGN_OWNER: S(c->u.owner_id, "owner"); break;
    case Q2O_CMD_PRICE_QUOTE: case Q2O_CMD_SUBMIT_FOR_APPROVAL: case Q2O_CMD_EXPIRE_QUOTE: break;
    case Q2O_CMD_APPROVE_STEP: fill_sha(c->u.approve.expected_fp, seed); S(c->u.approve.comment, "lgtm"); break;
    case Q2O_CMD_REJECT_APPROVAL: case Q2O_CMD_RECALL_APPROVAL: case Q2O_CMD_REJECT_BY_CUSTOMER:
    case Q2O_CMD_CANCEL_QUOTE: case Q2O_CMD_CREATE_REVISION: fill_reason(&c->u.reason, seed); break;
    case Q2O_CMD_ATTACH_DOCUMENT:
        fill_doc(c->u.attach.document_id, sizeof c->u.attach.document_id, c->u.attach.document_hash,
                 c->u.attach.template_version, sizeof c->u.attach.template_version, seed);
        fill_sha(c->u.attach.snapshot_fp, seed + 8);
        break;
    case Q2O_CMD_PRESENT_QUOTE:
        fill_doc(c->u.present.document_id, sizeof c->u.present.document_id, c->u.present.document_hash,
                 c->u.present.recipient, sizeof c->u.present.recipient, seed);
        break;
    case Q2O_CMD_ACCEPT_QUOTE: fill_acceptance(&c->u.accept, seed); break;
    case Q2O_CMD_CONVERT_TO_ORDER:
        S(c->u.convert.idempotency_key, "idem");
        c->u.convert.expected_status = Q2O_ST_ACCEPTED;
        break;
    case Q2O_CMD_NONE: case Q2O_CMD__COUNT: Q2O_CHECK(!"no such command type"); break;
    }
}

void q2o_sample_command(q2o_command_type t, uint32_t seed, q2o_command *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    cmd->type = t;
    S(cmd->command_id, "cmd");
    S(cmd->quote_id, "Q");
    S(cmd->correlation_id, "corr");
    S(cmd->source, "PORTAL");
    cmd->expected_version = -1 - (int64_t)seed;
    cmd->revision = 5;
    fill_actor(&cmd->actor, seed);
    command_payload(cmd, seed);
}

void q2o_sample_result(uint32_t seed, q2o_result *r)
{
    memset(r, 0, sizeof *r);
    S(r->command_id, "cmd");
    S(r->quote_id, "Q");
    S(r->correlation_id, "corr");
    r->status = Q2O_RESULT_REJECTED;
    r->code = Q2O_QUOTE_ACCEPTANCE_METHOD_INVALID;
    snprintf(r->message, sizeof r->message, "%s", q2o_err_message(r->code));
    snprintf(r->remediation, sizeof r->remediation, "%s", q2o_err_remediation(r->code));
    S(r->detail, "detail");
    r->version = 77, r->revision = 3;
    S(r->order_id, "order");
    S(r->order_number, "ON");
    r->replayed = 1;
    r->n_events = Q2O_MAX_EVENTS_PER_DECISION;
    for (unsigned i = 0; i < Q2O_MAX_EVENTS_PER_DECISION; i++)
        r->event_types[i] = (q2o_event_type)(Q2O_EV__COUNT - 1 - i);
}

static void fill_revision(q2o_revision *r, int32_t number, uint32_t seed)
{
    r->number = number, r->parent = number - 1;
    r->status = (q2o_status)sym(seed, Q2O_ST__COUNT);
    r->status_before_close = (q2o_status)sym(seed + 1, Q2O_ST__COUNT);
    r->created_at = T0 + number;
    fill_terms(&r->terms, seed);
    r->priced = 1;
    r->merchandise = 1, r->discount_total = 2, r->net_total = 3, r->freight = 4, r->tax = 5;
    r->grand_total = 6, r->cost_total = 7, r->margin_bp = 8, r->max_discount_bp = 9;
    r->catalog_version = 10, r->pricebook_version = 11;
    r->priced_at = T0 + 12, r->price_valid_until = T0 + 13, r->promo_ends_at = T0 + 14;
    fill_sha(r->pricing_fp, seed), fill_sha(r->approval_fp, seed + 1);
    r->policy_version = 15, r->approval_required = 1;
    fill_approvals(r->reasons, &r->n_reasons, r->steps, &r->n_steps, seed);
    S(r->submitted_by, "sub");
    r->submitted_at = T0 + 16, r->approved = 1, r->auto_approved = 1;
    fill_sha(r->approved_fp, seed + 2);
    r->approved_at = T0 + 17, r->approval_expires_at = T0 + 18;
    r->document_status = (q2o_op_status)sym(seed, Q2O_OP__COUNT);
    fill_doc(r->document_id, sizeof r->document_id, r->document_hash, r->template_version,
             sizeof r->template_version, seed);
    fill_sha(r->document_snapshot_fp, seed + 3);
    r->presented_at = T0 + 19;
    S(r->recipient, "rcpt");
    fill_sha(r->presented_hash, seed + 4);
    r->accepted = 1, r->accepted_at = T0 + 20;
    fill_acceptance(&r->acceptance, seed);
    fill_sha(r->accepted_fp, seed + 5);
    r->converted = 1;
    fill_conversion(&r->conversion, seed);
    S(r->close_reason, "closed");
    r->expired_kind = (q2o_expiry_kind)sym(seed, Q2O_EXP__COUNT);
    r->n_notes = 4000000000u;
    r->cancel_date = T0 + 21;
    S(r->price_override_reason, "QUOTED");
    r->freight_override = 1, r->freight_override_amount = 22;
}

void q2o_sample_quote(uint32_t n_revisions, uint32_t n_lines, uint32_t seed, q2o_quote *q)
{
    memset(q, 0, sizeof *q);
    q->exists = 1;
    S(q->quote_id, "Q");
    fill_header(&q->header, seed);
    q->version = 123456789012ULL;
    fill_sha(q->head_hash, seed);
    q->updated_at = T0 + 99;
    q->n_revisions = (int32_t)n_revisions;
    q->cap_revisions = n_revisions;
    q->revisions = n_revisions ? calloc(n_revisions, sizeof *q->revisions) : NULL;
    Q2O_CHECK(n_revisions == 0 || q->revisions != NULL);
    for (uint32_t i = 0; i < n_revisions; i++)
        fill_revision(&q->revisions[i], (int32_t)i + 1, seed + i);
    q->accepted_revision = (int32_t)n_revisions;
    q->n_conversions = 1;
    q->lines = n_lines ? calloc(n_lines, sizeof *q->lines) : NULL;
    Q2O_CHECK(n_lines == 0 || q->lines != NULL);
    for (uint32_t i = 0; i < n_lines; i++)
        fill_line(&q->lines[i], seed + i);
    q->n_lines = q->cap_lines = n_lines;
    q->n_baseline = n_lines;
    q->baseline = n_lines ? calloc(n_lines, sizeof *q->baseline) : NULL;
    Q2O_CHECK(n_lines == 0 || q->baseline != NULL);
    for (uint32_t i = 0; i < n_lines; i++) {
        fill_str(q->baseline[i].line_id, sizeof q->baseline[i].line_id, "line", seed + i);
        fill_str(q->baseline[i].offering_id, sizeof q->baseline[i].offering_id, "off", seed + i);
        q->baseline[i].quantity = i + 1, q->baseline[i].discount_bp = 1800;
        q->baseline[i].override_unit_price = -1, q->baseline[i].net_total = 12345 * (int64_t)i;
    }
}
