/*
 * The catalog pricing engine on whole quotes: rounding in currencies with
 * 0, 2 and 3 decimals, freight and tax, findings, overflow, removed lines,
 * replay, and the lifecycle seed's practice case (seeds/003 §29) priced
 * with an in-code catalog. The fixture checks on every priced output that
 * the quote totals are the sums of the line totals and that each trace adds
 * up; every run is made twice and compared byte for byte.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/money.h"
#include "core/strutil.h"
#include "pricing_engine_fixture.h"

static pefx *f;
static void teardown(void) { pefx_free(f); f = NULL; }
TestSuite(pricing_quote, .fini = teardown);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void priced(void)
{
    q2o_err e = pefx_run(f);
    cr_assert_eq(e, Q2O_OK, "priced: %s", q2o_err_name(e));
    cr_assert_eq(f->out.n_violations, 0, "no findings (first: %d %s)", f->out.violations[0].code,
                 f->out.violations[0].detail);
}

/* ---------------------------------------------------------------- rounding */

/* A manual discount whose exact amount ends in .5 of a minor unit rounds
 * away from zero, whatever the currency's exponent (amounts are minor
 * units: yen, cents, fils). */
Test(pricing_quote, half_minor_unit_rounds_away_from_zero_in_jpy_usd_bhd_kwd)
{
    static const struct { const char *cur; int64_t unit; int32_t bp; int64_t off, net; } cases[] = {
        {"JPY", 1005, 1000, 101, 904},     /* 100.5 yen -> 101 */
        {"JPY", 1015, 1000, 102, 913},     /* 101.5 -> 102 */
        {"JPY", 1004, 1000, 100, 904},     /* 100.4 -> 100 */
        {"USD", 105, 5000, 53, 52},        /* 52.5 cents -> 53 */
        {"USD", 3, 5000, 2, 1},            /* 1.5 -> 2 */
        {"USD", 2005, 500, 100, 1905},     /* 100.25 -> 100 */
        {"BHD", 12345, 5000, 6173, 6172},  /* 6172.5 fils -> 6173 */
        {"KWD", 1, 5000, 1, 0},            /* 0.5 -> 1 */
        {"KWD", 999, 5000, 500, 499},      /* 499.5 -> 500 */
        {"KWD", 1999, 2500, 500, 1499},    /* 499.75 -> 500 */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new(cases[i].cur);
        pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, cases[i].unit, 0);
        pefx_seal(f);
        pefx_line(f, "L1", "X", 1)->discount_bp = cases[i].bp;
        priced();
        cr_assert_eq(pefx_step(f, 0, Q2O_PS_MANUAL_DISCOUNT)->amount, cases[i].off, "case %zu %s", i, cases[i].cur);
        cr_assert_eq(pefx_p(f, 0)->net_total, cases[i].net, "case %zu", i);
        teardown();
    }
}

/* Tax on net + freight, rounded once: JPY 1,001 x 10 % = 100.1 -> 100;
 * BHD 12,345 x 5 % = 617.25 -> 617; USD 1,010 x 5 % = 50.5 -> 51. */
Test(pricing_quote, tax_rounds_once_on_net_plus_freight)
{
    static const struct { const char *cur; int64_t net, freight; int32_t bp; int64_t tax; } cases[] = {
        {"JPY", 991, 10, 1000, 100},
        {"BHD", 12000, 345, 500, 617},
        {"USD", 1000, 10, 500, 51},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new(cases[i].cur);
        pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, cases[i].net, 0);
        pefx_freight(f, Q2O_FREIGHT_FLAT, cases[i].freight, 0, 0);
        pefx_tax(f, "", cases[i].bp);
        pefx_seal(f);
        pefx_line(f, "L1", "X", 1);
        priced();
        cr_assert_eq(f->out.freight, cases[i].freight);
        cr_assert_eq(f->out.tax, cases[i].tax, "case %zu", i);
        cr_assert_eq(f->out.grand_total, cases[i].net + cases[i].freight + cases[i].tax);
        teardown();
    }
}

