#include <criterion/criterion.h>
#include <string.h>

#include "core/id.h"

Test(core_id, ids_sort_by_time_and_use_crockford_base32)
{
    const unsigned char r[10] = {0};
    char a[64], b[64];
    cr_assert_eq(q2o_id_format("cmd", 1000, r, a, sizeof a), Q2O_OK);
    cr_assert_eq(q2o_id_format("cmd", 1001, r, b, sizeof b), Q2O_OK);
    cr_assert_str_eq(a, "cmd-00000000Z80000000000000000", "1000 ms = 31 x 32 + 8");
    cr_assert_eq(strlen(a), 4 + 26);
    cr_assert_lt(strcmp(a, b), 0, "later ids sort after earlier ones");
    cr_assert_eq(strspn(a + 4, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), 26);
}

Test(core_id, new_ids_differ_and_refuse_small_buffers)
{
    char a[64], b[64], tiny[8];
    cr_assert_eq(q2o_id_new("q", 5, a, sizeof a), Q2O_OK);
    cr_assert_eq(q2o_id_new("q", 5, b, sizeof b), Q2O_OK);
    cr_assert_str_neq(a, b);
    cr_assert_eq(q2o_id_new("q", 5, tiny, sizeof tiny), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_id_new(NULL, 5, a, sizeof a), Q2O_OK);
    cr_assert_eq(strlen(a), 26);
}
