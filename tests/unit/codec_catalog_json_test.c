/*
 * The catalog document loader (codec/catalog_json.h): the shipped samples
 * load and read back through the lookups; a broken document is refused
 * whole with every problem at its exact JSON path; the digest ignores
 * formatting and nothing else.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "codec/catalog_json.h"
#include "core/check.h"
#include "core/timeutil.h"

#define SAMPLES Q2O_SOURCE_DIR "/schemas/catalog/"
#define HEAD "{\"format\": \"q2o.catalog.v1\", \"id\": \"t\", \"version\": 1, "

static q2o_time_ms t(const char *text)
{
    q2o_time_ms v;
    cr_assert_eq(q2o_time_parse(text, &v), Q2O_OK);
    return v;
}

static q2o_catalog *load_sample(const char *name)
{
    char file[512];
    snprintf(file, sizeof file, "%s%s", SAMPLES, name);
    q2o_catalog *c = NULL;
    q2o_catalog_json_errors e = {0};
    q2o_err rc = q2o_catalog_json_load_file(file, &c, NULL, &e);
    for (uint32_t i = 0; i < e.n; i++)
        cr_log_error("%s: %s", e.items[i].path, e.items[i].message);
    cr_assert_eq(rc, Q2O_OK, "%s: %u problems", name, e.n);
    cr_assert_eq(e.n, 0);
    q2o_catalog_json_errors_release(&e);
    return c;
}

static q2o_err load_text(const char *json, q2o_catalog **out, q2o_catalog_json_errors *e)
{
    return q2o_catalog_json_parse(json, strlen(json), out, NULL, e);
}

/* The problem reported at `path`, or a failed test. */
static const q2o_catalog_json_error *at_path(const q2o_catalog_json_errors *e, const char *path)
{
    for (uint32_t i = 0; i < e->n; i++)
        if (strcmp(e->items[i].path, path) == 0)
            return &e->items[i];
    for (uint32_t i = 0; i < e->n; i++)
        cr_log_error("  reported %s: %s", e->items[i].path, e->items[i].message);
    cr_assert_fail("nothing reported at %s", path);
    return NULL;
}

/* Refused with exactly one problem, at `path` with `code`; returns its message. */
static void refused_once(const char *json, const char *path, q2o_err code, const char *words)
{
    q2o_catalog *c = (q2o_catalog *)1;
    q2o_catalog_json_errors e = {0};
    cr_assert_eq(load_text(json, &c, &e), Q2O_CATALOG_INVALID);
    cr_assert_null(c, "no partial catalog");
    const q2o_catalog_json_error *err = at_path(&e, path);
    cr_assert_eq(e.n, 1, "one problem, got %u (first: %s %s)", e.n, e.items[0].path, e.items[0].message);
    cr_assert_eq(err->code, code, "code %d", (int)err->code);
    cr_assert(strstr(err->message, words) != NULL, "message '%s' lacks '%s'", err->message, words);
    q2o_catalog_json_errors_release(&e);
}

/* ---------------------------------------------------------------- samples */

