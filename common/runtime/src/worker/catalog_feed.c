/* The catalog feed (runtime/catalog_feed.h): the catalog topic projected
 * into memory and into the worker's store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/catalog_json.h"
#include "core/check.h"
#include "core/log.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "domain/catalog_pricing.h"
#include "runtime/catalog_feed.h"

#define FEED_MAX_IDS 64 /* catalog ids held at once */

typedef struct held {
    char id[Q2O_ID_MAX];
    q2o_catalog *catalog;
    uint64_t published;   /* order of arrival: the newest is the default active one */
} held;

struct q2o_catalog_feed {
    q2o_bus_config bus;
    char topic[Q2O_BUS_NAME_MAX];
    char want_id[64];
    q2o_bus_reader *reader;
    int64_t position;     /* next offset to read */
    int restored;         /* the store projection was loaded (q2o_catalog_feed_sync) */
    q2o_time_ms polled_at;
    held held[FEED_MAX_IDS];
    uint32_t n_held;
    uint64_t arrivals;
    const q2o_catalog *active;
};

q2o_err q2o_catalog_feed_new(const q2o_config *cfg, q2o_catalog_feed **out)
{
    q2o_catalog_feed *f = calloc(1, sizeof *f);
    if (!f)
        return Q2O_NO_MEMORY;
    f->bus = cfg->bus;
    q2o_bus_topic(&cfg->bus, Q2O_TOPIC_CATALOG, f->topic, sizeof f->topic);
    Q2O_STRCPY(f->want_id, cfg->catalog_id);
    f->position = -2;
    *out = f;
    return Q2O_OK;
}

static void drop_all(q2o_catalog_feed *f)
{
    for (uint32_t i = 0; i < f->n_held; i++)
        q2o_catalog_free(f->held[i].catalog);
    f->n_held = 0;
    f->active = NULL;
}

void q2o_catalog_feed_free(q2o_catalog_feed *f)
{
    if (!f)
        return;
    drop_all(f);
    q2o_bus_reader_free(f->reader);
    free(f);
}

static held *find_held(q2o_catalog_feed *f, const char *id)
{
    for (uint32_t i = 0; i < f->n_held; i++)
        if (strcmp(f->held[i].id, id) == 0)
            return &f->held[i];
    return NULL;
}

/* The wanted id, else the most recently published. */
static void choose_active(q2o_catalog_feed *f)
{
    const held *best = NULL;
    for (uint32_t i = 0; i < f->n_held; i++) {
        const held *h = &f->held[i];
        if (f->want_id[0] ? strcmp(h->id, f->want_id) == 0 : (!best || h->published > best->published))
            best = h;
    }
    f->active = best ? best->catalog : NULL;
}

/* Take a loaded catalog (ownership passes): kept when newer than what is
 * held for its id. Returns 1 when kept. */
static int adopt(q2o_catalog_feed *f, q2o_catalog *c)
{
    held *h = find_held(f, c->id);
    if (h && h->catalog->version >= c->version) {
        q2o_catalog_free(c);
        return 0;
    }
    if (!h) {
        if (f->n_held == FEED_MAX_IDS) {
            q2o_log(Q2O_LOG_ERROR, "catalog ignored: too many catalog ids", "catalog", c->id, (const char *)NULL);
            q2o_catalog_free(c);
            return 0;
        }
        h = &f->held[f->n_held++];
        Q2O_STRCPY(h->id, c->id);
    } else {
        if (f->active == h->catalog)
            f->active = NULL;
        q2o_catalog_free(h->catalog);
    }
    h->catalog = c;
    h->published = ++f->arrivals;
    return 1;
}

static void log_invalid(const char *where, const q2o_catalog_json_errors *errs)
{
    const char *first = errs->n ? errs->items[0].path : "$";
    const char *why = errs->n ? errs->items[0].message : "not a catalog";
    char count[16];
    snprintf(count, sizeof count, "%u", errs->n + errs->n_dropped);
    q2o_log(Q2O_LOG_ERROR, "catalog document refused; the previous version stays active", "where", where,
            "problems", count, "first_path", first, "first", why, (const char *)NULL);
}

