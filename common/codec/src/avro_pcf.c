/*
 * avro_pcf.c — Parsing Canonical Form and CRC-64-AVRO (Avro 1.11 spec).
 *
 * The walk works on avro-c's parsed schema, which has already applied the
 * namespace rules (a nested named type inherits the enclosing namespace, a
 * dotted name carries its own, "" is the null namespace) and represents every
 * use of a named type after its definition as an AVRO_LINK. Both facts were
 * checked against avro-c 1.11.1 and the output is cross-checked against
 * fastavro. The walk still keeps its own list of names it has printed, so a
 * named type that avro-c ever handed out twice (instead of as a link) would
 * still print as a name the second time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_internal.h"
#include "codec/avro_schema.h"

uint64_t q2o_avro_crc64(const void *data, size_t len)
{
    /* Bitwise form of the spec's table-driven fingerprint64: identical
     * result, no table to initialise or share. Fingerprints are computed
     * once per schema at load, so speed does not matter. */
    const unsigned char *p = data;
    uint64_t fp = Q2O_AVRO_CRC64_EMPTY;
    for (size_t i = 0; i < len; i++) {
        fp ^= p[i];
        for (int bit = 0; bit < 8; bit++)
            fp = (fp >> 1) ^ (Q2O_AVRO_CRC64_EMPTY & (0 - (fp & 1)));
    }
    return fp;
}

struct pcf {
    char *out;
    size_t len, cap;
    char **seen; /* fullnames already printed, malloc'd */
    size_t nseen, cap_seen;
    q2o_err err;
    char *detail;
    size_t detail_size;
};

static void put(struct pcf *w, const char *s)
{
    size_t n = strlen(s);
    if (w->err != Q2O_OK)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *p = realloc(w->out, cap);
        if (!p) {
            w->err = Q2O_NO_MEMORY;
            return;
        }
        w->out = p, w->cap = cap;
    }
    memcpy(w->out + w->len, s, n + 1);
    w->len += n;
}

static void fail(struct pcf *w, q2o_err err, const char *what, const char *name)
{
    if (w->err == Q2O_OK)
        w->err = q2o_codec_fail(err, w->detail, w->detail_size, "%s \"%s\"", what,
                                name ? name : "(null)");
}

/* A namespace: dot-separated identifiers (NULL is the null namespace). */
static int is_namespace(const char *ns)
{
    char part[256];
    if (!ns)
        return 1;
    while (*ns) {
        size_t n = strcspn(ns, ".");
        if (n == 0 || n >= sizeof part)
            return 0;
        memcpy(part, ns, n);
        part[n] = '\0';
        if (!q2o_avro_is_ident(part))
            return 0;
        ns += n;
        if (*ns == '.' && *++ns == '\0')
            return 0;
    }
    return 1;
}

/* The malloc'd fullname of a named schema (never a link), or NULL with
 * w->err set. */
static char *fullname_of(struct pcf *w, avro_schema_t s)
{
    const char *name = avro_schema_name(s);
    const char *ns = avro_schema_namespace(s);
    if (!q2o_avro_is_ident(name))
        return fail(w, Q2O_WIRE_SCHEMA_INVALID, "invalid name", name), NULL;
    if (!is_namespace(ns))
        return fail(w, Q2O_WIRE_SCHEMA_INVALID, "invalid namespace", ns), NULL;
    size_t n = strlen(name) + (ns ? strlen(ns) + 1 : 0) + 1;
    char *full = malloc(n);
    if (!full)
        return w->err = Q2O_NO_MEMORY, NULL;
    snprintf(full, n, "%s%s%s", ns ? ns : "", ns ? "." : "", name);
    return full;
}

static int seen(const struct pcf *w, const char *full)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (strcmp(w->seen[i], full) == 0)
            return 1;
    return 0;
}

/* Takes ownership of full. */
static void remember(struct pcf *w, char *full)
{
    if (w->nseen == w->cap_seen) {
        size_t cap = w->cap_seen ? w->cap_seen * 2 : 16;
        char **p = realloc(w->seen, cap * sizeof *p);
        if (!p) {
            free(full);
            w->err = Q2O_NO_MEMORY;
            return;
        }
        w->seen = p, w->cap_seen = cap;
    }
    w->seen[w->nseen++] = full;
}

static void quoted(struct pcf *w, const char *s)
{
    put(w, "\"");
    put(w, s);
    put(w, "\"");
}

static void walk(struct pcf *w, avro_schema_t s, int depth);

static void walk_record_body(struct pcf *w, avro_schema_t s, int depth)
{
    put(w, ",\"fields\":[");
    size_t n = avro_schema_record_size(s);
    for (size_t i = 0; i < n && w->err == Q2O_OK; i++) {
        const char *field = avro_schema_record_field_name(s, (int)i);
        if (!q2o_avro_is_ident(field)) {
            fail(w, Q2O_WIRE_SCHEMA_INVALID, "invalid field name", field);
            return;
        }
        put(w, i ? ",{\"name\":" : "{\"name\":");
        quoted(w, field);
        put(w, ",\"type\":");
        walk(w, avro_schema_record_field_get_by_index(s, (int)i), depth + 1);
        put(w, "}");
    }
    put(w, "]");
}

