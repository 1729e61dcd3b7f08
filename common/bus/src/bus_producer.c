/* bus_producer.c — the idempotent / transactional producer, the
 * transaction calls with their retry rules, and dead letters. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus_internal.h"
#include "core/log.h"

struct q2o_bus_producer {
    rd_kafka_t *rk;
    int transactional;
    int in_txn;                 /* begun and not yet committed or aborted */
    rd_kafka_resp_err_t dr_err; /* first delivery error since the last check */
    char dr_detail[256];
    /* q2o_bus_produce_wait: the message waited for carries wait_seq as its
     * opaque (a number, never a pointer: a report that comes after the
     * waiter gave up must not write into a dead stack frame). */
    uintptr_t wait_seq;
    int wait_done;
    rd_kafka_resp_err_t wait_err;
    int64_t wait_offset;
};

/* Delivery reports are served by rd_kafka_poll/flush on the caller's
 * thread (produce polls, flush and commit_transaction flush). */
static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    q2o_bus_producer *p = opaque;
    if (m->_private && (uintptr_t)m->_private == p->wait_seq) {
        p->wait_done = 1;
        p->wait_err = m->err;
        p->wait_offset = m->offset;
    }
    if (!m->err)
        return;
    q2o_log(Q2O_LOG_WARN, "kafka delivery failed", "client", rd_kafka_name(rk), "topic", rd_kafka_topic_name(m->rkt),
            "error", rd_kafka_err2name(m->err), (const char *)NULL);
    if (p->dr_err)
        return;
    p->dr_err = m->err;
    bus_detail(p->dr_detail, sizeof p->dr_detail, "delivery to %s [%" PRId32 "] failed: %s",
               rd_kafka_topic_name(m->rkt), m->partition, rd_kafka_err2str(m->err));
}

/* A transactional call that takes (handle, argument, timeout). */
typedef rd_kafka_error_t *(*txn_call_fn)(rd_kafka_t *rk, const void *arg, int timeout_ms);

/* Retriable errors are retried with identical arguments until the deadline
 * (init, commit and abort are resumable after a timeout; send_offsets is
 * not resumable, only repeatable). A first timeout_ms < 0 means librdkafka's
 * own bound and is not retried. */
static q2o_err txn_retry(q2o_bus_producer *p, txn_call_fn call, const void *arg, int timeout_ms, char *detail,
                         size_t detail_size)
{
    int64_t deadline = bus_deadline(timeout_ms);
    int t = timeout_ms;
    q2o_err err;
    for (int attempt = 1;; attempt++) {
        err = bus_error_take(call(p->rk, arg, t), detail, detail_size);
        if (!bus_is_retry(err) || attempt >= BUS_MAX_RETRIES || bus_remaining_ms(deadline) == 0)
            break;
        q2o_log(Q2O_LOG_WARN, "kafka transaction call retried", "error", q2o_err_name(err), "detail",
                detail ? detail : "", (const char *)NULL);
        bus_backoff(deadline);
        t = bus_remaining_ms(deadline);
        if (t == 0)
            break;
    }
    return err;
}

static rd_kafka_error_t *call_init(rd_kafka_t *rk, const void *arg, int timeout_ms)
{
    (void)arg;
    return rd_kafka_init_transactions(rk, timeout_ms);
}

static rd_kafka_error_t *call_commit(rd_kafka_t *rk, const void *arg, int timeout_ms)
{
    (void)arg;
    return rd_kafka_commit_transaction(rk, timeout_ms);
}

static rd_kafka_error_t *call_abort(rd_kafka_t *rk, const void *arg, int timeout_ms)
{
    (void)arg;
    return rd_kafka_abort_transaction(rk, timeout_ms);
}

typedef struct offsets_arg {
    const rd_kafka_topic_partition_list_t *offsets;
    const rd_kafka_consumer_group_metadata_t *group;
} offsets_arg;

static rd_kafka_error_t *call_send_offsets(rd_kafka_t *rk, const void *arg, int timeout_ms)
{
    const offsets_arg *a = arg;
    return rd_kafka_send_offsets_to_transaction(rk, a->offsets, a->group, timeout_ms);
}

static q2o_err producer_handle(q2o_bus_producer *p, const q2o_bus_config *cfg, const char *transactional_id,
                               char *detail, size_t detail_size)
{
    /* message.timeout.ms stays below transaction.timeout.ms (librdkafka
     * refuses the opposite); both can be overridden by passthrough. */
    static const bus_kv defaults[] = {
        {"client.id", "q2o-producer"},          {"linger.ms", "5"},
        {"partitioner", "murmur2_random"},      {"transaction.timeout.ms", "60000"},
        {"message.timeout.ms", "50000"},
    };
    const bus_kv forced[] = {
        {"enable.idempotence", "true"},
        {"acks", "all"},
        {"transactional.id", transactional_id},
    };
    bus_kvs f = {forced, transactional_id ? 3 : 2};
    rd_kafka_conf_t *conf;
    q2o_err err = bus_conf_new(cfg, BUS_KVS(defaults), f, &conf, detail, detail_size);
    if (err != Q2O_OK)
        return err;
    rd_kafka_conf_set_opaque(conf, p);
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    return bus_client_new(RD_KAFKA_PRODUCER, conf, &p->rk, detail, detail_size);
}

