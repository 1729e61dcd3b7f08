/* The store's environment: open options, reopening, sync modes, the unit of
 * work with map growth, and the operational calls (stats, reader check). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/event_store.h"
#include "testutil.h"

static char g_dir[256];

static void setup(void)
{
    q2o_test_tmpdir("store-env", g_dir, sizeof g_dir);
}

static void teardown(void)
{
    q2o_test_rmtree(g_dir);
}

TestSuite(store_open, .init = setup, .fini = teardown);
TestSuite(store_update, .init = setup, .fini = teardown);
TestSuite(store_map, .init = setup, .fini = teardown);
TestSuite(store_ops, .init = setup, .fini = teardown);

static const uint8_t hash0[32];

static q2o_store *open_with(q2o_store_sync_mode sync, uint64_t initial, uint64_t max)
{
    q2o_store_options opt = q2o_store_options_default();
    opt.dir = g_dir;
    opt.sync = sync;
    if (initial)
        opt.initial_map_bytes = initial;
    if (max)
        opt.max_map_bytes = max;
    q2o_store *s = NULL;
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_OK);
    return s;
}

/* Payload of event v of stream "big": len bytes derived from v. */
static void fill(unsigned char *buf, size_t len, uint64_t v)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (unsigned char)(v * 131u + i * 7u);
}

typedef struct bulk {
    uint64_t from;   /* expected version */
    size_t n;        /* events to append */
    size_t len;      /* bytes each */
    unsigned runs;   /* how many times fn ran */
    int swallow;     /* ignore append errors (a careless fn) */
    q2o_err fail_with;
} bulk;

static q2o_err write_bulk(q2o_store_txn *txn, void *vctx)
{
    bulk *b = vctx;
    b->runs++;
    unsigned char *buf = malloc(b->len);
    cr_assert_not_null(buf);
    q2o_err err = Q2O_OK;
    for (size_t i = 0; i < b->n && err == Q2O_OK; i++) {
        fill(buf, b->len, b->from + 1 + i);
        q2o_store_record rec = {buf, b->len};
        err = q2o_store_append(txn, "big", b->from + i, &rec, 1, hash0);
        if (b->swallow)
            err = Q2O_OK;
    }
    free(buf);
    return err != Q2O_OK ? err : b->fail_with;
}

static q2o_err check_event(void *ctx, uint64_t version, const void *data, size_t len)
{
    size_t want = *(size_t *)ctx;
    unsigned char *buf = malloc(want);
    cr_assert_not_null(buf);
    fill(buf, want, version);
    cr_assert_eq(len, want);
    cr_assert_eq(memcmp(data, buf, len), 0, "event %llu differs", (unsigned long long)version);
    free(buf);
    return Q2O_OK;
}

static uint64_t verify_big(q2o_store *s, size_t len)
{
    q2o_store_txn *txn = NULL;
    uint64_t head = 0;
    cr_assert_eq(q2o_store_begin_read(s, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_head(txn, "big", &head, NULL), Q2O_OK);
    cr_assert_eq(q2o_store_read(txn, "big", 0, 0, check_event, &len), Q2O_OK);
    q2o_store_abort(txn);
    return head;
}

Test(store_open, creates_missing_directories)
{
    char nested[300];
    snprintf(nested, sizeof nested, "%s/a/b/store", g_dir);
    q2o_store_options opt = q2o_store_options_default();
    opt.dir = nested;
    q2o_store *s = NULL;
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_OK);
    struct stat st;
    cr_assert_eq(stat(nested, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    q2o_store_close(s);
    q2o_store_close(NULL);
}

Test(store_open, rejects_bad_options)
{
    q2o_store_options opt = q2o_store_options_default();
    q2o_store *s = NULL;
    opt.dir = "";
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_INVALID_ARGUMENT);
    opt.dir = g_dir;
    opt.initial_map_bytes = Q2O_STORE_MIN_MAP_BYTES - 1;
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_INVALID_ARGUMENT);
    opt.initial_map_bytes = 1u << 30;
    opt.max_map_bytes = 1u << 20;
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_INVALID_ARGUMENT);
    cr_assert_null(s);
}

