/*
 * store/event_store.h — the worker's local, rebuildable projection of the
 * Kafka event log, kept in LMDB.
 *
 * This module is the only place in q2o that includes <lmdb.h>. It stores
 * OPAQUE BYTES: the codec encodes events, snapshots and command results; the
 * store only knows streams (a stream id plus versions 1..head), and a few
 * keyed side tables. Kafka holds the durable copy: deleting the store
 * directory is always safe, the worker rebuilds it from the log.
 *
 * What it keeps (one LMDB environment, seven named databases):
 *   events     every event of every stream, by (stream id, version)
 *   heads      per stream: the last version and the head hash of its chain
 *   snapshots  per stream: the latest snapshot and the version it covers
 *   commands   command id -> encoded result (command dedupe)
 *   offsets    (topic, partition) -> next Kafka offset to restore from
 *   expiry     (valid_until, stream id) secondary index for the sweeper
 *   meta       store format version
 *
 * Invariants the store maintains (and the crash test checks):
 *   - a stream's events are exactly versions 1..head, no gaps;
 *   - heads, events, snapshots, offsets written in one transaction become
 *     visible together or not at all (LMDB commits are atomic; a writer
 *     killed mid-transaction leaves the last committed state).
 *
 * ------------------------------------------------------------------------
 * Threads
 *   A store and every transaction of it belong to ONE thread, the worker's
 *   apply loop (map growth needs "no transaction open in the process", which
 *   only the owning thread can promise). A thread holds at most one
 *   transaction of a store at a time. q2o_store_stat, q2o_store_sync and
 *   q2o_store_reader_check open their own read transaction or none: call
 *   them with no transaction of the store open in the calling thread.
 *   Never use a store across fork(): open it in the child (Criterion forks
 *   each test, so tests open the store inside the test body).
 *
 * Memory
 *   The store owns everything it allocates. Pointers the store hands out
 *   (event data in callbacks, snapshot and command results) point into the
 *   LMDB map: event data passed to a callback is valid only during that
 *   call; pointers returned by _get functions are valid until the
 *   transaction ends (commit or abort). Copy what you keep. Pointers the
 *   caller passes in are only read during the call.
 *
 * Errors
 *   Every call returns a q2o_err; LMDB codes never leave this module. The
 *   mapping:
 *     MDB_NOTFOUND                            -> Q2O_STORE_NOT_FOUND
 *     MDB_MAP_FULL                            -> Q2O_STORE_MAP_FULL (only
 *                                                seen inside q2o_store_update
 *                                                fns; update handles it)
 *     max_map_bytes reached, ENOSPC,
 *     MDB_READERS_FULL, MDB_DBS_FULL,
 *     MDB_TLS_FULL                            -> Q2O_STORE_FULL
 *     MDB_TXN_FULL, MDB_PAGE_FULL,
 *     MDB_CURSOR_FULL (unit of work too big)  -> Q2O_TOO_LARGE
 *     MDB_CORRUPTED, MDB_PAGE_NOTFOUND,
 *     MDB_INVALID, MDB_VERSION_MISMATCH,
 *     MDB_INCOMPATIBLE, malformed stored bytes -> Q2O_STORE_CORRUPT
 *     MDB_BAD_TXN, MDB_BAD_RSLOT, EINVAL,
 *     MDB_BAD_DBI, MDB_BAD_VALSIZE            -> Q2O_INVALID_ARGUMENT (a txn
 *                                                used after a failed op, or
 *                                                two txns in one thread)
 *     ENOMEM                                  -> Q2O_NO_MEMORY
 *     any other errno or MDB code             -> Q2O_STORE_IO
 *   Write calls check their arguments (Q2O_INVALID_ARGUMENT, Q2O_TOO_LARGE)
 *   and the stream version (Q2O_STORE_VERSION_CONFLICT) before writing
 *   anything: after those, and after Q2O_STORE_NOT_FOUND, the transaction is
 *   intact and may go on. After any other error the transaction may hold
 *   part of the call's writes or be marked failed by LMDB: abort it.
 *   Programmer errors (NULL where the contract forbids it, a write call on a
 *   read transaction) abort via Q2O_CHECK.
 *
 * Logging: none, except one info line when the map grows (rare).
 *
 * ------------------------------------------------------------------------
 * Byte layouts (all integers big-endian so that keys sort numerically;
 * "id" is the stream id's bytes without its NUL, 1..Q2O_ID_MAX-1 bytes; a
 * C-string id cannot contain 0x00, so the separator keeps ids prefix-free)
 *
 *   events key      | id (n) | 0x00 (1) | version u64 (8) |     n + 9 bytes
 *   events value    | event bytes as given to append (0..MAX_MESSAGE)     |
 *
 *   heads key       | id (n) |
 *   heads value     | version u64 (8) | head hash (32) |          40 bytes
 *
 *   snapshots key   | id (n) |
 *   snapshots value | version u64 (8) | snapshot bytes (0..MAX_SNAPSHOT) |
 *
 *   commands key    | command id (1..Q2O_ID_MAX-1) |
 *   commands value  | result bytes (0..Q2O_MAX_MESSAGE_BYTES) |
 *
 *   offsets key     | topic (t, 1..249) | 0x00 (1) | partition u32 (4) | t + 5
 *   offsets value   | next offset u64 (8) |                          8 bytes
 *
 *   expiry key      | valid_until_ms ^ 0x8000000000000000 u64 (8) | id (n) |
 *   expiry value    | (empty) |
 *     The XOR flips the sign bit so that int64 times, negatives included,
 *     sort in time order as unsigned big-endian bytes.
 *
 *   catalogs key    | catalog id (n) | 0x00 (1) | version u64 (8) |     n + 9 bytes
 *   catalogs value  | the catalog document (0..Q2O_MAX_CATALOG_BYTES) |
 *     Projected from the catalog topic (runtime/catalog_feed.h); every
 *     version is kept, so lines pinned to an older one can be explained.
 *
 *   meta key "format" -> | format version u32 (4) | (currently 1; another
 *     value makes q2o_store_open return Q2O_STORE_CORRUPT: delete and
 *     rebuild)
 */
