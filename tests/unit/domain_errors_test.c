/*
 * The error table from the domain's side: every code a command can be
 * refused with (class REJECTED or INVALID) has a scenario that produces it,
 * and every code of the table is either produced here or listed as owned by
 * another layer, so that a new code without a test fails
 * (every_rejection_code_is_produced_here_or_owned_elsewhere).
 *
 * Scenarios are stories (fx_story), or a function where a story cannot say
 * it (a revision limit, an event log out of order). The guards behind these
 * codes, both sides, are in domain_guards_test.c; here it is one way in per
 * code.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "quote_fixture.h"

static fx f;
static void setup(void) { fx_init(&f); }
static void teardown(void) { fx_release(&f); }
TestSuite(error_table, .init = setup, .fini = teardown);

/* ------------------------------------------------ given: headers, steps */

static void no_customer(q2o_quote_header *h, q2o_terms *t) { (void)t; h->customer_id[0] = '\0'; }
static void no_billing(q2o_quote_header *h, q2o_terms *t) { (void)t; h->billing_account_id[0] = '\0'; }
static void euros(q2o_quote_header *h, q2o_terms *t) { (void)t; Q2O_STRCPY(h->currency, "EUR"); }
static void po_needed(q2o_quote_header *h, q2o_terms *t) { (void)t; h->acceptance.require_po = 1; }
static void signature_needed(q2o_quote_header *h, q2o_terms *t) { (void)t; h->acceptance.require_signature = 1; }
static void pay_method_needed(q2o_quote_header *h, q2o_terms *t) { (void)t; h->order_type_requires_pay_method = 1; }
static void unresolved_legal_terms(q2o_quote_header *h, q2o_terms *t) { (void)h; t->legal_terms_version[0] = '\0'; }
static void open_ended(q2o_quote_header *h, q2o_terms *t) { (void)h; t->valid_until = 0; }
static void starts_in_3_days(q2o_quote_header *h, q2o_terms *t) { (void)h; t->contract_start = FX_T0 + 3 * FX_DAY; }

static void add_line(fx *g, const char *offering, const char *promo, int64_t override)
{
    q2o_command c = fx_command_for(g, Q2O_CMD_ADD_LINE, NULL);
    Q2O_STRCPY(c.u.line.line_id, "L2");
    Q2O_STRCPY(c.u.line.offering_id, offering);
    Q2O_STRCPY(c.u.line.promo_code, promo);
    Q2O_STRCPY(c.u.line.override_reason, "MATCH_COMPETITOR");
    c.u.line.override_unit_price = override;
    c.u.line.quantity = 2;
    cr_assert_eq(fx_send(g, &c), Q2O_OK, "given a line of %s: %s", offering, g->last.detail);
}

static void support_unconfigured(fx *g) { add_line(g, "SUPPORT-PREMIUM", "", -1); }
static void july_promotion(fx *g) { add_line(g, "SAAS-ENT-USER", "JULY2026", -1); }
static void override_beyond_money(fx *g) { add_line(g, "IMPL-SERVICE", "", Q2O_MAX_AMOUNT); }
static void document_attached(fx *g) { cr_assert_eq(fx_attach(g), Q2O_OK); }

static void lines_removed(fx *g)
{
    q2o_command c = fx_command_for(g, Q2O_CMD_REMOVE_LINE, NULL);
    cr_assert_eq(fx_send(g, &c), Q2O_OK);
}

/* ---- catalog rules. The configurator runs on AddQuoteLine / ChangeQuoteLine
 * for what a line gets wrong by itself, and inside PriceQuote for the whole
 * quote (rules across lines, a required attribute still missing). ---- */

static q2o_cat_offering *offering(q2o_catalog *c, const char *id)
{
    for (uint32_t i = 0; i < c->n_offerings; i++)
        if (strcmp(c->offerings[i].id, id) == 0)
            return &c->offerings[i];
    cr_assert_fail("no offering %s", id);
    return NULL;
}

