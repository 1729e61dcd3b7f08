/*
 * catalog_json.c — see codec/catalog_json.h; the format is documented in
 * schemas/catalog/README.md.
 *
 * The document is walked with field tables: each object kind (offering,
 * price book, rule, ...) is a table of its JSON keys, each key saying where
 * the value goes in the C struct, its type and its bounds. One generic
 * walker reads any table, so every object gets the same treatment: unknown
 * keys, wrong types, missing required keys, too-long strings, out-of-range
 * integers are all reported with their path, and the walk goes on to find
 * the next problem. Identities are checked next (with paths, which
 * q2o_catalog_seal cannot give), then the catalog is sealed and
 * q2o_catalog_check reports the cross references.
 */
#include "codec/catalog_json.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/limits.h"
#include "core/strutil.h"
#include "core/timeutil.h"

#define FORMAT_NAME "q2o.catalog.v1"

/* ---------------------------------------------------------------- the loader */

typedef struct loader {
    q2o_catalog *cat;
    q2o_catalog_json_errors *errs; /* may be NULL */
    uint32_t n_errors;             /* every problem, kept or not */
    uint32_t n_loader_errors;      /* the loader's own, before q2o_catalog_check */
    char path[Q2O_CATALOG_JSON_PATH_MAX];
    size_t path_len;
} loader;

/* Append a piece to the current path; returns the length to pop back to.
 * A path that does not fit ends in "..." (only bytes past `old` change, so
 * popping restores the parent exactly). */
static size_t path_push(loader *ld, const char *fmt, ...)
{
    size_t old = ld->path_len, room = sizeof ld->path - old;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ld->path + old, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= room) {
        if (room >= 4)
            memcpy(ld->path + sizeof ld->path - 4, "...", 4);
        ld->path_len = sizeof ld->path - 1;
    } else {
        ld->path_len = old + (size_t)n;
    }
    return old;
}

static void path_pop(loader *ld, size_t old)
{
    ld->path_len = old;
    ld->path[old] = '\0';
}

