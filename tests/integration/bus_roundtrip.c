/* Produce and consume through the mock cluster: values, keys and
 * CloudEvents headers come back as sent; keyed messages land on the
 * partition a Java client would choose. */
#include <criterion/criterion.h>
#include <string.h>

#include "bus_fixture.h"

BUS_FX_SUITE(bus_roundtrip, 1, 3);

Test(bus_roundtrip, message_comes_back_with_cloudevents_headers)
{
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-roundtrip", fx.commands, NULL, NULL);
    q2o_cloudevent ce = {.id = "evt-1", .type = "q2o.quote.QuoteCreated", .source = "/q2o/quote",
                         .subject = "Q-1", .time = "2026-07-02T10:00:00.000Z", .correlation_id = "corr-1",
                         .causation_id = "cmd-1", .traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"};
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
    cr_assert_eq(n, 10);
    cr_assert_eq(q2o_bus_produce(p, fx.commands, -1, "Q-1", 3, "\xC3\x01payload", 9, hdrs, n), Q2O_OK);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);

    q2o_bus_msg *m = bus_fx_next(c, 15000);
    cr_assert(m, "no message consumed");
    cr_assert_str_eq(m->topic, fx.commands);
    cr_assert_eq(m->key_len, 3);
    cr_assert(memcmp(m->key, "Q-1", 3) == 0);
    cr_assert_eq(m->value_len, 9);
    cr_assert(memcmp(m->value, "\xC3\x01payload", 9) == 0);
    cr_assert_gt(m->timestamp_ms, 0);
    cr_assert_eq(m->n_headers, 10);
    bus_fx_assert_header(m, Q2O_CE_SPECVERSION, "1.0");
    bus_fx_assert_header(m, Q2O_CE_ID, "evt-1");
    bus_fx_assert_header(m, Q2O_CE_TYPE, "q2o.quote.QuoteCreated");
    bus_fx_assert_header(m, Q2O_CE_SOURCE, "/q2o/quote");
    bus_fx_assert_header(m, Q2O_CE_SUBJECT, "Q-1");
    bus_fx_assert_header(m, Q2O_CE_TIME, "2026-07-02T10:00:00.000Z");
    bus_fx_assert_header(m, Q2O_CE_CONTENT_TYPE, "application/avro");
    bus_fx_assert_header(m, Q2O_CE_CORRELATION_ID, "corr-1");
    bus_fx_assert_header(m, Q2O_CE_CAUSATION_ID, "cmd-1");
    bus_fx_assert_header(m, Q2O_CE_TRACEPARENT, ce.traceparent);
    cr_assert_null(q2o_bus_msg_header(m, "absent"));
    q2o_bus_msg_free(m);
    q2o_bus_consumer_free(c);
    q2o_bus_producer_free(p);
}

Test(bus_roundtrip, optional_cloudevents_fields_are_left_out)
{
    q2o_cloudevent ce = {.id = "e", .type = "t", .source = "s", .subject = "q", .time = "2026-01-01T00:00:00Z"};
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    cr_assert_eq(q2o_bus_ce_headers(&ce, hdrs), 7);
}

/* Kafka's Java client: murmur2 of the key bytes, positive, modulo the
 * partition count (org.apache.kafka.common.utils.Utils.murmur2). */
static uint32_t java_murmur2(const unsigned char *d, size_t len)
{
    const uint32_t m = 0x5bd1e995u;
    uint32_t h = 0x9747b28cu ^ (uint32_t)len;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        uint32_t k = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 | (uint32_t)d[i + 3] << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (len & 3) {
    case 3: h ^= (uint32_t)d[i + 2] << 16; /* fall through */
    case 2: h ^= (uint32_t)d[i + 1] << 8;  /* fall through */
    case 1: h ^= d[i]; h *= m;
    default: break;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

Test(bus_roundtrip, same_key_same_partition_as_java_clients)
{
    static const char *const keys[] = {"Q-1", "Q-2", "Q-3", "quote-000042", "Q-ABCDEFGHIJ"};
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-keys", fx.commands, NULL, NULL);
    bus_fx_produce_range(p, fx.commands, keys, 5, 0, 30);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);
    for (int got = 0; got < 30; got++) {
        q2o_bus_msg *m = bus_fx_next(c, 15000);
        cr_assert(m, "only %d of 30 consumed", got);
        uint32_t want = (java_murmur2(m->key, m->key_len) & 0x7fffffffu) % 3u;
        cr_assert_eq((uint32_t)m->partition, want, "key %.*s on partition %d, java says %u", (int)m->key_len,
                     (const char *)m->key, m->partition, want);
        q2o_bus_msg_free(m);
    }
    q2o_bus_consumer_free(c);
    q2o_bus_producer_free(p);
}
