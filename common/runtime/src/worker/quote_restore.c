/* quote_restore.c — rebuild the quote projection of one partition from the
 * events topic (the contract and the reasoning are in runtime/quote_worker.h
 * and runtime/worker.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "core/log.h"
#include "core/strutil.h"
#include "quote_worker_internal.h"
#include "runtime/quote_handler.h"

#define REBUILT_DETAIL "rebuilt from the event log by restore"

typedef struct touched {
    char quote_id[Q2O_ID_MAX];
    uint64_t before_version;
    q2o_time_ms before_expiry;
} touched;

/* The dedupe entry being rebuilt: the events of one command are adjacent in
 * a partition (one command's events leave in one transaction, in order). */
typedef struct rebuilt {
    int active, skip;
    q2o_result r;
} rebuilt;

typedef struct chunk {
    const q2o_codec *codec;
    int side_tables; /* rebuild command dedupe entries and the expiry index */
    const char *topic;
    int32_t partition;
    q2o_bus_msg **msgs;
    size_t n;
    int64_t next_offset;
    /* per run of apply_chunk (q2o_store_update may run it again) */
    touched *touched;
    size_t n_touched;
    rebuilt cur;
    q2o_event ev;
    uint64_t applied, skipped;
} chunk;

static void log_skip(const chunk *c, const q2o_bus_msg *m, const char *why, const char *detail)
{
    char p[16], o[24];
    snprintf(p, sizeof p, "%" PRId32, m->partition);
    snprintf(o, sizeof o, "%" PRId64, m->offset);
    q2o_log(Q2O_LOG_ERROR, "restore skipped an event", "topic", c->topic, "partition", p, "offset", o, "why", why,
            "detail", detail, (const char *)NULL);
}

/* ---- dedupe entries --------------------------------------------------- */

static q2o_err flush_cur(chunk *c, q2o_store_txn *txn)
{
    q2o_err e = Q2O_OK;
    if (c->cur.active && !c->cur.skip && c->side_tables) {
        uint8_t *buf = NULL;
        size_t len = 0;
        q2o_result *r = &c->cur.r;
        q2o_strlcpy(r->message, q2o_err_message(r->code), sizeof r->message);
        q2o_strlcpy(r->remediation, q2o_err_remediation(r->code), sizeof r->remediation);
        if ((e = q2o_codec_encode_result(c->codec, r, &buf, &len)) == Q2O_OK)
            e = q2o_store_command_put(txn, r->command_id, buf, len);
        free(buf);
    }
    c->cur.active = 0;
    return e;
}

/* Start the entry of ev's command: continue one this restore rebuilt in an
 * earlier chunk, or leave an entry that normal handling recorded alone. */
static q2o_err start_cur(chunk *c, q2o_store_txn *txn, const q2o_event *ev)
{
    const void *data;
    size_t len;
    char detail[128];
    rebuilt *cur = &c->cur;
    memset(cur, 0, sizeof *cur);
    cur->active = 1;
    q2o_err e = q2o_store_command_get(txn, ev->command_id, &data, &len);
    if (e == Q2O_STORE_NOT_FOUND) {
        Q2O_STRCPY(cur->r.command_id, ev->command_id);
        Q2O_STRCPY(cur->r.quote_id, ev->quote_id);
        Q2O_STRCPY(cur->r.correlation_id, ev->correlation_id);
        Q2O_STRCPY(cur->r.detail, REBUILT_DETAIL);
        cur->r.status = Q2O_RESULT_ACCEPTED;
        cur->r.code = Q2O_OK;
        return Q2O_OK;
    }
    if (e != Q2O_OK)
        return e;
    cur->skip = 1;
    if (q2o_codec_decode_result(c->codec, data, len, &cur->r, detail, sizeof detail) == Q2O_OK &&
        strcmp(cur->r.detail, REBUILT_DETAIL) == 0 && strcmp(cur->r.quote_id, ev->quote_id) == 0 &&
        cur->r.version + 1 == ev->version)
        cur->skip = 0; /* split across chunks: keep building it */
    return Q2O_OK;
}

