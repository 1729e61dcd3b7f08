/*
 * domain/catalog.h — the catalog: versioned, effective-dated reference data
 * (SPEC §4 and §7).
 *
 * One q2o_catalog is one version of everything a quote is configured and
 * priced against: offerings and bundles (option groups with min/max
 * selections), attributes (enumerations, integer ranges), configuration
 * rules (requires, excludes, quantity relations, recommendations),
 * eligibility (region, segment, channel), cost, price books per
 * currency/market/channel with unit or block prices, volume and term
 * discount schedules (range and slab tiers), customer-contracted prices,
 * customer tiers, regional adjustments, promotions (window, code), order
 * types, freight rules, tax rates, stock levels, and the approval and
 * acceptance policies.
 *
 * Life cycle: q2o_catalog_new, fill the arrays (the JSON loader in
 * codec/catalog_json.h does it from a document; tests and benchmarks may do
 * it in code, allocating every array with q2o_catalog_alloc), then
 * q2o_catalog_seal, which checks identities and builds the hash indexes.
 * After sealing the catalog is immutable and every lookup below costs O(1)
 * expected, whatever the catalog's size (SPEC asks for per-line lookup cost
 * flat as a catalog grows). Lookups before sealing abort.
 *
 * Ownership: the catalog owns every array and string it points to (one
 * arena, released by q2o_catalog_free). Strings are fixed-size,
 * NUL-terminated fields sized from core/limits.h. Empty string = "any" for
 * the selectors (market, channel, region) and "none" elsewhere.
 *
 * Amounts are integer minor units of the price book's currency; rates and
 * discounts are basis points (1 bp = 0.01 %); times are q2o_time_ms.
 *
 * Thread safety: a sealed catalog may be read from any number of threads.
 * Pure: no I/O, no clock.
 */
#ifndef Q2O_DOMAIN_CATALOG_H
#define Q2O_DOMAIN_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "domain/approval.h"
#include "domain/types.h"

/* ---- enumerations (names are the JSON spelling, lower case) ---- */
#define Q2O_CHARGE_LIST(X) X(ONE_TIME, "one_time") X(RECURRING, "recurring")
typedef enum q2o_charge_type {
#define Q2O_ENUM_CH_(n, s) Q2O_CHARGE_##n,
    Q2O_CHARGE_LIST(Q2O_ENUM_CH_)
#undef Q2O_ENUM_CH_
    Q2O_CHARGE__COUNT
} q2o_charge_type;

#define Q2O_ATTR_KIND_LIST(X) X(ENUM, "enum") X(RANGE, "range")
typedef enum q2o_attr_kind {
#define Q2O_ENUM_AK_(n, s) Q2O_ATTR_##n,
    Q2O_ATTR_KIND_LIST(Q2O_ENUM_AK_)
#undef Q2O_ENUM_AK_
    Q2O_ATTR__COUNT
} q2o_attr_kind;

/* RANGE: the whole quantity gets the discount of the tier it falls in.
 * SLAB: each unit gets the discount of the slab it falls in (graduated). */
#define Q2O_TIER_MODE_LIST(X) X(RANGE, "range") X(SLAB, "slab")
typedef enum q2o_tier_mode {
#define Q2O_ENUM_TM_(n, s) Q2O_TIER_##n,
    Q2O_TIER_MODE_LIST(Q2O_ENUM_TM_)
#undef Q2O_ENUM_TM_
    Q2O_TIER__COUNT
} q2o_tier_mode;

/* VOLUME tiers are keyed by quantity, TERM tiers by term months. */
#define Q2O_SCHEDULE_KIND_LIST(X) X(VOLUME, "volume") X(TERM, "term")
typedef enum q2o_schedule_kind {
#define Q2O_ENUM_SK_(n, s) Q2O_SCHED_##n,
    Q2O_SCHEDULE_KIND_LIST(Q2O_ENUM_SK_)
#undef Q2O_ENUM_SK_
    Q2O_SCHED__COUNT
} q2o_schedule_kind;

/* Configuration rules. Conditions are evaluated within a scope: the bundle
 * (the root line and every descendant) or the whole quote.
 *   REQUIRES   when `when` is present, `then` must be present
 *   EXCLUDES   `when` and `then` may not both be present
 *   QUANTITY   qty(then) must equal qty(when) x ratio_num / ratio_den
 *              (rounded up); "support seats = user seats" is 1/1
 *   RECOMMENDS when `when` is present, suggest `then` (guided selling; never
 *              a violation) */
