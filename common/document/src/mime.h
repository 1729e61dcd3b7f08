/*
 * mime.h — the RFC 5322 / MIME pieces of the confirmation e-mail (src/ only).
 * Every function appends to a q2o_doc_buf and writes CRLF line ends.
 */
#ifndef Q2O_DOCUMENT_MIME_H
#define Q2O_DOCUMENT_MIME_H

#include "doc_internal.h"

/* Quoted-printable (RFC 2045 §6.7) of UTF-8 text whose lines end in "\n":
 * output lines <= 76 octets, hard breaks as CRLF, trailing blanks encoded. */
void q2o_mime_put_qp(q2o_doc_buf *b, const char *text, size_t len);

/* "Name: value CRLF" for unstructured text (Subject): as is when it is
 * printable ASCII and the line fits in 78 octets, otherwise as RFC 2047
 * encoded words (UTF-8, base64), folded. `value` must be valid UTF-8
 * without controls (q2o_doc_buf_put_utf8 output). */
void q2o_mime_put_unstructured(q2o_doc_buf *b, const char *name, const char *value);

/* "Name: display <addr> CRLF": the display name as atoms, a quoted string
 * or encoded words, whichever is needed; addr must be a checked addr-spec. */
void q2o_mime_put_mailbox(q2o_doc_buf *b, const char *name, const char *display, const char *addr);

/* Whether s is a plain ASCII addr-spec (dot-atom "@" dot-atom), <= 254 bytes. */
int q2o_mime_addr_ok(const char *s);

/* "Thu, 02 Jul 2026 10:00:00 +0000" into buf (>= 32 bytes). */
char *q2o_mime_date(q2o_time_ms t, char *buf, size_t size);

/* Append s with & < > " ' escaped for HTML. */
void q2o_mime_put_html(q2o_doc_buf *b, const char *s);

#endif
