#include "domain/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"

typedef struct sbuf {
    char *p;
    size_t size, used;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sbuf *b, const char *fmt, ...)
{
    if (b->used >= b->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->used, b->size - b->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->used += (size_t)n < b->size - b->used ? (size_t)n : b->size - b->used - 1;
}

static const char *money(const q2o_quote *q, const q2o_event *e, int64_t v, char *buf, size_t n)
{
    q2o_currency c = {"USD", 2};
    const char *code = e->type == Q2O_EV_CREATED ? e->u.created.header.currency
                       : q ? q->header.currency : "USD";
    q2o_currency_find(code, &c);
    return q2o_money_format(v, &c, buf, (unsigned)n);
}

static void short_hash(sbuf *b, const char *label, const uint8_t h[Q2O_SHA256_LEN])
{
    char hex[Q2O_SHA256_HEX_LEN];
    q2o_hex(h, Q2O_SHA256_LEN, hex);
    put(b, " %s=%.12s", label, hex);
}

static void line_facts(sbuf *b, const q2o_quote *q, const q2o_event *e)
{
    const q2o_line *l = &e->u.line;
    const q2o_line *old = q ? q2o_quote_line(q, l->line_id) : NULL;
    put(b, " line=%s offering=%s", l->line_id, l->offering_id);
    if (old && old->quantity != l->quantity)
        put(b, " quantity %lld->%lld", (long long)old->quantity, (long long)l->quantity);
    else
        put(b, " quantity=%lld", (long long)l->quantity);
    if (old && old->discount_bp != l->discount_bp)
        put(b, " discount %d->%d bp", old->discount_bp, l->discount_bp);
    else if (l->discount_bp)
        put(b, " discount=%d bp", l->discount_bp);
    if (l->promo_code[0])
        put(b, " promo=%s", l->promo_code);
    if (l->override_unit_price >= 0)
        put(b, " override=%lld reason=%s", (long long)l->override_unit_price, l->override_reason);
}

static void facts_a(sbuf *b, const q2o_quote *q, const q2o_event *e)
{
    char m[64];
    switch (e->type) {
    case Q2O_EV_CREATED:
        put(b, " number=%s account=%s currency=%s owner=%s", e->u.created.header.quote_number,
            e->u.created.header.account_id, e->u.created.header.currency, e->u.created.header.owner_id);
        break;
    case Q2O_EV_LINE_ADDED:
    case Q2O_EV_LINE_CHANGED: line_facts(b, q, e); break;
    case Q2O_EV_LINE_REMOVED: put(b, " line=%s", e->u.line_id); break;
    case Q2O_EV_TERMS_CHANGED:
        put(b, " payment_terms=%s term=%d months legal=%s", e->u.terms.payment_terms, e->u.terms.term_months,
            e->u.terms.legal_terms_version);
        break;
    case Q2O_EV_NOTE_ADDED: put(b, " note=\"%.60s\"", e->u.note); break;
    case Q2O_EV_OWNER_REASSIGNED:
        put(b, " owner %s->%s", q ? q->header.owner_id : "?", e->u.owner_id);
        break;
    case Q2O_EV_PRICED:
        put(b, " lines=%u total=%s", e->u.priced.n_lines, money(q, e, e->u.priced.grand_total, m, sizeof m));
        put(b, " discount=%s catalog=v%lld", money(q, e, e->u.priced.discount_total, m, sizeof m),
            (long long)e->u.priced.catalog_version);
        short_hash(b, "fingerprint", e->u.priced.pricing_fp);
        break;
    case Q2O_EV_VALIDATION_FAILED:
        for (uint32_t i = 0; i < e->u.failed.n_violations && i < 4; i++)
            put(b, " %s(%s%s%s)", q2o_err_name((q2o_err)e->u.failed.violations[i].code),
                e->u.failed.violations[i].line_id, e->u.failed.violations[i].line_id[0] ? ":" : "",
                e->u.failed.violations[i].detail);
        break;
    case Q2O_EV_APPROVAL_REQUIRED:
        for (uint32_t i = 0; i < e->u.required.n_reasons; i++) {
            const q2o_approval_reason *r = &e->u.required.reasons[i];
            put(b, " reason=%s", q2o_approval_rule_name(r->rule));
            if (r->figure || r->threshold) /* categorical rules carry no figures */
                put(b, "(%lld vs %lld)", (long long)r->figure, (long long)r->threshold);
        }
        short_hash(b, "approval_fp", e->u.required.approval_fp);
        break;
    default: break;
    }
}

static void facts_b(sbuf *b, const q2o_event *e)
{
    switch (e->type) {
    case Q2O_EV_SUBMITTED: short_hash(b, "approval_fp", e->u.submitted.approval_fp); break;
    case Q2O_EV_STEP_APPROVED: put(b, " step=%u", e->u.step.step); short_hash(b, "fingerprint", e->u.step.approval_fp); break;
    case Q2O_EV_APPROVED:
        put(b, "%s", e->u.approved.automatic ? " automatic" : "");
        short_hash(b, "fingerprint", e->u.approved.approval_fp);
        break;
    case Q2O_EV_REJECTED_BY_APPROVER:
    case Q2O_EV_APPROVAL_RECALLED:
    case Q2O_EV_REJECTED_BY_CUSTOMER:
    case Q2O_EV_CANCELED: put(b, " reason=%s", e->u.reason.reason_code); break;
    case Q2O_EV_DOCUMENT_ATTACHED:
        put(b, " document=%s template=%s", e->u.document.document_id, e->u.document.template_version);
        short_hash(b, "documentHash", e->u.document.document_hash);
        break;
    case Q2O_EV_PRESENTED:
        put(b, " to=%s", e->u.presented.recipient);
        short_hash(b, "documentHash", e->u.presented.document_hash);
        break;
    case Q2O_EV_ACCEPTED:
        put(b, " by=%s method=%s", e->u.accepted.evidence.acceptor_id,
            q2o_accept_method_name(e->u.accepted.evidence.method));
        short_hash(b, "documentHash", e->u.accepted.evidence.document_hash);
        break;
    case Q2O_EV_EXPIRED: put(b, " kind=%s", q2o_expiry_kind_name(e->u.expired.kind)); break;
    case Q2O_EV_REVISION_CREATED:
        put(b, " rev%d from rev%d reason=%s", e->u.revision_created.number, e->u.revision_created.parent,
            e->u.revision_created.reason_code);
        break;
    case Q2O_EV_SUPERSEDED: put(b, " by rev%d", e->u.superseded.superseded_by); break;
    case Q2O_EV_CONVERTED:
        put(b, " order=%s number=%s key=%s", e->u.converted.conversion.order_id,
            e->u.converted.conversion.order_number, e->u.converted.conversion.idempotency_key);
        break;
    default: break;
    }
}

char *q2o_audit_line(const q2o_quote *before, const q2o_event *e, char *out, size_t size)
{
    sbuf b = {out, size, 0};
    char ts[32], roles[128];
    out[0] = '\0';
    put(&b, "%s v%llu rev%d %s by %s (%s)", q2o_time_format(e->at, ts, sizeof ts), (unsigned long long)e->version,
        e->revision, q2o_event_type_name(e->type), e->actor_id, q2o_roles_format(e->actor_roles, roles, sizeof roles));
    facts_a(&b, before, e);
    facts_b(&b, e);
    put(&b, " cmd=%s corr=%s src=%s", e->command_id, e->correlation_id, e->source);
    return out;
}
