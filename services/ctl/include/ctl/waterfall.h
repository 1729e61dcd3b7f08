/*
 * ctl/waterfall.h — `q2octl waterfall`: the latest QuotePriced of a
 * revision, found while a quote's events are replayed (ctl/client.h view),
 * and printed as a per-line price waterfall.
 *
 * q2o_ctl_waterfall_on_event is a q2o_ctl_event_fn: pass it with the
 * waterfall as ctx. It keeps a deep copy of the last QuotePriced of the
 * wanted revision (0 = of any revision: the caller then checks that the
 * one kept is the current revision's), the quantity of each priced line as
 * the state had it when the event was decided, and the quote currency.
 * Pure: no I/O.
 *
 * Memory: _release frees the copy. Threads: the caller's only.
 */
#ifndef Q2O_CTL_WATERFALL_H
#define Q2O_CTL_WATERFALL_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "domain/quote.h"

typedef struct q2o_ctl_waterfall {
    int32_t want_revision;           /* 0 = any */
    int found;
    q2o_event priced;                /* the kept QuotePriced (deep copy) */
    int64_t *quantities;             /* heap, priced.u.priced.n_lines; -1 = not known */
    char currency[4];                /* of the quote */
    char quote_id[Q2O_ID_MAX];
} q2o_ctl_waterfall;

void q2o_ctl_waterfall_init(q2o_ctl_waterfall *w, int32_t want_revision);
void q2o_ctl_waterfall_release(q2o_ctl_waterfall *w); /* accepts NULL */
q2o_err q2o_ctl_waterfall_on_event(void *ctx, const q2o_quote *before, const q2o_event *ev, const uint8_t *hash);

/* Per line: display name, quantity, every trace step (stage, rule, version,
 * input, rate %, amount, after), the net per period, term months and the
 * contract value; then the quote totals, catalog and price book with their
 * versions, the pricing fingerprint, and the changes against the parent
 * revision when the event has them. Amounts with the currency's exponent. */
void q2o_ctl_print_waterfall(FILE *f, const q2o_ctl_waterfall *w);

/* {"quote_id", "revision", "version", "at", "currency", "priced":
 * q2o_ctl_priced_to_json with each line's "quantity" added}. */
json_t *q2o_ctl_waterfall_to_json(const q2o_ctl_waterfall *w);

#endif
