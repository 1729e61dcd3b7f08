/*
 * tests/support/quote_fixture.h — given/when/then helpers for the quote
 * domain: a sample catalog (the lifecycle seed's SaaS practice case), an
 * approval policy, actors, command builders, and a driver that applies the
 * decided events (asserting evolve succeeds, i.e. every invariant holds).
 */
#ifndef Q2O_QUOTE_FIXTURE_H
#define Q2O_QUOTE_FIXTURE_H

#include "domain/quote.h"

/* 2026-07-02T10:00:00Z: the seed's audit example day. */
#define FX_T0 1782986400000LL
#define FX_DAY 86400000LL

typedef struct fx {
    q2o_list_catalog catalog;
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

#endif
