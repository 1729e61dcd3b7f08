/* bus_consumer.c — the group consumer: eager range assignment, read
 * committed, offsets only ever committed through a transaction. */
#include <stdlib.h>
#include <string.h>

#include "bus_internal.h"
#include "core/log.h"
#include "core/strutil.h"

q2o_err bus_consumer_handle(const q2o_bus_config *cfg, const char *group_id, void *opaque,
                            void (*conf_fn)(rd_kafka_conf_t *conf), rd_kafka_t **out, char *detail,
                            size_t detail_size)
{
    static const bus_kv defaults[] = {{"client.id", "q2o-consumer"}};
    /* The exactly-once loop depends on these: eager assignment
     * (cooperative-sticky has transaction bugs in 2.0.x), no offsets
     * stored or committed behind the worker's back, aborted data never
     * seen, and a group with no committed offset starting at the
     * beginning of the log. */
    const bus_kv forced[] = {
        {"group.id", group_id},
        {"partition.assignment.strategy", "range"},
        {"isolation.level", "read_committed"},
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"auto.offset.reset", "earliest"},
        {"enable.partition.eof", "false"},
    };
    rd_kafka_conf_t *conf;
    q2o_err err = bus_conf_new(cfg, BUS_KVS(defaults), BUS_KVS(forced), &conf, detail, detail_size);
    if (err != Q2O_OK)
        return err;
    rd_kafka_conf_set_opaque(conf, opaque);
    if (conf_fn)
        conf_fn(conf);
    err = bus_client_new(RD_KAFKA_CONSUMER, conf, out, detail, detail_size);
    if (err == Q2O_OK)
        rd_kafka_poll_set_consumer(*out); /* callbacks are served by consumer_poll */
    return err;
}

/* Tell the user about an assignment or revocation; on assignment copy the
 * start offsets it chose back into the list librdkafka will assign. */
static q2o_err notify(q2o_bus_consumer *c, int assigned, rd_kafka_topic_partition_list_t *parts)
{
    size_t n = (size_t)parts->cnt;
    q2o_bus_partition *arr = calloc(n ? n : 1, sizeof *arr);
    if (!arr)
        return Q2O_NO_MEMORY;
    if (!assigned)
        rd_kafka_position(c->rk, parts); /* revoke: where consumption stopped */
    for (size_t i = 0; i < n; i++) {
        q2o_strlcpy(arr[i].topic, parts->elems[i].topic, sizeof arr[i].topic);
        arr[i].partition = parts->elems[i].partition;
        arr[i].offset = assigned ? RD_KAFKA_OFFSET_STORED : parts->elems[i].offset;
    }
    if (c->fn)
        c->fn(c->ctx, assigned, arr, n);
    for (size_t i = 0; assigned && i < n; i++)
        parts->elems[i].offset = arr[i].offset;
    free(arr);
    return Q2O_OK;
}

static void remember_start(q2o_bus_consumer *c, const rd_kafka_topic_partition_list_t *parts)
{
    if (c->start)
        rd_kafka_topic_partition_list_destroy(c->start);
    c->start = parts ? rd_kafka_topic_partition_list_copy(parts) : NULL;
}

/* Eager protocol: the whole assignment changes at once. */
static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t why, rd_kafka_topic_partition_list_t *parts,
                         void *opaque)
{
    q2o_bus_consumer *c = opaque;
    char detail[256] = "";
    int assign = why == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
    q2o_err err = why == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS || why == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS
                      ? notify(c, assign, parts)
                      : Q2O_OK;
    remember_start(c, assign ? parts : NULL);
    rd_kafka_resp_err_t rerr = rd_kafka_assign(rk, assign ? parts : NULL);
    if (err == Q2O_OK)
        err = bus_resp_err(rk, rerr, detail, sizeof detail);
    if (err != Q2O_OK && !c->sticky) {
        c->sticky = err;
        q2o_log(Q2O_LOG_ERROR, "kafka rebalance failed", "error", q2o_err_name(err), "detail", detail,
                (const char *)NULL);
    }
    q2o_log(Q2O_LOG_INFO, assign ? "partitions assigned" : "partitions revoked", "client", rd_kafka_name(rk),
            "reason", rd_kafka_err2name(why), (const char *)NULL);
}

static void consumer_conf(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
}

q2o_err q2o_bus_consumer_new(const q2o_bus_config *cfg, const char *group_id, q2o_bus_rebalance_fn fn, void *ctx,
                             q2o_bus_consumer **out, char *detail, size_t detail_size)
{
    q2o_bus_consumer *c = calloc(1, sizeof *c);
    q2o_err err;
    *out = NULL;
    if (!c)
        return Q2O_NO_MEMORY;
    c->fn = fn;
    c->ctx = ctx;
    err = bus_consumer_handle(cfg, group_id, c, consumer_conf, &c->rk, detail, detail_size);
    if (err != Q2O_OK) {
        free(c);
        return err;
    }
    *out = c;
    return Q2O_OK;
}

