/* view.c — a quote read back from the events topic (ctl/client.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_internal.h"
#include "core/strutil.h"
#include "core/timeutil.h"

/* Replays shorter than this many offsets draw no progress bar. */
#define VIEW_PROGRESS_MIN 2000

struct q2o_ctl_view {
    q2o_ctl_client *c;
    char quote_id[Q2O_ID_MAX];
    int32_t partition;
    q2o_ctl_view_opts opts;
    q2o_bus_reader *reader;
    int64_t position;
    int bound_reached;               /* until_version / until_time passed: apply nothing more */
    q2o_quote q;
    uint8_t (*hashes)[Q2O_SHA256_LEN]; /* hashes[v - 1]: hash of version v as applied */
    size_t cap_hashes;
    q2o_ctl_view_report rep;
};

static void __attribute__((format(printf, 5, 6)))
problem(q2o_ctl_view *v, uint64_t version, int64_t offset, q2o_err err, const char *fmt, ...)
{
    if (!v->rep.chain_ok)
        return; /* the first one counts */
    va_list ap;
    v->rep.chain_ok = 0;
    v->rep.first_bad_version = version;
    v->rep.first_bad_offset = offset;
    v->rep.first_bad_err = err;
    va_start(ap, fmt);
    vsnprintf(v->rep.first_bad_detail, sizeof v->rep.first_bad_detail, fmt, ap);
    va_end(ap);
}

q2o_err q2o_ctl_view_open(q2o_ctl_client *c, const char *quote_id, const q2o_ctl_view_opts *opts,
                          q2o_ctl_view **out, char *detail, size_t detail_size)
{
    q2o_ctl_view *v = calloc(1, sizeof *v);
    *out = NULL;
    if (!v)
        return Q2O_NO_MEMORY;
    detail[0] = '\0';
    v->c = c;
    if (q2o_strlcpy(v->quote_id, quote_id, sizeof v->quote_id) != 0) {
        free(v);
        snprintf(detail, detail_size, "quote id longer than %d bytes", Q2O_ID_MAX - 1);
        return Q2O_FIELD_INVALID;
    }
    v->opts = *opts;
    v->partition = q2o_ctl_partition(&c->cfg, quote_id, detail, detail_size);
    if (v->partition < 0) {
        free(v);
        return Q2O_CONFIG_INVALID;
    }
    q2o_quote_init(&v->q);
    v->rep.chain_ok = 1;
    v->rep.first_bad_offset = -1;
    q2o_err e = q2o_bus_reader_new(&c->cfg.bus, c->t_events, v->partition, -2, &v->reader, detail, detail_size);
    if (e != Q2O_OK) {
        q2o_ctl_view_close(v);
        return e;
    }
    *out = v;
    return Q2O_OK;
}

void q2o_ctl_view_close(q2o_ctl_view *v)
{
    if (!v)
        return;
    q2o_bus_reader_free(v->reader);
    q2o_quote_release(&v->q);
    free(v->hashes);
    free(v);
}

const q2o_quote *q2o_ctl_view_quote(const q2o_ctl_view *v)
{
    return &v->q;
}

const q2o_ctl_view_report *q2o_ctl_view_report_get(const q2o_ctl_view *v)
{
    return &v->rep;
}

static int record_hash(q2o_ctl_view *v, uint64_t version, const uint8_t *hash)
{
    if (version > v->cap_hashes) {
        size_t cap = v->cap_hashes ? v->cap_hashes * 2 : 256;
        while (cap < version)
            cap *= 2;
        void *n = realloc(v->hashes, cap * sizeof *v->hashes);
        if (!n)
            return -1;
        v->hashes = n;
        v->cap_hashes = cap;
    }
    memcpy(v->hashes[version - 1], hash, Q2O_SHA256_LEN);
    return 0;
}

