/*
 * domain/catalog_pricing.h — the catalog pricing engine and the configurator
 * (SPEC §4): the real implementations behind q2o_pricer.
 *
 * PRICING. Per line, in integer minor units of the quote currency, one
 * period at a time (a recurring line's amounts are per month; one-time lines
 * are priced once), through the waterfall of domain/pricing.h:
 *
 *   LIST            price book (currency, market, channel, date) unit or
 *                   block price x quantity, adjusted by the region's
 *                   adjustment (customer region, else the quote's market)
 *   CONTRACTED      the account's contracted unit price replaces the list
 *   CUSTOMER_TIER   the account's tier discount
 *   VOLUME          the offering's volume schedule by quantity (range or slab)
 *   TERM            the offering's term schedule by term months (recurring)
 *   PROMOTION       the line's promotion code, or automatic promotions,
 *                   inside their window and covering the offering (a code
 *                   past its window is kept only on a line whose
 *                   override_reason is Q2O_REASON_PROMOTION_EXTENSION,
 *                   domain/pricing.h; the output counts such lines in
 *                   expired_promotions_kept)
 *   MANUAL_DISCOUNT the line's discount_bp
 *   OVERRIDE        the line's override_unit_price (needs a reason code)
 *
 * Each percentage step rounds once, half away from zero (core/money.h), on
 * the amount after the previous step. net per period x term months (1 for
 * one-time) = the line's contract value (net_total). Cost = unit cost x
 * quantity x months; margin = (net - cost) / net. Quote: merchandise = sum of
 * list totals, discount = sum of (list - net), freight from the catalog's
 * freight rule, estimated tax = rate(region) x (net + freight), grand total
 * = net + freight + tax. Every sum is overflow-checked: absurd quantities are
 * refused with Q2O_MONEY_OVERFLOW, never wrapped.
 *
 * Lines are validated by the configurator first (below); any blocking
 * finding stops pricing and the findings are returned as violations. This
 * stays so after the add/change check (below, "When it runs"): a catalog
 * can change between adding a line and pricing it.
 *
 * Pure and deterministic: the same catalog and input give the same output
 * bit for bit. The engine reads the catalog only through its lookups, so
 * the per-line cost does not grow with the catalog.
 */
#ifndef Q2O_DOMAIN_CATALOG_PRICING_H
#define Q2O_DOMAIN_CATALOG_PRICING_H

#include <stdint.h>

#include "core/error.h"
#include "domain/catalog.h"
#include "domain/pricing.h"
#include "domain/types.h"

/* A pricer over a sealed catalog; the catalog must outlive the pricer. Its
 * price() runs q2o_configure first (every finding becomes a violation and
 * nothing is priced), then q2o_catalog_price. */
q2o_pricer q2o_catalog_pricer(const q2o_catalog *catalog);

/* The waterfall alone (no configuration rules): prices in->lines into *out
 * (caller zeroes *out and provides its arrays). Findings that stop pricing
 * (unknown offering, no price book or price, unknown/expired/inapplicable
 * promotion, inactive offering) are violations with Q2O_OK; an overflow is
 * Q2O_MONEY_OVERFLOW. A code past its window on a PROMOTION_EXTENSION line
 * is no finding: it is priced and counted in out->expired_promotions_kept. */
q2o_err q2o_catalog_price(const q2o_catalog *catalog, const q2o_price_input *in, q2o_price_output *out);

/* ---------------------------------------------------------------------
 * CONFIGURATOR. Validates the lines of a quote (a forest: a line whose
 * parent_line_id is "" is a root; children hang under bundles) against the
 * catalog: offering known, active and eligible; sellable alone or an option
 * of its parent's group; group min/max selections; attributes (required,
 * enumeration, range); quantity bounds; the rules (requires, excludes,
 * quantity relations) in their scope. Every violation, not the first:
 * code (a q2o_err), the line, the offending offering/option/attribute, the
 * rule id, and a remediation sentence naming what to change.
 * Guided selling: what RECOMMENDS rules (and unmet REQUIRES) suggest, and
 * attribute defaults for missing values.
 *
 * When it runs. A quote is built one line at a time, so its findings fall
 * in two kinds (q2o_config_code_is_line_local):
 *
 *   line-local  what the line itself gets wrong, whatever else the quote
 *               will hold: its offering unknown, inactive on the date or
 *               not eligible (OFFERING_UNKNOWN, _INACTIVE, _NOT_ELIGIBLE),
 *               its placement (CONFIG_NOT_AN_OPTION; FIELD_INVALID for a
 *               parent that is unknown or loops), its quantity outside the
 *               offering's bounds (QUANTITY_INVALID), a value it sets that
 *               the attribute does not allow (CONFIG_ATTRIBUTE_INVALID).
 *   cross-line  what the rest of the quote may still settle, or a line not
 *               configured yet: REQUIRES, EXCLUDES, QUANTITY relations,
 *               group cardinality, a required attribute not set
 *               (CONFIG_INCOMPLETE: a line may be added first and
 *               configured after).
 *
 * AddQuoteLine and ChangeQuoteLine (domain/quote.h) run q2o_configure_line
 * on the lines as they will be after the command and refuse the first
 * line-local finding of the added or changed line. PriceQuote runs
 * q2o_configure on the whole quote (through the catalog pricer) and refuses
 * on any finding of either kind: the catalog may have changed since the
 * line was added (an offering retired), and the cross-line kinds are only
 * judged there.
 * ------------------------------------------------------------------- */

