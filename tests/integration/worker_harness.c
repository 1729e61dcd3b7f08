/* worker_harness.c — see worker_harness.h. */
#include "worker_harness.h"

#include "codec/catalog_json.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/strutil.h"
#include "domain/sample.h"
#include "quote_fixture.h"
#include "store/event_store.h"
#include "testutil.h"

static const q2o_actor REP = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};

void hx_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void hx_init(hx *h, int brokers)
{
    hx_init_with(h, brokers, HX_CATALOG);
}

void hx_init_with(hx *h, int brokers, const char *catalog)
{
    char detail[512] = "";
    memset(h, 0, sizeof *h);
    /* The test's own watchdog (SIGALRM ends the forked test: reported as a
     * crash). Criterion's .timeout leaves records behind in its runner that
     * LeakSanitizer reports when tests run in parallel. */
    alarm(HX_TEST_TIMEOUT_S);
    if (!getenv("Q2O_LOG_LEVEL"))
        setenv("Q2O_LOG_LEVEL", "warn", 1);
    cr_assert_eq(q2o_bus_mock_start(brokers, &h->mock, h->bootstrap, sizeof h->bootstrap), Q2O_OK);
    cr_assert_eq(q2o_config_load("quote", NULL, &h->cfg, detail, sizeof detail), Q2O_OK, "%s", detail);
    Q2O_STRCPY(h->cfg.bus.bootstrap, h->bootstrap);
    h->cfg.bus.partitions = HX_PARTITIONS;
    h->cfg.batch_max = 50;
    h->cfg.batch_wait_ms = 10;
    h->cfg.http_port = 0;
    Q2O_STRCPY(h->cfg.store_sync, "none");
    /* a restarted member rejoins fast even if the mock missed the leave */
    cr_assert_eq(q2o_bus_config_set(&h->cfg.bus, "session.timeout.ms", "6000"), Q2O_OK);
    cr_assert_eq(q2o_bus_config_set(&h->cfg.bus, "heartbeat.interval.ms", "500"), Q2O_OK);
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++) {
        char name[Q2O_BUS_NAME_MAX];
        q2o_bus_topic(&h->cfg.bus, (q2o_topic)t, name, sizeof name);
        cr_assert_eq(q2o_bus_mock_create_topic(h->mock, name, t == Q2O_TOPIC_CATALOG ? 1 : HX_PARTITIONS), Q2O_OK,
                     "topic %s", name);
    }
    q2o_test_tmpdir("worker", h->root, sizeof h->root);
    cr_assert_eq(q2o_codec_open_builtin(&h->codec), Q2O_OK);
    cr_assert_eq(q2o_bus_producer_new(&h->cfg.bus, NULL, &h->client, detail, sizeof detail), Q2O_OK, "%s", detail);
    if (catalog)
        hx_publish_catalog(h, catalog);
}

void hx_fx_init(fx *f)
{
    q2o_catalog *c = NULL;
    q2o_catalog_json_errors errs = {0};
    fx_init(f);
    cr_assert_eq(q2o_catalog_json_load_file(HX_CATALOG, &c, NULL, &errs), Q2O_OK, "%s: %s", HX_CATALOG,
                 errs.n ? errs.items[0].message : "");
    fx_use_catalog(f, c);
}

void hx_publish_catalog(hx *h, const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "catalog %s", path);
    char *buf = malloc(1u << 20);
    cr_assert(buf != NULL);
    size_t len = fread(buf, 1, 1u << 20, f);
    fclose(f);
    q2o_catalog *c = NULL;
    cr_assert_eq(q2o_catalog_json_parse(buf, len, &c, NULL, NULL), Q2O_OK, "catalog %s does not load", path);
    hx_produce(h, Q2O_TOPIC_CATALOG, 0, c->id, buf, len, NULL, 0);
    q2o_catalog_free(c);
    free(buf);
}

void hx_fini(hx *h)
{
    q2o_bus_producer_free(h->client);
    q2o_codec_close(h->codec);
    q2o_bus_mock_stop(h->mock);
    q2o_test_rmtree(h->root);
}

/* ---- workers ---------------------------------------------------------- */

static q2o_time_ms hx_clock(void *ctx)
{
    hx_worker *hw = ctx;
    return atomic_load(&hw->now);
}

static void *run_thread(void *arg)
{
    hx_worker *hw = arg;
    hw->result = q2o_worker_run(hw->w);
    atomic_store(&hw->done, 1);
    return NULL;
}

