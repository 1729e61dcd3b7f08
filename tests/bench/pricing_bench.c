/*
 * q2o-bench-pricing — the catalog pricing engine on one core, no Kafka.
 *
 * (1) A 1,000-line quote (100 bundles: a parent and 9 option lines each)
 *     over a 10,000-offering catalog, exercising every stage: block and unit
 *     prices, a regional uplift, contracted prices on every 7th offering, a
 *     GOLD tier, slab and range volume schedules, a term schedule on
 *     recurring lines, a coded promotion on some lines and automatic ones
 *     (one for everything, one per 10th offering) on the rest, manual
 *     discounts and a few overrides. Priced RUNS times (traces on); prints
 *     the median and p99 microseconds per quote.
 * (2) Per-line cost (catalog lookups + waterfall) as the catalog grows: the
 *     same kind of quote whose lines name offerings spread over a catalog of
 *     10,000 and of 100,000 offerings; median ns per line and the ratio.
 *
 * Prints figures only; nothing is asserted on time. Usage:
 *   q2o-bench-pricing [runs]      (default 2000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/strutil.h"
#include "domain/catalog.h"
#include "domain/catalog_pricing.h"

#define LINES 1000
#define BUNDLE 10
#define JUL_15 1784073600000LL

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33) % n;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void oid(char *buf, size_t size, uint32_t i)
{
    snprintf(buf, size, "OFF-%06u", i);
}

static q2o_cat_schedule *schedule(q2o_catalog *c, const char *id, q2o_schedule_kind k, q2o_tier_mode m,
                                  const q2o_cat_tier *tiers, uint32_t n)
{
    q2o_cat_schedule *s = &c->schedules[c->n_schedules++];
    q2o_strlcpy(s->id, id, sizeof s->id);
    s->version = 1;
    s->kind = k;
    s->mode = m;
    s->n_tiers = n;
    s->tiers = q2o_catalog_alloc(c, n, sizeof *tiers);
    memcpy(s->tiers, tiers, n * sizeof *tiers);
    return s;
}

static void offerings(q2o_catalog *c, q2o_cat_pricebook *pb, uint32_t n)
{
    static const q2o_cat_block blocks[] = {{10, 9000}, {100, 80000}, {1000, 700000}};
    c->offerings = q2o_catalog_alloc(c, n, sizeof *c->offerings);
    pb->prices = q2o_catalog_alloc(c, n, sizeof *pb->prices);
    c->contract_prices = q2o_catalog_alloc(c, n / 7 + 1, sizeof *c->contract_prices);
    q2o_cat_block *shared = q2o_catalog_alloc(c, 3, sizeof *shared); /* one copy, owned by the catalog */
    memcpy(shared, blocks, sizeof blocks);
    for (uint32_t i = 0; i < n; i++) {
        q2o_cat_offering *o = &c->offerings[c->n_offerings++];
        oid(o->id, sizeof o->id, i);
        snprintf(o->name, sizeof o->name, "Offering number %u", i);
        o->charge = i % 3 ? Q2O_CHARGE_RECURRING : Q2O_CHARGE_ONE_TIME;
        o->physical = o->charge == Q2O_CHARGE_ONE_TIME;
        o->unit_cost = 100 + i % 500;
        o->min_quantity = 1;
        o->sellable_alone = 1;
        q2o_strlcpy(o->volume_schedule, i % 2 ? "VOL-SLAB" : "VOL-RANGE", sizeof o->volume_schedule);
        if (o->charge == Q2O_CHARGE_RECURRING)
            q2o_strlcpy(o->term_schedule, "TERM", sizeof o->term_schedule);
        q2o_cat_price *p = &pb->prices[pb->n_prices++];
        q2o_strlcpy(p->offering_id, o->id, sizeof p->offering_id);
        p->unit_price = 1000 + (int64_t)(i % 997) * 13;
        if (i % 11 == 0) {
            p->n_blocks = 3;
            p->blocks = shared;
        }
        if (i % 7 == 0) {
            q2o_cat_contract_price *k = &c->contract_prices[c->n_contract_prices++];
            snprintf(k->contract_id, sizeof k->contract_id, "MSA-%u", i);
            q2o_strlcpy(k->account_id, "ACME", sizeof k->account_id);
            q2o_strlcpy(k->offering_id, o->id, sizeof k->offering_id);
            q2o_strlcpy(k->currency, "USD", sizeof k->currency);
            k->unit_price = p->unit_price - 100;
        }
    }
}

