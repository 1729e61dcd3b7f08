/* Side tables of the store: command dedupe, restored offsets written with
 * the events they cover, and the expiry index the sweeper scans. */
#include <criterion/criterion.h>
#include <string.h>

#include "store/event_store.h"
#include "store_fixture.h"
#include "testutil.h"


TestSuite(store_command, .init = store_fixture_setup, .fini = store_fixture_teardown);
TestSuite(store_offset, .init = store_fixture_setup, .fini = store_fixture_teardown);
TestSuite(store_expiry, .init = store_fixture_setup, .fini = store_fixture_teardown);

static const uint8_t hash0[32];

static q2o_store_txn *begin_write(void)
{
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    return txn;
}

static q2o_store_txn *begin_read(void)
{
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    return txn;
}

Test(store_command, result_is_found_after_commit_and_absent_otherwise)
{
    q2o_store_txn *txn = begin_write();
    cr_assert_eq(q2o_store_command_put(txn, "cmd-1", "accepted:v3", 11), Q2O_OK);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);

    const void *res = NULL;
    size_t len = 0;
    txn = begin_read();
    cr_assert_eq(q2o_store_command_get(txn, "cmd-1", &res, &len), Q2O_OK);
    cr_assert_eq(len, 11);
    cr_assert_eq(memcmp(res, "accepted:v3", 11), 0);
    cr_assert_eq(q2o_store_command_get(txn, "cmd-2", &res, &len), Q2O_STORE_NOT_FOUND);
    q2o_store_abort(txn);
}

Test(store_command, aborted_put_is_not_remembered_and_bounds_hold)
{
    char big_id[Q2O_ID_MAX + 1];
    memset(big_id, 'c', Q2O_ID_MAX);
    big_id[Q2O_ID_MAX] = '\0';
    q2o_store_txn *txn = begin_write();
    cr_assert_eq(q2o_store_command_put(txn, "cmd-1", "r", 1), Q2O_OK);
    cr_assert_eq(q2o_store_command_put(txn, big_id, "r", 1), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_store_command_put(txn, "cmd-x", "r", (size_t)Q2O_MAX_MESSAGE_BYTES + 1),
                 Q2O_TOO_LARGE);
    q2o_store_abort(txn);

    const void *res;
    size_t len;
    txn = begin_read();
    cr_assert_eq(q2o_store_command_get(txn, "cmd-1", &res, &len), Q2O_STORE_NOT_FOUND);
    q2o_store_abort(txn);
}

/* One restore step: an event and the offset after it, in one txn. */
static q2o_store_txn *restore_step(uint64_t version, int64_t next_offset)
{
    q2o_store_txn *txn = begin_write();
    int applied = 0;
    cr_assert_eq(q2o_store_append_at(txn, "q-1", version, "e", 1, hash0, &applied), Q2O_OK);
    cr_assert_eq(applied, 1);
    cr_assert_eq(q2o_store_offset_put(txn, "q2o.quote.events", 3, next_offset), Q2O_OK);
    return txn;
}

static void expect_state(uint64_t version, int64_t offset)
{
    q2o_store_txn *txn = begin_read();
    uint64_t v = 0;
    int64_t off = -1;
    cr_assert_eq(q2o_store_head(txn, "q-1", &v, NULL), Q2O_OK);
    q2o_err err = q2o_store_offset_get(txn, "q2o.quote.events", 3, &off);
    q2o_store_abort(txn);
    cr_assert_eq(v, version);
    if (offset < 0) {
        cr_assert_eq(err, Q2O_STORE_NOT_FOUND);
    } else {
        cr_assert_eq(err, Q2O_OK);
        cr_assert_eq(off, offset);
    }
}

Test(store_offset, is_visible_exactly_with_the_events_it_covers)
{
    expect_state(0, -1);
    cr_assert_eq(q2o_store_commit(restore_step(1, 101)), Q2O_OK);
    expect_state(1, 101);

    q2o_store_abort(restore_step(2, 102)); /* aborted: neither is visible */
    expect_state(1, 101);

    cr_assert_eq(q2o_store_commit(restore_step(2, 102)), Q2O_OK);
    expect_state(2, 102);
}

