#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "domain/quote.h"

/* A malloc'd copy of n elements, or NULL when n == 0; aborts on
 * out-of-memory. */
static void *dup_array(const void *src, size_t n, size_t size)
{
    if (!n)
        return NULL;
    void *p = malloc(n * size);
    Q2O_CHECK(p != NULL);
    memcpy(p, src, n * size);
    return p;
}

void q2o_quote_init(q2o_quote *q)
{
    memset(q, 0, sizeof *q);
}

void q2o_quote_release(q2o_quote *q)
{
    if (!q)
        return;
    free(q->revisions);
    q->revisions = NULL;
    q->n_revisions = 0;
    q->cap_revisions = 0;
    free(q->lines);
    q->lines = NULL;
    q->n_lines = q->cap_lines = 0;
    free(q->baseline);
    q->baseline = NULL;
    q->n_baseline = 0;
}

q2o_quote *q2o_quote_new(void)
{
    q2o_quote *q = malloc(sizeof *q);
    Q2O_CHECK(q != NULL);
    q2o_quote_init(q);
    return q;
}

void q2o_quote_free(q2o_quote *q)
{
    if (!q)
        return;
    q2o_quote_release(q);
    free(q);
}

/* Grow geometrically from 2 (a second revision is common, a third rare). */
void q2o_quote_reserve_revisions(q2o_quote *q, uint32_t n)
{
    Q2O_CHECK(n <= Q2O_MAX_REVISIONS);
    if (n <= q->cap_revisions)
        return;
    uint32_t cap = q->cap_revisions ? q->cap_revisions * 2 : 2;
    while (cap < n)
        cap *= 2;
    if (cap > Q2O_MAX_REVISIONS)
        cap = Q2O_MAX_REVISIONS;
    q->revisions = realloc(q->revisions, cap * sizeof *q->revisions);
    Q2O_CHECK(q->revisions != NULL);
    q->cap_revisions = cap;
}

/* Keep dst's arrays when they are large enough: a reused scratch state
 * then copies without allocating. */
void q2o_quote_copy(q2o_quote *dst, const q2o_quote *src)
{
    q2o_line *lines = dst->lines;
    uint32_t cap = dst->cap_lines;
    if (cap < src->n_lines) {
        lines = realloc(lines, src->n_lines * sizeof *lines);
        Q2O_CHECK(lines != NULL);
        cap = src->n_lines;
    }
    free(dst->baseline);
    uint32_t n_revs = src->n_revisions > 0 ? (uint32_t)src->n_revisions : 0;
    q2o_quote_reserve_revisions(dst, n_revs);
    q2o_revision *revisions = dst->revisions;
    uint32_t cap_revs = dst->cap_revisions;
    memcpy(dst, src, sizeof *dst);
    dst->lines = lines;
    dst->cap_lines = cap;
    dst->revisions = revisions;
    dst->cap_revisions = cap_revs;
    if (src->n_lines)
        memcpy(dst->lines, src->lines, src->n_lines * sizeof *lines);
    if (n_revs)
        memcpy(dst->revisions, src->revisions, n_revs * sizeof *revisions);
    dst->baseline = dup_array(src->baseline, src->n_baseline, sizeof *src->baseline);
}

const q2o_revision *q2o_quote_current(const q2o_quote *q)
{
    return q->n_revisions > 0 ? &q->revisions[q->n_revisions - 1] : NULL;
}

const q2o_revision *q2o_quote_revision(const q2o_quote *q, int32_t number)
{
    if (number < 1 || number > q->n_revisions)
        return NULL;
    return &q->revisions[number - 1];
}

const q2o_line *q2o_quote_line(const q2o_quote *q, const char *line_id)
{
    for (uint32_t i = 0; i < q->n_lines; i++)
        if (strcmp(q->lines[i].line_id, line_id) == 0)
            return &q->lines[i];
    return NULL;
}

void q2o_event_release(q2o_event *ev)
{
    if (ev && ev->type == Q2O_EV_PRICED) {
        free(ev->u.priced.lines);
        ev->u.priced.lines = NULL;
        ev->u.priced.n_lines = 0;
        free(ev->u.priced.changes);
        ev->u.priced.changes = NULL;
        ev->u.priced.n_changes = 0;
    }
}

void q2o_event_copy(q2o_event *dst, const q2o_event *src)
{
    memcpy(dst, src, sizeof *dst);
    if (src->type == Q2O_EV_PRICED) {
        dst->u.priced.lines = dup_array(src->u.priced.lines, src->u.priced.n_lines, sizeof(q2o_priced_line));
        dst->u.priced.changes =
            dup_array(src->u.priced.changes, src->u.priced.n_changes, sizeof(q2o_price_change));
    }
}

void q2o_decision_release(q2o_decision *d)
{
    if (!d)
        return;
    for (uint32_t i = 0; i < d->n_events; i++)
        q2o_event_release(&d->events[i]);
    d->n_events = 0;
}

void q2o_command_init(q2o_command *c, q2o_command_type type, const char *quote_id, const char *command_id,
                      const q2o_actor *actor)
{
    memset(c, 0, sizeof *c);
    c->type = type;
    Q2O_STRCPY(c->quote_id, quote_id);
    Q2O_STRCPY(c->command_id, command_id);
    c->expected_version = -1;
    c->actor = *actor;
}

void q2o_revision_set_price(q2o_revision *r, const q2o_ev_priced *p)
{
    r->merchandise = p->merchandise;
    r->discount_total = p->discount_total;
    r->net_total = p->net_total;
    r->freight = p->freight;
    r->tax = p->tax;
    r->grand_total = p->grand_total;
    r->cost_total = p->cost_total;
    r->margin_bp = p->margin_bp;
    r->max_discount_bp = p->max_discount_bp;
    r->catalog_version = p->catalog_version;
    r->pricebook_version = p->pricebook_version;
    r->price_valid_until = p->price_valid_until;
    r->promo_ends_at = p->promo_ends_at;
    memcpy(r->pricing_fp, p->pricing_fp, Q2O_SHA256_LEN);
    memcpy(r->approval_fp, p->approval_fp, Q2O_SHA256_LEN);
    r->policy_version = p->policy_version;
    r->one_time_total = p->one_time_total;
    r->recurring_total = p->recurring_total;
}
