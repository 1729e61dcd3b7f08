/* quote_worker.c — the quote worker's handle and sweeper ops (the contract
 * is runtime/quote_worker.h; restore is in quote_restore.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/strutil.h"
#include "quote_worker_internal.h"
#include "runtime/quote_handler.h"

#define TRACEPARENT_MAX 128

static const q2o_actor SWEEPER = {"expiry-sweeper", Q2O_ROLE_SYSTEM, 0, ""};

q2o_time_ms qw_now(const q2o_quote_worker *qw)
{
    return qw->opt.clock ? qw->opt.clock(qw->opt.clock_ctx) : q2o_time_now_ms();
}

/* ----------------------------------------------------------- producing */

typedef struct out_ctx {
    q2o_worker_batch *b;
    int32_t partition;
    char traceparent[TRACEPARENT_MAX];
} out_ctx;

static q2o_err produce_events(q2o_quote_worker *qw, out_ctx *o, const q2o_handled *h)
{
    for (uint32_t i = 0; i < h->n_events; i++) {
        const q2o_event *ev = &h->events[i];
        char id[Q2O_ID_MAX + 24], ts[32];
        q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
        q2o_codec_event_id(ev, id, sizeof id);
        q2o_cloudevent ce = {.id = id,
                             .type = q2o_event_type_name(ev->type),
                             .source = qw->ce_source,
                             .subject = ev->quote_id,
                             .time = q2o_time_format(ev->at, ts, sizeof ts),
                             .correlation_id = ev->correlation_id,
                             .causation_id = ev->command_id,
                             .traceparent = o->traceparent[0] ? o->traceparent : NULL};
        uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
        q2o_err e = q2o_worker_produce(o->b, Q2O_TOPIC_QUOTE_EVENTS, o->partition, ev->quote_id,
                                       strlen(ev->quote_id), h->event_bytes[i], h->event_len[i], hdrs, n);
        if (e != Q2O_OK)
            return e;
    }
    return Q2O_OK;
}

static q2o_err produce_result(q2o_quote_worker *qw, out_ctx *o, const q2o_handled *h, q2o_time_ms now)
{
    const q2o_result *r = &h->result;
    char id[Q2O_ID_MAX + 16], ts[32];
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    snprintf(id, sizeof id, "%s/result", r->command_id);
    q2o_cloudevent ce = {.id = id,
                         .type = "CommandResult",
                         .source = qw->ce_source,
                         .subject = r->quote_id,
                         .time = q2o_time_format(now, ts, sizeof ts),
                         .correlation_id = r->correlation_id,
                         .causation_id = r->command_id,
                         .traceparent = o->traceparent[0] ? o->traceparent : NULL};
    uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
    return q2o_worker_produce(o->b, Q2O_TOPIC_QUOTE_RESULTS, o->partition, r->quote_id, strlen(r->quote_id),
                              h->result_bytes, h->result_len, hdrs, n);
}

/* One command through the handler, its events and result out. */
static q2o_err run_command(q2o_quote_worker *qw, out_ctx *o, const q2o_command *cmd, q2o_time_ms now,
                           q2o_handled *h)
{
    q2o_err e = q2o_quote_handle_cached(qw->cache, q2o_worker_batch_txn(o->b), qw->codec, &qw->env, cmd, now, h);
    if (e != Q2O_OK)
        return e;
    if (!h->duplicate && h->result.status == Q2O_RESULT_REJECTED)
        q2o_worker_count_rejected(o->b);
    if ((e = produce_events(qw, o, h)) != Q2O_OK)
        return e;
    return produce_result(qw, o, h, now);
}

/* -------------------------------------------------------------- handle */

static void copy_traceparent(const q2o_bus_msg *msg, char out[TRACEPARENT_MAX])
{
    const q2o_bus_header *tp = q2o_bus_msg_header(msg, "traceparent");
    out[0] = '\0';
    if (tp && tp->value && tp->len < TRACEPARENT_MAX) {
        memcpy(out, tp->value, tp->len);
        out[tp->len] = '\0';
        if (strlen(out) != tp->len) /* an embedded NUL: not a traceparent */
            out[0] = '\0';
    }
}

static q2o_err qw_catalog_poll(q2o_quote_worker *qw, q2o_worker_batch *b);

static q2o_err qw_handle(void *ctx, q2o_worker_batch *b, const q2o_bus_msg *msg)
{
    q2o_quote_worker *qw = ctx;
    char detail[Q2O_TEXT_MAX] = "";
    q2o_command *cmd = &qw->cmd;
    q2o_handled *h = &qw->handled;
    out_ctx o = {.b = b, .partition = msg->partition};
    q2o_err e = q2o_codec_decode_command(qw->codec, msg->value, msg->value_len, cmd, detail, sizeof detail);
    if (e != Q2O_OK) {
        e = q2o_worker_deadletter(b, msg, e, detail);
        goto out;
    }
    if (!cmd->command_id[0] || !cmd->quote_id[0]) {
        e = q2o_worker_deadletter(b, msg, Q2O_FIELD_INVALID, "a command needs a command id and a quote id");
        goto out;
    }
    copy_traceparent(msg, o.traceparent);
    if ((e = qw_catalog_poll(qw, b)) != Q2O_OK)
        goto out;
    e = run_command(qw, &o, cmd, qw_now(qw), h);
out:
    q2o_handled_release(h);
    return e;
}

