#include "core/money.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"

/* 128-bit intermediates keep products exact; GCC and Clang provide them. */
__extension__ typedef __int128 i128;

/* ISO 4217 minor-unit exponents of the currencies q2o supports. */
static const q2o_currency currencies[] = {
    {"AED", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2},
    {"CLP", 0}, {"CNY", 2}, {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"GBP", 2},
    {"HKD", 2}, {"IDR", 2}, {"INR", 2}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
    {"KRW", 0}, {"KWD", 3}, {"MXN", 2}, {"MYR", 2}, {"NOK", 2}, {"NZD", 2},
    {"OMR", 3}, {"PHP", 2}, {"PLN", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2},
    {"THB", 2}, {"TND", 3}, {"TRY", 2}, {"USD", 2}, {"VND", 0}, {"ZAR", 2},
};

q2o_err q2o_currency_find(const char *code, q2o_currency *out)
{
    if (!code || strlen(code) != 3)
        return Q2O_CURRENCY_UNKNOWN;
    for (unsigned i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++) {
        if (memcmp(currencies[i].code, code, 3) == 0) {
            *out = currencies[i];
            return Q2O_OK;
        }
    }
    return Q2O_CURRENCY_UNKNOWN;
}

static q2o_err bound(i128 v, int64_t *out)
{
    if (v > Q2O_MAX_AMOUNT || v < -Q2O_MAX_AMOUNT)
        return Q2O_MONEY_OVERFLOW;
    *out = (int64_t)v;
    return Q2O_OK;
}

q2o_err q2o_money_add(int64_t a, int64_t b, int64_t *out)
{
    return bound((i128)a + b, out);
}

q2o_err q2o_money_sub(int64_t a, int64_t b, int64_t *out)
{
    return bound((i128)a - b, out);
}

q2o_err q2o_money_mul(int64_t a, int64_t b, int64_t *out)
{
    return bound((i128)a * b, out);
}

q2o_err q2o_money_mul_div(int64_t a, int64_t num, int64_t den, int64_t *out)
{
    if (den <= 0)
        return Q2O_INVALID_ARGUMENT;
    i128 p = (i128)a * num;
    int neg = p < 0;
    i128 mag = neg ? -p : p;
    i128 q = mag / den;
    i128 r = mag % den;
    if (r * 2 >= den) /* half away from zero */
        q += 1;
    return bound(neg ? -q : q, out);
}

q2o_err q2o_money_percent_bp(int64_t a, int64_t bp, int64_t *out)
{
    return q2o_money_mul_div(a, bp, 10000, out);
}

char *q2o_money_format(int64_t amount, const q2o_currency *cur, char *buf, unsigned size)
{
    int exp = cur ? cur->exponent : 2;
    const char *code = cur ? cur->code : "";
    uint64_t mag = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    uint64_t scale = 1;
    for (int i = 0; i < exp; i++)
        scale *= 10;
    if (exp == 0)
        snprintf(buf, size, "%s%llu %s", amount < 0 ? "-" : "", (unsigned long long)mag, code);
    else
        snprintf(buf, size, "%s%llu.%0*llu %s", amount < 0 ? "-" : "",
                 (unsigned long long)(mag / scale), exp, (unsigned long long)(mag % scale), code);
    return buf;
}
