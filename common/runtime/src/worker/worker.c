/* worker.c — the exactly-once loop (the contract is runtime/worker.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/strutil.h"
#include "worker_internal.h"

#define COLLECT_IDLE_WAIT_MS 100 /* poll timeout while the batch is empty */
#define LAG_EVERY_NS (1000ull * 1000 * 1000)
#define COMMIT_ATTEMPTS 10
#define ABORT_ATTEMPTS 5

static uint64_t ms_since(uint64_t t0_ns)
{
    return (q2o_time_mono_ns() - t0_ns) / 1000000u;
}

static void sleep_ms(q2o_worker *w, int ms)
{
    /* in slices, so that a stop request cuts a long backoff short */
    while (ms > 0 && !atomic_load(&w->stop)) {
        int slice = ms < 20 ? ms : 20;
        struct timespec ts = {0, (long)slice * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        ms -= slice;
    }
}

static void log_err(q2o_log_level lvl, const char *msg, q2o_err e, const char *detail)
{
    q2o_log(lvl, msg, "error", q2o_err_name(e), "detail", detail ? detail : "", (const char *)NULL);
}

int wk_topic_index(const q2o_worker *w, const char *topic)
{
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++)
        if (strcmp(w->topics[t], topic) == 0)
            return t;
    return -1;
}

/* ------------------------------------------------------------ lifecycle */

q2o_err q2o_worker_new(const q2o_config *cfg, const q2o_worker_ops *ops, void *ctx, q2o_worker **out)
{
    Q2O_CHECK(cfg && ops && out);
    *out = NULL;
    if (!ops->handle || ops->n_inputs == 0 || ops->n_inputs > Q2O_WORKER_MAX_INPUTS)
        return Q2O_INVALID_ARGUMENT;
    if (ops->tick && ops->tick_interval_ms <= 0)
        return Q2O_INVALID_ARGUMENT;
    q2o_worker *w = calloc(1, sizeof *w);
    if (!w)
        return Q2O_NO_MEMORY;
    w->cfg = *cfg;
    w->ops = ops;
    w->ctx = ctx;
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++)
        q2o_bus_topic(&w->cfg.bus, (q2o_topic)t, w->topics[t], sizeof w->topics[t]);
    *out = w;
    return Q2O_OK;
}

void q2o_worker_free(q2o_worker *w)
{
    free(w);
}

void q2o_worker_stop(q2o_worker *w)
{
    atomic_store(&w->stop, 1); /* lock-free atomic store: async-signal-safe */
}

const q2o_config *q2o_worker_config(const q2o_worker *w)
{
    return &w->cfg;
}

q2o_store *q2o_worker_store(q2o_worker *w)
{
    return w->store;
}

const char *q2o_worker_topic(const q2o_worker *w, q2o_topic t)
{
    Q2O_CHECK((unsigned)t < Q2O_TOPIC__COUNT);
    return w->topics[t];
}

int q2o_worker_owns(const q2o_worker *w, q2o_topic t, int32_t partition)
{
    for (size_t i = 0; i < w->n_assigned; i++)
        if (w->assigned[i].topic == (int)t && w->assigned[i].partition == partition)
            return 1;
    return 0;
}

int q2o_worker_running(const q2o_worker *w)
{
    return atomic_load(&w->running);
}

int q2o_worker_ready(const q2o_worker *w)
{
    return atomic_load(&w->ready);
}

int q2o_worker_http_port(const q2o_worker *w)
{
    return atomic_load(&w->http_port);
}

void q2o_worker_count_restored(q2o_worker *w, uint64_t n)
{
    atomic_fetch_add(&w->m.restore_events, n);
}

/* ------------------------------------------------------------ rebalance */

static void part_add(q2o_worker *w, int topic, int32_t partition)
{
    if (topic < 0 || q2o_worker_owns(w, (q2o_topic)topic, partition))
        return;
    Q2O_CHECK(w->n_assigned < Q2O_WORKER_MAX_PARTITIONS);
    w->assigned[w->n_assigned++] = (wk_part){topic, partition};
}

