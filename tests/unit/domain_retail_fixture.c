/* domain_retail_fixture.c — see domain_retail_fixture.h. Not a test file. */
#include "domain_retail_fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"

static int64_t users_price = 5000;

static void order_type(q2o_cat_order_type *t, const char *code, int is_quote, int32_t days, const char *reason)
{
    Q2O_STRCPY(t->code, code);
    Q2O_STRCPY(t->name, code);
    t->is_quote = is_quote;
    t->expiration_days = days;
    Q2O_STRCPY(t->price_override_reason, reason);
}

static void retail(q2o_catalog *c)
{
    c->n_order_types = 3;
    c->order_types = q2o_catalog_alloc(c, 3, sizeof *c->order_types);
    q2o_cat_order_type *pre = &c->order_types[0];
    order_type(pre, "PREORDER", 1, RT_EXPIRATION_DAYS, "QUOTED");
    pre->pay_method_required = 1;
    pre->freight_override_on_accept = 1;
    pre->n_refused_pay_types = 1;
    Q2O_STRCPY(pre->refused_pay_types[0], "GIFT_CARD");
    order_type(&c->order_types[1], "BARE", 1, 0, "");
    order_type(&c->order_types[2], "REGULAR", 0, RT_EXPIRATION_DAYS, "QUOTED");
    c->order_types[2].freight_override_on_accept = 1;

    c->n_freight_rules = 1;
    c->freight_rules = q2o_catalog_alloc(c, 1, sizeof *c->freight_rules);
    Q2O_STRCPY(c->freight_rules[0].id, "FLAT");
    Q2O_STRCPY(c->freight_rules[0].currency, "USD");
    c->freight_rules[0].kind = Q2O_FREIGHT_FLAT;
    c->freight_rules[0].amount = RT_FREIGHT;

    c->n_stock = 2;
    c->stock = q2o_catalog_alloc(c, 2, sizeof *c->stock);
    Q2O_STRCPY(c->stock[0].offering_id, "SAAS-ENT-USER");
    c->stock[0].available = 0;
    Q2O_STRCPY(c->stock[1].offering_id, "IMPL-SERVICE");
    c->stock[1].available = 5;

    for (uint32_t i = 0; i < c->pricebooks[0].n_prices; i++)
        if (strcmp(c->pricebooks[0].prices[i].offering_id, "SAAS-ENT-USER") == 0)
            c->pricebooks[0].prices[i].unit_price = users_price;
}

q2o_catalog *rt_catalog_priced(int64_t unit_price)
{
    users_price = unit_price;
    q2o_catalog *c = fx_saas_catalog_with(retail);
    users_price = 5000;
    return c;
}

q2o_catalog *rt_catalog(void)
{
    return rt_catalog_priced(5000);
}

static void retail_terms(q2o_quote_header *h, q2o_terms *t, const char *type)
{
    Q2O_STRCPY(h->order_type, type);
    t->contract_start = RT_ARRIVAL;
    Q2O_STRCPY(t->pay_method, "CARD");
}

void rt_preorder(q2o_quote_header *h, q2o_terms *t) { retail_terms(h, t, "PREORDER"); }
void rt_bare(q2o_quote_header *h, q2o_terms *t) { retail_terms(h, t, "BARE"); }
void rt_regular(q2o_quote_header *h, q2o_terms *t) { retail_terms(h, t, "REGULAR"); }

static void expect(fx *f, q2o_err e, const char *what)
{
    cr_assert_eq(e, Q2O_OK, "%s refused: %s (%s)", what, q2o_err_name(e), f->last.detail);
}

static void override_line(fx *f)
{
    q2o_command c = fx_command_for(f, Q2O_CMD_ADD_LINE, NULL);
    Q2O_STRCPY(c.u.line.line_id, "L2");
    c.u.line.quantity = 2;
    c.u.line.override_unit_price = 2400000;
    Q2O_STRCPY(c.u.line.override_reason, "MATCH_COMPETITOR");
    expect(f, fx_send(f, &c), "AddLine L2");
}

void rt_quote_to(fx *f, fx_header_edit edit, int with_override, q2o_status st)
{
    fx_use_catalog(f, rt_catalog());
    expect(f, fx_create_with(f, edit), "CreateQuote");
    expect(f, fx_add_line(f, "L1", "SAAS-ENT-USER", 10, 0, NULL), "AddLine L1");
    if (with_override)
        override_line(f);
    q2o_err (*const steps[])(fx *) = {fx_price, fx_submit, fx_attach, fx_present, fx_accept};
    for (size_t i = 0; i < Q2O_ARRAY_LEN(steps) && fx_rev(f)->status != st; i++)
        expect(f, steps[i](f), q2o_status_name(st));
    if (st == Q2O_ST_CONVERTED)
        expect(f, fx_convert(f, "conv-key-1"), "Convert");
    cr_assert_eq(fx_rev(f)->status, st, "walked to %s, not %s", q2o_status_name(fx_rev(f)->status),
                 q2o_status_name(st));
}

const q2o_event *rt_last_event(fx *f, q2o_event_type type)
{
    cr_assert(f->last.n_events > 0, "the decision emitted nothing");
    const q2o_event *e = &f->last.events[f->last.n_events - 1];
    cr_assert_eq(e->type, type, "last event is %s", q2o_event_type_name(e->type));
    return e;
}
