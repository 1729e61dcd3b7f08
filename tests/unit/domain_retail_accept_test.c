/*
 * Retail pre-order quotes (SPEC section 7), what acceptance and conversion
 * do: the quoted price is kept (the order type's price override reason on
 * every line without one), the freight becomes a freight override, the
 * cancel date is assigned, a reprice keeps the lines that carry a reason,
 * and conversion lists the sold-out lines.
 *
 * Given quotes come from rt_quote_to (domain_retail_fixture.h): L1 is
 * 10 x SAAS-ENT-USER at 50.00 per user and month over 24 months, L2 (when
 * asked for) 2 x IMPL-SERVICE overridden to 24,000.00 for MATCH_COMPETITOR.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/sha256.h"
#include "core/strutil.h"
#include "domain/catalog_pricing.h"
#include "domain_retail_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(retail_accept, .init = setup, .fini = teardown);

/* ---------------------------------------------- the quoted price is kept */

Test(retail_accept, the_reason_goes_only_to_lines_without_one_and_no_price_changes)
{
    rt_quote_to(&f, rt_preorder, 1, Q2O_ST_PRESENTED);
    int64_t net_l1 = q2o_quote_line(f.q, "L1")->price.net_total;
    int64_t net_l2 = q2o_quote_line(f.q, "L2")->price.net_total;
    int64_t grand = fx_rev(&f)->grand_total;
    cr_assert_eq(fx_accept(&f), Q2O_OK, "%s", f.last.detail);

    const q2o_event *e = rt_last_event(&f, Q2O_EV_ACCEPTED);
    cr_assert_str_eq(e->u.accepted.price_override_reason, "QUOTED");
    cr_assert_str_eq(fx_rev(&f)->price_override_reason, "QUOTED");
    const q2o_line *l1 = q2o_quote_line(f.q, "L1"), *l2 = q2o_quote_line(f.q, "L2");
    cr_assert_str_eq(l1->override_reason, "QUOTED");
    cr_assert_eq(l1->override_unit_price, 5000, "the accepted net per user and month");
    cr_assert_eq(l1->override_assigned_on_accept, 1);
    cr_assert_str_eq(l2->override_reason, "MATCH_COMPETITOR", "a line's own reason stays");
    cr_assert_eq(l2->override_unit_price, 2400000);
    cr_assert_eq(l2->override_assigned_on_accept, 0);
    cr_assert_eq(l1->price.net_total, net_l1);
    cr_assert_eq(l2->price.net_total, net_l2);
    cr_assert_eq(fx_rev(&f)->grand_total, grand);
}

Test(retail_accept, the_accepted_revision_still_converts_and_replays)
{
    rt_quote_to(&f, rt_preorder, 1, Q2O_ST_CONVERTED);
    uint8_t fp[Q2O_SHA256_LEN];
    q2o_quote_content_fp(f.q, fx_rev(&f)->policy_version, fp);
    cr_assert_arr_eq(fp, fx_rev(&f)->accepted_fp, sizeof fp, "the approval fingerprint is the one accepted");
    q2o_quote *again = fx_replay(&f, 0);
    cr_assert_arr_eq(again->head_hash, f.q->head_hash, sizeof fp);
    cr_assert_eq(q2o_quote_line(again, "L1")->override_unit_price, 5000);
    q2o_quote_free(again);
}

