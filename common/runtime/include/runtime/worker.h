/*
 * runtime/worker.h — the exactly-once worker loop every q2o worker runs
 * (DESIGN.md §2), embeddable so that tests run it in a thread next to an
 * in-process mock cluster.
 *
 * One batch, in order:
 *   1. poll up to batch_max messages, or until batch_wait_ms passed (no
 *      transaction is open while polling, so a rebalance callback may open
 *      its own store transactions: restores run there);
 *   2. begin the Kafka transaction; open ONE store write transaction;
 *   3. ops->handle for each message (it writes to the store transaction and
 *      produces its outputs into the open Kafka transaction through
 *      q2o_worker_produce / q2o_worker_deadletter), then ops->tick when due;
 *   4. send the consumer's positions with fresh group metadata;
 *      commit the Kafka transaction;
 *   5. record the restore offsets of the events produced (below), then
 *      commit the store transaction.
 *
 * Failure handling (q2o_err classes of core/error.h):
 *   - KAFKA_ABORTABLE, KAFKA_RETRIABLE, KAFKA_TIMEOUT during the batch,
 *     STORE_MAP_FULL: abort the Kafka transaction, abort the store
 *     transaction, (grow the map), rewind the consumer to its committed
 *     offsets and redo from step 1 with exponential backoff. Nothing of the
 *     aborted attempt is visible to read_committed consumers or in the store.
 *     A commit that timed out is resumed (same call) before deciding.
 *   - ops->handle returned an INVALID-class error (poison input the handler
 *     could not dead-letter itself, e.g. an event beyond a size limit): the
 *     batch is aborted as above, the message is remembered as poison and,
 *     when redelivered, dead-lettered by the loop without calling handle.
 *     A bad message never blocks its partition.
 *   - KAFKA_FENCED, KAFKA_FATAL, any store error other than MAP_FULL, and
 *     anything unclassified: log, return the error (the process exits
 *     non-zero; the supervisor restarts it; restore heals the store).
 *   - The Kafka commit succeeded but the store commit failed: fatal, for the
 *     same reason: the events are in the log and restore re-applies them.
 *
 * Offsets are never computed from message counts: the consumer's positions
 * go to the transaction, and restore offsets come from the log (reader
 * positions, or delivery reports).
 *
 * Recording the restore offset during normal operation (keeps restores
 * short). Claim: after a batch's Kafka commit succeeded, the store holds
 * every committed event of each events partition p this worker produced to,
 * up to the highest offset of this batch's events on p; so "last + 1" may be
 * written as p's restore offset in the batch's store transaction. Why:
 *   - this batch's own events are in the open store transaction;
 *   - events of earlier batches of this process were committed to the store
 *     before this batch began (a failed store commit ends the process);
 *   - events written to p before this worker was assigned p were applied by
 *     the restore that ran on assignment, up to the log's end at that time;
 *   - between that restore and now nobody else committed events to p: p is
 *     written only by the owner of the co-partitioned commands partition,
 *     and a previous owner's late transaction fails its offset commit (the
 *     group metadata is re-read before every send-offsets, KIP-447) and
 *     aborts, so its events are never visible to read_committed readers;
 *   - aborted events and transaction markers below last + 1 are skipped by
 *     read_committed readers anyway.
 * A crash between the Kafka commit and the store commit leaves the old
 * offset with the old events: restore re-reads and re-applies idempotently.
 * The per-partition tracking is done by q2o_worker_note_event_offset, fed by
 * whatever knows delivery offsets; when nothing does (the bus offers no
 * delivery report), the worker instead re-runs ops->on_assign for each
 * assigned partition every Q2O_WORKER_CHECKPOINT_MS while idle: a restore
 * pass over the log it wrote itself, which moves the recorded offset
 * forward by the same argument (restore is always correct, just slower).
 *
 * Threads: q2o_worker_new, q2o_worker_free and q2o_worker_run belong to one
 * thread (the worker's: every Kafka and store object is created inside
 * run). q2o_worker_stop is async-signal-safe and may be called from any
 * thread or a signal handler. The readiness and metrics accessors may be
 * called from any thread (atomics). The HTTP endpoint runs in its own
 * thread started and joined by q2o_worker_run.
 */
