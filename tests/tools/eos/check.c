/*
 * q2o-eos-check — verifies what the exactly-once system tests claim, from
 * what a read_committed reader sees in Kafka (every partition of the
 * results, events, order events and dead-letter topics, from the beginning
 * to the last stable offset) plus the driver's command lists and the
 * workers' LMDB stores:
 *
 *   results   every command id of the lists has EXACTLY one result, no
 *             result without a command (the sweeper's "expire/..." ones are
 *             counted apart), the result names the command's quote, every
 *             result is ACCEPTED (unless --allow-rejected), an accepted
 *             result's events (versions version-n+1..version) are the
 *             command's, a conversion's order id is the deterministic one
 *             and the retried conversion got the same order id;
 *   events    per quote, in log order, versions 1, 2, 3, ... with no
 *             repeat and no gap; q2o_quote_evolve from an empty state
 *             accepts every event (hash chain and every invariant); no
 *             command id produced events in two decision groups (two runs
 *             of versions) or for two quotes;
 *   orders    exactly one OrderCreated per converted (quote, revision), with
 *             the conversion's order id, and none for anything else;
 *   stores    (--store, repeatable) every stream head (version, head hash)
 *             of every store is a point of the chain folded from the log
 *             (never ahead, never a different hash), and for every quote
 *             the most advanced store equals the fold: with one store this
 *             is "the LMDB projection equals the fold of the events topic";
 *             with several (a group whose partitions moved) it is the union;
 *   no dead letters.
 *
 * --resent FILE lists commands the driver sent a second time with the same
 * ids (its --limit): each must have exactly two results, the second the
 * first one again (status, code, version): a redelivery re-emits the
 * recorded result and writes no event (the event checks above still hold).
 *
 * --wait-ms MS polls the topics until every listed command has a result and
 * every converted quote has an order, or the time is up (then the checks
 * report what is missing). Exit 0 only when nothing was violated.
 *
 * Other modes:
 *   --heads-only --store DIR... [--dump-heads FILE]  no Kafka: print the
 *       number of streams and write "quote version hash" lines (the union,
 *       most advanced head per quote) sorted by quote id;
 *   --count-topic NAME --expect N [--wait-ms MS]      read NAME until N
 *       messages are there; print the count, the first/last message
 *       timestamps and the rate between them (the benchmark).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/order_codec.h"
#include "codec/quote_codec.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "domain/quote.h"
#include "eos_common.h"
#include "store/event_store.h"

#define MAX_LISTS 16
#define MAX_STORES 8
#define SHOW 10 /* violations printed per kind */

/* ------------------------------------------------------------ state */

typedef struct cmd_rec {
    char *id, *quote;
    int type;
    int results;
    int expect;    /* results expected: 1, or 2 when re-sent (--resent) */
    long first;    /* index of its first result in res, -1 */
} cmd_rec;

typedef struct res_rec {
    char command_id[Q2O_ID_MAX], quote_id[Q2O_ID_MAX], order_id[Q2O_ID_MAX];
    int status, code, replayed;
    uint64_t version;
    uint32_t n_events;
    int32_t revision;
    int64_t ts;
    char detail[160];
} res_rec;

typedef struct raw {
    uint8_t *bytes;
    size_t len;
} raw;

typedef struct quote_rec {
    char *id;
    raw *evs;
    size_t n, cap;
    /* the fold */
    uint64_t version;
    uint8_t (*hashes)[Q2O_SHA256_LEN]; /* hashes[v-1] = head hash after version v */
    char (*cmd)[Q2O_ID_MAX];           /* cmd[v-1] = command id of version v */
    int n_conv;
    int32_t conv_rev[4];
    char conv_order[4][Q2O_ID_MAX];
    /* stores */
    uint64_t best_store_version;
    int in_store;
} quote_rec;

typedef struct order_rec {
    char quote[Q2O_ID_MAX], order_id[Q2O_ID_MAX];
    int32_t revision;
} order_rec;

typedef struct checker {
    q2o_bus_config cfg;
    q2o_codec *codec;
    q2o_order_codec *ocodec;
    int partitions;
    /* inputs */
    cmd_rec *cmds;
    size_t n_cmds, cap_cmds;
    eos_map cmd_ix;   /* command id -> index in cmds */
    size_t expect_orders;
    /* read */
    res_rec *res;
    size_t n_res, cap_res;
    quote_rec *quotes;
    size_t n_quotes, cap_quotes;
    eos_map quote_ix; /* quote id -> index */
    order_rec *orders;
    size_t n_orders, cap_orders;
    size_t n_events, n_dead, undecodable;
    /* verdict */
    long violations;
    long shown[32];
} checker;

enum { V_RESULT_MISSING, V_RESULT_DUP, V_RESULT_UNKNOWN, V_RESULT_QUOTE, V_REJECTED, V_RESULT_EVENTS,
       V_ORDER_ID, V_EVENT_DUP, V_EVENT_GAP, V_EVOLVE, V_CMD_TWICE, V_ORDER_MISSING, V_ORDER_DUP,
       V_ORDER_UNKNOWN, V_STORE_AHEAD, V_STORE_HASH, V_STORE_BEHIND, V_STORE_EXTRA, V_DEADLETTER,
       V_UNDECODABLE, V_KAFKA, V__COUNT };
