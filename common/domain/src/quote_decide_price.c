/*
 * PriceQuote: validation (structure, customer, configuration, offerings,
 * price book) and pricing in one decision. Findings are recorded as a
 * QuoteValidationFailed event and the command is refused with the first
 * finding's code. A clean run emits QuotePriced with the whole snapshot,
 * the pricing fingerprint and the approval fingerprint, then, when the
 * approval policy fires, QuoteApprovalRequired with reasons and steps.
 * A line that keeps a promotion past its window (override_reason
 * PROMOTION_EXTENSION) fires EXPIRED_PROMOTION_OVERRIDE: acceptance then
 * honours the ended promotion only under that approval.
 */
#include <stdlib.h>

#include "core/check.h"
#include "core/strutil.h"
#include "decide_internal.h"

/* Structural and customer checks, and the order type against the catalog
 * (when the catalog manages order types at all: a SaaS catalog has none). */
static void validate_quote(const q2o_quote *q, const q2o_catalog *catalog, q2o_price_output *o)
{
    const q2o_quote_header *h = &q->header;
    if (catalog && catalog->n_order_types && !q2o_catalog_order_type(catalog, h->order_type))
        q2o_price_output_violate(o, Q2O_ORDER_TYPE_UNKNOWN, "", h->order_type);
    if (q->n_lines == 0)
        q2o_price_output_violate(o, Q2O_VALIDATION_NO_LINES, "", "lines");
    if (!h->customer_id[0] || !h->account_id[0])
        q2o_price_output_violate(o, Q2O_MISSING_CUSTOMER, "", !h->customer_id[0] ? "customer_id" : "account_id");
    if (!h->billing_account_id[0])
        q2o_price_output_violate(o, Q2O_MISSING_BILLING_ACCOUNT, "", "billing_account_id");
    if (!h->ship_to[0])
        q2o_price_output_violate(o, Q2O_SHIP_TO_INVALID, "", "ship_to");
    for (uint32_t i = 0; i < q->n_lines; i++)
        if (q->lines[i].override_unit_price >= 0 && !q->lines[i].override_reason[0])
            q2o_price_output_violate(o, Q2O_OVERRIDE_REASON_REQUIRED, q->lines[i].line_id, "override_reason");
}

static q2o_err record_failure(decide_ctx *c, const q2o_price_output *o)
{
    q2o_event *e = dc_emit(c, Q2O_EV_VALIDATION_FAILED);
    e->u.failed.n_violations = o->n_violations;
    memcpy(e->u.failed.violations, o->violations, o->n_violations * sizeof o->violations[0]);
    const q2o_violation *v = &o->violations[0];
    return dc_fail(c, (q2o_err)v->code, "%u finding(s); first: %s%s%s", o->n_violations,
                   q2o_err_name((q2o_err)v->code), v->line_id[0] ? " on line " : "", v->line_id);
}

/* Pricing fingerprint: the inputs that determine the price (lines' content,
 * terms, currency, catalog and price book versions) and the outputs. */
static void pricing_fp(const q2o_quote *q, const q2o_revision *r, const q2o_price_output *o,
                       uint8_t out[Q2O_SHA256_LEN])
{
    q2o_sha256 h;
    q2o_sha256_init(&h);
    q2o_sha256_update_str(&h, "q2o.pricing.v1");
    q2o_sha256_update_str(&h, q->header.currency);
    q2o_sha256_update_str(&h, o->catalog_id);
    q2o_sha256_update_str(&h, o->pricebook_id);
    q2o_sha256_update_i64(&h, o->catalog_version);
    q2o_sha256_update_i64(&h, o->pricebook_version);
    q2o_sha256_update_i64(&h, r->terms.term_months);
    q2o_sha256_update_i64(&h, q->n_lines);
    for (uint32_t i = 0; i < q->n_lines; i++) {
        const q2o_line *l = &q->lines[i];
        const q2o_line_price *p = &o->lines[i];
        q2o_sha256_update_str(&h, l->line_id);
        q2o_sha256_update_str(&h, l->offering_id);
        q2o_sha256_update_i64(&h, l->quantity);
        q2o_sha256_update_i64(&h, l->term_months);
        q2o_sha256_update_i64(&h, l->discount_bp);
        q2o_sha256_update_i64(&h, l->override_unit_price);
        q2o_sha256_update_str(&h, l->promo_code);
        for (uint32_t k = 0; k < l->n_options; k++) {
            q2o_sha256_update_str(&h, l->options[k].name);
            q2o_sha256_update_str(&h, l->options[k].value);
        }
        q2o_sha256_update_i64(&h, p->list_unit);
        q2o_sha256_update_i64(&h, p->net_total);
        q2o_sha256_update_i64(&h, p->cost_total);
        if (o->traces)
            for (uint32_t k = 0; k < o->traces[i].n_steps; k++) {
                const q2o_price_step *st = &o->traces[i].steps[k];
                q2o_sha256_update_i64(&h, st->stage);
                q2o_sha256_update_str(&h, st->rule);
                q2o_sha256_update_i64(&h, st->rule_version);
                q2o_sha256_update_i64(&h, st->amount);
            }
    }
    q2o_sha256_update_i64(&h, o->grand_total);
    q2o_sha256_update_i64(&h, o->tax);
    q2o_sha256_update_i64(&h, o->freight);
    q2o_sha256_final(&h, out);
}

