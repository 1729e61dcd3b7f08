/*
 * quote_codec_tables.c — the Avro shape of every q2o message, as data.
 *
 * Field order in a table is the field order in the schema and on the wire:
 * never reorder, rename or remove a field of a published record (see
 * schemas/README.md, "Evolution"). Records follow the C structs of
 * domain/types.h and domain/quote.h member by member. An event or command
 * payload record holds exactly its C union member: an anonymous struct
 * contributes its members as fields, a named type (q2o_line, q2o_terms, ...)
 * contributes one field named after the union member.
 */
#include <stddef.h>

#include "codec/quote_codec.h"
#include "core/strutil.h"
#include "domain/quote.h"
#include "quote_codec_internal.h"

/* ---- field constructors ---- */
#define MSIZE(T, m) sizeof(((T *)0)->m)
#define F(k, T, m, nm, d) {.name = nm, .doc = d, .kind = QC_##k, .off = offsetof(T, m), .size = MSIZE(T, m)}
#define FE(T, m, nm, e, d) {.name = nm, .doc = d, .kind = QC_ENUM, .off = offsetof(T, m), .en = &(e)}
#define FR(T, m, nm, r, d) {.name = nm, .doc = d, .kind = QC_REC, .off = offsetof(T, m), .rec = &(r)}
#define FM(T, m, nm, bits, d) \
    {.name = nm, .doc = d, .kind = QC_MASK, .off = offsetof(T, m), .max = (uint32_t)(bits)}
/* inline array m[max] with count cnt; items of kind ik (record r or strings) */
#define FA(T, m, cnt, nm, ik, r, d) \
    {.name = nm, .doc = d, .kind = QC_ARR, .off = offsetof(T, m), .size = MSIZE(T, m[0]), \
     .item = QC_##ik, .rec = r, .count_off = offsetof(T, cnt), \
     .max = (uint32_t)(MSIZE(T, m) / MSIZE(T, m[0]))}
/* heap array of records behind pointer m, count cnt, capacity cap (or none) */
#define FH(T, m, cnt, capoff, nm, r, mx, d) \
    {.name = nm, .doc = d, .kind = QC_HEAP, .off = offsetof(T, m), .size = MSIZE(T, m[0]), \
     .item = QC_REC, .rec = &(r), .count_off = offsetof(T, cnt), .cap_off = capoff, .max = mx}
#define FV(nm, fn, check, d) {.name = nm, .doc = d, .kind = QC_VIRTUAL, .virt = fn, .max = check}
#define RECORD(var, nm, d, flds) \
    const qc_record var = {nm, d, flds, (unsigned)(sizeof(flds) / sizeof((flds)[0]))}
#define EMPTY_RECORD(var, nm, d) const qc_record var = {nm, d, NULL, 0}

#define ID_DOC(what) "Identifier of " what " (at most 63 bytes)."
#define FP_DOC(what) "SHA-256 " what "."

/* ---- enums: symbols in C enum order (types.h); append only ---- */
#define SYM_(n) #n,
static const char *const status_syms[] = {Q2O_STATUS_LIST(SYM_)};
static const char *const quote_type_syms[] = {Q2O_QUOTE_TYPE_LIST(SYM_)};
static const char *const line_action_syms[] = {Q2O_LINE_ACTION_LIST(SYM_)};
static const char *const accept_method_syms[] = {Q2O_ACCEPT_METHOD_LIST(SYM_)};
static const char *const expiry_kind_syms[] = {Q2O_EXPIRY_KIND_LIST(SYM_)};
static const char *const approval_rule_syms[] = {Q2O_APPROVAL_RULE_LIST(SYM_)};
static const char *const op_status_syms[] = {Q2O_OP_STATUS_LIST(SYM_)};
static const char *const result_status_syms[] = {Q2O_RESULT_STATUS_LIST(SYM_)};
static const char *const price_stage_syms[] = {Q2O_PRICE_STAGE_LIST(SYM_)};
static const char *const line_change_syms[] = {Q2O_LINE_CHANGE_LIST(SYM_)};
#undef SYM_
#define ENUM(var, nm, d, syms) \
    static const qc_enum var = {nm, d, syms, (unsigned)(sizeof(syms) / sizeof((syms)[0]))}

ENUM(qc_enum_status, "Status", "Status of a quote revision (SPEC section 3).", status_syms);
ENUM(qc_enum_quote_type, "QuoteType", "Kind of quote.", quote_type_syms);
ENUM(qc_enum_line_action, "LineAction", "What a line does to the customer's assets.",
     line_action_syms);
ENUM(qc_enum_accept_method, "AcceptMethod", "How the customer accepted.", accept_method_syms);
ENUM(qc_enum_expiry_kind, "ExpiryKind", "Which of the five validities passed.", expiry_kind_syms);
ENUM(qc_enum_approval_rule, "ApprovalRule", "A rule of the approval policy that fired.",
     approval_rule_syms);
ENUM(qc_enum_op_status, "OpStatus", "Status of a long-running operation (document generation).",
     op_status_syms);
ENUM(qc_enum_price_stage, "PriceStage", "A stage of the price waterfall (SPEC section 4).", price_stage_syms);
ENUM(qc_enum_line_change, "LineChange", "What a reprice changed on a line against the parent revision.",
     line_change_syms);
ENUM(qc_enum_result_status, "ResultStatus", "Whether the command was accepted or rejected.",
     result_status_syms);

/* ---- shared records (domain/types.h) ---- */
static const qc_field actor_fields[] = {
    F(STR, q2o_actor, id, "id", ID_DOC("the acting user or system")),
    FM(q2o_actor, roles, "roles", Q2O_ROLE__ALL, "Role bit set: bit i is the i-th role of Q2O_ROLE_LIST."),
    F(I64, q2o_actor, authority_limit, "authority_limit",
      "Largest grand total (minor units) the actor may approve; -1 unlimited, 0 none."),
    F(STR, q2o_actor, legal_entity, "legal_entity", "Legal entity the actor signs for."),
};
static RECORD(rec_actor, "Actor", "Who sends a command, with roles and limits.", actor_fields);

