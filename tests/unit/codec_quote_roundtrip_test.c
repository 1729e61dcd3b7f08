/* Round trips: every event, command, result and snapshot survives
 * encode -> decode bit for bit, with every field set. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

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

TestSuite(codec_quote_roundtrip, .init = open_codec, .fini = close_codec);

/* Encode, decode, and the decoded event must equal the sample (the PRICED
 * line arrays compared apart, then their pointers set aside). */
static void event_round_trip(q2o_event_type t, uint32_t n_lines, uint32_t seed)
{
    q2o_event in, out;
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256] = "";
    q2o_sample_event(t, n_lines, seed, &in);
    cr_assert_eq(q2o_codec_encode_event(codec, &in, &buf, &len), Q2O_OK, "%s", q2o_event_type_name(t));
    q2o_err e = q2o_codec_decode_event(codec, buf, len, &out, detail, sizeof detail);
    cr_assert_eq(e, Q2O_OK, "%s: %s", q2o_event_type_name(t), detail);
    if (t == Q2O_EV_PRICED) {
        cr_assert_eq(out.u.priced.n_lines, n_lines);
        if (n_lines)
            cr_assert_arr_eq(out.u.priced.lines, in.u.priced.lines, n_lines * sizeof *in.u.priced.lines);
        free(out.u.priced.lines);
        free(in.u.priced.lines);
        out.u.priced.lines = in.u.priced.lines = NULL;
        cr_assert_eq(out.u.priced.n_changes, in.u.priced.n_changes);
        if (in.u.priced.n_changes)
            cr_assert_arr_eq(out.u.priced.changes, in.u.priced.changes,
                             in.u.priced.n_changes * sizeof *in.u.priced.changes);
        free(out.u.priced.changes);
        free(in.u.priced.changes);
        out.u.priced.changes = in.u.priced.changes = NULL;
    }
    cr_assert(memcmp(&in, &out, sizeof in) == 0, "%s differs after the round trip", q2o_event_type_name(t));
    free(buf);
}

Test(codec_quote_roundtrip, every_event_type_with_every_field_set)
{
    for (int t = Q2O_EV_NONE + 1; t < Q2O_EV__COUNT; t++) {
        event_round_trip((q2o_event_type)t, 3, 2);  /* short strings */
        event_round_trip((q2o_event_type)t, 3, 7);  /* every string at its maximum */
    }
}

Test(codec_quote_roundtrip, priced_with_1000_lines_and_with_none)
{
    event_round_trip(Q2O_EV_PRICED, Q2O_MAX_LINES, 1);
    event_round_trip(Q2O_EV_PRICED, 0, 4);
}

static void command_round_trip(q2o_command_type t, uint32_t seed)
{
    q2o_command in, out;
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256] = "";
    q2o_sample_command(t, seed, &in);
    cr_assert_eq(q2o_codec_encode_command(codec, &in, &buf, &len), Q2O_OK, "%s", q2o_command_type_name(t));
    q2o_err e = q2o_codec_decode_command(codec, buf, len, &out, detail, sizeof detail);
    cr_assert_eq(e, Q2O_OK, "%s: %s", q2o_command_type_name(t), detail);
    cr_assert(memcmp(&in, &out, sizeof in) == 0, "%s differs", q2o_command_type_name(t));
    free(buf);
}

Test(codec_quote_roundtrip, every_command_type_with_every_field_set)
{
    for (int t = Q2O_CMD_NONE + 1; t < Q2O_CMD__COUNT; t++) {
        command_round_trip((q2o_command_type)t, 2);
        command_round_trip((q2o_command_type)t, 9);
    }
}

