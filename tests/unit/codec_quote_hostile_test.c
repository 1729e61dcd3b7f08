/* Hostile bytes: truncations, oversize strings and arrays, unknown schemas,
 * bits and codes, disagreeing envelopes and random flips are refused with an
 * error (never a crash or a leak). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"
#include "codec/avro_wire.h"
#include "codec/quote_codec.h"
#include "codec_quote_samples.h"

static q2o_codec *codec;

static void open_codec(void)
{
    cr_assert_eq(q2o_codec_open_builtin(&codec), Q2O_OK);
}

static void close_codec(void)
{
    q2o_codec_close(codec);
}

TestSuite(codec_quote_hostile, .init = open_codec, .fini = close_codec);

typedef struct msg {
    uint8_t *buf;
    size_t len;
} msg;

static msg event_msg(q2o_event_type t, uint32_t n_lines)
{
    q2o_event ev;
    msg m;
    q2o_sample_event(t, n_lines, 2, &ev);
    cr_assert_eq(q2o_codec_encode_event(codec, &ev, &m.buf, &m.len), Q2O_OK);
    q2o_event_release(&ev);
    return m;
}

static q2o_err decode_ev(msg m, char *detail, size_t size)
{
    q2o_event ev;
    q2o_err e = q2o_codec_decode_event(codec, m.buf, m.len, &ev, detail, size);
    if (e == Q2O_OK)
        q2o_event_release(&ev);
    else
        cr_assert_eq(ev.type, Q2O_EV_NONE, "a refused event is left empty");
    return e;
}

/* ---- editing a valid message through avro-c ---- */

/* Walk "a.b.3.*" from v: names are fields, numbers array indexes, "*" the
 * current union branch. */
static avro_value_t walk(avro_value_t v, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
        avro_value_t next;
        int rc = strcmp(tok, "*") == 0            ? avro_value_get_current_branch(&v, &next)
                 : (tok[0] >= '0' && tok[0] <= '9') ? avro_value_get_by_index(&v, (size_t)atoi(tok), &next, NULL)
                                                    : avro_value_get_by_name(&v, tok, &next, NULL);
        cr_assert_eq(rc, 0, "no %s in %s", tok, path);
        v = next;
    }
    return v;
}

typedef void (*edit_fn)(avro_value_t *field, const void *arg);

/* Decode m generically, apply edit at path, encode again (the wire layer
 * accepts it: the refusal must come from the quote codec's own checks). */
static msg edited(msg m, const char *path, edit_fn edit, const void *arg)
{
    const q2o_schema *schema = NULL;
    avro_value_t root;
    msg out;
    char detail[256] = "";
    cr_assert_eq(q2o_avro_decode(q2o_codec_schema_set(codec), m.buf, m.len, &schema, &root, detail,
                                 sizeof detail), Q2O_OK, "%s", detail);
    avro_value_t field = walk(root, path);
    edit(&field, arg);
    cr_assert_eq(q2o_avro_encode_alloc(schema, &root, &out.buf, &out.len, detail, sizeof detail), Q2O_OK,
                 "%s", detail);
    avro_value_decref(&root);
    return out;
}

static void set_string(avro_value_t *f, const void *arg) { cr_assert_eq(avro_value_set_string(f, arg), 0); }
static void set_int(avro_value_t *f, const void *arg) { cr_assert_eq(avro_value_set_int(f, *(const int32_t *)arg), 0); }
static void set_long(avro_value_t *f, const void *arg) { cr_assert_eq(avro_value_set_long(f, *(const int64_t *)arg), 0); }

/* Append a copy-shaped element: the first element's fields stay default. */
static void append_one(avro_value_t *f, const void *arg)
{
    avro_value_t elem;
    (void)arg;
    cr_assert_eq(avro_value_append(f, &elem, NULL), 0);
}