static const char *const vnames[V__COUNT] = {
    "command without a result", "command with more than one result", "result without a command",
    "result for another quote", "command rejected", "result's events are not the command's",
    "order id not the deterministic one", "event version repeated (duplicate event)",
    "event version gap", "evolve refused an event", "command produced events twice",
    "converted revision without an order", "more than one order for a revision",
    "order for a revision not converted", "store head ahead of the log", "store head hash differs from the log",
    "projection behind the log", "store holds a quote not in the log", "dead letter", "undecodable message",
    "kafka error"};

static void violation(checker *k, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void violation(checker *k, int kind, const char *fmt, ...)
{
    k->violations++;
    if (k->shown[kind]++ >= SHOW)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    printf("VIOLATION [%s] %s\n", vnames[kind], buf);
}

static quote_rec *quote_get(checker *k, const char *id)
{
    int added;
    int64_t *ix = eos_map_put(&k->quote_ix, id, (int64_t)k->n_quotes, &added);
    if (added) {
        if (k->n_quotes == k->cap_quotes) {
            k->cap_quotes = k->cap_quotes ? k->cap_quotes * 2 : 256;
            k->quotes = eos_xrealloc(k->quotes, k->cap_quotes, sizeof *k->quotes);
        }
        memset(&k->quotes[k->n_quotes], 0, sizeof *k->quotes);
        k->quotes[k->n_quotes].id = eos_xstrdup(id);
        k->n_quotes++;
    }
    return &k->quotes[*ix];
}

static quote_rec *quote_find(checker *k, const char *id)
{
    int64_t *ix = eos_map_get(&k->quote_ix, id);
    return ix ? &k->quotes[*ix] : NULL;
}

/* ------------------------------------------------------- command lists */

static void load_list(checker *k, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512], id[256], quote[256], type[64];
    if (!f)
        eos_die("cannot read %s", path);
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%255s %255s %63s", id, quote, type) != 3)
            continue;
        int added;
        eos_map_put(&k->cmd_ix, id, (int64_t)k->n_cmds, &added);
        if (!added)
            eos_die("%s: command id %s listed twice", path, id);
        if (k->n_cmds == k->cap_cmds) {
            k->cap_cmds = k->cap_cmds ? k->cap_cmds * 2 : 4096;
            k->cmds = eos_xrealloc(k->cmds, k->cap_cmds, sizeof *k->cmds);
        }
        cmd_rec *c = &k->cmds[k->n_cmds++];
        c->id = eos_xstrdup(id);
        c->quote = eos_xstrdup(quote);
        c->type = q2o_command_type_parse(type);
        c->results = 0;
        c->expect = 1;
        c->first = -1;
    }
    fclose(f);
}

/* Commands sent a second time with the same id (the driver's --limit):
 * each must get its recorded result again, and no event. */
static void load_resent(checker *k, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512], id[256];
    if (!f)
        eos_die("cannot read %s", path);
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%255s", id) != 1)
            continue;
        int64_t *ix = eos_map_get(&k->cmd_ix, id);
        if (!ix)
            eos_die("%s: %s is not in the command lists", path, id);
        k->cmds[*ix].expect = 2;
    }
    fclose(f);
}

/* Quotes that get a ConvertQuoteToOrder (each expects one order). */
static void count_expected_orders(checker *k)
{
    eos_map seen;
    eos_map_init(&seen, 1024);
    for (size_t i = 0; i < k->n_cmds; i++)
        if (k->cmds[i].type == Q2O_CMD_CONVERT_TO_ORDER)
            eos_map_put(&seen, k->cmds[i].quote, 0, NULL);
    k->expect_orders = seen.n;
    eos_map_free(&seen);
}

/* ------------------------------------------------------------ reading */

typedef void (*msg_fn)(checker *k, const q2o_bus_msg *m);

typedef struct topic_reader {
    char name[Q2O_BUS_NAME_MAX];
    msg_fn fn;
    q2o_bus_reader **r;
    int64_t *pos;
    size_t count;
} topic_reader;

static void reader_open(checker *k, topic_reader *t, const char *name, msg_fn fn)
{
    char detail[512] = "";
    q2o_strlcpy(t->name, name, sizeof t->name);
    t->fn = fn;
    t->r = eos_xcalloc((size_t)k->partitions, sizeof *t->r);
    t->pos = eos_xcalloc((size_t)k->partitions, sizeof *t->pos);
    for (int p = 0; p < k->partitions; p++)
        if (q2o_bus_reader_new(&k->cfg, name, p, -2, &t->r[p], detail, sizeof detail) != Q2O_OK)
            eos_die("reader %s[%d]: %s", name, p, detail);
}

static void reader_close(checker *k, topic_reader *t)
{
    for (int p = 0; p < k->partitions; p++)
        q2o_bus_reader_free(t->r[p]);
    free(t->r);
    free(t->pos);
}

static uint64_t g_t0;

/* Read every partition up to its current last stable offset, all
 * partitions interleaved (each reader's first fetch takes a while: overlap
 * them). 0 on success. */