#ifndef Q2O_STORE_EVENT_STORE_H
#define Q2O_STORE_EVENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/timeutil.h"

/* Records per append: a decision emits at most Q2O_MAX_EVENTS_PER_DECISION;
 * restore batches are larger but must stay bounded so one append cannot
 * exceed LMDB's dirty-page budget for a transaction (about 512 MiB). */
#define Q2O_STORE_MAX_RECORDS_PER_APPEND 1024u

/* One snapshot: a full aggregate (up to Q2O_MAX_REVISIONS revisions of up to
 * Q2O_MAX_LINES lines) can exceed one message; 64 MiB is generous yet keeps
 * a snapshot well inside one transaction's dirty-page budget. */
#define Q2O_STORE_MAX_SNAPSHOT_BYTES (64u * 1024u * 1024u)

/* Kafka's own limit on topic names. */
#define Q2O_STORE_TOPIC_MAX 249u

/* Smallest accepted initial map: LMDB needs a handful of pages for its meta
 * pages and the roots of the named databases. */
#define Q2O_STORE_MIN_MAP_BYTES (64u * 1024u)

/* Map growth attempts per q2o_store_update: doubling from the minimum
 * reaches any 64-bit size long before this. */
#define Q2O_STORE_MAX_GROWTHS 64u

#define Q2O_STORE_HASH_BYTES Q2O_SHA256_LEN

typedef struct q2o_store q2o_store;
typedef struct q2o_store_txn q2o_store_txn;

/* Durability of a commit. Kafka is the durable copy, so weaker modes only
 * ever cost a re-restore from the log, never correctness, as long as the
 * restored offsets live in the same transaction as the events (they do). */
typedef enum q2o_store_sync_mode {
    /* fsync data and meta page on every commit (two fsyncs): a commit that
     * returned survives an OS crash or power loss. */
    Q2O_STORE_SYNC_FULL = 0,
    /* MDB_NOMETASYNC: data fsynced, meta page not: an OS crash may undo the
     * last commit(s), never corrupt the store. A process crash loses nothing. */
    Q2O_STORE_SYNC_NOMETA,
    /* MDB_NOSYNC: no fsync; the OS flushes when it likes (q2o_store_sync and
     * close force it). A process crash loses nothing; an OS crash may undo
     * any number of recent commits and, if the file system reorders writes,
     * may corrupt the store (open then returns Q2O_STORE_CORRUPT: delete the
     * directory and rebuild from Kafka). */
    Q2O_STORE_SYNC_NONE
} q2o_store_sync_mode;