Test(catalog_json, saas_sample_keeps_the_practice_case_ids_and_figures)
{
    q2o_catalog *c = load_sample("saas-suite.json");
    cr_assert_str_eq(c->id, "saas-suite");
    cr_assert_eq(c->version, 7);
    const q2o_cat_offering *users = q2o_catalog_offering(c, "SAAS-ENT-USER");
    cr_assert_str_eq(users->name, "Enterprise Suite - user subscription");
    cr_assert_eq(users->charge, Q2O_CHARGE_RECURRING);
    cr_assert_eq(users->unit_cost, 1000);
    cr_assert_eq(users->min_quantity, 1, "default");
    cr_assert(users->sellable_alone, "default");
    const q2o_cat_pricebook *pb = q2o_catalog_pricebook(c, "USD", "US", "DIRECT", t("2026-07-02"));
    cr_assert_str_eq(pb->id, "PB-USD-DIRECT");
    cr_assert_eq(pb->version, 3);
    cr_assert_eq(q2o_pricebook_price(c, pb, "SAAS-ENT-USER")->unit_price, 5000);
    cr_assert_eq(q2o_pricebook_price(c, pb, "SUPPORT-PREMIUM")->unit_price, 1000);
    cr_assert_eq(q2o_pricebook_price(c, pb, "IMPL-SERVICE")->unit_price, 2500000);
    cr_assert_str_eq(q2o_catalog_pricebook(c, "USD", "US", "PARTNER", 0)->id, "PB-USD-US", "channel any");
    cr_assert_str_eq(q2o_catalog_pricebook(c, "EUR", "EU", "DIRECT", t("2026-03-01"))->id, "PB-EUR");
    cr_assert_null(q2o_catalog_pricebook(c, "EUR", "EU", "DIRECT", t("2027-01-01")), "EUR book expired");

    const q2o_cat_attribute *lvl = q2o_offering_attribute(q2o_catalog_offering(c, "SUPPORT-PREMIUM"), "support_level");
    cr_assert(lvl->required);
    cr_assert_eq(lvl->kind, Q2O_ATTR_ENUM);
    cr_assert_eq(lvl->n_values, 3);
    cr_assert_str_eq(lvl->default_value, "GOLD");
    const q2o_cat_offering *legacy = q2o_catalog_offering(c, "LEGACY-ADDON");
    cr_assert(q2o_offering_active(legacy, t("2026-06-30T23:59:59Z")));
    cr_assert_not(q2o_offering_active(legacy, t("2026-07-01T00:00:00Z")));

    const q2o_cat_promotion *july = q2o_catalog_promotion(c, "JULY2026");
    cr_assert_eq(july->discount_bp, 500);
    cr_assert_eq(july->starts_at, t("2026-07-01T00:00:00Z"));
    cr_assert_eq(july->ends_at, t("2026-08-01T00:00:00Z"));
    cr_assert_str_eq(q2o_catalog_customer(c, "ACC-ACME")->tier, "GOLD");
    cr_assert_eq(q2o_catalog_tier_discount(c, "GOLD")->discount_bp, 200);
    cr_assert_eq(q2o_catalog_contract_price(c, "ACC-GLOBEX", "SAAS-ENT-USER", "USD", t("2026-07-02"))->unit_price,
                 4200);
    cr_assert_eq(q2o_catalog_schedule(c, users->volume_schedule)->mode, Q2O_TIER_SLAB);
    const q2o_cat_schedule *term = q2o_catalog_schedule(c, users->term_schedule);
    cr_assert_eq(term->mode, Q2O_TIER_RANGE);
    cr_assert_eq(term->tiers[0].from, 24);
    cr_assert_eq(term->tiers[0].discount_bp, 200);

    uint32_t n;
    const q2o_cat_rule *const *r = q2o_catalog_rules_when(c, "SUPPORT-PREMIUM", &n);
    cr_assert_geq(n, 1);
    cr_assert_eq(r[0]->kind, Q2O_RULE_QUANTITY);
    cr_assert_str_eq(r[0]->then.offering_id, "SAAS-ENT-USER");
    cr_assert_eq(r[0]->ratio_num, 1);
    cr_assert_eq(r[0]->ratio_den, 1);
    cr_assert_eq(r[0]->scope, Q2O_SCOPE_QUOTE);
    cr_assert_eq(c->approval.max_discount_bp, 1500);
    cr_assert_eq(c->approval.window_ms, 30 * Q2O_MS_PER_DAY);
    cr_assert_eq(c->approval.step_role[Q2O_AR_NON_STANDARD_PAYMENT_TERMS], (uint32_t)Q2O_ROLE_FINANCE);
    cr_assert_eq(q2o_catalog_tax_bp(c, "US"), 0);
    cr_assert_eq(q2o_catalog_tax_bp(c, "US-CA"), 725);
    q2o_catalog_free(c);
}

/* Depth of the deepest bundle nesting under offering `id`. */
static int depth(const q2o_catalog *c, const char *id)
{
    const q2o_cat_offering *o = q2o_catalog_offering(c, id);
    int best = 0;
    for (uint32_t g = 0; g < o->n_groups; g++)
        for (uint32_t i = 0; i < o->groups[g].n_options; i++) {
            int d = depth(c, o->groups[g].options[i]);
            best = d > best ? d : best;
        }
    return best + 1;
}

