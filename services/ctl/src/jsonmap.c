/* jsonmap.c — see jsonmap.h. */
#include "jsonmap.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "domain/types.h"

#define PATH_MAX_LEN 256

static int fail(char *err, size_t size, const char *path, const char *fmt, ...)
{
    char why[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(err, size, "%s: %s", path, why);
    return -1;
}

/* path + "[i]" or path + "." + key into out (truncated paths stay readable). */
static void sub_index(char *out, const char *path, size_t i)
{
    if (snprintf(out, PATH_MAX_LEN, "%s[%zu]", path, i) >= PATH_MAX_LEN)
        memcpy(out + PATH_MAX_LEN - 4, "...", 4);
}

static void sub_key(char *out, const char *path, const char *key)
{
    if (snprintf(out, PATH_MAX_LEN, "%s.%s", path, key) >= PATH_MAX_LEN)
        memcpy(out + PATH_MAX_LEN - 4, "...", 4);
}

static void *at(void *obj, size_t off)
{
    return (char *)obj + off;
}

static const void *cat(const void *obj, size_t off)
{
    return (const char *)obj + off;
}

static void put(json_t *o, const char *key, json_t *v)
{
    Q2O_CHECK(v != NULL);
    Q2O_CHECK(json_object_set_new(o, key, v) == 0);
}

/* ------------------------------------------------------------ encode */

json_t *jm_time_json(int64_t t)
{
    char buf[40];
    if (t == 0)
        return json_null();
    return json_string(q2o_time_format(t, buf, sizeof buf));
}

json_t *jm_sha_json(const uint8_t *sha)
{
    char hex[Q2O_SHA256_HEX_LEN];
    return json_string(q2o_hex(sha, Q2O_SHA256_LEN, hex));
}

json_t *jm_roles_json(uint32_t roles)
{
    json_t *a = json_array();
    Q2O_CHECK(a != NULL);
    for (uint32_t bit = 1; bit && bit <= (uint32_t)Q2O_ROLE__ALL; bit <<= 1) {
        char name[64];
        if (roles & bit)
            Q2O_CHECK(json_array_append_new(a, json_string(q2o_roles_format(bit, name, sizeof name))) == 0);
    }
    return a;
}

static json_t *methods_json(uint32_t bits)
{
    json_t *a = json_array();
    Q2O_CHECK(a != NULL);
    for (int m = 0; m < Q2O_AM__COUNT; m++)
        if (bits & (1u << m))
            Q2O_CHECK(json_array_append_new(a, json_string(q2o_accept_method_name((q2o_accept_method)m))) == 0);
    return a;
}

static int is_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static json_t *enum_json(const jm_enum *en, int v)
{
    const char *name = v >= 0 && v < en->count ? en->name(v) : NULL;
    return name && *name ? json_string(name) : json_integer(v);
}

/* The JSON value of one field, or NULL when compact output omits it. */
static json_t *field_json(const jm_field *f, const void *obj, int flags)
{
    const void *p = cat(obj, f->off);
    int compact = flags & JM_FLAG_COMPACT;
    switch (f->kind) {
    case JM_STR:
        return compact && !*(const char *)p ? NULL : json_string((const char *)p);
    case JM_I32: {
        int32_t v = *(const int32_t *)p;
        return compact && v == f->dflt ? NULL : json_integer(v);
    }
    case JM_I64: {
        int64_t v = *(const int64_t *)p;
        return compact && v == f->dflt ? NULL : json_integer(v);
    }
    case JM_U64: {
        uint64_t v = *(const uint64_t *)p;
        return compact && v == 0 ? NULL : json_integer((json_int_t)v);
    }
    case JM_BOOL: {
        int v = *(const int *)p;
        return compact && !v ? NULL : json_boolean(v);
    }
    case JM_TIME: {
        int64_t v = *(const int64_t *)p;
        return compact && !v ? NULL : jm_time_json(v);
    }
    case JM_SHA:
        return compact && is_zero(p, Q2O_SHA256_LEN) ? NULL : jm_sha_json(p);
    case JM_ENUM: {
        int v = *(const int *)p;
        return enum_json(f->en, v); /* always: a reader must not need the default to know the symbol */
    }
    case JM_ROLES: {
        uint32_t v = *(const uint32_t *)p;
        return compact && !v ? NULL : jm_roles_json(v);
    }
    case JM_METHODS: {
        uint32_t v = *(const uint32_t *)p;
        return compact && !v ? NULL : methods_json(v);
    }
    case JM_REC: {
        json_t *o = jm_encode(f->rec, p, flags);
        if (compact && json_object_size(o) == 0) {
            json_decref(o);
            return NULL;
        }
        return o;
    }
    case JM_STRS:
    case JM_RECS: {
        uint32_t n = *(const uint32_t *)cat(obj, f->count_off);
        if (compact && n == 0)
            return NULL;
        json_t *a = json_array();
        Q2O_CHECK(a != NULL && n <= f->max);
        for (uint32_t i = 0; i < n; i++) {
            const void *e = (const char *)p + i * f->size;
            json_t *v = f->kind == JM_STRS ? json_string((const char *)e) : jm_encode(f->rec, e, flags);
            Q2O_CHECK(v != NULL && json_array_append_new(a, v) == 0);
        }
        return a;
    }
    }
    Q2O_CHECK(!"unknown field kind");
    return NULL;
}

json_t *jm_encode(const jm_record *rec, const void *obj, int flags)
{
    json_t *o = json_object();
    Q2O_CHECK(o != NULL);
    for (size_t i = 0; i < rec->n_fields; i++) {
        json_t *v = field_json(&rec->fields[i], obj, flags);
        if (v)
            put(o, rec->fields[i].name, v);
    }
    return o;
}

/* ------------------------------------------------------------ decode */

static const char *type_name(const json_t *v)
{
    if (!v)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number with a fraction";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

static int get_int(const json_t *v, int64_t lo, int64_t hi, int64_t *out, const char *path, char *err, size_t size)
{
    if (!json_is_integer(v))
        return fail(err, size, path, "expected an integer, got %s", type_name(v));
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi)
        return fail(err, size, path, "%lld is outside %lld..%lld", (long long)n, (long long)lo, (long long)hi);
    *out = n;
    return 0;
}

static int get_str(const json_t *v, char *dst, size_t dst_size, const char *path, char *err, size_t size)
{
    if (!json_is_string(v))
        return fail(err, size, path, "expected a string, got %s", type_name(v));
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (strlen(s) != n)
        return fail(err, size, path, "the string contains a NUL character");
    if (n >= dst_size)
        return fail(err, size, path, "%zu bytes, the field holds %zu", n, dst_size - 1);
    memcpy(dst, s, n + 1);
    return 0;
}

static int get_time(const json_t *v, int64_t *out, const char *path, char *err, size_t size)
{
    if (json_is_null(v)) {
        *out = 0;
        return 0;
    }
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return fail(err, size, path, "expected an RFC 3339 time string, got %s", type_name(v));
    if (q2o_time_parse(json_string_value(v), out) != Q2O_OK)
        return fail(err, size, path, "'%s' is not an RFC 3339 time (2026-07-02T10:00:00Z)", json_string_value(v));
    return 0;
}

static int get_sha(const json_t *v, uint8_t *out, const char *path, char *err, size_t size)
{
    if (!json_is_string(v))
        return fail(err, size, path, "expected 64 hex digits, got %s", type_name(v));
    const char *s = json_string_value(v);
    if (strlen(s) != 2 * Q2O_SHA256_LEN || q2o_unhex(s, out, Q2O_SHA256_LEN) != 0)
        return fail(err, size, path, "expected 64 hex digits (a SHA-256), got '%.80s'", s);
    return 0;
}

static int get_enum(const jm_enum *en, const json_t *v, int *out, const char *path, char *err, size_t size)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        for (int i = 0; i < en->count; i++) {
            const char *name = en->name(i);
            if (name && strcmp(name, s) == 0) {
                *out = i;
                return 0;
            }
        }
        char known[512] = "";
        size_t k = 0;
        for (int i = 0; i < en->count && k + 1 < sizeof known; i++)
            k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", en->name(i));
        return fail(err, size, path, "unknown value '%.64s' (one of: %s)", s, known);
    }
    int64_t n;
    if (get_int(v, 0, en->count - 1, &n, path, err, size) != 0)
        return -1;
    *out = (int)n;
    return 0;
}

