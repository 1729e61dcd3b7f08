/*
 * codec/avro_wire.h — Avro single-object encoding of q2o messages.
 *
 * Byte layout of one message (Avro 1.11 "Single-object encoding"):
 *
 *   offset  size  content
 *   0       2     marker C3 01
 *   2       8     CRC-64-AVRO fingerprint of the writer schema's canonical
 *                 form, LITTLE-endian
 *   10      n     Avro binary encoding of the value
 *
 * Decoding never hands untrusted bytes to avro-c before this module has walked
 * them against the writer schema with its own bounded reader
 * (q2o_avro_validate): every varint well formed (an int in 5 bytes and in
 * int32 range, a long in 10 bytes), lengths non-negative and inside the
 * message, strings valid UTF-8 without NUL (avro-c hands out C strings: a NUL
 * would silently cut them), booleans 0 or 1, enum and union indexes in range,
 * array and map blocks sane (a negative count carries a byte size, which must
 * match), items per message at most Q2O_AVRO_MAX_ITEMS, nesting at most
 * Q2O_AVRO_MAX_DEPTH, no trailing bytes. avro-c 1.11.1 accepts negative
 * lengths, trusts huge ones and leaks on some failed reads; the walk makes
 * those paths unreachable. Duplicate map keys are accepted (the last wins).
 *
 * Errors (all INVALID unless said): WIRE_BAD_MAGIC, WIRE_UNKNOWN_SCHEMA,
 * WIRE_TRUNCATED (input ended inside the header or a field; also a length
 * that runs past the end), WIRE_BAD_LENGTH (negative length or block count,
 * a length above Q2O_MAX_MESSAGE_BYTES, items beyond Q2O_AVRO_MAX_ITEMS, a
 * block byte size that does not match), WIRE_BAD_ENUM (enum or union index
 * out of range), WIRE_TRAILING_BYTES, WIRE_DECODE_FAILED (malformed varint,
 * int out of range, boolean not 0/1, invalid UTF-8 or NUL in a string, or
 * avro-c refused), TOO_LARGE (message above Q2O_MAX_MESSAGE_BYTES, nesting
 * above Q2O_AVRO_MAX_DEPTH), WIRE_ENCODE_FAILED (FATAL: avro-c could not
 * write the value, or the bytes would not pass q2o_avro_validate), NO_MEMORY,
 * INVALID_ARGUMENT (a value of another schema, a buffer too small).
 *
 * detail/detail_size: on error a NUL-terminated explanation is written there,
 * led by the path of the offending field when there is one, e.g.
 * "lines[3].quantity: enum index 7 not in 0..2"; map entries print as
 * options["color"]. detail may be NULL when detail_size is 0.
 *
 * Thread safety: every function is reentrant given distinct values; the
 * schema set is only read. avro_strerror's shared buffer is copied at once,
 * but two threads failing inside avro-c at the same moment may still see each
 * other's text (avro-c's limitation; the code is right, only detail may mix).
 */
#ifndef Q2O_CODEC_AVRO_WIRE_H
#define Q2O_CODEC_AVRO_WIRE_H

#include <avro.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/avro_schema.h"
#include "core/error.h"

#define Q2O_AVRO_MAGIC0 0xC3u
#define Q2O_AVRO_MAGIC1 0x01u
#define Q2O_AVRO_HEADER_BYTES 10u

/* Array items plus map entries in one message. A 1,000-line quote with 16
 * options a line has about 17,000; items of an empty type (null, empty
 * record) cost no bytes, so without this bound a 20-byte message could make
 * avro-c allocate billions of elements. */
#define Q2O_AVRO_MAX_ITEMS (256u * 1024u)

/* Longest zig-zag varint of a long. */
#define Q2O_AVRO_VARINT_MAX 10u

/* --- zig-zag varints (Avro int and long) ------------------------------- */

