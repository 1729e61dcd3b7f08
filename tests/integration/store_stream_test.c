/* Streams in the store: append, read, head, optimistic concurrency, the
 * idempotent restore path and the bounds on ids and records. Each test opens
 * its own store in a fresh directory (Criterion forks per test). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/event_store.h"
#include "store_fixture.h"
#include "testutil.h"


TestSuite(store_append, .init = store_fixture_setup, .fini = store_fixture_teardown);
TestSuite(store_append_at, .init = store_fixture_setup, .fini = store_fixture_teardown);
TestSuite(store_read, .init = store_fixture_setup, .fini = store_fixture_teardown);
TestSuite(store_limits, .init = store_fixture_setup, .fini = store_fixture_teardown);

static const uint8_t hash_a[32] = {0xaa, 1, 2, 3};
static const uint8_t hash_b[32] = {0xbb, 4, 5, 6};

/* Commit `n` events "<id>#<v>" after expected version `from`. */
static q2o_err append_text(const char *id, uint64_t from, size_t n, const uint8_t *hash)
{
    char text[8][Q2O_ID_MAX + 24];
    q2o_store_record recs[8];
    cr_assert(n <= 8);
    for (size_t i = 0; i < n; i++) {
        unsigned long long v = from + 1 + i;
        int len = snprintf(text[i], sizeof text[i], "%s#%llu", id, v);
        recs[i] = (q2o_store_record){text[i], (size_t)len};
    }
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    q2o_err err = q2o_store_append(txn, id, from, recs, n, hash);
    if (err == Q2O_OK)
        return q2o_store_commit(txn);
    q2o_store_abort(txn);
    return err;
}

typedef struct seen {
    int n;
    uint64_t versions[64];
    char text[64][48];
} seen;

static q2o_err collect(void *ctx, uint64_t version, const void *data, size_t len)
{
    seen *s = ctx;
    cr_assert_lt(s->n, 64);
    cr_assert_lt(len, sizeof s->text[0]);
    s->versions[s->n] = version;
    memcpy(s->text[s->n], data, len);
    s->text[s->n][len] = '\0';
    s->n++;
    return Q2O_OK;
}

static seen read_all(const char *id, uint64_t from, uint64_t to)
{
    seen s = {0};
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_read(txn, id, from, to, collect, &s), Q2O_OK);
    q2o_store_abort(txn);
    return s;
}

static uint64_t head_of(const char *id, uint8_t hash[32])
{
    uint64_t v = 99;
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_head(txn, id, &v, hash), Q2O_OK);
    q2o_store_abort(txn);
    return v;
}

Test(store_append, new_stream_gets_versions_from_one_and_a_head)
{
    uint8_t h[32];
    cr_assert_eq(head_of("q-1", h), 0);
    cr_assert_eq(h[0], 0);
    cr_assert_eq(append_text("q-1", 0, 3, hash_a), Q2O_OK);
    cr_assert_eq(append_text("q-1", 3, 2, hash_b), Q2O_OK);

    cr_assert_eq(head_of("q-1", h), 5);
    cr_assert_arr_eq(h, hash_b, 32);
    seen s = read_all("q-1", 0, 0);
    cr_assert_eq(s.n, 5);
    for (int i = 0; i < 5; i++) {
        char want[48];
        snprintf(want, sizeof want, "q-1#%d", i + 1);
        cr_assert_eq(s.versions[i], (uint64_t)i + 1);
        cr_assert_str_eq(s.text[i], want);
    }
}

Test(store_append, rejects_wrong_expected_version_and_writes_nothing)
{
    cr_assert_eq(append_text("q-1", 0, 2, hash_a), Q2O_OK);
    cr_assert_eq(append_text("q-1", 1, 1, hash_b), Q2O_STORE_VERSION_CONFLICT);
    cr_assert_eq(append_text("q-1", 5, 1, hash_b), Q2O_STORE_VERSION_CONFLICT);
    cr_assert_eq(append_text("q-2", 1, 1, hash_b), Q2O_STORE_VERSION_CONFLICT);

    uint8_t h[32];
    cr_assert_eq(head_of("q-1", h), 2);
    cr_assert_arr_eq(h, hash_a, 32);
    cr_assert_eq(read_all("q-1", 0, 0).n, 2);
    cr_assert_eq(head_of("q-2", h), 0);
    cr_assert_eq(read_all("q-2", 0, 0).n, 0);
}

