/*
 * q2octl reads a quote back from the events topic (ctl/client.h, view):
 * given a quote's events on the mock cluster — among other quotes' events,
 * with an identical re-delivery — the view rebuilds the same state and hash
 * as the domain did; a tampered event, a gap or an undecodable message is
 * reported as the first broken version and nothing after it is applied;
 * time travel stops at the asked version.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus.h"
#include "core/log.h"
#include "ctl/client.h"
#include "quote_fixture.h"

#define PARTITIONS 3

typedef struct view_fx {
    q2o_bus_mock *mock;
    q2o_config cfg;
    q2o_ctl_client *client;
    q2o_bus_producer *producer;
    q2o_codec *codec;
    char events[Q2O_BUS_NAME_MAX];
    int32_t partition;
    fx quote;                         /* the domain's own run: events and final state */
} view_fx;

static void start(view_fx *v)
{
    char detail[256] = "";
    memset(v, 0, sizeof *v);
    q2o_log_set_level(Q2O_LOG_ERROR);
    q2o_bus_config_default(&v->cfg.bus);
    cr_assert_eq(q2o_bus_mock_start(1, &v->mock, v->cfg.bus.bootstrap, sizeof v->cfg.bus.bootstrap), Q2O_OK);
    v->cfg.bus.partitions = PARTITIONS;
    cr_assert_eq(q2o_bus_config_set(&v->cfg.bus, "topic.metadata.refresh.interval.ms", "200"), Q2O_OK);
    cr_assert_eq(q2o_bus_config_set(&v->cfg.bus, "fetch.wait.max.ms", "10"), Q2O_OK);
    q2o_bus_topic(&v->cfg.bus, Q2O_TOPIC_QUOTE_EVENTS, v->events, sizeof v->events);
    cr_assert_eq(q2o_bus_mock_create_topic(v->mock, v->events, PARTITIONS), Q2O_OK);
    cr_assert_eq(q2o_ctl_client_open(&v->cfg, &v->client, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_producer_new(&v->cfg.bus, NULL, &v->producer, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_codec_open_builtin(&v->codec), Q2O_OK);
    fx_init(&v->quote);
    fx_to_status(&v->quote, Q2O_ST_PRESENTED);
    cr_assert_geq(v->quote.n_log, 6);
    v->partition = q2o_ctl_partition(&v->cfg, v->quote.q->quote_id, detail, sizeof detail);
    cr_assert_geq(v->partition, 0);
}

static void stop(view_fx *v)
{
    fx_release(&v->quote);
    q2o_codec_close(v->codec);
    q2o_bus_producer_free(v->producer);
    q2o_ctl_client_close(v->client);
    q2o_bus_mock_stop(v->mock);
}

static void produce_raw(view_fx *v, const char *key, const void *bytes, size_t len)
{
    cr_assert_eq(q2o_bus_produce(v->producer, v->events, v->partition, key, strlen(key), bytes, len, NULL, 0), Q2O_OK);
}

static void produce_event(view_fx *v, const q2o_event *ev)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    cr_assert_eq(q2o_codec_encode_event(v->codec, ev, &buf, &len), Q2O_OK);
    produce_raw(v, ev->quote_id, buf, len);
    free(buf);
}

/* Another quote's event on the same partition: filtered by key. */
static void produce_foreign(view_fx *v)
{
    q2o_event ev = v->quote.log[0];
    strcpy(ev.quote_id, "Q-OTHER");
    produce_event(v, &ev);
}

static q2o_ctl_view_report load(view_fx *v, uint64_t until_version, q2o_quote *out)
{
    char detail[512] = "";
    q2o_ctl_view_report rep;
    q2o_ctl_view_opts o = {.until_version = until_version, .timeout_ms = 20000};
    cr_assert_eq(q2o_bus_flush(v->producer, 10000), Q2O_OK);
    cr_assert_eq(q2o_ctl_load(v->client, v->quote.q->quote_id, &o, out, &rep, detail, sizeof detail), Q2O_OK, "%s",
                 detail);
    return rep;
}

Test(ctl_view, rebuilds_the_domains_state_from_the_log_skipping_other_keys_and_redeliveries, .timeout = 60)
{
    view_fx v;
    start(&v);
    for (size_t i = 0; i < v.quote.n_log; i++) {
        produce_foreign(&v);
        produce_event(&v, &v.quote.log[i]);
        if (i == 2)
            produce_event(&v, &v.quote.log[i]); /* an identical re-delivery */
    }
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_view_report rep = load(&v, 0, q);
    cr_assert(rep.chain_ok, "%s", rep.first_bad_detail);
    cr_assert_eq(rep.events, v.quote.n_log);
    cr_assert_eq(rep.duplicates, 1);
    cr_assert_eq(rep.messages, 2 * v.quote.n_log + 1);
    cr_assert_eq(q->version, v.quote.q->version);
    cr_assert(memcmp(q->head_hash, v.quote.q->head_hash, Q2O_SHA256_LEN) == 0);
    cr_assert_eq(q2o_quote_current(q)->status, Q2O_ST_PRESENTED);
    q2o_quote_free(q);
    stop(&v);
}

Test(ctl_view, as_of_a_version_stops_there, .timeout = 60)
{
    view_fx v;
    start(&v);
    for (size_t i = 0; i < v.quote.n_log; i++)
        produce_event(&v, &v.quote.log[i]);
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_view_report rep = load(&v, 3, q);
    cr_assert(rep.chain_ok);
    cr_assert_eq(q->version, 3);
    cr_assert_eq(rep.events, 3);
    q2o_quote_free(q);
    stop(&v);
}

Test(ctl_view, a_tampered_event_breaks_the_chain_at_the_next_version, .timeout = 60)
{
    view_fx v;
    start(&v);
    for (size_t i = 0; i < v.quote.n_log; i++) {
        q2o_event ev = v.quote.log[i];
        if (ev.version == 4)
            strcpy(ev.actor_id, "mallory"); /* its prev_hash still matches v3 */
        produce_event(&v, &ev);
    }
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_view_report rep = load(&v, 0, q);
    cr_assert_not(rep.chain_ok);
    cr_assert_eq(rep.first_bad_version, 5, "%llu: %s", (unsigned long long)rep.first_bad_version,
                 rep.first_bad_detail);
    cr_assert_eq(rep.first_bad_err, Q2O_HASH_CHAIN_BROKEN);
    cr_assert_eq(q->version, 4, "nothing after the break is applied");
    q2o_quote_free(q);
    stop(&v);
}

Test(ctl_view, a_missing_event_is_a_gap, .timeout = 60)
{
    view_fx v;
    start(&v);
    for (size_t i = 0; i < v.quote.n_log; i++)
        if (v.quote.log[i].version != 3)
            produce_event(&v, &v.quote.log[i]);
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_view_report rep = load(&v, 0, q);
    cr_assert_not(rep.chain_ok);
    cr_assert_eq(rep.first_bad_version, 4);
    cr_assert(strstr(rep.first_bad_detail, "events missing") != NULL, "%s", rep.first_bad_detail);
    cr_assert_eq(q->version, 2);
    q2o_quote_free(q);
    stop(&v);
}

Test(ctl_view, undecodable_bytes_stop_the_replay_where_they_are, .timeout = 60)
{
    view_fx v;
    start(&v);
    produce_event(&v, &v.quote.log[0]);
    produce_event(&v, &v.quote.log[1]);
    produce_raw(&v, v.quote.q->quote_id, "\xc3\x01garbage", 9);
    for (size_t i = 2; i < v.quote.n_log; i++)
        produce_event(&v, &v.quote.log[i]);
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_view_report rep = load(&v, 0, q);
    cr_assert_not(rep.chain_ok);
    cr_assert_eq(rep.first_bad_version, 3);
    cr_assert_eq(rep.first_bad_offset, 2);
    cr_assert_eq(q->version, 2);
    q2o_quote_free(q);
    stop(&v);
}
