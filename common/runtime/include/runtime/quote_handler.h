/*
 * runtime/quote_handler.h — one command through the quote aggregate, inside
 * one store write transaction:
 *
 *   1. dedupe: a command id already handled returns its recorded result
 *      (duplicate = 1) and emits nothing;
 *   2. load the quote (latest snapshot + later events, decoded and evolved);
 *   3. decide(env, state, command, now);
 *   4. evolve the events (every invariant checked), encode them, append
 *      them with the loaded version as the expected version;
 *   5. snapshot when the append crosses a multiple of Q2O_SNAPSHOT_EVERY;
 *   6. move the quote in the expiry index to its next expiry;
 *   7. build, encode and record the result under the command id.
 *
 * The caller commits the transaction (and, with Kafka, produces
 * out->event_bytes and out->result_bytes in the same Kafka transaction).
 * q2o_quote_handle may run again from scratch in a new transaction (the
 * store re-runs units of work on map growth): it resets *out first.
 *
 * Return value: Q2O_OK whenever the command got a result — accepted or
 * refused by a domain rule (see out->result.status/code). A non-OK return
 * is an infrastructure failure of class RETRY or FATAL (store, encoding,
 * memory, a corrupt stored quote): abort the transaction.
 *
 * Memory: out owns its events and buffers; release with
 * q2o_handled_release (accepts a zeroed struct). Thread: the store's
 * thread (LMDB transactions are per thread).
 */
#ifndef Q2O_RUNTIME_QUOTE_HANDLER_H
#define Q2O_RUNTIME_QUOTE_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#include "codec/quote_codec.h"
#include "domain/quote.h"
#include "store/event_store.h"

typedef struct q2o_handled {
    q2o_result result;
    int duplicate;                   /* command id seen before: recorded result */
    uint32_t n_events;
    q2o_event events[Q2O_MAX_EVENTS_PER_DECISION];
    uint8_t *event_bytes[Q2O_MAX_EVENTS_PER_DECISION];
    size_t event_len[Q2O_MAX_EVENTS_PER_DECISION];
    uint8_t *result_bytes;
    size_t result_len;
} q2o_handled;

void q2o_handled_release(q2o_handled *h);

q2o_err q2o_quote_handle(q2o_store_txn *txn, const q2o_codec *codec, const q2o_quote_env *env,
                         const q2o_command *cmd, q2o_time_ms now, q2o_handled *out);

/*
 * A cache of loaded quotes for a thread that handles many commands.
 *
 * Why: step 2 decodes and evolves up to Q2O_SNAPSHOT_EVERY - 1 events after
 * the quote's snapshot; in the quote worker that was most of its CPU. The
 * cache keeps each quote's state as the handler left it, keyed by quote id.
 *
 * Why it never changes an answer: a cached state is used only when its
 * version and head hash equal the store's head for that quote, read in the
 * same transaction. The head hash chains every event, so equal heads mean
 * the same history and so the same state. Whatever moves the store without
 * the cache (an aborted or re-run transaction, restore, another process)
 * makes the heads differ, and the quote is loaded again.
 *
 * Bounds: max_quotes quotes and max_bytes of state (each state with its
 * arrays); the least recently used quote goes first. The quote worker uses
 * Q2O_QUOTE_CACHE_QUOTES and Q2O_QUOTE_CACHE_BYTES.
 *
 * q2o_quote_cache_new returns NULL when out of memory or max_quotes is 0;
 * _free accepts NULL. Thread: one thread at a time (the store's thread).
 */
typedef struct q2o_quote_cache q2o_quote_cache;

typedef struct q2o_quote_cache_stats {
    uint64_t hits, misses, evictions;
    size_t bytes;                    /* accounted now */
} q2o_quote_cache_stats;

q2o_quote_cache *q2o_quote_cache_new(uint32_t max_quotes, size_t max_bytes);
void q2o_quote_cache_free(q2o_quote_cache *c);
q2o_quote_cache_stats q2o_quote_cache_stats_get(const q2o_quote_cache *c);

/* q2o_quote_handle through a cache (NULL: load the quote every time, as
 * q2o_quote_handle does). Same results, same errors. */
q2o_err q2o_quote_handle_cached(q2o_quote_cache *cache, q2o_store_txn *txn, const q2o_codec *codec,
                                const q2o_quote_env *env, const q2o_command *cmd, q2o_time_ms now,
                                q2o_handled *out);

/* Load a quote: snapshot + later events. out must be initialised; a quote
 * that does not exist loads as an empty state (exists == 0) with Q2O_OK.
 * Errors: STORE_CORRUPT (undecodable bytes, broken chain, broken
 * invariant: detail says which), STORE_IO, NO_MEMORY. */
q2o_err q2o_quote_load(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id, q2o_quote *out,
                       char *detail, size_t detail_size);

/* Time travel: the quote as of stream version `version` (0 = no bound) and
 * time `at` (0 = no bound), replayed from its first event (snapshots are not
 * used, so the replay also re-verifies history). */
q2o_err q2o_quote_load_as_of(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                             uint64_t version, q2o_time_ms at, q2o_quote *out, char *detail,
                             size_t detail_size);

/* Visit a quote's events in order with the state before each (audit
 * timeline). The event is valid only during the call. */
typedef q2o_err (*q2o_quote_event_fn)(void *ctx, const q2o_quote *before, const q2o_event *ev);
q2o_err q2o_quote_history(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                          q2o_quote_event_fn fn, void *ctx, char *detail, size_t detail_size);

/* Verify a quote's hash chain from its first event and that the stored head
 * (version and hash) and the latest snapshot agree with it. */
typedef struct q2o_verify_report {
    uint64_t events;
    uint8_t head_hash[Q2O_SHA256_LEN];
    int chain_ok, head_ok, snapshot_ok;
    uint64_t first_bad_version;      /* 0 = none */
} q2o_verify_report;

q2o_err q2o_quote_verify(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                         q2o_verify_report *out, char *detail, size_t detail_size);

#endif
