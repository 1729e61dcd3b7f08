/*
 * domain/sample.h — the sample customer of the lifecycle seed's practice
 * case (ACME Inc.) and the dates of its July promotion. The sample catalogs
 * themselves are documents in schemas/catalog/ (loaded with
 * codec/catalog_json.h, published with `q2octl catalog load`).
 */
#ifndef Q2O_DOMAIN_SAMPLE_H
#define Q2O_DOMAIN_SAMPLE_H

#include "domain/types.h"

#define Q2O_SAMPLE_JULY_1 1782864000000LL   /* 2026-07-01T00:00:00Z */
#define Q2O_SAMPLE_AUGUST_1 1785542400000LL /* 2026-08-01T00:00:00Z */

/* The sample customer: ACME Inc., one authorized contact
 * (alice@acme.example, legal entity ACME-INC), billed in USD, acceptance
 * blocked after expiry and on a legal-entity mismatch. Terms: 24 months,
 * the given payment terms, legal terms MSA-2026.1, valid 30 days from now. */
#define Q2O_SAMPLE_CONTACT "alice@acme.example"
void q2o_sample_acme_quote(q2o_quote_header *h, q2o_terms *t, const char *payment_terms, q2o_time_ms now);

#endif
