/*
 * catalog_bench — how loading and per-line lookups scale with catalog size.
 *
 * For 10,000 and 100,000 offerings it writes a generated catalog document
 * (every offering priced in two books, one bundle in 50 with an option
 * group, a rule in 20, volume/term schedules, promotions) to a temporary
 * file, loads it three times (median load time and MB/s), then times the
 * lookups one quote line needs — offering, price book, price, volume
 * schedule, automatic promotions, rules — over 1,000,000 random offerings,
 * five runs, median ns per line. The aim (SPEC: per-line cost flat as the
 * catalog grows) is a 100k/10k ratio within 2x. Prints figures only; no
 * timed assertion (machines differ).
 *
 * Usage: q2o-bench-catalog [lookups]   (default 1000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec/catalog_json.h"
#include "core/timeutil.h"

#define RUNS_LOAD 3
#define RUNS_LOOKUP 5

/* ---------------------------------------------------------------- generation */

static void gen_offering(FILE *f, uint32_t i, uint32_t n)
{
    int bundle = i % 50 == 0 && i + 2 < n;
    fprintf(f, "%s{\"id\": \"OFF-%07u\", \"name\": \"Generated offering %u\", \"charge\": \"%s\", "
               "\"unit_cost\": %u, \"volume_schedule\": \"VOL-%u\", \"term_schedule\": \"TERM\"",
            i ? ",\n" : "", i, i, i % 3 ? "one_time" : "recurring", 100 + i % 900, i % 4);
    if (i % 7 == 0)
        fprintf(f, ", \"attributes\": [{\"name\": \"size\", \"kind\": \"enum\", \"values\": [\"S\", \"M\", \"L\"]}]");
    if (bundle)
        fprintf(f, ", \"option_groups\": [{\"id\": \"g\", \"min_select\": 1, \"options\": "
                   "[\"OFF-%07u\", \"OFF-%07u\"]}]",
                i + 1, i + 2);
    fputc('}', f);
}

static void gen_book(FILE *f, const char *id, const char *currency, uint32_t n, int first)
{
    fprintf(f, "%s{\"id\": \"%s\", \"version\": 1, \"currency\": \"%s\", \"prices\": [\n", first ? "" : ",\n", id,
            currency);
    for (uint32_t i = 0; i < n; i++) {
        fprintf(f, "%s{\"offering_id\": \"OFF-%07u\", \"unit_price\": %u", i ? ",\n" : "", i, 1000 + i % 9000);
        if (i % 25 == 0)
            fprintf(f, ", \"blocks\": [{\"up_to\": 10, \"price\": 9000}, {\"up_to\": 100, \"price\": 80000}]");
        fputc('}', f);
    }
    fputs("]}", f);
}

static void gen_rest(FILE *f, uint32_t n)
{
    fputs("],\n\"schedules\": [", f);
    for (int s = 0; s < 4; s++)
        fprintf(f, "{\"id\": \"VOL-%d\", \"kind\": \"volume\", \"mode\": \"%s\", \"tiers\": [{\"from\": 1, "
                   "\"discount_bp\": 0}, {\"from\": 100, \"discount_bp\": %d}, {\"from\": 1000, \"discount_bp\": %d}]},",
                s, s % 2 ? "slab" : "range", 100 + s * 50, 300 + s * 50);
    fputs("{\"id\": \"TERM\", \"kind\": \"term\", \"mode\": \"range\", \"tiers\": [{\"from\": 24, "
          "\"discount_bp\": 200}, {\"from\": 36, \"discount_bp\": 400}]}],\n\"promotions\": [", f);
    for (uint32_t p = 0; p < 200; p++)
        fprintf(f, "%s{\"code\": \"PROMO-%u\", \"discount_bp\": 500, \"starts_at\": \"2026-01-01\", "
                   "\"ends_at\": \"2027-01-01\", \"automatic\": %s, \"offerings\": [\"OFF-%07u\", \"OFF-%07u\"]}",
                p ? "," : "", p, p % 2 ? "true" : "false", (p * 7919u) % n, (p * 104729u) % n);
    fputs("],\n\"rules\": [", f);
    for (uint32_t i = 0, k = 0; i + 1 < n; i += 20, k++)
        fprintf(f, "%s{\"id\": \"R-%u\", \"kind\": \"%s\", \"scope\": \"quote\", \"when\": {\"offering_id\": "
                   "\"OFF-%07u\"}, \"then\": {\"offering_id\": \"OFF-%07u\"}}",
                k ? ",\n" : "", k, k % 2 ? "requires" : "recommends", i, i + 1);
    fputs("]}\n", f);
}