static void one_rule(q2o_catalog *c, q2o_rule_kind kind, const char *when, const char *then)
{
    c->n_rules = 1;
    c->rules = q2o_catalog_alloc(c, 1, sizeof *c->rules);
    Q2O_STRCPY(c->rules[0].id, "R1");
    c->rules[0].kind = kind;
    c->rules[0].scope = Q2O_SCOPE_QUOTE;
    Q2O_STRCPY(c->rules[0].when.offering_id, when);
    Q2O_STRCPY(c->rules[0].then.offering_id, then);
    c->rules[0].ratio_num = c->rules[0].ratio_den = 1;
}

static void support_requires_users(q2o_catalog *c) { one_rule(c, Q2O_RULE_REQUIRES, "SUPPORT-PREMIUM", "SAAS-ENT-USER"); }
static void users_exclude_service(q2o_catalog *c) { one_rule(c, Q2O_RULE_EXCLUDES, "SAAS-ENT-USER", "IMPL-SERVICE"); }
static void support_seats_equal_users(q2o_catalog *c) { one_rule(c, Q2O_RULE_QUANTITY, "SAAS-ENT-USER", "SUPPORT-PREMIUM"); }
static void support_only_in_bundle(q2o_catalog *c) { offering(c, "SUPPORT-PREMIUM")->sellable_alone = 0; }

static void users_bundle_needs_support(q2o_catalog *c)
{
    q2o_cat_offering *o = offering(c, "SAAS-ENT-USER");
    o->n_groups = 1;
    o->groups = q2o_catalog_alloc(c, 1, sizeof *o->groups);
    Q2O_STRCPY(o->groups[0].id, "SUPPORT");
    o->groups[0].min_select = 1;
    o->groups[0].n_options = 1;
    o->groups[0].options = q2o_catalog_alloc(c, 1, sizeof *o->groups[0].options);
    Q2O_STRCPY(o->groups[0].options[0], "SUPPORT-PREMIUM");
}

static void users_only_in_europe(q2o_catalog *c)
{
    q2o_cat_offering *o = offering(c, "SAAS-ENT-USER");
    o->eligibility.n_regions = 1;
    o->eligibility.regions = q2o_catalog_alloc(c, 1, sizeof *o->eligibility.regions);
    Q2O_STRCPY(o->eligibility.regions[0], "EU");
}

static void catalog_line(fx *g, const char *id, const char *offering_id, int64_t qty, const char *level)
{
    q2o_command c = fx_command_for(g, Q2O_CMD_ADD_LINE, NULL);
    Q2O_STRCPY(c.u.line.line_id, id);
    Q2O_STRCPY(c.u.line.offering_id, offering_id);
    c.u.line.quantity = qty;
    if (level) {
        c.u.line.n_options = 1;
        Q2O_STRCPY(c.u.line.options[0].name, "support_level");
        Q2O_STRCPY(c.u.line.options[0].value, level);
    }
    cr_assert_eq(fx_send(g, &c), Q2O_OK, "given a line of %s: %s", offering_id, g->last.detail);
}

