/*
 * q2o-eos-driver — produces N commands over Q quotes to <prefix>quote.commands
 * for the exactly-once system tests and the benchmark.
 *
 * Every quote gets a full valid lifecycle, so that orders happen:
 *   CreateQuote (the sample ACME header, valid 30 days, NET30),
 *   AddQuoteLine x2 (SAAS-ENT-USER, IMPL-SERVICE; no discount, no promotion),
 *   AddQuoteNote x k (to reach N in total),
 *   PriceQuote, SubmitQuoteForApproval (auto-approved),
 *   AttachQuoteDocument (SYSTEM; snapshot = the approval fingerprint),
 *   PresentQuote, AcceptQuote (the customer, e-signature, citing the document),
 *   ConvertQuoteToOrder, and the same conversion again with the same
 *   idempotency key under a new command id (a client retry).
 * The approval fingerprint is computed by running the same pure domain
 * locally (q2o_quote_decide/evolve with the catalog the worker prices with,
 * --catalog, and its approval policy); every command is checked to be accepted
 * locally before it is produced.
 *
 * Commands of one quote are produced in order with the quote id as key
 * (same partition, processed in order); quotes are interleaved: the driver
 * keeps a window of W quotes in flight and picks the next command from a
 * random one of them, so conversions (orders) happen all through the run.
 *
 * The producer is a plain idempotent producer (no transaction). The list
 * of commands (one line each: command id, quote id, type, send time in
 * microseconds since the epoch) goes to --out.
 *
 * --limit K produces only the first K commands of the plan: with the same
 * --tag and --seed the plan (ids and order) is the same, so this re-sends
 * commands a worker has seen (a redelivery test).
 *
 * --rate R paces the sends at R commands/s. --latency measures the
 * command-to-result latency: a consumer of <prefix>quote.results (its own
 * group, read_committed) runs in a thread, joined before the first send;
 * each result is matched by its ce_causationid header (the command id) and
 * its arrival time minus the command's send time (monotonic clock) is
 * recorded; p50/p90/p99/max are printed at the end.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/catalog_json.h"
#include "codec/quote_codec.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "domain/approval.h"
#include "domain/catalog_pricing.h"
#include "domain/quote.h"
#include "domain/sample.h"
#include "eos_common.h"

static const q2o_actor REP = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};
static const q2o_actor DOCS = {"document-worker", Q2O_ROLE_SYSTEM, 0, ""};
static const q2o_actor CUSTOMER = {Q2O_SAMPLE_CONTACT, Q2O_ROLE_CUSTOMER, 0, "ACME-INC"};
static const q2o_actor OPS = {"ops-1", Q2O_ROLE_OPERATIONS, 0, ""};

#define FIXED_STEPS 10 /* create, 2 lines, price, submit, attach, present, accept, convert, retry */

typedef struct planned {
    char id[Q2O_ID_MAX];
    char quote[Q2O_ID_MAX];
    int type;
    uint8_t *bytes;
    size_t len;
    uint64_t sent_ns;    /* monotonic */
    int64_t sent_us;     /* wall clock */
    uint64_t arrived_ns; /* monotonic; 0 = no result seen (latency mode) */
} planned;

typedef struct quote_run {
    int index;   /* quote number */
    int step;    /* next step */
    int steps;   /* total */
    int notes;
    q2o_quote *state;
    char id[Q2O_ID_MAX];
} quote_run;

typedef struct driver {
    const char *tag;
    q2o_quote_env env;
    q2o_catalog *catalog;
    q2o_codec *codec;
    planned *plan;
    size_t n, cap;
    int seq;
} driver;

/* ------------------------------------------------------------ the plan */

static q2o_command new_cmd(driver *d, quote_run *q, q2o_command_type t, const q2o_actor *a)
{
    q2o_command c;
    char id[Q2O_ID_MAX];
    snprintf(id, sizeof id, "c-%s-%d-%d", d->tag, q->index, q->step);
    q2o_command_init(&c, t, q->id, id, a);
    Q2O_STRCPY(c.correlation_id, q->id);
    Q2O_STRCPY(c.source, "EOS");
    return c;
}

static void line(q2o_command *c, const char *id, const char *offering, int64_t qty)
{
    q2o_line *l = &c->u.line;
    Q2O_STRCPY(l->line_id, id);
    Q2O_STRCPY(l->offering_id, offering);
    Q2O_STRCPY(l->uom, "EA");
    l->quantity = qty;
    l->override_unit_price = -1;
}

