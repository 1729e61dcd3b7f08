/*
 * Configuration rules, one table per kind, each row a story: given a catalog
 * with one rule R (kind, scope, when, then, ratio), when these lines are
 * configured, then R's finding (or none) hangs on this line, and guided
 * selling suggests this offering under this line (or nothing).
 *
 * The catalog: bundles BX and BY (top level) offer A, B, C, S2 and the
 * sub-bundle NEST; NEST offers A, B, C and the sub-sub-bundle DEEP; DEEP
 * offers A, B, C. A, B, C are options only, with attributes color (red,
 * blue) and size (1..10). S and S2 are sold alone. No group has a minimum,
 * so a row's only findings are its rule's (and the ones it names).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "core/check.h"
#include "domain_configurator_fixture.h"
#include "quote_fixture.h"

typedef struct rule_case {
    const char *story;
    q2o_rule_kind kind;
    q2o_rule_scope scope;
    const char *when, *then;
    int32_t num, den;
    const char *lines;
    q2o_err expect;        /* R's finding; Q2O_OK = none */
    const char *on_line;   /* where it hangs */
    const char *suggested; /* the offering guided selling suggests; NULL = no suggestion */
    const char *under;     /* the line the suggestion hangs under ("" = top level) */
    q2o_err other;         /* one more finding the row expects (not R's); Q2O_OK = none */
} rule_case;

#define B Q2O_SCOPE_BUNDLE
#define Q Q2O_SCOPE_QUOTE
#define OK Q2O_OK

static q2o_catalog *catalog_with(const rule_case *rc)
{
    q2o_catalog *c = cf_catalog_new();
    const char *leaves[] = {"A", "B", "C"};
    for (size_t i = 0; i < Q2O_ARRAY_LEN(leaves); i++) {
        q2o_cat_offering *o = cf_option_only(c, leaves[i]);
        cf_enum_attr(c, o, "color", 0, "", "red,blue");
        cf_range_attr(c, o, "size", 0, "", 1, 10);
    }
    cf_group(c, cf_offer(c, "BX"), "opts", 0, 0, "A,B,C,S2,NEST");
    cf_group(c, cf_offer(c, "BY"), "opts", 0, 0, "A,B,C,S2,NEST");
    cf_group(c, cf_option_only(c, "NEST"), "deep", 0, 0, "A,B,C,DEEP");
    cf_group(c, cf_option_only(c, "DEEP"), "leaf", 0, 0, "A,B,C");
    cf_enum_attr(c, cf_offer(c, "S"), "color", 0, "", "red,blue");
    cf_offer(c, "S2");
    cf_rule(c, "R", rc->kind, rc->scope, rc->when, rc->then, rc->num, rc->den);
    cf_seal(c);
    return c;
}