Test(store_open, refuses_a_file_that_is_not_a_store)
{
    char path[300];
    snprintf(path, sizeof path, "%s/data.mdb", g_dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    for (int i = 0; i < 16384; i++)
        fputc('x', f);
    fclose(f);
    q2o_store_options opt = q2o_store_options_default();
    opt.dir = g_dir;
    q2o_store *s = NULL;
    cr_assert_eq(q2o_store_open(&opt, &s), Q2O_STORE_CORRUPT);
    cr_assert_null(s);
}

Test(store_open, reopen_after_close_keeps_data)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_FULL, 0, 0);
    bulk b = {.from = 0, .n = 5, .len = 100};
    cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_OK);
    q2o_store_close(s);

    s = open_with(Q2O_STORE_SYNC_FULL, 0, 0);
    cr_assert_eq(verify_big(s, 100), 5);
    bulk more = {.from = 5, .n = 2, .len = 100};
    cr_assert_eq(q2o_store_update(s, write_bulk, &more), Q2O_OK);
    cr_assert_eq(verify_big(s, 100), 7);
    q2o_store_close(s);
}

Test(store_open, sync_modes_none_and_nometa_open_and_work)
{
    q2o_store_sync_mode modes[] = {Q2O_STORE_SYNC_NONE, Q2O_STORE_SYNC_NOMETA, Q2O_STORE_SYNC_FULL};
    for (size_t m = 0; m < 3; m++) {
        q2o_store *s = open_with(modes[m], 0, 0);
        bulk b = {.from = m * 4, .n = 4, .len = 300};
        cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_OK);
        cr_assert_eq(q2o_store_sync(s), Q2O_OK);
        cr_assert_eq(verify_big(s, 300), m * 4 + 4);
        q2o_store_close(s);
    }
    q2o_store *s = open_with(Q2O_STORE_SYNC_FULL, 0, 0);
    cr_assert_eq(verify_big(s, 300), 12);
    q2o_store_close(s);
}

Test(store_update, fn_error_aborts_and_is_returned)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, 0, 0);
    bulk b = {.from = 0, .n = 3, .len = 10, .fail_with = Q2O_QUOTE_EXPIRED};
    cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_QUOTE_EXPIRED);
    cr_assert_eq(b.runs, 1);
    cr_assert_eq(verify_big(s, 10), 0);
    bulk conflict = {.from = 4, .n = 1, .len = 10};
    cr_assert_eq(q2o_store_update(s, write_bulk, &conflict), Q2O_STORE_VERSION_CONFLICT);
    q2o_store_close(s);
}

Test(store_map, grows_from_a_tiny_map_and_all_data_reads_back)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, Q2O_STORE_MIN_MAP_BYTES, 0);
    q2o_store_stats before, after;
    cr_assert_eq(q2o_store_stat(s, &before), Q2O_OK);
    const size_t len = 40 * 1024;
    unsigned reruns = 0;
    for (uint64_t v = 0; v < 200; v += 25) { /* 8 MB in 8 units of work */
        bulk b = {.from = v, .n = 25, .len = len};
        cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_OK);
        reruns += b.runs - 1;
    }
    cr_assert_eq(q2o_store_stat(s, &after), Q2O_OK);
    cr_assert_gt(reruns, 0, "no unit of work was redone after MAP_FULL");
    cr_assert_gt(after.map_bytes, before.map_bytes);
    cr_assert_geq(after.map_bytes, 8u * 1024 * 1024);
    cr_assert_gt(after.used_bytes, 8u * 1024 * 1024);
    cr_assert_eq(after.events, 200);
    cr_assert_eq(verify_big(s, len), 200);
    q2o_store_close(s);

    s = open_with(Q2O_STORE_SYNC_FULL, Q2O_STORE_MIN_MAP_BYTES, 0);
    cr_assert_eq(verify_big(s, len), 200); /* reopened with a tiny setting */
    q2o_store_close(s);
}

