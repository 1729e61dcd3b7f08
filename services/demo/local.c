/*
 * The local transport: every command is encoded to the wire format (Avro
 * single object), decoded again as a worker would receive it, and handled
 * by the same runtime code the quote worker uses: dedupe, load from LMDB
 * (snapshot + events), decide, evolve, append, index, result.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/money.h"
#include "core/strutil.h"
#include "demo.h"
#include "domain/audit.h"
#include "codec/catalog_json.h"
#ifdef Q2O_DEMO_KAFKA
#include "ctl/waterfall.h"
#endif
#include "domain/catalog_pricing.h"
#include "domain/sample.h"
#include "runtime/quote_handler.h"
#include "store/event_store.h"

#define T0 1782986400000LL /* 2026-07-02T10:00:00Z */

typedef struct local {
    q2o_store *store;
    q2o_codec *codec;
    q2o_quote_env env;
    q2o_catalog *catalog;
    char dir[512];
} local;

typedef struct handle_ctx {
    local *l;
    const q2o_command *cmd;
    q2o_time_ms now;
    q2o_handled *out;
} handle_ctx;

static q2o_err handle_fn(q2o_store_txn *txn, void *arg)
{
    handle_ctx *h = arg;
    return q2o_quote_handle(txn, h->l->codec, &h->l->env, h->cmd, h->now, h->out);
}

/* Through the wire: what a worker would decode from a Kafka message. */
static q2o_err wire_round_trip(local *l, const q2o_command *c, q2o_command *got, char *detail, size_t size)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    q2o_err e = q2o_codec_encode_command(l->codec, c, &buf, &len);
    if (e == Q2O_OK)
        e = q2o_codec_decode_command(l->codec, buf, len, got, detail, size);
    else
        snprintf(detail, size, "the command could not be encoded");
    free(buf);
    return e;
}

static q2o_err local_send(demo *d, const q2o_command *c, q2o_result *out, char *detail, size_t size)
{
    local *l = d->impl;
    q2o_command wire;
    q2o_handled h;
    memset(&h, 0, sizeof h);
    q2o_err e = wire_round_trip(l, c, &wire, detail, size);
    if (e != Q2O_OK)
        return e;
    handle_ctx ctx = {l, &wire, d->now, &h};
    e = q2o_store_update(l->store, handle_fn, &ctx);
    if (e == Q2O_OK)
        *out = h.result;
    else
        snprintf(detail, size, "store: %s", q2o_err_message(e));
    q2o_handled_release(&h);
    return e;
}

static q2o_err local_reload(demo *d, uint64_t version, char *detail, size_t size)
{
    local *l = d->impl;
    q2o_store_txn *txn;
    (void)version;
    q2o_err e = q2o_store_begin_read(l->store, &txn);
    if (e != Q2O_OK)
        return e;
    e = q2o_quote_load(txn, l->codec, d->quote_id, d->q, detail, size);
    q2o_store_abort(txn);
    return e;
}

static q2o_err print_line(void *ctx, const q2o_quote *before, const q2o_event *ev)
{
    char line[1024];
    (void)ctx;
    printf("  %s\n", q2o_audit_line(before, ev, line, sizeof line));
    return Q2O_OK;
}

#ifdef Q2O_DEMO_KAFKA
static q2o_err waterfall_event(void *ctx, const q2o_quote *before, const q2o_event *ev)
{
    return q2o_ctl_waterfall_on_event(ctx, before, ev, NULL);
}

/* Revision 1 as priced on 2 July, with the July promotion: the waterfall
 * `q2octl waterfall Q-1000 --revision 1` prints over Kafka. */
static void print_waterfall(local *l, q2o_store_txn *txn, const char *quote_id)
{
    char detail[256];
    q2o_ctl_waterfall w;
    q2o_ctl_waterfall_init(&w, 1);
    if (q2o_quote_history(txn, l->codec, quote_id, waterfall_event, &w, detail, sizeof detail) == Q2O_OK &&
        w.found) {
        printf("\nThe price waterfall of revision 1 (as `q2octl waterfall %s --revision 1` prints it):\n", quote_id);
        q2o_ctl_print_waterfall(stdout, &w);
    }
    q2o_ctl_waterfall_release(&w);
}
#endif