static q2o_err accumulate(chunk *c, q2o_store_txn *txn, const q2o_event *ev)
{
    q2o_err e;
    if (!c->side_tables)
        return Q2O_OK;
    if (!ev->command_id[0])
        return flush_cur(c, txn);
    if (!c->cur.active || strcmp(c->cur.r.command_id, ev->command_id) != 0 ||
        strcmp(c->cur.r.quote_id, ev->quote_id) != 0) {
        if ((e = flush_cur(c, txn)) != Q2O_OK || (e = start_cur(c, txn, ev)) != Q2O_OK)
            return e;
    }
    q2o_result *r = &c->cur.r;
    if (c->cur.skip || r->n_events >= Q2O_MAX_EVENTS_PER_DECISION)
        return Q2O_OK;
    r->event_types[r->n_events++] = ev->type;
    r->version = ev->version;
    r->revision = ev->revision;
    if (ev->type == Q2O_EV_CONVERTED) {
        Q2O_STRCPY(r->order_id, ev->u.converted.conversion.order_id);
        Q2O_STRCPY(r->order_number, ev->u.converted.conversion.order_number);
    } else if (ev->type == Q2O_EV_VALIDATION_FAILED && ev->u.failed.n_violations) {
        r->status = Q2O_RESULT_REJECTED; /* a refusal recorded as data */
        r->code = (q2o_err)ev->u.failed.violations[0].code;
    } else if (ev->type == Q2O_EV_EXPIRED && strcmp(ev->source, "SWEEPER") != 0) {
        r->status = Q2O_RESULT_REJECTED; /* acceptance of an expired revision */
        r->code = Q2O_QUOTE_EXPIRED;
    }
    return Q2O_OK;
}

/* ---- projection side tables ------------------------------------------ */

/* Remember a quote's next expiry and version before the chunk changes it. */
static q2o_err touch(chunk *c, q2o_store_txn *txn, const char *quote_id)
{
    char detail[256];
    for (size_t i = 0; i < c->n_touched; i++)
        if (strcmp(c->touched[i].quote_id, quote_id) == 0)
            return Q2O_OK;
    q2o_quote *q = q2o_quote_new();
    q2o_err e = q2o_quote_load(txn, c->codec, quote_id, q, detail, sizeof detail);
    if (e == Q2O_OK) {
        touched *t = &c->touched[c->n_touched++];
        Q2O_STRCPY(t->quote_id, quote_id);
        t->before_version = q->version;
        t->before_expiry = q2o_quote_next_expiry(q, NULL);
    } else {
        q2o_log(Q2O_LOG_ERROR, "restore cannot load a quote", "quote", quote_id, "detail", detail,
                (const char *)NULL);
    }
    q2o_quote_free(q);
    return e;
}

/* After the chunk's events: expiry entry and snapshot of each touched quote. */
static q2o_err fix_touched(chunk *c, q2o_store_txn *txn)
{
    char detail[256];
    q2o_err e = Q2O_OK;
    for (size_t i = 0; e == Q2O_OK && i < c->n_touched; i++) {
        const touched *t = &c->touched[i];
        q2o_quote *q = q2o_quote_new();
        e = q2o_quote_load(txn, c->codec, t->quote_id, q, detail, sizeof detail);
        q2o_time_ms after = e == Q2O_OK ? q2o_quote_next_expiry(q, NULL) : 0;
        if (e == Q2O_OK && c->side_tables && after != t->before_expiry) {
            if (t->before_expiry)
                e = q2o_store_expiry_del(txn, t->before_expiry, t->quote_id);
            if (e == Q2O_OK && after)
                e = q2o_store_expiry_put(txn, after, t->quote_id);
        }
        if (e == Q2O_OK && q2o_store_should_snapshot(t->before_version, q->version)) {
            uint8_t *buf = NULL;
            size_t len = 0;
            if ((e = q2o_codec_encode_snapshot(c->codec, q, &buf, &len)) == Q2O_OK)
                e = q2o_store_snapshot_put(txn, t->quote_id, q->version, buf, len);
            free(buf);
        }
        if (e != Q2O_OK)
            q2o_log(Q2O_LOG_ERROR, "restore cannot rebuild a quote", "quote", t->quote_id, "error",
                    q2o_err_name(e), "detail", detail, (const char *)NULL);
        q2o_quote_free(q);
    }
    return e;
}

/* ---- one event, one chunk -------------------------------------------- */