/* Parse a document; NULL (logged) when it does not load. */
static q2o_catalog *parse(const void *doc, size_t len, const char *where)
{
    q2o_catalog *c = NULL;
    q2o_catalog_json_errors errs = {0};
    if (q2o_catalog_json_parse(doc, len, &c, NULL, &errs) != Q2O_OK)
        log_invalid(where, &errs);
    q2o_catalog_json_errors_release(&errs);
    return c;
}

static int restore_one(void *ctx, const char *id, int64_t version, const void *doc, size_t len)
{
    q2o_catalog_feed *f = ctx;
    (void)version;
    q2o_catalog *c = parse(doc, len, "store");
    if (c && strcmp(c->id, id) != 0) {
        q2o_log(Q2O_LOG_ERROR, "stored catalog names another id; ignored", "key", id, "id", c->id,
                (const char *)NULL);
        q2o_catalog_free(c);
        return 0;
    }
    if (c)
        adopt(f, c);
    return 0;
}

q2o_err q2o_catalog_feed_restore(q2o_catalog_feed *f, q2o_store_txn *txn)
{
    int64_t off = -2;
    drop_all(f);
    q2o_err e = q2o_store_catalogs(txn, restore_one, f);
    if (e != Q2O_OK)
        return e;
    e = q2o_store_offset_get(txn, f->topic, 0, &off);
    if (e != Q2O_OK && e != Q2O_STORE_NOT_FOUND)
        return e;
    if (off != f->position) { /* reposition the reader */
        q2o_bus_reader_free(f->reader);
        f->reader = NULL;
        f->position = e == Q2O_OK ? off : -2;
    }
    choose_active(f);
    return Q2O_OK;
}

/* One message of the topic: a tombstone withdraws its id, a document that
 * loads is adopted and projected. */
static q2o_err apply_message(q2o_catalog_feed *f, q2o_store_txn *wtxn, const q2o_bus_msg *m)
{
    char id[Q2O_ID_MAX] = "", where[64];
    if (m->key_len > 0 && m->key_len < sizeof id)
        memcpy(id, m->key, m->key_len);
    snprintf(where, sizeof where, "offset %lld", (long long)m->offset);
    if (!m->value) {
        held *h = id[0] ? find_held(f, id) : NULL;
        if (h) {
            q2o_log(Q2O_LOG_INFO, "catalog withdrawn", "catalog", id, (const char *)NULL);
            if (f->active == h->catalog)
                f->active = NULL;
            q2o_catalog_free(h->catalog);
            *h = f->held[--f->n_held];
        }
        return Q2O_OK;
    }
    q2o_catalog *c = parse(m->value, m->value_len, where);
    if (!c)
        return Q2O_OK;
    if (strcmp(c->id, id) != 0) {
        q2o_log(Q2O_LOG_ERROR, "catalog message key differs from the document's id; ignored", "key", id, "id",
                c->id, (const char *)NULL);
        q2o_catalog_free(c);
        return Q2O_OK;
    }
    char version[24];
    snprintf(version, sizeof version, "%lld", (long long)c->version);
    q2o_err e = q2o_store_catalog_put(wtxn, c->id, c->version, m->value, m->value_len);
    if (e != Q2O_OK) {
        q2o_catalog_free(c);
        return e;
    }
    if (adopt(f, c))
        q2o_log(Q2O_LOG_INFO, "catalog loaded", "catalog", id, "version", version, (const char *)NULL);
    return Q2O_OK;
}

static q2o_err open_reader(q2o_catalog_feed *f)
{
    char detail[256] = "";
    if (f->reader)
        return Q2O_OK;
    q2o_err e = q2o_bus_reader_new(&f->bus, f->topic, 0, f->position, &f->reader, detail, sizeof detail);
    if (e != Q2O_OK)
        q2o_log(Q2O_LOG_WARN, "catalog topic not readable", "topic", f->topic, "error", q2o_err_name(e),
                "detail", detail, (const char *)NULL);
    return e;
}

