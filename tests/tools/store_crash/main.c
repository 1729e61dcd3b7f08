/*
 * q2o_store_crash — the child process of the store crash test.
 *
 *   q2o_store_crash DIR raise BATCHES KILL_AT [full|nometa|none]
 *       commit BATCHES more batches (continuing after the offset already in
 *       DIR), then start one big write transaction and SIGKILL itself after
 *       KILL_AT rounds of writes in it.
 *   q2o_store_crash DIR loop BATCHES 0 [full|nometa|none]
 *       commit up to BATCHES more batches, writing "committed" to stdout
 *       after the first; the test SIGKILLs it at some point after that,
 *       often in the middle of a commit or a map growth.
 *
 * The store starts with the smallest map, so map growth (abort, resize,
 * redo) happens during the run. What a batch writes is in crash_pattern.h.
 * Exit codes: 0 done (loop mode ran out of batches), 2 usage, 3 store error,
 * 4 the big transaction ended without being killed (a bug).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash_pattern.h"
#include "store/event_store.h"

typedef struct batch_ctx {
    uint64_t batch; /* 1-based batch number being written */
    unsigned kill_at;
} batch_ctx;

static uint8_t g_bufs[CRASH_EVENTS_PER_BATCH][CRASH_MAX_EVENT_BYTES];

static q2o_err append_stream(q2o_store_txn *txn, int s, uint64_t head, size_t n)
{
    char id[Q2O_ID_MAX];
    q2o_store_record recs[CRASH_EVENTS_PER_BATCH];
    uint8_t hash[Q2O_SHA256_LEN];
    crash_stream_id(s, id, sizeof id);
    for (size_t i = 0; i < n; i++) {
        recs[i].len = crash_event_len(head + 1 + i);
        crash_event_fill(s, head + 1 + i, g_bufs[i], recs[i].len);
        recs[i].data = g_bufs[i];
    }
    crash_head_hash(s, head + n, hash);
    return q2o_store_append(txn, id, head, recs, n, hash);
}

static q2o_err side_tables(q2o_store_txn *txn, uint64_t batch)
{
    char cmd[Q2O_ID_MAX], result[32];
    snprintf(cmd, sizeof cmd, "crash-cmd-%llu", (unsigned long long)batch);
    int n = snprintf(result, sizeof result, "batch-%llu", (unsigned long long)batch);
    q2o_err err = q2o_store_command_put(txn, cmd, result, (size_t)n);
    if (err == Q2O_OK)
        err = q2o_store_offset_put(txn, CRASH_TOPIC, 0, (int64_t)batch);
    return err;
}

/* One committed batch; re-runnable (all state is in txn). */
static q2o_err write_batch(q2o_store_txn *txn, void *vctx)
{
    const batch_ctx *ctx = vctx;
    uint64_t head = (ctx->batch - 1) * CRASH_EVENTS_PER_BATCH;
    for (int s = 0; s < CRASH_STREAMS; s++) {
        q2o_err err = append_stream(txn, s, head, CRASH_EVENTS_PER_BATCH);
        if (err != Q2O_OK)
            return err;
    }
    return side_tables(txn, ctx->batch);
}

/* The transaction that never commits: side tables first, then rounds of one
 * event per stream plus a big record, dying after kill_at rounds. */
static q2o_err write_doomed(q2o_store_txn *txn, void *vctx)
{
    const batch_ctx *ctx = vctx;
    static uint8_t big[CRASH_BIG_RECORD_BYTES];
    uint8_t hash[Q2O_SHA256_LEN] = {0};
    uint64_t head = (ctx->batch - 1) * CRASH_EVENTS_PER_BATCH;
    q2o_err err = side_tables(txn, ctx->batch);
    for (unsigned r = 0; err == Q2O_OK && r < ctx->kill_at; r++) {
        for (int s = 0; err == Q2O_OK && s < CRASH_STREAMS; s++)
            err = append_stream(txn, s, head + r, 1);
        memset(big, (int)r, sizeof big);
        q2o_store_record rec = {big, sizeof big};
        if (err == Q2O_OK)
            err = q2o_store_append(txn, CRASH_BIG_STREAM, r, &rec, 1, hash);
        if (err == Q2O_OK && r + 1 == ctx->kill_at)
            raise(SIGKILL);
    }
    return err;
}

static q2o_err committed_batches(q2o_store *store, uint64_t *out)
{
    q2o_store_txn *txn = NULL;
    int64_t off = 0;
    q2o_err err = q2o_store_begin_read(store, &txn);
    if (err != Q2O_OK)
        return err;
    err = q2o_store_offset_get(txn, CRASH_TOPIC, 0, &off);
    q2o_store_abort(txn);
    if (err == Q2O_STORE_NOT_FOUND) { /* a fresh store */
        off = 0;
        err = Q2O_OK;
    }
    *out = (uint64_t)off;
    return err;
}

static int parse_sync(const char *s, q2o_store_sync_mode *out)
{
    if (!s || !strcmp(s, "full"))
        *out = Q2O_STORE_SYNC_FULL;
    else if (!strcmp(s, "nometa"))
        *out = Q2O_STORE_SYNC_NOMETA;
    else if (!strcmp(s, "none"))
        *out = Q2O_STORE_SYNC_NONE;
    else
        return -1;
    return 0;
}

static int run(q2o_store *store, int raise_mode, unsigned batches, unsigned kill_at)
{
    uint64_t done = 0;
    q2o_err err = committed_batches(store, &done);
    for (unsigned i = 0; err == Q2O_OK && i < batches; i++) {
        batch_ctx ctx = {done + 1 + i, 0};
        err = q2o_store_update(store, write_batch, &ctx);
        if (err == Q2O_OK && i == 0 && !raise_mode) {
            fputs("committed\n", stdout); /* the test starts its kill timer */
            fflush(stdout);
        }
    }
    if (err != Q2O_OK) {
        fprintf(stderr, "store_crash: %s\n", q2o_err_name(err));
        return 3;
    }
    if (!raise_mode)
        return 0;
    batch_ctx doomed = {done + batches + 1, kill_at};
    err = q2o_store_update(store, write_doomed, &doomed);
    fprintf(stderr, "store_crash: doomed txn returned %s\n", q2o_err_name(err));
    return 4;
}

int main(int argc, char **argv)
{
    q2o_store_options opt = q2o_store_options_default();
    if (argc < 5 || argc > 6 || parse_sync(argc == 6 ? argv[5] : NULL, &opt.sync) != 0 ||
        (strcmp(argv[2], "raise") && strcmp(argv[2], "loop"))) {
        fprintf(stderr, "usage: %s DIR raise|loop BATCHES KILL_AT [full|nometa|none]\n", argv[0]);
        return 2;
    }
    unsigned batches = (unsigned)strtoul(argv[3], NULL, 10);
    unsigned kill_at = (unsigned)strtoul(argv[4], NULL, 10);
    int raise_mode = !strcmp(argv[2], "raise");
    if (raise_mode && kill_at == 0)
        return 2;
    opt.dir = argv[1];
    opt.initial_map_bytes = Q2O_STORE_MIN_MAP_BYTES;
    q2o_store *store = NULL;
    q2o_err err = q2o_store_open(&opt, &store);
    if (err != Q2O_OK) {
        fprintf(stderr, "store_crash: open: %s\n", q2o_err_name(err));
        return 3;
    }
    int rc = run(store, raise_mode, batches, kill_at);
    q2o_store_close(store);
    return rc;
}
