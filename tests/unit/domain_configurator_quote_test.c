/*
 * The configurator over whole quotes: every violation in one call, the cap
 * and the dropped count, determinism, and a 1,000-line quote whose expected
 * findings are derived line by line.
 *
 * The suite catalog: SUITE (edition std|ent, required) bundles exactly one
 * USERS and any of SUPPORT, PREMIUM, ANALYTICS, STORAGE, DOCS; TRAINING and
 * FEE are sold alone, OLD retired a day before CF_DATE, US-ONLY is sold in
 * the US only. Rules:
 *   R-REQ  bundle  ANALYTICS requires STORAGE
 *   R-QTY  bundle  SUPPORT quantity = USERS quantity
 *   R-EXC  bundle  SUPPORT excludes PREMIUM
 *   R-ENT  quote   SUITE edition=ent requires TRAINING
 *   R-REC  quote   SUITE recommends TRAINING
 *   R-FEE  quote   FEE quantity = USERS quantity / 100, rounded up
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "domain_configurator_fixture.h"

TestSuite(config_quote);

static q2o_catalog *suite(void)
{
    q2o_catalog *c = cf_catalog_new();
    q2o_cat_offering *s = cf_offer(c, "SUITE");
    cf_enum_attr(c, s, "edition", 1, "", "std,ent");
    cf_group(c, s, "core", 1, 1, "USERS");
    cf_group(c, s, "addons", 0, 0, "SUPPORT,PREMIUM,ANALYTICS,STORAGE,DOCS");
    const char *opts[] = {"USERS", "SUPPORT", "PREMIUM", "ANALYTICS", "STORAGE", "DOCS"};
    for (size_t i = 0; i < Q2O_ARRAY_LEN(opts); i++)
        cf_option_only(c, opts[i]);
    cf_offer(c, "TRAINING");
    cf_offer(c, "FEE");
    cf_offer(c, "OLD")->active_until = CF_DATE - CF_DAY;
    cf_eligibility(c, cf_offer(c, "US-ONLY"), "US", "", "");
    cf_rule(c, "R-REQ", Q2O_RULE_REQUIRES, Q2O_SCOPE_BUNDLE, "ANALYTICS", "STORAGE", 1, 1);
    cf_rule(c, "R-QTY", Q2O_RULE_QUANTITY, Q2O_SCOPE_BUNDLE, "USERS", "SUPPORT", 1, 1);
    cf_rule(c, "R-EXC", Q2O_RULE_EXCLUDES, Q2O_SCOPE_BUNDLE, "SUPPORT", "PREMIUM", 1, 1);
    cf_rule(c, "R-ENT", Q2O_RULE_REQUIRES, Q2O_SCOPE_QUOTE, "SUITE edition=ent", "TRAINING", 1, 1);
    cf_rule(c, "R-REC", Q2O_RULE_RECOMMENDS, Q2O_SCOPE_QUOTE, "SUITE", "TRAINING", 1, 1);
    cf_rule(c, "R-FEE", Q2O_RULE_QUANTITY, Q2O_SCOPE_QUOTE, "USERS", "FEE", 1, 100);
    cf_seal(c);
    return c;
}

typedef struct want {
    q2o_err code;
    char line[Q2O_ID_MAX];
    char subject[Q2O_CODE_MAX];
    char rule[Q2O_CODE_MAX];
} want;

static void want_add(want *w, uint32_t *n, q2o_err code, const char *line, const char *subject, const char *rule)
{
    w[*n].code = code;
    snprintf(w[*n].line, sizeof w[*n].line, "%s", line);
    snprintf(w[*n].subject, sizeof w[*n].subject, "%s", subject);
    snprintf(w[*n].rule, sizeof w[*n].rule, "%s", rule);
    (*n)++;
}

/* The findings are exactly w[0..n), in order. */
static void assert_findings(const q2o_config_result *r, const want *w, uint32_t n)
{
    cr_assert_eq(r->n_findings, n, "%u findings, want %u:%s", r->n_findings, n, cf_dump(r));
    for (uint32_t i = 0; i < n; i++) {
        const q2o_config_finding *f = &r->findings[i];
        cr_assert(f->code == w[i].code && strcmp(f->line_id, w[i].line) == 0 &&
                      strcmp(f->subject, w[i].subject) == 0 && strcmp(f->rule_id, w[i].rule) == 0,
                  "finding %u is %s %s %s %s, want %s %s %s %s", i, q2o_err_name(f->code), f->line_id, f->subject,
                  f->rule_id, q2o_err_name(w[i].code), w[i].line, w[i].subject, w[i].rule);
        cr_assert_gt(strlen(f->remediation), 30u, "finding %u: remediation '%s'", i, f->remediation);
    }
}

