/*
 * Configuration is checked on add/change and again at pricing (SPEC §4,
 * domain/quote.h, domain/catalog_pricing.h "When it runs").
 *
 * AddQuoteLine and ChangeQuoteLine refuse, with no event, what the line gets
 * wrong by itself (line-local findings); what depends on the rest of the
 * quote, or on configuring the line later, is accepted there and refused at
 * PriceQuote. PriceQuote still checks everything: the catalog may change
 * between adding a line and pricing it.
 *
 * Given a draft quote (L1: ten SAAS-ENT-USER seats) and a catalog edited for
 * the story, when a line is added or changed, then the command is refused
 * with the finding's code and names its subject, or accepted.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "domain/catalog_pricing.h"
#include "quote_fixture.h"

#define JUNE_30 1782777600000LL /* LEGACY-ADDON still sold; it retires on 1 July */

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(configure_on_add, .init = setup, .fini = teardown);
TestSuite(configure_at_price, .init = setup, .fini = teardown);
TestSuite(configure_line, .init = setup, .fini = teardown);

/* ------------------------------------------------------- catalog edits */

static q2o_cat_offering *offering_of(q2o_catalog *c, const char *id)
{
    for (uint32_t i = 0; i < c->n_offerings; i++)
        if (strcmp(c->offerings[i].id, id) == 0)
            return &c->offerings[i];
    cr_assert_fail("no offering %s", id);
    return NULL;
}

static void legacy_still_sold(q2o_catalog *c) { offering_of(c, "LEGACY-ADDON")->active_until = 0; }
static void support_only_in_bundles(q2o_catalog *c) { offering_of(c, "SUPPORT-PREMIUM")->sellable_alone = 0; }

static void users_five_to_five_hundred(q2o_catalog *c)
{
    offering_of(c, "SAAS-ENT-USER")->min_quantity = 5;
    offering_of(c, "SAAS-ENT-USER")->max_quantity = 500;
}

static void only_in_europe(q2o_catalog *c, const char *id)
{
    q2o_cat_offering *o = offering_of(c, id);
    o->eligibility.n_regions = 1;
    o->eligibility.regions = q2o_catalog_alloc(c, 1, sizeof *o->eligibility.regions);
    Q2O_STRCPY(o->eligibility.regions[0], "EU"); /* the quote's market is US */
}
static void users_only_in_europe(q2o_catalog *c) { only_in_europe(c, "SAAS-ENT-USER"); }
static void service_only_in_europe(q2o_catalog *c) { only_in_europe(c, "IMPL-SERVICE"); }

/* IMPL-SERVICE taken out of the catalog and its price book. */
static void service_delisted(q2o_catalog *c)
{
    q2o_cat_pricebook *pb = &c->pricebooks[0];
    uint32_t k = 0;
    for (uint32_t i = 0; i < c->n_offerings; i++)
        if (strcmp(c->offerings[i].id, "IMPL-SERVICE") != 0)
            c->offerings[k++] = c->offerings[i];
    c->n_offerings = k;
    k = 0;
    for (uint32_t i = 0; i < pb->n_prices; i++)
        if (strcmp(pb->prices[i].offering_id, "IMPL-SERVICE") != 0)
            pb->prices[k++] = pb->prices[i];
    pb->n_prices = k;
}

/* SAAS-ENT-USER as a bundle offering support and the service, at most
 * `max` of them (0 = no limit). */
static void users_bundle(q2o_catalog *c, uint32_t max)
{
    q2o_cat_offering *o = offering_of(c, "SAAS-ENT-USER");
    o->n_groups = 1;
    o->groups = q2o_catalog_alloc(c, 1, sizeof *o->groups);
    Q2O_STRCPY(o->groups[0].id, "ADDONS");
    o->groups[0].max_select = max;
    o->groups[0].n_options = 2;
    o->groups[0].options = q2o_catalog_alloc(c, 2, sizeof *o->groups[0].options);
    Q2O_STRCPY(o->groups[0].options[0], "SUPPORT-PREMIUM");
    Q2O_STRCPY(o->groups[0].options[1], "IMPL-SERVICE");
}
static void users_a_bundle(q2o_catalog *c) { users_bundle(c, 0); }
static void users_take_one_addon(q2o_catalog *c) { users_bundle(c, 1); }

