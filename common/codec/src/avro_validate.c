/*
 * avro_validate.c — the bounded pre-walk of an Avro binary body.
 *
 * Reads the body exactly as avro-c's value reader would (same order, same
 * varints) but allocates nothing and checks every length, index and count
 * against the bytes that remain and q2o's limits. avro-c only sees bytes this
 * walk accepted, so its unchecked paths (negative lengths, huge lengths, leaks
 * on failed reads) are unreachable.
 *
 * Field paths for error details are kept as a stack of frames (a field name,
 * an array index or a map key pointing into the input) and rendered only when
 * an error occurs, so the success path pays nothing for them.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "avro_internal.h"
#include "codec/avro_wire.h"
#include "core/limits.h"

enum frame_kind { FRAME_FIELD, FRAME_INDEX, FRAME_KEY };

struct frame {
    enum frame_kind kind;
    const char *text; /* field name, or key bytes (not NUL-terminated) */
    size_t text_len;
    int64_t index;
};

struct walk {
    const uint8_t *start, *p, *end;
    size_t items; /* array items + map entries so far */
    int depth;
    int nframes;
    struct frame frames[Q2O_AVRO_MAX_DEPTH + 2];
    char *detail;
    size_t detail_size;
};

static size_t render_key(char *out, size_t size, const struct frame *f)
{
    char key[41];
    size_t max = f->text_len < 40 ? f->text_len : 40;
    for (size_t i = 0; i < max; i++) {
        unsigned char c = (unsigned char)f->text[i];
        key[i] = (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) ? '?' : (char)c;
    }
    key[max] = '\0';
    return (size_t)snprintf(out, size, "[\"%s%s\"]", key, f->text_len > max ? "..." : "");
}

/* "lines[3].options[\"color\"]" into out. */
static void render_path(const struct walk *w, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < w->nframes && n < size; i++) {
        const struct frame *f = &w->frames[i];
        if (f->kind == FRAME_FIELD)
            n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "." : "", f->text);
        else if (f->kind == FRAME_INDEX)
            n += (size_t)snprintf(out + n, size - n, "[%" PRId64 "]", f->index);
        else
            n += render_key(out + n, size - n, f);
    }
}

static q2o_err fail(struct walk *w, q2o_err err, const char *fmt, ...) Q2O_PRINTF(3, 4);
static q2o_err fail(struct walk *w, q2o_err err, const char *fmt, ...)
{
    char path[256], msg[256];
    va_list ap;
    if (!w->detail || w->detail_size == 0)
        return err;
    render_path(w, path, sizeof path);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return q2o_codec_fail(err, w->detail, w->detail_size, "%s%s%s (body offset %td)",
                          path, path[0] ? ": " : "", msg, w->p - w->start);
}

static size_t left(const struct walk *w)
{
    return (size_t)(w->end - w->p);
}

static q2o_err read_long(struct walk *w, int64_t *v)
{
    size_t used = 0;
    q2o_err err = q2o_avro_varint_get(w->p, left(w), v, &used);
    if (err == Q2O_WIRE_TRUNCATED)
        return fail(w, err, "the message ends inside a varint");
    if (err != Q2O_OK)
        return fail(w, err, "malformed varint");
    w->p += used;
    return Q2O_OK;
}

static q2o_err read_int(struct walk *w, int64_t *v)
{
    const uint8_t *start = w->p;
    q2o_err err = read_long(w, v);
    if (err != Q2O_OK)
        return err;
    if (w->p - start > 5 || *v < INT32_MIN || *v > INT32_MAX)
        return fail(w, Q2O_WIRE_DECODE_FAILED, "int out of range");
    return Q2O_OK;
}

static q2o_err need(struct walk *w, size_t n, const char *what)
{
    if (left(w) < n)
        return fail(w, Q2O_WIRE_TRUNCATED, "the message ends inside a %s (%zu of %zu bytes)",
                    what, left(w), n);
    return Q2O_OK;
}

