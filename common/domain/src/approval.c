#include "domain/approval.h"

#include <string.h>

#include "core/strutil.h"

void q2o_approval_policy_default(q2o_approval_policy *p)
{
    memset(p, 0, sizeof *p);
    p->version = 1;
    p->max_discount_bp = 1500;
    p->margin_floor_bp = 3000;
    p->max_term_months = 36;
    p->total_limit = 100000000; /* 1,000,000.00 in a 2-decimal currency */
    p->n_standard_terms = 2;
    Q2O_STRCPY(p->standard_payment_terms[0], "NET30");
    Q2O_STRCPY(p->standard_payment_terms[1], "NET45");
    p->window_ms = 30LL * 86400000LL;
    p->step_role[Q2O_AR_DISCOUNT_ABOVE_THRESHOLD] = Q2O_ROLE_DEAL_DESK;
    p->step_role[Q2O_AR_MARGIN_BELOW_FLOOR] = Q2O_ROLE_FINANCE;
    p->step_role[Q2O_AR_NON_STANDARD_PAYMENT_TERMS] = Q2O_ROLE_FINANCE;
    p->step_role[Q2O_AR_TERM_ABOVE_LIMIT] = Q2O_ROLE_SALES_MANAGER;
    p->step_role[Q2O_AR_TOTAL_ABOVE_LIMIT] = Q2O_ROLE_FINANCE;
    p->step_role[Q2O_AR_EXPIRED_PROMOTION_OVERRIDE] = Q2O_ROLE_DEAL_DESK;
    p->step_role[Q2O_AR_LEGAL_CLAUSE_EXCEPTION] = Q2O_ROLE_LEGAL;
}

static int standard_terms(const q2o_approval_policy *p, const char *terms)
{
    if (!terms || !*terms)
        return 1; /* no custom terms requested: the account default applies */
    for (uint32_t i = 0; i < p->n_standard_terms; i++)
        if (strcmp(p->standard_payment_terms[i], terms) == 0)
            return 1;
    return 0;
}

static void fire(const q2o_approval_policy *p, q2o_approval_eval *out, q2o_approval_rule rule,
                 int64_t figure, int64_t threshold, int64_t grand_total)
{
    if (out->n_reasons < Q2O_MAX_APPROVAL_REASONS) {
        q2o_approval_reason *r = &out->reasons[out->n_reasons++];
        r->rule = rule;
        r->figure = figure;
        r->threshold = threshold;
    }
    uint32_t role = p->step_role[rule] ? p->step_role[rule] : Q2O_ROLE_SALES_MANAGER;
    for (uint32_t i = 0; i < out->n_steps; i++)
        if (out->steps[i].role == role)
            return; /* one step per role covers every reason routed to it */
    if (out->n_steps < Q2O_MAX_APPROVAL_STEPS) {
        q2o_approval_step *s = &out->steps[out->n_steps++];
        memset(s, 0, sizeof *s);
        s->role = role;
        s->mandatory = 1;
        s->required_limit = grand_total;
    }
}

void q2o_approval_evaluate(const q2o_approval_policy *p, const q2o_approval_facts *f,
                           q2o_approval_eval *out)
{
    memset(out, 0, sizeof *out);
    if (f->max_discount_bp > p->max_discount_bp)
        fire(p, out, Q2O_AR_DISCOUNT_ABOVE_THRESHOLD, f->max_discount_bp, p->max_discount_bp, f->grand_total);
    if (f->margin_bp < p->margin_floor_bp)
        fire(p, out, Q2O_AR_MARGIN_BELOW_FLOOR, f->margin_bp, p->margin_floor_bp, f->grand_total);
    if (!standard_terms(p, f->payment_terms))
        fire(p, out, Q2O_AR_NON_STANDARD_PAYMENT_TERMS, 0, 0, f->grand_total);
    if (f->term_months > p->max_term_months)
        fire(p, out, Q2O_AR_TERM_ABOVE_LIMIT, f->term_months, p->max_term_months, f->grand_total);
    if (f->grand_total > p->total_limit)
        fire(p, out, Q2O_AR_TOTAL_ABOVE_LIMIT, f->grand_total, p->total_limit, f->grand_total);
    if (f->promotion_expired_override > 0)
        fire(p, out, Q2O_AR_EXPIRED_PROMOTION_OVERRIDE, f->promotion_expired_override, 0, f->grand_total);
    if (f->legal_clause_exception)
        fire(p, out, Q2O_AR_LEGAL_CLAUSE_EXCEPTION, 1, 0, f->grand_total);
}
