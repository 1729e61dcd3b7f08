/*
 * The catalog pricing engine, one waterfall stage at a time: given a catalog
 * built in code and one line, the stage's step and the line's figures are
 * the ones computed by hand in each table. Every run also checks the
 * fixture's invariants (totals = sum of lines, trace arithmetic, replay).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/strutil.h"
#include "pricing_engine_fixture.h"

static pefx *f;
static void teardown(void) { pefx_free(f); f = NULL; }
TestSuite(pricing_stages, .fini = teardown);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void priced(void)
{
    q2o_err e = pefx_run(f);
    cr_assert_eq(e, Q2O_OK, "priced: %s", q2o_err_name(e));
    cr_assert_eq(f->out.n_violations, 0, "no findings (first: %d %s)", f->out.violations[0].code,
                 f->out.violations[0].detail);
}

/* ---------------------------------------------------------------- LIST */

Test(pricing_stages, list_unit_price_times_quantity_one_time_and_recurring)
{
    f = pefx_new("USD");
    pefx_offering(f, "HW", Q2O_CHARGE_ONE_TIME, 12500, 8000);
    pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 1000, 300);
    pefx_seal(f);
    pefx_line(f, "L1", "HW", 4);
    pefx_line(f, "L2", "SUB", 10)->term_months = 24; /* the line's term wins over the revision's 12 */
    priced();
    const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_LIST);
    cr_assert_str_eq(s->rule, "PB-USD");
    cr_assert_eq(s->rule_version, 3);
    cr_assert_eq(s->input, 4);
    cr_assert_eq(s->amount, -50000);
    cr_assert_eq(pefx_t(f, 0)->n_steps, 1);
    cr_assert_eq(pefx_p(f, 0)->list_unit, 12500);
    cr_assert_eq(pefx_p(f, 0)->one_time_total, 50000);
    cr_assert_eq(pefx_p(f, 0)->term_months, 0);
    cr_assert_eq(pefx_p(f, 0)->cost_total, 32000);
    cr_assert_eq(pefx_p(f, 0)->margin_bp, 3600); /* (50000 - 32000) / 50000 */
    cr_assert_eq(pefx_p(f, 1)->recurring_total, 10000);
    cr_assert_eq(pefx_p(f, 1)->term_months, 24);
    cr_assert_eq(pefx_p(f, 1)->net_total, 240000);
    cr_assert_eq(pefx_p(f, 1)->cost_total, 72000);
    cr_assert_str_eq(f->names[1], "Name of SUB");
    cr_assert_eq(f->out.recurring_total, 10000);
    cr_assert_eq(f->out.one_time_total, 50000);
}

Test(pricing_stages, recurring_term_falls_back_to_revision_then_one_month)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 100, 0);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 1);
    priced();
    cr_assert_eq(pefx_p(f, 0)->term_months, 12);
    f->terms.term_months = 0;
    priced();
    cr_assert_eq(pefx_p(f, 0)->term_months, 1);
    cr_assert_eq(pefx_p(f, 0)->net_total, 100);
}

/* Blocks [1..10] 1000, [11..50] 4000, then 70 per unit beyond 50. */
Test(pricing_stages, block_prices_at_their_boundaries)
{
    static const struct { int64_t qty, list; } cases[] = {
        {1, 1000}, {10, 1000}, {11, 4000}, {50, 4000}, {51, 4070}, {60, 4700},
    };
    static const q2o_cat_block blocks[] = {{10, 1000}, {50, 4000}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        pefx_offering(f, "KIT", Q2O_CHARGE_ONE_TIME, 0, 0);
        pefx_blocks(f, "KIT", 70, blocks, 2);
        pefx_seal(f);
        pefx_line(f, "L1", "KIT", cases[i].qty);
        priced();
        cr_assert_eq(pefx_p(f, 0)->list_total, cases[i].list, "qty %lld", (long long)cases[i].qty);
        cr_assert_eq(pefx_step(f, 0, Q2O_PS_LIST)->input, cases[i].qty);
        teardown();
    }
}

Test(pricing_stages, blocks_only_entry_refuses_a_quantity_beyond_the_last_block)
{
    static const q2o_cat_block blocks[] = {{10, 1000}};
    f = pefx_new("USD");
    pefx_offering(f, "KIT", Q2O_CHARGE_ONE_TIME, 0, 0);
    pefx_blocks(f, "KIT", -1, blocks, 1);
    pefx_seal(f);
    pefx_line(f, "L1", "KIT", 10);
    priced();
    cr_assert_eq(pefx_p(f, 0)->list_total, 1000);
    f->lines[0].quantity = 11;
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert(pefx_has(f, Q2O_PRICE_BOOK_MISSING, "L1"));
}