q2o_err q2o_bus_producer_new(const q2o_bus_config *cfg, const char *transactional_id, q2o_bus_producer **out,
                             char *detail, size_t detail_size)
{
    q2o_bus_producer *p = calloc(1, sizeof *p);
    q2o_err err;
    *out = NULL;
    if (!p)
        return Q2O_NO_MEMORY;
    p->transactional = transactional_id != NULL;
    err = producer_handle(p, cfg, transactional_id, detail, detail_size);
    if (err == Q2O_OK && p->transactional)
        err = txn_retry(p, call_init, NULL, BUS_INIT_TXN_TIMEOUT_MS, detail, detail_size);
    if (err != Q2O_OK) {
        q2o_bus_producer_free(p);
        return err;
    }
    *out = p;
    return Q2O_OK;
}

q2o_err q2o_bus_txn_begin(q2o_bus_producer *p, char *detail, size_t detail_size)
{
    q2o_err err = bus_error_take(rd_kafka_begin_transaction(p->rk), detail, detail_size);
    if (err == Q2O_OK) {
        p->in_txn = 1;
        p->dr_err = RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    return err;
}

static rd_kafka_headers_t *make_headers(const q2o_bus_header *hdrs, uint32_t n)
{
    rd_kafka_headers_t *h = n ? rd_kafka_headers_new(n) : NULL;
    for (uint32_t i = 0; i < n; i++)
        rd_kafka_header_add(h, hdrs[i].name, -1, hdrs[i].value, (ssize_t)hdrs[i].len);
    return h;
}

q2o_err q2o_bus_produce(q2o_bus_producer *p, const char *topic, int32_t partition, const void *key, size_t key_len,
                        const void *value, size_t value_len, const q2o_bus_header *hdrs, uint32_t n_hdrs)
{
    char detail[256] = "";
    rd_kafka_headers_t *h = make_headers(hdrs, n_hdrs);
    /* librdkafka's varargs take non-const pointers; with F_COPY it only
     * reads them. */
    void *k = (void *)(uintptr_t)key, *v = (void *)(uintptr_t)value;
    rd_kafka_resp_err_t rerr;
    for (int attempt = 0;; attempt++) {
        rerr = rd_kafka_producev(p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                 RD_KAFKA_V_KEY(k, key_len), RD_KAFKA_V_VALUE(v, value_len),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
        if (rerr != RD_KAFKA_RESP_ERR__QUEUE_FULL || attempt >= BUS_QUEUE_FULL_RETRIES)
            break;
        rd_kafka_poll(p->rk, BUS_QUEUE_FULL_WAIT_MS); /* deliveries free queue space */
    }
    rd_kafka_poll(p->rk, 0);
    if (!rerr)
        return Q2O_OK;
    if (h)
        rd_kafka_headers_destroy(h); /* still ours when producev failed */
    /* Inside a transaction that hit an abortable error, librdkafka refuses
     * new messages with __STATE: the caller must abort. */
    q2o_err err = p->in_txn && rerr == RD_KAFKA_RESP_ERR__STATE ? Q2O_KAFKA_ABORTABLE
                                                                  : bus_resp_err(p->rk, rerr, detail, sizeof detail);
    q2o_log(Q2O_LOG_WARN, "kafka produce failed", "topic", topic, "error", q2o_err_name(err), "detail", detail,
            (const char *)NULL);
    return err;
}

q2o_err q2o_bus_produce_wait(q2o_bus_producer *p, const char *topic, int32_t partition, const void *key,
                             size_t key_len, const void *value, size_t value_len, const q2o_bus_header *hdrs,
                             uint32_t n_hdrs, int timeout_ms, int64_t *offset, char *detail, size_t detail_size)
{
    if (p->transactional || !topic || timeout_ms <= 0) {
        bus_detail(detail, detail_size, "produce_wait needs a plain producer and a positive timeout");
        return Q2O_INVALID_ARGUMENT;
    }
    rd_kafka_headers_t *h = make_headers(hdrs, n_hdrs);
    void *k = (void *)(uintptr_t)key, *v = (void *)(uintptr_t)value;
    p->wait_seq++;
    p->wait_done = 0;
    rd_kafka_resp_err_t rerr =
        rd_kafka_producev(p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_KEY(k, key_len),
                          RD_KAFKA_V_VALUE(v, value_len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                          RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_OPAQUE((void *)p->wait_seq), RD_KAFKA_V_END);
    if (rerr) {
        if (h)
            rd_kafka_headers_destroy(h);
        return bus_resp_err(p->rk, rerr, detail, detail_size);
    }
    int64_t deadline = bus_deadline(timeout_ms);
    int left;
    while (!p->wait_done && (left = bus_remaining_ms(deadline)) > 0)
        rd_kafka_poll(p->rk, left < 100 ? left : 100); /* serves the delivery report */
    if (!p->wait_done) {
        bus_detail(detail, detail_size, "no delivery report from %s [%" PRId32 "] within %d ms", topic, partition,
                   timeout_ms);
        return Q2O_KAFKA_TIMEOUT;
    }
    if (p->wait_err) {
        q2o_err err = bus_resp_err(p->rk, p->wait_err, detail, detail_size);
        p->dr_err = RD_KAFKA_RESP_ERR_NO_ERROR; /* reported here, not again by the next flush */
        return err;
    }
    *offset = p->wait_offset;
    return Q2O_OK;
}

q2o_err q2o_bus_txn_send_offsets(q2o_bus_producer *p, q2o_bus_consumer *c, int timeout_ms, char *detail,
                                 size_t detail_size)
{
    rd_kafka_topic_partition_list_t *offsets = NULL;
    rd_kafka_consumer_group_metadata_t *group = NULL;
    q2o_err err = bus_resp_err(c->rk, rd_kafka_assignment(c->rk, &offsets), detail, detail_size);
    if (err == Q2O_OK)
        err = bus_resp_err(c->rk, rd_kafka_position(c->rk, offsets), detail, detail_size);
    if (err != Q2O_OK)
        goto out;
    /* Fresh metadata (generation, member id) right before the call; it is
     * reused for the retries, which must repeat the identical request.
     * Partitions not consumed yet have no position: librdkafka skips them. */
    group = rd_kafka_consumer_group_metadata(c->rk);
    offsets_arg arg = {offsets, group};
    err = txn_retry(p, call_send_offsets, &arg, timeout_ms, detail, detail_size);
out:
    if (group)
        rd_kafka_consumer_group_metadata_destroy(group);
    if (offsets)
        rd_kafka_topic_partition_list_destroy(offsets);
    return err;
}

static q2o_err txn_end(q2o_bus_producer *p, txn_call_fn call, int timeout_ms, char *detail, size_t detail_size)
{
    q2o_err err = txn_retry(p, call, NULL, timeout_ms, detail, detail_size);
    if (err == Q2O_OK) {
        p->in_txn = 0;
        p->dr_err = RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    return err;
}

q2o_err q2o_bus_txn_commit(q2o_bus_producer *p, int timeout_ms, char *detail, size_t detail_size)
{
    return txn_end(p, call_commit, timeout_ms, detail, detail_size);
}

q2o_err q2o_bus_txn_abort(q2o_bus_producer *p, int timeout_ms, char *detail, size_t detail_size)
{
    return txn_end(p, call_abort, timeout_ms, detail, detail_size);
}

q2o_err q2o_bus_flush(q2o_bus_producer *p, int timeout_ms)
{
    char detail[256] = "";
    q2o_err err = bus_resp_err(p->rk, rd_kafka_flush(p->rk, timeout_ms), detail, sizeof detail);
    if (err == Q2O_OK && p->dr_err) {
        err = bus_resp_err(p->rk, p->dr_err, NULL, 0);
        q2o_log(Q2O_LOG_WARN, "kafka flush found a failed delivery", "detail", p->dr_detail, (const char *)NULL);
        p->dr_err = RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    return err;
}

void q2o_bus_producer_free(q2o_bus_producer *p)
{
    if (!p)
        return;
    if (p->rk)
        rd_kafka_destroy(p->rk);
    free(p);
}

q2o_err q2o_bus_deadletter(q2o_bus_producer *p, const q2o_bus_config *cfg, const q2o_bus_msg *orig, q2o_err why,
                           const char *detail)
{
    char topic[Q2O_BUS_NAME_MAX], part[16], off[24];
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS + 5];
    uint32_t n = 0;
    snprintf(part, sizeof part, "%" PRId32, orig->partition);
    snprintf(off, sizeof off, "%" PRId64, orig->offset);
    const char *const extra[5][2] = {
        {Q2O_DLQ_REASON, q2o_err_name(why)}, {Q2O_DLQ_DETAIL, detail ? detail : ""},
        {Q2O_DLQ_TOPIC, orig->topic ? orig->topic : ""}, {Q2O_DLQ_PARTITION, part}, {Q2O_DLQ_OFFSET, off},
    };
    for (uint32_t i = 0; i < orig->n_headers && i < Q2O_BUS_MAX_HEADERS; i++)
        hdrs[n++] = orig->headers[i];
    for (size_t i = 0; i < 5; i++)
        hdrs[n++] = (q2o_bus_header){extra[i][0], extra[i][1], strlen(extra[i][1])};
    return q2o_bus_produce(p, q2o_bus_topic(cfg, Q2O_TOPIC_DEADLETTER, topic, sizeof topic), RD_KAFKA_PARTITION_UA,
                           orig->key, orig->key_len, orig->value, orig->value_len, hdrs, n);
}