static const qc_field policy_fields[] = {
    FM(q2o_acceptance_policy, allowed_methods, "allowed_methods", (1u << Q2O_AM__COUNT) - 1,
       "Bit set of allowed methods: bit i is AcceptMethod symbol i."),
    F(BOOL, q2o_acceptance_policy, require_po, "require_po", "A purchase order reference is required."),
    F(BOOL, q2o_acceptance_policy, require_signature, "require_signature", "A signature envelope is required."),
    F(BOOL, q2o_acceptance_policy, block_after_expiry, "block_after_expiry", "Accepting an expired revision is refused."),
    F(BOOL, q2o_acceptance_policy, allow_partner, "allow_partner", "A partner may accept on the customer's behalf."),
    F(BOOL, q2o_acceptance_policy, block_legal_entity_mismatch, "block_legal_entity_mismatch",
      "An acceptor of another legal entity is refused."),
    F(BOOL, q2o_acceptance_policy, allow_delayed_conversion, "allow_delayed_conversion",
      "Conversion after the validity passed is allowed."),
    F(BOOL, q2o_acceptance_policy, allow_cancel_after_accept, "allow_cancel_after_accept",
      "An accepted revision may still be canceled."),
};
static RECORD(rec_policy, "AcceptancePolicy", "Acceptance policy snapshotted onto the quote.", policy_fields);

#define HS(m, d) F(STR, q2o_quote_header, m, #m, d)
#define HB(m, d) F(BOOL, q2o_quote_header, m, #m, d)
static const qc_field header_fields[] = {
    HS(quote_number, "Human quote number."),
    FE(q2o_quote_header, quote_type, "quote_type", qc_enum_quote_type, "Kind of quote."),
    HS(account_id, ID_DOC("the account")),
    HS(customer_id, ID_DOC("the customer")),
    HS(customer_legal_entity, "Legal entity of the customer."),
    HS(sold_to, "Sold-to party."),
    HS(ship_to, "The one ship-to party."),
    HB(ship_to_is_gift_recipient, "The ship-to is a gift recipient (refused on quotes)."),
    HS(bill_to, "Bill-to party."),
    HS(billing_account_id, ID_DOC("the billing account")),
    HS(selling_entity, "Selling legal entity."),
    HS(currency, "ISO 4217 currency code (3 letters)."),
    HS(market, "Market or region code."),
    HS(channel, "Sales channel code."),
    HS(owner_id, ID_DOC("the sales owner")),
    HS(opportunity_id, "CRM opportunity id."),
    HS(order_type, "Order type the quote converts to."),
    HB(order_type_requires_pay_method, "The order type requires a pay method."),
    FA(q2o_quote_header, contacts, n_contacts, "contacts", STR, NULL,
       "Customer contacts authorized to receive and accept (at most 8)."),
    FR(q2o_quote_header, acceptance, "acceptance", rec_policy, "Acceptance policy."),
    F(TIME, q2o_quote_header, created_at, "created_at", "When the quote was created."),
    HS(created_by, ID_DOC("the creator")),
};
static RECORD(rec_header, "QuoteHeader", "Header of a quote group; applies to every revision.", header_fields);

static const qc_field terms_fields[] = {
    F(TIME, q2o_terms, valid_until, "valid_until", "Proposal validity; 0 = not set."),
    F(TIME, q2o_terms, contract_start, "contract_start", "Contract start; 0 = none."),
    F(I32, q2o_terms, term_months, "term_months", "Contract term in months."),
    F(STR, q2o_terms, payment_terms, "payment_terms", "Payment terms code."),
    F(STR, q2o_terms, legal_terms_version, "legal_terms_version", "Legal terms version."),
    F(STR, q2o_terms, pay_method, "pay_method", "Pay method code."),
    F(BOOL, q2o_terms, legal_clause_exception, "legal_clause_exception", "A non-standard legal clause is requested."),
    F(TIME, q2o_terms, cancel_date, "cancel_date",
      "Cancel date entered manually; 0 = none (acceptance computes arrival + expiration days)."),
};
static RECORD(rec_terms, "Terms", "Commercial terms of a revision.", terms_fields);

static const qc_field option_fields[] = {
    F(STR, q2o_line_option, name, "name", "Attribute name."),
    F(STR, q2o_line_option, value, "value", "Chosen value."),
};
static RECORD(rec_option, "LineOption", "One configuration choice of a line.", option_fields);

#define PL(m, d) F(I64, q2o_line_price, m, #m, d)
static const qc_field price_fields[] = {
    PL(catalog_version, "Catalog version the line was priced with."),
    PL(list_unit, "List unit price, minor units."),
    PL(list_total, "List unit price times quantity, minor units."),
    PL(discount_total, "Everything between list and net, minor units."),
    PL(net_total, "Net total, minor units."),
    PL(recurring_total, "Part of net that recurs per month, minor units."),
    PL(cost_total, "Cost, minor units."),
    F(I32, q2o_line_price, margin_bp, "margin_bp", "Margin (net - cost) / net in basis points."),
    F(TIME, q2o_line_price, promo_ends_at, "promo_ends_at", "End of the applied promotion; 0 = none."),
    PL(one_time_total, "Part of net charged once, minor units."),
    F(I32, q2o_line_price, term_months, "term_months", "Months the recurring part runs; 0 = one-time."),
    F(STR, q2o_line_price, promo_code, "promo_code", "Promotion applied (coded or automatic); empty = none."),
};
static RECORD(rec_price, "LinePrice", "Price snapshot of a line, in minor units of the quote currency.",
              price_fields);

