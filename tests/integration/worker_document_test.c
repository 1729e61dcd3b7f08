/* The document worker: a quote approved through the quote worker gets
 * exactly one proposal PDF whose SHA-256 is the hash attached to the quote;
 * a redelivery (a restart: the mock keeps no group offsets, so every event
 * comes again) renders nothing new and attaches nothing twice; a changed
 * and re-approved quote gets another document. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "core/strutil.h"
#include "quote_fixture.h"
#include "worker_harness.h"

TestSuite(worker_document);

#define QID "Q-D"

/* Send c to the worker and mirror it into the fixture (same catalog,
 * policy and clock) so the next command can be built from its state. */
static void send_mirrored(hx *h, fx *f, q2o_command c, const char *id, char ids[][Q2O_ID_MAX], size_t *n)
{
    Q2O_STRCPY(c.quote_id, QID);
    Q2O_STRCPY(c.command_id, id);
    cr_assert_eq(fx_send(f, &c), Q2O_OK, "%s: %s", q2o_command_type_name(c.type), f->last.detail);
    hx_send(h, &c);
    Q2O_STRCPY(ids[*n], id);
    (*n)++;
}

static void wait_ids(hx *h, char ids[][Q2O_ID_MAX], size_t n)
{
    const char *idp[16];
    for (size_t i = 0; i < n; i++)
        idp[i] = ids[i];
    hx_wait_results(h, idp, n, 30000);
    hx_result rs[32];
    size_t nr = hx_results(h, rs, 32);
    for (size_t i = 0; i < nr; i++)
        cr_assert_eq(rs[i].r.status, Q2O_RESULT_ACCEPTED, "%s: %s %s", rs[i].r.command_id,
                     q2o_err_name(rs[i].r.code), rs[i].r.detail);
}

/* Revision 1 from Draft to Approved (auto-approval: nothing fires). */
static void approve_rev1(hx *h, fx *f)
{
    char ids[8][Q2O_ID_MAX];
    size_t n = 0;
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_CREATE_QUOTE, NULL), "d-create", ids, &n);
    send_mirrored(h, f, hx_add_line(h, QID, "L1", 10), "d-line", ids, &n);
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_PRICE_QUOTE, NULL), "d-price", ids, &n);
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_SUBMIT_FOR_APPROVAL, NULL), "d-submit", ids, &n);
    wait_ids(h, ids, n);
    cr_assert_eq(fx_rev(f)->status, Q2O_ST_APPROVED);
}

/* Revision 2 with one more seat, repriced and approved again. */
static void approve_rev2(hx *h, fx *f)
{
    char ids[8][Q2O_ID_MAX];
    size_t n = 0;
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_CREATE_REVISION, NULL), "d-rev2", ids, &n);
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_CHANGE_LINE, NULL), "d-more", ids, &n);
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_PRICE_QUOTE, NULL), "d-price2", ids, &n);
    send_mirrored(h, f, fx_command_for(f, Q2O_CMD_SUBMIT_FOR_APPROVAL, NULL), "d-submit2", ids, &n);
    wait_ids(h, ids, n);
    cr_assert_eq(fx_rev(f)->number, 2);
    cr_assert_eq(fx_rev(f)->status, Q2O_ST_APPROVED);
}

/* The distinct QuoteDocumentAttached events of QID, by version. */
typedef struct attached {
    uint64_t version;
    int32_t revision;
    uint8_t hash[Q2O_SHA256_LEN];
    char document_id[Q2O_ID_MAX];
} attached;

static size_t read_attached(hx *h, attached *out, size_t max)
{
    hx_msgs ms;
    char detail[256];
    size_t n = 0;
    q2o_event *ev = calloc(1, sizeof *ev);
    hx_read(h, Q2O_TOPIC_QUOTE_EVENTS, &ms);
    for (size_t i = 0; i < ms.n; i++) {
        cr_assert_eq(q2o_codec_decode_event(h->codec, ms.m[i]->value, ms.m[i]->value_len, ev, detail, sizeof detail),
                     Q2O_OK, "%s", detail);
        int seen = 0;
        for (size_t j = 0; j < n; j++)
            seen |= out[j].version == ev->version;
        if (ev->type == Q2O_EV_DOCUMENT_ATTACHED && strcmp(ev->quote_id, QID) == 0 && !seen && n < max) {
            out[n].version = ev->version;
            out[n].revision = ev->revision;
            memcpy(out[n].hash, ev->u.document.document_hash, Q2O_SHA256_LEN);
            Q2O_STRCPY(out[n].document_id, ev->u.document.document_id);
            n++;
        }
        q2o_event_release(ev);
    }
    hx_msgs_free(&ms);
    free(ev);
    return n;
}

