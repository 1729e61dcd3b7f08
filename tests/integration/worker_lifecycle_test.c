/* The worker as a process: a stop finishes the batch it interrupts, SIGTERM
 * through q2o_worker_main exits 0, configuration errors exit 2 with a clear
 * message, the HTTP endpoint, the partitioner, the expiry sweeper. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/strutil.h"
#include "quote_fixture.h"
#include "worker_harness.h"

TestSuite(worker_lifecycle);


/* ---- stop in the middle of a batch ----------------------------------------- */

static void stop_on_first(hx_worker *hw, const q2o_bus_msg *msg)
{
    (void)msg;
    q2o_worker_stop(hw->w); /* as SIGTERM would, while the batch is open */
}

Test(worker_lifecycle, a_stop_finishes_and_commits_the_current_batch)
{
    hx h;
    hx_worker qw;
    char ids[30][Q2O_ID_MAX];
    const char *idp[30];
    hx_init(&h, 1);
    hx_quote_start_hooked(&h, &qw, "quote-s", NULL, stop_on_first, NULL);
    hx_wait_ready(&qw, 20000);
    for (int i = 0; i < 30; i++) {
        char q[16];
        snprintf(q, sizeof q, "Q-S%d", i);
        q2o_command c = hx_create(&h, q);
        Q2O_STRCPY(ids[i], c.command_id);
        idp[i] = ids[i];
        hx_send(&h, &c);
    }
    pthread_join(qw.thread, NULL); /* the hook stopped it: wait for the end */
    cr_assert_eq(qw.result, Q2O_OK);
    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    cr_assert_eq(st.aborts, 0, "the interrupted batch was committed, not abandoned");
    cr_assert_geq(st.consumed, 1);
    hx_result rs[40];
    size_t n = hx_results(&h, rs, 40);
    cr_assert_eq(n, st.consumed, "every command of the committed batch has its result");
    cr_assert_eq(hx_check_events(&h, NULL, 0, NULL), n);
    q2o_worker_free(qw.w);
    q2o_quote_worker_free(qw.qw);

    hx_quote_start(&h, &qw, "quote-s", NULL); /* the rest, after a restart */
    hx_wait_ready(&qw, 60000);
    hx_wait_results(&h, idp, 30, 30000);
    cr_assert_eq(hx_stop(&qw), Q2O_OK);
    cr_assert_eq(hx_check_events(&h, NULL, 0, NULL), 30);
    hx_fini(&h);
}

/* ---- the process: q2o_worker_main ------------------------------------------ */

typedef struct main_run {
    int argc;
    char *argv[32];
    int rc;
    pthread_t thread;
} main_run;

static void *run_main(void *arg)
{
    main_run *m = arg;
    m->rc = q2o_worker_main(m->argc, m->argv, "quote", "test", q2o_quote_worker_make, q2o_quote_worker_release);
    return NULL;
}

/* prefix + value as one argument */
static void add_arg(main_run *m, const char *prefix, const char *v)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s", prefix, v);
    m->argv[m->argc++] = strdup(buf);
}

static void free_args(main_run *m)
{
    for (int i = 0; i < m->argc; i++)
        free(m->argv[i]);
    m->argc = 0;
}

/* argv from literals (q2o_worker_main takes char **, as main does) */
static char **args(main_run *m, const char *const *lit)
{
    free_args(m);
    for (; *lit; lit++)
        add_arg(m, "", *lit);
    m->argv[m->argc] = NULL;
    return m->argv;
}

static void base_args(main_run *m, hx *h)
{
    free_args(m);
    add_arg(m, "", "q2o-quote-worker");
    add_arg(m, "", "--set");
    add_arg(m, "Q2O_BOOTSTRAP=", h->bootstrap);
    add_arg(m, "", "--set");
    add_arg(m, "Q2O_DATA_DIR=", h->root);
    add_arg(m, "", "--set");
    add_arg(m, "Q2O_PARTITIONS=", "3");
    add_arg(m, "", "--set");
    add_arg(m, "Q2O_STORE_SYNC=", "none");
}

Test(worker_lifecycle, sigterm_stops_the_process_cleanly)
{
    hx h;
    main_run m = {.argc = 0};
    hx_init(&h, 1);
    base_args(&m, &h);
    cr_assert_eq(pthread_create(&m.thread, NULL, run_main, &m), 0);
    q2o_command c = hx_create(&h, "Q-MAIN");
    const char *id[] = {c.command_id};
    hx_send(&h, &c);
    hx_wait_results(&h, id, 1, 30000);
    raise(SIGTERM); /* the handler only asks the worker to stop */
    pthread_join(m.thread, NULL);
    cr_assert_eq(m.rc, Q2O_EXIT_OK);
    free_args(&m);
    hx_fini(&h);
}

/* stderr into a temporary file for the test (Criterion's own redirection
 * leaks in its runner when tests run in parallel). */
