/*
 * The per-line checks of the configurator, as tables of stories: given the
 * shop catalog below and a context, when these lines are configured, then
 * exactly these findings come back, in this order ("CODE line subject; ...",
 * "" = valid). Asserting the whole list at once shows both ways of every
 * check: the violating row and the valid row next to it.
 *
 * The shop catalog, a bundle nested three levels deep:
 *   ROOT      platform: 1..1 of SUB-A, SUB-B;  extras: 0..2 of X1, X2, X3
 *   SUB-A     modules:  1..2 of MID-1, MID-2, MID-3
 *   SUB-B     modules:  0..any of MID-1
 *   MID-n     leaves:   2..3 of LEAF-1 .. LEAF-4
 * and, sold alone: ATTRS (color enum red|green required; plan enum
 * basic|pro, default basic; seats 1..500 required, default 10; temp
 * -40..40), QTY (5..100), DATED (one day either side of CF_DATE), ELIG
 * (regions EU, US; segments SMB, MID; channel DIRECT), PLAIN. X1..X3, LEAF-n,
 * SUB-*, MID-* and ADDON are options only.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "domain_configurator_fixture.h"
#include "quote_fixture.h"

static q2o_catalog *shop(void)
{
    q2o_catalog *c = cf_catalog_new();
    q2o_cat_offering *root = cf_offer(c, "ROOT");
    cf_group(c, root, "platform", 1, 1, "SUB-A,SUB-B");
    cf_group(c, root, "extras", 0, 2, "X1,X2,X3");
    cf_group(c, cf_option_only(c, "SUB-A"), "modules", 1, 2, "MID-1,MID-2,MID-3");
    cf_group(c, cf_option_only(c, "SUB-B"), "modules", 0, 0, "MID-1");
    const char *mids[] = {"MID-1", "MID-2", "MID-3"};
    for (size_t i = 0; i < Q2O_ARRAY_LEN(mids); i++)
        cf_group(c, cf_option_only(c, mids[i]), "leaves", 2, 3, "LEAF-1,LEAF-2,LEAF-3,LEAF-4");
    const char *opts[] = {"LEAF-1", "LEAF-2", "LEAF-3", "LEAF-4", "X1", "X2", "X3", "ADDON"};
    for (size_t i = 0; i < Q2O_ARRAY_LEN(opts); i++)
        cf_option_only(c, opts[i]);
    q2o_cat_offering *a = cf_offer(c, "ATTRS");
    cf_enum_attr(c, a, "color", 1, "", "red,green");
    cf_enum_attr(c, a, "plan", 0, "basic", "basic,pro");
    cf_range_attr(c, a, "seats", 1, "10", 1, 500);
    cf_range_attr(c, a, "temp", 0, "", -40, 40);
    q2o_cat_offering *qty = cf_offer(c, "QTY");
    qty->min_quantity = 5;
    qty->max_quantity = 100;
    q2o_cat_offering *dated = cf_offer(c, "DATED");
    dated->active_from = CF_DATE - CF_DAY;
    dated->active_until = CF_DATE + CF_DAY;
    cf_eligibility(c, cf_offer(c, "ELIG"), "EU,US", "SMB,MID", "DIRECT");
    cf_offer(c, "PLAIN");
    cf_seal(c);
    return c;
}

typedef struct line_case {
    const char *story;
    const char *lines;
    const char *want;        /* "CODE line subject; ..." in order; "" = valid */
    const char *region, *segment, *channel; /* NULL = the default context */
    q2o_time_ms date;        /* 0 = CF_DATE */
} line_case;