Test(pricing_quote, tax_rate_of_the_customer_region_else_the_default)
{
    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, 10000, 0);
    pefx_tax(f, "", 500);
    pefx_tax(f, "EMEA", 2000);
    pefx_customer(f, "ACME", "", "EMEA");
    pefx_seal(f);
    pefx_line(f, "L1", "X", 1);
    priced();
    cr_assert_eq(f->out.tax, 2000);
    Q2O_STRCPY(f->h.account_id, "WALK-IN"); /* no customer: the market "US", no US rate: default */
    priced();
    cr_assert_eq(f->out.tax, 500);
}

/* ---------------------------------------------------------------- freight */

Test(pricing_quote, freight_flat_per_unit_percent_and_free_above)
{
    static const struct { q2o_freight_kind kind; int64_t amount; int32_t bp; int64_t free_above, want; } cases[] = {
        {Q2O_FREIGHT_FLAT, 2500, 0, 0, 2500},
        {Q2O_FREIGHT_PER_UNIT, 300, 0, 0, 300 * 7},  /* physical one-time only: 3 + 4 */
        {Q2O_FREIGHT_PERCENT, 0, 250, 0, 1688},      /* 2.5 % of 67,500 = 1687.5 -> 1688 */
        {Q2O_FREIGHT_FLAT, 2500, 0, 67500, 2500},    /* not above: charged */
        {Q2O_FREIGHT_FLAT, 2500, 0, 67499, 0},       /* above: free */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        pefx_offering(f, "CHAIR", Q2O_CHARGE_ONE_TIME, 5000, 0)->physical = 1;
        pefx_offering(f, "DESK", Q2O_CHARGE_ONE_TIME, 10000, 0)->physical = 1;
        pefx_offering(f, "SETUP", Q2O_CHARGE_ONE_TIME, 2500, 0);
        pefx_offering(f, "SUB", Q2O_CHARGE_RECURRING, 1000, 0);
        pefx_freight(f, cases[i].kind, cases[i].amount, cases[i].bp, cases[i].free_above);
        pefx_seal(f);
        f->terms.term_months = 10;
        pefx_line(f, "L1", "CHAIR", 3);
        pefx_line(f, "L2", "DESK", 4);
        pefx_line(f, "L3", "SETUP", 1);
        pefx_line(f, "L4", "SUB", 1);
        pefx_line(f, "L5", "DESK", 100)->action = Q2O_LA_REMOVE;
        priced();
        cr_assert_eq(f->out.net_total, 15000 + 40000 + 2500 + 10000);
        cr_assert_eq(f->out.freight, cases[i].want, "case %zu", i);
        teardown();
    }
}

/* ---------------------------------------------------------------- findings */

Test(pricing_quote, no_price_book_is_a_header_finding)
{
    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, 100, 0);
    pefx_seal(f);
    Q2O_STRCPY(f->h.currency, "EUR");
    pefx_line(f, "L1", "X", 1);
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert_eq(f->out.n_violations, 1);
    cr_assert(pefx_has(f, Q2O_PRICE_BOOK_MISSING, ""));
    cr_assert_str_eq(f->out.violations[0].detail, "EUR");
}

Test(pricing_quote, price_book_outside_its_validity_is_missing)
{
    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, 100, 0);
    f->book->valid_until = PEFX_JUL_1;
    pefx_seal(f);
    pefx_line(f, "L1", "X", 1);
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert(pefx_has(f, Q2O_PRICE_BOOK_MISSING, ""));
}

