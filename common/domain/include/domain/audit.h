/*
 * domain/audit.h — an event as one line of a quote's audit timeline:
 * when, version, revision, what, who, the facts that matter (old and new
 * values where the event changes one), causation and correlation.
 *
 *   2026-07-02T10:07:00.000Z v5 rev1 QuotePriced by rep-1 (SALES_REP) ...
 *
 * Pure; `before` (the state the event applied to, may be NULL) supplies old
 * values for changes.
 */
#ifndef Q2O_DOMAIN_AUDIT_H
#define Q2O_DOMAIN_AUDIT_H

#include <stddef.h>

#include "domain/quote.h"

/* Writes at most size bytes (NUL-terminated); returns out. */
char *q2o_audit_line(const q2o_quote *before, const q2o_event *ev, char *out, size_t size);

#endif