typedef struct q2o_store_options {
    const char *dir;            /* directory; created (with parents) if missing */
    uint64_t initial_map_bytes; /* default 64 MiB; >= Q2O_STORE_MIN_MAP_BYTES */
    uint64_t max_map_bytes;     /* default 64 GiB; growth past it -> Q2O_STORE_FULL */
    q2o_store_sync_mode sync;   /* default Q2O_STORE_SYNC_FULL */
    unsigned max_readers;       /* 0 = LMDB's default (126) */
} q2o_store_options;

/* Defaults as above, dir NULL (the caller must set it). */
q2o_store_options q2o_store_options_default(void);

/* Open (creating if needed) the store in opt->dir, clear stale reader slots
 * (mdb_reader_check) and make sure the named databases exist. The directory
 * is created with mode 0700, the files with 0600. The map starts at
 * initial_map_bytes, or larger if the data already stored needs it.
 * opt and opt->dir must not be NULL. *out is set only on success; the
 * caller owns it and releases it with q2o_store_close.
 * Errors: Q2O_INVALID_ARGUMENT (empty dir, initial > max, initial below the
 * minimum, path too long), Q2O_STORE_IO, Q2O_STORE_CORRUPT (not an LMDB store,
 * or a different format version), Q2O_STORE_FULL, Q2O_NO_MEMORY. */
q2o_err q2o_store_open(const q2o_store_options *opt, q2o_store **out);

/* Flush (in the NOMETA/NONE modes) and close. Accepts NULL. No transaction of
 * the store may be open. */
void q2o_store_close(q2o_store *store);

/* Force an fsync of everything committed (useful with Q2O_STORE_SYNC_NONE).
 * Errors: Q2O_STORE_IO. */
q2o_err q2o_store_sync(q2o_store *store);

/* ---- transactions ------------------------------------------------------ */

/* A read transaction sees one consistent snapshot of the store; keep it short
 * (an open reader stops LMDB from reusing pages, so the file grows).
 * A write transaction blocks until no other write transaction of the
 * environment is open (also in other processes); beginning one in a thread
 * that already holds one deadlocks. *txn is set only on success.
 * Errors: Q2O_NO_MEMORY, Q2O_STORE_FULL (reader slots exhausted),
 * Q2O_INVALID_ARGUMENT (a read txn in a thread that already holds one),
 * Q2O_STORE_IO. */
q2o_err q2o_store_begin_read(q2o_store *store, q2o_store_txn **txn);
q2o_err q2o_store_begin_write(q2o_store *store, q2o_store_txn **txn);

/* Commit and free txn, whatever the outcome. Committing a read transaction
 * just ends it. Errors: Q2O_STORE_MAP_FULL (the commit ran out of map: use
 * q2o_store_update, which handles it), Q2O_STORE_FULL (disk full),
 * Q2O_STORE_IO, Q2O_INVALID_ARGUMENT (a previous operation failed and left
 * the transaction dead; nothing was committed). */
q2o_err q2o_store_commit(q2o_store_txn *txn);

/* Discard and free txn. Accepts NULL. */
void q2o_store_abort(q2o_store_txn *txn);

/* One unit of work. Runs fn(txn, ctx) inside a fresh write transaction and
 * commits it. If the map fills (at any put inside fn, even one whose error fn
 * swallowed, or at commit), the transaction is aborted, the map is doubled
 * (capped at max_map_bytes) and fn is run AGAIN FROM SCRATCH. Hence:
 *   - fn must be re-runnable: everything it does outside txn must be
 *     idempotent or undone on failure, and it must not keep pointers from a
 *     previous run's txn;
 *   - the caller must hold no other transaction of this store (in any
 *     thread) during the call: LMDB may only resize with none open.
 * fn returns Q2O_OK to commit; any other result aborts and is returned.
 * Errors: fn's error, Q2O_STORE_FULL (max_map_bytes reached), and the errors
 * of begin_write and commit. */