static void part_remove(q2o_worker *w, int topic, int32_t partition)
{
    for (size_t i = 0; i < w->n_assigned; i++) {
        if (w->assigned[i].topic == topic && w->assigned[i].partition == partition) {
            w->assigned[i] = w->assigned[--w->n_assigned];
            return;
        }
    }
}

/* Inside q2o_bus_consumer_poll, on the worker thread, with no transaction
 * open (the loop never polls inside a batch). Restores run here: the
 * partition's messages are not returned before this returns. */
static void on_rebalance(void *ctx, int assigned, q2o_bus_partition *parts, size_t n)
{
    q2o_worker *w = ctx;
    char np[16];
    w->rebalances++;
    snprintf(np, sizeof np, "%zu", n);
    q2o_log(Q2O_LOG_INFO, assigned ? "partitions assigned" : "partitions revoked", "worker", w->ops->name,
            "count", np, (const char *)NULL);
    if (!assigned) {
        for (size_t i = 0; i < n; i++)
            part_remove(w, wk_topic_index(w, parts[i].topic), parts[i].partition);
        return;
    }
    atomic_store(&w->ready, 0);
    for (size_t i = 0; i < n; i++)
        part_add(w, wk_topic_index(w, parts[i].topic), parts[i].partition);
    for (size_t i = 0; i < n && w->fatal == Q2O_OK; i++) {
        if (!w->ops->on_assign)
            break;
        q2o_err e = w->ops->on_assign(w->ctx, w, parts[i].topic, parts[i].partition);
        if (e != Q2O_OK) {
            char p[16];
            snprintf(p, sizeof p, "%" PRId32, parts[i].partition);
            q2o_log(Q2O_LOG_ERROR, "restore failed", "topic", parts[i].topic, "partition", p, "error",
                    q2o_err_name(e), (const char *)NULL);
            w->fatal = e;
        }
    }
    if (w->fatal == Q2O_OK)
        atomic_store(&w->ready, 1);
}

/* --------------------------------------------------------------- poison */

static const wk_poison *poison_find(const q2o_worker *w, const q2o_bus_msg *m)
{
    int t = wk_topic_index(w, m->topic);
    for (size_t i = 0; i < w->n_poison; i++)
        if (w->poison[i].topic == t && w->poison[i].partition == m->partition && w->poison[i].offset == m->offset)
            return &w->poison[i];
    return NULL;
}

static void poison_add(q2o_worker *w, const q2o_bus_msg *m, q2o_err why)
{
    wk_poison p = {wk_topic_index(w, m->topic), m->partition, m->offset, why};
    w->poison[w->next_poison] = p; /* a ring: the oldest entries were dead-lettered long ago */
    w->next_poison = (w->next_poison + 1) % Q2O_WORKER_MAX_POISON;
    if (w->n_poison < Q2O_WORKER_MAX_POISON)
        w->n_poison++;
}

/* ---------------------------------------------------------- batch side */

q2o_store_txn *q2o_worker_batch_txn(q2o_worker_batch *b)
{
    return b->txn;
}

q2o_worker *q2o_worker_batch_worker(q2o_worker_batch *b)
{
    return b->w;
}

q2o_err q2o_worker_produce(q2o_worker_batch *b, q2o_topic topic, int32_t partition, const void *key,
                           size_t key_len, const void *value, size_t value_len, const q2o_bus_header *hdrs,
                           uint32_t n_hdrs)
{
    Q2O_CHECK((unsigned)topic < Q2O_TOPIC__COUNT);
    q2o_err e = q2o_bus_produce(b->w->producer, b->w->topics[topic], partition, key, key_len, value, value_len,
                                hdrs, n_hdrs);
    if (e == Q2O_OK)
        b->produced++;
    return e;
}

