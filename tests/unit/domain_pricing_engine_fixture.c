/* The catalog pricing engine's test fixture (pricing_engine_fixture.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "pricing_engine_fixture.h"

pefx *pefx_new(const char *currency)
{
    pefx *f = calloc(1, sizeof *f);
    cr_assert(f != NULL);
    q2o_catalog *c = f->c = q2o_catalog_new();
    Q2O_STRCPY(c->id, "test-cat");
    c->version = 7;
    c->offerings = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->offerings);
    c->pricebooks = q2o_catalog_alloc(c, 1, sizeof *c->pricebooks);
    c->schedules = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->schedules);
    c->promotions = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->promotions);
    c->customers = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->customers);
    c->tier_discounts = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->tier_discounts);
    c->region_adjustments = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->region_adjustments);
    c->contract_prices = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->contract_prices);
    c->tax_rates = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->tax_rates);
    c->freight_rules = q2o_catalog_alloc(c, PEFX_CAP, sizeof *c->freight_rules);
    c->n_pricebooks = 1;
    f->book = &c->pricebooks[0];
    snprintf(f->book->id, sizeof f->book->id, "PB-%s", currency);
    f->book->version = 3;
    q2o_strlcpy(f->book->currency, currency, sizeof f->book->currency);
    f->book->prices = q2o_catalog_alloc(c, PEFX_CAP, sizeof *f->book->prices);
    Q2O_STRCPY(f->h.currency, currency);
    Q2O_STRCPY(f->h.market, "US");
    Q2O_STRCPY(f->h.channel, "DIRECT");
    Q2O_STRCPY(f->h.account_id, "ACME");
    f->terms.term_months = 12;
    f->date = PEFX_JUL_15;
    return f;
}

void pefx_free(pefx *f)
{
    if (!f)
        return;
    q2o_catalog_free(f->c);
    free(f);
}

q2o_cat_offering *pefx_offering(pefx *f, const char *id, q2o_charge_type charge, int64_t unit_price,
                                int64_t unit_cost)
{
    q2o_catalog *c = f->c;
    cr_assert(c->n_offerings < PEFX_CAP);
    q2o_cat_offering *o = &c->offerings[c->n_offerings++];
    Q2O_STRCPY(o->id, id);
    snprintf(o->name, sizeof o->name, "Name of %s", id);
    o->charge = charge;
    o->unit_cost = unit_cost;
    o->min_quantity = 1;
    o->sellable_alone = 1;
    q2o_cat_price *p = &f->book->prices[f->book->n_prices++];
    Q2O_STRCPY(p->offering_id, id);
    p->unit_price = unit_price;
    return o;
}

q2o_cat_price *pefx_price(pefx *f, const char *id)
{
    for (uint32_t i = 0; i < f->book->n_prices; i++)
        if (strcmp(f->book->prices[i].offering_id, id) == 0)
            return &f->book->prices[i];
    cr_assert_fail("no price for %s", id);
    return NULL;
}

void pefx_blocks(pefx *f, const char *id, int64_t unit_price, const q2o_cat_block *blocks, uint32_t n)
{
    q2o_cat_price *p = pefx_price(f, id);
    p->unit_price = unit_price;
    p->n_blocks = n;
    p->blocks = q2o_catalog_alloc(f->c, n, sizeof *p->blocks);
    memcpy(p->blocks, blocks, n * sizeof *blocks);
}

q2o_cat_schedule *pefx_schedule(pefx *f, const char *id, q2o_schedule_kind kind, q2o_tier_mode mode,
                                const q2o_cat_tier *tiers, uint32_t n)
{
    q2o_catalog *c = f->c;
    q2o_cat_schedule *s = &c->schedules[c->n_schedules++];
    Q2O_STRCPY(s->id, id);
    s->version = 5;
    s->kind = kind;
    s->mode = mode;
    s->n_tiers = n;
    s->tiers = q2o_catalog_alloc(c, n, sizeof *s->tiers);
    memcpy(s->tiers, tiers, n * sizeof *tiers);
    return s;
}

q2o_cat_promotion *pefx_promo(pefx *f, const char *code, int32_t bp, int64_t amount_off_unit, q2o_time_ms from,
                              q2o_time_ms until, int automatic, const char *offering)
{
    q2o_catalog *c = f->c;
    q2o_cat_promotion *p = &c->promotions[c->n_promotions++];
    Q2O_STRCPY(p->code, code);
    p->version = 2;
    p->discount_bp = bp;
    p->amount_off_unit = amount_off_unit;
    p->starts_at = from;
    p->ends_at = until;
    p->automatic = automatic;
    if (offering) {
        p->n_offerings = 1;
        p->offerings = q2o_catalog_alloc(c, 1, sizeof *p->offerings);
        Q2O_STRCPY(p->offerings[0], offering);
    }
    return p;
}

void pefx_customer(pefx *f, const char *account, const char *tier, const char *region)
{
    q2o_cat_customer *cu = &f->c->customers[f->c->n_customers++];
    Q2O_STRCPY(cu->account_id, account);
    Q2O_STRCPY(cu->tier, tier);
    Q2O_STRCPY(cu->region, region);
    Q2O_STRCPY(cu->segment, "ENTERPRISE");
}

void pefx_tier(pefx *f, const char *tier, int32_t bp)
{
    q2o_cat_tier_discount *t = &f->c->tier_discounts[f->c->n_tier_discounts++];
    Q2O_STRCPY(t->tier, tier);
    t->discount_bp = bp;
}

void pefx_region(pefx *f, const char *region, int32_t bp)
{
    q2o_cat_region_adjustment *r = &f->c->region_adjustments[f->c->n_region_adjustments++];
    Q2O_STRCPY(r->region, region);
    r->adjustment_bp = bp;
}

void pefx_contract(pefx *f, const char *contract_id, const char *account, const char *offering, int64_t unit)
{
    q2o_cat_contract_price *p = &f->c->contract_prices[f->c->n_contract_prices++];
    Q2O_STRCPY(p->contract_id, contract_id);
    Q2O_STRCPY(p->account_id, account);
    Q2O_STRCPY(p->offering_id, offering);
    q2o_strlcpy(p->currency, f->book->currency, sizeof p->currency);
    p->unit_price = unit;
}

void pefx_tax(pefx *f, const char *region, int32_t bp)
{
    q2o_cat_tax_rate *t = &f->c->tax_rates[f->c->n_tax_rates++];
    Q2O_STRCPY(t->region, region);
    t->rate_bp = bp;
}

void pefx_freight(pefx *f, q2o_freight_kind kind, int64_t amount, int32_t bp, int64_t free_above)
{
    q2o_cat_freight_rule *r = &f->c->freight_rules[f->c->n_freight_rules++];
    Q2O_STRCPY(r->id, "FR-1");
    q2o_strlcpy(r->currency, f->book->currency, sizeof r->currency);
    r->kind = kind;
    r->amount = amount;
    r->percent_bp = bp;
    r->free_above = free_above;
}

void pefx_seal(pefx *f)
{
    char detail[256] = "";
    q2o_err e = q2o_catalog_seal(f->c, detail, sizeof detail);
    cr_assert_eq(e, Q2O_OK, "seal: %s", detail);
}

q2o_line *pefx_line(pefx *f, const char *id, const char *offering, int64_t qty)
{
    cr_assert(f->n < PEFX_LINES);
    q2o_line *l = &f->lines[f->n++];
    memset(l, 0, sizeof *l);
    Q2O_STRCPY(l->line_id, id);
    Q2O_STRCPY(l->offering_id, offering);
    l->line_number = (int32_t)f->n;
    l->action = Q2O_LA_ADD;
    l->quantity = qty;
    l->override_unit_price = -1;
    return l;
}

const q2o_line_price *pefx_p(const pefx *f, uint32_t i) { return &f->prices[i]; }
const q2o_line_trace *pefx_t(const pefx *f, uint32_t i) { return &f->traces[i]; }

const q2o_price_step *pefx_step(const pefx *f, uint32_t i, q2o_price_stage stage)
{
    const q2o_line_trace *t = &f->traces[i];
    for (uint32_t k = 0; k < t->n_steps; k++)
        if (t->steps[k].stage == stage)
            return &t->steps[k];
    return NULL;
}

int pefx_has(const pefx *f, q2o_err code, const char *line_id)
{
    for (uint32_t i = 0; i < f->out.n_violations; i++)
        if (f->out.violations[i].code == (int)code && strcmp(f->out.violations[i].line_id, line_id) == 0)
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- checks */

