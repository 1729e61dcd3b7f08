/* store_index.c — keyed side tables: command dedupe, restored offsets and
 * the expiry index. */
#include <string.h>

#include "store_internal.h"

/* ---- command dedupe ------------------------------------------------------ */

q2o_err q2o_store_command_put(q2o_store_txn *txn, const char *command_id, const void *result,
                              size_t len)
{
    Q2O_CHECK(txn && txn->write && command_id && (result || len == 0));
    size_t idlen = store_id_len(command_id);
    if (!idlen)
        return Q2O_INVALID_ARGUMENT;
    if (len > Q2O_MAX_MESSAGE_BYTES)
        return Q2O_TOO_LARGE;
    MDB_val k = {idlen, MUTABLE(command_id)}, v = {len, MUTABLE(result)};
    return store_err(txn, mdb_put(txn->txn, DBI(txn, STORE_DB_COMMANDS), &k, &v, 0));
}

q2o_err q2o_store_command_get(q2o_store_txn *txn, const char *command_id, const void **result,
                              size_t *len)
{
    Q2O_CHECK(txn && command_id && result && len);
    size_t idlen = store_id_len(command_id);
    if (!idlen)
        return Q2O_INVALID_ARGUMENT;
    MDB_val k = {idlen, MUTABLE(command_id)}, v;
    int rc = mdb_get(txn->txn, DBI(txn, STORE_DB_COMMANDS), &k, &v);
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    *result = v.mv_data;
    *len = v.mv_size;
    return Q2O_OK;
}

/* ---- restored offsets ---------------------------------------------------- */

/* Key of (topic, partition) into buf[STORE_OFFSET_KEY_MAX]; 0 if invalid. */
static size_t offset_key(uint8_t *buf, const char *topic, int32_t partition)
{
    size_t n = strnlen(topic, Q2O_STORE_TOPIC_MAX + 1);
    if (n == 0 || n > Q2O_STORE_TOPIC_MAX || partition < 0)
        return 0;
    memcpy(buf, topic, n);
    buf[n] = 0x00;
    store_put_u32(buf + n + 1, (uint32_t)partition);
    return n + 1 + 4;
}

q2o_err q2o_store_offset_put(q2o_store_txn *txn, const char *topic, int32_t partition,
                             int64_t next_offset)
{
    Q2O_CHECK(txn && txn->write && topic);
    uint8_t key[STORE_OFFSET_KEY_MAX], val[STORE_U64];
    size_t klen = offset_key(key, topic, partition);
    if (!klen || next_offset < 0)
        return Q2O_INVALID_ARGUMENT;
    store_put_u64(val, (uint64_t)next_offset);
    MDB_val k = {klen, key}, v = {sizeof val, val};
    return store_err(txn, mdb_put(txn->txn, DBI(txn, STORE_DB_OFFSETS), &k, &v, 0));
}

q2o_err q2o_store_offset_get(q2o_store_txn *txn, const char *topic, int32_t partition,
                             int64_t *next_offset)
{
    Q2O_CHECK(txn && topic && next_offset);
    uint8_t key[STORE_OFFSET_KEY_MAX];
    size_t klen = offset_key(key, topic, partition);
    if (!klen)
        return Q2O_INVALID_ARGUMENT;
    MDB_val k = {klen, key}, v;
    int rc = mdb_get(txn->txn, DBI(txn, STORE_DB_OFFSETS), &k, &v);
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    if (v.mv_size != STORE_U64)
        return Q2O_STORE_CORRUPT;
    uint64_t off = store_get_u64(v.mv_data);
    if (off > (uint64_t)INT64_MAX)
        return Q2O_STORE_CORRUPT;
    *next_offset = (int64_t)off;
    return Q2O_OK;
}

/* ---- expiry index -------------------------------------------------------- */

/* Key of (valid_until, id) into buf[STORE_EXPIRY_KEY_MAX]; 0 if id invalid. */
static size_t expiry_key(uint8_t *buf, q2o_time_ms valid_until_ms, const char *id)
{
    size_t idlen = store_id_len(id);
    if (!idlen)
        return 0;
    store_put_u64(buf, (uint64_t)valid_until_ms ^ STORE_EXPIRY_BIAS);
    memcpy(buf + STORE_U64, id, idlen);
    return STORE_U64 + idlen;
}

