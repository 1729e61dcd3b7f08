/*
 * domain/quote.h — the quote aggregate: one quote group and its revisions.
 *
 *   decide(env, state, command, now) -> events, or an error with detail
 *   evolve(state, event)             -> next state (asserts invariants)
 *
 * Both are pure: no clock (now is an argument), no randomness, no I/O. The
 * runtime loads the state (snapshot + later events), calls decide, appends
 * and produces the events, and publishes a result.
 *
 * Stream versions: the first event of a quote has version 1; a quote's
 * version is the number of events applied. Every event carries prev_hash,
 * the hash of the event before it (zero for version 1), and hashes into the
 * quote's head hash (q2o_event_hash), so any change to history is
 * detectable and the head hash summarises the whole history.
 *
 * Memory: q2o_quote owns three heap arrays: its revisions, the current
 * revision's lines and the parent revision's priced baseline.
 * q2o_quote_new/_free allocate and free the whole state; _init/_release work
 * on caller memory; _copy deep-copies (reusing dst's revision and line
 * arrays when they are large enough); _reserve_revisions grows the
 * revisions array (evolve calls it). A q2o_event of type PRICED owns heap
 * arrays of line prices and of changes: q2o_event_release frees them; q2o_decision_release
 * releases every event of a decision. Everything else is plain data.
 *
 * Thread safety: functions touch only their arguments; a state may be read
 * concurrently but written by one thread.
 */
#ifndef Q2O_DOMAIN_QUOTE_H
#define Q2O_DOMAIN_QUOTE_H

#include <stdint.h>

#include "core/error.h"
#include "domain/approval.h"
#include "domain/catalog.h"
#include "domain/pricing.h"
#include "domain/types.h"

/* ================================ state ================================ */

typedef struct q2o_conversion {
    char idempotency_key[Q2O_ID_MAX];
    char order_id[Q2O_ID_MAX];
    char order_number[Q2O_ID_MAX];
    q2o_time_ms converted_at;
    uint8_t snapshot_hash[Q2O_SHA256_LEN];
} q2o_conversion;

/* A line as it was priced when the next revision was created: the
 * baseline the next QuotePriced compares against. */
typedef struct q2o_line_baseline {
    char line_id[Q2O_ID_MAX];
    char offering_id[Q2O_ID_MAX];
    int64_t quantity;
    int32_t discount_bp;
    int64_t override_unit_price;
    int64_t net_total;
} q2o_line_baseline;

typedef struct q2o_revision {
    int32_t number;                  /* 1, 2, ... */
    int32_t parent;                  /* revision it was created from; 0 for Rev 1 */
    q2o_status status;
    q2o_status status_before_close;  /* status when superseded/expired/canceled */
    q2o_time_ms created_at;
    q2o_terms terms;
    /* pricing snapshot (valid while priced) */
    int priced;
    int64_t merchandise, discount_total, net_total, freight, tax, grand_total, cost_total;
    int32_t margin_bp, max_discount_bp;
    int64_t catalog_version, pricebook_version;
    q2o_time_ms priced_at, price_valid_until, promo_ends_at;
    int64_t one_time_total, recurring_total; /* net once, net per month */
    uint8_t pricing_fp[Q2O_SHA256_LEN];
    /* approval */
    uint8_t approval_fp[Q2O_SHA256_LEN]; /* content fingerprint computed at pricing */
    int64_t policy_version;
    int approval_required;
    uint32_t n_reasons;
    q2o_approval_reason reasons[Q2O_MAX_APPROVAL_REASONS];
    uint32_t n_steps;
    q2o_approval_step steps[Q2O_MAX_APPROVAL_STEPS];
    char submitted_by[Q2O_ID_MAX];
    q2o_time_ms submitted_at;
    int approved;                    /* an approval covers approved_fp */
    int auto_approved;
    uint8_t approved_fp[Q2O_SHA256_LEN];
    q2o_time_ms approved_at, approval_expires_at;
    /* proposal document (an operation with its own status) */
    q2o_op_status document_status;
    char document_id[Q2O_ID_MAX];
    uint8_t document_hash[Q2O_SHA256_LEN];
    char template_version[Q2O_CODE_MAX];
    uint8_t document_snapshot_fp[Q2O_SHA256_LEN];
    /* presentation */
    q2o_time_ms presented_at;
    char recipient[Q2O_ID_MAX];
    uint8_t presented_hash[Q2O_SHA256_LEN];
    /* acceptance */
    int accepted;
    q2o_time_ms accepted_at;
    q2o_acceptance acceptance;
    uint8_t accepted_fp[Q2O_SHA256_LEN];
    /* conversion */
    int converted;
    q2o_conversion conversion;
    /* closing */
    char close_reason[Q2O_CODE_MAX];
    q2o_expiry_kind expired_kind;
    uint32_t n_notes;
    /* retail pre-order quotes (SPEC section 7), set on acceptance */
    q2o_time_ms cancel_date;         /* the manual one, else arrival + expiration days; 0 = none */
    char price_override_reason[Q2O_CODE_MAX]; /* assigned to the lines without one; "" = none */
    int freight_override;            /* the freight was kept as a freight override */
    int64_t freight_override_amount; /* minor units */
} q2o_revision;

