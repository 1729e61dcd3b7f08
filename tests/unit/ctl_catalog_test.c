/*
 * q2octl's catalog commands without Kafka (ctl/catalog.h): every sample
 * catalog validates; a broken file lists every problem with its path and
 * q2octl exits 2; a file above the message limit is refused before it is
 * parsed; the message headers follow runtime/catalog_feed.h; folding the
 * topic keeps the newest valid version of each id like the workers' feed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/sha256.h"
#include "ctl/catalog.h"
#include "runtime/catalog_feed.h"

#define SAMPLES Q2O_SOURCE_DIR "/schemas/catalog/"
#define MANY_ERRORS Q2O_SOURCE_DIR "/tests/data/catalog/many-errors.json"
#define Q2OCTL Q2O_BINARY_DIR "/services/ctl/q2octl"

static const char *const samples[] = {"saas-suite.json", "telecom-base-station.json", "retail-furniture-rv.json"};

/* Everything a printer wrote, NUL-terminated (free it). */
typedef struct capture {
    char *text;
    size_t len;
    FILE *f;
} capture;

static FILE *cap_open(capture *c)
{
    memset(c, 0, sizeof *c);
    c->f = open_memstream(&c->text, &c->len);
    cr_assert_not_null(c->f);
    return c->f;
}

static const char *cap_close(capture *c)
{
    fclose(c->f);
    return c->text;
}

/* Run q2octl with args; its stdout into out (at most size - 1 bytes); its
 * exit status returned. */
static int run_q2octl(const char *args, char *out, size_t size)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", Q2OCTL, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    cr_assert(WIFEXITED(st), "q2octl did not exit normally: %s", cmd);
    return WEXITSTATUS(st);
}

Test(ctl_catalog, every_sample_validates_with_its_digest_and_section_sizes)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char path[512];
        q2o_ctl_catalog_file f;
        uint8_t d[Q2O_SHA256_LEN];
        q2o_catalog *c = NULL;
        snprintf(path, sizeof path, SAMPLES "%s", samples[i]);
        cr_assert_eq(q2o_ctl_catalog_file_load(path, Q2O_CATALOG_MESSAGE_MAX, &f), Q2O_OK, "%s: %s", samples[i],
                     f.errors.n ? f.errors.items[0].message : "");
        cr_assert_eq(f.errors.n, 0);
        cr_assert_eq(q2o_catalog_json_load_file(path, &c, d, NULL), Q2O_OK);
        cr_assert(memcmp(d, f.digest, sizeof d) == 0, "%s: the bytes read are the file", samples[i]);

        json_t *j = q2o_ctl_catalog_summary_json(f.catalog, f.digest);
        char hex[Q2O_SHA256_HEX_LEN];
        cr_assert_str_eq(json_string_value(json_object_get(j, "id")), c->id);
        cr_assert_eq(json_integer_value(json_object_get(j, "version")), c->version);
        cr_assert_str_eq(json_string_value(json_object_get(j, "digest")), q2o_hex(d, sizeof d, hex));
        json_t *counts = json_object_get(j, "counts");
        cr_assert_eq(json_object_size(counts), Q2O_CTL_CATALOG_SECTIONS);
        cr_assert_eq(json_integer_value(json_object_get(counts, "offerings")), c->n_offerings);
        cr_assert_eq(json_integer_value(json_object_get(counts, "rules")), c->n_rules);
        cr_assert_gt(c->n_offerings, 0);
        json_decref(j);

        char out[8192], args[600];
        snprintf(args, sizeof args, "catalog validate %s", path);
        cr_assert_eq(run_q2octl(args, out, sizeof out), 0, "%s", out);
        cr_assert(strstr(out, hex) != NULL, "the digest is printed: %s", out);
        cr_assert(strstr(out, ": ok") != NULL, "%s", out);
        q2o_catalog_free(c);
        q2o_ctl_catalog_file_release(&f);
    }
}

Test(ctl_catalog, a_broken_file_prints_every_problem_with_its_path_and_the_remediation_once)
{
    q2o_ctl_catalog_file f;
    capture cap;
    q2o_err e = q2o_ctl_catalog_file_load(MANY_ERRORS, Q2O_CATALOG_MESSAGE_MAX, &f);
    cr_assert_eq(e, Q2O_CATALOG_INVALID);
    cr_assert_null(f.catalog);
    cr_assert_geq(f.errors.n, 20, "the loader lists every problem, not the first");
    q2o_ctl_print_catalog_errors(cap_open(&cap), e, &f.errors);
    const char *text = cap_close(&cap);
    for (uint32_t i = 0; i < f.errors.n; i++) {
        char want[600];
        const q2o_catalog_json_error *x = &f.errors.items[i];
        snprintf(want, sizeof want, "%s: %s: %s\n", x->path, q2o_err_name(x->code), x->message);
        cr_assert(strstr(text, want) != NULL, "missing: %s", want);
    }
    const char *fix = q2o_err_remediation(Q2O_CATALOG_INVALID);
    const char *first = strstr(text, fix);
    cr_assert_not_null(first);
    cr_assert_null(strstr(first + 1, fix), "the remediation once");

    json_t *j = q2o_ctl_catalog_errors_json(e, &f.errors);
    json_t *errs = json_object_get(j, "errors");
    cr_assert_eq(json_array_size(errs), f.errors.n);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, 1), "path")), f.errors.items[1].path);
    cr_assert_str_eq(json_string_value(json_object_get(j, "code_name")), "CATALOG_INVALID");
    json_decref(j);
    free(cap.text);
    q2o_ctl_catalog_file_release(&f);
}

