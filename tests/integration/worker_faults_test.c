#define _GNU_SOURCE /* memmem */
/* The quote worker under client-side faults on the mock cluster: a broker
 * down and back mid-stream, injected request errors on the transactional
 * path, partition leaders moving.
 *
 * What these tests can prove on the mock (see worker_harness.h): every
 * command eventually has a result; all copies of a result are identical;
 * per quote the events form one hash chain 1..n with no two different
 * events at one version (aborted attempts the mock shows are byte-identical
 * to their redo thanks to the fixed clock); the log ends at the version the
 * quote's last result names. Exactly-once in a read_committed view needs a
 * real broker (tests/system). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_fixture.h"
#include "worker_harness.h"

TestSuite(worker_faults);


#define N_QUOTES 6
#define PER_QUOTE 3
#define N_CMDS (N_QUOTES * PER_QUOTE)

typedef struct stream {
    char quotes[N_QUOTES][16];
    const char *qp[N_QUOTES];
    char ids[N_CMDS][Q2O_ID_MAX];
    const char *idp[N_CMDS];
    q2o_command cmds[N_CMDS];
} stream;

static void stream_init(hx *h, stream *s)
{
    int n = 0;
    for (int q = 0; q < N_QUOTES; q++) {
        snprintf(s->quotes[q], sizeof s->quotes[q], "Q-F%d", q);
        s->qp[q] = s->quotes[q];
    }
    /* interleaved: step k of every quote, then step k + 1 */
    for (int k = 0; k < PER_QUOTE; k++) {
        for (int q = 0; q < N_QUOTES; q++) {
            q2o_command c = k == 0   ? hx_create(h, s->quotes[q])
                            : k == 1 ? hx_add_line(h, s->quotes[q], "L1", 5 + q)
                                     : hx_cmd(h, Q2O_CMD_PRICE_QUOTE, s->quotes[q]);
            s->cmds[n] = c;
            Q2O_STRCPY(s->ids[n], c.command_id);
            s->idp[n] = s->ids[n];
            n++;
        }
    }
}

static void send_range(hx *h, stream *s, int from, int to)
{
    hx_send_all(h, &s->cmds[from], (size_t)(to - from));
}

/* Everything the mock lets us check, after every command has a result. */
static void check_outcome(hx *h, stream *s)
{
    hx_wait_results(h, s->idp, N_CMDS, 90000);
    hx_result rs[N_CMDS * 2];
    size_t n = hx_results(h, rs, N_CMDS * 2); /* asserts identical copies */
    cr_assert_eq(n, N_CMDS);
    uint64_t versions[N_QUOTES];
    hx_check_events(h, s->qp, N_QUOTES, versions); /* asserts one chain per quote */
    for (int q = 0; q < N_QUOTES; q++) {
        const hx_result *last = hx_result_of(rs, n, s->ids[(PER_QUOTE - 1) * N_QUOTES + q]);
        cr_assert_eq(last->r.status, Q2O_RESULT_ACCEPTED, "%s", q2o_err_name(last->r.code));
        if (h->lenient_results)
            continue; /* see injected_request_errors */
        cr_assert_eq(versions[q], last->r.version, "%s: log at v%llu, result says v%llu", s->quotes[q],
                     (unsigned long long)versions[q], (unsigned long long)last->r.version);
    }
}

typedef struct inject {
    int api_key, kafka_err;
    size_t count;
    const char *what;
} inject;

static const inject injections[] = {
    {0, 6, 3, "Produce NOT_LEADER_OR_FOLLOWER"},
    {0, 87, 1, "Produce INVALID_RECORD (abortable)"},
    {25, 15, 2, "AddOffsetsToTxn COORDINATOR_NOT_AVAILABLE"},
    {28, 16, 2, "TxnOffsetCommit NOT_COORDINATOR"},
    {28, 22, 1, "TxnOffsetCommit ILLEGAL_GENERATION (abortable)"},
    {26, 15, 2, "EndTxn COORDINATOR_NOT_AVAILABLE"},
};

ParameterizedTestParameters(worker_faults, injected_request_errors)
{
    return fx_row_indices(sizeof injections / sizeof injections[0]);
}

/* Armed with the last command's id: when the worker first handles it (the
 * client has sent everything by then, so every later request of the API
 * is the worker's), push the errors. */
typedef struct trap {
    hx *h;
    const inject *in;
    char last_id[Q2O_ID_MAX];
    atomic_int fired;
} trap;