Test(retail_accept, nothing_is_assigned_when_every_line_has_a_reason)
{
    fx_use_catalog(&f, rt_catalog());
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    q2o_command c = fx_command_for(&f, Q2O_CMD_ADD_LINE, NULL);
    Q2O_STRCPY(c.u.line.override_reason, "MATCH_COMPETITOR");
    c.u.line.override_unit_price = 2400000;
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    q2o_err (*const steps[])(fx *) = {fx_price, fx_submit, fx_attach, fx_present, fx_accept};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        cr_assert_eq(steps[i](&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_str_eq(rt_last_event(&f, Q2O_EV_ACCEPTED)->u.accepted.price_override_reason, "");
    cr_assert_str_eq(q2o_quote_line(f.q, "L9")->override_reason, "MATCH_COMPETITOR");
}

Test(retail_accept, an_order_type_without_a_reason_leaves_the_lines_alone)
{
    rt_quote_to(&f, rt_bare, 0, Q2O_ST_ACCEPTED);
    const q2o_line *l1 = q2o_quote_line(f.q, "L1");
    cr_assert_str_eq(rt_last_event(&f, Q2O_EV_ACCEPTED)->u.accepted.price_override_reason, "");
    cr_assert_str_eq(l1->override_reason, "");
    cr_assert_eq(l1->override_unit_price, -1);
    cr_assert_eq(l1->override_assigned_on_accept, 0);
}

Test(retail_accept, an_order_type_that_is_not_a_quote_is_not_retail)
{
    rt_quote_to(&f, rt_regular, 0, Q2O_ST_ACCEPTED);
    const q2o_event *e = rt_last_event(&f, Q2O_EV_ACCEPTED);
    cr_assert_str_eq(e->u.accepted.price_override_reason, "");
    cr_assert_eq(e->u.accepted.freight_override, 0);
    cr_assert_eq(e->u.accepted.cancel_date, 0);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->override_unit_price, -1);
}

/* A line command that claims an override assigned on accept: the flag is
 * acceptance's to set, not the command's. */
Test(retail_accept, a_line_command_cannot_claim_an_override_assigned_on_accept)
{
    fx_use_catalog(&f, rt_catalog());
    cr_assert_eq(fx_create_with(&f, rt_preorder), Q2O_OK);
    q2o_command c = fx_command_for(&f, Q2O_CMD_ADD_LINE, NULL);
    c.u.line.override_assigned_on_accept = 1;
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(q2o_quote_line(f.q, "L9")->override_assigned_on_accept, 0);
}

/* ------------------------------------------------------------ freight */

Test(retail_accept, the_freight_becomes_a_freight_override_when_the_order_type_says_so)
{
    rt_quote_to(&f, rt_preorder, 0, Q2O_ST_ACCEPTED);
    const q2o_event *e = rt_last_event(&f, Q2O_EV_ACCEPTED);
    cr_assert_eq(fx_rev(&f)->freight, RT_FREIGHT);
    cr_assert_eq(e->u.accepted.freight_override, 1);
    cr_assert_eq(e->u.accepted.freight_override_amount, RT_FREIGHT);
    cr_assert_eq(fx_rev(&f)->freight_override, 1);
    cr_assert_eq(fx_rev(&f)->freight_override_amount, RT_FREIGHT);
}

Test(retail_accept, the_freight_stays_a_computed_freight_otherwise)
{
    rt_quote_to(&f, rt_bare, 0, Q2O_ST_ACCEPTED);
    cr_assert_eq(fx_rev(&f)->freight, RT_FREIGHT);
    cr_assert_eq(fx_rev(&f)->freight_override, 0);
    cr_assert_eq(fx_rev(&f)->freight_override_amount, 0);
}

/* -------------------------------------------------------- cancel date */

static void manual_cancel_date(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    t->cancel_date = RT_ARRIVAL + 5 * FX_DAY;
}
static void preorder_without_arrival(q2o_quote_header *h, q2o_terms *t)
{
    rt_preorder(h, t);
    t->contract_start = 0;
}
static void bare_with_manual_cancel_date(q2o_quote_header *h, q2o_terms *t)
{
    rt_bare(h, t);
    t->cancel_date = RT_ARRIVAL + 5 * FX_DAY;
}

Test(retail_accept, the_cancel_date_is_the_arrival_plus_the_expiration_days)
{
    rt_quote_to(&f, rt_preorder, 0, Q2O_ST_ACCEPTED);
    q2o_time_ms want = RT_ARRIVAL + RT_EXPIRATION_DAYS * FX_DAY;
    cr_assert_eq(rt_last_event(&f, Q2O_EV_ACCEPTED)->u.accepted.cancel_date, want);
    cr_assert_eq(fx_rev(&f)->cancel_date, want);
}

Test(retail_accept, without_a_contract_start_the_days_count_from_the_creation_date)
{
    rt_quote_to(&f, preorder_without_arrival, 0, Q2O_ST_ACCEPTED);
    cr_assert_eq(fx_rev(&f)->cancel_date, FX_T0 + RT_EXPIRATION_DAYS * FX_DAY);
}

Test(retail_accept, a_manual_cancel_date_wins)
{
    rt_quote_to(&f, manual_cancel_date, 0, Q2O_ST_ACCEPTED);
    cr_assert_eq(fx_rev(&f)->cancel_date, RT_ARRIVAL + 5 * FX_DAY);
}

Test(retail_accept, a_manual_cancel_date_holds_without_expiration_days)
{
    rt_quote_to(&f, bare_with_manual_cancel_date, 0, Q2O_ST_ACCEPTED);
    cr_assert_eq(fx_rev(&f)->cancel_date, RT_ARRIVAL + 5 * FX_DAY);
}

Test(retail_accept, no_expiration_days_and_no_manual_date_leave_no_cancel_date)
{
    rt_quote_to(&f, rt_bare, 0, Q2O_ST_ACCEPTED);
    cr_assert_eq(fx_rev(&f)->cancel_date, 0);
}

static void sixty_days(q2o_catalog *c)
{
    c->n_order_types = 1;
    c->order_types = q2o_catalog_alloc(c, 1, sizeof *c->order_types);
    Q2O_STRCPY(c->order_types[0].code, "PREORDER");
    c->order_types[0].is_quote = 1;
    c->order_types[0].expiration_days = 60;
}

Test(retail_accept, changing_the_days_later_does_not_touch_an_accepted_quote)
{
    rt_quote_to(&f, rt_preorder, 0, Q2O_ST_ACCEPTED);
    fx_use_catalog(&f, fx_saas_catalog_with(sixty_days));
    cr_assert_eq(fx_convert(&f, "k1"), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->cancel_date, RT_ARRIVAL + RT_EXPIRATION_DAYS * FX_DAY);
}

/* ------------------------------------------------------------- reprice */

static void new_revision(fx *g)
{
    q2o_command c = fx_command_for(g, Q2O_CMD_CREATE_REVISION, NULL);
    cr_assert_eq(fx_send(g, &c), Q2O_OK, "%s", g->last.detail);
}

Test(retail_accept, a_reprice_in_a_new_revision_keeps_the_lines_that_carry_a_reason)
{
    rt_quote_to(&f, rt_preorder, 1, Q2O_ST_PRESENTED);
    int64_t l1 = q2o_quote_line(f.q, "L1")->price.net_total;
    int64_t l2 = q2o_quote_line(f.q, "L2")->price.net_total;
    new_revision(&f);
    fx_use_catalog(&f, rt_catalog_priced(6000)); /* the users' list price went up */
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(q2o_quote_line(f.q, "L2")->price.net_total, l2, "the override kept L2's price");
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.net_total, l1 * 6 / 5, "L1 has no reason: repriced");
    const q2o_ev_priced *p = &rt_last_event(&f, Q2O_EV_PRICED)->u.priced;
    cr_assert_eq(p->n_changes, 1);
    cr_assert_str_eq(p->changes[0].line_id, "L1");
}

