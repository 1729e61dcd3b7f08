/*
 * store_internal.h — what the store's source files share: the handle and
 * transaction structs, key encoders, and the MDB -> q2o_err translation.
 * Private to common/store/src.
 */
#ifndef Q2O_STORE_INTERNAL_H
#define Q2O_STORE_INTERNAL_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "core/check.h"
#include "store/event_store.h"

enum store_db {
    STORE_DB_EVENTS,
    STORE_DB_HEADS,
    STORE_DB_SNAPSHOTS,
    STORE_DB_COMMANDS,
    STORE_DB_OFFSETS,
    STORE_DB_EXPIRY,
    STORE_DB_META,
    STORE_DB_CATALOGS,
    STORE_DB_COUNT
};

struct q2o_store {
    MDB_env *env;
    MDB_dbi dbi[STORE_DB_COUNT];
    uint64_t map_bytes; /* current map size as LMDB reports it */
    uint64_t max_map_bytes;
    q2o_store_sync_mode sync;
    int opened; /* mdb_env_open succeeded */
};

struct q2o_store_txn {
    q2o_store *store;
    MDB_txn *txn;
    int write;
    int map_full; /* sticky: some op hit MDB_MAP_FULL; the txn is dead */
};

#define DBI(txn, db) ((txn)->store->dbi[(db)])
#define MUTABLE(p) ((void *)(uintptr_t)(p)) /* LMDB's MDB_val is not const */

/* Byte sizes of fixed parts of keys and values (see the header's tables). */
#define STORE_U64 8u
#define STORE_HEAD_VALUE (STORE_U64 + Q2O_STORE_HASH_BYTES)
#define STORE_EVENT_KEY_MAX (Q2O_ID_MAX - 1 + 1 + STORE_U64)
#define STORE_EXPIRY_KEY_MAX (STORE_U64 + Q2O_ID_MAX - 1)
#define STORE_OFFSET_KEY_MAX (Q2O_STORE_TOPIC_MAX + 1 + 4)
#define STORE_EXPIRY_BIAS 0x8000000000000000ull
#define STORE_FORMAT_VERSION 1u

/* Translate an LMDB or errno code. Records MDB_MAP_FULL on the txn (if any)
 * so q2o_store_update can grow even if a work fn swallowed the error. */
q2o_err store_err(q2o_store_txn *txn, int rc);

/* Length of a valid id (1..Q2O_ID_MAX-1 bytes), or 0 if empty or too long. */
size_t store_id_len(const char *id);

void store_put_u64(uint8_t *p, uint64_t v);
uint64_t store_get_u64(const uint8_t *p);
void store_put_u32(uint8_t *p, uint32_t v);
uint32_t store_get_u32(const uint8_t *p);

/* events key of (id[idlen], version) into buf[STORE_EVENT_KEY_MAX]. */
size_t store_event_key(uint8_t *buf, const char *id, size_t idlen, uint64_t version);

/* Write a stream's head value. */
q2o_err store_head_put(q2o_store_txn *txn, const char *id, size_t idlen, uint64_t version,
                       const uint8_t hash[Q2O_STORE_HASH_BYTES]);

#endif
