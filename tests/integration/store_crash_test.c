/* A writer killed in the middle of a transaction leaves a consistent store:
 * every committed batch complete, nothing of the killed transaction, heads
 * agreeing with the events present, offsets agreeing with the events.
 *
 * The writer is a separate process (tests/tools/store_crash) so that the
 * kill is a real SIGKILL of the process holding the LMDB write lock and the
 * map; the test re-opens the store afterwards, as a restarted worker would. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tools/store_crash/crash_pattern.h"
#include "core/check.h"
#include "store/event_store.h"
#include "testutil.h"

#define CRASH_BIN Q2O_BINARY_DIR "/tests/tools/store_crash/q2o_store_crash"

static char g_dir[256];

static void setup(void)
{
    q2o_test_tmpdir("store-crash", g_dir, sizeof g_dir);
    cr_assert_eq(access(CRASH_BIN, X_OK), 0, "build %s first", CRASH_BIN);
}

static void teardown(void)
{
    q2o_test_rmtree(g_dir);
}

TestSuite(store_crash, .init = setup, .fini = teardown, .timeout = 600);

/* Wait until the child reports its first commit (or exits), then sleep. */
static void wait_then_sleep(int fd, unsigned ms)
{
    char c;
    ssize_t n;
    do
        n = read(fd, &c, 1);
    while (n < 0 && errno == EINTR);
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* fork/exec the child with its stdout on a pipe; if kill_after_ms > 0,
 * SIGKILL it that long after its first commit. Returns the wait status. */
static int run_child(const char *mode, unsigned batches, unsigned kill_at, const char *sync,
                     unsigned kill_after_ms)
{
    char b[16], k[16];
    int fds[2];
    snprintf(b, sizeof b, "%u", batches);
    snprintf(k, sizeof k, "%u", kill_at);
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(CRASH_BIN, CRASH_BIN, g_dir, mode, b, k, sync, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    if (kill_after_ms) {
        wait_then_sleep(fds[0], kill_after_ms);
        kill(pid, SIGKILL);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    close(fds[0]);
    return status;
}

typedef struct stream_check {
    int s;
    uint64_t expect; /* next version expected */
} stream_check;

static q2o_err check_event(void *ctx, uint64_t version, const void *data, size_t len)
{
    stream_check *c = ctx;
    uint8_t want[CRASH_MAX_EVENT_BYTES];
    cr_assert_eq(version, c->expect, "stream %d: version %llu, want %llu", c->s,
                 (unsigned long long)version, (unsigned long long)c->expect);
    cr_assert_eq(len, crash_event_len(version));
    crash_event_fill(c->s, version, want, len);
    cr_assert_eq(memcmp(data, want, len), 0, "stream %d: event %llu differs", c->s,
                 (unsigned long long)version);
    c->expect++;
    return Q2O_OK;
}

static void check_stream(q2o_store_txn *txn, int s, uint64_t batches)
{
    char id[Q2O_ID_MAX];
    uint8_t hash[32], want[32] = {0};
    uint64_t head = 0;
    crash_stream_id(s, id, sizeof id);
    cr_assert_eq(q2o_store_head(txn, id, &head, hash), Q2O_OK);
    cr_assert_eq(head, batches * CRASH_EVENTS_PER_BATCH, "stream %d head %llu for %llu batches",
                 s, (unsigned long long)head, (unsigned long long)batches);
    if (head)
        crash_head_hash(s, head, want);
    cr_assert_arr_eq(hash, want, 32);
    stream_check c = {s, 1};
    cr_assert_eq(q2o_store_read(txn, id, 0, 0, check_event, &c), Q2O_OK);
    cr_assert_eq(c.expect - 1, head, "stream %d: %llu events, head %llu", s,
                 (unsigned long long)(c.expect - 1), (unsigned long long)head);
}

static void check_commands(q2o_store_txn *txn, uint64_t batches)
{
    char cmd[Q2O_ID_MAX], want[32];
    const void *res;
    size_t len;
    for (uint64_t b = 1; b <= batches + 1; b++) {
        snprintf(cmd, sizeof cmd, "crash-cmd-%llu", (unsigned long long)b);
        q2o_err err = q2o_store_command_get(txn, cmd, &res, &len);
        if (b > batches) {
            cr_assert_eq(err, Q2O_STORE_NOT_FOUND, "command of the killed txn is visible");
            break;
        }
        cr_assert_eq(err, Q2O_OK, "%s missing", cmd);
        int n = snprintf(want, sizeof want, "batch-%llu", (unsigned long long)b);
        cr_assert_eq(len, (size_t)n);
        cr_assert_eq(memcmp(res, want, len), 0);
    }
}

/* Reopen the store and check every invariant; returns the committed batches. */
static uint64_t verify_store(void)
{
    q2o_store_options opt = q2o_store_options_default();
    opt.dir = g_dir;
    q2o_store *store = NULL;
    q2o_store_txn *txn = NULL;
    cr_assert_eq(q2o_store_open(&opt, &store), Q2O_OK);
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    int64_t off = 0;
    q2o_err err = q2o_store_offset_get(txn, CRASH_TOPIC, 0, &off);
    cr_assert(err == Q2O_OK || err == Q2O_STORE_NOT_FOUND);
    uint64_t batches = err == Q2O_OK ? (uint64_t)off : 0;
    for (int s = 0; s < CRASH_STREAMS; s++)
        check_stream(txn, s, batches);
    uint64_t big = 99;
    cr_assert_eq(q2o_store_head(txn, CRASH_BIG_STREAM, &big, NULL), Q2O_OK);
    cr_assert_eq(big, 0, "the killed txn's stream is visible");
    check_commands(txn, batches);
    q2o_store_abort(txn);

    q2o_store_stats st;
    cr_assert_eq(q2o_store_stat(store, &st), Q2O_OK);
    cr_assert_eq(st.events, batches * CRASH_STREAMS * CRASH_EVENTS_PER_BATCH);
    cr_assert_eq(st.heads, batches ? CRASH_STREAMS : 0);
    cr_assert_eq(st.commands, batches);
    cr_assert_eq(st.offsets, batches ? 1 : 0);
    q2o_store_close(store);
    return batches;
}

static void expect_killed(int status)
{
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
              "child was not killed (exit %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

Test(store_crash, writer_killed_mid_transaction_leaves_only_committed_batches)
{
    static const unsigned kill_points[] = {1, 2, 7, 30, 90};
    uint64_t committed = 0;
    for (size_t i = 0; i < Q2O_ARRAY_LEN(kill_points); i++) {
        int status = run_child("raise", 3, kill_points[i], i % 2 ? "none" : "full", 0);
        expect_killed(status);
        committed += 3;
        cr_assert_eq(verify_store(), committed, "after kill point %u", kill_points[i]);
    }
}

Test(store_crash, writer_killed_at_arbitrary_moments_stays_consistent)
{
    static const unsigned delays_ms[] = {1, 3, 10, 25, 50, 80, 150};
    static const char *const syncs[] = {"full", "nometa", "none"};
    uint64_t before = 0;
    for (size_t i = 0; i < Q2O_ARRAY_LEN(delays_ms); i++) {
        int status = run_child("loop", 1000000, 0, syncs[i % 3], delays_ms[i]);
        expect_killed(status);
        uint64_t now = verify_store();
        cr_log_info("killed after %u ms (%s): %llu batches committed", delays_ms[i],
                    syncs[i % 3], (unsigned long long)now);
        cr_assert_geq(now, before, "committed batches went backwards");
        before = now;
    }
    cr_assert_geq(before, Q2O_ARRAY_LEN(delays_ms)); /* each run committed one at least */
}

Test(store_crash, child_without_kill_finishes_cleanly)
{
    int status = run_child("loop", 5, 0, "nometa", 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_assert_eq(verify_store(), 5);
}
