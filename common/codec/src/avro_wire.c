/*
 * avro_wire.c — single-object framing, encode and decode.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "avro_internal.h"
#include "codec/avro_wire.h"
#include "core/check.h"
#include "core/limits.h"

size_t q2o_avro_varint_put(int64_t v, uint8_t out[Q2O_AVRO_VARINT_MAX])
{
    uint64_t n = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); /* zig-zag */
    size_t i = 0;
    while (n > 0x7F) {
        out[i++] = (uint8_t)((n & 0x7F) | 0x80);
        n >>= 7;
    }
    out[i++] = (uint8_t)n;
    return i;
}

q2o_err q2o_avro_varint_get(const uint8_t *buf, size_t len, int64_t *out, size_t *consumed)
{
    uint64_t n = 0;
    for (size_t i = 0; i < Q2O_AVRO_VARINT_MAX; i++) {
        if (i == len)
            return Q2O_WIRE_TRUNCATED;
        uint8_t b = buf[i];
        /* The 10th byte holds bit 63 only: anything more would be lost. */
        if (i == Q2O_AVRO_VARINT_MAX - 1 && b > 1)
            return Q2O_WIRE_DECODE_FAILED;
        n |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            *out = (int64_t)(n >> 1) ^ -(int64_t)(n & 1);
            *consumed = i + 1;
            return Q2O_OK;
        }
    }
    return Q2O_WIRE_DECODE_FAILED;
}

void q2o_avro_header_put(const q2o_schema *schema, uint8_t out[Q2O_AVRO_HEADER_BYTES])
{
    uint64_t fp = q2o_schema_fingerprint(schema);
    out[0] = Q2O_AVRO_MAGIC0;
    out[1] = Q2O_AVRO_MAGIC1;
    for (int i = 0; i < 8; i++)
        out[2 + i] = (uint8_t)(fp >> (8 * i));
}

static uint64_t header_fingerprint(const uint8_t *buf)
{
    uint64_t fp = 0;
    for (int i = 0; i < 8; i++)
        fp |= (uint64_t)buf[2 + i] << (8 * i);
    return fp;
}

/* Size, marker and length of the header; the fingerprint in *fp. */
static q2o_err check_header(const uint8_t *buf, size_t len, uint64_t *fp, char *detail,
                            size_t detail_size)
{
    if (len > Q2O_MAX_MESSAGE_BYTES)
        return q2o_codec_fail(Q2O_TOO_LARGE, detail, detail_size,
                              "message of %zu bytes, limit %u", len, Q2O_MAX_MESSAGE_BYTES);
    if ((len > 0 && buf[0] != Q2O_AVRO_MAGIC0) || (len > 1 && buf[1] != Q2O_AVRO_MAGIC1))
        return q2o_codec_fail(Q2O_WIRE_BAD_MAGIC, detail, detail_size,
                              "message starts %02x %02x, not c3 01", buf[0],
                              len > 1 ? buf[1] : 0);
    if (len < Q2O_AVRO_HEADER_BYTES)
        return q2o_codec_fail(Q2O_WIRE_TRUNCATED, detail, detail_size,
                              "message of %zu bytes, shorter than its %u-byte header", len,
                              Q2O_AVRO_HEADER_BYTES);
    *fp = header_fingerprint(buf);
    return Q2O_OK;
}

q2o_err q2o_avro_peek(const q2o_schema_set *set, const uint8_t *buf, size_t len,
                      const q2o_schema **out, char *detail, size_t detail_size)
{
    uint64_t fp = 0;
    *out = NULL;
    q2o_err err = check_header(buf, len, &fp, detail, detail_size);
    if (err != Q2O_OK)
        return err;
    if (!(*out = q2o_schema_set_find_fingerprint(set, fp)))
        return q2o_codec_fail(Q2O_WIRE_UNKNOWN_SCHEMA, detail, detail_size,
                              "no schema has fingerprint %016" PRIx64, fp);
    return Q2O_OK;
}

/* --- encode ---------------------------------------------------------------- */