static void one_rule(q2o_catalog *c, q2o_rule_kind kind, const char *when, const char *then)
{
    c->n_rules = 1;
    c->rules = q2o_catalog_alloc(c, 1, sizeof *c->rules);
    Q2O_STRCPY(c->rules[0].id, "R1");
    c->rules[0].kind = kind;
    c->rules[0].scope = Q2O_SCOPE_QUOTE;
    Q2O_STRCPY(c->rules[0].when.offering_id, when);
    Q2O_STRCPY(c->rules[0].then.offering_id, then);
    c->rules[0].ratio_num = c->rules[0].ratio_den = 1;
}
static void service_requires_support(q2o_catalog *c) { one_rule(c, Q2O_RULE_REQUIRES, "IMPL-SERVICE", "SUPPORT-PREMIUM"); }
static void users_exclude_service(q2o_catalog *c) { one_rule(c, Q2O_RULE_EXCLUDES, "SAAS-ENT-USER", "IMPL-SERVICE"); }
static void support_seats_equal_users(q2o_catalog *c) { one_rule(c, Q2O_RULE_QUANTITY, "SAAS-ENT-USER", "SUPPORT-PREMIUM"); }

/* ------------------------------------------------------------ commands */

static void draft_with(fx_catalog_edit edit)
{
    if (edit)
        fx_use_catalog(&f, fx_saas_catalog_with(edit));
    fx_to_status(&f, Q2O_ST_DRAFT);
}

/* AddQuoteLine: `qty` of `offering` under `parent` ("" = top level), with
 * support_level = `level` when not NULL. */
static q2o_command add_cmd(const char *id, const char *offering, int64_t qty, const char *parent, const char *level)
{
    q2o_command c = fx_command_for(&f, Q2O_CMD_ADD_LINE, NULL);
    Q2O_STRCPY(c.u.line.line_id, id);
    Q2O_STRCPY(c.u.line.offering_id, offering);
    Q2O_STRCPY(c.u.line.parent_line_id, parent);
    c.u.line.quantity = qty;
    if (level) {
        c.u.line.n_options = 1;
        Q2O_STRCPY(c.u.line.options[0].name, "support_level");
        Q2O_STRCPY(c.u.line.options[0].value, level);
    }
    return c;
}

/* ChangeQuoteLine of line `id` as it stands, after `edit`. */
static q2o_command change_cmd(const char *id, void (*edit)(q2o_line *l))
{
    const q2o_line *now = q2o_quote_line(f.q, id);
    cr_assert_not_null(now, "no line %s", id);
    q2o_command c = fx_command_for(&f, Q2O_CMD_CHANGE_LINE, NULL);
    c.u.line = *now;
    edit(&c.u.line);
    return c;
}

static void one_more(q2o_line *l) { l->quantity++; }
static void three(q2o_line *l) { l->quantity = 3; }
static void gold(q2o_line *l) { Q2O_STRCPY(l->options[0].value, "GOLD"); }
static void under_l1(q2o_line *l) { Q2O_STRCPY(l->parent_line_id, "L1"); }
static void under_l2(q2o_line *l) { Q2O_STRCPY(l->parent_line_id, "L2"); }

static void set_level_24x7(q2o_line *l)
{
    l->n_options = 1;
    Q2O_STRCPY(l->options[0].name, "support_level");
    Q2O_STRCPY(l->options[0].value, "24x7");
}

static void accepted(q2o_command c)
{
    q2o_err err = fx_send(&f, &c);
    cr_assert_eq(err, Q2O_OK, "%s refused: %s (%s)", q2o_command_type_name(c.type), q2o_err_name(err),
                 f.last.detail);
    cr_assert_eq(f.last.n_events, 1);
}