Test(store_append, conflict_inside_a_txn_leaves_the_txn_usable)
{
    q2o_store_txn *txn = NULL;
    q2o_store_record rec = {"x", 1};
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_append(txn, "q-1", 7, &rec, 1, hash_a), Q2O_STORE_VERSION_CONFLICT);
    cr_assert_eq(q2o_store_append(txn, "q-1", 0, &rec, 1, hash_a), Q2O_OK);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
    cr_assert_eq(head_of("q-1", NULL), 1);
}

Test(store_append, streams_with_prefix_ids_stay_separate)
{
    cr_assert_eq(append_text("q", 0, 2, hash_a), Q2O_OK);
    cr_assert_eq(append_text("q1", 0, 3, hash_a), Q2O_OK);
    cr_assert_eq(append_text("q-", 0, 1, hash_a), Q2O_OK);
    cr_assert_eq(read_all("q", 0, 0).n, 2);
    cr_assert_eq(read_all("q1", 0, 0).n, 3);
    cr_assert_eq(read_all("q-", 0, 0).n, 1);
}

Test(store_read, range_is_inclusive_and_zero_means_open)
{
    cr_assert_eq(append_text("q-1", 0, 6, hash_a), Q2O_OK);
    seen s = read_all("q-1", 2, 4);
    cr_assert_eq(s.n, 3);
    cr_assert_eq(s.versions[0], 2);
    cr_assert_eq(s.versions[2], 4);
    cr_assert_eq(read_all("q-1", 5, 0).n, 2);
    cr_assert_eq(read_all("q-1", 7, 0).n, 0);
    cr_assert_eq(read_all("q-1", 4, 3).n, 0);
    cr_assert_eq(read_all("absent", 0, 0).n, 0);
}

static q2o_err stop_at_two(void *ctx, uint64_t version, const void *data, size_t len)
{
    (void)data, (void)len;
    *(int *)ctx += 1;
    return version == 2 ? Q2O_QUOTE_NOT_FOUND : Q2O_OK;
}

Test(store_read, callback_error_stops_and_is_returned)
{
    cr_assert_eq(append_text("q-1", 0, 5, hash_a), Q2O_OK);
    int calls = 0;
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_read(txn, "q-1", 0, 0, stop_at_two, &calls), Q2O_QUOTE_NOT_FOUND);
    q2o_store_abort(txn);
    cr_assert_eq(calls, 2);
}

typedef struct heads_seen {
    int n;
    char ids[8][Q2O_ID_MAX];
    uint64_t versions[8];
} heads_seen;

static q2o_err collect_head(void *ctx, const char *id, uint64_t version, const uint8_t *hash)
{
    heads_seen *h = ctx;
    cr_assert_lt(h->n, 8);
    cr_assert_eq(hash[0], 0xaa);
    strcpy(h->ids[h->n], id);
    h->versions[h->n++] = version;
    return Q2O_OK;
}

Test(store_read, streams_lists_every_head_in_id_order)
{
    cr_assert_eq(append_text("q-b", 0, 2, hash_a), Q2O_OK);
    cr_assert_eq(append_text("q-a", 0, 1, hash_a), Q2O_OK);
    heads_seen h = {0};
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_streams(txn, collect_head, &h), Q2O_OK);
    q2o_store_abort(txn);
    cr_assert_eq(h.n, 2);
    cr_assert_str_eq(h.ids[0], "q-a");
    cr_assert_eq(h.versions[0], 1);
    cr_assert_str_eq(h.ids[1], "q-b");
    cr_assert_eq(h.versions[1], 2);
}

static q2o_err apply_at(const char *id, uint64_t v, int *applied)
{
    char text[32];
    int n = snprintf(text, sizeof text, "%s#%llu", id, (unsigned long long)v);
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    q2o_err err = q2o_store_append_at(txn, id, v, text, (size_t)n, hash_b, applied);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
    return err;
}

