/*
 * tests/support/quote_fixture.h — given/when/then helpers for the quote
 * domain: a sample catalog (the lifecycle seed's SaaS practice case), an
 * approval policy, actors, command builders, and a driver that applies the
 * decided events (asserting evolve succeeds, i.e. every invariant holds).
 */
#ifndef Q2O_QUOTE_FIXTURE_H
#define Q2O_QUOTE_FIXTURE_H

#include "domain/catalog.h"
#include "domain/quote.h"

/* 2026-07-02T10:00:00Z: the seed's audit example day. */
#define FX_T0 1782986400000LL
#define FX_DAY 86400000LL

/* An offering of a fixture catalog: list and cost per unit (per month
 * when recurring), retired from active_until (0 = never), with up to two
 * enumerated attributes (values NULL-terminated; required or optional). */
#define FX_MAX_ATTRS 2
typedef struct fx_offering {
    const char *id, *name;
    int64_t unit_price, unit_cost;
    int recurring;
    q2o_time_ms active_until;
    const char *attr[FX_MAX_ATTRS];
    const char *const *values[FX_MAX_ATTRS];
    int required[FX_MAX_ATTRS];
} fx_offering;

/* A sealed catalog ("fx-saas" version 7, price book "PB-USD" version 3 for
 * USD in any market and channel, 30-day price validity) of these
 * offerings, with the JULY2026 promotion (5 %, July 2026, every offering),
 * a flat freight (0 = none) and a default tax rate. */
q2o_catalog *fx_catalog_new(const fx_offering *o, uint32_t n, int64_t freight_flat, int32_t tax_bp);

/* The lifecycle seed's SaaS practice case: SAAS-ENT-USER 50.00/user/month
 * (cost 10.00), SUPPORT-PREMIUM 10.00/user/month (cost 3.00, required
 * support_level: 24x7 or BUSINESS_HOURS), IMPL-SERVICE 25,000.00 once
 * (cost 15,000.00), LEGACY-ADDON retired on 2026-07-01. */
q2o_catalog *fx_saas_catalog(void);
/* The same, changed by edit before it is sealed (rules, bundles, ...). */
typedef void (*fx_catalog_edit)(q2o_catalog *c);
q2o_catalog *fx_saas_catalog_with(fx_catalog_edit edit);

typedef struct fx {
    q2o_catalog *catalog;       /* owned; fx_use_catalog replaces it */
    q2o_approval_policy policy;
    q2o_quote_env env;
    q2o_quote *q;
    q2o_time_ms now;
    int seq;
    q2o_decision last;
    q2o_event *log;             /* every applied event, for replay */
    size_t n_log, cap_log;
} fx;

extern const q2o_actor FX_REP, FX_MANAGER, FX_DESK, FX_FINANCE, FX_LEGAL, FX_DOCS, FX_CUSTOMER,
    FX_PARTNER, FX_OPS, FX_SWEEPER, FX_STRANGER;

void fx_init(fx *f);
void fx_release(fx *f);
/* Price with catalog c from now on (f takes it; the previous one is freed). */
void fx_use_catalog(fx *f, q2o_catalog *c);

/* A command of `type` from `actor` for the fixture's quote, ids filled. */
q2o_command fx_cmd(fx *f, q2o_command_type type, const q2o_actor *actor);

/* Decide at f->now; apply the events (asserting each evolves OK); keep the
 * decision in f->last. Returns its error. */
q2o_err fx_send(fx *f, const q2o_command *c);

/* Shorthands (each asserts success unless noted). */
void fx_create(fx *f);
q2o_err fx_add_line(fx *f, const char *id, const char *offering, int64_t qty, int32_t discount_bp,
                    const char *promo);
q2o_err fx_price(fx *f);
q2o_err fx_submit(fx *f);
q2o_err fx_approve(fx *f, const q2o_actor *approver);
void fx_document_hash(const q2o_revision *r, uint8_t out[32]); /* the fake rendered document */
q2o_err fx_attach(fx *f);
q2o_err fx_present(fx *f);
q2o_err fx_accept(fx *f);
q2o_err fx_convert(fx *f, const char *key);