static void lone_support(fx *g)
{
    fx_use_catalog(g, fx_saas_catalog_with(support_requires_users));
    lines_removed(g);
    catalog_line(g, "L2", "SUPPORT-PREMIUM", 10, "24x7");
}
static void users_and_service(fx *g)
{
    fx_use_catalog(g, fx_saas_catalog_with(users_exclude_service));
    catalog_line(g, "L2", "IMPL-SERVICE", 1, NULL);
}
static void fewer_support_seats(fx *g)
{
    fx_use_catalog(g, fx_saas_catalog_with(support_seats_equal_users));
    catalog_line(g, "L2", "SUPPORT-PREMIUM", 1, "24x7");
}
static void bundle_without_support(fx *g) { fx_use_catalog(g, fx_saas_catalog_with(users_bundle_needs_support)); }
static void users_outside_their_region(fx *g) { fx_use_catalog(g, fx_saas_catalog_with(users_only_in_europe)); }
static void support_only_in_bundles(fx *g) { fx_use_catalog(g, fx_saas_catalog_with(support_only_in_bundle)); }
static void unknown_promotion(fx *g) { add_line(g, "SAAS-ENT-USER", "NO-SUCH-PROMO", -1); }
static void unknown_order_type(q2o_quote_header *h, q2o_terms *t) { (void)t; Q2O_STRCPY(h->order_type, "NO-SUCH-TYPE"); }
static void retail_order_types(q2o_catalog *c)
{
    c->n_order_types = 1;
    c->order_types = q2o_catalog_alloc(c, 1, sizeof *c->order_types);
    Q2O_STRCPY(c->order_types[0].code, "QUOTE");
    c->order_types[0].is_quote = 1;
}
static void catalog_with_order_types(fx *g) { fx_use_catalog(g, fx_saas_catalog_with(retail_order_types)); }


/* ----------------------------------------------------- when: tweaks */

static void flip(uint8_t *h) { h[0] ^= 0xff; }
static void other_snapshot(fx *g, q2o_command *c) { (void)g; flip(c->u.attach.snapshot_fp); }
static void other_document(fx *g, q2o_command *c) { (void)g; flip(c->u.accept.document_hash); }
static void other_fingerprint(fx *g, q2o_command *c) { (void)g; flip(c->u.approve.expected_fp); }
static void first_revision(fx *g, q2o_command *c) { (void)g; c->revision = 1; }
static void fifth_revision(fx *g, q2o_command *c) { (void)g; c->revision = 5; }
static void second_key(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.convert.idempotency_key, "conv-key-2"); }
static void no_key(fx *g, q2o_command *c) { (void)g; c->u.convert.idempotency_key[0] = '\0'; }
static void any_status(fx *g, q2o_command *c) { (void)g; c->u.convert.expected_status = Q2O_ST_NONE; }
static void presented_expected(fx *g, q2o_command *c) { (void)g; c->u.convert.expected_status = Q2O_ST_PRESENTED; }
static void version_zero(fx *g, q2o_command *c) { (void)g; c->expected_version = 0; }
static void fax_method(fx *g, q2o_command *c) { (void)g; c->u.accept.method = Q2O_AM__COUNT; }
static void portal_method(fx *g, q2o_command *c) { (void)g; c->u.accept.method = Q2O_AM_PORTAL; }
static void unknown_recipient(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.present.recipient, "eve@example"); }
static void unknown_line(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.line_id, "L404"); }
static void existing_line(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.line.line_id, "L1"); }
static void zero_quantity(fx *g, q2o_command *c) { (void)g; c->u.line.quantity = 0; }
static void discount_over_100(fx *g, q2o_command *c) { (void)g; c->u.line.discount_bp = 12000; }
static void reasonless_override(fx *g, q2o_command *c) { (void)g; c->u.line.override_unit_price = 1; }
static void unknown_currency(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.create.currency, "ABC"); }
static void gift_recipient(fx *g, q2o_command *c) { (void)g; c->u.create.ship_to_is_gift_recipient = 1; }
static void cash(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->terms.pay_method, "CASH"); }
static void cancel_before_arrival(fx *g, q2o_command *c)
{
    (void)g;
    c->terms.contract_start = FX_T0 + 10 * FX_DAY;
    c->terms.cancel_date = FX_T0 + 5 * FX_DAY;
}
static void no_command_id(fx *g, q2o_command *c) { (void)g; c->command_id[0] = '\0'; }
static void retired_addon(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.line.offering_id, "LEGACY-ADDON"); }
static void not_in_catalog(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.line.offering_id, "NO-SUCH-OFFERING"); }
static void more_users(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->u.line.offering_id, "SAAS-ENT-USER"); }