#define Q2O_RULE_KIND_LIST(X) \
    X(REQUIRES, "requires") X(EXCLUDES, "excludes") X(QUANTITY, "quantity") X(RECOMMENDS, "recommends")
typedef enum q2o_rule_kind {
#define Q2O_ENUM_RK_(n, s) Q2O_RULE_##n,
    Q2O_RULE_KIND_LIST(Q2O_ENUM_RK_)
#undef Q2O_ENUM_RK_
    Q2O_RULE__COUNT
} q2o_rule_kind;

#define Q2O_RULE_SCOPE_LIST(X) X(BUNDLE, "bundle") X(QUOTE, "quote")
typedef enum q2o_rule_scope {
#define Q2O_ENUM_RS_(n, s) Q2O_SCOPE_##n,
    Q2O_RULE_SCOPE_LIST(Q2O_ENUM_RS_)
#undef Q2O_ENUM_RS_
    Q2O_SCOPE__COUNT
} q2o_rule_scope;

/* FLAT: amount per quote; PER_UNIT: amount x total quantity of physical
 * (one-time) lines; PERCENT: percent_bp of the merchandise net. Free above
 * free_above (net, minor units; 0 = never free). */
#define Q2O_FREIGHT_KIND_LIST(X) X(FLAT, "flat") X(PER_UNIT, "per_unit") X(PERCENT, "percent")
typedef enum q2o_freight_kind {
#define Q2O_ENUM_FK_(n, s) Q2O_FREIGHT_##n,
    Q2O_FREIGHT_KIND_LIST(Q2O_ENUM_FK_)
#undef Q2O_ENUM_FK_
    Q2O_FREIGHT__COUNT
} q2o_freight_kind;

/* JSON spelling of each enumeration value and the reverse (-1 if unknown). */
const char *q2o_charge_type_name(q2o_charge_type v);
const char *q2o_attr_kind_name(q2o_attr_kind v);
const char *q2o_tier_mode_name(q2o_tier_mode v);
const char *q2o_schedule_kind_name(q2o_schedule_kind v);
const char *q2o_rule_kind_name(q2o_rule_kind v);
const char *q2o_rule_scope_name(q2o_rule_scope v);
const char *q2o_freight_kind_name(q2o_freight_kind v);
int q2o_charge_type_parse(const char *s);
int q2o_attr_kind_parse(const char *s);
int q2o_tier_mode_parse(const char *s);
int q2o_schedule_kind_parse(const char *s);
int q2o_rule_kind_parse(const char *s);
int q2o_rule_scope_parse(const char *s);
int q2o_freight_kind_parse(const char *s);

typedef char q2o_cat_code[Q2O_CODE_MAX];
typedef char q2o_cat_id[Q2O_ID_MAX];

/* ---- offerings ---- */

/* An attribute of an offering, set on a line as an option name=value. */
typedef struct q2o_cat_attribute {
    q2o_cat_code name;
    q2o_attr_kind kind;
    int required;                    /* a line must set it (CONFIG_INCOMPLETE) */
    uint32_t n_values;               /* ENUM: the allowed values */
    q2o_cat_code *values;
    int64_t min, max;                /* RANGE: inclusive integer bounds */
    q2o_cat_code default_value;      /* "" = none; shown by guided selling */
} q2o_cat_attribute;

/* Options of a bundle: child lines whose offering is one of `options`. */
typedef struct q2o_cat_option_group {
    q2o_cat_code id;
    char name[Q2O_NAME_MAX];
    uint32_t min_select, max_select; /* distinct options chosen; max 0 = no limit */
    uint32_t n_options;
    q2o_cat_id *options;             /* offering ids */
} q2o_cat_option_group;

/* Where an offering may be sold; an empty list allows every value. */
typedef struct q2o_cat_eligibility {
    uint32_t n_regions, n_segments, n_channels;
    q2o_cat_code *regions, *segments, *channels;
} q2o_cat_eligibility;

