/* document_event.c — DocumentGenerated as JSON (the format is documented
 * in runtime/document_worker.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "document_worker_internal.h"

typedef struct jbuf {
    char *p;
    size_t size, len;
    int overflow;
} jbuf;

static void put(jbuf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->overflow)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= b->size - b->len)
        b->overflow = 1;
    else
        b->len += (size_t)n;
}

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes (UTF-8 included) as they are. */
static void put_str(jbuf *b, const char *s)
{
    put(b, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            put(b, "\\%c", c);
        else if (c < 0x20)
            put(b, "\\u%04x", c);
        else
            put(b, "%c", c);
    }
    put(b, "\"");
}

static void put_key_str(jbuf *b, const char *key, const char *s)
{
    put(b, ",\"%s\":", key);
    if (s)
        put_str(b, s);
    else
        put(b, "null");
}

static void put_key_hex(jbuf *b, const char *key, const uint8_t *h)
{
    char hex[Q2O_SHA256_HEX_LEN];
    put_key_str(b, key, h ? q2o_hex(h, Q2O_SHA256_LEN, hex) : NULL);
}

size_t dw_event_json(const dw_outcome *o, char *out, size_t size)
{
    jbuf b = {.p = out, .size = size};
    put(&b, "{\"type\":\"DocumentGenerated\",\"status\":\"%s\"", o->done ? "DONE" : "FAILED");
    put_key_str(&b, "quote_id", o->quote_id);
    put(&b, ",\"revision\":%d", (int)o->revision);
    put_key_hex(&b, "snapshot_fp", o->snapshot_fp);
    put_key_str(&b, "approval_event", o->approval_event);
    put_key_str(&b, "template_version", o->template_version);
    if (o->done) {
        put_key_str(&b, "document_id", o->document_id);
        put_key_hex(&b, "document_hash", o->document_hash);
        put_key_str(&b, "pdf", o->pdf);
        put(&b, ",\"pdf_bytes\":%zu,\"pages\":%u", o->pdf_bytes, (unsigned)o->pages);
        put_key_str(&b, "eml", o->eml);
        put_key_hex(&b, "eml_hash", o->eml ? o->eml_hash : NULL);
        put(&b, ",\"lines_left_out\":%u", (unsigned)o->lines_left_out);
        put_key_str(&b, "command_id", o->command_id);
    } else {
        put_key_str(&b, "code", q2o_err_name(o->code));
        put_key_str(&b, "reason", o->reason);
    }
    put(&b, "}");
    return b.overflow ? 0 : b.len;
}