Test(catalog_json, telecom_sample_nests_bundles_and_prices_in_blocks)
{
    q2o_catalog *c = load_sample("telecom-base-station.json");
    cr_assert_geq(depth(c, "BTS-5G-MACRO"), 3, "station -> radio unit -> antenna/accessory");
    const q2o_cat_offering *bts = q2o_catalog_offering(c, "BTS-5G-MACRO");
    cr_assert_str_eq(q2o_offering_group_of(bts, "RRU-4T4R")->id, "radio");
    const q2o_cat_attribute *cells = q2o_offering_attribute(bts, "cells");
    cr_assert_eq(cells->kind, Q2O_ATTR_RANGE);
    cr_assert_eq(cells->min, 1);
    cr_assert_eq(cells->max, 12);
    cr_assert_str_eq(cells->default_value, "3");
    const q2o_cat_pricebook *pb = q2o_catalog_pricebook(c, "USD", "US", "DIRECT", t("2026-05-01"));
    const q2o_cat_price *jumper = q2o_pricebook_price(c, pb, "ACC-JUMPER");
    cr_assert_eq(jumper->unit_price, -1, "blocks only");
    cr_assert_eq(jumper->n_blocks, 2);
    cr_assert_eq(jumper->blocks[1].up_to, 100);
    cr_assert_eq(jumper->blocks[1].price, 250000);
    uint32_t n;
    const q2o_cat_rule *const *r = q2o_catalog_rules_when(c, "BTS-5G-MACRO", &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(r[0]->kind, Q2O_RULE_EXCLUDES);
    cr_assert_str_eq(r[0]->when.value, "OUTDOOR");
    cr_assert_eq(q2o_catalog_stock(c, "AAU-64T64R"), 0, "sold out");
    const q2o_cat_promotion *auto1[4];
    cr_assert_eq(q2o_catalog_auto_promotions(c, "LIC-MASSIVE-MIMO", auto1, 4), 1);
    cr_assert_eq(auto1[0]->amount_off_unit, 2000);
    q2o_catalog_free(c);
}

Test(catalog_json, retail_sample_has_the_oms_quote_order_types)
{
    q2o_catalog *c = load_sample("retail-furniture-rv.json");
    const q2o_cat_order_type *qt = q2o_catalog_order_type(c, "QT");
    cr_assert(qt->is_quote);
    cr_assert_eq(qt->expiration_days, 30);
    cr_assert(qt->pay_method_required);
    cr_assert(qt->exclude_sold_out);
    cr_assert_str_eq(qt->price_override_reason, "QP");
    cr_assert(qt->freight_override_on_accept);
    cr_assert_eq(qt->n_refused_pay_types, 3);
    cr_assert_str_eq(qt->refused_pay_types[0], "CASH");
    cr_assert_str_eq(qt->refused_pay_types[2], "PREPAID");
    cr_assert_eq(qt->n_refused_ship_vias, 2);
    cr_assert_not(q2o_catalog_order_type(c, "STD")->is_quote);
    cr_assert_eq(q2o_catalog_stock(c, "OTTOMAN"), 0);
    cr_assert_eq(q2o_catalog_stock(c, "SOFA-3S"), 14);
    const q2o_cat_freight_rule *fr = q2o_catalog_freight_rule(c, "US", "STORE", "USD");
    cr_assert_eq(fr->kind, Q2O_FREIGHT_PER_UNIT);
    cr_assert_eq(fr->amount, 4900);
    cr_assert_str_eq(q2o_catalog_freight_rule(c, "US", "WEB", "USD")->id, "FR-RETAIL-US-WEB");
    cr_assert_not(q2o_offering_eligible(q2o_catalog_offering(c, "RV-CLASS-C"), "US", "CONSUMER", "WEB"));
    cr_assert(q2o_offering_eligible(q2o_catalog_offering(c, "RV-CLASS-C"), "US", "CONSUMER", "STORE"));
    q2o_catalog_free(c);
}

/* ---------------------------------------------------------------- refusals */

Test(catalog_json, a_broken_file_reports_every_problem_at_its_path_and_loads_nothing)
{
    static const struct { const char *path; q2o_err code; } want[] = {
        {"$.offerings[0].unit_cost", Q2O_FIELD_INVALID},
        {"$.offerings[1].unit_cst", Q2O_FIELD_INVALID},
        {"$.offerings[2].name", Q2O_TOO_LARGE},
        {"$.offerings[2].charge", Q2O_FIELD_INVALID},
        {"$.offerings[4].name", Q2O_FIELD_INVALID},
        {"$.offerings[3].id", Q2O_CATALOG_INVALID},
        {"$.offerings[0].option_groups[0].options[1]", Q2O_OFFERING_UNKNOWN},
        {"$.offerings[3].volume_schedule", Q2O_CATALOG_INVALID},
        {"$.offerings[1].option_groups[0].options[0]", Q2O_CATALOG_INVALID},
        {"$.price_books[0].currency", Q2O_CURRENCY_UNKNOWN},
        {"$.price_books[0].prices[0].offering_id", Q2O_OFFERING_UNKNOWN},
        {"$.price_books[0].prices[1].blocks[1]", Q2O_CATALOG_INVALID},
        {"$.schedules[0].tiers[1].from", Q2O_CATALOG_INVALID},
        {"$.schedules[0].tiers[1].discount_bp", Q2O_DISCOUNT_OUT_OF_RANGE},
        {"$.contract_prices[0].offering_id", Q2O_OFFERING_UNKNOWN},
        {"$.customers[0].tier", Q2O_CATALOG_INVALID},
        {"$.regional_adjustments[0].adjustment_bp", Q2O_DISCOUNT_OUT_OF_RANGE},
        {"$.promotions[0]", Q2O_CATALOG_INVALID},
        {"$.promotions[0].ends_at", Q2O_CATALOG_INVALID},
        {"$.order_types[0].expiration_days", Q2O_CATALOG_INVALID},
        {"$.rules[0].when.value", Q2O_CONFIG_ATTRIBUTE_INVALID},
        {"$.rules[0].then.offering_id", Q2O_OFFERING_UNKNOWN},
        {"$.rules[1].when.attribute", Q2O_CONFIG_ATTRIBUTE_INVALID},
        {"$.rules[1]", Q2O_CATALOG_INVALID},
    };
    q2o_catalog *c = (q2o_catalog *)1;
    q2o_catalog_json_errors e = {0};
    uint8_t digest[Q2O_SHA256_LEN];
    q2o_err rc = q2o_catalog_json_load_file(Q2O_SOURCE_DIR "/tests/data/catalog/many-errors.json", &c, digest, &e);
    cr_assert_eq(rc, Q2O_CATALOG_INVALID);
    cr_assert_null(c);
    for (uint32_t i = 0; i < e.n; i++)
        cr_log_info("%s [%d] %s", e.items[i].path, (int)e.items[i].code, e.items[i].message);
    cr_assert_eq(e.n, Q2O_ARRAY_LEN(want));
    for (size_t i = 0; i < Q2O_ARRAY_LEN(want); i++) {
        cr_assert_str_eq(e.items[i].path, want[i].path, "problem %zu", i);
        cr_assert_eq(e.items[i].code, want[i].code, "problem %zu at %s", i, want[i].path);
    }
    cr_assert(strstr(e.items[8].message, "A -> B -> A") != NULL, "%s", e.items[8].message);
    q2o_catalog_json_errors_release(&e);
}

Test(catalog_json, an_unknown_field_is_an_error_with_a_suggestion)
{
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", "
                      "\"sellable_alon\": false}]}",
                 "$.offerings[0].sellable_alon", Q2O_FIELD_INVALID, "did you mean 'sellable_alone'");
    refused_once(HEAD "\"offerrings\": []}", "$.offerrings", Q2O_FIELD_INVALID, "unknown field");
}

