/*
 * q2o_confirmation_render: the retail quote confirmation as a MIME
 * multipart/alternative message (see document/confirmation.h). Both bodies
 * are built as UTF-8 with "\n" line ends, then quoted-printable encoded into
 * the message with CRLF.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/confirmation.h"
#include "mime.h"

typedef struct cf_ctx {
    const q2o_quote *q;
    const q2o_revision *rev;
    const q2o_branding *brand;
    const q2o_confirmation_opts *opts;
    q2o_currency cur;
    const uint32_t *order;      /* display order of q->lines */
    unsigned char *shown;       /* per display position: 1 = listed */
    uint32_t n_hidden;
    int64_t shown_net;          /* net of the listed lines (exact sum) */
} cf_ctx;

/* A UTF-8 field made safe for any part: valid UTF-8, no controls. */
static void clean(q2o_doc_buf *b, const char *s)
{
    q2o_doc_buf_put_utf8(b, s);
}

static const q2o_line *line_at(const cf_ctx *c, uint32_t i)
{
    return &c->q->lines[c->order[i]];
}

/* Ask the predicate once per line, in display order; sum what stays. */
static void select_lines(cf_ctx *c)
{
    for (uint32_t i = 0; i < c->q->n_lines; i++) {
        const q2o_line *l = line_at(c, i);
        int hide = c->opts->exclude_sold_out && c->opts->is_sold_out(c->opts->sold_out_ctx, l) != 0;
        c->shown[i] = (unsigned char)!hide;
        if (hide)
            c->n_hidden++;
        else
            c->shown_net += l->price.net_total; /* |net| <= Q2O_MAX_AMOUNT, <= 1000 lines */
    }
}

static void money(const cf_ctx *c, int64_t v, char *buf, size_t size)
{
    q2o_doc_amount(v, &c->cur, 1, buf, size);
}

/* ------------------------------------------------------------- headers */

static void message_id(const cf_ctx *c, char hex[Q2O_SHA256_HEX_LEN])
{
    q2o_sha256 h;
    uint8_t d[Q2O_SHA256_LEN];
    q2o_sha256_init(&h);
    q2o_sha256_update_str(&h, "q2o.confirmation");
    q2o_sha256_update_str(&h, c->q->quote_id);
    q2o_sha256_update_i64(&h, c->rev->number);
    q2o_sha256_final(&h, d);
    q2o_hex(d, Q2O_SHA256_LEN, hex);
}

