/*
 * The story the demo tells: the lifecycle seed's practice case. A 500-user
 * SaaS quote with premium support, implementation, an 18 % discount, a
 * 24-month term, NET60 payment terms and the July promotion, then the
 * customer's 600-user request after approval, the promotion running out
 * before signature, the customer signing the old revision, and a
 * double-clicked conversion.
 *
 * Over Kafka (d->wall_clock) the worker decides on its own clock, so the
 * story cannot let the July promotion run out: the lines carry no promotion
 * and, after revision 2 is presented, the customer signs revision 1 (a
 * superseded revision) before e-signing revision 2.
 */
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "demo.h"
#include "document/proposal.h"
#include "domain/sample.h"

static const q2o_actor REP = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};
static const q2o_actor DESK = {"desk-1", Q2O_ROLE_DEAL_DESK, -1, ""};
static const q2o_actor FINANCE = {"fin-1", Q2O_ROLE_FINANCE, 100000000, ""};
static const q2o_actor DOCS = {"document-worker", Q2O_ROLE_SYSTEM, 0, ""};
static const q2o_actor CUSTOMER = {Q2O_SAMPLE_CONTACT, Q2O_ROLE_CUSTOMER, 0, "ACME-INC"};
static const q2o_actor OPS = {"ops-1", Q2O_ROLE_OPERATIONS, 0, ""};

static const q2o_revision *rev(demo *d)
{
    return q2o_quote_current(d->q);
}

static void create(demo *d)
{
    q2o_command c = demo_cmd(d, Q2O_CMD_CREATE_QUOTE, &REP);
    q2o_sample_acme_quote(&c.u.create, &c.terms, "NET60", d->now);
    demo_send(d, &c, Q2O_OK, "a 24-month NET60 quote for ACME");
}

static void line(demo *d, const char *id, const char *offering, int64_t qty, const char *promo, q2o_err expect,
                 const char *what)
{
    q2o_command_type t = d->q->exists && q2o_quote_line(d->q, id) ? Q2O_CMD_CHANGE_LINE : Q2O_CMD_ADD_LINE;
    q2o_command c = demo_cmd(d, t, &REP);
    q2o_line *l = &c.u.line;
    Q2O_STRCPY(l->line_id, id);
    Q2O_STRCPY(l->offering_id, offering);
    Q2O_STRCPY(l->uom, "EA");
    l->quantity = qty;
    l->discount_bp = 1800;
    l->override_unit_price = -1;
    q2o_strlcpy(l->promo_code, promo, sizeof l->promo_code);
    if (strcmp(offering, "SUPPORT-PREMIUM") == 0) {
        l->n_options = 1;
        Q2O_STRCPY(l->options[0].name, "support_level");
        Q2O_STRCPY(l->options[0].value, "PLATINUM");
    }
    demo_send(d, &c, expect, what);
}

static void simple(demo *d, q2o_command_type t, const q2o_actor *a, q2o_err expect, const char *what)
{
    q2o_command c = demo_cmd(d, t, a);
    Q2O_STRCPY(c.u.reason.reason_code, "CUSTOMER_REQUEST");
    demo_send(d, &c, expect, what);
}

static void approve(demo *d, const q2o_actor *a, const uint8_t *fp, q2o_err expect, const char *what)
{
    q2o_command c = demo_cmd(d, Q2O_CMD_APPROVE_STEP, a);
    memcpy(c.u.approve.expected_fp, fp ? fp : rev(d)->approval_fp, Q2O_SHA256_LEN);
    demo_send(d, &c, expect, what);
}

/* Over Kafka, q2o-document-worker renders the proposal when the revision is
 * approved and attaches it: wait for that event. */
static void await_document(demo *d)
{
    char detail[Q2O_TEXT_MAX + 128] = "", hex[Q2O_SHA256_HEX_LEN];
    uint64_t attached = d->q->version + 1;
    q2o_err e = d->t->reload(d, attached, detail, sizeof detail);
    const q2o_revision *r = rev(d);
    if (e != Q2O_OK || r->document_status != Q2O_OP_DONE ||
        memcmp(r->document_snapshot_fp, r->approval_fp, Q2O_SHA256_LEN) != 0) {
        printf("  !! no proposal from q2o-document-worker for revision %d: %s %s\n", r->number, q2o_err_name(e),
               detail);
        d->failures++;
        return;
    }
    printf("  v%-3llu proposal %s rendered and attached by q2o-document-worker, sha256 %.16s...\n",
           (unsigned long long)d->q->version, r->document_id, q2o_hex(r->document_hash, Q2O_SHA256_LEN, hex));
}