/* The approval fingerprint of the revision as it will be once priced:
 * computed on a copy with the new prices applied. */
static void approval_fp_after(const q2o_quote *q, const q2o_ev_priced *p, int64_t policy_version,
                              uint8_t out[Q2O_SHA256_LEN])
{
    q2o_quote *tmp = q2o_quote_new();
    q2o_quote_copy(tmp, q);
    q2o_revision *r = &tmp->revisions[tmp->n_revisions - 1];
    for (uint32_t i = 0; i < tmp->n_lines; i++) {
        tmp->lines[i].price = p->lines[i].price;
        tmp->lines[i].priced = 1;
        Q2O_STRCPY(tmp->lines[i].display_name, p->lines[i].display_name);
    }
    q2o_revision_set_price(r, p);
    q2o_quote_content_fp(tmp, policy_version, out);
    q2o_quote_free(tmp);
}

static int cmp_baseline(const void *a, const void *b)
{
    return strcmp(((const q2o_line_baseline *)a)->line_id, ((const q2o_line_baseline *)b)->line_id);
}

static q2o_price_change *add_change(q2o_ev_priced *p, const char *line_id, q2o_line_change kind)
{
    q2o_price_change *x = &p->changes[p->n_changes++];
    Q2O_STRCPY(x->line_id, line_id);
    x->kind = kind;
    return x;
}

/* What this pricing changed against the parent revision's priced lines:
 * lines added, changed (offering, quantity, discount, override or net) and
 * removed; unchanged lines are not listed. */
static void fill_changes(decide_ctx *c, q2o_ev_priced *p)
{
    const q2o_quote *q = c->q;
    if (c->rev->number <= 1)
        return;
    p->compared_revision = c->rev->parent;
    uint32_t nb = q->n_baseline;
    q2o_line_baseline *base = calloc(nb ? nb : 1, sizeof *base);
    uint8_t *seen = calloc(nb ? nb : 1, 1);
    p->changes = calloc(q->n_lines + nb ? q->n_lines + nb : 1, sizeof *p->changes);
    Q2O_CHECK(base && seen && p->changes);
    if (nb)
        memcpy(base, q->baseline, nb * sizeof *base);
    qsort(base, nb, sizeof *base, cmp_baseline);
    for (uint32_t i = 0; i < q->n_lines; i++) {
        const q2o_line *l = &q->lines[i];
        int64_t net = p->lines[i].price.net_total;
        const q2o_line_baseline *b = bsearch(l, base, nb, sizeof *base, cmp_baseline);
        if (!b) {
            q2o_price_change *x = add_change(p, l->line_id, Q2O_LC_ADDED);
            x->quantity = l->quantity;
            x->net = net;
            continue;
        }
        seen[b - base] = 1;
        if (strcmp(b->offering_id, l->offering_id) == 0 && b->quantity == l->quantity &&
            b->discount_bp == l->discount_bp && b->override_unit_price == l->override_unit_price &&
            b->net_total == net)
            continue;
        q2o_price_change *x = add_change(p, l->line_id, Q2O_LC_CHANGED);
        x->previous_quantity = b->quantity;
        x->quantity = l->quantity;
        x->previous_net = b->net_total;
        x->net = net;
    }
    for (uint32_t k = 0; k < nb; k++)
        if (!seen[k]) {
            q2o_price_change *x = add_change(p, base[k].line_id, Q2O_LC_REMOVED);
            x->previous_quantity = base[k].quantity;
            x->previous_net = base[k].net_total;
        }
    free(base);
    free(seen);
}