static void add_error(loader *ld, const char *path, q2o_err code, const char *message)
{
    ld->n_errors++;
    q2o_catalog_json_errors *e = ld->errs;
    if (!e)
        return;
    if (e->n >= Q2O_MAX_CATALOG_ERRORS) {
        e->n_dropped++;
        return;
    }
    if ((e->n & (e->n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow by doubling */
        size_t cap = e->n ? 2u * e->n : 8u;
        q2o_catalog_json_error *items = realloc(e->items, cap * sizeof *items);
        Q2O_CHECK(items != NULL);
        e->items = items;
    }
    q2o_catalog_json_error *it = &e->items[e->n++];
    q2o_strlcpy(it->path, path, sizeof it->path);
    it->code = code;
    q2o_strlcpy(it->message, message, sizeof it->message);
}

static void report_v(loader *ld, const char *path, q2o_err code, const char *fmt, va_list ap)
{
    char msg[sizeof ((q2o_catalog_json_error *)0)->message];
    vsnprintf(msg, sizeof msg, fmt, ap);
    add_error(ld, path, code, msg);
    ld->n_loader_errors++;
}

/* A problem the loader found, at the current path or at `path`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void report(loader *ld, q2o_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(ld, ld->path, code, fmt, ap);
    va_end(ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report_at(loader *ld, const char *path, q2o_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(ld, path, code, fmt, ap);
    va_end(ap);
}

void q2o_catalog_json_errors_release(q2o_catalog_json_errors *e)
{
    if (!e)
        return;
    free(e->items);
    memset(e, 0, sizeof *e);
}

/* ---------------------------------------------------------------- field tables */

typedef enum jkind {
    J_STR,         /* char[size] at off */
    J_I64,         /* int64_t at off, within [min, max] */
    J_I32,         /* int32_t at off */
    J_U32,         /* uint32_t at off */
    J_AMOUNT,      /* int64_t minor units: an integer, never a real */
    J_BOOL,        /* int at off: 0 or 1 */
    J_TIME,        /* q2o_time_ms at off, from an RFC 3339 string */
    J_ENUM,        /* an enum at off, from its spelling (parse) */
    J_CODES,       /* strings: uint32_t count at off, arena array at off2, each size bytes */
    J_CODES_FIXED, /* strings: uint32_t count at off, char[max][size] at off2 */
    J_OBJECT,      /* a nested object at off (sub) */
    J_ARRAY,       /* objects: uint32_t count at off, arena array at off2, each size bytes (sub) */
    J_CUSTOM       /* custom(ld, value, obj) */
} jkind;

typedef struct jtable jtable;
typedef void (*jcustom_fn)(loader *ld, json_t *v, void *obj);

typedef struct jfield {
    const char *key;
    jkind kind;
    int required;
    size_t off, off2, size;
    int64_t min, max;
    int (*parse)(const char *);
    const char *expect;  /* J_ENUM: the spellings, for the message */
    const jtable *sub;
    jcustom_fn custom;
} jfield;

struct jtable {
    const char *what;     /* "offering", for messages */
    const jfield *fields;
    size_t n_fields;
    void (*init)(void *obj); /* defaults before the keys are read */
};

#define MEMBER_SIZE_(T, f) sizeof(((T *)0)->f)
#define F_STR(T, k, f, req) {.key = k, .kind = J_STR, .required = req, .off = offsetof(T, f), .size = MEMBER_SIZE_(T, f)}
#define F_INT(T, k, f, req, kind_, lo, hi) {.key = k, .kind = kind_, .required = req, .off = offsetof(T, f), .min = lo, .max = hi}
#define F_I64(T, k, f, req) F_INT(T, k, f, req, J_I64, INT64_MIN, INT64_MAX)
#define F_I32(T, k, f, req) F_INT(T, k, f, req, J_I32, INT32_MIN, INT32_MAX)
#define F_U32(T, k, f, req) F_INT(T, k, f, req, J_U32, 0, UINT32_MAX)
#define F_AMT(T, k, f, req) F_INT(T, k, f, req, J_AMOUNT, -Q2O_MAX_AMOUNT, Q2O_MAX_AMOUNT)
#define F_BOOL(T, k, f) {.key = k, .kind = J_BOOL, .off = offsetof(T, f)}
#define F_TIME(T, k, f, req) {.key = k, .kind = J_TIME, .required = req, .off = offsetof(T, f)}
#define F_ENUM(T, k, f, req, fn, names) \
    {.key = k, .kind = J_ENUM, .required = req, .off = offsetof(T, f), .parse = fn, .expect = names}
#define F_CODES(T, k, nf, pf, req) \
    {.key = k, .kind = J_CODES, .required = req, .off = offsetof(T, nf), .off2 = offsetof(T, pf), \
     .size = MEMBER_SIZE_(T, pf[0]), .max = Q2O_MAX_CATALOG_ITEMS}
#define F_CODES_FIXED(T, k, nf, af) \
    {.key = k, .kind = J_CODES_FIXED, .off = offsetof(T, nf), .off2 = offsetof(T, af), \
     .size = MEMBER_SIZE_(T, af[0]), .max = (int64_t)Q2O_ARRAY_LEN(((T *)0)->af)}
#define F_OBJECT(T, k, f, req, tab) {.key = k, .kind = J_OBJECT, .required = req, .off = offsetof(T, f), .sub = &tab}
#define F_ARRAY(T, k, nf, pf, req, tab) \
    {.key = k, .kind = J_ARRAY, .required = req, .off = offsetof(T, nf), .off2 = offsetof(T, pf), \
     .size = MEMBER_SIZE_(T, pf[0]), .max = Q2O_MAX_CATALOG_ITEMS, .sub = &tab}
#define F_CUSTOM(k, req, fn) {.key = k, .kind = J_CUSTOM, .required = req, .custom = fn}
#define TABLE(name, what_, init_, ...)                                             \
    static const jfield name##_fields_[] = {__VA_ARGS__};                          \
    static const jtable name = {what_, name##_fields_, Q2O_ARRAY_LEN(name##_fields_), init_}

/* Enumerations are stored as int; the model's enums are int-sized. */
_Static_assert(sizeof(q2o_charge_type) == sizeof(int), "enum size");
_Static_assert(sizeof(q2o_rule_kind) == sizeof(int), "enum size");
/* Arena arrays are stored through a void * (see store_ptr). */
_Static_assert(sizeof(void *) == sizeof(q2o_cat_code *), "pointer size");

static void *at(void *obj, size_t off)
{
    return (char *)obj + off;
}

static void store_ptr(void *obj, size_t off, void *p)
{
    memcpy(at(obj, off), &p, sizeof p);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a decimal number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

static void wrong_type(loader *ld, const char *want, const json_t *v)
{
    report(ld, Q2O_FIELD_INVALID, "expected %s, got %s", want, type_name(v));
}

/* ---------------------------------------------------------------- scalars */

/* A string into char[size]; 0 on success. */
static int read_string(loader *ld, json_t *v, char *dst, size_t size)
{
    if (!json_is_string(v)) {
        wrong_type(ld, "a string", v);
        return -1;
    }
    size_t len = json_string_length(v);
    if (len >= size) {
        report(ld, Q2O_TOO_LARGE, "string of %zu bytes is longer than the %zu bytes this field holds", len,
               size - 1);
        return -1;
    }
    memcpy(dst, json_string_value(v), len + 1);
    return 0;
}

static int read_int(loader *ld, json_t *v, const jfield *f, int64_t *out)
{
    if (json_is_real(v) && f->kind == J_AMOUNT) {
        report(ld, Q2O_FIELD_INVALID,
               "amounts are integers in minor units (5000 for 50.00), never decimal numbers: got %.15g",
               json_real_value(v));
        return -1;
    }
    if (!json_is_integer(v)) {
        wrong_type(ld, "an integer", v);
        return -1;
    }
    int64_t x = (int64_t)json_integer_value(v);
    if (x < f->min || x > f->max) {
        report(ld, f->kind == J_AMOUNT ? Q2O_MONEY_OVERFLOW : Q2O_FIELD_INVALID,
               "%lld is outside %lld..%lld", (long long)x, (long long)f->min, (long long)f->max);
        return -1;
    }
    *out = x;
    return 0;
}

static void read_number(loader *ld, json_t *v, const jfield *f, void *obj)
{
    int64_t x;
    if (read_int(ld, v, f, &x))
        return;
    if (f->kind == J_I32) {
        int32_t y = (int32_t)x;
        memcpy(at(obj, f->off), &y, sizeof y);
    } else if (f->kind == J_U32) {
        uint32_t y = (uint32_t)x;
        memcpy(at(obj, f->off), &y, sizeof y);
    } else {
        memcpy(at(obj, f->off), &x, sizeof x);
    }
}

static void read_bool(loader *ld, json_t *v, const jfield *f, void *obj)
{
    if (!json_is_boolean(v)) {
        wrong_type(ld, "true or false", v);
        return;
    }
    int b = json_is_true(v);
    memcpy(at(obj, f->off), &b, sizeof b);
}

static void read_time(loader *ld, json_t *v, const jfield *f, void *obj)
{
    char text[64];
    q2o_time_ms t;
    if (read_string(ld, v, text, sizeof text))
        return;
    if (q2o_time_parse(text, &t) != Q2O_OK) {
        report(ld, Q2O_FIELD_INVALID, "'%s' is not an RFC 3339 time (2026-07-01T00:00:00Z) or date (2026-07-01)",
               text);
        return;
    }
    memcpy(at(obj, f->off), &t, sizeof t);
}

static void read_enum(loader *ld, json_t *v, const jfield *f, void *obj)
{
    char text[Q2O_CODE_MAX];
    if (read_string(ld, v, text, sizeof text))
        return;
    int e = f->parse(text);
    if (e < 0) {
        report(ld, Q2O_FIELD_INVALID, "unknown value '%s' (one of: %s)", text, f->expect);
        return;
    }
    memcpy(at(obj, f->off), &e, sizeof e);
}

/* ---------------------------------------------------------------- arrays */

/* The array's length, or -1 after reporting why it is refused. */
static int64_t array_len(loader *ld, json_t *v, int64_t max)
{
    if (!json_is_array(v)) {
        wrong_type(ld, "an array", v);
        return -1;
    }
    size_t n = json_array_size(v);
    if ((int64_t)n > max) {
        report(ld, Q2O_TOO_LARGE, "%zu items, at most %lld allowed", n, (long long)max);
        return -1;
    }
    return (int64_t)n;
}

static void read_codes_into(loader *ld, json_t *v, char *dst, size_t size, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        size_t old = path_push(ld, "[%u]", i);
        read_string(ld, json_array_get(v, i), dst + (size_t)i * size, size);
        path_pop(ld, old);
    }
}

static void read_codes(loader *ld, json_t *v, const jfield *f, void *obj)
{
    int64_t n = array_len(ld, v, f->max);
    if (n < 0)
        return;
    uint32_t count = (uint32_t)n;
    char *dst = f->kind == J_CODES ? q2o_catalog_alloc(ld->cat, count, f->size) : at(obj, f->off2);
    if (f->kind == J_CODES)
        store_ptr(obj, f->off2, dst);
    memcpy(at(obj, f->off), &count, sizeof count);
    read_codes_into(ld, v, dst, f->size, count);
}

static void read_object(loader *ld, json_t *v, const jtable *t, void *obj);

static void read_array(loader *ld, json_t *v, const jfield *f, void *obj)
{
    int64_t n = array_len(ld, v, f->max);
    if (n < 0)
        return;
    uint32_t count = (uint32_t)n;
    char *items = q2o_catalog_alloc(ld->cat, count, f->size);
    store_ptr(obj, f->off2, items);
    memcpy(at(obj, f->off), &count, sizeof count);
    for (uint32_t i = 0; i < count; i++) {
        size_t old = path_push(ld, "[%u]", i);
        read_object(ld, json_array_get(v, i), f->sub, items + (size_t)i * f->size);
        path_pop(ld, old);
    }
}

/* ---------------------------------------------------------------- objects */

static void read_field(loader *ld, json_t *v, const jfield *f, void *obj)
{
    switch (f->kind) {
    case J_STR: read_string(ld, v, at(obj, f->off), f->size); break;
    case J_I64:
    case J_I32:
    case J_U32:
    case J_AMOUNT: read_number(ld, v, f, obj); break;
    case J_BOOL: read_bool(ld, v, f, obj); break;
    case J_TIME: read_time(ld, v, f, obj); break;
    case J_ENUM: read_enum(ld, v, f, obj); break;
    case J_CODES:
    case J_CODES_FIXED: read_codes(ld, v, f, obj); break;
    case J_OBJECT: read_object(ld, v, f->sub, at(obj, f->off)); break;
    case J_ARRAY: read_array(ld, v, f, obj); break;
    case J_CUSTOM: f->custom(ld, v, obj); break;
    }
}

/* Edit distance of two short keys (capped), to suggest the key meant. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[40];
    if (la >= Q2O_ARRAY_LEN(row) || lb >= Q2O_ARRAY_LEN(row))
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

static void unknown_key(loader *ld, const jtable *t, const char *key)
{
    const char *near = NULL;
    for (size_t i = 0; i < t->n_fields; i++)
        if (distance(key, t->fields[i].key) <= 2)
            near = t->fields[i].key;
    if (near)
        report(ld, Q2O_FIELD_INVALID, "unknown field '%s' in %s (did you mean '%s'?)", key, t->what, near);
    else
        report(ld, Q2O_FIELD_INVALID, "unknown field '%s' in %s", key, t->what);
}

static void read_object(loader *ld, json_t *v, const jtable *t, void *obj)
{
    Q2O_CHECK(t->n_fields <= 64);
    if (!json_is_object(v)) {
        wrong_type(ld, "an object", v);
        return;
    }
    if (t->init)
        t->init(obj);
    uint64_t seen = 0;
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val) {
        size_t old = path_push(ld, ".%s", key), i = 0;
        while (i < t->n_fields && strcmp(t->fields[i].key, key) != 0)
            i++;
        if (i == t->n_fields) {
            unknown_key(ld, t, key);
        } else {
            seen |= 1ull << i;
            read_field(ld, val, &t->fields[i], obj);
        }
        path_pop(ld, old);
    }
    for (size_t i = 0; i < t->n_fields; i++) {
        if (!t->fields[i].required || (seen >> i & 1u))
            continue;
        size_t old = path_push(ld, ".%s", t->fields[i].key);
        report(ld, Q2O_FIELD_INVALID, "missing required field '%s' of %s", t->fields[i].key, t->what);
        path_pop(ld, old);
    }
}

/* ---------------------------------------------------------------- custom fields */

/* An attribute's default: a string for an enumeration, an integer for a
 * range (kept as its decimal text). */
static void read_attr_default(loader *ld, json_t *v, void *obj)
{
    q2o_cat_attribute *a = obj;
    if (json_is_integer(v))
        snprintf(a->default_value, sizeof a->default_value, "%lld", (long long)json_integer_value(v));
    else if (json_is_string(v))
        read_string(ld, v, a->default_value, sizeof a->default_value);
    else
        wrong_type(ld, "a string (enum) or an integer (range)", v);
}

static void read_format(loader *ld, json_t *v, void *obj)
{
    char text[Q2O_CODE_MAX];
    (void)obj;
    if (read_string(ld, v, text, sizeof text) == 0 && strcmp(text, FORMAT_NAME) != 0)
        report(ld, Q2O_FIELD_INVALID, "unsupported format '%s' (this loader reads '%s')", text, FORMAT_NAME);
}

static void read_window_days(loader *ld, json_t *v, void *obj)
{
    q2o_approval_policy *p = obj;
    jfield f = {.kind = J_I64, .min = 0, .max = 36500};
    int64_t days;
    if (read_int(ld, v, &f, &days) == 0)
        p->window_ms = days * Q2O_MS_PER_DAY;
}

/* "step_roles": {"DISCOUNT_ABOVE_THRESHOLD": "DEAL_DESK", ...}; rules not
 * named keep the default role. */
static void read_step_roles(loader *ld, json_t *v, void *obj)
{
    q2o_approval_policy *p = obj;
    if (!json_is_object(v)) {
        wrong_type(ld, "an object", v);
        return;
    }
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val) {
        size_t old = path_push(ld, ".%s", key);
        int rule = -1;
        for (int r = 0; r < Q2O_AR__COUNT; r++)
            if (strcmp(q2o_approval_rule_name((q2o_approval_rule)r), key) == 0)
                rule = r;
        char roles[Q2O_NAME_MAX];
        uint32_t bits = 0;
        if (rule < 0)
            report(ld, Q2O_FIELD_INVALID, "unknown approval rule '%s'", key);
        else if (read_string(ld, val, roles, sizeof roles) == 0 && q2o_roles_parse(roles, &bits) != 0)
            report(ld, Q2O_FIELD_INVALID, "unknown role in '%s'", roles);
        else if (rule >= 0)
            p->step_role[rule] = bits;
        path_pop(ld, old);
    }
}

static void read_methods(loader *ld, json_t *v, void *obj)
{
    q2o_acceptance_policy *p = obj;
    int64_t n = array_len(ld, v, Q2O_AM__COUNT * 2);
    if (n < 0)
        return;
    p->allowed_methods = 0;
    for (uint32_t i = 0; i < (uint32_t)n; i++) {
        size_t old = path_push(ld, "[%u]", i);
        char name[Q2O_CODE_MAX];
        if (read_string(ld, json_array_get(v, i), name, sizeof name) == 0) {
            int m = q2o_accept_method_parse(name);
            if (m < 0)
                report(ld, Q2O_FIELD_INVALID, "unknown acceptance method '%s' (PORTAL, EMAIL, ESIGNATURE, "
                       "PURCHASE_ORDER)", name);
            else
                p->allowed_methods |= 1u << m;
        }
        path_pop(ld, old);
    }
}

/* ---------------------------------------------------------------- the tables */

static void offering_init(void *obj)
{
    q2o_cat_offering *o = obj;
    o->sellable_alone = 1;
    o->min_quantity = 1;
}

static void price_init(void *obj)
{
    ((q2o_cat_price *)obj)->unit_price = -1;
}

static void pricebook_init(void *obj)
{
    ((q2o_cat_pricebook *)obj)->version = 1;
}

static void schedule_init(void *obj)
{
    ((q2o_cat_schedule *)obj)->version = 1;
}

static void promotion_init(void *obj)
{
    ((q2o_cat_promotion *)obj)->version = 1;
}

static void rule_init(void *obj)
{
    q2o_cat_rule *r = obj;
    r->ratio_num = r->ratio_den = 1;
}

#define CHARGES "one_time, recurring"
TABLE(attribute_t, "attribute", NULL,
      F_STR(q2o_cat_attribute, "name", name, 1),
      F_ENUM(q2o_cat_attribute, "kind", kind, 1, q2o_attr_kind_parse, "enum, range"),
      F_BOOL(q2o_cat_attribute, "required", required),
      F_CODES(q2o_cat_attribute, "values", n_values, values, 0),
      F_I64(q2o_cat_attribute, "min", min, 0),
      F_I64(q2o_cat_attribute, "max", max, 0),
      F_CUSTOM("default", 0, read_attr_default));
TABLE(group_t, "option group", NULL,
      F_STR(q2o_cat_option_group, "id", id, 1),
      F_STR(q2o_cat_option_group, "name", name, 0),
      F_U32(q2o_cat_option_group, "min_select", min_select, 0),
      F_U32(q2o_cat_option_group, "max_select", max_select, 0),
      F_CODES(q2o_cat_option_group, "options", n_options, options, 1));
TABLE(eligibility_t, "eligibility", NULL,
      F_CODES(q2o_cat_eligibility, "regions", n_regions, regions, 0),
      F_CODES(q2o_cat_eligibility, "segments", n_segments, segments, 0),
      F_CODES(q2o_cat_eligibility, "channels", n_channels, channels, 0));
TABLE(offering_t, "offering", offering_init,
      F_STR(q2o_cat_offering, "id", id, 1),
      F_STR(q2o_cat_offering, "name", name, 1),
      F_STR(q2o_cat_offering, "family", family, 0),
      F_STR(q2o_cat_offering, "uom", uom, 0),
      F_ENUM(q2o_cat_offering, "charge", charge, 1, q2o_charge_type_parse, CHARGES),
      F_BOOL(q2o_cat_offering, "sellable_alone", sellable_alone),
      F_BOOL(q2o_cat_offering, "physical", physical),
      F_AMT(q2o_cat_offering, "unit_cost", unit_cost, 0),
      F_I64(q2o_cat_offering, "min_quantity", min_quantity, 0),
      F_I64(q2o_cat_offering, "max_quantity", max_quantity, 0),
      F_TIME(q2o_cat_offering, "active_from", active_from, 0),
      F_TIME(q2o_cat_offering, "active_until", active_until, 0),
      F_OBJECT(q2o_cat_offering, "eligibility", eligibility, 0, eligibility_t),
      F_ARRAY(q2o_cat_offering, "attributes", n_attributes, attributes, 0, attribute_t),
      F_ARRAY(q2o_cat_offering, "option_groups", n_groups, groups, 0, group_t),
      F_STR(q2o_cat_offering, "volume_schedule", volume_schedule, 0),
      F_STR(q2o_cat_offering, "term_schedule", term_schedule, 0));

TABLE(block_t, "block", NULL,
      F_I64(q2o_cat_block, "up_to", up_to, 1),
      F_AMT(q2o_cat_block, "price", price, 1));
TABLE(price_t, "price", price_init,
      F_STR(q2o_cat_price, "offering_id", offering_id, 1),
      F_AMT(q2o_cat_price, "unit_price", unit_price, 0),
      F_ARRAY(q2o_cat_price, "blocks", n_blocks, blocks, 0, block_t));
TABLE(pricebook_t, "price book", pricebook_init,
      F_STR(q2o_cat_pricebook, "id", id, 1),
      F_I64(q2o_cat_pricebook, "version", version, 0),
      F_STR(q2o_cat_pricebook, "currency", currency, 1),
      F_STR(q2o_cat_pricebook, "market", market, 0),
      F_STR(q2o_cat_pricebook, "channel", channel, 0),
      F_TIME(q2o_cat_pricebook, "valid_from", valid_from, 0),
      F_TIME(q2o_cat_pricebook, "valid_until", valid_until, 0),
      F_ARRAY(q2o_cat_pricebook, "prices", n_prices, prices, 1, price_t));

TABLE(tier_t, "tier", NULL,
      F_I64(q2o_cat_tier, "from", from, 1),
      F_I32(q2o_cat_tier, "discount_bp", discount_bp, 1));
TABLE(schedule_t, "discount schedule", schedule_init,
      F_STR(q2o_cat_schedule, "id", id, 1),
      F_I64(q2o_cat_schedule, "version", version, 0),
      F_ENUM(q2o_cat_schedule, "kind", kind, 1, q2o_schedule_kind_parse, "volume, term"),
      F_ENUM(q2o_cat_schedule, "mode", mode, 1, q2o_tier_mode_parse, "range, slab"),
      F_ARRAY(q2o_cat_schedule, "tiers", n_tiers, tiers, 1, tier_t));

TABLE(contract_t, "contract price", NULL,
      F_STR(q2o_cat_contract_price, "contract_id", contract_id, 1),
      F_STR(q2o_cat_contract_price, "account_id", account_id, 1),
      F_STR(q2o_cat_contract_price, "offering_id", offering_id, 1),
      F_STR(q2o_cat_contract_price, "currency", currency, 1),
      F_AMT(q2o_cat_contract_price, "unit_price", unit_price, 1),
      F_TIME(q2o_cat_contract_price, "valid_from", valid_from, 0),
      F_TIME(q2o_cat_contract_price, "valid_until", valid_until, 0));
TABLE(tier_discount_t, "tier discount", NULL,
      F_STR(q2o_cat_tier_discount, "tier", tier, 1),
      F_I32(q2o_cat_tier_discount, "discount_bp", discount_bp, 1));
TABLE(customer_t, "customer", NULL,
      F_STR(q2o_cat_customer, "account_id", account_id, 1),
      F_STR(q2o_cat_customer, "tier", tier, 0),
      F_STR(q2o_cat_customer, "segment", segment, 0),
      F_STR(q2o_cat_customer, "region", region, 0));
TABLE(region_adj_t, "regional adjustment", NULL,
      F_STR(q2o_cat_region_adjustment, "region", region, 1),
      F_I32(q2o_cat_region_adjustment, "adjustment_bp", adjustment_bp, 1));
TABLE(promotion_t, "promotion", promotion_init,
      F_STR(q2o_cat_promotion, "code", code, 1),
      F_STR(q2o_cat_promotion, "name", name, 0),
      F_I64(q2o_cat_promotion, "version", version, 0),
      F_I32(q2o_cat_promotion, "discount_bp", discount_bp, 0),
      F_AMT(q2o_cat_promotion, "amount_off_unit", amount_off_unit, 0),
      F_TIME(q2o_cat_promotion, "starts_at", starts_at, 1),
      F_TIME(q2o_cat_promotion, "ends_at", ends_at, 1),
      F_BOOL(q2o_cat_promotion, "automatic", automatic),
      F_CODES(q2o_cat_promotion, "offerings", n_offerings, offerings, 0));
TABLE(order_type_t, "order type", NULL,
      F_STR(q2o_cat_order_type, "code", code, 1),
      F_STR(q2o_cat_order_type, "name", name, 0),
      F_BOOL(q2o_cat_order_type, "is_quote", is_quote),
      F_I32(q2o_cat_order_type, "expiration_days", expiration_days, 0),
      F_BOOL(q2o_cat_order_type, "pay_method_required", pay_method_required),
      F_BOOL(q2o_cat_order_type, "exclude_sold_out", exclude_sold_out),
      F_STR(q2o_cat_order_type, "price_override_reason", price_override_reason, 0),
      F_BOOL(q2o_cat_order_type, "freight_override_on_accept", freight_override_on_accept),
      F_CODES_FIXED(q2o_cat_order_type, "refused_pay_types", n_refused_pay_types, refused_pay_types),
      F_CODES_FIXED(q2o_cat_order_type, "refused_ship_vias", n_refused_ship_vias, refused_ship_vias));
TABLE(freight_t, "freight rule", NULL,
      F_STR(q2o_cat_freight_rule, "id", id, 1),
      F_STR(q2o_cat_freight_rule, "market", market, 0),
      F_STR(q2o_cat_freight_rule, "channel", channel, 0),
      F_STR(q2o_cat_freight_rule, "currency", currency, 1),
      F_ENUM(q2o_cat_freight_rule, "kind", kind, 1, q2o_freight_kind_parse, "flat, per_unit, percent"),
      F_AMT(q2o_cat_freight_rule, "amount", amount, 0),
      F_I32(q2o_cat_freight_rule, "percent_bp", percent_bp, 0),
      F_AMT(q2o_cat_freight_rule, "free_above", free_above, 0));
TABLE(tax_t, "tax rate", NULL,
      F_STR(q2o_cat_tax_rate, "region", region, 1),
      F_I32(q2o_cat_tax_rate, "rate_bp", rate_bp, 1));
TABLE(stock_t, "stock level", NULL,
      F_STR(q2o_cat_stock, "offering_id", offering_id, 1),
      F_I64(q2o_cat_stock, "available", available, 1));
TABLE(condition_t, "rule condition", NULL,
      F_STR(q2o_cat_condition, "offering_id", offering_id, 1),
      F_STR(q2o_cat_condition, "attribute", attribute, 0),
      F_STR(q2o_cat_condition, "value", value, 0));
TABLE(rule_t, "rule", rule_init,
      F_STR(q2o_cat_rule, "id", id, 1),
      F_ENUM(q2o_cat_rule, "kind", kind, 1, q2o_rule_kind_parse, "requires, excludes, quantity, recommends"),
      F_ENUM(q2o_cat_rule, "scope", scope, 1, q2o_rule_scope_parse, "bundle, quote"),
      F_OBJECT(q2o_cat_rule, "when", when, 1, condition_t),
      F_OBJECT(q2o_cat_rule, "then", then, 1, condition_t),
      F_I32(q2o_cat_rule, "ratio_num", ratio_num, 0),
      F_I32(q2o_cat_rule, "ratio_den", ratio_den, 0),
      F_STR(q2o_cat_rule, "message", message, 0));
TABLE(approval_t, "approval policy", NULL,
      F_I64(q2o_approval_policy, "version", version, 0),
      F_I32(q2o_approval_policy, "max_discount_bp", max_discount_bp, 0),
      F_I32(q2o_approval_policy, "margin_floor_bp", margin_floor_bp, 0),
      F_I32(q2o_approval_policy, "max_term_months", max_term_months, 0),
      F_AMT(q2o_approval_policy, "total_limit", total_limit, 0),
      F_CODES_FIXED(q2o_approval_policy, "standard_payment_terms", n_standard_terms, standard_payment_terms),
      F_CUSTOM("window_days", 0, read_window_days),
      F_CUSTOM("step_roles", 0, read_step_roles));
TABLE(acceptance_t, "acceptance policy", NULL,
      F_CUSTOM("allowed_methods", 0, read_methods),
      F_BOOL(q2o_acceptance_policy, "require_po", require_po),
      F_BOOL(q2o_acceptance_policy, "require_signature", require_signature),
      F_BOOL(q2o_acceptance_policy, "block_after_expiry", block_after_expiry),
      F_BOOL(q2o_acceptance_policy, "allow_partner", allow_partner),
      F_BOOL(q2o_acceptance_policy, "block_legal_entity_mismatch", block_legal_entity_mismatch),
      F_BOOL(q2o_acceptance_policy, "allow_delayed_conversion", allow_delayed_conversion),
      F_BOOL(q2o_acceptance_policy, "allow_cancel_after_accept", allow_cancel_after_accept));
TABLE(catalog_t, "catalog", NULL,
      F_CUSTOM("format", 1, read_format),
      F_STR(q2o_catalog, "id", id, 1),
      F_I64(q2o_catalog, "version", version, 1),
      F_STR(q2o_catalog, "name", name, 0),
      F_TIME(q2o_catalog, "effective_from", effective_from, 0),
      F_I64(q2o_catalog, "price_validity_days", price_validity_days, 0),
      F_ARRAY(q2o_catalog, "offerings", n_offerings, offerings, 0, offering_t),
      F_ARRAY(q2o_catalog, "price_books", n_pricebooks, pricebooks, 0, pricebook_t),
      F_ARRAY(q2o_catalog, "schedules", n_schedules, schedules, 0, schedule_t),
      F_ARRAY(q2o_catalog, "contract_prices", n_contract_prices, contract_prices, 0, contract_t),
      F_ARRAY(q2o_catalog, "tier_discounts", n_tier_discounts, tier_discounts, 0, tier_discount_t),
      F_ARRAY(q2o_catalog, "customers", n_customers, customers, 0, customer_t),
      F_ARRAY(q2o_catalog, "regional_adjustments", n_region_adjustments, region_adjustments, 0, region_adj_t),
      F_ARRAY(q2o_catalog, "promotions", n_promotions, promotions, 0, promotion_t),
      F_ARRAY(q2o_catalog, "order_types", n_order_types, order_types, 0, order_type_t),
      F_ARRAY(q2o_catalog, "freight_rules", n_freight_rules, freight_rules, 0, freight_t),
      F_ARRAY(q2o_catalog, "tax_rates", n_tax_rates, tax_rates, 0, tax_t),
      F_ARRAY(q2o_catalog, "stock", n_stock, stock, 0, stock_t),
      F_ARRAY(q2o_catalog, "rules", n_rules, rules, 0, rule_t),
      F_OBJECT(q2o_catalog, "approval_policy", approval, 0, approval_t),
      F_OBJECT(q2o_catalog, "acceptance_policy", acceptance, 0, acceptance_t));

/* ---------------------------------------------------------------- identities */

typedef struct id_entry {
    const char *key;
    int64_t key2;
    uint32_t index;
} id_entry;

static int id_cmp(const void *pa, const void *pb)
{
    const id_entry *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    if (a->key2 != b->key2)
        return a->key2 < b->key2 ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* One kind of identity: items of `n` elements of `stride` bytes at `base`,
 * the key at key_off (and an int64 second part at key2_off, or SIZE_MAX),
 * reported at "<section>[i].<field>". Empty keys are the "missing field"
 * reports' business. */
typedef struct id_kind {
    const char *section;   /* "$.offerings" or "$.price_books[2].prices" */
    const char *field;     /* "id" */
    const char *what;      /* "offering id" */
    void *base;
    uint32_t n;
    size_t stride, key_off, key2_off;
} id_kind;

static void scan_ids(loader *ld, const id_kind *k)
{
    if (k->n < 2)
        return;
    id_entry *e = malloc((size_t)k->n * sizeof *e);
    Q2O_CHECK(e != NULL);
    for (uint32_t i = 0; i < k->n; i++) {
        const char *item = (const char *)k->base + (size_t)i * k->stride;
        e[i].key = item + k->key_off;
        e[i].key2 = 0;
        if (k->key2_off != SIZE_MAX)
            memcpy(&e[i].key2, item + k->key2_off, sizeof e[i].key2);
        e[i].index = i;
    }
    qsort(e, k->n, sizeof *e, id_cmp);
    uint32_t first = 0;
    for (uint32_t i = 1; i < k->n; i++) {
        if (strcmp(e[i].key, e[first].key) != 0 || e[i].key2 != e[first].key2) {
            first = i;
            continue;
        }
        char *key = (char *)k->base + (size_t)e[i].index * k->stride + k->key_off;
        int was_empty = !key[0];
        /* Rename the repeat to a key no document can hold (a control byte),
         * so the catalog can still be sealed and checked and every other
         * problem reported too. The catalog is discarded anyway. */
        snprintf(key, Q2O_CODE_MAX, "\x01%u", e[i].index);
        if (was_empty)
            continue; /* "missing required field" said it already */
        char path[Q2O_CATALOG_JSON_PATH_MAX];
        snprintf(path, sizeof path, "%s[%u].%s", k->section, e[i].index, k->field);
        report_at(ld, path, Q2O_CATALOG_INVALID, "duplicate %s '%s' (first at %s[%u])", k->what, e[first].key,
                  k->section, e[first].index);
    }
    free(e);
}

#define ID_KIND(sec, fld, what_, arr, n_, T, key) \
    {sec, fld, what_, arr, n_, sizeof(T), offsetof(T, key), SIZE_MAX}

static void scan_identities(loader *ld)
{
    q2o_catalog *c = ld->cat;
    const id_kind kinds[] = {
        ID_KIND("$.offerings", "id", "offering id", c->offerings, c->n_offerings, q2o_cat_offering, id),
        {"$.price_books", "id", "price book id and version", c->pricebooks, c->n_pricebooks,
         sizeof(q2o_cat_pricebook), offsetof(q2o_cat_pricebook, id), offsetof(q2o_cat_pricebook, version)},
        ID_KIND("$.schedules", "id", "discount schedule id", c->schedules, c->n_schedules, q2o_cat_schedule, id),
        ID_KIND("$.tier_discounts", "tier", "customer tier", c->tier_discounts, c->n_tier_discounts,
                q2o_cat_tier_discount, tier),
        ID_KIND("$.customers", "account_id", "customer account", c->customers, c->n_customers, q2o_cat_customer,
                account_id),
        ID_KIND("$.regional_adjustments", "region", "regional adjustment", c->region_adjustments,
                c->n_region_adjustments, q2o_cat_region_adjustment, region),
        ID_KIND("$.promotions", "code", "promotion code", c->promotions, c->n_promotions, q2o_cat_promotion, code),
        ID_KIND("$.order_types", "code", "order type", c->order_types, c->n_order_types, q2o_cat_order_type, code),
        ID_KIND("$.tax_rates", "region", "tax rate region", c->tax_rates, c->n_tax_rates, q2o_cat_tax_rate, region),
        ID_KIND("$.stock", "offering_id", "stock level for offering", c->stock, c->n_stock, q2o_cat_stock,
                offering_id),
        ID_KIND("$.rules", "id", "rule id", c->rules, c->n_rules, q2o_cat_rule, id),
    };
    for (size_t i = 0; i < Q2O_ARRAY_LEN(kinds); i++)
        scan_ids(ld, &kinds[i]);
    for (uint32_t p = 0; p < c->n_pricebooks; p++) {
        char section[64];
        snprintf(section, sizeof section, "$.price_books[%u].prices", p);
        id_kind k = ID_KIND(section, "offering_id", "price book entry for offering", c->pricebooks[p].prices,
                            c->pricebooks[p].n_prices, q2o_cat_price, offering_id);
        scan_ids(ld, &k);
    }
}

/* ---------------------------------------------------------------- check, seal */

/* q2o_catalog_check's report: kept unless the loader already reported the
 * same location or one enclosing it (a missing currency is not also an
 * unknown currency). */
static int covered(const loader *ld, const char *path)
{
    if (!ld->errs)
        return 0;
    for (uint32_t i = 0; i < ld->errs->n && i < ld->n_loader_errors; i++) {
        const char *p = ld->errs->items[i].path;
        size_t n = strlen(p);
        if (strncmp(path, p, n) == 0 && (path[n] == '\0' || path[n] == '.' || path[n] == '['))
            return 1;
    }
    return 0;
}

static void on_check(void *ctx, const char *path, q2o_err code, const char *message)
{
    loader *ld = ctx;
    if (!covered(ld, path))
        add_error(ld, path, code, message);
}

static void seal_and_check(loader *ld)
{
    char detail[256];
    if (q2o_catalog_seal(ld->cat, detail, sizeof detail) != Q2O_OK) {
        if (ld->n_errors == 0) /* the identity scan should have found it */
            add_error(ld, "$", Q2O_CATALOG_INVALID, detail);
        return;
    }
    q2o_catalog_check(ld->cat, on_check, ld);
}

/* ---------------------------------------------------------------- entry points */

static json_t *parse_json(loader *ld, const char *bytes, size_t len)
{
    json_error_t je;
    json_t *root = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        report(ld, Q2O_CATALOG_INVALID, "not a JSON document: line %d column %d: %s", je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        wrong_type(ld, "an object", root);
        json_decref(root);
        return NULL;
    }
    return root;
}

static int sha_sink(const char *buffer, size_t size, void *data)
{
    q2o_sha256_update(data, buffer, size);
    return 0;
}

static void canonical_digest(const json_t *root, uint8_t out[Q2O_SHA256_LEN])
{
    q2o_sha256 ctx;
    q2o_sha256_init(&ctx);
    Q2O_CHECK(json_dump_callback(root, sha_sink, &ctx, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) == 0);
    q2o_sha256_final(&ctx, out);
}

q2o_err q2o_catalog_json_parse(const char *bytes, size_t len, q2o_catalog **out, uint8_t digest[Q2O_SHA256_LEN],
                               q2o_catalog_json_errors *errors)
{
    loader ld = {.errs = errors};
    ld.path[0] = '$';
    ld.path_len = 1;
    *out = NULL;
    if (len > Q2O_MAX_CATALOG_BYTES) {
        report(&ld, Q2O_TOO_LARGE, "document of %zu bytes is above the %u-byte limit", len, Q2O_MAX_CATALOG_BYTES);
        return Q2O_TOO_LARGE;
    }
    json_t *root = parse_json(&ld, bytes, len);
    if (!root)
        return Q2O_CATALOG_INVALID;
    ld.cat = q2o_catalog_new();
    read_object(&ld, root, &catalog_t, ld.cat);
    scan_identities(&ld);
    seal_and_check(&ld);
    if (ld.n_errors == 0 && digest)
        canonical_digest(root, digest);
    json_decref(root);
    if (ld.n_errors) {
        q2o_catalog_free(ld.cat);
        return Q2O_CATALOG_INVALID;
    }
    *out = ld.cat;
    return Q2O_OK;
}

q2o_err q2o_catalog_json_digest(const char *bytes, size_t len, uint8_t out[Q2O_SHA256_LEN])
{
    json_t *root = json_loadb(bytes, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
    if (!root)
        return Q2O_CATALOG_INVALID;
    canonical_digest(root, out);
    json_decref(root);
    return Q2O_OK;
}

/* The whole file into a heap buffer (*buf, *len), bounded by the document
 * limit; 0, or an errno value. */
static int read_file(const char *file, char **buf, size_t *len)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return errno;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    Q2O_CHECK(b != NULL);
    for (;;) {
        if (n == cap) {
            if (n > Q2O_MAX_CATALOG_BYTES)
                break; /* the parser refuses it by its length */
            cap = cap * 2 > (size_t)Q2O_MAX_CATALOG_BYTES + 1 ? (size_t)Q2O_MAX_CATALOG_BYTES + 1 : cap * 2;
            b = realloc(b, cap);
            Q2O_CHECK(b != NULL);
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f) ? EIO : 0;
    fclose(f);
    if (err) {
        free(b);
        return err;
    }
    *buf = b;
    *len = n;
    return 0;
}

q2o_err q2o_catalog_json_load_file(const char *file, q2o_catalog **out, uint8_t digest[Q2O_SHA256_LEN],
                                   q2o_catalog_json_errors *errors)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    int e = read_file(file, &buf, &len);
    if (e) {
        loader ld = {.errs = errors};
        ld.path[0] = '$';
        ld.path_len = 1;
        report(&ld, Q2O_CATALOG_INVALID, "cannot read %s: %s", file, strerror(e));
        return Q2O_CATALOG_INVALID;
    }
    q2o_err rc = q2o_catalog_json_parse(buf, len, out, digest, errors);
    free(buf);
    return rc;
}
