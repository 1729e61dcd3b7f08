/* Every code of the error table has a name, a message and a remediation, and
 * numbers are unique: results and dead letters carry them across processes. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/error.h"

Test(core_error, every_code_has_text_and_a_unique_number)
{
    q2o_err a, b;
    int n = 0;
    for (int i = 0; q2o_err_at(i, &a) == 0; i++, n++) {
        cr_assert_str_neq(q2o_err_name(a), "UNKNOWN_ERROR");
        cr_assert(strlen(q2o_err_message(a)) > 10, "%s has no message", q2o_err_name(a));
        cr_assert(strlen(q2o_err_remediation(a)) > 10, "%s has no remediation", q2o_err_name(a));
        q2o_err back;
        cr_assert_eq(q2o_err_from_name(q2o_err_name(a), &back), 0);
        cr_assert_eq(back, a);
        for (int j = i + 1; q2o_err_at(j, &b) == 0; j++)
            cr_assert_neq((int)a, (int)b, "duplicate number %d", (int)a);
    }
    cr_assert_gt(n, 60);
}

Test(core_error, spec_codes_are_present_with_stable_numbers)
{
    static const struct { const char *name; int num; } spec[] = {
        {"QUOTE_NOT_EDITABLE_IN_STATE", 102}, {"QUOTE_PRICE_STALE", 104},
        {"QUOTE_APPROVAL_STALE", 105},        {"QUOTE_ALREADY_SUPERSEDED", 106},
        {"QUOTE_EXPIRED", 107},               {"QUOTE_DOCUMENT_MISMATCH", 108},
        {"QUOTE_ALREADY_CONVERTED", 109},     {"QUOTE_CONVERSION_NOT_READY", 110},
        {"QUOTE_CONCURRENT_MODIFICATION", 111}, {"QUOTE_CHANGED_DURING_APPROVAL", 112},
        {"MISSING_BILLING_ACCOUNT", 302},     {"DISCOUNT_REQUIRES_APPROVAL", 307},
    };
    for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
        q2o_err e;
        cr_assert_eq(q2o_err_from_name(spec[i].name, &e), 0, "%s missing", spec[i].name);
        cr_assert_eq((int)e, spec[i].num, "%s renumbered", spec[i].name);
        cr_assert_eq(q2o_err_class_of(e), Q2O_CLASS_REJECTED);
    }
}

Test(core_error, unknown_numbers_are_fatal_and_named)
{
    cr_assert_str_eq(q2o_err_name((q2o_err)99999), "UNKNOWN_ERROR");
    cr_assert_eq(q2o_err_class_of((q2o_err)99999), Q2O_CLASS_FATAL);
    cr_assert_not(q2o_err_is_known(99999));
    q2o_err e;
    cr_assert_eq(q2o_err_from_name("NOPE", &e), -1);
}
