/*
 * Retail pre-order quotes (SPEC section 7) in the domain tests: the fixture
 * catalog with order types, flat freight and stock levels, and a quote of
 * a retail order type walked to a status.
 *
 * Order types of rt_catalog():
 *   PREORDER  a quote; 30 expiration days; pay method required; price
 *             override reason QUOTED; freight kept on accept; refuses the
 *             GIFT_CARD pay type
 *   BARE      a quote with none of these settings
 *   REGULAR   not a quote, but QUOTED and 30 days configured (acceptance
 *             must ignore them)
 * Freight: flat 15.00 USD per quote. Stock: SAAS-ENT-USER sold out (0),
 * IMPL-SERVICE 5 available, the other offerings not tracked.
 */
#ifndef Q2O_DOMAIN_RETAIL_FIXTURE_H
#define Q2O_DOMAIN_RETAIL_FIXTURE_H

#include "quote_fixture.h"

#define RT_FREIGHT 1500
#define RT_EXPIRATION_DAYS 30
#define RT_ARRIVAL (FX_T0 + 10 * FX_DAY)

q2o_catalog *rt_catalog(void);
/* rt_catalog with SAAS-ENT-USER listed at unit_price (a later price). */
q2o_catalog *rt_catalog_priced(int64_t unit_price);

/* Header edits: the order type, the arrival date RT_ARRIVAL as contract
 * start and the pay method CARD. */
void rt_preorder(q2o_quote_header *h, q2o_terms *t);
void rt_bare(q2o_quote_header *h, q2o_terms *t);
void rt_regular(q2o_quote_header *h, q2o_terms *t);

/* Use rt_catalog, create the quote with `edit`, add L1 (10 x SAAS-ENT-USER)
 * and, when with_override, L2 (2 x IMPL-SERVICE at 24,000.00 with reason
 * MATCH_COMPETITOR: 4 % off, no approval), then walk to `st` (PRICED .. CONVERTED), asserting
 * every step. */
void rt_quote_to(fx *f, fx_header_edit edit, int with_override, q2o_status st);

/* The last event of the last decision (asserting there is one of `type`). */
const q2o_event *rt_last_event(fx *f, q2o_event_type type);

#endif