#define LS(m, d) F(STR, q2o_line, m, #m, d)
static const qc_field line_fields[] = {
    LS(line_id, ID_DOC("the line")),
    LS(parent_line_id, "Parent line in a bundle; empty = top level."),
    F(I32, q2o_line, line_number, "line_number", "Display order."),
    FE(q2o_line, action, "action", qc_enum_line_action, "What the line does."),
    LS(offering_id, ID_DOC("the product offering")),
    LS(display_name, "Display name snapshot (at most 127 bytes)."),
    F(I64, q2o_line, quantity, "quantity", "Quantity, 0 < q <= 10^9."),
    LS(uom, "Unit of measure."),
    F(I32, q2o_line, term_months, "term_months", "Line term in months."),
    LS(asset_ref, "Asset the line changes, for changes to owned assets."),
    FA(q2o_line, options, n_options, "options", REC, &rec_option, "Configuration snapshot (at most 16)."),
    F(I32, q2o_line, discount_bp, "discount_bp", "Manual discount in basis points."),
    F(I64, q2o_line, override_unit_price, "override_unit_price", "Manual unit price; -1 = none."),
    LS(override_reason, "Reason code of the price override."),
    LS(promo_code, "Promotion code."),
    F(BOOL, q2o_line, priced, "priced", "The price below is valid for the current content."),
    FR(q2o_line, price, "price", rec_price, "Price snapshot."),
    F(BOOL, q2o_line, override_assigned_on_accept, "override_assigned_on_accept",
      "Acceptance assigned the override reason and unit price (the quoted price is kept)."),
};
static RECORD(rec_line, "QuoteLine", "A line of a revision.", line_fields);

static const qc_field reason_item_fields[] = {
    FE(q2o_approval_reason, rule, "rule", qc_enum_approval_rule, "The rule that fired."),
    F(I64, q2o_approval_reason, figure, "figure", "The value that fired (bp, months or minor units)."),
    F(I64, q2o_approval_reason, threshold, "threshold", "The policy limit it crossed."),
};
static RECORD(rec_appr_reason, "ApprovalReason", "Why approval is required.", reason_item_fields);

static const qc_field step_fields[] = {
    FM(q2o_approval_step, role, "role", Q2O_ROLE__ALL, "The approving role (one role bit)."),
    F(BOOL, q2o_approval_step, mandatory, "mandatory", "The step must be approved."),
    F(I64, q2o_approval_step, required_limit, "required_limit", "Authority limit the approver needs."),
    F(STR, q2o_approval_step, approved_by, "approved_by", "Approver; empty = pending."),
    F(TIME, q2o_approval_step, approved_at, "approved_at", "When approved; 0 = pending."),
};
static RECORD(rec_step, "ApprovalStep", "One step of an approval route.", step_fields);

#define AS(m, d) F(STR, q2o_acceptance, m, #m, d)
static const qc_field acceptance_fields[] = {
    FE(q2o_acceptance, method, "method", qc_enum_accept_method, "Acceptance method."),
    AS(acceptor_id, ID_DOC("the acceptor")),
    AS(acceptor_legal_entity, "Legal entity the acceptor signs for."),
    F(BOOL, q2o_acceptance, on_behalf_as_partner, "on_behalf_as_partner", "A partner accepted for the customer."),
    AS(document_id, ID_DOC("the accepted document")),
    F(SHA, q2o_acceptance, document_hash, "document_hash", FP_DOC("of the accepted document")),
    AS(po_reference, "Purchase order reference."),
    AS(signature_envelope_id, "E-signature envelope id."),
    AS(source_address, "Address the acceptance came from."),
    AS(evidence_ref, "Reference to the stored evidence."),
};
static RECORD(rec_acceptance, "Acceptance", "Acceptance evidence (SPEC section 3).", acceptance_fields);

static const qc_field violation_fields[] = {
    F(ERRCODE, q2o_violation, code, "code", "q2o error code number (core/error.h)."),
    F(STR, q2o_violation, line_id, "line_id", "Line concerned; empty = header level."),
    F(STR, q2o_violation, detail, "detail", "Option, field or offering concerned."),
};
static RECORD(rec_violation, "Violation", "A validation finding.", violation_fields);

static const qc_field cmd_reason_fields[] = {
    F(STR, q2o_cmd_reason, reason_code, "reason_code", "Reason code."),
    F(STR, q2o_cmd_reason, comment, "comment", "Free text (at most 511 bytes)."),
};
static RECORD(rec_reason, "Reason", "A reason code with a comment.", cmd_reason_fields);

static const qc_field conversion_fields[] = {
    F(STR, q2o_conversion, idempotency_key, "idempotency_key", "Idempotency key of the conversion."),
    F(STR, q2o_conversion, order_id, "order_id", ID_DOC("the order")),
    F(STR, q2o_conversion, order_number, "order_number", "Order number."),
    F(TIME, q2o_conversion, converted_at, "converted_at", "When converted."),
    F(SHA, q2o_conversion, snapshot_hash, "snapshot_hash", FP_DOC("of the converted snapshot")),
};
static RECORD(rec_conversion, "Conversion", "Result of converting a revision to an order.", conversion_fields);

#define PS q2o_price_step
static const qc_field price_step_fields[] = {
    FE(PS, stage, "stage", qc_enum_price_stage, "Waterfall stage."),
    F(STR, PS, rule, "rule", "Id of the rule that applied (price book, contract, tier, schedule, promotion, reason)."),
    F(I64, PS, rule_version, "rule_version", "Version of that rule; 0 = unversioned."),
    F(I64, PS, input, "input", "What selected the rule: quantity, months, unit price or basis points."),
    F(I32, PS, rate_bp, "rate_bp", "Discount rate in basis points (negative = uplift); 0 for amounts."),
    F(I64, PS, amount, "amount", "Amount taken off by this step, minor units (negative = added)."),
    F(I64, PS, after, "after", "The line's amount after this step, minor units (per month if recurring)."),
};
#undef PS
static RECORD(rec_price_step, "PriceStep", "One applied step of a line's price waterfall.", price_step_fields);