static int role_one(const char *name, uint32_t *bits, const char *path, char *err, size_t size)
{
    uint32_t b;
    if (q2o_roles_parse(name, &b) != 0 || b == 0) {
        char all[256];
        return fail(err, size, path, "unknown role '%.64s' (roles: %s)", name,
                    q2o_roles_format((uint32_t)Q2O_ROLE__ALL, all, sizeof all));
    }
    *bits |= b;
    return 0;
}

int jm_parse_roles(const json_t *v, uint32_t *out, const char *path, char *err, size_t size)
{
    uint32_t bits = 0;
    if (json_is_string(v)) {
        char buf[512], *save = NULL;
        if (get_str(v, buf, sizeof buf, path, err, size) != 0)
            return -1;
        for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            if (role_one(t, &bits, path, err, size) != 0)
                return -1;
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            char p[PATH_MAX_LEN];
            const json_t *e = json_array_get(v, i);
            sub_index(p, path, i);
            if (!json_is_string(e))
                return fail(err, size, p, "expected a role name, got %s", type_name(e));
            if (role_one(json_string_value(e), &bits, p, err, size) != 0)
                return -1;
        }
    } else if (json_is_integer(v)) {
        int64_t n;
        if (get_int(v, 0, Q2O_ROLE__ALL, &n, path, err, size) != 0)
            return -1;
        bits = (uint32_t)n;
    } else {
        return fail(err, size, path, "expected an array of role names, got %s", type_name(v));
    }
    *out = bits;
    return 0;
}

