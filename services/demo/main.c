/*
 * q2o-demo — the quote lifecycle end to end: the lifecycle seed's practice
 * case (story.c) told through one of two transports (demo.h):
 *
 *   q2o-demo [DATA_DIR]                     in one process: Avro wire
 *       format, the runtime quote handler, an LMDB store under DATA_DIR
 *       (default ./q2o-data; its store is recreated), the story's clock;
 *   q2o-demo --bootstrap HOST:PORT [--prefix P] [--quote ID] [--timeout-ms MS]
 *       over Kafka, against a running q2o-quote-worker (infra/run-demo.sh
 *       starts everything).
 *
 * Then it prints the audit timeline (local), the order, the hash-chain
 * verification, a time-travel view and "what may I do now".
 * Exit status: 0 when every step had the outcome the story expects, 1 when
 * one did not, 2 on a usage error, 3 when the transport failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/id.h"
#include "core/strutil.h"
#include "demo.h"

q2o_command demo_cmd(demo *d, q2o_command_type type, const q2o_actor *actor)
{
    q2o_command c;
    char id[Q2O_ID_MAX];
    snprintf(id, sizeof id, "%s-%03d", d->run_id, ++d->seq);
    q2o_command_init(&c, type, d->quote_id, id, actor);
    Q2O_STRCPY(c.correlation_id, "demo-practice-case");
    Q2O_STRCPY(c.source, "DEMO");
    return c;
}

void demo_send(demo *d, const q2o_command *c, q2o_err expect, const char *what)
{
    q2o_result r;
    char ts[32], detail[Q2O_TEXT_MAX + 128] = "";
    memset(&r, 0, sizeof r);
    if (d->wall_clock)
        d->now = q2o_time_now_ms();
    q2o_err e = d->t->send(d, c, &r, detail, sizeof detail);
    q2o_err got = e != Q2O_OK ? e : r.code;
    printf("%s %-18s %-22s %-46s %s", q2o_time_format(d->now, ts, sizeof ts), c->actor.id,
           q2o_command_type_name(c->type), what, got == Q2O_OK ? "accepted" : "REFUSED ");
    if (e != Q2O_OK)
        printf(" %s\n%63s%s\n", q2o_err_name(e), "", detail);
    else if (got == Q2O_OK)
        printf(" v%llu%s\n", (unsigned long long)r.version, r.replayed ? " (same result)" : "");
    else
        printf(" %s\n%63s%s\n%63s-> %s\n", q2o_err_name(got), "", r.detail, "", r.remediation);
    if (got != expect) {
        printf("  !! expected %s\n", q2o_err_name(expect));
        d->failures++;
    }
    if (r.order_id[0])
        Q2O_STRCPY(d->order_id, r.order_id);
    if (!d->wall_clock)
        d->now += 7 * 60 * 1000; /* the story's clock: seven minutes per step */
    if (e == Q2O_OK && d->t->reload(d, r.version, detail, sizeof detail) != Q2O_OK) {
        printf("  !! reading the quote back failed: %s\n", detail);
        d->failures++;
    }
}

void demo_print_allowed(demo *d)
{
    static const q2o_actor rep = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};
    q2o_allowed a[Q2O_ACT__COUNT];
    const q2o_revision *r = q2o_quote_current(d->q);
    if (!r)
        return;
    q2o_quote_allowed(d->q, &rep, d->now, a);
    printf("\nWhat may rep-1 do now (revision %d is %s)?\n", r->number, q2o_status_name(r->status));
    for (int i = 0; i < Q2O_ACT__COUNT; i++)
        printf("  %-40s %-4s %s%s%s\n", q2o_action_name(a[i].action), a[i].allowed ? "yes" : "no",
               a[i].allowed ? "" : q2o_err_name(a[i].code), a[i].allowed ? "" : ": ", a[i].reason);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: q2o-demo [DATA_DIR]\n"
               "         Walks a sample quote through its whole lifecycle in one process.\n"
#ifdef Q2O_DEMO_KAFKA
               "       q2o-demo --bootstrap HOST:PORT [--prefix P] [--quote ID] [--timeout-ms MS]\n"
               "         The same story over Kafka, against a running q2o-quote-worker.\n"
#endif
    );
}

int main(int argc, char **argv)
{
    demo d;
    int rc;
    memset(&d, 0, sizeof d);
    Q2O_STRCPY(d.quote_id, "Q-1000");
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    d.q = q2o_quote_new();
    if (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
#ifdef Q2O_DEMO_KAFKA
        rc = demo_kafka_open(&d, argc, argv);
#else
        rc = -2;
        fprintf(stderr, "q2o-demo: built without the Kafka transport\n");
#endif
    } else {
        const char *dir = argc > 1 ? argv[1] : "q2o-data";
        rc = demo_local_open(&d, dir);
        if (rc != 0)
            fprintf(stderr, "q2o-demo: cannot open the store under %s\n", dir);
    }
    if (rc != 0) {
        if (d.t)
            d.t->close(&d);
        q2o_quote_free(d.q);
        if (rc == -2)
            usage(stderr);
        return rc == -2 ? 2 : 3;
    }
    demo_story(&d);
    if (q2o_quote_current(d.q)) {
        d.t->after(&d);
        demo_print_allowed(&d);
    } else {
        d.failures++;
    }
    printf("\n%s\n", d.failures ? "DEMO FAILED: some steps did not behave as the story expects"
                                : "Every step behaved as the story expects.");
    d.t->close(&d);
    q2o_quote_free(d.q);
    return d.failures ? 1 : 0;
}