static int generate(const char *file, uint32_t n)
{
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"format\": \"q2o.catalog.v1\", \"id\": \"bench-%u\", \"version\": 1,\n\"offerings\": [\n", n);
    for (uint32_t i = 0; i < n; i++)
        gen_offering(f, i, n);
    fputs("],\n\"price_books\": [", f);
    gen_book(f, "PB-USD", "USD", n, 1);
    gen_book(f, "PB-EUR", "EUR", n, 0);
    gen_rest(f, n);
    return fclose(f);
}

/* ---------------------------------------------------------------- timing */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_u64);
    return v[n / 2];
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static q2o_catalog *load(const char *file, uint64_t *ns)
{
    q2o_catalog *c = NULL;
    q2o_catalog_json_errors e = {0};
    uint64_t t0 = q2o_time_mono_ns();
    q2o_err rc = q2o_catalog_json_load_file(file, &c, NULL, &e);
    *ns = q2o_time_mono_ns() - t0;
    if (rc != Q2O_OK)
        fprintf(stderr, "load failed: %u problems, first %s: %s\n", e.n, e.n ? e.items[0].path : "",
                e.n ? e.items[0].message : "");
    q2o_catalog_json_errors_release(&e);
    return c;
}

/* The lookups of one priced line; returns something to keep them alive. */
static uint64_t one_line(const q2o_catalog *c, const char *id, q2o_time_ms date)
{
    uint64_t sink = 0;
    const q2o_cat_offering *o = q2o_catalog_offering(c, id);
    const q2o_cat_pricebook *pb = q2o_catalog_pricebook(c, "USD", "US", "DIRECT", date);
    const q2o_cat_price *p = q2o_pricebook_price(c, pb, id);
    const q2o_cat_schedule *s = q2o_catalog_schedule(c, o->volume_schedule);
    const q2o_cat_promotion *promos[8];
    uint32_t n_rules;
    q2o_catalog_rules_when(c, id, &n_rules);
    sink += (uint64_t)p->unit_price + s->n_tiers + n_rules;
    sink += q2o_catalog_auto_promotions(c, id, promos, 8);
    sink += q2o_catalog_promotion(c, "PROMO-7") != NULL;
    return sink;
}

static double lookups(const q2o_catalog *c, uint32_t n_offerings, uint32_t count)
{
    uint64_t runs[RUNS_LOOKUP], sink = 0, seed = 88172645463325252ull;
    char (*ids)[16] = malloc((size_t)count * sizeof *ids);
    if (!ids)
        return -1;
    for (uint32_t i = 0; i < count; i++)
        snprintf(ids[i], sizeof ids[i], "OFF-%07u", (uint32_t)(rng(&seed) % n_offerings));
    for (int r = 0; r < RUNS_LOOKUP; r++) {
        uint64_t t0 = q2o_time_mono_ns();
        for (uint32_t i = 0; i < count; i++)
            sink += one_line(c, ids[i], 1780000000000LL);
        runs[r] = q2o_time_mono_ns() - t0;
    }
    free(ids);
    if (sink == 42)
        puts("");
    return (double)median(runs, RUNS_LOOKUP) / count;
}

static int bench(uint32_t n, uint32_t count, double *ns_per_line)
{
    char file[] = "/tmp/q2o-catalog-bench-XXXXXX";
    int fd = mkstemp(file);
    if (fd < 0 || close(fd) != 0 || generate(file, n) != 0) {
        perror("generate");
        return -1;
    }
    FILE *f = fopen(file, "rb");
    fseek(f, 0, SEEK_END);
    double mb = (double)ftell(f) / 1e6;
    fclose(f);
    uint64_t runs[RUNS_LOAD];
    q2o_catalog *c = NULL;
    for (int r = 0; r < RUNS_LOAD; r++) {
        q2o_catalog_free(c);
        if (!(c = load(file, &runs[r]))) {
            unlink(file);
            return -1;
        }
    }
    unlink(file);
    double ms = (double)median(runs, RUNS_LOAD) / 1e6;
    *ns_per_line = lookups(c, n, count);
    printf("%7u offerings  %6.1f MB  load %8.1f ms  %6.1f MB/s  lookups %6.1f ns/line\n", n, mb, ms,
           mb / (ms / 1e3), *ns_per_line);
    q2o_catalog_free(c);
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t count = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000u;
    double small, large;
    printf("catalog bench: load median of %d, lookups median of %d runs over %u random lines\n", RUNS_LOAD,
           RUNS_LOOKUP, count);
    if (bench(10000, count, &small) || bench(100000, count, &large))
        return 1;
    printf("per-line lookup cost 100k/10k = %.2fx (aim: within 2x)\n", large / small);
    return 0;
}
