/*
 * q2o_proposal_render: argument checks, the libharu document (metadata
 * fixed for determinism, see proposal.h), the two layout runs, and the
 * bytes copied out of libharu's memory stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "document/proposal.h"
#include "proposal_internal.h"

/* The creation and modification date: the revision's priced_at in UTC
 * (0, the Unix epoch, when the state does not carry it). */
static HPDF_Date pdf_date(q2o_time_ms t)
{
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    int64_t days = t / Q2O_MS_PER_DAY - (t % Q2O_MS_PER_DAY < 0 ? 1 : 0);
    int64_t ms = t - days * Q2O_MS_PER_DAY, y;
    unsigned m, day;
    q2o_civil_from_days(days, &y, &m, &day);
    d.year = (HPDF_INT)(y < 0 ? 0 : y > 9999 ? 9999 : y);
    d.month = (HPDF_INT)m;
    d.day = (HPDF_INT)day;
    d.hour = (HPDF_INT)(ms / 3600000);
    d.minutes = (HPDF_INT)(ms / 60000 % 60);
    d.seconds = (HPDF_INT)(ms / 1000 % 60);
    d.ind = 'Z';
    return d;
}

static void set_info(pp_ctx *c)
{
    char qn[Q2O_CODE_MAX], seller[Q2O_TEXT_MAX], tv[Q2O_TEXT_MAX], buf[Q2O_TEXT_MAX + 64];
    char hex[Q2O_SHA256_HEX_LEN];
    q2o_doc_to_cp1252(c->q->header.quote_number, qn, sizeof qn);
    q2o_doc_to_cp1252(c->brand->seller_name, seller, sizeof seller);
    q2o_doc_to_cp1252(c->template_version, tv, sizeof tv);
    snprintf(buf, sizeof buf, "Proposal %s revision %d", qn, (int)c->rev->number);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, buf);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_AUTHOR, seller);
    snprintf(buf, sizeof buf, "q2o proposal template %s", tv);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, buf);
    /* Replaces libharu's "Haru Free PDF Library <version>". */
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_PRODUCER, "q2o document");
    snprintf(buf, sizeof buf, "snapshot %s", q2o_hex(c->rev->approval_fp, Q2O_SHA256_LEN, hex));
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_KEYWORDS, buf);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, pdf_date(c->rev->priced_at));
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, pdf_date(c->rev->priced_at));
}

/* Dark text on a light accent, white text on a dark one. */
static void set_colours(pp_ctx *c)
{
    const uint8_t *rgb = c->brand->accent_rgb;
    unsigned luma = (299u * rgb[0] + 587u * rgb[1] + 114u * rgb[2]) / 1000u;
    for (int i = 0; i < 3; i++) {
        c->ink[i] = (float)rgb[i] / 255.0f;
        c->on_ink[i] = luma > 150 ? 0.0f : 1.0f;
    }
}

/* libharu's sticky error as a q2o_err (0 when none). */
static q2o_err pdf_error(HPDF_Doc pdf, const char *where)
{
    HPDF_STATUS st = HPDF_GetError(pdf);
    if (st == HPDF_OK)
        return Q2O_OK;
    if (st == HPDF_FAILD_TO_ALLOC_MEM)
        return Q2O_NO_MEMORY;
    char code[32], detail[32];
    snprintf(code, sizeof code, "0x%04lX", (unsigned long)st);
    snprintf(detail, sizeof detail, "%lu", (unsigned long)HPDF_GetErrorDetail(pdf));
    q2o_log(Q2O_LOG_ERROR, "libharu refused an operation", "where", where, "status", code, "detail", detail,
            NULL);
    return Q2O_INTERNAL;
}

/* Save to libharu's memory stream and copy it into a malloc'd buffer. */
static q2o_err copy_out(HPDF_Doc pdf, q2o_document *out)
{
    if (HPDF_SaveToStream(pdf) != HPDF_OK)
        return pdf_error(pdf, "save");
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf), got = size;
    uint8_t *bytes = malloc(size ? size : 1);
    if (!bytes)
        return Q2O_NO_MEMORY;
    HPDF_STATUS st = HPDF_ReadFromStream(pdf, bytes, &got);
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size || size == 0) {
        free(bytes);
        q2o_log(Q2O_LOG_ERROR, "libharu stream shorter than its size", NULL);
        return Q2O_INTERNAL;
    }
    out->bytes = bytes;
    out->len = size;
    return Q2O_OK;
}

/* Both layout runs; a failed page (NULL) without a libharu error is still
 * an internal error. */
static q2o_err lay_out(pp_ctx *c)
{
    c->draw = 0;
    if (pp_layout(c) != 0)
        return Q2O_INTERNAL; /* the dry run never calls libharu to add pages */
    c->n_pages = c->page_no;
    c->draw = 1;
    int failed = pp_layout(c) != 0;
    q2o_err e = pdf_error(c->pdf, "layout");
    return e != Q2O_OK ? e : failed ? Q2O_INTERNAL : Q2O_OK;
}

static q2o_err render(pp_ctx *c, q2o_document *out)
{
    c->pdf = HPDF_New(NULL, NULL);
    if (!c->pdf)
        return Q2O_NO_MEMORY;
    q2o_err e;
    c->regular = HPDF_GetFont(c->pdf, "Helvetica", "WinAnsiEncoding");
    c->bold = HPDF_GetFont(c->pdf, "Helvetica-Bold", "WinAnsiEncoding");
    if (!c->regular || !c->bold) {
        if ((e = pdf_error(c->pdf, "fonts")) == Q2O_OK)
            e = Q2O_INTERNAL;
        goto out_free_pdf;
    }
    set_info(c);
    if ((e = pdf_error(c->pdf, "info")) != Q2O_OK || (e = lay_out(c)) != Q2O_OK)
        goto out_free_pdf;
    e = copy_out(c->pdf, out);
out_free_pdf:
    HPDF_Free(c->pdf);
    return e;
}

static q2o_err check_args(const q2o_quote *q, const q2o_branding *b, const char *template_version,
                          const q2o_document *out)
{
    if (!q || !out || !template_version || !template_version[0])
        return Q2O_INVALID_ARGUMENT;
    if (strlen(template_version) > Q2O_DOCUMENT_TEXT_MAX)
        return Q2O_INVALID_ARGUMENT;
    return q2o_doc_check_branding(b);
}

q2o_err q2o_proposal_render(const q2o_quote *q, int32_t revision, const q2o_branding *branding,
                            const char *template_version, q2o_document *out)
{
    pp_ctx c;
    if (out)
        memset(out, 0, sizeof *out);
    q2o_err e = check_args(q, branding, template_version, out);
    if (e != Q2O_OK)
        return e;
    memset(&c, 0, sizeof c);
    if ((e = q2o_doc_check_snapshot(q, revision, &c.rev, &c.cur)) != Q2O_OK)
        return e;
    c.q = q;
    c.brand = branding;
    c.template_version = template_version;
    set_colours(&c);
    uint32_t *order = q2o_doc_line_order(q);
    if (!order)
        return Q2O_NO_MEMORY;
    c.order = order;
    e = render(&c, out);
    free(order);
    if (e != Q2O_OK) {
        q2o_document_release(out);
        return e;
    }
    q2o_sha256_digest(out->bytes, out->len, out->sha256);
    memcpy(out->snapshot_fp, c.rev->approval_fp, Q2O_SHA256_LEN);
    out->pages = c.n_pages;
    return Q2O_OK;
}