Test(store_append_at, applies_next_version_and_skips_redelivered_ones)
{
    int applied = -1;
    cr_assert_eq(apply_at("q-1", 1, &applied), Q2O_OK);
    cr_assert_eq(applied, 1);
    cr_assert_eq(apply_at("q-1", 2, &applied), Q2O_OK);
    cr_assert_eq(applied, 1);
    cr_assert_eq(apply_at("q-1", 1, &applied), Q2O_OK);
    cr_assert_eq(applied, 0);
    cr_assert_eq(apply_at("q-1", 2, &applied), Q2O_OK);
    cr_assert_eq(applied, 0);

    seen s = read_all("q-1", 0, 0);
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.text[1], "q-1#2");
    cr_assert_eq(head_of("q-1", NULL), 2);
}

Test(store_append_at, refuses_a_gap_and_writes_nothing)
{
    int applied = -1;
    cr_assert_eq(apply_at("q-1", 2, &applied), Q2O_STORE_VERSION_CONFLICT);
    cr_assert_eq(applied, 0);
    cr_assert_eq(head_of("q-1", NULL), 0);
    cr_assert_eq(apply_at("q-1", 1, NULL), Q2O_OK);
    cr_assert_eq(apply_at("q-1", 3, &applied), Q2O_STORE_VERSION_CONFLICT);
    cr_assert_eq(head_of("q-1", NULL), 1);
    cr_assert_eq(read_all("q-1", 0, 0).n, 1);
    cr_assert_eq(apply_at("q-1", 0, &applied), Q2O_INVALID_ARGUMENT);
}

Test(store_append_at, agrees_with_append_on_the_same_stream)
{
    cr_assert_eq(append_text("q-1", 0, 3, hash_a), Q2O_OK);
    int applied = 0;
    cr_assert_eq(apply_at("q-1", 4, &applied), Q2O_OK);
    cr_assert_eq(applied, 1);
    cr_assert_eq(append_text("q-1", 4, 1, hash_a), Q2O_OK);
    cr_assert_eq(read_all("q-1", 0, 0).n, 5);
}

Test(store_limits, stream_id_too_long_or_empty_is_rejected)
{
    char id[Q2O_ID_MAX + 1];
    memset(id, 'x', Q2O_ID_MAX);
    id[Q2O_ID_MAX] = '\0';
    cr_assert_eq(append_text(id, 0, 1, hash_a), Q2O_INVALID_ARGUMENT);
    id[Q2O_ID_MAX - 1] = '\0'; /* 63 bytes: the longest allowed */
    cr_assert_eq(append_text(id, 0, 1, hash_a), Q2O_OK);
    cr_assert_eq(append_text("", 0, 1, hash_a), Q2O_INVALID_ARGUMENT);

    q2o_store_txn *txn = NULL;
    uint64_t v;
    id[Q2O_ID_MAX - 1] = 'x';
    cr_assert_eq(q2o_store_begin_read(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_head(txn, id, &v, NULL), Q2O_INVALID_ARGUMENT);
    q2o_store_abort(txn);
}

Test(store_limits, record_too_large_or_batch_too_big_is_rejected)
{
    size_t big = (size_t)Q2O_MAX_MESSAGE_BYTES + 1;
    char *buf = calloc(1, big);
    cr_assert_not_null(buf);
    q2o_store_record recs[2] = {{"ok", 2}, {buf, big}};
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_append(txn, "q-1", 0, recs, 2, hash_a), Q2O_TOO_LARGE);
    cr_assert_eq(q2o_store_append_at(txn, "q-1", 1, buf, big, hash_a, NULL), Q2O_TOO_LARGE);
    cr_assert_eq(q2o_store_append(txn, "q-1", 0, recs, 0, hash_a), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_store_append(txn, "q-1", 0, recs,
                                  Q2O_STORE_MAX_RECORDS_PER_APPEND + 1, hash_a),
                 Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
    free(buf);
    cr_assert_eq(head_of("q-1", NULL), 0);
}

Test(store_limits, max_sized_record_round_trips)
{
    size_t len = Q2O_MAX_MESSAGE_BYTES;
    unsigned char *buf = malloc(len);
    cr_assert_not_null(buf);
    for (size_t i = 0; i < len; i++)
        buf[i] = (unsigned char)(i * 13u);
    q2o_store_record rec = {buf, len};
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_begin_write(g_store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_append(txn, "q-big", 0, &rec, 1, hash_a), Q2O_OK);
    cr_assert_eq(q2o_store_commit(txn), Q2O_OK);
    cr_assert_eq(head_of("q-big", NULL), 1);
    free(buf);
}
