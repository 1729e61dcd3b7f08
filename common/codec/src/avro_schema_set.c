/*
 * avro_schema_set.c — the immutable set of schemas, loaded once.
 *
 * Entries live in one array in load order; two arrays of pointers sorted by
 * fingerprint and by (fullname, load order) serve the lookups by binary
 * search. Nothing changes after q2o_schema_set_load_*, which is what makes
 * concurrent lookups safe without a lock.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "avro_internal.h"
#include "codec/avro_schema.h"
#include "core/check.h"

struct q2o_schema {
    char *name;   /* top-level fullname */
    char *source; /* file path or label */
    char *json;
    char *pcf;
    uint64_t fingerprint;
    size_t index; /* load order */
    avro_schema_t avro;
    avro_value_iface_t *iface;
};

struct q2o_schema_set {
    q2o_schema *entries;
    size_t count;
    const q2o_schema **by_fp;
    const q2o_schema **by_name;
};

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *fullname_dup(avro_schema_t s)
{
    const char *ns = avro_schema_namespace(s), *name = avro_schema_name(s);
    size_t n = strlen(name) + (ns ? strlen(ns) + 1 : 0) + 1;
    char *full = malloc(n);
    if (full)
        snprintf(full, n, "%s%s%s", ns ? ns : "", ns ? "." : "", name);
    return full;
}

/* avro-c's generic arrays and maps store items in a raw array that cannot
 * grow when the item size is 0 ("Couldn't expand array"): an array or map of
 * a field-less record or a zero-size fixed could never be decoded. Refuse
 * such schemas at load instead of failing every message. Links are not
 * followed: each named type is checked where it is defined. */
static const char *avro_c_unsupported(avro_schema_t s, int depth)
{
    avro_schema_t item = NULL;
    const char *why = NULL;
    if (depth > Q2O_AVRO_MAX_DEPTH)
        return NULL; /* the canonical form reports the depth */
    if (is_avro_array(s))
        item = avro_schema_array_items(s);
    else if (is_avro_map(s))
        item = avro_schema_map_values(s);
    if (item) {
        avro_schema_t t = is_avro_link(item) ? avro_schema_link_target(item) : item;
        if ((is_avro_record(t) && avro_schema_record_size(t) == 0) ||
            (is_avro_fixed(t) && avro_schema_fixed_size(t) == 0))
            return "an array or map of a field-less record or zero-size fixed"
                   " (avro-c cannot hold one)";
        return avro_c_unsupported(item, depth + 1);
    }
    if (is_avro_record(s))
        for (size_t i = 0; !why && i < avro_schema_record_size(s); i++)
            why = avro_c_unsupported(avro_schema_record_field_get_by_index(s, (int)i), depth + 1);
    if (is_avro_union(s))
        for (size_t i = 0; !why && i < avro_schema_union_size(s); i++)
            why = avro_c_unsupported(avro_schema_union_branch(s, (int)i), depth + 1);
    return why;
}

static void entry_release(q2o_schema *e)
{
    if (e->iface)
        avro_value_iface_decref(e->iface);
    if (e->avro)
        avro_schema_decref(e->avro);
    free(e->name);
    free(e->source);
    free(e->json);
    free(e->pcf);
    memset(e, 0, sizeof *e);
}

