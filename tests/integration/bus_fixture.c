/* bus_fixture.c — see bus_fixture.h. */
#include "bus_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bus_fx_start(bus_fx *fx, int brokers, int partitions)
{
    memset(fx, 0, sizeof *fx);
    q2o_log_set_level(Q2O_LOG_WARN);
    q2o_bus_config_default(&fx->cfg);
    cr_assert_eq(q2o_bus_mock_start(brokers, &fx->mock, fx->cfg.bootstrap, sizeof fx->cfg.bootstrap), Q2O_OK);
    fx->cfg.partitions = partitions;
    /* Tests want a quick reaction to a moved leader or a dead broker. */
    cr_assert_eq(q2o_bus_config_set(&fx->cfg, "topic.metadata.refresh.interval.ms", "1000"), Q2O_OK);
    cr_assert_eq(q2o_bus_config_set(&fx->cfg, "reconnect.backoff.max.ms", "500"), Q2O_OK);
    /* The mock sometimes sees a second JoinGroup right after the first
     * (librdkafka rejoins on a metadata refresh) and then waits a whole
     * session timeout for the member to come back: keep that short. */
    cr_assert_eq(q2o_bus_config_set(&fx->cfg, "session.timeout.ms", "6000"), Q2O_OK);
    cr_assert_eq(q2o_bus_config_set(&fx->cfg, "heartbeat.interval.ms", "500"), Q2O_OK);
    /* Q2O_TEST_KAFKA_DEBUG=cgrp,fetch,... turns on librdkafka's debug logs. */
    const char *debug = getenv("Q2O_TEST_KAFKA_DEBUG");
    if (debug && *debug) {
        q2o_log_set_level(Q2O_LOG_DEBUG);
        cr_assert_eq(q2o_bus_config_set(&fx->cfg, "debug", debug), Q2O_OK);
    }
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++) {
        char name[Q2O_BUS_NAME_MAX];
        q2o_bus_topic(&fx->cfg, (q2o_topic)t, name, sizeof name);
        cr_assert_eq(q2o_bus_mock_create_topic(fx->mock, name, partitions), Q2O_OK, "topic %s", name);
    }
    q2o_bus_topic(&fx->cfg, Q2O_TOPIC_QUOTE_COMMANDS, fx->commands, sizeof fx->commands);
    q2o_bus_topic(&fx->cfg, Q2O_TOPIC_QUOTE_EVENTS, fx->events, sizeof fx->events);
    q2o_bus_topic(&fx->cfg, Q2O_TOPIC_DEADLETTER, fx->deadletter, sizeof fx->deadletter);
}

void bus_fx_stop(bus_fx *fx)
{
    q2o_bus_mock_stop(fx->mock);
    fx->mock = NULL;
}

q2o_bus_producer *bus_fx_producer(bus_fx *fx, const char *transactional_id)
{
    char detail[512] = "";
    q2o_bus_producer *p = NULL;
    q2o_err err = q2o_bus_producer_new(&fx->cfg, transactional_id, &p, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "producer_new: %s %s", q2o_err_name(err), detail);
    return p;
}

q2o_bus_consumer *bus_fx_consumer(bus_fx *fx, const char *group, const char *topic, q2o_bus_rebalance_fn fn,
                                  void *ctx)
{
    char detail[512] = "";
    q2o_bus_consumer *c = NULL;
    q2o_err err = q2o_bus_consumer_new(&fx->cfg, group, fn, ctx, &c, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "consumer_new: %s %s", q2o_err_name(err), detail);
    cr_assert_eq(q2o_bus_consumer_subscribe(c, &topic, 1), Q2O_OK);
    return c;
}

void bus_fx_produce_range(q2o_bus_producer *p, const char *topic, const char *const *keys, size_t n_keys,
                          int from, int to)
{
    for (int i = from; i < to; i++) {
        char value[32];
        const char *key = keys[(size_t)i % n_keys];
        int n = snprintf(value, sizeof value, "v-%d", i);
        q2o_err err = q2o_bus_produce(p, topic, -1, key, strlen(key), value, (size_t)n, NULL, 0);
        cr_assert_eq(err, Q2O_OK, "produce %d: %s", i, q2o_err_name(err));
    }
}

q2o_bus_msg *bus_fx_next(q2o_bus_consumer *c, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    q2o_bus_msg *m = NULL;
    while (!m && now_ms() < deadline) {
        q2o_err err = q2o_bus_consumer_poll(c, 100, &m);
        cr_assert_eq(err, Q2O_OK, "poll: %s", q2o_err_name(err));
    }
    return m;
}

const char *bus_fx_value(const q2o_bus_msg *m, char *buf, size_t size)
{
    size_t n = m->value_len < size - 1 ? m->value_len : size - 1;
    memcpy(buf, m->value, n);
    buf[n] = '\0';
    return buf;
}

int bus_fx_index(const q2o_bus_msg *m)
{
    char buf[32];
    int i = -1;
    cr_assert_eq(sscanf(bus_fx_value(m, buf, sizeof buf), "v-%d", &i), 1, "value %s", buf);
    return i;
}

void bus_fx_assert_header(const q2o_bus_msg *m, const char *name, const char *want)
{
    const q2o_bus_header *h = q2o_bus_msg_header(m, name);
    cr_assert(h, "header %s missing", name);
    cr_assert(h->len == strlen(want) && memcmp(h->value, want, h->len) == 0, "header %s is %.*s, want %s", name,
              (int)h->len, (const char *)h->value, want);
}