typedef struct q2o_quote {
    int exists;
    char quote_id[Q2O_ID_MAX];
    q2o_quote_header header;
    uint64_t version;                /* events applied */
    uint8_t head_hash[Q2O_SHA256_LEN];
    q2o_time_ms updated_at;
    /* heap, grown as revisions are created (at most Q2O_MAX_REVISIONS):
     * most quotes have one or two, and a fixed array of 64 made every
     * state ~160 KB to allocate, zero and copy */
    q2o_revision *revisions;         /* revisions[i].number == i + 1 */
    int32_t n_revisions;
    uint32_t cap_revisions;
    int32_t accepted_revision;       /* 0 = none */
    uint32_t n_conversions;          /* must stay <= 1 */
    /* lines of the current (last) revision; earlier revisions never change */
    q2o_line *lines;
    uint32_t n_lines, cap_lines;
    /* the parent revision's lines as priced, captured when the current
     * revision was created (heap; NULL for Rev 1) */
    q2o_line_baseline *baseline;
    uint32_t n_baseline;
} q2o_quote;

void q2o_quote_init(q2o_quote *q);
void q2o_quote_release(q2o_quote *q);
q2o_quote *q2o_quote_new(void);      /* aborts on out-of-memory */
void q2o_quote_free(q2o_quote *q);   /* accepts NULL */
void q2o_quote_copy(q2o_quote *dst, const q2o_quote *src); /* dst initialised */
/* Room for n revisions (n <= Q2O_MAX_REVISIONS); aborts on out-of-memory. */
void q2o_quote_reserve_revisions(q2o_quote *q, uint32_t n);

const q2o_revision *q2o_quote_current(const q2o_quote *q); /* NULL if none */
const q2o_revision *q2o_quote_revision(const q2o_quote *q, int32_t number);
const q2o_line *q2o_quote_line(const q2o_quote *q, const char *line_id);

/* ============================== commands =============================== */

#define Q2O_COMMAND_LIST(X) \
    X(CREATE_QUOTE, "CreateQuote") X(ADD_LINE, "AddQuoteLine") X(CHANGE_LINE, "ChangeQuoteLine") \
    X(REMOVE_LINE, "RemoveQuoteLine") X(CHANGE_TERMS, "ChangeQuoteTerms") \
    X(ADD_NOTE, "AddQuoteNote") X(REASSIGN_OWNER, "ReassignQuoteOwner") \
    X(PRICE_QUOTE, "PriceQuote") X(SUBMIT_FOR_APPROVAL, "SubmitQuoteForApproval") \
    X(APPROVE_STEP, "ApproveQuote") X(REJECT_APPROVAL, "RejectQuoteApproval") \
    X(RECALL_APPROVAL, "RecallQuoteApproval") X(ATTACH_DOCUMENT, "AttachQuoteDocument") \
    X(PRESENT_QUOTE, "PresentQuote") X(ACCEPT_QUOTE, "AcceptQuote") \
    X(REJECT_BY_CUSTOMER, "RejectQuoteByCustomer") X(CONVERT_TO_ORDER, "ConvertQuoteToOrder") \
    X(CANCEL_QUOTE, "CancelQuote") X(CREATE_REVISION, "CreateQuoteRevision") \
    X(EXPIRE_QUOTE, "ExpireQuote")