static void fill_priced(decide_ctx *c, const q2o_price_output *o, q2o_ev_priced *p)
{
    p->n_lines = c->q->n_lines;
    p->lines = calloc(c->q->n_lines ? c->q->n_lines : 1, sizeof *p->lines);
    Q2O_CHECK(p->lines != NULL);
    for (uint32_t i = 0; i < c->q->n_lines; i++) {
        Q2O_STRCPY(p->lines[i].line_id, c->q->lines[i].line_id);
        Q2O_STRCPY(p->lines[i].display_name, o->display_names[i]);
        p->lines[i].price = o->lines[i];
        if (o->traces)
            p->lines[i].trace = o->traces[i];
    }
    p->merchandise = o->merchandise;
    p->discount_total = o->discount_total;
    p->net_total = o->net_total;
    p->freight = o->freight;
    p->tax = o->tax;
    p->grand_total = o->grand_total;
    p->cost_total = o->cost_total;
    p->margin_bp = o->margin_bp;
    p->max_discount_bp = o->max_discount_bp;
    p->catalog_version = o->catalog_version;
    p->pricebook_version = o->pricebook_version;
    p->price_valid_until = o->price_valid_until;
    p->promo_ends_at = o->promo_ends_at;
    p->policy_version = c->env->approval->version;
    p->one_time_total = o->one_time_total;
    p->recurring_total = o->recurring_total;
    Q2O_STRCPY(p->catalog_id, o->catalog_id);
    Q2O_STRCPY(p->pricebook_id, o->pricebook_id);
    fill_changes(c, p);
    pricing_fp(c->q, c->rev, o, p->pricing_fp);
    approval_fp_after(c->q, p, p->policy_version, p->approval_fp);
}

/* Smart reuse (SPEC §5): after a recall, repricing unchanged content gives
 * the same approval fingerprint; steps approved for it inside the window
 * stay approved. */
static void reuse_steps(decide_ctx *c, const uint8_t fp[Q2O_SHA256_LEN], q2o_approval_eval *ev)
{
    const q2o_revision *r = c->rev;
    if (memcmp(r->approval_fp, fp, Q2O_SHA256_LEN) != 0)
        return;
    for (uint32_t i = 0; i < ev->n_steps; i++)
        for (uint32_t k = 0; k < r->n_steps; k++)
            if (r->steps[k].role == ev->steps[i].role && r->steps[k].approved_by[0] &&
                r->steps[k].approved_at + c->env->approval->window_ms > c->now) {
                Q2O_STRCPY(ev->steps[i].approved_by, r->steps[k].approved_by);
                ev->steps[i].approved_at = r->steps[k].approved_at;
            }
}

/* The policy's facts come from the snapshot, the terms and what the
 * pricer kept: a promotion past its window on a PROMOTION_EXTENSION line
 * (domain/pricing.h) is the expired-promotion override (SPEC §5). */
static void evaluate_approval(decide_ctx *c, const q2o_ev_priced *p, const q2o_price_output *o)
{
    q2o_approval_facts f = {
        .max_discount_bp = p->max_discount_bp, .margin_bp = p->margin_bp,
        .term_months = c->rev->terms.term_months, .grand_total = p->grand_total,
        .payment_terms = c->rev->terms.payment_terms,
        .legal_clause_exception = c->rev->terms.legal_clause_exception,
        .promotion_expired_override = (int)o->expired_promotions_kept, /* <= Q2O_MAX_LINES */
    };
    q2o_approval_eval ev;
    q2o_approval_evaluate(c->env->approval, &f, &ev);
    if (ev.n_reasons == 0)
        return;
    reuse_steps(c, p->approval_fp, &ev);
    q2o_event *e = dc_emit(c, Q2O_EV_APPROVAL_REQUIRED);
    memcpy(e->u.required.approval_fp, p->approval_fp, Q2O_SHA256_LEN);
    e->u.required.policy_version = p->policy_version;
    e->u.required.n_reasons = ev.n_reasons;
    memcpy(e->u.required.reasons, ev.reasons, sizeof ev.reasons);
    e->u.required.n_steps = ev.n_steps;
    memcpy(e->u.required.steps, ev.steps, sizeof ev.steps);
}

q2o_err dc_price(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_PRICE))
        return c->out->err;
    q2o_price_output *o = calloc(1, sizeof *o);
    uint32_t n = c->q->n_lines ? c->q->n_lines : 1;
    Q2O_CHECK(o != NULL);
    o->lines = calloc(n, sizeof *o->lines);
    o->display_names = calloc(n, sizeof *o->display_names);
    o->traces = calloc(n, sizeof *o->traces);
    Q2O_CHECK(o->lines && o->display_names && o->traces);
    validate_quote(c->q, c->env->catalog, o);
    q2o_price_input in = {&c->q->header, &c->rev->terms, c->q->lines, c->q->n_lines, c->now};
    q2o_err err = Q2O_OK;
    if ((err = c->env->pricer.price(c->env->pricer.ctx, &in, o)) != Q2O_OK)
        dc_fail(c, err, "pricing failed: %s", q2o_err_message(err));
    else if (o->n_violations)
        record_failure(c, o);
    else {
        q2o_event *e = dc_emit(c, Q2O_EV_PRICED);
        fill_priced(c, o, &e->u.priced);
        evaluate_approval(c, &e->u.priced, o);
    }
    free(o->lines);
    free(o->display_names);
    free(o->traces);
    free(o);
    return c->out->err;
}
