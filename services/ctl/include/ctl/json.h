/*
 * ctl/json.h — q2octl's JSON format: commands in, results and quotes out.
 *
 * A command is one JSON object whose keys are the Avro field names of
 * schemas/q2o.QuoteCommand.avsc (services/ctl/README.md has an example per
 * command type):
 *
 *   {"type": "AddQuoteLine", "quote_id": "Q-1000",
 *    "actor": {"id": "rep-1", "roles": ["SALES_REP"]},
 *    "payload": {"line": {"line_id": "L1", "offering_id": "SAAS-ENT-USER", "quantity": 500}}}
 *
 * Every field of q2o_command has a JSON home and back; absent keys keep
 * their defaults (expected_version -1 = not checked, override_unit_price -1
 * = none, everything else empty/zero). command_id and correlation_id may be
 * absent: q2o_ctl_command_fill_ids makes them.
 *
 * Errors name the JSON path of the first problem:
 *   "$.payload.line.quantity: expected an integer, got a string"
 *   "$.actor.roles[1]: unknown role 'SALES' (roles: SALES_REP,...)"
 *   "$: line 3 column 7: invalid JSON: ..."
 * and come back as Q2O_FIELD_INVALID (the input is malformed).
 *
 * Memory: returned json_t are new references the caller json_decref()s.
 * Thread safety: pure functions of their arguments.
 */
#ifndef Q2O_CTL_JSON_H
#define Q2O_CTL_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "codec/quote_codec.h"
#include "domain/quote.h"

#define Q2O_CTL_JSON_COMPACT 1 /* leave out empty, zero and default values */

/* JSON text -> command (starting from a zeroed, unlocked command). */
q2o_err q2o_ctl_command_parse(const char *text, size_t len, q2o_command *out, char *err, size_t err_size);
/* JSON object -> command. */
q2o_err q2o_ctl_command_from_json(const json_t *j, q2o_command *out, char *err, size_t err_size);
/* command -> JSON object (flags: Q2O_CTL_JSON_COMPACT or 0 for every field). */
json_t *q2o_ctl_command_to_json(const q2o_command *c, int flags);

/* The JSON key of a command type's payload fields, e.g. "line" for
 * AddQuoteLine; NULL for types without arguments. */
const char *q2o_ctl_payload_key(q2o_command_type t);

/* Fill command_id (core/id.h, prefix "ctl") and correlation_id (the command
 * id) when empty, and source ("CTL") when empty. */
q2o_err q2o_ctl_command_fill_ids(q2o_command *c, q2o_time_ms now);

/* A result as JSON: every field, code and code_name, event type names. */
json_t *q2o_ctl_result_to_json(const q2o_result *r);

/* The state of a quote as JSON: header, every revision (status, totals,
 * terms, approval, document, acceptance, conversion), the current lines. */
json_t *q2o_ctl_quote_to_json(const q2o_quote *q);

/* An event's envelope (version, time, type, revision, actor, causation,
 * correlation, source, prev_hash) plus the given hash and audit line. */
json_t *q2o_ctl_event_to_json(const q2o_event *ev, const uint8_t *hash, const char *audit_line);

/* A QuotePriced snapshot: its totals, versions, fingerprints and validity,
 * "lines" (each with its price and its waterfall "trace": stage, rule,
 * rule_version, input, rate_bp, amount, after) and "changes" against the
 * parent revision (kind ADDED/CHANGED/REMOVED, previous and new quantity
 * and net). Amounts in minor units of the quote currency. */
json_t *q2o_ctl_priced_to_json(const q2o_ev_priced *p);

/* "what may I do now" as a JSON array. */
json_t *q2o_ctl_allowed_to_json(const q2o_allowed *a, size_t n);

/* Print a JSON value on f with a newline (indented). */
void q2o_ctl_json_print(json_t *j, FILE *f);

#endif
