/*
 * The list-price engine. Per line, in minor units:
 *
 *   months     = recurring ? max(line term, revision term, 1) : 1
 *   list_total = list_unit x quantity x months
 *   promotion  = round(list_total x promo_bp / 10000)        (code, inside its window)
 *   manual     = round((list_total - promotion) x discount_bp / 10000)
 *   net_total  = list_total - promotion - manual
 *              | override_unit_price x quantity x months     (manual override wins)
 *
 * Quote: freight (flat, when there is a line), tax = round((net + freight) x
 * tax_bp / 10000), grand total = net + freight + tax. Rounding: core/money.h.
 */
#include <string.h>

#include "core/check.h"
#include "core/money.h"
#include "core/strutil.h"
#include "domain/pricing.h"

static const q2o_list_offering *find_offering(const q2o_list_catalog *c, const char *id)
{
    for (uint32_t i = 0; i < c->n_offerings; i++)
        if (strcmp(c->offerings[i].id, id) == 0)
            return &c->offerings[i];
    return NULL;
}

static const q2o_list_promotion *find_promo(const q2o_list_catalog *c, const char *code)
{
    for (uint32_t i = 0; i < c->n_promotions; i++)
        if (strcmp(c->promotions[i].code, code) == 0)
            return &c->promotions[i];
    return NULL;
}

static void violate(q2o_price_output *out, q2o_err code, const char *line_id, const char *detail)
{
    if (out->n_violations >= Q2O_MAX_VIOLATIONS)
        return;
    q2o_violation *v = &out->violations[out->n_violations++];
    v->code = (int)code;
    q2o_strlcpy(v->line_id, line_id, sizeof v->line_id);
    q2o_strlcpy(v->detail, detail, sizeof v->detail);
}

static int has_option(const q2o_line *l, const char *name)
{
    for (uint32_t i = 0; i < l->n_options; i++)
        if (strcmp(l->options[i].name, name) == 0 && l->options[i].value[0])
            return 1;
    return 0;
}

/* Checks that do not involve money; returns 0 if the line can be priced. */
static int validate_line(const q2o_list_catalog *c, const q2o_list_offering *o, const q2o_line *l,
                         q2o_time_ms date, q2o_price_output *out)
{
    int ok = 1;
    if (!o) {
        violate(out, Q2O_OFFERING_UNKNOWN, l->line_id, l->offering_id);
        return 0;
    }
    if ((o->active_from && date < o->active_from) || (o->active_until && date >= o->active_until)) {
        violate(out, Q2O_OFFERING_INACTIVE, l->line_id, o->id);
        ok = 0;
    }
    for (int i = 0; i < Q2O_LIST_MAX_MANDATORY && o->mandatory_options[i]; i++) {
        if (!has_option(l, o->mandatory_options[i])) {
            violate(out, Q2O_CONFIG_INCOMPLETE, l->line_id, o->mandatory_options[i]);
            ok = 0;
        }
    }
    if (l->promo_code[0]) {
        const q2o_list_promotion *p = find_promo(c, l->promo_code);
        if (!p) {
            violate(out, Q2O_FIELD_INVALID, l->line_id, l->promo_code);
            ok = 0;
        } else if (date < p->starts_at || date >= p->ends_at) {
            violate(out, Q2O_QUOTE_PROMOTION_EXPIRED, l->line_id, l->promo_code);
            ok = 0;
        }
    }
    return ok;
}

