/* The checks both renderers make before they read a revision, and the
 * display order of its lines. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"

q2o_err q2o_doc_check_snapshot(const q2o_quote *q, int32_t revision, const q2o_revision **rev,
                               q2o_currency *cur)
{
    if (!q->exists)
        return Q2O_QUOTE_NOT_FOUND;
    const q2o_revision *r = q2o_quote_revision(q, revision);
    if (!r)
        return Q2O_QUOTE_REVISION_NOT_FOUND;
    /* Only the current revision's lines are in the state. */
    if (r != q2o_quote_current(q))
        return Q2O_QUOTE_ALREADY_SUPERSEDED;
    if (q->n_lines == 0)
        return Q2O_VALIDATION_NO_LINES;
    if (!r->priced)
        return Q2O_QUOTE_PRICE_STALE;
    for (uint32_t i = 0; i < q->n_lines; i++)
        if (!q->lines[i].priced)
            return Q2O_QUOTE_PRICE_STALE;
    q2o_err e = q2o_currency_find(q->header.currency, cur);
    if (e != Q2O_OK)
        return e;
    *rev = r;
    return Q2O_OK;
}

static int text_ok(const char *s)
{
    return !s || strlen(s) <= Q2O_DOCUMENT_TEXT_MAX;
}

q2o_err q2o_doc_check_branding(const q2o_branding *b)
{
    if (!b || !b->seller_name || !b->seller_name[0])
        return Q2O_INVALID_ARGUMENT;
    if (!text_ok(b->seller_name) || !text_ok(b->address_line) || !text_ok(b->footer_text))
        return Q2O_INVALID_ARGUMENT;
    return Q2O_OK;
}

/* qsort has no context argument in C11: sort pointers to the lines and
 * turn them back into indexes. */
static int line_cmp(const void *a, const void *b)
{
    const q2o_line *x = *(const q2o_line *const *)a;
    const q2o_line *y = *(const q2o_line *const *)b;
    if (x->line_number != y->line_number)
        return x->line_number < y->line_number ? -1 : 1;
    return strcmp(x->line_id, y->line_id); /* unique in a revision: a total order */
}

uint32_t *q2o_doc_line_order(const q2o_quote *q)
{
    size_t n = q->n_lines ? q->n_lines : 1;
    const q2o_line **ptrs = malloc(n * sizeof *ptrs);
    uint32_t *order = malloc(n * sizeof *order);
    if (!ptrs || !order) {
        free(ptrs);
        free(order);
        return NULL;
    }
    for (uint32_t i = 0; i < q->n_lines; i++)
        ptrs[i] = &q->lines[i];
    qsort(ptrs, q->n_lines, sizeof *ptrs, line_cmp);
    for (uint32_t i = 0; i < q->n_lines; i++)
        order[i] = (uint32_t)(ptrs[i] - q->lines);
    free(ptrs);
    return order;
}