static const qc_field trace_fields[] = {
    FA(q2o_line_trace, steps, n_steps, "steps", REC, &rec_price_step, "Applied steps in waterfall order (at most 8)."),
};
static RECORD(rec_trace, "PriceTrace", "A line's price waterfall.", trace_fields);

static const qc_field priced_line_fields[] = {
    F(STR, q2o_priced_line, line_id, "line_id", ID_DOC("the line")),
    F(STR, q2o_priced_line, display_name, "display_name", "Display name snapshot."),
    FR(q2o_priced_line, price, "price", rec_price, "Price snapshot."),
    FR(q2o_priced_line, trace, "trace", rec_trace, "Price waterfall: which rule, which version, which input."),
};

#define PC q2o_price_change
static const qc_field change_fields[] = {
    F(STR, PC, line_id, "line_id", ID_DOC("the line")),
    FE(PC, kind, "kind", qc_enum_line_change, "Added, changed or removed."),
    F(I64, PC, previous_quantity, "previous_quantity", "Quantity in the parent revision."),
    F(I64, PC, quantity, "quantity", "Quantity now."),
    F(I64, PC, previous_net, "previous_net", "Contract value in the parent revision, minor units."),
    F(I64, PC, net, "net", "Contract value now, minor units."),
};
#undef PC
static RECORD(rec_change, "PriceChange", "A line-level difference against the parent revision.", change_fields);

#define LB q2o_line_baseline
static const qc_field baseline_fields[] = {
    F(STR, LB, line_id, "line_id", ID_DOC("the line")),
    F(STR, LB, offering_id, "offering_id", ID_DOC("the offering")),
    F(I64, LB, quantity, "quantity", "Quantity."),
    F(I32, LB, discount_bp, "discount_bp", "Manual discount in basis points."),
    F(I64, LB, override_unit_price, "override_unit_price", "Override unit price; -1 = none."),
    F(I64, LB, net_total, "net_total", "Contract value as priced, minor units."),
};
#undef LB
static RECORD(rec_baseline, "LineBaseline", "A line of the parent revision as priced.", baseline_fields);
static RECORD(rec_priced_line, "PricedLine", "One line of a QuotePriced snapshot.", priced_line_fields);

