/*
 * bus/bus.h — q2o's Kafka layer: the only place that includes rdkafka.h.
 *
 * What it offers, in the order a worker uses it:
 *   - configuration: bootstrap servers, topic prefix, and any librdkafka
 *     property passed through (TLS, SASL, timeouts);
 *   - topic names (prefix + fixed suffixes) and topic creation (admin API);
 *   - a group consumer (eager range assignor, read_committed, no auto
 *     commit, no auto offset store) with assignment callbacks;
 *   - a reader: a group-less consumer assigned to one partition, read
 *     committed, for restoring a projection from the events topic;
 *   - a transactional producer: begin, produce (with CloudEvents headers),
 *     send the consumer's offsets with fresh group metadata, commit/abort;
 *   - the dead-letter topic;
 *   - the embedded development broker (librdkafka's mock cluster) and its
 *     fault injection, for the demo and client error-handling tests only
 *     (it does not store transactional offsets, filter aborted
 *     transactions or fence zombies: exactly-once is proven on real Kafka).
 *
 * Errors: every librdkafka error is translated here into core/error.h:
 * KAFKA_RETRIABLE / KAFKA_TIMEOUT (retry the call), KAFKA_ABORTABLE (abort
 * the transaction, rewind the consumer to its committed offsets, redo the
 * batch), KAFKA_FENCED / KAFKA_FATAL (destroy the producer, exit non-zero),
 * KAFKA_CONFIG (bad property), KAFKA_UNKNOWN_TOPIC. Anything librdkafka does
 * not classify is treated as fatal. The librdkafka message text goes into
 * the caller's detail buffer.
 *
 * Threads: each object belongs to the thread that created it (librdkafka's
 * own threads are internal). Callbacks run inside q2o_bus_consumer_poll on
 * the caller's thread.
 *
 * Memory: _new/_free pairs; _free accepts NULL. A polled message is owned by
 * the caller until q2o_bus_msg_free; its pointers live as long as it does.
 */
#ifndef Q2O_BUS_BUS_H
#define Q2O_BUS_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* ------------------------------------------------------------ config */

#define Q2O_BUS_MAX_PROPS 64
#define Q2O_BUS_NAME_MAX 256

typedef struct q2o_bus_prop {
    char key[128];
    char value[512];
} q2o_bus_prop;

typedef struct q2o_bus_config {
    char bootstrap[Q2O_BUS_NAME_MAX];   /* "127.0.0.1:9092,..." */
    char topic_prefix[64];              /* default "q2o." */
    int32_t partitions;                 /* of every quote topic (co-partitioned) */
    int16_t replication;                /* for topic creation */
    uint32_t n_props;                   /* passed to every client as is */
    q2o_bus_prop props[Q2O_BUS_MAX_PROPS];
} q2o_bus_config;

/* Defaults: bootstrap "127.0.0.1:9092", prefix "q2o.", 6 partitions,
 * replication 1, no extra properties. */
void q2o_bus_config_default(q2o_bus_config *cfg);

/* Add or replace a librdkafka property. Q2O_CONFIG_INVALID if it does not
 * fit or the table is full. */
q2o_err q2o_bus_config_set(q2o_bus_config *cfg, const char *key, const char *value);

/* ------------------------------------------------------------ topics */

typedef enum q2o_topic {
    Q2O_TOPIC_QUOTE_COMMANDS,   /* "<prefix>quote.commands" keyed by quote id */
    Q2O_TOPIC_QUOTE_EVENTS,     /* "<prefix>quote.events" retention -1, never compacted */
    Q2O_TOPIC_QUOTE_RESULTS,    /* "<prefix>quote.results" */
    Q2O_TOPIC_ORDER_EVENTS,     /* "<prefix>order.events" */
    Q2O_TOPIC_DEADLETTER,       /* "<prefix>deadletter" */
    Q2O_TOPIC_CATALOG,          /* "<prefix>catalog" compacted */
    Q2O_TOPIC_DOCUMENT_EVENTS,  /* "<prefix>document.events" keyed by quote id (JSON,
                                   runtime/document_worker.h) */
    Q2O_TOPIC__COUNT
} q2o_topic;