#ifndef Q2O_RUNTIME_WORKER_H
#define Q2O_RUNTIME_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "bus/bus.h"
#include "core/error.h"
#include "core/timeutil.h"
#include "runtime/config.h"
#include "store/event_store.h"

/* Input topics of one worker (quote: commands; erp: quote events). */
#define Q2O_WORKER_MAX_INPUTS 4

/* Partitions one worker tracks (assignment, restore progress, offsets). */
#define Q2O_WORKER_MAX_PARTITIONS 256

/* Poison messages remembered for dead-lettering on redelivery. */
#define Q2O_WORKER_MAX_POISON 64

/* Idle time after which the loop checkpoints restore offsets (see above). */
#define Q2O_WORKER_CHECKPOINT_MS 30000

/* Backoff between redo attempts: doubles from MIN to MAX. */
#define Q2O_WORKER_BACKOFF_MIN_MS 50
#define Q2O_WORKER_BACKOFF_MAX_MS 5000

/* Bounds of transactional calls (send-offsets, commit, abort). */
#define Q2O_WORKER_TXN_TIMEOUT_MS 30000

/* Exit codes of every q2o worker process. */
#define Q2O_EXIT_OK 0      /* clean stop (SIGTERM/SIGINT) */
#define Q2O_EXIT_USAGE 2   /* configuration or command-line error */
#define Q2O_EXIT_FATAL 3   /* fatal Kafka or store error: restart me */

typedef struct q2o_worker q2o_worker;
typedef struct q2o_worker_batch q2o_worker_batch;

typedef struct q2o_worker_ops {
    const char *name; /* "quote", "erp": logs and metrics labels */
    q2o_topic inputs[Q2O_WORKER_MAX_INPUTS];
    size_t n_inputs;

    /* A partition of an input topic was assigned: called before any of its
     * messages is handled, with no transaction of the store open (use
     * q2o_worker_store). The quote worker restores its projection here.
     * Also called by the checkpoint pass (see above): it must be idempotent.
     * Returns OK, or an error that ends the run (fatal). NULL: nothing. */
    q2o_err (*on_assign)(void *ctx, q2o_worker *w, const char *topic, int32_t partition);

    /* One message, inside the batch's transactions. Returns OK when the
     * message got its outputs (or was dead-lettered by the handler); a
     * RETRY-class error aborts and redoes the batch; an INVALID-class error
     * marks the message as poison (see above); anything else is fatal.
     * The message stays valid during the call only. */
    q2o_err (*handle)(void *ctx, q2o_worker_batch *b, const q2o_bus_msg *msg);

    /* Periodic work inside a batch transaction (the quote worker's expiry
     * sweeper), every tick_interval_ms; NULL: none. Same return contract as
     * handle (an INVALID-class error is fatal here: there is no message). */
    q2o_err (*tick)(void *ctx, q2o_worker_batch *b);
    int tick_interval_ms;
} q2o_worker_ops;

/* A worker for cfg (copied) with ops (kept: must outlive the worker) and
 * ctx (passed to every op). Opens nothing yet. cfg->http_port: 0 = no HTTP
 * endpoint; -1 = an ephemeral port (tests; see q2o_worker_http_port).
 * Errors: NO_MEMORY, INVALID_ARGUMENT (no handle op, no input). */
q2o_err q2o_worker_new(const q2o_config *cfg, const q2o_worker_ops *ops, void *ctx, q2o_worker **out);
void q2o_worker_free(q2o_worker *w); /* accepts NULL; not while running */

/* Open the store, the producer (transactional.id = cfg->instance_id), the
 * consumer (group cfg->group_id) and the HTTP endpoint; run batches until
 * q2o_worker_stop; then finish the current batch, commit, close the
 * consumer (leaving the group) and return Q2O_OK. On a fatal error: the
 * error (logged), after closing what was opened. Call at most once. */
q2o_err q2o_worker_run(q2o_worker *w);

/* Ask the loop to stop after the current batch. Async-signal-safe. */
void q2o_worker_stop(q2o_worker *w);

/* ---- inside ops->handle / ops->tick ------------------------------------ */