static void support_at(q2o_command *c, const char *level)
{
    Q2O_STRCPY(c->u.line.offering_id, "SUPPORT-PREMIUM");
    c->u.line.n_options = 1;
    Q2O_STRCPY(c->u.line.options[0].name, "support_level");
    Q2O_STRCPY(c->u.line.options[0].value, level);
}
static void unknown_support_level(fx *g, q2o_command *c) { (void)g; support_at(c, "GOLD"); }
static void support_as_a_root_line(fx *g, q2o_command *c) { (void)g; support_at(c, "24x7"); }
static void another_quote(fx *g, q2o_command *c) { (void)g; Q2O_STRCPY(c->quote_id, "Q-9999"); }

static const q2o_actor SELF_APPROVER = {"rep-1", Q2O_ROLE_DEAL_DESK, -1, ""}; /* created the quote */
static const q2o_actor SMALL_LIMIT = {"desk-3", Q2O_ROLE_DEAL_DESK, 1, ""};
static const q2o_actor ACME_UK = {"alice@acme.example", Q2O_ROLE_CUSTOMER, 0, "ACME-UK"};

/* --------------------------------------------- scenarios a story cannot tell */

/* Q2O_MAX_REVISIONS revisions, then one more. */
static q2o_err sixty_fifth_revision(fx *g)
{
    fx_to_status(g, Q2O_ST_DRAFT);
    for (int32_t n = 1; n < Q2O_MAX_REVISIONS; n++) {
        cr_assert_eq(fx_price(g), Q2O_OK, "revision %d: %s", n, g->last.detail);
        q2o_command c = fx_command_for(g, Q2O_CMD_CREATE_REVISION, NULL);
        cr_assert_eq(fx_send(g, &c), Q2O_OK, "revision %d: %s", n + 1, g->last.detail);
    }
    cr_assert_eq(g->q->n_revisions, Q2O_MAX_REVISIONS);
    cr_assert_eq(fx_price(g), Q2O_OK);
    q2o_command c = fx_command_for(g, Q2O_CMD_CREATE_REVISION, NULL);
    return fx_send(g, &c);
}

/* A priced, auto-approved revision whose proposal validity outlives its
 * price validity, presented after the price validity passed. */
static q2o_err price_validity_passed(fx *g)
{
    fx_create(g);
    cr_assert_eq(fx_add_line(g, "L1", "SAAS-ENT-USER", 10, 0, NULL), Q2O_OK);
    q2o_command t = fx_command_for(g, Q2O_CMD_CHANGE_TERMS, NULL);
    t.terms.valid_until = g->now + 60 * FX_DAY;
    cr_assert_eq(fx_send(g, &t), Q2O_OK);
    cr_assert_eq(fx_price(g), Q2O_OK);
    cr_assert_eq(fx_submit(g), Q2O_OK);
    cr_assert_eq(fx_attach(g), Q2O_OK);
    g->now += 31 * FX_DAY;
    return fx_present(g);
}

/* Approval fired by the payment terms alone (no discount), then presented. */
static q2o_err terms_need_approval(fx *g)
{
    fx_create(g);
    cr_assert_eq(fx_add_line(g, "L1", "SAAS-ENT-USER", 10, 0, NULL), Q2O_OK);
    q2o_command t = fx_command_for(g, Q2O_CMD_CHANGE_TERMS, NULL);
    Q2O_STRCPY(t.terms.payment_terms, "NET90");
    cr_assert_eq(fx_send(g, &t), Q2O_OK);
    cr_assert_eq(fx_price(g), Q2O_OK);
    return fx_present(g);
}

/* evolve, not decide: an event applied twice is out of order. */
static q2o_err event_applied_twice(fx *g)
{
    fx_to_status(g, Q2O_ST_DRAFT);
    return q2o_quote_evolve(g->q, &g->log[g->n_log - 1]);
}

/* ----------------------------------------------------------- the table */

typedef struct scenario {
    q2o_err code;
    fx_story story;
    q2o_err (*custom)(fx *g); /* instead of the story */
} scenario;