static void check_trace(const pefx *f, uint32_t i)
{
    const q2o_line *l = &f->lines[i];
    const q2o_line_price *p = &f->prices[i];
    const q2o_line_trace *t = &f->traces[i];
    if (l->action == Q2O_LA_REMOVE) {
        cr_assert_eq(t->n_steps, 0, "line %u: a removed line has no steps", i);
        cr_assert(p->list_total == 0 && p->net_total == 0 && p->cost_total == 0, "line %u: removed at zero", i);
        return;
    }
    cr_assert_geq(t->n_steps, 1, "line %u: LIST is always there", i);
    cr_assert_eq(t->steps[0].stage, Q2O_PS_LIST);
    int64_t after = 0;
    for (uint32_t k = 0; k < t->n_steps; k++) {
        if (k)
            cr_assert_gt(t->steps[k].stage, t->steps[k - 1].stage, "line %u: stages in waterfall order", i);
        cr_assert_eq(t->steps[k].after, after - t->steps[k].amount, "line %u step %u: after = prev - amount", i, k);
        after = t->steps[k].after;
    }
    int64_t months = p->term_months ? p->term_months : 1;
    int64_t net_period = p->term_months ? p->recurring_total : p->one_time_total;
    cr_assert_eq(after, net_period, "line %u: last after = net per period", i);
    cr_assert_eq(net_period * months, p->net_total, "line %u: net per period x months = net", i);
    cr_assert_eq(t->steps[0].after * months, p->list_total, "line %u: list per period x months", i);
    cr_assert_eq(p->discount_total, p->list_total - p->net_total, "line %u: discount = list - net", i);
}

