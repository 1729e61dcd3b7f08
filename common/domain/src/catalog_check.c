/*
 * q2o_catalog_check (domain/catalog.h): the cross references and the
 * meaning of a sealed catalog's values, each problem reported with the
 * location it has in the catalog document (the JSON names of
 * schemas/catalog/README.md), so the loader can hand them on unchanged.
 *
 * Everything here runs through the catalog's O(1) lookups, so a check costs
 * time linear in the catalog's size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/limits.h"
#include "core/money.h"
#include "domain/catalog.h"

#define BP_MAX 10000

typedef struct checker {
    const q2o_catalog *c;
    q2o_catalog_report_fn report;
    void *ctx;
    uint32_t n;
    char path[192];
} checker;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void at(checker *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->path, sizeof k->path, fmt, ap);
    va_end(ap);
}

/* One problem at the location last set with at(). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void bad(checker *k, q2o_err code, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k->n++;
    if (k->report)
        k->report(k->ctx, k->path, code, msg);
}

static void check_bp(checker *k, int64_t bp, int64_t lo, const char *what)
{
    if (bp < lo || bp > BP_MAX)
        bad(k, Q2O_DISCOUNT_OUT_OF_RANGE, "%s %lld bp is outside %lld..%d", what, (long long)bp, (long long)lo,
            BP_MAX);
}

static void check_currency(checker *k, const char *code)
{
    q2o_currency cur;
    if (q2o_currency_find(code, &cur) != Q2O_OK)
        bad(k, Q2O_CURRENCY_UNKNOWN, "currency '%s' is not a supported ISO 4217 code", code);
}

static void check_window(checker *k, q2o_time_ms from, q2o_time_ms until, const char *until_name)
{
    if (from < 0 || until < 0)
        bad(k, Q2O_CATALOG_INVALID, "a time before 1970 is not allowed");
    else if (from && until && until <= from)
        bad(k, Q2O_CATALOG_INVALID, "%s must be after the start of the window", until_name);
}

static void check_amount(checker *k, int64_t v, int64_t lo, const char *what)
{
    if (v < lo || v > Q2O_MAX_AMOUNT)
        bad(k, Q2O_MONEY_OVERFLOW, "%s %lld is outside %lld..%lld", what, (long long)v, (long long)lo,
            (long long)Q2O_MAX_AMOUNT);
}

/* "$.<section>[i].offering_id" must name an offering of the catalog. */
static const q2o_cat_offering *known_offering(checker *k, const char *id)
{
    const q2o_cat_offering *o = q2o_catalog_offering(k->c, id);
    if (!o)
        bad(k, Q2O_OFFERING_UNKNOWN, "unknown offering '%s'", id);
    return o;
}

/* ---------------------------------------------------------------- offerings */

static void check_attribute(checker *k, uint32_t i, uint32_t a)
{
    const q2o_cat_offering *o = &k->c->offerings[i];
    const q2o_cat_attribute *at_ = &o->attributes[a];
    at(k, "$.offerings[%u].attributes[%u]", i, a);
    if (q2o_offering_attribute(o, at_->name) != at_)
        bad(k, Q2O_CATALOG_INVALID, "duplicate attribute '%s' of offering '%s'", at_->name, o->id);
    if (at_->kind == Q2O_ATTR_ENUM) {
        if (at_->n_values == 0)
            bad(k, Q2O_CATALOG_INVALID, "enum attribute '%s' has no values", at_->name);
        for (uint32_t v = 0; v < at_->n_values; v++)
            for (uint32_t w = 0; w < v; w++)
                if (strcmp(at_->values[v], at_->values[w]) == 0) {
                    at(k, "$.offerings[%u].attributes[%u].values[%u]", i, a, v);
                    bad(k, Q2O_CATALOG_INVALID, "duplicate value '%s'", at_->values[v]);
                }
    } else if (at_->kind == Q2O_ATTR_RANGE && at_->min > at_->max) {
        bad(k, Q2O_CATALOG_INVALID, "range attribute '%s': min %lld is above max %lld", at_->name,
            (long long)at_->min, (long long)at_->max);
    }
}

