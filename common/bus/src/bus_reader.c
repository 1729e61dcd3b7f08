/* bus_reader.c — a group-less read_committed reader of one partition, for
 * restoring a projection from the events topic. */
#include <stdlib.h>

#include "bus_internal.h"
#include "core/id.h"
#include "core/limits.h"
#include "core/strutil.h"
#include "core/timeutil.h"

struct q2o_bus_reader {
    rd_kafka_t *rk;
    rd_kafka_topic_partition_list_t *tp; /* the one partition, for rd_kafka_position */
    int64_t next;                        /* next offset to read, as far as known */
};

static q2o_err reader_assign(q2o_bus_reader *r, const char *topic, int32_t partition, int64_t offset,
                             char *detail, size_t detail_size)
{
    r->tp = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(r->tp, topic, partition)->offset = offset;
    r->next = offset >= 0 ? offset : 0;
    return bus_resp_err(r->rk, rd_kafka_assign(r->rk, r->tp), detail, detail_size);
}

q2o_err q2o_bus_reader_new(const q2o_bus_config *cfg, const char *topic, int32_t partition, int64_t offset,
                           q2o_bus_reader **out, char *detail, size_t detail_size)
{
    /* librdkafka's assign needs a consumer group handle, so the reader has
     * a unique throwaway group id; it never joins (no subscribe) and never
     * commits. */
    char group[Q2O_ID_MAX + 16];
    q2o_bus_reader *r;
    q2o_err err;
    *out = NULL;
    if (!topic || partition < 0 || (offset < 0 && offset != RD_KAFKA_OFFSET_BEGINNING))
        return Q2O_INVALID_ARGUMENT;
    if (!(r = calloc(1, sizeof *r)))
        return Q2O_NO_MEMORY;
    err = q2o_id_new("q2o-reader", q2o_time_now_ms(), group, sizeof group);
    if (err == Q2O_OK)
        err = bus_consumer_handle(cfg, group, r, NULL, &r->rk, detail, detail_size);
    if (err == Q2O_OK)
        err = reader_assign(r, topic, partition, offset, detail, detail_size);
    if (err != Q2O_OK) {
        q2o_bus_reader_free(r);
        return err;
    }
    *out = r;
    return Q2O_OK;
}

/* A read_committed handle's ListOffsets(latest) request carries
 * isolation_level=1, so the broker answers the last stable offset. */
q2o_err q2o_bus_reader_end(q2o_bus_reader *r, int64_t *end_offset)
{
    int64_t lo = 0, hi = 0;
    const rd_kafka_topic_partition_t *p = &r->tp->elems[0];
    rd_kafka_resp_err_t rerr =
        rd_kafka_query_watermark_offsets(r->rk, p->topic, p->partition, &lo, &hi, BUS_RPC_TIMEOUT_MS);
    *end_offset = hi;
    return bus_resp_err(r->rk, rerr, NULL, 0);
}

/* The position comes from rd_kafka_position, not from counting messages:
 * librdkafka moves it past transaction markers (control records it
 * consumes without returning them) when they are served inside poll, so
 * after the last message of a committed transaction a further poll brings
 * the position to the end offset, which message offset + 1 never would. */
q2o_err q2o_bus_reader_poll(q2o_bus_reader *r, int timeout_ms, q2o_bus_msg **out, int64_t *position)
{
    q2o_err err = bus_consumed(r->rk, rd_kafka_consumer_poll(r->rk, timeout_ms), out);
    if (*out && (*out)->offset + 1 > r->next)
        r->next = (*out)->offset + 1;
    if (rd_kafka_position(r->rk, r->tp) == RD_KAFKA_RESP_ERR_NO_ERROR && r->tp->elems[0].offset > r->next)
        r->next = r->tp->elems[0].offset;
    *position = r->next;
    return err;
}

void q2o_bus_reader_free(q2o_bus_reader *r)
{
    if (!r)
        return;
    if (r->rk) {
        rd_kafka_consumer_close(r->rk);
        rd_kafka_destroy(r->rk);
    }
    if (r->tp)
        rd_kafka_topic_partition_list_destroy(r->tp);
    free(r);
}
