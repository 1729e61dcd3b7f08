/*
 * runtime/catalog_feed.h — the catalog as a worker sees it: a global table
 * read from the catalog topic and projected into the worker's LMDB.
 *
 * THE TOPIC. <prefix>catalog: one partition, compacted (latest message per
 * key), max.message.bytes Q2O_CATALOG_MESSAGE_MAX. One message per catalog
 * version, written by `q2octl catalog load FILE` after it validated the
 * file with codec/catalog_json.h:
 *   key     the catalog id ("saas-suite")
 *   value   the catalog document, the JSON bytes exactly as loaded
 *           (schemas/catalog/README.md); a tombstone (no value) withdraws
 *           the catalog id
 *   headers content-type: application/json, CloudEvents binary mode
 *           (ce_specversion 1.0, ce_type q2o.CatalogPublished, ce_id
 *           "<id>/<version>", ce_source, ce_subject = id, ce_time) and
 *           q2o_catalog_version (decimal), q2o_catalog_digest (hex SHA-256
 *           of the canonical document, q2o_catalog_json_digest)
 * JSON, not Avro: the catalog is a document people write and review, with
 * its own validating loader; the loader is the schema.
 *
 * THE FEED. Reads the topic (read_committed) from the offset its store
 * recorded, validates every document again (a document written around
 * q2octl that does not load is logged and skipped: the previous version
 * stays active, nothing crashes), keeps the newest version of each id in
 * memory, and writes every valid document and the next offset into the
 * store transaction it is given (so the projection commits with the
 * worker's own work and survives restarts; older versions stay in the store
 * for lines pinned to them). A document with a version not above the one
 * held for its id is ignored (replays and re-publishes are harmless).
 *
 * The ACTIVE catalog prices quotes: the one named by Q2O_CATALOG_ID, or,
 * when that is empty, the most recently published one. Until one is
 * loaded, q2o_catalog_feed_pricer refuses with Q2O_CATALOG_NOT_LOADED.
 *
 * Threads: one thread (the worker's). A catalog returned stays valid until
 * the next q2o_catalog_feed_poll / _restore / _free.
 */
#ifndef Q2O_RUNTIME_CATALOG_FEED_H
#define Q2O_RUNTIME_CATALOG_FEED_H

#include <stdint.h>

#include "bus/bus.h"
#include "core/error.h"
#include "domain/catalog.h"
#include "domain/pricing.h"
#include "runtime/config.h"
#include "store/event_store.h"

#define Q2O_CATALOG_MESSAGE_MAX (64u * 1024u * 1024u)
#define Q2O_CATALOG_CE_TYPE "q2o.CatalogPublished"
#define Q2O_CATALOG_HDR_VERSION "q2o_catalog_version"
#define Q2O_CATALOG_HDR_DIGEST "q2o_catalog_digest"

typedef struct q2o_catalog_feed q2o_catalog_feed;

/* A feed for cfg's catalog topic and Q2O_CATALOG_ID. Opens nothing yet.
 * Errors: NO_MEMORY. */
q2o_err q2o_catalog_feed_new(const q2o_config *cfg, q2o_catalog_feed **out);
void q2o_catalog_feed_free(q2o_catalog_feed *f); /* accepts NULL */

/* Load the projection (newest version of every id, and the recorded
 * offset) from a store transaction (read or write). */
q2o_err q2o_catalog_feed_restore(q2o_catalog_feed *f, q2o_store_txn *txn);

/* Read the topic from the current position. wait_ms > 0: up to the end
 * offset seen now, waiting at most wait_ms (a timeout is not an error: the
 * rest comes with the next poll); wait_ms == 0: only what is already
 * fetched. Valid documents and the new offset go to wtxn (a write
 * transaction). *changed (may be NULL) tells whether the active catalog
 * changed. Errors: the bus's (KAFKA_*), the store's. */
q2o_err q2o_catalog_feed_poll(q2o_catalog_feed *f, q2o_store_txn *wtxn, int wait_ms, int *changed);

/* What a worker does with its feed (both the quote and the document
 * worker):
 *   _sync, before restoring a newly assigned partition (no store
 *   transaction open): the projection from the store (once), then the topic
 *   up to its end, waiting at most Q2O_CATALOG_SYNC_WAIT_MS, in its own
 *   store transaction;
 *   _tick, inside a batch: a non-blocking poll at most every
 *   Q2O_CATALOG_POLL_MS, writing into the batch's transaction.
 * An unreadable catalog topic (retriable errors, no such topic) is logged
 * by the feed and not an error here: the next call tries again. */
#define Q2O_CATALOG_SYNC_WAIT_MS 10000
#define Q2O_CATALOG_POLL_MS 1000
q2o_err q2o_catalog_feed_sync(q2o_catalog_feed *f, q2o_store *store);
q2o_err q2o_catalog_feed_tick(q2o_catalog_feed *f, q2o_store_txn *wtxn);

/* The active catalog, or NULL. */
const q2o_catalog *q2o_catalog_feed_active(const q2o_catalog_feed *f);

/* A pricer over the active catalog at the time of each call (so it follows
 * updates); Q2O_CATALOG_NOT_LOADED while there is none. */
q2o_pricer q2o_catalog_feed_pricer(const q2o_catalog_feed *f);

#endif
