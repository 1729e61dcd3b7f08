/*
 * q2o_avro_vectors — the C side of the Avro cross-implementation check
 * (tests/python/avro_crosscheck.py drives it and compares with fastavro).
 *
 *   canon DIR                    one line per schema of the set loaded from DIR:
 *                                fullname TAB source TAB fingerprint TAB pcf
 *   pcf FILE...                  same for single schema files of any kind
 *                                (no set: unnamed schemas allowed):
 *                                FILE TAB fingerprint TAB pcf
 *   encode-samples SCHEMADIR OUTDIR
 *                                for every schema and seeds 0..2, fill a value
 *                                deterministically from the schema, encode it
 *                                and write OUTDIR/<file>.<seed>.bin plus the
 *                                value as JSON in OUTDIR/<file>.<seed>.json
 *   decode FILE SCHEMADIR        decode one message, print its value as JSON
 *
 * Fingerprints print as the 16 hex digits of the 8 wire bytes (little-endian),
 * which is also how fastavro.schema.fingerprint spells CRC-64-AVRO.
 * JSON of values: records and maps are objects, unions print their branch's
 * value, enums their symbol, bytes and fixed lowercase hex, floats with 17
 * significant digits. Exit status: 0 ok, 1 usage or I/O, 2 codec error (the
 * error name is printed first on stderr: "WIRE_TRUNCATED: ...").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"
#include "codec/avro_wire.h"
#include "core/limits.h"
#include "core/log.h"

#define MAX_FILL_DEPTH 24

static int codec_error(q2o_err err, const char *detail)
{
    fprintf(stderr, "%s: %s\n", q2o_err_name(err), detail);
    return 2;
}

static void print_fp(FILE *f, uint64_t fp)
{
    for (int i = 0; i < 8; i++)
        fprintf(f, "%02x", (unsigned)((fp >> (8 * i)) & 0xff));
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int read_all(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(Q2O_MAX_MESSAGE_BYTES + 1);
    int rc = 1;
    if (f && buf) {
        *len = fread(buf, 1, Q2O_MAX_MESSAGE_BYTES + 1, f);
        if (!ferror(f)) {
            buf[*len] = '\0';
            *out = buf, buf = NULL, rc = 0;
        }
    }
    if (rc)
        fprintf(stderr, "cannot read %s\n", path);
    free(buf);
    if (f)
        fclose(f);
    return rc;
}

static int write_all(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "cannot write %s\n", path);
    return ok ? 0 : 1;
}

static int load(const char *dir, q2o_schema_set **set)
{
    char detail[512] = "";
    q2o_err err = q2o_schema_set_load_dir(dir, set, detail, sizeof detail);
    return err == Q2O_OK ? 0 : codec_error(err, detail);
}

static int cmd_canon(const char *dir)
{
    q2o_schema_set *set = NULL;
    int rc = load(dir, &set);
    for (size_t i = 0; rc == 0 && i < q2o_schema_set_count(set); i++) {
        const q2o_schema *s = q2o_schema_set_at(set, i);
        printf("%s\t%s\t", q2o_schema_name(s), q2o_schema_source(s));
        print_fp(stdout, q2o_schema_fingerprint(s));
        printf("\t%s\n", q2o_schema_pcf(s));
    }
    q2o_schema_set_free(set);
    return rc;
}

static int cmd_pcf(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        char *json = NULL, *pcf = NULL, detail[512] = "";
        size_t len = 0, pcf_len = 0;
        if (read_all(argv[i], &json, &len))
            return 1;
        q2o_err err = q2o_avro_pcf_from_json(json, len, &pcf, &pcf_len, detail, sizeof detail);
        free(json);
        if (err != Q2O_OK)
            return codec_error(err, detail);
        printf("%s\t", argv[i]);
        print_fp(stdout, q2o_avro_crc64(pcf, pcf_len));
        printf("\t%s\n", pcf);
        free(pcf);
    }
    return 0;
}

/* --- printing values as JSON ------------------------------------------------ */

static int print_value(FILE *f, avro_value_t *v);

static void print_hex(FILE *f, const void *data, size_t n)
{
    const unsigned char *p = data;
    fputc('"', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
    fputc('"', f);
}

static void print_string(FILE *f, const char *s)
{
    fputc('"', f);
    q2o_json_fputs(s, f);
    fputc('"', f);
}

static int print_compound(FILE *f, avro_value_t *v, avro_type_t type)
{
    size_t n = 0;
    int rc = avro_value_get_size(v, &n);
    fputc(type == AVRO_ARRAY ? '[' : '{', f);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        avro_value_t child;
        const char *name = NULL;
        rc = avro_value_get_by_index(v, i, &child, &name);
        if (rc == 0) {
            if (i)
                fputc(',', f);
            if (type != AVRO_ARRAY) {
                print_string(f, name);
                fputc(':', f);
            }
            rc = print_value(f, &child);
        }
    }
    fputc(type == AVRO_ARRAY ? ']' : '}', f);
    return rc;
}

