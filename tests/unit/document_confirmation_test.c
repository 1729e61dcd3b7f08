/*
 * The confirmation e-mail (document/confirmation.h), read back with
 * Python's email package (tests/python/eml_check.py): a standard MIME
 * multipart/alternative message, and sold-out lines left out on request.
 */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "document/confirmation.h"
#include "document_quote.h"
#include "testutil.h"

static dq d;
static char dir[256];
static void setup(void) { q2o_test_tmpdir("eml", dir, sizeof dir); }
static void teardown(void)
{
    dq_release(&d);
    if (!getenv("Q2O_KEEP_TEST_FILES"))
        q2o_test_rmtree(dir);
}
TestSuite(confirmation, .init = setup, .fini = teardown);

#define FROM "quotes@northwind.example"

/* Sold out: the line ids listed in ctx (a NULL-terminated array). */
static int listed_sold_out(void *ctx, const q2o_line *line)
{
    for (const char *const *id = ctx; *id; id++)
        if (strcmp(*id, line->line_id) == 0)
            return 1;
    return 0;
}

static const char *const sold_out_l2[] = {"L2", NULL};

static q2o_confirmation_opts opts_for(int exclude)
{
    q2o_confirmation_opts o = {FROM, FX_T0, exclude, listed_sold_out, (void *)(uintptr_t)sold_out_l2};
    return o;
}

static q2o_document render_ok(const q2o_branding *b, const q2o_confirmation_opts *o)
{
    q2o_document doc;
    const q2o_quote *q = dq_quote(&d);
    q2o_err e = q2o_confirmation_render(q, q2o_quote_current(q)->number, b, o, &doc);
    cr_assert_eq(e, Q2O_OK, "render: %s", q2o_err_name(e));
    return doc;
}

/* Run eml_check.py on the document with extra arguments (NULL-terminated);
 * returns its exit status, its stderr in err. No shell: arguments pass as
 * they are, quotes and all. */