typedef q2o_err (*q2o_store_work_fn)(q2o_store_txn *txn, void *ctx);
q2o_err q2o_store_update(q2o_store *store, q2o_store_work_fn fn, void *ctx);

/* Grow the map (double it, capped at max_map_bytes) for a caller that runs
 * its own write transactions (the worker loop keeps one transaction open
 * across a Kafka transaction, so it cannot use q2o_store_update): after a
 * Q2O_STORE_MAP_FULL, abort the transaction, call this, redo the work. No
 * transaction of the store may be open in the process. Errors:
 * Q2O_STORE_FULL (max_map_bytes reached), Q2O_STORE_IO. */
q2o_err q2o_store_grow(q2o_store *store);

/* ---- streams -------------------------------------------------------------
 * stream_id: a NUL-terminated string of 1..Q2O_ID_MAX-1 bytes; an empty or
 * longer one gives Q2O_INVALID_ARGUMENT. A record of length 0 may have
 * data NULL. */

typedef struct q2o_store_record {
    const void *data;
    size_t len; /* <= Q2O_MAX_MESSAGE_BYTES */
} q2o_store_record;

/* Current head: version 0 and an all-zero hash if the stream does not exist
 * (that is Q2O_OK). hash may be NULL. Errors: Q2O_INVALID_ARGUMENT,
 * Q2O_STORE_CORRUPT, Q2O_STORE_IO. */
q2o_err q2o_store_head(q2o_store_txn *txn, const char *stream_id, uint64_t *version,
                       uint8_t hash[Q2O_STORE_HASH_BYTES]);

/* Append n (1..Q2O_STORE_MAX_RECORDS_PER_APPEND) events as versions
 * expected_version+1 .. expected_version+n and set the head to
 * (expected_version+n, new_head_hash). Write transaction only.
 * Errors: Q2O_STORE_VERSION_CONFLICT (head != expected_version; nothing
 * written), Q2O_INVALID_ARGUMENT (bad id, n out of range), Q2O_TOO_LARGE (a
 * record over Q2O_MAX_MESSAGE_BYTES), Q2O_STORE_CORRUPT (an event already
 * exists past the head), Q2O_STORE_MAP_FULL, Q2O_STORE_IO. */
q2o_err q2o_store_append(q2o_store_txn *txn, const char *stream_id, uint64_t expected_version,
                         const q2o_store_record *recs, size_t n,
                         const uint8_t new_head_hash[Q2O_STORE_HASH_BYTES]);

/* Idempotent apply of one event during restore from the log. version must
 * be >= 1. If version <= head: nothing is written, *applied = 0, Q2O_OK
 * (a redelivered event). If version == head + 1: written as by append,
 * *applied = 1. Otherwise (a gap): Q2O_STORE_VERSION_CONFLICT, nothing
 * written. applied may be NULL. Other errors as q2o_store_append. */
q2o_err q2o_store_append_at(q2o_store_txn *txn, const char *stream_id, uint64_t version,
                            const void *data, size_t len,
                            const uint8_t head_hash[Q2O_STORE_HASH_BYTES], int *applied);

/* Visitor of events and snapshots. data is valid only during the call.
 * Returning anything but Q2O_OK stops the iteration; that value is returned. */
typedef q2o_err (*q2o_store_event_fn)(void *ctx, uint64_t version, const void *data, size_t len);

/* Call fn for each event with from_version <= version <= to_version, in
 * version order (from_version 0 counts as 1; to_version 0 means "to the
 * head"). An absent stream or an empty range visits nothing (Q2O_OK).
 * Errors: fn's error, Q2O_INVALID_ARGUMENT, Q2O_STORE_CORRUPT (a gap in the
 * versions), Q2O_STORE_IO. */
q2o_err q2o_store_read(q2o_store_txn *txn, const char *stream_id, uint64_t from_version,
                       uint64_t to_version, q2o_store_event_fn fn, void *ctx);

/* Visit every stream head in stream id order (rebuild verification).
 * stream_id and hash are valid only during the call. Errors: fn's error,
 * Q2O_STORE_CORRUPT, Q2O_STORE_IO. */