static void headers(const cf_ctx *c, q2o_doc_buf *m, const char *boundary, const char *id_hex)
{
    q2o_doc_buf t;
    char date[40], fp[Q2O_SHA256_HEX_LEN];
    q2o_doc_buf_init(&t);
    clean(&t, c->brand->seller_name); /* not empty: checked */
    if (!t.oom)
        q2o_mime_put_mailbox(m, "From", t.p, c->opts->from_address);
    q2o_mime_put_mailbox(m, "To", "", c->q->header.contacts[0]);
    m->oom |= t.oom;
    q2o_doc_buf_release(&t);
    q2o_doc_buf_puts(&t, "Your quote ");
    clean(&t, c->q->header.quote_number);
    q2o_doc_buf_printf(&t, ", revision %" PRId32, c->rev->number);
    if (!t.oom)
        q2o_mime_put_unstructured(m, "Subject", t.p);
    m->oom |= t.oom;
    q2o_doc_buf_release(&t);
    q2o_doc_buf_printf(m, "Date: %s\r\n", q2o_mime_date(c->opts->date, date, sizeof date));
    q2o_doc_buf_printf(m, "Message-ID: <q2o.%.32s@%s>\r\n", id_hex, strchr(c->opts->from_address, '@') + 1);
    q2o_doc_buf_printf(m, "X-Q2O-Snapshot:\r\n %s\r\n", q2o_hex(c->rev->approval_fp, Q2O_SHA256_LEN, fp));
    q2o_doc_buf_puts(m, "MIME-Version: 1.0\r\n");
    q2o_doc_buf_printf(m, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", boundary);
}

/* ---------------------------------------------------------- plain text */

static void plain_lines(const cf_ctx *c, q2o_doc_buf *t)
{
    char net[48];
    for (uint32_t i = 0; i < c->q->n_lines; i++) {
        const q2o_line *l = line_at(c, i);
        if (!c->shown[i])
            continue;
        q2o_doc_buf_printf(t, "%" PRId32 ". ", l->line_number);
        clean(t, l->display_name[0] ? l->display_name : l->offering_id);
        q2o_doc_buf_printf(t, "\n   Quantity %" PRId64 " ", l->quantity);
        clean(t, l->uom);
        money(c, l->price.net_total, net, sizeof net);
        q2o_doc_buf_printf(t, ", net %s\n", net);
    }
}

static void plain_total(const cf_ctx *c, q2o_doc_buf *t, const char *label, int64_t v)
{
    char a[48];
    money(c, v, a, sizeof a);
    q2o_doc_buf_printf(t, "%s: %s\n", label, a);
}

static void plain_totals(const cf_ctx *c, q2o_doc_buf *t)
{
    const q2o_revision *r = c->rev;
    q2o_doc_buf_puts(t, "\nEstimated totals\n");
    plain_total(c, t, "Net", r->net_total);
    plain_total(c, t, "Freight", r->freight);
    plain_total(c, t, "Estimated tax", r->tax);
    plain_total(c, t, "Grand total", r->grand_total);
    if (!c->opts->exclude_sold_out)
        return;
    q2o_doc_buf_printf(t, "\nSold-out lines are not shown: %" PRIu32 " of %" PRIu32 " lines left out.\n",
                       c->n_hidden, c->q->n_lines);
    if (c->n_hidden) {
        plain_total(c, t, "Net of the lines shown", c->shown_net);
        q2o_doc_buf_puts(t, "The estimated totals above are those of the quote as priced and still "
                            "include the lines left out.\n");
    }
}

static void plain_body(const cf_ctx *c, q2o_doc_buf *t)
{
    char d[16];
    q2o_doc_buf_puts(t, "Your quote ");
    clean(t, c->q->header.quote_number);
    q2o_doc_buf_printf(t, ", revision %" PRId32 "\n", c->rev->number);
    clean(t, c->brand->seller_name);
    q2o_doc_buf_puts(t, "\n");
    clean(t, c->brand->address_line);
    q2o_doc_buf_printf(t, "\n\nValid until %s. Payment terms ", q2o_doc_date(c->rev->terms.valid_until, d, sizeof d));
    clean(t, c->rev->terms.payment_terms);
    q2o_doc_buf_puts(t, ".\n\n");
    plain_lines(c, t);
    plain_totals(c, t);
    q2o_doc_buf_puts(t, "\n");
    clean(t, c->brand->footer_text);
    q2o_doc_buf_puts(t, "\n");
}

/* ---------------------------------------------------------------- HTML */

/* HTML-escaped, cleaned UTF-8. */
static void html(q2o_doc_buf *h, const char *s)
{
    q2o_doc_buf t;
    q2o_doc_buf_init(&t);
    clean(&t, s);
    if (t.p)
        q2o_mime_put_html(h, t.p);
    h->oom |= t.oom;
    q2o_doc_buf_release(&t);
}

static void html_options(q2o_doc_buf *h, const q2o_line *l)
{
    if (l->n_options == 0)
        return;
    q2o_doc_buf_puts(h, "<br><small>");
    for (uint32_t k = 0; k < l->n_options; k++) {
        q2o_doc_buf_puts(h, k ? "; " : "");
        html(h, l->options[k].name);
        q2o_doc_buf_puts(h, "=");
        html(h, l->options[k].value);
    }
    q2o_doc_buf_puts(h, "</small>");
}

static void html_lines(const cf_ctx *c, q2o_doc_buf *h)
{
    char net[48];
    q2o_doc_buf_puts(h, "<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n"
                        "<thead><tr><th align=\"left\">Item</th><th align=\"right\">Quantity</th>"
                        "<th align=\"right\">Net</th></tr></thead>\n<tbody>\n");
    for (uint32_t i = 0; i < c->q->n_lines; i++) {
        const q2o_line *l = line_at(c, i);
        if (!c->shown[i])
            continue;
        q2o_doc_buf_puts(h, "<tr><td>");
        html(h, l->display_name[0] ? l->display_name : l->offering_id);
        html_options(h, l);
        q2o_doc_buf_printf(h, "</td><td align=\"right\">%" PRId64 " ", l->quantity);
        html(h, l->uom);
        money(c, l->price.net_total, net, sizeof net);
        q2o_doc_buf_printf(h, "</td><td align=\"right\">%s</td></tr>\n", net);
    }
    q2o_doc_buf_puts(h, "</tbody>\n</table>\n");
}

static void html_total(const cf_ctx *c, q2o_doc_buf *h, const char *label, int64_t v, int strong)
{
    char a[48];
    money(c, v, a, sizeof a);
    q2o_doc_buf_printf(h, "<tr><td>%s%s%s</td><td align=\"right\">%s%s%s</td></tr>\n", strong ? "<strong>" : "",
                       label, strong ? "</strong>" : "", strong ? "<strong>" : "", a, strong ? "</strong>" : "");
}

static void html_totals(const cf_ctx *c, q2o_doc_buf *h)
{
    const q2o_revision *r = c->rev;
    q2o_doc_buf_puts(h, "<h2 style=\"font-size:15px\">Estimated totals</h2>\n<table cellpadding=\"4\">\n");
    html_total(c, h, "Net", r->net_total, 0);
    html_total(c, h, "Freight", r->freight, 0);
    html_total(c, h, "Estimated tax", r->tax, 0);
    html_total(c, h, "Grand total", r->grand_total, 1);
    if (c->opts->exclude_sold_out && c->n_hidden)
        html_total(c, h, "Net of the lines shown", c->shown_net, 0);
    q2o_doc_buf_puts(h, "</table>\n");
    if (!c->opts->exclude_sold_out)
        return;
    q2o_doc_buf_printf(h, "<p class=\"sold-out-note\">Sold-out lines are not shown: %" PRIu32 " of %" PRIu32
                          " lines left out.%s</p>\n",
                       c->n_hidden, c->q->n_lines,
                       c->n_hidden ? " The estimated totals are those of the quote as priced and still "
                                     "include the lines left out." : "");
}

static void html_head(const cf_ctx *c, q2o_doc_buf *h)
{
    const uint8_t *rgb = c->brand->accent_rgb;
    unsigned luma = (299u * rgb[0] + 587u * rgb[1] + 114u * rgb[2]) / 1000u;
    q2o_doc_buf_puts(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Quote ");
    html(h, c->q->header.quote_number);
    q2o_doc_buf_printf(h, "</title>\n</head>\n<body style=\"font-family:Helvetica,Arial,sans-serif;color:#222\">\n"
                          "<div style=\"background:#%02x%02x%02x;color:%s;padding:12px\"><strong>",
                       rgb[0], rgb[1], rgb[2], luma > 150 ? "#000" : "#fff");
    html(h, c->brand->seller_name);
    q2o_doc_buf_puts(h, "</strong><br>");
    html(h, c->brand->address_line);
    q2o_doc_buf_puts(h, "</div>\n<h1 style=\"font-size:18px\">Your quote ");
    html(h, c->q->header.quote_number);
    q2o_doc_buf_printf(h, ", revision %" PRId32 "</h1>\n", c->rev->number);
}

static void html_body(const cf_ctx *c, q2o_doc_buf *h)
{
    char d[16];
    html_head(c, h);
    q2o_doc_buf_printf(h, "<p>Valid until %s. Payment terms ", q2o_doc_date(c->rev->terms.valid_until, d, sizeof d));
    html(h, c->rev->terms.payment_terms);
    q2o_doc_buf_puts(h, ".</p>\n");
    html_lines(c, h);
    html_totals(c, h);
    q2o_doc_buf_puts(h, "<p style=\"font-size:11px;color:#666\">");
    html(h, c->brand->footer_text);
    q2o_doc_buf_puts(h, "</p>\n</body>\n</html>\n");
}

/* ------------------------------------------------------------- message */

static void part(q2o_doc_buf *m, const char *boundary, const char *type, const q2o_doc_buf *body)
{
    q2o_doc_buf_printf(m, "--%s\r\nContent-Type: %s; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, type);
    if (body->p)
        q2o_mime_put_qp(m, body->p, body->len);
    m->oom |= body->oom;
}

static void message(const cf_ctx *c, q2o_doc_buf *m)
{
    char id_hex[Q2O_SHA256_HEX_LEN], boundary[48];
    q2o_doc_buf plain, htm;
    message_id(c, id_hex);
    /* "=_" never occurs in quoted-printable text, so the bodies cannot
     * contain the boundary. */
    snprintf(boundary, sizeof boundary, "=_q2o_alt_%.24s", id_hex + 32);
    headers(c, m, boundary, id_hex);
    q2o_doc_buf_puts(m, "This is a multi-part message in MIME format.\r\n\r\n");
    q2o_doc_buf_init(&plain);
    q2o_doc_buf_init(&htm);
    plain_body(c, &plain);
    html_body(c, &htm);
    part(m, boundary, "text/plain", &plain);
    q2o_doc_buf_puts(m, "\r\n");
    part(m, boundary, "text/html", &htm);
    q2o_doc_buf_printf(m, "\r\n--%s--\r\n", boundary);
    q2o_doc_buf_release(&plain);
    q2o_doc_buf_release(&htm);
}

static q2o_err check_args(const q2o_quote *q, const q2o_branding *b, const q2o_confirmation_opts *o,
                          const q2o_document *out)
{
    if (!q || !o || !out || (o->exclude_sold_out && !o->is_sold_out))
        return Q2O_INVALID_ARGUMENT;
    q2o_err e = q2o_doc_check_branding(b);
    if (e != Q2O_OK)
        return e;
    return q2o_mime_addr_ok(o->from_address) ? Q2O_OK : Q2O_FIELD_INVALID;
}

static q2o_err check_recipient(const q2o_quote *q)
{
    if (q->header.n_contacts == 0 || !q->header.contacts[0][0])
        return Q2O_QUOTE_RECIPIENT_NOT_AUTHORIZED;
    return q2o_mime_addr_ok(q->header.contacts[0]) ? Q2O_OK : Q2O_FIELD_INVALID;
}

q2o_err q2o_confirmation_render(const q2o_quote *q, int32_t revision, const q2o_branding *branding,
                                const q2o_confirmation_opts *opts, q2o_document *out)
{
    cf_ctx c;
    q2o_doc_buf m;
    if (out)
        memset(out, 0, sizeof *out);
    q2o_err e = check_args(q, branding, opts, out);
    if (e != Q2O_OK)
        return e;
    memset(&c, 0, sizeof c);
    if ((e = q2o_doc_check_snapshot(q, revision, &c.rev, &c.cur)) != Q2O_OK || (e = check_recipient(q)) != Q2O_OK)
        return e;
    c.q = q;
    c.brand = branding;
    c.opts = opts;
    uint32_t *order = q2o_doc_line_order(q);
    c.shown = calloc(q->n_lines, 1);
    if (!order || !c.shown) {
        e = Q2O_NO_MEMORY;
        goto out_free;
    }
    c.order = order;
    select_lines(&c);
    q2o_doc_buf_init(&m);
    message(&c, &m);
    if ((e = q2o_doc_buf_finish(&m, out)) == Q2O_OK)
        memcpy(out->snapshot_fp, c.rev->approval_fp, Q2O_SHA256_LEN);
out_free:
    free(c.shown);
    free(order);
    return e;
}