static q2o_command build(driver *d, quote_run *q, q2o_time_ms now)
{
    const q2o_revision *r = q->state->exists ? q2o_quote_current(q->state) : NULL;
    int s = q->step, after_notes = s - 3 - q->notes;
    q2o_command c;
    if (s == 0) {
        c = new_cmd(d, q, Q2O_CMD_CREATE_QUOTE, &REP);
        q2o_sample_acme_quote(&c.u.create, &c.terms, "NET30", now);
        c.terms.valid_until = now + 30 * Q2O_MS_PER_DAY;
        return c;
    }
    if (s == 1) {
        c = new_cmd(d, q, Q2O_CMD_ADD_LINE, &REP);
        line(&c, "L1", "SAAS-ENT-USER", 10 + q->index % 90);
        return c;
    }
    if (s == 2) {
        c = new_cmd(d, q, Q2O_CMD_ADD_LINE, &REP);
        line(&c, "L2", "IMPL-SERVICE", 1);
        return c;
    }
    if (after_notes < 0) {
        c = new_cmd(d, q, Q2O_CMD_ADD_NOTE, &REP);
        snprintf(c.u.note, sizeof c.u.note, "note %d of %s", s - 2, q->id);
        return c;
    }
    switch (after_notes) {
    case 0:
        return new_cmd(d, q, Q2O_CMD_PRICE_QUOTE, &REP);
    case 1:
        return new_cmd(d, q, Q2O_CMD_SUBMIT_FOR_APPROVAL, &REP);
    case 2: {
        c = new_cmd(d, q, Q2O_CMD_ATTACH_DOCUMENT, &DOCS);
        q2o_sha256 h;
        q2o_sha256_init(&h);
        q2o_sha256_update_str(&h, "proposal");
        q2o_sha256_update_str(&h, q->id);
        q2o_sha256_update(&h, r->approval_fp, Q2O_SHA256_LEN);
        q2o_sha256_final(&h, c.u.attach.document_hash);
        snprintf(c.u.attach.document_id, sizeof c.u.attach.document_id, "DOC-%.40s-R%d", q->id, r->number);
        Q2O_STRCPY(c.u.attach.template_version, "proposal-v1");
        memcpy(c.u.attach.snapshot_fp, r->approval_fp, Q2O_SHA256_LEN);
        return c;
    }
    case 3:
        c = new_cmd(d, q, Q2O_CMD_PRESENT_QUOTE, &REP);
        Q2O_STRCPY(c.u.present.document_id, r->document_id);
        memcpy(c.u.present.document_hash, r->document_hash, Q2O_SHA256_LEN);
        Q2O_STRCPY(c.u.present.recipient, CUSTOMER.id);
        return c;
    case 4:
        c = new_cmd(d, q, Q2O_CMD_ACCEPT_QUOTE, &CUSTOMER);
        c.u.accept.method = Q2O_AM_ESIGNATURE;
        Q2O_STRCPY(c.u.accept.acceptor_id, CUSTOMER.id);
        Q2O_STRCPY(c.u.accept.document_id, r->document_id);
        memcpy(c.u.accept.document_hash, r->presented_hash, Q2O_SHA256_LEN);
        Q2O_STRCPY(c.u.accept.signature_envelope_id, "ENV-EOS");
        Q2O_STRCPY(c.u.accept.source_address, "203.0.113.7");
        return c;
    default: /* 5: convert, 6: the retry with the same idempotency key */
        c = new_cmd(d, q, Q2O_CMD_CONVERT_TO_ORDER, &OPS);
        snprintf(c.u.convert.idempotency_key, sizeof c.u.convert.idempotency_key, "conv-%.50s", q->id);
        c.u.convert.expected_status = Q2O_ST_ACCEPTED;
        return c;
    }
}

