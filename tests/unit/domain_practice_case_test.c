/*
 * The lifecycle seed's practice case (seeds/003 §29): an enterprise SaaS
 * quote for 500 users with premium support, an implementation service, an
 * 18 % discretionary discount, a 24-month term, a custom payment term and
 * the July promotion — walked from Draft to ConvertedToOrder through every
 * twist the exercise asks about.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(practice_case, .init = setup, .fini = teardown);

#define AUG_1 1785542400000LL

static void ok(q2o_err e, const char *what)
{
    cr_assert_eq(e, Q2O_OK, "%s refused: %s (%s)", what, q2o_err_name(e), f.last.detail);
}

static void refused(q2o_err e, q2o_err want, const char *what)
{
    cr_assert_eq(e, want, "%s: got %s, want %s (%s)", what, q2o_err_name(e), q2o_err_name(want), f.last.detail);
}

static q2o_err change_qty(const char *line_id, int64_t qty, const char *promo)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_CHANGE_LINE, &FX_REP);
    c.u.line = *q2o_quote_line(f.q, line_id);
    c.u.line.quantity = qty;
    q2o_strlcpy(c.u.line.promo_code, promo, sizeof c.u.line.promo_code);
    return fx_send(&f, &c);
}

static q2o_err new_revision(const char *reason)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_CREATE_REVISION, &FX_REP);
    Q2O_STRCPY(c.u.reason.reason_code, reason);
    return fx_send(&f, &c);
}

static void set_terms(const char *payment_terms, q2o_time_ms valid_until)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_CHANGE_TERMS, &FX_REP);
    c.terms = fx_rev(&f)->terms;
    Q2O_STRCPY(c.terms.payment_terms, payment_terms);
    c.terms.valid_until = valid_until;
    ok(fx_send(&f, &c), "ChangeTerms");
}

static void approve_both(void)
{
    ok(fx_submit(&f), "Submit");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_IN_REVIEW);
    ok(fx_approve(&f, &FX_DESK), "deal desk approval");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_IN_REVIEW, "finance still pending");
    ok(fx_approve(&f, &FX_FINANCE), "finance approval");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_APPROVED);
}

/* Given the quote as the rep builds it on 2 July. */
static void build_rev1(void)
{
    fx_create(&f);
    ok(fx_add_line(&f, "L1", "SAAS-ENT-USER", 500, 1800, "JULY2026"), "users");
    ok(fx_add_line(&f, "L2", "SUPPORT-PREMIUM", 500, 1800, "JULY2026"), "support");
    ok(fx_add_line(&f, "L3", "IMPL-SERVICE", 1, 1800, NULL), "implementation");
    set_terms("NET60", FX_T0 + 30 * FX_DAY);
    ok(fx_price(&f), "Price");
}

Test(practice_case, price_waterfall_and_approval_triggers)
{
    build_rev1();
    const q2o_revision *r = fx_rev(&f);
    /* users: 500 x 24 x 50.00 = 600,000.00; -5 % July = 570,000.00; -18 % = 467,400.00 */
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.list_total, 60000000);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.net_total, 46740000);
    cr_assert_eq(q2o_quote_line(f.q, "L2")->price.net_total, 9348000);
    cr_assert_eq(q2o_quote_line(f.q, "L3")->price.net_total, 2050000);
    cr_assert_eq(r->net_total, 46740000 + 9348000 + 2050000);
    cr_assert_eq(r->grand_total, r->net_total);
    cr_assert_eq(r->promo_ends_at, AUG_1);
    cr_assert_eq(r->status, Q2O_ST_REQUIRES_APPROVAL);
    cr_assert_eq(r->n_reasons, 2);
    cr_assert_eq(r->reasons[0].rule, Q2O_AR_DISCOUNT_ABOVE_THRESHOLD);
    cr_assert_eq(r->reasons[1].rule, Q2O_AR_NON_STANDARD_PAYMENT_TERMS);
    cr_assert_eq(r->n_steps, 2);
    cr_assert_eq(r->steps[0].role, (uint32_t)Q2O_ROLE_DEAL_DESK);
    cr_assert_eq(r->steps[1].role, (uint32_t)Q2O_ROLE_FINANCE);
}