static q2o_err apply_event(chunk *c, q2o_store_txn *txn, const q2o_bus_msg *m, const q2o_event *ev)
{
    uint64_t head = 0;
    uint8_t head_hash[Q2O_SHA256_LEN], hash[Q2O_SHA256_LEN];
    q2o_err e = q2o_store_head(txn, ev->quote_id, &head, head_hash);
    if (e != Q2O_OK)
        return e;
    if (ev->version <= head)
        return flush_cur(c, txn); /* applied before: a redelivery, or our own event */
    if (ev->version != head + 1 || memcmp(ev->prev_hash, head_hash, sizeof head_hash) != 0) {
        char d[Q2O_ID_MAX + 96];
        snprintf(d, sizeof d, "%s version %" PRIu64 ", stored head %" PRIu64, ev->quote_id, ev->version, head);
        log_skip(c, m, ev->version != head + 1 ? "version gap" : "hash chain broken", d);
        c->skipped++;
        return flush_cur(c, txn);
    }
    if ((e = touch(c, txn, ev->quote_id)) != Q2O_OK)
        return e;
    q2o_event_hash(ev, hash);
    int applied = 0;
    if ((e = q2o_store_append_at(txn, ev->quote_id, ev->version, m->value, m->value_len, hash, &applied)))
        return e;
    c->applied += (uint64_t)applied;
    return accumulate(c, txn, ev);
}

static q2o_err apply_chunk(q2o_store_txn *txn, void *arg)
{
    chunk *c = arg;
    char detail[256];
    q2o_err e = Q2O_OK;
    c->n_touched = 0;
    c->applied = c->skipped = 0;
    memset(&c->cur, 0, sizeof c->cur);
    for (size_t i = 0; e == Q2O_OK && i < c->n; i++) {
        const q2o_bus_msg *m = c->msgs[i];
        e = q2o_codec_decode_event(c->codec, m->value, m->value_len, &c->ev, detail, sizeof detail);
        if (e != Q2O_OK) {
            log_skip(c, m, q2o_err_name(e), detail);
            c->skipped++;
            e = flush_cur(c, txn);
            continue;
        }
        e = apply_event(c, txn, m, &c->ev);
        q2o_event_release(&c->ev);
    }
    if (e == Q2O_OK)
        e = flush_cur(c, txn);
    if (e == Q2O_OK)
        e = fix_touched(c, txn);
    if (e == Q2O_OK)
        e = q2o_store_offset_put(txn, c->topic, c->partition, c->next_offset);
    return e;
}

/* ---- the reader loop -------------------------------------------------- */

static q2o_err recorded_offset(q2o_store *store, const char *topic, int32_t partition, int64_t *out)
{
    q2o_store_txn *txn = NULL;
    q2o_err e = q2o_store_begin_read(store, &txn);
    if (e != Q2O_OK)
        return e;
    e = q2o_store_offset_get(txn, topic, partition, out);
    q2o_store_abort(txn);
    if (e == Q2O_STORE_NOT_FOUND) {
        *out = -2; /* never restored: from the beginning */
        return Q2O_OK;
    }
    return e;
}

/* Read up to QW_RESTORE_CHUNK events, stopping at `end`. */
static q2o_err read_chunk(q2o_bus_reader *r, chunk *c, int64_t end, int64_t *position)
{
    uint64_t idle_since = q2o_time_mono_ns();
    c->n = 0;
    while (c->n < QW_RESTORE_CHUNK && *position < end) {
        q2o_bus_msg *m = NULL;
        int64_t pos = -1;
        /* Short polls: the last offsets before `end` are often a transaction
         * marker, which moves the position but never returns a message, so a
         * long poll would just sit out its timeout (about 1 s per partition). */
        q2o_err e = q2o_bus_reader_poll(r, 20, &m, &pos);
        if (e != Q2O_OK)
            return e;
        if (m) {
            c->msgs[c->n++] = m;
            idle_since = q2o_time_mono_ns();
            if (pos < m->offset + 1)
                pos = m->offset + 1;
        }
        if (pos > *position) {
            *position = pos;
            idle_since = q2o_time_mono_ns();
        }
        if ((q2o_time_mono_ns() - idle_since) / 1000000u > QW_RESTORE_IDLE_MS)
            return Q2O_KAFKA_TIMEOUT; /* cannot reach the end: never start half-restored */
    }
    return Q2O_OK;
}