static int reader_catch_up(checker *k, topic_reader *t)
{
    int64_t *end = eos_xcalloc((size_t)k->partitions, sizeof *end);
    uint64_t *idle_since = eos_xcalloc((size_t)k->partitions, sizeof *idle_since);
    int rc = 0;
    for (int p = 0; p < k->partitions && rc == 0; p++) {
        q2o_err e = Q2O_KAFKA_TIMEOUT;
        for (int attempt = 0; attempt < 20 && e != Q2O_OK; attempt++) {
            e = q2o_bus_reader_end(t->r[p], &end[p]);
            if (e != Q2O_OK)
                nanosleep(&(struct timespec){0, 500000000}, NULL);
        }
        if (e != Q2O_OK) {
            violation(k, V_KAFKA, "end offset of %s[%d]: %s", t->name, p, q2o_err_name(e));
            rc = -1;
        }
        idle_since[p] = eos_mono_ns();
        if (getenv("EOS_CHECK_TRACE"))
            fprintf(stderr, "trace: %s[%d] end %" PRId64 " at %.3f s\n", t->name, p, end[p],
                    (double)(eos_mono_ns() - g_t0) / 1e9);
    }
    for (int busy = 1; busy && rc == 0;) {
        busy = 0;
        for (int p = 0; p < k->partitions && rc == 0; p++) {
            if (t->pos[p] >= end[p])
                continue;
            busy = 1;
            for (int burst = 0; burst < 1000 && t->pos[p] < end[p]; burst++) {
                q2o_bus_msg *m = NULL;
                int64_t pos = t->pos[p];
                q2o_err e = q2o_bus_reader_poll(t->r[p], burst ? 0 : 5, &m, &pos);
                if (e != Q2O_OK) {
                    violation(k, V_KAFKA, "read %s[%d]: %s", t->name, p, q2o_err_name(e));
                    rc = -1;
                    break;
                }
                if (pos > t->pos[p] || m)
                    idle_since[p] = eos_mono_ns();
                t->pos[p] = pos;
                if (!m)
                    break;
                t->count++;
                t->fn(k, m);
                q2o_bus_msg_free(m);
            }
            if (rc == 0 && t->pos[p] < end[p] && eos_mono_ns() - idle_since[p] > 60ull * 1000000000ull) {
                violation(k, V_KAFKA, "read %s[%d]: stuck at %" PRId64 " below %" PRId64, t->name, p, t->pos[p],
                          end[p]);
                rc = -1;
            }
        }
    }
    free(end);
    free(idle_since);
    if (getenv("EOS_CHECK_TRACE"))
        fprintf(stderr, "trace: %s caught up at %.3f s, %zu messages\n", t->name,
                (double)(eos_mono_ns() - g_t0) / 1e9, t->count);
    return rc;
}

static void on_result(checker *k, const q2o_bus_msg *m)
{
    q2o_result r;
    char detail[256] = "";
    if (q2o_codec_decode_result(k->codec, m->value, m->value_len, &r, detail, sizeof detail) != Q2O_OK) {
        k->undecodable++;
        violation(k, V_UNDECODABLE, "result at %s[%d]@%" PRId64 ": %s", m->topic, m->partition, m->offset, detail);
        return;
    }
    if (k->n_res == k->cap_res) {
        k->cap_res = k->cap_res ? k->cap_res * 2 : 4096;
        k->res = eos_xrealloc(k->res, k->cap_res, sizeof *k->res);
    }
    res_rec *x = &k->res[k->n_res++];
    memset(x, 0, sizeof *x);
    Q2O_STRCPY(x->command_id, r.command_id);
    Q2O_STRCPY(x->quote_id, r.quote_id);
    Q2O_STRCPY(x->order_id, r.order_id);
    q2o_strlcpy(x->detail, r.detail, sizeof x->detail);
    x->status = (int)r.status;
    x->code = (int)r.code;
    x->replayed = r.replayed;
    x->version = r.version;
    x->n_events = r.n_events;
    x->revision = r.revision;
    x->ts = m->timestamp_ms;
    int64_t *ix = eos_map_get(&k->cmd_ix, r.command_id);
    if (ix) {
        cmd_rec *c = &k->cmds[*ix];
        if (c->results++ == 0) {
            c->first = (long)(k->n_res - 1);
        } else if (c->expect == 2 && c->results == 2) {
            /* a re-sent command: the recorded result again, no new events */
            const res_rec *a = &k->res[c->first];
            if (a->status != x->status || a->version != x->version || a->code != x->code)
                violation(k, V_RESULT_DUP, "%s re-sent: first answer %s version %" PRIu64 ", second %s version %" PRIu64,
                          c->id, a->status == Q2O_RESULT_ACCEPTED ? "ACCEPTED" : "REJECTED", a->version,
                          x->status == Q2O_RESULT_ACCEPTED ? "ACCEPTED" : "REJECTED", x->version);
        }
    }
}

