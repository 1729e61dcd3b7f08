/*
 * The catalog's lookups (domain/catalog.h) on catalogs built in code:
 * which price book wins, contracted price windows, automatic promotions in
 * catalog order, rules grouped by offering, tax and region defaults, and
 * what sealing does with a catalog it refuses.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "domain/catalog.h"

#define JAN_1 1767225600000LL /* 2026-01-01T00:00:00Z */
#define JUL_1 1782864000000LL /* 2026-07-01T00:00:00Z */
#define DAY 86400000LL

static q2o_catalog *sealed(q2o_catalog *c)
{
    char detail[128];
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_OK, "%s", detail);
    return c;
}

static void offerings(q2o_catalog *c, uint32_t n)
{
    c->n_offerings = n;
    c->offerings = q2o_catalog_alloc(c, n, sizeof *c->offerings);
    for (uint32_t i = 0; i < n; i++)
        snprintf(c->offerings[i].id, sizeof c->offerings[i].id, "O%u", i);
}

static void book(q2o_catalog *c, uint32_t i, const char *id, int64_t version, const char *currency,
                 const char *market, const char *channel)
{
    q2o_cat_pricebook *pb = &c->pricebooks[i];
    Q2O_STRCPY(pb->id, id);
    pb->version = version;
    Q2O_STRCPY(pb->currency, currency);
    Q2O_STRCPY(pb->market, market);
    Q2O_STRCPY(pb->channel, channel);
}

Test(catalog_lookup, pricebook_exact_market_and_channel_beat_any_and_market_beats_channel)
{
    q2o_catalog *c = q2o_catalog_new();
    c->n_pricebooks = 6;
    c->pricebooks = q2o_catalog_alloc(c, 6, sizeof *c->pricebooks);
    book(c, 0, "ANY", 1, "USD", "", "");
    book(c, 1, "US", 1, "USD", "US", "");
    book(c, 2, "DIRECT", 1, "USD", "", "DIRECT");
    book(c, 3, "US-DIRECT", 1, "USD", "US", "DIRECT");
    book(c, 4, "US-DIRECT", 2, "USD", "US", "DIRECT");
    c->pricebooks[4].valid_from = JUL_1; /* v2 from July */
    book(c, 5, "EU", 1, "EUR", "EU", "");
    sealed(c);

    cr_assert_str_eq(q2o_catalog_pricebook(c, "USD", "US", "DIRECT", JAN_1)->id, "US-DIRECT");
    cr_assert_eq(q2o_catalog_pricebook(c, "USD", "US", "DIRECT", JAN_1)->version, 1, "v2 not valid yet");
    cr_assert_eq(q2o_catalog_pricebook(c, "USD", "US", "DIRECT", JUL_1)->version, 2, "highest version wins");
    cr_assert_str_eq(q2o_catalog_pricebook(c, "USD", "US", "WEB", JAN_1)->id, "US");
    cr_assert_str_eq(q2o_catalog_pricebook(c, "USD", "DE", "DIRECT", JAN_1)->id, "DIRECT");
    cr_assert_str_eq(q2o_catalog_pricebook(c, "USD", "DE", "WEB", JAN_1)->id, "ANY");
    cr_assert_null(q2o_catalog_pricebook(c, "EUR", "US", "DIRECT", JAN_1), "no EUR book for market US");
    cr_assert_null(q2o_catalog_pricebook(c, "JPY", "US", "DIRECT", JAN_1));
    q2o_catalog_free(c);
}

Test(catalog_lookup, price_of_an_offering_is_per_book)
{
    q2o_catalog *c = q2o_catalog_new();
    offerings(c, 2);
    c->n_pricebooks = 3;
    c->pricebooks = q2o_catalog_alloc(c, 3, sizeof *c->pricebooks);
    book(c, 0, "EMPTY", 1, "USD", "XX", "");
    book(c, 1, "A", 1, "USD", "", "");
    book(c, 2, "B", 1, "EUR", "", "");
    for (uint32_t b = 1; b < 3; b++) {
        q2o_cat_pricebook *pb = &c->pricebooks[b];
        pb->n_prices = 2;
        pb->prices = q2o_catalog_alloc(c, 2, sizeof *pb->prices);
        for (uint32_t i = 0; i < 2; i++) {
            snprintf(pb->prices[i].offering_id, sizeof pb->prices[i].offering_id, "O%u", i);
            pb->prices[i].unit_price = 100 * b + i;
        }
    }
    sealed(c);
    cr_assert_null(q2o_pricebook_price(c, &c->pricebooks[0], "O0"), "an empty book prices nothing");
    cr_assert_eq(q2o_pricebook_price(c, &c->pricebooks[1], "O1")->unit_price, 101);
    cr_assert_eq(q2o_pricebook_price(c, &c->pricebooks[2], "O0")->unit_price, 200);
    cr_assert_null(q2o_pricebook_price(c, &c->pricebooks[2], "O9"));
    q2o_catalog_free(c);
}