static void local_after(demo *d)
{
    local *l = d->impl;
    q2o_store_txn *txn;
    char detail[256], hex[Q2O_SHA256_HEX_LEN], money[64];
    q2o_verify_report v;
    q2o_currency usd;
    q2o_currency_find("USD", &usd);
    if (q2o_store_begin_read(l->store, &txn) != Q2O_OK)
        return;
    printf("\nAudit timeline of %s (read back from the LMDB store, Avro-decoded):\n", d->quote_id);
    q2o_quote_history(txn, l->codec, d->quote_id, print_line, NULL, detail, sizeof detail);
#ifdef Q2O_DEMO_KAFKA
    print_waterfall(l, txn, d->quote_id);
#endif
    const q2o_revision *r = q2o_quote_current(d->q);
    printf("\nOrder %s (%s) for revision %d, grand total %s, payment terms %s\n", r->conversion.order_id,
           r->conversion.order_number, r->number, q2o_money_format(r->grand_total, &usd, money, sizeof money),
           r->terms.payment_terms);
    if (q2o_quote_verify(txn, l->codec, d->quote_id, &v, detail, sizeof detail) == Q2O_OK) {
        printf("Verify: %llu events, hash chain %s, stored head %s, snapshot %s, head %s\n",
               (unsigned long long)v.events, v.chain_ok ? "intact" : "BROKEN", v.head_ok ? "matches" : "DIFFERS",
               v.snapshot_ok ? "matches" : "DIFFERS", q2o_hex(v.head_hash, Q2O_SHA256_LEN, hex));
        d->failures += !(v.chain_ok && v.head_ok && v.snapshot_ok);
    }
    q2o_quote *then = q2o_quote_new();
    if (q2o_quote_load_as_of(txn, l->codec, d->quote_id, 0, T0 + 3600000, then, detail, sizeof detail) == Q2O_OK)
        printf("Time travel: at 11:00 on 2 July the quote was at v%llu, revision %d %s, %u lines\n",
               (unsigned long long)then->version, q2o_quote_current(then)->number,
               q2o_status_name(q2o_quote_current(then)->status), then->n_lines);
    q2o_quote_free(then);
    q2o_store_abort(txn);
    printf("Look inside: mdb_stat -a %s/quote-store   (events, heads, snapshots, commands, expiry)\n", l->dir);
}

static void local_close(demo *d)
{
    local *l = d->impl;
    if (!l)
        return;
    q2o_codec_close(l->codec);
    q2o_store_close(l->store);
    q2o_catalog_free(l->catalog);
    free(l);
    d->impl = NULL;
}

/* The sample catalog (Q2O_DEMO_CATALOG overrides the path), loaded as a
 * worker would load it from the catalog topic. */
static int load_catalog(q2o_catalog **out)
{
    const char *path = getenv("Q2O_DEMO_CATALOG");
    q2o_catalog_json_errors errs = {0};
    if (!path || !path[0])
        path = Q2O_DEMO_CATALOG_DEFAULT;
    if (q2o_catalog_json_load_file(path, out, NULL, &errs) != Q2O_OK) {
        fprintf(stderr, "q2o-demo: catalog %s does not load: %s: %s (set Q2O_DEMO_CATALOG to a catalog file)\n", path,
                errs.n ? errs.items[0].path : "$", errs.n ? errs.items[0].message : "unreadable");
        q2o_catalog_json_errors_release(&errs);
        return -1;
    }
    printf("catalog: %s version %lld (%s)\n", (*out)->id, (long long)(*out)->version, path);
    return 0;
}

static const demo_transport local_transport = {"local", local_send, local_reload, local_after, local_close};

int demo_local_open(demo *d, const char *dir)
{
    char path[600], file[700];
    local *l = calloc(1, sizeof *l);
    q2o_store_options opt = q2o_store_options_default();
    if (!l || q2o_strlcpy(l->dir, dir, sizeof l->dir) != 0)
        return free(l), -1;
    d->impl = l;
    d->t = &local_transport;
    snprintf(path, sizeof path, "%s/quote-store", dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    snprintf(d->doc_dir, sizeof d->doc_dir, "%s/documents", dir);
    if (mkdir(d->doc_dir, 0755) != 0 && errno != EEXIST)
        return -1;
    snprintf(file, sizeof file, "%s/data.mdb", path); /* every run tells the story afresh */
    unlink(file);
    snprintf(file, sizeof file, "%s/lock.mdb", path);
    unlink(file);
    opt.dir = path;
    if (q2o_store_open(&opt, &l->store) != Q2O_OK || q2o_codec_open_builtin(&l->codec) != Q2O_OK)
        return -1;
    if (load_catalog(&l->catalog) != 0)
        return -1;
    l->env.pricer = q2o_catalog_pricer(l->catalog);
    l->env.approval = &l->catalog->approval;
    l->env.catalog = l->catalog;
    d->now = T0;
    Q2O_STRCPY(d->run_id, "demo-cmd");
    printf("q2o demo: the lifecycle seed's practice case, in one process\n"
           "store: %s (LMDB)   wire: Avro single-object encoding (schemas/)\n\n",
           path);
    return 0;
}