/* Every finding of every line is reported, and nothing is priced. */
Test(pricing_quote, every_line_finding_is_reported_and_nothing_priced)
{
    f = pefx_new("USD");
    pefx_offering(f, "OK", Q2O_CHARGE_ONE_TIME, 100, 0);
    q2o_cat_offering *old = pefx_offering(f, "OLD", Q2O_CHARGE_ONE_TIME, 100, 0);
    old->active_until = PEFX_JUL_1;
    pefx_offering(f, "NOPRICE", Q2O_CHARGE_ONE_TIME, 100, 0);
    f->book->n_prices--; /* the book has no entry for NOPRICE */
    pefx_seal(f);
    pefx_line(f, "L1", "OK", 1);
    pefx_line(f, "L2", "GHOST", 1);
    pefx_line(f, "L3", "OLD", 1);
    pefx_line(f, "L4", "OK", 0);
    pefx_line(f, "L5", "NOPRICE", 1);
    Q2O_STRCPY(pefx_line(f, "L6", "OK", 1)->promo_code, "NOPE");
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert(pefx_has(f, Q2O_OFFERING_UNKNOWN, "L2"));
    cr_assert(pefx_has(f, Q2O_OFFERING_INACTIVE, "L3"));
    cr_assert(pefx_has(f, Q2O_QUANTITY_INVALID, "L4"));
    cr_assert(pefx_has(f, Q2O_PRICE_BOOK_MISSING, "L5"));
    cr_assert(pefx_has(f, Q2O_PROMOTION_UNKNOWN, "L6"));
    cr_assert_eq(f->out.n_violations, 5);
    cr_assert_eq(pefx_p(f, 0)->net_total, 0, "the good line is not priced either");
    cr_assert_eq(f->out.grand_total, 0);
}

Test(pricing_quote, removed_lines_are_zero_with_no_steps_and_no_checks)
{
    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_RECURRING, 100, 10);
    pefx_seal(f);
    pefx_line(f, "L1", "X", 2);
    q2o_line *gone = pefx_line(f, "L2", "RETIRED", 5);
    gone->action = Q2O_LA_REMOVE;
    Q2O_STRCPY(gone->display_name, "Retired thing");
    pefx_line(f, "L3", "X", 5)->action = Q2O_LA_REMOVE;
    priced();
    cr_assert_eq(pefx_t(f, 1)->n_steps, 0);
    cr_assert_eq(pefx_p(f, 1)->net_total, 0);
    cr_assert_str_eq(f->names[1], "Retired thing");
    cr_assert_str_eq(f->names[2], "Name of X");
    cr_assert_eq(f->out.net_total, 200 * 12);
}

/* ---------------------------------------------------------------- overflow */

Test(pricing_quote, absurd_amounts_overflow_cleanly)
{
    static const struct { int64_t unit, qty; int32_t months; q2o_charge_type charge; int lines; } cases[] = {
        {100000000, 1000000000, 0, Q2O_CHARGE_ONE_TIME, 1},         /* 1e17 per period */
        {INT64_MAX, 2, 0, Q2O_CHARGE_ONE_TIME, 1},                  /* int64 itself */
        {1000000, 1000000000, 24, Q2O_CHARGE_RECURRING, 1},         /* 1e15 x 24 months */
        {5000000000000000, 1, 0, Q2O_CHARGE_ONE_TIME, 2},           /* each fine, the sum not */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        f = pefx_new("USD");
        pefx_offering(f, "X", cases[i].charge, cases[i].unit, 0);
        pefx_seal(f);
        f->terms.term_months = cases[i].months;
        for (int k = 0; k < cases[i].lines; k++)
            pefx_line(f, k ? "L2" : "L1", "X", cases[i].qty);
        cr_assert_eq(pefx_run(f), Q2O_MONEY_OVERFLOW, "case %zu", i);
        cr_assert_eq(f->out.net_total, 0);
        cr_assert_eq(f->out.merchandise, 0);
        teardown();
    }
}

Test(pricing_quote, overflow_in_cost_tax_and_slab_is_refused_too)
{
    static const q2o_cat_tier slab[] = {{2, 100}};
    f = pefx_new("USD");
    pefx_offering(f, "COSTLY", Q2O_CHARGE_ONE_TIME, 1, INT64_MAX / 2);
    pefx_seal(f);
    pefx_line(f, "L1", "COSTLY", 3);
    cr_assert_eq(pefx_run(f), Q2O_MONEY_OVERFLOW);
    teardown();

    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, 9000000000000000, 0);
    pefx_freight(f, Q2O_FREIGHT_FLAT, 900000000000000, 0, 0);
    pefx_seal(f);
    pefx_line(f, "L1", "X", 1);
    cr_assert_eq(pefx_run(f), Q2O_MONEY_OVERFLOW, "net + freight beyond the bound");
    teardown();

    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, 1, 0)->volume_schedule[0] = 'S';
    pefx_schedule(f, "S", Q2O_SCHED_VOLUME, Q2O_TIER_SLAB, slab, 1);
    pefx_seal(f);
    pefx_line(f, "L1", "X", 4000000000000000); /* quantity x 10000 leaves the bound */
    cr_assert_eq(pefx_run(f), Q2O_MONEY_OVERFLOW);
}