/* Regional adjustment on the book amount, rounded half away from zero:
 * + is an uplift (rate_bp recorded negative), - a reduction. */
Test(pricing_stages, regional_uplift_and_reduction)
{
    static const struct { int32_t adj_bp; int64_t unit, qty, list; } cases[] = {
        {1000, 1000, 3, 3300},  /* +10 % */
        {-1500, 1000, 3, 2550}, /* -15 % */
        {50, 100, 1, 101},      /* +0.5 -> +1 */
        {-50, 100, 1, 99},      /* -0.5 -> -1 (away from zero) */
        {-49, 100, 1, 100},     /* -0.49 -> 0 */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        pefx_offering(f, "HW", Q2O_CHARGE_ONE_TIME, cases[i].unit, 0);
        pefx_region(f, "EMEA", cases[i].adj_bp);
        pefx_customer(f, "ACME", "", "EMEA");
        pefx_seal(f);
        pefx_line(f, "L1", "HW", cases[i].qty);
        priced();
        const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_LIST);
        cr_assert_eq(s->after, cases[i].list, "case %zu", i);
        cr_assert_eq(s->rate_bp, -cases[i].adj_bp, "case %zu", i);
        cr_assert_eq(pefx_p(f, 0)->list_total, cases[i].list, "case %zu", i);
        teardown();
    }
}

Test(pricing_stages, region_is_the_market_when_the_customer_has_none)
{
    f = pefx_new("USD");
    pefx_offering(f, "HW", Q2O_CHARGE_ONE_TIME, 1000, 0);
    pefx_region(f, "US", 200);
    pefx_region(f, "EMEA", 900);
    pefx_customer(f, "ACME", "", "");
    pefx_seal(f);
    pefx_line(f, "L1", "HW", 1);
    priced();
    cr_assert_eq(pefx_p(f, 0)->list_total, 1020);
}

/* ---------------------------------------------------------------- CONTRACTED, TIER */

Test(pricing_stages, contracted_price_replaces_list_and_records_both)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 5000, 0);
    pefx_offering(f, "OTHER", Q2O_CHARGE_RECURRING, 5000, 0);
    pefx_contract(f, "MSA-9", "ACME", "SUB", 4200);
    pefx_contract(f, "MSA-X", "SOMEONE-ELSE", "OTHER", 1);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 10);
    pefx_line(f, "L2", "OTHER", 10);
    priced();
    const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_CONTRACTED);
    cr_assert_not_null(s);
    cr_assert_str_eq(s->rule, "MSA-9");
    cr_assert_eq(s->input, 4200);
    cr_assert_eq(s->amount, 8000);
    cr_assert_eq(s->after, 42000);
    cr_assert_eq(pefx_p(f, 0)->list_total, 50000 * 12, "the list stays the list");
    cr_assert_eq(pefx_p(f, 0)->net_total, 42000 * 12);
    cr_assert_null(pefx_step(f, 1, Q2O_PS_CONTRACTED), "another account's contract does not apply");
}

Test(pricing_stages, customer_tier_discount_on_the_contracted_price)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 5000, 0);
    pefx_contract(f, "MSA-9", "ACME", "SUB", 4200);
    pefx_customer(f, "ACME", "GOLD", "");
    pefx_tier(f, "GOLD", 500);
    pefx_tier(f, "SILVER", 200);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 10);
    priced();
    const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_CUSTOMER_TIER);
    cr_assert_str_eq(s->rule, "GOLD");
    cr_assert_eq(s->rate_bp, 500);
    cr_assert_eq(s->amount, 2100);
    cr_assert_eq(pefx_p(f, 0)->net_total, 39900);
}

Test(pricing_stages, no_tier_step_for_an_unknown_account)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 5000, 0);
    pefx_customer(f, "OTHER", "GOLD", "");
    pefx_tier(f, "GOLD", 500);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 1);
    priced();
    cr_assert_eq(pefx_t(f, 0)->n_steps, 1);
}

/* ---------------------------------------------------------------- VOLUME */