static int print_scalar(FILE *f, avro_value_t *v, avro_type_t type)
{
    int rc = 0;
    union { int32_t i; int64_t l; float fl; double d; int b; } x;
    const void *buf;
    const char *str;
    size_t n;
    switch (type) {
    case AVRO_NULL: fputs("null", f); break;
    case AVRO_BOOLEAN: rc = avro_value_get_boolean(v, &x.b); fputs(x.b ? "true" : "false", f); break;
    case AVRO_INT32: rc = avro_value_get_int(v, &x.i); fprintf(f, "%" PRId32, x.i); break;
    case AVRO_INT64: rc = avro_value_get_long(v, &x.l); fprintf(f, "%" PRId64, x.l); break;
    case AVRO_FLOAT: rc = avro_value_get_float(v, &x.fl); fprintf(f, "%.17g", (double)x.fl); break;
    case AVRO_DOUBLE: rc = avro_value_get_double(v, &x.d); fprintf(f, "%.17g", x.d); break;
    case AVRO_STRING: rc = avro_value_get_string(v, &str, &n); print_string(f, str); break;
    case AVRO_BYTES: rc = avro_value_get_bytes(v, &buf, &n); print_hex(f, buf, n); break;
    case AVRO_FIXED: rc = avro_value_get_fixed(v, &buf, &n); print_hex(f, buf, n); break;
    case AVRO_ENUM:
        rc = avro_value_get_enum(v, &x.i);
        print_string(f, avro_schema_enum_get(avro_value_get_schema(v), x.i));
        break;
    default: rc = 1; break;
    }
    return rc;
}

static int print_value(FILE *f, avro_value_t *v)
{
    avro_type_t type = avro_value_get_type(v);
    if (type == AVRO_UNION) {
        avro_value_t branch;
        int rc = avro_value_get_current_branch(v, &branch);
        return rc ? rc : print_value(f, &branch);
    }
    if (type == AVRO_RECORD || type == AVRO_MAP || type == AVRO_ARRAY)
        return print_compound(f, v, type);
    return print_scalar(f, v, type);
}

/* --- filling values deterministically --------------------------------------- */

struct fill {
    int seed;
    uint64_t n; /* counter: every scalar gets a different value */
};

static int fill_value(struct fill *c, avro_value_t *v, int depth);

static const char *sample_string(struct fill *c, char *buf, size_t size)
{
    static const char *const odd[] = {"", "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e",
                                      "quote \" backslash \\ tab \t nl \n ctl \x01"};
    if (c->seed == 0)
        snprintf(buf, size, "s%" PRIu64, c->n);
    else
        snprintf(buf, size, "%s#%" PRIu64, odd[(c->n + (uint64_t)c->seed) % 3], c->n);
    return buf;
}

static int fill_number(struct fill *c, avro_value_t *v, avro_type_t type)
{
    int64_t k = (int64_t)c->n;
    int64_t longs[] = {k, INT64_MIN + k, INT64_MAX - k};
    int32_t ints[] = {(int32_t)k, INT32_MIN + (int32_t)k, INT32_MAX - (int32_t)k};
    double doubles[] = {0.5 * (double)k, -1.0e300 / (double)(k + 3), 0.1 * (double)k};
    switch (type) {
    case AVRO_INT32: return avro_value_set_int(v, ints[c->seed]);
    case AVRO_INT64: return avro_value_set_long(v, longs[c->seed]);
    case AVRO_FLOAT: return avro_value_set_float(v, (float)(0.25 * (double)k - (double)c->seed));
    case AVRO_DOUBLE: return avro_value_set_double(v, doubles[c->seed]);
    default: return avro_value_set_boolean(v, (int)((c->n + (uint64_t)c->seed) & 1));
    }
}

static int fill_scalar(struct fill *c, avro_value_t *v, avro_type_t type)
{
    char text[96];
    unsigned char bytes[64];
    c->n++;
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(c->n * 37 + i * 101 + (size_t)c->seed);
    switch (type) {
    case AVRO_NULL: return avro_value_set_null(v);
    case AVRO_STRING: return avro_value_set_string(v, sample_string(c, text, sizeof text));
    case AVRO_BYTES: return avro_value_set_bytes(v, bytes, (c->n + (uint64_t)c->seed) % 40);
    case AVRO_FIXED: {
        int64_t size = avro_schema_fixed_size(avro_value_get_schema(v));
        unsigned char *buf = calloc(1, (size_t)size + 1);
        for (int64_t i = 0; buf && i < size; i++)
            buf[i] = bytes[i % (int64_t)sizeof bytes];
        int rc = buf ? avro_value_set_fixed(v, buf, (size_t)size) : 1;
        free(buf);
        return rc;
    }
    case AVRO_ENUM: {
        int n = avro_schema_enum_number_of_symbols(avro_value_get_schema(v));
        return avro_value_set_enum(v, (int)((c->n + (uint64_t)c->seed) % (uint64_t)n));
    }
    default: return fill_number(c, v, type);
    }
}