typedef struct q2o_config_finding {
    q2o_err code;
    char line_id[Q2O_ID_MAX];        /* "" = the quote as a whole */
    char subject[Q2O_CODE_MAX];      /* the offending offering, option, attribute or group */
    char rule_id[Q2O_CODE_MAX];      /* "" when no catalog rule is involved */
    char remediation[Q2O_TEXT_MAX];  /* specific: "add PREMIUM-SUPPORT under line L1" */
} q2o_config_finding;

typedef struct q2o_config_suggestion {
    char line_id[Q2O_ID_MAX];        /* the line the suggestion hangs under */
    char offering_id[Q2O_ID_MAX];    /* suggested offering ("" for an attribute default) */
    char attribute[Q2O_CODE_MAX];    /* suggested attribute value, or "" */
    char value[Q2O_CODE_MAX];
    char rule_id[Q2O_CODE_MAX];
    char message[Q2O_NAME_MAX];
} q2o_config_suggestion;

#define Q2O_MAX_CONFIG_FINDINGS 64
#define Q2O_MAX_CONFIG_SUGGESTIONS 32

typedef struct q2o_config_result {
    uint32_t n_findings;             /* capped at the maximum; n_dropped counts the rest */
    uint32_t n_dropped;
    q2o_config_finding findings[Q2O_MAX_CONFIG_FINDINGS];
    uint32_t n_suggestions;
    q2o_config_suggestion suggestions[Q2O_MAX_CONFIG_SUGGESTIONS];
} q2o_config_result;

typedef struct q2o_config_context {
    const char *region;              /* customer region (or the quote market) */
    const char *segment;
    const char *channel;
    q2o_time_ms date;                /* the pricing date */
} q2o_config_context;

/* Validate lines[0..n) (the whole quote: rules look across lines). Fills
 * *out (zeroed first); returns the number of findings (0 = valid).
 * Q2O_MAX_LINES lines at most; cycles in parent links are a finding.
 *
 * The return value counts every finding, kept or dropped (n_findings +
 * n_dropped). Findings come in line order, and for one line in this order:
 * structure (duplicate line id, unknown parent, parent loop:
 * Q2O_FIELD_INVALID), offering (unknown, inactive, not eligible), placement
 * (CONFIG_NOT_AN_OPTION), quantity, options set on the line, required
 * attributes missing, the line's option groups when it is a bundle (subject
 * = group id), then rules in catalog order.
 *
 * Presence: a line whose action is REMOVE is not present: it counts for no
 * rule and no group, and only its structure is checked. A line whose parent
 * is unknown tops its own subtree; a loop's first line reached tops it.
 *
 * Rules: a rule is judged once per scope (the bundle = the root line's tree,
 * or the quote), on the first line in line order where its `when` holds;
 * its finding hangs on that line. A condition on an attribute reads the
 * value set on the line; an attribute's default does not count as set.
 * `then` may be met by any present line in scope, the `when` line included.
 * QUANTITY compares the sums of the quantities of the lines meeting each
 * side: sum(then) == ceil(sum(when) x num / den). It constrains only when
 * both sides are present (an absent `then` is no finding: pair it with a
 * REQUIRES rule for that), and is not judged while one of those quantities
 * is outside (0, Q2O_MAX_QUANTITY] (that line has QUANTITY_INVALID).
 *
 * Suggestions: RECOMMENDS whose `when` holds and `then` is absent, the
 * `then` of each unmet REQUIRES, and the default of each attribute missing
 * on a line; identical suggestions are merged, those beyond the maximum
 * left out. Cost O(lines x options + rules touched); one heap block per
 * call (aborts on out-of-memory, as the catalog does). */
uint32_t q2o_configure(const q2o_catalog *c, const q2o_config_context *ctx, const q2o_line *lines, uint32_t n,
                       q2o_config_result *out);

/* Validate lines[line] among lines[0..n) (line < n): the same checks as
 * q2o_configure, over the same indexes of every line, but only the findings
 * that hang on lines[line] (in the order above: structure, offering,
 * placement, quantity, options, required attributes, its groups when it is
 * a bundle, the rules anchored on it) and its suggestions; a quote of more
 * than Q2O_MAX_LINES lines gives the one quote-level finding instead. The
 * findings on the other lines are neither kept nor counted, so a quote full
 * of findings cannot crowd this line's out. Returns the number of findings
 * (kept or dropped). Cost O(lines x options) to index, then one line's
 * checks; one heap block per call (aborts on out-of-memory). */
uint32_t q2o_configure_line(const q2o_catalog *c, const q2o_config_context *ctx, const q2o_line *lines, uint32_t n,
                            uint32_t line, q2o_config_result *out);

/* 1 when a finding of this code is line-local (see "When it runs" above):
 * FIELD_INVALID, OFFERING_UNKNOWN, OFFERING_INACTIVE, OFFERING_NOT_ELIGIBLE,
 * CONFIG_NOT_AN_OPTION, QUANTITY_INVALID, CONFIG_ATTRIBUTE_INVALID; 0 for the
 * cross-line kinds and any other code. */
int q2o_config_code_is_line_local(q2o_err code);

/* The context of a quote: the customer's region/segment from the catalog
 * (else the market), the quote's channel. Strings point into c or h. */
void q2o_config_context_for(const q2o_catalog *c, const q2o_quote_header *h, q2o_time_ms date,
                            q2o_config_context *out);

#endif
