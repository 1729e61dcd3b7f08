/*
 * q2o-bench-proposal — how fast common/document renders: a quote of --lines
 * lines (default 50) priced through the domain (decide + evolve, the sample
 * customer, a catalog of one offering per line), then --runs runs (default
 * 5) of --n renders each (default 200) of the proposal PDF and of the
 * confirmation e-mail. Prints the median rate of the runs, the bytes of one
 * document and the PDF's pages. Figures only: no assertion on time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "document/confirmation.h"
#include "document/proposal.h"
#include "domain/catalog_pricing.h"
#include "domain/sample.h"

#define T0 1782986400000LL /* 2026-07-02T10:00:00Z */
#define MAX_LINES 1000
#define MAX_RUNS 15

static const q2o_actor rep = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};

typedef struct bench {
    q2o_catalog *catalog;
    char ids[MAX_LINES][16], names[MAX_LINES][48];
    q2o_approval_policy policy;
    q2o_quote_env env;
    q2o_quote *q;
    int seq;
} bench;

/* Decide and apply one command; the bench's quote must build. */
static void send(bench *b, q2o_command *c)
{
    static q2o_decision d;
    q2o_err e = q2o_quote_decide(&b->env, b->q, c, T0, &d);
    if (e != Q2O_OK) {
        fprintf(stderr, "%s refused: %s (%s)\n", q2o_command_type_name(c->type), q2o_err_name(e), d.detail);
        exit(1);
    }
    for (uint32_t i = 0; i < d.n_events; i++)
        Q2O_CHECK(q2o_quote_evolve(b->q, &d.events[i]) == Q2O_OK);
    q2o_decision_release(&d);
}

static q2o_command command(bench *b, q2o_command_type type)
{
    q2o_command c;
    char id[32];
    snprintf(id, sizeof id, "bench-%d", ++b->seq);
    q2o_command_init(&c, type, "Q-BENCH", id, &rep);
    return c;
}

static void add_line(bench *b, unsigned i)
{
    q2o_command c = command(b, Q2O_CMD_ADD_LINE);
    snprintf(c.u.line.line_id, sizeof c.u.line.line_id, "L%u", i + 1);
    Q2O_STRCPY(c.u.line.offering_id, b->ids[i]);
    Q2O_STRCPY(c.u.line.uom, "EA");
    c.u.line.quantity = 1 + i % 40;
    c.u.line.discount_bp = (int32_t)(i % 4) * 250;
    c.u.line.override_unit_price = -1;
    c.u.line.n_options = 2;
    Q2O_STRCPY(c.u.line.options[0].name, "finish");
    Q2O_STRCPY(c.u.line.options[0].value, i % 2 ? "oak" : "walnut");
    Q2O_STRCPY(c.u.line.options[1].name, "size_cm");
    snprintf(c.u.line.options[1].value, sizeof c.u.line.options[1].value, "%u", 100 + i);
    send(b, &c);
}

/* One offering per line (every third recurring) with a finish and a size,
 * one USD price book, a flat freight of 15.00 and 8 % tax. */
static q2o_catalog *bench_catalog(bench *b, unsigned n)
{
    q2o_catalog *c = q2o_catalog_new();
    char detail[128];
    Q2O_STRCPY(c->id, "bench");
    c->n_offerings = n;
    c->offerings = q2o_catalog_alloc(c, n, sizeof *c->offerings);
    c->n_pricebooks = 1;
    c->pricebooks = q2o_catalog_alloc(c, 1, sizeof *c->pricebooks);
    q2o_cat_pricebook *pb = &c->pricebooks[0];
    Q2O_STRCPY(pb->id, "PB-USD");
    Q2O_STRCPY(pb->currency, "USD");
    pb->version = 1;
    pb->n_prices = n;
    pb->prices = q2o_catalog_alloc(c, n, sizeof *pb->prices);
    for (unsigned i = 0; i < n; i++) {
        q2o_cat_offering *o = &c->offerings[i];
        snprintf(b->ids[i], sizeof b->ids[i], "W-%03u", i + 1);
        snprintf(b->names[i], sizeof b->names[i], "Widget model %03u, solid wood", i + 1);
        Q2O_STRCPY(o->id, b->ids[i]);
        Q2O_STRCPY(o->name, b->names[i]);
        o->charge = i % 3 == 2 ? Q2O_CHARGE_RECURRING : Q2O_CHARGE_ONE_TIME;
        o->sellable_alone = 1;
        o->unit_cost = 400;
        o->min_quantity = 1;
        o->n_attributes = 2;
        o->attributes = q2o_catalog_alloc(c, 2, sizeof *o->attributes);
        Q2O_STRCPY(o->attributes[0].name, "finish");
        o->attributes[0].n_values = 2;
        o->attributes[0].values = q2o_catalog_alloc(c, 2, sizeof *o->attributes[0].values);
        Q2O_STRCPY(o->attributes[0].values[0], "oak");
        Q2O_STRCPY(o->attributes[0].values[1], "walnut");
        Q2O_STRCPY(o->attributes[1].name, "size_cm");
        o->attributes[1].kind = Q2O_ATTR_RANGE;
        o->attributes[1].min = 1;
        o->attributes[1].max = 10000;
        Q2O_STRCPY(pb->prices[i].offering_id, o->id);
        pb->prices[i].unit_price = 1000 + 137 * (int64_t)i;
    }
    c->n_freight_rules = 1;
    c->freight_rules = q2o_catalog_alloc(c, 1, sizeof *c->freight_rules);
    Q2O_STRCPY(c->freight_rules[0].currency, "USD");
    c->freight_rules[0].amount = 1500;
    c->n_tax_rates = 1;
    c->tax_rates = q2o_catalog_alloc(c, 1, sizeof *c->tax_rates);
    c->tax_rates[0].rate_bp = 800;
    Q2O_CHECK(q2o_catalog_seal(c, detail, sizeof detail) == Q2O_OK);
    return c;
}