static void on_event(checker *k, const q2o_bus_msg *m)
{
    char key[Q2O_ID_MAX];
    k->n_events++;
    if (!m->key || m->key_len == 0 || m->key_len >= sizeof key) {
        k->undecodable++;
        violation(k, V_UNDECODABLE, "event at %s[%d]@%" PRId64 " without a usable key", m->topic, m->partition,
                  m->offset);
        return;
    }
    memcpy(key, m->key, m->key_len);
    key[m->key_len] = '\0';
    quote_rec *q = quote_get(k, key);
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 32;
        q->evs = eos_xrealloc(q->evs, q->cap, sizeof *q->evs);
    }
    q->evs[q->n].bytes = eos_xcalloc(1, m->value_len);
    memcpy(q->evs[q->n].bytes, m->value, m->value_len);
    q->evs[q->n].len = m->value_len;
    q->n++;
}

static void on_order(checker *k, const q2o_bus_msg *m)
{
    q2o_order_event ev;
    char detail[256] = "";
    if (q2o_order_codec_decode(k->ocodec, m->value, m->value_len, &ev, detail, sizeof detail) != Q2O_OK ||
        ev.type != Q2O_ORDER_EV_CREATED) {
        k->undecodable++;
        violation(k, V_UNDECODABLE, "order event at %s[%d]@%" PRId64 ": %s", m->topic, m->partition, m->offset,
                  detail);
        return;
    }
    if (k->n_orders == k->cap_orders) {
        k->cap_orders = k->cap_orders ? k->cap_orders * 2 : 1024;
        k->orders = eos_xrealloc(k->orders, k->cap_orders, sizeof *k->orders);
    }
    order_rec *o = &k->orders[k->n_orders++];
    Q2O_STRCPY(o->quote, ev.u.created.quote_id);
    Q2O_STRCPY(o->order_id, ev.u.created.order_id);
    o->revision = ev.u.created.revision;
}

static void on_dead(checker *k, const q2o_bus_msg *m)
{
    char reason[128], detail[256];
    eos_header_str(m, Q2O_DLQ_REASON, reason, sizeof reason);
    eos_header_str(m, Q2O_DLQ_DETAIL, detail, sizeof detail);
    k->n_dead++;
    violation(k, V_DEADLETTER, "%s[%d]@%" PRId64 ": %s %s", m->topic, m->partition, m->offset, reason, detail);
}

/* ------------------------------------------------------------- checks */

static void fold_quote(checker *k, quote_rec *q, eos_map *cmd_group)
{
    q2o_quote *st = q2o_quote_new();
    q2o_event ev;
    char detail[256];
    q->hashes = eos_xcalloc(q->n, sizeof *q->hashes);
    q->cmd = eos_xcalloc(q->n, sizeof *q->cmd);
    char last_cmd[Q2O_ID_MAX] = "";
    for (size_t i = 0; i < q->n; i++) {
        detail[0] = '\0';
        if (q2o_codec_decode_event(k->codec, q->evs[i].bytes, q->evs[i].len, &ev, detail, sizeof detail) != Q2O_OK) {
            violation(k, V_UNDECODABLE, "event %zu of %s: %s", i, q->id, detail);
            continue;
        }
        if (strcmp(ev.quote_id, q->id) != 0)
            violation(k, V_UNDECODABLE, "event keyed %s names quote %s", q->id, ev.quote_id);
        if (ev.version <= q->version) {
            violation(k, V_EVENT_DUP, "%s: version %" PRIu64 " (%s, command %s) after version %" PRIu64, q->id,
                      ev.version, q2o_event_type_name(ev.type), ev.command_id, q->version);
            q2o_event_release(&ev);
            continue;
        }
        if (ev.version != q->version + 1) {
            violation(k, V_EVENT_GAP, "%s: version %" PRIu64 " after version %" PRIu64, q->id, ev.version, q->version);
            q2o_event_release(&ev);
            break;
        }
        q2o_err e = q2o_quote_evolve(st, &ev);
        if (e != Q2O_OK) {
            violation(k, V_EVOLVE, "%s version %" PRIu64 " (%s): %s", q->id, ev.version, q2o_event_type_name(ev.type),
                      q2o_err_name(e));
            q2o_event_release(&ev);
            break;
        }
        q->version = ev.version;
        memcpy(q->hashes[q->version - 1], st->head_hash, Q2O_SHA256_LEN);
        Q2O_STRCPY(q->cmd[q->version - 1], ev.command_id);
        if (strcmp(ev.command_id, last_cmd) != 0) {
            int added;
            eos_map_put(cmd_group, ev.command_id, 0, &added);
            if (!added)
                violation(k, V_CMD_TWICE, "command %s produced events again at %s version %" PRIu64, ev.command_id,
                          q->id, ev.version);
            Q2O_STRCPY(last_cmd, ev.command_id);
        }
        if (ev.type == Q2O_EV_CONVERTED && q->n_conv < 4) {
            q->conv_rev[q->n_conv] = ev.revision;
            Q2O_STRCPY(q->conv_order[q->n_conv], ev.u.converted.conversion.order_id);
            q->n_conv++;
        }
        q2o_event_release(&ev);
    }
    q2o_quote_free(st);
}