q2o_err q2o_store_expiry_put(q2o_store_txn *txn, q2o_time_ms valid_until_ms,
                             const char *stream_id)
{
    Q2O_CHECK(txn && txn->write && stream_id);
    uint8_t key[STORE_EXPIRY_KEY_MAX];
    size_t klen = expiry_key(key, valid_until_ms, stream_id);
    if (!klen)
        return Q2O_INVALID_ARGUMENT;
    MDB_val k = {klen, key}, v = {0, NULL};
    return store_err(txn, mdb_put(txn->txn, DBI(txn, STORE_DB_EXPIRY), &k, &v, 0));
}

q2o_err q2o_store_expiry_del(q2o_store_txn *txn, q2o_time_ms valid_until_ms,
                             const char *stream_id)
{
    Q2O_CHECK(txn && txn->write && stream_id);
    uint8_t key[STORE_EXPIRY_KEY_MAX];
    size_t klen = expiry_key(key, valid_until_ms, stream_id);
    if (!klen)
        return Q2O_INVALID_ARGUMENT;
    MDB_val k = {klen, key};
    int rc = mdb_del(txn->txn, DBI(txn, STORE_DB_EXPIRY), &k, NULL);
    return rc == MDB_NOTFOUND ? Q2O_OK : store_err(txn, rc);
}

/* Decode one expiry key; Q2O_STORE_CORRUPT if malformed. */
static q2o_err expiry_decode(const MDB_val *k, q2o_time_ms *t, char id[Q2O_ID_MAX])
{
    const uint8_t *p = k->mv_data;
    size_t n = k->mv_size;
    if (n <= STORE_U64 || n - STORE_U64 >= Q2O_ID_MAX || memchr(p + STORE_U64, 0, n - STORE_U64))
        return Q2O_STORE_CORRUPT;
    *t = (q2o_time_ms)(store_get_u64(p) ^ STORE_EXPIRY_BIAS);
    memcpy(id, p + STORE_U64, n - STORE_U64);
    id[n - STORE_U64] = '\0';
    return Q2O_OK;
}

/* After fn ran (and may have changed the index), move to the first key
 * after the one just visited by seeking again from the tree's root. */
static int expiry_next(MDB_cursor *cur, const uint8_t *last, size_t lastlen, MDB_val *k,
                       MDB_val *v)
{
    k->mv_size = lastlen;
    k->mv_data = MUTABLE(last);
    int rc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
    if (rc == MDB_SUCCESS && k->mv_size == lastlen && memcmp(k->mv_data, last, lastlen) == 0)
        rc = mdb_cursor_get(cur, k, v, MDB_NEXT);
    return rc;
}

q2o_err q2o_store_expiry_scan(q2o_store_txn *txn, q2o_time_ms until_ms, q2o_store_expiry_fn fn,
                              void *ctx, size_t max)
{
    Q2O_CHECK(txn && fn);
    uint8_t last[STORE_EXPIRY_KEY_MAX];
    MDB_val k, v;
    MDB_cursor *cur = NULL;
    int rc = mdb_cursor_open(txn->txn, DBI(txn, STORE_DB_EXPIRY), &cur);
    q2o_err err = store_err(txn, rc);
    if (err != Q2O_OK)
        goto out;
    rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    for (size_t seen = 0; rc == MDB_SUCCESS && seen < max; seen++) {
        q2o_time_ms t;
        char id[Q2O_ID_MAX];
        err = expiry_decode(&k, &t, id);
        if (err != Q2O_OK || t > until_ms)
            goto out;
        size_t lastlen = k.mv_size;
        memcpy(last, k.mv_data, lastlen);
        err = fn(ctx, t, id);
        if (err != Q2O_OK)
            goto out;
        rc = expiry_next(cur, last, lastlen, &k, &v);
    }
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
        err = store_err(txn, rc);
out:
    if (cur)
        mdb_cursor_close(cur);
    return err;
}

/* ---- catalogs ------------------------------------------------------------ */

/* Key of (catalog id, version) into buf[STORE_EVENT_KEY_MAX]; 0 if invalid. */
static size_t catalog_key(uint8_t *buf, const char *catalog_id, int64_t version)
{
    size_t n = store_id_len(catalog_id);
    if (!n || version < 0)
        return 0;
    memcpy(buf, catalog_id, n);
    buf[n] = 0x00;
    store_put_u64(buf + n + 1, (uint64_t)version);
    return n + 1 + STORE_U64;
}