typedef struct q2o_cat_offering {
    q2o_cat_id id;
    char name[Q2O_NAME_MAX];
    q2o_cat_code family;             /* product family, for reports */
    q2o_cat_code uom;                /* unit of measure: "user", "each", ... */
    q2o_charge_type charge;          /* RECURRING prices are per uom per month */
    int sellable_alone;              /* 0 = only as an option of a bundle */
    int physical;                    /* ships (freight, stock) */
    int64_t unit_cost;               /* per uom (per month if recurring) */
    int64_t min_quantity;            /* >= 1 */
    int64_t max_quantity;            /* 0 = Q2O_MAX_QUANTITY */
    q2o_time_ms active_from;         /* 0 = always */
    q2o_time_ms active_until;        /* 0 = open-ended; exclusive */
    q2o_cat_eligibility eligibility;
    uint32_t n_attributes;
    q2o_cat_attribute *attributes;
    uint32_t n_groups;               /* > 0 makes the offering a bundle */
    q2o_cat_option_group *groups;
    q2o_cat_code volume_schedule;    /* "" = none */
    q2o_cat_code term_schedule;      /* "" = none */
} q2o_cat_offering;

/* ---- price books ---- */

/* A block price: the whole quantity up to up_to costs `price` (not per
 * unit). Blocks ascend by up_to; a quantity above the last block is priced
 * at the entry's unit_price per unit beyond it (or refused when unit_price
 * is -1). */
typedef struct q2o_cat_block {
    int64_t up_to;
    int64_t price;
} q2o_cat_block;

typedef struct q2o_cat_price {
    q2o_cat_id offering_id;
    int64_t unit_price;              /* per uom (per month if recurring); -1 = blocks only */
    uint32_t n_blocks;
    q2o_cat_block *blocks;
} q2o_cat_price;

typedef struct q2o_cat_pricebook {
    q2o_cat_code id;
    int64_t version;
    char currency[4];
    q2o_cat_code market;             /* "" = any */
    q2o_cat_code channel;            /* "" = any */
    q2o_time_ms valid_from, valid_until; /* 0 = open */
    uint32_t n_prices;
    q2o_cat_price *prices;
} q2o_cat_pricebook;

/* ---- discounts ---- */

/* Tiers ascend strictly by `from` (a quantity, or a term in months); the
 * first tier starts at 1 (or at the first quantity that earns a discount:
 * below it there is none). */
typedef struct q2o_cat_tier {
    int64_t from;
    int32_t discount_bp;
} q2o_cat_tier;

typedef struct q2o_cat_schedule {
    q2o_cat_code id;
    int64_t version;
    q2o_schedule_kind kind;
    q2o_tier_mode mode;
    uint32_t n_tiers;
    q2o_cat_tier *tiers;
} q2o_cat_schedule;

/* A price agreed with one account; replaces the list price as the base of
 * the later steps of the waterfall. */
typedef struct q2o_cat_contract_price {
    q2o_cat_code contract_id;
    q2o_cat_id account_id;
    q2o_cat_id offering_id;
    char currency[4];
    int64_t unit_price;
    q2o_time_ms valid_from, valid_until;
} q2o_cat_contract_price;

typedef struct q2o_cat_tier_discount {
    q2o_cat_code tier;               /* "GOLD" */
    int32_t discount_bp;
} q2o_cat_tier_discount;

/* What the catalog knows of an account: its tier, segment and region. */
typedef struct q2o_cat_customer {
    q2o_cat_id account_id;
    q2o_cat_code tier;               /* "" = none */
    q2o_cat_code segment;
    q2o_cat_code region;             /* "" = the quote's market */
} q2o_cat_customer;

/* An uplift (positive) or reduction (negative) of list prices in a region. */
typedef struct q2o_cat_region_adjustment {
    q2o_cat_code region;
    int32_t adjustment_bp;
} q2o_cat_region_adjustment;

typedef struct q2o_cat_promotion {
    q2o_cat_code code;
    char name[Q2O_NAME_MAX];
    int64_t version;
    int32_t discount_bp;             /* percent off, or ... */
    int64_t amount_off_unit;         /* ... a fixed amount off per unit (one of the two) */
    q2o_time_ms starts_at, ends_at;  /* [starts_at, ends_at) */
    int automatic;                   /* applies without a code on the line */
    uint32_t n_offerings;            /* empty = every offering */
    q2o_cat_id *offerings;
} q2o_cat_promotion;