static void check_results(checker *k)
{
    eos_map seen;
    eos_map_init(&seen, k->n_res);
    eos_map conv_order; /* quote -> index of the first conversion result */
    eos_map_init(&conv_order, 1024);
    for (size_t i = 0; i < k->n_res; i++) {
        res_rec *r = &k->res[i];
        int added;
        eos_map_put(&seen, r->command_id, 0, &added);
        int64_t *ix = eos_map_get(&k->cmd_ix, r->command_id);
        if (!ix) {
            if (strncmp(r->command_id, "expire/", 7) != 0)
                violation(k, V_RESULT_UNKNOWN, "result for %s (quote %s)", r->command_id, r->quote_id);
            continue;
        }
        cmd_rec *c = &k->cmds[*ix];
        if (!added)
            continue; /* counted below */
        if (strcmp(c->quote, r->quote_id) != 0)
            violation(k, V_RESULT_QUOTE, "%s: command for %s, result for %s", r->command_id, c->quote, r->quote_id);
        if (r->status != Q2O_RESULT_ACCEPTED)
            violation(k, V_REJECTED, "%s (%s on %s): %s %s", r->command_id, q2o_command_type_name(c->type), c->quote,
                      q2o_err_name((q2o_err)r->code), r->detail);
        quote_rec *q = quote_find(k, r->quote_id);
        if (r->status == Q2O_RESULT_ACCEPTED && r->n_events > 0) {
            for (uint64_t v = r->version - r->n_events + 1; v <= r->version; v++)
                if (!q || v < 1 || v > q->version || strcmp(q->cmd[v - 1], r->command_id) != 0) {
                    violation(k, V_RESULT_EVENTS, "%s: result says version %" PRIu64 " of %s is its event, log has %s",
                              r->command_id, v, r->quote_id, q && v >= 1 && v <= q->version ? q->cmd[v - 1] : "none");
                    break;
                }
        }
        if (c->type == Q2O_CMD_CONVERT_TO_ORDER && r->status == Q2O_RESULT_ACCEPTED) {
            char oid[Q2O_ID_MAX], onum[Q2O_ID_MAX];
            q2o_order_id_for(r->quote_id, r->revision, oid, onum);
            if (strcmp(oid, r->order_id) != 0)
                violation(k, V_ORDER_ID, "%s: order id %s, expected %s", r->command_id, r->order_id, oid);
            int fresh;
            int64_t *first = eos_map_put(&conv_order, r->quote_id, (int64_t)i, &fresh);
            if (!fresh && strcmp(k->res[*first].order_id, r->order_id) != 0)
                violation(k, V_ORDER_ID, "%s: the retried conversion got order %s, the first %s", r->quote_id,
                          r->order_id, k->res[*first].order_id);
        }
    }
    for (size_t i = 0; i < k->n_cmds; i++) {
        if (k->cmds[i].results < k->cmds[i].expect)
            violation(k, V_RESULT_MISSING, "%s (%s on %s): %d of %d results", k->cmds[i].id,
                      q2o_command_type_name(k->cmds[i].type), k->cmds[i].quote, k->cmds[i].results,
                      k->cmds[i].expect);
        else if (k->cmds[i].results > k->cmds[i].expect)
            violation(k, V_RESULT_DUP, "%s: %d results, expected %d", k->cmds[i].id, k->cmds[i].results,
                      k->cmds[i].expect);
    }
    eos_map_free(&seen);
    eos_map_free(&conv_order);
}

static void check_orders(checker *k, size_t *converted)
{
    eos_map count; /* "quote\x01revision" -> orders seen */
    eos_map_init(&count, k->n_orders + 16);
    char key[Q2O_ID_MAX + 16];
    for (size_t i = 0; i < k->n_orders; i++) {
        snprintf(key, sizeof key, "%s\x01%d", k->orders[i].quote, k->orders[i].revision);
        (*eos_map_put(&count, key, 0, NULL))++;
    }
    *converted = 0;
    for (size_t i = 0; i < k->n_quotes; i++) {
        quote_rec *q = &k->quotes[i];
        for (int c = 0; c < q->n_conv; c++) {
            (*converted)++;
            snprintf(key, sizeof key, "%s\x01%d", q->id, q->conv_rev[c]);
            int64_t *n = eos_map_get(&count, key);
            if (!n || *n == 0)
                violation(k, V_ORDER_MISSING, "%s revision %d", q->id, q->conv_rev[c]);
            else if (*n > 1)
                violation(k, V_ORDER_DUP, "%s revision %d: %" PRId64 " orders", q->id, q->conv_rev[c], *n);
            if (n)
                *n = -1000000; /* matched */
        }
    }
    for (size_t i = 0; i < k->n_orders; i++) {
        snprintf(key, sizeof key, "%s\x01%d", k->orders[i].quote, k->orders[i].revision);
        int64_t *n = eos_map_get(&count, key);
        if (n && *n > 0) {
            violation(k, V_ORDER_UNKNOWN, "order %s for %s revision %d", k->orders[i].order_id, k->orders[i].quote,
                      k->orders[i].revision);
            *n = -1000000;
        }
        quote_rec *q = quote_find(k, k->orders[i].quote);
        for (int c = 0; q && c < q->n_conv; c++)
            if (q->conv_rev[c] == k->orders[i].revision && strcmp(q->conv_order[c], k->orders[i].order_id) != 0)
                violation(k, V_ORDER_ID, "order %s for %s revision %d, the conversion named %s",
                          k->orders[i].order_id, q->id, q->conv_rev[c], q->conv_order[c]);
    }
    eos_map_free(&count);
}

