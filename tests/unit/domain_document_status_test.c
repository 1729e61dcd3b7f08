/* Document generation is an operation with its own status (SPEC §3): the
 * approval makes it PENDING, the attached document DONE, a reprice resets
 * it, and a re-approval of the same snapshot keeps the document DONE. */
#include <criterion/criterion.h>

#include "quote_fixture.h"

TestSuite(domain_document_status);

Test(domain_document_status, pending_when_approved_done_when_attached)
{
    fx f;
    fx_init(&f);
    fx_to_status(&f, Q2O_ST_PRICED);
    cr_assert_eq(fx_rev(&f)->document_status, Q2O_OP_NONE);
    cr_assert_eq(fx_submit(&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_APPROVED);
    cr_assert_eq(fx_rev(&f)->document_status, Q2O_OP_PENDING);
    cr_assert_eq(fx_attach(&f), Q2O_OK);
    cr_assert_eq(fx_rev(&f)->document_status, Q2O_OP_DONE);
    fx_release(&f);
}

Test(domain_document_status, a_new_revision_repriced_and_approved_is_pending_again)
{
    fx f;
    fx_init(&f);
    fx_to_status(&f, Q2O_ST_APPROVED);
    cr_assert_eq(fx_attach(&f), Q2O_OK);
    q2o_command c = fx_command_for(&f, Q2O_CMD_CREATE_REVISION, NULL);
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    c = fx_command_for(&f, Q2O_CMD_CHANGE_LINE, NULL);
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->document_status, Q2O_OP_NONE);
    cr_assert_eq(fx_submit(&f), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_rev(&f)->status, Q2O_ST_APPROVED);
    cr_assert_eq(fx_rev(&f)->document_status, Q2O_OP_PENDING);
    fx_release(&f);
}
