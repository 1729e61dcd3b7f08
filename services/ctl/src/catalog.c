/* catalog.c — catalog files, the catalog message's headers, the fold of
 * the catalog topic (ctl/catalog.h). No Kafka here: catalog_bus.c does the
 * producing and reading. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "ctl/catalog.h"
#include "runtime/catalog_feed.h"

void q2o_ctl_catalog_sections(const q2o_catalog *c, q2o_ctl_section out[Q2O_CTL_CATALOG_SECTIONS])
{
    /* In the order of schemas/catalog/README.md, named by their JSON keys. */
    const q2o_ctl_section s[Q2O_CTL_CATALOG_SECTIONS] = {
        {"offerings", c->n_offerings},
        {"price_books", c->n_pricebooks},
        {"schedules", c->n_schedules},
        {"contract_prices", c->n_contract_prices},
        {"tier_discounts", c->n_tier_discounts},
        {"customers", c->n_customers},
        {"regional_adjustments", c->n_region_adjustments},
        {"promotions", c->n_promotions},
        {"order_types", c->n_order_types},
        {"freight_rules", c->n_freight_rules},
        {"tax_rates", c->n_tax_rates},
        {"stock", c->n_stock},
        {"rules", c->n_rules},
    };
    memcpy(out, s, sizeof s);
}

/* ------------------------------------------------------------ the file */

static void file_error(q2o_ctl_catalog_file *f, q2o_err code, const char *message)
{
    q2o_catalog_json_error *items = realloc(f->errors.items, (f->errors.n + 1) * sizeof *items);
    Q2O_CHECK(items != NULL);
    f->errors.items = items;
    q2o_catalog_json_error *e = &items[f->errors.n++];
    memset(e, 0, sizeof *e);
    Q2O_STRCPY(e->path, "$");
    e->code = code;
    snprintf(e->message, sizeof e->message, "%s", message);
}

/* Read at most max_bytes + 1 bytes: one more than allowed tells "too
 * large" without reading a huge file whole. 0, or an errno value. */
static int read_bounded(const char *path, size_t max_bytes, char **buf, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return errno;
    size_t cap = max_bytes < (1u << 16) ? max_bytes + 1 : 1u << 16, n = 0;
    char *b = malloc(cap);
    Q2O_CHECK(b != NULL);
    while (n <= max_bytes) {
        if (n == cap) {
            cap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
            b = realloc(b, cap);
            Q2O_CHECK(b != NULL);
        }
        size_t got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0 || n == max_bytes + 1)
            break;
    }
    int err = ferror(fp) ? EIO : 0;
    fclose(fp);
    if (err) {
        free(b);
        return err;
    }
    *buf = b;
    *len = n;
    return 0;
}

q2o_err q2o_ctl_catalog_file_load(const char *path, size_t max_bytes, q2o_ctl_catalog_file *out)
{
    memset(out, 0, sizeof *out);
    char msg[Q2O_TEXT_MAX];
    int e = read_bounded(path, max_bytes, &out->bytes, &out->len);
    if (e) {
        snprintf(msg, sizeof msg, "cannot read %s: %s", path, strerror(e));
        file_error(out, Q2O_CATALOG_INVALID, msg);
        return Q2O_CATALOG_INVALID;
    }
    if (out->len > max_bytes) {
        snprintf(msg, sizeof msg, "%s: more than %zu bytes, the most one catalog message may hold", path, max_bytes);
        file_error(out, Q2O_TOO_LARGE, msg);
        return Q2O_TOO_LARGE;
    }
    return q2o_catalog_json_parse(out->bytes, out->len, &out->catalog, out->digest, &out->errors);
}

void q2o_ctl_catalog_file_release(q2o_ctl_catalog_file *f)
{
    if (!f)
        return;
    free(f->bytes);
    q2o_catalog_free(f->catalog);
    q2o_catalog_json_errors_release(&f->errors);
    memset(f, 0, sizeof *f);
}

/* ------------------------------------------------------------ headers */

uint32_t q2o_ctl_catalog_headers_make(const q2o_catalog *c, const uint8_t digest[Q2O_SHA256_LEN], q2o_time_ms now,
                                      q2o_ctl_catalog_headers *hs)
{
    snprintf(hs->ce_id, sizeof hs->ce_id, "%s/%lld", c->id, (long long)c->version);
    snprintf(hs->version, sizeof hs->version, "%lld", (long long)c->version);
    q2o_hex(digest, Q2O_SHA256_LEN, hs->digest);
    q2o_time_format(now, hs->time, sizeof hs->time);
    Q2O_STRCPY(hs->subject, c->id);
    q2o_cloudevent ce = {.id = hs->ce_id,
                         .type = Q2O_CATALOG_CE_TYPE,
                         .source = "q2octl",
                         .subject = hs->subject,
                         .time = hs->time};
    uint32_t n = q2o_bus_ce_headers(&ce, hs->h);
    /* The CloudEvents helper says Avro; a catalog is its JSON document. */
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(hs->h[i].name, Q2O_CE_CONTENT_TYPE) == 0)
            hs->h[i] = (q2o_bus_header){Q2O_CE_CONTENT_TYPE, "application/json", strlen("application/json")};
    Q2O_CHECK(n + 2 <= Q2O_BUS_MAX_HEADERS);
    hs->h[n++] = (q2o_bus_header){Q2O_CATALOG_HDR_VERSION, hs->version, strlen(hs->version)};
    hs->h[n++] = (q2o_bus_header){Q2O_CATALOG_HDR_DIGEST, hs->digest, strlen(hs->digest)};
    return n;
}

