/* The transactional producer on the mock cluster.
 *
 * What the mock (librdkafka 2.0.2) can and cannot show: it runs the whole
 * transaction protocol (InitProducerId, AddPartitionsToTxn,
 * AddOffsetsToTxn, TxnOffsetCommit, EndTxn) and its error injection lets
 * us check how each EndTxn error is classified. It does NOT store the
 * offsets sent with a transaction (committed offsets stay empty), does not
 * hide aborted or open transactions from read_committed consumers and
 * writes no transaction markers. So these tests check the client side
 * only; exactly-once itself is proven by the system tests on real Kafka. */
#include <criterion/criterion.h>
#include <string.h>

#include "bus_fixture.h"

static bus_fx fx;
static char detail[512];
static const char *const key[] = {"Q-1"};

static void setup(void)
{
    bus_fx_start(&fx, 1, 1);
    detail[0] = '\0';
}

static void teardown(void)
{
    bus_fx_stop(&fx);
}

TestSuite(bus_txn, .init = setup, .fini = teardown);

/* Three commands consumed by a group member, as a worker would have them. */
static q2o_bus_consumer *consume_three(void)
{
    q2o_bus_producer *plain = bus_fx_producer(&fx, NULL);
    bus_fx_produce_range(plain, fx.commands, key, 1, 0, 3);
    cr_assert_eq(q2o_bus_flush(plain, 5000), Q2O_OK);
    q2o_bus_producer_free(plain);
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-txn", fx.commands, NULL, NULL);
    for (int i = 0; i < 3; i++) {
        q2o_bus_msg *m = bus_fx_next(c, 15000);
        cr_assert(m, "command %d not consumed", i);
        cr_assert_eq(bus_fx_index(m), i);
        q2o_bus_msg_free(m);
    }
    return c;
}

static q2o_bus_producer *begin_with_events(const char *txn_id)
{
    q2o_bus_producer *p = bus_fx_producer(&fx, txn_id);
    cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK, "%s", detail);
    bus_fx_produce_range(p, fx.events, key, 1, 0, 2);
    return p;
}

Test(bus_txn, produce_send_offsets_and_commit)
{
    q2o_bus_consumer *c = consume_three();
    q2o_bus_producer *p = begin_with_events("txn-commit");
    q2o_err err = q2o_bus_txn_send_offsets(p, c, 5000, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "send_offsets: %s %s", q2o_err_name(err), detail);
    err = q2o_bus_txn_commit(p, 5000, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "commit: %s %s", q2o_err_name(err), detail);

    /* The events are in the log (the mock cannot show that they were
     * invisible before the commit). */
    q2o_bus_reader *r = NULL;
    int64_t end = -1;
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, 0, -2, &r, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_bus_reader_end(r, &end), Q2O_OK);
    cr_assert_eq(end, 2);
    q2o_bus_reader_free(r);

    /* A second transaction on the same producer works too. */
    cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_bus_txn_commit(p, 5000, detail, sizeof detail), Q2O_OK);
    q2o_bus_producer_free(p);
    q2o_bus_consumer_free(c);
}