static const char *method_name(int m)
{
    return q2o_accept_method_name((q2o_accept_method)m);
}

static int get_methods(const json_t *v, uint32_t *out, const char *path, char *err, size_t size)
{
    static const jm_enum methods = {method_name, Q2O_AM__COUNT};
    if (!json_is_array(v))
        return fail(err, size, path, "expected an array of acceptance methods, got %s", type_name(v));
    uint32_t bits = 0;
    for (size_t i = 0; i < json_array_size(v); i++) {
        char p[PATH_MAX_LEN];
        int m;
        sub_index(p, path, i);
        if (get_enum(&methods, json_array_get(v, i), &m, p, err, size) != 0)
            return -1;
        bits |= 1u << m;
    }
    *out = bits;
    return 0;
}

static int get_array(const jm_field *f, const json_t *v, void *obj, const char *path, char *err, size_t size)
{
    if (!json_is_array(v))
        return fail(err, size, path, "expected an array, got %s", type_name(v));
    size_t n = json_array_size(v);
    if (n > f->max)
        return fail(err, size, path, "%zu items, at most %u", n, f->max);
    char *base = at(obj, f->off);
    memset(base, 0, (size_t)f->max * f->size);
    for (size_t i = 0; i < n; i++) {
        char p[PATH_MAX_LEN];
        sub_index(p, path, i);
        const json_t *e = json_array_get(v, i);
        int rc = f->kind == JM_STRS ? get_str(e, base + i * f->size, f->size, p, err, size)
                                    : jm_decode(f->rec, e, base + i * f->size, p, err, size);
        if (rc != 0)
            return -1;
    }
    *(uint32_t *)at(obj, f->count_off) = (uint32_t)n;
    return 0;
}

static int field_decode(const jm_field *f, const json_t *v, void *obj, const char *path, char *err, size_t size)
{
    void *p = at(obj, f->off);
    int64_t n;
    switch (f->kind) {
    case JM_STR: return get_str(v, p, f->size, path, err, size);
    case JM_I32:
        if (get_int(v, INT32_MIN, INT32_MAX, &n, path, err, size) != 0)
            return -1;
        *(int32_t *)p = (int32_t)n;
        return 0;
    case JM_I64: return get_int(v, INT64_MIN, INT64_MAX, (int64_t *)p, path, err, size);
    case JM_U64:
        if (get_int(v, 0, INT64_MAX, &n, path, err, size) != 0)
            return -1;
        *(uint64_t *)p = (uint64_t)n;
        return 0;
    case JM_BOOL:
        if (json_is_boolean(v)) {
            *(int *)p = json_is_true(v);
            return 0;
        }
        if (get_int(v, 0, 1, &n, path, err, size) != 0)
            return fail(err, size, path, "expected true or false, got %s", type_name(v));
        *(int *)p = (int)n;
        return 0;
    case JM_TIME: return get_time(v, (int64_t *)p, path, err, size);
    case JM_SHA: return get_sha(v, p, path, err, size);
    case JM_ENUM: return get_enum(f->en, v, (int *)p, path, err, size);
    case JM_ROLES: return jm_parse_roles(v, (uint32_t *)p, path, err, size);
    case JM_METHODS: return get_methods(v, (uint32_t *)p, path, err, size);
    case JM_REC: return jm_decode(f->rec, v, p, path, err, size);
    case JM_STRS:
    case JM_RECS: return get_array(f, v, obj, path, err, size);
    }
    return fail(err, size, path, "unknown field kind");
}

const jm_field *jm_field_find(const jm_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->n_fields; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return &rec->fields[i];
    return NULL;
}

int jm_decode(const jm_record *rec, const json_t *j, void *obj, const char *path, char *err, size_t size)
{
    const char *key;
    json_t *v;
    if (!json_is_object(j))
        return fail(err, size, path, "expected an object (%s), got %s", rec->name, type_name(j));
    json_object_foreach((json_t *)(uintptr_t)j, key, v) {
        char p[PATH_MAX_LEN];
        sub_key(p, path, key);
        const jm_field *f = jm_field_find(rec, key);
        if (!f) {
            char known[768] = "";
            size_t k = 0;
            for (size_t i = 0; i < rec->n_fields && k + 1 < sizeof known; i++)
                k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", rec->fields[i].name);
            return fail(err, size, p, "unknown field of %s (fields: %s)", rec->name, known);
        }
        if (field_decode(f, v, obj, p, err, size) != 0)
            return -1;
    }
    return 0;
}
