/*
 * domain/types.h — the vocabulary of the quote aggregate (SPEC §2).
 *
 * Plain data, no behaviour, no pointers except where noted: a value of these
 * types can be copied with memcpy. Strings are fixed-size, NUL-terminated
 * fields sized from core/limits.h; decoders reject longer input before it
 * gets here. Enum numbers are part of the wire format (Avro enum symbol
 * order in schemas/): append, never reorder.
 */
#ifndef Q2O_DOMAIN_TYPES_H
#define Q2O_DOMAIN_TYPES_H

#include <stdint.h>

#include "core/limits.h"
#include "core/sha256.h"
#include "core/timeutil.h"

/* ---- revision status (SPEC §3) ---- */
#define Q2O_STATUS_LIST(X) \
    X(NONE) X(DRAFT) X(PRICED) X(REQUIRES_APPROVAL) X(IN_REVIEW) X(APPROVED) \
    X(PRESENTED) X(ACCEPTED) X(CONVERTED) X(REJECTED) X(EXPIRED) X(CANCELED) X(SUPERSEDED)
typedef enum q2o_status {
#define Q2O_ENUM_ST_(n) Q2O_ST_##n,
    Q2O_STATUS_LIST(Q2O_ENUM_ST_)
#undef Q2O_ENUM_ST_
    Q2O_ST__COUNT
} q2o_status;

#define Q2O_QUOTE_TYPE_LIST(X) X(NEW) X(RENEWAL) X(AMENDMENT) X(UPGRADE) X(DOWNGRADE) X(CANCELLATION)
typedef enum q2o_quote_type {
#define Q2O_ENUM_QT_(n) Q2O_QT_##n,
    Q2O_QUOTE_TYPE_LIST(Q2O_ENUM_QT_)
#undef Q2O_ENUM_QT_
    Q2O_QT__COUNT
} q2o_quote_type;

#define Q2O_LINE_ACTION_LIST(X) X(ADD) X(MODIFY) X(REMOVE) X(RENEW) X(SUSPEND) X(RESUME)
typedef enum q2o_line_action {
#define Q2O_ENUM_LA_(n) Q2O_LA_##n,
    Q2O_LINE_ACTION_LIST(Q2O_ENUM_LA_)
#undef Q2O_ENUM_LA_
    Q2O_LA__COUNT
} q2o_line_action;

#define Q2O_ACCEPT_METHOD_LIST(X) X(PORTAL) X(EMAIL) X(ESIGNATURE) X(PURCHASE_ORDER)
typedef enum q2o_accept_method {
#define Q2O_ENUM_AM_(n) Q2O_AM_##n,
    Q2O_ACCEPT_METHOD_LIST(Q2O_ENUM_AM_)
#undef Q2O_ENUM_AM_
    Q2O_AM__COUNT
} q2o_accept_method;

/* The five kinds of expiry (SPEC §3). */
#define Q2O_EXPIRY_KIND_LIST(X) X(PROPOSAL) X(PRICE) X(APPROVAL) X(PROMOTION) X(CONTRACT_START)
typedef enum q2o_expiry_kind {
#define Q2O_ENUM_EK_(n) Q2O_EXP_##n,
    Q2O_EXPIRY_KIND_LIST(Q2O_ENUM_EK_)
#undef Q2O_ENUM_EK_
    Q2O_EXP__COUNT
} q2o_expiry_kind;

/* Rules of the approval policy that can fire (SPEC §5). */
#define Q2O_APPROVAL_RULE_LIST(X) \
    X(DISCOUNT_ABOVE_THRESHOLD) X(MARGIN_BELOW_FLOOR) X(NON_STANDARD_PAYMENT_TERMS) \
    X(TERM_ABOVE_LIMIT) X(TOTAL_ABOVE_LIMIT) X(EXPIRED_PROMOTION_OVERRIDE) X(LEGAL_CLAUSE_EXCEPTION)
typedef enum q2o_approval_rule {
#define Q2O_ENUM_AR_(n) Q2O_AR_##n,
    Q2O_APPROVAL_RULE_LIST(Q2O_ENUM_AR_)
#undef Q2O_ENUM_AR_
    Q2O_AR__COUNT
} q2o_approval_rule;

/* Status of a long-running operation (document generation): never folded
 * into the quote status (SPEC §3). */
#define Q2O_OP_STATUS_LIST(X) X(NONE) X(PENDING) X(DONE) X(FAILED)
typedef enum q2o_op_status {
#define Q2O_ENUM_OP_(n) Q2O_OP_##n,
    Q2O_OP_STATUS_LIST(Q2O_ENUM_OP_)
#undef Q2O_ENUM_OP_
    Q2O_OP__COUNT
} q2o_op_status;

