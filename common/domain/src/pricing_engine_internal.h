/* Internal to the catalog pricing engine (pricing_engine.c prices the quote,
 * pricing_waterfall.c one line). The semantics are documented at the top of
 * pricing_engine.c. */
#ifndef Q2O_DOMAIN_PRICING_ENGINE_INTERNAL_H
#define Q2O_DOMAIN_PRICING_ENGINE_INTERNAL_H

#include <stdint.h>

#include "domain/catalog.h"
#include "domain/pricing.h"

/* What every line of one quote shares, looked up once per quote. */
typedef struct pe_quote {
    const q2o_catalog *cat;
    const q2o_cat_pricebook *book;        /* NULL = none: a header violation */
    const char *account_id;
    const char *currency;
    const char *region;                   /* customer region, else the market */
    int32_t region_bp;                    /* regional adjustment, + = uplift */
    const q2o_cat_tier_discount *tier;    /* the account's tier discount, or NULL */
    int32_t revision_term;                /* q2o_terms.term_months (0 if no terms) */
    q2o_time_ms date;
} pe_quote;

/* One line's catalog objects, resolved (and validated) before pricing. */
typedef struct pe_line {
    int removed;                          /* action REMOVE: priced at zero, no steps */
    const q2o_cat_offering *off;          /* NULL only for a removed unknown offering */
    const q2o_cat_price *price;
    const q2o_cat_contract_price *contract;
    const q2o_cat_schedule *volume;
    const q2o_cat_schedule *term;         /* NULL for one-time lines */
    const q2o_cat_promotion *coded;       /* the line's promo_code, checked */
    int coded_expired_kept;               /* coded's window closed; kept by
                                             Q2O_REASON_PROMOTION_EXTENSION */
    int64_t months;                       /* 1 for one-time lines */
} pe_line;

/* Add a violation (dropped silently beyond Q2O_MAX_VIOLATIONS). */

/* Resolve line l against the catalog into *r; returns the number of
 * findings added to out (0 = the line can be priced). */
uint32_t pe_line_resolve(const pe_quote *q, const q2o_line *l, pe_line *r, q2o_price_output *out);

/* Run the waterfall of a resolved line: fills *p and *t (both zeroed here).
 * Q2O_MONEY_OVERFLOW when an amount leaves the money bounds. */
q2o_err pe_line_price(const pe_quote *q, const q2o_line *l, const pe_line *r, q2o_line_price *p,
                      q2o_line_trace *t);

/* round((net - cost) x 10000 / net), 0 when net <= 0, clamped to int32. */
int32_t pe_margin_bp(int64_t net, int64_t cost);

#endif
