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