q2o_err q2o_bus_consumer_subscribe(q2o_bus_consumer *c, const char *const *topics, size_t n)
{
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)n);
    for (size_t i = 0; i < n; i++)
        rd_kafka_topic_partition_list_add(list, topics[i], RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t rerr = rd_kafka_subscribe(c->rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    return bus_resp_err(c->rk, rerr, NULL, 0);
}

q2o_err q2o_bus_consumer_poll(q2o_bus_consumer *c, int timeout_ms, q2o_bus_msg **out)
{
    *out = NULL;
    if (c->sticky)
        return c->sticky;
    q2o_err err = bus_consumed(c->rk, rd_kafka_consumer_poll(c->rk, timeout_ms), out);
    if (err == Q2O_OK && c->sticky) {
        q2o_bus_msg_free(*out);
        *out = NULL;
        err = c->sticky;
    }
    return err;
}

/* The first per-partition error of a list, classified. */
static q2o_err parts_err(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *parts, char *detail,
                         size_t detail_size)
{
    for (int i = 0; i < parts->cnt; i++)
        if (parts->elems[i].err)
            return bus_resp_err(rk, parts->elems[i].err, detail, detail_size);
    return Q2O_OK;
}

/* Where to go back to: the committed offset; without one, the offset the
 * assignment started from if the callback chose one, else the beginning
 * (what auto.offset.reset=earliest would do). */
static void choose_rewind(const q2o_bus_consumer *c, rd_kafka_topic_partition_list_t *parts)
{
    for (int i = 0; i < parts->cnt; i++) {
        rd_kafka_topic_partition_t *p = &parts->elems[i];
        if (p->offset >= 0)
            continue;
        rd_kafka_topic_partition_t *s =
            c->start ? rd_kafka_topic_partition_list_find(c->start, p->topic, p->partition) : NULL;
        p->offset = s && s->offset >= 0 ? s->offset : RD_KAFKA_OFFSET_BEGINNING;
    }
}

q2o_err q2o_bus_consumer_rewind(q2o_bus_consumer *c, char *detail, size_t detail_size)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    q2o_err err = bus_resp_err(c->rk, rd_kafka_assignment(c->rk, &parts), detail, detail_size);
    if (err != Q2O_OK || parts->cnt == 0)
        goto out;
    err = bus_resp_err(c->rk, rd_kafka_committed(c->rk, parts, BUS_RPC_TIMEOUT_MS), detail, detail_size);
    if (err == Q2O_OK)
        err = parts_err(c->rk, parts, detail, detail_size);
    if (err != Q2O_OK)
        goto out;
    choose_rewind(c, parts);
    /* Seeking drops messages already fetched for these partitions. */
    err = bus_error_take(rd_kafka_seek_partitions(c->rk, parts, BUS_RPC_TIMEOUT_MS), detail, detail_size);
    if (err == Q2O_OK)
        err = parts_err(c->rk, parts, detail, detail_size);
out:
    if (parts)
        rd_kafka_topic_partition_list_destroy(parts);
    return err;
}

/* The assignment with each partition's position (next offset to consume;
 * RD_KAFKA_OFFSET_INVALID before the first message). Caller destroys. */
static rd_kafka_topic_partition_list_t *positions(rd_kafka_t *rk)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    if (rd_kafka_assignment(rk, &parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return NULL;
    rd_kafka_position(rk, parts);
    return parts;
}

size_t q2o_bus_consumer_assignment(q2o_bus_consumer *c, q2o_bus_partition *parts, size_t max)
{
    rd_kafka_topic_partition_list_t *list = positions(c->rk);
    size_t n = 0;
    for (; list && n < (size_t)list->cnt && n < max; n++) {
        q2o_strlcpy(parts[n].topic, list->elems[n].topic, sizeof parts[n].topic);
        parts[n].partition = list->elems[n].partition;
        parts[n].offset = list->elems[n].offset;
    }
    if (list)
        rd_kafka_topic_partition_list_destroy(list);
    return n;
}

q2o_err q2o_bus_consumer_lag(q2o_bus_consumer *c, int64_t *total_lag)
{
    rd_kafka_topic_partition_list_t *list = positions(c->rk);
    *total_lag = 0;
    if (!list)
        return Q2O_KAFKA_FATAL;
    for (int i = 0; i < list->cnt; i++) {
        const rd_kafka_topic_partition_t *p = &list->elems[i];
        int64_t lo, hi;
        /* Cached watermarks from fetch responses: no request, fit for a
         * metrics scrape. Not consumed yet: count from the log start. */
        if (rd_kafka_get_watermark_offsets(c->rk, p->topic, p->partition, &lo, &hi) || hi < 0)
            continue;
        int64_t pos = p->offset >= 0 ? p->offset : lo > 0 ? lo : 0;
        *total_lag += hi > pos ? hi - pos : 0;
    }
    rd_kafka_topic_partition_list_destroy(list);
    return Q2O_OK;
}

void q2o_bus_consumer_free(q2o_bus_consumer *c)
{
    if (!c)
        return;
    rd_kafka_consumer_close(c->rk); /* revokes (the callback runs), leaves the group */
    rd_kafka_destroy(c->rk);
    remember_start(c, NULL);
    free(c);
}