static char *repeat(char c, size_t n)
{
    static char buf[1024];
    cr_assert_lt(n, sizeof buf);
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* An edited event must be refused with want, and detail must name where. */
static void expect_refused(msg base, const char *path, edit_fn edit, const void *arg, q2o_err want,
                           const char *where)
{
    char detail[256] = "";
    msg bad = edited(base, path, edit, arg);
    q2o_err e = decode_ev(bad, detail, sizeof detail);
    cr_assert_eq(e, want, "%s: got %s (%s)", path, q2o_err_name(e), detail);
    cr_assert_not_null(strstr(detail, where), "detail \"%s\" does not name %s", detail, where);
    free(bad.buf);
}

Test(codec_quote_hostile, every_truncation_is_refused)
{
    msg ms[] = {event_msg(Q2O_EV_CREATED, 0), event_msg(Q2O_EV_PRICED, 3)};
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
        cr_assert_eq(decode_ev(ms[k], NULL, 0), Q2O_OK);
        for (size_t len = 0; len < ms[k].len; len++) {
            msg cut = {ms[k].buf, len};
            cr_assert_neq(decode_ev(cut, NULL, 0), Q2O_OK, "a prefix of %zu of %zu bytes", len, ms[k].len);
        }
        free(ms[k].buf);
    }
}

Test(codec_quote_hostile, strings_longer_than_their_field_are_refused)
{
    msg line = event_msg(Q2O_EV_LINE_ADDED, 0);
    msg conv = event_msg(Q2O_EV_CONVERTED, 0);
    expect_refused(line, "quote_id", set_string, repeat('q', Q2O_ID_MAX), Q2O_WIRE_BAD_LENGTH, "quote_id");
    expect_refused(line, "payload.*.line.display_name", set_string, repeat('d', Q2O_NAME_MAX),
                   Q2O_WIRE_BAD_LENGTH, "payload.QuoteLineAdded.line.display_name");
    expect_refused(line, "payload.*.line.options.15.value", set_string, repeat('v', Q2O_CODE_MAX),
                   Q2O_WIRE_BAD_LENGTH, "line.options[15].value");
    expect_refused(conv, "payload.*.currency", set_string, "EURO", Q2O_WIRE_BAD_LENGTH, "currency");
    free(line.buf);
    free(conv.buf);
}

Test(codec_quote_hostile, counts_beyond_their_limit_are_refused)
{
    msg priced = event_msg(Q2O_EV_PRICED, Q2O_MAX_LINES);
    msg line = event_msg(Q2O_EV_LINE_ADDED, 0);
    msg failed = event_msg(Q2O_EV_VALIDATION_FAILED, 0);
    cr_assert_eq(decode_ev(priced, NULL, 0), Q2O_OK);
    expect_refused(priced, "payload.*.lines", append_one, NULL, Q2O_WIRE_BAD_LENGTH, "lines");
    expect_refused(line, "payload.*.line.options", append_one, NULL, Q2O_WIRE_BAD_LENGTH, "options");
    expect_refused(failed, "payload.*.violations", append_one, NULL, Q2O_WIRE_BAD_LENGTH, "violations");
    free(priced.buf);
    free(line.buf);
    free(failed.buf);
}

Test(codec_quote_hostile, unknown_bits_codes_and_negative_versions_are_refused)
{
    msg step = event_msg(Q2O_EV_STEP_APPROVED, 0);
    msg failed = event_msg(Q2O_EV_VALIDATION_FAILED, 0);
    int32_t bit20 = 1 << 20, code = 9999;
    int64_t minus = -1;
    expect_refused(step, "actor_roles", set_int, &bit20, Q2O_WIRE_BAD_ENUM, "actor_roles");
    expect_refused(step, "payload.*.role", set_int, &bit20, Q2O_WIRE_BAD_ENUM, "role");
    expect_refused(failed, "payload.*.violations.3.code", set_int, &code, Q2O_WIRE_BAD_ENUM, "violations[3].code");
    expect_refused(step, "version", set_long, &minus, Q2O_WIRE_DECODE_FAILED, "version");
    expect_refused(step, "payload.*.step", set_long, &minus, Q2O_WIRE_DECODE_FAILED, "step");
    free(step.buf);
    free(failed.buf);
}

Test(codec_quote_hostile, an_envelope_that_disagrees_with_itself_is_refused)
{
    msg m = event_msg(Q2O_EV_NOTE_ADDED, 0);
    expect_refused(m, "event_id", set_string, "Q-1/1", Q2O_WIRE_DECODE_FAILED, "event_id");
    expect_refused(m, "type", set_string, "QuoteAccepted", Q2O_WIRE_DECODE_FAILED, "type");
    free(m.buf);
}