/* 1 when `value` is allowed for attribute a (enum member, or an integer
 * within the range). */
static int attribute_allows(const q2o_cat_attribute *a, const char *value)
{
    if (a->kind == Q2O_ATTR_ENUM) {
        for (uint32_t v = 0; v < a->n_values; v++)
            if (strcmp(a->values[v], value) == 0)
                return 1;
        return 0;
    }
    char *end;
    long long x = strtoll(value, &end, 10);
    return value[0] && !*end && x >= a->min && x <= a->max;
}

static void check_attribute_default(checker *k, uint32_t i, uint32_t a)
{
    const q2o_cat_attribute *at_ = &k->c->offerings[i].attributes[a];
    if (!at_->default_value[0] || attribute_allows(at_, at_->default_value))
        return;
    at(k, "$.offerings[%u].attributes[%u].default", i, a);
    bad(k, Q2O_CONFIG_ATTRIBUTE_INVALID, "default '%s' is not a value attribute '%s' allows", at_->default_value,
        at_->name);
}

static void check_group(checker *k, uint32_t i, uint32_t g)
{
    const q2o_cat_offering *o = &k->c->offerings[i];
    const q2o_cat_option_group *grp = &o->groups[g];
    for (uint32_t h = 0; h < g; h++)
        if (strcmp(o->groups[h].id, grp->id) == 0) {
            at(k, "$.offerings[%u].option_groups[%u].id", i, g);
            bad(k, Q2O_CATALOG_INVALID, "duplicate option group id '%s'", grp->id);
        }
    at(k, "$.offerings[%u].option_groups[%u]", i, g);
    if (grp->n_options == 0)
        bad(k, Q2O_CATALOG_INVALID, "option group '%s' has no options", grp->id);
    if (grp->max_select && grp->min_select > grp->max_select)
        bad(k, Q2O_CATALOG_INVALID, "min_select %u is above max_select %u", grp->min_select, grp->max_select);
    else if (grp->min_select > grp->n_options)
        bad(k, Q2O_CATALOG_INVALID, "min_select %u is above the %u options offered", grp->min_select,
            grp->n_options);
    for (uint32_t j = 0; j < grp->n_options; j++) {
        at(k, "$.offerings[%u].option_groups[%u].options[%u]", i, g, j);
        known_offering(k, grp->options[j]);
        if (q2o_offering_group_of(o, grp->options[j]) != grp)
            bad(k, Q2O_CATALOG_INVALID, "offering '%s' is already an option of group '%s'", grp->options[j],
                q2o_offering_group_of(o, grp->options[j])->id);
        for (uint32_t m = 0; m < j; m++)
            if (strcmp(grp->options[m], grp->options[j]) == 0)
                bad(k, Q2O_CATALOG_INVALID, "option '%s' is listed twice", grp->options[j]);
    }
}

static void check_schedule_ref(checker *k, uint32_t i, const char *field, const char *id, q2o_schedule_kind want)
{
    if (!id[0])
        return;
    at(k, "$.offerings[%u].%s", i, field);
    const q2o_cat_schedule *s = q2o_catalog_schedule(k->c, id);
    if (!s)
        bad(k, Q2O_CATALOG_INVALID, "unknown discount schedule '%s'", id);
    else if (s->kind != want)
        bad(k, Q2O_CATALOG_INVALID, "schedule '%s' is a %s schedule, not a %s one", id,
            q2o_schedule_kind_name(s->kind), q2o_schedule_kind_name(want));
}