/* In one process: render the proposal PDF from the approved snapshot here,
 * keep it content-addressed under doc_dir, attach its hash. */
static void render_here(demo *d)
{
    q2o_branding br = {"q2o demo seller", "1 Example Street, Springfield", {0x1f, 0x4e, 0x79},
                       "Prices in USD. This proposal is valid until the date shown."};
    q2o_document doc = {0};
    char hex[Q2O_SHA256_HEX_LEN], path[700];
    q2o_command c = demo_cmd(d, Q2O_CMD_ATTACH_DOCUMENT, &DOCS);
    q2o_err e = q2o_proposal_render(d->q, rev(d)->number, &br, "proposal-1", &doc);
    if (e != Q2O_OK) {
        printf("  !! rendering the proposal failed: %s\n", q2o_err_name(e));
        d->failures++;
        return;
    }
    snprintf(path, sizeof path, "%s/%s.pdf", d->doc_dir, q2o_hex(doc.sha256, Q2O_SHA256_LEN, hex));
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(doc.bytes, 1, doc.len, f) != doc.len) {
        printf("  !! cannot write %s\n", path);
        d->failures++;
    }
    if (f)
        fclose(f);
    memcpy(c.u.attach.document_hash, doc.sha256, Q2O_SHA256_LEN);
    snprintf(c.u.attach.document_id, sizeof c.u.attach.document_id, "DOC-%.40s-R%d", d->quote_id, rev(d)->number);
    Q2O_STRCPY(c.u.attach.template_version, "proposal-1");
    memcpy(c.u.attach.snapshot_fp, doc.snapshot_fp, Q2O_SHA256_LEN);
    printf("  proposal PDF: %s (%zu bytes, %u pages)\n", path, doc.len, doc.pages);
    q2o_document_release(&doc);
    demo_send(d, &c, Q2O_OK, "proposal bound to the approved snapshot");
}

static void render_and_present(demo *d)
{
    if (d->wall_clock)
        await_document(d);
    else
        render_here(d);
    q2o_command c = demo_cmd(d, Q2O_CMD_PRESENT_QUOTE, &REP);
    Q2O_STRCPY(c.u.present.document_id, rev(d)->document_id);
    memcpy(c.u.present.document_hash, rev(d)->document_hash, Q2O_SHA256_LEN);
    Q2O_STRCPY(c.u.present.recipient, CUSTOMER.id);
    demo_send(d, &c, Q2O_OK, "sent to the customer");
}

static void accept(demo *d, int32_t revision, const uint8_t *doc_hash, q2o_err expect, const char *what)
{
    q2o_command c = demo_cmd(d, Q2O_CMD_ACCEPT_QUOTE, &CUSTOMER);
    c.revision = revision;
    c.u.accept.method = Q2O_AM_ESIGNATURE;
    Q2O_STRCPY(c.u.accept.acceptor_id, CUSTOMER.id);
    Q2O_STRCPY(c.u.accept.document_id, rev(d)->document_id);
    memcpy(c.u.accept.document_hash, doc_hash ? doc_hash : rev(d)->presented_hash, Q2O_SHA256_LEN);
    Q2O_STRCPY(c.u.accept.signature_envelope_id, "ENV-778");
    Q2O_STRCPY(c.u.accept.source_address, "203.0.113.7");
    demo_send(d, &c, expect, what);
}

static void convert(demo *d, const char *key, q2o_err expect, const char *what)
{
    q2o_command c = demo_cmd(d, Q2O_CMD_CONVERT_TO_ORDER, &OPS);
    Q2O_STRCPY(c.u.convert.idempotency_key, key);
    c.u.convert.expected_status = Q2O_ST_ACCEPTED;
    demo_send(d, &c, expect, what);
}

static void terms_valid_until(demo *d, q2o_time_ms until)
{
    q2o_command c = demo_cmd(d, Q2O_CMD_CHANGE_TERMS, &REP);
    c.terms = rev(d)->terms;
    c.terms.valid_until = until;
    demo_send(d, &c, Q2O_OK, "new validity");
}

