/* The quote worker on the mock cluster: commands in, events and results out,
 * dedupe by command id, dead letters, refusals as results. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "worker_harness.h"

static hx h;
static hx_worker qw;

static void setup(void)
{
    hx_init(&h, 1);
    hx_quote_start(&h, &qw, "quote-1", NULL);
    hx_wait_ready(&qw, 20000);
}

static void teardown(void)
{
    if (qw.w)
        cr_expect_eq(hx_stop(&qw), Q2O_OK);
    hx_fini(&h);
}

TestSuite(worker_quote, .init = setup, .fini = teardown);

Test(worker_quote, commands_in_results_and_events_out)
{
    static const char *const quotes[] = {"Q-A", "Q-B", "Q-C"};
    char ids[9][Q2O_ID_MAX];
    const char *idp[9];
    int n = 0;
    for (int q = 0; q < 3; q++) {
        q2o_command c[3] = {hx_create(&h, quotes[q]), hx_add_line(&h, quotes[q], "L1", 10 + q),
                            hx_cmd(&h, Q2O_CMD_PRICE_QUOTE, quotes[q])};
        for (int i = 0; i < 3; i++) {
            hx_send(&h, &c[i]);
            Q2O_STRCPY(ids[n], c[i].command_id);
            idp[n] = ids[n];
            n++;
        }
    }
    hx_wait_results(&h, idp, 9, 30000);

    hx_result rs[32];
    size_t got = hx_results(&h, rs, 32);
    cr_assert_eq(got, 9);
    for (size_t i = 0; i < got; i++) {
        cr_assert_eq(rs[i].r.status, Q2O_RESULT_ACCEPTED, "%s: %s %s", rs[i].r.command_id,
                     q2o_err_name(rs[i].r.code), rs[i].r.detail);
        cr_assert_eq(rs[i].partition,
                     q2o_worker_partition_for_key(rs[i].r.quote_id, strlen(rs[i].r.quote_id), HX_PARTITIONS),
                     "results are co-partitioned with the commands");
    }
    uint64_t versions[3];
    size_t events = hx_check_events(&h, quotes, 3, versions);
    for (int q = 0; q < 3; q++) {
        const hx_result *price = hx_result_of(rs, got, ids[q * 3 + 2]);
        cr_assert_eq(versions[q], price->r.version, "%s: the log ends at the version the last result names",
                     quotes[q]);
    }
    cr_assert_eq(events, versions[0] + versions[1] + versions[2]);

    /* CloudEvents headers of the first event of Q-A */
    hx_msgs ms;
    char buf[256];
    hx_read(&h, Q2O_TOPIC_QUOTE_EVENTS, &ms);
    int seen = 0;
    for (size_t i = 0; i < ms.n; i++) {
        hx_header(ms.m[i], "ce_id", buf, sizeof buf);
        if (strcmp(buf, "Q-A/1") != 0)
            continue;
        seen = 1;
        cr_assert(ms.m[i]->key_len == 3 && !memcmp(ms.m[i]->key, "Q-A", 3));
        cr_assert_not_null(hx_header(ms.m[i], Q2O_CE_TYPE, buf, sizeof buf));
        cr_assert_str_eq(buf, "QuoteCreated");
        hx_header(ms.m[i], Q2O_CE_SUBJECT, buf, sizeof buf);
        cr_assert_str_eq(buf, "Q-A");
        hx_header(ms.m[i], Q2O_CE_SOURCE, buf, sizeof buf);
        cr_assert_str_eq(buf, "q2o/quote-worker/quote-1");
        hx_header(ms.m[i], Q2O_CE_CAUSATION_ID, buf, sizeof buf);
        cr_assert_str_eq(buf, ids[0]);
        hx_header(ms.m[i], Q2O_CE_CORRELATION_ID, buf, sizeof buf);
        cr_assert_str_eq(buf, "corr-worker-test");
    }
    cr_assert(seen, "event Q-A/1 not found");
    hx_msgs_free(&ms);

    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    cr_assert_geq(st.consumed, 9);
    cr_assert_geq(st.produced, 9 + events);
    cr_assert_eq(st.deadlettered, 0);
}

