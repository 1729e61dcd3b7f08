#include <criterion/criterion.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/money.h"

Test(core_money, rounding_is_half_away_from_zero)
{
    static const struct { int64_t a, num, den, want; } rows[] = {
        {15, 1, 10, 2},    {25, 1, 10, 3},   {-15, 1, 10, -2}, {-25, 1, 10, -3},
        {14, 1, 10, 1},    {-14, 1, 10, -1}, {1000, 1800, 10000, 180},
        {1, 5000, 10000, 1}, {1, 4999, 10000, 0}, {-1, 5000, 10000, -1},
        {333, 1, 3, 111},  {2, 1, 3, 1},     {1, 2, 3, 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t got;
        cr_assert_eq(q2o_money_mul_div(rows[i].a, rows[i].num, rows[i].den, &got), Q2O_OK);
        cr_assert_eq(got, rows[i].want, "row %zu: %lld*%lld/%lld = %lld, want %lld", i,
                     (long long)rows[i].a, (long long)rows[i].num, (long long)rows[i].den,
                     (long long)got, (long long)rows[i].want);
    }
}

Test(core_money, overflow_is_reported_never_wrapped)
{
    int64_t out = 7;
    cr_assert_eq(q2o_money_mul(Q2O_MAX_AMOUNT, 2, &out), Q2O_MONEY_OVERFLOW);
    cr_assert_eq(q2o_money_add(Q2O_MAX_AMOUNT, 1, &out), Q2O_MONEY_OVERFLOW);
    cr_assert_eq(q2o_money_sub(-Q2O_MAX_AMOUNT, 1, &out), Q2O_MONEY_OVERFLOW);
    cr_assert_eq(q2o_money_mul(INT64_MAX, INT64_MAX, &out), Q2O_MONEY_OVERFLOW);
    cr_assert_eq(out, 7, "output untouched on overflow");
    cr_assert_eq(q2o_money_mul_div(INT64_MAX, INT64_MAX, 1, &out), Q2O_MONEY_OVERFLOW);
    cr_assert_eq(q2o_money_mul_div(INT64_MAX, 2, 4, &out), Q2O_MONEY_OVERFLOW);
    cr_assert_eq(q2o_money_mul_div(1000, 1, 0, &out), Q2O_INVALID_ARGUMENT);
}

Test(core_money, currencies_have_iso_exponents)
{
    q2o_currency c;
    cr_assert_eq(q2o_currency_find("JPY", &c), Q2O_OK);
    cr_assert_eq(c.exponent, 0);
    cr_assert_eq(q2o_currency_find("USD", &c), Q2O_OK);
    cr_assert_eq(c.exponent, 2);
    cr_assert_eq(q2o_currency_find("BHD", &c), Q2O_OK);
    cr_assert_eq(c.exponent, 3);
    cr_assert_eq(q2o_currency_find("XXX", &c), Q2O_CURRENCY_UNKNOWN);
    cr_assert_eq(q2o_currency_find("US", &c), Q2O_CURRENCY_UNKNOWN);
    cr_assert_eq(q2o_currency_find(NULL, &c), Q2O_CURRENCY_UNKNOWN);
    char buf[64];
    q2o_currency_find("BHD", &c);
    cr_assert_str_eq(q2o_money_format(-12345, &c, buf, sizeof buf), "-12.345 BHD");
    q2o_currency_find("JPY", &c);
    cr_assert_str_eq(q2o_money_format(500, &c, buf, sizeof buf), "500 JPY");
    q2o_currency_find("USD", &c);
    cr_assert_str_eq(q2o_money_format(5, &c, buf, sizeof buf), "0.05 USD");
}