/* A fresh quote driven to a status. A plain line (no approval) except for
 * REQUIRES_APPROVAL/IN_REVIEW (20 % discount). SUPERSEDED leaves revision 2
 * current; target revision 1 to act on the superseded one. */
void fx_to_status(fx *f, q2o_status status);

const q2o_revision *fx_rev(fx *f);

/* Rebuild a state from f->log (time travel up to `upto` events, 0 = all). */
q2o_quote *fx_replay(fx *f, size_t upto);

/* ---- customised quotes, complete commands, stories ----------------------- */

#include <criterion/parameterized.h>

/* An edit of the standard CreateQuote header and initial terms (fx_create's). */
typedef void (*fx_header_edit)(q2o_quote_header *h, q2o_terms *t);

/* The actor who usually sends `type`: the document worker attaches, the deal
 * desk approves, the customer accepts or rejects, operations convert, the
 * sweeper expires, the manager reassigns; the rep sends everything else. */
const q2o_actor *fx_usual_actor(q2o_command_type type);

/* A complete command of `type` against the current revision, as the happy
 * path would send it, from `actor` (NULL = fx_usual_actor). CreateQuote
 * carries fx_create's header and terms; AddQuoteLine adds line L9 (one
 * IMPL-SERVICE); ChangeQuoteLine adds one seat to L1; Remove targets L1;
 * ChangeQuoteTerms resends the current terms; Convert uses "conv-key-1"
 * (fx_to_status's key) and expects ACCEPTED. Nothing is sent. */
q2o_command fx_command_for(fx *f, q2o_command_type type, const q2o_actor *actor);

/* CreateQuote with fx_create's header and terms after `edit` (NULL = none).
 * Returns the decision's error. */
q2o_err fx_create_with(fx *f, fx_header_edit edit);

/* fx_to_status for the happy path only (DRAFT, PRICED, APPROVED, PRESENTED,
 * ACCEPTED, CONVERTED, and REQUIRES_APPROVAL / IN_REVIEW when `edit` makes
 * the policy fire), for a quote created with fx_create_with(edit). */
void fx_to_status_with(fx *f, q2o_status st, fx_header_edit edit);

/* Rewrite history: edit the header and terms of the QuoteCreated event in
 * f->log, re-stamp the hash chain and rebuild f->q from the log (asserting
 * every event still evolves). For states decide refuses to build, e.g. an
 * accepted quote imported without a billing account. Only edits that no
 * later event depends on keep the invariants (the header is not part of the
 * approval fingerprint; the terms are). */
void fx_rewrite_creation(fx *f, fx_header_edit edit);

/* Append a handcrafted event to the current state: quote id, version, time
 * and prev_hash are stamped, evolve is asserted OK, the event is logged. */
void fx_append(fx *f, q2o_event ev);

/* Criterion parameters 0..n-1 for a table-driven ParameterizedTest. Rows go
 * by index: each test runs in a fresh process, where pointers held in the
 * parameters would not be valid. n <= FX_MAX_ROWS. */
#define FX_MAX_ROWS 512
struct criterion_test_params fx_row_indices(size_t n);

/* A given/when story, as data: given a status (fx_to_status, or
 * fx_to_status_with when `header` is set; NONE = no quote), then `arrange`,
 * then `later_ms` of time passing (negative: the command is dated earlier,
 * e.g. a pricing date before an offering retired); when the command
 * fx_command_for(when, actor) after `tweak`. */
typedef struct fx_story {
    q2o_status given;
    fx_header_edit header;
    void (*arrange)(fx *f);
    int64_t later_ms;
    q2o_command_type when;
    const q2o_actor *actor;
    void (*tweak)(fx *f, q2o_command *c);
} fx_story;

/* Play a story on a fresh fixture (f after fx_init); returns the error of
 * the "when" command, whose decision stays in f->last. */
q2o_err fx_tell(fx *f, const fx_story *s);

#endif
