/*
 * The invariants of SPEC §3, checked after every event, and the next
 * expiry of a quote (for the sweeper's index).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/quote.h"

static int broken(char *why, unsigned size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int broken(char *why, unsigned size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (why && size)
        vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_priced_status(q2o_status s)
{
    return s == Q2O_ST_PRICED || s == Q2O_ST_REQUIRES_APPROVAL || s == Q2O_ST_IN_REVIEW ||
           s == Q2O_ST_APPROVED || s == Q2O_ST_PRESENTED || s == Q2O_ST_ACCEPTED || s == Q2O_ST_CONVERTED;
}

static int is_approved_status(q2o_status s)
{
    return s == Q2O_ST_APPROVED || s == Q2O_ST_PRESENTED || s == Q2O_ST_ACCEPTED || s == Q2O_ST_CONVERTED;
}

static int check_revisions(const q2o_quote *q, char *why, unsigned size)
{
    int accepted = 0, converted = 0;
    for (int32_t i = 0; i < q->n_revisions; i++) {
        const q2o_revision *r = &q->revisions[i];
        if (r->number != i + 1)
            return broken(why, size, "revision %d numbered %d", i + 1, r->number);
        if (i + 1 < q->n_revisions && r->status != Q2O_ST_SUPERSEDED)
            return broken(why, size, "only the current revision may be live: rev %d is %s", r->number,
                          q2o_status_name(r->status));
        accepted += r->accepted;
        converted += r->converted;
        if (r->converted && (!r->accepted || q->accepted_revision != r->number || !r->conversion.order_id[0]))
            return broken(why, size, "the order must reference the accepted revision (rev %d)", r->number);
    }
    if (accepted > 1)
        return broken(why, size, "%d revisions accepted", accepted);
    if (accepted == 0 && q->accepted_revision)
        return broken(why, size, "accepted_revision %d without acceptance", q->accepted_revision);
    if (q->n_conversions > 1 || (uint32_t)converted != q->n_conversions)
        return broken(why, size, "converted %u times", q->n_conversions);
    return 0;
}

static int check_lines(const q2o_quote *q, const q2o_revision *r, char *why, unsigned size)
{
    int64_t list = 0, net = 0;
    for (uint32_t i = 0; i < q->n_lines; i++) {
        const q2o_line *l = &q->lines[i];
        if (l->quantity <= 0)
            return broken(why, size, "line %s quantity %lld", l->line_id, (long long)l->quantity);
        if (!l->offering_id[0])
            return broken(why, size, "line %s has no offering", l->line_id);
        if (!r->priced)
            continue;
        if (!l->priced || l->price.catalog_version != r->catalog_version)
            return broken(why, size, "line %s does not reference the priced catalog snapshot", l->line_id);
        list += l->price.list_total;
        net += l->price.net_total;
    }
    if (r->priced && (list != r->merchandise || net != r->net_total))
        return broken(why, size, "quote totals %lld/%lld differ from the sum of lines %lld/%lld",
                      (long long)r->merchandise, (long long)r->net_total, (long long)list, (long long)net);
    if (r->priced && r->grand_total != r->net_total + r->freight + r->tax)
        return broken(why, size, "grand total is not net + freight + tax");
    return 0;
}

static int check_current(const q2o_quote *q, const q2o_revision *r, char *why, unsigned size)
{
    uint8_t fp[Q2O_SHA256_LEN];
    if (is_priced_status(r->status) && !r->priced)
        return broken(why, size, "%s without a price snapshot", q2o_status_name(r->status));
    if (check_lines(q, r, why, size))
        return -1;
    if (!is_approved_status(r->status))
        return 0;
    q2o_quote_content_fp(q, r->policy_version, fp);
    if (!r->approved || memcmp(r->approved_fp, r->approval_fp, sizeof fp) || memcmp(fp, r->approval_fp, sizeof fp))
        return broken(why, size, "approval does not apply to the exact content of rev %d", r->number);
    if (r->status == Q2O_ST_APPROVED)
        return 0;
    if (r->document_status != Q2O_OP_DONE || memcmp(r->document_snapshot_fp, r->approved_fp, sizeof fp) ||
        memcmp(r->presented_hash, r->document_hash, sizeof fp))
        return broken(why, size, "presented document does not match the approved snapshot");
    if (r->accepted && (memcmp(r->accepted_fp, fp, sizeof fp) ||
                        memcmp(r->acceptance.document_hash, r->presented_hash, sizeof fp)))
        return broken(why, size, "accepted revision %d changed", r->number);
    if (r->converted && r->terms.valid_until && r->conversion.converted_at >= r->terms.valid_until &&
        !q->header.acceptance.allow_delayed_conversion)
        return broken(why, size, "expired revision %d converted without a policy override", r->number);
    return 0;
}

int q2o_quote_check_invariants(const q2o_quote *q, char *why, unsigned size)
{
    if (!q->exists)
        return q->n_revisions == 0 && q->n_lines == 0 ? 0 : broken(why, size, "state without creation");
    if (q->n_revisions < 1 || q->n_revisions > Q2O_MAX_REVISIONS)
        return broken(why, size, "%d revisions", q->n_revisions);
    if (check_revisions(q, why, size))
        return -1;
    return check_current(q, q2o_quote_current(q), why, size);
}

static void consider(q2o_time_ms t, q2o_expiry_kind k, q2o_time_ms *best, q2o_expiry_kind *kind)
{
    if (t > 0 && (*best == 0 || t < *best)) {
        *best = t;
        *kind = k;
    }
}

q2o_time_ms q2o_quote_next_expiry(const q2o_quote *q, q2o_expiry_kind *kind)
{
    const q2o_revision *r = q->exists ? q2o_quote_current(q) : NULL;
    q2o_time_ms best = 0;
    q2o_expiry_kind k = Q2O_EXP_PROPOSAL;
    if (!r || (r->status != Q2O_ST_DRAFT && !is_priced_status(r->status)) ||
        r->status == Q2O_ST_ACCEPTED || r->status == Q2O_ST_CONVERTED)
        return 0;
    consider(r->terms.valid_until, Q2O_EXP_PROPOSAL, &best, &k);
    if (r->priced) {
        consider(r->price_valid_until, Q2O_EXP_PRICE, &best, &k);
        consider(r->promo_ends_at, Q2O_EXP_PROMOTION, &best, &k);
    }
    if (r->status == Q2O_ST_APPROVED && !r->auto_approved)
        consider(r->approval_expires_at, Q2O_EXP_APPROVAL, &best, &k);
    if (r->status == Q2O_ST_PRESENTED)
        consider(r->terms.contract_start, Q2O_EXP_CONTRACT_START, &best, &k);
    if (kind)
        *kind = k;
    return best;
}