/* No command creates a revision of an accepted quote (the matrix freezes
 * it), so the event log is written by hand: what the accepted lines carry
 * into a new revision must keep their accepted price through a reprice at
 * a higher list price. */
Test(retail_accept, a_kept_price_survives_a_reprice_in_a_later_revision)
{
    rt_quote_to(&f, rt_preorder, 0, Q2O_ST_ACCEPTED);
    int64_t accepted_net = q2o_quote_line(f.q, "L1")->price.net_total;
    q2o_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = Q2O_EV_SUPERSEDED, ev.revision = 1, ev.u.superseded.superseded_by = 2;
    Q2O_STRCPY(ev.actor_id, "rep-1");
    fx_append(&f, ev);
    ev.type = Q2O_EV_REVISION_CREATED, ev.revision = 2;
    ev.u.revision_created.number = 2, ev.u.revision_created.parent = 1;
    fx_append(&f, ev);
    const q2o_line *l1 = q2o_quote_line(f.q, "L1");
    cr_assert_eq(l1->override_assigned_on_accept, 0, "in the new revision the override is the line's own");
    cr_assert_str_eq(l1->override_reason, "QUOTED");

    fx_use_catalog(&f, rt_catalog_priced(5500)); /* 9 % above the kept price: no approval */
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    l1 = q2o_quote_line(f.q, "L1");
    cr_assert_eq(l1->price.net_total, accepted_net);
    cr_assert_eq(l1->price.list_unit, 5500, "the list moved; the net did not");
    cr_assert_eq(rt_last_event(&f, Q2O_EV_PRICED)->u.priced.n_changes, 0);
}

Test(retail_accept, a_reason_without_an_override_price_is_repriced)
{
    /* The waterfall's OVERRIDE stage needs a unit price: a bare reason code
     * (no override_unit_price) documents a price, it does not fix one. */
    rt_quote_to(&f, rt_preorder, 0, Q2O_ST_PRICED);
    q2o_command c = fx_command_for(&f, Q2O_CMD_CHANGE_LINE, NULL);
    c.u.line.quantity = 9;
    Q2O_STRCPY(c.u.line.override_reason, "MATCH_COMPETITOR");
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    fx_use_catalog(&f, rt_catalog_priced(6000));
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.recurring_total, 9 * 6000);
}

