/*
 * Promotion validity (SPEC §3 Expiry, §5 expired-promotion override): a
 * promotion whose window closed before acceptance makes acceptance fail
 * with QUOTE_PROMOTION_EXPIRED until the quote is revised and repriced, or
 * an approval overrides it.
 *
 * The fixture's JULY2026 (5 %) runs [2026-07-01, 2026-08-01); FX_T0 is
 * 2026-07-02 10:00, a price holds 30 days. The override is asked for per
 * line with the reserved reason PROMOTION_EXTENSION (domain/pricing.h);
 * the policy's EXPIRED_PROMOTION_OVERRIDE rule then needs its approver.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/strutil.h"
#include "domain/pricing.h"
#include "domain/sample.h"
#include "quote_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(promotion_expiry, .init = setup, .fini = teardown);

#define AUG_1 Q2O_SAMPLE_AUGUST_1
#define HOUR 3600000LL

static void ok(q2o_err e, const char *what)
{
    cr_assert_eq(e, Q2O_OK, "%s refused: %s (%s)", what, q2o_err_name(e), f.last.detail);
}

static void refused(q2o_err e, q2o_err want, const char *what)
{
    cr_assert_eq(e, want, "%s: got %s, want %s (%s)", what, q2o_err_name(e), q2o_err_name(want), f.last.detail);
}

static void detail_has(const char *part)
{
    cr_assert(strstr(f.last.detail, part) != NULL, "detail '%s' lacks '%s'", f.last.detail, part);
}

/* A line of `qty` SAAS-ENT-USER with a promotion code and an override reason
 * (either may be ""). */
static q2o_line user_line(const char *id, int64_t qty, const char *promo, const char *reason)
{
    q2o_line l;
    memset(&l, 0, sizeof l);
    Q2O_STRCPY(l.line_id, id);
    Q2O_STRCPY(l.offering_id, "SAAS-ENT-USER");
    Q2O_STRCPY(l.uom, "EA");
    l.quantity = qty;
    l.override_unit_price = -1;
    q2o_strlcpy(l.promo_code, promo, sizeof l.promo_code);
    q2o_strlcpy(l.override_reason, reason, sizeof l.override_reason);
    return l;
}

static q2o_err add_line(const char *id, int64_t qty, const char *promo, const char *reason)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_LINE, &FX_REP);
    c.u.line = user_line(id, qty, promo, reason);
    return fx_send(&f, &c);
}

static q2o_err change_line(const char *id, int64_t qty, const char *promo, const char *reason)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_CHANGE_LINE, &FX_REP);
    c.u.line = user_line(id, qty, promo, reason);
    return fx_send(&f, &c);
}

static q2o_err new_revision(const char *reason)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_CREATE_REVISION, &FX_REP);
    Q2O_STRCPY(c.u.reason.reason_code, reason);
    return fx_send(&f, &c);
}

/* The proposal validity from now on (a revision keeps its parent's terms). */
static void valid_for_30_days(void)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_CHANGE_TERMS, &FX_REP);
    c.terms = fx_rev(&f)->terms;
    c.terms.valid_until = f.now + 30 * FX_DAY;
    ok(fx_send(&f, &c), "ChangeTerms");
}

static q2o_err sweep(void)
{
    q2o_command c = fx_cmd(&f, Q2O_CMD_EXPIRE_QUOTE, &FX_SWEEPER);
    return fx_send(&f, &c);
}

/* Submit (auto-approval when nothing fired), document, present. */
static void present_auto_approved(void)
{
    ok(fx_submit(&f), "Submit");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_APPROVED, "auto-approved");
    ok(fx_attach(&f), "AttachDocument");
    ok(fx_present(&f), "Present");
}

static void document_and_present(void)
{
    ok(fx_attach(&f), "AttachDocument");
    ok(fx_present(&f), "Present");
}

static int has_reason(const q2o_revision *r, q2o_approval_rule rule)
{
    for (uint32_t i = 0; i < r->n_reasons; i++)
        if (r->reasons[i].rule == rule)
            return 1;
    return 0;
}

