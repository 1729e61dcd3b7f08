/*
 * cmd_orders.c — q2octl orders: the OrderCreated events the ERP worker
 * published on <prefix>order.events (keyed by order id), read from the
 * beginning of every partition to its end, decoded (codec/order_codec.h).
 * --quote keeps one quote's orders; --wait-ms polls until one shows up
 * (the ERP worker answers a conversion asynchronously).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus.h"
#include "cli.h"
#include "codec/order_codec.h"
#include "core/money.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "ctl/json.h"

static const ctl_flag orders_flags[] = {
    {"quote", "ID", "only the orders of this quote"},
    {"wait-ms", "MS", "poll until at least one order is there, up to MS"},
    {NULL, NULL, NULL},
};

static const ctl_sub orders_sub = {
    "orders", "[--quote ID] [--wait-ms MS]",
    "The orders the ERP worker created (OrderCreated on <prefix>order.events), every partition from the beginning.",
    orders_flags, NULL};

typedef struct orders_ctx {
    const char *quote;
    int json;
    json_t *arr;
    int found;
} orders_ctx;

static void print_order(orders_ctx *o, const q2o_order_event *ev, const q2o_bus_msg *m)
{
    const q2o_order_created *c = &ev->u.created;
    char hex[Q2O_SHA256_HEX_LEN], money[64], when[40];
    q2o_currency cur;
    if (o->json) {
        json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:s,s:s,s:s,s:s,s:i,s:I}", "type",
                              q2o_order_event_type_name(ev->type), "event_id", ev->event_id, "order_id", c->order_id,
                              "order_number", c->order_number, "quote_id", c->quote_id, "correlation_id",
                              ev->correlation_id, "revision", (int)c->revision, "grand_total", (json_int_t)c->grand_total,
                              "currency", c->currency, "idempotency_key", c->idempotency_key, "causation_id",
                              ev->causation_id, "created_at", q2o_time_format(c->created_at, when, sizeof when),
                              "partition", (int)m->partition, "offset", (json_int_t)m->offset);
        json_object_set_new(j, "pricing_fp", json_string(q2o_hex(c->pricing_fp, Q2O_SHA256_LEN, hex)));
        json_object_set_new(j, "document_hash", json_string(q2o_hex(c->document_hash, Q2O_SHA256_LEN, hex)));
        json_array_append_new(o->arr, j);
        return;
    }
    if (q2o_currency_find(c->currency, &cur) == Q2O_OK)
        q2o_money_format(c->grand_total, &cur, money, sizeof money);
    else
        snprintf(money, sizeof money, "%lld %s", (long long)c->grand_total, c->currency);
    printf("%s %s (%s) for %s revision %d, grand total %s, created %s\n", q2o_order_event_type_name(ev->type),
           c->order_id, c->order_number, c->quote_id, c->revision, money,
           q2o_time_format(c->created_at, when, sizeof when));
    printf("  idempotency key %s, causation %s, correlation %s\n", c->idempotency_key, ev->causation_id,
           ev->correlation_id);
    printf("  pricing fingerprint %s\n", q2o_hex(c->pricing_fp, Q2O_SHA256_LEN, hex));
    printf("  document hash       %s   (order.events[%d] offset %lld)\n", q2o_hex(c->document_hash, Q2O_SHA256_LEN, hex),
           (int)m->partition, (long long)m->offset);
}

/* One partition from the beginning to its end offset. */
static q2o_err read_partition(const q2o_config *cfg, const q2o_order_codec *codec, const char *topic, int32_t p,
                              orders_ctx *o, char *detail, size_t size)
{
    q2o_bus_reader *r = NULL;
    int64_t end = 0, pos = 0;
    q2o_err e = q2o_bus_reader_new(&cfg->bus, topic, p, -2, &r, detail, size);
    if (e == Q2O_OK)
        e = q2o_bus_reader_end(r, &end);
    uint64_t deadline = q2o_time_mono_ns() + 30000000000ull;
    while (e == Q2O_OK && pos < end) {
        q2o_bus_msg *m = NULL;
        if (q2o_time_mono_ns() > deadline) {
            snprintf(detail, size, "%s[%d]: end offset %lld not reached", topic, (int)p, (long long)end);
            e = Q2O_KAFKA_TIMEOUT;
            break;
        }
        e = q2o_bus_reader_poll(r, 200, &m, &pos);
        if (e != Q2O_OK || !m)
            continue;
        q2o_order_event ev;
        char why[256];
        if (q2o_order_codec_decode(codec, m->value, m->value_len, &ev, why, sizeof why) != Q2O_OK)
            fprintf(stderr, "q2octl orders: %s[%d] offset %lld does not decode: %s\n", topic, (int)p,
                    (long long)m->offset, why);
        else if (ev.type == Q2O_ORDER_EV_CREATED && (!o->quote || strcmp(ev.u.created.quote_id, o->quote) == 0)) {
            print_order(o, &ev, m);
            o->found++;
        }
        q2o_bus_msg_free(m);
    }
    q2o_bus_reader_free(r);
    return e;
}

int ctl_cmd_orders(int argc, char **argv)
{
    ctl_args a;
    q2o_config cfg;
    q2o_order_codec *codec = NULL;
    char topic[Q2O_BUS_NAME_MAX], detail[512] = "";
    int64_t wait_ms = 0;
    if (ctl_parse(&orders_sub, argc, argv, &a) != 0)
        return CTL_EXIT_USAGE;
    if (a.help) {
        ctl_help(&orders_sub, stdout);
        return CTL_EXIT_OK;
    }
    int rc = ctl_config(&a, &cfg);
    if (rc || ctl_get_i64(&a, "wait-ms", 0, 3600000, &wait_ms) != 0)
        return rc ? rc : CTL_EXIT_USAGE;
    if (q2o_order_codec_open(&codec) != Q2O_OK)
        return ctl_infra_error("order codec", Q2O_WIRE_SCHEMA_INVALID, "");
    q2o_bus_topic(&cfg.bus, Q2O_TOPIC_ORDER_EVENTS, topic, sizeof topic);
    orders_ctx o = {.quote = ctl_get(&a, "quote"), .json = ctl_has(&a, "json"), .arr = json_array()};
    uint64_t deadline = q2o_time_mono_ns() + (uint64_t)wait_ms * 1000000u;
    q2o_err e = Q2O_OK;
    for (;;) {
        for (int32_t p = 0; p < cfg.bus.partitions && e == Q2O_OK; p++)
            e = read_partition(&cfg, codec, topic, p, &o, detail, sizeof detail);
        if (e != Q2O_OK || o.found || q2o_time_mono_ns() >= deadline)
            break;
        json_array_clear(o.arr);
        usleep(200000);
    }
    q2o_order_codec_close(codec);
    if (e != Q2O_OK) {
        json_decref(o.arr);
        return ctl_infra_error("reading order events", e, detail);
    }
    if (o.json)
        q2o_ctl_json_print(o.arr, stdout);
    else if (!o.found)
        printf("no orders%s%s on %s\n", o.quote ? " for " : "", o.quote ? o.quote : "", topic);
    json_decref(o.arr);
    return o.found ? CTL_EXIT_OK : CTL_EXIT_REFUSED;
}