/* Refused with `code`, nothing recorded, the state untouched; the detail
 * names the line, the code and the subject. */
static void refused(q2o_command c, q2o_err code, const char *subject)
{
    uint64_t version = f.q->version;
    uint32_t n_lines = f.q->n_lines;
    q2o_err err = fx_send(&f, &c);
    cr_assert_eq(err, code, "%s: got %s, want %s (%s)", q2o_command_type_name(c.type), q2o_err_name(err),
                 q2o_err_name(code), f.last.detail);
    cr_assert_eq(f.last.n_events, 0, "a refusal at %s emitted events", q2o_command_type_name(c.type));
    cr_assert_eq(f.q->version, version);
    cr_assert_eq(f.q->n_lines, n_lines);
    char line[Q2O_ID_MAX + 8];
    snprintf(line, sizeof line, "line %s", c.u.line.line_id);
    cr_assert(strstr(f.last.detail, line), "detail '%s' does not name %s", f.last.detail, line);
    cr_assert(strstr(f.last.detail, q2o_err_name(code)), "detail '%s' does not name the code", f.last.detail);
    cr_assert(strstr(f.last.detail, subject), "detail '%s' does not name '%s'", f.last.detail, subject);
}

static int recorded(q2o_err code)
{
    if (f.last.n_events != 1 || f.last.events[0].type != Q2O_EV_VALIDATION_FAILED)
        return 0;
    for (uint32_t i = 0; i < f.last.events[0].u.failed.n_violations; i++)
        if (f.last.events[0].u.failed.violations[i].code == (int)code)
            return 1;
    return 0;
}

/* PriceQuote refused with `code`, the finding recorded as data. */
static void price_refused(q2o_err code)
{
    q2o_err err = fx_price(&f);
    cr_assert_eq(err, code, "PriceQuote: got %s, want %s (%s)", q2o_err_name(err), q2o_err_name(code),
                 f.last.detail);
    cr_assert(recorded(code), "%s not recorded in QuoteValidationFailed", q2o_err_name(code));
}