static void check_offering(checker *k, uint32_t i)
{
    const q2o_cat_offering *o = &k->c->offerings[i];
    at(k, "$.offerings[%u].id", i);
    if (!o->id[0])
        bad(k, Q2O_CATALOG_INVALID, "an offering needs an id");
    at(k, "$.offerings[%u].unit_cost", i);
    check_amount(k, o->unit_cost, 0, "unit cost");
    at(k, "$.offerings[%u].min_quantity", i);
    if (o->min_quantity < 1 || o->min_quantity > Q2O_MAX_QUANTITY)
        bad(k, Q2O_QUANTITY_INVALID, "min_quantity %lld is outside 1..%lld", (long long)o->min_quantity,
            (long long)Q2O_MAX_QUANTITY);
    at(k, "$.offerings[%u].max_quantity", i);
    if (o->max_quantity && (o->max_quantity < o->min_quantity || o->max_quantity > Q2O_MAX_QUANTITY))
        bad(k, Q2O_QUANTITY_INVALID, "max_quantity %lld is outside min_quantity..%lld (0 = no limit)",
            (long long)o->max_quantity, (long long)Q2O_MAX_QUANTITY);
    at(k, "$.offerings[%u].active_until", i);
    check_window(k, o->active_from, o->active_until, "active_until");
    for (uint32_t a = 0; a < o->n_attributes; a++) {
        check_attribute(k, i, a);
        check_attribute_default(k, i, a);
    }
    for (uint32_t g = 0; g < o->n_groups; g++)
        check_group(k, i, g);
    check_schedule_ref(k, i, "volume_schedule", o->volume_schedule, Q2O_SCHED_VOLUME);
    check_schedule_ref(k, i, "term_schedule", o->term_schedule, Q2O_SCHED_TERM);
}

/* ---------------------------------------------------------------- bundle cycles */

/* Depth-first walk of "bundle -> option offering" edges with an explicit
 * stack (bundles may nest deeply); an edge back to an offering on the stack
 * closes a cycle: the bundle would contain itself. */
typedef struct frame {
    uint32_t offering, group, option;
} frame;

static void report_cycle(checker *k, const frame *stack, uint32_t depth, uint32_t target)
{
    const q2o_cat_offering *offs = k->c->offerings;
    const frame *top = &stack[depth - 1];
    char chain[200] = "";
    size_t len = 0;
    uint32_t from = depth;
    while (from > 0 && stack[from - 1].offering != target)
        from--;
    for (uint32_t d = from ? from - 1 : 0; d < depth && len < sizeof chain; d++)
        len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ", offs[stack[d].offering].id);
    if (len < sizeof chain)
        snprintf(chain + len, sizeof chain - len, "%s", offs[target].id);
    /* next_child has moved past the edge: it is option - 1 of the group */
    at(k, "$.offerings[%u].option_groups[%u].options[%u]", top->offering, top->group, top->option - 1);
    bad(k, Q2O_CATALOG_INVALID, "bundle '%s' contains itself: %s", offs[target].id, chain);
}

/* The next edge of the top frame (advancing it), or UINT32_MAX when done. */
static uint32_t next_child(const q2o_catalog *c, frame *f)
{
    const q2o_cat_offering *o = &c->offerings[f->offering];
    while (f->group < o->n_groups) {
        const q2o_cat_option_group *g = &o->groups[f->group];
        if (f->option < g->n_options) {
            const q2o_cat_offering *child = q2o_catalog_offering(c, g->options[f->option++]);
            if (child)
                return (uint32_t)(child - c->offerings);
            continue;
        }
        f->group++;
        f->option = 0;
    }
    return UINT32_MAX;
}

static void check_cycles(checker *k)
{
    const q2o_catalog *c = k->c;
    unsigned char *color = calloc(c->n_offerings + 1u, 1); /* 0 new, 1 on the stack, 2 done */
    frame *stack = calloc(c->n_offerings + 1u, sizeof *stack);
    Q2O_CHECK(color && stack);
    for (uint32_t root = 0; root < c->n_offerings; root++) {
        if (color[root] || c->offerings[root].n_groups == 0)
            continue;
        uint32_t depth = 1;
        stack[0] = (frame){root, 0, 0};
        color[root] = 1;
        while (depth) {
            uint32_t child = next_child(c, &stack[depth - 1]);
            if (child == UINT32_MAX) {
                color[stack[--depth].offering] = 2;
                continue;
            }
            if (color[child] == 1) {
                report_cycle(k, stack, depth, child);
            } else if (color[child] == 0) {
                color[child] = 1;
                stack[depth++] = (frame){child, 0, 0};
            }
        }
    }
    free(stack);
    free(color);
}