static void worker_cfg(hx *h, hx_worker *hw, const char *name, const char *group)
{
    memset(hw, 0, sizeof *hw);
    hw->h = h;
    hw->cfg = h->cfg;
    snprintf(hw->cfg.data_dir, sizeof hw->cfg.data_dir, "%s/%s", h->root, name);
    snprintf(hw->cfg.instance_id, sizeof hw->cfg.instance_id, "%s", name);
    snprintf(hw->cfg.group_id, sizeof hw->cfg.group_id, "%s", group);
    atomic_store(&hw->now, FX_T0);
}

/* The real ops, wrapped so that the hook runs before each message. */
static q2o_err wrap_assign(void *ctx, q2o_worker *w, const char *topic, int32_t partition)
{
    hx_worker *hw = ctx;
    return hw->real->on_assign(hw->real_ctx, w, topic, partition);
}

static q2o_err wrap_handle(void *ctx, q2o_worker_batch *b, const q2o_bus_msg *msg)
{
    hx_worker *hw = ctx;
    if (hw->hook)
        hw->hook(hw, msg);
    return hw->real->handle(hw->real_ctx, b, msg);
}

static q2o_err wrap_tick(void *ctx, q2o_worker_batch *b)
{
    hx_worker *hw = ctx;
    return hw->real->tick(hw->real_ctx, b);
}

static void start(hx_worker *hw, const q2o_worker_ops *real, void *real_ctx)
{
    hw->real = real;
    hw->real_ctx = real_ctx;
    hw->ops = *real;
    hw->ops.on_assign = real->on_assign ? wrap_assign : NULL;
    hw->ops.handle = wrap_handle;
    hw->ops.tick = real->tick ? wrap_tick : NULL;
    cr_assert_eq(q2o_worker_new(&hw->cfg, &hw->ops, hw, &hw->w), Q2O_OK);
    cr_assert_eq(pthread_create(&hw->thread, NULL, run_thread, hw), 0);
}

void hx_quote_start_hooked(hx *h, hx_worker *hw, const char *name, void (*cfg_edit)(q2o_config *cfg),
                           void (*hook)(hx_worker *hw, const q2o_bus_msg *msg), void *hook_ctx)
{
    worker_cfg(h, hw, name, "q2o-quote");
    if (cfg_edit)
        cfg_edit(&hw->cfg);
    hw->hook = hook;
    hw->hook_ctx = hook_ctx;
    q2o_quote_worker_options opt = {.clock = hx_clock, .clock_ctx = hw};
    cr_assert_eq(q2o_quote_worker_new(&hw->cfg, &opt, &hw->qw), Q2O_OK);
    start(hw, q2o_quote_worker_ops(hw->qw), hw->qw);
}

void hx_quote_start(hx *h, hx_worker *hw, const char *name, void (*cfg_edit)(q2o_config *cfg))
{
    hx_quote_start_hooked(h, hw, name, cfg_edit, NULL, NULL);
}

void hx_erp_start(hx *h, hx_worker *hw, const char *name)
{
    worker_cfg(h, hw, name, "q2o-erp");
    cr_assert_eq(q2o_erp_worker_new(&hw->cfg, &hw->ew), Q2O_OK);
    start(hw, q2o_erp_worker_ops(hw->ew), hw->ew);
}

void hx_document_start(hx *h, hx_worker *hw, const char *name)
{
    worker_cfg(h, hw, name, "q2o-document");
    cr_assert_eq(q2o_document_worker_new(&hw->cfg, &hw->dw), Q2O_OK);
    start(hw, q2o_document_worker_ops(hw->dw), hw->dw);
}

q2o_err hx_stop(hx_worker *hw)
{
    q2o_worker_stop(hw->w);
    pthread_join(hw->thread, NULL);
    q2o_worker_free(hw->w);
    q2o_quote_worker_free(hw->qw);
    q2o_erp_worker_free(hw->ew);
    q2o_document_worker_free(hw->dw);
    hw->dw = NULL;
    hw->w = NULL;
    hw->qw = NULL;
    hw->ew = NULL;
    return hw->result;
}

void hx_wait(int (*pred)(void *ctx), void *ctx, int timeout_ms, const char *what)
{
    for (int waited = 0; !pred(ctx); waited += 50) {
        cr_assert(waited < timeout_ms, "timed out after %d ms waiting for %s", timeout_ms, what);
        hx_sleep_ms(50);
    }
}

static int is_ready(void *ctx)
{
    hx_worker *hw = ctx;
    cr_assert(!atomic_load(&hw->done), "the worker ended: %s", q2o_err_name(hw->result));
    return q2o_worker_ready(hw->w);
}

void hx_wait_ready(hx_worker *hw, int timeout_ms)
{
    hx_wait(is_ready, hw, timeout_ms, "readiness");
}