#define STORY(code, g, h, a, later, w, who, tw) {Q2O_##code, {Q2O_ST_##g, h, a, later, Q2O_CMD_##w, who, tw}, NULL}
#define CUSTOM(code, fn) {Q2O_##code, {Q2O_ST_NONE, NULL, NULL, 0, Q2O_CMD_NONE, NULL, NULL}, fn}

static const scenario scenarios[] = {
    STORY(QUOTE_NOT_FOUND, NONE, NULL, NULL, 0, ADD_NOTE, NULL, NULL),
    STORY(QUOTE_ALREADY_EXISTS, DRAFT, NULL, NULL, 0, CREATE_QUOTE, NULL, NULL),
    STORY(QUOTE_NOT_EDITABLE_IN_STATE, IN_REVIEW, NULL, NULL, 0, ADD_LINE, NULL, NULL),
    STORY(QUOTE_REVISION_REQUIRED, APPROVED, NULL, NULL, 0, ADD_LINE, NULL, NULL),
    STORY(QUOTE_PRICE_STALE, DRAFT, NULL, NULL, 0, SUBMIT_FOR_APPROVAL, NULL, NULL),
    STORY(QUOTE_APPROVAL_STALE, APPROVED, NULL, NULL, 0, ATTACH_DOCUMENT, NULL, other_snapshot),
    STORY(QUOTE_ALREADY_SUPERSEDED, SUPERSEDED, NULL, NULL, 0, ADD_NOTE, NULL, first_revision),
    STORY(QUOTE_EXPIRED, EXPIRED, NULL, NULL, 0, ADD_LINE, NULL, NULL),
    STORY(QUOTE_DOCUMENT_MISMATCH, PRESENTED, NULL, NULL, 0, ACCEPT_QUOTE, NULL, other_document),
    STORY(QUOTE_ALREADY_CONVERTED, CONVERTED, NULL, NULL, 0, CONVERT_TO_ORDER, NULL, second_key),
    STORY(QUOTE_CONVERSION_NOT_READY, PRESENTED, NULL, NULL, 0, CONVERT_TO_ORDER, NULL, any_status),
    STORY(QUOTE_CONCURRENT_MODIFICATION, DRAFT, NULL, NULL, 0, ADD_NOTE, NULL, version_zero),
    STORY(QUOTE_CHANGED_DURING_APPROVAL, IN_REVIEW, NULL, NULL, 0, APPROVE_STEP, NULL, other_fingerprint),
    STORY(QUOTE_REVISION_NOT_FOUND, DRAFT, NULL, NULL, 0, ADD_NOTE, NULL, fifth_revision),
    STORY(QUOTE_ALREADY_ACCEPTED, ACCEPTED, NULL, NULL, 0, ACCEPT_QUOTE, NULL, NULL),
    STORY(QUOTE_APPROVAL_EXPIRED, IN_REVIEW, NULL, NULL, 30 * FX_DAY, APPROVE_STEP, NULL, NULL),
    STORY(QUOTE_PROMOTION_EXPIRED, DRAFT, NULL, july_promotion, 30 * FX_DAY, PRICE_QUOTE, NULL, NULL),
    STORY(QUOTE_ACCEPTOR_NOT_AUTHORIZED, PRESENTED, NULL, NULL, 0, ACCEPT_QUOTE, &FX_STRANGER, NULL),
    STORY(QUOTE_ACCEPTANCE_METHOD_INVALID, PRESENTED, NULL, NULL, 0, ACCEPT_QUOTE, NULL, fax_method),
    STORY(QUOTE_PO_REQUIRED, PRESENTED, po_needed, NULL, 0, ACCEPT_QUOTE, NULL, NULL),
    STORY(QUOTE_SIGNATURE_REQUIRED, PRESENTED, signature_needed, NULL, 0, ACCEPT_QUOTE, NULL, portal_method),
    STORY(QUOTE_LEGAL_ENTITY_MISMATCH, PRESENTED, NULL, NULL, 0, ACCEPT_QUOTE, &ACME_UK, NULL),
    STORY(QUOTE_DOCUMENT_MISSING, APPROVED, NULL, NULL, 0, PRESENT_QUOTE, NULL, NULL),
    STORY(QUOTE_RECIPIENT_NOT_AUTHORIZED, APPROVED, NULL, document_attached, 0, PRESENT_QUOTE, NULL, unknown_recipient),
    STORY(QUOTE_LEGAL_TERMS_UNRESOLVED, APPROVED, unresolved_legal_terms, document_attached, 0, PRESENT_QUOTE, NULL,
          NULL),
    STORY(QUOTE_VALIDITY_NOT_SET, APPROVED, open_ended, document_attached, 0, PRESENT_QUOTE, NULL, NULL),
    STORY(QUOTE_CONTRACT_START_PASSED, APPROVED, starts_in_3_days, document_attached, 4 * FX_DAY, PRESENT_QUOTE, NULL,
          NULL),
    STORY(QUOTE_IDEMPOTENCY_KEY_REQUIRED, ACCEPTED, NULL, NULL, 0, CONVERT_TO_ORDER, NULL, no_key),
    STORY(QUOTE_LINE_NOT_FOUND, DRAFT, NULL, NULL, 0, REMOVE_LINE, NULL, unknown_line),
    STORY(QUOTE_LINE_EXISTS, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, existing_line),
    STORY(QUOTE_STEP_NOT_PENDING, IN_REVIEW, NULL, NULL, 0, APPROVE_STEP, &FX_FINANCE, NULL),
    STORY(QUOTE_EXPECTED_STATUS_MISMATCH, ACCEPTED, NULL, NULL, 0, CONVERT_TO_ORDER, NULL, presented_expected),
    STORY(QUOTE_NOT_EXPIRED, PRESENTED, NULL, NULL, 0, EXPIRE_QUOTE, NULL, NULL),
    CUSTOM(QUOTE_LIMIT_REACHED, sixty_fifth_revision),
    CUSTOM(QUOTE_APPROVAL_REQUIRED, terms_need_approval),
    STORY(DISCOUNT_REQUIRES_APPROVAL, REQUIRES_APPROVAL, NULL, NULL, 0, PRESENT_QUOTE, NULL, NULL),
    CUSTOM(PRICE_EXPIRED, price_validity_passed),
    STORY(AUTH_ROLE_REQUIRED, DRAFT, NULL, NULL, 0, PRICE_QUOTE, &FX_CUSTOMER, NULL),
    STORY(AUTH_SELF_APPROVAL, IN_REVIEW, NULL, NULL, 0, APPROVE_STEP, &SELF_APPROVER, NULL),
    STORY(AUTH_LIMIT_EXCEEDED, IN_REVIEW, NULL, NULL, 0, APPROVE_STEP, &SMALL_LIMIT, NULL),
    STORY(VALIDATION_NO_LINES, DRAFT, NULL, lines_removed, 0, PRICE_QUOTE, NULL, NULL),
    STORY(MISSING_CUSTOMER, DRAFT, no_customer, NULL, 0, PRICE_QUOTE, NULL, NULL),
    STORY(MISSING_BILLING_ACCOUNT, DRAFT, no_billing, NULL, 0, PRICE_QUOTE, NULL, NULL),
    STORY(CONFIG_INCOMPLETE, DRAFT, NULL, support_unconfigured, 0, PRICE_QUOTE, NULL, NULL),
    STORY(OFFERING_INACTIVE, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, retired_addon),
    STORY(OFFERING_UNKNOWN, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, not_in_catalog),
    STORY(PRICE_BOOK_MISSING, DRAFT, euros, NULL, 0, PRICE_QUOTE, NULL, NULL),
    STORY(OVERRIDE_REASON_REQUIRED, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, reasonless_override),
    STORY(QUANTITY_INVALID, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, zero_quantity),
    STORY(DISCOUNT_OUT_OF_RANGE, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, discount_over_100),
    STORY(PAY_METHOD_REQUIRED, ACCEPTED, pay_method_needed, NULL, 0, CONVERT_TO_ORDER, NULL, NULL),
    STORY(CURRENCY_UNKNOWN, NONE, NULL, NULL, 0, CREATE_QUOTE, NULL, unknown_currency),
    STORY(SHIP_TO_INVALID, NONE, NULL, NULL, 0, CREATE_QUOTE, NULL, gift_recipient),
    STORY(FIELD_INVALID, DRAFT, NULL, NULL, 0, ADD_NOTE, NULL, no_command_id),
    STORY(PAY_METHOD_NOT_ALLOWED, NONE, NULL, NULL, 0, CREATE_QUOTE, NULL, cash),
    CUSTOM(STORE_VERSION_CONFLICT, event_applied_twice),
    STORY(MONEY_OVERFLOW, DRAFT, NULL, override_beyond_money, 0, PRICE_QUOTE, NULL, NULL),
    STORY(INVALID_ARGUMENT, DRAFT, NULL, NULL, 0, ADD_NOTE, NULL, another_quote),
    STORY(CONFIG_REQUIRES_MISSING, DRAFT, NULL, lone_support, 0, PRICE_QUOTE, NULL, NULL),
    STORY(CONFIG_EXCLUDED, DRAFT, NULL, users_and_service, 0, PRICE_QUOTE, NULL, NULL),
    STORY(CONFIG_QUANTITY_MISMATCH, DRAFT, NULL, fewer_support_seats, 0, PRICE_QUOTE, NULL, NULL),
    STORY(CONFIG_GROUP_CARDINALITY, DRAFT, NULL, bundle_without_support, 0, PRICE_QUOTE, NULL, NULL),
    STORY(CONFIG_ATTRIBUTE_INVALID, DRAFT, NULL, NULL, 0, ADD_LINE, NULL, unknown_support_level),
    STORY(OFFERING_NOT_ELIGIBLE, DRAFT, NULL, users_outside_their_region, 0, ADD_LINE, NULL, more_users),
    STORY(CONFIG_NOT_AN_OPTION, DRAFT, NULL, support_only_in_bundles, 0, ADD_LINE, NULL, support_as_a_root_line),
    STORY(PROMOTION_UNKNOWN, DRAFT, NULL, unknown_promotion, 0, PRICE_QUOTE, NULL, NULL),
    STORY(ORDER_TYPE_UNKNOWN, DRAFT, unknown_order_type, catalog_with_order_types, 0, PRICE_QUOTE, NULL, NULL),
    STORY(CANCEL_DATE_BEFORE_ARRIVAL, NONE, NULL, NULL, 0, CREATE_QUOTE, NULL, cancel_before_arrival),
};

