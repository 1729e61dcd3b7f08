/* catalog_bus.c — publishing a catalog and reading the catalog topic back
 * (ctl/catalog.h), through common/bus. */
#include <stdio.h>
#include <string.h>

#include "bus/bus.h"
#include "core/timeutil.h"
#include "ctl/catalog.h"
#include "runtime/catalog_feed.h"

/* Room above a catalog document for the record's framing, key and headers
 * (a few hundred bytes; a round MiB keeps the sum obvious). */
#define CATALOG_FRAMING_BYTES (1024u * 1024u)

static int has_prop(const q2o_bus_config *b, const char *key)
{
    for (uint32_t i = 0; i < b->n_props; i++)
        if (strcmp(b->props[i].key, key) == 0)
            return 1;
    return 0;
}

/* librdkafka's defaults (1,000,000-byte messages, 50 MiB fetches) are below
 * Q2O_CATALOG_MESSAGE_MAX; configured values win. */
static q2o_err big_messages(q2o_bus_config *b, int consumer, char *detail, size_t detail_size)
{
    char message[24], fetch[24];
    snprintf(message, sizeof message, "%u", Q2O_CATALOG_MESSAGE_MAX + CATALOG_FRAMING_BYTES);
    snprintf(fetch, sizeof fetch, "%u", Q2O_CATALOG_MESSAGE_MAX + 2 * CATALOG_FRAMING_BYTES);
    const char *const kv[][2] = {
        {"message.max.bytes", message}, {"fetch.max.bytes", fetch}, {"max.partition.fetch.bytes", fetch}};
    for (size_t i = 0; i < (consumer ? 3u : 1u); i++)
        if (!has_prop(b, kv[i][0]) && q2o_bus_config_set(b, kv[i][0], kv[i][1]) != Q2O_OK) {
            snprintf(detail, detail_size, "%s: too many Kafka properties", kv[i][0]);
            return Q2O_CONFIG_INVALID;
        }
    return Q2O_OK;
}

q2o_err q2o_ctl_catalog_publish(const q2o_config *cfg, const q2o_ctl_catalog_file *f, q2o_time_ms now,
                                int timeout_ms, int64_t *offset, char *detail, size_t detail_size)
{
    q2o_bus_config b = cfg->bus;
    q2o_bus_producer *p = NULL;
    q2o_ctl_catalog_headers hs;
    char topic[Q2O_BUS_NAME_MAX];
    detail[0] = '\0';
    if (!f->catalog)
        return Q2O_CATALOG_INVALID;
    if (f->len > Q2O_CATALOG_MESSAGE_MAX)
        return Q2O_TOO_LARGE;
    q2o_err e = big_messages(&b, 0, detail, detail_size);
    if (e == Q2O_OK)
        e = q2o_bus_producer_new(&b, NULL, &p, detail, detail_size);
    if (e == Q2O_OK) {
        uint32_t n = q2o_ctl_catalog_headers_make(f->catalog, f->digest, now, &hs);
        q2o_bus_topic(&b, Q2O_TOPIC_CATALOG, topic, sizeof topic);
        e = q2o_bus_produce_wait(p, topic, 0, f->catalog->id, strlen(f->catalog->id), f->bytes, f->len, hs.h, n,
                                 timeout_ms, offset, detail, detail_size);
    }
    q2o_bus_producer_free(p);
    return e;
}

static q2o_err read_to_end(q2o_bus_reader *r, const char *topic, int timeout_ms, q2o_ctl_catalog_set *out,
                           char *detail, size_t detail_size)
{
    int64_t pos = 0;
    uint64_t deadline = q2o_time_mono_ns() + (uint64_t)timeout_ms * 1000000u;
    q2o_err e = q2o_bus_reader_end(r, &out->end_offset);
    if (e != Q2O_OK) {
        snprintf(detail, detail_size, "end offset of %s[0]: %s", topic, q2o_err_message(e));
        return e;
    }
    while (pos < out->end_offset) {
        if (q2o_time_mono_ns() >= deadline) {
            snprintf(detail, detail_size, "%s[0]: at offset %lld of %lld after %d ms", topic, (long long)pos,
                     (long long)out->end_offset, timeout_ms);
            return Q2O_KAFKA_TIMEOUT;
        }
        q2o_bus_msg *m = NULL;
        e = q2o_bus_reader_poll(r, 200, &m, &pos);
        if (e != Q2O_OK) {
            snprintf(detail, detail_size, "reading %s[0]: %s", topic, q2o_err_message(e));
            return e;
        }
        if (!m)
            continue;
        e = q2o_ctl_catalog_set_apply(out, m->key, m->key_len, m->value, m->value_len, m->offset);
        q2o_bus_msg_free(m);
        if (e != Q2O_OK) {
            snprintf(detail, detail_size, "%s[0]: %s", topic, q2o_err_message(e));
            return e;
        }
    }
    return Q2O_OK;
}

q2o_err q2o_ctl_catalog_read(const q2o_config *cfg, int timeout_ms, q2o_ctl_catalog_set *out, char *detail,
                             size_t detail_size)
{
    q2o_bus_config b = cfg->bus;
    q2o_bus_reader *r = NULL;
    char topic[Q2O_BUS_NAME_MAX];
    detail[0] = '\0';
    q2o_ctl_catalog_set_init(out);
    q2o_bus_topic(&b, Q2O_TOPIC_CATALOG, topic, sizeof topic);
    q2o_err e = big_messages(&b, 1, detail, detail_size);
    if (e == Q2O_OK)
        e = q2o_bus_reader_new(&b, topic, 0, -2, &r, detail, detail_size);
    if (e == Q2O_OK)
        e = read_to_end(r, topic, timeout_ms > 0 ? timeout_ms : 60000, out, detail, detail_size);
    q2o_bus_reader_free(r);
    if (e != Q2O_OK && !detail[0])
        snprintf(detail, detail_size, "%s: %s", topic, q2o_err_message(e));
    return e;
}