static int eml_check(const q2o_document *doc, const char *const *args, char *err, size_t size)
{
    char path[512], errpath[512];
    const char *argv[64] = {"python3", Q2O_SOURCE_DIR "/tests/python/eml_check.py", path};
    size_t n = 3;
    dq_write(dir, "confirmation.eml", doc, path, sizeof path);
    snprintf(errpath, sizeof errpath, "%s/check.err", dir);
    for (; args && *args && n < 63; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, 2) < 0)
            _exit(126);
        execvp(argv[0], (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    FILE *f = fopen(errpath, "r");
    size_t got = f ? fread(err, 1, size - 1, f) : 0;
    err[got] = '\0';
    if (f)
        fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define CHECK_OK(doc, ...) \
    do { \
        char err_[4096]; \
        const char *const args_[] = {__VA_ARGS__, NULL}; \
        cr_assert_eq(eml_check((doc), args_, err_, sizeof err_), 0, "%s", err_); \
    } while (0)

Test(confirmation, is_multipart_alternative_listing_every_line_and_the_totals)
{
    dq_build(&d, 3, 10, NULL);
    const q2o_revision *r = q2o_quote_current(dq_quote(&d));
    q2o_branding b = dq_branding();
    q2o_confirmation_opts o = opts_for(0);
    q2o_document doc = render_ok(&b, &o);
    char total[64], net1[64];
    dq_usd(r->grand_total, total, sizeof total);
    dq_usd(dq_quote(&d)->lines[0].price.net_total, net1, sizeof net1);
    CHECK_OK(&doc, "--max-line", "78", "--html-has", d.names[0], "--html-has", d.names[1], "--html-has", d.names[2],
             "--text-has", d.names[2], "--html-has", total, "--text-has", total, "--html-has", net1,
             "--html-has", "Estimated totals", "--html-lacks", "Sold-out", "--header", "To=alice@acme.example",
             "--header", "Subject=Your quote Q-1000, revision 1", "--header",
             "Date=Thu, 02 Jul 2026 10:00:00 +0000", "--from-name", "Northwind Software GmbH", "--from-addr", FROM);
    cr_assert_eq(doc.pages, 0);
    cr_assert_eq(memcmp(doc.snapshot_fp, r->approval_fp, 32), 0);
    q2o_document_release(&doc);
}

Test(confirmation, the_checker_can_fail)
{
    dq_build(&d, 2, 10, NULL);
    q2o_branding b = dq_branding();
    q2o_confirmation_opts o = opts_for(0);
    q2o_document doc = render_ok(&b, &o);
    char err[4096];
    const char *const missing[] = {"--html-has", "Widget model 99", NULL};
    cr_assert_eq(eml_check(&doc, missing, err, sizeof err), 1);
    cr_assert_not_null(strstr(err, "Widget model 99"), "%s", err);
    const char *const present[] = {"--html-lacks", d.names[1], NULL};
    cr_assert_eq(eml_check(&doc, present, err, sizeof err), 1);
    /* A body line with a bare LF is caught. */
    doc.bytes[doc.len - 2] = '\n';
    cr_assert_eq(eml_check(&doc, NULL, err, sizeof err), 1);
    q2o_document_release(&doc);
}

Test(confirmation, sold_out_lines_are_left_out_only_when_asked)
{
    dq_build(&d, 3, 10, NULL);
    q2o_branding b = dq_branding();
    q2o_confirmation_opts o = opts_for(1);
    q2o_document doc = render_ok(&b, &o);
    const q2o_line *l1 = q2o_quote_line(dq_quote(&d), "L1"), *l3 = q2o_quote_line(dq_quote(&d), "L3");
    char shown[64];
    dq_usd(l1->price.net_total + l3->price.net_total, shown, sizeof shown);
    CHECK_OK(&doc, "--html-has", d.names[0], "--html-lacks", d.names[1], "--html-has", d.names[2], "--text-lacks",
             d.names[1], "--html-has", "Sold-out lines are not shown: 1 of 3 lines left out.", "--text-has",
             "Sold-out lines are not shown", "--html-has", shown);
    q2o_document_release(&doc);

    o = opts_for(0); /* the same predicate, but the flag is off */
    doc = render_ok(&b, &o);
    CHECK_OK(&doc, "--html-has", d.names[1], "--html-lacks", "Sold-out lines are not shown", "--text-has",
             d.names[1]);
    q2o_document_release(&doc);
}

Test(confirmation, same_input_same_bytes_and_a_stable_message_id)
{
    dq_build(&d, 4, 10, NULL);
    q2o_branding b = dq_branding();
    q2o_confirmation_opts o = opts_for(0);
    q2o_document a = render_ok(&b, &o), c = render_ok(&b, &o);
    cr_assert_eq(a.len, c.len);
    cr_assert_eq(memcmp(a.bytes, c.bytes, a.len), 0);
    cr_assert_eq(memcmp(a.sha256, c.sha256, 32), 0);
    o.date += 3600 * 1000; /* sent an hour later: another Date, the same Message-ID */
    q2o_document later = render_ok(&b, &o);
    cr_assert_neq(memcmp(a.sha256, later.sha256, 32), 0);
    const char *key = "Message-ID: <q2o.";
    const char *id = memmem(a.bytes, a.len, key, strlen(key));
    const char *id2 = memmem(later.bytes, later.len, key, strlen(key));
    cr_assert(id && id2);
    const char *end = memchr(id, '\r', a.len - (size_t)(id - (const char *)a.bytes));
    cr_assert_not_null(end);
    cr_assert_eq(memcmp(id, id2, (size_t)(end - id)), 0, "Message-ID changed with the Date");
    CHECK_OK(&later, "--header", "Date=Thu, 02 Jul 2026 11:00:00 +0000");
    q2o_document_release(&a);
    q2o_document_release(&c);
    q2o_document_release(&later);
}

Test(confirmation, text_is_escaped_and_non_ascii_headers_are_encoded)
{
    const char *name = "Tisch <Eiche> & \"Co\" \xe2\x80\x93 Gr\xc3\xb6\xc3\x9f" "e L";
    dq_build(&d, 2, 10, name);
    char seller[600];
    memset(seller, 0, sizeof seller);
    strcpy(seller, "M\xc3\xb6" "belhaus M\xc3\xbcller & S\xc3\xb6hne");
    for (int i = 0; i < 30; i++) /* long enough to need several encoded words */
        strcat(seller, " \xc3\xa4\xc3\xb6\xc3\xbc\xe2\x82\xac");
    q2o_branding b = dq_branding();
    b.seller_name = seller;
    q2o_confirmation_opts o = opts_for(0);
    q2o_document doc = render_ok(&b, &o);
    CHECK_OK(&doc, "--max-line", "78", "--html-has", name, "--text-has", name, "--from-name", seller);
    /* The HTML part's markup never carries the quote's text unescaped. */
    const char *key = "Content-Type: text/html";
    const uint8_t *html = memmem(doc.bytes, doc.len, key, strlen(key));
    cr_assert_not_null(html);
    size_t rest = doc.len - (size_t)(html - doc.bytes);
    cr_assert_null(memmem(html, rest, "<Eiche>", 7));
    cr_assert_not_null(memmem(html, rest, "Tisch &lt;Eiche&gt; &amp; &quot;Co&quot;", 39));
    q2o_document_release(&doc);
}

Test(confirmation, refuses_what_it_cannot_send)
{
    q2o_branding b = dq_branding();
    q2o_confirmation_opts o = opts_for(1);
    q2o_document doc;
    dq_build(&d, 1, 10, NULL);
    q2o_quote *q = d.f.q;
    o.is_sold_out = NULL;
    cr_assert_eq(q2o_confirmation_render(q, 1, &b, &o, &doc), Q2O_INVALID_ARGUMENT);
    cr_assert_null(doc.bytes);
    o = opts_for(0);
    o.from_address = "Northwind <quotes@northwind.example>";
    cr_assert_eq(q2o_confirmation_render(q, 1, &b, &o, &doc), Q2O_FIELD_INVALID);
    o.from_address = "quotes@northwind.example\r\nBcc: x@evil.example";
    cr_assert_eq(q2o_confirmation_render(q, 1, &b, &o, &doc), Q2O_FIELD_INVALID);
    o = opts_for(0);
    cr_assert_eq(q2o_confirmation_render(q, 2, &b, &o, &doc), Q2O_QUOTE_REVISION_NOT_FOUND);
    strcpy(q->header.contacts[0], "alice at acme");
    cr_assert_eq(q2o_confirmation_render(q, 1, &b, &o, &doc), Q2O_FIELD_INVALID);
    q->header.n_contacts = 0;
    cr_assert_eq(q2o_confirmation_render(q, 1, &b, &o, &doc), Q2O_QUOTE_RECIPIENT_NOT_AUTHORIZED);
    q->revisions[0].priced = 0;
    cr_assert_eq(q2o_confirmation_render(q, 1, &b, &o, &doc), Q2O_QUOTE_PRICE_STALE);
}