/* Refusal codes the domain does not produce, and who does. */
typedef struct elsewhere {
    q2o_err code;
    const char *layer;
} elsewhere;

#define NOT_PRODUCED "no layer yet"

static const elsewhere owned_elsewhere[] = {
    {Q2O_WIRE_BAD_MAGIC, "codec: Avro single-object decoding"},
    {Q2O_WIRE_UNKNOWN_SCHEMA, "codec: schema fingerprint lookup"},
    {Q2O_WIRE_TRUNCATED, "codec: Avro decoding"},
    {Q2O_WIRE_BAD_LENGTH, "codec: Avro decoding"},
    {Q2O_WIRE_BAD_ENUM, "codec: Avro decoding"},
    {Q2O_WIRE_TRAILING_BYTES, "codec: Avro decoding"},
    {Q2O_WIRE_DECODE_FAILED, "codec: Avro decoding"},
    {Q2O_STORE_NOT_FOUND, "store: local LMDB lookups"},
    {Q2O_MONEY_CURRENCY_MISMATCH, "core money: the domain prices one currency per quote"},
    {Q2O_TOO_LARGE, "codec and store: message and record size limits"},
    {Q2O_CONFIG_INVALID, "runtime: worker configuration (environment, config file)"},
    {Q2O_KAFKA_CONFIG, "bus: librdkafka property translation"},
    {Q2O_CATALOG_INVALID, "codec: the catalog JSON loader (tests/unit/codec_catalog_*)"},
    {Q2O_CATALOG_NOT_LOADED, "runtime: the catalog projection of a worker"},
};