/* ------------------------------------------------------------- stores */

typedef struct head_rec {
    char *id;
    uint64_t version;
    uint8_t hash[Q2O_SHA256_LEN];
} head_rec;

typedef struct heads {
    head_rec *h;
    size_t n, cap;
} heads;

static q2o_err collect_head(void *ctx, const char *id, uint64_t version, const uint8_t hash[Q2O_STORE_HASH_BYTES])
{
    heads *hs = ctx;
    if (hs->n == hs->cap) {
        hs->cap = hs->cap ? hs->cap * 2 : 1024;
        hs->h = eos_xrealloc(hs->h, hs->cap, sizeof *hs->h);
    }
    hs->h[hs->n].id = eos_xstrdup(id);
    hs->h[hs->n].version = version;
    memcpy(hs->h[hs->n].hash, hash, Q2O_SHA256_LEN);
    hs->n++;
    return Q2O_OK;
}

static void read_store(const char *dir, heads *hs)
{
    q2o_store_options o = q2o_store_options_default();
    q2o_store *s = NULL;
    q2o_store_txn *t = NULL;
    o.dir = dir;
    q2o_err e = q2o_store_open(&o, &s);
    if (e != Q2O_OK)
        eos_die("open store %s: %s", dir, q2o_err_name(e));
    if ((e = q2o_store_begin_read(s, &t)) != Q2O_OK || (e = q2o_store_streams(t, collect_head, hs)) != Q2O_OK)
        eos_die("read store %s: %s", dir, q2o_err_name(e));
    q2o_store_abort(t);
    q2o_store_close(s);
}

static void check_store(checker *k, const char *dir, size_t *n_heads)
{
    heads hs = {0};
    char hex[Q2O_SHA256_HEX_LEN], hex2[Q2O_SHA256_HEX_LEN];
    read_store(dir, &hs);
    *n_heads = hs.n;
    for (size_t i = 0; i < hs.n; i++) {
        head_rec *h = &hs.h[i];
        quote_rec *q = quote_find(k, h->id);
        if (!q || q->version == 0) {
            violation(k, V_STORE_EXTRA, "%s: %s at version %" PRIu64, dir, h->id, h->version);
        } else if (h->version > q->version) {
            violation(k, V_STORE_AHEAD, "%s: %s at version %" PRIu64 ", the log ends at %" PRIu64, dir, h->id,
                      h->version, q->version);
        } else if (h->version == 0 || memcmp(h->hash, q->hashes[h->version - 1], Q2O_SHA256_LEN) != 0) {
            violation(k, V_STORE_HASH, "%s: %s version %" PRIu64 " head %s, the log's %s", dir, h->id, h->version,
                      q2o_hex(h->hash, Q2O_SHA256_LEN, hex),
                      h->version ? q2o_hex(q->hashes[h->version - 1], Q2O_SHA256_LEN, hex2) : "-");
        } else if (h->version > q->best_store_version) {
            q->best_store_version = h->version;
        }
        if (q)
            q->in_store = 1;
        free(h->id);
    }
    free(hs.h);
}

static int cmp_head(const void *a, const void *b)
{
    const head_rec *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->version > y->version ? -1 : x->version < y->version; /* most advanced first */
}

static int heads_only(const char **stores, int n_stores, const char *dump)
{
    heads hs = {0};
    for (int i = 0; i < n_stores; i++)
        read_store(stores[i], &hs);
    qsort(hs.h, hs.n, sizeof *hs.h, cmp_head);
    FILE *f = dump ? fopen(dump, "w") : NULL;
    if (dump && !f)
        eos_die("cannot write %s", dump);
    size_t streams = 0;
    uint64_t events = 0;
    char hex[Q2O_SHA256_HEX_LEN];
    for (size_t i = 0; i < hs.n; i++) {
        if (i > 0 && strcmp(hs.h[i - 1].id, hs.h[i].id) == 0)
            continue; /* the union: the most advanced head per quote comes first */
        streams++;
        events += hs.h[i].version;
        if (f)
            fprintf(f, "%s %" PRIu64 " %s\n", hs.h[i].id, hs.h[i].version, q2o_hex(hs.h[i].hash, Q2O_SHA256_LEN, hex));
    }
    if (f && fclose(f) != 0)
        eos_die("cannot write %s", dump);
    printf("heads: %zu streams, %" PRIu64 " events in %d store(s)\n", streams, events, n_stores);
    for (size_t i = 0; i < hs.n; i++)
        free(hs.h[i].id);
    free(hs.h);
    return 0;
}

/* -------------------------------------------------------- throughput */

typedef struct count_ctx {
    int64_t first, last;
    size_t n;
} count_ctx;

static count_ctx g_count = {INT64_MAX, INT64_MIN, 0};

static void on_count(checker *k, const q2o_bus_msg *m)
{
    (void)k;
    g_count.n++;
    if (m->timestamp_ms < g_count.first)
        g_count.first = m->timestamp_ms;
    if (m->timestamp_ms > g_count.last)
        g_count.last = m->timestamp_ms;
}