Test(codec_quote_roundtrip, result)
{
    q2o_result in, out;
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256] = "";
    q2o_sample_result(3, &in);
    cr_assert_eq(q2o_codec_encode_result(codec, &in, &buf, &len), Q2O_OK);
    cr_assert_eq(q2o_codec_decode_result(codec, buf, len, &out, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert(memcmp(&in, &out, sizeof in) == 0);
    free(buf);
}

Test(codec_quote_roundtrip, snapshot_of_a_full_quote)
{
    q2o_quote in, out;
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256] = "";
    q2o_sample_quote(Q2O_MAX_REVISIONS, 300, 5, &in);
    memset(&out, 0, sizeof out);
    cr_assert_eq(q2o_codec_encode_snapshot(codec, &in, &buf, &len), Q2O_OK);
    cr_assert_leq(len, (size_t)Q2O_MAX_MESSAGE_BYTES);
    cr_assert_eq(q2o_codec_decode_snapshot(codec, buf, len, &out, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(out.n_lines, 300);
    cr_assert_eq(out.cap_lines, 300);
    cr_assert_arr_eq(out.lines, in.lines, 300 * sizeof *in.lines);
    cr_assert_eq(out.n_revisions, Q2O_MAX_REVISIONS);
    cr_assert_eq(out.cap_revisions, Q2O_MAX_REVISIONS);
    cr_assert_arr_eq(out.revisions, in.revisions, Q2O_MAX_REVISIONS * sizeof *in.revisions);
    /* decoding again into the same quote frees the previous arrays first */
    cr_assert_eq(q2o_codec_decode_snapshot(codec, buf, len, &out, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(out.n_baseline, 300);
    cr_assert_arr_eq(out.baseline, in.baseline, 300 * sizeof *in.baseline);
    free(out.revisions);
    free(in.revisions);
    out.revisions = in.revisions = NULL;
    free(out.lines);
    free(in.lines);
    free(out.baseline);
    free(in.baseline);
    out.lines = in.lines = NULL;
    out.baseline = in.baseline = NULL;
    cr_assert(memcmp(&in, &out, sizeof in) == 0);
    free(buf);
}

Test(codec_quote_roundtrip, peek_names_the_kind)
{
    q2o_command cmd;
    uint8_t *buf = NULL;
    size_t len = 0;
    q2o_codec_kind kind = Q2O_CODEC__COUNT;
    q2o_sample_command(Q2O_CMD_ACCEPT_QUOTE, 1, &cmd);
    cr_assert_eq(q2o_codec_encode_command(codec, &cmd, &buf, &len), Q2O_OK);
    cr_assert_eq(q2o_codec_peek(codec, buf, len, &kind), Q2O_OK);
    cr_assert_eq(kind, Q2O_CODEC_COMMAND);
    free(buf);
}

Test(codec_quote_roundtrip, event_id_is_quote_and_version)
{
    q2o_event ev;
    char id[128];
    memset(&ev, 0, sizeof ev);
    strcpy(ev.quote_id, "Q-1000");
    ev.version = 17;
    q2o_codec_event_id(&ev, id, sizeof id);
    cr_assert_str_eq(id, "Q-1000/17");
}

Test(codec_quote_roundtrip, encoder_refuses_what_the_decoder_would)
{
    q2o_event ev;
    uint8_t *buf = (uint8_t *)&ev;
    size_t len = 1;
    q2o_sample_event(Q2O_EV_LINE_ADDED, 0, 2, &ev);
    ev.u.line.n_options = Q2O_MAX_LINE_OPTIONS + 1;
    cr_assert_eq(q2o_codec_encode_event(codec, &ev, &buf, &len), Q2O_INVALID_ARGUMENT);
    cr_assert_null(buf);
    cr_assert_eq(len, 0);
    q2o_sample_event(Q2O_EV_LINE_ADDED, 0, 2, &ev);
    memset(ev.quote_id, 'x', sizeof ev.quote_id); /* no NUL */
    cr_assert_eq(q2o_codec_encode_event(codec, &ev, &buf, &len), Q2O_INVALID_ARGUMENT);
    q2o_sample_event(Q2O_EV_EXPIRED, 0, 2, &ev);
    ev.u.expired.kind = Q2O_EXP__COUNT;
    cr_assert_eq(q2o_codec_encode_event(codec, &ev, &buf, &len), Q2O_INVALID_ARGUMENT);
    ev.type = Q2O_EV__COUNT;
    cr_assert_eq(q2o_codec_encode_event(codec, &ev, &buf, &len), Q2O_INVALID_ARGUMENT);
}