typedef enum q2o_command_type {
    Q2O_CMD_NONE = 0,
#define Q2O_ENUM_CMD_(n, s) Q2O_CMD_##n,
    Q2O_COMMAND_LIST(Q2O_ENUM_CMD_)
#undef Q2O_ENUM_CMD_
    Q2O_CMD__COUNT
} q2o_command_type;

const char *q2o_command_type_name(q2o_command_type t); /* "AcceptQuote" */
int q2o_command_type_parse(const char *name);          /* -1 if unknown */

/* Configuration is checked on add/change and again at pricing (SPEC §4;
 * the split is documented with the configurator, domain/catalog_pricing.h).
 *
 *   AddQuoteLine, ChangeQuoteLine  when env->catalog is set, the configurator
 *       runs over the revision's lines as they will be after the command (the
 *       added line last, the changed line in its place); the command is
 *       refused, with no event, with the first line-local finding of that
 *       line: OFFERING_UNKNOWN, OFFERING_INACTIVE (on the command's now),
 *       OFFERING_NOT_ELIGIBLE, CONFIG_NOT_AN_OPTION, QUANTITY_INVALID (the
 *       offering's bounds), CONFIG_ATTRIBUTE_INVALID, FIELD_INVALID (parent
 *       unknown or looping). The detail names the line, the code and the
 *       subject, then the finding's remediation when it fits. Without a
 *       catalog there is no such check.
 *   PriceQuote  every finding of the whole quote, line-local ones included
 *       (the catalog may have changed since: an offering retired), and the
 *       cross-line ones that add/change accept: REQUIRES, EXCLUDES, QUANTITY
 *       relations, group cardinality, and CONFIG_INCOMPLETE (a required
 *       attribute not yet set: a line may be added first and configured
 *       after). They are recorded in QuoteValidationFailed.
 */
typedef struct q2o_cmd_reason {
    char reason_code[Q2O_CODE_MAX];
    char comment[Q2O_TEXT_MAX];
} q2o_cmd_reason;

typedef struct q2o_command {
    q2o_command_type type;
    char command_id[Q2O_ID_MAX];     /* dedupe key: a redelivery never emits twice */
    char quote_id[Q2O_ID_MAX];
    char correlation_id[Q2O_ID_MAX];
    char source[Q2O_CODE_MAX];       /* source system: CRM, PORTAL, CTL, SWEEPER ... */
    int64_t expected_version;        /* optimistic lock; -1 = not checked */
    int32_t revision;                /* target revision; 0 = the current one */
    q2o_actor actor;
    union {
        q2o_quote_header create;     /* CREATE_QUOTE; + terms below */
        q2o_line line;               /* ADD_LINE, CHANGE_LINE (by line_id) */
        char line_id[Q2O_ID_MAX];    /* REMOVE_LINE */
        char owner_id[Q2O_ID_MAX];   /* REASSIGN_OWNER */
        char note[Q2O_TEXT_MAX];     /* ADD_NOTE */
        struct {                     /* APPROVE_STEP, REJECT_APPROVAL (comment = why) */
            uint8_t expected_fp[Q2O_SHA256_LEN];
            char comment[Q2O_TEXT_MAX];
        } approve;
        q2o_cmd_reason reason;       /* RECALL_APPROVAL, REJECT_BY_CUSTOMER, CANCEL_QUOTE,
                                        CREATE_REVISION */
        struct {                     /* ATTACH_DOCUMENT */
            char document_id[Q2O_ID_MAX];
            uint8_t document_hash[Q2O_SHA256_LEN];
            char template_version[Q2O_CODE_MAX];
            uint8_t snapshot_fp[Q2O_SHA256_LEN];
        } attach;
        struct {                     /* PRESENT_QUOTE */
            char document_id[Q2O_ID_MAX];
            uint8_t document_hash[Q2O_SHA256_LEN];
            char recipient[Q2O_ID_MAX];
        } present;
        q2o_acceptance accept;       /* ACCEPT_QUOTE */
        struct {                     /* CONVERT_TO_ORDER */
            char idempotency_key[Q2O_ID_MAX];
            q2o_status expected_status; /* must be ACCEPTED (or NONE: not checked) */
        } convert;
    } u;
    q2o_terms terms;                 /* CREATE_QUOTE (initial terms), CHANGE_TERMS */
} q2o_command;

