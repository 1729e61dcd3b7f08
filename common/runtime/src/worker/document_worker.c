/* document_worker.c — QuoteApproved -> proposal PDF (+ confirmation
 * e-mail) -> DocumentGenerated + AttachQuoteDocument (the contract is
 * runtime/document_worker.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/quote_codec.h"
#include "core/check.h"
#include "core/log.h"
#include "document/confirmation.h"
#include "document/proposal.h"
#include "document_worker_internal.h"
#include "quote_worker_internal.h"
#include "runtime/catalog_feed.h"
#include "runtime/document_worker.h"
#include "runtime/quote_handler.h"

#define TRACEPARENT_MAX 128
#define FP_PREFIX_BYTES 8 /* 16 hex digits of the fingerprint in ids */

static const q2o_actor DOC_ACTOR = {Q2O_DOCUMENT_ACTOR, Q2O_ROLE_SYSTEM, 0, ""};

struct q2o_document_worker {
    q2o_codec *codec;
    q2o_catalog_feed *feed;
    char dir[DW_PATH_MAX];
    char seller[128], from[128];
    char ce_source[160];
    q2o_worker_ops ops;
    /* the worker thread's scratch */
    q2o_event ev;
    q2o_command cmd;
};

/* ---------------------------------------------------------------- names */

/* "<prefix>/<quote>/<rev>[/<fp 16 hex>]", or "<prefix>/h/<48 hex>" of the
 * same parts when that is longer than an id may be. */
static void make_id(const char *prefix, char sep, const char *quote_id, int32_t revision, const uint8_t *fp,
                    char out[Q2O_ID_MAX])
{
    char plain[Q2O_ID_MAX + 64], fphex[Q2O_SHA256_HEX_LEN] = "";
    if (fp)
        q2o_hex(fp, FP_PREFIX_BYTES, fphex);
    int n = sep == '/' ? snprintf(plain, sizeof plain, "%s/%s/%" PRId32 "%s%s", prefix, quote_id, revision,
                                  fp ? "/" : "", fphex)
                       : snprintf(plain, sizeof plain, "%s-%s-R%" PRId32, prefix, quote_id, revision);
    if (n > 0 && n < Q2O_ID_MAX) {
        memcpy(out, plain, (size_t)n + 1);
        return;
    }
    uint8_t hash[Q2O_SHA256_LEN];
    char hex[Q2O_SHA256_HEX_LEN];
    q2o_sha256 sh;
    q2o_sha256_init(&sh);
    q2o_sha256_update_str(&sh, prefix);
    q2o_sha256_update_str(&sh, quote_id);
    q2o_sha256_update_i64(&sh, revision);
    if (fp)
        q2o_sha256_update(&sh, fp, Q2O_SHA256_LEN);
    q2o_sha256_final(&sh, hash);
    q2o_hex(hash, 24, hex); /* 48 hex digits: prefix (<= 6) + "/h/" + 48 < Q2O_ID_MAX */
    size_t p = strlen(prefix);
    Q2O_CHECK(p + 3 + 48 < Q2O_ID_MAX);
    memcpy(out, prefix, p);
    out[p] = sep;
    out[p + 1] = 'h';
    out[p + 2] = sep;
    memcpy(out + p + 3, hex, 49);
}

void q2o_document_id(const char *quote_id, int32_t revision, char out[Q2O_ID_MAX])
{
    make_id("DOC", '-', quote_id, revision, NULL, out);
}

void q2o_document_command_id(const char *quote_id, int32_t revision, const uint8_t fp[Q2O_SHA256_LEN],
                             char out[Q2O_ID_MAX])
{
    make_id("doc", '/', quote_id, revision, fp, out);
}

void q2o_document_dedupe_key(const char *quote_id, int32_t revision, const uint8_t fp[Q2O_SHA256_LEN],
                             char out[Q2O_ID_MAX])
{
    make_id("docgen", '/', quote_id, revision, fp, out);
}

/* ----------------------------------------------------------- projection */