Test(pricing_quote, a_finding_wins_over_an_overflow)
{
    f = pefx_new("USD");
    pefx_offering(f, "X", Q2O_CHARGE_ONE_TIME, INT64_MAX, 0);
    pefx_seal(f);
    pefx_line(f, "L1", "X", 2);
    pefx_line(f, "L2", "GHOST", 1);
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert(pefx_has(f, Q2O_OFFERING_UNKNOWN, "L2"));
}

/* ---------------------------------------------------------------- replay */

Test(pricing_quote, same_input_twice_is_byte_identical_and_traces_are_optional)
{
    static const q2o_cat_tier vol[] = {{5, 300}, {50, 900}};
    f = pefx_new("USD");
    Q2O_STRCPY(pefx_offering(f, "A", Q2O_CHARGE_RECURRING, 1234, 99)->volume_schedule, "V");
    pefx_offering(f, "B", Q2O_CHARGE_ONE_TIME, 777, 500)->physical = 1;
    pefx_schedule(f, "V", Q2O_SCHED_VOLUME, Q2O_TIER_SLAB, vol, 2);
    pefx_promo(f, "AUTO", 333, 0, 0, 0, 1, NULL);
    pefx_freight(f, Q2O_FREIGHT_PER_UNIT, 45, 0, 0);
    pefx_tax(f, "", 725);
    pefx_seal(f);
    pefx_line(f, "L1", "A", 77)->discount_bp = 1234;
    pefx_line(f, "L2", "B", 13);
    priced(); /* pefx_run compares two runs byte for byte */
    q2o_line_price again[PEFX_LINES];
    char names[PEFX_LINES][Q2O_NAME_MAX];
    q2o_price_output out;
    memset(&out, 0, sizeof out);
    memset(again, 0, sizeof again);
    out.lines = again;
    out.display_names = names;
    q2o_price_input in = {&f->h, &f->terms, f->lines, f->n, f->date};
    cr_assert_eq(q2o_catalog_price(f->c, &in, &out), Q2O_OK);
    cr_assert_eq(memcmp(again, f->prices, f->n * sizeof again[0]), 0, "no traces wanted: the same prices");
    cr_assert_eq(out.grand_total, f->out.grand_total);
}

/* ---------------------------------------------------------------- practice case */

/* seeds/003 §29: 500 users of SAAS-ENT-USER at 50.00/user/month, premium
 * support 10.00/user/month, implementation 25,000.00 once, 24 months, 18 %
 * discretionary discount on every line, the July promotion JULY2026 (5 %,
 * [2026-07-01, 2026-08-01)) on the two subscriptions, priced 2026-07-15.
 * Costs 10.00 and 4.00 per user per month, 15,000.00 for the service; tax
 * 8.25 %. By hand, per month then x 24:
 *   users    500 x 5,000 = 2,500,000; JULY 5 % 125,000 -> 2,375,000;
 *            18 % 427,500 -> 1,947,500 /month; x 24 = 46,740,000
 *            (list 60,000,000; cost 1,000 x 500 x 24 = 12,000,000)
 *   support  500 x 1,000 = 500,000; 5 % 25,000 -> 475,000; 18 % 85,500 ->
 *            389,500 /month; x 24 = 9,348,000 (list 12,000,000; cost 4,800,000)
 *   impl     2,500,000; 18 % 450,000 -> 2,050,000 (cost 1,500,000)
 *   merchandise 74,500,000; net 58,138,000; discount 16,362,000;
 *   recurring 2,337,000 /month; one-time 2,050,000; cost 18,300,000;
 *   margin (58,138,000 - 18,300,000) / 58,138,000 = 68.523 % -> 6852 bp;
 *   tax 8.25 % x 58,138,000 = 4,796,385; grand 62,934,385; no freight. */