/* A zeroed command of `type` with its identity filled in and no optimistic
 * lock (expected_version = -1). Aborts if an id does not fit (callers pass
 * bounded ids). */
void q2o_command_init(q2o_command *c, q2o_command_type type, const char *quote_id, const char *command_id,
                      const q2o_actor *actor);

/* =============================== events ================================ */

#define Q2O_EVENT_LIST(X) \
    X(CREATED, "QuoteCreated") X(LINE_ADDED, "QuoteLineAdded") X(LINE_CHANGED, "QuoteLineChanged") \
    X(LINE_REMOVED, "QuoteLineRemoved") X(TERMS_CHANGED, "QuoteTermsChanged") \
    X(NOTE_ADDED, "QuoteNoteAdded") X(OWNER_REASSIGNED, "QuoteOwnerReassigned") \
    X(PRICED, "QuotePriced") X(VALIDATION_FAILED, "QuoteValidationFailed") \
    X(APPROVAL_REQUIRED, "QuoteApprovalRequired") X(SUBMITTED, "QuoteSubmittedForApproval") \
    X(STEP_APPROVED, "QuoteApprovalStepApproved") X(APPROVED, "QuoteApproved") \
    X(REJECTED_BY_APPROVER, "QuoteRejectedByApprover") X(APPROVAL_RECALLED, "QuoteApprovalRecalled") \
    X(DOCUMENT_ATTACHED, "QuoteDocumentAttached") X(PRESENTED, "QuotePresented") \
    X(ACCEPTED, "QuoteAccepted") X(REJECTED_BY_CUSTOMER, "QuoteRejectedByCustomer") \
    X(EXPIRED, "QuoteExpired") X(CANCELED, "QuoteCanceled") \
    X(REVISION_CREATED, "QuoteRevisionCreated") X(SUPERSEDED, "QuoteSuperseded") \
    X(CONVERTED, "QuoteConvertedToOrder")

typedef enum q2o_event_type {
    Q2O_EV_NONE = 0,
#define Q2O_ENUM_EV_(n, s) Q2O_EV_##n,
    Q2O_EVENT_LIST(Q2O_ENUM_EV_)
#undef Q2O_ENUM_EV_
    Q2O_EV__COUNT
} q2o_event_type;

const char *q2o_event_type_name(q2o_event_type t); /* "QuotePriced" */
int q2o_event_type_parse(const char *name);

/* One line of a QuotePriced snapshot, with its price waterfall. */
typedef struct q2o_priced_line {
    char line_id[Q2O_ID_MAX];
    char display_name[Q2O_NAME_MAX];
    q2o_line_price price;
    q2o_line_trace trace;            /* which rule, which version, which input */
} q2o_priced_line;

/* What repricing a revision changed against the revision it was created
 * from (SPEC: a reprice after approval or presentation happens in a new
 * revision, and its QuotePriced names what changed). */
#define Q2O_LINE_CHANGE_LIST(X) X(UNCHANGED) X(ADDED) X(CHANGED) X(REMOVED)
typedef enum q2o_line_change {
#define Q2O_ENUM_LC_(n) Q2O_LC_##n,
    Q2O_LINE_CHANGE_LIST(Q2O_ENUM_LC_)
#undef Q2O_ENUM_LC_
    Q2O_LC__COUNT
} q2o_line_change;
const char *q2o_line_change_name(q2o_line_change c);

typedef struct q2o_price_change {
    char line_id[Q2O_ID_MAX];
    q2o_line_change kind;            /* ADDED, CHANGED or REMOVED (unchanged lines are omitted) */
    int64_t previous_quantity, quantity;
    int64_t previous_net, net;       /* net_total (contract value) before and after */
} q2o_price_change;