/* Unit 100; tiers from 1: 0 %, from 11: 10 %, from 51: 20 %.
 * RANGE: the whole amount at the tier the quantity falls in.
 * SLAB: units 11..50 at 10 %, 51.. at 20 %, each slab
 * round(base x units x bp / (qty x 10000)). */
Test(pricing_stages, volume_range_versus_slab_at_the_boundaries)
{
    static const q2o_cat_tier tiers[] = {{1, 0}, {11, 1000}, {51, 2000}};
    static const struct { q2o_tier_mode mode; int64_t qty, amount, net; int32_t rate; } cases[] = {
        {Q2O_TIER_RANGE, 10, 0, 1000, 0},
        {Q2O_TIER_RANGE, 11, 110, 990, 1000},
        {Q2O_TIER_RANGE, 50, 500, 4500, 1000},
        {Q2O_TIER_RANGE, 51, 1020, 4080, 2000},
        {Q2O_TIER_SLAB, 10, 0, 1000, 0},
        {Q2O_TIER_SLAB, 11, 10, 1090, 91},     /* 1 unit at 10 % */
        {Q2O_TIER_SLAB, 50, 400, 4600, 800},   /* 40 units at 10 % */
        {Q2O_TIER_SLAB, 51, 420, 4680, 824},   /* 40 at 10 % + 1 at 20 % */
        {Q2O_TIER_SLAB, 60, 600, 5400, 1000},  /* 40 at 10 % + 10 at 20 % */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        pefx_offering(f, "SEAT", Q2O_CHARGE_ONE_TIME, 100, 0)->volume_schedule[0] = 'V';
        pefx_schedule(f, "V", Q2O_SCHED_VOLUME, cases[i].mode, tiers, 3);
        pefx_seal(f);
        pefx_line(f, "L1", "SEAT", cases[i].qty);
        priced();
        const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_VOLUME);
        cr_assert_eq(pefx_p(f, 0)->net_total, cases[i].net, "case %zu", i);
        if (!cases[i].amount) {
            cr_assert_null(s, "case %zu: below the first discount, no step", i);
        } else {
            cr_assert_eq(s->amount, cases[i].amount, "case %zu", i);
            cr_assert_eq(s->rate_bp, cases[i].rate, "case %zu", i);
            cr_assert_eq(s->input, cases[i].qty);
            cr_assert_str_eq(s->rule, "V");
            cr_assert_eq(s->rule_version, 5);
        }
        teardown();
    }
}

/* A slab's share is rounded once per slab, on the amount after the tier:
 * 3 x 100, GOLD 33.33 % -> 99.99 -> 100 off -> 200; slab from 2 at 50 %:
 * 200 x 2 x 5000 / 30000 = 66.67 -> 67 -> 133. And a .5 share: base 3,
 * 1 unit of 3 at 50 %: 0.5 -> 1. */
Test(pricing_stages, slab_share_rounds_once_per_slab)
{
    static const q2o_cat_tier slab[] = {{2, 5000}};
    static const q2o_cat_tier half[] = {{3, 5000}};
    f = pefx_new("USD");
    pefx_offering(f, "A", Q2O_CHARGE_ONE_TIME, 100, 0)->volume_schedule[0] = 'S';
    pefx_offering(f, "B", Q2O_CHARGE_ONE_TIME, 1, 0)->volume_schedule[0] = 'H';
    pefx_schedule(f, "S", Q2O_SCHED_VOLUME, Q2O_TIER_SLAB, slab, 1);
    pefx_schedule(f, "H", Q2O_SCHED_VOLUME, Q2O_TIER_SLAB, half, 1);
    pefx_customer(f, "ACME", "GOLD", "");
    pefx_tier(f, "GOLD", 3333);
    pefx_seal(f);
    pefx_line(f, "L1", "A", 3);
    pefx_line(f, "L2", "B", 3);
    priced();
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_CUSTOMER_TIER)->amount, 100);
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_VOLUME)->amount, 67);
    cr_assert_eq(pefx_p(f, 0)->net_total, 133);
    /* B: GOLD takes round(3 x 0.3333) = 1 -> 2; then 1 of 3 units at 50 %: 2/3 x 0.5 = 0.33 -> 0 */
    cr_assert_eq(pefx_step(f, 1, Q2O_PS_VOLUME)->amount, 0);
    cr_assert_eq(pefx_p(f, 1)->net_total, 2);
}