static void promotions(q2o_catalog *c, uint32_t n)
{
    uint32_t n_auto = n / 10;
    c->promotions = q2o_catalog_alloc(c, n_auto + 2, sizeof *c->promotions);
    q2o_cat_promotion *p = &c->promotions[c->n_promotions++];
    q2o_strlcpy(p->code, "JULY2026", sizeof p->code);
    p->discount_bp = 500;
    p = &c->promotions[c->n_promotions++];
    q2o_strlcpy(p->code, "EVERYTHING", sizeof p->code);
    p->discount_bp = 150;
    p->automatic = 1;
    for (uint32_t i = 0; i < n_auto; i++) {
        p = &c->promotions[c->n_promotions++];
        snprintf(p->code, sizeof p->code, "AUTO-%u", i);
        p->amount_off_unit = 25;
        p->automatic = 1;
        p->n_offerings = 1;
        p->offerings = q2o_catalog_alloc(c, 1, sizeof *p->offerings);
        oid(p->offerings[0], sizeof p->offerings[0], i * 10);
    }
}

static q2o_catalog *build_catalog(uint32_t n)
{
    static const q2o_cat_tier vol[] = {{1, 0}, {10, 300}, {50, 700}, {200, 1200}};
    static const q2o_cat_tier term[] = {{12, 200}, {24, 500}, {36, 800}};
    char detail[256];
    q2o_catalog *c = q2o_catalog_new();
    q2o_strlcpy(c->id, "bench", sizeof c->id);
    c->pricebooks = q2o_catalog_alloc(c, 1, sizeof *c->pricebooks);
    q2o_cat_pricebook *pb = &c->pricebooks[c->n_pricebooks++];
    q2o_strlcpy(pb->id, "PB-USD", sizeof pb->id);
    pb->version = 1;
    q2o_strlcpy(pb->currency, "USD", sizeof pb->currency);
    offerings(c, pb, n);
    c->schedules = q2o_catalog_alloc(c, 3, sizeof *c->schedules);
    schedule(c, "VOL-SLAB", Q2O_SCHED_VOLUME, Q2O_TIER_SLAB, vol, 4);
    schedule(c, "VOL-RANGE", Q2O_SCHED_VOLUME, Q2O_TIER_RANGE, vol, 4);
    schedule(c, "TERM", Q2O_SCHED_TERM, Q2O_TIER_RANGE, term, 3);
    promotions(c, n);
    c->customers = q2o_catalog_alloc(c, 1, sizeof *c->customers);
    q2o_cat_customer *cu = &c->customers[c->n_customers++];
    q2o_strlcpy(cu->account_id, "ACME", sizeof cu->account_id);
    q2o_strlcpy(cu->tier, "GOLD", sizeof cu->tier);
    q2o_strlcpy(cu->region, "EMEA", sizeof cu->region);
    c->tier_discounts = q2o_catalog_alloc(c, 1, sizeof *c->tier_discounts);
    q2o_strlcpy(c->tier_discounts[0].tier, "GOLD", sizeof c->tier_discounts[0].tier);
    c->tier_discounts[0].discount_bp = 250;
    c->n_tier_discounts = 1;
    c->region_adjustments = q2o_catalog_alloc(c, 1, sizeof *c->region_adjustments);
    q2o_strlcpy(c->region_adjustments[0].region, "EMEA", sizeof c->region_adjustments[0].region);
    c->region_adjustments[0].adjustment_bp = 400;
    c->n_region_adjustments = 1;
    c->tax_rates = q2o_catalog_alloc(c, 1, sizeof *c->tax_rates);
    c->tax_rates[0].rate_bp = 2000;
    c->n_tax_rates = 1;
    c->freight_rules = q2o_catalog_alloc(c, 1, sizeof *c->freight_rules);
    c->freight_rules[0].kind = Q2O_FREIGHT_PER_UNIT;
    c->freight_rules[0].amount = 150;
    q2o_strlcpy(c->freight_rules[0].currency, "USD", sizeof c->freight_rules[0].currency);
    c->n_freight_rules = 1;
    if (q2o_catalog_seal(c, detail, sizeof detail) != Q2O_OK) {
        fprintf(stderr, "seal: %s\n", detail);
        exit(1);
    }
    return c;
}

/* 100 bundles of 10 lines; offerings drawn from the whole catalog. */
static void build_lines(q2o_line *lines, uint32_t n_offerings)
{
    for (uint32_t i = 0; i < LINES; i++) {
        q2o_line *l = &lines[i];
        memset(l, 0, sizeof *l);
        snprintf(l->line_id, sizeof l->line_id, "L%04u", i);
        if (i % BUNDLE)
            snprintf(l->parent_line_id, sizeof l->parent_line_id, "L%04u", i - i % BUNDLE);
        l->line_number = (int32_t)i + 1;
        l->action = Q2O_LA_ADD;
        oid(l->offering_id, sizeof l->offering_id, rnd(n_offerings));
        l->quantity = 1 + rnd(400);
        l->override_unit_price = -1;
        l->discount_bp = (int32_t)rnd(3) * 500;
        if (i % 4 == 0)
            q2o_strlcpy(l->promo_code, "JULY2026", sizeof l->promo_code);
        if (i % 97 == 0) {
            l->override_unit_price = 500;
            q2o_strlcpy(l->override_reason, "COMPETITIVE", sizeof l->override_reason);
        }
    }
}