/* Fill e from one schema text. On error e is released and detail names it. */
static q2o_err entry_init(q2o_schema *e, const char *source, const char *json, size_t len,
                          char *detail, size_t detail_size)
{
    char why[512] = "";
    const char *unsupported;
    q2o_err err = Q2O_NO_MEMORY;
    memset(e, 0, sizeof *e);
    if (!(e->source = dup_n(source, strlen(source))) || !(e->json = dup_n(json, len)))
        goto fail;
    err = Q2O_WIRE_SCHEMA_INVALID;
    if (avro_schema_from_json_length(e->json, len, &e->avro) != 0) {
        e->avro = NULL;
        q2o_codec_fail_avro(err, why, sizeof why, "avro-c cannot parse it");
        goto fail;
    }
    if (!is_avro_named_type(e->avro)) {
        snprintf(why, sizeof why, "the top-level schema is not a record, enum or fixed");
        goto fail;
    }
    if ((err = q2o_avro_schema_pcf(e->avro, &e->pcf, NULL, why, sizeof why)) != Q2O_OK)
        goto fail;
    if ((unsupported = avro_c_unsupported(e->avro, 0)) != NULL) {
        snprintf(why, sizeof why, "the schema has %s", unsupported);
        err = Q2O_WIRE_SCHEMA_INVALID;
        goto fail;
    }
    e->fingerprint = q2o_avro_crc64(e->pcf, strlen(e->pcf));
    err = Q2O_NO_MEMORY;
    if (!(e->name = fullname_dup(e->avro)))
        goto fail;
    if (!(e->iface = avro_generic_class_from_schema(e->avro))) {
        err = q2o_codec_fail_avro(Q2O_WIRE_SCHEMA_INVALID, why, sizeof why,
                                  "avro-c cannot make a value class");
        goto fail;
    }
    return Q2O_OK;
fail:
    q2o_codec_fail(err, detail, detail_size, "%s: %s", source,
                   why[0] ? why : "out of memory");
    entry_release(e);
    return err;
}

static int cmp_fp(const void *a, const void *b)
{
    const q2o_schema *x = *(const q2o_schema *const *)a, *y = *(const q2o_schema *const *)b;
    return x->fingerprint < y->fingerprint ? -1 : x->fingerprint > y->fingerprint;
}