/* Given a quote with JULY2026 on 10 users, priced and presented on 2 July. */
static void july_quote_presented(void)
{
    fx_create(&f);
    ok(add_line("L1", 10, "JULY2026", ""), "AddLine");
    ok(fx_price(&f), "Price");
    cr_assert_eq(fx_rev(&f)->promo_ends_at, AUG_1);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.net_total, 10 * 5000 * 24 * 95 / 100);
    present_auto_approved();
}

/* Given, on 3 August, a quote whose lines keep the ended JULY2026 with
 * PROMOTION_EXTENSION, priced: the override fires. */
static void extension_quote_priced(void)
{
    f.now = AUG_1 + 2 * FX_DAY;
    fx_create(&f);
    ok(add_line("L1", 10, "JULY2026", Q2O_REASON_PROMOTION_EXTENSION), "AddLine L1");
    ok(add_line("L2", 5, "JULY2026", Q2O_REASON_PROMOTION_EXTENSION), "AddLine L2");
    ok(fx_price(&f), "Price with the extension");
}

/* ------------------------------------------------------ the promotion's window */

Test(promotion_expiry, accepted_while_the_promotion_runs)
{
    july_quote_presented();
    f.now = AUG_1 - 1;
    ok(fx_accept(&f), "accept the last millisecond of July");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_ACCEPTED);
}

Test(promotion_expiry, refused_when_the_promotion_ended_before_acceptance)
{
    july_quote_presented();
    f.now = AUG_1 + HOUR; /* the price (until 1 August 10:00) and the proposal still hold */
    refused(fx_accept(&f), Q2O_QUOTE_PROMOTION_EXPIRED, "accept after the promotion ended");
    detail_has("JULY2026");
    detail_has("line L1");
    detail_has("2026-08-01T00:00:00");
    detail_has("acceptance");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_PRESENTED, "a refusal changes nothing");
}

Test(promotion_expiry, sweeper_expires_the_revision_when_the_promotion_ends)
{
    july_quote_presented();
    f.now = AUG_1 - 1;
    refused(sweep(), Q2O_QUOTE_NOT_EXPIRED, "sweep before the end");
    f.now = AUG_1;
    ok(sweep(), "sweep at the end");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_EXPIRED);
    cr_assert_eq(fx_rev(&f)->expired_kind, Q2O_EXP_PROMOTION);
}

/* ------------------------------------------------------ revise and reprice */

Test(promotion_expiry, revised_and_repriced_without_the_code_is_accepted)
{
    july_quote_presented();
    f.now = AUG_1 + HOUR;
    refused(fx_accept(&f), Q2O_QUOTE_PROMOTION_EXPIRED, "accept after the end");
    ok(new_revision("PROMOTION_EXPIRED"), "revision 2");
    refused(fx_price(&f), Q2O_QUOTE_PROMOTION_EXPIRED, "repricing the ended code as it is");
    ok(change_line("L1", 10, "", ""), "drop the promotion");
    valid_for_30_days();
    ok(fx_price(&f), "reprice without the promotion");
    cr_assert_eq(fx_rev(&f)->promo_ends_at, 0);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.net_total, 10 * 5000 * 24, "the list price again");
    present_auto_approved();
    ok(fx_accept(&f), "accept revision 2");
    cr_assert_eq(f.q->accepted_revision, 2);
}

/* An August promotion beside the fixture's July one. */
static void add_august(q2o_catalog *c)
{
    q2o_cat_promotion *p = q2o_catalog_alloc(c, 2, sizeof *p);
    p[0] = c->promotions[0];
    Q2O_STRCPY(p[1].code, "AUG2026");
    Q2O_STRCPY(p[1].name, "August 2026");
    p[1].version = 1;
    p[1].discount_bp = 300;
    p[1].starts_at = AUG_1;
    p[1].ends_at = AUG_1 + 31 * FX_DAY;
    c->promotions = p;
    c->n_promotions = 2;
}

