/*
 * q2o_quote_vectors — the C side of the quote codec's cross-implementation
 * check (tests/python/quote_crosscheck.py drives it against fastavro).
 *
 *   schemas OUTDIR   write the built-in schemas as OUTDIR/q2o.<Name>.avsc
 *                    (how schemas/ is regenerated after a table change)
 *   write OUTDIR     one message per event type, command type, a result and
 *                    a snapshot (the shared samples, seed 3), encoded with the
 *                    quote codec: OUTDIR/<RecordName>.bin
 *   read INDIR       decode every .bin file of INDIR with the quote codec into
 *                    its C struct (all checks on), encode the struct again and
 *                    require the very same bytes; prints "ok FILE" for each
 *
 * The values inside the messages are printed by q2o_avro_vectors decode (not
 * avro_value_to_json: avro-c 1.11.1 cuts fixed and bytes at the first NUL
 * there). Exit status: 0 ok, 1 usage or I/O, 2 a codec error or a mismatch
 * (named on stderr).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/quote_codec.h"
#include "codec_quote_samples.h"

#define SEED 3u
#define PRICED_LINES 3u

static int write_file(const char *dir, const char *name, const char *ext, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "cannot write %s\n", path);
    return ok ? 0 : 1;
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(Q2O_MAX_MESSAGE_BYTES + 1);
    int rc = 1;
    if (f && buf) {
        *len = fread(buf, 1, Q2O_MAX_MESSAGE_BYTES + 1, f);
        rc = ferror(f) || *len > Q2O_MAX_MESSAGE_BYTES;
    }
    if (f)
        fclose(f);
    if (rc) {
        fprintf(stderr, "cannot read %s\n", path);
        free(buf);
        buf = NULL;
    }
    *out = buf;
    return rc;
}

static int fail(const char *what, q2o_err err, const char *detail)
{
    fprintf(stderr, "%s: %s: %s\n", what, q2o_err_name(err), detail ? detail : "");
    return 2;
}

static int emit(const char *dir, const char *name, q2o_err e, uint8_t *buf, size_t len)
{
    int rc = e ? fail(name, e, "encode") : write_file(dir, name, ".bin", buf, len);
    free(buf);
    return rc;
}

static int cmd_write(const q2o_codec *codec, const char *dir)
{
    int rc = 0;
    uint8_t *buf;
    size_t len;
    for (int t = Q2O_EV_NONE + 1; t < Q2O_EV__COUNT; t++) {
        q2o_event ev;
        q2o_sample_event((q2o_event_type)t, PRICED_LINES, SEED, &ev);
        q2o_err e = q2o_codec_encode_event(codec, &ev, &buf, &len);
        q2o_event_release(&ev);
        rc |= emit(dir, q2o_event_type_name((q2o_event_type)t), e, buf, len);
    }
    for (int t = Q2O_CMD_NONE + 1; t < Q2O_CMD__COUNT; t++) {
        q2o_command cmd;
        q2o_sample_command((q2o_command_type)t, SEED, &cmd);
        q2o_err e = q2o_codec_encode_command(codec, &cmd, &buf, &len);
        rc |= emit(dir, q2o_command_type_name((q2o_command_type)t), e, buf, len);
    }
    q2o_result res;
    q2o_sample_result(SEED, &res);
    q2o_err e = q2o_codec_encode_result(codec, &res, &buf, &len);
    rc |= emit(dir, "CommandResult", e, buf, len);
    q2o_quote q;
    q2o_sample_quote(2, PRICED_LINES, SEED, &q);
    e = q2o_codec_encode_snapshot(codec, &q, &buf, &len);
    q2o_quote_release(&q);
    rc |= emit(dir, "QuoteSnapshot", e, buf, len);
    return rc;
}

/* Decode into the C struct of its kind and encode that struct again. */
static q2o_err reencode(const q2o_codec *codec, const uint8_t *in, size_t n, uint8_t **out, size_t *out_len,
                        char *detail, size_t size)
{
    static union { q2o_event ev; q2o_command cmd; q2o_result res; q2o_quote q; } u;
    q2o_codec_kind kind;
    q2o_err e = q2o_codec_peek(codec, in, n, &kind);
    if (e)
        return e;
    switch (kind) {
    case Q2O_CODEC_EVENT:
        if (!(e = q2o_codec_decode_event(codec, in, n, &u.ev, detail, size)))
            e = q2o_codec_encode_event(codec, &u.ev, out, out_len);
        q2o_event_release(&u.ev);
        return e;
    case Q2O_CODEC_COMMAND:
        return (e = q2o_codec_decode_command(codec, in, n, &u.cmd, detail, size)) ? e
               : q2o_codec_encode_command(codec, &u.cmd, out, out_len);
    case Q2O_CODEC_RESULT:
        return (e = q2o_codec_decode_result(codec, in, n, &u.res, detail, size)) ? e
               : q2o_codec_encode_result(codec, &u.res, out, out_len);
    default:
        memset(&u.q, 0, sizeof u.q);
        if (!(e = q2o_codec_decode_snapshot(codec, in, n, &u.q, detail, size)))
            e = q2o_codec_encode_snapshot(codec, &u.q, out, out_len);
        q2o_quote_release(&u.q);
        return e;
    }
}

static int read_one(const q2o_codec *codec, const char *dir, const char *file)
{
    char path[4096], detail[512] = "";
    uint8_t *in = NULL, *out = NULL;
    size_t n = 0, m = 0;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (read_file(path, &in, &n))
        return 1;
    q2o_err e = reencode(codec, in, n, &out, &m, detail, sizeof detail);
    int rc = e ? fail(file, e, detail) : 0;
    if (!rc && (m != n || memcmp(in, out, n) != 0))
        rc = fail(file, Q2O_INTERNAL, "re-encoded bytes differ");
    if (!rc)
        printf("ok %s\n", file);
    free(in);
    free(out);
    return rc;
}

static int cmd_read(const q2o_codec *codec, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int rc = 0, count = 0;
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".bin") == 0) {
            rc |= read_one(codec, dir, de->d_name);
            count++;
        }
    }
    closedir(d);
    if (!count)
        fprintf(stderr, "no .bin file in %s\n", dir);
    return count ? rc : 1;
}

static int cmd_schemas(const char *dir)
{
    int rc = 0;
    for (int k = 0; k < Q2O_CODEC__COUNT; k++) {
        char name[128];
        char *json = q2o_codec_schema_json((q2o_codec_kind)k);
        snprintf(name, sizeof name, "q2o.%s", q2o_codec_kind_name((q2o_codec_kind)k));
        rc |= json ? write_file(dir, name, ".avsc", json, strlen(json)) : 1;
        free(json);
    }
    return rc;
}

int main(int argc, char **argv)
{
    q2o_codec *codec = NULL;
    int rc;
    if (argc != 3) {
        fprintf(stderr, "usage: %s schemas OUTDIR | write OUTDIR | read INDIR\n", argv[0]);
        return 1;
    }
    if (strcmp(argv[1], "schemas") == 0)
        return cmd_schemas(argv[2]);
    q2o_err e = q2o_codec_open_builtin(&codec);
    if (e)
        return fail("open", e, NULL);
    if (strcmp(argv[1], "write") == 0)
        rc = cmd_write(codec, argv[2]);
    else if (strcmp(argv[1], "read") == 0)
        rc = cmd_read(codec, argv[2]);
    else
        rc = 1;
    q2o_codec_close(codec);
    return rc;
}
