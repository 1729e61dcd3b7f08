/* Single-object encoding: round trips, and hostile bytes refused with the
 * right code before avro-c sees them (run under ASan: no crash, no leak). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_wire.h"
#include "core/limits.h"

/* Hand-encodable schema: every kind of field the validator checks. */
#define H_JSON                                                                                  \
    "{\"type\":\"record\",\"name\":\"H\",\"namespace\":\"t\",\"fields\":["                     \
    "{\"name\":\"s\",\"type\":\"string\"},"                                                     \
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}}," \
    "{\"name\":\"u\",\"type\":[\"null\",\"long\"]},"                                            \
    "{\"name\":\"lines\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\","           \
    "\"name\":\"L\",\"fields\":[{\"name\":\"quantity\",\"type\":\"int\"}]}}},"                  \
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"boolean\"}},"                     \
    "{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}},"                 \
    "{\"name\":\"d\",\"type\":\"double\"},"                                                     \
    "{\"name\":\"nulls\",\"type\":{\"type\":\"array\",\"items\":\"null\"}},"                   \
    "{\"name\":\"b\",\"type\":\"bytes\"}]}"

#define NODE_JSON                                                                               \
    "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"next\",\"type\":"          \
    "[\"null\",\"Node\"]}]}"

static q2o_schema_set *set;
static const q2o_schema *h_schema, *node_schema;

static void setup(void)
{
    const char *texts[] = {H_JSON, NODE_JSON};
    char detail[256] = "";
    q2o_err err = q2o_schema_set_load_json(texts, NULL, 2, &set, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "%s", detail);
    h_schema = q2o_schema_set_find_name(set, "t.H");
    node_schema = q2o_schema_set_find_name(set, "Node");
    cr_assert(h_schema && node_schema);
}

static void teardown(void)
{
    q2o_schema_set_free(set);
}

TestSuite(codec_avro_wire, .init = setup, .fini = teardown);

/* --- a message builder ------------------------------------------------------ */

struct msg {
    uint8_t b[4096];
    size_t n;
};

static void put_bytes(struct msg *m, const void *p, size_t n)
{
    cr_assert_leq(m->n + n, sizeof m->b);
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void put_long(struct msg *m, int64_t v)
{
    uint8_t tmp[Q2O_AVRO_VARINT_MAX];
    put_bytes(m, tmp, q2o_avro_varint_put(v, tmp));
}

static void put_str(struct msg *m, const char *s)
{
    put_long(m, (int64_t)strlen(s));
    put_bytes(m, s, strlen(s));
}

static void put_header(struct msg *m, const q2o_schema *s)
{
    m->n = 0;
    q2o_avro_header_put(s, m->b);
    m->n = Q2O_AVRO_HEADER_BYTES;
}

/* The fields of H after s: e=B, u=long 7, lines=[{5},{6}], m={"k":true},
 * f="xy", d=1.5, nulls=[null x3], b="\x00\xff". */
static void put_after_s(struct msg *m)
{
    static const double d = 1.5;
    put_long(m, 1);
    put_long(m, 1), put_long(m, 7);
    put_long(m, 2), put_long(m, 5), put_long(m, 6), put_long(m, 0);
    put_long(m, 1), put_str(m, "k"), put_bytes(m, "\x01", 1), put_long(m, 0);
    put_bytes(m, "xy", 2);
    put_bytes(m, &d, 8); /* little-endian host: x86-64 and arm64 */
    put_long(m, 3), put_long(m, 0);
    put_long(m, 2), put_bytes(m, "\x00\xff", 2);
}

static void valid_h(struct msg *m)
{
    put_header(m, h_schema);
    put_str(m, "hello");
    put_after_s(m);
}

static q2o_err decode(const struct msg *m, char *detail, size_t size)
{
    const q2o_schema *s = NULL;
    avro_value_t v;
    q2o_err err = q2o_avro_decode(set, m->b, m->n, &s, &v, detail, size);
    if (err == Q2O_OK)
        avro_value_decref(&v);
    else
        cr_expect(s == NULL && v.iface == NULL && v.self == NULL, "outputs not cleared");
    return err;
}

static void expect_refused(const struct msg *m, q2o_err want, const char *in_detail)
{
    char detail[512] = "";
    q2o_err err = decode(m, detail, sizeof detail);
    cr_expect_eq(err, want, "got %s (%s), want %s", q2o_err_name(err), detail, q2o_err_name(want));
    if (in_detail)
        cr_expect(strstr(detail, in_detail) != NULL, "detail \"%s\" lacks \"%s\"", detail,
                  in_detail);
}

/* --- varints ---------------------------------------------------------------- */

Test(codec_avro_wire, varints_round_trip_at_the_extremes)
{
    static const int64_t cases[] = {0, -1, 1, 63, -64, 64, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[Q2O_AVRO_VARINT_MAX];
        size_t n = q2o_avro_varint_put(cases[i], buf), used = 0;
        int64_t back = 0;
        cr_expect_eq(q2o_avro_varint_get(buf, n, &back, &used), Q2O_OK);
        cr_expect_eq(back, cases[i]);
        cr_expect_eq(used, n);
        cr_expect_eq(q2o_avro_varint_get(buf, n - 1, &back, &used), Q2O_WIRE_TRUNCATED);
    }
    uint8_t zero_is_one_byte[Q2O_AVRO_VARINT_MAX];
    cr_expect_eq(q2o_avro_varint_put(0, zero_is_one_byte), 1);
    cr_expect_eq(q2o_avro_varint_put(INT64_MIN, zero_is_one_byte), 10);
}

Test(codec_avro_wire, varints_longer_than_64_bits_are_malformed)
{
    uint8_t eleven[11] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    uint8_t overflow[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    int64_t v;
    size_t used;
    cr_expect_eq(q2o_avro_varint_get(eleven, sizeof eleven, &v, &used), Q2O_WIRE_DECODE_FAILED);
    cr_expect_eq(q2o_avro_varint_get(overflow, sizeof overflow, &v, &used), Q2O_WIRE_DECODE_FAILED);
}

/* --- round trips ------------------------------------------------------------- */

Test(codec_avro_wire, hand_encoded_message_decodes_to_its_fields)
{
    struct msg m;
    const q2o_schema *s = NULL;
    avro_value_t v, field, item, q;
    char detail[256] = "";
    const char *str;
    size_t len;
    int32_t quantity;
    valid_h(&m);
    cr_assert_eq(q2o_avro_decode(set, m.b, m.n, &s, &v, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_expect_eq(s, h_schema);
    cr_assert_eq(avro_value_get_by_name(&v, "s", &field, NULL), 0);
    cr_assert_eq(avro_value_get_string(&field, &str, &len), 0);
    cr_expect_str_eq(str, "hello");
    cr_assert_eq(avro_value_get_by_name(&v, "lines", &field, NULL), 0);
    cr_assert_eq(avro_value_get_by_index(&field, 1, &item, NULL), 0);
    cr_assert_eq(avro_value_get_by_name(&item, "quantity", &q, NULL), 0);
    cr_assert_eq(avro_value_get_int(&q, &quantity), 0);
    cr_expect_eq(quantity, 6);

    /* Re-encoding gives back the very same bytes. */
    uint8_t *again = NULL;
    size_t again_len = 0;
    cr_assert_eq(q2o_avro_encode_alloc(h_schema, &v, &again, &again_len, detail, sizeof detail),
                 Q2O_OK, "%s", detail);
    cr_expect_eq(again_len, m.n);
    cr_expect_arr_eq(again, m.b, m.n);
    free(again);
    avro_value_decref(&v);
}

Test(codec_avro_wire, negative_block_counts_with_their_byte_size_are_read)
{
    struct msg m;
    const q2o_schema *s;
    avro_value_t v, lines;
    char detail[256] = "";
    size_t n = 0;
    put_header(&m, h_schema);
    put_str(&m, "");
    put_long(&m, 0), put_long(&m, 0);                   /* e, u=null */
    put_long(&m, -2), put_long(&m, 2), put_long(&m, 5), put_long(&m, 6); /* block of 2 items, 2 bytes */
    put_long(&m, 1), put_long(&m, 7), put_long(&m, 0);  /* then 1 more */
    put_long(&m, 0), put_bytes(&m, "xy", 2), put_bytes(&m, "\0\0\0\0\0\0\0\0", 8);
    put_long(&m, 0), put_long(&m, 0);
    cr_assert_eq(q2o_avro_decode(set, m.b, m.n, &s, &v, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(avro_value_get_by_name(&v, "lines", &lines, NULL), 0);
    cr_assert_eq(avro_value_get_size(&lines, &n), 0);
    cr_expect_eq(n, 3);
    avro_value_decref(&v);
}

Test(codec_avro_wire, caller_buffer_encode_reports_the_size_it_needs)
{
    struct msg m;
    avro_value_t v;
    const q2o_schema *s;
    uint8_t small[8], big[512];
    size_t len = 0, need = 0;
    valid_h(&m);
    cr_assert_eq(q2o_avro_decode(set, m.b, m.n, &s, &v, NULL, 0), Q2O_OK);
    cr_expect_eq(q2o_avro_encoded_size(h_schema, &v, &need, NULL, 0), Q2O_OK);
    cr_expect_eq(need, m.n);
    cr_expect_eq(q2o_avro_encode(h_schema, &v, small, sizeof small, &len, NULL, 0),
                 Q2O_INVALID_ARGUMENT);
    cr_expect_eq(len, m.n);
    cr_expect_eq(q2o_avro_encode(h_schema, &v, big, m.n, &len, NULL, 0), Q2O_OK);
    cr_expect_eq(len, m.n);
    cr_expect_arr_eq(big, m.b, m.n);
    /* A value of another schema is refused, not written. */
    cr_expect_eq(q2o_avro_encode(node_schema, &v, big, sizeof big, &len, NULL, 0),
                 Q2O_INVALID_ARGUMENT);
    avro_value_decref(&v);
}

Test(codec_avro_wire, decode_into_reuses_one_value_without_accumulating)
{
    struct msg m;
    avro_value_t v, lines;
    size_t n = 0;
    char detail[256] = "";
    valid_h(&m);
    cr_assert_eq(q2o_schema_new_value(h_schema, &v), Q2O_OK);
    for (int round = 0; round < 3; round++)
        cr_assert_eq(q2o_avro_decode_into(h_schema, m.b, m.n, &v, detail, sizeof detail), Q2O_OK,
                     "%s", detail);
    cr_assert_eq(avro_value_get_by_name(&v, "lines", &lines, NULL), 0);
    cr_assert_eq(avro_value_get_size(&lines, &n), 0);
    cr_expect_eq(n, 2);
    /* A message of another schema, and a value of another schema. */
    struct msg other;
    put_header(&other, node_schema);
    put_long(&other, 0);
    cr_expect_eq(q2o_avro_decode_into(h_schema, other.b, other.n, &v, NULL, 0),
                 Q2O_WIRE_UNKNOWN_SCHEMA);
    cr_expect_eq(q2o_avro_decode_into(node_schema, other.b, other.n, &v, NULL, 0),
                 Q2O_INVALID_ARGUMENT);
    avro_value_decref(&v);
}

Test(codec_avro_wire, encode_refuses_strings_q2o_would_not_read)
{
    avro_value_t v, s, u, branch, f, b;
    char fixed[] = "xy";
    uint8_t *out = NULL;
    size_t len = 0;
    char detail[256] = "";
    cr_assert_eq(q2o_schema_new_value(h_schema, &v), Q2O_OK);
    cr_assert_eq(avro_value_get_by_name(&v, "s", &s, NULL), 0);
    cr_assert_eq(avro_value_set_string(&s, "bad \xff utf-8"), 0);
    cr_assert_eq(avro_value_get_by_name(&v, "u", &u, NULL), 0);
    cr_assert_eq(avro_value_set_branch(&u, 0, &branch), 0);
    /* avro-c cannot write a bytes value that was never set. */
    cr_expect_eq(q2o_avro_encode_alloc(h_schema, &v, &out, &len, detail, sizeof detail),
                 Q2O_WIRE_ENCODE_FAILED);
    cr_expect(strstr(detail, "a bytes field never set"), "%s", detail);
    cr_assert_eq(avro_value_get_by_name(&v, "b", &b, NULL), 0);
    cr_assert_eq(avro_value_set_bytes(&b, fixed, 0), 0);
    cr_assert_eq(avro_value_get_by_name(&v, "f", &f, NULL), 0);
    cr_assert_eq(avro_value_set_fixed(&f, fixed, 2), 0);
    cr_expect_eq(q2o_avro_encode_alloc(h_schema, &v, &out, &len, detail, sizeof detail),
                 Q2O_WIRE_ENCODE_FAILED);
    cr_expect_null(out);
    cr_expect(strstr(detail, "s: invalid UTF-8"), "%s", detail);
    avro_value_decref(&v);
}

/* --- hostile bytes ------------------------------------------------------------ */

Test(codec_avro_wire, every_truncation_of_a_valid_message_is_truncated)
{
    struct msg m, cut;
    valid_h(&m);
    for (size_t n = 0; n < m.n; n++) {
        memcpy(cut.b, m.b, n);
        cut.n = n;
        expect_refused(&cut, Q2O_WIRE_TRUNCATED, NULL);
    }
}

Test(codec_avro_wire, framing_errors)
{
    struct msg m;
    valid_h(&m);
    m.b[0] = 0xC4;
    expect_refused(&m, Q2O_WIRE_BAD_MAGIC, "c4 01");
    m.b[0] = 0xC3, m.b[1] = 0x00;
    expect_refused(&m, Q2O_WIRE_BAD_MAGIC, NULL);
    m.b[1] = 0x01, m.b[5] ^= 0x40;
    expect_refused(&m, Q2O_WIRE_UNKNOWN_SCHEMA, "fingerprint");
    m.b[5] ^= 0x40;
    m.b[m.n++] = 0;
    expect_refused(&m, Q2O_WIRE_TRAILING_BYTES, "1 bytes after");
    struct msg one = {.b = {0x00}, .n = 1};
    expect_refused(&one, Q2O_WIRE_BAD_MAGIC, NULL);
    uint8_t *huge = calloc(1, Q2O_MAX_MESSAGE_BYTES + 1);
    const q2o_schema *s;
    avro_value_t v;
    memcpy(huge, m.b, Q2O_AVRO_HEADER_BYTES);
    cr_expect_eq(q2o_avro_decode(set, huge, Q2O_MAX_MESSAGE_BYTES + 1, &s, &v, NULL, 0),
                 Q2O_TOO_LARGE);
    free(huge);
}

Test(codec_avro_wire, bad_string_lengths)
{
    struct msg m;
    put_header(&m, h_schema);
    put_long(&m, -1), put_after_s(&m);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "s: negative string length -1");
    put_header(&m, h_schema);
    put_long(&m, INT64_MIN);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "negative");
    put_header(&m, h_schema);
    put_long(&m, (int64_t)Q2O_MAX_MESSAGE_BYTES + 1), put_after_s(&m);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "above the limit");
    put_header(&m, h_schema);
    put_long(&m, INT64_MAX);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, NULL);
    put_header(&m, h_schema);
    put_long(&m, 1000), put_after_s(&m);
    expect_refused(&m, Q2O_WIRE_TRUNCATED, "s: the message ends inside a string");
}

Test(codec_avro_wire, bad_text_in_strings)
{
    static const char *const bad[] = {"a\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "\xe2\x82"};
    struct msg m;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put_header(&m, h_schema);
        put_str(&m, bad[i]), put_after_s(&m);
        expect_refused(&m, Q2O_WIRE_DECODE_FAILED, "s: invalid UTF-8");
    }
    put_header(&m, h_schema);
    put_long(&m, 3), put_bytes(&m, "a\0b", 3), put_after_s(&m);
    expect_refused(&m, Q2O_WIRE_DECODE_FAILED, "s: NUL");
}

Test(codec_avro_wire, enum_and_union_indexes_out_of_range)
{
    struct msg m;
    const int64_t bad_enum[] = {3, -1, INT32_MAX, (int64_t)INT32_MAX + 1};
    const q2o_err want_enum[] = {Q2O_WIRE_BAD_ENUM, Q2O_WIRE_BAD_ENUM, Q2O_WIRE_BAD_ENUM,
                                 Q2O_WIRE_DECODE_FAILED};
    for (size_t i = 0; i < 4; i++) {
        put_header(&m, h_schema);
        put_str(&m, ""), put_long(&m, bad_enum[i]);
        expect_refused(&m, want_enum[i], "e: ");
    }
    const int64_t bad_union[] = {2, -1, INT64_MAX};
    for (size_t i = 0; i < 3; i++) {
        put_header(&m, h_schema);
        put_str(&m, ""), put_long(&m, 0), put_long(&m, bad_union[i]);
        expect_refused(&m, Q2O_WIRE_BAD_ENUM, "u: union branch index");
    }
}

/* H up to the lines array, whose blocks the caller writes. */
static void up_to_lines(struct msg *m)
{
    put_header(m, h_schema);
    put_str(m, ""), put_long(m, 0), put_long(m, 0);
}

Test(codec_avro_wire, bad_array_blocks)
{
    struct msg m;
    up_to_lines(&m);
    put_long(&m, (int64_t)1 << 40);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "lines: more than");
    up_to_lines(&m);
    put_long(&m, INT64_MIN);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "block count");
    up_to_lines(&m);
    put_long(&m, -1), put_long(&m, -5);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "negative block size");
    up_to_lines(&m);
    put_long(&m, -1), put_long(&m, 3), put_long(&m, 5), put_long(&m, 0), put_long(&m, 0);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "block size 3 but its items took 1");
    up_to_lines(&m);
    put_long(&m, -1), put_long(&m, 100);
    expect_refused(&m, Q2O_WIRE_TRUNCATED, NULL);
    /* The culprit's path: the second line's quantity is not an int. */
    up_to_lines(&m);
    put_long(&m, 2), put_long(&m, 5), put_long(&m, (int64_t)1 << 33);
    expect_refused(&m, Q2O_WIRE_DECODE_FAILED, "lines[1].quantity: int out of range");
}

