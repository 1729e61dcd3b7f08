/*
 * quote_codec_value.c — walk a descriptor table to move a C struct into an
 * avro-c generic value and back.
 *
 * Both directions apply the same checks (check_int, string bounds, counts),
 * so the encoder never writes what the decoder would refuse. C storage is
 * read and written with memcpy at the table's offsets: no type punning.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "domain/quote.h"
#include "quote_codec_internal.h"

/* Every C enum the tables store must be int-sized: the walker moves 4 bytes. */
_Static_assert(sizeof(q2o_status) == 4 && sizeof(q2o_err) == 4 && sizeof(q2o_event_type) == 4,
               "enums are int-sized");
_Static_assert(sizeof(q2o_line_action) == 4 && sizeof(q2o_accept_method) == 4 &&
                   sizeof(q2o_expiry_kind) == 4 && sizeof(q2o_approval_rule) == 4 &&
                   sizeof(q2o_op_status) == 4 && sizeof(q2o_quote_type) == 4,
               "enums are int-sized");

#define VIRT_MAX 160                 /* longest computed string (event_id: 63 + 1 + 20) */

typedef struct ctx {
    int encoding;                    /* errors of the struct side become INVALID_ARGUMENT */
    const void *top;                 /* the whole object, for virtual fields */
    char path[256];
    size_t plen;
    char *detail;
    size_t detail_size;
} ctx;

