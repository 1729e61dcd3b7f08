/*
 * Catalog behaviour the pricing engine relies on, pinned after two bugs:
 * a failed seal must not leave a catalog that a second seal calls valid,
 * and q2o_catalog_auto_promotions must count (and return in catalog order)
 * every automatic promotion covering an offering, not the first 32.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "domain/catalog.h"

static q2o_catalog *c;
static void teardown(void) { q2o_catalog_free(c); c = NULL; }
TestSuite(catalog_lookup, .fini = teardown);

Test(catalog_lookup, a_failed_seal_stays_failed)
{
    char detail[128] = "";
    c = q2o_catalog_new();
    c->offerings = q2o_catalog_alloc(c, 2, sizeof *c->offerings);
    c->n_offerings = 2;
    Q2O_STRCPY(c->offerings[0].id, "SAME");
    Q2O_STRCPY(c->offerings[1].id, "SAME");
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID);
    cr_assert(strstr(detail, "SAME") != NULL, "%s", detail);
    detail[0] = '\0';
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_CATALOG_INVALID, "sealing again is no cure");
    cr_assert(detail[0] != '\0', "the second refusal says why");
}

/* 40 automatic promotions for everything, interleaved in the catalog with
 * 40 for offering X only (X listed twice in one of them): X is covered by
 * all 80, once each, in catalog order. */
Test(catalog_lookup, auto_promotions_are_all_counted_in_catalog_order)
{
    char detail[128] = "";
    c = q2o_catalog_new();
    c->promotions = q2o_catalog_alloc(c, 80, sizeof *c->promotions);
    c->n_promotions = 80;
    for (uint32_t i = 0; i < 80; i++) {
        q2o_cat_promotion *p = &c->promotions[i];
        snprintf(p->code, sizeof p->code, "P%02u", i);
        p->automatic = 1;
        p->discount_bp = 100;
        if (i % 2) {
            p->n_offerings = i == 1 ? 2 : 1;
            p->offerings = q2o_catalog_alloc(c, p->n_offerings, sizeof *p->offerings);
            for (uint32_t k = 0; k < p->n_offerings; k++)
                Q2O_STRCPY(p->offerings[k], "X");
        }
    }
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_OK, "%s", detail);
    const q2o_cat_promotion *out[100];
    uint32_t n = q2o_catalog_auto_promotions(c, "X", out, 100);
    cr_assert_eq(n, 80);
    for (uint32_t i = 0; i < n; i++)
        cr_assert_eq(out[i], &c->promotions[i], "position %u", i);
    cr_assert_eq(q2o_catalog_auto_promotions(c, "Y", out, 100), 40, "Y: the promotions for everything");
    cr_assert_eq(q2o_catalog_auto_promotions(c, "X", out, 3), 80, "the count, whatever max");
    cr_assert_eq(out[2], &c->promotions[2]);
}