Test(ctl_catalog, q2octl_validate_of_a_broken_file_exits_2_listing_paths)
{
    char out[16384];
    cr_assert_eq(run_q2octl("catalog validate " MANY_ERRORS, out, sizeof out), 2);
    cr_assert(strstr(out, "$.offerings[1].unit_cst: FIELD_INVALID: unknown field 'unit_cst'") != NULL, "%s", out);
    cr_assert(strstr(out, "$.price_books[0].currency: CURRENCY_UNKNOWN:") != NULL, "%s", out);
    cr_assert(strstr(out, "$.rules[1]: CATALOG_INVALID:") != NULL, "%s", out);
    cr_assert_eq(run_q2octl("catalog validate --json " MANY_ERRORS, out, sizeof out), 2);
    json_t *j = json_loads(out, 0, NULL);
    cr_assert_not_null(j, "%s", out);
    cr_assert(json_is_false(json_object_get(j, "ok")));
    cr_assert_geq(json_array_size(json_object_get(j, "errors")), 20);
    json_decref(j);
    cr_assert_eq(run_q2octl("catalog load --dry-run " MANY_ERRORS, out, sizeof out), 2, "load validates first");
}

Test(ctl_catalog, a_file_above_the_limit_is_too_large_and_not_parsed)
{
    q2o_ctl_catalog_file f;
    cr_assert_eq(q2o_ctl_catalog_file_load(SAMPLES "saas-suite.json", 1000, &f), Q2O_TOO_LARGE);
    cr_assert_null(f.catalog);
    cr_assert_eq(f.errors.n, 1);
    cr_assert_str_eq(f.errors.items[0].path, "$");
    cr_assert_eq(f.errors.items[0].code, Q2O_TOO_LARGE);
    cr_assert_eq(f.len, 1001, "reading stops one byte past the limit");
    q2o_ctl_catalog_file_release(&f);
    cr_assert_eq(q2o_ctl_catalog_file_load("/nonexistent/catalog.json", 1000, &f), Q2O_CATALOG_INVALID);
    cr_assert(strstr(f.errors.items[0].message, "cannot read") != NULL);
    q2o_ctl_catalog_file_release(&f);
}

static const char *header(const q2o_ctl_catalog_headers *hs, uint32_t n, const char *name, char *buf, size_t size)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(hs->h[i].name, name) == 0) {
            snprintf(buf, size, "%.*s", (int)hs->h[i].len, (const char *)hs->h[i].value);
            return buf;
        }
    return NULL;
}

Test(ctl_catalog, message_headers_follow_the_catalog_feed_contract)
{
    q2o_ctl_catalog_file f;
    q2o_ctl_catalog_headers hs;
    char v[128], hex[Q2O_SHA256_HEX_LEN];
    cr_assert_eq(q2o_ctl_catalog_file_load(SAMPLES "saas-suite.json", Q2O_CATALOG_MESSAGE_MAX, &f), Q2O_OK);
    uint32_t n = q2o_ctl_catalog_headers_make(f.catalog, f.digest, 1782986400000LL, &hs);
    cr_assert_str_eq(header(&hs, n, "content-type", v, sizeof v), "application/json");
    cr_assert_str_eq(header(&hs, n, "ce_specversion", v, sizeof v), "1.0");
    cr_assert_str_eq(header(&hs, n, "ce_type", v, sizeof v), "q2o.CatalogPublished");
    cr_assert_str_eq(header(&hs, n, "ce_id", v, sizeof v), "saas-suite/7");
    cr_assert_str_eq(header(&hs, n, "ce_subject", v, sizeof v), "saas-suite");
    cr_assert_str_eq(header(&hs, n, "ce_source", v, sizeof v), "q2octl");
    cr_assert_str_eq(header(&hs, n, "ce_time", v, sizeof v), "2026-07-02T10:00:00.000Z");
    cr_assert_str_eq(header(&hs, n, "q2o_catalog_version", v, sizeof v), "7");
    cr_assert_str_eq(header(&hs, n, "q2o_catalog_digest", v, sizeof v), q2o_hex(f.digest, Q2O_SHA256_LEN, hex));
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = i + 1; k < n; k++)
            cr_assert_str_neq(hs.h[i].name, hs.h[k].name, "one header of each name");
    q2o_ctl_catalog_file_release(&f);
}

