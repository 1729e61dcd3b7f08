/*
 * SPEC §8 "failure modes that must be impossible", one named test each
 * (seeds/003 §27).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(failure_mode, .init = setup, .fini = teardown);

Test(failure_mode, accepting_after_expiry_is_refused_and_recorded)
{
    fx_to_status(&f, Q2O_ST_PRESENTED);
    f.now = fx_rev(&f)->terms.valid_until + 1; /* the customer clicks an old proposal link */
    cr_assert_eq(fx_accept(&f), Q2O_QUOTE_EXPIRED);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_EXPIRED, "the refusal is recorded: the revision expired");
    cr_assert_eq(f.last.n_events, 1);
    cr_assert_eq(f.last.events[0].type, Q2O_EV_EXPIRED);
    cr_assert_eq(fx_accept(&f), Q2O_QUOTE_EXPIRED, "and stays refused");
}

Test(failure_mode, approval_never_applies_to_a_changed_quote)
{
    fx_to_status(&f, Q2O_ST_APPROVED);
    uint8_t approved[32];
    memcpy(approved, fx_rev(&f)->approved_fp, 32);
    q2o_command c = fx_cmd(&f, Q2O_CMD_CHANGE_LINE, &FX_REP);
    c.u.line = *q2o_quote_line(f.q, "L1");
    c.u.line.discount_bp = 1400; /* a discount change after approval */
    cr_assert_eq(fx_send(&f, &c), Q2O_QUOTE_REVISION_REQUIRED);
    cr_assert_eq(memcmp(approved, fx_rev(&f)->approval_fp, 32), 0, "content untouched");
    /* A document rendered from other content cannot be attached. */
    q2o_command d = fx_cmd(&f, Q2O_CMD_ATTACH_DOCUMENT, &FX_DOCS);
    Q2O_STRCPY(d.u.attach.document_id, "DOC-FORGED");
    memset(d.u.attach.document_hash, 0xAB, 32);
    memset(d.u.attach.snapshot_fp, 0xCD, 32);
    cr_assert_eq(fx_send(&f, &d), Q2O_QUOTE_APPROVAL_STALE);
}

Test(failure_mode, customer_cannot_sign_an_old_revision)
{
    fx_to_status(&f, Q2O_ST_PRESENTED);
    uint8_t rev1_doc[32];
    memcpy(rev1_doc, fx_rev(&f)->presented_hash, 32);
    q2o_command r = fx_cmd(&f, Q2O_CMD_CREATE_REVISION, &FX_REP);
    Q2O_STRCPY(r.u.reason.reason_code, "ALTERNATE_OPTION");
    cr_assert_eq(fx_send(&f, &r), Q2O_OK);
    q2o_command c = fx_cmd(&f, Q2O_CMD_ACCEPT_QUOTE, &FX_CUSTOMER);
    c.revision = 1;
    Q2O_STRCPY(c.u.accept.acceptor_id, FX_CUSTOMER.id);
    memcpy(c.u.accept.document_hash, rev1_doc, 32);
    cr_assert_eq(fx_send(&f, &c), Q2O_QUOTE_ALREADY_SUPERSEDED);
    c.revision = 0; /* nor by citing rev 1's document against the current revision */
    cr_assert_neq(fx_send(&f, &c), Q2O_OK);
    cr_assert_eq(f.q->accepted_revision, 0);
}

Test(failure_mode, retry_or_double_click_never_duplicates_the_order)
{
    fx_to_status(&f, Q2O_ST_ACCEPTED);
    cr_assert_eq(fx_convert(&f, "k-1"), Q2O_OK);
    char order[Q2O_ID_MAX];
    Q2O_STRCPY(order, f.last.order_id);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(fx_convert(&f, "k-1"), Q2O_OK);
        cr_assert_str_eq(f.last.order_id, order);
        cr_assert_eq(f.last.n_events, 0);
    }
    cr_assert_eq(fx_convert(&f, "k-2"), Q2O_QUOTE_ALREADY_CONVERTED);
    cr_assert_eq(f.q->n_conversions, 1);
}

Test(failure_mode, proposal_cannot_drift_from_the_stored_price)
{
    fx_to_status(&f, Q2O_ST_PRESENTED);
    q2o_command c = fx_cmd(&f, Q2O_CMD_ACCEPT_QUOTE, &FX_CUSTOMER);
    c.u.accept.method = Q2O_AM_PORTAL;
    Q2O_STRCPY(c.u.accept.acceptor_id, FX_CUSTOMER.id);
    Q2O_STRCPY(c.u.accept.document_id, fx_rev(&f)->document_id);
    memcpy(c.u.accept.document_hash, fx_rev(&f)->presented_hash, 32);
    c.u.accept.document_hash[31] ^= 1; /* the customer saw other bytes */
    cr_assert_eq(fx_send(&f, &c), Q2O_QUOTE_DOCUMENT_MISMATCH);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_PRESENTED);
}

Test(failure_mode, no_edits_during_approval)
{
    fx_to_status(&f, Q2O_ST_IN_REVIEW);
    cr_assert_eq(fx_add_line(&f, "L9", "IMPL-SERVICE", 1, 0, NULL), Q2O_QUOTE_NOT_EDITABLE_IN_STATE);
    q2o_command c = fx_cmd(&f, Q2O_CMD_CHANGE_TERMS, &FX_REP);
    c.terms = fx_rev(&f)->terms;
    c.terms.term_months = 60;
    cr_assert_eq(fx_send(&f, &c), Q2O_QUOTE_NOT_EDITABLE_IN_STATE);
    cr_assert_eq(fx_approve(&f, &FX_DESK), Q2O_OK, "the reviewed content is what gets approved");
}

Test(failure_mode, an_order_always_carries_its_quote_context)
{
    fx_to_status(&f, Q2O_ST_CONVERTED);
    const q2o_event *e = &f.log[f.n_log - 1];
    const q2o_revision *r = fx_rev(&f);
    cr_assert_eq(e->type, Q2O_EV_CONVERTED);
    cr_assert_str_eq(e->quote_id, "Q-1000");
    cr_assert_eq(e->revision, f.q->accepted_revision);
    cr_assert_eq(e->u.converted.grand_total, r->grand_total);
    cr_assert_str_eq(e->u.converted.currency, "USD");
    cr_assert_eq(memcmp(e->u.converted.pricing_fp, r->pricing_fp, 32), 0);
    cr_assert_eq(memcmp(e->u.converted.document_hash, r->acceptance.document_hash, 32), 0);
    char id[Q2O_ID_MAX], num[Q2O_ID_MAX];
    q2o_order_id_for("Q-1000", r->number, id, num);
    cr_assert_str_eq(e->u.converted.conversion.order_id, id, "order id is derived from quote + revision");
}