/* ---- commands --------------------------------------------------------- */

q2o_command hx_cmd(hx *h, q2o_command_type type, const char *quote_id)
{
    q2o_command c;
    char id[Q2O_ID_MAX];
    snprintf(id, sizeof id, "%s-c%d", quote_id, ++h->seq);
    q2o_command_init(&c, type, quote_id, id, &REP);
    Q2O_STRCPY(c.correlation_id, "corr-worker-test");
    Q2O_STRCPY(c.source, "TEST");
    return c;
}

q2o_command hx_create(hx *h, const char *quote_id)
{
    q2o_command c = hx_cmd(h, Q2O_CMD_CREATE_QUOTE, quote_id);
    q2o_sample_acme_quote(&c.u.create, &c.terms, "NET30", FX_T0);
    return c;
}

q2o_command hx_add_line(hx *h, const char *quote_id, const char *line_id, int64_t qty)
{
    q2o_command c = hx_cmd(h, Q2O_CMD_ADD_LINE, quote_id);
    Q2O_STRCPY(c.u.line.line_id, line_id);
    Q2O_STRCPY(c.u.line.offering_id, "SAAS-ENT-USER");
    Q2O_STRCPY(c.u.line.uom, "EA");
    c.u.line.quantity = qty;
    c.u.line.override_unit_price = -1;
    return c;
}

void hx_produce(hx *h, q2o_topic t, int32_t partition, const char *key, const void *bytes, size_t len,
                const q2o_bus_header *hdrs, uint32_t n_hdrs)
{
    char name[Q2O_BUS_NAME_MAX];
    q2o_bus_topic(&h->cfg.bus, t, name, sizeof name);
    cr_assert_eq(q2o_bus_produce(h->client, name, partition, key, strlen(key), bytes, len, hdrs, n_hdrs), Q2O_OK);
    cr_assert_eq(q2o_bus_flush(h->client, 20000), Q2O_OK);
}

void hx_send_raw(hx *h, const char *key, const void *bytes, size_t len)
{
    hx_produce(h, Q2O_TOPIC_QUOTE_COMMANDS, -1, key, bytes, len, NULL, 0);
}

void hx_send_all(hx *h, const q2o_command *cs, size_t n)
{
    char name[Q2O_BUS_NAME_MAX];
    q2o_bus_topic(&h->cfg.bus, Q2O_TOPIC_QUOTE_COMMANDS, name, sizeof name);
    for (size_t i = 0; i < n; i++) {
        uint8_t *buf = NULL;
        size_t len = 0;
        cr_assert_eq(q2o_codec_encode_command(h->codec, &cs[i], &buf, &len), Q2O_OK);
        cr_assert_eq(q2o_bus_produce(h->client, name, -1, cs[i].quote_id, strlen(cs[i].quote_id), buf, len, NULL, 0),
                     Q2O_OK);
        free(buf);
    }
    cr_assert_eq(q2o_bus_flush(h->client, 20000), Q2O_OK);
}

void hx_send(hx *h, const q2o_command *c)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    cr_assert_eq(q2o_codec_encode_command(h->codec, c, &buf, &len), Q2O_OK);
    hx_send_raw(h, c->quote_id, buf, len);
    free(buf);
}

/* ---- reading ----------------------------------------------------------- */

static void *dup_bytes(const void *p, size_t n)
{
    void *d = malloc(n + 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    ((char *)d)[n] = '\0';
    return d;
}

static void push(hx_msgs *ms, q2o_bus_msg *bm)
{
    hx_msg *m = calloc(1, sizeof *m);
    cr_assert_not_null(m);
    m->partition = bm->partition;
    m->offset = bm->offset;
    m->key = dup_bytes(bm->key, bm->key_len);
    m->key_len = bm->key_len;
    m->value = dup_bytes(bm->value, bm->value_len);
    m->value_len = bm->value_len;
    for (uint32_t i = 0; i < bm->n_headers && i < Q2O_BUS_MAX_HEADERS; i++) {
        q2o_strlcpy(m->headers[i].name, bm->headers[i].name, sizeof m->headers[i].name);
        m->headers[i].value = dup_bytes(bm->headers[i].value, bm->headers[i].len);
        m->headers[i].len = bm->headers[i].len;
        m->n_headers = i + 1;
    }
    q2o_bus_msg_free(bm);
    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 64;
        ms->m = realloc(ms->m, ms->cap * sizeof *ms->m);
        cr_assert_not_null(ms->m);
    }
    ms->m[ms->n++] = m;
}