static void free_chunk_msgs(chunk *c)
{
    for (size_t i = 0; i < c->n; i++)
        q2o_bus_msg_free(c->msgs[i]);
    c->n = 0;
}

static q2o_err restore_range(q2o_worker *w, q2o_bus_reader *r, chunk *c, int64_t position, int64_t end,
                             uint64_t *read, uint64_t *applied)
{
    q2o_err e = Q2O_OK;
    while (e == Q2O_OK && position < end) {
        if ((e = read_chunk(r, c, end, &position)) != Q2O_OK)
            break;
        c->next_offset = position;
        e = q2o_store_update(q2o_worker_store(w), apply_chunk, c);
        *read += c->n;
        *applied += c->applied;
        q2o_worker_count_restored(w, c->n);
        free_chunk_msgs(c);
    }
    free_chunk_msgs(c);
    return e;
}

/* The end offset, retrying transient errors (a partition just created may
 * have no leader yet) for as long as a stalled restore is tolerated. */
static q2o_err end_offset(q2o_bus_reader *r, int64_t *end)
{
    uint64_t start = q2o_time_mono_ns();
    useconds_t backoff_us = 50000;
    for (;;) {
        q2o_err e = q2o_bus_reader_end(r, end);
        if (e == Q2O_OK || q2o_err_class_of(e) != Q2O_CLASS_RETRY ||
            (q2o_time_mono_ns() - start) / 1000000u > QW_RESTORE_IDLE_MS)
            return e;
        usleep(backoff_us);
        if (backoff_us < 1000000)
            backoff_us *= 2;
    }
}

q2o_err q2o_quote_restore(q2o_quote_worker *qw, q2o_worker *w, const char *commands_topic, int32_t partition)
{
    (void)commands_topic; /* co-partitioned: commands p <-> events p */
    return qw_restore_events(qw->codec, 1, w, partition);
}

q2o_err qw_restore_events(const q2o_codec *codec, int side_tables, q2o_worker *w, int32_t partition)
{
    const char *topic = q2o_worker_topic(w, Q2O_TOPIC_QUOTE_EVENTS);
    char detail[512] = "", p[16], a[24], b[24];
    int64_t from = -2, end = 0;
    uint64_t read = 0, applied = 0;
    q2o_bus_reader *r = NULL;
    chunk *c = calloc(1, sizeof *c);
    q2o_err e = Q2O_NO_MEMORY;
    if (!c || !(c->msgs = calloc(QW_RESTORE_CHUNK, sizeof *c->msgs)) ||
        !(c->touched = calloc(QW_RESTORE_CHUNK, sizeof *c->touched)))
        goto out;
    *c = (chunk){.codec = codec, .side_tables = side_tables, .topic = topic, .partition = partition, .msgs = c->msgs, .touched = c->touched};
    if ((e = recorded_offset(q2o_worker_store(w), topic, partition, &from)) != Q2O_OK)
        goto out;
    e = q2o_bus_reader_new(&q2o_worker_config(w)->bus, topic, partition, from, &r, detail, sizeof detail);
    if (e == Q2O_OK)
        e = end_offset(r, &end);
    if (e == Q2O_OK)
        e = restore_range(w, r, c, from < 0 ? 0 : from, end, &read, &applied);
out:
    snprintf(p, sizeof p, "%" PRId32, partition);
    snprintf(a, sizeof a, "%" PRIu64, read);
    snprintf(b, sizeof b, "%" PRId64, end);
    if (e == Q2O_OK)
        q2o_log(read ? Q2O_LOG_INFO : Q2O_LOG_DEBUG, "partition restored", "topic", topic, "partition", p,
                "events_read", a, "end_offset", b, (const char *)NULL);
    else
        q2o_log(Q2O_LOG_ERROR, "restore failed", "topic", topic, "partition", p, "error", q2o_err_name(e), "detail",
                detail, (const char *)NULL);
    (void)applied;
    q2o_bus_reader_free(r);
    if (c) {
        free(c->msgs);
        free(c->touched);
    }
    free(c);
    return e;
}
