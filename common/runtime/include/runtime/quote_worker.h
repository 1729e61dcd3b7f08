/*
 * runtime/quote_worker.h — the quote worker's operations for the worker
 * loop (runtime/worker.h): restore, command handling, expiry sweeper.
 * services/quote (q2o-quote-worker) is main() around them; tests run them
 * in a thread against the mock cluster.
 *
 * Consumes <prefix>quote.commands; produces <prefix>quote.events and
 * <prefix>quote.results on the partition of the command (all quote topics
 * are co-partitioned by quote id), and dead letters.
 *
 * handle (one command message):
 *   - undecodable bytes, or a command without command id or quote id:
 *     dead letter (reason and detail headers), no result (nothing to key
 *     it by);
 *   - otherwise exactly one result on the results topic (key quote id):
 *     q2o_quote_handle dedupes by command id (a redelivery re-emits the
 *     recorded result and no events), decides, appends; the events go to
 *     the events topic (key quote id) with CloudEvents headers: ce_id =
 *     q2o_codec_event_id ("Q-1/7"), ce_type = event type name, ce_source =
 *     "q2o/quote-worker/<instance>", ce_subject = quote id, ce_time = the
 *     event time, correlation_id, causation_id = command id, and the
 *     command's traceparent when it had one;
 *   - a command refused by a domain rule gets a REJECTED result (counted in
 *     q2o_rejected_total).
 *
 * restore (on assignment of commands partition p, before its commands):
 *   read events partition p (read_committed) from the offset the store
 *   recorded for (events topic, p), or the beginning, to the end offset
 *   seen when the restore started; in chunks of QW_RESTORE_CHUNK events,
 *   each chunk ONE store transaction (q2o_store_update: map growth redoes
 *   it) that
 *     - applies each event with q2o_store_append_at (idempotent by
 *       (quote id, version); the head hash is q2o_event_hash of the decoded
 *       event, after checking its prev_hash against the stored head);
 *     - rebuilds the command dedupe entry of each event's command id (unless
 *       one exists): ACCEPTED with the version and event types the command
 *       produced, or REJECTED when the events were a refusal recorded as data
 *       (QuoteValidationFailed: its first finding's code; QuoteExpired from a
 *       command that is not the sweeper's: QUOTE_EXPIRED), detail saying it
 *       was rebuilt; so a redelivered command is recognised after a crash
 *       between the Kafka commit and the store commit, or after the store
 *       directory was deleted;
 *     - reloads every quote the chunk touched and moves its expiry index
 *       entry (old next expiry -> new) and writes a snapshot when the chunk
 *       crossed a multiple of Q2O_SNAPSHOT_EVERY;
 *     - writes the reader's position as the new restore offset.
 *   Events that do not decode, leave a version gap or break the hash chain
 *   are logged and skipped (the log is the system of record: such an event
 *   can only come from a foreign writer). The same pass runs as the
 *   worker's idle checkpoint (runtime/worker.h).
 *
 * sweeper (tick, every sweep_interval_ms, inside a batch transaction):
 *   scans the expiry index up to now for quotes whose partition
 *   (q2o_worker_partition_for_key of the quote id, cfg->bus.partitions) is
 *   assigned here, and handles an ExpireQuote from the system actor
 *   "expiry-sweeper" with the deterministic command id
 *   "expire/<quote>/<valid_until ms>" (a hash form when that is longer than
 *   an id may be), so a redone batch is deduped; the QuoteExpired event and
 *   the result leave in the same transaction. A refused sweep (the quote
 *   moved on) drops the stale index entry. At most QW_SWEEP_MAX quotes per
 *   tick. The sweep's transaction sends the consumer positions like every
 *   batch, so it carries the group generation check; limitation: if no
 *   assigned partition has been consumed since the assignment there is no
 *   position to send, and a zombie instance (one that lost its partitions
 *   without noticing) could still commit a sweep on real Kafka until its
 *   transactional id is fenced or its transaction times out.
 *
 * Threads: everything runs on the worker's thread; the codec is shared
 * read-only.
 */
#ifndef Q2O_RUNTIME_QUOTE_WORKER_H
#define Q2O_RUNTIME_QUOTE_WORKER_H

#include "runtime/worker.h"

#define QW_RESTORE_CHUNK 512          /* events per restore transaction */
#define QW_RESTORE_IDLE_MS 30000      /* no progress for this long: restore fails */
#define QW_SWEEP_MAX 256              /* quotes expired per tick */
#define QW_SWEEP_SCAN_MAX 4096        /* index entries looked at per tick */

typedef q2o_time_ms (*q2o_clock_fn)(void *ctx);

typedef struct q2o_quote_worker_options {
    q2o_clock_fn clock;      /* NULL: the wall clock */
    void *clock_ctx;
} q2o_quote_worker_options;

typedef struct q2o_quote_worker q2o_quote_worker;

/* Opens the built-in codec; pricer = the sample SaaS list catalog
 * (domain/sample.h) until catalogs load from the catalog topic; approval
 * policy = q2o_approval_policy_default. opt may be NULL.
 * Errors: NO_MEMORY, WIRE_SCHEMA_INVALID. */
q2o_err q2o_quote_worker_new(const q2o_config *cfg, const q2o_quote_worker_options *opt, q2o_quote_worker **out);
void q2o_quote_worker_free(q2o_quote_worker *qw); /* accepts NULL */
const q2o_worker_ops *q2o_quote_worker_ops(const q2o_quote_worker *qw);

/* The restore of commands partition `partition` (see above); also the
 * on_assign op. commands_topic must be the worker's commands topic. */
q2o_err q2o_quote_restore(q2o_quote_worker *qw, q2o_worker *w, const char *commands_topic, int32_t partition);

/* For q2o_worker_main. */
q2o_err q2o_quote_worker_make(const q2o_config *cfg, const q2o_worker_ops **ops, void **ctx, char *detail,
                              size_t detail_size);
void q2o_quote_worker_release(void *ctx);

#endif
