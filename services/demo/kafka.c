/*
 * The Kafka transport: each command goes to <prefix>quote.commands and its
 * result is awaited on <prefix>quote.results through services/ctl's client
 * (q2o_ctl_send: the path of `q2octl send`, which cannot miss the answer:
 * ctl/client.h). The quote is followed on <prefix>quote.events by one view
 * that reads on after every result, up to the version the result names.
 *
 * usage: q2o-demo --bootstrap HOST:PORT [--prefix P] [--quote ID] [--timeout-ms MS]
 * (any Q2O_* setting also comes from the environment, runtime/config.h)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/id.h"
#include "core/log.h"
#include "core/money.h"
#include "core/strutil.h"
#include "ctl/client.h"
#include "demo.h"
#include "runtime/config.h"

typedef struct kafka {
    q2o_config cfg;
    q2o_ctl_client *client;
    q2o_ctl_view *view;
    int timeout_ms;
} kafka;

static q2o_err kafka_send(demo *d, const q2o_command *c, q2o_result *out, char *detail, size_t size)
{
    kafka *k = d->impl;
    int64_t ms = 0;
    q2o_ctl_send_opts o = {.timeout_ms = k->timeout_ms, .ce_time = d->now};
    q2o_err e = q2o_ctl_send(k->client, c, &o, out, &ms, detail, size);
    if (e == Q2O_OK) {
        d->sent++;
        d->total_ms += ms;
        if (ms > d->max_ms)
            d->max_ms = ms;
    }
    return e;
}

static q2o_err kafka_reload(demo *d, uint64_t version, char *detail, size_t size)
{
    kafka *k = d->impl;
    q2o_err e = q2o_ctl_view_wait_version(k->view, version, k->timeout_ms, detail, size);
    if (e == Q2O_OK && !q2o_ctl_view_report_get(k->view)->chain_ok) {
        snprintf(detail, size, "the event log does not verify: %s", q2o_ctl_view_report_get(k->view)->first_bad_detail);
        return Q2O_HASH_CHAIN_BROKEN;
    }
    if (e == Q2O_OK) {
        q2o_quote_release(d->q);
        q2o_quote_init(d->q);
        q2o_quote_copy(d->q, q2o_ctl_view_quote(k->view));
    }
    return e;
}

static void kafka_after(demo *d)
{
    kafka *k = d->impl;
    char detail[Q2O_TEXT_MAX + 128] = "", money[64], hex[Q2O_SHA256_HEX_LEN];
    q2o_currency usd;
    const q2o_revision *r = q2o_quote_current(d->q);
    const q2o_ctl_view_report *rep = q2o_ctl_view_report_get(k->view);
    q2o_currency_find("USD", &usd);
    printf("\nOrder %s (%s) for revision %d, grand total %s, payment terms %s\n", r->conversion.order_id,
           r->conversion.order_number, r->number, q2o_money_format(r->grand_total, &usd, money, sizeof money),
           r->terms.payment_terms);
    printf("Verify (re-walked from the events topic): %llu events, hash chain %s, head %s\n",
           (unsigned long long)rep->events, rep->chain_ok ? "intact" : "BROKEN",
           q2o_hex(d->q->head_hash, Q2O_SHA256_LEN, hex));
    d->failures += !rep->chain_ok;
    q2o_quote *then = q2o_quote_new();
    q2o_ctl_view_opts o = {.until_version = 5, .timeout_ms = k->timeout_ms};
    if (q2o_ctl_load(k->client, d->quote_id, &o, then, NULL, detail, sizeof detail) == Q2O_OK && then->exists)
        printf("Time travel: after its 5th event the quote was at revision %d %s with %u lines\n",
               q2o_quote_current(then)->number, q2o_status_name(q2o_quote_current(then)->status), then->n_lines);
    else
        printf("Time travel failed: %s\n", detail);
    q2o_quote_free(then);
    if (d->sent)
        printf("Kafka round trips: %d commands, command produced -> result consumed: mean %lld ms, max %lld ms\n",
               d->sent, (long long)(d->total_ms / d->sent), (long long)d->max_ms);
}

static void kafka_close(demo *d)
{
    kafka *k = d->impl;
    if (!k)
        return;
    q2o_ctl_view_close(k->view);
    q2o_ctl_client_close(k->client);
    free(k);
    d->impl = NULL;
}

static const demo_transport kafka_transport = {"kafka", kafka_send, kafka_reload, kafka_after, kafka_close};

/* Same client settings as q2octl (services/ctl/src/cli.c): see there. */
static void client_defaults(q2o_config *cfg)
{
    static const char *const kv[][2] = {{"topic.metadata.refresh.interval.ms", "200"}, {"fetch.wait.max.ms", "10"}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        int set = 0;
        for (uint32_t j = 0; j < cfg->bus.n_props; j++)
            set |= strcmp(cfg->bus.props[j].key, kv[i][0]) == 0;
        if (!set)
            (void)q2o_bus_config_set(&cfg->bus, kv[i][0], kv[i][1]);
    }
}