/* ------------------------------------------------------------- sweeper */

typedef struct sweep_item {
    q2o_time_ms valid_until;
    char quote_id[Q2O_ID_MAX];
} sweep_item;

typedef struct sweep_ctx {
    q2o_worker *w;
    int32_t partitions;
    sweep_item *items;
    size_t n;
} sweep_ctx;

static q2o_err sweep_collect(void *ctx, q2o_time_ms valid_until, const char *quote_id)
{
    sweep_ctx *s = ctx;
    if (s->n >= QW_SWEEP_MAX)
        return Q2O_OK;
    int32_t p = q2o_worker_partition_for_key(quote_id, strlen(quote_id), s->partitions);
    if (!q2o_worker_owns(s->w, Q2O_TOPIC_QUOTE_COMMANDS, p))
        return Q2O_OK; /* another instance's quote (this store held it before a rebalance) */
    s->items[s->n].valid_until = valid_until;
    if (q2o_strlcpy(s->items[s->n].quote_id, quote_id, Q2O_ID_MAX) == 0)
        s->n++;
    return Q2O_OK;
}

/* "expire/<quote>/<ms>", or "expire/h/<hash>" when that would not fit. */
static void sweep_command_id(const sweep_item *it, char out[Q2O_ID_MAX])
{
    char plain[Q2O_ID_MAX + 48];
    int n = snprintf(plain, sizeof plain, "expire/%s/%" PRId64, it->quote_id, it->valid_until);
    if (n > 0 && n < Q2O_ID_MAX) {
        memcpy(out, plain, (size_t)n + 1);
        return;
    }
    uint8_t hash[Q2O_SHA256_LEN];
    char hex[Q2O_SHA256_HEX_LEN];
    q2o_sha256 sh;
    q2o_sha256_init(&sh);
    q2o_sha256_update_str(&sh, it->quote_id);
    q2o_sha256_update_i64(&sh, it->valid_until);
    q2o_sha256_final(&sh, hash);
    q2o_hex(hash, 24, hex); /* 48 hex digits: "expire/h/" + 48 < Q2O_ID_MAX */
    memcpy(out, "expire/h/", 9);
    memcpy(out + 9, hex, 49);
}

static q2o_err sweep_one(q2o_quote_worker *qw, q2o_worker_batch *b, const sweep_item *it, int32_t partitions,
                         q2o_time_ms now, q2o_handled *h)
{
    char id[Q2O_ID_MAX];
    q2o_command cmd;
    sweep_command_id(it, id);
    q2o_command_init(&cmd, Q2O_CMD_EXPIRE_QUOTE, it->quote_id, id, &SWEEPER);
    Q2O_STRCPY(cmd.correlation_id, id);
    Q2O_STRCPY(cmd.source, "SWEEPER");
    out_ctx o = {.b = b, .partition = q2o_worker_partition_for_key(it->quote_id, strlen(it->quote_id), partitions)};
    q2o_err e = run_command(qw, &o, &cmd, now, h);
    if (e == Q2O_OK && (h->duplicate || h->result.status != Q2O_RESULT_ACCEPTED)) {
        /* the quote moved on, or this entry was swept before: drop it */
        q2o_log(Q2O_LOG_INFO, "sweeper dropped a stale expiry entry", "quote", it->quote_id, "code",
                q2o_err_name(h->result.code), (const char *)NULL);
        e = q2o_store_expiry_del(q2o_worker_batch_txn(b), it->valid_until, it->quote_id);
    }
    q2o_handled_release(h);
    return e;
}

static q2o_err qw_tick(void *ctx, q2o_worker_batch *b)
{
    q2o_quote_worker *qw = ctx;
    q2o_worker *w = q2o_worker_batch_worker(b);
    sweep_ctx s = {.w = w, .partitions = q2o_worker_config(w)->bus.partitions};
    q2o_time_ms now = qw_now(qw);
    s.items = calloc(QW_SWEEP_MAX, sizeof *s.items);
    q2o_handled *h = &qw->handled;
    q2o_err e = Q2O_NO_MEMORY;
    if (!s.items)
        goto out;
    e = q2o_store_expiry_scan(q2o_worker_batch_txn(b), now, sweep_collect, &s, QW_SWEEP_SCAN_MAX);
    for (size_t i = 0; e == Q2O_OK && i < s.n; i++)
        e = sweep_one(qw, b, &s.items[i], s.partitions, now, h);
    if (e == Q2O_OK && s.n) {
        char n[24];
        snprintf(n, sizeof n, "%zu", s.n);
        q2o_log(Q2O_LOG_INFO, "sweeper expired quotes", "count", n, (const char *)NULL);
    }
out:
    q2o_handled_release(h);
    free(s.items);
    return e;
}

