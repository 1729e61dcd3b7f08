/* services/demo — internal: the story's steps and the harness running them. */
#ifndef Q2O_DEMO_H
#define Q2O_DEMO_H

#include "codec/quote_codec.h"
#include "runtime/quote_handler.h"
#include "store/event_store.h"

typedef struct demo {
    q2o_store *store;
    q2o_codec *codec;
    q2o_quote_env env;
    q2o_approval_policy policy;
    q2o_time_ms now;
    int seq;
    q2o_quote *q;            /* the quote as last loaded */
    char order_id[Q2O_ID_MAX];
    int failures;            /* steps whose outcome differed from the expected one */
} demo;

/* A command of `type` from `actor` for quote Q-1000, ids filled. */
q2o_command demo_cmd(demo *d, q2o_command_type type, const q2o_actor *actor);

/* Send through the wire format and the store; print one line; reload the
 * quote. `expect` is the code the story expects (OK or a refusal). */
void demo_send(demo *d, const q2o_command *c, q2o_err expect, const char *what);

/* The practice case of the lifecycle seed, step by step. */
void demo_story(demo *d);

#endif