void hx_read(hx *h, q2o_topic t, hx_msgs *out)
{
    char name[Q2O_BUS_NAME_MAX], detail[256];
    memset(out, 0, sizeof *out);
    q2o_bus_topic(&h->cfg.bus, t, name, sizeof name);
    for (int32_t p = 0; p < HX_PARTITIONS; p++) {
        q2o_bus_reader *r = NULL;
        int64_t end = 0, pos = 0;
        cr_assert_eq(q2o_bus_reader_new(&h->cfg.bus, name, p, -2, &r, detail, sizeof detail), Q2O_OK, "%s", detail);
        cr_assert_eq(q2o_bus_reader_end(r, &end), Q2O_OK);
        for (int idle = 0; pos < end;) {
            q2o_bus_msg *m = NULL;
            cr_assert_eq(q2o_bus_reader_poll(r, 200, &m, &pos), Q2O_OK);
            if (m)
                push(out, m);
            idle = m ? 0 : idle + 1;
            cr_assert(idle < 100, "reading %s[%d] stalled at %lld of %lld", name, p, (long long)pos, (long long)end);
        }
        q2o_bus_reader_free(r);
    }
}

void hx_msgs_free(hx_msgs *ms)
{
    for (size_t i = 0; i < ms->n; i++) {
        for (uint32_t j = 0; j < ms->m[i]->n_headers; j++)
            free(ms->m[i]->headers[j].value);
        free(ms->m[i]->key);
        free(ms->m[i]->value);
        free(ms->m[i]);
    }
    free(ms->m);
    memset(ms, 0, sizeof *ms);
}

const hx_hdr *hx_header(const hx_msg *m, const char *name, char *buf, size_t size)
{
    const hx_hdr *hd = NULL;
    for (uint32_t i = 0; !hd && i < m->n_headers; i++)
        if (!strcmp(m->headers[i].name, name))
            hd = &m->headers[i];
    buf[0] = '\0';
    if (hd && hd->len < size) {
        memcpy(buf, hd->value, hd->len);
        buf[hd->len] = '\0';
    }
    return hd;
}

/* ---- results ------------------------------------------------------------ */

size_t hx_results(hx *h, hx_result *out, size_t max)
{
    hx_msgs ms;
    size_t n = 0;
    char detail[256];
    hx_read(h, Q2O_TOPIC_QUOTE_RESULTS, &ms);
    const hx_msg **first = calloc(ms.n + 1, sizeof *first);
    q2o_result *r = malloc(sizeof *r);
    for (size_t i = 0; i < ms.n; i++) {
        const hx_msg *m = ms.m[i];
        cr_assert_eq(q2o_codec_decode_result(h->codec, m->value, m->value_len, r, detail, sizeof detail), Q2O_OK,
                     "%s", detail);
        size_t j = 0;
        while (j < n && strcmp(out[j].r.command_id, r->command_id) != 0)
            j++;
        if (j < n) {
            if (!h->lenient_results && (first[j]->value_len != m->value_len ||
                                        memcmp(first[j]->value, m->value, m->value_len) != 0)) {
                q2o_result a;
                cr_assert_eq(q2o_codec_decode_result(h->codec, first[j]->value, first[j]->value_len, &a, detail,
                                                     sizeof detail), Q2O_OK);
                cr_assert_fail("two different results for %s: offset %lld %s v%llu n_events %u replayed %d '%s' | "
                               "offset %lld %s v%llu n_events %u replayed %d '%s'",
                               r->command_id, (long long)first[j]->offset, q2o_err_name(a.code),
                               (unsigned long long)a.version, a.n_events, a.replayed, a.detail,
                               (long long)m->offset, q2o_err_name(r->code), (unsigned long long)r->version,
                               r->n_events, r->replayed, r->detail);
            }
            out[j].copies++;
            continue;
        }
        cr_assert(n < max);
        out[n].r = *r;
        out[n].partition = m->partition;
        out[n].copies = 1;
        first[n++] = m;
    }
    free(r);
    free(first);
    hx_msgs_free(&ms);
    return n;
}

const hx_result *hx_result_of(const hx_result *rs, size_t n, const char *command_id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i].r.command_id, command_id) == 0)
            return &rs[i];
    return NULL;
}

void hx_wait_results(hx *h, const char *const *ids, size_t n, int timeout_ms)
{
    size_t cap = 1024;
    hx_result *rs = malloc(cap * sizeof *rs);
    size_t missing = n;
    const char *first_missing = n ? ids[0] : "";
    for (int waited = 0;; waited += 200) {
        size_t got = hx_results(h, rs, cap);
        missing = 0;
        for (size_t i = 0; i < n; i++) {
            if (!hx_result_of(rs, got, ids[i])) {
                if (!missing)
                    first_missing = ids[i];
                missing++;
            }
        }
        if (!missing || waited >= timeout_ms)
            break;
        hx_sleep_ms(200);
    }
    free(rs);
    cr_assert_eq(missing, 0, "%zu of %zu commands have no result (first: %s)", missing, n, first_missing);
}