static void priced(void)
{
    cr_assert_eq(fx_price(&f), Q2O_OK, "PriceQuote refused: %s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_PRICED);
}

/* ------------------------------------------- line-local: refused at add */

Test(configure_on_add, an_offering_not_in_the_catalog_is_refused_when_added)
{
    draft_with(NULL);
    refused(add_cmd("L2", "NO-SUCH-OFFERING", 1, "", NULL), Q2O_OFFERING_UNKNOWN, "NO-SUCH-OFFERING");
    accepted(add_cmd("L2", "IMPL-SERVICE", 1, "", NULL));
}

Test(configure_on_add, an_offering_not_sold_on_the_commands_date_is_refused_when_added)
{
    draft_with(NULL); /* 2 July: LEGACY-ADDON retired on 1 July */
    refused(add_cmd("L2", "LEGACY-ADDON", 1, "", NULL), Q2O_OFFERING_INACTIVE, "LEGACY-ADDON");
    cr_assert(strstr(f.last.detail, "remove line 'L2' or replace it"), "no remediation in '%s'", f.last.detail);
}

Test(configure_on_add, an_offering_not_sold_in_the_quotes_region_is_refused_when_added)
{
    draft_with(service_only_in_europe);
    refused(add_cmd("L2", "IMPL-SERVICE", 1, "", NULL), Q2O_OFFERING_NOT_ELIGIBLE, "IMPL-SERVICE");
}

Test(configure_on_add, a_value_the_attribute_does_not_allow_is_refused_when_added)
{
    draft_with(NULL);
    refused(add_cmd("L2", "SUPPORT-PREMIUM", 10, "", "GOLD"), Q2O_CONFIG_ATTRIBUTE_INVALID, "support_level");
    accepted(add_cmd("L2", "SUPPORT-PREMIUM", 10, "", "24x7"));
}

Test(configure_on_add, a_quantity_outside_the_offerings_bounds_is_refused_when_added)
{
    draft_with(users_five_to_five_hundred);
    refused(add_cmd("L2", "SAAS-ENT-USER", 4, "", NULL), Q2O_QUANTITY_INVALID, "SAAS-ENT-USER");
    refused(add_cmd("L2", "SAAS-ENT-USER", 501, "", NULL), Q2O_QUANTITY_INVALID, "SAAS-ENT-USER");
    accepted(add_cmd("L2", "SAAS-ENT-USER", 500, "", NULL));
}

Test(configure_on_add, a_child_that_is_no_option_of_its_parent_is_refused_when_added)
{
    draft_with(NULL); /* L1 is no bundle */
    refused(add_cmd("L2", "SUPPORT-PREMIUM", 10, "L1", "24x7"), Q2O_CONFIG_NOT_AN_OPTION, "SUPPORT-PREMIUM");
    fx_use_catalog(&f, fx_saas_catalog_with(users_a_bundle));
    accepted(add_cmd("L2", "SUPPORT-PREMIUM", 10, "L1", "24x7"));
}

Test(configure_on_add, an_option_sold_only_in_bundles_is_refused_as_a_top_level_line)
{
    draft_with(support_only_in_bundles);
    refused(add_cmd("L2", "SUPPORT-PREMIUM", 10, "", "24x7"), Q2O_CONFIG_NOT_AN_OPTION, "SUPPORT-PREMIUM");
}

/* ---------------------------------------- line-local: refused at change */

Test(configure_on_add, a_change_of_a_line_whose_offering_left_the_catalog_is_refused)
{
    draft_with(NULL);
    accepted(add_cmd("L2", "IMPL-SERVICE", 1, "", NULL));
    fx_use_catalog(&f, fx_saas_catalog_with(service_delisted));
    refused(change_cmd("L2", one_more), Q2O_OFFERING_UNKNOWN, "IMPL-SERVICE");
}

Test(configure_on_add, a_change_after_the_offering_retired_is_refused_on_the_commands_date)
{
    f.now = JUNE_30;
    draft_with(NULL);
    accepted(add_cmd("L2", "LEGACY-ADDON", 1, "", NULL)); /* still sold on 30 June */
    accepted(change_cmd("L2", one_more));
    f.now = FX_T0;
    refused(change_cmd("L2", one_more), Q2O_OFFERING_INACTIVE, "LEGACY-ADDON");
}

Test(configure_on_add, a_change_after_the_region_was_dropped_is_refused)
{
    draft_with(NULL);
    fx_use_catalog(&f, fx_saas_catalog_with(users_only_in_europe));
    refused(change_cmd("L1", one_more), Q2O_OFFERING_NOT_ELIGIBLE, "SAAS-ENT-USER");
}

Test(configure_on_add, a_value_the_attribute_does_not_allow_is_refused_when_changed)
{
    draft_with(NULL);
    accepted(add_cmd("L2", "SUPPORT-PREMIUM", 10, "", "24x7"));
    refused(change_cmd("L2", gold), Q2O_CONFIG_ATTRIBUTE_INVALID, "support_level");
    cr_assert_str_eq(q2o_quote_line(f.q, "L2")->options[0].value, "24x7");
}

Test(configure_on_add, a_quantity_outside_the_offerings_bounds_is_refused_when_changed)
{
    draft_with(users_five_to_five_hundred);
    refused(change_cmd("L1", three), Q2O_QUANTITY_INVALID, "SAAS-ENT-USER");
    cr_assert(strstr(f.last.detail, "raise it to at least 5"), "no remediation in '%s'", f.last.detail);
    accepted(change_cmd("L1", one_more));
}

Test(configure_on_add, moving_a_line_under_a_parent_that_does_not_offer_it_is_refused)
{
    draft_with(NULL);
    accepted(add_cmd("L2", "IMPL-SERVICE", 1, "", NULL));
    refused(change_cmd("L2", under_l1), Q2O_CONFIG_NOT_AN_OPTION, "IMPL-SERVICE");
    fx_use_catalog(&f, fx_saas_catalog_with(users_a_bundle));
    accepted(change_cmd("L2", under_l1));
}

/* An unknown parent never reaches the configurator (QUOTE_LINE_NOT_FOUND,
 * domain_guards_test.c); a loop of parent links is a structure finding. */
Test(configure_on_add, parent_links_that_loop_are_refused_when_changed)
{
    draft_with(users_a_bundle);
    accepted(add_cmd("L2", "IMPL-SERVICE", 1, "L1", NULL));
    refused(change_cmd("L1", under_l2), Q2O_FIELD_INVALID, "L2");
    cr_assert_str_eq(q2o_quote_line(f.q, "L1")->parent_line_id, "");
}

/* ------------------------ cross-line: accepted at add, refused at price */

Test(configure_at_price, a_missing_required_offering_is_accepted_at_add_then_refused_at_price)
{
    draft_with(service_requires_support);
    accepted(add_cmd("L2", "IMPL-SERVICE", 1, "", NULL));
    price_refused(Q2O_CONFIG_REQUIRES_MISSING);
    accepted(add_cmd("L3", "SUPPORT-PREMIUM", 10, "", "24x7")); /* built one line at a time */
    priced();
}

Test(configure_at_price, excluded_offerings_are_accepted_at_add_then_refused_at_price)
{
    draft_with(users_exclude_service);
    accepted(add_cmd("L2", "IMPL-SERVICE", 1, "", NULL));
    price_refused(Q2O_CONFIG_EXCLUDED);
}

Test(configure_at_price, a_quantity_relation_is_accepted_at_add_then_refused_at_price)
{
    draft_with(support_seats_equal_users);
    accepted(add_cmd("L2", "SUPPORT-PREMIUM", 1, "", "24x7"));
    price_refused(Q2O_CONFIG_QUANTITY_MISMATCH);
    accepted(change_cmd("L2", one_more));
    price_refused(Q2O_CONFIG_QUANTITY_MISMATCH);
}

Test(configure_at_price, a_group_over_its_maximum_is_accepted_at_add_then_refused_at_price)
{
    draft_with(users_take_one_addon);
    accepted(add_cmd("L2", "SUPPORT-PREMIUM", 10, "L1", "24x7"));
    accepted(add_cmd("L3", "IMPL-SERVICE", 1, "L1", NULL));
    price_refused(Q2O_CONFIG_GROUP_CARDINALITY);
}

Test(configure_at_price, a_line_added_unconfigured_is_configured_by_a_change_then_priced)
{
    draft_with(NULL);
    accepted(add_cmd("L2", "SUPPORT-PREMIUM", 10, "", NULL));
    price_refused(Q2O_CONFIG_INCOMPLETE);
    accepted(change_cmd("L2", set_level_24x7));
    priced();
}

/* A catalog can change between add and price: pricing checks again. */
Test(configure_at_price, an_offering_retired_after_its_line_was_added_is_refused_at_price)
{
    draft_with(legacy_still_sold);
    accepted(add_cmd("L2", "LEGACY-ADDON", 1, "", NULL));
    fx_use_catalog(&f, fx_saas_catalog()); /* retires LEGACY-ADDON on 1 July */
    price_refused(Q2O_OFFERING_INACTIVE);
}

Test(configure_on_add, another_lines_finding_does_not_refuse_the_command)
{
    draft_with(legacy_still_sold);
    accepted(add_cmd("L2", "LEGACY-ADDON", 1, "", NULL));
    fx_use_catalog(&f, fx_saas_catalog());
    accepted(add_cmd("L3", "IMPL-SERVICE", 1, "", NULL));
    accepted(change_cmd("L1", one_more));
    price_refused(Q2O_OFFERING_INACTIVE);
}

/* More findings on other lines than a configuration result holds: the
 * added line's own finding is still seen. */
Test(configure_on_add, a_quote_full_of_findings_does_not_hide_the_added_lines)
{
    draft_with(NULL);
    for (int i = 0; i < Q2O_MAX_CONFIG_FINDINGS + 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "S%d", i);
        accepted(add_cmd(id, "SUPPORT-PREMIUM", 1, "", NULL)); /* CONFIG_INCOMPLETE each */
    }
    refused(add_cmd("L2", "NO-SUCH-OFFERING", 1, "", NULL), Q2O_OFFERING_UNKNOWN, "NO-SUCH-OFFERING");
}

