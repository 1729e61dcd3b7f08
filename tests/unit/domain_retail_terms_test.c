/*
 * Retail pre-order quotes (SPEC section 7), what the order type asks of a
 * quote's header and terms: refused pay types, the pay-method-required flag
 * from the catalog, a manual cancel date never before the arrival date, one
 * ship-to that is not a gift recipient, no negative quantity.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/strutil.h"
#include "domain_retail_fixture.h"

static fx f;
static void setup(void)
{
    fx_init(&f);
    fx_use_catalog(&f, rt_catalog());
}
static void teardown(void) { fx_release(&f); }
TestSuite(retail_terms, .init = setup, .fini = teardown);

static void preorder_gift_card(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    Q2O_STRCPY(t->pay_method, "GIFT_CARD");
}
static void bare_gift_card(q2o_quote_header *h, q2o_terms *t)
{
    rt_bare(h, t);
    Q2O_STRCPY(t->pay_method, "GIFT_CARD");
}
static void unknown_type_gift_card(q2o_quote_header *h, q2o_terms *t)
{
    rt_bare(h, t);
    Q2O_STRCPY(h->order_type, "NOT-IN-CATALOG");
    Q2O_STRCPY(t->pay_method, "GIFT_CARD");
}
static void preorder_cash(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    Q2O_STRCPY(t->pay_method, "CASH");
}

Test(retail_terms, create_refuses_a_pay_type_the_order_type_refuses)
{
    cr_assert_eq(fx_create_with(&f, preorder_gift_card), Q2O_PAY_METHOD_NOT_ALLOWED);
    cr_assert(strstr(f.last.detail, "GIFT_CARD") && strstr(f.last.detail, "PREORDER"), "%s", f.last.detail);
    cr_assert_eq(f.last.n_events, 0);
    cr_assert_not(f.q->exists);
}

Test(retail_terms, create_accepts_that_pay_type_under_an_order_type_that_allows_it)
{
    cr_assert_eq(fx_create_with(&f, bare_gift_card), Q2O_OK, "%s", f.last.detail);
    cr_assert_str_eq(fx_rev(&f)->terms.pay_method, "GIFT_CARD");
}

Test(retail_terms, an_order_type_the_catalog_does_not_know_refuses_only_cash_check_and_prepaid)
{
    cr_assert_eq(fx_create_with(&f, unknown_type_gift_card), Q2O_OK, "%s", f.last.detail);
    fx_release(&f);
    fx_init(&f);
    fx_use_catalog(&f, rt_catalog());
    cr_assert_eq(fx_create_with(&f, preorder_cash), Q2O_PAY_METHOD_NOT_ALLOWED);
}

Test(retail_terms, change_terms_refuses_a_pay_type_the_order_type_refuses)
{
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    q2o_command c = fx_command_for(&f, Q2O_CMD_CHANGE_TERMS, NULL);
    Q2O_STRCPY(c.terms.pay_method, "GIFT_CARD");
    cr_assert_eq(fx_send(&f, &c), Q2O_PAY_METHOD_NOT_ALLOWED);
    cr_assert_str_eq(fx_rev(&f)->terms.pay_method, "CARD");
    Q2O_STRCPY(c.terms.pay_method, "INVOICE");
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
}

/* ---------------------------------------------- pay method required */

static void bare_claiming_pay_method_required(q2o_quote_header *h, q2o_terms *t)
{
    rt_bare(h, t);
    h->order_type_requires_pay_method = 1;
}
static void unknown_type_requiring_pay_method(q2o_quote_header *h, q2o_terms *t)
{
    rt_bare(h, t);
    Q2O_STRCPY(h->order_type, "NOT-IN-CATALOG");
    h->order_type_requires_pay_method = 1;
}

Test(retail_terms, the_header_flag_follows_the_order_type_the_catalog_knows)
{
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    cr_assert_eq(f.q->header.order_type_requires_pay_method, 1, "PREORDER requires a pay method");
    fx_release(&f);
    fx_init(&f);
    fx_use_catalog(&f, rt_catalog());
    cr_assert_eq(fx_create_with(&f, bare_claiming_pay_method_required), Q2O_OK);
    cr_assert_eq(f.q->header.order_type_requires_pay_method, 0, "BARE does not, whatever the command said");
}

Test(retail_terms, an_unknown_order_type_keeps_the_header_flag)
{
    cr_assert_eq(fx_create_with(&f, unknown_type_requiring_pay_method), Q2O_OK);
    cr_assert_eq(f.q->header.order_type_requires_pay_method, 1);
}

static void no_pay_method(fx *g)
{
    q2o_command c = fx_command_for(g, Q2O_CMD_CHANGE_TERMS, NULL);
    c.terms.pay_method[0] = '\0';
    cr_assert_eq(fx_send(g, &c), Q2O_OK, "%s", g->last.detail);
}