/* The full name of a topic under cfg's prefix; returns out. */
const char *q2o_bus_topic(const q2o_bus_config *cfg, q2o_topic t, char *out, size_t size);

/* Create every q2o topic with its partitions and configs (events:
 * retention.ms=-1 cleanup.policy=delete; catalog: cleanup.policy=compact).
 * Topics that already exist are fine. timeout_ms bounds the whole call.
 * The result is checked in the cluster's metadata: a missing topic is
 * Q2O_KAFKA_UNKNOWN_TOPIC, a quote topic whose partition count differs from
 * cfg->partitions is Q2O_CONFIG_INVALID (co-partitioning). When every topic
 * exists already, no CreateTopics request is sent: that is how this works
 * against the embedded broker (the mock never answers CreateTopics). */
q2o_err q2o_bus_create_topics(const q2o_bus_config *cfg, int timeout_ms, char *detail, size_t detail_size);

/* Wait until the cluster answers a metadata request (readiness). */
q2o_err q2o_bus_wait_ready(const q2o_bus_config *cfg, int timeout_ms, char *detail, size_t detail_size);

/* ---------------------------------------------------------- messages */

#define Q2O_BUS_MAX_HEADERS 16

typedef struct q2o_bus_header {
    const char *name;
    const void *value;
    size_t len;
} q2o_bus_header;

typedef struct q2o_bus_msg {
    const char *topic;
    int32_t partition;
    int64_t offset;
    const void *key;
    size_t key_len;
    const void *value;
    size_t value_len;
    int64_t timestamp_ms;
    uint32_t n_headers;
    q2o_bus_header headers[Q2O_BUS_MAX_HEADERS]; /* first Q2O_BUS_MAX_HEADERS only */
    void *impl_;                                  /* rd_kafka_message_t */
} q2o_bus_msg;

void q2o_bus_msg_free(q2o_bus_msg *msg);
/* A header's value by name (first match), or NULL. */
const q2o_bus_header *q2o_bus_msg_header(const q2o_bus_msg *msg, const char *name);

/* Header names. CloudEvents extension attributes are lowercase
 * alphanumerics, hence "ce_correlationid" (no inner underscore); the W3C
 * trace context travels as the plain "traceparent" header that OpenTelemetry
 * Kafka propagators read. */
#define Q2O_CE_SPECVERSION "ce_specversion"
#define Q2O_CE_ID "ce_id"
#define Q2O_CE_TYPE "ce_type"
#define Q2O_CE_SOURCE "ce_source"
#define Q2O_CE_TIME "ce_time"
#define Q2O_CE_SUBJECT "ce_subject"
#define Q2O_CE_CONTENT_TYPE "content-type"
#define Q2O_CE_CORRELATION_ID "ce_correlationid"
#define Q2O_CE_CAUSATION_ID "ce_causationid"
#define Q2O_CE_TRACEPARENT "traceparent"
/* Dead-letter headers (see q2o_bus_deadletter). */
#define Q2O_DLQ_REASON "q2o-dlq-reason"
#define Q2O_DLQ_DETAIL "q2o-dlq-detail"
#define Q2O_DLQ_TOPIC "q2o-dlq-topic"
#define Q2O_DLQ_PARTITION "q2o-dlq-partition"
#define Q2O_DLQ_OFFSET "q2o-dlq-offset"

/* CloudEvents Kafka binding, binary mode: ce_specversion "1.0", ce_id,
 * ce_type, ce_source, ce_time (RFC 3339), ce_subject, content-type
 * "application/avro", plus correlation_id, causation_id and W3C
 * traceparent when given. Fills hdrs (at most Q2O_BUS_MAX_HEADERS) from
 * strings the caller keeps alive until the produce call returns. */
typedef struct q2o_cloudevent {
    const char *id, *type, *source, *subject, *time, *correlation_id, *causation_id, *traceparent;
} q2o_cloudevent;
uint32_t q2o_bus_ce_headers(const q2o_cloudevent *ce, q2o_bus_header *hdrs);

/* ---------------------------------------------------------- consumer */

typedef struct q2o_bus_consumer q2o_bus_consumer;

typedef struct q2o_bus_partition {
    char topic[Q2O_BUS_NAME_MAX];
    int32_t partition;
    int64_t offset; /* meaning depends on the call */
} q2o_bus_partition;