/* ---- events --------------------------------------------------------------- */

typedef struct ev_row {
    char quote[Q2O_ID_MAX];
    uint64_t version;
    int32_t partition;
    uint8_t hash[32], prev[32];
    const hx_msg *m;
} ev_row;

size_t hx_check_events(hx *h, const char *const *quote_ids, size_t n_quotes, uint64_t *per_quote)
{
    hx_msgs ms;
    char detail[256];
    hx_read(h, Q2O_TOPIC_QUOTE_EVENTS, &ms);
    ev_row *rows = calloc(ms.n + 1, sizeof *rows);
    q2o_event *ev = calloc(1, sizeof *ev);
    size_t n = 0;
    for (size_t i = 0; i < ms.n; i++) {
        const hx_msg *m = ms.m[i];
        cr_assert_eq(q2o_codec_decode_event(h->codec, m->value, m->value_len, ev, detail, sizeof detail), Q2O_OK,
                     "%s", detail);
        size_t j = 0;
        while (j < n && !(rows[j].version == ev->version && strcmp(rows[j].quote, ev->quote_id) == 0))
            j++;
        if (j < n) { /* the same (quote, version) again: must be the same event */
            cr_assert(rows[j].m->value_len == m->value_len && !memcmp(rows[j].m->value, m->value, m->value_len),
                      "two different events for %s v%llu", ev->quote_id, (unsigned long long)ev->version);
            q2o_event_release(ev);
            continue;
        }
        ev_row *r = &rows[n++];
        Q2O_STRCPY(r->quote, ev->quote_id);
        r->version = ev->version;
        r->partition = m->partition;
        r->m = m;
        q2o_event_hash(ev, r->hash);
        memcpy(r->prev, ev->prev_hash, 32);
        cr_assert_eq(m->partition, q2o_worker_partition_for_key(ev->quote_id, strlen(ev->quote_id), HX_PARTITIONS),
                     "%s v%llu is not on its quote's partition", ev->quote_id, (unsigned long long)ev->version);
        q2o_event_release(ev);
    }
    /* per quote: versions 1..max, chained */
    for (size_t i = 0; i < n; i++) {
        if (rows[i].version == 1) {
            uint8_t zero[32] = {0};
            cr_assert(!memcmp(rows[i].prev, zero, 32));
            continue;
        }
        size_t j = 0;
        while (j < n && !(rows[j].version + 1 == rows[i].version && !strcmp(rows[j].quote, rows[i].quote)))
            j++;
        cr_assert(j < n, "%s: v%llu without v%llu", rows[i].quote, (unsigned long long)rows[i].version,
                  (unsigned long long)rows[i].version - 1);
        cr_assert(!memcmp(rows[j].hash, rows[i].prev, 32), "%s v%llu: broken chain", rows[i].quote,
                  (unsigned long long)rows[i].version);
    }
    for (size_t q = 0; per_quote && q < n_quotes; q++) {
        per_quote[q] = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(rows[i].quote, quote_ids[q]) && rows[i].version > per_quote[q])
                per_quote[q] = rows[i].version;
    }
    free(ev);
    free(rows);
    hx_msgs_free(&ms);
    return n;
}

/* ---- store ------------------------------------------------------------------- */

typedef struct heads_ctx {
    hx_head *out;
    size_t n, max;
} heads_ctx;

static q2o_err head_fn(void *ctx, const char *id, uint64_t version, const uint8_t hash[32])
{
    heads_ctx *c = ctx;
    if (c->n < c->max) {
        Q2O_STRCPY(c->out[c->n].id, id);
        c->out[c->n].version = version;
        memcpy(c->out[c->n].hash, hash, 32);
        c->n++;
    }
    return Q2O_OK;
}

size_t hx_store_heads(const char *dir, hx_head *out, size_t max)
{
    q2o_store_options opt = q2o_store_options_default();
    q2o_store *s = NULL;
    q2o_store_txn *txn = NULL;
    heads_ctx c = {out, 0, max};
    opt.dir = dir;
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_OK);
    cr_assert_eq(q2o_store_begin_read(s, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_streams(txn, head_fn, &c), Q2O_OK);
    q2o_store_abort(txn);
    q2o_store_close(s);
    return c.n;
}