static q2o_err price_line(const q2o_list_catalog *c, const q2o_list_offering *o, const q2o_line *l,
                          const q2o_terms *terms, q2o_line_price *p)
{
    q2o_err e;
    int64_t months = 1, units, promo = 0, manual = 0;
    Q2O_CHECK(o != NULL); /* validate_line proved it */
    if (o->recurring) {
        months = l->term_months > 0 ? l->term_months : terms->term_months;
        if (months < 1)
            months = 1;
    }
    memset(p, 0, sizeof *p);
    p->catalog_version = c->catalog_version;
    p->list_unit = o->unit_price;
    if ((e = q2o_money_mul(l->quantity, months, &units)) ||
        (e = q2o_money_mul(o->unit_price, units, &p->list_total)) ||
        (e = q2o_money_mul(o->unit_cost, units, &p->cost_total)))
        return e;
    if (l->promo_code[0]) {
        const q2o_list_promotion *pr = find_promo(c, l->promo_code);
        Q2O_CHECK(pr != NULL);
        if ((e = q2o_money_percent_bp(p->list_total, pr->discount_bp, &promo)))
            return e;
        p->promo_ends_at = pr->ends_at;
    }
    if ((e = q2o_money_percent_bp(p->list_total - promo, l->discount_bp, &manual)))
        return e;
    p->net_total = p->list_total - promo - manual;
    if (l->override_unit_price >= 0 && (e = q2o_money_mul(l->override_unit_price, units, &p->net_total)))
        return e;
    p->discount_total = p->list_total - p->net_total;
    p->recurring_total = o->recurring ? p->net_total : 0;
    if (p->net_total > 0 &&
        (e = q2o_money_mul_div(p->net_total - p->cost_total, 10000, p->net_total, &units)))
        return e;
    p->margin_bp = p->net_total > 0 ? (int32_t)units : 0;
    return Q2O_OK;
}

/* Discretionary depth of a line: the manual discount, or what an override
 * takes off the list price. */
static int32_t discretionary_bp(const q2o_line *l, const q2o_line_price *p)
{
    if (l->override_unit_price >= 0 && p->list_total > 0) {
        int64_t bp = 0;
        q2o_money_mul_div(p->list_total - p->net_total, 10000, p->list_total, &bp);
        return (int32_t)bp;
    }
    return l->discount_bp;
}

static q2o_err totals(const q2o_list_catalog *c, uint32_t n, q2o_price_output *out)
{
    q2o_err e;
    int64_t taxable, m = 0;
    out->freight = n ? c->freight_flat : 0;
    if ((e = q2o_money_add(out->net_total, out->freight, &taxable)) ||
        (e = q2o_money_percent_bp(taxable, c->tax_bp, &out->tax)) ||
        (e = q2o_money_add(taxable, out->tax, &out->grand_total)))
        return e;
    if (out->net_total > 0 &&
        (e = q2o_money_mul_div(out->net_total - out->cost_total, 10000, out->net_total, &m)))
        return e;
    out->margin_bp = (int32_t)m;
    return Q2O_OK;
}

static q2o_err list_price(const void *ctx, const q2o_price_input *in, q2o_price_output *out)
{
    const q2o_list_catalog *c = ctx;
    q2o_err e;
    int valid = 1;
    out->catalog_version = c->catalog_version;
    out->pricebook_version = c->pricebook_version;
    out->price_valid_until = in->pricing_date + c->price_validity_ms;
    if (strcmp(in->header->currency, c->currency) != 0) {
        violate(out, Q2O_PRICE_BOOK_MISSING, "", in->header->currency);
        return Q2O_OK;
    }
    for (uint32_t i = 0; i < in->n_lines; i++)
        valid &= validate_line(c, find_offering(c, in->lines[i].offering_id), &in->lines[i],
                               in->pricing_date, out);
    if (!valid)
        return Q2O_OK;
    for (uint32_t i = 0; i < in->n_lines; i++) {
        const q2o_line *l = &in->lines[i];
        const q2o_list_offering *o = find_offering(c, l->offering_id);
        q2o_line_price *p = &out->lines[i];
        Q2O_CHECK(o != NULL);
        if ((e = price_line(c, o, l, in->terms, p)) ||
            (e = q2o_money_add(out->merchandise, p->list_total, &out->merchandise)) ||
            (e = q2o_money_add(out->discount_total, p->discount_total, &out->discount_total)) ||
            (e = q2o_money_add(out->net_total, p->net_total, &out->net_total)) ||
            (e = q2o_money_add(out->cost_total, p->cost_total, &out->cost_total)))
            return e;
        q2o_strlcpy(out->display_names[i], o->name, Q2O_NAME_MAX);
        int32_t d = discretionary_bp(l, p);
        if (d > out->max_discount_bp)
            out->max_discount_bp = d;
        if (p->promo_ends_at && (!out->promo_ends_at || p->promo_ends_at < out->promo_ends_at))
            out->promo_ends_at = p->promo_ends_at;
    }
    return totals(c, in->n_lines, out);
}

q2o_pricer q2o_list_pricer(const q2o_list_catalog *catalog)
{
    q2o_pricer p = {catalog, list_price};
    return p;
}