static void check_totals(const pefx *f)
{
    const q2o_price_output *o = &f->out;
    int64_t list = 0, disc = 0, net = 0, one = 0, rec = 0, cost = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        check_trace(f, i);
        list += f->prices[i].list_total;
        disc += f->prices[i].discount_total;
        net += f->prices[i].net_total;
        one += f->prices[i].one_time_total;
        rec += f->prices[i].recurring_total;
        cost += f->prices[i].cost_total;
        cr_assert_eq(f->prices[i].catalog_version, f->c->version);
    }
    cr_assert_eq(o->merchandise, list, "quote merchandise = sum of line list totals");
    cr_assert_eq(o->discount_total, disc, "quote discount = sum of line discounts");
    cr_assert_eq(o->net_total, net, "quote net = sum of line nets");
    cr_assert_eq(o->one_time_total, one, "quote one-time = sum of lines");
    cr_assert_eq(o->recurring_total, rec, "quote recurring = sum of lines");
    cr_assert_eq(o->cost_total, cost, "quote cost = sum of lines");
    cr_assert_eq(o->grand_total, o->net_total + o->freight + o->tax, "grand = net + freight + tax");
    cr_assert_eq(o->catalog_version, f->c->version);
    cr_assert_str_eq(o->catalog_id, f->c->id);
    cr_assert_eq(o->pricebook_version, f->book->version);
    cr_assert_str_eq(o->pricebook_id, f->book->id);
    cr_assert_eq(o->price_valid_until, f->date + f->c->price_validity_days * PEFX_DAY);
}

static q2o_err price_into(pefx *f, q2o_line_price *prices, char (*names)[Q2O_NAME_MAX], q2o_line_trace *traces,
                          q2o_price_output *out)
{
    q2o_price_input in = {&f->h, &f->terms, f->lines, f->n, f->date};
    memset(out, 0, sizeof *out);
    memset(prices, 0, PEFX_LINES * sizeof *prices);
    memset(traces, 0, PEFX_LINES * sizeof *traces);
    memset(names, 0, PEFX_LINES * sizeof *names);
    out->lines = prices;
    out->display_names = names;
    out->traces = traces;
    return q2o_catalog_price(f->c, &in, out);
}

q2o_err pefx_run(pefx *f)
{
    static q2o_line_price prices2[PEFX_LINES];
    static char names2[PEFX_LINES][Q2O_NAME_MAX];
    static q2o_line_trace traces2[PEFX_LINES];
    q2o_price_output out2;
    q2o_err e = price_into(f, f->prices, f->names, f->traces, &f->out);
    q2o_err e2 = price_into(f, prices2, names2, traces2, &out2);
    cr_assert_eq(e, e2, "replay gives the same result");
    cr_assert_eq(memcmp(f->prices, prices2, sizeof prices2), 0, "replay: identical line prices");
    cr_assert_eq(memcmp(f->traces, traces2, sizeof traces2), 0, "replay: identical traces");
    cr_assert_eq(memcmp(f->names, names2, sizeof names2), 0, "replay: identical names");
    out2.lines = f->out.lines;
    out2.display_names = f->out.display_names;
    out2.traces = f->out.traces;
    cr_assert_eq(memcmp(&f->out, &out2, sizeof out2), 0, "replay: identical totals");
    if (e == Q2O_OK && f->out.n_violations == 0)
        check_totals(f);
    else
        for (uint32_t i = 0; i < f->n; i++) /* nothing priced */
            cr_assert(f->prices[i].net_total == 0 && f->traces[i].n_steps == 0 && f->out.net_total == 0);
    return e;
}