static void walk_from_draft_to_accepted(fx *g)
{
    q2o_err (*const steps[])(fx *) = {fx_price, fx_submit, fx_attach, fx_present, fx_accept};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        cr_assert_eq(steps[i](g), Q2O_OK, "%s", g->last.detail);
}

Test(retail_terms, conversion_asks_the_catalog_whether_the_order_type_needs_a_pay_method)
{
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    cr_assert_eq(fx_add_line(&f, "L1", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    no_pay_method(&f);
    walk_from_draft_to_accepted(&f);
    cr_assert_eq(fx_convert(&f, "k1"), Q2O_PAY_METHOD_REQUIRED);
    cr_assert(strstr(f.last.detail, "PREORDER"), "%s", f.last.detail);
}

Test(retail_terms, conversion_without_a_pay_method_passes_when_the_catalog_does_not_require_one)
{
    cr_assert_eq(fx_create_with(&f, bare_claiming_pay_method_required), Q2O_OK);
    cr_assert_eq(fx_add_line(&f, "L1", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    no_pay_method(&f);
    walk_from_draft_to_accepted(&f);
    cr_assert_eq(fx_convert(&f, "k1"), Q2O_OK, "%s", f.last.detail);
}

/* ------------------------------------------------------- cancel date */

static void cancel_before_arrival(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    t->cancel_date = RT_ARRIVAL - 1;
}
static void cancel_on_arrival(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    t->cancel_date = RT_ARRIVAL;
}
static void cancel_yesterday_without_arrival(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    t->contract_start = 0;
    t->cancel_date = FX_T0 - FX_DAY;
}
static void negative_cancel_date(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    t->cancel_date = -5;
}

Test(retail_terms, create_refuses_a_cancel_date_before_the_arrival_date)
{
    cr_assert_eq(fx_create_with(&f, cancel_before_arrival), Q2O_CANCEL_DATE_BEFORE_ARRIVAL);
    cr_assert(strstr(f.last.detail, "arrival"), "%s", f.last.detail);
    cr_assert_not(f.q->exists);
}

Test(retail_terms, a_cancel_date_on_the_arrival_date_is_accepted)
{
    cr_assert_eq(fx_create_with(&f, cancel_on_arrival), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->terms.cancel_date, RT_ARRIVAL);
}

Test(retail_terms, without_a_contract_start_the_creation_date_is_the_arrival_date)
{
    cr_assert_eq(fx_create_with(&f, cancel_yesterday_without_arrival), Q2O_CANCEL_DATE_BEFORE_ARRIVAL);
}

Test(retail_terms, a_negative_cancel_date_is_malformed)
{
    cr_assert_eq(fx_create_with(&f, negative_cancel_date), Q2O_FIELD_INVALID);
}

Test(retail_terms, change_terms_refuses_a_cancel_date_before_the_arrival_date)
{
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    q2o_command c = fx_command_for(&f, Q2O_CMD_CHANGE_TERMS, NULL);
    c.terms.cancel_date = RT_ARRIVAL - FX_DAY;
    cr_assert_eq(fx_send(&f, &c), Q2O_CANCEL_DATE_BEFORE_ARRIVAL);
    cr_assert_eq(fx_rev(&f)->terms.cancel_date, 0);
    c.terms.contract_start = RT_ARRIVAL - 2 * FX_DAY; /* an earlier arrival makes the same date valid */
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->terms.cancel_date, RT_ARRIVAL - FX_DAY);
}

/* ------------------------------------------- ship-to and quantities */

static void gift_recipient(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    h->ship_to_is_gift_recipient = 1;
}

Test(retail_terms, a_gift_recipient_ship_to_is_refused)
{
    cr_assert_eq(fx_create_with(&f, gift_recipient), Q2O_SHIP_TO_INVALID);
    cr_assert_not(f.q->exists);
}

static void no_ship_to(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    h->ship_to[0] = '\0';
}

Test(retail_terms, a_quote_without_its_one_ship_to_does_not_price)
{
    cr_assert_eq(fx_create_with(&f, no_ship_to), Q2O_OK);
    cr_assert_eq(fx_add_line(&f, "L1", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(&f), Q2O_SHIP_TO_INVALID);
    cr_assert_eq(rt_last_event(&f, Q2O_EV_VALIDATION_FAILED)->u.failed.violations[0].code, Q2O_SHIP_TO_INVALID);
}

Test(retail_terms, negative_quantities_are_refused_on_add_and_change)
{
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    cr_assert_eq(fx_add_line(&f, "L1", "IMPL-SERVICE", -3, 0, NULL), Q2O_QUANTITY_INVALID);
    cr_assert_eq(f.q->n_lines, 0);
    cr_assert_eq(fx_add_line(&f, "L1", "IMPL-SERVICE", 2, 0, NULL), Q2O_OK);
    q2o_command c = fx_command_for(&f, Q2O_CMD_CHANGE_LINE, NULL);
    c.u.line.quantity = -1;
    cr_assert_eq(fx_send(&f, &c), Q2O_QUANTITY_INVALID);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->quantity, 2);
}
