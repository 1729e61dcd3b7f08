/*
 * Configurator tests' fixture: catalogs built in code and quotes written as
 * one line of text.
 *
 * Catalog: cf_catalog_new() reserves room (q2o_catalog_alloc) for
 * CF_MAX_OFFERINGS offerings and CF_MAX_RULES rules; cf_offer() adds one,
 * sellable alone, quantity 1..Q2O_MAX_QUANTITY, always active, sold
 * everywhere; the other helpers add groups, attributes, eligibility and
 * rules to it; cf_seal() seals it and fails the test on a problem.
 *
 * Lines: cf_lines(q, "R:SUITE edition=ent; u<R:USERS*10; x<R:ADDON remove")
 * appends one line per ';'-separated item:
 *   ID[<PARENT]:OFFERING[*QUANTITY] [name=value ...] [remove]
 * (quantity 1 when not given; "remove" makes the action REMOVE).
 */
#ifndef Q2O_DOMAIN_CONFIGURATOR_FIXTURE_H
#define Q2O_DOMAIN_CONFIGURATOR_FIXTURE_H

#include "domain/catalog.h"
#include "domain/catalog_pricing.h"

#define CF_MAX_OFFERINGS 64
#define CF_MAX_RULES 32
#define CF_MAX_PER_OFFERING 8 /* groups, attributes */

/* 2026-07-02T10:00:00Z, the pricing date of every test unless told. */
#define CF_DATE 1782986400000LL
#define CF_DAY 86400000LL

q2o_catalog *cf_catalog_new(void);
q2o_cat_offering *cf_offer(q2o_catalog *c, const char *id);
q2o_cat_offering *cf_option_only(q2o_catalog *c, const char *id); /* not sellable alone */
/* options: comma-separated offering ids. max 0 = no limit. */
q2o_cat_option_group *cf_group(q2o_catalog *c, q2o_cat_offering *o, const char *id, uint32_t min, uint32_t max,
                               const char *options);
q2o_cat_attribute *cf_enum_attr(q2o_catalog *c, q2o_cat_offering *o, const char *name, int required,
                                const char *default_value, const char *values);
q2o_cat_attribute *cf_range_attr(q2o_catalog *c, q2o_cat_offering *o, const char *name, int required,
                                 const char *default_value, int64_t min, int64_t max);
/* Comma-separated lists; "" leaves a dimension open. */
void cf_eligibility(q2o_catalog *c, q2o_cat_offering *o, const char *regions, const char *segments,
                    const char *channels);
/* when/then: "OFFERING" or "OFFERING attr=value". */
q2o_cat_rule *cf_rule(q2o_catalog *c, const char *id, q2o_rule_kind kind, q2o_rule_scope scope, const char *when,
                      const char *then, int32_t num, int32_t den);
void cf_seal(q2o_catalog *c);

typedef struct cf_quote {
    uint32_t n;
    q2o_line *lines; /* Q2O_MAX_LINES + 8 of them */
} cf_quote;

void cf_quote_init(cf_quote *q);
void cf_quote_release(cf_quote *q);
q2o_line *cf_line(cf_quote *q, const char *id, const char *parent, const char *offering, int64_t quantity);
void cf_opt(q2o_line *l, const char *name, const char *value);
void cf_lines(cf_quote *q, const char *text);

/* Region EU, segment SMB, channel DIRECT, on CF_DATE. */
q2o_config_context cf_context(void);
uint32_t cf_run(const q2o_catalog *c, const cf_quote *q, q2o_config_result *out);

/* How many findings have this code, line and subject (NULL = any). */
uint32_t cf_count(const q2o_config_result *r, q2o_err code, const char *line_id, const char *subject);
const q2o_config_finding *cf_find(const q2o_config_result *r, q2o_err code, const char *line_id,
                                  const char *subject);
/* The suggestion of this offering (or attribute when offering is ""), or NULL. */
const q2o_config_suggestion *cf_suggestion(const q2o_config_result *r, const char *offering_id,
                                           const char *attribute);
/* Every finding, one per line, for failure messages (a static buffer). */
const char *cf_dump(const q2o_config_result *r);

#endif