typedef q2o_err (*q2o_store_head_fn)(void *ctx, const char *stream_id, uint64_t version,
                                     const uint8_t hash[Q2O_STORE_HASH_BYTES]);
q2o_err q2o_store_streams(q2o_store_txn *txn, q2o_store_head_fn fn, void *ctx);

/* ---- snapshots ------------------------------------------------------------ */

/* Store a snapshot of the stream's state as of version (1..head). Only the
 * latest snapshot per stream is kept: an older one than stored is ignored
 * (Q2O_OK). Write transaction only. Errors: Q2O_INVALID_ARGUMENT (bad id,
 * version 0), Q2O_TOO_LARGE (len > Q2O_STORE_MAX_SNAPSHOT_BYTES),
 * Q2O_STORE_VERSION_CONFLICT (version > head), Q2O_STORE_MAP_FULL,
 * Q2O_STORE_CORRUPT, Q2O_STORE_IO. */
q2o_err q2o_store_snapshot_put(q2o_store_txn *txn, const char *stream_id, uint64_t version,
                               const void *data, size_t len);

/* The latest snapshot: *data valid until the transaction ends.
 * Errors: Q2O_STORE_NOT_FOUND (none), Q2O_INVALID_ARGUMENT,
 * Q2O_STORE_CORRUPT, Q2O_STORE_IO. */
q2o_err q2o_store_snapshot_get(q2o_store_txn *txn, const char *stream_id, uint64_t *version,
                               const void **data, size_t *len);

/* Snapshot cadence: whether an append that moved the head from prev_version
 * to new_version crossed a multiple of Q2O_SNAPSHOT_EVERY, i.e. whether the
 * caller should snapshot the state at new_version. Batch-aware: an append of
 * several events that steps over the multiple still counts. Pure. */
int q2o_store_should_snapshot(uint64_t prev_version, uint64_t new_version);

/* Load a stream via its latest snapshot plus the events after it: calls
 * snapshot_fn once with the latest snapshot (if there is one), then event_fn
 * for every later event up to the head, in order. Without a snapshot every
 * event goes to event_fn; so does a NULL snapshot_fn (a full replay, e.g. to
 * check a snapshot against the events). Errors: Q2O_STORE_NOT_FOUND (no such
 * stream),
 * a callback's error, Q2O_INVALID_ARGUMENT, Q2O_STORE_CORRUPT (snapshot past
 * the head, missing events), Q2O_STORE_IO. */
q2o_err q2o_store_load(q2o_store_txn *txn, const char *stream_id, q2o_store_event_fn snapshot_fn,
                       q2o_store_event_fn event_fn, void *ctx);

/* ---- command dedupe ----------------------------------------------------- */

/* Record (or replace) the encoded result of a command; write it in the same
 * transaction as the events the command produced, so a redelivered command
 * finds its result exactly when its events exist. Write transaction only.
 * Errors: Q2O_INVALID_ARGUMENT (command id empty or >= Q2O_ID_MAX bytes),
 * Q2O_TOO_LARGE, Q2O_STORE_MAP_FULL, Q2O_STORE_IO. */
q2o_err q2o_store_command_put(q2o_store_txn *txn, const char *command_id, const void *result,
                              size_t len);

/* *result valid until the transaction ends. Errors: Q2O_STORE_NOT_FOUND,
 * Q2O_INVALID_ARGUMENT, Q2O_STORE_IO. */
q2o_err q2o_store_command_get(q2o_store_txn *txn, const char *command_id, const void **result,
                              size_t *len);

/* ---- restored offsets --------------------------------------------------- */

/* The next Kafka offset to restore from for (topic, partition).
 * CONTRACT: put it in the SAME transaction as the events it covers. Then a
 * crash at any point leaves events and offset agreeing: on restart restore
 * resumes exactly after the last applied event (and append_at absorbs any
 * redelivery). Written in separate transactions, a crash between them would
 * either skip events (offset ahead) or rely on idempotence alone.
 * topic: 1..Q2O_STORE_TOPIC_MAX bytes; partition >= 0; next_offset >= 0.
 * Write transaction only. Errors: Q2O_INVALID_ARGUMENT, Q2O_STORE_MAP_FULL,
 * Q2O_STORE_IO. */