/* Past the as-of bound: nothing more is applied. */
static int beyond_bound(q2o_ctl_view *v, const q2o_event *ev)
{
    if ((v->opts.until_version && ev->version > v->opts.until_version) ||
        (v->opts.until_time && ev->at > v->opts.until_time))
        v->bound_reached = 1;
    return v->bound_reached;
}

/* A version already applied: an identical copy (a redelivery the mock
 * cluster shows from an aborted transaction, or a producer retry) is
 * skipped; a different event claiming the same version is a conflict. */
static void already_applied(q2o_ctl_view *v, const q2o_event *ev, const uint8_t *hash, int64_t offset)
{
    if (memcmp(v->hashes[ev->version - 1], hash, Q2O_SHA256_LEN) == 0) {
        v->rep.duplicates++;
        return;
    }
    problem(v, ev->version, offset, Q2O_HASH_CHAIN_BROKEN,
            "offset %lld: a second, different event claims version %llu", (long long)offset,
            (unsigned long long)ev->version);
}

static q2o_err apply(q2o_ctl_view *v, const q2o_event *ev, int64_t offset)
{
    uint8_t hash[Q2O_SHA256_LEN];
    q2o_event_hash(ev, hash);
    if (ev->version == 0 || strcmp(ev->quote_id, v->quote_id) != 0) {
        problem(v, ev->version, offset, Q2O_STORE_CORRUPT, "offset %lld: event of quote '%s' (version %llu) under key '%s'",
                (long long)offset, ev->quote_id, (unsigned long long)ev->version, v->quote_id);
        return Q2O_OK;
    }
    if (ev->version <= v->q.version) {
        already_applied(v, ev, hash, offset);
        return Q2O_OK;
    }
    if (ev->version != v->q.version + 1) {
        problem(v, ev->version, offset, Q2O_HASH_CHAIN_BROKEN, "offset %lld: version %llu follows version %llu: events missing",
                (long long)offset, (unsigned long long)ev->version, (unsigned long long)v->q.version);
        return Q2O_OK;
    }
    if (v->opts.on_event) {
        q2o_err e = v->opts.on_event(v->opts.ctx, &v->q, ev, hash);
        if (e != Q2O_OK)
            return e;
    }
    q2o_err e = q2o_quote_evolve(&v->q, ev);
    if (e == Q2O_HASH_CHAIN_BROKEN)
        problem(v, ev->version, offset, e,
                "version %llu (offset %lld): its prev_hash is not the hash of version %llu: one of them was altered",
                (unsigned long long)ev->version, (long long)offset, (unsigned long long)v->q.version);
    else if (e != Q2O_OK)
        problem(v, ev->version, offset, e, "version %llu (offset %lld) does not apply: %s",
                (unsigned long long)ev->version, (long long)offset, q2o_err_message(e));
    else if (record_hash(v, ev->version, hash) != 0)
        return Q2O_NO_MEMORY;
    else
        v->rep.events++;
    return Q2O_OK;
}

static q2o_err on_message(q2o_ctl_view *v, const q2o_bus_msg *m)
{
    size_t klen = strlen(v->quote_id);
    char why[256];
    q2o_event ev;
    v->rep.messages++;
    if (m->key_len != klen || memcmp(m->key, v->quote_id, klen) != 0)
        return Q2O_OK;
    if (!v->rep.chain_ok) /* nothing applies after the first problem */
        return Q2O_OK;
    q2o_err e = q2o_codec_decode_event(v->c->codec, m->value, m->value_len, &ev, why, sizeof why);
    if (e != Q2O_OK) {
        problem(v, v->q.version + 1, m->offset, e, "offset %lld: undecodable event: %s", (long long)m->offset, why);
        return Q2O_OK;
    }
    if (!beyond_bound(v, &ev))
        e = apply(v, &ev, m->offset);
    q2o_event_release(&ev);
    return e;
}