Test(pricing_quote, practice_case_from_the_lifecycle_seed)
{
    f = pefx_new("USD");
    pefx_offering(f, "SAAS-ENT-USER", Q2O_CHARGE_RECURRING, 5000, 1000);
    pefx_offering(f, "SUPPORT-PREMIUM", Q2O_CHARGE_RECURRING, 1000, 400);
    pefx_offering(f, "IMPL-SERVICE", Q2O_CHARGE_ONE_TIME, 2500000, 1500000);
    q2o_cat_promotion *july = pefx_promo(f, "JULY2026", 500, 0, PEFX_JUL_1, PEFX_AUG_1, 0, NULL);
    july->n_offerings = 2;
    july->offerings = q2o_catalog_alloc(f->c, 2, sizeof *july->offerings);
    Q2O_STRCPY(july->offerings[0], "SAAS-ENT-USER");
    Q2O_STRCPY(july->offerings[1], "SUPPORT-PREMIUM");
    pefx_tax(f, "", 825);
    pefx_seal(f);
    f->terms.term_months = 24;
    q2o_line *l = pefx_line(f, "L1", "SAAS-ENT-USER", 500);
    l->discount_bp = 1800;
    Q2O_STRCPY(l->promo_code, "JULY2026");
    l = pefx_line(f, "L2", "SUPPORT-PREMIUM", 500);
    l->discount_bp = 1800;
    Q2O_STRCPY(l->promo_code, "JULY2026");
    pefx_line(f, "L3", "IMPL-SERVICE", 1)->discount_bp = 1800;
    priced();

    cr_assert_eq(pefx_p(f, 0)->recurring_total, 1947500);
    cr_assert_eq(pefx_p(f, 0)->net_total, 46740000);
    cr_assert_eq(pefx_p(f, 0)->list_total, 60000000);
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_PROMOTION)->amount, 125000);
    cr_assert_eq(pefx_step(f, 0, Q2O_PS_MANUAL_DISCOUNT)->amount, 427500);
    cr_assert_eq(pefx_p(f, 1)->recurring_total, 389500);
    cr_assert_eq(pefx_p(f, 1)->net_total, 9348000);
    cr_assert_eq(pefx_p(f, 2)->one_time_total, 2050000);
    cr_assert_eq(pefx_p(f, 2)->net_total, 2050000);
    cr_assert_eq(pefx_p(f, 2)->promo_code[0], '\0');

    const q2o_price_output *o = &f->out;
    cr_assert_eq(o->merchandise, 74500000);
    cr_assert_eq(o->net_total, 58138000);
    cr_assert_eq(o->discount_total, 16362000);
    cr_assert_eq(o->recurring_total, 2337000);
    cr_assert_eq(o->one_time_total, 2050000);
    cr_assert_eq(o->cost_total, 18300000);
    cr_assert_eq(o->margin_bp, 6852);
    cr_assert_eq(o->freight, 0);
    cr_assert_eq(o->tax, 4796385);
    cr_assert_eq(o->grand_total, 62934385);
    cr_assert_eq(o->max_discount_bp, 1800);
    cr_assert_eq(o->promo_ends_at, PEFX_AUG_1);
    cr_assert_eq(o->price_valid_until, PEFX_JUL_15 + 30 * PEFX_DAY);

    /* The promotion ends before the customer signs: repricing on 1 August is refused. */
    f->date = PEFX_AUG_1;
    cr_assert_eq(pefx_run(f), Q2O_OK);
    cr_assert(pefx_has(f, Q2O_QUOTE_PROMOTION_EXPIRED, "L1"));
    cr_assert(pefx_has(f, Q2O_QUOTE_PROMOTION_EXPIRED, "L2"));
}
