/*
 * A small in-code catalog and quote for the catalog pricing engine tests
 * (domain_pricing_engine_*_test.c). One price book in one currency (market
 * and channel "any"), fixed capacities; tests add what they need, seal, add
 * lines and call pefx_run, which prices twice and checks on every priced
 * output the invariants the engine promises:
 *   - quote totals = sums of the line totals (list, discount, net, one-time,
 *     recurring, cost); grand = net + freight + tax;
 *   - per line: discount = list - net; one-time/recurring split of net;
 *   - the trace: LIST first, stages ascending, each step's after = previous
 *     after - amount, the last after = the net per period, list_total =
 *     LIST's after x months; REMOVE lines have no steps and zero amounts;
 *   - replay: the second run is byte-identical (lines, traces, names, totals).
 */
#ifndef Q2O_TEST_PRICING_ENGINE_FIXTURE_H
#define Q2O_TEST_PRICING_ENGINE_FIXTURE_H

#include <stdint.h>

#include "domain/catalog.h"
#include "domain/catalog_pricing.h"

#define PEFX_CAP 32
#define PEFX_LINES 16

/* 2026-07-15T00:00:00Z, inside the July promotion of the practice case. */
#define PEFX_JUL_15 1784073600000LL
#define PEFX_JUL_1 1782864000000LL
#define PEFX_AUG_1 1785542400000LL
#define PEFX_DAY 86400000LL

typedef struct pefx {
    q2o_catalog *c;
    q2o_cat_pricebook *book;
    q2o_quote_header h;
    q2o_terms terms;
    q2o_time_ms date;
    uint32_t n;
    q2o_line lines[PEFX_LINES];
    q2o_line_price prices[PEFX_LINES];
    char names[PEFX_LINES][Q2O_NAME_MAX];
    q2o_line_trace traces[PEFX_LINES];
    q2o_price_output out;
} pefx;

/* A catalog (id "test-cat", version 7) with one book "PB-<currency>"
 * version 3; header currency, market "US", channel "DIRECT", account
 * "ACME"; date PEFX_JUL_15; revision term 12 months. */
pefx *pefx_new(const char *currency);
void pefx_free(pefx *f);

q2o_cat_offering *pefx_offering(pefx *f, const char *id, q2o_charge_type charge, int64_t unit_price,
                                int64_t unit_cost);
/* The price book entry of an offering (added by pefx_offering). */
q2o_cat_price *pefx_price(pefx *f, const char *id);
void pefx_blocks(pefx *f, const char *id, int64_t unit_price, const q2o_cat_block *blocks, uint32_t n);
q2o_cat_schedule *pefx_schedule(pefx *f, const char *id, q2o_schedule_kind kind, q2o_tier_mode mode,
                                const q2o_cat_tier *tiers, uint32_t n);
/* offering NULL = every offering. */
q2o_cat_promotion *pefx_promo(pefx *f, const char *code, int32_t bp, int64_t amount_off_unit, q2o_time_ms from,
                              q2o_time_ms until, int automatic, const char *offering);
void pefx_customer(pefx *f, const char *account, const char *tier, const char *region);
void pefx_tier(pefx *f, const char *tier, int32_t bp);
void pefx_region(pefx *f, const char *region, int32_t bp);
void pefx_contract(pefx *f, const char *contract_id, const char *account, const char *offering, int64_t unit);
void pefx_tax(pefx *f, const char *region, int32_t bp);
void pefx_freight(pefx *f, q2o_freight_kind kind, int64_t amount, int32_t bp, int64_t free_above);
void pefx_seal(pefx *f);

/* A line: action ADD, no discount, no override, no promotion. */
q2o_line *pefx_line(pefx *f, const char *id, const char *offering, int64_t qty);

/* Price (twice) and check the invariants; returns the engine's result. */
q2o_err pefx_run(pefx *f);
/* The line price / trace of line i. */
const q2o_line_price *pefx_p(const pefx *f, uint32_t i);
const q2o_line_trace *pefx_t(const pefx *f, uint32_t i);
/* The step of `stage` on line i, or NULL. */
const q2o_price_step *pefx_step(const pefx *f, uint32_t i, q2o_price_stage stage);
/* 1 when out has a violation with this code (and line id, "" = header). */
int pefx_has(const pefx *f, q2o_err code, const char *line_id);

#endif
