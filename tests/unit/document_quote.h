/*
 * tests/unit/document_quote.h — quotes priced through the domain for the
 * document tests (decide/evolve via quote_fixture), and small helpers to
 * look at rendered documents with outside tools (pdftotext, pdfinfo,
 * Python's email package).
 */
#ifndef Q2O_DOCUMENT_QUOTE_H
#define Q2O_DOCUMENT_QUOTE_H

#include "document/document.h"
#include "quote_fixture.h"

#define DQ_MAX_LINES 80

typedef struct dq {
    fx f;
    fx_offering offerings[DQ_MAX_LINES];
    char ids[DQ_MAX_LINES][16];
    char names[DQ_MAX_LINES][Q2O_NAME_MAX];
} dq;

/* A priced quote (the fixture's Q-1000 for ACME, NET30) with n lines
 * L1..Ln, one offering each ("Widget model 01", ...; every third one
 * recurring), quantity qty_base + i, two options (finish, size). The
 * catalog charges a flat freight of 15.00 and 8 % estimated tax. first_name,
 * when not NULL, replaces the display name of line 1. */
void dq_build(dq *d, unsigned n, int64_t qty_base, const char *first_name);
void dq_release(dq *d);
const q2o_quote *dq_quote(const dq *d);
/* Change line `line_id`'s quantity and reprice (asserting both succeed). */
void dq_change_qty(dq *d, const char *line_id, int64_t qty);

q2o_branding dq_branding(void);

/* Write a document to dir/name; its path into path. */
void dq_write(const char *dir, const char *name, const q2o_document *doc, char *path, size_t size);
/* Run a shell command; its stdout (heap, NUL-terminated) and exit status. */
char *dq_run(const char *cmd, int *status);
/* Whether hay contains needle once runs of white space count as one space
 * in both (text extraction may break lines anywhere). */
int dq_contains_words(const char *hay, const char *needle);
/* "1234.50 USD" computed here, independently of the library. */
void dq_usd(int64_t minor, char *buf, size_t size);

#endif