q2o_err q2o_avro_encoded_size(const q2o_schema *schema, avro_value_t *value, size_t *out,
                              char *detail, size_t detail_size)
{
    size_t body = 0;
    *out = 0;
    if (!q2o_avro_value_is_of(value, q2o_schema_avro(schema)))
        return q2o_codec_fail(Q2O_INVALID_ARGUMENT, detail, detail_size,
                              "the value is not of schema %s", q2o_schema_name(schema));
    if (avro_value_sizeof(value, &body) != 0)
        return q2o_codec_fail_avro(Q2O_WIRE_ENCODE_FAILED, detail, detail_size,
                                   "avro-c cannot size the value");
    *out = Q2O_AVRO_HEADER_BYTES + body;
    return Q2O_OK;
}

/* Write the body of exactly body_len bytes at buf + header, then prove it
 * reads back. */
static q2o_err write_body(const q2o_schema *schema, avro_value_t *value, uint8_t *buf,
                          size_t body_len, char *detail, size_t detail_size)
{
    char why[256];
    q2o_err err = Q2O_OK;
    avro_writer_t writer = avro_writer_memory((const char *)buf + Q2O_AVRO_HEADER_BYTES,
                                              (int64_t)body_len);
    if (!writer)
        return q2o_codec_fail(Q2O_NO_MEMORY, detail, detail_size, "out of memory");
    if (avro_value_write(writer, value) != 0) {
        /* avro-c 1.11.1 fails with EINVAL and no message on a bytes value
         * that was never set (NULL buffer): say so. */
        err = q2o_codec_fail_avro(Q2O_WIRE_ENCODE_FAILED, detail, detail_size,
                                  "avro-c cannot write the value (a bytes field never set?)");
        goto out;
    }
    /* avro_value_sizeof and avro_value_write are separate walks: never ship
     * a body whose size disagrees with the one promised. */
    if (avro_writer_tell(writer) != (int64_t)body_len) {
        err = q2o_codec_fail(Q2O_WIRE_ENCODE_FAILED, detail, detail_size,
                             "avro-c wrote %" PRId64 " bytes of a %zu-byte body",
                             avro_writer_tell(writer), body_len);
        goto out;
    }
    q2o_avro_header_put(schema, buf);
    if (q2o_avro_validate(schema, buf + Q2O_AVRO_HEADER_BYTES, body_len, why, sizeof why) !=
        Q2O_OK)
        err = q2o_codec_fail(Q2O_WIRE_ENCODE_FAILED, detail, detail_size,
                             "the encoding would not decode: %s", why);
out:
    avro_writer_free(writer);
    return err;
}

static q2o_err size_checked(const q2o_schema *schema, avro_value_t *value, size_t *need,
                            char *detail, size_t detail_size)
{
    q2o_err err = q2o_avro_encoded_size(schema, value, need, detail, detail_size);
    if (err == Q2O_OK && *need > Q2O_MAX_MESSAGE_BYTES)
        err = q2o_codec_fail(Q2O_TOO_LARGE, detail, detail_size,
                             "%s message of %zu bytes, limit %u", q2o_schema_name(schema), *need,
                             Q2O_MAX_MESSAGE_BYTES);
    return err;
}

q2o_err q2o_avro_encode(const q2o_schema *schema, avro_value_t *value, uint8_t *buf,
                        size_t size, size_t *out_len, char *detail, size_t detail_size)
{
    size_t need = 0;
    q2o_err err = size_checked(schema, value, &need, detail, detail_size);
    *out_len = 0;
    if (err != Q2O_OK)
        return err;
    if (need > size) {
        *out_len = need;
        return q2o_codec_fail(Q2O_INVALID_ARGUMENT, detail, detail_size,
                              "buffer of %zu bytes, the message needs %zu", size, need);
    }
    err = write_body(schema, value, buf, need - Q2O_AVRO_HEADER_BYTES, detail, detail_size);
    if (err == Q2O_OK)
        *out_len = need;
    return err;
}