/* Called inside poll when partitions are assigned (before any of their
 * messages is returned) or revoked (after the last one). On assignment the
 * callee may set each partition's start offset (offset field; -1000 =
 * the committed offset, which is the default) — the worker restores its
 * projection here, then lets consumption begin. */
typedef void (*q2o_bus_rebalance_fn)(void *ctx, int assigned, q2o_bus_partition *parts, size_t n);

/* Forced whatever the passthrough properties say: group.id,
 * partition.assignment.strategy=range, isolation.level=read_committed,
 * enable.auto.commit=false, enable.auto.offset.store=false,
 * auto.offset.reset=earliest, enable.partition.eof=false. */
q2o_err q2o_bus_consumer_new(const q2o_bus_config *cfg, const char *group_id, q2o_bus_rebalance_fn fn,
                             void *ctx, q2o_bus_consumer **out, char *detail, size_t detail_size);
q2o_err q2o_bus_consumer_subscribe(q2o_bus_consumer *c, const char *const *topics, size_t n);
/* One message, or *out = NULL after timeout_ms. Partition EOFs and
 * transient errors are handled inside (logged); a fatal consumer error is
 * returned. */
q2o_err q2o_bus_consumer_poll(q2o_bus_consumer *c, int timeout_ms, q2o_bus_msg **out);
/* Rewind every assigned partition to its committed offset (after an abort).
 * Without a committed offset: the start offset the assign callback chose,
 * else the beginning. Committed offsets are fetched with a 10 s bound. */
q2o_err q2o_bus_consumer_rewind(q2o_bus_consumer *c, char *detail, size_t detail_size);
/* Current assignment (up to max) with each partition's position (next
 * offset to consume; -1001 before the first message); returns the count. */
size_t q2o_bus_consumer_assignment(q2o_bus_consumer *c, q2o_bus_partition *parts, size_t max);
/* Sum over assigned partitions of high watermark - position (metrics).
 * Uses the watermarks cached from fetch responses (no request); a partition
 * not fetched yet counts 0, one not consumed yet counts from its log start. */
q2o_err q2o_bus_consumer_lag(q2o_bus_consumer *c, int64_t *total_lag);
/* Leave the group cleanly (revokes first) and free. Accepts NULL. */
void q2o_bus_consumer_free(q2o_bus_consumer *c);

/* ------------------------------------------------------------ reader */

typedef struct q2o_bus_reader q2o_bus_reader;

/* A group-less, read_committed consumer of one partition from `offset`
 * (an absolute offset, or -2 = beginning). */
q2o_err q2o_bus_reader_new(const q2o_bus_config *cfg, const char *topic, int32_t partition, int64_t offset,
                           q2o_bus_reader **out, char *detail, size_t detail_size);
/* The offset one past the last committed message (the last stable offset):
 * restore reads until its position reaches it. */
q2o_err q2o_bus_reader_end(q2o_bus_reader *r, int64_t *end_offset);
/* Next message or NULL after timeout_ms; *position is the next offset to
 * read (offsets are not contiguous: transaction markers take offsets). It
 * comes from rd_kafka_position, which librdkafka moves past the markers it
 * consumes inside poll, so polling on after the last message brings it to
 * the end offset. Before the first message it is the start offset (0 for
 * -2). It is set on every call, with or without a message. */
q2o_err q2o_bus_reader_poll(q2o_bus_reader *r, int timeout_ms, q2o_bus_msg **out, int64_t *position);
void q2o_bus_reader_free(q2o_bus_reader *r);

/* ---------------------------------------------------------- producer */

typedef struct q2o_bus_producer q2o_bus_producer;

/* transactional_id NULL: a plain idempotent producer (q2octl, dead letters
 * outside a transaction). Otherwise init_transactions is done here (bounded
 * by 30 s). acks=all and idempotence are forced; linger.ms=5,
 * transaction.timeout.ms=60000 and message.timeout.ms=50000 are defaults
 * the passthrough properties may override. */
q2o_err q2o_bus_producer_new(const q2o_bus_config *cfg, const char *transactional_id, q2o_bus_producer **out,
                             char *detail, size_t detail_size);
