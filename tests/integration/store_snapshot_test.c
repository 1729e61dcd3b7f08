/* Snapshots: only the latest is kept, loading uses it plus the later events
 * only, and the cadence helper fires once per Q2O_SNAPSHOT_EVERY events. */
#include <criterion/criterion.h>
#include <string.h>

#include "store/event_store.h"
#include "store_fixture.h"
#include "testutil.h"


TestSuite(store_snapshot, .init = store_fixture_setup, .fini = store_fixture_teardown);
TestSuite(store_load, .init = store_fixture_setup, .fini = store_fixture_teardown);

static const uint8_t hash0[32];

/* Append n one-byte events (byte = version) to id. */
static void append_n(q2o_store_txn *txn, const char *id, uint64_t from, size_t n)
{
    unsigned char bytes[16];
    q2o_store_record recs[16];
    cr_assert(n <= 16);
    for (size_t i = 0; i < n; i++) {
        bytes[i] = (unsigned char)(from + 1 + i);
        recs[i] = (q2o_store_record){&bytes[i], 1};
    }
    cr_assert_eq(q2o_store_append(txn, id, from, recs, n, hash0), Q2O_OK);
}

static void put_snapshot(const char *id, uint64_t version, const char *text, q2o_err want)
{
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_snapshot_put(txn, id, version, text, strlen(text)), want);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
}

static void seed(const char *id, size_t events)
{
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    for (size_t done = 0; done < events; done += 10)
        append_n(txn, id, done, events - done < 10 ? events - done : 10);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
}

Test(store_snapshot, absent_snapshot_is_not_found)
{
    seed("q-1", 3);
    q2o_store_txn *txn = NULL;
    uint64_t v;
    const void *data;
    size_t len;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_snapshot_get(txn, "q-1", &v, &data, &len), Q2O_STORE_NOT_FOUND);
    q2o_store_abort(txn);
}

Test(store_snapshot, keeps_only_the_latest)
{
    seed("q-1", 20);
    put_snapshot("q-1", 5, "state@5", Q2O_OK);
    put_snapshot("q-1", 12, "state@12", Q2O_OK);
    put_snapshot("q-1", 8, "state@8", Q2O_OK); /* older: ignored */

    q2o_store_txn *txn = NULL;
    uint64_t v = 0;
    const void *data = NULL;
    size_t len = 0;
    q2o_store_stats st;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_snapshot_get(txn, "q-1", &v, &data, &len), Q2O_OK);
    cr_assert_eq(v, 12);
    cr_assert_eq(len, strlen("state@12"));
    cr_assert_eq(memcmp(data, "state@12", len), 0);
    q2o_store_abort(txn);
    cr_assert_eq(q2o_store_stat(g_store, &st), Q2O_OK);
    cr_assert_eq(st.snapshots, 1);
}

Test(store_snapshot, refuses_a_version_past_the_head)
{
    seed("q-1", 3);
    put_snapshot("q-1", 4, "future", Q2O_STORE_VERSION_CONFLICT);
    put_snapshot("q-1", 0, "zero", Q2O_INVALID_ARGUMENT);
    put_snapshot("q-2", 1, "no stream", Q2O_STORE_VERSION_CONFLICT);
}

Test(store_snapshot, cadence_fires_when_an_append_crosses_a_multiple)
{
    const uint64_t n = Q2O_SNAPSHOT_EVERY;
    cr_assert_not(q2o_store_should_snapshot(0, 1));
    cr_assert_not(q2o_store_should_snapshot(n - 2, n - 1));
    cr_assert(q2o_store_should_snapshot(n - 1, n));
    cr_assert(q2o_store_should_snapshot(n - 3, n + 2)); /* a batch stepping over */
    cr_assert_not(q2o_store_should_snapshot(n, n + 1));
    cr_assert(q2o_store_should_snapshot(2 * n - 1, 2 * n));
    cr_assert_not(q2o_store_should_snapshot(5, 5));

    int fired = 0;
    for (uint64_t v = 0; v < 10 * n; v++)
        fired += q2o_store_should_snapshot(v, v + 1);
    cr_assert_eq(fired, 10);
}

typedef struct loaded {
    int snapshots;
    uint64_t snap_version;
    char snap[32];
    int events;
    uint64_t first, last;
} loaded;

static q2o_err on_snapshot(void *ctx, uint64_t version, const void *data, size_t len)
{
    loaded *l = ctx;
    cr_assert_lt(len, sizeof l->snap);
    l->snapshots++;
    l->snap_version = version;
    memcpy(l->snap, data, len);
    l->snap[len] = '\0';
    return Q2O_OK;
}

static q2o_err on_event(void *ctx, uint64_t version, const void *data, size_t len)
{
    loaded *l = ctx;
    cr_assert_eq(len, 1);
    cr_assert_eq(*(const unsigned char *)data, (unsigned char)version);
    if (!l->events++)
        l->first = version;
    cr_assert(l->events == 1 || version == l->last + 1);
    l->last = version;
    return Q2O_OK;
}

static q2o_err load(const char *id, loaded *l, int with_snapshot)
{
    q2o_store_txn *txn = NULL;
    memset(l, 0, sizeof *l);
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    q2o_err err = q2o_store_load(txn, id, with_snapshot ? on_snapshot : NULL, on_event, l);
    q2o_store_abort(txn);
    return err;
}

Test(store_load, uses_the_latest_snapshot_then_later_events_only)
{
    seed("q-1", 100);
    put_snapshot("q-1", 64, "state@64", Q2O_OK);
    loaded l;
    cr_assert_eq(load("q-1", &l, 1), Q2O_OK);
    cr_assert_eq(l.snapshots, 1);
    cr_assert_eq(l.snap_version, 64);
    cr_assert_str_eq(l.snap, "state@64");
    cr_assert_eq(l.events, 36);
    cr_assert_eq(l.first, 65);
    cr_assert_eq(l.last, 100);
}

Test(store_load, snapshot_at_head_means_no_events)
{
    seed("q-1", 7);
    put_snapshot("q-1", 7, "state@7", Q2O_OK);
    loaded l;
    cr_assert_eq(load("q-1", &l, 1), Q2O_OK);
    cr_assert_eq(l.snapshots, 1);
    cr_assert_eq(l.events, 0);
}

Test(store_load, without_snapshot_replays_every_event)
{
    seed("q-1", 12);
    loaded l;
    cr_assert_eq(load("q-1", &l, 1), Q2O_OK);
    cr_assert_eq(l.snapshots, 0);
    cr_assert_eq(l.events, 12);
    cr_assert_eq(l.first, 1);

    put_snapshot("q-1", 10, "state@10", Q2O_OK);
    cr_assert_eq(load("q-1", &l, 0), Q2O_OK); /* NULL snapshot_fn: full replay */
    cr_assert_eq(l.snapshots, 0);
    cr_assert_eq(l.events, 12);
}

Test(store_load, absent_stream_is_not_found)
{
    loaded l;
    cr_assert_eq(load("nobody", &l, 1), Q2O_STORE_NOT_FOUND);
    cr_assert_eq(l.snapshots + l.events, 0);
}