static q2o_err record_offset(q2o_store_txn *txn, const char *topic, int32_t partition, int64_t next)
{
    int64_t have = 0;
    q2o_err e = q2o_store_offset_get(txn, topic, partition, &have);
    if (e == Q2O_OK && have >= next)
        return Q2O_OK; /* a restore read further already */
    if (e != Q2O_OK && e != Q2O_STORE_NOT_FOUND)
        return e;
    return q2o_store_offset_put(txn, topic, partition, next);
}

static q2o_err snapshot_quote(q2o_document_worker *dw, q2o_store_txn *txn, const char *quote_id)
{
    char detail[256] = "";
    uint8_t *buf = NULL;
    size_t len = 0;
    q2o_quote *q = q2o_quote_new();
    q2o_err e = q2o_quote_load(txn, dw->codec, quote_id, q, detail, sizeof detail);
    if (e == Q2O_OK && (e = q2o_codec_encode_snapshot(dw->codec, q, &buf, &len)) == Q2O_OK)
        e = q2o_store_snapshot_put(txn, quote_id, q->version, buf, len);
    if (e != Q2O_OK)
        q2o_log(Q2O_LOG_ERROR, "cannot snapshot a quote", "quote", quote_id, "error", q2o_err_name(e), "detail",
                detail, (const char *)NULL);
    free(buf);
    q2o_quote_free(q);
    return e;
}

/* Fold one event into the quote's stream (idempotent by version). */
static q2o_err fold(q2o_document_worker *dw, q2o_worker_batch *b, const q2o_bus_msg *msg, const q2o_event *ev)
{
    q2o_store_txn *txn = q2o_worker_batch_txn(b);
    uint64_t head = 0;
    uint8_t head_hash[Q2O_SHA256_LEN], hash[Q2O_SHA256_LEN];
    q2o_err e = q2o_store_head(txn, ev->quote_id, &head, head_hash);
    if (e == Q2O_OK && ev->version == head + 1 && memcmp(ev->prev_hash, head_hash, sizeof head_hash) == 0) {
        q2o_event_hash(ev, hash);
        e = q2o_store_append_at(txn, ev->quote_id, ev->version, msg->value, msg->value_len, hash, NULL);
        if (e == Q2O_OK && q2o_store_should_snapshot(head, ev->version))
            e = snapshot_quote(dw, txn, ev->quote_id);
    } else if (e == Q2O_OK && ev->version > head) {
        char v[64];
        snprintf(v, sizeof v, "%" PRIu64 " (head %" PRIu64 ")", ev->version, head);
        q2o_log(Q2O_LOG_ERROR, "event not folded: version gap or broken chain", "quote", ev->quote_id, "version", v,
                (const char *)NULL);
    }
    if (e == Q2O_OK)
        e = record_offset(txn, msg->topic, msg->partition, msg->offset + 1);
    return e;
}

/* ------------------------------------------------------------ producing */

static void copy_traceparent(const q2o_bus_msg *msg, char out[TRACEPARENT_MAX])
{
    const q2o_bus_header *tp = q2o_bus_msg_header(msg, "traceparent");
    out[0] = '\0';
    if (tp && tp->value && tp->len < TRACEPARENT_MAX) {
        memcpy(out, tp->value, tp->len);
        out[tp->len] = '\0';
        if (strlen(out) != tp->len)
            out[0] = '\0';
    }
}

typedef struct approval {
    q2o_worker_batch *b;
    const q2o_bus_msg *msg;
    const q2o_event *ev;
    char key[Q2O_ID_MAX], command_id[Q2O_ID_MAX], document_id[Q2O_ID_MAX];
    char event_id[Q2O_ID_MAX + 24], traceparent[TRACEPARENT_MAX], time[32];
    char reason[DW_REASON_MAX];
    dw_outcome out;
} approval;

