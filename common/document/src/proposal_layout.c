/*
 * The proposal's layout: band and footer on every page, the header block on
 * the first, the line table across as many pages as it needs (column heads
 * repeated), then the waterfall and the snapshot fingerprints. Runs once
 * dry (counting pages) and once drawing; see proposal_internal.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "proposal_internal.h"

#define PP_BODY_BOTTOM (PP_MARGIN + PP_FOOTER_H)
#define PP_HEAD_ROW_H 14.0f
#define PP_SUMMARY_H 150.0f /* waterfall (6 rows) + fingerprint lines */
#define PP_CELL_MAX 2048    /* one cell's text in cp1252 (16 options fit) */

static const float black[3] = {0.0f, 0.0f, 0.0f};

/* The table's columns, left to right; they fill PP_CONTENT_W (515 pt). */
enum { COL_NO, COL_ITEM, COL_OPTIONS, COL_QTY, COL_LIST, COL_DISCOUNT, COL_NET, COL_RECURRING, COL__COUNT };
static const struct {
    const char *title;
    float width;
    int right;
} cols[COL__COUNT] = {
    {"#", 20, 0},     {"Item", 135, 0},    {"Options", 105, 0}, {"Qty", 45, 1},
    {"List", 52, 1},  {"Discount", 52, 1}, {"Net", 53, 1},      {"Recurring", 53, 1},
};

static float col_x(int col)
{
    float x = PP_MARGIN;
    for (int i = 0; i < col; i++)
        x += cols[i].width;
    return x;
}

/* ---------------------------------------------------------------- page */

static void draw_band(pp_ctx *c)
{
    char a[Q2O_TEXT_MAX], b[96];
    float top = PP_PAGE_H;
    pp_fill_rect(c, c->ink, 0, top - PP_BAND_H, PP_PAGE_W, PP_BAND_H);
    pp_fill_color(c, c->on_ink);
    q2o_doc_to_cp1252(c->brand->seller_name, a, sizeof a);
    pp_fit_text(c, c->bold, 14, PP_MARGIN, 300, top - 28, a, 0);
    q2o_doc_to_cp1252(c->brand->address_line, a, sizeof a);
    pp_fit_text(c, c->regular, 8, PP_MARGIN, 300, top - 42, a, 0);
    q2o_doc_to_cp1252(c->q->header.quote_number, b, sizeof b);
    snprintf(a, sizeof a, "Proposal %s", b);
    pp_fit_text(c, c->bold, 14, PP_MARGIN + 310, PP_CONTENT_W - 310, top - 28, a, 1);
    snprintf(a, sizeof a, "Revision %" PRId32, c->rev->number);
    pp_fit_text(c, c->regular, 8, PP_MARGIN + 310, PP_CONTENT_W - 310, top - 42, a, 1);
    pp_fill_color(c, black);
}

static void draw_footer(pp_ctx *c)
{
    char text[Q2O_TEXT_MAX], page[48];
    float y = PP_MARGIN + PP_FOOTER_H - 12;
    pp_hline(c, PP_MARGIN, y + 8, PP_CONTENT_W, 0.6f, 0.5f);
    q2o_doc_to_cp1252(c->brand->footer_text, text, sizeof text);
    pp_wrap_text(c, c->regular, 7, PP_MARGIN, PP_CONTENT_W - 90, y, 3, text);
    snprintf(page, sizeof page, "Page %" PRIu32 " of %" PRIu32, c->page_no, c->n_pages);
    pp_fit_text(c, c->regular, 7, PP_MARGIN + PP_CONTENT_W - 80, 80, y, page, 1);
}

