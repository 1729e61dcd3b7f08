/*
 * bus_internal.h — what the bus's source files share: the handle structs,
 * configuration building, and the rd_kafka -> q2o_err translation.
 * Private to common/bus/src.
 */
#ifndef Q2O_BUS_INTERNAL_H
#define Q2O_BUS_INTERNAL_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>
#include <stdint.h>

#include "bus/bus.h"
#include "core/check.h"

/* Bounds of the calls whose public signature has no timeout: committed
 * offsets for a rewind, the watermark query of a reader, init_transactions,
 * the consumer's final close. */
#define BUS_RPC_TIMEOUT_MS 10000
#define BUS_INIT_TXN_TIMEOUT_MS 30000

/* Retries of a retriable call with the same arguments (send_offsets,
 * commit, abort, init) inside the caller's deadline, and of a produce that
 * found the local queue full (each waits BUS_QUEUE_FULL_WAIT_MS serving
 * delivery reports). */
#define BUS_MAX_RETRIES 20
#define BUS_QUEUE_FULL_RETRIES 100
#define BUS_QUEUE_FULL_WAIT_MS 100

/* The consumer is shared with the producer (send_offsets reads its
 * positions and group metadata); the other handles are private to their
 * files. */
struct q2o_bus_consumer {
    rd_kafka_t *rk;
    q2o_bus_rebalance_fn fn;
    void *ctx;
    rd_kafka_topic_partition_list_t *start; /* offsets the assign callback chose */
    q2o_err sticky;                          /* a rebalance failed: poll reports it */
};

/* A librdkafka property as (key, value). */
typedef struct bus_kv {
    const char *key;
    const char *value;
} bus_kv;

typedef struct bus_kvs {
    const bus_kv *kv;
    size_t n;
} bus_kvs;

#define BUS_KVS(arr) ((bus_kvs){(arr), sizeof(arr) / sizeof((arr)[0])})

/* snprintf into a caller's detail buffer (NULL or size 0: nothing). */
void bus_detail(char *detail, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A conf for one client: bootstrap, then `defaults`, then the config's
 * passthrough properties (which may override defaults), then `forced`
 * (what q2o's correctness depends on: never overridable). Log and error
 * callbacks are installed. Q2O_KAFKA_CONFIG names the bad property. */
q2o_err bus_conf_new(const q2o_bus_config *cfg, bus_kvs defaults, bus_kvs forced, rd_kafka_conf_t **out,
                     char *detail, size_t detail_size);
/* One property; Q2O_KAFKA_CONFIG with librdkafka's message. */
q2o_err bus_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value, char *detail, size_t detail_size);
/* rd_kafka_new; takes conf in every case (destroys it on failure). */
q2o_err bus_client_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, rd_kafka_t **out, char *detail,
                       size_t detail_size);
/* A plain producer handle for admin and metadata calls. */
q2o_err bus_admin_client(const q2o_bus_config *cfg, rd_kafka_t **out, char *detail, size_t detail_size);

/* Classify an rd_kafka_error_t (transactional APIs) and destroy it.
 * NULL is Q2O_OK. */
q2o_err bus_error_take(rd_kafka_error_t *error, char *detail, size_t detail_size);
/* Classify a plain response code; rk (may be NULL) tells a fenced fatal
 * from another fatal error. */
q2o_err bus_resp_err(rd_kafka_t *rk, rd_kafka_resp_err_t err, char *detail, size_t detail_size);
int bus_is_retry(q2o_err err);
/* Sleep a short backoff (100 ms), never past the deadline. */
void bus_backoff(int64_t deadline_ms);
/* Install the log and error callbacks (every handle, incl. the mock host). */
void bus_conf_callbacks(rd_kafka_conf_t *conf);

/* Milliseconds left until a monotonic deadline (>= 0). */
int64_t bus_deadline(int timeout_ms);
int bus_remaining_ms(int64_t deadline_ms);

/* Wrap a polled message (takes it; destroys it on failure). */
q2o_err bus_msg_wrap(rd_kafka_message_t *rkm, q2o_bus_msg **out);

/* Group consumer or reader handle with the shared consumer settings
 * (read_committed, no auto commit or store); conf_fn may add callbacks. */
q2o_err bus_consumer_handle(const q2o_bus_config *cfg, const char *group_id, void *opaque,
                            void (*conf_fn)(rd_kafka_conf_t *conf), rd_kafka_t **out, char *detail,
                            size_t detail_size);
/* Handle a consumer-poll result: a message is wrapped into *out; an event
 * (EOF, transient error) is logged and *out stays NULL; a fatal error is
 * returned. Takes rkm. */
q2o_err bus_consumed(rd_kafka_t *rk, rd_kafka_message_t *rkm, q2o_bus_msg **out);

#endif