static int count_topic(checker *k, const char *topic, long long expect, long long wait_ms)
{
    topic_reader t = {0};
    reader_open(k, &t, topic, on_count);
    uint64_t t0 = eos_mono_ns(), deadline = t0 + (uint64_t)wait_ms * 1000000ull;
    for (;;) {
        if (reader_catch_up(k, &t) != 0)
            break;
        if ((long long)g_count.n >= expect || eos_mono_ns() >= deadline)
            break;
        nanosleep(&(struct timespec){0, 100000000}, NULL);
    }
    double waited = (double)(eos_mono_ns() - t0) / 1e9;
    reader_close(k, &t);
    double span = g_count.n > 1 ? (double)(g_count.last - g_count.first) / 1000.0 : 0;
    printf("count: %s: %zu messages (expected %lld) after %.2f s; timestamps span %.3f s: %.0f msg/s\n", topic,
           g_count.n, expect, waited, span, span > 0 ? (double)(g_count.n - 1) / span : 0.0);
    printf("COUNT_RESULT topic=%s n=%zu first_ms=%" PRId64 " last_ms=%" PRId64 " rate=%.1f\n", topic, g_count.n,
           g_count.first, g_count.last, span > 0 ? (double)(g_count.n - 1) / span : 0.0);
    return (long long)g_count.n >= expect && k->violations == 0 ? 0 : 1;
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
    puts("usage: q2o-eos-check [--bootstrap BS] [--prefix P] [--partitions N] --commands FILE...\n"
         "         [--store DIR]... [--wait-ms MS] [--allow-rejected] [--dump-heads FILE]\n"
         "         [--resent FILE]\n"
         "       q2o-eos-check --heads-only --store DIR... [--dump-heads FILE]\n"
         "       q2o-eos-check --count-topic NAME --expect N [--wait-ms MS]\n"
         "Verifies exactly-once from what read_committed readers see (see the source).");
}