typedef struct want_attached {
    hx *h;
    size_t n;
} want_attached;

static int has_attached(void *ctx)
{
    want_attached *w = ctx;
    attached a[4];
    return read_attached(w->h, a, 4) >= w->n;
}

/* Raw messages on a topic (the mock keeps every copy, so a second attach
 * or a second DocumentGenerated would show). attach_only: count
 * AttachQuoteDocument commands only. */
static size_t count_messages(hx *h, q2o_topic t, int attach_only)
{
    hx_msgs ms;
    char detail[256];
    size_t n = 0;
    q2o_command *c = calloc(1, sizeof *c);
    hx_read(h, t, &ms);
    for (size_t i = 0; i < ms.n; i++) {
        if (!attach_only) {
            n++;
            continue;
        }
        cr_assert_eq(q2o_codec_decode_command(h->codec, ms.m[i]->value, ms.m[i]->value_len, c, detail, sizeof detail),
                     Q2O_OK, "%s", detail);
        if (c->type == Q2O_CMD_ATTACH_DOCUMENT) {
            cr_assert_str_eq(c->actor.id, Q2O_DOCUMENT_ACTOR);
            cr_assert_eq(c->actor.roles, Q2O_ROLE_SYSTEM);
            n++;
        }
    }
    hx_msgs_free(&ms);
    free(c);
    return n;
}

/* Files in dir ending in ext; names (optional) gets them. */
static size_t list_files(const char *dir, const char *ext, char names[][128], size_t max)
{
    size_t n = 0, el = strlen(ext);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > el && strcmp(e->d_name + l - el, ext) == 0 && e->d_name[0] != '.') {
            if (names && n < max)
                q2o_strlcpy(names[n], e->d_name, 128);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void sha256_file(const char *path, uint8_t out[Q2O_SHA256_LEN])
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s", path);
    q2o_sha256 sh;
    q2o_sha256_init(&sh);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        q2o_sha256_update(&sh, buf, got);
    fclose(f);
    q2o_sha256_final(&sh, out);
}

static void assert_pdftotext_shows(const char *path, const char *text)
{
    char cmd[1024], out[8192] = "";
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    cr_assert(p != NULL);
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    cr_assert_eq(pclose(p), 0, "pdftotext failed on %s", path);
    cr_assert(strstr(out, text) != NULL, "pdftotext of %s does not show %s:\n%s", path, text, out);
}

typedef struct consumed_at_least {
    hx_worker *hw;
    uint64_t n;
} consumed_at_least;

static int has_consumed(void *ctx)
{
    consumed_at_least *c = ctx;
    q2o_worker_stats st;
    q2o_worker_stats_get(c->hw->w, &st);
    return st.consumed >= c->n;
}

