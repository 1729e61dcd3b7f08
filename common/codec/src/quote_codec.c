/*
 * quote_codec.c — open a codec (built-in or directory schemas) and move
 * events, commands, results and snapshots to and from single-object bytes.
 */
#include "codec/quote_codec.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"
#include "codec/avro_wire.h"
#include "quote_codec_internal.h"

struct q2o_codec {
    q2o_schema_set *set;
    const q2o_schema *top[Q2O_CODEC__COUNT];
};

_Static_assert((int)Q2O_CODEC__COUNT == (int)QC_TOP__COUNT, "one table per kind");

const char *q2o_codec_kind_name(q2o_codec_kind kind)
{
    return (unsigned)kind < Q2O_CODEC__COUNT ? qc_top_records[kind]->name : NULL;
}

char *q2o_codec_schema_json(q2o_codec_kind kind)
{
    return (unsigned)kind < Q2O_CODEC__COUNT ? qc_schema_json(qc_top_records[kind]) : NULL;
}

void q2o_codec_event_id(const q2o_event *ev, char *out, size_t size)
{
    snprintf(out, size, "%s/%" PRIu64, ev->quote_id, ev->version);
}

uint64_t q2o_codec_fingerprint(const q2o_codec *codec, q2o_codec_kind kind)
{
    return q2o_schema_fingerprint(codec->top[kind]);
}

const q2o_schema_set *q2o_codec_schema_set(const q2o_codec *codec)
{
    return codec->set;
}

void q2o_codec_close(q2o_codec *codec)
{
    if (!codec)
        return;
    q2o_schema_set_free(codec->set);
    free(codec);
}

/* ---- open ---- */

/* The built-in texts of every kind; *texts[i] malloc'd. */
static q2o_err builtin_texts(char *texts[Q2O_CODEC__COUNT])
{
    q2o_err e = Q2O_OK;
    for (int k = 0; k < Q2O_CODEC__COUNT; k++) {
        texts[k] = q2o_codec_schema_json((q2o_codec_kind)k);
        if (!texts[k])
            e = Q2O_NO_MEMORY;
    }
    return e;
}

static void free_texts(char *texts[Q2O_CODEC__COUNT])
{
    for (int k = 0; k < Q2O_CODEC__COUNT; k++)
        free(texts[k]);
}

/* Bind each kind to the schema of the set with the built-in fingerprint. */
static q2o_err bind_kinds(q2o_codec *c, char *texts[Q2O_CODEC__COUNT])
{
    for (int k = 0; k < Q2O_CODEC__COUNT; k++) {
        char *pcf = NULL;
        q2o_err e = q2o_avro_pcf_from_json(texts[k], strlen(texts[k]), &pcf, NULL, NULL, 0);
        if (e)
            return e;
        c->top[k] = q2o_schema_set_find_fingerprint(c->set, q2o_avro_crc64(pcf, strlen(pcf)));
        free(pcf);
        if (!c->top[k])
            return Q2O_WIRE_SCHEMA_INVALID; /* missing, or differs from the built-in one */
    }
    return Q2O_OK;
}

/* dir NULL: load the built-in texts. */
static q2o_err codec_open(const char *dir, q2o_codec **out)
{
    static const char *const labels[Q2O_CODEC__COUNT] = {
        "builtin:q2o.QuoteEvent.avsc", "builtin:q2o.QuoteCommand.avsc",
        "builtin:q2o.CommandResult.avsc", "builtin:q2o.QuoteSnapshot.avsc"};
    char *texts[Q2O_CODEC__COUNT] = {0};
    q2o_codec *c = calloc(1, sizeof *c);
    q2o_err e = c ? builtin_texts(texts) : Q2O_NO_MEMORY;
    if (e)
        goto out;
    if (dir)
        e = q2o_schema_set_load_dir(dir, &c->set, NULL, 0);
    else
        e = q2o_schema_set_load_json((const char *const *)texts, labels, Q2O_CODEC__COUNT, &c->set,
                                     NULL, 0);
    if (!e)
        e = bind_kinds(c, texts);
out:
    free_texts(texts);
    if (e) {
        q2o_codec_close(c);
        c = NULL;
    }
    *out = c;
    return e;
}

q2o_err q2o_codec_open_builtin(q2o_codec **out)
{
    return codec_open(NULL, out);
}

q2o_err q2o_codec_open(const char *schema_dir, q2o_codec **out)
{
    if (!schema_dir) {
        *out = NULL;
        return Q2O_INVALID_ARGUMENT;
    }
    return codec_open(schema_dir, out);
}