Test(worker_quote, a_redelivered_command_gets_the_same_result_and_no_new_events)
{
    q2o_command c = hx_create(&h, "Q-D");
    const char *id[] = {c.command_id};
    hx_send(&h, &c);
    hx_wait_results(&h, id, 1, 20000);
    hx_send(&h, &c); /* the same command again (a client retry) */
    hx_result rs[8];
    for (int waited = 0;; waited += 200) {
        size_t n = hx_results(&h, rs, 8);
        cr_assert_eq(n, 1);
        if (rs[0].copies == 2)
            break; /* hx_results asserted the copies are byte-identical */
        cr_assert(waited < 20000, "no second result");
        hx_sleep_ms(200);
    }
    cr_assert_eq(rs[0].r.status, Q2O_RESULT_ACCEPTED);
    static const char *const q[] = {"Q-D"};
    uint64_t v;
    cr_assert_eq(hx_check_events(&h, q, 1, &v), 1, "no new events");
    cr_assert_eq(v, 1);
}

Test(worker_quote, garbage_is_dead_lettered_and_the_partition_keeps_flowing)
{
    static const char garbage[] = "\xC3\x01not an avro command at all";
    hx_send_raw(&h, "Q-G", garbage, sizeof garbage - 1);
    hx_send_raw(&h, "Q-G", "plain text", 10);
    q2o_command c = hx_create(&h, "Q-G"); /* same key: same partition, after the garbage */
    const char *id[] = {c.command_id};
    hx_send(&h, &c);
    hx_wait_results(&h, id, 1, 20000);

    hx_msgs dl;
    char buf[256];
    hx_read(&h, Q2O_TOPIC_DEADLETTER, &dl);
    cr_assert_eq(dl.n, 2);
    int bad_magic = 0, unknown_schema = 0;
    for (size_t i = 0; i < dl.n; i++) {
        cr_assert_not_null(hx_header(dl.m[i], Q2O_DLQ_REASON, buf, sizeof buf));
        bad_magic += !strcmp(buf, "WIRE_BAD_MAGIC");
        unknown_schema += !strcmp(buf, "WIRE_UNKNOWN_SCHEMA") || !strcmp(buf, "WIRE_TRUNCATED");
        hx_header(dl.m[i], Q2O_DLQ_TOPIC, buf, sizeof buf);
        cr_assert_str_eq(buf, q2o_worker_topic(qw.w, Q2O_TOPIC_QUOTE_COMMANDS));
        cr_assert_not_null(hx_header(dl.m[i], Q2O_DLQ_OFFSET, buf, sizeof buf));
        cr_assert_not_null(hx_header(dl.m[i], Q2O_DLQ_DETAIL, buf, sizeof buf));
        cr_assert(dl.m[i]->key_len == 3 && !memcmp(dl.m[i]->key, "Q-G", 3), "the original key");
    }
    cr_assert_eq(bad_magic, 1, "plain text has no C3 01 marker");
    cr_assert_eq(unknown_schema, 1, "the other names an unknown fingerprint");
    hx_msgs_free(&dl);
    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    cr_assert_eq(st.deadlettered, 2);
}

Test(worker_quote, a_refused_command_gets_a_rejected_result)
{
    q2o_command c = hx_add_line(&h, "Q-NONE", "L1", 1); /* no such quote */
    q2o_command d = hx_cmd(&h, Q2O_CMD_CREATE_QUOTE, "Q-BAD");
    d.actor.roles = Q2O_ROLE_CUSTOMER; /* a customer cannot create quotes */
    const char *ids[] = {c.command_id, d.command_id};
    hx_send(&h, &c);
    hx_send(&h, &d);
    hx_wait_results(&h, ids, 2, 20000);
    hx_result rs[8];
    size_t n = hx_results(&h, rs, 8);
    const hx_result *r = hx_result_of(rs, n, c.command_id);
    cr_assert_eq(r->r.status, Q2O_RESULT_REJECTED);
    cr_assert_eq(r->r.code, Q2O_QUOTE_NOT_FOUND);
    cr_assert_eq(hx_result_of(rs, n, d.command_id)->r.status, Q2O_RESULT_REJECTED);
    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    cr_assert_eq(st.rejected, 2);
    cr_assert_eq(hx_check_events(&h, NULL, 0, NULL), 0);
}