Test(pricing_stages, slab_half_share_rounds_away_from_zero)
{
    static const q2o_cat_tier half[] = {{3, 5000}};
    f = pefx_new("USD");
    pefx_offering(f, "B", Q2O_CHARGE_ONE_TIME, 1, 0)->volume_schedule[0] = 'H';
    pefx_schedule(f, "H", Q2O_SCHED_VOLUME, Q2O_TIER_SLAB, half, 1);
    pefx_seal(f);
    pefx_line(f, "L1", "B", 3);
    priced();
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_VOLUME)->amount, 1, "3 x 1/3 x 50 %% = 0.5 -> 1");
    cr_assert_eq(pefx_p(f, 0)->net_total, 2);
}

/* ---------------------------------------------------------------- TERM */

/* Term RANGE: 12+ months 5 %, 24+ 10 %, 36+ 15 %; 1000 per month. */
Test(pricing_stages, term_schedule_by_months_on_recurring_lines_only)
{
    static const q2o_cat_tier tiers[] = {{12, 500}, {24, 1000}, {36, 1500}};
    static const struct { int32_t months; int64_t per_month; } cases[] = {
        {11, 1000}, {12, 950}, {23, 950}, {24, 900}, {60, 850},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        Q2O_STRCPY(pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 1000, 0)->term_schedule, "T24");
        Q2O_STRCPY(pefx_offering(f, "SETUP", Q2O_CHARGE_ONE_TIME, 1000, 0)->term_schedule, "T24");
        pefx_schedule(f, "T24", Q2O_SCHED_TERM, Q2O_TIER_RANGE, tiers, 3);
        pefx_seal(f);
        f->terms.term_months = cases[i].months;
        pefx_line(f, "L1", "SUB", 1);
        pefx_line(f, "L2", "SETUP", 1);
        priced();
        cr_assert_eq(pefx_p(f, 0)->recurring_total, cases[i].per_month, "case %zu", i);
        cr_assert_eq(pefx_p(f, 0)->net_total, cases[i].per_month * cases[i].months, "case %zu", i);
        if (cases[i].per_month != 1000)
            cr_assert_eq(pefx_step(f, 0, Q2O_PS_TERM)->input, cases[i].months);
        cr_assert_null(pefx_step(f, 1, Q2O_PS_TERM), "a one-time line has no term discount");
        teardown();
    }
}

Test(pricing_stages, term_slab_gives_the_per_month_average)
{
    /* 24 months, months 13..24 at 10 %: 1000 x 12 x 1000 / (24 x 10000) = 50 per month. */
    static const q2o_cat_tier tiers[] = {{13, 1000}};
    f = pefx_new("USD");
    Q2O_STRCPY(pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 1000, 0)->term_schedule, "TS");
    pefx_schedule(f, "TS", Q2O_SCHED_TERM, Q2O_TIER_SLAB, tiers, 1);
    pefx_seal(f);
    f->terms.term_months = 24;
    pefx_line(f, "L1", "SUB", 1);
    priced();
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_TERM)->amount, 50);
    cr_assert_eq(pefx_p(f, 0)->net_total, 950 * 24);
}

Test(pricing_stages, schedule_of_the_wrong_kind_is_a_catalog_finding)
{
    static const q2o_cat_tier tiers[] = {{1, 100}};
    f = pefx_new("USD");
    Q2O_STRCPY(pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 1000, 0)->volume_schedule, "T");
    Q2O_STRCPY(pefx_offering(f, "SUB2", Q2O_CHARGE_RECURRING, 1000, 0)->term_schedule, "MISSING");
    pefx_schedule(f, "T", Q2O_SCHED_TERM, Q2O_TIER_RANGE, tiers, 1);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 1);
    pefx_line(f, "L2", "SUB2", 1);
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert(pefx_has(f, Q2O_CATALOG_INVALID, "L1"));
    cr_assert(pefx_has(f, Q2O_CATALOG_INVALID, "L2"));
}

/* ---------------------------------------------------------------- PROMOTION */

