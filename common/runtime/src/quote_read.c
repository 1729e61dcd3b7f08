/* Reading quotes back from the store: load, time travel, history, verify. */
#include <stdio.h>
#include <string.h>

#include "runtime/quote_handler.h"

typedef struct read_ctx {
    const q2o_codec *codec;
    q2o_quote *q;
    char *detail;
    size_t detail_size;
    uint64_t max_version;
    q2o_time_ms max_at;
    q2o_quote_event_fn fn;
    void *fn_ctx;
    int stop;
} read_ctx;

static q2o_err on_snapshot(void *ctx, uint64_t version, const void *data, size_t len)
{
    read_ctx *c = ctx;
    q2o_err e = q2o_codec_decode_snapshot(c->codec, data, len, c->q, c->detail, c->detail_size);
    if (e != Q2O_OK)
        return Q2O_STORE_CORRUPT;
    if (c->q->version != version) {
        snprintf(c->detail, c->detail_size, "snapshot says version %llu, stored at %llu",
                 (unsigned long long)c->q->version, (unsigned long long)version);
        return Q2O_STORE_CORRUPT;
    }
    return Q2O_OK;
}

static q2o_err on_event(void *ctx, uint64_t version, const void *data, size_t len)
{
    read_ctx *c = ctx;
    q2o_event ev;
    if (c->stop || (c->max_version && version > c->max_version)) {
        c->stop = 1;
        return Q2O_OK;
    }
    q2o_err e = q2o_codec_decode_event(c->codec, data, len, &ev, c->detail, c->detail_size);
    if (e != Q2O_OK)
        return Q2O_STORE_CORRUPT;
    if (c->max_at && ev.at > c->max_at) {
        c->stop = 1;
        q2o_event_release(&ev);
        return Q2O_OK;
    }
    if (c->fn && (e = c->fn(c->fn_ctx, c->q, &ev)) != Q2O_OK) {
        q2o_event_release(&ev);
        return e;
    }
    e = q2o_quote_evolve(c->q, &ev);
    if (e != Q2O_OK)
        snprintf(c->detail, c->detail_size, "event v%llu (%s) does not apply: %s", (unsigned long long)version,
                 q2o_event_type_name(ev.type), q2o_err_name(e));
    q2o_event_release(&ev);
    return e == Q2O_OK ? Q2O_OK : Q2O_STORE_CORRUPT;
}

static q2o_err load(q2o_store_txn *txn, read_ctx *c, const char *quote_id, int use_snapshot)
{
    if (c->q->exists || c->q->version || c->q->lines) { /* a fresh state is already zero: */
        q2o_quote_release(c->q);                     /* zeroing 160 KB per command showed */
        q2o_quote_init(c->q);                        /* up in the worker's profile */
    }
    if (c->detail_size)
        c->detail[0] = '\0';
    q2o_err e = q2o_store_load(txn, quote_id, use_snapshot ? on_snapshot : NULL, on_event, c);
    return e == Q2O_STORE_NOT_FOUND ? Q2O_OK : e;
}

q2o_err q2o_quote_load(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id, q2o_quote *out,
                       char *detail, size_t detail_size)
{
    read_ctx c = {codec, out, detail, detail_size, 0, 0, NULL, NULL, 0};
    return load(txn, &c, quote_id, 1);
}

q2o_err q2o_quote_load_as_of(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                             uint64_t version, q2o_time_ms at, q2o_quote *out, char *detail,
                             size_t detail_size)
{
    read_ctx c = {codec, out, detail, detail_size, version, at, NULL, NULL, 0};
    return load(txn, &c, quote_id, 0);
}

q2o_err q2o_quote_history(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                          q2o_quote_event_fn fn, void *ctx, char *detail, size_t detail_size)
{
    q2o_quote q;
    q2o_quote_init(&q);
    read_ctx c = {codec, &q, detail, detail_size, 0, 0, fn, ctx, 0};
    q2o_err e = load(txn, &c, quote_id, 0);
    q2o_quote_release(&q);
    return e;
}

static q2o_err snapshot_matches(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                                const q2o_quote *full, int *ok)
{
    uint64_t version;
    const void *data;
    size_t len;
    char detail[256];
    q2o_quote snap, upto;
    *ok = 1;
    q2o_err e = q2o_store_snapshot_get(txn, quote_id, &version, &data, &len);
    if (e == Q2O_STORE_NOT_FOUND)
        return Q2O_OK;
    if (e != Q2O_OK)
        return e;
    q2o_quote_init(&snap);
    q2o_quote_init(&upto);
    if (q2o_codec_decode_snapshot(codec, data, len, &snap, detail, sizeof detail) != Q2O_OK ||
        q2o_quote_load_as_of(txn, codec, quote_id, version, 0, &upto, detail, sizeof detail) != Q2O_OK)
        *ok = 0;
    else
        *ok = snap.version == upto.version && memcmp(snap.head_hash, upto.head_hash, Q2O_SHA256_LEN) == 0;
    (void)full;
    q2o_quote_release(&snap);
    q2o_quote_release(&upto);
    return Q2O_OK;
}

q2o_err q2o_quote_verify(q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                         q2o_verify_report *out, char *detail, size_t detail_size)
{
    q2o_quote q;
    uint64_t head_version;
    uint8_t head_hash[Q2O_SHA256_LEN];
    memset(out, 0, sizeof *out);
    q2o_quote_init(&q);
    read_ctx c = {codec, &q, detail, detail_size, 0, 0, NULL, NULL, 0};
    q2o_err e = load(txn, &c, quote_id, 0);
    out->events = q.version;
    memcpy(out->head_hash, q.head_hash, Q2O_SHA256_LEN);
    out->chain_ok = e == Q2O_OK;
    if (e == Q2O_STORE_CORRUPT) {
        out->first_bad_version = q.version + 1;
        e = Q2O_OK;
    }
    if (e == Q2O_OK && (e = q2o_store_head(txn, quote_id, &head_version, head_hash)) == Q2O_OK)
        out->head_ok = out->chain_ok && head_version == q.version &&
                       memcmp(head_hash, q.head_hash, Q2O_SHA256_LEN) == 0;
    if (e == Q2O_OK)
        e = snapshot_matches(txn, codec, quote_id, &q, &out->snapshot_ok);
    q2o_quote_release(&q);
    return e;
}