/* ---------------------------------------------------------------- prices */

static void check_price(checker *k, uint32_t p, uint32_t e)
{
    const q2o_cat_price *pr = &k->c->pricebooks[p].prices[e];
    at(k, "$.price_books[%u].prices[%u].offering_id", p, e);
    known_offering(k, pr->offering_id);
    at(k, "$.price_books[%u].prices[%u].unit_price", p, e);
    if (pr->unit_price < -1 || pr->unit_price > Q2O_MAX_AMOUNT)
        bad(k, Q2O_MONEY_OVERFLOW, "unit_price %lld is outside 0..%lld (-1 = blocks only)",
            (long long)pr->unit_price, (long long)Q2O_MAX_AMOUNT);
    else if (pr->unit_price == -1 && pr->n_blocks == 0)
        bad(k, Q2O_CATALOG_INVALID, "a price needs a unit_price, blocks, or both");
    for (uint32_t b = 0; b < pr->n_blocks; b++) {
        at(k, "$.price_books[%u].prices[%u].blocks[%u]", p, e, b);
        const q2o_cat_block *bl = &pr->blocks[b];
        if (bl->up_to < 1 || bl->up_to > Q2O_MAX_QUANTITY)
            bad(k, Q2O_QUANTITY_INVALID, "up_to %lld is outside 1..%lld", (long long)bl->up_to,
                (long long)Q2O_MAX_QUANTITY);
        else if (b > 0 && bl->up_to <= pr->blocks[b - 1].up_to)
            bad(k, Q2O_CATALOG_INVALID, "blocks must ascend by up_to: %lld follows %lld", (long long)bl->up_to,
                (long long)pr->blocks[b - 1].up_to);
        check_amount(k, bl->price, 0, "block price");
    }
}

static void check_pricebook(checker *k, uint32_t p)
{
    const q2o_cat_pricebook *pb = &k->c->pricebooks[p];
    at(k, "$.price_books[%u].version", p);
    if (pb->version < 1)
        bad(k, Q2O_CATALOG_INVALID, "version %lld: versions start at 1", (long long)pb->version);
    at(k, "$.price_books[%u].currency", p);
    check_currency(k, pb->currency);
    at(k, "$.price_books[%u].valid_until", p);
    check_window(k, pb->valid_from, pb->valid_until, "valid_until");
    for (uint32_t e = 0; e < pb->n_prices; e++)
        check_price(k, p, e);
}

static void check_schedule(checker *k, uint32_t s)
{
    const q2o_cat_schedule *sc = &k->c->schedules[s];
    at(k, "$.schedules[%u].tiers", s);
    if (sc->n_tiers == 0)
        bad(k, Q2O_CATALOG_INVALID, "schedule '%s' has no tiers", sc->id);
    at(k, "$.schedules[%u].version", s);
    if (sc->version < 1)
        bad(k, Q2O_CATALOG_INVALID, "version %lld: versions start at 1", (long long)sc->version);
    int64_t limit = sc->kind == Q2O_SCHED_TERM ? Q2O_MAX_TERM_MONTHS : Q2O_MAX_QUANTITY;
    for (uint32_t t = 0; t < sc->n_tiers; t++) {
        const q2o_cat_tier *tier = &sc->tiers[t];
        at(k, "$.schedules[%u].tiers[%u].from", s, t);
        if (tier->from < 1 || tier->from > limit)
            bad(k, Q2O_CATALOG_INVALID, "from %lld is outside 1..%lld", (long long)tier->from, (long long)limit);
        else if (t > 0 && tier->from <= sc->tiers[t - 1].from)
            bad(k, Q2O_CATALOG_INVALID, "tiers must ascend strictly by from: %lld follows %lld",
                (long long)tier->from, (long long)sc->tiers[t - 1].from);
        at(k, "$.schedules[%u].tiers[%u].discount_bp", s, t);
        check_bp(k, tier->discount_bp, 0, "discount");
    }
}

