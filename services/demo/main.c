/*
 * q2o-demo — the quote lifecycle end to end, in one process.
 *
 * Every command of the story is encoded to the wire format (Avro single
 * object), decoded again as a worker would receive it, and handled by the
 * same runtime code the quote worker uses: dedupe, load from LMDB
 * (snapshot + events), decide, evolve, append, index, result. Then the demo
 * prints the audit timeline from the store, the order, the hash-chain
 * verification, "what may I do now" and a time-travel view.
 *
 * usage: q2o-demo [DATA_DIR]   (default ./q2o-data; its store is recreated)
 * Exit status: 0 when every step had the outcome the story expects.
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
#include "domain/sample.h"

#define T0 1782986400000LL /* 2026-07-02T10:00:00Z */

q2o_command demo_cmd(demo *d, q2o_command_type type, const q2o_actor *actor)
{
    q2o_command c;
    char id[32];
    snprintf(id, sizeof id, "demo-cmd-%03d", ++d->seq);
    q2o_command_init(&c, type, "Q-1000", id, actor);
    Q2O_STRCPY(c.correlation_id, "demo-practice-case");
    Q2O_STRCPY(c.source, "DEMO");
    return c;
}

typedef struct handle_ctx {
    demo *d;
    const q2o_command *cmd;
    q2o_handled *out;
} handle_ctx;

static q2o_err handle_fn(q2o_store_txn *txn, void *arg)
{
    handle_ctx *h = arg;
    return q2o_quote_handle(txn, h->d->codec, &h->d->env, h->cmd, h->d->now, h->out);
}

static void reload(demo *d)
{
    q2o_store_txn *txn;
    char detail[256];
    if (q2o_store_begin_read(d->store, &txn) != Q2O_OK)
        return;
    if (q2o_quote_load(txn, d->codec, "Q-1000", d->q, detail, sizeof detail) != Q2O_OK)
        fprintf(stderr, "reload failed: %s\n", detail);
    q2o_store_abort(txn);
}

/* Through the wire: what a worker would decode from a Kafka message. */
static int wire_round_trip(demo *d, const q2o_command *c, q2o_command *got)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256];
    q2o_err e = q2o_codec_encode_command(d->codec, c, &buf, &len);
    if (e == Q2O_OK)
        e = q2o_codec_decode_command(d->codec, buf, len, got, detail, sizeof detail);
    free(buf);
    return e == Q2O_OK ? 0 : -1;
}

void demo_send(demo *d, const q2o_command *c, q2o_err expect, const char *what)
{
    q2o_command wire;
    q2o_handled out;
    char ts[32];
    memset(&out, 0, sizeof out);
    if (wire_round_trip(d, c, &wire) != 0) {
        printf("  !! %s could not be encoded\n", q2o_command_type_name(c->type));
        d->failures++;
        return;
    }
    handle_ctx h = {d, &wire, &out};
    q2o_err e = q2o_store_update(d->store, handle_fn, &h);
    q2o_err got = e != Q2O_OK ? e : out.result.code;
    printf("%s %-18s %-22s %-46s %s", q2o_time_format(d->now, ts, sizeof ts), c->actor.id,
           q2o_command_type_name(c->type), what, got == Q2O_OK ? "accepted" : "REFUSED ");
    if (got == Q2O_OK)
        printf(" v%llu%s\n", (unsigned long long)out.result.version, out.result.replayed ? " (same result)" : "");
    else
        printf(" %s\n%63s%s\n%63s-> %s\n", q2o_err_name(got), "", out.result.detail, "", q2o_err_remediation(got));
    if (got != expect) {
        printf("  !! expected %s\n", q2o_err_name(expect));
        d->failures++;
    }
    if (out.result.order_id[0])
        Q2O_STRCPY(d->order_id, out.result.order_id);
    q2o_handled_release(&out);
    d->now += 7 * 60 * 1000;
    reload(d);
}

static q2o_err print_line(void *ctx, const q2o_quote *before, const q2o_event *ev)
{
    char line[1024];
    (void)ctx;
    printf("  %s\n", q2o_audit_line(before, ev, line, sizeof line));
    return Q2O_OK;
}

