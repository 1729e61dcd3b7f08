/*
 * A reprice in a new revision names what changed against the parent
 * revision's priced lines (issue: catalog and pricing, point 4), and the
 * pricer's waterfall trace travels on QuotePriced.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_fixture.h"

static fx f;

static void setup(void)
{
    fx_init(&f);
}

static void teardown(void)
{
    fx_release(&f);
}

TestSuite(reprice_changes, .init = setup, .fini = teardown);

static const q2o_ev_priced *last_priced(void)
{
    for (uint32_t i = 0; i < f.last.n_events; i++)
        if (f.last.events[i].type == Q2O_EV_PRICED)
            return &f.last.events[i].u.priced;
    cr_assert_fail("no QuotePriced in the last decision");
    return NULL;
}

static const q2o_price_change *change_of(const q2o_ev_priced *p, const char *line_id)
{
    for (uint32_t i = 0; i < p->n_changes; i++)
        if (strcmp(p->changes[i].line_id, line_id) == 0)
            return &p->changes[i];
    return NULL;
}

static void new_revision(void)
{
    q2o_command r = fx_cmd(&f, Q2O_CMD_CREATE_REVISION, &FX_REP);
    Q2O_STRCPY(r.u.reason.reason_code, "CUSTOMER_CHANGE");
    cr_assert_eq(fx_send(&f, &r), Q2O_OK, "%s", f.last.detail);
}

Test(reprice_changes, first_revision_lists_no_changes)
{
    fx_create(&f);
    cr_assert_eq(fx_add_line(&f, "L1", "SAAS-ENT-USER", 10, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    const q2o_ev_priced *p = last_priced();
    cr_assert_eq(p->compared_revision, 0);
    cr_assert_eq(p->n_changes, 0);
}

Test(reprice_changes, new_revision_names_added_changed_and_removed_lines)
{
    fx_create(&f);
    cr_assert_eq(fx_add_line(&f, "L1", "SAAS-ENT-USER", 10, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_add_line(&f, "L2", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_add_line(&f, "L3", "SAAS-ENT-USER", 5, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    int64_t l1_before = q2o_quote_line(f.q, "L1")->price.net_total;
    int64_t l3_before = q2o_quote_line(f.q, "L3")->price.net_total;
    new_revision();

    q2o_command ch = fx_cmd(&f, Q2O_CMD_CHANGE_LINE, &FX_REP);
    ch.u.line = *q2o_quote_line(f.q, "L1");
    ch.u.line.quantity = 20;
    cr_assert_eq(fx_send(&f, &ch), Q2O_OK, "%s", f.last.detail);
    q2o_command rm = fx_cmd(&f, Q2O_CMD_REMOVE_LINE, &FX_REP);
    Q2O_STRCPY(rm.u.line_id, "L3");
    cr_assert_eq(fx_send(&f, &rm), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_add_line(&f, "L4", "IMPL-SERVICE", 2, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);

    const q2o_ev_priced *p = last_priced();
    cr_assert_eq(p->compared_revision, 1);
    cr_assert_eq(p->n_changes, 3, "L2 is unchanged and must not be listed; got %u changes", p->n_changes);
    const q2o_price_change *c1 = change_of(p, "L1"), *c3 = change_of(p, "L3"), *c4 = change_of(p, "L4");
    cr_assert(c1 && c3 && c4);
    cr_assert_null(change_of(p, "L2"));
    cr_assert_eq(c1->kind, Q2O_LC_CHANGED);
    cr_assert_eq(c1->previous_quantity, 10);
    cr_assert_eq(c1->quantity, 20);
    cr_assert_eq(c1->previous_net, l1_before);
    cr_assert_eq(c1->net, 2 * l1_before);
    cr_assert_eq(c3->kind, Q2O_LC_REMOVED);
    cr_assert_eq(c3->previous_net, l3_before);
    cr_assert_eq(c3->net, 0);
    cr_assert_eq(c4->kind, Q2O_LC_ADDED);
    cr_assert_eq(c4->previous_net, 0);
    cr_assert_eq(c4->quantity, 2);
}

Test(reprice_changes, the_changes_are_part_of_the_event_hash_and_survive_replay)
{
    fx_create(&f);
    cr_assert_eq(fx_add_line(&f, "L1", "SAAS-ENT-USER", 10, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(&f), Q2O_OK);
    new_revision();
    cr_assert_eq(fx_add_line(&f, "L2", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(&f), Q2O_OK);
    const q2o_event *ev = NULL;
    for (uint32_t i = 0; i < f.last.n_events; i++)
        if (f.last.events[i].type == Q2O_EV_PRICED)
            ev = &f.last.events[i];
    cr_assert(ev && ev->u.priced.n_changes == 1);
    uint8_t h1[32], h2[32];
    q2o_event_hash(ev, h1);
    q2o_event copy;
    q2o_event_copy(&copy, ev);
    copy.u.priced.changes[0].net += 1;
    q2o_event_hash(&copy, h2);
    cr_assert(memcmp(h1, h2, 32) != 0, "altering a listed change must change the event hash");
    q2o_event_release(&copy);

    q2o_quote *replayed = fx_replay(&f, f.n_log);
    cr_assert_eq(memcmp(replayed->head_hash, f.q->head_hash, 32), 0);
    cr_assert_eq(replayed->n_baseline, 1);
    cr_assert_str_eq(replayed->baseline[0].line_id, "L1");
    q2o_quote_free(replayed);
}