/* ---- event payloads (offsets from the start of q2o_event) ---- */
#define EV q2o_event
static const qc_field ev_created_fields[] = {
    FR(EV, u.created.header, "header", rec_header, "Quote header."),
    FR(EV, u.created.terms, "terms", rec_terms, "Initial terms of Rev 1."),
};
static const qc_field ev_line_fields[] = {FR(EV, u.line, "line", rec_line, "The line as it is now.")};
static const qc_field ev_line_id_fields[] = {F(STR, EV, u.line_id, "line_id", ID_DOC("the removed line"))};
static const qc_field ev_terms_fields[] = {FR(EV, u.terms, "terms", rec_terms, "The new terms.")};
static const qc_field ev_note_fields[] = {F(STR, EV, u.note, "note", "Internal note (at most 511 bytes).")};
static const qc_field ev_owner_fields[] = {F(STR, EV, u.owner_id, "owner_id", ID_DOC("the new owner"))};
#define PR(m, d) F(I64, EV, u.priced.m, #m, d)
static const qc_field ev_priced_fields[] = {
    FH(EV, u.priced.lines, u.priced.n_lines, 0, "lines", rec_priced_line, Q2O_MAX_LINES,
       "Per-line prices (at most 1000)."),
    PR(merchandise, "Sum of line nets, minor units."),
    PR(discount_total, "Total discount, minor units."),
    PR(net_total, "Net total, minor units."),
    PR(freight, "Freight, minor units."),
    PR(tax, "Tax, minor units."),
    PR(grand_total, "Grand total, minor units."),
    PR(cost_total, "Cost, minor units."),
    F(I32, EV, u.priced.margin_bp, "margin_bp", "Margin in basis points."),
    F(I32, EV, u.priced.max_discount_bp, "max_discount_bp", "Largest line discount in basis points."),
    PR(catalog_version, "Catalog version priced with."),
    PR(pricebook_version, "Price book version priced with."),
    F(TIME, EV, u.priced.price_valid_until, "price_valid_until", "End of price validity."),
    F(TIME, EV, u.priced.promo_ends_at, "promo_ends_at", "Earliest promotion end; 0 = none."),
    F(SHA, EV, u.priced.pricing_fp, "pricing_fp", FP_DOC("fingerprint of the priced content")),
    F(SHA, EV, u.priced.approval_fp, "approval_fp", FP_DOC("approval content fingerprint")),
    PR(policy_version, "Approval policy version evaluated."),
    PR(one_time_total, "Net of one-time charges, minor units."),
    PR(recurring_total, "Net recurring charges per month, minor units."),
    F(STR, EV, u.priced.catalog_id, "catalog_id", "Catalog priced with."),
    F(STR, EV, u.priced.pricebook_id, "pricebook_id", "Price book priced with."),
    F(I32, EV, u.priced.compared_revision, "compared_revision", "Revision the changes are against; 0 = none."),
    FH(EV, u.priced.changes, u.priced.n_changes, 0, "changes", rec_change, 2 * Q2O_MAX_LINES,
       "Lines added, changed or removed against the parent revision."),
};
static const qc_field ev_failed_fields[] = {
    FA(EV, u.failed.violations, u.failed.n_violations, "violations", REC, &rec_violation,
       "Findings (at most 32)."),
};
static const qc_field ev_required_fields[] = {
    F(SHA, EV, u.required.approval_fp, "approval_fp", FP_DOC("approval fingerprint")),
    F(I64, EV, u.required.policy_version, "policy_version", "Approval policy version."),
    FA(EV, u.required.reasons, u.required.n_reasons, "reasons", REC, &rec_appr_reason, "Rules that fired (at most 8)."),
    FA(EV, u.required.steps, u.required.n_steps, "steps", REC, &rec_step, "Approval route (at most 8)."),
};
static const qc_field ev_submitted_fields[] = {
    F(SHA, EV, u.submitted.approval_fp, "approval_fp", FP_DOC("fingerprint under review")),
};
static const qc_field ev_step_fields[] = {
    F(U32, EV, u.step.step, "step", "Index of the approved step."),
    FM(EV, u.step.role, "role", Q2O_ROLE__ALL, "Role bit of the approver."),
    F(SHA, EV, u.step.approval_fp, "approval_fp", FP_DOC("fingerprint approved")),
    F(STR, EV, u.step.comment, "comment", "Approver's comment."),
};
static const qc_field ev_approved_fields[] = {
    F(SHA, EV, u.approved.approval_fp, "approval_fp", FP_DOC("fingerprint approved")),
    F(BOOL, EV, u.approved.automatic, "automatic", "Approved without a review (no rule fired)."),
    F(TIME, EV, u.approved.expires_at, "expires_at", "End of the approval's validity."),
};
static const qc_field ev_reason_fields[] = {FR(EV, u.reason, "reason", rec_reason, "Why.")};
static const qc_field ev_document_fields[] = {
    F(STR, EV, u.document.document_id, "document_id", ID_DOC("the proposal document")),
    F(SHA, EV, u.document.document_hash, "document_hash", FP_DOC("of the document")),
    F(STR, EV, u.document.template_version, "template_version", "Template version used."),
    F(SHA, EV, u.document.snapshot_fp, "snapshot_fp", FP_DOC("of the snapshot rendered")),
};
static const qc_field ev_presented_fields[] = {
    F(STR, EV, u.presented.document_id, "document_id", ID_DOC("the presented document")),
    F(SHA, EV, u.presented.document_hash, "document_hash", FP_DOC("of the presented document")),
    F(STR, EV, u.presented.recipient, "recipient", "Contact the proposal went to."),
    F(TIME, EV, u.presented.valid_until, "valid_until", "Proposal validity."),
};
/* The evidence keeps the field name it had when it was the whole payload. */
static const qc_field ev_accepted_fields[] = {
    FR(EV, u.accepted.evidence, "accepted", rec_acceptance, "Evidence."),
    F(STR, EV, u.accepted.price_override_reason, "price_override_reason",
      "Reason assigned to the lines without one, keeping the quoted price; empty = none."),
    F(BOOL, EV, u.accepted.freight_override, "freight_override", "The freight became a freight override."),
    F(I64, EV, u.accepted.freight_override_amount, "freight_override_amount", "The freight override, minor units."),
    F(TIME, EV, u.accepted.cancel_date, "cancel_date", "Cancel date of the quote; 0 = none."),
};
static const qc_field ev_expired_fields[] = {
    FE(EV, u.expired.kind, "kind", qc_enum_expiry_kind, "Which validity passed."),
    F(TIME, EV, u.expired.valid_until, "valid_until", "The validity that passed."),
};
static const qc_field ev_revision_fields[] = {
    F(I32, EV, u.revision_created.number, "number", "The new revision's number."),
    F(I32, EV, u.revision_created.parent, "parent", "The revision it was created from."),
    F(STR, EV, u.revision_created.reason_code, "reason_code", "Why a revision was needed."),
};
static const qc_field ev_superseded_fields[] = {
    F(I32, EV, u.superseded.superseded_by, "superseded_by", "The superseding revision."),
};
static const qc_field ev_converted_fields[] = {
    FR(EV, u.converted.conversion, "conversion", rec_conversion, "The conversion."),
    F(I64, EV, u.converted.grand_total, "grand_total", "Grand total of the order, minor units."),
    F(STR, EV, u.converted.currency, "currency", "ISO 4217 currency code."),
    F(SHA, EV, u.converted.pricing_fp, "pricing_fp", FP_DOC("pricing fingerprint of the accepted revision")),
    F(SHA, EV, u.converted.document_hash, "document_hash", FP_DOC("of the accepted document")),
    FA(EV, u.converted.warnings, u.converted.n_warnings, "warnings", ERRCODE, NULL,
       "Informational q2o error codes (at most 4)."),
    FA(EV, u.converted.unavailable, u.converted.n_unavailable, "unavailable", STR, NULL,
       "Ids of lines whose offering is sold out, informational (at most 32)."),
    F(U32, EV, u.converted.unavailable_total, "unavailable_total", "Sold-out lines in all (listed or not)."),
};
#undef PR

static RECORD(ev_created, "QuoteCreated", "A quote group was created with Rev 1.", ev_created_fields);
static RECORD(ev_line_added, "QuoteLineAdded", "A line was added.", ev_line_fields);
static RECORD(ev_line_changed, "QuoteLineChanged", "A line was changed.", ev_line_fields);
static RECORD(ev_line_removed, "QuoteLineRemoved", "A line was removed.", ev_line_id_fields);
static RECORD(ev_terms_changed, "QuoteTermsChanged", "The terms changed.", ev_terms_fields);
static RECORD(ev_note_added, "QuoteNoteAdded", "An internal note was added.", ev_note_fields);
static RECORD(ev_owner, "QuoteOwnerReassigned", "The sales owner changed.", ev_owner_fields);
static RECORD(ev_priced, "QuotePriced", "The revision was priced.", ev_priced_fields);
static RECORD(ev_failed, "QuoteValidationFailed", "Pricing found blocking violations.", ev_failed_fields);
static RECORD(ev_required, "QuoteApprovalRequired", "The approval policy fired.", ev_required_fields);
static RECORD(ev_submitted, "QuoteSubmittedForApproval", "Submitted for approval.", ev_submitted_fields);
static RECORD(ev_step, "QuoteApprovalStepApproved", "One approval step was approved.", ev_step_fields);
static RECORD(ev_approved, "QuoteApproved", "The revision is approved.", ev_approved_fields);
static RECORD(ev_rejected_appr, "QuoteRejectedByApprover", "An approver rejected.", ev_reason_fields);
static RECORD(ev_recalled, "QuoteApprovalRecalled", "The approval request was recalled.", ev_reason_fields);
static RECORD(ev_document, "QuoteDocumentAttached", "A proposal document was attached.", ev_document_fields);
static RECORD(ev_presented, "QuotePresented", "The proposal was presented.", ev_presented_fields);
static RECORD(ev_accepted, "QuoteAccepted", "The customer accepted.", ev_accepted_fields);
static RECORD(ev_rejected_cust, "QuoteRejectedByCustomer", "The customer rejected.", ev_reason_fields);
static RECORD(ev_expired, "QuoteExpired", "A validity passed.", ev_expired_fields);
static RECORD(ev_canceled, "QuoteCanceled", "The revision was canceled.", ev_reason_fields);
static RECORD(ev_rev_created, "QuoteRevisionCreated", "A new revision was created.", ev_revision_fields);
static RECORD(ev_superseded, "QuoteSuperseded", "The revision was superseded.", ev_superseded_fields);
static RECORD(ev_converted, "QuoteConvertedToOrder", "The revision became an order.", ev_converted_fields);