static q2o_err produce_generated(q2o_document_worker *dw, approval *a, const char *json, size_t len)
{
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    q2o_cloudevent ce = {.id = a->key,
                         .type = Q2O_DOCUMENT_CE_TYPE,
                         .source = dw->ce_source,
                         .subject = a->ev->quote_id,
                         .time = a->time,
                         .correlation_id = a->ev->correlation_id,
                         .causation_id = a->event_id,
                         .traceparent = a->traceparent[0] ? a->traceparent : NULL};
    uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
    if (n < Q2O_BUS_MAX_HEADERS)
        hdrs[n++] = (q2o_bus_header){"content-type", "application/json", 16};
    return q2o_worker_produce(a->b, Q2O_TOPIC_DOCUMENT_EVENTS, -1, a->ev->quote_id, strlen(a->ev->quote_id), json,
                              len, hdrs, n);
}

static q2o_err produce_attach(q2o_document_worker *dw, approval *a, const q2o_document *pdf)
{
    q2o_command *c = &dw->cmd;
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    uint8_t *buf = NULL;
    size_t len = 0;
    q2o_command_init(c, Q2O_CMD_ATTACH_DOCUMENT, a->ev->quote_id, a->command_id, &DOC_ACTOR);
    c->revision = a->ev->revision;
    Q2O_STRCPY(c->correlation_id, a->ev->correlation_id);
    Q2O_STRCPY(c->source, "DOCUMENT");
    Q2O_STRCPY(c->u.attach.document_id, a->document_id);
    memcpy(c->u.attach.document_hash, pdf->sha256, Q2O_SHA256_LEN);
    Q2O_STRCPY(c->u.attach.template_version, Q2O_DOCUMENT_TEMPLATE_VERSION);
    memcpy(c->u.attach.snapshot_fp, a->ev->u.approved.approval_fp, Q2O_SHA256_LEN);
    q2o_err e = q2o_codec_encode_command(dw->codec, c, &buf, &len);
    if (e == Q2O_OK) {
        q2o_cloudevent ce = {.id = a->command_id,
                             .type = q2o_command_type_name(c->type),
                             .source = dw->ce_source,
                             .subject = a->ev->quote_id,
                             .time = a->time,
                             .correlation_id = a->ev->correlation_id,
                             .causation_id = a->event_id,
                             .traceparent = a->traceparent[0] ? a->traceparent : NULL};
        uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
        e = q2o_worker_produce(a->b, Q2O_TOPIC_QUOTE_COMMANDS, -1, a->ev->quote_id, strlen(a->ev->quote_id), buf, len,
                               hdrs, n);
    }
    free(buf);
    return e;
}

/* DocumentGenerated out, then the dedupe key recorded with its bytes. */
static q2o_err finish(q2o_document_worker *dw, approval *a)
{
    char json[DW_EVENT_MAX];
    size_t len = dw_event_json(&a->out, json, sizeof json);
    if (!len)
        return Q2O_TOO_LARGE;
    q2o_err e = produce_generated(dw, a, json, len);
    if (e == Q2O_OK)
        e = q2o_store_command_put(q2o_worker_batch_txn(a->b), a->key, json, len);
    if (e == Q2O_OK)
        q2o_log(a->out.done ? Q2O_LOG_INFO : Q2O_LOG_WARN, a->out.done ? "document generated" : "document failed",
                "quote", a->ev->quote_id, "key", a->key, "reason", a->out.done ? "" : a->reason, (const char *)NULL);
    return e;
}

static q2o_err fail(q2o_document_worker *dw, approval *a, q2o_err code, const char *reason)
{
    q2o_strlcpy(a->reason, reason, sizeof a->reason);
    a->out.done = 0;
    a->out.code = code;
    a->out.reason = a->reason;
    return finish(dw, a);
}

/* ------------------------------------------------------------ rendering */

typedef struct sold_out_ctx {
    const q2o_catalog *catalog;
    uint32_t left_out;
} sold_out_ctx;

static int is_sold_out(void *ctx, const q2o_line *line)
{
    sold_out_ctx *s = ctx;
    int out = q2o_catalog_stock(s->catalog, line->offering_id) == 0;
    s->left_out += (uint32_t)out;
    return out;
}