typedef struct q2o_ev_priced {
    uint32_t n_lines;
    q2o_priced_line *lines;          /* heap, owned by the event */
    int64_t merchandise, discount_total, net_total, freight, tax, grand_total, cost_total;
    int32_t margin_bp, max_discount_bp;
    int64_t catalog_version, pricebook_version;
    q2o_time_ms price_valid_until, promo_ends_at;
    uint8_t pricing_fp[Q2O_SHA256_LEN];
    uint8_t approval_fp[Q2O_SHA256_LEN];
    int64_t policy_version;
    int64_t one_time_total;          /* net of one-time charges */
    int64_t recurring_total;         /* net recurring charges per month */
    char catalog_id[Q2O_CODE_MAX];
    char pricebook_id[Q2O_CODE_MAX];
    int32_t compared_revision;       /* the revision the changes are against; 0 = none */
    uint32_t n_changes;
    q2o_price_change *changes;       /* heap, owned by the event */
} q2o_ev_priced;

typedef struct q2o_event {
    q2o_event_type type;
    char quote_id[Q2O_ID_MAX];
    uint64_t version;
    q2o_time_ms at;
    int32_t revision;                /* the revision the event concerns */
    char actor_id[Q2O_ID_MAX];
    uint32_t actor_roles;
    char command_id[Q2O_ID_MAX];     /* causation: the command that produced it */
    char correlation_id[Q2O_ID_MAX];
    char source[Q2O_CODE_MAX];
    uint8_t prev_hash[Q2O_SHA256_LEN];
    union {
        struct { q2o_quote_header header; q2o_terms terms; } created;
        q2o_line line;                           /* LINE_ADDED, LINE_CHANGED */
        char line_id[Q2O_ID_MAX];                /* LINE_REMOVED */
        q2o_terms terms;                         /* TERMS_CHANGED */
        char note[Q2O_TEXT_MAX];                 /* NOTE_ADDED */
        char owner_id[Q2O_ID_MAX];               /* OWNER_REASSIGNED */
        q2o_ev_priced priced;                    /* PRICED */
        struct {                                 /* VALIDATION_FAILED */
            uint32_t n_violations;
            q2o_violation violations[Q2O_MAX_VIOLATIONS];
        } failed;
        struct {                                 /* APPROVAL_REQUIRED */
            uint8_t approval_fp[Q2O_SHA256_LEN];
            int64_t policy_version;
            uint32_t n_reasons;
            q2o_approval_reason reasons[Q2O_MAX_APPROVAL_REASONS];
            uint32_t n_steps;
            q2o_approval_step steps[Q2O_MAX_APPROVAL_STEPS];
        } required;
        struct {                                 /* SUBMITTED */
            uint8_t approval_fp[Q2O_SHA256_LEN];
        } submitted;
        struct {                                 /* STEP_APPROVED */
            uint32_t step;
            uint32_t role;
            uint8_t approval_fp[Q2O_SHA256_LEN];
            char comment[Q2O_TEXT_MAX];
        } step;
        struct {                                 /* APPROVED */
            uint8_t approval_fp[Q2O_SHA256_LEN];
            int automatic;
            q2o_time_ms expires_at;
        } approved;
        q2o_cmd_reason reason;                   /* REJECTED_BY_APPROVER, APPROVAL_RECALLED,
                                                    REJECTED_BY_CUSTOMER, CANCELED */
        struct {                                 /* DOCUMENT_ATTACHED */
            char document_id[Q2O_ID_MAX];
            uint8_t document_hash[Q2O_SHA256_LEN];
            char template_version[Q2O_CODE_MAX];
            uint8_t snapshot_fp[Q2O_SHA256_LEN];
        } document;
        struct {                                 /* PRESENTED */
            char document_id[Q2O_ID_MAX];
            uint8_t document_hash[Q2O_SHA256_LEN];
            char recipient[Q2O_ID_MAX];
            q2o_time_ms valid_until;
        } presented;
        struct {                                 /* ACCEPTED */
            q2o_acceptance evidence;
            /* What the retail order type made of the acceptance (SPEC section 7);
             * all zero for other order types. evolve gives every line without an
             * override reason this reason and, as its override_unit_price, its
             * accepted net per unit and period (round(period net / quantity), the
             * period net being the recurring net per month, else the net), so
             * that a reprice keeps the quoted price. */
            char price_override_reason[Q2O_CODE_MAX]; /* "" = none assigned */
            int freight_override;
            int64_t freight_override_amount;
            q2o_time_ms cancel_date;             /* 0 = none */
        } accepted;
        struct {                                 /* EXPIRED */
            q2o_expiry_kind kind;
            q2o_time_ms valid_until;
        } expired;
        struct {                                 /* REVISION_CREATED */
            int32_t number;
            int32_t parent;
            char reason_code[Q2O_CODE_MAX];
        } revision_created;
        struct {                                 /* SUPERSEDED */
            int32_t superseded_by;
        } superseded;
        struct {                                 /* CONVERTED */
            q2o_conversion conversion;
            int64_t grand_total;
            char currency[4];
            uint8_t pricing_fp[Q2O_SHA256_LEN];
            uint8_t document_hash[Q2O_SHA256_LEN];
            uint32_t n_warnings;
            int warnings[4];                     /* q2o_err codes, informational */
            /* Lines whose offering is sold out (catalog stock 0) at conversion,
             * informational (SPEC section 7): the first ids in line order, and
             * how many there are in all. */
            uint32_t n_unavailable;
            char unavailable[Q2O_MAX_UNAVAILABLE_LISTED][Q2O_ID_MAX];
            uint32_t unavailable_total;
        } converted;
    } u;
} q2o_event;