/* The saas-suite sample with its version replaced (heap; free it). */
static char *saas_version(const char *version, size_t *len)
{
    q2o_ctl_catalog_file f;
    cr_assert_eq(q2o_ctl_catalog_file_load(SAMPLES "saas-suite.json", Q2O_CATALOG_MESSAGE_MAX, &f), Q2O_OK);
    const char *at = strstr(f.bytes, "\"version\": 7,");
    cr_assert_not_null(at);
    size_t head = (size_t)(at - f.bytes), tail = f.len - head - strlen("\"version\": 7,");
    char *out = malloc(f.len + 32);
    cr_assert_not_null(out);
    int n = sprintf(out, "%.*s\"version\": %s,", (int)head, f.bytes, version);
    memcpy(out + n, at + strlen("\"version\": 7,"), tail);
    *len = (size_t)n + tail;
    q2o_ctl_catalog_file_release(&f);
    return out;
}

Test(ctl_catalog, folding_the_topic_keeps_the_newest_valid_version_of_each_id)
{
    q2o_ctl_catalog_set s;
    size_t l7, l8, l5, lbad;
    char *v7 = saas_version("7", &l7), *v8 = saas_version("8", &l8), *v5 = saas_version("5", &l5);
    char *bad = saas_version("\"eight\"", &lbad);
    q2o_ctl_catalog_set_init(&s);
    cr_assert_eq(q2o_ctl_catalog_set_apply(&s, "saas-suite", 10, v7, l7, 0), Q2O_OK);
    cr_assert_eq(q2o_ctl_catalog_set_apply(&s, "saas-suite", 10, v8, l8, 1), Q2O_OK);
    cr_assert_eq(q2o_ctl_catalog_set_apply(&s, "saas-suite", 10, v5, l5, 2), Q2O_OK);   /* stale */
    cr_assert_eq(q2o_ctl_catalog_set_apply(&s, "saas-suite", 10, bad, lbad, 3), Q2O_OK); /* does not load */
    cr_assert_eq(q2o_ctl_catalog_set_apply(&s, "other", 5, v7, l7, 4), Q2O_OK);         /* key is not its id */
    cr_assert_eq(s.n, 1);
    const q2o_ctl_catalog_entry *en = q2o_ctl_catalog_set_find(&s, "saas-suite");
    cr_assert_not_null(en);
    cr_assert_eq(en->catalog->version, 8);
    cr_assert_eq(en->offset, 1);
    cr_assert_eq(s.stale, 1);
    cr_assert_eq(s.skipped, 2);
    cr_assert_eq(s.first_skipped_offset, 3);
    cr_assert(strstr(s.first_skipped, "$.version") != NULL, "%s", s.first_skipped);
    uint8_t d8[Q2O_SHA256_LEN];
    cr_assert_eq(q2o_catalog_json_digest(v8, l8, d8), Q2O_OK);
    cr_assert(memcmp(en->digest, d8, sizeof d8) == 0);
    cr_assert_eq(q2o_ctl_catalog_set_apply(&s, "saas-suite", 10, NULL, 0, 5), Q2O_OK); /* tombstone */
    cr_assert_eq(s.n, 0);
    cr_assert_null(q2o_ctl_catalog_set_find(&s, "saas-suite"));
    cr_assert_eq(s.messages, 6);
    q2o_ctl_catalog_set_release(&s);
    free(v7);
    free(v8);
    free(v5);
    free(bad);
}

Test(ctl_catalog, an_offering_shows_prices_per_book_attributes_groups_and_rules)
{
    q2o_ctl_catalog_file f;
    capture cap;
    cr_assert_eq(q2o_ctl_catalog_file_load(SAMPLES "saas-suite.json", Q2O_CATALOG_MESSAGE_MAX, &f), Q2O_OK);
    const q2o_cat_offering *o = q2o_catalog_offering(f.catalog, "SUPPORT-PREMIUM");
    cr_assert_not_null(o);
    q2o_ctl_print_offering(cap_open(&cap), f.catalog, o);
    const char *text = cap_close(&cap);
    cr_assert(strstr(text, "SUPPORT-PREMIUM") != NULL);
    cr_assert(strstr(text, "support_level") != NULL, "%s", text);
    cr_assert(strstr(text, "24x7") != NULL, "%s", text);
    json_t *j = q2o_ctl_offering_json(f.catalog, o);
    size_t books = 0;
    for (uint32_t i = 0; i < f.catalog->n_pricebooks; i++)
        books += q2o_pricebook_price(f.catalog, &f.catalog->pricebooks[i], o->id) != NULL;
    cr_assert_gt(books, 0);
    cr_assert_eq(json_array_size(json_object_get(j, "prices")), books, "one price per book that lists it");
    size_t rules = 0;
    for (uint32_t i = 0; i < f.catalog->n_rules; i++)
        rules += strcmp(f.catalog->rules[i].when.offering_id, o->id) == 0 ||
                 strcmp(f.catalog->rules[i].then.offering_id, o->id) == 0;
    cr_assert_gt(rules, 0, "the sample has a rule about support seats");
    cr_assert_eq(json_array_size(json_object_get(j, "rules")), rules);
    cr_assert_eq(json_array_size(json_object_get(j, "attributes")), o->n_attributes);
    json_decref(j);
    free(cap.text);
    q2o_ctl_catalog_file_release(&f);
}