static int fill_union(struct fill *c, avro_value_t *v, int depth)
{
    avro_schema_t s = avro_value_get_schema(v);
    size_t n = avro_schema_union_size(s);
    int pick = c->seed == 0 ? 0 : (int)((c->n + (uint64_t)c->seed) % n);
    if (depth > 3) /* stop recursive types: prefer null */
        for (size_t i = 0; i < n; i++)
            if (is_avro_null(avro_schema_union_branch(s, (int)i)))
                pick = (int)i;
    avro_value_t branch;
    c->n++;
    int rc = avro_value_set_branch(v, pick, &branch);
    return rc ? rc : fill_value(c, &branch, depth + 1);
}

static int fill_items(struct fill *c, avro_value_t *v, avro_type_t type, int depth)
{
    int count = depth > 3 ? 0 : c->seed + (int)(c->n % 2);
    int rc = 0;
    for (int i = 0; rc == 0 && i < count; i++) {
        avro_value_t child;
        char key[64];
        snprintf(key, sizeof key, c->seed == 2 ? "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87%d" : "k%d", i);
        rc = type == AVRO_ARRAY ? avro_value_append(v, &child, NULL)
                                : avro_value_add(v, key, &child, NULL, NULL);
        if (rc == 0)
            rc = fill_value(c, &child, depth + 1);
    }
    return rc;
}

static int fill_value(struct fill *c, avro_value_t *v, int depth)
{
    avro_type_t type = avro_value_get_type(v);
    if (depth > MAX_FILL_DEPTH)
        return 1;
    if (type == AVRO_UNION)
        return fill_union(c, v, depth);
    if (type == AVRO_ARRAY || type == AVRO_MAP)
        return fill_items(c, v, type, depth);
    if (type != AVRO_RECORD)
        return fill_scalar(c, v, type);
    size_t n = 0;
    int rc = avro_value_get_size(v, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        avro_value_t field;
        rc = avro_value_get_by_index(v, i, &field, NULL);
        if (rc == 0)
            rc = fill_value(c, &field, depth + 1);
    }
    return rc;
}

static int encode_sample(const q2o_schema *s, int seed, const char *outdir)
{
    char path[4096], detail[512] = "";
    avro_value_t value;
    uint8_t *bytes = NULL;
    size_t len = 0;
    struct fill c = {seed, 0};
    int rc = 1;
    if (q2o_schema_new_value(s, &value) != Q2O_OK)
        return 1;
    if (fill_value(&c, &value, 0) != 0) {
        fprintf(stderr, "cannot fill a value of %s: %s\n", q2o_schema_name(s), avro_strerror());
        goto out;
    }
    q2o_err err = q2o_avro_encode_alloc(s, &value, &bytes, &len, detail, sizeof detail);
    if (err != Q2O_OK) {
        rc = codec_error(err, detail);
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s.%d.bin", outdir, base_name(q2o_schema_source(s)), seed);
    if (write_all(path, bytes, len))
        goto out;
    snprintf(path, sizeof path, "%s/%s.%d.json", outdir, base_name(q2o_schema_source(s)), seed);
    FILE *f = fopen(path, "w");
    if (f) {
        rc = print_value(f, &value);
        fputc('\n', f);
        rc = fclose(f) != 0 || rc;
    }
out:
    free(bytes);
    avro_value_decref(&value);
    return rc;
}

static int cmd_encode_samples(const char *dir, const char *outdir)
{
    q2o_schema_set *set = NULL;
    int rc = load(dir, &set);
    for (size_t i = 0; rc == 0 && i < q2o_schema_set_count(set); i++)
        for (int seed = 0; rc == 0 && seed < 3; seed++)
            rc = encode_sample(q2o_schema_set_at(set, i), seed, outdir);
    q2o_schema_set_free(set);
    return rc;
}

static int cmd_decode(const char *file, const char *dir)
{
    q2o_schema_set *set = NULL;
    const q2o_schema *schema = NULL;
    avro_value_t value;
    char *bytes = NULL, detail[512] = "";
    size_t len = 0;
    int rc = load(dir, &set);
    if (rc == 0)
        rc = read_all(file, &bytes, &len);
    if (rc == 0) {
        q2o_err err = q2o_avro_decode(set, (const uint8_t *)bytes, len, &schema, &value, detail,
                                      sizeof detail);
        if (err != Q2O_OK) {
            rc = codec_error(err, detail);
        } else {
            rc = print_value(stdout, &value);
            putchar('\n');
            avro_value_decref(&value);
        }
    }
    free(bytes);
    q2o_schema_set_free(set);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "canon") == 0)
        return cmd_canon(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "pcf") == 0)
        return cmd_pcf(argc - 2, argv + 2);
    if (argc == 4 && strcmp(argv[1], "encode-samples") == 0)
        return cmd_encode_samples(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "decode") == 0)
        return cmd_decode(argv[2], argv[3]);
    fprintf(stderr, "usage: %s canon DIR | pcf FILE... | encode-samples SCHEMADIR OUTDIR |"
                    " decode FILE SCHEMADIR\n", argv[0]);
    return 1;
}