static void check_contract(checker *k, uint32_t i)
{
    const q2o_cat_contract_price *cp = &k->c->contract_prices[i];
    at(k, "$.contract_prices[%u].offering_id", i);
    known_offering(k, cp->offering_id);
    at(k, "$.contract_prices[%u].currency", i);
    check_currency(k, cp->currency);
    at(k, "$.contract_prices[%u].unit_price", i);
    check_amount(k, cp->unit_price, 0, "unit_price");
    at(k, "$.contract_prices[%u].valid_until", i);
    check_window(k, cp->valid_from, cp->valid_until, "valid_until");
}

/* ---------------------------------------------------------------- customers, promotions */

static void check_customers(checker *k)
{
    const q2o_catalog *c = k->c;
    for (uint32_t i = 0; i < c->n_tier_discounts; i++) {
        at(k, "$.tier_discounts[%u].discount_bp", i);
        check_bp(k, c->tier_discounts[i].discount_bp, 0, "tier discount");
    }
    for (uint32_t i = 0; i < c->n_customers; i++) {
        const q2o_cat_customer *cu = &c->customers[i];
        at(k, "$.customers[%u].tier", i);
        if (cu->tier[0] && !q2o_catalog_tier_discount(c, cu->tier))
            bad(k, Q2O_CATALOG_INVALID, "unknown customer tier '%s' (not in tier_discounts)", cu->tier);
    }
    for (uint32_t i = 0; i < c->n_region_adjustments; i++) {
        at(k, "$.regional_adjustments[%u].adjustment_bp", i);
        check_bp(k, c->region_adjustments[i].adjustment_bp, -BP_MAX, "regional adjustment");
    }
}

static void check_promotion(checker *k, uint32_t i)
{
    const q2o_cat_promotion *p = &k->c->promotions[i];
    at(k, "$.promotions[%u]", i);
    if ((p->discount_bp != 0) == (p->amount_off_unit != 0))
        bad(k, Q2O_CATALOG_INVALID, "promotion '%s' needs exactly one of discount_bp and amount_off_unit", p->code);
    if (p->version < 1)
        bad(k, Q2O_CATALOG_INVALID, "version %lld: versions start at 1", (long long)p->version);
    at(k, "$.promotions[%u].discount_bp", i);
    check_bp(k, p->discount_bp, 0, "discount");
    at(k, "$.promotions[%u].amount_off_unit", i);
    check_amount(k, p->amount_off_unit, 0, "amount_off_unit");
    at(k, "$.promotions[%u].ends_at", i);
    if (p->ends_at <= p->starts_at)
        bad(k, Q2O_CATALOG_INVALID, "ends_at must be after starts_at (the window is [starts_at, ends_at))");
    for (uint32_t j = 0; j < p->n_offerings; j++) {
        at(k, "$.promotions[%u].offerings[%u]", i, j);
        known_offering(k, p->offerings[j]);
    }
}

/* ---------------------------------------------------------------- retail, freight, tax, stock */

static void check_order_type(checker *k, uint32_t i)
{
    const q2o_cat_order_type *t = &k->c->order_types[i];
    at(k, "$.order_types[%u].expiration_days", i);
    if (t->expiration_days < 0)
        bad(k, Q2O_CATALOG_INVALID, "expiration_days %d is negative (0 = no cancel date)", (int)t->expiration_days);
    at(k, "$.order_types[%u]", i);
    if (t->n_refused_pay_types > Q2O_CAT_MAX_REFUSED || t->n_refused_ship_vias > Q2O_CAT_MAX_REFUSED)
        bad(k, Q2O_TOO_LARGE, "at most %d refused pay types and ship vias", Q2O_CAT_MAX_REFUSED);
}

