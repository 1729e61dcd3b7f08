/*
 * proposal_internal.h — the proposal renderer's parts (src/ only).
 *
 * The layout runs twice through the same code (proposal_layout.c): a dry run
 * that only counts pages, then the drawing run, which then knows "page i of
 * n". Drawing primitives (pdf_draw.c) do nothing during the dry run, so the
 * two runs cannot disagree about where a page breaks.
 */
#ifndef Q2O_DOCUMENT_PROPOSAL_INTERNAL_H
#define Q2O_DOCUMENT_PROPOSAL_INTERNAL_H

#include <hpdf.h>

#include "doc_internal.h"

/* A4 portrait in points, and the page grid. */
#define PP_PAGE_W 595.276f
#define PP_PAGE_H 841.89f
#define PP_MARGIN 40.0f
#define PP_CONTENT_W (PP_PAGE_W - 2 * PP_MARGIN)
#define PP_BAND_H 64.0f     /* branded band at the top of every page */
#define PP_FOOTER_H 44.0f   /* footer area at the bottom of every page */
#define PP_BODY_SIZE 8.0f   /* table and header text */
#define PP_LEADING 10.0f
#define PP_CELL_PAD 3.0f
/* A cell wraps to at most this many lines; the last one then ends in "...".
 * 30 lines keep the tallest row (16 long options) well inside one page. */
#define PP_MAX_CELL_LINES 30

typedef struct pp_ctx {
    /* input */
    const q2o_quote *q;
    const q2o_revision *rev;
    const q2o_branding *brand;
    const char *template_version;
    q2o_currency cur;
    const uint32_t *order;        /* display order of q->lines */
    /* libharu */
    HPDF_Doc pdf;
    HPDF_Font regular, bold;
    HPDF_Page page;               /* NULL during the dry run */
    /* layout state */
    int draw;                     /* 0 = dry run (count pages), 1 = draw */
    uint32_t page_no, n_pages;    /* n_pages known in the drawing run */
    float y;                      /* cursor: top of the next element */
    float ink[3], on_ink[3];      /* accent colour and the text colour on it */
} pp_ctx;

/* ---- pdf_draw.c: primitives (no-ops when !ctx->draw or no page) ---- */
/* Width of cp1252 text in points. */
float pp_text_width(HPDF_Font font, float size, const char *text, size_t len);
/* Draw `len` bytes of cp1252 text with its baseline at (x, y). */
void pp_text(pp_ctx *c, HPDF_Font font, float size, float x, float y, const char *text, size_t len);
/* Single-line text inside [x, x + w]: left or right aligned, shrunk to fit
 * (never below half its size; beyond that it is cut). */
void pp_fit_text(pp_ctx *c, HPDF_Font font, float size, float x, float w, float y, const char *text,
                 int right);
void pp_fill_rect(pp_ctx *c, const float rgb[3], float x, float y, float w, float h);
void pp_hline(pp_ctx *c, float x, float y, float w, float gray, float width);
void pp_fill_color(pp_ctx *c, const float rgb[3]);

/* Word-wrap cp1252 `text` to width `w`: the start and length of each line
 * into starts/lens (max_lines <= PP_MAX_CELL_LINES entries); returns the
 * line count (>= 1). *cut is set when the text did not fit. */
unsigned pp_wrap(HPDF_Font font, float size, const char *text, float w, unsigned max_lines, size_t *starts,
                 size_t *lens, int *cut);
/* Draw wrapped text top-down from baseline y, PP_LEADING apart, a cut last
 * line ending in "..."; returns the lines drawn. */
unsigned pp_wrap_text(pp_ctx *c, HPDF_Font font, float size, float x, float w, float y, unsigned max_lines,
                      const char *text);

/* ---- proposal_layout.c ---- */
/* Lay out (and when c->draw, draw) the whole document; counts pages in
 * c->page_no. Returns 0, or -1 when libharu failed to add a page. */
int pp_layout(pp_ctx *c);

#endif