Test(pricing_stages, coded_promotions_percent_and_amount_off)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 1000, 0);
    pefx_promo(f, "PCT", 500, 0, PEFX_JUL_1, PEFX_AUG_1, 0, NULL);
    pefx_promo(f, "OFF", 0, 250, PEFX_JUL_1, PEFX_AUG_1 + PEFX_DAY, 0, "SUB");
    pefx_promo(f, "HUGE", 0, 2000, 0, 0, 0, NULL);
    pefx_seal(f);
    Q2O_STRCPY(pefx_line(f, "L1", "SUB", 10)->promo_code, "PCT");
    Q2O_STRCPY(pefx_line(f, "L2", "SUB", 10)->promo_code, "OFF");
    Q2O_STRCPY(pefx_line(f, "L3", "SUB", 10)->promo_code, "HUGE");
    priced();
    const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_PROMOTION);
    cr_assert_str_eq(s->rule, "PCT");
    cr_assert_eq(s->rule_version, 2);
    cr_assert_eq(s->rate_bp, 500);
    cr_assert_eq(s->amount, 500);
    cr_assert_eq(pefx_p(f, 0)->net_total, 9500);
    cr_assert_str_eq(pefx_p(f, 0)->promo_code, "PCT");
    s = pefx_step(f, 1, Q2O_PS_PROMOTION);
    cr_assert_eq(s->rate_bp, 0);
    cr_assert_eq(s->input, 250);
    cr_assert_eq(s->amount, 2500);
    cr_assert_eq(pefx_p(f, 1)->net_total, 7500);
    cr_assert_eq(pefx_step(f, 2, Q2O_PS_PROMOTION)->amount, 10000, "capped: never below zero");
    cr_assert_eq(pefx_p(f, 2)->net_total, 0);
    cr_assert_eq(pefx_p(f, 2)->margin_bp, 0);
    cr_assert_eq(f->out.promo_ends_at, PEFX_AUG_1, "the earliest end of an applied promotion");
}

Test(pricing_stages, unknown_inapplicable_and_expired_codes_are_findings)
{
    static const struct { const char *code; q2o_time_ms date; q2o_err want; } cases[] = {
        {"NOPE", PEFX_JUL_15, Q2O_PROMOTION_UNKNOWN},
        {"OTHER-ONLY", PEFX_JUL_15, Q2O_PROMOTION_UNKNOWN},
        {"JULY2026", PEFX_AUG_1, Q2O_QUOTE_PROMOTION_EXPIRED},     /* ends_at is exclusive */
        {"JULY2026", PEFX_JUL_1 - 1, Q2O_QUOTE_PROMOTION_EXPIRED}, /* not started */
        {"JULY2026", PEFX_JUL_1, Q2O_OK},
        {"JULY2026", PEFX_AUG_1 - 1, Q2O_OK},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 1000, 0);
        pefx_promo(f, "JULY2026", 500, 0, PEFX_JUL_1, PEFX_AUG_1, 0, "SUB");
        pefx_promo(f, "OTHER-ONLY", 500, 0, 0, 0, 0, "OTHER");
        pefx_seal(f);
        f->date = cases[i].date;
        Q2O_STRCPY(pefx_line(f, "L1", "SUB", 1)->promo_code, cases[i].code);
        cr_assert_eq(pefx_run(f), Q2O_OK);
        if (cases[i].want == Q2O_OK) {
            cr_assert_eq(f->out.n_violations, 0, "case %zu", i);
            cr_assert_eq(pefx_p(f, 0)->net_total, 950, "case %zu", i);
        } else {
            cr_assert(pefx_has(f, cases[i].want, "L1"), "case %zu", i);
            cr_assert_str_eq(f->out.violations[0].detail, cases[i].code);
        }
        teardown();
    }
}

/* A code past its window, kept by the reserved reason PROMOTION_EXTENSION
 * (domain/pricing.h): priced with the promotion as usual, counted in
 * expired_promotions_kept, not in the quote's promo_ends_at. Only a window
 * that closed (ends_at <= date) can be kept, only by that exact reason;
 * inside the window the reason changes nothing. On 1 x 1000, JULY2026 5 %. */
typedef struct kept_row {
    const char *code, *reason;
    q2o_time_ms date;
    int64_t override_unit;        /* -1 = none */
    q2o_err want;                 /* Q2O_OK: priced; else the finding on L1 */
    uint32_t kept;
    int64_t net;
    q2o_time_ms quote_promo_ends; /* out.promo_ends_at */
} kept_row;