Test(worker_document, approved_quote_gets_one_pdf_whose_hash_is_attached_and_a_redelivery_adds_nothing)
{
    hx h;
    hx_worker quote, doc;
    fx f;
    char dir[512], names[4][128], path[1024], hex[Q2O_SHA256_HEX_LEN];
    uint8_t file_hash[Q2O_SHA256_LEN];
    attached at[4];
    hx_init(&h, 1);
    hx_fx_init(&f);
    hx_quote_start(&h, &quote, "quote-d", NULL);
    hx_document_start(&h, &doc, "doc-1");
    snprintf(dir, sizeof dir, "%s", q2o_document_worker_dir(doc.dw));
    hx_wait_ready(&quote, 20000);
    hx_wait_ready(&doc, 20000);

    approve_rev1(&h, &f);
    want_attached one = {&h, 1};
    hx_wait(has_attached, &one, 30000, "QuoteDocumentAttached of revision 1");
    cr_assert_eq(read_attached(&h, at, 4), 1);
    cr_assert_eq(at[0].revision, 1);
    cr_assert_str_eq(at[0].document_id, "DOC-Q-D-R1");

    cr_assert_eq(list_files(dir, ".pdf", names, 4), 1, "exactly one PDF in %s", dir);
    snprintf(path, sizeof path, "%s/%s", dir, names[0]);
    sha256_file(path, file_hash);
    cr_assert_arr_eq(file_hash, at[0].hash, Q2O_SHA256_LEN, "the file's SHA-256 is the attached hash");
    char want[Q2O_SHA256_HEX_LEN + 8];
    snprintf(want, sizeof want, "%s.pdf", q2o_hex(file_hash, Q2O_SHA256_LEN, hex));
    cr_assert_str_eq(names[0], want, "the file is named by its SHA-256");
    cr_assert(f.q->header.quote_number[0]);
    assert_pdftotext_shows(path, f.q->header.quote_number);
    cr_assert_eq(list_files(dir, ".eml", NULL, 0), 0, "the SaaS quote has no quote order type: no e-mail");
    cr_assert_eq(list_files(dir, "", NULL, 0), 1, "no temporary file left behind");
    cr_assert_eq(count_messages(&h, Q2O_TOPIC_DOCUMENT_EVENTS, 0), 1);
    cr_assert_eq(count_messages(&h, Q2O_TOPIC_QUOTE_COMMANDS, 1), 1);

    /* restart with the same store: every event again */
    size_t events = hx_check_events(&h, NULL, 0, NULL);
    cr_assert_eq(hx_stop(&doc), Q2O_OK);
    hx_document_start(&h, &doc, "doc-1");
    hx_wait_ready(&doc, 20000);
    consumed_at_least all = {&doc, events};
    hx_wait(has_consumed, &all, 30000, "the redelivered events");
    hx_sleep_ms(300);
    cr_assert_eq(list_files(dir, ".pdf", NULL, 0), 1, "nothing rendered again");
    cr_assert_eq(count_messages(&h, Q2O_TOPIC_DOCUMENT_EVENTS, 0), 1, "no second DocumentGenerated");
    cr_assert_eq(count_messages(&h, Q2O_TOPIC_QUOTE_COMMANDS, 1), 1, "no second attach");
    cr_assert_eq(read_attached(&h, at, 4), 1);

    cr_assert_eq(hx_stop(&doc), Q2O_OK);
    cr_assert_eq(hx_stop(&quote), Q2O_OK);
    fx_release(&f);
    hx_fini(&h);
}

Test(worker_document, a_changed_and_reapproved_quote_gets_a_different_document)
{
    hx h;
    hx_worker quote, doc;
    fx f;
    char dir[512], path[1024], hex[Q2O_SHA256_HEX_LEN];
    attached at[4];
    hx_init(&h, 1);
    hx_fx_init(&f);
    hx_quote_start(&h, &quote, "quote-d", NULL);
    hx_document_start(&h, &doc, "doc-2");
    snprintf(dir, sizeof dir, "%s", q2o_document_worker_dir(doc.dw));
    hx_wait_ready(&quote, 20000);
    hx_wait_ready(&doc, 20000);

    approve_rev1(&h, &f);
    want_attached w = {&h, 1};
    hx_wait(has_attached, &w, 30000, "the document of revision 1");
    approve_rev2(&h, &f);
    w.n = 2;
    hx_wait(has_attached, &w, 30000, "the document of revision 2");

    cr_assert_eq(read_attached(&h, at, 4), 2);
    cr_assert_eq(at[1].revision, 2);
    cr_assert_str_eq(at[1].document_id, "DOC-Q-D-R2");
    cr_assert_arr_neq(at[0].hash, at[1].hash, Q2O_SHA256_LEN, "another snapshot, another document");
    cr_assert_eq(list_files(dir, ".pdf", NULL, 0), 2);
    for (int i = 0; i < 2; i++) {
        uint8_t file_hash[Q2O_SHA256_LEN];
        snprintf(path, sizeof path, "%s/%s.pdf", dir, q2o_hex(at[i].hash, Q2O_SHA256_LEN, hex));
        sha256_file(path, file_hash);
        cr_assert_arr_eq(file_hash, at[i].hash, Q2O_SHA256_LEN);
    }
    snprintf(path, sizeof path, "%s/%s.pdf", dir, q2o_hex(at[1].hash, Q2O_SHA256_LEN, hex));
    assert_pdftotext_shows(path, "Revision 2");
    cr_assert_eq(count_messages(&h, Q2O_TOPIC_QUOTE_COMMANDS, 1), 2);

    cr_assert_eq(hx_stop(&doc), Q2O_OK);
    cr_assert_eq(hx_stop(&quote), Q2O_OK);
    fx_release(&f);
    hx_fini(&h);
}