Test(catalog_json, wrong_types_and_missing_fields_are_errors)
{
    refused_once(HEAD "\"offerings\": {}}", "$.offerings", Q2O_FIELD_INVALID, "expected an array, got an object");
    refused_once(HEAD "\"price_validity_days\": \"30\"}", "$.price_validity_days", Q2O_FIELD_INVALID,
                 "expected an integer, got a string");
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", "
                      "\"physical\": 1}]}",
                 "$.offerings[0].physical", Q2O_FIELD_INVALID, "true or false");
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"charge\": \"one_time\"}]}", "$.offerings[0].name",
                 Q2O_FIELD_INVALID, "missing required field 'name'");
    refused_once("{\"format\": \"q2o.catalog.v1\", \"version\": 1}", "$.id", Q2O_FIELD_INVALID, "missing");
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", "
                      "\"active_from\": \"next tuesday\"}]}",
                 "$.offerings[0].active_from", Q2O_FIELD_INVALID, "RFC 3339");
    refused_once(HEAD "\"approval_policy\": {\"step_roles\": {\"DISCOUNT_ABOVE_THRESHOLD\": \"CEO\"}}}",
                 "$.approval_policy.step_roles.DISCOUNT_ABOVE_THRESHOLD", Q2O_FIELD_INVALID, "unknown role");
}