q2o_err q2o_worker_deadletter(q2o_worker_batch *b, const q2o_bus_msg *msg, q2o_err why, const char *detail)
{
    char p[16], o[24];
    snprintf(p, sizeof p, "%" PRId32, msg->partition);
    snprintf(o, sizeof o, "%" PRId64, msg->offset);
    q2o_log(Q2O_LOG_WARN, "dead letter", "topic", msg->topic, "partition", p, "offset", o, "reason",
            q2o_err_name(why), "detail", detail ? detail : "", (const char *)NULL);
    q2o_err e = q2o_bus_deadletter(b->w->producer, &b->w->cfg.bus, msg, why, detail ? detail : "");
    if (e == Q2O_OK)
        b->deadlettered++;
    return e;
}

void q2o_worker_count_rejected(q2o_worker_batch *b)
{
    b->rejected++;
}

void q2o_worker_note_event_offset(q2o_worker_batch *b, const char *topic, int32_t partition, int64_t offset)
{
    for (size_t i = 0; i < b->n_delivered; i++) {
        wk_delivered *d = &b->delivered[i];
        if (d->partition == partition && strcmp(d->topic, topic) == 0) {
            if (offset > d->max_offset)
                d->max_offset = offset;
            return;
        }
    }
    if (b->n_delivered >= Q2O_WORKER_MAX_PARTITIONS)
        return; /* not recorded: the next restore just reads further */
    wk_delivered *d = &b->delivered[b->n_delivered++];
    if (q2o_strlcpy(d->topic, topic, sizeof d->topic) != 0) {
        b->n_delivered--;
        return;
    }
    d->partition = partition;
    d->max_offset = offset;
}

/* ------------------------------------------------------------ the loop */

typedef struct loop {
    q2o_worker *w;
    q2o_bus_msg **msgs;
    size_t n;
    q2o_worker_batch *b;
    uint64_t last_tick_ns, last_lag_ns, last_activity_ns, last_checkpoint_ns;
    int commits_since_checkpoint;
    int backoff_ms;
    int redo;        /* the last failure asks for a redo, not an exit */
} loop;

static void drop_msgs(loop *l)
{
    for (size_t i = 0; i < l->n; i++)
        q2o_bus_msg_free(l->msgs[i]);
    l->n = 0;
}

/* Poll up to batch_max messages or batch_wait_ms after the first one.
 * A rebalance while collecting drops what was collected: those partitions
 * restart from their committed offsets, so the messages come again. */
static q2o_err collect(loop *l)
{
    q2o_worker *w = l->w;
    unsigned gen = w->rebalances;
    uint64_t first_ns = 0;
    while (l->n < (size_t)w->cfg.batch_max && !atomic_load(&w->stop)) {
        int timeout = COLLECT_IDLE_WAIT_MS;
        if (l->n) {
            int64_t left = (int64_t)w->cfg.batch_wait_ms - (int64_t)ms_since(first_ns);
            if (left <= 0)
                break;
            timeout = (int)left;
        }
        q2o_bus_msg *m = NULL;
        q2o_err e = q2o_bus_consumer_poll(w->consumer, timeout, &m);
        if (w->fatal != Q2O_OK) {
            q2o_bus_msg_free(m);
            return w->fatal;
        }
        if (e != Q2O_OK) {
            log_err(Q2O_LOG_ERROR, "consumer failed", e, NULL);
            return e;
        }
        if (gen != w->rebalances) {
            drop_msgs(l);
            gen = w->rebalances;
        }
        if (!m) {
            if (!l->n)
                break; /* idle: give ticks and checkpoints a chance */
            continue;
        }
        if (!l->n)
            first_ns = q2o_time_mono_ns();
        l->msgs[l->n++] = m;
    }
    return Q2O_OK;
}

static int is_redo(q2o_err e)
{
    return e == Q2O_KAFKA_ABORTABLE || e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT ||
           e == Q2O_STORE_MAP_FULL;
}

