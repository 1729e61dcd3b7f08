/* store_stream.c — streams: heads, events, snapshots, load. */
#include <string.h>

#include "store_internal.h"

static q2o_err head_get(q2o_store_txn *txn, const char *id, size_t idlen, uint64_t *version,
                        uint8_t hash[Q2O_STORE_HASH_BYTES])
{
    MDB_val k = {idlen, MUTABLE(id)}, v;
    int rc = mdb_get(txn->txn, DBI(txn, STORE_DB_HEADS), &k, &v);
    if (rc == MDB_NOTFOUND) {
        *version = 0;
        if (hash)
            memset(hash, 0, Q2O_STORE_HASH_BYTES);
        return Q2O_OK;
    }
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    if (v.mv_size != STORE_HEAD_VALUE)
        return Q2O_STORE_CORRUPT;
    *version = store_get_u64(v.mv_data);
    if (hash)
        memcpy(hash, (const uint8_t *)v.mv_data + STORE_U64, Q2O_STORE_HASH_BYTES);
    return Q2O_OK;
}

q2o_err store_head_put(q2o_store_txn *txn, const char *id, size_t idlen, uint64_t version,
                       const uint8_t hash[Q2O_STORE_HASH_BYTES])
{
    uint8_t buf[STORE_HEAD_VALUE];
    store_put_u64(buf, version);
    memcpy(buf + STORE_U64, hash, Q2O_STORE_HASH_BYTES);
    MDB_val k = {idlen, MUTABLE(id)}, v = {sizeof buf, buf};
    return store_err(txn, mdb_put(txn->txn, DBI(txn, STORE_DB_HEADS), &k, &v, 0));
}

/* Write one event. The key must be new: one past the head never exists
 * unless heads and events disagree, which is corruption. */
static q2o_err event_put(q2o_store_txn *txn, const char *id, size_t idlen, uint64_t version,
                         const void *data, size_t len)
{
    uint8_t key[STORE_EVENT_KEY_MAX];
    MDB_val k = {store_event_key(key, id, idlen, version), key};
    MDB_val v = {len, MUTABLE(data)};
    int rc = mdb_put(txn->txn, DBI(txn, STORE_DB_EVENTS), &k, &v, MDB_NOOVERWRITE);
    return rc == MDB_KEYEXIST ? Q2O_STORE_CORRUPT : store_err(txn, rc);
}

q2o_err q2o_store_head(q2o_store_txn *txn, const char *stream_id, uint64_t *version,
                       uint8_t hash[Q2O_STORE_HASH_BYTES])
{
    Q2O_CHECK(txn && stream_id && version);
    size_t idlen = store_id_len(stream_id);
    if (!idlen)
        return Q2O_INVALID_ARGUMENT;
    return head_get(txn, stream_id, idlen, version, hash);
}

static q2o_err check_records(const q2o_store_record *recs, size_t n)
{
    if (n == 0 || n > Q2O_STORE_MAX_RECORDS_PER_APPEND)
        return Q2O_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++) {
        Q2O_CHECK(recs[i].data || recs[i].len == 0);
        if (recs[i].len > Q2O_MAX_MESSAGE_BYTES)
            return Q2O_TOO_LARGE;
    }
    return Q2O_OK;
}

q2o_err q2o_store_append(q2o_store_txn *txn, const char *stream_id, uint64_t expected_version,
                         const q2o_store_record *recs, size_t n,
                         const uint8_t new_head_hash[Q2O_STORE_HASH_BYTES])
{
    Q2O_CHECK(txn && txn->write && stream_id && new_head_hash && (recs || n == 0));
    size_t idlen = store_id_len(stream_id);
    if (!idlen || expected_version > UINT64_MAX - Q2O_STORE_MAX_RECORDS_PER_APPEND)
        return Q2O_INVALID_ARGUMENT;
    q2o_err err = check_records(recs, n);
    if (err != Q2O_OK)
        return err;
    uint64_t head = 0;
    err = head_get(txn, stream_id, idlen, &head, NULL);
    if (err != Q2O_OK)
        return err;
    if (head != expected_version)
        return Q2O_STORE_VERSION_CONFLICT;
    for (size_t i = 0; i < n; i++) {
        err = event_put(txn, stream_id, idlen, expected_version + 1 + i, recs[i].data, recs[i].len);
        if (err != Q2O_OK)
            return err;
    }
    return store_head_put(txn, stream_id, idlen, expected_version + n, new_head_hash);
}

