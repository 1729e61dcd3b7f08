/*
 * One line through the price waterfall (the rules are documented at the top
 * of pricing_engine.c). Every amount is per period (a month for recurring
 * lines, once for one-time lines) until the end, where the period amounts
 * are multiplied by the months. Every product, sum and rounding goes
 * through core/money.h, so an absurd quantity or price surfaces as
 * Q2O_MONEY_OVERFLOW instead of wrapping.
 */
#include <stdint.h>
#include <string.h>

#include "core/check.h"
#include "core/money.h"
#include "core/strutil.h"
#include "pricing_engine_internal.h"

/* Automatic promotions considered per line: the first 32 covering the
 * offering, in catalog order (q2o_catalog_auto_promotions has no cursor;
 * a catalog with more per offering is beyond what a rep can explain). */
#define PE_MAX_AUTO_PROMOS 32

static int in_window(q2o_time_ms from, q2o_time_ms until, q2o_time_ms date)
{
    return (!from || date >= from) && (!until || date < until);
}

static int32_t clamp_i32(int64_t v)
{
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

int32_t pe_margin_bp(int64_t net, int64_t cost)
{
    int64_t m = 0;
    if (net <= 0)
        return 0;
    if (q2o_money_mul_div(net - cost, 10000, net, &m) != Q2O_OK)
        return INT32_MIN; /* cost beyond 9e11 x net: the margin is hopeless anyway */
    return clamp_i32(m);
}

/* ---------------------------------------------------------------- resolving */

/* 1 when the price book entry has a price for qty units. */
static int priceable(const q2o_cat_price *pr, int64_t qty)
{
    if (pr->n_blocks == 0)
        return pr->unit_price >= 0;
    return qty <= pr->blocks[pr->n_blocks - 1].up_to || pr->unit_price >= 0;
}

static const q2o_cat_schedule *schedule_of(const pe_quote *q, const q2o_line *l, const char *id,
                                           q2o_schedule_kind kind, uint32_t *found, q2o_price_output *out)
{
    if (!id[0])
        return NULL;
    const q2o_cat_schedule *s = q2o_catalog_schedule(q->cat, id);
    if (!s || s->kind != kind) { /* q2o_catalog_check should have refused the catalog */
        q2o_price_output_violate(out, Q2O_CATALOG_INVALID, l->line_id, id);
        ++*found;
        return NULL;
    }
    return s;
}

/* A window that closed on or before the date, on a line that asks to keep
 * it (Q2O_REASON_PROMOTION_EXTENSION): priced with it, and the approval
 * policy decides (EXPIRED_PROMOTION_OVERRIDE). */
static int kept_past_window(const pe_quote *q, const q2o_line *l, const q2o_cat_promotion *p)
{
    return p->ends_at && q->date >= p->ends_at && strcmp(l->override_reason, Q2O_REASON_PROMOTION_EXTENSION) == 0;
}

static const q2o_cat_promotion *coded_promotion(const pe_quote *q, const q2o_line *l, pe_line *r, uint32_t *found,
                                                q2o_price_output *out)
{
    const q2o_cat_promotion *p = q2o_catalog_promotion(q->cat, l->promo_code);
    if (!p || !q2o_promotion_covers(p, l->offering_id)) {
        q2o_price_output_violate(out, Q2O_PROMOTION_UNKNOWN, l->line_id, l->promo_code);
        ++*found;
        return NULL;
    }
    if (kept_past_window(q, l, p)) {
        r->coded_expired_kept = 1;
        return p;
    }
    if (!in_window(p->starts_at, p->ends_at, q->date)) {
        q2o_price_output_violate(out, Q2O_QUOTE_PROMOTION_EXPIRED, l->line_id, l->promo_code);
        ++*found;
        return NULL;
    }
    return p;
}

static int64_t months_of(const pe_quote *q, const q2o_line *l, const q2o_cat_offering *o)
{
    if (o->charge != Q2O_CHARGE_RECURRING)
        return 1;
    int64_t m = l->term_months > 0 ? l->term_months : q->revision_term;
    return m < 1 ? 1 : m;
}

uint32_t pe_line_resolve(const pe_quote *q, const q2o_line *l, pe_line *r, q2o_price_output *out)
{
    uint32_t found = 0;
    memset(r, 0, sizeof *r);
    r->off = q2o_catalog_offering(q->cat, l->offering_id);
    if (l->action == Q2O_LA_REMOVE) {
        r->removed = 1; /* removing a retired offering must stay possible */
        return 0;
    }
    if (!r->off) {
        q2o_price_output_violate(out, Q2O_OFFERING_UNKNOWN, l->line_id, l->offering_id);
        return 1;
    }
    const q2o_cat_offering *o = r->off;
    if (!q2o_offering_active(o, q->date)) {
        q2o_price_output_violate(out, Q2O_OFFERING_INACTIVE, l->line_id, o->id);
        found++;
    }
    if (l->quantity < 1) {
        q2o_price_output_violate(out, Q2O_QUANTITY_INVALID, l->line_id, o->id);
        found++;
    }
    if (q->book) { /* without one the header violation says it all */
        r->price = q2o_pricebook_price(q->cat, q->book, o->id);
        if (!r->price || (l->quantity >= 1 && !priceable(r->price, l->quantity))) {
            q2o_price_output_violate(out, Q2O_PRICE_BOOK_MISSING, l->line_id, o->id);
            found++;
        }
    }
    r->volume = schedule_of(q, l, o->volume_schedule, Q2O_SCHED_VOLUME, &found, out);
    if (o->charge == Q2O_CHARGE_RECURRING)
        r->term = schedule_of(q, l, o->term_schedule, Q2O_SCHED_TERM, &found, out);
    if (l->promo_code[0])
        r->coded = coded_promotion(q, l, r, &found, out);
    if (q->account_id[0])
        r->contract = q2o_catalog_contract_price(q->cat, q->account_id, o->id, q->currency, q->date);
    r->months = months_of(q, l, o);
    return found;
}

/* ---------------------------------------------------------------- stages */

typedef struct wf {
    q2o_line_trace *t;
    int64_t after;                        /* the line's amount per period so far */
} wf;

/* Take `amount` off (negative: add) and record the step. */
static q2o_err take(wf *w, q2o_price_stage st, const char *rule, int64_t version, int64_t input, int32_t rate_bp,
                    int64_t amount)
{
    q2o_err e = q2o_money_sub(w->after, amount, &w->after);
    if (e)
        return e;
    Q2O_CHECK(w->t->n_steps < Q2O_MAX_PRICE_STEPS);
    q2o_price_step *s = &w->t->steps[w->t->n_steps++];
    s->stage = st;
    q2o_strlcpy(s->rule, rule, sizeof s->rule);
    s->rule_version = version;
    s->input = input;
    s->rate_bp = rate_bp;
    s->amount = amount;
    s->after = w->after;
    return Q2O_OK;
}

/* The book amount for qty units: unit price x qty, or the first block whose
 * up_to covers qty, or the last block plus unit price x the units beyond. */
static q2o_err book_amount(const q2o_cat_price *pr, int64_t qty, int64_t *out)
{
    q2o_err e;
    int64_t beyond;
    if (pr->n_blocks == 0)
        return q2o_money_mul(pr->unit_price, qty, out);
    for (uint32_t i = 0; i < pr->n_blocks; i++)
        if (qty <= pr->blocks[i].up_to) {
            *out = pr->blocks[i].price;
            return Q2O_OK;
        }
    const q2o_cat_block *last = &pr->blocks[pr->n_blocks - 1];
    Q2O_CHECK(pr->unit_price >= 0); /* pe_line_resolve refused the line otherwise */
    if ((e = q2o_money_mul(pr->unit_price, qty - last->up_to, &beyond)))
        return e;
    return q2o_money_add(last->price, beyond, out);
}

/* RANGE: the rate of the last tier whose `from` <= count, on the whole base.
 * SLAB: for each tier k, the units of 1..count inside [from_k, from_k+1),
 * their share of the base at tier k's rate, rounded once per slab:
 * round(base x units_k x bp_k / (count x 10000)). *rate gets the tier's
 * rate (RANGE) or the blended rate round(amount x 10000 / base) (SLAB).
 * Returns 0 in *applied when no tier with a rate covers count. */
static q2o_err schedule_amount(const q2o_cat_schedule *s, int64_t count, int64_t base, int64_t *amount,
                               int32_t *rate, int *applied)
{
    q2o_err e;
    *amount = 0;
    *rate = 0;
    *applied = 0;
    if (s->mode == Q2O_TIER_RANGE) {
        const q2o_cat_tier *hit = NULL;
        for (uint32_t k = 0; k < s->n_tiers && s->tiers[k].from <= count; k++)
            hit = &s->tiers[k];
        if (!hit || !hit->discount_bp)
            return Q2O_OK;
        *applied = 1;
        *rate = hit->discount_bp;
        return q2o_money_percent_bp(base, hit->discount_bp, amount);
    }
    int64_t den, num, part, r;
    if ((e = q2o_money_mul(count, 10000, &den)))
        return e;
    for (uint32_t k = 0; k < s->n_tiers; k++) {
        int64_t lo = s->tiers[k].from < 1 ? 1 : s->tiers[k].from;
        int64_t hi = k + 1 < s->n_tiers ? s->tiers[k + 1].from - 1 : count;
        if (hi > count)
            hi = count;
        if (hi < lo || !s->tiers[k].discount_bp)
            continue;
        *applied = 1;
        if ((e = q2o_money_mul(hi - lo + 1, s->tiers[k].discount_bp, &num)) ||
            (e = q2o_money_mul_div(base, num, den, &part)) || (e = q2o_money_add(*amount, part, amount)))
            return e;
    }
    if (*applied && base != 0 && q2o_money_mul_div(*amount, 10000, base, &r) == Q2O_OK)
        *rate = clamp_i32(r);
    return Q2O_OK;
}

static q2o_err stage_schedule(wf *w, q2o_price_stage st, const q2o_cat_schedule *s, int64_t count)
{
    q2o_err e;
    int64_t amount;
    int32_t rate;
    int applied;
    if (!s)
        return Q2O_OK;
    if ((e = schedule_amount(s, count, w->after, &amount, &rate, &applied)) || !applied)
        return e;
    return take(w, st, s->id, s->version, count, rate, amount);
}

/* What promotion p takes off `after` for qty units: amount_off_unit x qty
 * when it has one, else its percentage; never more than `after` (a price
 * does not go below zero), nothing when after <= 0. */
static q2o_err promo_amount(const q2o_cat_promotion *p, int64_t after, int64_t qty, int64_t *out)
{
    q2o_err e = Q2O_OK;
    *out = 0;
    if (after <= 0)
        return Q2O_OK;
    if (p->amount_off_unit > 0) {
        if (q2o_money_mul(p->amount_off_unit, qty, out) != Q2O_OK)
            *out = after; /* beyond any amount: capped below */
    } else {
        e = q2o_money_percent_bp(after, p->discount_bp, out);
    }
    if (*out > after)
        *out = after;
    return e;
}

/* The coded promotion, else the automatic promotion in its window that takes
 * the most off this line (the first in catalog order among equals); an
 * automatic one that would take nothing is not applied. */
static q2o_err stage_promotion(const pe_quote *q, const q2o_line *l, const pe_line *r, wf *w, q2o_line_price *p)
{
    q2o_err e;
    const q2o_cat_promotion *best = r->coded;
    int64_t best_amount = 0, amount;
    if (best) {
        if ((e = promo_amount(best, w->after, l->quantity, &best_amount)))
            return e;
    } else {
        const q2o_cat_promotion *autos[PE_MAX_AUTO_PROMOS];
        uint32_t n = q2o_catalog_auto_promotions(q->cat, r->off->id, autos, PE_MAX_AUTO_PROMOS);
        for (uint32_t i = 0; i < n && i < PE_MAX_AUTO_PROMOS; i++) {
            if (!in_window(autos[i]->starts_at, autos[i]->ends_at, q->date))
                continue;
            if ((e = promo_amount(autos[i], w->after, l->quantity, &amount)))
                return e;
            if (amount > best_amount) {
                best = autos[i];
                best_amount = amount;
            }
        }
    }
    if (!best)
        return Q2O_OK;
    q2o_strlcpy(p->promo_code, best->code, sizeof p->promo_code);
    p->promo_ends_at = best->ends_at;
    int is_amount = best->amount_off_unit > 0;
    return take(w, Q2O_PS_PROMOTION, best->code, best->version, is_amount ? best->amount_off_unit : 0,
                is_amount ? 0 : best->discount_bp, best_amount);
}

static q2o_err stage_list(const pe_quote *q, const q2o_line *l, const pe_line *r, wf *w, int64_t *list)
{
    q2o_err e;
    int64_t book, uplift;
    if ((e = book_amount(r->price, l->quantity, &book)) ||
        (e = q2o_money_percent_bp(book, q->region_bp, &uplift)) || (e = q2o_money_add(book, uplift, list)))
        return e;
    return take(w, Q2O_PS_LIST, q->book->id, q->book->version, l->quantity, -q->region_bp, -*list);
}

static q2o_err stage_contract(const pe_line *r, const q2o_line *l, wf *w)
{
    q2o_err e;
    int64_t contracted, amount;
    if (!r->contract)
        return Q2O_OK;
    if ((e = q2o_money_mul(r->contract->unit_price, l->quantity, &contracted)) ||
        (e = q2o_money_sub(w->after, contracted, &amount)))
        return e;
    return take(w, Q2O_PS_CONTRACTED, r->contract->contract_id, 0, r->contract->unit_price, 0, amount);
}

static q2o_err stage_rate(wf *w, q2o_price_stage st, const char *rule, int32_t bp)
{
    q2o_err e;
    int64_t amount;
    if (!bp)
        return Q2O_OK;
    if ((e = q2o_money_percent_bp(w->after, bp, &amount)))
        return e;
    return take(w, st, rule, 0, bp, bp, amount);
}

static q2o_err stage_override(const q2o_line *l, wf *w)
{
    q2o_err e;
    int64_t target, amount;
    if (l->override_unit_price < 0)
        return Q2O_OK;
    if ((e = q2o_money_mul(l->override_unit_price, l->quantity, &target)) ||
        (e = q2o_money_sub(w->after, target, &amount)))
        return e;
    return take(w, Q2O_PS_OVERRIDE, l->override_reason, 0, l->override_unit_price, 0, amount);
}

/* From the period amounts to the line's snapshot. */
static q2o_err line_totals(const q2o_line *l, const pe_line *r, int64_t list, int64_t net, q2o_line_price *p)
{
    q2o_err e;
    int64_t units;
    int recurring = r->off->charge == Q2O_CHARGE_RECURRING;
    if ((e = q2o_money_mul(list, r->months, &p->list_total)) ||
        (e = q2o_money_mul(net, r->months, &p->net_total)) ||
        (e = q2o_money_sub(p->list_total, p->net_total, &p->discount_total)) ||
        (e = q2o_money_mul(l->quantity, r->months, &units)) ||
        (e = q2o_money_mul(r->off->unit_cost, units, &p->cost_total)) ||
        (e = q2o_money_mul_div(list, 1, l->quantity, &p->list_unit)))
        return e;
    p->recurring_total = recurring ? net : 0;
    p->one_time_total = recurring ? 0 : net;
    p->term_months = recurring ? (int32_t)r->months : 0;
    p->margin_bp = pe_margin_bp(p->net_total, p->cost_total);
    return Q2O_OK;
}

q2o_err pe_line_price(const pe_quote *q, const q2o_line *l, const pe_line *r, q2o_line_price *p, q2o_line_trace *t)
{
    q2o_err e;
    int64_t list = 0;
    wf w = {t, 0};
    memset(p, 0, sizeof *p);
    memset(t, 0, sizeof *t);
    p->catalog_version = q->cat->version;
    if (r->removed)
        return Q2O_OK;
    Q2O_CHECK(r->off && r->price && q->book && r->months >= 1 && r->months <= INT32_MAX);
    if ((e = stage_list(q, l, r, &w, &list)) || (e = stage_contract(r, l, &w)) ||
        (e = stage_rate(&w, Q2O_PS_CUSTOMER_TIER, q->tier ? q->tier->tier : "", q->tier ? q->tier->discount_bp : 0)) ||
        (e = stage_schedule(&w, Q2O_PS_VOLUME, r->volume, l->quantity)) ||
        (e = stage_schedule(&w, Q2O_PS_TERM, r->term, r->months)) || (e = stage_promotion(q, l, r, &w, p)) ||
        (e = stage_rate(&w, Q2O_PS_MANUAL_DISCOUNT, "", l->discount_bp)) || (e = stage_override(l, &w)))
        return e;
    return line_totals(l, r, list, w.after, p);
}