/* Branch i is event type i + 1 (Q2O_EVENT_LIST order); append only. */
static const qc_record *const ev_branches[] = {
    &ev_created, &ev_line_added, &ev_line_changed, &ev_line_removed, &ev_terms_changed,
    &ev_note_added, &ev_owner, &ev_priced, &ev_failed, &ev_required, &ev_submitted, &ev_step,
    &ev_approved, &ev_rejected_appr, &ev_recalled, &ev_document, &ev_presented, &ev_accepted,
    &ev_rejected_cust, &ev_expired, &ev_canceled, &ev_rev_created, &ev_superseded, &ev_converted,
};
_Static_assert(sizeof(ev_branches) / sizeof(ev_branches[0]) == Q2O_EV__COUNT - 1,
               "one payload record per event type");

static void event_id_of(const void *obj, char *out, size_t size)
{
    q2o_codec_event_id((const q2o_event *)obj, out, size);
}

static void event_type_of(const void *obj, char *out, size_t size)
{
    (void)q2o_strlcpy(out, q2o_event_type_name(((const q2o_event *)obj)->type), size);
}

#define EVS(m, d) F(STR, EV, m, #m, d)
static const qc_field event_fields[] = {
    FV("event_id", event_id_of, 1, "quote_id + \"/\" + version in decimal: unique, deterministic."),
    FV("type", event_type_of, 1, "Event type name; equals the payload record's name."),
    EVS(quote_id, ID_DOC("the quote group (the stream)")),
    F(U64, EV, version, "version", "Stream version: 1 for the first event of a quote."),
    F(TIME, EV, at, "at", "When the event happened."),
    F(I32, EV, revision, "revision", "Revision the event concerns."),
    EVS(actor_id, ID_DOC("the actor whose command produced the event")),
    FM(EV, actor_roles, "actor_roles", Q2O_ROLE__ALL, "Role bit set of the actor."),
    EVS(command_id, "Causation: id of the command that produced the event."),
    EVS(correlation_id, "Correlation id carried from the command."),
    EVS(source, "Source system of the command."),
    F(SHA, EV, prev_hash, "prev_hash", FP_DOC("hash of the previous event; zero for version 1")),
    {.name = "payload", .doc = "The event's facts: one record per event type.", .kind = QC_UNION,
     .count_off = offsetof(EV, type), .branches = ev_branches,
     .n_branches = (unsigned)(sizeof(ev_branches) / sizeof(ev_branches[0]))},
};
#undef EV
#undef EVS
static RECORD(rec_event, "QuoteEvent", "One event of a quote's stream (the envelope).", event_fields);

/* ---- command payloads (offsets from the start of q2o_command) ---- */
#define CM q2o_command
static const qc_field cmd_create_fields[] = {
    FR(CM, u.create, "header", rec_header, "Quote header."),
    FR(CM, terms, "terms", rec_terms, "Initial terms."),
};
static const qc_field cmd_line_fields[] = {FR(CM, u.line, "line", rec_line, "The line.")};
static const qc_field cmd_line_id_fields[] = {F(STR, CM, u.line_id, "line_id", ID_DOC("the line to remove"))};
static const qc_field cmd_terms_fields[] = {FR(CM, terms, "terms", rec_terms, "The new terms.")};
static const qc_field cmd_note_fields[] = {F(STR, CM, u.note, "note", "Internal note.")};
static const qc_field cmd_owner_fields[] = {F(STR, CM, u.owner_id, "owner_id", ID_DOC("the new owner"))};
static const qc_field cmd_approve_fields[] = {
    F(SHA, CM, u.approve.expected_fp, "expected_fp", FP_DOC("approval fingerprint the approver reviewed")),
    F(STR, CM, u.approve.comment, "comment", "Approver's comment."),
};
static const qc_field cmd_reason_cmd_fields[] = {FR(CM, u.reason, "reason", rec_reason, "Why.")};
static const qc_field cmd_attach_fields[] = {
    F(STR, CM, u.attach.document_id, "document_id", ID_DOC("the document")),
    F(SHA, CM, u.attach.document_hash, "document_hash", FP_DOC("of the document")),
    F(STR, CM, u.attach.template_version, "template_version", "Template version used."),
    F(SHA, CM, u.attach.snapshot_fp, "snapshot_fp", FP_DOC("of the snapshot rendered")),
};
static const qc_field cmd_present_fields[] = {
    F(STR, CM, u.present.document_id, "document_id", ID_DOC("the document to present")),
    F(SHA, CM, u.present.document_hash, "document_hash", FP_DOC("of the document")),
    F(STR, CM, u.present.recipient, "recipient", "Contact to send the proposal to."),
};
static const qc_field cmd_accept_fields[] = {FR(CM, u.accept, "accept", rec_acceptance, "Evidence.")};
static const qc_field cmd_convert_fields[] = {
    F(STR, CM, u.convert.idempotency_key, "idempotency_key", "Key reused on retries."),
    FE(CM, u.convert.expected_status, "expected_status", qc_enum_status, "ACCEPTED, or NONE: not checked."),
};