q2o_err q2o_store_append_at(q2o_store_txn *txn, const char *stream_id, uint64_t version,
                            const void *data, size_t len,
                            const uint8_t head_hash[Q2O_STORE_HASH_BYTES], int *applied)
{
    Q2O_CHECK(txn && txn->write && stream_id && head_hash && (data || len == 0));
    if (applied)
        *applied = 0;
    size_t idlen = store_id_len(stream_id);
    if (!idlen || version == 0 || version == UINT64_MAX)
        return Q2O_INVALID_ARGUMENT;
    if (len > Q2O_MAX_MESSAGE_BYTES)
        return Q2O_TOO_LARGE;
    uint64_t head = 0;
    q2o_err err = head_get(txn, stream_id, idlen, &head, NULL);
    if (err != Q2O_OK)
        return err;
    if (version <= head)
        return Q2O_OK; /* redelivered: already applied */
    if (version != head + 1)
        return Q2O_STORE_VERSION_CONFLICT;
    err = event_put(txn, stream_id, idlen, version, data, len);
    if (err == Q2O_OK)
        err = store_head_put(txn, stream_id, idlen, version, head_hash);
    if (err == Q2O_OK && applied)
        *applied = 1;
    return err;
}

/* Visit events from..to of one stream; *last gets the last version visited
 * (from - 1 if none). Versions must be contiguous from `from`. */
static q2o_err read_range(q2o_store_txn *txn, const char *id, size_t idlen, uint64_t from,
                          uint64_t to, q2o_store_event_fn fn, void *ctx, uint64_t *last)
{
    uint8_t key[STORE_EVENT_KEY_MAX];
    uint64_t expect = from;
    MDB_val k = {store_event_key(key, id, idlen, from), key}, v;
    MDB_cursor *cur = NULL;
    int rc = mdb_cursor_open(txn->txn, DBI(txn, STORE_DB_EVENTS), &cur);
    q2o_err err = store_err(txn, rc);
    if (err != Q2O_OK)
        goto out;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const uint8_t *kb = k.mv_data;
        if (k.mv_size <= idlen || memcmp(kb, id, idlen) != 0 || kb[idlen] != 0x00)
            break; /* past this stream's keys */
        if (k.mv_size != idlen + 1 + STORE_U64) {
            err = Q2O_STORE_CORRUPT;
            goto out;
        }
        uint64_t ver = store_get_u64(kb + idlen + 1);
        if (ver > to)
            break;
        if (ver != expect) {
            err = Q2O_STORE_CORRUPT; /* a gap: heads and events disagree */
            goto out;
        }
        err = fn(ctx, ver, v.mv_data, v.mv_size);
        if (err != Q2O_OK)
            goto out;
        expect++;
    }
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
        err = store_err(txn, rc);
out:
    if (cur)
        mdb_cursor_close(cur);
    *last = expect - 1;
    return err;
}

q2o_err q2o_store_read(q2o_store_txn *txn, const char *stream_id, uint64_t from_version,
                       uint64_t to_version, q2o_store_event_fn fn, void *ctx)
{
    Q2O_CHECK(txn && stream_id && fn);
    size_t idlen = store_id_len(stream_id);
    if (!idlen)
        return Q2O_INVALID_ARGUMENT;
    uint64_t from = from_version ? from_version : 1;
    uint64_t to = to_version ? to_version : UINT64_MAX;
    if (from > to)
        return Q2O_OK;
    uint64_t last = 0;
    return read_range(txn, stream_id, idlen, from, to, fn, ctx, &last);
}

/* Copy a stored id (heads or expiry key bytes) into a C string. */
static q2o_err id_from_bytes(const uint8_t *p, size_t n, char out[Q2O_ID_MAX])
{
    if (n == 0 || n >= Q2O_ID_MAX || memchr(p, 0, n))
        return Q2O_STORE_CORRUPT;
    memcpy(out, p, n);
    out[n] = '\0';
    return Q2O_OK;
}

q2o_err q2o_store_streams(q2o_store_txn *txn, q2o_store_head_fn fn, void *ctx)
{
    Q2O_CHECK(txn && fn);
    MDB_val k, v;
    int rc;
    MDB_cursor *cur = NULL;
    q2o_err err = store_err(txn, mdb_cursor_open(txn->txn, DBI(txn, STORE_DB_HEADS), &cur));
    if (err != Q2O_OK)
        goto out;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        char id[Q2O_ID_MAX];
        err = id_from_bytes(k.mv_data, k.mv_size, id);
        if (err == Q2O_OK && v.mv_size != STORE_HEAD_VALUE)
            err = Q2O_STORE_CORRUPT;
        if (err != Q2O_OK)
            goto out;
        const uint8_t *vb = v.mv_data;
        err = fn(ctx, id, store_get_u64(vb), vb + STORE_U64);
        if (err != Q2O_OK)
            goto out;
    }
    if (rc != MDB_NOTFOUND)
        err = store_err(txn, rc);