q2o_err q2o_bus_txn_begin(q2o_bus_producer *p, char *detail, size_t detail_size);
/* Enqueue one message; partition -1 = by key. The producer sets
 * partitioner=murmur2_random (librdkafka's own default, consistent_random,
 * is CRC32-based and NOT compatible with Java clients). Retries a full
 * local queue (bounded, serving delivery reports). A transactional producer
 * must have a transaction open; after a failed delivery inside it this
 * returns Q2O_KAFKA_ABORTABLE. */
q2o_err q2o_bus_produce(q2o_bus_producer *p, const char *topic, int32_t partition, const void *key, size_t key_len,
                        const void *value, size_t value_len, const q2o_bus_header *hdrs, uint32_t n_hdrs);
/* Offsets of the consumer's current positions, with group metadata read
 * right now; retriable errors are retried inside with the same arguments. */
q2o_err q2o_bus_txn_send_offsets(q2o_bus_producer *p, q2o_bus_consumer *c, int timeout_ms, char *detail,
                                 size_t detail_size);
/* commit_transaction(-1 semantics: bounded by timeout_ms, resumed on retriable). */
q2o_err q2o_bus_txn_commit(q2o_bus_producer *p, int timeout_ms, char *detail, size_t detail_size);
q2o_err q2o_bus_txn_abort(q2o_bus_producer *p, int timeout_ms, char *detail, size_t detail_size);
/* Non-transactional only: enqueue one message (as q2o_bus_produce) and
 * wait at most timeout_ms (> 0) for its delivery report; *offset is the
 * offset it was written at (acks=all). Errors: those of q2o_bus_produce,
 * the delivery's (MSG_SIZE_TOO_LARGE, ... translated), KAFKA_TIMEOUT when
 * no report came in time (the message may still be written later),
 * INVALID_ARGUMENT on a transactional producer. A message larger than the
 * client's message.max.bytes is refused here: set it (and the topic's
 * max.message.bytes) for big messages. detail gets librdkafka's text. */
q2o_err q2o_bus_produce_wait(q2o_bus_producer *p, const char *topic, int32_t partition, const void *key,
                             size_t key_len, const void *value, size_t value_len, const q2o_bus_header *hdrs,
                             uint32_t n_hdrs, int timeout_ms, int64_t *offset, char *detail, size_t detail_size);
/* Non-transactional: wait for delivery of everything produced. */
q2o_err q2o_bus_flush(q2o_bus_producer *p, int timeout_ms);
void q2o_bus_producer_free(q2o_bus_producer *p);

/* Dead letter: the original bytes, key and headers plus q2o-dlq-reason
 * (error name), q2o-dlq-detail, q2o-dlq-topic, q2o-dlq-partition,
 * q2o-dlq-offset. Inside the producer's open transaction when it has one. */
q2o_err q2o_bus_deadletter(q2o_bus_producer *p, const q2o_bus_config *cfg, const q2o_bus_msg *orig, q2o_err why,
                           const char *detail);

/* ------------------------------------------------- embedded broker */

typedef struct q2o_bus_mock q2o_bus_mock;

/* Start librdkafka's mock cluster with `brokers` brokers; its bootstrap
 * address is written to bootstrap. The cluster lives in this process. */
q2o_err q2o_bus_mock_start(int brokers, q2o_bus_mock **out, char *bootstrap, size_t size);
void q2o_bus_mock_stop(q2o_bus_mock *m);
/* Fault injection (client error-handling tests): */
q2o_err q2o_bus_mock_broker_down(q2o_bus_mock *m, int32_t broker_id);
q2o_err q2o_bus_mock_broker_up(q2o_bus_mock *m, int32_t broker_id);
q2o_err q2o_bus_mock_set_leader(q2o_bus_mock *m, const char *topic, int32_t partition, int32_t broker_id);
/* The next `count` requests of protocol API `api_key` fail with the Kafka
 * error number `kafka_err` (e.g. Produce 0, Fetch 1, EndTxn 26). */
q2o_err q2o_bus_mock_push_errors(q2o_bus_mock *m, int api_key, int kafka_err, size_t count);
q2o_err q2o_bus_mock_create_topic(q2o_bus_mock *m, const char *topic, int partitions);

#endif