void q2o_event_release(q2o_event *ev); /* frees owned arrays; the event stays valid-empty */

/* Copy a QuotePriced snapshot's totals, versions, validity and fingerprints
 * onto a revision (what evolve does, and what decide previews). */
void q2o_revision_set_price(q2o_revision *r, const q2o_ev_priced *p);
/* Deep copy (PRICED line arrays duplicated); aborts on out-of-memory. */
void q2o_event_copy(q2o_event *dst, const q2o_event *src);

/* The hash of an event, chained: SHA-256 over prev_hash and every field of
 * the event in a fixed, encoding-independent order (documented in
 * quote_hash.c). Head hash = hash of the last event. */
void q2o_event_hash(const q2o_event *ev, uint8_t out[Q2O_SHA256_LEN]);

/* ============================== decisions ============================== */

typedef struct q2o_quote_env {
    q2o_pricer pricer;
    const q2o_approval_policy *approval;
    const q2o_catalog *catalog;      /* reference data beyond pricing (order types, the
                                        add/change configuration check); NULL = none */
} q2o_quote_env;

typedef struct q2o_decision {
    q2o_err err;                     /* OK, or why the command was refused */
    char detail[Q2O_TEXT_MAX];       /* the specific fact that failed */
    uint32_t n_events;               /* events to append (also when a refusal is
                                        recorded as data: QuoteValidationFailed) */
    q2o_event events[Q2O_MAX_EVENTS_PER_DECISION];
    int32_t revision;                /* the revision the command acted on */
    int replayed;                    /* idempotent retry: same result, no events */
    char order_id[Q2O_ID_MAX];       /* CONVERT_TO_ORDER */
    char order_number[Q2O_ID_MAX];
} q2o_decision;

void q2o_decision_release(q2o_decision *d);

/* Decide a command against a state. Fills *out (which the caller releases
 * with q2o_decision_release) and returns out->err. Never mutates state. */
q2o_err q2o_quote_decide(const q2o_quote_env *env, const q2o_quote *state, const q2o_command *cmd,
                         q2o_time_ms now, q2o_decision *out);

/* Apply one event. Returns Q2O_HASH_CHAIN_BROKEN if ev->prev_hash is not the
 * state's head, Q2O_STORE_VERSION_CONFLICT if ev->version != version + 1,
 * Q2O_STORE_CORRUPT if the event cannot apply to this state (unknown line,
 * revision out of order, ...): in these cases the state is untouched.
 * Every invariant is checked after the event; if one breaks, the function
 * logs it and returns Q2O_STORE_CORRUPT and the state must be discarded
 * (decide never produces such an event: the tests assert OK after every
 * event; a hostile log must not crash a worker). */