/* ------------------------------------------------------------ lifecycle */

/* The decide environment follows the active catalog: its pricer, its
 * approval policy (the default one while none is loaded), its order types. */
static void qw_follow_catalog(q2o_quote_worker *qw)
{
    const q2o_catalog *c = q2o_catalog_feed_active(qw->feed);
    qw->env.catalog = c;
    qw->env.approval = c ? &c->approval : &qw->policy;
}

/* Before a partition's commands: the catalog as published before the
 * assignment (runtime/catalog_feed.h). Quotes are served without one;
 * PriceQuote is refused until a catalog arrives. */
static q2o_err qw_catalog_sync(q2o_quote_worker *qw, q2o_worker *w)
{
    q2o_err e = q2o_catalog_feed_sync(qw->feed, q2o_worker_store(w));
    qw_follow_catalog(qw);
    return e;
}

static q2o_err qw_on_assign(void *ctx, q2o_worker *w, const char *topic, int32_t partition)
{
    q2o_quote_worker *qw = ctx;
    q2o_err e = qw_catalog_sync(qw, w);
    if (e != Q2O_OK)
        return e;
    return q2o_quote_restore(ctx, w, topic, partition);
}

/* New catalog versions between assignments, inside the batch. */
static q2o_err qw_catalog_poll(q2o_quote_worker *qw, q2o_worker_batch *b)
{
    q2o_err e = q2o_catalog_feed_tick(qw->feed, q2o_worker_batch_txn(b));
    qw_follow_catalog(qw);
    return e;
}

q2o_err q2o_quote_worker_new(const q2o_config *cfg, const q2o_quote_worker_options *opt, q2o_quote_worker **out)
{
    *out = NULL;
    q2o_quote_worker *qw = calloc(1, sizeof *qw);
    if (!qw)
        return Q2O_NO_MEMORY;
    q2o_err e = q2o_codec_open_builtin(&qw->codec);
    if (e != Q2O_OK) {
        free(qw);
        return e;
    }
    if (!(qw->cache = q2o_quote_cache_new(Q2O_QUOTE_CACHE_QUOTES, Q2O_QUOTE_CACHE_BYTES))) {
        q2o_codec_close(qw->codec);
        free(qw);
        return Q2O_NO_MEMORY;
    }
    if (opt)
        qw->opt = *opt;
    if ((e = q2o_catalog_feed_new(cfg, &qw->feed)) != Q2O_OK) {
        q2o_codec_close(qw->codec);
        free(qw);
        return e;
    }
    q2o_approval_policy_default(&qw->policy);
    qw->env.pricer = q2o_catalog_feed_pricer(qw->feed);
    qw->env.approval = &qw->policy;
    snprintf(qw->ce_source, sizeof qw->ce_source, "q2o/quote-worker/%s", cfg->instance_id);
    qw->ops = (q2o_worker_ops){
        .name = "quote",
        .inputs = {Q2O_TOPIC_QUOTE_COMMANDS},
        .n_inputs = 1,
        .on_assign = qw_on_assign,
        .handle = qw_handle,
        .tick = qw_tick,
        .tick_interval_ms = cfg->sweep_interval_ms > 0 ? cfg->sweep_interval_ms : 60000,
    };
    *out = qw;
    return Q2O_OK;
}

void q2o_quote_worker_free(q2o_quote_worker *qw)
{
    if (!qw)
        return;
    q2o_handled_release(&qw->handled);
    q2o_quote_cache_free(qw->cache);
    q2o_codec_close(qw->codec);
    q2o_catalog_feed_free(qw->feed);
    free(qw);
}

const q2o_worker_ops *q2o_quote_worker_ops(const q2o_quote_worker *qw)
{
    return &qw->ops;
}

q2o_err q2o_quote_worker_make(const q2o_config *cfg, const q2o_worker_ops **ops, void **ctx, char *detail,
                              size_t detail_size)
{
    q2o_quote_worker *qw = NULL;
    q2o_err e = q2o_quote_worker_new(cfg, NULL, &qw);
    if (e != Q2O_OK) {
        snprintf(detail, detail_size, "cannot open the codec: %s", q2o_err_name(e));
        return e;
    }
    *ops = q2o_quote_worker_ops(qw);
    *ctx = qw;
    return Q2O_OK;
}

void q2o_quote_worker_release(void *ctx)
{
    q2o_quote_worker_free(ctx);
}