static void walk_enum_body(struct pcf *w, avro_schema_t s)
{
    put(w, ",\"symbols\":[");
    int n = avro_schema_enum_number_of_symbols(s);
    for (int i = 0; i < n && w->err == Q2O_OK; i++) {
        const char *sym = avro_schema_enum_get(s, i);
        if (!q2o_avro_is_ident(sym)) {
            fail(w, Q2O_WIRE_SCHEMA_INVALID, "invalid enum symbol", sym);
            return;
        }
        if (i)
            put(w, ",");
        quoted(w, sym);
    }
    put(w, "]");
}

/* A record, enum or fixed: its definition the first time, else its name. */
static void walk_named(struct pcf *w, avro_schema_t s, int depth)
{
    char *full = fullname_of(w, s);
    if (!full)
        return;
    if (seen(w, full)) {
        quoted(w, full);
        free(full);
        return;
    }
    put(w, "{\"name\":");
    quoted(w, full);
    remember(w, full); /* before the body: a recursive use is a reference */
    if (is_avro_record(s)) {
        put(w, ",\"type\":\"record\"");
        walk_record_body(w, s, depth);
    } else if (is_avro_enum(s)) {
        put(w, ",\"type\":\"enum\"");
        walk_enum_body(w, s);
    } else {
        char size[32];
        snprintf(size, sizeof size, "%" PRId64, avro_schema_fixed_size(s));
        put(w, ",\"type\":\"fixed\",\"size\":");
        put(w, size);
    }
    put(w, "}");
}

static void walk_union(struct pcf *w, avro_schema_t s, int depth)
{
    size_t n = avro_schema_union_size(s);
    put(w, "[");
    for (size_t i = 0; i < n && w->err == Q2O_OK; i++) {
        if (i)
            put(w, ",");
        walk(w, avro_schema_union_branch(s, (int)i), depth + 1);
    }
    put(w, "]");
}

static const char *primitive_name(avro_type_t type)
{
    switch (type) {
    case AVRO_STRING: return "string";
    case AVRO_BYTES: return "bytes";
    case AVRO_INT32: return "int";
    case AVRO_INT64: return "long";
    case AVRO_FLOAT: return "float";
    case AVRO_DOUBLE: return "double";
    case AVRO_BOOLEAN: return "boolean";
    case AVRO_NULL: return "null";
    default: return NULL;
    }
}

static void walk(struct pcf *w, avro_schema_t s, int depth)
{
    if (w->err != Q2O_OK)
        return;
    if (depth > Q2O_AVRO_MAX_DEPTH) {
        w->err = q2o_codec_fail(Q2O_WIRE_SCHEMA_INVALID, w->detail, w->detail_size,
                                "schema nested deeper than %d levels", Q2O_AVRO_MAX_DEPTH);
        return;
    }
    const char *prim = primitive_name(avro_typeof(s));
    if (prim) {
        quoted(w, prim);
    } else if (is_avro_link(s)) {
        char *full = fullname_of(w, avro_schema_link_target(s));
        if (full)
            quoted(w, full);
        free(full);
    } else if (is_avro_named_type(s)) {
        walk_named(w, s, depth);
    } else if (is_avro_array(s)) {
        put(w, "{\"type\":\"array\",\"items\":");
        walk(w, avro_schema_array_items(s), depth + 1);
        put(w, "}");
    } else if (is_avro_map(s)) {
        put(w, "{\"type\":\"map\",\"values\":");
        walk(w, avro_schema_map_values(s), depth + 1);
        put(w, "}");
    } else if (is_avro_union(s)) {
        walk_union(w, s, depth);
    } else {
        fail(w, Q2O_WIRE_SCHEMA_INVALID, "unsupported schema type", avro_schema_type_name(s));
    }
}

q2o_err q2o_avro_schema_pcf(avro_schema_t schema, char **out, size_t *out_len, char *detail,
                            size_t detail_size)
{
    struct pcf w = {.err = Q2O_OK, .detail = detail, .detail_size = detail_size};
    *out = NULL;
    if (!schema)
        return q2o_codec_fail(Q2O_INVALID_ARGUMENT, detail, detail_size, "no schema");
    walk(&w, schema, 0);
    put(&w, "");
    for (size_t i = 0; i < w.nseen; i++)
        free(w.seen[i]);
    free(w.seen);
    if (w.err != Q2O_OK) {
        free(w.out);
        if (w.err == Q2O_NO_MEMORY)
            q2o_codec_fail(w.err, detail, detail_size, "out of memory in canonical form");
        return w.err;
    }
    *out = w.out;
    if (out_len)
        *out_len = w.len;
    return Q2O_OK;
}

q2o_err q2o_avro_pcf_from_json(const char *json, size_t len, char **out, size_t *out_len,
                               char *detail, size_t detail_size)
{
    avro_schema_t schema = NULL;
    *out = NULL;
    if (!json || len == 0)
        return q2o_codec_fail(Q2O_WIRE_SCHEMA_INVALID, detail, detail_size, "empty schema");
    if (avro_schema_from_json_length(json, len, &schema) != 0)
        return q2o_codec_fail_avro(Q2O_WIRE_SCHEMA_INVALID, detail, detail_size,
                                   "avro-c cannot parse the schema");
    q2o_err err = q2o_avro_schema_pcf(schema, out, out_len, detail, detail_size);
    avro_schema_decref(schema);
    return err;
}