static void check_case(const rule_case *rc)
{
    q2o_catalog *c = catalog_with(rc);
    cf_quote q;
    cf_quote_init(&q);
    cf_lines(&q, rc->lines);
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    uint32_t n = cf_run(c, &q, r);
    const char *dump = cf_dump(r);

    uint32_t mine = 0;
    for (uint32_t i = 0; i < r->n_findings; i++)
        mine += strcmp(r->findings[i].rule_id, "R") == 0;
    cr_assert_eq(mine, rc->expect == OK ? 0u : 1u, "%s: %u findings of rule R:%s", rc->story, mine, dump);
    if (rc->expect != OK) {
        char subject[Q2O_ID_MAX]; /* the then offering, without its attribute */
        size_t len = strcspn(rc->then, " ");
        memcpy(subject, rc->then, len);
        subject[len] = '\0';
        const q2o_config_finding *f = cf_find(r, rc->expect, rc->on_line, subject);
        cr_assert(f, "%s: want %s on line %s about %s:%s", rc->story, q2o_err_name(rc->expect), rc->on_line,
                  rc->then, dump);
        cr_assert_str_eq(f->rule_id, "R", "%s", rc->story);
        cr_assert_gt(strlen(f->remediation), 20u, "%s: remediation '%s'", rc->story, f->remediation);
        cr_assert(!strstr(f->remediation, "must be -"), "%s: wrapped: %s", rc->story, f->remediation);
    }
    uint32_t want_total = (rc->expect != OK) + (rc->other != OK);
    cr_assert_eq(n, want_total, "%s: %u findings, want %u:%s", rc->story, n, want_total, dump);
    if (rc->other != OK)
        cr_assert_eq(cf_count(r, rc->other, NULL, NULL), 1u, "%s: want one %s:%s", rc->story,
                     q2o_err_name(rc->other), dump);

    if (rc->suggested) {
        const q2o_config_suggestion *s = cf_suggestion(r, rc->suggested, NULL);
        cr_assert(s, "%s: want a suggestion of %s:%s", rc->story, rc->suggested, dump);
        cr_assert_str_eq(s->line_id, rc->under, "%s: suggestion under '%s'", rc->story, s->line_id);
        cr_assert_str_eq(s->rule_id, "R", "%s", rc->story);
        cr_assert_eq(r->n_suggestions, 1u, "%s:%s", rc->story, dump);
    } else {
        cr_assert_eq(r->n_suggestions, 0u, "%s: no suggestion wanted:%s", rc->story, dump);
    }
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

/* ------------------------------------------------------------ REQUIRES */

static const rule_case requires_cases[] = {
    {"missing in the bundle", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1, "x:BX; a<x:A",
     Q2O_CONFIG_REQUIRES_MISSING, "a", "B", "x", OK},
    {"present in the bundle", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1, "x:BX; a<x:A; b<x:B", OK, NULL, NULL, NULL, OK},
    {"no when, nothing required", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1, "x:BX; c<x:C", OK, NULL, NULL, NULL, OK},
    {"present three levels down counts in the bundle", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1,
     "x:BX; a<x:A; n<x:NEST; d<n:DEEP; b<d:B", OK, NULL, NULL, NULL, OK},
    {"when three levels down, then at the root", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1,
     "x:BX; n<x:NEST; d<n:DEEP; a<d:A; b<x:B", OK, NULL, NULL, NULL, OK},
    {"when three levels down, then missing: suggested under the when's bundle", Q2O_RULE_REQUIRES, B, "A", "B", 1,
     1, "x:BX; n<x:NEST; d<n:DEEP; a<d:A", Q2O_CONFIG_REQUIRES_MISSING, "a", "B", "d", OK},
    {"bundle scope: another bundle's B does not count", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1,
     "x:BX; a<x:A; y:BY; b<y:B", Q2O_CONFIG_REQUIRES_MISSING, "a", "B", "x", OK},
    {"quote scope: another bundle's B counts", Q2O_RULE_REQUIRES, Q, "A", "B", 1, 1, "x:BX; a<x:A; y:BY; b<y:B", OK,
     NULL, NULL, NULL, OK},
    {"quote scope: missing, a standalone is suggested at the top level", Q2O_RULE_REQUIRES, Q, "A", "S", 1, 1,
     "x:BX; a<x:A", Q2O_CONFIG_REQUIRES_MISSING, "a", "S", "", OK},
    {"when on an attribute that holds", Q2O_RULE_REQUIRES, B, "A color=red", "B", 1, 1, "x:BX; a<x:A color=red",
     Q2O_CONFIG_REQUIRES_MISSING, "a", "B", "x", OK},
    {"when on an attribute that does not hold", Q2O_RULE_REQUIRES, B, "A color=red", "B", 1, 1,
     "x:BX; a<x:A color=blue", OK, NULL, NULL, NULL, OK},
    {"when on an attribute left unset", Q2O_RULE_REQUIRES, B, "A color=red", "B", 1, 1, "x:BX; a<x:A", OK, NULL, NULL,
     NULL, OK},
    {"then on an attribute: wrong value", Q2O_RULE_REQUIRES, B, "A", "B color=red", 1, 1,
     "x:BX; a<x:A; b<x:B color=blue", Q2O_CONFIG_REQUIRES_MISSING, "a", "B", "x", OK},
    {"then on an attribute: right value", Q2O_RULE_REQUIRES, B, "A", "B color=red", 1, 1,
     "x:BX; a<x:A; b<x:B color=red", OK, NULL, NULL, NULL, OK},
    {"a removed then is absent", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1, "x:BX; a<x:A; b<x:B remove",
     Q2O_CONFIG_REQUIRES_MISSING, "a", "B", "x", OK},
    {"a removed when requires nothing", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1, "x:BX; a<x:A remove", OK, NULL, NULL,
     NULL, OK},
    {"two whens: judged once, on the first", Q2O_RULE_REQUIRES, B, "A", "B", 1, 1, "x:BX; a1<x:A; a2<x:A",
     Q2O_CONFIG_REQUIRES_MISSING, "a1", "B", "x", OK},
    {"attribute when: judged on the first line where it holds", Q2O_RULE_REQUIRES, Q, "A color=red", "S", 1, 1,
     "x:BX; a1<x:A color=blue; y:BY; a2<y:A color=red; a3<y:A color=red", Q2O_CONFIG_REQUIRES_MISSING, "a2", "S", "",
     OK},
};

ParameterizedTestParameters(config_rules, requires_then_in_scope)
{
    return fx_row_indices(Q2O_ARRAY_LEN(requires_cases));
}
ParameterizedTest(size_t *i, config_rules, requires_then_in_scope) { check_case(&requires_cases[*i]); }

/* ------------------------------------------------------------ EXCLUDES */

static const rule_case excludes_cases[] = {
    {"both in the bundle", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; a<x:A; b<x:B", Q2O_CONFIG_EXCLUDED, "a", NULL,
     NULL, OK},
    {"only when", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; a<x:A", OK, NULL, NULL, NULL, OK},
    {"only then", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; b<x:B", OK, NULL, NULL, NULL, OK},
    {"both, nested three levels apart", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; b<x:B; n<x:NEST; d<n:DEEP; a<d:A",
     Q2O_CONFIG_EXCLUDED, "a", NULL, NULL, OK},
    {"bundle scope: in different bundles", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; a<x:A; y:BY; b<y:B", OK, NULL,
     NULL, NULL, OK},
    {"quote scope: in different bundles", Q2O_RULE_EXCLUDES, Q, "A", "B", 1, 1, "x:BX; a<x:A; y:BY; b<y:B",
     Q2O_CONFIG_EXCLUDED, "a", NULL, NULL, OK},
    {"when attribute holds", Q2O_RULE_EXCLUDES, B, "A size=3", "B", 1, 1, "x:BX; a<x:A size=3; b<x:B",
     Q2O_CONFIG_EXCLUDED, "a", NULL, NULL, OK},
    {"when attribute does not hold", Q2O_RULE_EXCLUDES, B, "A size=3", "B", 1, 1, "x:BX; a<x:A size=4; b<x:B", OK,
     NULL, NULL, NULL, OK},
    {"then attribute holds", Q2O_RULE_EXCLUDES, Q, "A", "S color=blue", 1, 1, "x:BX; a<x:A; s:S color=blue",
     Q2O_CONFIG_EXCLUDED, "a", NULL, NULL, OK},
    {"then attribute does not hold", Q2O_RULE_EXCLUDES, Q, "A", "S color=blue", 1, 1, "x:BX; a<x:A; s:S color=red",
     OK, NULL, NULL, NULL, OK},
    {"a removed then does not exclude", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; a<x:A; b<x:B remove", OK, NULL,
     NULL, NULL, OK},
    {"then before when: hangs on the when line", Q2O_RULE_EXCLUDES, B, "A", "B", 1, 1, "x:BX; b<x:B; a<x:A",
     Q2O_CONFIG_EXCLUDED, "a", NULL, NULL, OK},
};

ParameterizedTestParameters(config_rules, excludes_both_in_scope)
{
    return fx_row_indices(Q2O_ARRAY_LEN(excludes_cases));
}
ParameterizedTest(size_t *i, config_rules, excludes_both_in_scope) { check_case(&excludes_cases[*i]); }

/* ------------------------------------------------------------ QUANTITY */

static const rule_case quantity_cases[] = {
    {"equal, 1/1", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1, "x:BX; a<x:A*10; b<x:B*10", OK, NULL, NULL, NULL, OK},
    {"unequal, 1/1", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1, "x:BX; a<x:A*10; b<x:B*9", Q2O_CONFIG_QUANTITY_MISMATCH,
     "a", NULL, NULL, OK},
    {"more is a mismatch too", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1, "x:BX; a<x:A*10; b<x:B*11",
     Q2O_CONFIG_QUANTITY_MISMATCH, "a", NULL, NULL, OK},
    {"1/5 rounds up: 11 -> 3", Q2O_RULE_QUANTITY, B, "A", "B", 1, 5, "x:BX; a<x:A*11; b<x:B*3", OK, NULL, NULL, NULL,
     OK},
    {"1/5 rounds up: 11 -> not 2", Q2O_RULE_QUANTITY, B, "A", "B", 1, 5, "x:BX; a<x:A*11; b<x:B*2",
     Q2O_CONFIG_QUANTITY_MISMATCH, "a", NULL, NULL, OK},
    {"1/5 exact: 10 -> 2", Q2O_RULE_QUANTITY, B, "A", "B", 1, 5, "x:BX; a<x:A*10; b<x:B*2", OK, NULL, NULL, NULL, OK},
    {"3/2: 5 -> 8", Q2O_RULE_QUANTITY, B, "A", "B", 3, 2, "x:BX; a<x:A*5; b<x:B*8", OK, NULL, NULL, NULL, OK},
    {"then absent: no constraint", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1, "x:BX; a<x:A*10", OK, NULL, NULL, NULL, OK},
    {"quantities add up on both sides", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1,
     "x:BX; a1<x:A*4; n<x:NEST; a2<n:A*6; b1<x:B*3; d<n:DEEP; b2<d:B*7", OK, NULL, NULL, NULL, OK},
    {"quantities add up: short by one", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1,
     "x:BX; a1<x:A*4; n<x:NEST; a2<n:A*6; b1<x:B*3; d<n:DEEP; b2<d:B*6", Q2O_CONFIG_QUANTITY_MISMATCH, "a1", NULL,
     NULL, OK},
    {"bundle scope: the other bundle's then is not compared", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1,
     "x:BX; a<x:A*10; y:BY; b<y:B*3", OK, NULL, NULL, NULL, OK},
    {"quote scope: the other bundle's then is compared", Q2O_RULE_QUANTITY, Q, "A", "B", 1, 1,
     "x:BX; a<x:A*10; y:BY; b<y:B*3", Q2O_CONFIG_QUANTITY_MISMATCH, "a", NULL, NULL, OK},
    {"when on an attribute: only matching lines count", Q2O_RULE_QUANTITY, B, "A color=red", "B", 1, 1,
     "x:BX; a1<x:A*5 color=blue; a2<x:A*7 color=red; b<x:B*7", OK, NULL, NULL, NULL, OK},
    {"when on an attribute: mismatch hangs on the first matching line", Q2O_RULE_QUANTITY, B, "A color=red", "B", 1,
     1, "x:BX; a1<x:A*5 color=blue; a2<x:A*7 color=red; b<x:B*12", Q2O_CONFIG_QUANTITY_MISMATCH, "a2", NULL, NULL, OK},
    {"a removed then is not compared", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1, "x:BX; a<x:A*10; b<x:B*3 remove", OK,
     NULL, NULL, NULL, OK},
    {"an invalid quantity is its own finding, not a mismatch", Q2O_RULE_QUANTITY, B, "A", "B", 1, 1,
     "x:BX; a<x:A*0; b<x:B*3", OK, NULL, NULL, NULL, Q2O_QUANTITY_INVALID},
    {"huge ratio without overflow: 1e9 x (2^31-1) fits", Q2O_RULE_QUANTITY, B, "A", "B", 2147483647, 1,
     "x:BX; a<x:A*1000000000; b<x:B*1", Q2O_CONFIG_QUANTITY_MISMATCH, "a", NULL, NULL, OK},
    {"huge ratio beyond int64: a mismatch, not a wrap", Q2O_RULE_QUANTITY, B, "A", "B", 2147483647, 1,
     "x:BX; a1<x:A*1000000000; a2<x:A*1000000000; a3<x:A*1000000000; a4<x:A*1000000000; a5<x:A*1000000000; "
     "b<x:B*1",
     Q2O_CONFIG_QUANTITY_MISMATCH, "a1", NULL, NULL, OK},
};

ParameterizedTestParameters(config_rules, quantity_relation_rounded_up)
{
    return fx_row_indices(Q2O_ARRAY_LEN(quantity_cases));
}
ParameterizedTest(size_t *i, config_rules, quantity_relation_rounded_up) { check_case(&quantity_cases[*i]); }

/* ------------------------------------------------------------ RECOMMENDS */

static const rule_case recommends_cases[] = {
    {"when present, then absent: suggested under the bundle", Q2O_RULE_RECOMMENDS, B, "A", "B", 1, 1, "x:BX; a<x:A",
     OK, NULL, "B", "x", OK},
    {"then present: nothing to suggest", Q2O_RULE_RECOMMENDS, B, "A", "B", 1, 1, "x:BX; a<x:A; b<x:B", OK, NULL, NULL,
     NULL, OK},
    {"when absent: nothing to suggest", Q2O_RULE_RECOMMENDS, B, "A", "B", 1, 1, "x:BX; c<x:C", OK, NULL, NULL, NULL,
     OK},
    {"when is a bundle offering then: suggested under the when line", Q2O_RULE_RECOMMENDS, B, "NEST", "DEEP", 1, 1,
     "x:BX; n<x:NEST", OK, NULL, "DEEP", "n", OK},
    {"bundle scope: another bundle's B does not count", Q2O_RULE_RECOMMENDS, B, "A", "B", 1, 1,
     "x:BX; a<x:A; y:BY; b<y:B", OK, NULL, "B", "x", OK},
    {"quote scope: another bundle's B counts", Q2O_RULE_RECOMMENDS, Q, "A", "B", 1, 1, "x:BX; a<x:A; y:BY; b<y:B", OK,
     NULL, NULL, NULL, OK},
    {"quote scope: a standalone at the top level", Q2O_RULE_RECOMMENDS, Q, "A", "S", 1, 1, "x:BX; a<x:A", OK, NULL,
     "S", "", OK},
    {"when attribute holds", Q2O_RULE_RECOMMENDS, B, "A color=blue", "B", 1, 1, "x:BX; a<x:A color=blue", OK, NULL,
     "B", "x", OK},
    {"when attribute does not hold", Q2O_RULE_RECOMMENDS, B, "A color=blue", "B", 1, 1, "x:BX; a<x:A color=red", OK,
     NULL, NULL, NULL, OK},
    {"a removed when recommends nothing", Q2O_RULE_RECOMMENDS, B, "A", "B", 1, 1, "x:BX; a<x:A remove", OK, NULL,
     NULL, NULL, OK},
};

ParameterizedTestParameters(config_rules, recommends_only_suggests)
{
    return fx_row_indices(Q2O_ARRAY_LEN(recommends_cases));
}
ParameterizedTest(size_t *i, config_rules, recommends_only_suggests) { check_case(&recommends_cases[*i]); }

/* A REQUIRES rule names what to add and where in its remediation. */
Test(config_rules, requires_remediation_names_offering_attribute_and_line)
{
    rule_case rc = {"", Q2O_RULE_REQUIRES, B, "A", "B color=red", 1, 1, "x:BX; a<x:A", OK, NULL, NULL, NULL, OK};
    q2o_catalog *c = catalog_with(&rc);
    cf_quote q;
    cf_quote_init(&q);
    cf_lines(&q, rc.lines);
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_assert_eq(cf_run(c, &q, r), 1u, "%s", cf_dump(r));
    const char *text = r->findings[0].remediation;
    cr_assert(strstr(text, "add 'B' with color=red under line 'x'"), "remediation: %s", text);
    const q2o_config_suggestion *s = cf_suggestion(r, "B", "color");
    cr_assert(s && strcmp(s->value, "red") == 0, "%s", cf_dump(r));
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}