static void approve_both(demo *d)
{
    simple(d, Q2O_CMD_SUBMIT_FOR_APPROVAL, &REP, Q2O_OK, "discount 18% > 15% and NET60 fire the policy");
    approve(d, &REP, NULL, Q2O_AUTH_ROLE_REQUIRED, "the rep tries to approve");
    approve(d, &DESK, NULL, Q2O_OK, "deal desk step");
    approve(d, &FINANCE, NULL, Q2O_OK, "finance step: approved");
}

/* The promotion code of the story's lines: none when time cannot move. */
static const char *july(const demo *d)
{
    return d->wall_clock ? "" : "JULY2026";
}

/* The July promotion ends before signature (the story's clock only). */
static void promotion_runs_out(demo *d, const uint8_t *rev2_doc)
{
    d->now = Q2O_SAMPLE_AUGUST_1 + 3600000; /* the July promotion has ended */
    accept(d, 0, NULL, Q2O_QUOTE_PROMOTION_EXPIRED, "customer signs on 1 August");
    simple(d, Q2O_CMD_CREATE_REVISION, &REP, Q2O_OK, "revision 3 without the promotion");
    line(d, "L1", "SAAS-ENT-USER", 600, "", Q2O_OK, "drop the promotion");
    line(d, "L2", "SUPPORT-PREMIUM", 600, "", Q2O_OK, "drop the promotion");
    terms_valid_until(d, d->now + 30 * Q2O_MS_PER_DAY);
    simple(d, Q2O_CMD_PRICE_QUOTE, &REP, Q2O_OK, "reprice revision 3");
    approve_both(d);
    render_and_present(d);
    accept(d, 2, rev2_doc, Q2O_QUOTE_ALREADY_SUPERSEDED, "customer signs revision 2's PDF");
    accept(d, 0, NULL, Q2O_OK, "customer e-signs revision 3");
}

void demo_story(demo *d)
{
    uint8_t rev1_fp[Q2O_SHA256_LEN], rev2_doc[Q2O_SHA256_LEN];
    create(d);
    line(d, "L1", "SAAS-ENT-USER", 500, july(d), Q2O_OK, d->wall_clock ? "500 users" : "500 users, July promotion");
    line(d, "L2", "SUPPORT-PREMIUM", 500, july(d), Q2O_OK, "premium support");
    line(d, "L3", "IMPL-SERVICE", 1, "", Q2O_OK, "implementation service");
    simple(d, Q2O_CMD_PRICE_QUOTE, &REP, Q2O_OK, "price: waterfall, fingerprint, approval policy");
    approve_both(d);
    memcpy(rev1_fp, rev(d)->approved_fp, Q2O_SHA256_LEN);
    line(d, "L1", "SAAS-ENT-USER", 600, july(d), Q2O_QUOTE_REVISION_REQUIRED, "600 users after approval?");
    simple(d, Q2O_CMD_CREATE_REVISION, &REP, Q2O_OK, "revision 2 supersedes revision 1");
    line(d, "L1", "SAAS-ENT-USER", 600, july(d), Q2O_OK, "600 users");
    line(d, "L2", "SUPPORT-PREMIUM", 600, july(d), Q2O_OK, "600 support seats");
    simple(d, Q2O_CMD_PRICE_QUOTE, &REP, Q2O_OK, "reprice: the old approval is stale");
    simple(d, Q2O_CMD_SUBMIT_FOR_APPROVAL, &REP, Q2O_OK, "back to review");
    approve(d, &DESK, rev1_fp, Q2O_QUOTE_CHANGED_DURING_APPROVAL, "approve citing revision 1's fingerprint");
    approve(d, &DESK, NULL, Q2O_OK, "deal desk re-approves");
    approve(d, &FINANCE, NULL, Q2O_OK, "finance re-approves");
    render_and_present(d);
    memcpy(rev2_doc, rev(d)->presented_hash, Q2O_SHA256_LEN);
    if (!d->wall_clock) {
        promotion_runs_out(d, rev2_doc);
    } else {
        accept(d, 1, rev2_doc, Q2O_QUOTE_ALREADY_SUPERSEDED, "customer signs citing revision 1");
        accept(d, 0, NULL, Q2O_OK, "customer e-signs revision 2");
    }
    convert(d, "crm-conv-7781", Q2O_OK, "convert to order");
    convert(d, "crm-conv-7781", Q2O_OK, "double click: same key, same order");
    convert(d, "crm-conv-9999", Q2O_QUOTE_ALREADY_CONVERTED, "a second conversion");
}
