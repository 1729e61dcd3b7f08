/* The happy path and the shape of each transition's events. */
#include <criterion/criterion.h>
#include <string.h>

#include "quote_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(quote_lifecycle, .init = setup, .fini = teardown);

Test(quote_lifecycle, happy_path_without_approval_reaches_converted)
{
    fx_to_status(&f, Q2O_ST_CONVERTED);
    const q2o_revision *r = fx_rev(&f);
    cr_assert_eq(r->status, Q2O_ST_CONVERTED);
    cr_assert(r->auto_approved);
    cr_assert_str_eq(f.last.order_id, r->conversion.order_id);
    cr_assert_eq(strncmp(r->conversion.order_id, "ORD-", 4), 0);
    cr_assert_eq(f.q->accepted_revision, 1);
    cr_assert_eq(f.q->version, f.n_log);
}

Test(quote_lifecycle, every_state_is_reachable_and_invariants_hold)
{
    static const q2o_status all[] = {Q2O_ST_DRAFT,     Q2O_ST_PRICED,    Q2O_ST_REQUIRES_APPROVAL,
                                     Q2O_ST_IN_REVIEW, Q2O_ST_APPROVED,  Q2O_ST_PRESENTED,
                                     Q2O_ST_ACCEPTED,  Q2O_ST_CONVERTED, Q2O_ST_REJECTED,
                                     Q2O_ST_EXPIRED,   Q2O_ST_CANCELED};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        fx g;
        fx_init(&g);
        fx_to_status(&g, all[i]);
        cr_assert_eq(fx_rev(&g)->status, all[i], "wanted %s got %s", q2o_status_name(all[i]),
                     q2o_status_name(fx_rev(&g)->status));
        char why[256];
        cr_assert_eq(q2o_quote_check_invariants(g.q, why, sizeof why), 0, "%s", why);
        fx_release(&g);
    }
    fx_to_status(&f, Q2O_ST_SUPERSEDED);
    cr_assert_eq(q2o_quote_revision(f.q, 1)->status, Q2O_ST_SUPERSEDED);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_DRAFT);
    cr_assert_eq(fx_rev(&f)->number, 2);
}

Test(quote_lifecycle, priced_then_edit_goes_back_to_draft)
{
    fx_to_status(&f, Q2O_ST_PRICED);
    cr_assert_eq(fx_add_line(&f, "L2", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_DRAFT);
    cr_assert_not(fx_rev(&f)->priced);
}

Test(quote_lifecycle, discount_above_threshold_requires_review_by_deal_desk)
{
    fx_to_status(&f, Q2O_ST_REQUIRES_APPROVAL);
    const q2o_revision *r = fx_rev(&f);
    cr_assert_eq(r->n_reasons, 1);
    cr_assert_eq(r->reasons[0].rule, Q2O_AR_DISCOUNT_ABOVE_THRESHOLD);
    cr_assert_eq(r->reasons[0].figure, 2000);
    cr_assert_eq(r->reasons[0].threshold, 1500);
    cr_assert_eq(r->n_steps, 1);
    cr_assert_eq(r->steps[0].role, (uint32_t)Q2O_ROLE_DEAL_DESK);
    cr_assert_eq(fx_submit(&f), Q2O_OK);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_IN_REVIEW);
    cr_assert_eq(fx_approve(&f, &FX_DESK), Q2O_OK);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_APPROVED);
    cr_assert_not(fx_rev(&f)->auto_approved);
}

Test(quote_lifecycle, events_are_hash_chained_and_replay_gives_the_same_head)
{
    fx_to_status(&f, Q2O_ST_CONVERTED);
    for (size_t i = 1; i < f.n_log; i++) {
        uint8_t h[32];
        q2o_event_hash(&f.log[i - 1], h);
        cr_assert_eq(memcmp(h, f.log[i].prev_hash, 32), 0, "event %zu is not chained", i + 1);
        cr_assert_eq(f.log[i].version, i + 1);
    }
    q2o_quote *again = fx_replay(&f, 0);
    cr_assert_eq(memcmp(again->head_hash, f.q->head_hash, 32), 0);
    cr_assert_eq(again->version, f.q->version);
    q2o_quote_free(again);
}

Test(quote_lifecycle, tampering_with_an_event_breaks_the_chain)
{
    fx_to_status(&f, Q2O_ST_PRESENTED);
    f.log[1].u.line.quantity = 9999; /* edit history: the line's quantity */
    q2o_quote *q = q2o_quote_new();
    q2o_err err = Q2O_OK;
    for (size_t i = 0; i < f.n_log && err == Q2O_OK; i++)
        err = q2o_quote_evolve(q, &f.log[i]);
    cr_assert_eq(err, Q2O_HASH_CHAIN_BROKEN);
    q2o_quote_free(q);
}

Test(quote_lifecycle, time_travel_rebuilds_any_earlier_version)
{
    fx_to_status(&f, Q2O_ST_ACCEPTED);
    for (size_t v = 1; v <= f.n_log; v++) {
        q2o_quote *q = fx_replay(&f, v);
        cr_assert_eq(q->version, v);
        q2o_quote_free(q);
    }
    q2o_quote *before = fx_replay(&f, 3); /* created, line, priced */
    cr_assert_eq(q2o_quote_current(before)->status, Q2O_ST_PRICED);
    q2o_quote_free(before);
}

Test(quote_lifecycle, reprice_replays_to_an_identical_snapshot_and_fingerprint)
{
    fx_to_status(&f, Q2O_ST_PRICED);
    uint8_t fp1[32], afp1[32];
    memcpy(fp1, fx_rev(&f)->pricing_fp, 32);
    memcpy(afp1, fx_rev(&f)->approval_fp, 32);
    f.now += 1000;
    cr_assert_eq(fx_price(&f), Q2O_OK);
    cr_assert_eq(memcmp(fp1, fx_rev(&f)->pricing_fp, 32), 0);
    cr_assert_eq(memcmp(afp1, fx_rev(&f)->approval_fp, 32), 0);
}