static q2o_branding branding(const q2o_document_worker *dw)
{
    return (q2o_branding){.seller_name = dw->seller, .address_line = "", .accent_rgb = {0x1f, 0x4e, 0x79},
                          .footer_text = ""};
}

/* The confirmation e-mail when the quote's order type is a quote order
 * type the active catalog knows; 0 = none written. */
static q2o_err write_email(q2o_document_worker *dw, const q2o_quote *q, approval *a, q2o_document *eml,
                           char name[DW_NAME_MAX], int *written)
{
    const q2o_catalog *c = q2o_catalog_feed_active(dw->feed);
    const q2o_cat_order_type *ot = c && q->header.order_type[0] ? q2o_catalog_order_type(c, q->header.order_type) : NULL;
    *written = 0;
    if (!ot || !ot->is_quote)
        return Q2O_OK;
    sold_out_ctx s = {.catalog = c};
    q2o_branding br = branding(dw);
    q2o_confirmation_opts opts = {.from_address = dw->from, .date = a->ev->at,
                                  .exclude_sold_out = ot->exclude_sold_out, .is_sold_out = is_sold_out,
                                  .sold_out_ctx = &s};
    q2o_err e = q2o_confirmation_render(q, a->ev->revision, &br, &opts, eml);
    if (e != Q2O_OK) {
        q2o_log(Q2O_LOG_WARN, "confirmation e-mail not rendered", "quote", q->quote_id, "error", q2o_err_name(e),
                (const char *)NULL);
        return e == Q2O_NO_MEMORY ? e : Q2O_OK;
    }
    if ((e = dw_store_file(dw->dir, eml, "eml", name)) != Q2O_OK)
        return e;
    a->out.lines_left_out = s.left_out;
    *written = 1;
    return Q2O_OK;
}

static q2o_err render_and_send(q2o_document_worker *dw, approval *a, const q2o_quote *q)
{
    q2o_document pdf = {0}, eml = {0};
    char pdf_name[DW_NAME_MAX], eml_name[DW_NAME_MAX];
    int have_eml = 0;
    q2o_branding br = branding(dw);
    q2o_err e = q2o_proposal_render(q, a->ev->revision, &br, Q2O_DOCUMENT_TEMPLATE_VERSION, &pdf);
    if (e != Q2O_OK) {
        char why[DW_REASON_MAX];
        snprintf(why, sizeof why, "the proposal of revision %d cannot be rendered: %s", (int)a->ev->revision,
                 q2o_err_message(e));
        return e == Q2O_NO_MEMORY ? e : fail(dw, a, e, why);
    }
    if ((e = dw_store_file(dw->dir, &pdf, "pdf", pdf_name)) == Q2O_OK)
        e = write_email(dw, q, a, &eml, eml_name, &have_eml);
    if (e == Q2O_OK) {
        dw_outcome *o = &a->out;
        o->done = 1;
        o->document_id = a->document_id;
        o->document_hash = pdf.sha256;
        o->pdf = pdf_name;
        o->pdf_bytes = pdf.len;
        o->pages = pdf.pages;
        o->eml = have_eml ? eml_name : NULL;
        o->eml_hash = eml.sha256;
        o->command_id = a->command_id;
        if ((e = produce_attach(dw, a, &pdf)) == Q2O_OK)
            e = finish(dw, a);
    }
    q2o_document_release(&pdf);
    q2o_document_release(&eml);
    return e;
}

/* The quote as it was right after the approval event. */
static q2o_err load_at(q2o_document_worker *dw, q2o_store_txn *txn, const q2o_event *ev, q2o_quote *q,
                       char *detail, size_t size)
{
    uint64_t head = 0;
    q2o_err e = q2o_store_head(txn, ev->quote_id, &head, NULL);
    if (e != Q2O_OK)
        return e;
    if (head < ev->version) {
        snprintf(detail, size, "the projection holds version %" PRIu64 " of %" PRIu64, head, ev->version);
        return Q2O_STORE_NOT_FOUND;
    }
    if (head == ev->version)
        return q2o_quote_load(txn, dw->codec, ev->quote_id, q, detail, size);
    return q2o_quote_load_as_of(txn, dw->codec, ev->quote_id, ev->version, 0, q, detail, size);
}

