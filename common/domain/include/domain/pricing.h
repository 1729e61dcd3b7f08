/*
 * domain/pricing.h — the narrow pricing interface, and the list-price engine.
 *
 * The quote aggregate prices a revision only through q2o_pricer: it hands
 * the header, the terms and the lines, gets back a price per line, totals
 * and validation findings. The catalog/pricing issue replaces the engine,
 * not this interface. Engines are pure: same input, same output, bit for
 * bit; they read no clock (pricing_date is an argument).
 *
 * Thread safety: an engine's ctx is immutable reference data; price() may be
 * called from any thread concurrently.
 */
#ifndef Q2O_DOMAIN_PRICING_H
#define Q2O_DOMAIN_PRICING_H

#include <stdint.h>

#include "core/error.h"
#include "domain/types.h"

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
    int64_t merchandise;              /* sum of list totals */
    int64_t discount_total;           /* sum of line discounts */
    int64_t net_total;                /* sum of line net totals */
    int64_t freight;
    int64_t tax;
    int64_t grand_total;              /* net + freight + tax */
    int64_t cost_total;
    int32_t margin_bp;
    int32_t max_discount_bp;          /* the deepest line discount vs list, for approvals */
    int64_t catalog_version;
    int64_t pricebook_version;
    q2o_time_ms price_valid_until;
    q2o_time_ms promo_ends_at;        /* earliest end of an applied promotion; 0 = none */
    uint32_t n_violations;
    q2o_violation violations[Q2O_MAX_VIOLATIONS];
} q2o_price_output;

/* Returns Q2O_OK with findings in out->violations (a blocking finding means
 * the revision cannot be priced), or a hard error such as Q2O_MONEY_OVERFLOW. */
typedef struct q2o_pricer {
    const void *ctx;
    q2o_err (*price)(const void *ctx, const q2o_price_input *in, q2o_price_output *out);
} q2o_pricer;

/* ---------------------------------------------------------------------
 * The list-price engine: price x quantity, a promotion by code, the manual
 * discount, the manual override; a flat freight and a tax rate. Enough to
 * carry real snapshots and fingerprints until the catalog engine lands.
 * ------------------------------------------------------------------- */
#define Q2O_LIST_MAX_MANDATORY 4

typedef struct q2o_list_offering {
    const char *id;
    const char *name;
    int64_t unit_price;               /* minor units, per uom per month if recurring */
    int64_t unit_cost;
    int recurring;                    /* 1 = price is per month, multiplied by the term */
    q2o_time_ms active_from;          /* 0 = always */
    q2o_time_ms active_until;         /* 0 = open-ended */
    const char *mandatory_options[Q2O_LIST_MAX_MANDATORY]; /* NULL-terminated or full */
} q2o_list_offering;

typedef struct q2o_list_promotion {
    const char *code;
    int32_t discount_bp;
    q2o_time_ms starts_at;
    q2o_time_ms ends_at;
} q2o_list_promotion;

typedef struct q2o_list_catalog {
    const char *currency;             /* the one price book's currency */
    int64_t catalog_version;
    int64_t pricebook_version;
    const q2o_list_offering *offerings;
    uint32_t n_offerings;
    const q2o_list_promotion *promotions;
    uint32_t n_promotions;
    int64_t freight_flat;             /* per quote */
    int32_t tax_bp;                   /* estimated tax on net + freight */
    int64_t price_validity_ms;        /* priced_at + this = price valid until */
} q2o_list_catalog;

/* A pricer over a list catalog; the catalog must outlive the pricer. */
q2o_pricer q2o_list_pricer(const q2o_list_catalog *catalog);

#endif