Test(store_map, one_big_unit_of_work_grows_repeatedly)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, Q2O_STORE_MIN_MAP_BYTES, 0);
    bulk b = {.from = 0, .n = 3, .len = Q2O_MAX_MESSAGE_BYTES}; /* 12 MiB at once */
    cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_OK);
    cr_assert_gt(b.runs, 2);
    cr_assert_eq(verify_big(s, Q2O_MAX_MESSAGE_BYTES), 3);
    q2o_store_close(s);
}

Test(store_map, grows_even_when_fn_swallows_map_full)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, Q2O_STORE_MIN_MAP_BYTES, 0);
    bulk b = {.from = 0, .n = 4, .len = 256 * 1024, .swallow = 1};
    cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_OK);
    cr_assert_gt(b.runs, 1);
    cr_assert_eq(verify_big(s, 256 * 1024), 4);
    q2o_store_close(s);
}

Test(store_map, hitting_max_map_bytes_is_store_full_and_writes_nothing)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, Q2O_STORE_MIN_MAP_BYTES, 512 * 1024);
    bulk small = {.from = 0, .n = 2, .len = 1000};
    cr_assert_eq(q2o_store_update(s, write_bulk, &small), Q2O_OK);
    bulk b = {.from = 2, .n = 1, .len = 1024 * 1024};
    cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_STORE_FULL);
    q2o_store_stats st;
    cr_assert_eq(q2o_store_stat(s, &st), Q2O_OK);
    cr_assert_leq(st.map_bytes, 512 * 1024);
    cr_assert_eq(verify_big(s, 1000), 2);
    bulk after = {.from = 2, .n = 1, .len = 1000};
    cr_assert_eq(q2o_store_update(s, write_bulk, &after), Q2O_OK); /* still usable */
    q2o_store_close(s);
}

Test(store_ops, stats_count_entries_and_reader_check_runs)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, 0, 0);
    bulk b = {.from = 0, .n = 6, .len = 10};
    cr_assert_eq(q2o_store_update(s, write_bulk, &b), Q2O_OK);
    q2o_store_stats st;
    cr_assert_eq(q2o_store_stat(s, &st), Q2O_OK);
    cr_assert_eq(st.events, 6);
    cr_assert_eq(st.heads, 1);
    cr_assert_eq(st.snapshots + st.commands + st.offsets + st.expiry, 0);
    cr_assert_eq(st.map_bytes, 64u * 1024 * 1024);
    cr_assert_eq(st.max_map_bytes, 64ull * 1024 * 1024 * 1024);
    cr_assert_gt(st.page_size, 0);
    cr_assert_gt(st.used_bytes, 0);
    int cleared = -1;
    cr_assert_eq(q2o_store_reader_check(s, &cleared), Q2O_OK);
    cr_assert_eq(cleared, 0);
    q2o_store_close(s);
}

Test(store_ops, second_txn_in_one_thread_is_refused)
{
    q2o_store *s = open_with(Q2O_STORE_SYNC_NONE, 0, 0);
    q2o_store_txn *a = NULL, *b = NULL;
    cr_assert_eq(q2o_store_begin_read(s, &a), Q2O_OK);
    cr_assert_eq(q2o_store_begin_read(s, &b), Q2O_INVALID_ARGUMENT);
    cr_assert_null(b);
    cr_assert_eq(q2o_store_commit(a), Q2O_OK); /* ending a read txn by commit */
    cr_assert_eq(q2o_store_begin_read(s, &b), Q2O_OK);
    q2o_store_abort(b);
    q2o_store_abort(NULL);
    q2o_store_close(s);
}
