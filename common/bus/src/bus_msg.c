/* bus_msg.c — polled messages, their headers, and CloudEvents headers. */
#include <stdlib.h>
#include <string.h>

#include "bus_internal.h"
#include "core/log.h"

static void wrap_headers(rd_kafka_message_t *rkm, q2o_bus_msg *m)
{
    rd_kafka_headers_t *hdrs = NULL;
    if (rd_kafka_message_headers(rkm, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return;
    for (size_t i = 0; m->n_headers < Q2O_BUS_MAX_HEADERS; i++) {
        q2o_bus_header *h = &m->headers[m->n_headers];
        if (rd_kafka_header_get_all(hdrs, i, &h->name, &h->value, &h->len) != RD_KAFKA_RESP_ERR_NO_ERROR)
            break;
        m->n_headers++;
    }
}

q2o_err bus_msg_wrap(rd_kafka_message_t *rkm, q2o_bus_msg **out)
{
    rd_kafka_timestamp_type_t ts_type;
    q2o_bus_msg *m = calloc(1, sizeof *m);
    if (!m) {
        rd_kafka_message_destroy(rkm);
        return Q2O_NO_MEMORY;
    }
    m->topic = rd_kafka_topic_name(rkm->rkt);
    m->partition = rkm->partition;
    m->offset = rkm->offset;
    m->key = rkm->key;
    m->key_len = rkm->key_len;
    m->value = rkm->payload;
    m->value_len = rkm->len;
    m->timestamp_ms = rd_kafka_message_timestamp(rkm, &ts_type);
    m->impl_ = rkm;
    wrap_headers(rkm, m);
    *out = m;
    return Q2O_OK;
}

void q2o_bus_msg_free(q2o_bus_msg *msg)
{
    if (!msg)
        return;
    rd_kafka_message_destroy(msg->impl_);
    free(msg);
}

const q2o_bus_header *q2o_bus_msg_header(const q2o_bus_msg *msg, const char *name)
{
    for (uint32_t i = 0; i < msg->n_headers; i++)
        if (strcmp(msg->headers[i].name, name) == 0)
            return &msg->headers[i];
    return NULL;
}

uint32_t q2o_bus_ce_headers(const q2o_cloudevent *ce, q2o_bus_header *hdrs)
{
    const struct {
        const char *name, *value;
    } fields[] = {
        {Q2O_CE_SPECVERSION, "1.0"},
        {Q2O_CE_ID, ce->id},
        {Q2O_CE_TYPE, ce->type},
        {Q2O_CE_SOURCE, ce->source},
        {Q2O_CE_TIME, ce->time},
        {Q2O_CE_SUBJECT, ce->subject},
        {Q2O_CE_CONTENT_TYPE, "application/avro"},
        {Q2O_CE_CORRELATION_ID, ce->correlation_id},
        {Q2O_CE_CAUSATION_ID, ce->causation_id},
        {Q2O_CE_TRACEPARENT, ce->traceparent},
    };
    uint32_t n = 0;
    for (size_t i = 0; i < Q2O_ARRAY_LEN(fields) && n < Q2O_BUS_MAX_HEADERS; i++) {
        if (!fields[i].value)
            continue;
        hdrs[n++] = (q2o_bus_header){fields[i].name, fields[i].value, strlen(fields[i].value)};
    }
    return n;
}

q2o_err bus_consumed(rd_kafka_t *rk, rd_kafka_message_t *rkm, q2o_bus_msg **out)
{
    char detail[512] = "";
    q2o_err err;
    *out = NULL;
    if (!rkm)
        return Q2O_OK;
    if (!rkm->err)
        return bus_msg_wrap(rkm, out);
    err = bus_resp_err(rk, rkm->err, detail, sizeof detail);
    if (rkm->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
        q2o_log(Q2O_LOG_WARN, "kafka consumer event", "client", rd_kafka_name(rk), "error", q2o_err_name(err),
                "detail", detail, "topic", rkm->rkt ? rd_kafka_topic_name(rkm->rkt) : "", (const char *)NULL);
    rd_kafka_message_destroy(rkm);
    /* Only a fatal client error stops the caller; everything else (EOF, a
     * missing topic, a broker hiccup) librdkafka keeps retrying. */
    return rd_kafka_fatal_error(rk, NULL, 0) ? err : Q2O_OK;
}