Test(config_quote, every_violation_is_reported_in_line_then_check_order)
{
    q2o_catalog *c = suite();
    cf_quote q;
    cf_quote_init(&q);
    cf_lines(&q, "b:SUITE edition=ent colour=red; u<b:USERS*10; s<b:SUPPORT*8; p<b:PREMIUM; a<b:ANALYTICS; "
                 "t<b:FEE; o:OLD*0; x:US-ONLY; z:NOPE; y<ghost:DOCS; b2:SUITE; l1<l2:DOCS; l2<l1:DOCS");
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    uint32_t n = cf_run(c, &q, r);
    want w[32];
    uint32_t nw = 0;
    want_add(w, &nw, Q2O_CONFIG_ATTRIBUTE_INVALID, "b", "colour", "");
    want_add(w, &nw, Q2O_CONFIG_REQUIRES_MISSING, "b", "TRAINING", "R-ENT");
    want_add(w, &nw, Q2O_CONFIG_QUANTITY_MISMATCH, "u", "SUPPORT", "R-QTY");
    want_add(w, &nw, Q2O_CONFIG_EXCLUDED, "s", "PREMIUM", "R-EXC");
    want_add(w, &nw, Q2O_CONFIG_REQUIRES_MISSING, "a", "STORAGE", "R-REQ");
    want_add(w, &nw, Q2O_CONFIG_NOT_AN_OPTION, "t", "FEE", "");
    want_add(w, &nw, Q2O_OFFERING_INACTIVE, "o", "OLD", "");
    want_add(w, &nw, Q2O_QUANTITY_INVALID, "o", "OLD", "");
    want_add(w, &nw, Q2O_OFFERING_NOT_ELIGIBLE, "x", "US-ONLY", "");
    want_add(w, &nw, Q2O_OFFERING_UNKNOWN, "z", "NOPE", "");
    want_add(w, &nw, Q2O_FIELD_INVALID, "y", "ghost", "");
    want_add(w, &nw, Q2O_CONFIG_INCOMPLETE, "b2", "edition", "");
    want_add(w, &nw, Q2O_CONFIG_GROUP_CARDINALITY, "b2", "core", "");
    want_add(w, &nw, Q2O_FIELD_INVALID, "l1", "l2", "");
    want_add(w, &nw, Q2O_CONFIG_NOT_AN_OPTION, "l1", "DOCS", "");
    want_add(w, &nw, Q2O_FIELD_INVALID, "l2", "l1", "");
    want_add(w, &nw, Q2O_CONFIG_NOT_AN_OPTION, "l2", "DOCS", "");
    assert_findings(r, w, nw);
    cr_assert_eq(n, nw);
    cr_assert_eq(r->n_dropped, 0u);
    /* guided selling: TRAINING, required by R-ENT (first) and recommended by R-REC (merged) */
    const q2o_config_suggestion *s = cf_suggestion(r, "TRAINING", NULL);
    cr_assert(s, "%s", cf_dump(r));
    cr_assert_str_eq(s->line_id, "");
    cr_assert_str_eq(s->rule_id, "R-ENT");
    cr_assert_eq(r->n_suggestions, 2u, "%s", cf_dump(r)); /* + STORAGE under b */
    cr_assert(cf_suggestion(r, "STORAGE", NULL) && strcmp(cf_suggestion(r, "STORAGE", NULL)->line_id, "b") == 0);
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

Test(config_quote, findings_beyond_the_cap_are_counted_as_dropped)
{
    q2o_catalog *c = suite();
    cf_quote q;
    cf_quote_init(&q);
    char id[16];
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "z%03d", i);
        cf_line(&q, id, "", "NOPE", 1);
    }
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_assert_eq(cf_run(c, &q, r), 100u, "the return counts every finding");
    cr_assert_eq(r->n_findings, (uint32_t)Q2O_MAX_CONFIG_FINDINGS);
    cr_assert_eq(r->n_dropped, 100u - Q2O_MAX_CONFIG_FINDINGS);
    for (uint32_t i = 0; i < r->n_findings; i++) {
        snprintf(id, sizeof id, "z%03u", i);
        cr_assert_str_eq(r->findings[i].line_id, id, "the first findings in line order are kept");
    }

    cf_quote_release(&q); /* exactly at the cap: nothing dropped */
    cf_quote_init(&q);
    for (int i = 0; i < Q2O_MAX_CONFIG_FINDINGS; i++) {
        snprintf(id, sizeof id, "z%03d", i);
        cf_line(&q, id, "", "NOPE", 1);
    }
    cr_assert_eq(cf_run(c, &q, r), (uint32_t)Q2O_MAX_CONFIG_FINDINGS);
    cr_assert_eq(r->n_dropped, 0u, "the result is zeroed on each call");
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

