/* q2octl verify-document, the pure part: which revision and which hash a
 * file is compared with, and MATCH / MISMATCH. */
#include <criterion/criterion.h>
#include <string.h>

#include "ctl/docverify.h"

TestSuite(ctl_docverify);

static const uint8_t PDF1[32] = {1, 2, 3};
static const uint8_t PDF2[32] = {9, 9, 9};

/* A quote with two revisions: rev 1 presented with PDF1 (and accepted
 * with it when `accepted`), rev 2 with PDF2 attached only. The state is
 * built by hand: verify-document reads fields, it decides nothing. */
static void make_quote(q2o_quote *q, int accepted)
{
    q2o_quote_init(q);
    q->exists = 1;
    strcpy(q->quote_id, "Q-V");
    q2o_quote_reserve_revisions(q, 2);
    q->n_revisions = 2;
    q2o_revision *r1 = &q->revisions[0], *r2 = &q->revisions[1];
    memset(r1, 0, sizeof *r1);
    memset(r2, 0, sizeof *r2);
    r1->number = 1;
    r2->number = 2;
    strcpy(r1->document_id, "DOC-Q-V-R1");
    memcpy(r1->document_hash, PDF1, 32);
    memcpy(r1->presented_hash, PDF1, 32);
    if (accepted) {
        r1->accepted = 1;
        strcpy(r1->acceptance.document_id, "DOC-Q-V-R1");
        memcpy(r1->acceptance.document_hash, PDF1, 32);
        q->accepted_revision = 1;
    }
    strcpy(r2->document_id, "DOC-Q-V-R2");
    memcpy(r2->document_hash, PDF2, 32);
}

Test(ctl_docverify, the_accepted_document_matches_by_default)
{
    q2o_quote q;
    q2o_ctl_docverify v;
    make_quote(&q, 1);
    cr_assert_eq(q2o_ctl_docverify_check(&q, 0, PDF1, &v), Q2O_OK);
    cr_assert_eq(v.revision, 1);
    cr_assert_str_eq(v.which, "accepted");
    cr_assert_str_eq(v.document_id, "DOC-Q-V-R1");
    cr_assert(v.match);
    q2o_quote_release(&q);
}

Test(ctl_docverify, another_file_is_a_mismatch)
{
    q2o_quote q;
    q2o_ctl_docverify v;
    make_quote(&q, 1);
    cr_assert_eq(q2o_ctl_docverify_check(&q, 0, PDF2, &v), Q2O_OK);
    cr_assert_not(v.match);
    cr_assert_arr_eq(v.expected, PDF1, 32);
    q2o_quote_release(&q);
}

Test(ctl_docverify, without_acceptance_the_current_revisions_attached_document_counts)
{
    q2o_quote q;
    q2o_ctl_docverify v;
    make_quote(&q, 0);
    cr_assert_eq(q2o_ctl_docverify_check(&q, 0, PDF2, &v), Q2O_OK);
    cr_assert_eq(v.revision, 2);
    cr_assert_str_eq(v.which, "attached");
    cr_assert(v.match);
    cr_assert_eq(q2o_ctl_docverify_check(&q, 1, PDF1, &v), Q2O_OK);
    cr_assert_str_eq(v.which, "presented");
    cr_assert(v.match);
    q2o_quote_release(&q);
}

Test(ctl_docverify, a_revision_without_a_document_or_a_missing_one_is_an_error)
{
    q2o_quote q;
    q2o_ctl_docverify v;
    make_quote(&q, 0);
    cr_assert_eq(q2o_ctl_docverify_check(&q, 3, PDF1, &v), Q2O_QUOTE_REVISION_NOT_FOUND);
    memset(q.revisions[1].document_hash, 0, 32);
    q.revisions[1].document_id[0] = '\0';
    cr_assert_eq(q2o_ctl_docverify_check(&q, 2, PDF2, &v), Q2O_QUOTE_DOCUMENT_MISSING);
    q.exists = 0;
    cr_assert_eq(q2o_ctl_docverify_check(&q, 0, PDF2, &v), Q2O_QUOTE_NOT_FOUND);
    q2o_quote_release(&q);
}