/* ------------------------------------------------------------ the set */

void q2o_ctl_catalog_set_init(q2o_ctl_catalog_set *s)
{
    memset(s, 0, sizeof *s);
    s->first_skipped_offset = -1;
}

void q2o_ctl_catalog_set_release(q2o_ctl_catalog_set *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->n; i++)
        q2o_catalog_free(s->items[i].catalog);
    free(s->items);
    q2o_ctl_catalog_set_init(s);
}

/* The index of the entry of key, or s->n. */
static uint32_t find_key(const q2o_ctl_catalog_set *s, const void *key, size_t key_len)
{
    uint32_t i = 0;
    for (; i < s->n; i++) {
        const char *id = s->items[i].catalog->id;
        if (strlen(id) == key_len && memcmp(id, key, key_len) == 0)
            break;
    }
    return i;
}

const q2o_ctl_catalog_entry *q2o_ctl_catalog_set_find(const q2o_ctl_catalog_set *s, const char *id)
{
    uint32_t i = find_key(s, id, strlen(id));
    return i < s->n ? &s->items[i] : NULL;
}

static void skip(q2o_ctl_catalog_set *s, int64_t offset, const char *why)
{
    s->skipped++;
    if (s->first_skipped_offset < 0) {
        s->first_skipped_offset = offset;
        int n = snprintf(s->first_skipped, sizeof s->first_skipped, "offset %lld: ", (long long)offset);
        q2o_strlcpy(s->first_skipped + n, why, sizeof s->first_skipped - (size_t)n); /* cut if long: a summary */
    }
}

static void withdraw(q2o_ctl_catalog_set *s, q2o_ctl_catalog_entry *e)
{
    q2o_catalog_free(e->catalog);
    size_t i = (size_t)(e - s->items);
    memmove(e, e + 1, (s->n - i - 1) * sizeof *e);
    s->n--;
}

static q2o_err add_entry(q2o_ctl_catalog_set *s, q2o_ctl_catalog_entry **out)
{
    if (s->n == Q2O_CTL_MAX_CATALOG_IDS)
        return Q2O_TOO_LARGE;
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        q2o_ctl_catalog_entry *items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return Q2O_NO_MEMORY;
        s->items = items;
        s->cap = cap;
    }
    *out = &s->items[s->n++];
    memset(*out, 0, sizeof **out);
    return Q2O_OK;
}

q2o_err q2o_ctl_catalog_set_apply(q2o_ctl_catalog_set *s, const void *key, size_t key_len, const void *value,
                                  size_t value_len, int64_t offset)
{
    uint32_t at = find_key(s, key, key_len);
    q2o_ctl_catalog_entry *held = at < s->n ? &s->items[at] : NULL;
    q2o_catalog_json_errors errs = {0};
    q2o_catalog *c = NULL;
    uint8_t digest[Q2O_SHA256_LEN];
    char why[Q2O_TEXT_MAX];
    s->messages++;
    if (!value) {
        s->tombstones++;
        if (held)
            withdraw(s, held);
        return Q2O_OK;
    }
    if (q2o_catalog_json_parse(value, value_len, &c, digest, &errs) != Q2O_OK) {
        snprintf(why, sizeof why, "does not load (%u problem(s)); first: %s: %s: %s", errs.n + errs.n_dropped,
                 errs.n ? errs.items[0].path : "$", errs.n ? q2o_err_name(errs.items[0].code) : "CATALOG_INVALID",
                 errs.n ? errs.items[0].message : "");
        q2o_catalog_json_errors_release(&errs);
        skip(s, offset, why);
        return Q2O_OK;
    }
    if (strlen(c->id) != key_len || memcmp(c->id, key, key_len) != 0) {
        snprintf(why, sizeof why, "key '%.*s' is not the document's id '%s'", (int)(key_len < 64 ? key_len : 64),
                 (const char *)key, c->id);
        q2o_catalog_free(c);
        skip(s, offset, why);
        return Q2O_OK;
    }
    if (held && c->version <= held->catalog->version) {
        s->stale++;
        q2o_catalog_free(c);
        return Q2O_OK;
    }
    if (!held) {
        q2o_err e = add_entry(s, &held);
        if (e != Q2O_OK) {
            q2o_catalog_free(c);
            return e;
        }
    } else {
        q2o_catalog_free(held->catalog);
    }
    held->catalog = c;
    memcpy(held->digest, digest, sizeof digest);
    held->offset = offset;
    held->bytes = value_len;
    return Q2O_OK;
}