Test(promotion_expiry, revised_and_repriced_with_a_valid_code_is_accepted)
{
    fx_use_catalog(&f, fx_saas_catalog_with(add_august));
    july_quote_presented();
    f.now = AUG_1 + HOUR;
    refused(fx_accept(&f), Q2O_QUOTE_PROMOTION_EXPIRED, "accept after the end");
    ok(new_revision("PROMOTION_EXPIRED"), "revision 2");
    ok(change_line("L1", 10, "AUG2026", ""), "the August promotion instead");
    valid_for_30_days();
    ok(fx_price(&f), "reprice with AUG2026");
    cr_assert_eq(fx_rev(&f)->promo_ends_at, AUG_1 + 31 * FX_DAY);
    present_auto_approved();
    f.now = AUG_1 + 10 * FX_DAY;
    ok(fx_accept(&f), "accept revision 2 while August runs");
}

/* ------------------------------------------------------ the override */

Test(promotion_expiry, extension_after_the_end_is_priced_and_needs_the_override)
{
    extension_quote_priced();
    const q2o_revision *r = fx_rev(&f);
    const q2o_line *l1 = q2o_quote_line(f.q, "L1");
    cr_assert_eq(l1->price.net_total, 10 * 5000 * 24 * 95 / 100, "priced with the 5 %%");
    cr_assert_str_eq(l1->price.promo_code, "JULY2026");
    cr_assert_eq(l1->price.promo_ends_at, AUG_1, "the line keeps when it ended");
    cr_assert_eq(r->promo_ends_at, 0, "no live promotion can end");
    cr_assert_eq(r->status, Q2O_ST_REQUIRES_APPROVAL);
    cr_assert_eq(r->n_reasons, 1);
    cr_assert_eq(r->reasons[0].rule, Q2O_AR_EXPIRED_PROMOTION_OVERRIDE);
    cr_assert_eq(r->reasons[0].figure, 2, "two lines keep an ended promotion");
    cr_assert_eq(r->reasons[0].threshold, 0);
    cr_assert_eq(r->n_steps, 1);
    cr_assert_eq(r->steps[0].role, (uint32_t)Q2O_ROLE_DEAL_DESK, "the default policy routes it to the desk");
    cr_assert_eq(r->steps[0].mandatory, 1);
}

Test(promotion_expiry, approved_override_lets_the_ended_promotion_be_accepted)
{
    extension_quote_priced();
    ok(fx_submit(&f), "Submit");
    refused(sweep(), Q2O_QUOTE_NOT_EXPIRED, "the sweeper leaves it in review");
    ok(fx_approve(&f, &FX_DESK), "the deal desk approves the override");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_APPROVED);
    document_and_present();
    f.now += FX_DAY;
    refused(sweep(), Q2O_QUOTE_NOT_EXPIRED, "the sweeper leaves the approved override");
    ok(fx_accept(&f), "accept with the approved override");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_ACCEPTED);
    cr_assert_eq(q2o_quote_line(f.q, "L1")->price.net_total, 10 * 5000 * 24 * 95 / 100, "the price kept");
}

Test(promotion_expiry, override_without_approval_is_refused)
{
    extension_quote_priced();
    refused(fx_attach(&f), Q2O_QUOTE_APPROVAL_REQUIRED, "document before approval");
    ok(fx_submit(&f), "Submit");
    refused(fx_present(&f), Q2O_QUOTE_APPROVAL_REQUIRED, "present in review");
    refused(fx_accept(&f), Q2O_QUOTE_NOT_EDITABLE_IN_STATE, "accept in review");
    q2o_command c = fx_cmd(&f, Q2O_CMD_REJECT_APPROVAL, &FX_DESK);
    memcpy(c.u.approve.expected_fp, fx_rev(&f)->approval_fp, 32);
    Q2O_STRCPY(c.u.approve.comment, "July is over");
    ok(fx_send(&f, &c), "the desk rejects the override");
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_REJECTED);
    refused(fx_accept(&f), Q2O_QUOTE_NOT_EDITABLE_IN_STATE, "accept a rejected revision");
}

/* Defence in depth: decide never presents a kept expired promotion without
 * the approval, so a state whose approval does not cover the override (a
 * lost reason in a hostile or hand-edited log) is built by editing a copy. */