Test(store_offset, partitions_and_topics_are_separate_and_validated)
{
    q2o_store_txn *txn = begin_write();
    cr_assert_eq(q2o_store_offset_put(txn, "t", 0, 5), Q2O_OK);
    cr_assert_eq(q2o_store_offset_put(txn, "t", 1, 7), Q2O_OK);
    cr_assert_eq(q2o_store_offset_put(txn, "t2", 0, 9), Q2O_OK);
    cr_assert_eq(q2o_store_offset_put(txn, "t", -1, 9), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_store_offset_put(txn, "t", 0, -1), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_store_offset_put(txn, "", 0, 1), Q2O_INVALID_ARGUMENT);
    char topic[Q2O_STORE_TOPIC_MAX + 2];
    memset(topic, 't', sizeof topic - 1);
    topic[sizeof topic - 1] = '\0';
    cr_assert_eq(q2o_store_offset_put(txn, topic, 0, 1), Q2O_INVALID_ARGUMENT);
    topic[Q2O_STORE_TOPIC_MAX] = '\0';
    cr_assert_eq(q2o_store_offset_put(txn, topic, 0, 1), Q2O_OK);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);

    int64_t off = 0;
    txn = begin_read();
    cr_assert_eq(q2o_store_offset_get(txn, "t", 0, &off), Q2O_OK);
    cr_assert_eq(off, 5);
    cr_assert_eq(q2o_store_offset_get(txn, "t", 1, &off), Q2O_OK);
    cr_assert_eq(off, 7);
    cr_assert_eq(q2o_store_offset_get(txn, "t2", 0, &off), Q2O_OK);
    cr_assert_eq(off, 9);
    cr_assert_eq(q2o_store_offset_get(txn, "t", 2, &off), Q2O_STORE_NOT_FOUND);
    q2o_store_abort(txn);
}

typedef struct expiry_seen {
    int n;
    q2o_time_ms t[16];
    char id[16][Q2O_ID_MAX];
    int delete_each; /* callback deletes the entry it was given */
    q2o_store_txn *txn;
} expiry_seen;

static q2o_err collect(void *ctx, q2o_time_ms t, const char *id)
{
    expiry_seen *e = ctx;
    cr_assert_lt(e->n, 16);
    e->t[e->n] = t;
    strcpy(e->id[e->n++], id);
    if (e->delete_each)
        return q2o_store_expiry_del(e->txn, t, id);
    return Q2O_OK;
}

static void seed_expiry(void)
{
    static const struct { q2o_time_ms t; const char *id; } rows[] = {
        {1700000000000LL, "q-late"}, {-5000, "q-neg-big"}, {-1, "q-neg"},
        {0, "q-zero"},               {42, "q-b"},          {42, "q-a"},
        {INT64_MIN, "q-min"},        {INT64_MAX, "q-max"},
    };
    q2o_store_txn *txn = begin_write();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_assert_eq(q2o_store_expiry_put(txn, rows[i].t, rows[i].id), Q2O_OK);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
}

static expiry_seen scan(q2o_time_ms until, size_t max)
{
    expiry_seen e = {0};
    q2o_store_txn *txn = begin_read();
    cr_assert_eq(q2o_store_expiry_scan(txn, until, collect, &e, max), Q2O_OK);
    q2o_store_abort(txn);
    return e;
}

Test(store_expiry, scan_visits_due_entries_in_time_order_negatives_first)
{
    seed_expiry();
    expiry_seen e = scan(100, 100);
    static const char *want[] = {"q-min", "q-neg-big", "q-neg", "q-zero", "q-a", "q-b"};
    cr_assert_eq(e.n, 6);
    for (int i = 0; i < 6; i++)
        cr_assert_str_eq(e.id[i], want[i]);
    cr_assert_eq(e.t[0], INT64_MIN);
    cr_assert_eq(e.t[1], -5000);
    cr_assert_eq(e.t[5], 42);
    cr_assert_eq(scan(INT64_MAX, 100).n, 8);
    cr_assert_eq(scan(-2, 100).n, 2);
}

Test(store_expiry, scan_stops_at_max)
{
    seed_expiry();
    expiry_seen e = scan(INT64_MAX, 3);
    cr_assert_eq(e.n, 3);
    cr_assert_str_eq(e.id[2], "q-neg");
    cr_assert_eq(scan(INT64_MAX, 0).n, 0);
}

Test(store_expiry, delete_removes_one_entry_and_absent_is_ok)
{
    seed_expiry();
    q2o_store_txn *txn = begin_write();
    cr_assert_eq(q2o_store_expiry_del(txn, 42, "q-a"), Q2O_OK);
    cr_assert_eq(q2o_store_expiry_del(txn, 43, "q-b"), Q2O_OK); /* wrong time: absent */
    cr_assert_eq(q2o_store_expiry_del(txn, 1, "nobody"), Q2O_OK);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
    expiry_seen e = scan(42, 100);
    cr_assert_eq(e.n, 5);
    cr_assert_str_eq(e.id[4], "q-b");
}

Test(store_expiry, callback_may_delete_what_it_visits)
{
    seed_expiry();
    expiry_seen e = {.delete_each = 1};
    e.txn = begin_write();
    cr_assert_eq(q2o_store_expiry_scan(e.txn, 100, collect, &e, 100), Q2O_OK);
    cr_assert_eq(q2o_store_commit(e.txn), Q2O_OK);
    cr_assert_eq(e.n, 6);
    cr_assert_str_eq(e.id[5], "q-b");
    expiry_seen rest = scan(INT64_MAX, 100);
    cr_assert_eq(rest.n, 2);
    cr_assert_str_eq(rest.id[0], "q-late");
    cr_assert_str_eq(rest.id[1], "q-max");
}