static RECORD(cm_create, "CreateQuote", "Create a quote group with Rev 1.", cmd_create_fields);
static RECORD(cm_add_line, "AddQuoteLine", "Add a line.", cmd_line_fields);
static RECORD(cm_change_line, "ChangeQuoteLine", "Change a line (by line_id).", cmd_line_fields);
static RECORD(cm_remove_line, "RemoveQuoteLine", "Remove a line.", cmd_line_id_fields);
static RECORD(cm_terms, "ChangeQuoteTerms", "Change the terms.", cmd_terms_fields);
static RECORD(cm_note, "AddQuoteNote", "Add an internal note.", cmd_note_fields);
static RECORD(cm_owner, "ReassignQuoteOwner", "Reassign the sales owner.", cmd_owner_fields);
static EMPTY_RECORD(cm_price, "PriceQuote", "Validate and price the revision.");
static EMPTY_RECORD(cm_submit, "SubmitQuoteForApproval", "Submit for approval.");
static RECORD(cm_approve, "ApproveQuote", "Approve the pending step of the actor's role.", cmd_approve_fields);
static RECORD(cm_reject_appr, "RejectQuoteApproval", "Reject as an approver.", cmd_reason_cmd_fields);
static RECORD(cm_recall, "RecallQuoteApproval", "Recall the approval request.", cmd_reason_cmd_fields);
static RECORD(cm_attach, "AttachQuoteDocument", "Attach a generated proposal.", cmd_attach_fields);
static RECORD(cm_present, "PresentQuote", "Present the proposal.", cmd_present_fields);
static RECORD(cm_accept, "AcceptQuote", "Record the customer's acceptance.", cmd_accept_fields);
static RECORD(cm_reject_cust, "RejectQuoteByCustomer", "Record the customer's rejection.", cmd_reason_cmd_fields);
static RECORD(cm_convert, "ConvertQuoteToOrder", "Convert the accepted revision.", cmd_convert_fields);
static RECORD(cm_cancel, "CancelQuote", "Cancel the revision.", cmd_reason_cmd_fields);
static RECORD(cm_revision, "CreateQuoteRevision", "Create a new revision.", cmd_reason_cmd_fields);
static EMPTY_RECORD(cm_expire, "ExpireQuote", "Expire the revision if a validity passed.");

/* Branch i is command type i + 1 (Q2O_COMMAND_LIST order); append only. */
static const qc_record *const cmd_branches[] = {
    &cm_create, &cm_add_line, &cm_change_line, &cm_remove_line, &cm_terms, &cm_note, &cm_owner,
    &cm_price, &cm_submit, &cm_approve, &cm_reject_appr, &cm_recall, &cm_attach, &cm_present,
    &cm_accept, &cm_reject_cust, &cm_convert, &cm_cancel, &cm_revision, &cm_expire,
};
_Static_assert(sizeof(cmd_branches) / sizeof(cmd_branches[0]) == Q2O_CMD__COUNT - 1,
               "one payload record per command type");

static void command_type_of(const void *obj, char *out, size_t size)
{
    (void)q2o_strlcpy(out, q2o_command_type_name(((const q2o_command *)obj)->type), size);
}

#define CMS(m, d) F(STR, CM, m, #m, d)
static const qc_field command_fields[] = {
    FV("type", command_type_of, 1, "Command type name; equals the payload record's name."),
    CMS(command_id, "Dedupe key: a redelivered command never emits twice."),
    CMS(quote_id, ID_DOC("the target quote group")),
    CMS(correlation_id, "Correlation id."),
    CMS(source, "Source system: CRM, PORTAL, CTL, SWEEPER ..."),
    F(I64, CM, expected_version, "expected_version", "Optimistic lock; -1 = not checked."),
    F(I32, CM, revision, "revision", "Target revision; 0 = the current one."),
    FR(CM, actor, "actor", rec_actor, "Who sends the command."),
    {.name = "payload", .doc = "The command's arguments: one record per command type.", .kind = QC_UNION,
     .count_off = offsetof(CM, type), .branches = cmd_branches,
     .n_branches = (unsigned)(sizeof(cmd_branches) / sizeof(cmd_branches[0]))},
};
#undef CM
#undef CMS
static RECORD(rec_command, "QuoteCommand", "A command to the quote aggregate (the envelope).", command_fields);

/* ---- command result ---- */
static void err_name_of(const void *obj, char *out, size_t size)
{
    (void)q2o_strlcpy(out, q2o_err_name(((const q2o_result *)obj)->code), size);
}

#define RS(m, d) F(STR, q2o_result, m, #m, d)
static const qc_field result_fields[] = {
    RS(command_id, "The command this answers."),
    RS(quote_id, ID_DOC("the quote group")),
    RS(correlation_id, "Correlation id carried from the command."),
    FE(q2o_result, status, "status", qc_enum_result_status, "Accepted or rejected."),
    F(I32, q2o_result, code, "code", "q2o error code number (0 = OK); stable forever."),
    FV("code_name", err_name_of, 0, "Name of the code (QUOTE_EXPIRED); UNKNOWN_ERROR if unknown to the writer."),
    RS(message, "What happened."),
    RS(remediation, "What to do about it."),
    RS(detail, "The specific fact that failed."),
    F(U64, q2o_result, version, "version", "Stream version after the command."),
    F(I32, q2o_result, revision, "revision", "Revision the command acted on."),
    RS(order_id, "Order id (ConvertQuoteToOrder)."),
    RS(order_number, "Order number (ConvertQuoteToOrder)."),
    F(BOOL, q2o_result, replayed, "replayed", "An idempotent retry: same result, no new events."),
    FA(q2o_result, event_types, n_events, "event_types", EVTYPE, NULL,
       "Types of the emitted events, in order; they hold versions version-n+1 .. version."),
};
static RECORD(rec_result, "CommandResult", "The answer to a command.", result_fields);