/* ---- encode / decode, one path for every kind ---- */

static q2o_err encode(const q2o_codec *codec, q2o_codec_kind kind, const void *obj, uint8_t **buf,
                      size_t *len)
{
    const q2o_schema *schema = codec->top[kind];
    char detail[256];
    avro_value_t v;
    *buf = NULL;
    *len = 0;
    q2o_err e = q2o_schema_new_value(schema, &v);
    if (e)
        return e;
    e = qc_encode(qc_top_records[kind], obj, &v, detail, sizeof detail);
    if (!e)
        e = q2o_avro_encode_alloc(schema, &v, buf, len, detail, sizeof detail);
    avro_value_decref(&v);
    return e;
}

/* obj is zeroed first; on error it is zeroed again with its heaps freed. */
static q2o_err decode(const q2o_codec *codec, q2o_codec_kind kind, const void *buf, size_t len,
                      void *obj, size_t obj_size, char *detail, size_t detail_size)
{
    const q2o_schema *schema = codec->top[kind];
    avro_value_t v;
    memset(obj, 0, obj_size);
    if (detail && detail_size)
        detail[0] = '\0';
    q2o_err e = q2o_schema_new_value(schema, &v);
    if (e)
        return e;
    e = q2o_avro_decode_into(schema, buf, len, &v, detail, detail_size);
    if (!e)
        e = qc_decode(qc_top_records[kind], &v, obj, detail, detail_size);
    avro_value_decref(&v);
    if (e) {
        qc_free_heaps(qc_top_records[kind], obj);
        memset(obj, 0, obj_size);
    }
    return e;
}

q2o_err q2o_codec_encode_event(const q2o_codec *codec, const q2o_event *ev, uint8_t **buf, size_t *len)
{
    return encode(codec, Q2O_CODEC_EVENT, ev, buf, len);
}

q2o_err q2o_codec_decode_event(const q2o_codec *codec, const void *buf, size_t len, q2o_event *out,
                               char *detail, size_t detail_size)
{
    return decode(codec, Q2O_CODEC_EVENT, buf, len, out, sizeof *out, detail, detail_size);
}

q2o_err q2o_codec_encode_command(const q2o_codec *codec, const q2o_command *cmd, uint8_t **buf,
                                 size_t *len)
{
    return encode(codec, Q2O_CODEC_COMMAND, cmd, buf, len);
}

q2o_err q2o_codec_decode_command(const q2o_codec *codec, const void *buf, size_t len,
                                 q2o_command *out, char *detail, size_t detail_size)
{
    return decode(codec, Q2O_CODEC_COMMAND, buf, len, out, sizeof *out, detail, detail_size);
}

q2o_err q2o_codec_encode_result(const q2o_codec *codec, const q2o_result *res, uint8_t **buf,
                                size_t *len)
{
    return encode(codec, Q2O_CODEC_RESULT, res, buf, len);
}

q2o_err q2o_codec_decode_result(const q2o_codec *codec, const void *buf, size_t len,
                                q2o_result *out, char *detail, size_t detail_size)
{
    return decode(codec, Q2O_CODEC_RESULT, buf, len, out, sizeof *out, detail, detail_size);
}

q2o_err q2o_codec_encode_snapshot(const q2o_codec *codec, const q2o_quote *q, uint8_t **buf,
                                  size_t *len)
{
    return encode(codec, Q2O_CODEC_SNAPSHOT, q, buf, len);
}

q2o_err q2o_codec_decode_snapshot(const q2o_codec *codec, const void *buf, size_t len,
                                  q2o_quote *out, char *detail, size_t detail_size)
{
    free(out->revisions); /* q2o_quote_release's semantics, without the dependency */
    free(out->lines);
    return decode(codec, Q2O_CODEC_SNAPSHOT, buf, len, out, sizeof *out, detail, detail_size);
}

q2o_err q2o_codec_peek(const q2o_codec *codec, const void *buf, size_t len, q2o_codec_kind *kind)
{
    const q2o_schema *schema = NULL;
    q2o_err e = q2o_avro_peek(codec->set, buf, len, &schema, NULL, 0);
    for (int k = 0; !e && k < Q2O_CODEC__COUNT; k++) {
        if (codec->top[k] == schema) {
            *kind = (q2o_codec_kind)k;
            return Q2O_OK;
        }
    }
    return e ? e : Q2O_WIRE_UNKNOWN_SCHEMA;
}