/* "CODE line subject; ..." of every finding, in order. */
static void findings_text(const q2o_config_result *r, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < r->n_findings; i++) {
        const q2o_config_finding *f = &r->findings[i];
        int w = snprintf(buf + used, size - used, "%s%s %s %s", i ? "; " : "", q2o_err_name(f->code), f->line_id,
                         f->subject);
        cr_assert(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
}

static void check_case(const line_case *lc)
{
    q2o_catalog *c = shop();
    cf_quote q;
    cf_quote_init(&q);
    cf_lines(&q, lc->lines);
    q2o_config_context ctx = cf_context();
    if (lc->region)
        ctx.region = lc->region;
    if (lc->segment)
        ctx.segment = lc->segment;
    if (lc->channel)
        ctx.channel = lc->channel;
    if (lc->date)
        ctx.date = lc->date;
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    uint32_t n = q2o_configure(c, &ctx, q.lines, q.n, r);
    char got[4096];
    findings_text(r, got, sizeof got);
    cr_assert_str_eq(got, lc->want, "%s:%s", lc->story, cf_dump(r));
    cr_assert_eq(n, r->n_findings, "%s", lc->story);
    for (uint32_t i = 0; i < r->n_findings; i++)
        cr_assert_gt(strlen(r->findings[i].remediation), 30u, "%s: remediation '%s'", lc->story,
                     r->findings[i].remediation);
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

/* A valid ROOT tree to hang rows on. */
#define TREE "r:ROOT; s<r:SUB-A; m<s:MID-1; l1<m:LEAF-1; l2<m:LEAF-2"

/* ------------------------------------------------------------ offerings */

static const line_case offering_cases[] = {
    {"known and active", "p:PLAIN", "", NULL, NULL, NULL, 0},
    {"unknown offering", "p:NOPE", "OFFERING_UNKNOWN p NOPE", NULL, NULL, NULL, 0},
    {"unknown offering in a bundle, siblings still checked", TREE "; u<m:NOPE; x<r:PLAIN",
     "OFFERING_UNKNOWN u NOPE; CONFIG_NOT_AN_OPTION x PLAIN", NULL, NULL, NULL, 0},
    {"active inside its window", "d:DATED", "", NULL, NULL, NULL, 0},
    {"active from its first millisecond", "d:DATED", "", NULL, NULL, NULL, CF_DATE - CF_DAY},
    {"inactive before it starts", "d:DATED", "OFFERING_INACTIVE d DATED", NULL, NULL, NULL, CF_DATE - CF_DAY - 1},
    {"inactive from its end (exclusive)", "d:DATED", "OFFERING_INACTIVE d DATED", NULL, NULL, NULL,
     CF_DATE + CF_DAY},
    {"eligible", "e:ELIG", "", NULL, NULL, NULL, 0},
    {"eligible in the other listed region and segment", "e:ELIG", "", "US", "MID", NULL, 0},
    {"region not eligible", "e:ELIG", "OFFERING_NOT_ELIGIBLE e ELIG", "APAC", NULL, NULL, 0},
    {"segment not eligible", "e:ELIG", "OFFERING_NOT_ELIGIBLE e ELIG", NULL, "ENTERPRISE", NULL, 0},
    {"channel not eligible", "e:ELIG", "OFFERING_NOT_ELIGIBLE e ELIG", NULL, NULL, "PARTNER", 0},
    {"no segment known is not eligible where segments are listed", "e:ELIG", "OFFERING_NOT_ELIGIBLE e ELIG", NULL,
     "", NULL, 0},
    {"no lists: eligible anywhere", "p:PLAIN", "", "APAC", "ENTERPRISE", "PARTNER", 0},
    {"inactive and not eligible: both", "d:DATED; e:ELIG", "OFFERING_INACTIVE d DATED; OFFERING_NOT_ELIGIBLE e ELIG",
     NULL, NULL, "PARTNER", CF_DATE + 2 * CF_DAY},
};

ParameterizedTestParameters(config_lines, offering_known_active_eligible)
{
    return fx_row_indices(Q2O_ARRAY_LEN(offering_cases));
}
ParameterizedTest(size_t *i, config_lines, offering_known_active_eligible) { check_case(&offering_cases[*i]); }

/* ------------------------------------------------------------ placement and structure */

static const line_case placement_cases[] = {
    {"a bundle tree three levels deep", TREE, "", NULL, NULL, NULL, 0},
    {"an option alone at the top level", "x:X1", "CONFIG_NOT_AN_OPTION x X1", NULL, NULL, NULL, 0},
    {"a sub-bundle alone at the top level", "s:SUB-A; m<s:MID-1; a<m:LEAF-1; b<m:LEAF-2",
     "CONFIG_NOT_AN_OPTION s SUB-A", NULL, NULL, NULL, 0},
    {"an option under a bundle that does not offer it", TREE "; x<m:X1", "CONFIG_NOT_AN_OPTION x X1", NULL, NULL,
     NULL, 0},
    {"a sellable-alone offering is not an option either", TREE "; p<r:PLAIN", "CONFIG_NOT_AN_OPTION p PLAIN", NULL,
     NULL, NULL, 0},
    {"a child under a line that is not a bundle", "p:PLAIN; a<p:ADDON", "CONFIG_NOT_AN_OPTION a ADDON", NULL, NULL,
     NULL, 0},
    {"a child under a leaf option", TREE "; a<l1:LEAF-3", "CONFIG_NOT_AN_OPTION a LEAF-3", NULL, NULL, NULL, 0},
    {"an unknown parent", "p:PLAIN; a<ghost:ADDON", "FIELD_INVALID a ghost", NULL, NULL, NULL, 0},
    {"a parent later in the line order is fine", "l1<m:LEAF-1; l2<m:LEAF-2; m<s:MID-1; s<r:SUB-A; r:ROOT", "", NULL,
     NULL, NULL, 0},
    {"a line that is its own parent", "p<p:PLAIN", "FIELD_INVALID p p; CONFIG_NOT_AN_OPTION p PLAIN", NULL, NULL,
     NULL, 0},
    {"two lines parenting each other", "a<b:PLAIN; b<a:PLAIN",
     "FIELD_INVALID a b; CONFIG_NOT_AN_OPTION a PLAIN; FIELD_INVALID b a; CONFIG_NOT_AN_OPTION b PLAIN", NULL, NULL,
     NULL, 0},
    {"a loop of three under a valid tree; lines hanging off it are not in the loop",
     TREE "; a<c:MID-2; b<a:MID-2; c<b:MID-2; d<a:LEAF-1",
     "FIELD_INVALID a c; CONFIG_NOT_AN_OPTION a MID-2; CONFIG_GROUP_CARDINALITY a leaves; "
     "FIELD_INVALID b a; CONFIG_NOT_AN_OPTION b MID-2; CONFIG_GROUP_CARDINALITY b leaves; "
     "FIELD_INVALID c b; CONFIG_NOT_AN_OPTION c MID-2; CONFIG_GROUP_CARDINALITY c leaves",
     NULL, NULL, NULL, 0},
    {"a duplicate line id", "p:PLAIN; p:PLAIN", "FIELD_INVALID p p", NULL, NULL, NULL, 0},
    {"a removed line is only checked for structure", "p:NOPE remove; q:X1*0 remove; z<ghost:PLAIN remove",
     "FIELD_INVALID z ghost", NULL, NULL, NULL, 0},
};

ParameterizedTestParameters(config_lines, placement_in_the_forest)
{
    return fx_row_indices(Q2O_ARRAY_LEN(placement_cases));
}
ParameterizedTest(size_t *i, config_lines, placement_in_the_forest) { check_case(&placement_cases[*i]); }

/* ------------------------------------------------------------ group cardinality, three levels */

static const line_case group_cases[] = {
    {"every level within its bounds", TREE, "", NULL, NULL, NULL, 0},
    {"root: no platform chosen", "r:ROOT", "CONFIG_GROUP_CARDINALITY r platform", NULL, NULL, NULL, 0},
    {"root: two platforms where one is allowed", TREE "; t<r:SUB-B", "CONFIG_GROUP_CARDINALITY r platform", NULL,
     NULL, NULL, 0},
    {"root: two extras, the maximum", TREE "; x1<r:X1; x2<r:X2", "", NULL, NULL, NULL, 0},
    {"root: three extras, one too many", TREE "; x1<r:X1; x2<r:X2; x3<r:X3", "CONFIG_GROUP_CARDINALITY r extras",
     NULL, NULL, NULL, 0},
    {"root: the same extra twice counts once", TREE "; x1<r:X1; x2<r:X2; x3<r:X1", "", NULL, NULL, NULL, 0},
    {"root: a removed extra does not count", TREE "; x1<r:X1; x2<r:X2; x3<r:X3 remove", "", NULL, NULL, NULL, 0},
    {"sub: no module chosen", "r:ROOT; s<r:SUB-A", "CONFIG_GROUP_CARDINALITY s modules", NULL, NULL, NULL, 0},
    {"sub: three modules where two are allowed",
     TREE "; m2<s:MID-2; a2<m2:LEAF-1; b2<m2:LEAF-2; m3<s:MID-3; a3<m3:LEAF-1; b3<m3:LEAF-2",
     "CONFIG_GROUP_CARDINALITY s modules", NULL, NULL, NULL, 0},
    {"sub: a group with no limits takes none", "r:ROOT; s<r:SUB-B", "", NULL, NULL, NULL, 0},
    {"sub-sub: one leaf where two are needed", "r:ROOT; s<r:SUB-A; m<s:MID-1; l1<m:LEAF-1",
     "CONFIG_GROUP_CARDINALITY m leaves", NULL, NULL, NULL, 0},
    {"sub-sub: the same leaf twice is one option", "r:ROOT; s<r:SUB-A; m<s:MID-1; l1<m:LEAF-1; l2<m:LEAF-1",
     "CONFIG_GROUP_CARDINALITY m leaves", NULL, NULL, NULL, 0},
    {"sub-sub: four leaves where three are allowed", TREE "; l3<m:LEAF-3; l4<m:LEAF-4",
     "CONFIG_GROUP_CARDINALITY m leaves", NULL, NULL, NULL, 0},
    {"sub-sub: a removed leaf does not count", TREE "; l3<m:LEAF-3; l4<m:LEAF-4 remove", "", NULL, NULL, NULL, 0},
    {"sub-sub: leaves of another module do not count",
     "r:ROOT; s<r:SUB-A; m<s:MID-1; l1<m:LEAF-1; m2<s:MID-2; a<m2:LEAF-2; b<m2:LEAF-3",
     "CONFIG_GROUP_CARDINALITY m leaves", NULL, NULL, NULL, 0},
    {"every level wrong at once, in line order",
     "r:ROOT; s<r:SUB-A; t<r:SUB-B; x1<r:X1; x2<r:X2; x3<r:X3; m<s:MID-1; m2<s:MID-2; m3<s:MID-3; l<m3:LEAF-1",
     "CONFIG_GROUP_CARDINALITY r platform; CONFIG_GROUP_CARDINALITY r extras; CONFIG_GROUP_CARDINALITY s modules; "
     "CONFIG_GROUP_CARDINALITY m leaves; CONFIG_GROUP_CARDINALITY m2 leaves; CONFIG_GROUP_CARDINALITY m3 leaves",
     NULL, NULL, NULL, 0},
};

ParameterizedTestParameters(config_lines, group_cardinality_at_every_level)
{
    return fx_row_indices(Q2O_ARRAY_LEN(group_cases));
}
ParameterizedTest(size_t *i, config_lines, group_cardinality_at_every_level) { check_case(&group_cases[*i]); }

/* ------------------------------------------------------------ attributes */

#define OKA "color=red seats=10" /* the required attributes, valid */

static const line_case attribute_cases[] = {
    {"required set, optional left out", "a:ATTRS " OKA, "", NULL, NULL, NULL, 0},
    {"every attribute at a valid value", "a:ATTRS " OKA " plan=pro temp=-40", "", NULL, NULL, NULL, 0},
    {"required enum missing", "a:ATTRS seats=10", "CONFIG_INCOMPLETE a color", NULL, NULL, NULL, 0},
    {"both required missing, in catalog order", "a:ATTRS", "CONFIG_INCOMPLETE a color; CONFIG_INCOMPLETE a seats",
     NULL, NULL, NULL, 0},
    {"enum value not allowed", "a:ATTRS color=blue seats=10", "CONFIG_ATTRIBUTE_INVALID a color", NULL, NULL, NULL,
     0},
    {"enum values are case-sensitive", "a:ATTRS color=Red seats=10", "CONFIG_ATTRIBUTE_INVALID a color", NULL, NULL,
     NULL, 0},
    {"range at its bounds", "a:ATTRS color=red seats=1 temp=40; b:ATTRS color=red seats=500 temp=-40", "", NULL,
     NULL, NULL, 0},
    {"range below", "a:ATTRS color=red seats=0", "CONFIG_ATTRIBUTE_INVALID a seats", NULL, NULL, NULL, 0},
    {"range above", "a:ATTRS color=red seats=501", "CONFIG_ATTRIBUTE_INVALID a seats", NULL, NULL, NULL, 0},
    {"range not a whole number", "a:ATTRS color=red seats=1.5; b:ATTRS color=red seats=12a; c:ATTRS color=red seats=",
     "CONFIG_ATTRIBUTE_INVALID a seats; CONFIG_ATTRIBUTE_INVALID b seats; CONFIG_ATTRIBUTE_INVALID c seats", NULL,
     NULL, NULL, 0},
    {"range beyond int64 is not a number", "a:ATTRS color=red seats=99999999999999999999",
     "CONFIG_ATTRIBUTE_INVALID a seats", NULL, NULL, NULL, 0},
    {"an option that is no attribute of the offering", "a:ATTRS " OKA " flavour=mint",
     "CONFIG_ATTRIBUTE_INVALID a flavour", NULL, NULL, NULL, 0},
    {"an option on an offering without attributes", "p:PLAIN color=red", "CONFIG_ATTRIBUTE_INVALID p color", NULL,
     NULL, NULL, 0},
    {"an attribute set twice", "a:ATTRS " OKA " color=green", "CONFIG_ATTRIBUTE_INVALID a color", NULL, NULL, NULL,
     0},
    {"options before missing attributes, both reported", "a:ATTRS plan=gold temp=x",
     "CONFIG_ATTRIBUTE_INVALID a plan; CONFIG_ATTRIBUTE_INVALID a temp; CONFIG_INCOMPLETE a color; "
     "CONFIG_INCOMPLETE a seats",
     NULL, NULL, NULL, 0},
};

ParameterizedTestParameters(config_lines, attributes_required_enum_range)
{
    return fx_row_indices(Q2O_ARRAY_LEN(attribute_cases));
}
ParameterizedTest(size_t *i, config_lines, attributes_required_enum_range) { check_case(&attribute_cases[*i]); }

/* ------------------------------------------------------------ quantity */

static const line_case quantity_cases[] = {
    {"at the minimum", "q:QTY*5", "", NULL, NULL, NULL, 0},
    {"at the maximum", "q:QTY*100", "", NULL, NULL, NULL, 0},
    {"below the minimum", "q:QTY*4", "QUANTITY_INVALID q QTY", NULL, NULL, NULL, 0},
    {"above the maximum", "q:QTY*101", "QUANTITY_INVALID q QTY", NULL, NULL, NULL, 0},
    {"zero where the minimum is 1", "p:PLAIN*0", "QUANTITY_INVALID p PLAIN", NULL, NULL, NULL, 0},
    {"negative", "p:PLAIN*-3", "QUANTITY_INVALID p PLAIN", NULL, NULL, NULL, 0},
    {"no maximum: up to the global limit", "p:PLAIN*1000000000", "", NULL, NULL, NULL, 0},
    {"no maximum: beyond the global limit", "p:PLAIN*1000000001", "QUANTITY_INVALID p PLAIN", NULL, NULL, NULL, 0},
};

ParameterizedTestParameters(config_lines, quantity_within_bounds)
{
    return fx_row_indices(Q2O_ARRAY_LEN(quantity_cases));
}
ParameterizedTest(size_t *i, config_lines, quantity_within_bounds) { check_case(&quantity_cases[*i]); }

/* ------------------------------------------------------------ plain stories */

/* Missing attributes with a default are suggested; set ones are not. */
Test(config_lines, attribute_defaults_are_suggested_for_missing_values)
{
    q2o_catalog *c = shop();
    cf_quote q;
    cf_quote_init(&q);
    cf_lines(&q, "a:ATTRS color=red; b:ATTRS color=red seats=20 plan=pro");
    q2o_config_result *r = calloc(1, sizeof *r);
    cr_assert(r);
    cr_assert_eq(cf_run(c, &q, r), 1u, "%s", cf_dump(r)); /* a: seats missing */
    const q2o_config_finding *f = cf_find(r, Q2O_CONFIG_INCOMPLETE, "a", "seats");
    cr_assert(f && strstr(f->remediation, "default is '10'"), "%s", cf_dump(r));
    cr_assert_eq(r->n_suggestions, 2u, "%s", cf_dump(r));
    const q2o_config_suggestion *s = &r->suggestions[0];
    cr_assert_str_eq(s->line_id, "a");
    cr_assert_str_eq(s->offering_id, "");
    cr_assert_str_eq(s->attribute, "plan");
    cr_assert_str_eq(s->value, "basic");
    s = &r->suggestions[1];
    cr_assert_str_eq(s->attribute, "seats");
    cr_assert_str_eq(s->value, "10");
    free(r);
    cf_quote_release(&q);
    q2o_catalog_free(c);
}

/* The context comes from the catalog's customer, else the quote's market. */
Test(config_lines, context_from_customer_else_market)
{
    q2o_catalog *c = cf_catalog_new();
    c->customers = q2o_catalog_alloc(c, 2, sizeof *c->customers);
    c->n_customers = 2;
    q2o_strlcpy(c->customers[0].account_id, "ACME", sizeof c->customers[0].account_id);
    q2o_strlcpy(c->customers[0].segment, "MID", sizeof c->customers[0].segment);
    q2o_strlcpy(c->customers[0].region, "US", sizeof c->customers[0].region);
    q2o_strlcpy(c->customers[1].account_id, "NOREGION", sizeof c->customers[1].account_id);
    q2o_strlcpy(c->customers[1].segment, "SMB", sizeof c->customers[1].segment);
    cf_seal(c);
    q2o_quote_header h;
    memset(&h, 0, sizeof h);
    q2o_strlcpy(h.market, "EU", sizeof h.market);
    q2o_strlcpy(h.channel, "PARTNER", sizeof h.channel);
    q2o_config_context x;

    q2o_strlcpy(h.account_id, "ACME", sizeof h.account_id);
    q2o_config_context_for(c, &h, CF_DATE, &x);
    cr_assert_str_eq(x.region, "US");
    cr_assert_str_eq(x.segment, "MID");
    cr_assert_str_eq(x.channel, "PARTNER");
    cr_assert_eq(x.date, CF_DATE);

    q2o_strlcpy(h.account_id, "NOREGION", sizeof h.account_id);
    q2o_config_context_for(c, &h, CF_DATE, &x);
    cr_assert_str_eq(x.region, "EU");
    cr_assert_str_eq(x.segment, "SMB");

    q2o_strlcpy(h.account_id, "STRANGER", sizeof h.account_id);
    q2o_config_context_for(c, &h, CF_DATE, &x);
    cr_assert_str_eq(x.region, "EU");
    cr_assert_str_eq(x.segment, "");
    q2o_catalog_free(c);
}
