/* erp_worker.c — QuoteConvertedToOrder -> exactly one OrderCreated (the
 * contract is runtime/erp_worker.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/order_codec.h"
#include "codec/quote_codec.h"
#include "core/log.h"
#include "core/strutil.h"
#include "runtime/erp_worker.h"

#define TRACEPARENT_MAX 128

struct q2o_erp_worker {
    q2o_codec *codec;
    q2o_order_codec *orders;
    char ce_source[160];
    q2o_worker_ops ops;
};

void q2o_erp_order_key(const char *quote_id, int32_t revision, char out[Q2O_ID_MAX])
{
    char plain[Q2O_ID_MAX + 32];
    int n = snprintf(plain, sizeof plain, "order/%s/%" PRId32, quote_id, revision);
    if (n > 0 && n < Q2O_ID_MAX) {
        memcpy(out, plain, (size_t)n + 1);
        return;
    }
    uint8_t hash[Q2O_SHA256_LEN];
    char hex[Q2O_SHA256_HEX_LEN];
    q2o_sha256 sh;
    q2o_sha256_init(&sh);
    q2o_sha256_update_str(&sh, quote_id);
    q2o_sha256_update_i64(&sh, revision);
    q2o_sha256_final(&sh, hash);
    q2o_hex(hash, 24, hex);
    memcpy(out, "order/h/", 8);
    memcpy(out + 8, hex, 49);
}

static void order_from(const q2o_event *ev, const char *key, q2o_order_event *o)
{
    const q2o_conversion *cv = &ev->u.converted.conversion;
    memset(o, 0, sizeof *o);
    o->type = Q2O_ORDER_EV_CREATED;
    Q2O_STRCPY(o->event_id, key);
    Q2O_STRCPY(o->correlation_id, ev->correlation_id);
    q2o_codec_event_id(ev, o->causation_id, sizeof o->causation_id);
    o->at = ev->at;
    q2o_order_created *c = &o->u.created;
    Q2O_STRCPY(c->order_id, cv->order_id);
    Q2O_STRCPY(c->order_number, cv->order_number);
    Q2O_STRCPY(c->quote_id, ev->quote_id);
    c->revision = ev->revision;
    c->grand_total = ev->u.converted.grand_total;
    memcpy(c->currency, ev->u.converted.currency, sizeof c->currency);
    c->currency[3] = '\0';
    memcpy(c->pricing_fp, ev->u.converted.pricing_fp, sizeof c->pricing_fp);
    memcpy(c->document_hash, ev->u.converted.document_hash, sizeof c->document_hash);
    Q2O_STRCPY(c->idempotency_key, cv->idempotency_key);
    c->created_at = cv->converted_at;
}

static q2o_err produce_order(q2o_erp_worker *ew, q2o_worker_batch *b, const q2o_bus_msg *msg,
                             const q2o_order_event *o, const uint8_t *buf, size_t len)
{
    char ts[32], tp[TRACEPARENT_MAX] = "";
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    const q2o_bus_header *in_tp = q2o_bus_msg_header(msg, "traceparent");
    if (in_tp && in_tp->value && in_tp->len < sizeof tp) {
        memcpy(tp, in_tp->value, in_tp->len);
        tp[in_tp->len] = '\0';
    }
    q2o_cloudevent ce = {.id = o->event_id,
                         .type = q2o_order_event_type_name(o->type),
                         .source = ew->ce_source,
                         .subject = o->u.created.order_id,
                         .time = q2o_time_format(o->at, ts, sizeof ts),
                         .correlation_id = o->correlation_id,
                         .causation_id = o->causation_id,
                         .traceparent = tp[0] && strlen(tp) == in_tp->len ? tp : NULL};
    uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
    return q2o_worker_produce(b, Q2O_TOPIC_ORDER_EVENTS, -1, o->u.created.order_id, strlen(o->u.created.order_id),
                              buf, len, hdrs, n);
}

static q2o_err on_converted(q2o_erp_worker *ew, q2o_worker_batch *b, const q2o_bus_msg *msg, const q2o_event *ev)
{
    char key[Q2O_ID_MAX];
    const void *seen;
    size_t seen_len;
    q2o_store_txn *txn = q2o_worker_batch_txn(b);
    q2o_erp_order_key(ev->quote_id, ev->revision, key);
    q2o_err e = q2o_store_command_get(txn, key, &seen, &seen_len);
    if (e == Q2O_OK) {
        q2o_log(Q2O_LOG_INFO, "order exists: conversion seen again", "key", key, (const char *)NULL);
        return Q2O_OK;
    }
    if (e != Q2O_STORE_NOT_FOUND)
        return e;
    q2o_order_event o;
    uint8_t *buf = NULL;
    size_t len = 0;
    order_from(ev, key, &o);
    if ((e = q2o_order_codec_encode(ew->orders, &o, &buf, &len)) == Q2O_OK &&
        (e = produce_order(ew, b, msg, &o, buf, len)) == Q2O_OK)
        e = q2o_store_command_put(txn, key, buf, len);
    if (e == Q2O_OK)
        q2o_log(Q2O_LOG_INFO, "order created", "order", o.u.created.order_id, "key", key, (const char *)NULL);
    free(buf);
    return e;
}

static q2o_err ew_handle(void *ctx, q2o_worker_batch *b, const q2o_bus_msg *msg)
{
    q2o_erp_worker *ew = ctx;
    char detail[Q2O_TEXT_MAX] = "";
    q2o_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return Q2O_NO_MEMORY;
    q2o_err e = q2o_codec_decode_event(ew->codec, msg->value, msg->value_len, ev, detail, sizeof detail);
    if (e != Q2O_OK)
        e = q2o_worker_deadletter(b, msg, e, detail);
    else if (ev->type == Q2O_EV_CONVERTED)
        e = on_converted(ew, b, msg, ev);
    q2o_event_release(ev);
    free(ev);
    return e;
}

q2o_err q2o_erp_worker_new(const q2o_config *cfg, q2o_erp_worker **out)
{
    *out = NULL;
    q2o_erp_worker *ew = calloc(1, sizeof *ew);
    if (!ew)
        return Q2O_NO_MEMORY;
    q2o_err e = q2o_codec_open_builtin(&ew->codec);
    if (e == Q2O_OK)
        e = q2o_order_codec_open(&ew->orders);
    if (e != Q2O_OK) {
        q2o_erp_worker_free(ew);
        return e;
    }
    snprintf(ew->ce_source, sizeof ew->ce_source, "q2o/erp-worker/%s", cfg->instance_id);
    ew->ops = (q2o_worker_ops){
        .name = "erp",
        .inputs = {Q2O_TOPIC_QUOTE_EVENTS},
        .n_inputs = 1,
        .handle = ew_handle,
    };
    *out = ew;
    return Q2O_OK;
}

void q2o_erp_worker_free(q2o_erp_worker *ew)
{
    if (!ew)
        return;
    q2o_codec_close(ew->codec);
    q2o_order_codec_close(ew->orders);
    free(ew);
}

const q2o_worker_ops *q2o_erp_worker_ops(const q2o_erp_worker *ew)
{
    return &ew->ops;
}

q2o_err q2o_erp_worker_make(const q2o_config *cfg, const q2o_worker_ops **ops, void **ctx, char *detail,
                            size_t detail_size)
{
    q2o_erp_worker *ew = NULL;
    q2o_err e = q2o_erp_worker_new(cfg, &ew);
    if (e != Q2O_OK) {
        snprintf(detail, detail_size, "cannot open the codecs: %s", q2o_err_name(e));
        return e;
    }
    *ops = q2o_erp_worker_ops(ew);
    *ctx = ew;
    return Q2O_OK;
}

void q2o_erp_worker_release(void *ctx)
{
    q2o_erp_worker_free(ctx);
}