static void check_freight(checker *k, uint32_t i)
{
    const q2o_catalog *c = k->c;
    const q2o_cat_freight_rule *r = &c->freight_rules[i];
    at(k, "$.freight_rules[%u].currency", i);
    check_currency(k, r->currency);
    at(k, "$.freight_rules[%u].amount", i);
    check_amount(k, r->amount, 0, "amount");
    at(k, "$.freight_rules[%u].percent_bp", i);
    check_bp(k, r->percent_bp, 0, "percent");
    at(k, "$.freight_rules[%u].free_above", i);
    check_amount(k, r->free_above, 0, "free_above");
    at(k, "$.freight_rules[%u]", i);
    for (uint32_t j = 0; j < i; j++) {
        const q2o_cat_freight_rule *o = &c->freight_rules[j];
        if (strcmp(o->id, r->id) == 0)
            bad(k, Q2O_CATALOG_INVALID, "duplicate freight rule id '%s'", r->id);
        else if (!strcmp(o->market, r->market) && !strcmp(o->channel, r->channel) && !strcmp(o->currency, r->currency))
            bad(k, Q2O_CATALOG_INVALID, "same market, channel and currency as $.freight_rules[%u]: one would never apply", j);
    }
}

static void check_misc(checker *k)
{
    const q2o_catalog *c = k->c;
    for (uint32_t i = 0; i < c->n_order_types; i++)
        check_order_type(k, i);
    for (uint32_t i = 0; i < c->n_freight_rules; i++)
        check_freight(k, i);
    for (uint32_t i = 0; i < c->n_tax_rates; i++) {
        at(k, "$.tax_rates[%u].rate_bp", i);
        check_bp(k, c->tax_rates[i].rate_bp, 0, "tax rate");
    }
    for (uint32_t i = 0; i < c->n_stock; i++) {
        at(k, "$.stock[%u].offering_id", i);
        known_offering(k, c->stock[i].offering_id);
        at(k, "$.stock[%u].available", i);
        if (c->stock[i].available < 0 || c->stock[i].available > Q2O_MAX_QUANTITY)
            bad(k, Q2O_QUANTITY_INVALID, "available %lld is outside 0..%lld (0 = sold out)",
                (long long)c->stock[i].available, (long long)Q2O_MAX_QUANTITY);
    }
}

/* ---------------------------------------------------------------- rules */

static void check_condition(checker *k, uint32_t i, const char *side, const q2o_cat_condition *cond)
{
    at(k, "$.rules[%u].%s.offering_id", i, side);
    const q2o_cat_offering *o = known_offering(k, cond->offering_id);
    at(k, "$.rules[%u].%s", i, side);
    if (!cond->attribute[0]) {
        if (cond->value[0])
            bad(k, Q2O_CATALOG_INVALID, "a value without an attribute");
        return;
    }
    if (!o)
        return;
    const q2o_cat_attribute *a = q2o_offering_attribute(o, cond->attribute);
    at(k, "$.rules[%u].%s.attribute", i, side);
    if (!a) {
        bad(k, Q2O_CONFIG_ATTRIBUTE_INVALID, "offering '%s' has no attribute '%s'", o->id, cond->attribute);
        return;
    }
    at(k, "$.rules[%u].%s.value", i, side);
    if (!cond->value[0])
        bad(k, Q2O_CATALOG_INVALID, "a condition on attribute '%s' needs a value", a->name);
    else if (!attribute_allows(a, cond->value))
        bad(k, Q2O_CONFIG_ATTRIBUTE_INVALID, "'%s' is not a value attribute '%s' of '%s' allows", cond->value,
            a->name, o->id);
}