Test(catalog_lookup, contract_price_follows_its_window_and_currency)
{
    q2o_catalog *c = q2o_catalog_new();
    c->n_contract_prices = 3;
    c->contract_prices = q2o_catalog_alloc(c, 3, sizeof *c->contract_prices);
    const struct { const char *acct, *cur; int64_t price; q2o_time_ms from, until; } rows[] = {
        {"ACC-1", "USD", 4000, JAN_1, JUL_1},
        {"ACC-1", "USD", 3800, JUL_1, 0},
        {"ACC-2", "USD", 3000, 0, 0},
    };
    for (uint32_t i = 0; i < 3; i++) {
        q2o_cat_contract_price *p = &c->contract_prices[i];
        Q2O_STRCPY(p->account_id, rows[i].acct);
        Q2O_STRCPY(p->offering_id, "SKU");
        Q2O_STRCPY(p->currency, rows[i].cur);
        p->unit_price = rows[i].price;
        p->valid_from = rows[i].from;
        p->valid_until = rows[i].until;
    }
    sealed(c);
    cr_assert_null(q2o_catalog_contract_price(c, "ACC-1", "SKU", "USD", JAN_1 - 1), "before the contract");
    cr_assert_eq(q2o_catalog_contract_price(c, "ACC-1", "SKU", "USD", JAN_1)->unit_price, 4000);
    cr_assert_eq(q2o_catalog_contract_price(c, "ACC-1", "SKU", "USD", JUL_1 - 1)->unit_price, 4000);
    cr_assert_eq(q2o_catalog_contract_price(c, "ACC-1", "SKU", "USD", JUL_1)->unit_price, 3800, "until is exclusive");
    cr_assert_eq(q2o_catalog_contract_price(c, "ACC-1", "SKU", "USD", JUL_1 + 900 * DAY)->unit_price, 3800);
    cr_assert_null(q2o_catalog_contract_price(c, "ACC-1", "SKU", "EUR", JUL_1));
    cr_assert_null(q2o_catalog_contract_price(c, "ACC-1", "OTHER", "USD", JUL_1));
    cr_assert_eq(q2o_catalog_contract_price(c, "ACC-2", "SKU", "USD", 1)->unit_price, 3000);
    cr_assert_null(q2o_catalog_contract_price(c, "ACC-3", "SKU", "USD", JUL_1));
    q2o_catalog_free(c);
}

/* Promotions 0..n-1: `automatic` and `covers` ("" = every offering, else
 * one offering id) per promotion. */
static void promotions(q2o_catalog *c, uint32_t n, const int *automatic, const char *const *covers)
{
    c->n_promotions = n;
    c->promotions = q2o_catalog_alloc(c, n, sizeof *c->promotions);
    for (uint32_t i = 0; i < n; i++) {
        q2o_cat_promotion *p = &c->promotions[i];
        snprintf(p->code, sizeof p->code, "P%u", i);
        p->automatic = automatic[i];
        p->discount_bp = 100;
        if (covers[i][0]) {
            p->n_offerings = 1;
            p->offerings = q2o_catalog_alloc(c, 1, sizeof *p->offerings);
            Q2O_STRCPY(p->offerings[0], covers[i]);
        }
    }
}