Test(bus_txn, send_offsets_before_anything_consumed_is_a_no_op)
{
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-empty", fx.commands, NULL, NULL);
    cr_assert_null(bus_fx_next(c, 500));
    q2o_bus_producer *p = begin_with_events("txn-empty");
    cr_assert_eq(q2o_bus_txn_send_offsets(p, c, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_txn_commit(p, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    q2o_bus_producer_free(p);
    q2o_bus_consumer_free(c);
}

/* The worker's abort path: abort, rewind to the committed offsets, redo.
 * Nothing is committed on the mock, so the rewind goes back to the start
 * of the partition (auto.offset.reset=earliest). */
Test(bus_txn, abort_then_rewind_sees_the_same_input_again)
{
    q2o_bus_consumer *c = consume_three();
    q2o_bus_producer *p = begin_with_events("txn-abort");
    cr_assert_eq(q2o_bus_txn_send_offsets(p, c, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_txn_abort(p, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_consumer_rewind(c, detail, sizeof detail), Q2O_OK, "%s", detail);
    for (int i = 0; i < 3; i++) {
        q2o_bus_msg *m = bus_fx_next(c, 10000);
        cr_assert(m, "command %d not redelivered", i);
        cr_assert_eq(m->offset, i);
        cr_assert_eq(bus_fx_index(m), i);
        q2o_bus_msg_free(m);
    }
    /* The redone batch commits. */
    cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_bus_txn_send_offsets(p, c, 5000, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_bus_txn_commit(p, 5000, detail, sizeof detail), Q2O_OK);
    q2o_bus_producer_free(p);
    q2o_bus_consumer_free(c);
}

static q2o_err commit_after_endtxn_error(q2o_bus_producer *p, int kafka_err, size_t count, int timeout_ms)
{
    cr_assert_eq(q2o_bus_mock_push_errors(fx.mock, 26 /* EndTxn */, kafka_err, count), Q2O_OK);
    return q2o_bus_txn_commit(p, timeout_ms, detail, sizeof detail);
}

/* NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS:
 * librdkafka finds the coordinator again and retries inside the call. */
Test(bus_txn, endtxn_coordinator_errors_are_retried_inside_commit)
{
    static const int codes[] = {16, 14, 51};
    q2o_bus_producer *p = bus_fx_producer(&fx, "txn-coord");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK);
        bus_fx_produce_range(p, fx.events, key, 1, 0, 1);
        q2o_err err = commit_after_endtxn_error(p, codes[i], 2, 10000);
        cr_assert_eq(err, Q2O_OK, "EndTxn error %d: %s %s", codes[i], q2o_err_name(err), detail);
    }
    q2o_bus_producer_free(p);
}

/* Errors that need an epoch bump (UNKNOWN_PRODUCER_ID 59,
 * INVALID_PRODUCER_ID_MAPPING 49) and a broker-side REQUEST_TIMED_OUT (7)
 * abort the transaction: abortable, and the producer goes on afterwards. */
Test(bus_txn, endtxn_producer_id_errors_are_abortable)
{
    static const int codes[] = {59, 49, 7};
    q2o_bus_producer *p = bus_fx_producer(&fx, "txn-abortable");
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK, "%s", detail);
        bus_fx_produce_range(p, fx.events, key, 1, 0, 1);
        q2o_err err = commit_after_endtxn_error(p, codes[i], 1, 5000);
        cr_assert_eq(err, Q2O_KAFKA_ABORTABLE, "EndTxn error %d: %s %s", codes[i], q2o_err_name(err), detail);
        /* Nothing more may enter the failed transaction. */
        cr_assert_eq(q2o_bus_produce(p, fx.events, -1, "k", 1, "v", 1, NULL, 0), Q2O_KAFKA_ABORTABLE);
        cr_assert_eq(q2o_bus_txn_abort(p, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    }
    cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK);
    bus_fx_produce_range(p, fx.events, key, 1, 0, 1);
    cr_assert_eq(q2o_bus_txn_commit(p, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    q2o_bus_producer_free(p);
}

Test(bus_txn, endtxn_fencing_errors_are_fenced)
{
    static const int codes[] = {90 /* PRODUCER_FENCED */, 47 /* INVALID_PRODUCER_EPOCH */};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        q2o_bus_producer *p = begin_with_events(i ? "txn-fenced-2" : "txn-fenced-1");
        q2o_err err = commit_after_endtxn_error(p, codes[i], 1, 5000);
        cr_assert_eq(err, Q2O_KAFKA_FENCED, "EndTxn error %d: %s %s", codes[i], q2o_err_name(err), detail);
        /* Fatal: every later call says so too. */
        cr_assert_eq(q2o_bus_txn_abort(p, 1000, detail, sizeof detail), Q2O_KAFKA_FENCED);
        q2o_bus_producer_free(p);
    }
}

Test(bus_txn, endtxn_invalid_state_and_authorization_are_fatal)
{
    static const int codes[] = {48 /* INVALID_TXN_STATE */, 53 /* TRANSACTIONAL_ID_AUTHORIZATION_FAILED */};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        q2o_bus_producer *p = begin_with_events(i ? "txn-fatal-2" : "txn-fatal-1");
        q2o_err err = commit_after_endtxn_error(p, codes[i], 1, 5000);
        cr_assert_eq(err, Q2O_KAFKA_FATAL, "EndTxn error %d: %s %s", codes[i], q2o_err_name(err), detail);
        q2o_bus_producer_free(p);
    }
}

/* A commit that runs out of time is retriable, and calling commit again
 * resumes the same commit (it is not a new transaction). */
Test(bus_txn, commit_timeout_is_retriable_and_resumes)
{
    q2o_bus_producer *p = begin_with_events("txn-resume");
    q2o_err err = commit_after_endtxn_error(p, 51 /* CONCURRENT_TRANSACTIONS */, 40, 300);
    cr_assert(err == Q2O_KAFKA_TIMEOUT || err == Q2O_KAFKA_RETRIABLE, "first commit: %s %s", q2o_err_name(err),
              detail);
    err = q2o_bus_txn_commit(p, 20000, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "resumed commit: %s %s", q2o_err_name(err), detail);
    q2o_bus_producer_free(p);
}