static void check_rule(checker *k, uint32_t i)
{
    const q2o_cat_rule *r = &k->c->rules[i];
    check_condition(k, i, "when", &r->when);
    check_condition(k, i, "then", &r->then);
    at(k, "$.rules[%u]", i);
    if (r->ratio_num <= 0 || r->ratio_den <= 0)
        bad(k, Q2O_CATALOG_INVALID, "ratio %d/%d: both parts must be at least 1", (int)r->ratio_num,
            (int)r->ratio_den);
    else if (r->kind != Q2O_RULE_QUANTITY && (r->ratio_num != 1 || r->ratio_den != 1))
        bad(k, Q2O_CATALOG_INVALID, "a ratio applies to quantity rules only");
    if (r->kind != Q2O_RULE_QUANTITY && r->kind != Q2O_RULE_RECOMMENDS &&
        !strcmp(r->when.offering_id, r->then.offering_id) && !strcmp(r->when.attribute, r->then.attribute) &&
        !strcmp(r->when.value, r->then.value))
        bad(k, Q2O_CATALOG_INVALID, "rule '%s' relates a condition to itself", r->id);
}

/* ---------------------------------------------------------------- policies */

static void check_policies(checker *k)
{
    const q2o_catalog *c = k->c;
    const q2o_approval_policy *p = &c->approval;
    at(k, "$.version");
    if (c->version < 1)
        bad(k, Q2O_CATALOG_INVALID, "version %lld: versions start at 1", (long long)c->version);
    at(k, "$.price_validity_days");
    if (c->price_validity_days < 1 || c->price_validity_days > 3660)
        bad(k, Q2O_CATALOG_INVALID, "price_validity_days %lld is outside 1..3660", (long long)c->price_validity_days);
    at(k, "$.approval_policy.version");
    if (p->version < 1)
        bad(k, Q2O_CATALOG_INVALID, "version %lld: versions start at 1", (long long)p->version);
    at(k, "$.approval_policy.max_discount_bp");
    check_bp(k, p->max_discount_bp, 0, "max discount");
    at(k, "$.approval_policy.margin_floor_bp");
    check_bp(k, p->margin_floor_bp, -BP_MAX, "margin floor");
    at(k, "$.approval_policy.max_term_months");
    if (p->max_term_months < 1 || p->max_term_months > Q2O_MAX_TERM_MONTHS)
        bad(k, Q2O_CATALOG_INVALID, "max_term_months %d is outside 1..%d", (int)p->max_term_months,
            Q2O_MAX_TERM_MONTHS);
    at(k, "$.approval_policy.total_limit");
    check_amount(k, p->total_limit, 0, "total_limit");
    at(k, "$.approval_policy.window_days");
    if (p->window_ms <= 0)
        bad(k, Q2O_CATALOG_INVALID, "an approval must stay valid at least one day");
    for (int r = 0; r < Q2O_AR__COUNT; r++) {
        at(k, "$.approval_policy.step_roles.%s", q2o_approval_rule_name((q2o_approval_rule)r));
        if (!p->step_role[r] || (p->step_role[r] & ~(uint32_t)Q2O_ROLE__ALL))
            bad(k, Q2O_CATALOG_INVALID, "no valid role approves this rule");
    }
    at(k, "$.acceptance_policy.allowed_methods");
    if (!c->acceptance.allowed_methods || (c->acceptance.allowed_methods >> Q2O_AM__COUNT))
        bad(k, Q2O_CATALOG_INVALID, "at least one acceptance method must be allowed");
}

uint32_t q2o_catalog_check(const q2o_catalog *c, q2o_catalog_report_fn report, void *ctx)
{
    checker k = {.c = c, .report = report, .ctx = ctx};
    check_policies(&k);
    for (uint32_t i = 0; i < c->n_offerings; i++)
        check_offering(&k, i);
    check_cycles(&k);
    for (uint32_t p = 0; p < c->n_pricebooks; p++)
        check_pricebook(&k, p);
    for (uint32_t s = 0; s < c->n_schedules; s++)
        check_schedule(&k, s);
    for (uint32_t i = 0; i < c->n_contract_prices; i++)
        check_contract(&k, i);
    check_customers(&k);
    for (uint32_t i = 0; i < c->n_promotions; i++)
        check_promotion(&k, i);
    check_misc(&k);
    for (uint32_t i = 0; i < c->n_rules; i++)
        check_rule(&k, i);
    return k.n;
}
