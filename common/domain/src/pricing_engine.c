/*
 * The catalog pricing engine: q2o_catalog_price (domain/catalog_pricing.h).
 * This comment is the precise rule book; pricing_waterfall.c prices a line,
 * this file the quote.
 *
 * CONTEXT (once per quote)
 *   price book   q2o_catalog_pricebook(header currency, market, channel,
 *                pricing date); none -> violation PRICE_BOOK_MISSING with
 *                line_id "" (detail: the currency) and nothing is priced.
 *   customer     q2o_catalog_customer(header account_id), may be absent.
 *   region       the customer's region, else the header's market; it picks
 *                the regional adjustment and the tax rate.
 *   tier         the customer's tier discount, when the tier is known.
 *
 * FINDINGS (every line is checked; any finding stops pricing: the output
 * then carries the violations and all-zero prices and totals, Q2O_OK)
 *   OFFERING_UNKNOWN       offering not in the catalog
 *   OFFERING_INACTIVE      offering not active on the pricing date
 *   QUANTITY_INVALID       quantity < 1 (the upper bound is the
 *                          configurator's; absurd products overflow below)
 *   PRICE_BOOK_MISSING     the book has no entry for the offering, or a
 *                          blocks-only entry (unit_price -1) does not reach
 *                          the quantity
 *   CATALOG_INVALID        the offering names a schedule that is missing or
 *                          of the wrong kind (detail: the schedule id)
 *   PROMOTION_UNKNOWN      the line's promo_code is not in the catalog or
 *                          does not cover the offering
 *   QUOTE_PROMOTION_EXPIRED the code's window [starts_at, ends_at) (0 =
 *                          open) does not hold the pricing date, unless
 *                          the window closed (ends_at <= date) and the
 *                          line's override_reason is PROMOTION_EXTENSION
 *                          (Q2O_REASON_PROMOTION_EXTENSION): the line is
 *                          then priced with the promotion ("kept expired",
 *                          see PROMOTION below)
 *   A line with action REMOVE is not checked and is priced at zero with no
 *   steps (catalog_version set, display name from the catalog, else the
 *   line's own); it counts nowhere (not in freight, not for FLAT freight).
 *
 * THE WATERFALL (per line, one period: a month for recurring offerings, the
 * whole charge for one-time ones; q = quantity; "after" is the amount so far;
 * every percentage is round(after x bp / 10000) half away from zero, once,
 * on the amount after the previous step; each step records
 * after = previous after - amount, and a stage that does not apply leaves
 * no step). Step fields per stage:
 *
 *   stage            rule              version        input          rate_bp       amount
 *   LIST             price book id     book version   q              -region bp    -list
 *   CONTRACTED       contract id       0              contract unit  0             after - unit x q
 *   CUSTOMER_TIER    tier              0              tier bp        tier bp       pct
 *   VOLUME           schedule id       its version    q              see below     see below
 *   TERM             schedule id       its version    months         see below     see below
 *   PROMOTION        promotion code    its version    amount_off_unit (0: percent)  percent bp (0: amount)
 *   MANUAL_DISCOUNT  ""                0              discount_bp    discount_bp   pct
 *   OVERRIDE         override_reason   0              override unit  0             after - override x q
 *
 *   LIST       book = unit_price x q, or a block price (q2o_cat_block: the
 *              first block whose up_to >= q costs its price; beyond the last
 *              block, last price + unit_price x (q - last up_to)); then
 *              list = book + round(book x region bp / 10000) (an uplift when
 *              positive, a reduction when negative). Always present.
 *   CONTRACTED the account's contracted unit price for the offering, the
 *              quote currency and the date replaces the price: after =
 *              contract unit x q (blocks and region do not apply to it).
 *              The list stays in the LIST step and in list_total.
 *   VOLUME     the offering's volume schedule by q. RANGE: the last tier
 *              whose from <= q gives its rate on the whole amount. SLAB:
 *              units 1..q are split at the tiers' `from`; slab k takes
 *              round(after x units_k x bp_k / (q x 10000)), rounded once
 *              per slab, and the step's amount is the sum (units below the
 *              first tier earn nothing); rate_bp is then the blended rate
 *              round(amount x 10000 / after), for reading only.
 *   TERM       recurring lines only: the offering's term schedule by
 *              months, RANGE or SLAB as above with months for units (a slab
 *              term schedule gives the per-month average). months = the
 *              line's term_months, else the revision's, at least 1.
 *   PROMOTION  the line's promo_code; without one, among the automatic
 *              promotions covering the offering whose window holds the
 *              date, the single one that takes the most off this line (ties:
 *              the first in catalog order; one that takes nothing is not
 *              applied; at most the first 32 covering the offering are
 *              considered). Promotions never stack. amount_off_unit > 0 takes
 *              amount_off_unit x q, else discount_bp takes a percentage;
 *              either is capped at `after` so a price never goes below zero.
 *              The line's promo_code and promo_ends_at record it. A kept
 *              expired code prices exactly the same (same step fields);
 *              its promo_ends_at (<= the pricing date) is the line's, and
 *              the quote counts it in expired_promotions_kept instead of
 *              in promo_ends_at.
 *   OVERRIDE   override_unit_price >= 0 sets the net to override x q
 *              (its reason is checked by the quote, not here).
 *
 * LINE SNAPSHOT (months = 1 for one-time lines)
 *   list_total = list x months        net_total = net x months (contract value)
 *   discount_total = list_total - net_total
 *   recurring_total = net (recurring)  one_time_total = net (one-time)
 *   term_months = months (recurring) or 0
 *   list_unit = round(list / q)       (the book unit price, region-adjusted)
 *   cost_total = unit_cost x q x months
 *   margin_bp = round((net_total - cost_total) x 10000 / net_total), 0 when
 *   net_total <= 0
 *
 * QUOTE TOTALS (sums of the lines, exactly: quote = sum of line totals)
 *   merchandise = sum list_total; discount_total, net_total, one_time_total,
 *   recurring_total (per month), cost_total: sums; margin_bp as for a line.
 *   freight: q2o_catalog_freight_rule(market, channel, currency); none -> 0.
 *     FLAT amount when at least one line is priced; PER_UNIT amount x the
 *     quantities of physical one-time lines; PERCENT round(net_total x bp /
 *     10000). 0 when free_above > 0 and net_total > free_above.
 *   tax = round((net_total + freight) x q2o_catalog_tax_bp(region) / 10000)
 *   grand_total = net_total + freight + tax
 *   max_discount_bp: the deepest discretionary discount, as the list
 *     engine: an override's round((list_total - net_total) x 10000 /
 *     list_total), else the line's discount_bp.
 *   promo_ends_at: the earliest promo_ends_at of the lines whose promotion
 *     was inside its window (0 = none): the moment the quote's promotional
 *     price stops holding. Kept expired promotions have already ended and
 *     are counted in expired_promotions_kept (lines) instead; the quote's
 *     approval decides about them, not the clock.
 *   price_valid_until = pricing date + price_validity_days days.
 *   catalog id/version and price book id/version of what priced it.
 *
 * Errors: Q2O_MONEY_OVERFLOW when any product or sum leaves
 * +-Q2O_MAX_AMOUNT (findings win over an overflow: when a line has a
 * finding the result is Q2O_OK with violations). On an error the output
 * holds no prices either.
 *
 * Deterministic: no clock, no allocation, catalog lookups only (O(1) per
 * line, however large the catalog).
 */
