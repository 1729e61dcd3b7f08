/*
 * The proposal PDF (document/proposal.h): read back with poppler's
 * pdftotext and pdfinfo, rendered twice for determinism, refused for
 * revisions it cannot render.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/proposal.h"
#include "document_quote.h"
#include "testutil.h"

static dq d;
static char dir[256];
static void setup(void) { q2o_test_tmpdir("doc", dir, sizeof dir); }
static void teardown(void)
{
    dq_release(&d);
    if (!getenv("Q2O_KEEP_TEST_FILES"))
        q2o_test_rmtree(dir);
}
TestSuite(proposal, .init = setup, .fini = teardown);

#define TEMPLATE "proposal-v1"

static q2o_document render_ok(void)
{
    q2o_branding b = dq_branding();
    q2o_document doc;
    const q2o_quote *q = dq_quote(&d);
    q2o_err e = q2o_proposal_render(q, q2o_quote_current(q)->number, &b, TEMPLATE, &doc);
    cr_assert_eq(e, Q2O_OK, "render: %s", q2o_err_name(e));
    return doc;
}

/* pdftotext of the document as UTF-8 (heap). */
static char *text_of(const q2o_document *doc, const char *name)
{
    char path[512], cmd[700];
    int st;
    dq_write(dir, name, doc, path, sizeof path);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", path);
    char *text = dq_run(cmd, &st);
    cr_assert_eq(st, 0, "pdftotext failed: %s", text);
    return text;
}