static q2o_err txn_begin(loop *l)
{
    char detail[512] = "";
    q2o_err e;
    for (int attempt = 0;; attempt++) {
        e = q2o_bus_txn_begin(l->w->producer, detail, sizeof detail);
        if (e == Q2O_OK || !(e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT) || attempt >= 5)
            break;
        sleep_ms(l->w, Q2O_WORKER_BACKOFF_MIN_MS << attempt);
    }
    if (e != Q2O_OK)
        log_err(Q2O_LOG_ERROR, "begin transaction failed", e, detail);
    return e;
}

/* Abort the Kafka transaction: anything but success is fatal (the producer
 * is in an unknown state). */
static q2o_err txn_abort(loop *l)
{
    char detail[512] = "";
    q2o_err e = Q2O_OK;
    for (int attempt = 0; attempt < ABORT_ATTEMPTS; attempt++) {
        e = q2o_bus_txn_abort(l->w->producer, Q2O_WORKER_TXN_TIMEOUT_MS, detail, sizeof detail);
        if (e == Q2O_OK || !(e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT))
            break;
    }
    if (e != Q2O_OK) {
        log_err(Q2O_LOG_ERROR, "abort transaction failed", e, detail);
        if (q2o_err_class_of(e) != Q2O_CLASS_FATAL)
            e = Q2O_KAFKA_FATAL;
    }
    return e;
}

/* commit_transaction, resumed while it times out (the outcome of a timed-out
 * commit is unknown until a later call says so). */
static q2o_err txn_commit(loop *l)
{
    char detail[512] = "";
    q2o_err e = Q2O_OK;
    uint64_t t0 = q2o_time_mono_ns();
    for (int attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        e = q2o_bus_txn_commit(l->w->producer, Q2O_WORKER_TXN_TIMEOUT_MS, detail, sizeof detail);
        if (!(e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT))
            break;
        log_err(Q2O_LOG_WARN, "commit timed out; resuming", e, detail);
    }
    wm_observe(&l->w->m.commit_seconds, q2o_time_mono_ns() - t0);
    if (e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT) {
        /* still unknown after every attempt: only a restart can tell */
        log_err(Q2O_LOG_ERROR, "commit outcome unknown", e, detail);
        return Q2O_KAFKA_FATAL;
    }
    if (e != Q2O_OK)
        log_err(e == Q2O_KAFKA_ABORTABLE ? Q2O_LOG_WARN : Q2O_LOG_ERROR, "commit failed", e, detail);
    return e;
}

/* Every message through ops->handle (or to the dead-letter topic when it
 * was found poison before), then the tick. */
static q2o_err handle_all(loop *l, int tick)
{
    q2o_worker *w = l->w;
    q2o_worker_batch *b = l->b;
    for (size_t i = 0; i < l->n; i++) {
        const q2o_bus_msg *m = l->msgs[i];
        const wk_poison *p = poison_find(w, m);
        q2o_err e = p ? q2o_worker_deadletter(b, m, p->why, "the handler refused this message")
                      : w->ops->handle(w->ctx, b, m);
        if (e == Q2O_OK)
            continue;
        if (!p && q2o_err_class_of(e) == Q2O_CLASS_INVALID) {
            char o[24];
            snprintf(o, sizeof o, "%" PRId64, m->offset);
            q2o_log(Q2O_LOG_WARN, "poison message: redo the batch without it", "topic", m->topic, "offset", o,
                    "error", q2o_err_name(e), (const char *)NULL);
            poison_add(w, m, e);
            return Q2O_KAFKA_ABORTABLE; /* abort and redo; the redo dead-letters it */
        }
        return e;
    }
    if (tick && w->ops->tick) {
        q2o_err e = w->ops->tick(w->ctx, b);
        if (e != Q2O_OK && q2o_err_class_of(e) == Q2O_CLASS_INVALID)
            e = Q2O_INTERNAL;
        return e;
    }
    return Q2O_OK;
}