Test(promotion_expiry, acceptance_checks_the_approval_covers_the_override)
{
    extension_quote_priced();
    ok(fx_submit(&f), "Submit");
    ok(fx_approve(&f, &FX_DESK), "Approve");
    document_and_present();
    q2o_quote *edited = q2o_quote_new();
    q2o_quote_copy(edited, f.q);
    q2o_revision *r = &edited->revisions[edited->n_revisions - 1];
    cr_assert(has_reason(r, Q2O_AR_EXPIRED_PROMOTION_OVERRIDE));
    r->reasons[0].rule = Q2O_AR_LEGAL_CLAUSE_EXCEPTION;
    q2o_command c = fx_cmd(&f, Q2O_CMD_ACCEPT_QUOTE, &FX_CUSTOMER);
    c.u.accept.method = Q2O_AM_ESIGNATURE;
    Q2O_STRCPY(c.u.accept.acceptor_id, FX_CUSTOMER.id);
    Q2O_STRCPY(c.u.accept.document_id, r->document_id);
    memcpy(c.u.accept.document_hash, r->presented_hash, 32);
    Q2O_STRCPY(c.u.accept.signature_envelope_id, "ENV-778");
    q2o_decision d;
    q2o_err e = q2o_quote_decide(&f.env, edited, &c, f.now, &d);
    cr_assert_eq(e, Q2O_QUOTE_PROMOTION_EXPIRED, "got %s (%s)", q2o_err_name(e), d.detail);
    cr_assert(strstr(d.detail, "PROMOTION_EXTENSION without an approved EXPIRED_PROMOTION_OVERRIDE"), "%s",
              d.detail);
    cr_assert(strstr(d.detail, "JULY2026 on line L1 ended at 2026-08-01T00:00:00"), "%s", d.detail);
    q2o_decision_release(&d);
    q2o_quote_free(edited);
    ok(fx_accept(&f), "the untouched state accepts");
}

/* The reason asks to keep a promotion that has ended; inside the window it
 * changes nothing, so the promotion still stops holding at its end. */
Test(promotion_expiry, extension_asked_inside_the_window_does_not_outlive_it)
{
    fx_create(&f);
    ok(add_line("L1", 10, "JULY2026", Q2O_REASON_PROMOTION_EXTENSION), "AddLine");
    ok(fx_price(&f), "Price in July");
    cr_assert_eq(fx_rev(&f)->n_reasons, 0, "nothing to override yet");
    cr_assert_eq(fx_rev(&f)->promo_ends_at, AUG_1);
    present_auto_approved();
    f.now = AUG_1 + HOUR;
    refused(fx_accept(&f), Q2O_QUOTE_PROMOTION_EXPIRED, "accept after the end");
    detail_has("JULY2026");
}

Test(promotion_expiry, revised_without_the_extension_needs_no_override)
{
    extension_quote_priced();
    ok(new_revision("DROP_PROMOTION"), "revision 2");
    ok(change_line("L1", 10, "", ""), "L1 without the promotion");
    ok(change_line("L2", 5, "", ""), "L2 without the promotion");
    ok(fx_price(&f), "reprice");
    cr_assert_eq(fx_rev(&f)->n_reasons, 0);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_PRICED);
    present_auto_approved();
    ok(fx_accept(&f), "accept revision 2");
}

/* A policy that names no role for the rule: the step goes to the sales
 * manager (domain/approval.h), never skipped. */
Test(promotion_expiry, policy_without_a_role_routes_the_override_to_the_sales_manager)
{
    f.policy.step_role[Q2O_AR_EXPIRED_PROMOTION_OVERRIDE] = 0;
    extension_quote_priced();
    const q2o_revision *r = fx_rev(&f);
    cr_assert_eq(r->status, Q2O_ST_REQUIRES_APPROVAL);
    cr_assert_eq(r->n_steps, 1);
    cr_assert_eq(r->steps[0].role, (uint32_t)Q2O_ROLE_SALES_MANAGER);
    ok(fx_submit(&f), "Submit");
    refused(fx_approve(&f, &FX_DESK), Q2O_QUOTE_STEP_NOT_PENDING, "the desk holds no step");
    ok(fx_approve(&f, &FX_MANAGER), "the manager approves");
    document_and_present();
    ok(fx_accept(&f), "accept");
}