/* ---- retail order types (SPEC §7) ---- */
#define Q2O_CAT_MAX_REFUSED 8
typedef struct q2o_cat_order_type {
    q2o_cat_code code;
    char name[Q2O_NAME_MAX];
    int is_quote;                    /* the order is a pre-order quote */
    int32_t expiration_days;         /* cancel date = arrival + days; 0 = none */
    int pay_method_required;
    int exclude_sold_out;            /* omit sold-out lines from confirmation and form */
    q2o_cat_code price_override_reason; /* assigned on accept to lines without one; "" = none */
    int freight_override_on_accept;
    uint32_t n_refused_pay_types;
    q2o_cat_code refused_pay_types[Q2O_CAT_MAX_REFUSED];
    uint32_t n_refused_ship_vias;
    q2o_cat_code refused_ship_vias[Q2O_CAT_MAX_REFUSED];
} q2o_cat_order_type;

typedef struct q2o_cat_freight_rule {
    q2o_cat_code id;
    q2o_cat_code market;             /* "" = any */
    q2o_cat_code channel;            /* "" = any */
    char currency[4];
    q2o_freight_kind kind;
    int64_t amount;                  /* FLAT: per quote; PER_UNIT: per unit */
    int32_t percent_bp;              /* PERCENT */
    int64_t free_above;              /* 0 = never free */
} q2o_cat_freight_rule;

typedef struct q2o_cat_tax_rate {
    q2o_cat_code region;             /* "" = the default rate */
    int32_t rate_bp;
} q2o_cat_tax_rate;

typedef struct q2o_cat_stock {
    q2o_cat_id offering_id;
    int64_t available;
} q2o_cat_stock;

/* ---- configuration rules ---- */

/* "Offering X is on a line in scope", optionally "with attribute A = V". */
typedef struct q2o_cat_condition {
    q2o_cat_id offering_id;
    q2o_cat_code attribute;          /* "" = any configuration */
    q2o_cat_code value;
} q2o_cat_condition;

typedef struct q2o_cat_rule {
    q2o_cat_code id;
    q2o_rule_kind kind;
    q2o_rule_scope scope;
    q2o_cat_condition when, then;
    int32_t ratio_num, ratio_den;    /* QUANTITY; both >= 1 */
    char message[Q2O_NAME_MAX];      /* shown with a violation or a recommendation */
} q2o_cat_rule;

/* ---- the catalog ---- */

typedef struct q2o_catalog_index q2o_catalog_index; /* private */

typedef struct q2o_catalog {
    q2o_cat_code id;                 /* "saas-suite" */
    int64_t version;                 /* >= 1; lines pin it */
    char name[Q2O_NAME_MAX];
    q2o_time_ms effective_from;      /* 0 = immediately */

    uint32_t n_offerings;        q2o_cat_offering *offerings;
    uint32_t n_pricebooks;       q2o_cat_pricebook *pricebooks;
    uint32_t n_schedules;        q2o_cat_schedule *schedules;
    uint32_t n_contract_prices;  q2o_cat_contract_price *contract_prices;
    uint32_t n_tier_discounts;   q2o_cat_tier_discount *tier_discounts;
    uint32_t n_customers;        q2o_cat_customer *customers;
    uint32_t n_region_adjustments; q2o_cat_region_adjustment *region_adjustments;
    uint32_t n_promotions;       q2o_cat_promotion *promotions;
    uint32_t n_order_types;      q2o_cat_order_type *order_types;
    uint32_t n_freight_rules;    q2o_cat_freight_rule *freight_rules;
    uint32_t n_tax_rates;        q2o_cat_tax_rate *tax_rates;
    uint32_t n_stock;            q2o_cat_stock *stock;
    uint32_t n_rules;            q2o_cat_rule *rules;

    int64_t price_validity_days;     /* priced_at + days = price valid until */
    q2o_approval_policy approval;    /* policy.version is its own version */
    q2o_acceptance_policy acceptance;

    q2o_catalog_index *index;        /* built by q2o_catalog_seal */
} q2o_catalog;

/* An empty catalog (version 1, 30-day price validity, the default approval
 * policy, an acceptance policy allowing every method and blocking after
 * expiry). Aborts on out-of-memory. */
q2o_catalog *q2o_catalog_new(void);
void q2o_catalog_free(q2o_catalog *c); /* accepts NULL */

/* n zeroed elements of `size` bytes owned by the catalog (freed with it);
 * aborts on out-of-memory or overflow. n == 0 gives a valid non-NULL
 * pointer. */
