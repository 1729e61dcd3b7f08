/*
 * doc_internal.h — helpers shared by the renderers of common/document (not
 * installed: only src/ sees it).
 *
 *   q2o_doc_buf   a growable byte buffer whose out-of-memory is sticky: append
 *                 freely, check `oom` once at the end (one exit path);
 *   text          UTF-8 decoding with deterministic replacement, the
 *                 Windows-1252 mapping of the PDF fonts;
 *   snapshot      the checks both documents make before rendering, and the
 *                 display order of lines;
 *   format        amounts with the currency exponent, UTC dates.
 */
#ifndef Q2O_DOCUMENT_INTERNAL_H
#define Q2O_DOCUMENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/money.h"
#include "document/document.h"
#include "domain/quote.h"

/* ---- buffer ---- */
typedef struct q2o_doc_buf {
    char *p;       /* NUL-terminated while not oom */
    size_t len, cap;
    int oom;
} q2o_doc_buf;

void q2o_doc_buf_init(q2o_doc_buf *b);
void q2o_doc_buf_release(q2o_doc_buf *b);
void q2o_doc_buf_put(q2o_doc_buf *b, const void *data, size_t n);
void q2o_doc_buf_puts(q2o_doc_buf *b, const char *s);
void q2o_doc_buf_putc(q2o_doc_buf *b, char c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void q2o_doc_buf_printf(q2o_doc_buf *b, const char *fmt, ...);

/* Hand the buffer's bytes to *out (hash computed); the buffer is emptied.
 * Returns Q2O_NO_MEMORY when the buffer ran out of memory at any point. */
q2o_err q2o_doc_buf_finish(q2o_doc_buf *b, q2o_document *out);

/* ---- text ---- */
#define Q2O_DOC_BAD_UTF8 0xFFFFFFFFu

/* Decode the code point at *s and advance. A malformed, overlong,
 * surrogate or out-of-range sequence consumes one byte and yields
 * Q2O_DOC_BAD_UTF8. Never reads past the NUL. */
uint32_t q2o_doc_utf8_next(const char **s);

/* The Windows-1252 byte of a code point: itself for ASCII and U+00A0..FF,
 * the 0x80..0x9F extras (euro sign, dashes, quotes, ...), ' ' for controls,
 * '?' for everything else and for Q2O_DOC_BAD_UTF8. */
unsigned char q2o_doc_cp1252_of(uint32_t cp);

/* UTF-8 `in` as Windows-1252 into out[size] (NUL-terminated; the result is
 * never longer than the input, so size > strlen(in) never truncates).
 * NULL counts as "". */
void q2o_doc_to_cp1252(const char *in, char *out, size_t size);

/* Append `in` as valid UTF-8: bad bytes become '?', controls other than
 * tab become ' '. NULL counts as "". */
void q2o_doc_buf_put_utf8(q2o_doc_buf *b, const char *in);

/* ---- snapshot ---- */
/* The checks and errors documented in proposal.h: quote exists, revision is
 * current, priced, with priced lines, known currency. */
q2o_err q2o_doc_check_snapshot(const q2o_quote *q, int32_t revision, const q2o_revision **rev,
                               q2o_currency *cur);
/* NULL-tolerant, non-empty seller name, every string within
 * Q2O_DOCUMENT_TEXT_MAX. */
q2o_err q2o_doc_check_branding(const q2o_branding *b);

/* Line indexes of q->lines in display order (line number, then line id).
 * Heap array of q->n_lines entries (caller frees), NULL on out-of-memory. */
uint32_t *q2o_doc_line_order(const q2o_quote *q);

/* ---- format ---- */
/* "1234.50" (with_code: "1234.50 USD"), exponent from the currency. */
char *q2o_doc_amount(int64_t amount, const q2o_currency *cur, int with_code, char *buf, size_t size);
/* "2026-07-02" (UTC); "-" for 0 (not set). buf >= 16 bytes. */
char *q2o_doc_date(q2o_time_ms t, char *buf, size_t size);

#endif