q2o_err q2o_store_offset_put(q2o_store_txn *txn, const char *topic, int32_t partition,
                             int64_t next_offset);

/* Errors: Q2O_STORE_NOT_FOUND (never restored), Q2O_INVALID_ARGUMENT,
 * Q2O_STORE_CORRUPT, Q2O_STORE_IO. */
q2o_err q2o_store_offset_get(q2o_store_txn *txn, const char *topic, int32_t partition,
                             int64_t *next_offset);

/* ---- catalogs ------------------------------------------------------------ */

/* Store version `version` (>= 1) of catalog `catalog_id` (an id as for
 * streams). Replaces the same version. Errors: INVALID_ARGUMENT, TOO_LARGE
 * (beyond Q2O_MAX_CATALOG_BYTES). */
q2o_err q2o_store_catalog_put(q2o_store_txn *txn, const char *catalog_id, int64_t version, const void *doc,
                              size_t len);
/* A version of a catalog (version -1: the newest). *doc valid until the
 * transaction ends. Errors: STORE_NOT_FOUND. */
q2o_err q2o_store_catalog_get(q2o_store_txn *txn, const char *catalog_id, int64_t version, int64_t *version_out,
                              const void **doc, size_t *len);
/* The newest version of every catalog id, in id order. A non-zero return
 * of fn stops the walk. */
typedef int (*q2o_store_catalog_fn)(void *ctx, const char *catalog_id, int64_t version, const void *doc,
                                    size_t len);
q2o_err q2o_store_catalogs(q2o_store_txn *txn, q2o_store_catalog_fn fn, void *ctx);

/* ---- expiry index ------------------------------------------------------- */

/* Index stream_id under valid_until_ms (idempotent). A stream whose validity
 * changes needs the old entry deleted by the caller. Write transaction only.
 * Errors: Q2O_INVALID_ARGUMENT, Q2O_STORE_MAP_FULL, Q2O_STORE_IO. */
q2o_err q2o_store_expiry_put(q2o_store_txn *txn, q2o_time_ms valid_until_ms,
                             const char *stream_id);

/* Remove the entry; an absent entry is Q2O_OK. Write transaction only.
 * Errors: Q2O_INVALID_ARGUMENT, Q2O_STORE_MAP_FULL, Q2O_STORE_IO. */
q2o_err q2o_store_expiry_del(q2o_store_txn *txn, q2o_time_ms valid_until_ms,
                             const char *stream_id);

/* Visit at most max entries with valid_until_ms <= until_ms, earliest first
 * (ties in stream id order). stream_id is valid only during the call. fn may
 * put or delete expiry entries in the same (write) transaction, e.g. delete
 * the one it was given: the scan re-seeks after every call.
 * Errors: fn's error, Q2O_STORE_CORRUPT, Q2O_STORE_IO. */
typedef q2o_err (*q2o_store_expiry_fn)(void *ctx, q2o_time_ms valid_until_ms,
                                       const char *stream_id);
q2o_err q2o_store_expiry_scan(q2o_store_txn *txn, q2o_time_ms until_ms, q2o_store_expiry_fn fn,
                              void *ctx, size_t max);

/* ---- operations --------------------------------------------------------- */

typedef struct q2o_store_stats {
    uint64_t map_bytes;     /* current map size */
    uint64_t max_map_bytes; /* configured cap */
    uint64_t used_bytes;    /* pages in use (high-water mark) x page size */
    uint32_t page_size;
    uint32_t readers_used;  /* reader slots ever used (incl. stale ones) */
    uint64_t events, heads, snapshots, commands, offsets, expiry; /* entries */
} q2o_store_stats;

/* Errors: Q2O_STORE_IO, Q2O_INVALID_ARGUMENT (a txn is open in this thread). */
q2o_err q2o_store_stat(q2o_store *store, q2o_store_stats *out);

/* Free reader slots of dead processes/threads; *cleared (may be NULL) gets
 * how many. Errors: Q2O_STORE_IO. */
q2o_err q2o_store_reader_check(q2o_store *store, int *cleared);

#endif