/* Names ("DRAFT", "NEW", ...) and reverse lookups (-1 when unknown). */
const char *q2o_status_name(q2o_status s);
const char *q2o_quote_type_name(q2o_quote_type t);
const char *q2o_line_action_name(q2o_line_action a);
const char *q2o_accept_method_name(q2o_accept_method m);
const char *q2o_expiry_kind_name(q2o_expiry_kind k);
const char *q2o_approval_rule_name(q2o_approval_rule r);
const char *q2o_op_status_name(q2o_op_status s);
int q2o_status_parse(const char *name);
int q2o_quote_type_parse(const char *name);
int q2o_line_action_parse(const char *name);
int q2o_accept_method_parse(const char *name);

/* ---- roles and actors (SPEC §8 Authorization) ---- */
#define Q2O_ROLE_LIST(X) \
    X(SALES_REP, 1u << 0) X(SALES_ENGINEER, 1u << 1) X(SALES_MANAGER, 1u << 2) \
    X(DEAL_DESK, 1u << 3) X(FINANCE, 1u << 4) X(LEGAL, 1u << 5) X(CUSTOMER, 1u << 6) \
    X(PARTNER, 1u << 7) X(OPERATIONS, 1u << 8) X(SYSTEM, 1u << 9) X(ADMIN, 1u << 10)
enum {
#define Q2O_ENUM_ROLE_(n, bit) Q2O_ROLE_##n = bit,
    Q2O_ROLE_LIST(Q2O_ENUM_ROLE_)
#undef Q2O_ENUM_ROLE_
    Q2O_ROLE__ALL = (1u << 11) - 1
};
/* "SALES_REP,DEAL_DESK" <-> bitmask. parse returns -1 on an unknown name. */
int q2o_roles_parse(const char *list, uint32_t *out);
char *q2o_roles_format(uint32_t roles, char *buf, unsigned size);

typedef struct q2o_actor {
    char id[Q2O_ID_MAX];
    uint32_t roles;                 /* Q2O_ROLE_* bits */
    int64_t authority_limit;        /* approvers: largest grand total (minor units) they may
                                       approve; -1 = unlimited, 0 = none */
    char legal_entity[Q2O_ID_MAX];  /* acceptors: the legal entity they sign for */
} q2o_actor;

/* ---- acceptance policy (SPEC §3 Acceptance), snapshotted onto the quote ---- */
typedef struct q2o_acceptance_policy {
    uint32_t allowed_methods;        /* bit (1 << q2o_accept_method) */
    int require_po;
    int require_signature;
    int block_after_expiry;          /* 1 = accepting an expired revision is refused */
    int allow_partner;               /* a PARTNER may accept on the customer's behalf */
    int block_legal_entity_mismatch;
    int allow_delayed_conversion;    /* convert after the validity passed */
    int allow_cancel_after_accept;
} q2o_acceptance_policy;

/* ---- header (applies to every revision) ---- */
typedef struct q2o_quote_header {
    char quote_number[Q2O_CODE_MAX];
    q2o_quote_type quote_type;
    char account_id[Q2O_ID_MAX];
    char customer_id[Q2O_ID_MAX];
    char customer_legal_entity[Q2O_ID_MAX];
    char sold_to[Q2O_ID_MAX];
    char ship_to[Q2O_ID_MAX];        /* exactly one ship-to */
    int ship_to_is_gift_recipient;   /* refused: no recipient ship-to on quotes (SPEC §7) */
    char bill_to[Q2O_ID_MAX];
    char billing_account_id[Q2O_ID_MAX];
    char selling_entity[Q2O_ID_MAX];
    char currency[4];
    char market[Q2O_CODE_MAX];
    char channel[Q2O_CODE_MAX];
    char owner_id[Q2O_ID_MAX];       /* sales owner (salesman) */
    char opportunity_id[Q2O_ID_MAX];
    char order_type[Q2O_CODE_MAX];
    int order_type_requires_pay_method;
    uint32_t n_contacts;             /* customer contacts authorized to receive/accept */
    char contacts[Q2O_MAX_CONTACTS][Q2O_ID_MAX];
    q2o_acceptance_policy acceptance;
    q2o_time_ms created_at;
    char created_by[Q2O_ID_MAX];
} q2o_quote_header;