static char capture_path[64];

static void capture_stderr(void)
{
    snprintf(capture_path, sizeof capture_path, "/tmp/q2o-stderr-%d", (int)getpid());
    int fd = open(capture_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    fflush(stderr);
    dup2(fd, 2);
    close(fd);
}

static const char *stderr_text(char *buf, size_t size)
{
    fflush(stderr);
    FILE *f = fopen(capture_path, "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(capture_path);
    return buf;
}

Test(worker_lifecycle, a_bad_setting_exits_2_naming_it, .init = capture_stderr)
{
    static const char *const lit[] = {"q2o-quote-worker", "--set", "Q2O_BATCH_MAX=0", NULL};
    main_run m = {.argc = 0};
    char err[2048];
    cr_assert_eq(q2o_worker_main(3, args(&m, lit), "quote", "", q2o_quote_worker_make, q2o_quote_worker_release),
                 Q2O_EXIT_USAGE);
    free_args(&m);
    cr_assert(strstr(stderr_text(err, sizeof err), "configuration error: Q2O_BATCH_MAX"), "%s", err);
}

Test(worker_lifecycle, an_unknown_setting_or_argument_exits_2, .init = capture_stderr)
{
    /* (an unknown Q2O_ ENVIRONMENT variable is only logged: other tools
     * share the prefix; a --set or file key must be known) */
    static const char *const typo[] = {"q2o-quote-worker", "--set", "Q2O_BATCHMAX=10", NULL};
    static const char *const bogus[] = {"q2o-quote-worker", "--frobnicate", NULL};
    main_run m = {.argc = 0};
    char err[2048];
    cr_assert_eq(q2o_worker_main(3, args(&m, typo), "quote", "", q2o_quote_worker_make, q2o_quote_worker_release),
                 Q2O_EXIT_USAGE);
    cr_assert_eq(q2o_worker_main(2, args(&m, bogus), "quote", "", q2o_quote_worker_make, q2o_quote_worker_release),
                 Q2O_EXIT_USAGE);
    free_args(&m);
    stderr_text(err, sizeof err);
    cr_assert(strstr(err, "Q2O_BATCHMAX: unknown setting"), "%s", err);
    cr_assert(strstr(err, "--frobnicate: unknown argument"), "%s", err);
}

Test(worker_lifecycle, a_bad_kafka_property_exits_2, .init = capture_stderr)
{
    hx h;
    main_run m = {.argc = 0};
    char err[4096];
    hx_init(&h, 1);
    base_args(&m, &h);
    add_arg(&m, "", "--set");
    add_arg(&m, "", "kafka.no.such.property=1");
    cr_assert_eq(q2o_worker_main(m.argc, m.argv, "quote", "", q2o_quote_worker_make, q2o_quote_worker_release),
                 Q2O_EXIT_USAGE);
    free_args(&m);
    cr_assert(strstr(stderr_text(err, sizeof err), "KAFKA_CONFIG"), "%s", err);
    hx_fini(&h);
}

Test(worker_lifecycle, help_exits_0)
{
    static const char *const lit[] = {"q2o-quote-worker", "--help", NULL};
    main_run m = {.argc = 0};
    fflush(stdout);
    int saved = dup(1), null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    int rc = q2o_worker_main(2, args(&m, lit), "quote", "usage text", q2o_quote_worker_make, q2o_quote_worker_release);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(null);
    cr_assert_eq(rc, Q2O_EXIT_OK);
    free_args(&m);
}

/* ---- HTTP ----------------------------------------------------------------- */

static int http_get(int port, const char *request, char *out, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(write(fd, request, strlen(request)), (ssize_t)strlen(request));
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(fd, out + n, size - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    close(fd);
    int status = 0;
    sscanf(out, "HTTP/1.1 %d", &status);
    return status;
}

static void ephemeral_http(q2o_config *cfg)
{
    cfg->http_port = -1;
}

Test(worker_lifecycle, http_health_readiness_and_metrics)
{
    hx h;
    hx_worker qw;
    char *buf = malloc(65536);
    hx_init(&h, 1);
    hx_quote_start(&h, &qw, "quote-h", ephemeral_http);
    hx_wait_ready(&qw, 20000);
    int port = q2o_worker_http_port(qw.w);
    cr_assert_gt(port, 0);
    q2o_command c = hx_create(&h, "Q-H");
    const char *id[] = {c.command_id};
    hx_send(&h, &c);
    hx_wait_results(&h, id, 1, 20000);

    cr_assert_eq(http_get(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", buf, 65536), 200);
    cr_assert_eq(http_get(port, "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n", buf, 65536), 200);
    cr_assert_eq(http_get(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", buf, 65536), 200);
    static const char *const must[] = {
        "# TYPE q2o_consumed_total counter", "q2o_consumed_total{worker=\"quote\"} 1",
        "q2o_produced_total{worker=\"quote\"} 2", "q2o_rejected_total{worker=\"quote\"} 0",
        "q2o_deadlettered_total{worker=\"quote\"} 0", "# TYPE q2o_batch_seconds histogram",
        "q2o_batch_seconds_bucket{worker=\"quote\",le=\"+Inf\"} 1", "q2o_commit_seconds_count{worker=\"quote\"} 1",
        "q2o_restore_events_total{worker=\"quote\"}", "q2o_restore_ready{worker=\"quote\"} 1",
        "# TYPE q2o_consumer_lag gauge"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        cr_assert(strstr(buf, must[i]), "/metrics lacks %s:\n%s", must[i], buf);
    cr_assert_eq(http_get(port, "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n", buf, 65536), 405);
    cr_assert_eq(http_get(port, "GET /nope HTTP/1.1\r\n\r\n", buf, 65536), 404);
    cr_assert_eq(hx_stop(&qw), Q2O_OK);
    free(buf);
    hx_fini(&h);
}

/* ---- partitioner ------------------------------------------------------------ */

Test(worker_lifecycle, the_sweeper_partitioner_agrees_with_the_producer)
{
    hx h;
    hx_init(&h, 1);
    for (int i = 0; i < 60; i++) {
        char key[32];
        snprintf(key, sizeof key, "Q-%d-%x", i, i * 7919);
        hx_produce(&h, Q2O_TOPIC_ORDER_EVENTS, -1, key, key, strlen(key), NULL, 0);
    }
    hx_msgs ms;
    hx_read(&h, Q2O_TOPIC_ORDER_EVENTS, &ms); /* no ERP worker runs: only these */
    cr_assert_eq(ms.n, 60);
    for (size_t i = 0; i < ms.n; i++)
        cr_assert_eq(ms.m[i]->partition, q2o_worker_partition_for_key(ms.m[i]->key, ms.m[i]->key_len, HX_PARTITIONS),
                     "key %s", (char *)ms.m[i]->key);
    hx_msgs_free(&ms);
    hx_fini(&h);
}

/* ---- sweeper ------------------------------------------------------------------ */

static void fast_sweep(q2o_config *cfg)
{
    cfg->sweep_interval_ms = 200;
}

Test(worker_lifecycle, the_sweeper_expires_a_quote_once_in_a_transaction)
{
    hx h;
    hx_worker qw;
    fx f;
    hx_init(&h, 1);
    hx_fx_init(&f);
    hx_quote_start(&h, &qw, "quote-x", fast_sweep);
    hx_wait_ready(&qw, 20000);
    static const q2o_command_type steps[] = {Q2O_CMD_CREATE_QUOTE, Q2O_CMD_ADD_LINE, Q2O_CMD_PRICE_QUOTE};
    char ids[3][Q2O_ID_MAX];
    const char *idp[3];
    for (int i = 0; i < 3; i++) {
        q2o_command c = steps[i] == Q2O_CMD_ADD_LINE ? hx_add_line(&h, "Q-X", "L1", 10)
                                                      : fx_command_for(&f, steps[i], NULL);
        Q2O_STRCPY(c.quote_id, "Q-X");
        snprintf(c.command_id, sizeof c.command_id, "Q-X-s%d", i);
        cr_assert_eq(fx_send(&f, &c), Q2O_OK);
        hx_send(&h, &c);
        Q2O_STRCPY(ids[i], c.command_id);
        idp[i] = ids[i];
    }
    hx_wait_results(&h, idp, 3, 20000);
    q2o_time_ms at = q2o_quote_next_expiry(f.q, NULL);
    cr_assert_gt(at, FX_T0, "a priced quote can expire");
    atomic_store(&qw.now, at + 1); /* time passes */

    char expire_id[Q2O_ID_MAX];
    snprintf(expire_id, sizeof expire_id, "expire/Q-X/%" PRId64, at);
    const char *eid[] = {expire_id};
    hx_wait_results(&h, eid, 1, 20000);
    hx_sleep_ms(1000); /* a few more sweeps: nothing more to expire */
    hx_result rs[8];
    size_t n = hx_results(&h, rs, 8);
    const hx_result *r = hx_result_of(rs, n, expire_id);
    cr_assert_eq(r->copies, 1, "expired once");
    cr_assert_eq(r->r.status, Q2O_RESULT_ACCEPTED, "%s %s", q2o_err_name(r->r.code), r->r.detail);
    cr_assert_eq(r->r.n_events, 1);
    cr_assert_eq(r->r.event_types[0], Q2O_EV_EXPIRED);
    static const char *const q[] = {"Q-X"};
    uint64_t v;
    hx_check_events(&h, q, 1, &v);
    cr_assert_eq(v, r->r.version, "the QuoteExpired event is in the log");
    cr_assert_eq(hx_stop(&qw), Q2O_OK);
    fx_release(&f);
    hx_fini(&h);
}