/* Step 3 of the contract: the approval covers the revision's content. */
static q2o_err check_approved(const q2o_quote *q, const q2o_event *ev, char *why, size_t size)
{
    const q2o_revision *r = q2o_quote_revision(q, ev->revision), *cur = q2o_quote_current(q);
    if (!r || !cur) {
        snprintf(why, size, "revision %d is not in the projection", (int)ev->revision);
        return Q2O_QUOTE_REVISION_NOT_FOUND;
    }
    if (cur->number != r->number) {
        snprintf(why, size, "revision %d is not the current one (%d)", (int)r->number, (int)cur->number);
        return Q2O_QUOTE_ALREADY_SUPERSEDED;
    }
    if (!r->approved || memcmp(r->approved_fp, r->approval_fp, Q2O_SHA256_LEN) != 0 ||
        memcmp(r->approved_fp, ev->u.approved.approval_fp, Q2O_SHA256_LEN) != 0) {
        snprintf(why, size, "the approval does not cover revision %d's fingerprint", (int)r->number);
        return Q2O_QUOTE_APPROVAL_STALE;
    }
    return Q2O_OK;
}

static void approval_init(approval *a, q2o_worker_batch *b, const q2o_bus_msg *msg, const q2o_event *ev)
{
    memset(a, 0, sizeof *a);
    a->b = b;
    a->msg = msg;
    a->ev = ev;
    const uint8_t *fp = ev->u.approved.approval_fp;
    q2o_document_dedupe_key(ev->quote_id, ev->revision, fp, a->key);
    q2o_document_command_id(ev->quote_id, ev->revision, fp, a->command_id);
    q2o_document_id(ev->quote_id, ev->revision, a->document_id);
    q2o_codec_event_id(ev, a->event_id, sizeof a->event_id);
    copy_traceparent(msg, a->traceparent);
    q2o_time_format(ev->at, a->time, sizeof a->time);
    a->out = (dw_outcome){.quote_id = ev->quote_id, .revision = ev->revision, .snapshot_fp = fp,
                          .approval_event = a->event_id, .template_version = Q2O_DOCUMENT_TEMPLATE_VERSION};
}

static q2o_err on_approved(q2o_document_worker *dw, q2o_worker_batch *b, const q2o_bus_msg *msg,
                           const q2o_event *ev)
{
    q2o_store_txn *txn = q2o_worker_batch_txn(b);
    char detail[DW_REASON_MAX] = "";
    const void *seen;
    size_t seen_len;
    approval *a = calloc(1, sizeof *a);
    if (!a)
        return Q2O_NO_MEMORY;
    approval_init(a, b, msg, ev);
    q2o_err e = q2o_store_command_get(txn, a->key, &seen, &seen_len);
    if (e == Q2O_OK) {
        q2o_log(Q2O_LOG_INFO, "approval seen again: document exists", "key", a->key, (const char *)NULL);
        free(a);
        return Q2O_OK;
    }
    if (e != Q2O_STORE_NOT_FOUND) {
        free(a);
        return e;
    }
    q2o_quote *q = q2o_quote_new();
    e = load_at(dw, txn, ev, q, detail, sizeof detail);
    if (e == Q2O_STORE_NOT_FOUND || e == Q2O_STORE_CORRUPT)
        e = fail(dw, a, e, detail);
    else if (e == Q2O_OK && (e = check_approved(q, ev, detail, sizeof detail)) != Q2O_OK)
        e = fail(dw, a, e, detail);
    else if (e == Q2O_OK)
        e = render_and_send(dw, a, q);
    q2o_quote_free(q);
    free(a);
    return e;
}

/* -------------------------------------------------------------- catalog */

/* ------------------------------------------------------------------ ops */