/* ---- terms of a revision ---- */
typedef struct q2o_terms {
    q2o_time_ms valid_until;         /* proposal validity; 0 = not set */
    q2o_time_ms contract_start;      /* 0 = none */
    int32_t term_months;
    char payment_terms[Q2O_CODE_MAX];
    char legal_terms_version[Q2O_CODE_MAX];
    char pay_method[Q2O_CODE_MAX];
    int legal_clause_exception;      /* non-standard legal clause requested */
    q2o_time_ms cancel_date;         /* entered manually (SPEC section 7); 0 = none: acceptance
                                        computes arrival + the order type's expiration days.
                                        Never before the arrival date (contract_start, else the
                                        quote's creation date) */
} q2o_terms;

/* ---- lines ---- */
typedef struct q2o_line_option {
    char name[Q2O_CODE_MAX];
    char value[Q2O_CODE_MAX];
} q2o_line_option;

/* A line's price snapshot; all amounts in minor units of the quote currency. */
typedef struct q2o_line_price {
    int64_t catalog_version;          /* the catalog the line was priced with */
    int64_t list_unit;
    int64_t list_total;               /* list_unit x quantity */
    int64_t discount_total;           /* everything between list and net */
    int64_t net_total;                /* contract value: one-time + recurring x term */
    int64_t recurring_total;          /* part of net that recurs per month */
    int64_t cost_total;
    int32_t margin_bp;                /* (net - cost) / net in basis points */
    q2o_time_ms promo_ends_at;        /* 0 = no promotion applied */
    int64_t one_time_total;           /* part of net charged once */
    int32_t term_months;              /* months the recurring part runs (0 = one-time) */
    char promo_code[Q2O_CODE_MAX];    /* the promotion applied (coded or automatic); "" = none */
} q2o_line_price;

typedef struct q2o_line {
    char line_id[Q2O_ID_MAX];
    char parent_line_id[Q2O_ID_MAX]; /* "" = top level; bundles are trees */
    int32_t line_number;
    q2o_line_action action;
    char offering_id[Q2O_ID_MAX];
    char display_name[Q2O_NAME_MAX]; /* snapshot, set from the catalog at pricing */
    int64_t quantity;                /* 0 < quantity <= Q2O_MAX_QUANTITY */
    char uom[Q2O_CODE_MAX];
    int32_t term_months;
    char asset_ref[Q2O_ID_MAX];
    uint32_t n_options;
    q2o_line_option options[Q2O_MAX_LINE_OPTIONS];
    int32_t discount_bp;             /* manual discretionary discount */
    int64_t override_unit_price;     /* -1 = none; needs override_reason */
    char override_reason[Q2O_CODE_MAX];
    char promo_code[Q2O_CODE_MAX];
    int priced;                      /* price below is valid for the current content */
    q2o_line_price price;
    int override_assigned_on_accept; /* override_reason and override_unit_price were assigned
                                        when the revision was accepted (SPEC section 7: the
                                        quoted price is kept). The approval fingerprint hashes
                                        the line as approved (no reason, no override); a new
                                        revision clears the flag and the override becomes the
                                        line's own. Commands cannot set it (decide clears it). */
} q2o_line;

/* ---- approval ---- */
typedef struct q2o_approval_reason {
    q2o_approval_rule rule;
    int64_t figure;                  /* the value that fired (bp, months, minor units) */
    int64_t threshold;               /* the policy's limit it crossed */
} q2o_approval_reason;

typedef struct q2o_approval_step {
    uint32_t role;                   /* one Q2O_ROLE_* bit */
    int mandatory;
    int64_t required_limit;          /* approver's authority_limit must reach this */
    char approved_by[Q2O_ID_MAX];    /* "" = pending */
    q2o_time_ms approved_at;
} q2o_approval_step;

/* ---- acceptance evidence (SPEC §3 Acceptance) ---- */
typedef struct q2o_acceptance {
    q2o_accept_method method;
    char acceptor_id[Q2O_ID_MAX];
    char acceptor_legal_entity[Q2O_ID_MAX];
    int on_behalf_as_partner;
    char document_id[Q2O_ID_MAX];
    uint8_t document_hash[Q2O_SHA256_LEN];
    char po_reference[Q2O_ID_MAX];
    char signature_envelope_id[Q2O_ID_MAX];
    char source_address[Q2O_ID_MAX];
    char evidence_ref[Q2O_ID_MAX];
} q2o_acceptance;

/* ---- a validation finding ---- */
typedef struct q2o_violation {
    int code;                        /* a q2o_err */
    char line_id[Q2O_ID_MAX];        /* "" = header level */
    char detail[Q2O_CODE_MAX];       /* the option, field or offering concerned */
} q2o_violation;

#endif