/* Length of a string or bytes: non-negative, within limits and the input. */
static q2o_err read_length(struct walk *w, const char *what, size_t *out)
{
    int64_t n;
    q2o_err err = read_long(w, &n);
    if (err != Q2O_OK)
        return err;
    if (n < 0)
        return fail(w, Q2O_WIRE_BAD_LENGTH, "negative %s length %" PRId64, what, n);
    if ((uint64_t)n > Q2O_MAX_MESSAGE_BYTES)
        return fail(w, Q2O_WIRE_BAD_LENGTH, "%s length %" PRId64 " above the limit %u", what, n,
                    Q2O_MAX_MESSAGE_BYTES);
    *out = (size_t)n;
    return need(w, *out, what);
}

/* Length of the UTF-8 sequence starting at s[0..n) if well formed (no
 * overlong form, no surrogate, at most U+10FFFF), else 0. */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

static q2o_err check_text(struct walk *w, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = s[i] == 0 ? 0 : utf8_seq(s + i, n - i);
        if (k == 0)
            return fail(w, Q2O_WIRE_DECODE_FAILED, "%s at string byte %zu",
                        s[i] == 0 ? "NUL" : "invalid UTF-8", i);
        i += k;
    }
    return Q2O_OK;
}

static q2o_err read_string(struct walk *w, const uint8_t **s, size_t *n)
{
    q2o_err err = read_length(w, "string", n);
    if (err != Q2O_OK)
        return err;
    if ((err = check_text(w, w->p, *n)) != Q2O_OK)
        return err;
    *s = w->p;
    w->p += *n;
    return Q2O_OK;
}

static q2o_err value(struct walk *w, avro_schema_t s);

static q2o_err push_and_walk(struct walk *w, struct frame f, avro_schema_t s)
{
    w->frames[w->nframes++] = f;
    q2o_err err = value(w, s);
    if (err == Q2O_OK)
        w->nframes--; /* on error the frame stays: the path names the culprit */
    return err;
}

static q2o_err record(struct walk *w, avro_schema_t s)
{
    size_t n = avro_schema_record_size(s);
    for (size_t i = 0; i < n; i++) {
        struct frame f = {FRAME_FIELD, avro_schema_record_field_name(s, (int)i), 0, 0};
        q2o_err err = push_and_walk(w, f, avro_schema_record_field_get_by_index(s, (int)i));
        if (err != Q2O_OK)
            return err;
    }
    return Q2O_OK;
}

/* One block header: *count items, and when the count was negative the
 * block's byte size in *size (else -1). 0 ends the array or map. */
static q2o_err block_header(struct walk *w, int64_t *count, int64_t *size)
{
    q2o_err err = read_long(w, count);
    *size = -1;
    if (err != Q2O_OK || *count >= 0)
        goto check;
    if (*count == INT64_MIN)
        return fail(w, Q2O_WIRE_BAD_LENGTH, "block count out of range");
    *count = -*count;
    if ((err = read_long(w, size)) != Q2O_OK)
        return err;
    if (*size < 0)
        return fail(w, Q2O_WIRE_BAD_LENGTH, "negative block size %" PRId64, *size);
    if ((uint64_t)*size > left(w))
        return fail(w, Q2O_WIRE_TRUNCATED, "block size %" PRId64 " runs past the end", *size);
check:
    if (err == Q2O_OK && (uint64_t)*count > Q2O_AVRO_MAX_ITEMS - w->items)
        return fail(w, Q2O_WIRE_BAD_LENGTH, "more than %u array items or map entries",
                    Q2O_AVRO_MAX_ITEMS);
    return err;
}

/* An array (is_map 0) or a map (is_map 1) of items. */
static q2o_err blocks(struct walk *w, avro_schema_t items, int is_map)
{
    int64_t index = 0, count, size;
    q2o_err err;
    while ((err = block_header(w, &count, &size)) == Q2O_OK && count != 0) {
        const uint8_t *start = w->p;
        w->items += (size_t)count;
        for (int64_t i = 0; i < count; i++, index++) {
            struct frame f = {FRAME_INDEX, NULL, 0, index};
            if (is_map) {
                const uint8_t *key;
                if ((err = read_string(w, &key, &f.text_len)) != Q2O_OK)
                    return err;
                f.kind = FRAME_KEY, f.text = (const char *)key;
            }
            if ((err = push_and_walk(w, f, items)) != Q2O_OK)
                return err;
        }
        if (size >= 0 && w->p - start != size)
            return fail(w, Q2O_WIRE_BAD_LENGTH, "block size %" PRId64 " but its items took %td",
                        size, w->p - start);
    }
    return err;
}