static void fire(hx_worker *hw, const q2o_bus_msg *msg)
{
    trap *t = hw->hook_ctx;
    size_t n = strlen(t->last_id);
    /* the command id is inside the Avro body: a substring search suffices */
    if (atomic_load(&t->fired) || msg->value_len < n || !memmem(msg->value, msg->value_len, t->last_id, n))
        return;
    atomic_store(&t->fired, 1);
    if (!t->in) /* the broker goes away inside the worker's open transaction */
        cr_assert_eq(q2o_bus_mock_broker_down(t->h->mock, 1), Q2O_OK);
    else
        cr_assert_eq(q2o_bus_mock_push_errors(t->h->mock, t->in->api_key, t->in->kafka_err, t->in->count), Q2O_OK);
}

static int fired(void *ctx)
{
    return atomic_load(&((trap *)ctx)->fired);
}

Test(worker_faults, broker_down_and_back_mid_stream)
{
    hx h;
    hx_worker qw;
    stream s;
    trap t = {.h = &h};
    hx_init(&h, 1);
    stream_init(&h, &s);
    Q2O_STRCPY(t.last_id, s.ids[N_CMDS - 1]);
    hx_quote_start_hooked(&h, &qw, "quote-f", NULL, fire, &t);
    hx_wait_ready(&qw, 20000);
    send_range(&h, &s, 0, N_CMDS);
    hx_wait(fired, &t, 30000, "the last command");
    hx_sleep_ms(2500);
    cr_assert_eq(q2o_bus_mock_broker_up(h.mock, 1), Q2O_OK);
    check_outcome(&h, &s);
    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    fprintf(stderr, "broker down: %llu batches, %llu aborted attempts\n", (unsigned long long)st.batches,
            (unsigned long long)st.aborts);
    cr_assert_eq(hx_stop(&qw), Q2O_OK);
    hx_fini(&h);
}

ParameterizedTest(size_t *row, worker_faults, injected_request_errors)
{
    const inject *in = &injections[*row];
    hx h;
    hx_worker qw;
    stream s;
    trap t = {.h = &h, .in = in};
    hx_init(&h, 1);
    /* An abortable error aborts a transaction whose messages were already
     * written. librdkafka's mock cluster does not implement read_committed
     * (its fetch never lists aborted transactions), so this harness and the
     * worker's own restore see the aborted attempt's events and results as
     * if committed: copies of a result may then differ and the log may not
     * match the last result. Those two checks hold on a real broker and are
     * made there (tests/system/quote_exactly_once_test.sh); here the rows
     * with an abortable error check the rest: every command answered, every
     * quote's last command accepted, one unbroken chain per quote. */
    h.lenient_results = strstr(in->what, "(abortable)") != NULL;
    stream_init(&h, &s);
    Q2O_STRCPY(t.last_id, s.ids[N_CMDS - 1]);
    hx_quote_start_hooked(&h, &qw, "quote-i", NULL, fire, &t);
    hx_wait_ready(&qw, 20000);
    send_range(&h, &s, 0, N_QUOTES);
    hx_wait_results(&h, s.idp, N_QUOTES, 30000);
    send_range(&h, &s, N_QUOTES, N_CMDS);
    check_outcome(&h, &s);
    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    fprintf(stderr, "%s: %llu batches, %llu aborted attempts\n", in->what, (unsigned long long)st.batches,
            (unsigned long long)st.aborts);
    cr_assert(atomic_load(&t.fired), "the errors were injected");
    cr_assert_eq(hx_stop(&qw), Q2O_OK, "%s", in->what);
    hx_fini(&h);
}

Test(worker_faults, partition_leaders_move_mid_stream)
{
    hx h;
    hx_worker qw;
    stream s;
    hx_init(&h, 3);
    hx_quote_start(&h, &qw, "quote-l", NULL);
    hx_wait_ready(&qw, 20000);
    stream_init(&h, &s);
    send_range(&h, &s, 0, N_CMDS / 2);
    static const q2o_topic moved[] = {Q2O_TOPIC_QUOTE_COMMANDS, Q2O_TOPIC_QUOTE_EVENTS, Q2O_TOPIC_QUOTE_RESULTS};
    for (size_t t = 0; t < 3; t++)
        for (int32_t p = 0; p < HX_PARTITIONS; p++)
            cr_assert_eq(q2o_bus_mock_set_leader(h.mock, q2o_worker_topic(qw.w, moved[t]), p, 1 + (p + 1) % 3),
                         Q2O_OK);
    send_range(&h, &s, N_CMDS / 2, N_CMDS);
    check_outcome(&h, &s);
    cr_assert_eq(hx_stop(&qw), Q2O_OK);
    hx_fini(&h);
}
