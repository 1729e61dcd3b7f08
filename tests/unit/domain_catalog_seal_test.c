/*
 * Sealing a catalog that fails its identity checks: the catalog stays
 * unsealed (a second seal fails the same way, lookups abort) until its
 * arrays are fixed, after which it seals and answers normally.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "core/strutil.h"
#include "domain_configurator_fixture.h"

static q2o_catalog *duplicated(void)
{
    q2o_catalog *c = cf_catalog_new();
    cf_offer(c, "A");
    cf_offer(c, "A");
    cf_rule(c, "R", Q2O_RULE_REQUIRES, Q2O_SCOPE_QUOTE, "A", "B", 1, 1);
    return c;
}

Test(catalog_seal, a_failed_seal_is_not_sealed_by_sealing_again)
{
    q2o_catalog *c = duplicated();
    char detail[128] = "";
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID);
    cr_assert(strstr(detail, "duplicate offering id 'A'"), "%s", detail);
    detail[0] = '\0';
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID, "second seal: %s", detail);

    q2o_strlcpy(c->offerings[1].id, "B", sizeof c->offerings[1].id); /* fixed */
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_catalog_offering(c, "B"), &c->offerings[1]);
    uint32_t n = 0;
    q2o_catalog_rules_when(c, "A", &n);
    cr_assert_eq(n, 1u, "the rules index is built");
    q2o_catalog_free(c);
}

Test(catalog_seal, lookups_on_a_failed_seal_abort, .signal = SIGABRT)
{
    q2o_catalog *c = duplicated();
    char detail[128];
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID);
    uint32_t n;
    q2o_catalog_rules_when(c, "A", &n); /* would answer "no rules" from an index never built */
}