q2o_err q2o_quote_evolve(q2o_quote *state, const q2o_event *ev);

/* Check every invariant of SPEC §3; returns 0, or -1 with the broken one
 * named in why. */
int q2o_quote_check_invariants(const q2o_quote *q, char *why, unsigned size);

/* Content fingerprint of the current revision (lines, prices, discounts,
 * terms, margin, policy version): the approval fingerprint. */
void q2o_quote_content_fp(const q2o_quote *q, int64_t policy_version, uint8_t out[Q2O_SHA256_LEN]);

/* The earliest moment a validity of the current revision passes (proposal,
 * price, approval, promotion, contract start: whichever apply to its status),
 * or 0 when nothing can expire. The store indexes quotes by it so that the
 * expiry sweeper finds them without a scan. The promotion validity is the
 * revision's promo_ends_at: promotions applied inside their window only. A
 * promotion kept past its window (PROMOTION_EXTENSION, domain/pricing.h)
 * had ended when priced: the approval (EXPIRED_PROMOTION_OVERRIDE) governs
 * it, never the sweeper, so it does not expire the revision. */
q2o_time_ms q2o_quote_next_expiry(const q2o_quote *q, q2o_expiry_kind *kind);

/* Deterministic order id / number for a converted revision. */
void q2o_order_id_for(const char *quote_id, int32_t revision, char order_id[Q2O_ID_MAX],
                      char order_number[Q2O_ID_MAX]);

/* ============================ editability ============================= */

#define Q2O_ACTION_LIST(X) \
    X(EDIT_LINES, "edit lines / quantity / manual discount") X(CHANGE_TERMS, "change terms") \
    X(INTERNAL_NOTE, "internal note") X(PRICE, "price") X(SUBMIT, "submit for approval") \
    X(APPROVE, "approve") X(ATTACH_DOCUMENT, "attach document") X(SEND_PROPOSAL, "send proposal") \
    X(ACCEPT, "accept") X(CUSTOMER_REJECT, "customer reject") X(CONVERT, "convert to order") \
    X(CANCEL, "cancel") X(CREATE_REVISION, "create revision") X(RECALL, "recall from approval")

typedef enum q2o_action {
#define Q2O_ENUM_ACT_(n, s) Q2O_ACT_##n,
    Q2O_ACTION_LIST(Q2O_ENUM_ACT_)
#undef Q2O_ENUM_ACT_
    Q2O_ACT__COUNT
} q2o_action;

typedef enum q2o_verdict {
    Q2O_V_NO = 0,
    Q2O_V_YES,
    Q2O_V_YES_BACK_TO_DRAFT,        /* allowed; the revision returns to Draft, reprice */
    Q2O_V_NEW_REVISION,             /* only through a new revision */
    Q2O_V_CONDITIONAL,              /* allowed when a condition holds (named in the cell) */
    Q2O_V_ALREADY                   /* already done; repeating gives the same result */
} q2o_verdict;

typedef struct q2o_matrix_cell {
    q2o_verdict verdict;
    q2o_err code;                    /* why not (or the condition's code) */
    const char *note;
} q2o_matrix_cell;

const char *q2o_action_name(q2o_action a);
const char *q2o_verdict_name(q2o_verdict v);
/* The matrix as data (SPEC §3), for every action x status. */
const q2o_matrix_cell *q2o_matrix_cell_at(q2o_action a, q2o_status s);
/* Roles allowed to perform an action (bitmask). */
uint32_t q2o_action_roles(q2o_action a);

/* "What may this actor do now, and why not": for each action, allowed or
 * not with the error code that the command would get and a reason. */
typedef struct q2o_allowed {
    q2o_action action;
    int allowed;
    q2o_verdict verdict;
    q2o_err code;
    char reason[Q2O_TEXT_MAX];
} q2o_allowed;

void q2o_quote_allowed(const q2o_quote *q, const q2o_actor *actor, q2o_time_ms now,
                       q2o_allowed out[Q2O_ACT__COUNT]);

#endif
