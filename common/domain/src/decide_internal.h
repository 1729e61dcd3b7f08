/* Internal to the quote decision code: the event builder and the guards
 * shared by the handlers in quote_decide*.c. */
#ifndef Q2O_DOMAIN_DECIDE_INTERNAL_H
#define Q2O_DOMAIN_DECIDE_INTERNAL_H

#include <string.h>

#include "domain/quote.h"

typedef struct decide_ctx {
    const q2o_quote_env *env;
    const q2o_quote *q;
    const q2o_command *cmd;
    q2o_time_ms now;
    q2o_decision *out;
    const q2o_revision *rev; /* the targeted (current) revision, NULL before creation */
} decide_ctx;

/* Append an event of `type` for the current revision with the command's
 * metadata; returns it zeroed except metadata. */
q2o_event *dc_emit(decide_ctx *c, q2o_event_type type);

/* Refuse: sets err and a printf-style detail, drops nothing already emitted
 * (refusals recorded as data keep their events). Returns err. */
q2o_err dc_fail(decide_ctx *c, q2o_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The matrix cell for an action on the targeted revision: returns OK when
 * the verdict allows it (YES, YES_BACK_TO_DRAFT, CONDITIONAL: the handler
 * checks the condition), else fails with the cell's code. */
q2o_err dc_require(decide_ctx *c, q2o_action action);

int dc_zero_hash(const uint8_t h[Q2O_SHA256_LEN]);

/* The order type `code` as the environment's catalog defines it (SPEC
 * section 7), or NULL when there is no catalog or it does not know the
 * code: the quote then follows its header alone. */
const q2o_cat_order_type *dc_order_type(const decide_ctx *c, const char *code);

/* The arrival date of a retail quote: the contract start, else the day the
 * quote was created. */
q2o_time_ms dc_arrival_date(const q2o_terms *t, q2o_time_ms created_at);
int dc_is_contact(const q2o_quote_header *h, const char *id);

/* Handlers, one per command type (quote_decide.c / quote_decide_approval.c). */
q2o_err dc_price(decide_ctx *c);
q2o_err dc_submit(decide_ctx *c);
q2o_err dc_approve_step(decide_ctx *c);
q2o_err dc_reject_approval(decide_ctx *c);
q2o_err dc_recall(decide_ctx *c);
q2o_err dc_attach_document(decide_ctx *c);
q2o_err dc_present(decide_ctx *c);
q2o_err dc_accept(decide_ctx *c);
q2o_err dc_reject_by_customer(decide_ctx *c);
q2o_err dc_convert(decide_ctx *c);

/* Map a command to its editability action; -1 for commands outside the
 * matrix (create, expire, owner reassignment). */
int q2o_command_action(q2o_command_type t);
uint32_t q2o_command_roles(q2o_command_type t);

#endif