#include <string.h>

#include "core/check.h"
#include "core/money.h"
#include "core/strutil.h"
#include "domain/catalog_pricing.h"
#include "pricing_engine_internal.h"

#define PE_DAY_MS 86400000LL

/* What the line loop adds up. */
typedef struct pe_sums {
    int64_t physical_units;               /* quantities of physical one-time lines */
    uint32_t n_priced;                    /* lines other than REMOVE */
} pe_sums;

static void quote_context(const q2o_catalog *c, const q2o_price_input *in, pe_quote *q)
{
    const q2o_quote_header *h = in->header;
    memset(q, 0, sizeof *q);
    q->cat = c;
    q->date = in->pricing_date;
    q->account_id = h->account_id;
    q->currency = h->currency;
    q->revision_term = in->terms ? in->terms->term_months : 0;
    q->book = q2o_catalog_pricebook(c, h->currency, h->market, h->channel, in->pricing_date);
    const q2o_cat_customer *cu = h->account_id[0] ? q2o_catalog_customer(c, h->account_id) : NULL;
    q->region = cu && cu->region[0] ? cu->region : h->market;
    q->region_bp = q2o_catalog_region_adjustment_bp(c, q->region);
    q->tier = cu && cu->tier[0] ? q2o_catalog_tier_discount(c, cu->tier) : NULL;
}