static q2o_err dw_on_assign(void *ctx, q2o_worker *w, const char *topic, int32_t partition)
{
    q2o_document_worker *dw = ctx;
    (void)topic; /* the only input: the events topic */
    /* the catalog is for retail e-mails only; proposals do not need it */
    q2o_err e = q2o_catalog_feed_sync(dw->feed, q2o_worker_store(w));
    if (e != Q2O_OK)
        return e;
    return qw_restore_events(dw->codec, 0, w, partition);
}

static q2o_err dw_handle(void *ctx, q2o_worker_batch *b, const q2o_bus_msg *msg)
{
    q2o_document_worker *dw = ctx;
    char detail[Q2O_TEXT_MAX] = "";
    q2o_event *ev = &dw->ev;
    q2o_err e = q2o_codec_decode_event(dw->codec, msg->value, msg->value_len, ev, detail, sizeof detail);
    if (e != Q2O_OK)
        return q2o_worker_deadletter(b, msg, e, detail);
    if ((e = fold(dw, b, msg, ev)) == Q2O_OK && (e = q2o_catalog_feed_tick(dw->feed, q2o_worker_batch_txn(b))) == Q2O_OK && ev->type == Q2O_EV_APPROVED)
        e = on_approved(dw, b, msg, ev);
    q2o_event_release(ev);
    return e;
}

q2o_err q2o_document_worker_new(const q2o_config *cfg, q2o_document_worker **out)
{
    *out = NULL;
    q2o_document_worker *dw = calloc(1, sizeof *dw);
    if (!dw)
        return Q2O_NO_MEMORY;
    int n = cfg->document_dir[0] ? snprintf(dw->dir, sizeof dw->dir, "%s", cfg->document_dir)
                                 : snprintf(dw->dir, sizeof dw->dir, "%s/documents", cfg->data_dir);
    q2o_err e = n <= 0 || (size_t)n >= sizeof dw->dir ? Q2O_CONFIG_INVALID : Q2O_OK;
    if (e == Q2O_OK && (q2o_strlcpy(dw->seller, cfg->document_seller, sizeof dw->seller) != 0 ||
                        q2o_strlcpy(dw->from, cfg->document_from, sizeof dw->from) != 0))
        e = Q2O_CONFIG_INVALID;
    if (e == Q2O_OK)
        e = q2o_codec_open_builtin(&dw->codec);
    if (e == Q2O_OK)
        e = q2o_catalog_feed_new(cfg, &dw->feed);
    if (e != Q2O_OK) {
        q2o_document_worker_free(dw);
        return e;
    }
    snprintf(dw->ce_source, sizeof dw->ce_source, "q2o/document-worker/%s", cfg->instance_id);
    dw->ops = (q2o_worker_ops){
        .name = "document",
        .inputs = {Q2O_TOPIC_QUOTE_EVENTS},
        .n_inputs = 1,
        .on_assign = dw_on_assign,
        .handle = dw_handle,
    };
    *out = dw;
    return Q2O_OK;
}

void q2o_document_worker_free(q2o_document_worker *dw)
{
    if (!dw)
        return;
    q2o_event_release(&dw->ev);
    q2o_codec_close(dw->codec);
    q2o_catalog_feed_free(dw->feed);
    free(dw);
}

const q2o_worker_ops *q2o_document_worker_ops(const q2o_document_worker *dw)
{
    return &dw->ops;
}

const char *q2o_document_worker_dir(const q2o_document_worker *dw)
{
    return dw->dir;
}

q2o_err q2o_document_worker_make(const q2o_config *cfg, const q2o_worker_ops **ops, void **ctx, char *detail,
                                 size_t detail_size)
{
    q2o_document_worker *dw = NULL;
    q2o_err e = q2o_document_worker_new(cfg, &dw);
    if (e != Q2O_OK) {
        snprintf(detail, detail_size, "cannot start the document worker: %s (document directory, branding or codec)",
                 q2o_err_name(e));
        return e;
    }
    *ops = q2o_document_worker_ops(dw);
    *ctx = dw;
    return Q2O_OK;
}

void q2o_document_worker_release(void *ctx)
{
    q2o_document_worker_free(ctx);
}