static q2o_err scalar(struct walk *w, avro_schema_t s)
{
    int64_t v;
    size_t n;
    q2o_err err = Q2O_OK;
    switch (avro_typeof(s)) {
    case AVRO_NULL: return Q2O_OK;
    case AVRO_INT32: return read_int(w, &v);
    case AVRO_INT64: return read_long(w, &v);
    case AVRO_FLOAT: n = 4; break;
    case AVRO_DOUBLE: n = 8; break;
    case AVRO_FIXED: n = (size_t)avro_schema_fixed_size(s); break;
    case AVRO_BOOLEAN:
        if ((err = need(w, 1, "boolean")) == Q2O_OK && *w->p > 1)
            return fail(w, Q2O_WIRE_DECODE_FAILED, "boolean byte %u is not 0 or 1", *w->p);
        n = 1;
        break;
    case AVRO_BYTES: err = read_length(w, "bytes", &n); break;
    case AVRO_STRING: {
        const uint8_t *str;
        return read_string(w, &str, &n);
    }
    default: return fail(w, Q2O_INTERNAL, "unexpected schema type %d", (int)avro_typeof(s));
    }
    if (err == Q2O_OK && (err = need(w, n, avro_schema_type_name(s))) == Q2O_OK)
        w->p += n;
    return err;
}

/* An enum index (an Avro int) or a union branch index (a long). */
static q2o_err index_in(struct walk *w, int64_t max, const char *what, int64_t *out)
{
    q2o_err err = strcmp(what, "enum") == 0 ? read_int(w, out) : read_long(w, out);
    if (err == Q2O_OK && (*out < 0 || *out >= max))
        return fail(w, Q2O_WIRE_BAD_ENUM, "%s index %" PRId64 " not in 0..%" PRId64, what, *out,
                    max - 1);
    return err;
}

static q2o_err value(struct walk *w, avro_schema_t s)
{
    int64_t i;
    q2o_err err;
    if (is_avro_link(s))
        s = avro_schema_link_target(s);
    if (w->depth > Q2O_AVRO_MAX_DEPTH) /* same rule as the schema walk */
        return fail(w, Q2O_TOO_LARGE, "nested deeper than %d levels", Q2O_AVRO_MAX_DEPTH);
    w->depth++;
    switch (avro_typeof(s)) {
    case AVRO_RECORD: err = record(w, s); break;
    case AVRO_ARRAY: err = blocks(w, avro_schema_array_items(s), 0); break;
    case AVRO_MAP: err = blocks(w, avro_schema_map_values(s), 1); break;
    case AVRO_ENUM:
        err = index_in(w, avro_schema_enum_number_of_symbols(s), "enum", &i);
        break;
    case AVRO_UNION:
        err = index_in(w, (int64_t)avro_schema_union_size(s), "union branch", &i);
        if (err == Q2O_OK)
            err = value(w, avro_schema_union_branch(s, (int)i));
        break;
    default: err = scalar(w, s); break;
    }
    w->depth--;
    return err;
}

q2o_err q2o_avro_validate(const q2o_schema *schema, const uint8_t *body, size_t len,
                          char *detail, size_t detail_size)
{
    struct walk w = {.start = body, .p = body, .end = body + len, .detail = detail, .detail_size = detail_size};
    if (len > Q2O_MAX_MESSAGE_BYTES)
        return q2o_codec_fail(Q2O_TOO_LARGE, detail, detail_size, "body of %zu bytes, limit %u",
                              len, Q2O_MAX_MESSAGE_BYTES);
    q2o_err err = value(&w, q2o_schema_avro(schema));
    if (err == Q2O_OK && w.p != w.end)
        err = q2o_codec_fail(Q2O_WIRE_TRAILING_BYTES, detail, detail_size,
                             "%zu bytes after the last field", left(&w));
    return err;
}