static void build(bench *b, unsigned n)
{
    b->catalog = bench_catalog(b, n);
    q2o_approval_policy_default(&b->policy);
    b->env.pricer = q2o_catalog_pricer(b->catalog);
    b->env.approval = &b->policy;
    b->q = q2o_quote_new();
    q2o_command c = command(b, Q2O_CMD_CREATE_QUOTE);
    q2o_sample_acme_quote(&c.u.create, &c.terms, "NET30", T0);
    send(b, &c);
    for (unsigned i = 0; i < n; i++)
        add_line(b, i);
    c = command(b, Q2O_CMD_PRICE_QUOTE);
    send(b, &c);
}

static const q2o_branding brand = {"Northwind Software GmbH", "Hauptstrasse 1, 10115 Berlin, Germany",
                                   {0x1F, 0x4E, 0x79}, "Northwind Software GmbH - Registered in Berlin HRB 12345"};

static int every_tenth_sold_out(void *ctx, const q2o_line *l)
{
    (void)ctx;
    return l->line_number % 10 == 0;
}

/* Render one document of `kind` (0 = PDF, 1 = e-mail); exits on error. */
static q2o_document render(const q2o_quote *q, int kind)
{
    q2o_document doc;
    q2o_confirmation_opts o = {"quotes@northwind.example", T0, 1, every_tenth_sold_out, NULL};
    q2o_err e = kind == 0 ? q2o_proposal_render(q, 1, &brand, "proposal-v1", &doc)
                          : q2o_confirmation_render(q, 1, &brand, &o, &doc);
    if (e != Q2O_OK) {
        fprintf(stderr, "render failed: %s\n", q2o_err_name(e));
        exit(1);
    }
    return doc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median over the runs of renders per second. */
static double rate(const q2o_quote *q, int kind, long n, int runs)
{
    double r[MAX_RUNS];
    for (int k = 0; k < runs; k++) {
        uint64_t t0 = q2o_time_mono_ns();
        for (long i = 0; i < n; i++) {
            q2o_document doc = render(q, kind);
            q2o_document_release(&doc);
        }
        r[k] = (double)n * 1e9 / (double)(q2o_time_mono_ns() - t0);
    }
    qsort(r, (size_t)runs, sizeof r[0], cmp_double);
    return r[runs / 2];
}

static long arg(int argc, char **argv, const char *name, long def, long lo, long hi)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0) {
            long v = strtol(argv[i + 1], NULL, 10);
            if (v < lo || v > hi) {
                fprintf(stderr, "%s must be in %ld..%ld\n", name, lo, hi);
                exit(2);
            }
            return v;
        }
    return def;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: q2o-bench-proposal [--lines 50] [--n 200] [--runs 5]");
        return 0;
    }
    long lines = arg(argc, argv, "--lines", 50, 1, MAX_LINES), n = arg(argc, argv, "--n", 200, 1, 1000000);
    int runs = (int)arg(argc, argv, "--runs", 5, 1, MAX_RUNS);
    static bench b;
    build(&b, (unsigned)lines);
    q2o_document pdf = render(b.q, 0), eml = render(b.q, 1);
    char hex[Q2O_SHA256_HEX_LEN];
    printf("quote: %ld lines; %d runs of %ld renders, median\n", lines, runs, n);
    printf("proposal PDF:       %8.1f proposals/s  %7zu bytes  %u pages  sha256 %.16s...\n", rate(b.q, 0, n, runs),
           pdf.len, pdf.pages, q2o_hex(pdf.sha256, Q2O_SHA256_LEN, hex));
    printf("confirmation .eml:  %8.1f e-mails/s    %7zu bytes\n", rate(b.q, 1, n, runs), eml.len);
    q2o_document_release(&pdf);
    q2o_document_release(&eml);
    q2o_quote_free(b.q);
    q2o_catalog_free(b.catalog);
    return 0;
}