/* Write v as a zig-zag varint into out; returns the byte count (1..10). */
size_t q2o_avro_varint_put(int64_t v, uint8_t out[Q2O_AVRO_VARINT_MAX]);

/* Read one zig-zag varint from buf[0..len) into *out and its size into
 * *consumed. Errors: WIRE_TRUNCATED (len ran out inside it),
 * WIRE_DECODE_FAILED (more than 10 bytes, or bits beyond 64). */
q2o_err q2o_avro_varint_get(const uint8_t *buf, size_t len, int64_t *out, size_t *consumed);

/* --- framing ------------------------------------------------------------ */

/* Write the 10-byte header of schema into out. */
void q2o_avro_header_put(const q2o_schema *schema, uint8_t out[Q2O_AVRO_HEADER_BYTES]);

/* Identify the writer schema of a message by its header. *out is borrowed
 * from set. Errors: TOO_LARGE, WIRE_BAD_MAGIC, WIRE_TRUNCATED (fewer than 10
 * bytes), WIRE_UNKNOWN_SCHEMA. */
q2o_err q2o_avro_peek(const q2o_schema_set *set, const uint8_t *buf, size_t len,
                      const q2o_schema **out, char *detail, size_t detail_size);

/* --- encode --------------------------------------------------------------- */

/* Size in bytes of value's single-object encoding (header + body). value is
 * not modified (avro-c's API takes it non-const). Errors: INVALID_ARGUMENT
 * (value of another schema), WIRE_ENCODE_FAILED. */
q2o_err q2o_avro_encoded_size(const q2o_schema *schema, avro_value_t *value, size_t *out,
                              char *detail, size_t detail_size);

/* Encode value into buf[0..size); *out_len gets the byte count. When size is
 * too small: INVALID_ARGUMENT and *out_len = the size needed. The encoding is
 * checked with q2o_avro_validate, so this never writes bytes q2o would refuse
 * to read. Errors: TOO_LARGE (above Q2O_MAX_MESSAGE_BYTES), INVALID_ARGUMENT,
 * WIRE_ENCODE_FAILED. */
q2o_err q2o_avro_encode(const q2o_schema *schema, avro_value_t *value, uint8_t *buf,
                        size_t size, size_t *out_len, char *detail, size_t detail_size);

/* Same into a new malloc'd buffer: on success *out (caller free()s) and
 * *out_len; on error *out is NULL. Adds NO_MEMORY. */
q2o_err q2o_avro_encode_alloc(const q2o_schema *schema, avro_value_t *value, uint8_t **out,
                              size_t *out_len, char *detail, size_t detail_size);

/* --- decode --------------------------------------------------------------- */

/* Walk an Avro binary BODY (no header) against schema without allocating.
 * Returns OK only if avro-c can read exactly these bytes. */
q2o_err q2o_avro_validate(const q2o_schema *schema, const uint8_t *body, size_t len,
                          char *detail, size_t detail_size);

/* Decode a whole message: find the writer schema by fingerprint, validate,
 * then read into a NEW generic value. On success *schema_out (borrowed from
 * set) and *value_out, which the caller owns and releases with
 * avro_value_decref(value_out). On error value_out is zeroed (nothing to
 * release) and *schema_out is NULL. */
q2o_err q2o_avro_decode(const q2o_schema_set *set, const uint8_t *buf, size_t len,
                        const q2o_schema **schema_out, avro_value_t *value_out,
                        char *detail, size_t detail_size);

/* Decode a message that must be written with schema into value, a caller
 * owned generic value of that schema (reset first; reuse one per thread to
 * avoid allocation). A message of another schema: WIRE_UNKNOWN_SCHEMA. A
 * value of another schema: INVALID_ARGUMENT. On error value holds no
 * meaningful content but stays valid to reuse or release. */
q2o_err q2o_avro_decode_into(const q2o_schema *schema, const uint8_t *buf, size_t len,
                             avro_value_t *value, char *detail, size_t detail_size);

#endif
