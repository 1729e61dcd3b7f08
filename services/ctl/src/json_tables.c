/* json_tables.c — see json_tables.h. One entry per struct member; the
 * round-trip test (tests/unit/ctl_json_test.c) fills every member and fails
 * when one is missing here. */
#include "json_tables.h"

#include <stddef.h>

#include "codec/quote_codec.h"
#include "core/check.h"

_Static_assert(sizeof(q2o_status) == sizeof(int) && sizeof(q2o_accept_method) == sizeof(int) &&
                   sizeof(q2o_result_status) == sizeof(int),
               "enums are read as int");
_Static_assert(sizeof(q2o_price_stage) == sizeof(int) && sizeof(q2o_line_change) == sizeof(int),
               "enums are read as int");

#define MEMBER_SIZE(T, m) sizeof(((T *)0)->m)
#define F(kind_, T, m, name_) {.name = name_, .kind = JM_##kind_, .off = offsetof(T, m), .size = MEMBER_SIZE(T, m)}
#define FD(kind_, T, m, name_, d) \
    {.name = name_, .kind = JM_##kind_, .off = offsetof(T, m), .size = MEMBER_SIZE(T, m), .dflt = (d)}
#define FE(T, m, name_, en_) {.name = name_, .kind = JM_ENUM, .off = offsetof(T, m), .en = &(en_)}
#define FR(T, m, name_, rec_) {.name = name_, .kind = JM_REC, .off = offsetof(T, m), .rec = &(rec_)}
#define FA(kind_, T, m, cnt, name_, rec_) \
    {.name = name_, .kind = JM_##kind_, .off = offsetof(T, m), .size = MEMBER_SIZE(T, m[0]), \
     .count_off = offsetof(T, cnt), .max = (uint32_t)(MEMBER_SIZE(T, m) / MEMBER_SIZE(T, m[0])), .rec = rec_}
#define REC(var, name_, fields_) const jm_record var = {name_, fields_, Q2O_ARRAY_LEN(fields_)}

/* ---- enums ---- */
#define ENUM_NAME(fn, T, namefn) \
    static const char *fn(int v) \
    { \
        return namefn((T)v); \
    }
ENUM_NAME(quote_type_name, q2o_quote_type, q2o_quote_type_name)
ENUM_NAME(line_action_name, q2o_line_action, q2o_line_action_name)
ENUM_NAME(method_name, q2o_accept_method, q2o_accept_method_name)
ENUM_NAME(status_name, q2o_status, q2o_status_name)
ENUM_NAME(expiry_name, q2o_expiry_kind, q2o_expiry_kind_name)
ENUM_NAME(rule_name, q2o_approval_rule, q2o_approval_rule_name)
ENUM_NAME(op_name, q2o_op_status, q2o_op_status_name)
ENUM_NAME(stage_name, q2o_price_stage, q2o_price_stage_name)
ENUM_NAME(change_name, q2o_line_change, q2o_line_change_name)
#undef ENUM_NAME

static const char *result_status_name(int v)
{
    return v == Q2O_RESULT_ACCEPTED ? "ACCEPTED" : v == Q2O_RESULT_REJECTED ? "REJECTED" : "";
}

static const jm_enum en_quote_type = {quote_type_name, Q2O_QT__COUNT};
static const jm_enum en_line_action = {line_action_name, Q2O_LA__COUNT};
static const jm_enum en_method = {method_name, Q2O_AM__COUNT};
static const jm_enum en_status = {status_name, Q2O_ST__COUNT};
static const jm_enum en_expiry = {expiry_name, Q2O_EXP__COUNT};
static const jm_enum en_rule = {rule_name, Q2O_AR__COUNT};
static const jm_enum en_op = {op_name, Q2O_OP__COUNT};
static const jm_enum en_stage = {stage_name, Q2O_PS__COUNT};
static const jm_enum en_change = {change_name, Q2O_LC__COUNT};
static const jm_enum en_result_status = {result_status_name, Q2O_RESULT__COUNT};

/* ---- shared records (domain/types.h) ---- */
static const jm_field actor_f[] = {
    F(STR, q2o_actor, id, "id"),
    F(ROLES, q2o_actor, roles, "roles"),
    F(I64, q2o_actor, authority_limit, "authority_limit"),
    F(STR, q2o_actor, legal_entity, "legal_entity"),
};
REC(jt_actor, "Actor", actor_f);

static const jm_field policy_f[] = {
    F(METHODS, q2o_acceptance_policy, allowed_methods, "allowed_methods"),
    F(BOOL, q2o_acceptance_policy, require_po, "require_po"),
    F(BOOL, q2o_acceptance_policy, require_signature, "require_signature"),
    F(BOOL, q2o_acceptance_policy, block_after_expiry, "block_after_expiry"),
    F(BOOL, q2o_acceptance_policy, allow_partner, "allow_partner"),
    F(BOOL, q2o_acceptance_policy, block_legal_entity_mismatch, "block_legal_entity_mismatch"),
    F(BOOL, q2o_acceptance_policy, allow_delayed_conversion, "allow_delayed_conversion"),
    F(BOOL, q2o_acceptance_policy, allow_cancel_after_accept, "allow_cancel_after_accept"),
};
static REC(jt_policy, "AcceptancePolicy", policy_f);

#define HS(m) F(STR, q2o_quote_header, m, #m)
#define HB(m) F(BOOL, q2o_quote_header, m, #m)
static const jm_field header_f[] = {
    HS(quote_number),
    FE(q2o_quote_header, quote_type, "quote_type", en_quote_type),
    HS(account_id), HS(customer_id), HS(customer_legal_entity), HS(sold_to), HS(ship_to),
    HB(ship_to_is_gift_recipient),
    HS(bill_to), HS(billing_account_id), HS(selling_entity), HS(currency), HS(market), HS(channel),
    HS(owner_id), HS(opportunity_id), HS(order_type),
    HB(order_type_requires_pay_method),
    FA(STRS, q2o_quote_header, contacts, n_contacts, "contacts", NULL),
    FR(q2o_quote_header, acceptance, "acceptance", jt_policy),
    F(TIME, q2o_quote_header, created_at, "created_at"),
    HS(created_by),
};
#undef HS
#undef HB
REC(jt_header, "QuoteHeader", header_f);

static const jm_field terms_f[] = {
    F(TIME, q2o_terms, valid_until, "valid_until"),
    F(TIME, q2o_terms, contract_start, "contract_start"),
    F(I32, q2o_terms, term_months, "term_months"),
    F(STR, q2o_terms, payment_terms, "payment_terms"),
    F(STR, q2o_terms, legal_terms_version, "legal_terms_version"),
    F(STR, q2o_terms, pay_method, "pay_method"),
    F(BOOL, q2o_terms, legal_clause_exception, "legal_clause_exception"),
    F(TIME, q2o_terms, cancel_date, "cancel_date"),
};
REC(jt_terms, "Terms", terms_f);

static const jm_field option_f[] = {
    F(STR, q2o_line_option, name, "name"),
    F(STR, q2o_line_option, value, "value"),
};
static REC(jt_option, "LineOption", option_f);

#define PL(m) F(I64, q2o_line_price, m, #m)
static const jm_field price_f[] = {
    PL(catalog_version), PL(list_unit), PL(list_total), PL(discount_total), PL(net_total), PL(recurring_total),
    PL(cost_total),
    F(I32, q2o_line_price, margin_bp, "margin_bp"),
    F(TIME, q2o_line_price, promo_ends_at, "promo_ends_at"),
    PL(one_time_total),
    F(I32, q2o_line_price, term_months, "term_months"),
    F(STR, q2o_line_price, promo_code, "promo_code"),
};
#undef PL
static REC(jt_price, "LinePrice", price_f);

#define LS(m) F(STR, q2o_line, m, #m)
static const jm_field line_f[] = {
    LS(line_id), LS(parent_line_id),
    F(I32, q2o_line, line_number, "line_number"),
    FE(q2o_line, action, "action", en_line_action),
    LS(offering_id), LS(display_name),
    F(I64, q2o_line, quantity, "quantity"),
    LS(uom),
    F(I32, q2o_line, term_months, "term_months"),
    LS(asset_ref),
    FA(RECS, q2o_line, options, n_options, "options", &jt_option),
    F(I32, q2o_line, discount_bp, "discount_bp"),
    FD(I64, q2o_line, override_unit_price, "override_unit_price", -1),
    LS(override_reason), LS(promo_code),
    F(BOOL, q2o_line, priced, "priced"),
    FR(q2o_line, price, "price", jt_price),
    F(BOOL, q2o_line, override_assigned_on_accept, "override_assigned_on_accept"),
};
#undef LS
REC(jt_line, "QuoteLine", line_f);

#define AS(m) F(STR, q2o_acceptance, m, #m)
static const jm_field acceptance_f[] = {
    FE(q2o_acceptance, method, "method", en_method),
    AS(acceptor_id), AS(acceptor_legal_entity),
    F(BOOL, q2o_acceptance, on_behalf_as_partner, "on_behalf_as_partner"),
    AS(document_id),
    F(SHA, q2o_acceptance, document_hash, "document_hash"),
    AS(po_reference), AS(signature_envelope_id), AS(source_address), AS(evidence_ref),
};
#undef AS
REC(jt_acceptance, "Acceptance", acceptance_f);

static const jm_field reason_f[] = {
    F(STR, q2o_cmd_reason, reason_code, "reason_code"),
    F(STR, q2o_cmd_reason, comment, "comment"),
};
REC(jt_reason, "Reason", reason_f);

/* ---- commands: the envelope and one payload record per type ---- */
#define CM q2o_command
static const jm_field envelope_f[] = {
    F(STR, CM, command_id, "command_id"),
    F(STR, CM, quote_id, "quote_id"),
    F(STR, CM, correlation_id, "correlation_id"),
    F(STR, CM, source, "source"),
    FD(I64, CM, expected_version, "expected_version", -1),
    F(I32, CM, revision, "revision"),
    FR(CM, actor, "actor", jt_actor),
};
REC(jt_envelope, "QuoteCommand", envelope_f);

static const jm_field p_create[] = {FR(CM, u.create, "header", jt_header), FR(CM, terms, "terms", jt_terms)};
static const jm_field p_line[] = {FR(CM, u.line, "line", jt_line)};
static const jm_field p_line_id[] = {F(STR, CM, u.line_id, "line_id")};
static const jm_field p_terms[] = {FR(CM, terms, "terms", jt_terms)};
static const jm_field p_note[] = {F(STR, CM, u.note, "note")};
static const jm_field p_owner[] = {F(STR, CM, u.owner_id, "owner_id")};
static const jm_field p_approve[] = {
    F(SHA, CM, u.approve.expected_fp, "expected_fp"),
    F(STR, CM, u.approve.comment, "comment"),
};
static const jm_field p_reason[] = {FR(CM, u.reason, "reason", jt_reason)};
static const jm_field p_attach[] = {
    F(STR, CM, u.attach.document_id, "document_id"),
    F(SHA, CM, u.attach.document_hash, "document_hash"),
    F(STR, CM, u.attach.template_version, "template_version"),
    F(SHA, CM, u.attach.snapshot_fp, "snapshot_fp"),
};
static const jm_field p_present[] = {
    F(STR, CM, u.present.document_id, "document_id"),
    F(SHA, CM, u.present.document_hash, "document_hash"),
    F(STR, CM, u.present.recipient, "recipient"),
};
static const jm_field p_accept[] = {FR(CM, u.accept, "accept", jt_acceptance)};
static const jm_field p_convert[] = {
    F(STR, CM, u.convert.idempotency_key, "idempotency_key"),
    FE(CM, u.convert.expected_status, "expected_status", en_status),
};
#undef CM

#define P(t, name_, f) [Q2O_CMD_##t] = {name_, f, Q2O_ARRAY_LEN(f)}
#define P0(t, name_) [Q2O_CMD_##t] = {name_, NULL, 0}
const jm_record jt_payload[Q2O_CMD__COUNT] = {
    P(CREATE_QUOTE, "CreateQuote", p_create),
    P(ADD_LINE, "AddQuoteLine", p_line),
    P(CHANGE_LINE, "ChangeQuoteLine", p_line),
    P(REMOVE_LINE, "RemoveQuoteLine", p_line_id),
    P(CHANGE_TERMS, "ChangeQuoteTerms", p_terms),
    P(ADD_NOTE, "AddQuoteNote", p_note),
    P(REASSIGN_OWNER, "ReassignQuoteOwner", p_owner),
    P0(PRICE_QUOTE, "PriceQuote"),
    P0(SUBMIT_FOR_APPROVAL, "SubmitQuoteForApproval"),
    P(APPROVE_STEP, "ApproveQuote", p_approve),
    P(REJECT_APPROVAL, "RejectQuoteApproval", p_reason),
    P(RECALL_APPROVAL, "RecallQuoteApproval", p_reason),
    P(ATTACH_DOCUMENT, "AttachQuoteDocument", p_attach),
    P(PRESENT_QUOTE, "PresentQuote", p_present),
    P(ACCEPT_QUOTE, "AcceptQuote", p_accept),
    P(REJECT_BY_CUSTOMER, "RejectQuoteByCustomer", p_reason),
    P(CONVERT_TO_ORDER, "ConvertQuoteToOrder", p_convert),
    P(CANCEL_QUOTE, "CancelQuote", p_reason),
    P(CREATE_REVISION, "CreateQuoteRevision", p_reason),
    P0(EXPIRE_QUOTE, "ExpireQuote"),
};
#undef P
#undef P0

/* ---- output records: results and the state of a quote ---- */
static const jm_field appr_reason_f[] = {
    FE(q2o_approval_reason, rule, "rule", en_rule),
    F(I64, q2o_approval_reason, figure, "figure"),
    F(I64, q2o_approval_reason, threshold, "threshold"),
};
static REC(jt_appr_reason, "ApprovalReason", appr_reason_f);

static const jm_field step_f[] = {
    F(ROLES, q2o_approval_step, role, "role"),
    F(BOOL, q2o_approval_step, mandatory, "mandatory"),
    F(I64, q2o_approval_step, required_limit, "required_limit"),
    F(STR, q2o_approval_step, approved_by, "approved_by"),
    F(TIME, q2o_approval_step, approved_at, "approved_at"),
};
static REC(jt_step, "ApprovalStep", step_f);

static const jm_field conversion_f[] = {
    F(STR, q2o_conversion, idempotency_key, "idempotency_key"),
    F(STR, q2o_conversion, order_id, "order_id"),
    F(STR, q2o_conversion, order_number, "order_number"),
    F(TIME, q2o_conversion, converted_at, "converted_at"),
    F(SHA, q2o_conversion, snapshot_hash, "snapshot_hash"),
};
static REC(jt_conversion, "Conversion", conversion_f);

#define RV q2o_revision
#define RI(m) F(I64, RV, m, #m)
#define RT(m) F(TIME, RV, m, #m)
#define RH(m) F(SHA, RV, m, #m)
static const jm_field revision_f[] = {
    F(I32, RV, number, "number"), F(I32, RV, parent, "parent"),
    FE(RV, status, "status", en_status), FE(RV, status_before_close, "status_before_close", en_status),
    RT(created_at),
    FR(RV, terms, "terms", jt_terms),
    F(BOOL, RV, priced, "priced"),
    RI(merchandise), RI(discount_total), RI(net_total), RI(freight), RI(tax), RI(grand_total), RI(cost_total),
    F(I32, RV, margin_bp, "margin_bp"), F(I32, RV, max_discount_bp, "max_discount_bp"),
    RI(catalog_version), RI(pricebook_version),
    RT(priced_at), RT(price_valid_until), RT(promo_ends_at),
    RI(one_time_total), RI(recurring_total),
    RH(pricing_fp), RH(approval_fp),
    RI(policy_version),
    F(BOOL, RV, approval_required, "approval_required"),
    FA(RECS, RV, reasons, n_reasons, "approval_reasons", &jt_appr_reason),
    FA(RECS, RV, steps, n_steps, "approval_steps", &jt_step),
    F(STR, RV, submitted_by, "submitted_by"), RT(submitted_at),
    F(BOOL, RV, approved, "approved"), F(BOOL, RV, auto_approved, "auto_approved"),
    RH(approved_fp), RT(approved_at), RT(approval_expires_at),
    FE(RV, document_status, "document_status", en_op),
    F(STR, RV, document_id, "document_id"), RH(document_hash),
    F(STR, RV, template_version, "template_version"), RH(document_snapshot_fp),
    RT(presented_at), F(STR, RV, recipient, "recipient"), RH(presented_hash),
    F(BOOL, RV, accepted, "accepted"), RT(accepted_at),
    FR(RV, acceptance, "acceptance", jt_acceptance),
    RH(accepted_fp),
    F(BOOL, RV, converted, "converted"),
    FR(RV, conversion, "conversion", jt_conversion),
    F(STR, RV, close_reason, "close_reason"),
    FE(RV, expired_kind, "expired_kind", en_expiry),
    RT(cancel_date),
    F(STR, RV, price_override_reason, "price_override_reason"),
    F(BOOL, RV, freight_override, "freight_override"),
    RI(freight_override_amount),
};
#undef RV
#undef RI
#undef RT
#undef RH
REC(jt_revision, "Revision", revision_f);

#define RS(m) F(STR, q2o_result, m, #m)
static const jm_field result_f[] = {
    RS(command_id), RS(quote_id), RS(correlation_id),
    FE(q2o_result, status, "status", en_result_status),
    RS(message), RS(remediation), RS(detail),
    F(U64, q2o_result, version, "version"),
    F(I32, q2o_result, revision, "revision"),
    RS(order_id), RS(order_number),
    F(BOOL, q2o_result, replayed, "replayed"),
};
#undef RS
REC(jt_result, "CommandResult", result_f);

/* ---- output records: a QuotePriced snapshot with its waterfall ---- */
#define SP(m) F(I64, q2o_price_step, m, #m)
static const jm_field price_step_f[] = {
    FE(q2o_price_step, stage, "stage", en_stage),
    F(STR, q2o_price_step, rule, "rule"),
    SP(rule_version), SP(input),
    F(I32, q2o_price_step, rate_bp, "rate_bp"),
    SP(amount), SP(after),
};
#undef SP
static REC(jt_price_step, "PriceStep", price_step_f);

static const jm_field trace_f[] = {
    FA(RECS, q2o_line_trace, steps, n_steps, "steps", &jt_price_step),
};
static REC(jt_trace, "LineTrace", trace_f);

static const jm_field priced_line_f[] = {
    F(STR, q2o_priced_line, line_id, "line_id"),
    F(STR, q2o_priced_line, display_name, "display_name"),
    FR(q2o_priced_line, price, "price", jt_price),
    FR(q2o_priced_line, trace, "trace", jt_trace),
};
REC(jt_priced_line, "PricedLine", priced_line_f);

#define PC(m) F(I64, q2o_price_change, m, #m)
static const jm_field price_change_f[] = {
    F(STR, q2o_price_change, line_id, "line_id"),
    FE(q2o_price_change, kind, "kind", en_change),
    PC(previous_quantity), PC(quantity), PC(previous_net), PC(net),
};
#undef PC
REC(jt_price_change, "PriceChange", price_change_f);

/* The scalars of q2o_ev_priced; its lines and changes are heap arrays that
 * q2o_ctl_priced_to_json adds with the two records above. */
#define PR q2o_ev_priced
#define PI(m) F(I64, PR, m, #m)
static const jm_field priced_f[] = {
    F(STR, PR, catalog_id, "catalog_id"), PI(catalog_version),
    F(STR, PR, pricebook_id, "pricebook_id"), PI(pricebook_version),
    PI(merchandise), PI(discount_total), PI(one_time_total), PI(recurring_total), PI(net_total),
    PI(freight), PI(tax), PI(grand_total), PI(cost_total),
    F(I32, PR, margin_bp, "margin_bp"), F(I32, PR, max_discount_bp, "max_discount_bp"),
    F(TIME, PR, price_valid_until, "price_valid_until"), F(TIME, PR, promo_ends_at, "promo_ends_at"),
    F(SHA, PR, pricing_fp, "pricing_fp"), F(SHA, PR, approval_fp, "approval_fp"),
    PI(policy_version),
    F(I32, PR, compared_revision, "compared_revision"),
};
#undef PR
#undef PI
REC(jt_priced, "QuotePriced", priced_f);
