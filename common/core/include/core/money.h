/*
 * core/money.h — exact money: int64 minor units plus an ISO 4217 currency.
 *
 * No floating point anywhere. Amounts are bounded by Q2O_MAX_AMOUNT; every
 * operation checks for overflow and returns Q2O_MONEY_OVERFLOW rather than
 * wrapping.
 *
 * THE ROUNDING RULE (the only one in q2o): a quotient that is not exact is
 * rounded to the nearest minor unit, halves away from zero
 * (1.5 -> 2, 2.5 -> 3, -1.5 -> -2). It applies to every percentage,
 * basis-point and proration computation, at the step where the division
 * happens; sums are exact.
 *
 * Rates are in basis points (1 bp = 0.01 %, 10000 bp = 100 %).
 *
 * Thread safety: pure functions; the currency table is static and immutable.
 */
#ifndef Q2O_CORE_MONEY_H
#define Q2O_CORE_MONEY_H

#include <stdint.h>

#include "core/error.h"

typedef struct q2o_currency {
    char code[4];   /* "USD", NUL-terminated */
    int exponent;   /* minor-unit digits: 0 (JPY), 2 (USD), 3 (BHD) */
} q2o_currency;

/* Look up a supported ISO 4217 code. Returns 0 and fills *out, or
 * Q2O_CURRENCY_UNKNOWN. */
q2o_err q2o_currency_find(const char *code, q2o_currency *out);

/* a + b, a - b, a * b with the Q2O_MAX_AMOUNT bound. */
q2o_err q2o_money_add(int64_t a, int64_t b, int64_t *out);
q2o_err q2o_money_sub(int64_t a, int64_t b, int64_t *out);
q2o_err q2o_money_mul(int64_t a, int64_t b, int64_t *out);

/* round(a * num / den) with the rounding rule above; den > 0. The product is
 * computed in 128 bits, so only the result is bounded. */
q2o_err q2o_money_mul_div(int64_t a, int64_t num, int64_t den, int64_t *out);

/* The part of `a` that a rate in basis points takes: round(a * bp / 10000). */
q2o_err q2o_money_percent_bp(int64_t a, int64_t bp, int64_t *out);

/* Format "1234.50 USD" style (no grouping) into buf; returns buf. */
char *q2o_money_format(int64_t amount, const q2o_currency *cur, char *buf, unsigned size);

#endif