q2o_err q2o_catalog_feed_poll(q2o_catalog_feed *f, q2o_store_txn *wtxn, int wait_ms, int *changed)
{
    const q2o_catalog *before = f->active;
    int64_t end = -1, pos = f->position;
    q2o_err e = open_reader(f);
    if (changed)
        *changed = 0;
    if (e != Q2O_OK)
        return e;
    if (wait_ms > 0 && (e = q2o_bus_reader_end(f->reader, &end)) != Q2O_OK)
        return e;
    q2o_time_ms deadline = q2o_time_now_ms() + wait_ms;
    for (;;) {
        q2o_bus_msg *m = NULL;
        int remaining = wait_ms > 0 ? (int)(deadline - q2o_time_now_ms()) : 0;
        if (wait_ms > 0 && (pos >= end || remaining <= 0))
            break;
        e = q2o_bus_reader_poll(f->reader, wait_ms > 0 ? (remaining < 100 ? remaining : 100) : 0, &m, &pos);
        if (e != Q2O_OK)
            return e;
        if (!m) {
            if (wait_ms > 0)
                continue;
            break;
        }
        e = apply_message(f, wtxn, m);
        q2o_bus_msg_free(m);
        if (e != Q2O_OK)
            return e;
    }
    if (pos >= 0 && pos != f->position) {
        if ((e = q2o_store_offset_put(wtxn, f->topic, 0, pos)) != Q2O_OK)
            return e;
        f->position = pos;
    }
    choose_active(f);
    if (changed)
        *changed = f->active != before;
    return Q2O_OK;
}

static q2o_err feed_catch_up(q2o_store_txn *txn, void *arg)
{
    return q2o_catalog_feed_poll(arg, txn, Q2O_CATALOG_SYNC_WAIT_MS, NULL);
}

/* Errors of the topic that the next call retries. */
static q2o_err not_fatal(q2o_err e)
{
    return q2o_err_class_of(e) == Q2O_CLASS_RETRY || e == Q2O_KAFKA_UNKNOWN_TOPIC ? Q2O_OK : e;
}

q2o_err q2o_catalog_feed_sync(q2o_catalog_feed *f, q2o_store *store)
{
    q2o_err e;
    if (!f->restored) {
        q2o_store_txn *txn;
        if ((e = q2o_store_begin_read(store, &txn)) != Q2O_OK)
            return e;
        e = q2o_catalog_feed_restore(f, txn);
        q2o_store_abort(txn);
        if (e != Q2O_OK)
            return e;
        f->restored = 1;
    }
    e = q2o_store_update(store, feed_catch_up, f);
    f->polled_at = q2o_time_now_ms();
    return not_fatal(e);
}

q2o_err q2o_catalog_feed_tick(q2o_catalog_feed *f, q2o_store_txn *wtxn)
{
    q2o_time_ms now = q2o_time_now_ms();
    if (!f->restored || now - f->polled_at < Q2O_CATALOG_POLL_MS)
        return Q2O_OK;
    f->polled_at = now;
    return not_fatal(q2o_catalog_feed_poll(f, wtxn, 0, NULL));
}

const q2o_catalog *q2o_catalog_feed_active(const q2o_catalog_feed *f)
{
    return f->active;
}

static q2o_err feed_price(const void *ctx, const q2o_price_input *in, q2o_price_output *out)
{
    const q2o_catalog_feed *f = ctx;
    if (!f->active)
        return Q2O_CATALOG_NOT_LOADED;
    return q2o_catalog_pricer(f->active).price(f->active, in, out);
}

q2o_pricer q2o_catalog_feed_pricer(const q2o_catalog_feed *f)
{
    q2o_pricer p = {f, feed_price};
    return p;
}