Test(codec_quote_hostile, a_result_may_carry_a_code_newer_than_the_reader)
{
    q2o_result r, out;
    msg m, bad;
    int32_t code = 4242;
    q2o_sample_result(2, &r);
    cr_assert_eq(q2o_codec_encode_result(codec, &r, &m.buf, &m.len), Q2O_OK);
    bad = edited(m, "code", set_int, &code);
    cr_assert_eq(q2o_codec_decode_result(codec, bad.buf, bad.len, &out, NULL, 0), Q2O_OK);
    cr_assert_eq((int)out.code, 4242);
    free(bad.buf);
    bad = edited(m, "event_types.0", set_string, "QuoteExploded");
    cr_assert_eq(q2o_codec_decode_result(codec, bad.buf, bad.len, &out, NULL, 0), Q2O_WIRE_BAD_ENUM);
    free(bad.buf);
    free(m.buf);
}

Test(codec_quote_hostile, unknown_schema_and_wrong_kind_are_refused)
{
    q2o_command cmd, cmd_out;
    msg m = event_msg(Q2O_EV_APPROVED, 0);
    msg c;
    q2o_sample_command(Q2O_CMD_CANCEL_QUOTE, 2, &cmd);
    cr_assert_eq(q2o_codec_encode_command(codec, &cmd, &c.buf, &c.len), Q2O_OK);
    cr_assert_eq(decode_ev(c, NULL, 0), Q2O_WIRE_UNKNOWN_SCHEMA, "a command is not an event");
    cr_assert_eq(q2o_codec_decode_command(codec, m.buf, m.len, &cmd_out, NULL, 0), Q2O_WIRE_UNKNOWN_SCHEMA);
    m.buf[5] ^= 0x40; /* inside the fingerprint */
    cr_assert_eq(decode_ev(m, NULL, 0), Q2O_WIRE_UNKNOWN_SCHEMA);
    m.buf[0] = 0x00;
    cr_assert_eq(decode_ev(m, NULL, 0), Q2O_WIRE_BAD_MAGIC);
    free(m.buf);
    free(c.buf);
}

/* ---- random flips ---- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Decode as the message's own kind; anything accepted must encode again. */
static void decode_anything(const uint8_t *buf, size_t len)
{
    static union { q2o_event ev; q2o_command cmd; q2o_quote q; } u;
    uint8_t *again = NULL;
    size_t n = 0;
    if (q2o_codec_decode_event(codec, buf, len, &u.ev, NULL, 0) == Q2O_OK) {
        cr_assert_eq(q2o_codec_encode_event(codec, &u.ev, &again, &n), Q2O_OK);
        q2o_event_release(&u.ev);
    } else if (q2o_codec_decode_command(codec, buf, len, &u.cmd, NULL, 0) == Q2O_OK) {
        cr_assert_eq(q2o_codec_encode_command(codec, &u.cmd, &again, &n), Q2O_OK);
    } else {
        memset(&u.q, 0, sizeof u.q);
        if (q2o_codec_decode_snapshot(codec, buf, len, &u.q, NULL, 0) == Q2O_OK)
            cr_assert_eq(q2o_codec_encode_snapshot(codec, &u.q, &again, &n), Q2O_OK);
        q2o_quote_release(&u.q);
    }
    free(again);
}

Test(codec_quote_hostile, random_byte_flips_never_crash)
{
    q2o_command cmd;
    q2o_quote q;
    msg ms[4] = {event_msg(Q2O_EV_PRICED, 3), event_msg(Q2O_EV_CREATED, 0)};
    q2o_sample_command(Q2O_CMD_ACCEPT_QUOTE, 2, &cmd);
    cr_assert_eq(q2o_codec_encode_command(codec, &cmd, &ms[2].buf, &ms[2].len), Q2O_OK);
    q2o_sample_quote(2, 2, 2, &q);
    cr_assert_eq(q2o_codec_encode_snapshot(codec, &q, &ms[3].buf, &ms[3].len), Q2O_OK);
    q2o_quote_release(&q);
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    uint8_t *copy = malloc(1 << 16);
    for (int i = 0; i < 4000; i++) {
        msg m = ms[i % 4];
        cr_assert_leq(m.len, (size_t)1 << 16);
        memcpy(copy, m.buf, m.len);
        for (uint64_t flips = 1 + rng_next(&seed) % 4; flips; flips--)
            copy[Q2O_AVRO_HEADER_BYTES + rng_next(&seed) % (m.len - Q2O_AVRO_HEADER_BYTES)] ^=
                (uint8_t)(1u << (rng_next(&seed) % 8));
        decode_anything(copy, m.len);
    }
    free(copy);
    for (int k = 0; k < 4; k++)
        free(ms[k].buf);
}