static int cmp_name(const void *a, const void *b)
{
    const q2o_schema *x = *(const q2o_schema *const *)a, *y = *(const q2o_schema *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

/* Build the lookup arrays; reject two entries with one fingerprint. */
static q2o_err set_index(q2o_schema_set *set, char *detail, size_t detail_size)
{
    set->by_fp = malloc(set->count * sizeof *set->by_fp);
    set->by_name = malloc(set->count * sizeof *set->by_name);
    if (!set->by_fp || !set->by_name)
        return q2o_codec_fail(Q2O_NO_MEMORY, detail, detail_size, "out of memory");
    for (size_t i = 0; i < set->count; i++)
        set->by_fp[i] = set->by_name[i] = &set->entries[i];
    qsort(set->by_fp, set->count, sizeof *set->by_fp, cmp_fp);
    qsort(set->by_name, set->count, sizeof *set->by_name, cmp_name);
    for (size_t i = 1; i < set->count; i++)
        if (set->by_fp[i]->fingerprint == set->by_fp[i - 1]->fingerprint)
            return q2o_codec_fail(Q2O_WIRE_SCHEMA_INVALID, detail, detail_size,
                                  "%s and %s have the same fingerprint (same canonical form)",
                                  set->by_fp[i - 1]->source, set->by_fp[i]->source);
    return Q2O_OK;
}

static q2o_err set_new(size_t count, q2o_schema_set **out, char *detail, size_t detail_size)
{
    *out = NULL;
    if (count == 0)
        return q2o_codec_fail(Q2O_WIRE_SCHEMA_INVALID, detail, detail_size, "no schema to load");
    if (count > Q2O_AVRO_MAX_SCHEMAS)
        return q2o_codec_fail(Q2O_TOO_LARGE, detail, detail_size, "%zu schemas, limit is %d",
                              count, Q2O_AVRO_MAX_SCHEMAS);
    q2o_schema_set *set = calloc(1, sizeof *set);
    if (!set || !(set->entries = calloc(count, sizeof *set->entries))) {
        free(set);
        return q2o_codec_fail(Q2O_NO_MEMORY, detail, detail_size, "out of memory");
    }
    *out = set;
    return Q2O_OK;
}

/* Append one entry; set->count grows only on success. */
static q2o_err set_add(q2o_schema_set *set, const char *source, const char *json, size_t len,
                       char *detail, size_t detail_size)
{
    q2o_schema *e = &set->entries[set->count];
    q2o_err err = entry_init(e, source, json, len, detail, detail_size);
    if (err == Q2O_OK)
        e->index = set->count++;
    return err;
}

void q2o_schema_set_free(q2o_schema_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        entry_release(&set->entries[i]);
    free(set->entries);
    free(set->by_fp);
    free(set->by_name);
    free(set);
}

q2o_err q2o_schema_set_load_json(const char *const *jsons, const char *const *labels,
                                 size_t count, q2o_schema_set **out, char *detail,
                                 size_t detail_size)
{
    q2o_schema_set *set = NULL;
    *out = NULL;
    q2o_err err = set_new(count, &set, detail, detail_size);
    for (size_t i = 0; err == Q2O_OK && i < count; i++) {
        char label[32];
        snprintf(label, sizeof label, "#%zu", i);
        if (!jsons[i])
            err = q2o_codec_fail(Q2O_INVALID_ARGUMENT, detail, detail_size, "text %zu is NULL", i);
        else
            err = set_add(set, labels && labels[i] ? labels[i] : label, jsons[i],
                          strlen(jsons[i]), detail, detail_size);
    }
    if (err == Q2O_OK)
        err = set_index(set, detail, detail_size);
    if (err != Q2O_OK) {
        q2o_schema_set_free(set);
        return err;
    }
    *out = set;
    return Q2O_OK;
}

/* --- loading a directory --------------------------------------------------- */

struct names {
    char **v;
    size_t n, cap;
};

static void names_release(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_avsc(const char *dir, const char *name)
{
    size_t n = strlen(name);
    char path[4096];
    struct stat st;
    if (n < 6 || strcmp(name + n - 5, ".avsc") != 0 || name[0] == '.')
        return 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The sorted *.avsc file names of dir. */
static q2o_err list_avsc(const char *dir, struct names *out, char *detail, size_t detail_size)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    q2o_err err = Q2O_OK;
    if (!d)
        return q2o_codec_fail(Q2O_WIRE_SCHEMA_INVALID, detail, detail_size,
                              "cannot read directory %s: %s", dir, strerror(errno));
    while (err == Q2O_OK && (de = readdir(d)) != NULL) {
        if (!is_avsc(dir, de->d_name))
            continue;
        if (out->n == Q2O_AVRO_MAX_SCHEMAS) {
            err = q2o_codec_fail(Q2O_TOO_LARGE, detail, detail_size,
                                 "%s has more than %d schemas", dir, Q2O_AVRO_MAX_SCHEMAS);
        } else if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            char **v = realloc(out->v, cap * sizeof *v);
            if (!v)
                err = Q2O_NO_MEMORY;
            else
                out->v = v, out->cap = cap;
        }
        if (err == Q2O_OK && !(out->v[out->n++] = dup_n(de->d_name, strlen(de->d_name))))
            err = Q2O_NO_MEMORY, out->n--;
    }
    closedir(d);
    if (err == Q2O_NO_MEMORY)
        q2o_codec_fail(err, detail, detail_size, "out of memory listing %s", dir);
    if (err == Q2O_OK && out->n > 1) /* qsort's base may not be NULL */
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return err;
}

/* Read a whole file into a malloc'd, NUL-terminated buffer. */
static q2o_err read_file(const char *path, char **out, size_t *len, char *detail,
                         size_t detail_size)
{
    q2o_err err = Q2O_WIRE_SCHEMA_INVALID;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return q2o_codec_fail(err, detail, detail_size, "%s: %s", path, strerror(errno));
    buf = malloc(Q2O_AVRO_MAX_SCHEMA_BYTES + 1);
    if (!buf) {
        err = q2o_codec_fail(Q2O_NO_MEMORY, detail, detail_size, "out of memory");
        goto out;
    }
    *len = fread(buf, 1, Q2O_AVRO_MAX_SCHEMA_BYTES + 1, f);
    if (ferror(f)) {
        q2o_codec_fail(err, detail, detail_size, "%s: read error", path);
    } else if (*len > Q2O_AVRO_MAX_SCHEMA_BYTES) {
        err = q2o_codec_fail(Q2O_TOO_LARGE, detail, detail_size, "%s: larger than %u bytes",
                             path, Q2O_AVRO_MAX_SCHEMA_BYTES);
    } else {
        buf[*len] = '\0';
        *out = buf, buf = NULL;
        err = Q2O_OK;
    }
out:
    free(buf);
    fclose(f);
    return err;
}

static q2o_err add_file(q2o_schema_set *set, const char *dir, const char *name, char *detail,
                        size_t detail_size)
{
    char path[4096];
    char *json = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    q2o_err err = read_file(path, &json, &len, detail, detail_size);
    if (err == Q2O_OK)
        err = set_add(set, path, json, len, detail, detail_size);
    free(json);
    return err;
}

q2o_err q2o_schema_set_load_dir(const char *dir, q2o_schema_set **out, char *detail,
                                size_t detail_size)
{
    struct names files = {0};
    q2o_schema_set *set = NULL;
    *out = NULL;
    q2o_err err = list_avsc(dir, &files, detail, detail_size);
    if (err == Q2O_OK && files.n == 0)
        err = q2o_codec_fail(Q2O_WIRE_SCHEMA_INVALID, detail, detail_size,
                             "%s holds no .avsc file", dir);
    if (err == Q2O_OK)
        err = set_new(files.n, &set, detail, detail_size);
    for (size_t i = 0; err == Q2O_OK && i < files.n; i++)
        err = add_file(set, dir, files.v[i], detail, detail_size);
    if (err == Q2O_OK)
        err = set_index(set, detail, detail_size);
    names_release(&files);
    if (err != Q2O_OK) {
        q2o_schema_set_free(set);
        return err;
    }
    *out = set;
    return Q2O_OK;
}

/* --- lookups and accessors ------------------------------------------------- */

size_t q2o_schema_set_count(const q2o_schema_set *set)
{
    return set ? set->count : 0;
}

const q2o_schema *q2o_schema_set_at(const q2o_schema_set *set, size_t index)
{
    return set && index < set->count ? &set->entries[index] : NULL;
}

const q2o_schema *q2o_schema_set_find_fingerprint(const q2o_schema_set *set,
                                                  uint64_t fingerprint)
{
    size_t lo = 0, hi = set ? set->count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t fp = set->by_fp[mid]->fingerprint;
        if (fp == fingerprint)
            return set->by_fp[mid];
        if (fp < fingerprint)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const q2o_schema *q2o_schema_set_find_name(const q2o_schema_set *set, const char *fullname)
{
    /* Upper bound of fullname in (name, index) order: the entry just before
     * it is the last loaded one with that name, if any. */
    size_t lo = 0, hi = set ? set->count : 0;
    if (!fullname)
        return NULL;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(set->by_name[mid]->name, fullname) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || strcmp(set->by_name[lo - 1]->name, fullname) != 0)
        return NULL;
    return set->by_name[lo - 1];
}

const char *q2o_schema_name(const q2o_schema *schema) { return schema->name; }
const char *q2o_schema_source(const q2o_schema *schema) { return schema->source; }
const char *q2o_schema_json(const q2o_schema *schema) { return schema->json; }
const char *q2o_schema_pcf(const q2o_schema *schema) { return schema->pcf; }
uint64_t q2o_schema_fingerprint(const q2o_schema *schema) { return schema->fingerprint; }
avro_schema_t q2o_schema_avro(const q2o_schema *schema) { return schema->avro; }
avro_value_iface_t *q2o_schema_class(const q2o_schema *schema) { return schema->iface; }

q2o_err q2o_schema_new_value(const q2o_schema *schema, avro_value_t *out)
{
    Q2O_CHECK(schema != NULL && out != NULL);
    if (avro_generic_value_new(schema->iface, out) != 0) {
        memset(out, 0, sizeof *out);
        return Q2O_NO_MEMORY;
    }
    return Q2O_OK;
}