/* After the Kafka commit: the offsets the produced events reached. */
static q2o_err record_offsets(q2o_worker_batch *b)
{
    for (size_t i = 0; i < b->n_delivered; i++) {
        q2o_err e = q2o_store_offset_put(b->txn, b->delivered[i].topic, b->delivered[i].partition,
                                         b->delivered[i].max_offset + 1);
        if (e != Q2O_OK)
            return e;
    }
    return Q2O_OK;
}

static void add_counts(q2o_worker *w, const q2o_worker_batch *c, size_t consumed)
{
    atomic_fetch_add(&w->m.consumed, consumed);
    atomic_fetch_add(&w->m.produced, c->produced);
    atomic_fetch_add(&w->m.rejected, c->rejected);
    atomic_fetch_add(&w->m.deadlettered, c->deadlettered);
}

/* One attempt at a batch. On failure both transactions are aborted. */
static q2o_err run_batch(loop *l, int tick)
{
    q2o_worker *w = l->w;
    char detail[512] = "";
    uint64_t t0 = q2o_time_mono_ns();
    q2o_err e = txn_begin(l);
    if (e != Q2O_OK)
        return e;
    memset(l->b, 0, sizeof *l->b);
    l->b->w = w;
    if ((e = q2o_store_begin_write(w->store, &l->b->txn)) != Q2O_OK) {
        log_err(Q2O_LOG_ERROR, "store transaction failed", e, NULL);
        q2o_err a = txn_abort(l);
        return a != Q2O_OK ? a : e;
    }
    e = handle_all(l, tick);
    /* Also for a sweep-only batch: the offsets carry the group generation,
     * so a zombie's late sweep fails instead of committing (partitions not
     * consumed since the assignment have no position and are skipped). */
    if (e == Q2O_OK)
        e = q2o_bus_txn_send_offsets(w->producer, w->consumer, Q2O_WORKER_TXN_TIMEOUT_MS, detail, sizeof detail);
    if (e == Q2O_OK)
        e = txn_commit(l);
    if (e != Q2O_OK) {
        if (e != Q2O_KAFKA_ABORTABLE || detail[0])
            log_err(is_redo(e) ? Q2O_LOG_WARN : Q2O_LOG_ERROR, "batch aborted", e, detail);
        q2o_store_abort(l->b->txn);
        l->b->txn = NULL;
        atomic_fetch_add(&w->m.aborts, 1);
        if (e != Q2O_KAFKA_FENCED && e != Q2O_KAFKA_FATAL) { /* a dead producer cannot abort */
            q2o_err a = txn_abort(l);
            if (a != Q2O_OK)
                return a;
        }
        return e;
    }
    /* Kafka committed: the store must follow, or the process restarts
     * (restore re-applies the committed events; a redo here would not). */
    e = record_offsets(l->b);
    if (e == Q2O_OK)
        e = q2o_store_commit(l->b->txn);
    else
        q2o_store_abort(l->b->txn);
    l->b->txn = NULL;
    if (e != Q2O_OK) {
        log_err(Q2O_LOG_ERROR, "store commit failed after the Kafka commit; restart to restore", e, NULL);
        return q2o_err_class_of(e) == Q2O_CLASS_FATAL ? e : Q2O_STORE_IO;
    }
    add_counts(w, l->b, l->n);
    atomic_fetch_add(&w->m.batches, 1);
    atomic_fetch_add(&w->m.commits, 1);
    wm_observe(&w->m.batch_seconds, q2o_time_mono_ns() - t0);
    return Q2O_OK;
}

/* After a failed attempt: grow the map if that was the problem, rewind the
 * consumer to its committed offsets, back off. */