void *q2o_catalog_alloc(q2o_catalog *c, size_t n, size_t size);

/* Check identities (no duplicate offering, price book, schedule, promotion,
 * order type, customer, rule id; no duplicate offering within a price book)
 * and build the indexes. Returns Q2O_OK, or Q2O_CATALOG_INVALID with the
 * first problem in detail (e.g. "duplicate offering id 'X'"). Cross
 * references (an option naming an unknown offering, ...) are the loader's
 * to report with their JSON path: see q2o_catalog_check. Sealing twice is a
 * no-op. */
q2o_err q2o_catalog_seal(q2o_catalog *c, char *detail, size_t detail_size);

/* Cross-reference checks of a sealed catalog: each problem goes to `report`
 * with a JSONPath-like location ("$.offerings[3].option_groups[0].options[1]")
 * and a message. Returns the number of problems (0 = consistent). */
typedef void (*q2o_catalog_report_fn)(void *ctx, const char *path, q2o_err code, const char *message);
uint32_t q2o_catalog_check(const q2o_catalog *c, q2o_catalog_report_fn report, void *ctx);

/* ---- lookups (sealed catalog; NULL / -1 when absent) ---- */
const q2o_cat_offering *q2o_catalog_offering(const q2o_catalog *c, const char *offering_id);
const q2o_cat_attribute *q2o_offering_attribute(const q2o_cat_offering *o, const char *name);
/* The group of bundle `o` that offers `child_offering_id`, or NULL. */
const q2o_cat_option_group *q2o_offering_group_of(const q2o_cat_offering *o, const char *child_offering_id);
/* 1 when region/segment/channel pass the offering's eligibility lists. */
int q2o_offering_eligible(const q2o_cat_offering *o, const char *region, const char *segment,
                          const char *channel);
/* 1 when the offering is active on `date`. */
int q2o_offering_active(const q2o_cat_offering *o, q2o_time_ms date);

/* The price book for a currency, market and channel valid on `date`: an
 * exact market and channel match wins over "any"; market beats channel;
 * among equals, the highest version. */
const q2o_cat_pricebook *q2o_catalog_pricebook(const q2o_catalog *c, const char *currency, const char *market,
                                               const char *channel, q2o_time_ms date);
const q2o_cat_price *q2o_pricebook_price(const q2o_catalog *c, const q2o_cat_pricebook *pb,
                                         const char *offering_id);
const q2o_cat_contract_price *q2o_catalog_contract_price(const q2o_catalog *c, const char *account_id,
                                                         const char *offering_id, const char *currency,
                                                         q2o_time_ms date);
const q2o_cat_customer *q2o_catalog_customer(const q2o_catalog *c, const char *account_id);
const q2o_cat_tier_discount *q2o_catalog_tier_discount(const q2o_catalog *c, const char *tier);
const q2o_cat_schedule *q2o_catalog_schedule(const q2o_catalog *c, const char *schedule_id);
const q2o_cat_promotion *q2o_catalog_promotion(const q2o_catalog *c, const char *code);
/* Automatic promotions covering an offering, in catalog order. Returns how
 * many, fills at most max. */
uint32_t q2o_catalog_auto_promotions(const q2o_catalog *c, const char *offering_id,
                                     const q2o_cat_promotion **out, uint32_t max);
int q2o_promotion_covers(const q2o_cat_promotion *p, const char *offering_id);
const q2o_cat_order_type *q2o_catalog_order_type(const q2o_catalog *c, const char *code);
/* The most specific freight rule for market/channel/currency (exact beats
 * "any"), or NULL = no freight. */
const q2o_cat_freight_rule *q2o_catalog_freight_rule(const q2o_catalog *c, const char *market,
                                                     const char *channel, const char *currency);
int32_t q2o_catalog_region_adjustment_bp(const q2o_catalog *c, const char *region); /* 0 = none */
int32_t q2o_catalog_tax_bp(const q2o_catalog *c, const char *region); /* region, else default, else 0 */
int64_t q2o_catalog_stock(const q2o_catalog *c, const char *offering_id); /* -1 = not tracked */
/* Rules whose `when` names the offering, in catalog order; *n set. */
const q2o_cat_rule *const *q2o_catalog_rules_when(const q2o_catalog *c, const char *offering_id, uint32_t *n);

#endif