static const kept_row kept_rows[] = {
    {"JULY2026", Q2O_REASON_PROMOTION_EXTENSION, PEFX_AUG_1, -1, Q2O_OK, 1, 950, 0}, /* ends_at is exclusive */
    {"JULY2026", Q2O_REASON_PROMOTION_EXTENSION, PEFX_AUG_1 + 40 * PEFX_DAY, -1, Q2O_OK, 1, 950, 0},
    {"JULY2026", Q2O_REASON_PROMOTION_EXTENSION, PEFX_AUG_1 - 1, -1, Q2O_OK, 0, 950, PEFX_AUG_1}, /* in window */
    {"JULY2026", Q2O_REASON_PROMOTION_EXTENSION, PEFX_AUG_1, 900, Q2O_OK, 1, 900, 0}, /* and an override */
    {"JULY2026", Q2O_REASON_PROMOTION_EXTENSION, PEFX_JUL_1 - 1, -1, Q2O_QUOTE_PROMOTION_EXPIRED, 0, 0, 0},
    {"JULY2026", "MATCH_COMPETITOR", PEFX_AUG_1, -1, Q2O_QUOTE_PROMOTION_EXPIRED, 0, 0, 0},
    {"JULY2026", "promotion_extension", PEFX_AUG_1, -1, Q2O_QUOTE_PROMOTION_EXPIRED, 0, 0, 0},
    {"JULY2026", "", PEFX_AUG_1, -1, Q2O_QUOTE_PROMOTION_EXPIRED, 0, 0, 0},
    {"NOPE", Q2O_REASON_PROMOTION_EXTENSION, PEFX_AUG_1, -1, Q2O_PROMOTION_UNKNOWN, 0, 0, 0},
    {"OTHER-ONLY", Q2O_REASON_PROMOTION_EXTENSION, PEFX_AUG_1, -1, Q2O_PROMOTION_UNKNOWN, 0, 0, 0},
};

static void check_kept_row(size_t i, const kept_row *k)
{
    cr_assert_eq(pefx_run(f), Q2O_OK, "row %zu", i);
    cr_assert_eq(f->out.expired_promotions_kept, k->kept, "row %zu: kept", i);
    if (k->want != Q2O_OK) {
        cr_assert(pefx_has(f, k->want, "L1"), "row %zu: %s on L1", i, q2o_err_name(k->want));
        cr_assert_eq(f->out.net_total, 0, "row %zu: nothing priced", i);
        return;
    }
    cr_assert_eq(f->out.n_violations, 0, "row %zu: no finding (first %d)", i, f->out.violations[0].code);
    const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_PROMOTION);
    cr_assert_not_null(s, "row %zu: a PROMOTION step", i);
    cr_assert_str_eq(s->rule, "JULY2026", "row %zu", i);
    cr_assert_eq(s->rule_version, 2, "row %zu", i);
    cr_assert_eq(s->rate_bp, 500, "row %zu", i);
    cr_assert_eq(s->amount, 50, "row %zu", i);
    cr_assert_eq(pefx_p(f, 0)->net_total, k->net, "row %zu: net", i);
    cr_assert_str_eq(pefx_p(f, 0)->promo_code, "JULY2026", "row %zu", i);
    cr_assert_eq(pefx_p(f, 0)->promo_ends_at, PEFX_AUG_1, "row %zu: the line keeps the real end", i);
    cr_assert_eq(f->out.promo_ends_at, k->quote_promo_ends, "row %zu: quote promo_ends_at", i);
    const q2o_price_step *o = pefx_step(f, 0, Q2O_PS_OVERRIDE);
    cr_assert_eq(o != NULL, k->override_unit >= 0, "row %zu: OVERRIDE step", i);
    if (o)
        cr_assert_str_eq(o->rule, Q2O_REASON_PROMOTION_EXTENSION, "row %zu", i);
}

Test(pricing_stages, expired_code_is_kept_only_by_promotion_extension)
{
    for (size_t i = 0; i < ARRAY_LEN(kept_rows); i++) {
        const kept_row *k = &kept_rows[i];
        f = pefx_new("USD");
        pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 1000, 0);
        pefx_promo(f, "JULY2026", 500, 0, PEFX_JUL_1, PEFX_AUG_1, 0, "SUB");
        pefx_promo(f, "OTHER-ONLY", 500, 0, 0, PEFX_JUL_15, 0, "OTHER");
        pefx_seal(f);
        f->date = k->date;
        q2o_line *l = pefx_line(f, "L1", "SUB", 1);
        Q2O_STRCPY(l->promo_code, k->code);
        Q2O_STRCPY(l->override_reason, k->reason);
        l->override_unit_price = k->override_unit;
        check_kept_row(i, k);
        teardown();
    }
}

/* A kept expired code beside a live one: the quote's promo_ends_at is the
 * live promotion's end, the kept line is counted; an automatic promotion
 * past its window is never kept (nothing was asked for by code). */