typedef struct bench_out {
    q2o_line_price prices[LINES];
    char names[LINES][Q2O_NAME_MAX];
    q2o_line_trace traces[LINES];
    q2o_price_output out;
} bench_out;

static double price_once(const q2o_catalog *c, const q2o_price_input *in, bench_out *b)
{
    memset(&b->out, 0, sizeof b->out);
    b->out.lines = b->prices;
    b->out.display_names = b->names;
    b->out.traces = b->traces;
    double t0 = now_us();
    q2o_err e = q2o_catalog_price(c, in, &b->out);
    double t1 = now_us();
    if (e != Q2O_OK || b->out.n_violations) {
        fprintf(stderr, "pricing failed: %s, %u findings (first %d %s)\n", q2o_err_name(e), b->out.n_violations,
                b->out.violations[0].code, b->out.violations[0].detail);
        exit(1);
    }
    return t1 - t0;
}

/* Median (and p99 into *p99) of `runs` timings of pricing the quote. */
static double measure(const q2o_catalog *c, const q2o_line *lines, bench_out *b, uint32_t runs, double *p99)
{
    q2o_quote_header h;
    q2o_terms terms;
    memset(&h, 0, sizeof h);
    memset(&terms, 0, sizeof terms);
    q2o_strlcpy(h.currency, "USD", sizeof h.currency);
    q2o_strlcpy(h.market, "DE", sizeof h.market);
    q2o_strlcpy(h.channel, "DIRECT", sizeof h.channel);
    q2o_strlcpy(h.account_id, "ACME", sizeof h.account_id);
    terms.term_months = 24;
    q2o_price_input in = {&h, &terms, lines, LINES, JUL_15};
    double *t = calloc(runs, sizeof *t);
    if (!t)
        exit(1);
    for (uint32_t i = 0; i < 20; i++) /* warm up */
        price_once(c, &in, b);
    for (uint32_t i = 0; i < runs; i++)
        t[i] = price_once(c, &in, b);
    qsort(t, runs, sizeof *t, cmp_double);
    double med = t[runs / 2];
    if (p99)
        *p99 = t[(uint32_t)((uint64_t)runs * 99 / 100)];
    free(t);
    return med;
}

int main(int argc, char **argv)
{
    uint32_t runs = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 2000;
    if (runs < 10)
        runs = 10;
    q2o_line *lines = calloc(LINES, sizeof *lines);
    bench_out *b = calloc(1, sizeof *b);
    if (!lines || !b)
        return 1;

    q2o_catalog *c10 = build_catalog(10000);
    build_lines(lines, 10000);
    double p99, med = measure(c10, lines, b, runs, &p99);
    printf("pricing: 1,000-line quote (100 bundles), 10,000-offering catalog, %u runs, traces on\n", runs);
    printf("  median %.1f us/quote   p99 %.1f us/quote   (grand total %lld, net %lld)\n", med, p99,
           (long long)b->out.grand_total, (long long)b->out.net_total);

    uint32_t stages[Q2O_PS__COUNT] = {0};
    for (uint32_t i = 0; i < LINES; i++)
        for (uint32_t k = 0; k < b->traces[i].n_steps; k++)
            stages[b->traces[i].steps[k].stage]++;
    printf("  lines per applied stage:");
    for (int k = 0; k < Q2O_PS__COUNT; k++)
        printf(" %s %u", q2o_price_stage_name((q2o_price_stage)k), stages[k]);
    printf("\n");

    uint32_t per = runs / 4 < 200 ? 200 : runs / 4;
    rng_state = 42;
    build_lines(lines, 10000);
    double small = measure(c10, lines, b, per, NULL) * 1000.0 / LINES;
    q2o_catalog *c100 = build_catalog(100000);
    rng_state = 42;
    build_lines(lines, 100000);
    double large = measure(c100, lines, b, per, NULL) * 1000.0 / LINES;
    printf("per line (lookups + waterfall), lines spread over the catalog, median of %u quotes:\n", per);
    printf("  10,000 offerings   %.0f ns/line\n", small);
    printf("  100,000 offerings  %.0f ns/line   ratio %.2f\n", large, large / small);

    q2o_catalog_free(c10);
    q2o_catalog_free(c100);
    free(lines);
    free(b);
    return 0;
}