/* ------------------------------------------------ conversion warnings */

Test(retail_accept, conversion_lists_the_sold_out_lines)
{
    rt_quote_to(&f, rt_preorder, 1, Q2O_ST_CONVERTED);
    const q2o_event *e = rt_last_event(&f, Q2O_EV_CONVERTED);
    cr_assert_eq(e->u.converted.n_unavailable, 1, "SAAS-ENT-USER is sold out, IMPL-SERVICE is in stock");
    cr_assert_str_eq(e->u.converted.unavailable[0], "L1");
    cr_assert_eq(e->u.converted.unavailable_total, 1);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_CONVERTED, "informational: the order takes every line");
}

Test(retail_accept, conversion_lists_nothing_when_the_catalog_tracks_no_stock)
{
    fx_to_status(&f, Q2O_ST_CONVERTED);
    const q2o_event *e = rt_last_event(&f, Q2O_EV_CONVERTED);
    cr_assert_eq(e->u.converted.n_unavailable, 0);
    cr_assert_eq(e->u.converted.unavailable_total, 0);
}

static void many_users_lines(fx *g, int n)
{
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "U%02d", i);
        cr_assert_eq(fx_add_line(g, id, "SAAS-ENT-USER", 1, 0, NULL), Q2O_OK, "%s", g->last.detail);
    }
}

Test(retail_accept, beyond_the_listed_ids_the_sold_out_lines_are_counted)
{
    fx_use_catalog(&f, rt_catalog());
    cr_assert_eq(fx_create_with(&f, rt_bare), Q2O_OK);
    many_users_lines(&f, Q2O_MAX_UNAVAILABLE_LISTED + 3);
    q2o_err (*const steps[])(fx *) = {fx_price, fx_submit, fx_attach, fx_present, fx_accept};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        cr_assert_eq(steps[i](&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_convert(&f, "k1"), Q2O_OK, "%s", f.last.detail);
    const q2o_event *e = rt_last_event(&f, Q2O_EV_CONVERTED);
    cr_assert_eq(e->u.converted.n_unavailable, Q2O_MAX_UNAVAILABLE_LISTED);
    cr_assert_eq(e->u.converted.unavailable_total, Q2O_MAX_UNAVAILABLE_LISTED + 3);
    cr_assert_str_eq(e->u.converted.unavailable[0], "U00");
}

/* ------------------------------------------------------------ hashes */

/* The happy path's head hash as the code before the retail fields computed
 * it: a quote that uses none of them keeps every event's hash (the new
 * fields are hashed only when set). */
Test(retail_accept, a_quote_without_retail_fields_keeps_its_old_head_hash)
{
    char hex[65];
    fx_to_status(&f, Q2O_ST_CONVERTED);
    q2o_hex(f.q->head_hash, Q2O_SHA256_LEN, hex);
    cr_assert_eq(f.q->version, 8);
    cr_assert_str_eq(hex, "994e59acc4fc5c691c652ef2d5a5ae8a02b8167d96829b0ed99a3f7ff2ead46d");
}

Test(retail_accept, each_retail_field_of_quote_accepted_changes_its_hash)
{
    rt_quote_to(&f, rt_preorder, 0, Q2O_ST_PRESENTED);
    cr_assert_eq(fx_accept(&f), Q2O_OK);
    q2o_event e = *rt_last_event(&f, Q2O_EV_ACCEPTED), bare = e;
    uint8_t h0[Q2O_SHA256_LEN], h1[Q2O_SHA256_LEN];
    memset(bare.u.accepted.price_override_reason, 0, sizeof bare.u.accepted.price_override_reason);
    bare.u.accepted.freight_override = 0, bare.u.accepted.freight_override_amount = 0;
    bare.u.accepted.cancel_date = 0;
    q2o_event_hash(&bare, h0);
    q2o_event_hash(&e, h1);
    cr_assert(memcmp(h0, h1, sizeof h0) != 0);
    for (int field = 0; field < 3; field++) {
        q2o_event one = bare;
        if (field == 0)
            Q2O_STRCPY(one.u.accepted.price_override_reason, "QUOTED");
        else if (field == 1)
            one.u.accepted.freight_override_amount = RT_FREIGHT;
        else
            one.u.accepted.cancel_date = RT_ARRIVAL;
        q2o_event_hash(&one, h1);
        cr_assert(memcmp(h0, h1, sizeof h0) != 0, "field %d is not hashed", field);
    }
}