Test(pricing_stages, kept_expired_promotion_beside_live_and_automatic_ones)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 1000, 0);
    pefx_offering(f, "HW", Q2O_CHARGE_ONE_TIME, 1000, 0);
    pefx_promo(f, "JUNE", 1000, 0, 0, PEFX_JUL_1, 0, NULL);
    pefx_promo(f, "JULY2026", 500, 0, PEFX_JUL_1, PEFX_AUG_1, 0, NULL);
    pefx_promo(f, "AUTOJUNE", 2000, 0, 0, PEFX_JUL_1, 1, "HW");
    pefx_seal(f);
    q2o_line *l = pefx_line(f, "L1", "SUB", 1);
    Q2O_STRCPY(l->promo_code, "JUNE");
    Q2O_STRCPY(l->override_reason, Q2O_REASON_PROMOTION_EXTENSION);
    Q2O_STRCPY(pefx_line(f, "L2", "SUB", 1)->promo_code, "JULY2026");
    Q2O_STRCPY(pefx_line(f, "L3", "HW", 1)->override_reason, Q2O_REASON_PROMOTION_EXTENSION);
    priced();
    cr_assert_eq(pefx_p(f, 0)->net_total, 900, "JUNE 10 %% kept");
    cr_assert_eq(pefx_p(f, 0)->promo_ends_at, PEFX_JUL_1);
    cr_assert_eq(pefx_p(f, 1)->net_total, 950);
    cr_assert_null(pefx_step(f, 2, Q2O_PS_PROMOTION), "AUTOJUNE ended: not applied");
    cr_assert_eq(pefx_p(f, 2)->net_total, 1000);
    cr_assert_eq(f->out.expired_promotions_kept, 1);
    cr_assert_eq(f->out.promo_ends_at, PEFX_AUG_1, "only the live promotion can still end");
}

/* Automatic promotions: the single best in its window; a code wins. On
 * 10 x 1000: AUTO5 (5 %) takes 500, AUTO100 (100 per unit) 1000, LATE
 * (30 %, not started) nothing; AUTO100 applies. */
Test(pricing_stages, best_single_automatic_promotion_applies_unless_coded)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 1000, 0);
    pefx_offering(f, "HW", Q2O_CHARGE_ONE_TIME, 1000, 0);
    pefx_promo(f, "AUTO5", 500, 0, 0, PEFX_AUG_1, 1, NULL);
    pefx_promo(f, "AUTO100", 0, 100, 0, PEFX_AUG_1 + PEFX_DAY, 1, "SUB");
    pefx_promo(f, "LATE", 3000, 0, PEFX_AUG_1, 0, 1, NULL);
    pefx_promo(f, "TIE", 500, 0, 0, 0, 1, "HW");
    pefx_promo(f, "CODE", 100, 0, 0, 0, 0, NULL);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 10);
    pefx_line(f, "L2", "HW", 10);
    Q2O_STRCPY(pefx_line(f, "L3", "SUB", 10)->promo_code, "CODE");
    priced();
    cr_assert_str_eq(pefx_step(f, 0, Q2O_PS_PROMOTION)->rule, "AUTO100");
    cr_assert_eq(pefx_p(f, 0)->net_total, 9000);
    cr_assert_eq(pefx_p(f, 0)->promo_ends_at, PEFX_AUG_1 + PEFX_DAY);
    cr_assert_str_eq(pefx_step(f, 1, Q2O_PS_PROMOTION)->rule, "AUTO5", "a tie: the first in catalog order");
    cr_assert_eq(pefx_p(f, 1)->net_total, 9500);
    cr_assert_str_eq(pefx_p(f, 2)->promo_code, "CODE", "a code wins over automatic promotions");
    cr_assert_eq(pefx_p(f, 2)->net_total, 9900);
    cr_assert_eq(f->out.promo_ends_at, PEFX_AUG_1);
}

/* ---------------------------------------------------------------- MANUAL, OVERRIDE */