out:
    if (cur)
        mdb_cursor_close(cur);
    return err;
}

/* ---- snapshots ----------------------------------------------------------- */

static q2o_err snapshot_get(q2o_store_txn *txn, const char *id, size_t idlen, uint64_t *version,
                            const void **data, size_t *len)
{
    MDB_val k = {idlen, MUTABLE(id)}, v;
    int rc = mdb_get(txn->txn, DBI(txn, STORE_DB_SNAPSHOTS), &k, &v);
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    if (v.mv_size < STORE_U64)
        return Q2O_STORE_CORRUPT;
    *version = store_get_u64(v.mv_data);
    *data = (const uint8_t *)v.mv_data + STORE_U64;
    *len = v.mv_size - STORE_U64;
    return Q2O_OK;
}

q2o_err q2o_store_snapshot_put(q2o_store_txn *txn, const char *stream_id, uint64_t version,
                               const void *data, size_t len)
{
    Q2O_CHECK(txn && txn->write && stream_id && (data || len == 0));
    size_t idlen = store_id_len(stream_id);
    if (!idlen || version == 0)
        return Q2O_INVALID_ARGUMENT;
    if (len > Q2O_STORE_MAX_SNAPSHOT_BYTES)
        return Q2O_TOO_LARGE;
    uint64_t head = 0, have = 0;
    q2o_err err = head_get(txn, stream_id, idlen, &head, NULL);
    if (err != Q2O_OK)
        return err;
    if (version > head)
        return Q2O_STORE_VERSION_CONFLICT;
    const void *old = NULL;
    size_t oldlen = 0;
    err = snapshot_get(txn, stream_id, idlen, &have, &old, &oldlen);
    if (err == Q2O_OK && have > version)
        return Q2O_OK; /* a newer snapshot is already stored */
    if (err != Q2O_OK && err != Q2O_STORE_NOT_FOUND)
        return err;
    MDB_val k = {idlen, MUTABLE(stream_id)}, v = {STORE_U64 + len, NULL};
    int rc = mdb_put(txn->txn, DBI(txn, STORE_DB_SNAPSHOTS), &k, &v, MDB_RESERVE);
    if (rc != MDB_SUCCESS)
        return store_err(txn, rc);
    store_put_u64(v.mv_data, version);
    if (len)
        memcpy((uint8_t *)v.mv_data + STORE_U64, data, len);
    return Q2O_OK;
}

q2o_err q2o_store_snapshot_get(q2o_store_txn *txn, const char *stream_id, uint64_t *version,
                               const void **data, size_t *len)
{
    Q2O_CHECK(txn && stream_id && version && data && len);
    size_t idlen = store_id_len(stream_id);
    if (!idlen)
        return Q2O_INVALID_ARGUMENT;
    return snapshot_get(txn, stream_id, idlen, version, data, len);
}

int q2o_store_should_snapshot(uint64_t prev_version, uint64_t new_version)
{
    return new_version > prev_version &&
           new_version / Q2O_SNAPSHOT_EVERY != prev_version / Q2O_SNAPSHOT_EVERY;
}

q2o_err q2o_store_load(q2o_store_txn *txn, const char *stream_id, q2o_store_event_fn snapshot_fn,
                       q2o_store_event_fn event_fn, void *ctx)
{
    Q2O_CHECK(txn && stream_id && event_fn);
    size_t idlen = store_id_len(stream_id);
    if (!idlen)
        return Q2O_INVALID_ARGUMENT;
    uint64_t head = 0, snap = 0, last = 0;
    q2o_err err = head_get(txn, stream_id, idlen, &head, NULL);
    if (err != Q2O_OK)
        return err;
    if (head == 0)
        return Q2O_STORE_NOT_FOUND;
    if (snapshot_fn) {
        const void *data = NULL;
        size_t len = 0;
        err = snapshot_get(txn, stream_id, idlen, &snap, &data, &len);
        if (err == Q2O_OK && snap > head)
            return Q2O_STORE_CORRUPT;
        if (err == Q2O_STORE_NOT_FOUND) {
            snap = 0; /* no snapshot: every event goes to event_fn */
            err = Q2O_OK;
        } else if (err == Q2O_OK) {
            err = snapshot_fn(ctx, snap, data, len);
        }
        if (err != Q2O_OK)
            return err;
    }
    if (snap == head)
        return Q2O_OK;
    err = read_range(txn, stream_id, idlen, snap + 1, head, event_fn, ctx, &last);
    if (err == Q2O_OK && last != head)
        return Q2O_STORE_CORRUPT; /* the head promises events that are missing */
    return err;
}