static const scenario *scenario_for(q2o_err code)
{
    for (size_t i = 0; i < Q2O_ARRAY_LEN(scenarios); i++)
        if (scenarios[i].code == code)
            return &scenarios[i];
    return NULL;
}

static const elsewhere *owner_of(q2o_err code)
{
    for (size_t i = 0; i < Q2O_ARRAY_LEN(owned_elsewhere); i++)
        if (owned_elsewhere[i].code == code)
            return &owned_elsewhere[i];
    return NULL;
}

static int is_refusal(q2o_err code)
{
    q2o_err_class cls = q2o_err_class_of(code);
    return cls == Q2O_CLASS_REJECTED || cls == Q2O_CLASS_INVALID;
}

/* ----------------------------------------------------------- the tests */

ParameterizedTestParameters(error_table, each_refusal_code_has_a_scenario_that_produces_it)
{
    return fx_row_indices(Q2O_ARRAY_LEN(scenarios));
}

ParameterizedTest(size_t *i, error_table, each_refusal_code_has_a_scenario_that_produces_it)
{
    const scenario *s = &scenarios[*i];
    const char *name = q2o_err_name(s->code);
    q2o_err got = s->custom ? s->custom(&f) : fx_tell(&f, &s->story);
    cr_assert_eq(got, s->code, "%s: got %s (%s)", name, q2o_err_name(got), f.last.detail);
    cr_assert(is_refusal(s->code), "%s is class %s", name, q2o_err_class_name(q2o_err_class_of(s->code)));
    if (!s->custom)
        cr_assert(f.last.detail[0], "%s: the refusal names no fact", name);
}