Test(pricing_stages, manual_discount_after_promotion_and_override_replaces_net)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 5000, 1000);
    pefx_promo(f, "P5", 500, 0, 0, 0, 0, NULL);
    pefx_seal(f);
    f->terms.term_months = 24;
    q2o_line *l = pefx_line(f, "L1", "SUB", 500);
    l->discount_bp = 1800;
    Q2O_STRCPY(l->promo_code, "P5");
    l = pefx_line(f, "L2", "SUB", 10);
    l->discount_bp = 1000;
    l->override_unit_price = 3000;
    Q2O_STRCPY(l->override_reason, "COMPETITIVE");
    priced();
    /* L1: 2,500,000 - 5 % 125,000 = 2,375,000 - 18 % 427,500 = 1,947,500 per month */
    const q2o_price_step *s = pefx_step(f, 0, Q2O_PS_MANUAL_DISCOUNT);
    cr_assert_eq(s->rate_bp, 1800);
    cr_assert_eq(s->amount, 427500);
    cr_assert_eq(pefx_p(f, 0)->net_total, 1947500 * 24);
    /* L2: 50,000 - 10 % = 45,000, override 3,000 x 10 = 30,000 */
    s = pefx_step(f, 1, Q2O_PS_OVERRIDE);
    cr_assert_str_eq(s->rule, "COMPETITIVE");
    cr_assert_eq(s->input, 3000);
    cr_assert_eq(s->amount, 15000);
    cr_assert_eq(s->after, 30000);
    cr_assert_eq(pefx_p(f, 1)->net_total, 30000 * 24);
    /* discretionary depth: L1 manual 18 %, L2 override 40 % off list */
    cr_assert_eq(f->out.max_discount_bp, 4000);
}

Test(pricing_stages, override_at_zero_is_applied)
{
    f = pefx_new("USD");
    pefx_offering(f, "SUB", Q2O_CHARGE_ONE_TIME, 5000, 100);
    pefx_seal(f);
    pefx_line(f, "L1", "SUB", 2)->override_unit_price = 0;
    priced();
    cr_assert_eq(pefx_p(f, 0)->net_total, 0);
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_OVERRIDE)->amount, 10000);
    cr_assert_eq(f->out.max_discount_bp, 10000);
}

/* Every stage at once, in order: the trace has all eight steps. */
Test(pricing_stages, all_eight_stages_in_order)
{
    static const q2o_cat_tier vol[] = {{10, 1000}};
    static const q2o_cat_tier term[] = {{12, 500}};
    f = pefx_new("USD");
    q2o_cat_offering *o = pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 1000, 0);
    Q2O_STRCPY(o->volume_schedule, "V");
    Q2O_STRCPY(o->term_schedule, "T");
    pefx_schedule(f, "V", Q2O_SCHED_VOLUME, Q2O_TIER_RANGE, vol, 1);
    pefx_schedule(f, "T", Q2O_SCHED_TERM, Q2O_TIER_RANGE, term, 1);
    pefx_region(f, "EMEA", 1000);
    pefx_customer(f, "ACME", "GOLD", "EMEA");
    pefx_tier(f, "GOLD", 200);
    pefx_contract(f, "MSA", "ACME", "SUB", 1050);
    pefx_promo(f, "P", 300, 0, 0, 0, 0, NULL);
    pefx_seal(f);
    q2o_line *l = pefx_line(f, "L1", "SUB", 20);
    l->discount_bp = 700;
    l->override_unit_price = 800;
    Q2O_STRCPY(l->promo_code, "P");
    priced();
    /* LIST 20 x 1000 = 20,000 + 10 % = 22,000; CONTRACTED 21,000; GOLD 2 % 420
     * -> 20,580; VOLUME 10 % 2,058 -> 18,522; TERM 5 % 926.1 -> 926 -> 17,596;
     * PROMOTION 3 % 527.88 -> 528 -> 17,068; MANUAL 7 % 1,194.76 -> 1,195 ->
     * 15,873; OVERRIDE 800 x 20 = 16,000 (amount -127). */
    static const int64_t after[] = {22000, 21000, 20580, 18522, 17596, 17068, 15873, 16000};
    const q2o_line_trace *t = pefx_t(f, 0);
    cr_assert_eq(t->n_steps, 8);
    for (uint32_t k = 0; k < 8; k++) {
        cr_assert_eq(t->steps[k].stage, (q2o_price_stage)k);
        cr_assert_eq(t->steps[k].after, after[k], "step %s", q2o_price_stage_name((q2o_price_stage)k));
    }
    cr_assert_eq(t->steps[7].amount, -127, "an override above the price is an uplift");
    cr_assert_eq(pefx_p(f, 0)->list_total, 22000 * 12);
    cr_assert_eq(pefx_p(f, 0)->list_unit, 1100);
}
