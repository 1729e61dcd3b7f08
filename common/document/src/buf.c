/* The growable byte buffer of doc_internal.h, and q2o_document_release. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

void q2o_document_release(q2o_document *doc)
{
    if (!doc)
        return;
    free(doc->bytes);
    memset(doc, 0, sizeof *doc);
}

void q2o_doc_buf_init(q2o_doc_buf *b)
{
    memset(b, 0, sizeof *b);
}

void q2o_doc_buf_release(q2o_doc_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* Room for n more bytes plus the NUL; sets oom (sticky) when it fails. */
static int reserve(q2o_doc_buf *b, size_t n)
{
    if (b->oom)
        return -1;
    if (n < SIZE_MAX / 2 && b->len + n + 1 <= b->cap)
        return 0;
    if (n >= SIZE_MAX / 4 || b->len >= SIZE_MAX / 4) {
        b->oom = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void q2o_doc_buf_put(q2o_doc_buf *b, const void *data, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void q2o_doc_buf_puts(q2o_doc_buf *b, const char *s)
{
    q2o_doc_buf_put(b, s, strlen(s));
}

void q2o_doc_buf_putc(q2o_doc_buf *b, char c)
{
    q2o_doc_buf_put(b, &c, 1);
}

void q2o_doc_buf_printf(q2o_doc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1; /* an encoding error is a bug of ours; fail the render */
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

q2o_err q2o_doc_buf_finish(q2o_doc_buf *b, q2o_document *out)
{
    if (b->oom || !b->p) {
        q2o_doc_buf_release(b);
        return Q2O_NO_MEMORY;
    }
    memset(out, 0, sizeof *out);
    out->bytes = (uint8_t *)b->p;
    out->len = b->len;
    q2o_sha256_digest(out->bytes, out->len, out->sha256);
    memset(b, 0, sizeof *b);
    return Q2O_OK;
}
