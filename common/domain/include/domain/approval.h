/*
 * domain/approval.h — the approval policy and its evaluation (SPEC §5).
 *
 * A policy is versioned reference data. Evaluating it against a priced
 * revision gives the reasons (rule, figure, threshold) and the approval
 * steps (role, mandatory, authority limit), deduplicated by role. Pure.
 */
#ifndef Q2O_DOMAIN_APPROVAL_H
#define Q2O_DOMAIN_APPROVAL_H

#include <stdint.h>

#include "domain/types.h"

#define Q2O_MAX_STANDARD_TERMS 8

typedef struct q2o_approval_policy {
    int64_t version;
    int32_t max_discount_bp;          /* deepest line discount allowed without approval */
    int32_t margin_floor_bp;          /* quote margin below this needs approval */
    int32_t max_term_months;          /* longer terms need approval */
    int64_t total_limit;              /* grand totals above this need approval */
    uint32_t n_standard_terms;
    char standard_payment_terms[Q2O_MAX_STANDARD_TERMS][Q2O_CODE_MAX];
    int64_t window_ms;                /* an approval is valid this long */
    uint32_t step_role[Q2O_AR__COUNT]; /* which role approves each rule; 0 = none named:
                                          the step goes to SALES_MANAGER (a rule that
                                          fires always needs someone's approval) */
} q2o_approval_policy;

/* What a priced revision looks like to the policy. */
typedef struct q2o_approval_facts {
    int32_t max_discount_bp;
    int32_t margin_bp;
    int32_t term_months;
    int64_t grand_total;
    const char *payment_terms;
    int legal_clause_exception;
    int promotion_expired_override;   /* lines whose promotion is kept past its window
                                         (Q2O_REASON_PROMOTION_EXTENSION, domain/pricing.h;
                                         q2o_price_output.expired_promotions_kept); > 0 fires
                                         EXPIRED_PROMOTION_OVERRIDE, figure = this count,
                                         threshold 0 (none is allowed without approval) */
} q2o_approval_facts;

typedef struct q2o_approval_eval {
    uint32_t n_reasons;
    q2o_approval_reason reasons[Q2O_MAX_APPROVAL_REASONS];
    uint32_t n_steps;
    q2o_approval_step steps[Q2O_MAX_APPROVAL_STEPS];
} q2o_approval_eval;

/* A sensible default policy (version 1): 15 % discount, 30 % margin floor,
 * 36 months, NET30/NET45 standard, 30-day window. */
void q2o_approval_policy_default(q2o_approval_policy *out);

void q2o_approval_evaluate(const q2o_approval_policy *policy, const q2o_approval_facts *facts,
                           q2o_approval_eval *out);

#endif