Test(error_table, every_rejection_code_is_produced_here_or_owned_elsewhere)
{
    q2o_err code;
    for (int i = 0; q2o_err_at(i, &code) == 0; i++) {
        const char *name = q2o_err_name(code);
        const scenario *s = scenario_for(code);
        const elsewhere *o = owner_of(code);
        cr_assert(!(s && o), "%s is both produced here and owned by %s", name, o ? o->layer : "");
        if (is_refusal(code))
            cr_assert(s || o, "%s (class %s) has no scenario and no owner: add one", name,
                      q2o_err_class_name(q2o_err_class_of(code)));
        int domain_range = (int)code >= 100 && (int)code < 400;
        if (domain_range && o)
            cr_assert_str_eq(o->layer, NOT_PRODUCED, "%s is a domain code, yet owned by %s", name, o->layer);
    }
    for (size_t i = 0; i < Q2O_ARRAY_LEN(owned_elsewhere); i++)
        cr_assert(q2o_err_is_known((int)owned_elsewhere[i].code) && is_refusal(owned_elsewhere[i].code),
                  "%s is listed as owned elsewhere but is not a refusal code", q2o_err_name(owned_elsewhere[i].code));
}

Test(error_table, scenario_codes_are_unique)
{
    for (size_t i = 0; i < Q2O_ARRAY_LEN(scenarios); i++)
        cr_assert_eq(scenario_for(scenarios[i].code), &scenarios[i], "%s has two scenarios",
                     q2o_err_name(scenarios[i].code));
}

Test(error_table, every_code_says_what_to_do_beyond_what_went_wrong)
{
    q2o_err code;
    for (int i = 0; q2o_err_at(i, &code) == 0; i++) {
        const char *msg = q2o_err_message(code), *fix = q2o_err_remediation(code);
        cr_assert(msg[0] && fix[0], "%s: empty message or remediation", q2o_err_name(code));
        cr_assert_str_neq(fix, msg, "%s: the remediation repeats the message", q2o_err_name(code));
    }
}