q2o_err q2o_store_catalog_put(q2o_store_txn *txn, const char *catalog_id, int64_t version, const void *doc,
                              size_t len)
{
    Q2O_CHECK(txn && txn->write && catalog_id && (doc || len == 0));
    uint8_t key[STORE_EVENT_KEY_MAX];
    size_t klen = catalog_key(key, catalog_id, version);
    if (!klen || version < 1)
        return Q2O_INVALID_ARGUMENT;
    if (len > Q2O_MAX_CATALOG_BYTES)
        return Q2O_TOO_LARGE;
    MDB_val k = {klen, key}, v = {len, MUTABLE(doc)};
    return store_err(txn, mdb_put(txn->txn, DBI(txn, STORE_DB_CATALOGS), &k, &v, 0));
}

/* The newest version of the catalog whose key prefix is key[0..n] (id and
 * separator), positioned by cursor c. */
static q2o_err catalog_newest(q2o_store_txn *txn, MDB_cursor *c, const uint8_t *key, size_t n, MDB_val *k,
                              MDB_val *v)
{
    uint8_t after[STORE_EVENT_KEY_MAX];
    memcpy(after, key, n);
    memset(after + n, 0xff, STORE_U64);
    MDB_val probe = {n + STORE_U64, after};
    int rc = mdb_cursor_get(c, &probe, v, MDB_SET_RANGE);
    rc = rc == MDB_NOTFOUND ? mdb_cursor_get(c, k, v, MDB_LAST) : mdb_cursor_get(c, k, v, MDB_PREV);
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    if (k->mv_size != n + STORE_U64 || memcmp(k->mv_data, key, n) != 0)
        return Q2O_STORE_NOT_FOUND;
    return Q2O_OK;
}

q2o_err q2o_store_catalog_get(q2o_store_txn *txn, const char *catalog_id, int64_t version, int64_t *version_out,
                              const void **doc, size_t *len)
{
    Q2O_CHECK(txn && catalog_id && doc && len);
    uint8_t key[STORE_EVENT_KEY_MAX];
    size_t klen = catalog_key(key, catalog_id, version < 0 ? 0 : version);
    if (!klen)
        return Q2O_INVALID_ARGUMENT;
    MDB_val k = {klen, key}, v;
    q2o_err e = Q2O_OK;
    if (version >= 0) {
        e = store_err(txn, mdb_get(txn->txn, DBI(txn, STORE_DB_CATALOGS), &k, &v));
    } else {
        MDB_cursor *c;
        int rc = mdb_cursor_open(txn->txn, DBI(txn, STORE_DB_CATALOGS), &c);
        if (rc != MDB_SUCCESS)
            return store_err(txn, rc);
        e = catalog_newest(txn, c, key, klen - STORE_U64, &k, &v);
        mdb_cursor_close(c);
    }
    if (e != Q2O_OK)
        return e;
    if (version_out)
        *version_out = (int64_t)store_get_u64((const uint8_t *)k.mv_data + k.mv_size - STORE_U64);
    *doc = v.mv_data;
    *len = v.mv_size;
    return Q2O_OK;
}

q2o_err q2o_store_catalogs(q2o_store_txn *txn, q2o_store_catalog_fn fn, void *ctx)
{
    Q2O_CHECK(txn && fn);
    MDB_cursor *c;
    MDB_val k, v;
    char id[Q2O_ID_MAX];
    int rc = mdb_cursor_open(txn->txn, DBI(txn, STORE_DB_CATALOGS), &c);
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    /* Walk keys in order; the last key of each id is its newest version. */
    int have = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    q2o_err e = Q2O_OK;
    while (have == MDB_SUCCESS) {
        MDB_val nk, nv;
        size_t n = k.mv_size - STORE_U64 - 1;
        if (k.mv_size <= STORE_U64 + 1 || n >= sizeof id) {
            e = Q2O_STORE_CORRUPT;
            break;
        }
        int next = mdb_cursor_get(c, &nk, &nv, MDB_NEXT);
        if (next == MDB_SUCCESS && nk.mv_size == k.mv_size && memcmp(nk.mv_data, k.mv_data, n + 1) == 0) {
            k = nk, v = nv; /* same id, newer version */
            continue;
        }
        memcpy(id, k.mv_data, n);
        id[n] = '\0';
        if (fn(ctx, id, (int64_t)store_get_u64((const uint8_t *)k.mv_data + n + 1), v.mv_data, v.mv_size))
            break;
        if (next != MDB_SUCCESS) {
            if (next != MDB_NOTFOUND)
                e = store_err(txn, next);
            break;
        }
        k = nk, v = nv;
    }
    mdb_cursor_close(c);
    return e;
}