Test(catalog_json, money_is_never_a_float)
{
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\"}], "
                      "\"price_books\": [{\"id\": \"P\", \"currency\": \"USD\", "
                      "\"prices\": [{\"offering_id\": \"X\", \"unit_price\": 49.99}]}]}",
                 "$.price_books[0].prices[0].unit_price", Q2O_FIELD_INVALID, "integers in minor units");
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", "
                      "\"unit_cost\": 9300000000000000}]}",
                 "$.offerings[0].unit_cost", Q2O_MONEY_OVERFLOW, "outside");
}

Test(catalog_json, a_string_longer_than_its_field_is_refused_not_cut)
{
    char json[512];
    snprintf(json, sizeof json, HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", "
                                    "\"uom\": \"%s\"}]}",
             "a-unit-of-measure-that-is-too-long-for-a-code");
    refused_once(json, "$.offerings[0].uom", Q2O_TOO_LARGE, "31 bytes");
}

Test(catalog_json, a_duplicate_id_is_reported_at_the_repeat)
{
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\"}, "
                      "{\"id\": \"Y\", \"name\": \"Y\", \"charge\": \"one_time\"}, "
                      "{\"id\": \"X\", \"name\": \"X2\", \"charge\": \"one_time\"}]}",
                 "$.offerings[2].id", Q2O_CATALOG_INVALID, "duplicate offering id 'X' (first at $.offerings[0])");
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\"}], "
                      "\"price_books\": [{\"id\": \"P\", \"currency\": \"USD\", \"prices\": ["
                      "{\"offering_id\": \"X\", \"unit_price\": 1}, {\"offering_id\": \"X\", \"unit_price\": 2}]}]}",
                 "$.price_books[0].prices[1].offering_id", Q2O_CATALOG_INVALID, "duplicate price book entry");
}

Test(catalog_json, an_unknown_cross_reference_is_reported_where_it_is_made)
{
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\"}], "
                      "\"stock\": [{\"offering_id\": \"X\", \"available\": 3}, "
                      "{\"offering_id\": \"Z\", \"available\": 0}]}",
                 "$.stock[1].offering_id", Q2O_OFFERING_UNKNOWN, "unknown offering 'Z'");
    refused_once(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", "
                      "\"term_schedule\": \"NONE\"}]}",
                 "$.offerings[0].term_schedule", Q2O_CATALOG_INVALID, "unknown discount schedule");
}

Test(catalog_json, a_bundle_that_contains_itself_is_a_cycle)
{
    refused_once(HEAD "\"offerings\": ["
                      "{\"id\": \"S\", \"name\": \"S\", \"charge\": \"one_time\", \"option_groups\": "
                      "[{\"id\": \"g\", \"options\": [\"R\"]}]},"
                      "{\"id\": \"R\", \"name\": \"R\", \"charge\": \"one_time\", \"option_groups\": "
                      "[{\"id\": \"g\", \"options\": [\"A\", \"X\"]}]},"
                      "{\"id\": \"A\", \"name\": \"A\", \"charge\": \"one_time\"},"
                      "{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\", \"option_groups\": "
                      "[{\"id\": \"g\", \"options\": [\"S\"]}]}]}",
                 "$.offerings[3].option_groups[0].options[0]", Q2O_CATALOG_INVALID, "S -> R -> X -> S");
    refused_once(HEAD "\"offerings\": [{\"id\": \"S\", \"name\": \"S\", \"charge\": \"one_time\", "
                      "\"option_groups\": [{\"id\": \"g\", \"options\": [\"S\"]}]}]}",
                 "$.offerings[0].option_groups[0].options[0]", Q2O_CATALOG_INVALID, "contains itself");
}

