/*
 * domain/sample.h — the sample reference data shipped with q2o: the
 * enterprise SaaS catalog of the lifecycle seed's practice case (user
 * subscriptions, premium support, an implementation service, the July
 * promotion), used by the demo and the tests until catalogs are loaded
 * from files (the catalog issue).
 *
 * Prices in USD minor units: users 50.00 and support 10.00 per user per
 * month, implementation 25,000.00 one-time; July 2026 promotion 5 %.
 * LEGACY-ADDON retired on 2026-07-01 (to show OFFERING_INACTIVE).
 */
#ifndef Q2O_DOMAIN_SAMPLE_H
#define Q2O_DOMAIN_SAMPLE_H

#include "domain/pricing.h"
#include "domain/types.h"

#define Q2O_SAMPLE_JULY_1 1782864000000LL   /* 2026-07-01T00:00:00Z */
#define Q2O_SAMPLE_AUGUST_1 1785542400000LL /* 2026-08-01T00:00:00Z */

/* Static, immutable; valid for the life of the process. */
const q2o_list_catalog *q2o_sample_saas_catalog(void);

/* The sample customer: ACME Inc., one authorized contact
 * (alice@acme.example, legal entity ACME-INC), billed in USD, acceptance
 * blocked after expiry and on a legal-entity mismatch. Terms: 24 months,
 * the given payment terms, legal terms MSA-2026.1, valid 30 days from now. */
#define Q2O_SAMPLE_CONTACT "alice@acme.example"
void q2o_sample_acme_quote(q2o_quote_header *h, q2o_terms *t, const char *payment_terms, q2o_time_ms now);

#endif