/* Decide locally, evolve, encode, append to the plan. */
static void plan_step(driver *d, quote_run *q)
{
    q2o_time_ms now = q2o_time_now_ms();
    q2o_command c = build(d, q, now);
    q2o_decision *dec = eos_xcalloc(1, sizeof *dec);
    q2o_err e = q2o_quote_decide(&d->env, q->state, &c, now, dec);
    if (e != Q2O_OK)
        eos_die("local decide refused %s %s (%s): %s %s", q2o_command_type_name(c.type), c.command_id, q->id,
                q2o_err_name(e), dec->detail);
    for (uint32_t i = 0; i < dec->n_events; i++) {
        e = q2o_quote_evolve(q->state, &dec->events[i]);
        if (e != Q2O_OK)
            eos_die("local evolve refused event %u of %s: %s", i, c.command_id, q2o_err_name(e));
    }
    if (c.type == Q2O_CMD_SUBMIT_FOR_APPROVAL && q2o_quote_current(q->state)->status != Q2O_ST_APPROVED)
        eos_die("quote %s was not auto-approved (status %s)", q->id,
                q2o_status_name(q2o_quote_current(q->state)->status));
    q2o_decision_release(dec);
    free(dec);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->plan = eos_xrealloc(d->plan, d->cap, sizeof *d->plan);
    }
    planned *p = &d->plan[d->n++];
    memset(p, 0, sizeof *p);
    Q2O_STRCPY(p->id, c.command_id);
    Q2O_STRCPY(p->quote, q->id);
    p->type = (int)c.type;
    if ((e = q2o_codec_encode_command(d->codec, &c, &p->bytes, &p->len)) != Q2O_OK)
        eos_die("encode %s: %s", c.command_id, q2o_err_name(e));
    q->step++;
}

static void activate(driver *d, quote_run *q, int index, int notes)
{
    (void)d;
    memset(q, 0, sizeof *q);
    q->index = index;
    q->notes = notes;
    q->steps = FIXED_STEPS + notes;
    q->state = q2o_quote_new();
    snprintf(q->id, sizeof q->id, "Q-%s-%d", d->tag, index);
}

static void make_plan(driver *d, long long n, int quotes, int window, unsigned seed)
{
    long long per = n / quotes, extra = n % quotes;
    if (per < FIXED_STEPS)
        eos_die("%lld commands over %d quotes: a lifecycle needs at least %d per quote", n, quotes, FIXED_STEPS);
    if (window > quotes)
        window = quotes;
    quote_run *act = eos_xcalloc((size_t)window, sizeof *act);
    int next = 0, live = 0;
    for (; live < window; live++, next++)
        activate(d, &act[live], next, (int)(per - FIXED_STEPS + (next < extra)));
    srand(seed);
    while (live > 0) {
        int i = rand() % live;
        plan_step(d, &act[i]);
        if (act[i].step == act[i].steps) {
            q2o_quote_free(act[i].state);
            if (next < quotes) {
                activate(d, &act[i], next, (int)(per - FIXED_STEPS + (next < extra)));
                next++;
            } else {
                act[i] = act[--live];
            }
        }
    }
    free(act);
}

/* --------------------------------------------------------- latency */

typedef struct lat {
    q2o_bus_config cfg;
    char group[96];
    driver *d;
    eos_map *ids;
    atomic_int assigned;
    atomic_int stop;
    atomic_size_t seen;
    int err;
} lat;

static void lat_rebalance(void *ctx, int assigned, q2o_bus_partition *parts, size_t n)
{
    lat *l = ctx;
    (void)parts;
    if (assigned && n > 0)
        atomic_store(&l->assigned, 1);
}