static int32_t discretionary_bp(const q2o_line *l, const q2o_line_price *p)
{
    int64_t bp = 0;
    if (l->override_unit_price >= 0 && p->list_total > 0) {
        if (q2o_money_mul_div(p->list_total - p->net_total, 10000, p->list_total, &bp) != Q2O_OK)
            return INT32_MIN;
        return bp > INT32_MAX ? INT32_MAX : bp < INT32_MIN ? INT32_MIN : (int32_t)bp;
    }
    return l->discount_bp;
}

static q2o_err add_line(const q2o_line *l, const pe_line *r, const q2o_line_price *p, q2o_price_output *out,
                        pe_sums *s)
{
    q2o_err e;
    if (r->removed)
        return Q2O_OK;
    s->n_priced++;
    if (r->off->physical && r->off->charge == Q2O_CHARGE_ONE_TIME &&
        (e = q2o_money_add(s->physical_units, l->quantity, &s->physical_units)))
        return e;
    if ((e = q2o_money_add(out->merchandise, p->list_total, &out->merchandise)) ||
        (e = q2o_money_add(out->discount_total, p->discount_total, &out->discount_total)) ||
        (e = q2o_money_add(out->net_total, p->net_total, &out->net_total)) ||
        (e = q2o_money_add(out->one_time_total, p->one_time_total, &out->one_time_total)) ||
        (e = q2o_money_add(out->recurring_total, p->recurring_total, &out->recurring_total)) ||
        (e = q2o_money_add(out->cost_total, p->cost_total, &out->cost_total)))
        return e;
    int32_t d = discretionary_bp(l, p);
    if (d > out->max_discount_bp)
        out->max_discount_bp = d;
    if (r->coded_expired_kept)
        out->expired_promotions_kept++;
    else if (p->promo_ends_at && (!out->promo_ends_at || p->promo_ends_at < out->promo_ends_at))
        out->promo_ends_at = p->promo_ends_at;
    return Q2O_OK;
}

static q2o_err freight(const q2o_catalog *c, const q2o_quote_header *h, const pe_sums *s, q2o_price_output *out)
{
    const q2o_cat_freight_rule *r = q2o_catalog_freight_rule(c, h->market, h->channel, h->currency);
    out->freight = 0;
    if (!r || !s->n_priced || (r->free_above > 0 && out->net_total > r->free_above))
        return Q2O_OK;
    switch (r->kind) {
    case Q2O_FREIGHT_FLAT: out->freight = r->amount; return Q2O_OK;
    case Q2O_FREIGHT_PER_UNIT: return q2o_money_mul(r->amount, s->physical_units, &out->freight);
    case Q2O_FREIGHT_PERCENT: return q2o_money_percent_bp(out->net_total, r->percent_bp, &out->freight);
    case Q2O_FREIGHT__COUNT: break;
    }
    return Q2O_OK;
}