q2o_err q2o_avro_encode_alloc(const q2o_schema *schema, avro_value_t *value, uint8_t **out,
                              size_t *out_len, char *detail, size_t detail_size)
{
    size_t need = 0;
    uint8_t *buf = NULL;
    *out = NULL;
    *out_len = 0;
    q2o_err err = size_checked(schema, value, &need, detail, detail_size);
    if (err != Q2O_OK)
        return err;
    if (!(buf = malloc(need)))
        return q2o_codec_fail(Q2O_NO_MEMORY, detail, detail_size, "out of memory");
    err = write_body(schema, value, buf, need - Q2O_AVRO_HEADER_BYTES, detail, detail_size);
    if (err != Q2O_OK) {
        free(buf);
        return err;
    }
    *out = buf;
    *out_len = need;
    return Q2O_OK;
}

/* --- decode ---------------------------------------------------------------- */

/* Let avro-c read a body that q2o_avro_validate accepted into value. */
static q2o_err read_body(const uint8_t *buf, size_t len, avro_value_t *value, char *detail,
                         size_t detail_size)
{
    const uint8_t *body = buf + Q2O_AVRO_HEADER_BYTES;
    size_t body_len = len - Q2O_AVRO_HEADER_BYTES;
    q2o_err err = Q2O_OK;
    avro_reader_t reader = avro_reader_memory((const char *)body, (int64_t)body_len);
    if (!reader)
        return q2o_codec_fail(Q2O_NO_MEMORY, detail, detail_size, "out of memory");
    if (avro_value_read(reader, value) != 0)
        err = q2o_codec_fail_avro(Q2O_WIRE_DECODE_FAILED, detail, detail_size,
                                  "avro-c refused a validated body");
    avro_reader_free(reader);
    return err;
}

q2o_err q2o_avro_decode_into(const q2o_schema *schema, const uint8_t *buf, size_t len,
                             avro_value_t *value, char *detail, size_t detail_size)
{
    uint64_t fp = 0;
    Q2O_CHECK(schema != NULL && value != NULL);
    if (!q2o_avro_value_is_of(value, q2o_schema_avro(schema)))
        return q2o_codec_fail(Q2O_INVALID_ARGUMENT, detail, detail_size,
                              "the value is not of schema %s", q2o_schema_name(schema));
    q2o_err err = check_header(buf, len, &fp, detail, detail_size);
    if (err != Q2O_OK)
        return err;
    if (fp != q2o_schema_fingerprint(schema))
        return q2o_codec_fail(Q2O_WIRE_UNKNOWN_SCHEMA, detail, detail_size,
                              "fingerprint %016" PRIx64 " is not that of %s", fp,
                              q2o_schema_name(schema));
    err = q2o_avro_validate(schema, buf + Q2O_AVRO_HEADER_BYTES, len - Q2O_AVRO_HEADER_BYTES,
                            detail, detail_size);
    if (err != Q2O_OK)
        return err;
    return read_body(buf, len, value, detail, detail_size);
}

q2o_err q2o_avro_decode(const q2o_schema_set *set, const uint8_t *buf, size_t len,
                        const q2o_schema **schema_out, avro_value_t *value_out, char *detail,
                        size_t detail_size)
{
    const q2o_schema *schema = NULL;
    Q2O_CHECK(schema_out != NULL && value_out != NULL);
    memset(value_out, 0, sizeof *value_out);
    *schema_out = NULL;
    q2o_err err = q2o_avro_peek(set, buf, len, &schema, detail, detail_size);
    if (err != Q2O_OK)
        return err;
    /* Validate before allocating: hostile bytes cost no value. */
    err = q2o_avro_validate(schema, buf + Q2O_AVRO_HEADER_BYTES, len - Q2O_AVRO_HEADER_BYTES,
                            detail, detail_size);
    if (err != Q2O_OK)
        return err;
    if ((err = q2o_schema_new_value(schema, value_out)) != Q2O_OK)
        return q2o_codec_fail(err, detail, detail_size, "out of memory");
    err = read_body(buf, len, value_out, detail, detail_size);
    if (err != Q2O_OK) {
        avro_value_decref(value_out);
        memset(value_out, 0, sizeof *value_out);
        return err;
    }
    *schema_out = schema;
    return Q2O_OK;
}
