#include <criterion/criterion.h>
#include <string.h>

#include "core/sha256.h"
#include "core/timeutil.h"

Test(core_time, format_and_parse_round_trip)
{
    q2o_time_ms t;
    char buf[32];
    cr_assert_eq(q2o_time_parse("2026-07-02T10:00:00+07:00", &t), Q2O_OK);
    cr_assert_str_eq(q2o_time_format(t, buf, sizeof buf), "2026-07-02T03:00:00.000Z");
    cr_assert_eq(q2o_time_parse("1970-01-01", &t), Q2O_OK);
    cr_assert_eq(t, 0);
    cr_assert_eq(q2o_time_parse("2024-02-29T23:59:59.5Z", &t), Q2O_OK);
    cr_assert_str_eq(q2o_time_format(t, buf, sizeof buf), "2024-02-29T23:59:59.500Z");
    cr_assert_str_eq(q2o_time_format(-1, buf, sizeof buf), "1969-12-31T23:59:59.999Z");
}

Test(core_time, malformed_times_are_rejected)
{
    static const char *bad[] = {"", "2026", "2026-13-01", "2026-07-02T25:00:00Z",
                                "2026-07-02T10:00:00", "2026-07-02X", "2026-07-02T10:00:00Zjunk"};
    q2o_time_ms t;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(q2o_time_parse(bad[i], &t), Q2O_FIELD_INVALID, "accepted '%s'", bad[i]);
}

Test(core_sha256, matches_fips_vectors)
{
    uint8_t d[32];
    char hex[65];
    q2o_sha256_digest("abc", 3, d);
    cr_assert_str_eq(q2o_hex(d, 32, hex),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    q2o_sha256_digest("", 0, d);
    cr_assert_str_eq(q2o_hex(d, 32, hex),
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    uint8_t back[32];
    cr_assert_eq(q2o_unhex(hex, back, 32), 0);
    cr_assert_eq(memcmp(back, d, 32), 0);
    cr_assert_eq(q2o_unhex("zz", back, 1), -1);
}

Test(core_sha256, length_prefixed_strings_do_not_collide)
{
    uint8_t a[32], b[32];
    q2o_sha256 c;
    q2o_sha256_init(&c);
    q2o_sha256_update_str(&c, "ab");
    q2o_sha256_update_str(&c, "c");
    q2o_sha256_final(&c, a);
    q2o_sha256_init(&c);
    q2o_sha256_update_str(&c, "a");
    q2o_sha256_update_str(&c, "bc");
    q2o_sha256_final(&c, b);
    cr_assert_neq(memcmp(a, b, 32), 0);
}
