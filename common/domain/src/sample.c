#include "domain/sample.h"

#include <string.h>

#include "core/strutil.h"

void q2o_sample_acme_quote(q2o_quote_header *h, q2o_terms *t, const char *payment_terms, q2o_time_ms now)
{
    memset(h, 0, sizeof *h);
    memset(t, 0, sizeof *t);
    Q2O_STRCPY(h->quote_number, "Q-1000");
    Q2O_STRCPY(h->account_id, "ACC-ACME");
    Q2O_STRCPY(h->customer_id, "CUST-ACME");
    Q2O_STRCPY(h->customer_legal_entity, "ACME-INC");
    Q2O_STRCPY(h->sold_to, "ACME-HQ");
    Q2O_STRCPY(h->ship_to, "ACME-HQ");
    Q2O_STRCPY(h->bill_to, "ACME-AP");
    Q2O_STRCPY(h->billing_account_id, "BA-ACME-1");
    Q2O_STRCPY(h->selling_entity, "Q2O-US");
    Q2O_STRCPY(h->currency, "USD");
    Q2O_STRCPY(h->market, "US");
    Q2O_STRCPY(h->channel, "DIRECT");
    Q2O_STRCPY(h->opportunity_id, "OPP-42");
    h->n_contacts = 1;
    Q2O_STRCPY(h->contacts[0], Q2O_SAMPLE_CONTACT);
    h->acceptance.block_after_expiry = 1;
    h->acceptance.block_legal_entity_mismatch = 1;
    t->valid_until = now + 30 * 86400000LL;
    t->term_months = 24;
    Q2O_STRCPY(t->payment_terms, payment_terms);
    Q2O_STRCPY(t->legal_terms_version, "MSA-2026.1");
}