static void draw_progress(const q2o_ctl_view *v, int64_t start, int64_t end, int done)
{
    if (done) {
        fputs("\r\033[K", stderr);
        return;
    }
    double f = end > start ? (double)(v->position - start) / (double)(end - start) : 1.0;
    int w = (int)(f * 30.0);
    fprintf(stderr, "\rreplaying %s[%d] [%-30.*s] %3d%% %lld/%lld", v->c->t_events, (int)v->partition, w,
            "##############################", (int)(f * 100.0), (long long)(v->position - start),
            (long long)(end - start));
}

q2o_err q2o_ctl_view_refresh(q2o_ctl_view *v, char *detail, size_t detail_size)
{
    int64_t end = 0;
    detail[0] = '\0';
    q2o_err e = q2o_bus_reader_end(v->reader, &end);
    if (e != Q2O_OK) {
        snprintf(detail, detail_size, "end offset of %s[%d]: %s", v->c->t_events, (int)v->partition,
                 q2o_err_message(e));
        return e;
    }
    v->rep.end_offset = end;
    int64_t start = v->position;
    int bar = v->opts.progress && isatty(STDERR_FILENO) && end - start >= VIEW_PROGRESS_MIN;
    int timeout_ms = v->opts.timeout_ms > 0 ? v->opts.timeout_ms : 60000;
    uint64_t deadline = q2o_time_mono_ns() + (uint64_t)timeout_ms * 1000000u, last_draw = 0;
    while (v->position < end && e == Q2O_OK) {
        uint64_t now = q2o_time_mono_ns();
        if (now >= deadline) {
            snprintf(detail, detail_size, "%s[%d]: at offset %lld of %lld after %d ms", v->c->t_events,
                     (int)v->partition, (long long)v->position, (long long)end, timeout_ms);
            e = Q2O_KAFKA_TIMEOUT;
            break;
        }
        q2o_bus_msg *m = NULL;
        e = q2o_bus_reader_poll(v->reader, 200, &m, &v->position);
        if (e != Q2O_OK) {
            snprintf(detail, detail_size, "reading %s[%d]: %s", v->c->t_events, (int)v->partition,
                     q2o_err_message(e));
            break;
        }
        if (m) {
            e = on_message(v, m);
            q2o_bus_msg_free(m);
        }
        if (bar && now - last_draw > 100000000u) {
            draw_progress(v, start, end, 0);
            last_draw = now;
        }
    }
    if (bar)
        draw_progress(v, start, end, 1);
    if (e != Q2O_OK && !detail[0])
        snprintf(detail, detail_size, "%s", q2o_err_message(e));
    return e;
}

q2o_err q2o_ctl_view_wait_version(q2o_ctl_view *v, uint64_t version, int timeout_ms, char *detail,
                                  size_t detail_size)
{
    uint64_t deadline = q2o_time_mono_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        q2o_err e = q2o_ctl_view_refresh(v, detail, detail_size);
        if (e != Q2O_OK || v->q.version >= version || !v->rep.chain_ok)
            return e;
        if (q2o_time_mono_ns() >= deadline) {
            snprintf(detail, detail_size, "%s reached version %llu, not %llu, within %d ms", v->quote_id,
                     (unsigned long long)v->q.version, (unsigned long long)version, timeout_ms);
            return Q2O_KAFKA_TIMEOUT;
        }
        usleep(20000);
    }
}

q2o_err q2o_ctl_load(q2o_ctl_client *c, const char *quote_id, const q2o_ctl_view_opts *opts, q2o_quote *out,
                     q2o_ctl_view_report *report, char *detail, size_t detail_size)
{
    q2o_ctl_view *v;
    q2o_err e = q2o_ctl_view_open(c, quote_id, opts, &v, detail, detail_size);
    if (e != Q2O_OK)
        return e;
    e = q2o_ctl_view_refresh(v, detail, detail_size);
    if (e == Q2O_OK)
        q2o_quote_copy(out, &v->q);
    if (report)
        *report = v->rep;
    q2o_ctl_view_close(v);
    return e;
}