static void print_after(demo *d)
{
    q2o_store_txn *txn;
    char detail[256], hex[Q2O_SHA256_HEX_LEN], money[64];
    q2o_verify_report v;
    q2o_currency usd;
    q2o_currency_find("USD", &usd);
    if (q2o_store_begin_read(d->store, &txn) != Q2O_OK)
        return;
    printf("\nAudit timeline of Q-1000 (read back from the LMDB store, Avro-decoded):\n");
    q2o_quote_history(txn, d->codec, "Q-1000", print_line, NULL, detail, sizeof detail);
    const q2o_revision *r = q2o_quote_current(d->q);
    printf("\nOrder %s (%s) for revision %d, grand total %s, payment terms %s\n", r->conversion.order_id,
           r->conversion.order_number, r->number, q2o_money_format(r->grand_total, &usd, money, sizeof money),
           r->terms.payment_terms);
    if (q2o_quote_verify(txn, d->codec, "Q-1000", &v, detail, sizeof detail) == Q2O_OK) {
        printf("Verify: %llu events, hash chain %s, stored head %s, snapshot %s, head %s\n",
               (unsigned long long)v.events, v.chain_ok ? "intact" : "BROKEN", v.head_ok ? "matches" : "DIFFERS",
               v.snapshot_ok ? "matches" : "DIFFERS", q2o_hex(v.head_hash, Q2O_SHA256_LEN, hex));
        d->failures += !(v.chain_ok && v.head_ok && v.snapshot_ok);
    }
    q2o_quote *then = q2o_quote_new();
    if (q2o_quote_load_as_of(txn, d->codec, "Q-1000", 0, T0 + 3600000, then, detail, sizeof detail) == Q2O_OK)
        printf("Time travel: at 11:00 on 2 July the quote was at v%llu, revision %d %s, %u lines\n",
               (unsigned long long)then->version, q2o_quote_current(then)->number,
               q2o_status_name(q2o_quote_current(then)->status), then->n_lines);
    q2o_quote_free(then);
    q2o_store_abort(txn);
}

static void print_allowed(demo *d)
{
    static const q2o_actor rep = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};
    q2o_allowed a[Q2O_ACT__COUNT];
    q2o_quote_allowed(d->q, &rep, d->now, a);
    printf("\nWhat may rep-1 do now (revision %d is %s)?\n", q2o_quote_current(d->q)->number,
           q2o_status_name(q2o_quote_current(d->q)->status));
    for (int i = 0; i < Q2O_ACT__COUNT; i++)
        printf("  %-40s %-4s %s%s%s\n", q2o_action_name(a[i].action), a[i].allowed ? "yes" : "no",
               a[i].allowed ? "" : q2o_err_name(a[i].code), a[i].allowed ? "" : ": ", a[i].reason);
}

static int open_demo(demo *d, const char *dir)
{
    char path[512];
    q2o_store_options opt = q2o_store_options_default();
    snprintf(path, sizeof path, "%s/quote-store", dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    char file[600];
    snprintf(file, sizeof file, "%s/data.mdb", path); /* every run tells the story afresh */
    unlink(file);
    snprintf(file, sizeof file, "%s/lock.mdb", path);
    unlink(file);
    opt.dir = path;
    if (q2o_store_open(&opt, &d->store) != Q2O_OK || q2o_codec_open_builtin(&d->codec) != Q2O_OK)
        return -1;
    q2o_approval_policy_default(&d->policy);
    d->env.pricer = q2o_list_pricer(q2o_sample_saas_catalog());
    d->env.approval = &d->policy;
    d->now = T0;
    d->q = q2o_quote_new();
    printf("q2o demo: the lifecycle seed's practice case, in one process\n"
           "store: %s (LMDB)   wire: Avro single-object encoding (schemas/)\n\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    demo d;
    memset(&d, 0, sizeof d);
    const char *dir = argc > 1 ? argv[1] : "q2o-data";
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("usage: q2o-demo [DATA_DIR]\n  Walks a sample quote through its whole lifecycle in one process.\n");
        return 0;
    }
    if (open_demo(&d, dir) != 0) {
        fprintf(stderr, "q2o-demo: cannot open the store under %s\n", dir);
        return 2;
    }
    demo_story(&d);
    print_after(&d);
    print_allowed(&d);
    printf("\n%s\n", d.failures ? "DEMO FAILED: some steps did not behave as the story expects"
                                : "Every step behaved as the story expects.");
    printf("Look inside: mdb_stat -a %s/quote-store   (events, heads, snapshots, commands, expiry)\n", dir);
    q2o_quote_free(d.q);
    q2o_codec_close(d.codec);
    q2o_store_close(d.store);
    return d.failures ? 1 : 0;
}
