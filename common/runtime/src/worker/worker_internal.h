/*
 * worker_internal.h — what the worker's source files share: the worker and
 * batch structs, metrics, the HTTP endpoint. Private to src/worker.
 */
#ifndef Q2O_WORKER_INTERNAL_H
#define Q2O_WORKER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "core/check.h"
#include "runtime/worker.h"

/* ---- metrics ---------------------------------------------------------- */

/* Histogram bucket upper bounds in seconds (Prometheus "le"). */
#define WM_BUCKETS 12
extern const double wm_bucket_le[WM_BUCKETS];

typedef struct wm_hist {
    _Atomic uint64_t bucket[WM_BUCKETS + 1]; /* last = +Inf */
    _Atomic uint64_t count;
    _Atomic uint64_t sum_ns;
} wm_hist;

typedef struct wm_metrics {
    _Atomic uint64_t consumed, produced, rejected, deadlettered;
    _Atomic uint64_t batches, commits, aborts, restore_events;
    _Atomic int64_t lag;
    wm_hist batch_seconds, commit_seconds;
} wm_metrics;

void wm_observe(wm_hist *h, uint64_t ns);

/* ---- HTTP endpoint ---------------------------------------------------- */

/* Bounded: concurrent connections, request bytes, response bytes. */
#define WH_MAX_CONNS 16
#define WH_MAX_REQUEST 2048
#define WH_MAX_RESPONSE (64 * 1024)
#define WH_IDLE_MS 5000

typedef struct wh_server wh_server;
/* Listen on port (-1: ephemeral) on all interfaces and serve w in a new
 * thread. Errors: STORE_IO is not right for sockets; CONFIG_INVALID with
 * the reason (port in use) in detail. */
q2o_err wh_start(q2o_worker *w, int port, wh_server **out, char *detail, size_t detail_size);
int wh_port(const wh_server *s);
void wh_stop(wh_server *s); /* joins the thread; accepts NULL */

/* ---- worker ----------------------------------------------------------- */

typedef struct wk_part {
    int topic;          /* q2o_topic */
    int32_t partition;
} wk_part;

typedef struct wk_poison {
    int topic;
    int32_t partition;
    int64_t offset;
    q2o_err why;
} wk_poison;

typedef struct wk_delivered {
    char topic[Q2O_BUS_NAME_MAX];
    int32_t partition;
    int64_t max_offset;
} wk_delivered;

struct q2o_worker_batch {
    q2o_worker *w;
    q2o_store_txn *txn;
    uint64_t produced, rejected, deadlettered; /* added to the metrics on commit */
    size_t n_delivered;
    wk_delivered delivered[Q2O_WORKER_MAX_PARTITIONS];
};

struct q2o_worker {
    q2o_config cfg;
    const q2o_worker_ops *ops;
    void *ctx;
    char topics[Q2O_TOPIC__COUNT][Q2O_BUS_NAME_MAX];

    /* worker-thread state */
    q2o_store *store;
    q2o_bus_consumer *consumer;
    q2o_bus_producer *producer;
    wh_server *http;
    wk_part assigned[Q2O_WORKER_MAX_PARTITIONS];
    size_t n_assigned;
    unsigned rebalances;       /* bumped by every rebalance callback */
    q2o_err fatal;             /* set by a callback: the run ends */
    wk_poison poison[Q2O_WORKER_MAX_POISON];
    size_t n_poison, next_poison;
    q2o_worker_batch batch;

    /* any thread */
    atomic_int stop;
    atomic_int running;
    atomic_int ready;
    atomic_int http_port;
    wm_metrics m;
};

/* Topic index of a full topic name, or -1. */
int wk_topic_index(const q2o_worker *w, const char *topic);

#endif
