/*
 * domain/pricing.h — the narrow pricing interface and the price waterfall.
 *
 * The quote aggregate prices a revision only through q2o_pricer: it hands
 * the header, the terms and the lines, gets back a price per line, totals
 * and validation findings. The engine is the catalog pricer
 * (domain/catalog_pricing.h). Engines are pure: same input, same output,
 * bit for bit; they read no clock (pricing_date is an argument).
 *
 * Thread safety: an engine's ctx is immutable reference data; price() may be
 * called from any thread concurrently.
 */
#ifndef Q2O_DOMAIN_PRICING_H
#define Q2O_DOMAIN_PRICING_H

#include <stdint.h>

#include "core/error.h"
#include "domain/types.h"

/* ---- the price waterfall (SPEC §4) ----
 * Each line's price goes through these stages in this order; a stage that
 * does not apply leaves no step. A step records which rule applied (its id
 * and version), the input that selected it, the rate, and the amount it
 * took off (negative: an uplift), so that every number can be explained and
 * replayed. Amounts of a recurring line are per month (the waterfall prices
 * one period; the term multiplies the net); one-time lines are priced once. */
#define Q2O_PRICE_STAGE_LIST(X) \
    X(LIST) X(CONTRACTED) X(CUSTOMER_TIER) X(VOLUME) X(TERM) X(PROMOTION) X(MANUAL_DISCOUNT) X(OVERRIDE)
typedef enum q2o_price_stage {
#define Q2O_ENUM_PS_(n) Q2O_PS_##n,
    Q2O_PRICE_STAGE_LIST(Q2O_ENUM_PS_)
#undef Q2O_ENUM_PS_
    Q2O_PS__COUNT
} q2o_price_stage;
const char *q2o_price_stage_name(q2o_price_stage s); /* "CUSTOMER_TIER" */

#define Q2O_MAX_PRICE_STEPS Q2O_PS__COUNT

typedef struct q2o_price_step {
    q2o_price_stage stage;
    char rule[Q2O_CODE_MAX];          /* price book, contract, tier, schedule, promotion,
                                         override reason: the id of what applied */
    int64_t rule_version;             /* its version (0 when it has none) */
    int64_t input;                    /* what selected it: quantity, months, unit price, bp */
    int32_t rate_bp;                  /* the discount rate (negative = uplift); 0 if an amount */
    int64_t amount;                   /* taken off by this step (negative = added) */
    int64_t after;                    /* the line's amount after this step */
} q2o_price_step;

typedef struct q2o_line_trace {
    uint32_t n_steps;
    q2o_price_step steps[Q2O_MAX_PRICE_STEPS];
} q2o_line_trace;

/* ---- keeping a promotion past its window (SPEC §3 Expiry, §5) ----
 * A line's promo_code whose window closed on or before the pricing date
 * (ends_at <= date) is refused with Q2O_QUOTE_PROMOTION_EXPIRED, unless the
 * line's override_reason is this reserved reason code: the line is then
 * priced WITH the promotion (its PROMOTION step as usual: rule = the code,
 * rate or amount as the catalog defines it), counted in
 * q2o_price_output.expired_promotions_kept, and the quote's approval policy
 * fires EXPIRED_PROMOTION_OVERRIDE (domain/approval.h): the promotion is
 * kept only once that approval is granted. The reason needs no
 * override_unit_price (with one, the OVERRIDE step records this reason as
 * any other). A promotion that has not started yet is never kept, and an
 * automatic promotion is never kept (only a coded one can be asked for). */
#define Q2O_REASON_PROMOTION_EXTENSION "PROMOTION_EXTENSION"

typedef struct q2o_price_input {
    const q2o_quote_header *header;
    const q2o_terms *terms;
    const q2o_line *lines;
    uint32_t n_lines;
    q2o_time_ms pricing_date;
} q2o_price_input;

typedef struct q2o_price_output {
    q2o_line_price *lines;            /* caller-provided, n_lines entries, same order */
    char (*display_names)[Q2O_NAME_MAX]; /* caller-provided, n_lines: name snapshots */
    q2o_line_trace *traces;           /* caller-provided, n_lines; NULL = not wanted */
    int64_t merchandise;              /* sum of list totals */
    int64_t discount_total;           /* sum of line discounts */
    int64_t net_total;                /* sum of line net totals */
    int64_t freight;
    int64_t tax;
    int64_t grand_total;              /* net + freight + tax */
    int64_t cost_total;
    int64_t one_time_total;           /* net of one-time charges */
    int64_t recurring_total;          /* net recurring charges per month */
    int32_t margin_bp;
    int32_t max_discount_bp;          /* the deepest line discount vs list, for approvals */
    int64_t catalog_version;
    int64_t pricebook_version;
    char catalog_id[Q2O_CODE_MAX];
    char pricebook_id[Q2O_CODE_MAX];
    q2o_time_ms price_valid_until;
    q2o_time_ms promo_ends_at;        /* earliest end of a promotion applied inside its window;
                                         0 = none (a kept expired promotion has already ended:
                                         it does not count here, see below) */
    uint32_t expired_promotions_kept; /* lines priced with a promotion past its window by
                                         Q2O_REASON_PROMOTION_EXTENSION (their line price keeps
                                         the promotion's real promo_ends_at, <= the date) */
    uint32_t n_violations;
    q2o_violation violations[Q2O_MAX_VIOLATIONS];
} q2o_price_output;

/* Record a finding in out (dropped beyond Q2O_MAX_VIOLATIONS; strings are
 * truncated to their fields). */
void q2o_price_output_violate(q2o_price_output *out, q2o_err code, const char *line_id, const char *detail);

/* Returns Q2O_OK with findings in out->violations (a blocking finding means
 * the revision cannot be priced), or a hard error such as Q2O_MONEY_OVERFLOW. */
typedef struct q2o_pricer {
    const void *ctx;
    q2o_err (*price)(const void *ctx, const q2o_price_input *in, q2o_price_output *out);
} q2o_pricer;

#endif