static int parse(kafka *k, demo *d, int argc, char **argv, char *detail, size_t size)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char *key = strcmp(a, "--bootstrap") == 0 ? "Q2O_BOOTSTRAP"
                          : strcmp(a, "--prefix") == 0  ? "Q2O_TOPIC_PREFIX"
                                                        : NULL;
        if (!v) {
            snprintf(detail, size, "%s needs a value", a);
            return -1;
        }
        if (key) {
            if (q2o_config_apply(&k->cfg, key, v, detail, size) != Q2O_OK)
                return -1;
        } else if (strcmp(a, "--quote") == 0) {
            if (q2o_strlcpy(d->quote_id, v, sizeof d->quote_id) != 0)
                return snprintf(detail, size, "--quote too long"), -1;
        } else if (strcmp(a, "--timeout-ms") == 0) {
            k->timeout_ms = atoi(v);
            if (k->timeout_ms <= 0)
                return snprintf(detail, size, "--timeout-ms: a positive number"), -1;
        } else {
            snprintf(detail, size, "unknown option %s", a);
            return -1;
        }
        i++;
    }
    return 0;
}

int demo_kafka_open(demo *d, int argc, char **argv)
{
    char detail[512] = "";
    kafka *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    d->impl = k;
    d->t = &kafka_transport;
    k->timeout_ms = 30000;
    if (q2o_config_load("demo", NULL, &k->cfg, detail, sizeof detail) != Q2O_OK ||
        parse(k, d, argc, argv, detail, sizeof detail) != 0) {
        fprintf(stderr, "q2o-demo: %s\n", detail);
        return -2;
    }
    if (!getenv("Q2O_LOG_LEVEL"))
        q2o_log_set_level(Q2O_LOG_ERROR);
    client_defaults(&k->cfg);
    q2o_ctl_view_opts vo = {.timeout_ms = k->timeout_ms};
    if (q2o_ctl_client_open(&k->cfg, &k->client, detail, sizeof detail) != Q2O_OK ||
        q2o_ctl_view_open(k->client, d->quote_id, &vo, &k->view, detail, sizeof detail) != Q2O_OK) {
        fprintf(stderr, "q2o-demo: Kafka at %s: %s\n", k->cfg.bus.bootstrap, detail);
        return -3;
    }
    d->wall_clock = 1;
    d->now = q2o_time_now_ms();
    /* Command ids unique per run: the worker dedupes by command id, and a
     * cluster outlives a demo run. */
    if (q2o_id_new("demo", d->now, d->run_id, sizeof d->run_id) != Q2O_OK)
        return -1;
    printf("q2o demo: the lifecycle seed's practice case, over Kafka\n"
           "bootstrap %s   commands -> %squote.commands, results <- %squote.results, events <- %squote.events\n"
           "the quote worker decides on its own (wall) clock, so the July-promotion steps are left out\n\n",
           k->cfg.bus.bootstrap, k->cfg.bus.topic_prefix, k->cfg.bus.topic_prefix, k->cfg.bus.topic_prefix);
    return 0;
}