Test(catalog_json, bytes_that_are_not_a_catalog_document)
{
    refused_once("{\"format\": \"q2o.catalog.v1\", \"id\": ", "$", Q2O_CATALOG_INVALID, "not a JSON document");
    refused_once("[1, 2]", "$", Q2O_FIELD_INVALID, "expected an object");
    refused_once(HEAD "\"id\": \"again\"}", "$", Q2O_CATALOG_INVALID, "duplicate");
    refused_once("{\"format\": \"q2o.catalog.v9\", \"id\": \"t\", \"version\": 1}", "$.format", Q2O_FIELD_INVALID,
                 "unsupported format");
    q2o_catalog *c = (q2o_catalog *)1;
    cr_assert_eq(load_text("nonsense", &c, NULL), Q2O_CATALOG_INVALID, "errors may be NULL");
    cr_assert_null(c);
    q2o_catalog_json_errors e = {0};
    cr_assert_eq(q2o_catalog_json_load_file("/nonexistent/catalog.json", &c, NULL, &e), Q2O_CATALOG_INVALID);
    cr_assert_eq(e.n, 1);
    cr_assert(strstr(e.items[0].message, "No such file") != NULL, "%s", e.items[0].message);
    q2o_catalog_json_errors_release(&e);
}

Test(catalog_json, a_minimal_document_takes_the_documented_defaults)
{
    q2o_catalog *c = NULL;
    cr_assert_eq(load_text(HEAD "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"charge\": \"one_time\"}]}", &c,
                           NULL),
                 Q2O_OK);
    cr_assert_eq(c->price_validity_days, 30);
    cr_assert_eq(c->approval.max_discount_bp, 1500);
    cr_assert(c->acceptance.block_after_expiry);
    const q2o_cat_offering *o = q2o_catalog_offering(c, "X");
    cr_assert_eq(o->min_quantity, 1);
    cr_assert_eq(o->max_quantity, 0);
    cr_assert(o->sellable_alone);
    cr_assert_not(o->physical);
    q2o_catalog_free(c);
}

/* ---------------------------------------------------------------- digest */

Test(catalog_json, digest_ignores_formatting_and_key_order_but_not_values)
{
    const char *a = HEAD "\"name\": \"N\", \"price_validity_days\": 30}";
    const char *b = "{ \"price_validity_days\" : 30,\n  \"name\": \"N\", \"version\": 1,\n"
                    "  \"id\": \"t\", \"format\": \"q2o.catalog.v1\" }\n";
    const char *changed = HEAD "\"name\": \"N\", \"price_validity_days\": 31}";
    uint8_t da[Q2O_SHA256_LEN], db[Q2O_SHA256_LEN], dc[Q2O_SHA256_LEN], dl[Q2O_SHA256_LEN];
    cr_assert_eq(q2o_catalog_json_digest(a, strlen(a), da), Q2O_OK);
    cr_assert_eq(q2o_catalog_json_digest(b, strlen(b), db), Q2O_OK);
    cr_assert_eq(q2o_catalog_json_digest(changed, strlen(changed), dc), Q2O_OK);
    cr_assert_arr_eq(da, db, Q2O_SHA256_LEN);
    cr_assert_arr_neq(da, dc, Q2O_SHA256_LEN);
    q2o_catalog *c = NULL;
    cr_assert_eq(q2o_catalog_json_parse(b, strlen(b), &c, dl, NULL), Q2O_OK);
    cr_assert_arr_eq(da, dl, Q2O_SHA256_LEN, "the loader gives the same digest");
    q2o_catalog_free(c);
    cr_assert_eq(q2o_catalog_json_digest("{", 1, da), Q2O_CATALOG_INVALID);
}

Test(catalog_json, sample_digests_are_stable_across_loads)
{
    uint8_t d1[Q2O_SHA256_LEN], d2[Q2O_SHA256_LEN];
    q2o_catalog *c1 = NULL, *c2 = NULL;
    cr_assert_eq(q2o_catalog_json_load_file(SAMPLES "saas-suite.json", &c1, d1, NULL), Q2O_OK);
    cr_assert_eq(q2o_catalog_json_load_file(SAMPLES "saas-suite.json", &c2, d2, NULL), Q2O_OK);
    cr_assert_arr_eq(d1, d2, Q2O_SHA256_LEN);
    q2o_catalog_free(c1);
    q2o_catalog_free(c2);
}