Test(catalog_lookup, automatic_promotions_come_in_catalog_order)
{
    q2o_catalog *c = q2o_catalog_new();
    const int automatic[] = {1, 0, 1, 1, 1, 1};
    const char *const covers[] = {"", "X", "X", "", "Y", "X"};
    promotions(c, 6, automatic, covers);
    sealed(c);
    const q2o_cat_promotion *out[8];
    cr_assert_eq(q2o_catalog_auto_promotions(c, "X", out, 8), 4);
    cr_assert_str_eq(out[0]->code, "P0");
    cr_assert_str_eq(out[1]->code, "P2");
    cr_assert_str_eq(out[2]->code, "P3");
    cr_assert_str_eq(out[3]->code, "P5");
    cr_assert_eq(q2o_catalog_auto_promotions(c, "Y", out, 8), 3);
    cr_assert_str_eq(out[2]->code, "P4");
    cr_assert_eq(q2o_catalog_auto_promotions(c, "Z", out, 8), 2, "only the catalog-wide ones");
    cr_assert_eq(q2o_catalog_auto_promotions(c, "X", out, 1), 4, "counts beyond max");
    cr_assert_str_eq(out[0]->code, "P0");
    cr_assert_not_null(q2o_catalog_promotion(c, "P1"), "a code-only promotion is still found by code");
    cr_assert(q2o_promotion_covers(&c->promotions[0], "anything"));
    cr_assert_not(q2o_promotion_covers(&c->promotions[4], "X"));
    q2o_catalog_free(c);
}

/* Regression: the lookup used a 32-entry scratch array and silently dropped
 * (and did not count) the automatic promotions beyond it. */
Test(catalog_lookup, automatic_promotions_are_all_counted_beyond_32)
{
    q2o_catalog *c = q2o_catalog_new();
    int automatic[40];
    const char *covers[40];
    for (int i = 0; i < 40; i++) {
        automatic[i] = 1;
        covers[i] = i % 2 ? "X" : "";
    }
    promotions(c, 40, automatic, covers);
    sealed(c);
    const q2o_cat_promotion *out[64];
    cr_assert_eq(q2o_catalog_auto_promotions(c, "X", out, 64), 40);
    for (uint32_t i = 0; i < 40; i++)
        cr_assert_eq(out[i], &c->promotions[i], "catalog order at %u", i);
    cr_assert_eq(q2o_catalog_auto_promotions(c, "Y", out, 64), 20);
    q2o_catalog_free(c);
}

Test(catalog_lookup, rules_are_grouped_by_their_when_offering_in_catalog_order)
{
    q2o_catalog *c = q2o_catalog_new();
    const char *when[] = {"A", "B", "A", "C", "A"};
    c->n_rules = 5;
    c->rules = q2o_catalog_alloc(c, 5, sizeof *c->rules);
    for (uint32_t i = 0; i < 5; i++) {
        snprintf(c->rules[i].id, sizeof c->rules[i].id, "R%u", i);
        Q2O_STRCPY(c->rules[i].when.offering_id, when[i]);
    }
    sealed(c);
    uint32_t n = 99;
    const q2o_cat_rule *const *r = q2o_catalog_rules_when(c, "A", &n);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(r[0]->id, "R0");
    cr_assert_str_eq(r[1]->id, "R2");
    cr_assert_str_eq(r[2]->id, "R4");
    r = q2o_catalog_rules_when(c, "B", &n);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(r[0]->id, "R1");
    cr_assert_null(q2o_catalog_rules_when(c, "D", &n));
    cr_assert_eq(n, 0);
    q2o_catalog_free(c);
}

Test(catalog_lookup, tax_falls_back_to_the_default_rate_and_region_adjustment_to_zero)
{
    q2o_catalog *c = q2o_catalog_new();
    c->n_tax_rates = 2;
    c->tax_rates = q2o_catalog_alloc(c, 2, sizeof *c->tax_rates);
    Q2O_STRCPY(c->tax_rates[0].region, "US-CA");
    c->tax_rates[0].rate_bp = 725;
    c->tax_rates[1].rate_bp = 500; /* region "" = the default */
    c->n_region_adjustments = 1;
    c->region_adjustments = q2o_catalog_alloc(c, 1, sizeof *c->region_adjustments);
    Q2O_STRCPY(c->region_adjustments[0].region, "LATAM");
    c->region_adjustments[0].adjustment_bp = -500;
    sealed(c);
    cr_assert_eq(q2o_catalog_tax_bp(c, "US-CA"), 725);
    cr_assert_eq(q2o_catalog_tax_bp(c, "US-NV"), 500);
    cr_assert_eq(q2o_catalog_tax_bp(c, ""), 500);
    cr_assert_eq(q2o_catalog_tax_bp(c, NULL), 500);
    cr_assert_eq(q2o_catalog_region_adjustment_bp(c, "LATAM"), -500);
    cr_assert_eq(q2o_catalog_region_adjustment_bp(c, "EU"), 0);
    cr_assert_eq(q2o_catalog_stock(c, "ANY"), -1, "stock not tracked");
    q2o_catalog_free(c);

    c = sealed(q2o_catalog_new());
    cr_assert_eq(q2o_catalog_tax_bp(c, "US-CA"), 0, "no rate at all");
    cr_assert_null(q2o_catalog_freight_rule(c, "US", "", "USD"));
    q2o_catalog_free(c);
}