static void *lat_thread(void *arg)
{
    lat *l = arg;
    char detail[512] = "", topic[Q2O_BUS_NAME_MAX], id[Q2O_ID_MAX + 16];
    q2o_bus_consumer *c = NULL;
    q2o_bus_topic(&l->cfg, Q2O_TOPIC_QUOTE_RESULTS, topic, sizeof topic);
    const char *topics[] = {topic};
    if (q2o_bus_consumer_new(&l->cfg, l->group, lat_rebalance, l, &c, detail, sizeof detail) != Q2O_OK ||
        q2o_bus_consumer_subscribe(c, topics, 1) != Q2O_OK) {
        fprintf(stderr, "latency consumer: %s\n", detail);
        l->err = 1;
        atomic_store(&l->assigned, 1);
        q2o_bus_consumer_free(c);
        return NULL;
    }
    while (!atomic_load(&l->stop)) {
        q2o_bus_msg *m = NULL;
        if (q2o_bus_consumer_poll(c, 100, &m) != Q2O_OK) {
            l->err = 1;
            break;
        }
        if (!m)
            continue;
        uint64_t now = eos_mono_ns();
        eos_header_str(m, Q2O_CE_CAUSATION_ID, id, sizeof id);
        int64_t *ix = eos_map_get(l->ids, id);
        if (ix && l->d->plan[*ix].arrived_ns == 0 && l->d->plan[*ix].sent_ns != 0) {
            l->d->plan[*ix].arrived_ns = now;
            atomic_fetch_add(&l->seen, 1);
        }
        q2o_bus_msg_free(m);
    }
    q2o_bus_consumer_free(c);
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------ main */

static void usage(void)
{
    puts("usage: q2o-eos-driver --commands N --quotes Q --out FILE [--bootstrap BS] [--prefix P]\n"
         "         [--tag T] [--window W] [--seed S] [--rate CMDS_PER_S] [--latency]\n"
         "         [--latency-timeout-ms MS] [--flush-timeout-ms MS] [--limit K] [--catalog FILE]\n"
         "Produces N commands (full quote lifecycles, see the source) to <prefix>quote.commands\n"
         "with an idempotent producer and writes 'command_id quote_id type sent_us' lines to FILE.\n"
         "The plan is decided locally with the catalog FILE (default: the SaaS sample), the one the\n"
         "quote worker must have been given (q2octl catalog load FILE).");
}

int main(int argc, char **argv)
{
    const char *bootstrap = NULL, *prefix = NULL, *out = NULL, *catalog = Q2O_EOS_CATALOG_DEFAULT;
    char tagbuf[32];
    long long n = 0, rate = 0, lat_timeout = 120000, flush_timeout = 300000, limit = 0;
    int quotes = 0, window = 24, latency = 0;
    unsigned seed = 1;
    driver d = {0};
    snprintf(tagbuf, sizeof tagbuf, "%llx", (long long)(q2o_time_now_ms() % 0xfffffffffLL));
    d.tag = tagbuf;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (strcmp(a, name) == 0 && (v || (eos_die("%s needs a value", name), 0)) && ++i)
        if (strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else if (strcmp(a, "--latency") == 0) {
            latency = 1;
        } else if (OPT("--bootstrap")) {
            bootstrap = v;
        } else if (OPT("--prefix")) {
            prefix = v;
        } else if (OPT("--out")) {
            out = v;
        } else if (OPT("--catalog")) {
            catalog = v;
        } else if (OPT("--tag")) {
            d.tag = v;
        } else if (OPT("--commands")) {
            n = eos_atoll(a, v);
        } else if (OPT("--quotes")) {
            quotes = (int)eos_atoll(a, v);
        } else if (OPT("--window")) {
            window = (int)eos_atoll(a, v);
        } else if (OPT("--seed")) {
            seed = (unsigned)eos_atoll(a, v);
        } else if (OPT("--limit")) {
            limit = eos_atoll(a, v);
        } else if (OPT("--rate")) {
            rate = eos_atoll(a, v);
        } else if (OPT("--latency-timeout-ms")) {
            lat_timeout = eos_atoll(a, v);
        } else if (OPT("--flush-timeout-ms")) {
            flush_timeout = eos_atoll(a, v);
        } else {
            eos_die("unknown argument '%s' (--help)", a);
        }
#undef OPT
    }
    if (n <= 0 || quotes <= 0 || !out || window <= 0)
        eos_die("--commands, --quotes and --out are required (--help)");
    if (strlen(d.tag) > 16)
        eos_die("--tag: at most 16 characters");

    q2o_catalog_json_errors cerr = {0};
    if (q2o_catalog_json_load_file(catalog, &d.catalog, NULL, &cerr) != Q2O_OK)
        eos_die("catalog %s does not load: %s", catalog, cerr.n ? cerr.items[0].message : "?");
    d.env.pricer = q2o_catalog_pricer(d.catalog);
    d.env.approval = &d.catalog->approval;
    d.env.catalog = d.catalog;
    if (q2o_codec_open_builtin(&d.codec) != Q2O_OK)
        eos_die("cannot open the codec");

    uint64_t t0 = eos_mono_ns();
    make_plan(&d, n, quotes, window, seed);
    fprintf(stderr, "driver: planned %zu commands over %d quotes in %.2f s (tag %s)\n", d.n, quotes,
            (double)(eos_mono_ns() - t0) / 1e9, d.tag);
    size_t planned_n = d.n;
    if (limit > 0 && (size_t)limit < d.n)
        d.n = (size_t)limit; /* the same plan (same tag and seed: same ids), only its first commands */

    q2o_bus_config cfg;
    char detail[512] = "", topic[Q2O_BUS_NAME_MAX];
    eos_bus_config(&cfg, bootstrap, prefix, 0);
    q2o_bus_topic(&cfg, Q2O_TOPIC_QUOTE_COMMANDS, topic, sizeof topic);

    eos_map ids;
    eos_map_init(&ids, d.n);
    lat l = {0};
    pthread_t th;
    if (latency) {
        for (size_t i = 0; i < d.n; i++)
            eos_map_put(&ids, d.plan[i].id, (int64_t)i, NULL);
        l.cfg = cfg;
        l.d = &d;
        l.ids = &ids;
        snprintf(l.group, sizeof l.group, "eos-latency-%s", d.tag);
        if (pthread_create(&th, NULL, lat_thread, &l) != 0)
            eos_die("pthread_create");
        uint64_t until = eos_mono_ns() + 60ull * 1000000000ull;
        while (!atomic_load(&l.assigned) && eos_mono_ns() < until)
            nanosleep(&(struct timespec){0, 20000000}, NULL);
        if (!atomic_load(&l.assigned) || l.err)
            eos_die("the latency consumer got no assignment");
    }

    q2o_bus_producer *p = NULL;
    if (q2o_bus_producer_new(&cfg, NULL, &p, detail, sizeof detail) != Q2O_OK)
        eos_die("producer: %s", detail);
    FILE *f = fopen(out, "w");
    if (!f)
        eos_die("cannot write %s", out);
    t0 = eos_mono_ns();
    for (size_t i = 0; i < d.n; i++) {
        planned *c = &d.plan[i];
        if (rate > 0) {
            uint64_t due = t0 + (uint64_t)((double)i * 1e9 / (double)rate);
            uint64_t now = eos_mono_ns();
            if (due > now) {
                uint64_t w = due - now;
                nanosleep(&(struct timespec){(time_t)(w / 1000000000u), (long)(w % 1000000000u)}, NULL);
            }
        }
        char ts[32];
        q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
        q2o_time_ms wall = q2o_time_now_ms();
        q2o_cloudevent ce = {.id = c->id,
                             .type = q2o_command_type_name((q2o_command_type)c->type),
                             .source = "q2o/eos-driver",
                             .subject = c->quote,
                             .time = q2o_time_format(wall, ts, sizeof ts),
                             .correlation_id = c->quote};
        uint32_t nh = q2o_bus_ce_headers(&ce, hdrs);
        struct timespec rt;
        clock_gettime(CLOCK_REALTIME, &rt);
        c->sent_us = (int64_t)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
        c->sent_ns = eos_mono_ns();
        q2o_err e = q2o_bus_produce(p, topic, -1, c->quote, strlen(c->quote), c->bytes, c->len, hdrs, nh);
        if (e != Q2O_OK)
            eos_die("produce %s: %s", c->id, q2o_err_name(e));
        fprintf(f, "%s %s %s %" PRId64 "\n", c->id, c->quote, q2o_command_type_name((q2o_command_type)c->type),
                c->sent_us);
    }
    q2o_err fe = q2o_bus_flush(p, (int)flush_timeout);
    double secs = (double)(eos_mono_ns() - t0) / 1e9;
    if (fclose(f) != 0)
        eos_die("cannot write %s", out);
    q2o_bus_producer_free(p);
    if (fe != Q2O_OK)
        eos_die("flush: %s (not every command was delivered)", q2o_err_name(fe));
    printf("driver: produced %zu commands over %d quotes to %s in %.2f s (%.0f/s)\n", d.n, quotes, topic, secs,
           (double)d.n / secs);

    int rc = 0;
    if (latency) {
        uint64_t until = eos_mono_ns() + (uint64_t)lat_timeout * 1000000ull;
        while (atomic_load(&l.seen) < d.n && eos_mono_ns() < until && !l.err)
            nanosleep(&(struct timespec){0, 20000000}, NULL);
        atomic_store(&l.stop, 1);
        pthread_join(th, NULL);
        size_t k = 0;
        uint64_t *v = eos_xcalloc(d.n, sizeof *v);
        for (size_t i = 0; i < d.n; i++)
            if (d.plan[i].arrived_ns)
                v[k++] = d.plan[i].arrived_ns - d.plan[i].sent_ns;
        qsort(v, k, sizeof *v, cmp_u64);
        if (k == 0) {
            printf("latency: no results seen\n");
            rc = 1;
        } else {
            printf("latency: %zu of %zu results, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (rate %lld/s)\n",
                   k, d.n, (double)v[k / 2] / 1e6, (double)v[(k * 90) / 100] / 1e6, (double)v[(k * 99) / 100] / 1e6,
                   (double)v[k - 1] / 1e6, rate);
            if (k < d.n)
                rc = 1;
        }
        free(v);
    }
    for (size_t i = 0; i < planned_n; i++)
        free(d.plan[i].bytes);
    free(d.plan);
    eos_map_free(&ids);
    q2o_codec_close(d.codec);
    q2o_catalog_free(d.catalog);
    return rc;
}
