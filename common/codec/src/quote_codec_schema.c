/*
 * quote_codec_schema.c — the .avsc text of a top-level record, generated from
 * the descriptor tables.
 *
 * The output is self-contained (codec/avro_schema.h requires it): a named
 * type is spelled out at its first use, depth-first in field order, and
 * referred to as "q2o.Name" afterwards — the same rule the canonical form
 * uses, so the text and its canonical form define types in the same places.
 * Layout: two-space indents, one field per line where the type is simple.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "quote_codec_internal.h"

#define GEN_MAX_NAMED 160            /* named types in one file; q2o uses ~70 */

typedef struct gen {
    char *buf;
    size_t len, cap;
    int oom;
    const void *named[GEN_MAX_NAMED]; /* records and enums already defined */
    unsigned n_named;
    int sha_defined;
} gen;

static void put(gen *g, const char *s)
{
    size_t n = strlen(s);
    if (g->oom)
        return;
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 4096;
        while (cap < g->len + n + 1)
            cap *= 2;
        char *p = realloc(g->buf, cap);
        if (!p) {
            g->oom = 1;
            return;
        }
        g->buf = p;
        g->cap = cap;
    }
    memcpy(g->buf + g->len, s, n + 1);
    g->len += n;
}

static void putf(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(gen *g, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    Q2O_CHECK(n >= 0 && (size_t)n < sizeof tmp);
    put(g, tmp);
}

/* A JSON string literal; docs are ASCII, only quote and backslash need care. */
static void put_str(gen *g, const char *s)
{
    char tmp[4] = {0};
    put(g, "\"");
    for (; *s; s++) {
        Q2O_CHECK((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f);
        tmp[0] = *s == '"' || *s == '\\' ? '\\' : *s;
        tmp[1] = *s == '"' || *s == '\\' ? *s : '\0';
        put(g, tmp);
    }
    put(g, "\"");
}

static void indent(gen *g, int level)
{
    for (int i = 0; i < level; i++)
        put(g, "  ");
}

/* First use of a named type? Records it as defined. */
static int first_use(gen *g, const void *type)
{
    for (unsigned i = 0; i < g->n_named; i++)
        if (g->named[i] == type)
            return 0;
    Q2O_CHECK(g->n_named < GEN_MAX_NAMED);
    g->named[g->n_named++] = type;
    return 1;
}

static void emit_record(gen *g, const qc_record *rec, int level, int top);

static void emit_enum(gen *g, const qc_enum *en)
{
    if (!first_use(g, en)) {
        putf(g, "\"q2o.%s\"", en->name);
        return;
    }
    putf(g, "{\"type\": \"enum\", \"name\": \"%s\", \"doc\": ", en->name);
    put_str(g, en->doc);
    put(g, ", \"symbols\": [");
    for (unsigned i = 0; i < en->n_symbols; i++)
        putf(g, "%s\"%s\"", i ? ", " : "", en->symbols[i]);
    put(g, "]}");
}

static void emit_sha(gen *g)
{
    if (g->sha_defined) {
        put(g, "\"q2o.Sha256\"");
        return;
    }
    g->sha_defined = 1;
    put(g, "{\"type\": \"fixed\", \"name\": \"Sha256\", \"size\": 32, "
           "\"doc\": \"A SHA-256 digest (all zero = none).\"}");
}

static void emit_type(gen *g, qc_kind kind, const qc_field *f, int level);

static void emit_union(gen *g, const qc_field *f, int level)
{
    put(g, "[\n");
    for (unsigned i = 0; i < f->n_branches; i++) {
        indent(g, level + 1);
        emit_record(g, f->branches[i], level + 1, 0);
        put(g, i + 1 < f->n_branches ? ",\n" : "\n");
    }
    indent(g, level);
    put(g, "]");
}

static void emit_type(gen *g, qc_kind kind, const qc_field *f, int level)
{
    switch (kind) {
    case QC_STR: case QC_EVTYPE: case QC_VIRTUAL: put(g, "\"string\""); break;
    case QC_I32: case QC_MASK: case QC_ERRCODE: put(g, "\"int\""); break;
    case QC_I64: case QC_U32: case QC_U64: put(g, "\"long\""); break;
    case QC_TIME: put(g, "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}"); break;
    case QC_BOOL: put(g, "\"boolean\""); break;
    case QC_SHA: emit_sha(g); break;
    case QC_ENUM: emit_enum(g, f->en); break;
    case QC_REC: emit_record(g, f->rec, level, 0); break;
    case QC_UNION: emit_union(g, f, level); break;
    case QC_ARR: case QC_HEAP:
        put(g, "{\"type\": \"array\", \"items\": ");
        emit_type(g, f->item, f, level);
        put(g, "}");
        break;
    }
}

static void emit_field(gen *g, const qc_field *f, int level)
{
    indent(g, level);
    putf(g, "{\"name\": \"%s\", \"doc\": ", f->name);
    put_str(g, f->doc);
    put(g, ", \"type\": ");
    emit_type(g, f->kind, f, level);
    put(g, "}");
}

static void emit_record(gen *g, const qc_record *rec, int level, int top)
{
    if (!first_use(g, rec)) {
        putf(g, "\"q2o.%s\"", rec->name);
        return;
    }
    put(g, "{\n");
    indent(g, level + 1);
    putf(g, "\"type\": \"record\", \"name\": \"%s\",%s\n", rec->name, top ? " \"namespace\": \"q2o\"," : "");
    indent(g, level + 1);
    put(g, "\"doc\": ");
    put_str(g, rec->doc);
    put(g, ",\n");
    indent(g, level + 1);
    put(g, rec->n_fields ? "\"fields\": [\n" : "\"fields\": []\n");
    for (unsigned i = 0; i < rec->n_fields; i++) {
        emit_field(g, &rec->fields[i], level + 2);
        put(g, i + 1 < rec->n_fields ? ",\n" : "\n");
    }
    if (rec->n_fields) {
        indent(g, level + 1);
        put(g, "]\n");
    }
    indent(g, level);
    put(g, "}");
}

char *qc_schema_json(const qc_record *top)
{
    gen *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    emit_record(g, top, 0, 1);
    put(g, "\n");
    char *out = g->oom ? NULL : g->buf;
    if (g->oom)
        free(g->buf);
    free(g);
    return out;
}