/* ------------------------------------------------------------ no catalog */

Test(configure_on_add, without_a_catalog_in_the_environment_nothing_is_checked_at_add)
{
    draft_with(NULL);
    f.env.catalog = NULL; /* the pricer keeps its catalog */
    accepted(add_cmd("L2", "LEGACY-ADDON", 1, "", NULL));
    accepted(add_cmd("L3", "SUPPORT-PREMIUM", 10, "", "24x7"));
    accepted(change_cmd("L3", gold));
    accepted(add_cmd("L4", "NO-SUCH-OFFERING", 1, "", NULL));
    price_refused(Q2O_OFFERING_INACTIVE);
    cr_assert(recorded(Q2O_CONFIG_ATTRIBUTE_INVALID) && recorded(Q2O_OFFERING_UNKNOWN));
}

/* ------------------------------------------------- q2o_configure_line */

Test(configure_line, reports_the_findings_of_one_line_only)
{
    q2o_line lines[3];
    memset(lines, 0, sizeof lines);
    const char *offerings[] = {"NO-SUCH-OFFERING", "SUPPORT-PREMIUM", "LEGACY-ADDON"};
    for (int i = 0; i < 3; i++) {
        snprintf(lines[i].line_id, sizeof lines[i].line_id, "L%d", i + 1);
        Q2O_STRCPY(lines[i].offering_id, offerings[i]);
        lines[i].quantity = 1;
        lines[i].override_unit_price = -1;
    }
    lines[1].n_options = 1;
    Q2O_STRCPY(lines[1].options[0].name, "support_level");
    Q2O_STRCPY(lines[1].options[0].value, "GOLD");
    q2o_config_context cc = {"US", "", "DIRECT", FX_T0};
    q2o_config_result *r = malloc(sizeof *r);
    cr_assert_not_null(r);
    cr_assert_eq(q2o_configure(f.catalog, &cc, lines, 3, r), 3);
    cr_assert_eq(q2o_configure_line(f.catalog, &cc, lines, 3, 1, r), 1);
    cr_assert_eq(r->n_findings, 1);
    cr_assert_eq(r->findings[0].code, Q2O_CONFIG_ATTRIBUTE_INVALID);
    cr_assert_str_eq(r->findings[0].line_id, "L2");
    cr_assert_eq(q2o_configure_line(f.catalog, &cc, lines, 3, 2, r), 1);
    cr_assert_eq(r->findings[0].code, Q2O_OFFERING_INACTIVE);
    free(r);
}

Test(configure_line, sorts_line_local_codes_from_cross_line_ones)
{
    static const q2o_err local[] = {Q2O_FIELD_INVALID, Q2O_OFFERING_UNKNOWN, Q2O_OFFERING_INACTIVE,
                                    Q2O_OFFERING_NOT_ELIGIBLE, Q2O_CONFIG_NOT_AN_OPTION, Q2O_QUANTITY_INVALID,
                                    Q2O_CONFIG_ATTRIBUTE_INVALID};
    static const q2o_err cross[] = {Q2O_CONFIG_INCOMPLETE, Q2O_CONFIG_REQUIRES_MISSING, Q2O_CONFIG_EXCLUDED,
                                    Q2O_CONFIG_QUANTITY_MISMATCH, Q2O_CONFIG_GROUP_CARDINALITY,
                                    Q2O_CATALOG_INVALID};
    for (size_t i = 0; i < Q2O_ARRAY_LEN(local); i++)
        cr_assert(q2o_config_code_is_line_local(local[i]), "%s", q2o_err_name(local[i]));
    for (size_t i = 0; i < Q2O_ARRAY_LEN(cross); i++)
        cr_assert(!q2o_config_code_is_line_local(cross[i]), "%s", q2o_err_name(cross[i]));
}