static q2o_err quote_totals(const pe_quote *q, const q2o_price_input *in, const pe_sums *s, q2o_price_output *out)
{
    q2o_err e;
    int64_t taxable;
    if ((e = freight(q->cat, in->header, s, out)) || (e = q2o_money_add(out->net_total, out->freight, &taxable)) ||
        (e = q2o_money_percent_bp(taxable, q2o_catalog_tax_bp(q->cat, q->region), &out->tax)) ||
        (e = q2o_money_add(taxable, out->tax, &out->grand_total)))
        return e;
    out->margin_bp = pe_margin_bp(out->net_total, out->cost_total);
    return Q2O_OK;
}

/* Nothing priced: every amount back to zero (violations and ids stay). */
static void clear_prices(const q2o_price_input *in, q2o_price_output *out)
{
    memset(out->lines, 0, sizeof *out->lines * in->n_lines);
    if (out->traces)
        memset(out->traces, 0, sizeof *out->traces * in->n_lines);
    out->merchandise = out->discount_total = out->net_total = out->freight = out->tax = 0;
    out->grand_total = out->cost_total = out->one_time_total = out->recurring_total = 0;
    out->margin_bp = out->max_discount_bp = 0;
    out->promo_ends_at = 0;
    out->expired_promotions_kept = 0;
}

static void header(const pe_quote *q, const q2o_price_input *in, q2o_price_output *out)
{
    int64_t validity = 0;
    out->catalog_version = q->cat->version;
    q2o_strlcpy(out->catalog_id, q->cat->id, sizeof out->catalog_id);
    if (q2o_money_mul(q->cat->price_validity_days, PE_DAY_MS, &validity) != Q2O_OK ||
        q2o_money_add(in->pricing_date, validity, &out->price_valid_until) != Q2O_OK)
        out->price_valid_until = Q2O_MAX_AMOUNT; /* an absurd validity: as good as forever */
    if (q->book) {
        out->pricebook_version = q->book->version;
        q2o_strlcpy(out->pricebook_id, q->book->id, sizeof out->pricebook_id);
    } else {
        q2o_price_output_violate(out, Q2O_PRICE_BOOK_MISSING, "", in->header->currency);
    }
}

static void display_name(const q2o_line *l, const pe_line *r, q2o_price_output *out, uint32_t i)
{
    if (out->display_names)
        q2o_strlcpy(out->display_names[i], r->off ? r->off->name : l->display_name, Q2O_NAME_MAX);
}

q2o_err q2o_catalog_price(const q2o_catalog *catalog, const q2o_price_input *in, q2o_price_output *out)
{
    pe_quote q;
    pe_line r;
    pe_sums sums = {0, 0};
    q2o_line_trace scratch;
    q2o_err err = Q2O_OK;
    uint32_t findings;
    Q2O_CHECK(catalog && in && in->header && out && out->lines && in->n_lines <= Q2O_MAX_LINES);
    Q2O_CHECK(in->n_lines == 0 || in->lines);
    quote_context(catalog, in, &q);
    header(&q, in, out);
    findings = q.book ? 0 : 1;
    for (uint32_t i = 0; i < in->n_lines; i++) {
        const q2o_line *l = &in->lines[i];
        findings += pe_line_resolve(&q, l, &r, out);
        display_name(l, &r, out, i);
        if (findings || err) /* keep checking: every finding is reported */
            continue;
        q2o_line_trace *t = out->traces ? &out->traces[i] : &scratch;
        if ((err = pe_line_price(&q, l, &r, &out->lines[i], t)) == Q2O_OK)
            err = add_line(l, &r, &out->lines[i], out, &sums);
    }
    if (!findings && !err)
        err = quote_totals(&q, in, &sums, out);
    if (findings || err)
        clear_prices(in, out);
    return findings ? Q2O_OK : err;
}