/* Start a page: band, footer, cursor under the band. -1 if libharu failed. */
static int new_page(pp_ctx *c)
{
    c->page_no++;
    c->y = PP_PAGE_H - PP_BAND_H - 20;
    if (!c->draw)
        return 0;
    c->page = HPDF_AddPage(c->pdf);
    if (!c->page)
        return -1;
    HPDF_Page_SetSize(c->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    draw_band(c);
    draw_footer(c);
    return 0;
}

/* -------------------------------------------------------- header block */

static void field(pp_ctx *c, float x, float y, const char *label, const char *utf8_value)
{
    char v[Q2O_TEXT_MAX];
    q2o_doc_to_cp1252(utf8_value, v, sizeof v);
    pp_fit_text(c, c->bold, PP_BODY_SIZE, x, 75, y, label, 0);
    pp_fit_text(c, c->regular, PP_BODY_SIZE, x + 78, 170, y, v[0] ? v : "-", 0);
}

static void draw_parties(pp_ctx *c, float x, float y)
{
    const q2o_quote_header *h = &c->q->header;
    field(c, x, y, "Customer", h->customer_id);
    field(c, x, y - 12, "Legal entity", h->customer_legal_entity);
    field(c, x, y - 24, "Account", h->account_id);
    field(c, x, y - 36, "Sold to", h->sold_to);
    field(c, x, y - 48, "Bill to", h->bill_to);
    field(c, x, y - 60, "Ship to", h->ship_to);
    field(c, x, y - 72, "Contact", h->n_contacts ? h->contacts[0] : "");
    field(c, x, y - 84, "Sales owner", h->owner_id);
}

static void draw_terms(pp_ctx *c, float x, float y)
{
    const q2o_terms *t = &c->rev->terms;
    char buf[64];
    field(c, x, y, "Quote type", q2o_quote_type_name(c->q->header.quote_type));
    field(c, x, y - 12, "Currency", c->cur.code);
    field(c, x, y - 24, "Valid until", q2o_doc_date(t->valid_until, buf, sizeof buf));
    field(c, x, y - 36, "Payment terms", t->payment_terms);
    snprintf(buf, sizeof buf, "%" PRId32 " months", t->term_months);
    field(c, x, y - 48, "Term", t->term_months > 0 ? buf : "");
    field(c, x, y - 60, "Contract start", q2o_doc_date(t->contract_start, buf, sizeof buf));
    field(c, x, y - 72, "Legal terms", t->legal_terms_version);
    field(c, x, y - 84, "Priced on", q2o_doc_date(c->rev->priced_at, buf, sizeof buf));
}

static void header_block(pp_ctx *c)
{
    draw_parties(c, PP_MARGIN, c->y);
    draw_terms(c, PP_MARGIN + PP_CONTENT_W / 2, c->y);
    c->y -= 84 + 22;
}

/* --------------------------------------------------------------- table */

static void table_head(pp_ctx *c)
{
    pp_fill_rect(c, c->ink, PP_MARGIN, c->y - PP_HEAD_ROW_H, PP_CONTENT_W, PP_HEAD_ROW_H);
    pp_fill_color(c, c->on_ink);
    for (int i = 0; i < COL__COUNT; i++)
        pp_fit_text(c, c->bold, PP_BODY_SIZE, col_x(i) + PP_CELL_PAD, cols[i].width - 2 * PP_CELL_PAD,
                    c->y - 10, cols[i].title, cols[i].right);
    pp_fill_color(c, black);
    c->y -= PP_HEAD_ROW_H;
}

/* The item cell: the display name (the offering id when the catalog gave
 * none), marked with the line action unless it is a plain ADD. */
static void item_text(const q2o_line *l, char *out, size_t size)
{
    char name[Q2O_NAME_MAX + Q2O_ID_MAX];
    snprintf(name, sizeof name, "%s%s%s", l->action == Q2O_LA_ADD ? "" : q2o_line_action_name(l->action),
             l->action == Q2O_LA_ADD ? "" : ": ", l->display_name[0] ? l->display_name : l->offering_id);
    q2o_doc_to_cp1252(name, out, size);
}

static void options_text(const q2o_line *l, char *out, size_t size)
{
    char utf8[PP_CELL_MAX];
    size_t n = 0;
    utf8[0] = '\0';
    for (uint32_t i = 0; i < l->n_options && n < sizeof utf8; i++) {
        int w = snprintf(utf8 + n, sizeof utf8 - n, "%s%s=%s", i ? "; " : "", l->options[i].name,
                         l->options[i].value);
        n += w > 0 ? (size_t)w : 0;
    }
    q2o_doc_to_cp1252(utf8, out, size);
}

static float row_height(pp_ctx *c, const char *item, const char *opts)
{
    size_t s[PP_MAX_CELL_LINES], l[PP_MAX_CELL_LINES];
    int cut;
    float wi = cols[COL_ITEM].width - 2 * PP_CELL_PAD, wo = cols[COL_OPTIONS].width - 2 * PP_CELL_PAD;
    unsigned ni = pp_wrap(c->regular, PP_BODY_SIZE, item, wi, PP_MAX_CELL_LINES, s, l, &cut);
    unsigned no = pp_wrap(c->regular, PP_BODY_SIZE, opts, wo, PP_MAX_CELL_LINES, s, l, &cut);
    return (float)(ni > no ? ni : no) * PP_LEADING + 2 * PP_CELL_PAD;
}

static void cell(pp_ctx *c, int col, float baseline, const char *text)
{
    pp_fit_text(c, c->regular, PP_BODY_SIZE, col_x(col) + PP_CELL_PAD, cols[col].width - 2 * PP_CELL_PAD,
                baseline, text, cols[col].right);
}

static void amount_cell(pp_ctx *c, int col, float baseline, int64_t amount)
{
    char buf[48];
    cell(c, col, baseline, q2o_doc_amount(amount, &c->cur, 0, buf, sizeof buf));
}

static void draw_row(pp_ctx *c, const q2o_line *l, const char *item, const char *opts, float h)
{
    char buf[Q2O_CODE_MAX + 32], uom[Q2O_CODE_MAX];
    float base = c->y - PP_CELL_PAD - 7;
    snprintf(buf, sizeof buf, "%" PRId32, l->line_number);
    cell(c, COL_NO, base, buf);
    pp_wrap_text(c, c->regular, PP_BODY_SIZE, col_x(COL_ITEM) + PP_CELL_PAD,
                 cols[COL_ITEM].width - 2 * PP_CELL_PAD, base, PP_MAX_CELL_LINES, item);
    pp_wrap_text(c, c->regular, PP_BODY_SIZE, col_x(COL_OPTIONS) + PP_CELL_PAD,
                 cols[COL_OPTIONS].width - 2 * PP_CELL_PAD, base, PP_MAX_CELL_LINES, opts);
    q2o_doc_to_cp1252(l->uom, uom, sizeof uom);
    snprintf(buf, sizeof buf, "%" PRId64 "%s%s", l->quantity, uom[0] ? " " : "", uom);
    cell(c, COL_QTY, base, buf);
    amount_cell(c, COL_LIST, base, l->price.list_total);
    amount_cell(c, COL_DISCOUNT, base, l->price.discount_total);
    amount_cell(c, COL_NET, base, l->price.net_total);
    if (l->price.recurring_total)
        amount_cell(c, COL_RECURRING, base, l->price.recurring_total);
    else
        cell(c, COL_RECURRING, base, "-");
    pp_hline(c, PP_MARGIN, c->y - h, PP_CONTENT_W, 0.8f, 0.4f);
}

static int table(pp_ctx *c)
{
    char item[PP_CELL_MAX], opts[PP_CELL_MAX];
    table_head(c);
    for (uint32_t i = 0; i < c->q->n_lines; i++) {
        const q2o_line *l = &c->q->lines[c->order[i]];
        item_text(l, item, sizeof item);
        options_text(l, opts, sizeof opts);
        float h = row_height(c, item, opts);
        if (c->y - h < PP_BODY_BOTTOM) {
            if (new_page(c) != 0)
                return -1;
            table_head(c);
        }
        draw_row(c, l, item, opts, h);
        c->y -= h;
    }
    return 0;
}

/* ------------------------------------------------------------- summary */

static void waterfall_row(pp_ctx *c, float y, const char *label, int64_t amount, int negate, int bold)
{
    char buf[64];
    HPDF_Font f = bold ? c->bold : c->regular;
    float x = PP_MARGIN + PP_CONTENT_W - 250;
    pp_fit_text(c, f, 9, x, 120, y, label, 0);
    q2o_doc_amount(negate ? -amount : amount, &c->cur, 1, buf, sizeof buf);
    pp_fit_text(c, f, 9, x + 120, 130, y, buf, 1);
}

static void waterfall(pp_ctx *c)
{
    const q2o_revision *r = c->rev;
    float y = c->y - 14, x = PP_MARGIN + PP_CONTENT_W - 250;
    char note[64];
    snprintf(note, sizeof note, "All amounts in %s.", c->cur.code);
    pp_fit_text(c, c->regular, PP_BODY_SIZE, PP_MARGIN, 220, y, note, 0);
    waterfall_row(c, y, "List total", r->merchandise, 0, 0);
    waterfall_row(c, y - 13, "Total discount", r->discount_total, 1, 0);
    waterfall_row(c, y - 26, "Net", r->net_total, 0, 0);
    waterfall_row(c, y - 39, "Freight", r->freight, 0, 0);
    waterfall_row(c, y - 52, "Estimated tax", r->tax, 0, 0);
    pp_fill_rect(c, c->ink, x, y - 58, 250, 1.5f);
    pp_fill_color(c, black);
    waterfall_row(c, y - 70, "Grand total", r->grand_total, 0, 1);
    c->y = y - 70 - 24;
}

static void fingerprints(pp_ctx *c)
{
    char hex[Q2O_SHA256_HEX_LEN], line[Q2O_TEXT_MAX + 96], tv[Q2O_TEXT_MAX];
    snprintf(line, sizeof line, "Generated from snapshot %s",
             q2o_hex(c->rev->approval_fp, Q2O_SHA256_LEN, hex));
    pp_fit_text(c, c->regular, 7, PP_MARGIN, PP_CONTENT_W, c->y, line, 0);
    snprintf(line, sizeof line, "Pricing fingerprint %s", q2o_hex(c->rev->pricing_fp, Q2O_SHA256_LEN, hex));
    pp_fit_text(c, c->regular, 7, PP_MARGIN, PP_CONTENT_W, c->y - 10, line, 0);
    q2o_doc_to_cp1252(c->template_version, tv, sizeof tv);
    snprintf(line, sizeof line,
             "Template %s; catalog version %" PRId64 ", price book version %" PRId64 ", approval policy %" PRId64,
             tv, c->rev->catalog_version, c->rev->pricebook_version, c->rev->policy_version);
    pp_fit_text(c, c->regular, 7, PP_MARGIN, PP_CONTENT_W, c->y - 20, line, 0);
    c->y -= 30;
}

static int summary(pp_ctx *c)
{
    if (c->y - PP_SUMMARY_H < PP_BODY_BOTTOM && new_page(c) != 0)
        return -1;
    waterfall(c);
    fingerprints(c);
    return 0;
}

int pp_layout(pp_ctx *c)
{
    c->page_no = 0;
    c->page = NULL;
    if (new_page(c) != 0)
        return -1;
    header_block(c);
    if (table(c) != 0)
        return -1;
    return summary(c);
}