Test(practice_case, full_story_to_converted_order)
{
    build_rev1();
    approve_both();
    uint8_t rev1_fp[32];
    memcpy(rev1_fp, fx_rev(&f)->approved_fp, 32);

    /* The customer asks for 600 users after approval: not an edit, a revision. */
    refused(change_qty("L1", 600, "JULY2026"), Q2O_QUOTE_REVISION_REQUIRED, "edit after approval");
    ok(new_revision("CUSTOMER_ASKED_600_USERS"), "CreateRevision");
    cr_assert_eq(q2o_quote_revision(f.q, 1)->status, Q2O_ST_SUPERSEDED);
    cr_assert_eq(fx_rev(&f)->number, 2);
    ok(change_qty("L1", 600, "JULY2026"), "600 users");
    ok(change_qty("L2", 600, "JULY2026"), "600 support seats");
    ok(fx_price(&f), "reprice rev 2");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_REQUIRES_APPROVAL, "the 18 %% discount still fires");
    cr_assert_neq(memcmp(rev1_fp, fx_rev(&f)->approval_fp, 32), 0, "rev 1's approval is stale for rev 2");
    ok(fx_submit(&f), "Submit rev 2");
    q2o_command stale = fx_cmd(&f, Q2O_CMD_APPROVE_STEP, &FX_DESK);
    memcpy(stale.u.approve.expected_fp, rev1_fp, 32);
    refused(fx_send(&f, &stale), Q2O_QUOTE_CHANGED_DURING_APPROVAL, "approving with rev 1's fingerprint");
    ok(fx_approve(&f, &FX_DESK), "re-approval by deal desk");
    ok(fx_approve(&f, &FX_FINANCE), "re-approval by finance");
    ok(fx_attach(&f), "proposal for rev 2");
    ok(fx_present(&f), "present rev 2");
    uint8_t rev2_doc[32];
    memcpy(rev2_doc, fx_rev(&f)->presented_hash, 32);

    /* The July promotion ends before the customer signs. */
    f.now = AUG_1 + 3600000;
    refused(fx_accept(&f), Q2O_QUOTE_PROMOTION_EXPIRED, "accept after the promotion ended");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_PRESENTED);
    ok(new_revision("PROMOTION_EXPIRED"), "revision 3");
    ok(change_qty("L1", 600, ""), "drop the promotion on users");
    ok(change_qty("L2", 600, ""), "drop the promotion on support");
    set_terms("NET60", AUG_1 + 30 * FX_DAY);
    ok(fx_price(&f), "reprice rev 3 without the promotion");
    cr_assert_eq(fx_rev(&f)->promo_ends_at, 0);
    approve_both();
    ok(fx_attach(&f), "proposal for rev 3");
    ok(fx_present(&f), "present rev 3");

    /* The customer signs the old revision 2. */
    q2o_command old = fx_cmd(&f, Q2O_CMD_ACCEPT_QUOTE, &FX_CUSTOMER);
    old.revision = 2;
    old.u.accept.method = Q2O_AM_ESIGNATURE;
    Q2O_STRCPY(old.u.accept.acceptor_id, FX_CUSTOMER.id);
    memcpy(old.u.accept.document_hash, rev2_doc, 32);
    refused(fx_send(&f, &old), Q2O_QUOTE_ALREADY_SUPERSEDED, "signing revision 2");

    ok(fx_accept(&f), "accept rev 3");
    cr_assert_eq(f.q->accepted_revision, 3);

    /* The convert command is sent twice (double click), then with a new key. */
    ok(fx_convert(&f, "crm-conv-7781"), "convert");
    char order[Q2O_ID_MAX];
    Q2O_STRCPY(order, f.last.order_id);
    size_t events = f.n_log;
    ok(fx_convert(&f, "crm-conv-7781"), "convert again, same key");
    cr_assert(f.last.replayed);
    cr_assert_str_eq(f.last.order_id, order);
    cr_assert_eq(f.n_log, events, "a retried conversion emits nothing");
    refused(fx_convert(&f, "crm-conv-9999"), Q2O_QUOTE_ALREADY_CONVERTED, "another key");
    cr_assert_eq(f.q->n_conversions, 1);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_CONVERTED);

    /* The audit trail reconstructs it all, and replays to the same head. */
    q2o_quote *again = fx_replay(&f, 0);
    cr_assert_eq(memcmp(again->head_hash, f.q->head_hash, 32), 0);
    q2o_quote_free(again);
}