Test(catalog_lookup, freight_rule_exact_selectors_beat_any)
{
    q2o_catalog *c = q2o_catalog_new();
    c->n_freight_rules = 3;
    c->freight_rules = q2o_catalog_alloc(c, 3, sizeof *c->freight_rules);
    const char *ids[] = {"ANY", "US", "US-WEB"}, *markets[] = {"", "US", "US"}, *channels[] = {"", "", "WEB"};
    for (uint32_t i = 0; i < 3; i++) {
        Q2O_STRCPY(c->freight_rules[i].id, ids[i]);
        Q2O_STRCPY(c->freight_rules[i].market, markets[i]);
        Q2O_STRCPY(c->freight_rules[i].channel, channels[i]);
        Q2O_STRCPY(c->freight_rules[i].currency, "USD");
    }
    sealed(c);
    cr_assert_str_eq(q2o_catalog_freight_rule(c, "US", "WEB", "USD")->id, "US-WEB");
    cr_assert_str_eq(q2o_catalog_freight_rule(c, "US", "STORE", "USD")->id, "US");
    cr_assert_str_eq(q2o_catalog_freight_rule(c, "CA", "WEB", "USD")->id, "ANY");
    cr_assert_null(q2o_catalog_freight_rule(c, "US", "WEB", "CAD"));
    q2o_catalog_free(c);
}

/* Regression: a refused seal left the catalog marked sealed with half-built
 * indexes, so a second seal answered Q2O_OK and lookups ran on them. */
Test(catalog_lookup, a_refused_seal_stays_refused_until_fixed)
{
    q2o_catalog *c = q2o_catalog_new();
    offerings(c, 3);
    Q2O_STRCPY(c->offerings[2].id, "O0");
    char detail[128];
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID);
    cr_assert_str_eq(detail, "duplicate offering id 'O0'");
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID, "sealing again");
    Q2O_STRCPY(c->offerings[2].id, "O2"); /* fixed: now it seals */
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_OK);
    cr_assert_not_null(q2o_catalog_offering(c, "O2"));
    q2o_catalog_free(c);
}

typedef struct seen {
    uint32_t n;
    char path[4][96];
} seen;

static void collect(void *ctx, const char *path, q2o_err code, const char *message)
{
    seen *s = ctx;
    (void)code;
    (void)message;
    if (s->n < 4)
        Q2O_STRCPY(s->path[s->n], path);
    s->n++;
}

/* q2o_catalog_check works on catalogs built in code too, with the same
 * locations the loader would give. */
Test(catalog_check, a_catalog_built_in_code_gets_the_same_located_checks)
{
    q2o_catalog *c = q2o_catalog_new();
    offerings(c, 2);
    q2o_cat_offering *b = &c->offerings[0];
    b->min_quantity = c->offerings[1].min_quantity = 1;
    b->n_groups = 1;
    b->groups = q2o_catalog_alloc(c, 1, sizeof *b->groups);
    Q2O_STRCPY(b->groups[0].id, "g");
    b->groups[0].n_options = 2;
    b->groups[0].options = q2o_catalog_alloc(c, 2, sizeof *b->groups[0].options);
    Q2O_STRCPY(b->groups[0].options[0], "O1");
    Q2O_STRCPY(b->groups[0].options[1], "MISSING");
    sealed(c);
    seen s = {0};
    cr_assert_eq(q2o_catalog_check(c, collect, &s), 1);
    cr_assert_str_eq(s.path[0], "$.offerings[0].option_groups[0].options[1]");
    cr_assert_eq(q2o_catalog_check(c, NULL, NULL), 1, "counts without a reporter");
    q2o_catalog_free(c);
}