Test(codec_avro_wire, zero_byte_items_are_bounded)
{
    /* 2^30 nulls cost 5 bytes on the wire and billions of allocations in
     * avro-c: the item limit refuses them. */
    struct msg m;
    put_header(&m, h_schema);
    put_str(&m, ""), put_long(&m, 0), put_long(&m, 0), put_long(&m, 0), put_long(&m, 0);
    put_bytes(&m, "xy", 2), put_bytes(&m, "\0\0\0\0\0\0\0\0", 8);
    put_long(&m, (int64_t)1 << 30), put_long(&m, 0), put_long(&m, 0);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "nulls: more than");
}

Test(codec_avro_wire, bad_maps_and_booleans_and_varints)
{
    struct msg m;
    up_to_lines(&m);
    put_long(&m, 0);
    put_long(&m, 1), put_str(&m, "color"), put_bytes(&m, "\x02", 1);
    expect_refused(&m, Q2O_WIRE_DECODE_FAILED, "m[\"color\"]: boolean byte 2");
    up_to_lines(&m);
    put_long(&m, 0);
    put_long(&m, 1), put_long(&m, -7);
    expect_refused(&m, Q2O_WIRE_BAD_LENGTH, "m: negative string length");
    put_header(&m, h_schema);
    put_bytes(&m, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
    expect_refused(&m, Q2O_WIRE_DECODE_FAILED, "s: malformed varint");
}

Test(codec_avro_wire, nesting_is_bounded_for_recursive_schemas)
{
    struct msg m;
    put_header(&m, node_schema);
    for (int i = 0; i < 2 * Q2O_AVRO_MAX_DEPTH; i++)
        put_long(&m, 1);
    put_long(&m, 0);
    expect_refused(&m, Q2O_TOO_LARGE, "nested deeper");
    put_header(&m, node_schema);
    for (int i = 0; i < Q2O_AVRO_MAX_DEPTH / 3; i++)
        put_long(&m, 1);
    put_long(&m, 0);
    expect_refused(&m, Q2O_OK, NULL);
}