int main(int argc, char **argv)
{
    const char *bootstrap = NULL, *prefix = NULL, *lists[MAX_LISTS], *stores[MAX_STORES], *dump = NULL,
               *count_name = NULL, *resent = NULL;
    int n_lists = 0, n_stores = 0, partitions = 6, only_heads = 0, allow_rejected = 0;
    long long wait_ms = 0, expect = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (strcmp(a, name) == 0 && (v || (eos_die("%s needs a value", name), 0)) && ++i)
        if (strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else if (strcmp(a, "--heads-only") == 0) {
            only_heads = 1;
        } else if (strcmp(a, "--allow-rejected") == 0) {
            allow_rejected = 1;
        } else if (OPT("--bootstrap")) {
            bootstrap = v;
        } else if (OPT("--prefix")) {
            prefix = v;
        } else if (OPT("--partitions")) {
            partitions = (int)eos_atoll(a, v);
        } else if (OPT("--commands")) {
            if (n_lists == MAX_LISTS)
                eos_die("too many --commands");
            lists[n_lists++] = v;
        } else if (OPT("--store")) {
            if (n_stores == MAX_STORES)
                eos_die("too many --store");
            stores[n_stores++] = v;
        } else if (OPT("--resent")) {
            resent = v;
        } else if (OPT("--wait-ms")) {
            wait_ms = eos_atoll(a, v);
        } else if (OPT("--dump-heads")) {
            dump = v;
        } else if (OPT("--count-topic")) {
            count_name = v;
        } else if (OPT("--expect")) {
            expect = eos_atoll(a, v);
        } else {
            eos_die("unknown argument '%s' (--help)", a);
        }
#undef OPT
    }
    if (only_heads) {
        if (n_stores == 0)
            eos_die("--heads-only needs --store");
        return heads_only(stores, n_stores, dump);
    }
    g_t0 = eos_mono_ns();
    checker *k = eos_xcalloc(1, sizeof *k);
    k->partitions = partitions;
    eos_bus_config(&k->cfg, bootstrap, prefix, partitions);
    /* A fetch of an idle partition long-polls the broker for
     * fetch.wait.max.ms (500 ms by default) and the end-offset query waits
     * behind it on the same connection: keep the long poll short. */
    q2o_bus_config_set(&k->cfg, "fetch.wait.max.ms", "10");
    if (count_name)
        return count_topic(k, count_name, expect, wait_ms);
    if (n_lists == 0)
        eos_die("--commands is required (--help)");
    if (q2o_codec_open_builtin(&k->codec) != Q2O_OK || q2o_order_codec_open(&k->ocodec) != Q2O_OK)
        eos_die("cannot open the codecs");
    eos_map_init(&k->cmd_ix, 1 << 15);
    eos_map_init(&k->quote_ix, 1024);
    for (int i = 0; i < n_lists; i++)
        load_list(k, lists[i]);
    if (resent)
        load_resent(k, resent);
    count_expected_orders(k);

    char name[Q2O_BUS_NAME_MAX];
    topic_reader results = {0}, events = {0}, orders = {0}, dead = {0};
    reader_open(k, &results, q2o_bus_topic(&k->cfg, Q2O_TOPIC_QUOTE_RESULTS, name, sizeof name), on_result);
    reader_open(k, &events, q2o_bus_topic(&k->cfg, Q2O_TOPIC_QUOTE_EVENTS, name, sizeof name), on_event);
    reader_open(k, &orders, q2o_bus_topic(&k->cfg, Q2O_TOPIC_ORDER_EVENTS, name, sizeof name), on_order);
    reader_open(k, &dead, q2o_bus_topic(&k->cfg, Q2O_TOPIC_DEADLETTER, name, sizeof name), on_dead);

    uint64_t t0 = eos_mono_ns(), deadline = t0 + (uint64_t)wait_ms * 1000000ull, last_note = t0;
    size_t answered = 0;
    for (;;) {
        if (reader_catch_up(k, &results) != 0 || reader_catch_up(k, &events) != 0 ||
            reader_catch_up(k, &orders) != 0 || reader_catch_up(k, &dead) != 0)
            break;
        answered = 0;
        for (size_t i = 0; i < k->n_cmds; i++)
            answered += k->cmds[i].results >= k->cmds[i].expect;
        int done = answered == k->n_cmds && k->n_orders >= k->expect_orders;
        uint64_t now = eos_mono_ns();
        if (done || now >= deadline)
            break;
        if (now - last_note > 10ull * 1000000000ull) {
            fprintf(stderr, "check: waiting: %zu of %zu commands answered, %zu of %zu orders (%.0f s)\n", answered,
                    k->n_cmds, k->n_orders, k->expect_orders, (double)(now - t0) / 1e9);
            last_note = now;
        }
        nanosleep(&(struct timespec){0, 250000000}, NULL);
    }
    double waited = (double)(eos_mono_ns() - t0) / 1e9;
    reader_close(k, &results);
    reader_close(k, &events);
    reader_close(k, &orders);
    reader_close(k, &dead);

    /* the fold, quote by quote (sorted for a stable output) */
    eos_map cmd_group;
    eos_map_init(&cmd_group, k->n_cmds + 1024);
    uint64_t folded = 0;
    for (size_t i = 0; i < k->n_quotes; i++) {
        fold_quote(k, &k->quotes[i], &cmd_group);
        folded += k->quotes[i].version;
    }
    eos_map_free(&cmd_group);
    long before_rejections = k->shown[V_REJECTED];
    check_results(k);
    size_t rejected = (size_t)(k->shown[V_REJECTED] - before_rejections);
    if (allow_rejected) {
        k->violations -= (long)rejected;
    }
    size_t converted = 0;
    check_orders(k, &converted);

    size_t store_heads[MAX_STORES] = {0};
    for (int s = 0; s < n_stores; s++)
        check_store(k, stores[s], &store_heads[s]);
    if (n_stores > 0) {
        for (size_t i = 0; i < k->n_quotes; i++) {
            quote_rec *q = &k->quotes[i];
            if (q->version > 0 && q->best_store_version != q->version)
                violation(k, V_STORE_BEHIND, "%s: log at version %" PRIu64 ", the most advanced store at %" PRIu64,
                          q->id, q->version, q->best_store_version);
        }
    }
    if (dump && n_stores > 0)
        heads_only(stores, n_stores, dump);

    size_t replayed = 0, sweeper = 0, accepted = 0;
    int64_t first_ts = INT64_MAX, last_ts = INT64_MIN;
    for (size_t i = 0; i < k->n_res; i++) {
        replayed += k->res[i].replayed != 0;
        sweeper += strncmp(k->res[i].command_id, "expire/", 7) == 0;
        accepted += k->res[i].status == Q2O_RESULT_ACCEPTED;
        if (k->res[i].ts < first_ts)
            first_ts = k->res[i].ts;
        if (k->res[i].ts > last_ts)
            last_ts = k->res[i].ts;
    }
    printf("check: %zu commands listed, %zu answered, %zu results (%zu accepted, %zu rejected, %zu replayed, %zu "
           "sweeper)\n",
           k->n_cmds, answered, k->n_res, accepted, k->n_res - accepted, replayed, sweeper);
    printf("check: %zu events over %zu quotes (fold reached %" PRIu64 " versions), %zu converted revisions, %zu "
           "orders, %zu dead letters\n",
           k->n_events, k->n_quotes, folded, converted, k->n_orders, k->n_dead);
    for (int s = 0; s < n_stores; s++)
        printf("check: store %s: %zu stream heads compared with the fold\n", stores[s], store_heads[s]);
    if (k->n_res > 1)
        printf("check: results span %.3f s by their timestamps; waited %.1f s\n",
               (double)(last_ts - first_ts) / 1000.0, waited);
    printf("CHECK_SUMMARY commands=%zu results=%zu events=%zu quotes=%zu orders=%zu converted=%zu dead=%zu "
           "violations=%ld\n",
           k->n_cmds, k->n_res, k->n_events, k->n_quotes, k->n_orders, converted, k->n_dead, k->violations);
    if (k->violations) {
        printf("check: FAILED: %ld violation(s):", k->violations);
        for (int i = 0; i < V__COUNT; i++)
            if (k->shown[i] && !(allow_rejected && i == V_REJECTED))
                printf(" [%s] x%ld", vnames[i], k->shown[i]);
        printf("\n");
        return 1;
    }
    printf("check: OK: exactly one result per command, contiguous verified chains, no command twice, one order per "
           "converted revision%s\n",
           n_stores ? ", stores equal the fold" : "");
    return 0;
}