static int pdfinfo_pages(const q2o_document *doc)
{
    char path[512], cmd[700];
    int st, pages = -1;
    dq_write(dir, "info.pdf", doc, path, sizeof path);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    char *out = dq_run(cmd, &st);
    cr_assert_eq(st, 0, "pdfinfo failed: %s", out);
    const char *p = strstr(out, "Pages:");
    cr_assert_not_null(p, "no Pages in %s", out);
    pages = atoi(p + 6);
    free(out);
    return pages;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(proposal, is_a_pdf_from_header_to_eof)
{
    dq_build(&d, 3, 10, NULL);
    q2o_document doc = render_ok();
    cr_assert_gt(doc.len, 100);
    cr_assert_eq(memcmp(doc.bytes, "%PDF-", 5), 0);
    size_t end = doc.len;
    while (end > 0 && (doc.bytes[end - 1] == '\n' || doc.bytes[end - 1] == '\r'))
        end--;
    cr_assert_geq(end, 5);
    cr_assert_eq(memcmp(doc.bytes + end - 5, "%%EOF", 5), 0, "the file does not end in %%%%EOF");
    uint8_t h[Q2O_SHA256_LEN];
    q2o_sha256_digest(doc.bytes, doc.len, h);
    cr_assert_eq(memcmp(h, doc.sha256, sizeof h), 0, "sha256 is not the hash of the bytes");
    cr_assert_eq(memcmp(doc.snapshot_fp, q2o_quote_current(dq_quote(&d))->approval_fp, 32), 0);
    q2o_document_release(&doc);
    cr_assert_null(doc.bytes);
}

Test(proposal, text_shows_quote_number_lines_options_and_totals)
{
    dq_build(&d, 4, 10, NULL);
    const q2o_revision *r = q2o_quote_current(dq_quote(&d));
    q2o_document doc = render_ok();
    char *text = text_of(&doc, "p.pdf");
    char want[128], hex[Q2O_SHA256_HEX_LEN];
    cr_assert(dq_contains_words(text, "Proposal Q-1000"), "%s", text);
    for (unsigned i = 0; i < 4; i++)
        cr_assert(dq_contains_words(text, d.names[i]), "missing %s in:\n%s", d.names[i], text);
    cr_assert(dq_contains_words(text, "finish=walnut; size=S1"), "%s", text);
    dq_usd(r->grand_total, want, sizeof want);
    cr_assert(dq_contains_words(text, want), "grand total %s missing:\n%s", want, text);
    dq_usd(r->tax, want, sizeof want);
    cr_assert(dq_contains_words(text, want), "tax %s missing", want);
    cr_assert(r->grand_total == r->net_total + r->freight + r->tax);
    snprintf(want, sizeof want, "Generated from snapshot %s", q2o_hex(r->approval_fp, 32, hex));
    cr_assert(dq_contains_words(text, want), "%s missing", want);
    cr_assert(dq_contains_words(text, TEMPLATE));
    cr_assert(dq_contains_words(text, "Northwind Software GmbH"));
    free(text);
    q2o_document_release(&doc);
}

Test(proposal, same_snapshot_gives_same_bytes_and_hash)
{
    dq_build(&d, 12, 5, NULL);
    q2o_document a = render_ok();
    q2o_quote *copy = q2o_quote_new();
    q2o_quote_copy(copy, dq_quote(&d));
    q2o_branding b = dq_branding();
    q2o_document c;
    cr_assert_eq(q2o_proposal_render(copy, q2o_quote_current(copy)->number, &b, TEMPLATE, &c), Q2O_OK);
    cr_assert_eq(a.len, c.len);
    cr_assert_eq(memcmp(a.bytes, c.bytes, a.len), 0, "same snapshot, different bytes");
    cr_assert_eq(memcmp(a.sha256, c.sha256, 32), 0);
    q2o_quote_free(copy);
    q2o_document_release(&a);
    q2o_document_release(&c);
}

Test(proposal, changed_quantity_changes_the_hash)
{
    dq_build(&d, 5, 10, NULL);
    q2o_document before = render_ok();
    dq_change_qty(&d, "L3", 99);
    q2o_document after = render_ok();
    cr_assert_neq(memcmp(before.sha256, after.sha256, 32), 0, "a changed snapshot kept its hash");
    cr_assert_neq(memcmp(before.snapshot_fp, after.snapshot_fp, 32), 0);
    q2o_document_release(&before);
    q2o_document_release(&after);
}

Test(proposal, other_branding_or_template_changes_the_hash)
{
    dq_build(&d, 2, 10, NULL);
    q2o_document a = render_ok();
    q2o_branding b = dq_branding();
    b.accent_rgb[0] ^= 0x40;
    q2o_document c;
    cr_assert_eq(q2o_proposal_render(dq_quote(&d), 1, &b, TEMPLATE, &c), Q2O_OK);
    cr_assert_neq(memcmp(a.sha256, c.sha256, 32), 0);
    q2o_document_release(&c);
    b = dq_branding();
    cr_assert_eq(q2o_proposal_render(dq_quote(&d), 1, &b, "proposal-v2", &c), Q2O_OK);
    cr_assert_neq(memcmp(a.sha256, c.sha256, 32), 0);
    q2o_document_release(&c);
    q2o_document_release(&a);
}

Test(proposal, sixty_lines_paginate_with_the_table_head_on_every_page, .timeout = 60)
{
    dq_build(&d, 60, 1, NULL);
    q2o_document doc = render_ok();
    int pages = pdfinfo_pages(&doc);
    cr_assert_gt(pages, 1, "60 lines on %d page(s)", pages);
    cr_assert_eq((int)doc.pages, pages, "reported %u pages, pdfinfo says %d", doc.pages, pages);
    char *text = text_of(&doc, "sixty.pdf");
    for (unsigned i = 0; i < 60; i++)
        cr_assert(dq_contains_words(text, d.names[i]), "line %u (%s) missing", i + 1, d.names[i]);
    char want[64];
    snprintf(want, sizeof want, "of %d", pages);
    cr_assert_eq(count(text, want), (size_t)pages, "page footers");
    /* "Recurring" is only a column head; the table continues on every page
     * but the summary may stand alone on the last one. */
    size_t heads = count(text, "Recurring");
    cr_assert(heads == (size_t)pages || heads + 1 == (size_t)pages, "%zu table heads on %d pages", heads, pages);
    cr_assert(dq_contains_words(text, "Grand total"));
    free(text);
    q2o_document_release(&doc);
}

/* The PDF as a C string (NULs as spaces), for looking at its objects. */
static char *raw(const q2o_document *doc)
{
    char *s = malloc(doc->len + 1);
    cr_assert_not_null(s);
    memcpy(s, doc->bytes, doc->len);
    s[doc->len] = '\0';
    for (size_t i = 0; i < doc->len; i++)
        if (!s[i])
            s[i] = ' ';
    return s;
}

Test(proposal, dates_come_from_the_snapshot_and_there_is_no_random_id)
{
    dq_build(&d, 1, 10, NULL);
    q2o_revision *r = &d.f.q->revisions[0];
    r->priced_at = FX_T0 + 1234; /* 2026-07-02T10:00:01.234Z */
    q2o_document doc = render_ok();
    char *s = raw(&doc);
    cr_assert_not_null(strstr(s, "/CreationDate (D:20260702100001Z"), "creation date not from priced_at");
    cr_assert_not_null(strstr(s, "/ModDate (D:20260702100001Z"));
    cr_assert_null(strstr(s, "/ID"), "the trailer carries an /ID");
    cr_assert_null(strstr(s, "Haru"), "libharu's producer string leaks the library version");
    free(s);
    q2o_document_release(&doc);
    r->priced_at = 0; /* not set: a fixed epoch, still no clock */
    doc = render_ok();
    s = raw(&doc);
    cr_assert_not_null(strstr(s, "/CreationDate (D:19700101000000Z"));
    free(s);
    q2o_document_release(&doc);
}

Test(proposal, latin1_text_survives_and_other_characters_become_question_marks)
{
    dq_build(&d, 2, 10, "Caf\xc3\xa9 M\xc3\xb6" "bel \xe2\x80\x93 Gr\xc3\xb6\xc3\x9f" "e L \xe6\x9d\xb1 \xff end");
    q2o_document doc = render_ok();
    char *text = text_of(&doc, "latin.pdf");
    /* é ö – ß print as themselves; the CJK character and the stray byte as '?'. */
    cr_assert(dq_contains_words(text, "Caf\xc3\xa9 M\xc3\xb6" "bel \xe2\x80\x93 Gr\xc3\xb6\xc3\x9f" "e L ? ? end"),
              "%s", text);
    free(text);
    q2o_document_release(&doc);
}

Test(proposal, long_options_wrap_inside_their_column)
{
    dq_build(&d, 1, 10, NULL);
    q2o_line *l = &d.f.q->lines[0];
    l->n_options = Q2O_MAX_LINE_OPTIONS;
    for (unsigned i = 0; i < Q2O_MAX_LINE_OPTIONS; i++) {
        snprintf(l->options[i].name, sizeof l->options[i].name, "option_name_%02u", i);
        snprintf(l->options[i].value, sizeof l->options[i].value, "a_rather_long_value_number_%02u", i);
    }
    q2o_document doc = render_ok();
    char *text = text_of(&doc, "options.pdf");
    cr_assert(strstr(text, "option_name_00") != NULL, "%s", text);
    cr_assert(dq_contains_words(text, "Widget model 01"));
    free(text);
    q2o_document_release(&doc);
}

Test(proposal, refuses_what_it_cannot_render)
{
    q2o_branding b = dq_branding();
    static uint8_t junk[1];
    q2o_document doc = {junk, 1, {0}, {0}, 0};
    fx_init(&d.f);
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, &b, TEMPLATE, &doc), Q2O_QUOTE_NOT_FOUND);
    cr_assert_null(doc.bytes, "an error leaves the output empty");
    doc.bytes = junk;
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, &b, "", &doc), Q2O_INVALID_ARGUMENT);
    cr_assert_null(doc.bytes, "an argument error leaves the output empty");
    fx_release(&d.f);
    fx_init(&d.f);
    fx_to_status(&d.f, Q2O_ST_DRAFT);
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, &b, TEMPLATE, &doc), Q2O_QUOTE_PRICE_STALE);
    cr_assert_null(doc.bytes, "an error leaves the output empty");
    cr_assert_eq(q2o_proposal_render(d.f.q, 7, &b, TEMPLATE, &doc), Q2O_QUOTE_REVISION_NOT_FOUND);
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, &b, "", &doc), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, NULL, TEMPLATE, &doc), Q2O_INVALID_ARGUMENT);
    b.seller_name = "";
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, &b, TEMPLATE, &doc), Q2O_INVALID_ARGUMENT);
    fx_release(&d.f);
    fx_init(&d.f);
    fx_to_status(&d.f, Q2O_ST_SUPERSEDED); /* revision 2 current, lines are its own */
    b = dq_branding();
    cr_assert_eq(q2o_proposal_render(d.f.q, 1, &b, TEMPLATE, &doc), Q2O_QUOTE_ALREADY_SUPERSEDED);
    /* d is released by the teardown: keep it valid */
}

typedef struct job {
    const q2o_quote *q;
    uint8_t sha[Q2O_SHA256_LEN];
    q2o_err err;
} job;

static void *render_job(void *arg)
{
    job *j = arg;
    q2o_branding b = dq_branding();
    for (int i = 0; i < 5; i++) {
        q2o_document doc;
        j->err = q2o_proposal_render(j->q, 1, &b, TEMPLATE, &doc);
        if (j->err)
            return NULL;
        memcpy(j->sha, doc.sha256, sizeof j->sha);
        q2o_document_release(&doc);
    }
    return NULL;
}

Test(proposal, threads_rendering_the_same_quote_agree, .timeout = 60)
{
    dq_build(&d, 20, 3, NULL);
    job jobs[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].q = dq_quote(&d);
        cr_assert_eq(pthread_create(&t[i], NULL, render_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(jobs[i].err, Q2O_OK);
        cr_assert_eq(memcmp(jobs[i].sha, jobs[0].sha, 32), 0, "thread %d rendered other bytes", i);
    }
}