static q2o_err prepare_redo(loop *l, q2o_err why)
{
    q2o_worker *w = l->w;
    char detail[512] = "";
    drop_msgs(l);
    if (why == Q2O_STORE_MAP_FULL) {
        q2o_err g = q2o_store_grow(w->store);
        if (g != Q2O_OK) {
            log_err(Q2O_LOG_ERROR, "store cannot grow", g, NULL);
            return g;
        }
    }
    sleep_ms(w, l->backoff_ms);
    l->backoff_ms = l->backoff_ms ? l->backoff_ms * 2 : Q2O_WORKER_BACKOFF_MIN_MS;
    if (l->backoff_ms > Q2O_WORKER_BACKOFF_MAX_MS)
        l->backoff_ms = Q2O_WORKER_BACKOFF_MAX_MS;
    for (;;) {
        q2o_err e = q2o_bus_consumer_rewind(w->consumer, detail, sizeof detail);
        if (e == Q2O_OK)
            return Q2O_OK;
        if (!(e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT) || atomic_load(&w->stop)) {
            log_err(Q2O_LOG_ERROR, "rewind failed", e, detail);
            return atomic_load(&w->stop) ? Q2O_OK : e;
        }
        log_err(Q2O_LOG_WARN, "rewind failed; retrying", e, detail);
        sleep_ms(w, l->backoff_ms);
    }
}

/* The consumer lag for the metrics, at most once a second (librdkafka's
 * cached watermarks: no request). */
static void update_lag(loop *l)
{
    uint64_t now = q2o_time_mono_ns();
    if (now - l->last_lag_ns >= LAG_EVERY_NS) {
        int64_t lag = 0;
        if (q2o_bus_consumer_lag(l->w->consumer, &lag) == Q2O_OK)
            atomic_store(&l->w->m.lag, lag);
        l->last_lag_ns = now;
    }
}

/* While idle and no delivery offsets were recorded: a restore pass that
 * moves the recorded offsets (see worker.h). */
static q2o_err idle_work(loop *l)
{
    q2o_worker *w = l->w;
    uint64_t now = q2o_time_mono_ns();
    if (!w->ops->on_assign || !l->commits_since_checkpoint ||
        ms_since(l->last_checkpoint_ns) < Q2O_WORKER_CHECKPOINT_MS ||
        ms_since(l->last_activity_ns) < (uint64_t)Q2O_WORKER_CHECKPOINT_MS / 10)
        return Q2O_OK;
    l->last_checkpoint_ns = now;
    l->commits_since_checkpoint = 0;
    for (size_t i = 0; i < w->n_assigned; i++) {
        q2o_err e = w->ops->on_assign(w->ctx, w, w->topics[w->assigned[i].topic], w->assigned[i].partition);
        if (e != Q2O_OK)
            return e;
    }
    return Q2O_OK;
}

static q2o_err run_loop(q2o_worker *w)
{
    loop l = {.w = w};
    l.msgs = calloc((size_t)w->cfg.batch_max, sizeof *l.msgs);
    l.b = calloc(1, sizeof *l.b);
    if (!l.msgs || !l.b) {
        free(l.msgs);
        free(l.b);
        return Q2O_NO_MEMORY;
    }
    l.last_tick_ns = l.last_checkpoint_ns = l.last_activity_ns = q2o_time_mono_ns();
    q2o_err e = Q2O_OK;
    while (!atomic_load(&w->stop)) {
        if ((e = collect(&l)) != Q2O_OK)
            break;
        update_lag(&l);
        int tick = w->ops->tick && w->n_assigned && ms_since(l.last_tick_ns) >= (uint64_t)w->ops->tick_interval_ms;
        if (!l.n && !tick) {
            if ((e = idle_work(&l)) != Q2O_OK)
                break;
            continue;
        }
        e = run_batch(&l, tick);
        if (e == Q2O_OK) {
            drop_msgs(&l);
            l.backoff_ms = 0;
            l.commits_since_checkpoint++;
            l.last_activity_ns = q2o_time_mono_ns();
            if (tick)
                l.last_tick_ns = l.last_activity_ns;
            continue;
        }
        if (!is_redo(e))
            break;
        if ((e = prepare_redo(&l, e)) != Q2O_OK)
            break;
    }
    drop_msgs(&l);
    free(l.msgs);
    free(l.b);
    return e;
}