static q2o_err fail(ctx *c, q2o_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static q2o_err fail(ctx *c, q2o_err err, const char *fmt, ...)
{
    if (c->encoding && err != Q2O_WIRE_ENCODE_FAILED && err != Q2O_NO_MEMORY)
        err = Q2O_INVALID_ARGUMENT;
    if (c->detail && c->detail_size) {
        int n = snprintf(c->detail, c->detail_size, "%s: ", c->plen ? c->path : "(message)");
        if (n >= 0 && (size_t)n < c->detail_size) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->detail + n, c->detail_size - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return err;
}

static q2o_err avro_fail(ctx *c, int rc)
{
    char msg[200];
    snprintf(msg, sizeof msg, "%s", avro_strerror()); /* one shared buffer: copy at once */
    if (rc == ENOMEM)
        return fail(c, Q2O_NO_MEMORY, "avro-c: %s", msg);
    return fail(c, c->encoding ? Q2O_WIRE_ENCODE_FAILED : Q2O_WIRE_DECODE_FAILED, "avro-c: %s", msg);
}

#define AV(c, call) \
    do { \
        int rc_ = (call); \
        if (rc_ != 0) \
            return avro_fail((c), rc_); \
    } while (0)

/* Append bytes to the path, cut at the buffer's end (never overrun). */
static void path_put(ctx *c, const char *s, size_t n)
{
    size_t room = sizeof c->path - 1 - c->plen;
    if (n > room)
        n = room;
    memcpy(c->path + c->plen, s, n);
    c->plen += n;
    c->path[c->plen] = '\0';
}

/* Append ".name" (or "name" at the start) or "[i]" to the path; returns the
 * length to restore. Runs for every field of every message, so it formats
 * by hand: printf here was a sixth of a worker's CPU. */
static size_t push(ctx *c, const char *name, long index)
{
    size_t old = c->plen;
    if (name) {
        if (old)
            path_put(c, ".", 1);
        path_put(c, name, strlen(name));
        return old;
    }
    char digits[24];
    size_t k = sizeof digits;
    unsigned long v = index < 0 ? 0 : (unsigned long)index;
    digits[--k] = ']';
    do {
        digits[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    digits[--k] = '[';
    path_put(c, digits + k, sizeof digits - k);
    return old;
}

static void pop(ctx *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

/* ---- scalars ---- */

static int is_wide(qc_kind k)
{
    return k == QC_I64 || k == QC_TIME || k == QC_U64;
}

static int64_t load_int(qc_kind k, const uint8_t *p)
{
    if (is_wide(k)) {
        int64_t v;
        memcpy(&v, p, sizeof v); /* a U64 above INT64_MAX reads negative: refused */
        return v;
    }
    if (k == QC_U32 || k == QC_MASK) {
        uint32_t u;
        memcpy(&u, p, sizeof u);
        return u;
    }
    int32_t s;
    memcpy(&s, p, sizeof s);
    return s;
}

static void store_int(qc_kind k, uint8_t *p, int64_t v)
{
    if (is_wide(k)) {
        memcpy(p, &v, sizeof v);
    } else if (k == QC_U32 || k == QC_MASK) {
        uint32_t u = (uint32_t)v;
        memcpy(p, &u, sizeof u);
    } else {
        int32_t s = (int32_t)v;
        memcpy(p, &s, sizeof s);
    }
}

/* The value rules both directions share. */
static q2o_err check_int(ctx *c, const qc_field *f, int64_t v)
{
    switch (f->kind) {
    case QC_U32:
        if (v < 0 || v > (int64_t)UINT32_MAX)
            return fail(c, Q2O_WIRE_DECODE_FAILED, "%" PRId64 " is not a uint32", v);
        break;
    case QC_U64:
        if (v < 0)
            return fail(c, Q2O_WIRE_DECODE_FAILED, "%" PRId64 " is negative", v);
        break;
    case QC_MASK:
        if ((uint64_t)v & ~(uint64_t)f->max)
            return fail(c, Q2O_WIRE_BAD_ENUM, "bits 0x%" PRIx64 " outside 0x%" PRIx32, (uint64_t)v, f->max);
        break;
    case QC_ERRCODE:
        if (!q2o_err_is_known((int)v))
            return fail(c, Q2O_WIRE_BAD_ENUM, "unknown error code %" PRId64, v);
        break;
    case QC_ENUM:
        if (v < 0 || v >= (int64_t)f->en->n_symbols)
            return fail(c, Q2O_WIRE_BAD_ENUM, "symbol %" PRId64 " not in 0..%u of q2o.%s", v,
                        f->en->n_symbols - 1, f->en->name);
        break;
    case QC_BOOL:
        if (v != 0 && v != 1)
            return fail(c, Q2O_WIRE_DECODE_FAILED, "boolean holds %" PRId64, v);
        break;
    default:
        break;
    }
    return Q2O_OK;
}

static q2o_err set_scalar(ctx *c, const qc_field *f, const uint8_t *p, avro_value_t *v)
{
    int64_t x = load_int(f->kind, p);
    q2o_err e = check_int(c, f, x);
    if (e)
        return e;
    switch (f->kind) {
    case QC_I32: case QC_MASK: case QC_ERRCODE: AV(c, avro_value_set_int(v, (int32_t)x)); break;
    case QC_BOOL: AV(c, avro_value_set_boolean(v, (int)x)); break;
    case QC_ENUM: AV(c, avro_value_set_enum(v, (int)x)); break;
    default: AV(c, avro_value_set_long(v, x)); break;
    }
    return Q2O_OK;
}

static q2o_err get_scalar(ctx *c, const qc_field *f, avro_value_t *v, uint8_t *p)
{
    int64_t x = 0;
    int32_t i = 0;
    switch (f->kind) {
    case QC_I32: case QC_MASK: case QC_ERRCODE: AV(c, avro_value_get_int(v, &i)); x = i; break;
    case QC_BOOL: { int b = 0; AV(c, avro_value_get_boolean(v, &b)); x = b; break; }
    case QC_ENUM: { int s = 0; AV(c, avro_value_get_enum(v, &s)); x = s; break; }
    default: AV(c, avro_value_get_long(v, &x)); break;
    }
    q2o_err e = check_int(c, f, x);
    if (e)
        return e;
    store_int(f->kind, p, x);
    return Q2O_OK;
}

/* ---- strings ---- */

static q2o_err set_str(ctx *c, const char *s, size_t cap, avro_value_t *v)
{
    size_t n = strnlen(s, cap);
    if (n == cap)
        return fail(c, Q2O_WIRE_BAD_LENGTH, "not NUL-terminated within %zu bytes", cap);
    AV(c, avro_value_set_string_len(v, s, n + 1));
    return Q2O_OK;
}

/* The string of v, at most cap - 1 bytes, into *s and *n (borrowed from v). */
static q2o_err get_str(ctx *c, avro_value_t *v, size_t cap, const char **s, size_t *n)
{
    size_t size = 0;
    AV(c, avro_value_get_string(v, s, &size));
    *n = size ? size - 1 : 0;
    if (*n >= cap)
        return fail(c, Q2O_WIRE_BAD_LENGTH, "%zu bytes, field holds %zu", *n, cap - 1);
    return Q2O_OK;
}

static q2o_err get_str_into(ctx *c, avro_value_t *v, char *dst, size_t cap)
{
    const char *s = NULL;
    size_t n = 0;
    q2o_err e = get_str(c, v, cap, &s, &n);
    if (e)
        return e;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return Q2O_OK;
}

/* ================================ encode ================================ */

static q2o_err enc_record(ctx *c, const qc_record *rec, const uint8_t *base, avro_value_t *v);
static q2o_err enc_field(ctx *c, const qc_field *f, const uint8_t *base, avro_value_t *v);

static qc_field item_of(const qc_field *f)
{
    qc_field it = {.name = f->name, .kind = f->item, .size = f->size, .rec = f->rec, .en = f->en};
    return it;
}

static uint32_t load_count(const uint8_t *base, const qc_field *f)
{
    uint32_t n; /* uint32_t or int32_t in the structs; both 0..max when valid */
    memcpy(&n, base + f->count_off, sizeof n);
    return n;
}

static const uint8_t *items_of(const qc_field *f, const uint8_t *base)
{
    if (f->kind == QC_ARR)
        return base + f->off;
    const uint8_t *p;
    memcpy(&p, base + f->off, sizeof p);
    return p;
}

static q2o_err enc_array(ctx *c, const qc_field *f, const uint8_t *base, avro_value_t *v)
{
    uint32_t n = load_count(base, f);
    const uint8_t *items = items_of(f, base);
    if (n > f->max)
        return fail(c, Q2O_WIRE_BAD_LENGTH, "%" PRIu32 " items, at most %" PRIu32, n, f->max);
    if (n && !items)
        return fail(c, Q2O_INVALID_ARGUMENT, "%" PRIu32 " items behind a NULL pointer", n);
    qc_field it = item_of(f);
    for (uint32_t i = 0; i < n; i++) {
        avro_value_t elem;
        AV(c, avro_value_append(v, &elem, NULL));
        size_t old = push(c, NULL, (long)i);
        q2o_err e = enc_field(c, &it, items + (size_t)i * f->size, &elem);
        if (e)
            return e;
        pop(c, old);
    }
    return Q2O_OK;
}

static q2o_err enc_union(ctx *c, const qc_field *f, const uint8_t *base, avro_value_t *v)
{
    int32_t type;
    memcpy(&type, base + f->count_off, sizeof type);
    if (type < 1 || (uint32_t)type > f->n_branches)
        return fail(c, Q2O_INVALID_ARGUMENT, "type %" PRId32 " not in 1..%u", type, f->n_branches);
    avro_value_t branch;
    AV(c, avro_value_set_branch(v, type - 1, &branch));
    const qc_record *rec = f->branches[type - 1];
    size_t old = push(c, rec->name, 0);
    q2o_err e = enc_record(c, rec, base, &branch);
    if (!e)
        pop(c, old);
    return e;
}

static q2o_err enc_field(ctx *c, const qc_field *f, const uint8_t *base, avro_value_t *v)
{
    const uint8_t *p = base + f->off;
    char tmp[VIRT_MAX];
    uint8_t sha[32];
    switch (f->kind) {
    case QC_STR: return set_str(c, (const char *)p, f->size, v);
    case QC_SHA:
        memcpy(sha, p, sizeof sha);
        AV(c, avro_value_set_fixed(v, sha, sizeof sha));
        return Q2O_OK;
    case QC_REC: return enc_record(c, f->rec, p, v);
    case QC_ARR: case QC_HEAP: return enc_array(c, f, base, v);
    case QC_UNION: return enc_union(c, f, base, v);
    case QC_VIRTUAL:
        f->virt(c->top, tmp, sizeof tmp);
        return set_str(c, tmp, sizeof tmp, v);
    case QC_EVTYPE: {
        int32_t t;
        memcpy(&t, p, sizeof t);
        if (t <= Q2O_EV_NONE || t >= Q2O_EV__COUNT)
            return fail(c, Q2O_INVALID_ARGUMENT, "event type %" PRId32 " unknown", t);
        AV(c, avro_value_set_string(v, q2o_event_type_name((q2o_event_type)t)));
        return Q2O_OK;
    }
    default: return set_scalar(c, f, p, v);
    }
}

static q2o_err enc_record(ctx *c, const qc_record *rec, const uint8_t *base, avro_value_t *v)
{
    for (unsigned i = 0; i < rec->n_fields; i++) {
        const qc_field *f = &rec->fields[i];
        avro_value_t fv;
        AV(c, avro_value_get_by_index(v, i, &fv, NULL));
        size_t old = push(c, f->name, 0);
        q2o_err e = enc_field(c, f, base, &fv);
        if (e)
            return e;
        pop(c, old);
    }
    return Q2O_OK;
}

q2o_err qc_encode(const qc_record *rec, const void *obj, avro_value_t *val, char *detail,
                  size_t detail_size)
{
    ctx c = {.encoding = 1, .top = obj, .detail = detail, .detail_size = detail_size};
    return enc_record(&c, rec, obj, val);
}

/* ================================ decode ================================ */

static q2o_err dec_record(ctx *c, const qc_record *rec, uint8_t *base, avro_value_t *v);
static q2o_err dec_field(ctx *c, const qc_field *f, uint8_t *base, avro_value_t *v);

/* Size the storage of an array: inline arrays have it; heap arrays get a
 * zeroed allocation attached to the object at once (freed by its owner). */
static q2o_err dec_array_storage(ctx *c, const qc_field *f, uint8_t *base, size_t n, uint8_t **items)
{
    uint32_t n32 = (uint32_t)n;
    if (f->kind == QC_ARR) {
        *items = base + f->off;
    } else {
        *items = n ? calloc(n, f->size) : NULL;
        if (n && !*items)
            return fail(c, Q2O_NO_MEMORY, "%zu items", n);
        memcpy(base + f->off, items, sizeof *items);
        if (f->cap_off)
            memcpy(base + f->cap_off, &n32, sizeof n32);
    }
    memcpy(base + f->count_off, &n32, sizeof n32);
    return Q2O_OK;
}

static q2o_err dec_array(ctx *c, const qc_field *f, uint8_t *base, avro_value_t *v)
{
    size_t n = 0;
    uint8_t *items = NULL;
    AV(c, avro_value_get_size(v, &n));
    if (n > f->max)
        return fail(c, Q2O_WIRE_BAD_LENGTH, "%zu items, at most %" PRIu32, n, f->max);
    q2o_err e = dec_array_storage(c, f, base, n, &items);
    qc_field it = item_of(f);
    for (size_t i = 0; !e && i < n; i++) {
        avro_value_t elem;
        AV(c, avro_value_get_by_index(v, i, &elem, NULL));
        size_t old = push(c, NULL, (long)i);
        e = dec_field(c, &it, items + i * f->size, &elem);
        if (!e)
            pop(c, old);
    }
    return e;
}

static q2o_err dec_union(ctx *c, const qc_field *f, uint8_t *base, avro_value_t *v)
{
    int d = -1;
    avro_value_t branch;
    AV(c, avro_value_get_discriminant(v, &d));
    if (d < 0 || (unsigned)d >= f->n_branches)
        return fail(c, Q2O_WIRE_BAD_ENUM, "branch %d not in 0..%u", d, f->n_branches - 1);
    AV(c, avro_value_get_current_branch(v, &branch));
    int32_t type = d + 1;
    memcpy(base + f->count_off, &type, sizeof type);
    const qc_record *rec = f->branches[d];
    size_t old = push(c, rec->name, 0);
    q2o_err e = dec_record(c, rec, base, &branch);
    if (!e)
        pop(c, old);
    return e;
}

static q2o_err dec_evtype(ctx *c, avro_value_t *v, uint8_t *p)
{
    char name[Q2O_CODE_MAX + 16];
    q2o_err e = get_str_into(c, v, name, sizeof name);
    if (e)
        return e;
    int t = q2o_event_type_parse(name);
    if (t <= Q2O_EV_NONE)
        return fail(c, Q2O_WIRE_BAD_ENUM, "unknown event type \"%s\"", name);
    int32_t t32 = t;
    memcpy(p, &t32, sizeof t32);
    return Q2O_OK;
}

/* A virtual field is read after the rest of its record: it must equal what
 * the fields it summarises yield (when the table says to verify it). */
static q2o_err dec_virtual(ctx *c, const qc_field *f, avro_value_t *v)
{
    char got[VIRT_MAX], want[VIRT_MAX];
    q2o_err e = get_str_into(c, v, got, sizeof got);
    if (e || !f->max)
        return e;
    f->virt(c->top, want, sizeof want);
    if (strcmp(got, want) != 0)
        return fail(c, Q2O_WIRE_DECODE_FAILED, "\"%s\" disagrees with the message (\"%s\")", got, want);
    return Q2O_OK;
}

static q2o_err dec_sha(ctx *c, avro_value_t *v, uint8_t *p)
{
    const void *buf = NULL;
    size_t size = 0;
    AV(c, avro_value_get_fixed(v, &buf, &size));
    if (size != 32)
        return fail(c, Q2O_WIRE_BAD_LENGTH, "fixed of %zu bytes, want 32", size);
    memcpy(p, buf, 32);
    return Q2O_OK;
}

static q2o_err dec_field(ctx *c, const qc_field *f, uint8_t *base, avro_value_t *v)
{
    uint8_t *p = base + f->off;
    switch (f->kind) {
    case QC_STR: return get_str_into(c, v, (char *)p, f->size);
    case QC_SHA: return dec_sha(c, v, p);
    case QC_REC: return dec_record(c, f->rec, p, v);
    case QC_ARR: case QC_HEAP: return dec_array(c, f, base, v);
    case QC_UNION: return dec_union(c, f, base, v);
    case QC_VIRTUAL: return dec_virtual(c, f, v);
    case QC_EVTYPE: return dec_evtype(c, v, p);
    default: return get_scalar(c, f, v, p);
    }
}

/* Pass 0 reads the stored fields, pass 1 the virtual ones. */
static q2o_err dec_record(ctx *c, const qc_record *rec, uint8_t *base, avro_value_t *v)
{
    size_t n = 0;
    AV(c, avro_value_get_size(v, &n));
    if (n != rec->n_fields)
        return fail(c, Q2O_WIRE_DECODE_FAILED, "record q2o.%s has %zu fields, want %u", rec->name, n,
                    rec->n_fields);
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < rec->n_fields; i++) {
            const qc_field *f = &rec->fields[i];
            if ((f->kind == QC_VIRTUAL) != pass)
                continue;
            avro_value_t fv;
            AV(c, avro_value_get_by_index(v, i, &fv, NULL));
            size_t old = push(c, f->name, 0);
            q2o_err e = dec_field(c, f, base, &fv);
            if (e)
                return e;
            pop(c, old);
        }
    }
    return Q2O_OK;
}

q2o_err qc_decode(const qc_record *rec, avro_value_t *val, void *obj, char *detail,
                  size_t detail_size)
{
    ctx c = {.encoding = 0, .top = obj, .detail = detail, .detail_size = detail_size};
    return dec_record(&c, rec, obj, val);
}

/* ================================ release =============================== */

static void free_heaps_at(const qc_record *rec, uint8_t *base)
{
    for (unsigned i = 0; i < rec->n_fields; i++) {
        const qc_field *f = &rec->fields[i];
        if (f->kind == QC_HEAP) {
            void *p;
            memcpy(&p, base + f->off, sizeof p);
            free(p);
            p = NULL;
            memcpy(base + f->off, &p, sizeof p);
        } else if (f->kind == QC_UNION) {
            int32_t type;
            memcpy(&type, base + f->count_off, sizeof type);
            if (type >= 1 && (uint32_t)type <= f->n_branches)
                free_heaps_at(f->branches[type - 1], base);
        } else if (f->kind == QC_REC) {
            free_heaps_at(f->rec, base + f->off);
        }
    }
}

void qc_free_heaps(const qc_record *rec, void *obj)
{
    free_heaps_at(rec, obj);
}