/* The batch's store write transaction. */
q2o_store_txn *q2o_worker_batch_txn(q2o_worker_batch *b);
q2o_worker *q2o_worker_batch_worker(q2o_worker_batch *b);

/* Produce one message into the open Kafka transaction. partition -1: by key
 * (the bus's murmur2 partitioner). Counts q2o_produced_total.
 * Errors: the bus's (KAFKA_*): return them from the op. */
q2o_err q2o_worker_produce(q2o_worker_batch *b, q2o_topic topic, int32_t partition, const void *key,
                           size_t key_len, const void *value, size_t value_len, const q2o_bus_header *hdrs,
                           uint32_t n_hdrs);

/* Dead-letter msg (inside the transaction) with the reason and detail
 * headers of q2o_bus_deadletter; counts q2o_deadlettered_total and logs. */
q2o_err q2o_worker_deadletter(q2o_worker_batch *b, const q2o_bus_msg *msg, q2o_err why, const char *detail);

/* Count a command refused by a domain rule (q2o_rejected_total). */
void q2o_worker_count_rejected(q2o_worker_batch *b);

/* ---- for ops at any time (worker thread) -------------------------------- */

const q2o_config *q2o_worker_config(const q2o_worker *w);
/* The worker's store (open during run). */
q2o_store *q2o_worker_store(q2o_worker *w);
/* The full name of a q2o topic under the configured prefix. */
const char *q2o_worker_topic(const q2o_worker *w, q2o_topic t);
/* Whether partition p of input topic t is currently assigned. */
int q2o_worker_owns(const q2o_worker *w, q2o_topic t, int32_t partition);
/* Restore progress: n events read from the log (q2o_restore_events_total). */
void q2o_worker_count_restored(q2o_worker *w, uint64_t n);
/* Delivery offset of an event produced in the current batch (see the
 * header comment); the loop records max + 1 per partition on commit. */
void q2o_worker_note_event_offset(q2o_worker_batch *b, const char *topic, int32_t partition, int64_t offset);

/* The partition a key maps to under the murmur2 partitioner (Java's and
 * librdkafka's "murmur2"/"murmur2_random" for non-empty keys):
 * (murmur2(key) & 0x7fffffff) % partitions. */
int32_t q2o_worker_partition_for_key(const void *key, size_t len, int32_t partitions);

/* ---- observation (any thread) ------------------------------------------- */

int q2o_worker_running(const q2o_worker *w); /* the loop runs: /healthz */
int q2o_worker_ready(const q2o_worker *w);   /* every assigned partition restored: /readyz */
/* The bound HTTP port once running (0 when off or not yet bound). */
int q2o_worker_http_port(const q2o_worker *w);

typedef struct q2o_worker_stats {
    uint64_t consumed, produced, rejected, deadlettered;
    uint64_t batches, commits, aborts, restore_events;
    int64_t lag;
    int ready;
} q2o_worker_stats;

void q2o_worker_stats_get(const q2o_worker *w, q2o_worker_stats *out);

/* Prometheus text exposition of every metric into buf; returns the length
 * written (truncated at size - 1, always NUL-terminated). */
size_t q2o_worker_metrics_render(const q2o_worker *w, char *buf, size_t size);

/* ---- a process around a worker ------------------------------------------- */

/* What services/<name>/main.c needs: parse argv (--help, --config FILE,
 * --set KEY=VALUE, --print-config), load the configuration, install
 * SIGTERM/SIGINT handlers that stop the worker, build ops and ctx with
 * make_ops (which may fail: return non-OK with a message in detail), run,
 * free with free_ops. Returns the process exit code (Q2O_EXIT_*); usage
 * text goes to stdout for --help, errors to stderr as one clear line. */
typedef q2o_err (*q2o_worker_make_fn)(const q2o_config *cfg, const q2o_worker_ops **ops, void **ctx,
                                      char *detail, size_t detail_size);
typedef void (*q2o_worker_free_fn)(void *ctx);
int q2o_worker_main(int argc, char **argv, const char *name, const char *usage, q2o_worker_make_fn make_ops,
                    q2o_worker_free_fn free_ops);

#endif
