/* store_util.c — error translation and byte encoding shared by the store. */
#include <errno.h>
#include <string.h>

#include "store_internal.h"

/* LMDB returns its own MDB_* codes and raw errno values through one int
 * (lmdb.h calls this a mess); this is the one place that sorts them out. */
static q2o_err mdb_code_err(int rc)
{
    switch (rc) {
    case MDB_NOTFOUND:
        return Q2O_STORE_NOT_FOUND;
    case MDB_MAP_FULL:
        return Q2O_STORE_MAP_FULL;
    case MDB_READERS_FULL:
    case MDB_DBS_FULL:
    case MDB_TLS_FULL:
        return Q2O_STORE_FULL;
    case MDB_TXN_FULL:
    case MDB_PAGE_FULL:
    case MDB_CURSOR_FULL:
        return Q2O_TOO_LARGE;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_VERSION_MISMATCH:
    case MDB_INCOMPATIBLE:
        return Q2O_STORE_CORRUPT;
    case MDB_BAD_TXN:
    case MDB_BAD_RSLOT:
    case MDB_BAD_DBI:
    case MDB_BAD_VALSIZE:
        return Q2O_INVALID_ARGUMENT;
    default:
        return Q2O_STORE_IO; /* MDB_PANIC, MDB_MAP_RESIZED, MDB_KEYEXIST, ... */
    }
}

static q2o_err errno_err(int rc)
{
    switch (rc) {
    case ENOMEM:
        return Q2O_NO_MEMORY;
    case ENOSPC:
        return Q2O_STORE_FULL;
    case EINVAL:
        return Q2O_INVALID_ARGUMENT;
    default:
        return Q2O_STORE_IO;
    }
}

q2o_err store_err(q2o_store_txn *txn, int rc)
{
    if (rc == MDB_SUCCESS)
        return Q2O_OK;
    if (rc == MDB_MAP_FULL && txn)
        txn->map_full = 1;
    if (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE)
        return mdb_code_err(rc);
    return errno_err(rc);
}

size_t store_id_len(const char *id)
{
    size_t n = strnlen(id, Q2O_ID_MAX);
    return n >= Q2O_ID_MAX ? 0 : n;
}

void store_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)(v & 0xffu);
}

uint64_t store_get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

void store_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)(v & 0xffu);
}

uint32_t store_get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 8) | p[i];
    return v;
}

size_t store_event_key(uint8_t *buf, const char *id, size_t idlen, uint64_t version)
{
    Q2O_CHECK(idlen > 0 && idlen < Q2O_ID_MAX);
    memcpy(buf, id, idlen);
    buf[idlen] = 0x00;
    store_put_u64(buf + idlen + 1, version);
    return idlen + 1 + STORE_U64;
}