Test(config_quote, more_lines_than_the_limit_is_one_finding)
{
    q2o_catalog *c = suite();
    cf_quote q;
    cf_quote_init(&q);
    for (int i = 0; i < Q2O_MAX_LINES + 1; i++)
        cf_line(&q, "x", "", "NOPE", 1);
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_assert_eq(cf_run(c, &q, r), 1u, "%s", cf_dump(r));
    cr_assert_eq(r->findings[0].code, Q2O_FIELD_INVALID);
    cr_assert_str_eq(r->findings[0].line_id, "");
    cr_assert_str_eq(r->findings[0].subject, "lines");
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

Test(config_quote, an_empty_quote_is_valid)
{
    q2o_catalog *c = suite();
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    q2o_config_context ctx = cf_context();
    cr_assert_eq(q2o_configure(c, &ctx, NULL, 0, r), 0u);
    cr_assert_eq(r->n_suggestions, 0u);
    free(r);
    q2o_catalog_free(c);
}

/* ------------------------------------------------------------ 1,000 lines */

/* 100 bundles of 10 lines (the last line is the quote's FEE): bundle k has
 * SUITE (edition ent for k = 50), USERS x10, SUPPORT (x9 when k % 11 == 3),
 * ANALYTICS, STORAGE (DOCS instead when k % 7 == 2), PREMIUM (DOCS instead
 * unless k % 13 == 5) and four DOCS. */
static void thousand_lines(cf_quote *q, int64_t fee)
{
    char b[16], id[16];
    for (int k = 0; k < 100; k++) {
        snprintf(b, sizeof b, "b%02d", k);
        cf_opt(cf_line(q, b, "", "SUITE", 1), "edition", k == 50 ? "ent" : "std");
        snprintf(id, sizeof id, "u%02d", k);
        cf_line(q, id, b, "USERS", 10);
        snprintf(id, sizeof id, "s%02d", k);
        cf_line(q, id, b, "SUPPORT", k % 11 == 3 ? 9 : 10);
        snprintf(id, sizeof id, "a%02d", k);
        cf_line(q, id, b, "ANALYTICS", 1);
        snprintf(id, sizeof id, "st%02d", k);
        cf_line(q, id, b, k % 7 == 2 ? "DOCS" : "STORAGE", 1);
        snprintf(id, sizeof id, "p%02d", k);
        cf_line(q, id, b, k % 13 == 5 ? "PREMIUM" : "DOCS", 1);
        for (int f = 0; f < 4; f++) {
            snprintf(id, sizeof id, "f%02d-%d", k, f);
            if (k == 99 && f == 3)
                cf_line(q, "fee", "", "FEE", fee);
            else
                cf_line(q, id, b, "DOCS", 1);
        }
    }
    cr_assert_eq(q->n, (uint32_t)Q2O_MAX_LINES);
}

static uint32_t thousand_want(want *w, int fee_ok)
{
    uint32_t n = 0;
    char id[16];
    for (int k = 0; k < 100; k++) {
        if (k == 0 && !fee_ok)
            want_add(w, &n, Q2O_CONFIG_QUANTITY_MISMATCH, "u00", "FEE", "R-FEE");
        if (k == 50)
            want_add(w, &n, Q2O_CONFIG_REQUIRES_MISSING, "b50", "TRAINING", "R-ENT");
        if (k % 11 == 3) {
            snprintf(id, sizeof id, "u%02d", k);
            want_add(w, &n, Q2O_CONFIG_QUANTITY_MISMATCH, id, "SUPPORT", "R-QTY");
        }
        if (k % 13 == 5) {
            snprintf(id, sizeof id, "s%02d", k);
            want_add(w, &n, Q2O_CONFIG_EXCLUDED, id, "PREMIUM", "R-EXC");
        }
        if (k % 7 == 2) {
            snprintf(id, sizeof id, "a%02d", k);
            want_add(w, &n, Q2O_CONFIG_REQUIRES_MISSING, id, "STORAGE", "R-REQ");
        }
    }
    return n;
}

Test(config_quote, a_thousand_lines_every_finding_in_place)
{
    q2o_catalog *c = suite();
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    want w[64];
    for (int fee_ok = 1; fee_ok >= 0; fee_ok--) {
        cf_quote q;
        cf_quote_init(&q);
        thousand_lines(&q, fee_ok ? 10 : 9); /* 1,000 USERS / 100 = 10 */
        uint32_t nw = thousand_want(w, fee_ok);
        cr_assert_eq(cf_run(c, &q, r), nw, "fee_ok=%d:%s", fee_ok, cf_dump(r));
        assert_findings(r, w, nw);
        cr_assert_eq(r->n_dropped, 0u);
        /* TRAINING is recommended once for the quote (R-REC, anchored at b00) */
        const q2o_config_suggestion *s = cf_suggestion(r, "TRAINING", NULL);
        cr_assert(s && strcmp(s->rule_id, "R-REC") == 0, "%s", cf_dump(r));
        cf_quote_release(&q);
    }
    free(r);
    q2o_catalog_free(c);
}

Test(config_quote, a_thousand_valid_lines_have_no_finding)
{
    q2o_catalog *c = suite();
    cf_quote q;
    cf_quote_init(&q);
    thousand_lines(&q, 10);
    for (uint32_t i = 0; i < q.n; i++) { /* repair what thousand_lines breaks on purpose */
        q2o_line *l = &q.lines[i];
        if (strcmp(l->offering_id, "SUPPORT") == 0)
            l->quantity = 10;
        if (strcmp(l->offering_id, "PREMIUM") == 0 || strcmp(l->offering_id, "ANALYTICS") == 0)
            l->action = Q2O_LA_REMOVE;
        if (strcmp(l->offering_id, "SUITE") == 0)
            snprintf(l->options[0].value, sizeof l->options[0].value, "std");
    }
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_assert_eq(cf_run(c, &q, r), 0u, "%s", cf_dump(r));
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

Test(config_quote, the_same_input_gives_the_same_result_bit_for_bit)
{
    q2o_catalog *c = suite();
    cf_quote q;
    cf_quote_init(&q);
    thousand_lines(&q, 9);
    q2o_config_result *r1 = calloc(1, sizeof *r1), *r2 = malloc(sizeof *r2);
    cr_assert(r1 && r2);
    memset(r2, 0xA5, sizeof *r2); /* garbage in the output must not leak */
    uint32_t n1 = cf_run(c, &q, r1), n2 = cf_run(c, &q, r2);
    cr_assert_eq(n1, n2);
    cr_assert_gt(n1, 30u);
    cr_assert(memcmp(r1, r2, sizeof *r1) == 0, "two runs differ");
    free(r1);
    free(r2);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}