/* ------------------------------------------------------------------ run */

static q2o_store_sync_mode sync_mode(const char *s)
{
    if (strcmp(s, "full") == 0)
        return Q2O_STORE_SYNC_FULL;
    if (strcmp(s, "none") == 0)
        return Q2O_STORE_SYNC_NONE;
    return Q2O_STORE_SYNC_NOMETA;
}

static q2o_err open_all(q2o_worker *w)
{
    char detail[512] = "";
    q2o_store_options opt = q2o_store_options_default();
    opt.dir = w->cfg.data_dir;
    opt.sync = sync_mode(w->cfg.store_sync);
    q2o_err e = q2o_store_open(&opt, &w->store);
    if (e != Q2O_OK) {
        q2o_log(Q2O_LOG_ERROR, "cannot open the store", "dir", w->cfg.data_dir, "error", q2o_err_name(e),
                (const char *)NULL);
        return e;
    }
    if (w->cfg.http_port != 0) {
        if ((e = wh_start(w, w->cfg.http_port, &w->http, detail, sizeof detail)) != Q2O_OK) {
            log_err(Q2O_LOG_ERROR, "cannot start the HTTP endpoint", e, detail);
            return e;
        }
        atomic_store(&w->http_port, wh_port(w->http));
    }
    if ((e = q2o_bus_producer_new(&w->cfg.bus, w->cfg.instance_id, &w->producer, detail, sizeof detail))) {
        log_err(Q2O_LOG_ERROR, "cannot create the transactional producer", e, detail);
        return e;
    }
    if ((e = q2o_bus_consumer_new(&w->cfg.bus, w->cfg.group_id, on_rebalance, w, &w->consumer, detail,
                                  sizeof detail))) {
        log_err(Q2O_LOG_ERROR, "cannot create the consumer", e, detail);
        return e;
    }
    const char *inputs[Q2O_WORKER_MAX_INPUTS];
    for (size_t i = 0; i < w->ops->n_inputs; i++)
        inputs[i] = w->topics[w->ops->inputs[i]];
    if ((e = q2o_bus_consumer_subscribe(w->consumer, inputs, w->ops->n_inputs)) != Q2O_OK)
        log_err(Q2O_LOG_ERROR, "cannot subscribe", e, NULL);
    return e;
}

static void close_all(q2o_worker *w)
{
    q2o_bus_consumer_free(w->consumer); /* leaves the group (revokes first) */
    w->consumer = NULL;
    w->n_assigned = 0;
    q2o_bus_producer_free(w->producer);
    w->producer = NULL;
    wh_stop(w->http);
    w->http = NULL;
    atomic_store(&w->http_port, 0);
    q2o_store_close(w->store);
    w->store = NULL;
}

q2o_err q2o_worker_run(q2o_worker *w)
{
    Q2O_CHECK(w && !w->store);
    q2o_log(Q2O_LOG_INFO, "worker starting", "worker", w->ops->name, "instance", w->cfg.instance_id, "group",
            w->cfg.group_id, "bootstrap", w->cfg.bus.bootstrap, (const char *)NULL);
    atomic_store(&w->running, 1);
    q2o_err e = open_all(w);
    if (e == Q2O_OK)
        e = run_loop(w);
    atomic_store(&w->ready, 0);
    close_all(w);
    atomic_store(&w->running, 0);
    if (e == Q2O_OK)
        q2o_log(Q2O_LOG_INFO, "worker stopped", "worker", w->ops->name, (const char *)NULL);
    else
        q2o_log(Q2O_LOG_ERROR, "worker failed", "worker", w->ops->name, "error", q2o_err_name(e),
                (const char *)NULL);
    return e;
}