/* ---- snapshot of the whole aggregate (local store) ---- */
#define RV q2o_revision
#define RI64(m, d) F(I64, RV, m, #m, d)
#define RT(m, d) F(TIME, RV, m, #m, d)
#define RSHA(m, d) F(SHA, RV, m, #m, FP_DOC(d))
#define RB(m, d) F(BOOL, RV, m, #m, d)
static const qc_field revision_fields[] = {
    F(I32, RV, number, "number", "Revision number: 1, 2, ..."),
    F(I32, RV, parent, "parent", "Revision it was created from; 0 for Rev 1."),
    FE(RV, status, "status", qc_enum_status, "Status."),
    FE(RV, status_before_close, "status_before_close", qc_enum_status, "Status when closed."),
    RT(created_at, "When created."),
    FR(RV, terms, "terms", rec_terms, "Terms."),
    RB(priced, "The pricing snapshot is valid."),
    RI64(merchandise, "Minor units."), RI64(discount_total, "Minor units."), RI64(net_total, "Minor units."),
    RI64(freight, "Minor units."), RI64(tax, "Minor units."), RI64(grand_total, "Minor units."),
    RI64(cost_total, "Minor units."),
    F(I32, RV, margin_bp, "margin_bp", "Margin in basis points."),
    F(I32, RV, max_discount_bp, "max_discount_bp", "Largest discount in basis points."),
    RI64(catalog_version, "Catalog version."), RI64(pricebook_version, "Price book version."),
    RT(priced_at, "When priced."), RT(price_valid_until, "End of price validity."),
    RT(promo_ends_at, "Earliest promotion end."),
    RSHA(pricing_fp, "pricing fingerprint"), RSHA(approval_fp, "approval content fingerprint"),
    RI64(policy_version, "Approval policy version."),
    RB(approval_required, "The approval policy fired."),
    FA(RV, reasons, n_reasons, "reasons", REC, &rec_appr_reason, "Rules that fired."),
    FA(RV, steps, n_steps, "steps", REC, &rec_step, "Approval route."),
    F(STR, RV, submitted_by, "submitted_by", "Who submitted."), RT(submitted_at, "When submitted."),
    RB(approved, "An approval covers approved_fp."), RB(auto_approved, "Approved automatically."),
    RSHA(approved_fp, "approved fingerprint"), RT(approved_at, "When approved."),
    RT(approval_expires_at, "End of the approval's validity."),
    FE(RV, document_status, "document_status", qc_enum_op_status, "Document generation status."),
    F(STR, RV, document_id, "document_id", "Proposal document."), RSHA(document_hash, "of the document"),
    F(STR, RV, template_version, "template_version", "Template version."),
    RSHA(document_snapshot_fp, "of the rendered snapshot"),
    RT(presented_at, "When presented."), F(STR, RV, recipient, "recipient", "Proposal recipient."),
    RSHA(presented_hash, "of the presented document"),
    RB(accepted, "Accepted."), RT(accepted_at, "When accepted."),
    FR(RV, acceptance, "acceptance", rec_acceptance, "Acceptance evidence."),
    RSHA(accepted_fp, "fingerprint accepted"),
    RB(converted, "Converted."), FR(RV, conversion, "conversion", rec_conversion, "Conversion."),
    F(STR, RV, close_reason, "close_reason", "Why closed."),
    FE(RV, expired_kind, "expired_kind", qc_enum_expiry_kind, "Which validity passed."),
    F(U32, RV, n_notes, "n_notes", "Internal notes recorded."),
    RI64(one_time_total, "Net of one-time charges, minor units."),
    RI64(recurring_total, "Net recurring charges per month, minor units."),
    RT(cancel_date, "Cancel date set on acceptance; 0 = none."),
    F(STR, RV, price_override_reason, "price_override_reason", "Reason assigned on acceptance; empty = none."),
    RB(freight_override, "The freight was kept as a freight override."),
    RI64(freight_override_amount, "Freight override, minor units."),
};
#undef RV
#undef RI64
#undef RT
#undef RSHA
#undef RB
static RECORD(rec_revision, "Revision", "One revision of a quote group.", revision_fields);

#define QS q2o_quote
static const qc_field snapshot_fields[] = {
    F(BOOL, QS, exists, "exists", "The quote was created."),
    F(STR, QS, quote_id, "quote_id", ID_DOC("the quote group")),
    FR(QS, header, "header", rec_header, "Header."),
    F(U64, QS, version, "version", "Events applied."),
    F(SHA, QS, head_hash, "head_hash", FP_DOC("hash of the last event")),
    F(TIME, QS, updated_at, "updated_at", "Time of the last event."),
    FH(QS, revisions, n_revisions, offsetof(QS, cap_revisions), "revisions", rec_revision, Q2O_MAX_REVISIONS,
       "Revisions, Rev 1 first (at most 64)."),
    F(I32, QS, accepted_revision, "accepted_revision", "Accepted revision; 0 = none."),
    F(U32, QS, n_conversions, "n_conversions", "Conversions (at most 1)."),
    FH(QS, lines, n_lines, offsetof(QS, cap_lines), "lines", rec_line, Q2O_MAX_LINES,
       "Lines of the current revision (at most 1000)."),
    FH(QS, baseline, n_baseline, 0, "baseline", rec_baseline, Q2O_MAX_LINES,
       "The parent revision's lines as priced (the base of the next QuotePriced's changes)."),
};
#undef QS
static RECORD(rec_snapshot, "QuoteSnapshot", "The whole quote aggregate at a version (local store only).",
              snapshot_fields);

const qc_record *const qc_top_records[QC_TOP__COUNT] = {
    [QC_TOP_EVENT] = &rec_event,
    [QC_TOP_COMMAND] = &rec_command,
    [QC_TOP_RESULT] = &rec_result,
    [QC_TOP_SNAPSHOT] = &rec_snapshot,
};
