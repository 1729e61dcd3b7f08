/*
 * services/demo — internal: the story's steps, the harness running them,
 * and the two transports a command can travel by:
 *
 *   local  (q2o-demo DIR)                   Avro encode/decode, then the
 *          quote handler against an LMDB store in this process, on the
 *          story's own clock (it starts on 2 July 2026 and moves to
 *          1 August to let the July promotion run out);
 *   kafka  (q2o-demo --bootstrap HOST:PORT) the command is produced to
 *          <prefix>quote.commands and its result awaited on
 *          <prefix>quote.results (services/ctl's client: the same path as
 *          `q2octl send`); the quote is read back from <prefix>quote.events.
 *          The separate q2o-quote-worker decides on its own wall clock, so
 *          the story cannot move time: the promotion steps are left out
 *          and the superseded-signature step cites revision 1 instead
 *          (demo_story says where).
 */
#ifndef Q2O_DEMO_H
#define Q2O_DEMO_H

#include "codec/quote_codec.h"
#include "domain/quote.h"

typedef struct demo demo;

typedef struct demo_transport {
    const char *name;
    /* One command, already filled: its result. Non-OK: infrastructure. */
    q2o_err (*send)(demo *d, const q2o_command *c, q2o_result *out, char *detail, size_t detail_size);
    /* The quote as it is after the last result, into d->q. */
    q2o_err (*reload)(demo *d, uint64_t version, char *detail, size_t detail_size);
    /* What the demo prints after the story: timeline, order, verification,
     * time travel. Adds to d->failures when the log does not verify. */
    void (*after)(demo *d);
    void (*close)(demo *d);
} demo_transport;

struct demo {
    const demo_transport *t;
    void *impl;              /* the transport's state */
    char quote_id[Q2O_ID_MAX];
    char run_id[48];         /* command id prefix: unique per run over Kafka */
    q2o_time_ms now;         /* the story's clock (local) or the wall clock (kafka) */
    int wall_clock;          /* the deciding worker runs on its own clock */
    char doc_dir[600];       /* local: where the rendered proposals go ("" over Kafka, where
                                q2o-document-worker renders and attaches them) */
    int seq;
    q2o_quote *q;            /* the quote as last loaded */
    char order_id[Q2O_ID_MAX];
    int failures;            /* steps whose outcome differed from the expected one */
    int64_t total_ms, max_ms;/* send-to-result latency (kafka) */
    int sent;
};

/* A command of `type` from `actor` for the demo's quote, ids filled. */
q2o_command demo_cmd(demo *d, q2o_command_type type, const q2o_actor *actor);

/* Send through the transport; print one line; reload the quote. `expect`
 * is the code the story expects (OK or a refusal). */
void demo_send(demo *d, const q2o_command *c, q2o_err expect, const char *what);

/* The practice case of the lifecycle seed, step by step. */
void demo_story(demo *d);

/* Shared printing of the epilogue pieces. */
void demo_print_allowed(demo *d);

/* Transports. */
int demo_local_open(demo *d, const char *dir);
#ifdef Q2O_DEMO_KAFKA
int demo_kafka_open(demo *d, int argc, char **argv);
#endif

#endif
