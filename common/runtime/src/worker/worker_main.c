/* worker_main.c — a worker process: arguments, configuration, signals, exit
 * codes (the contract is q2o_worker_main in runtime/worker.h). */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "worker_internal.h"

#define MAX_SETS 64

static _Atomic(q2o_worker *) g_worker; /* the worker signals stop */

static void on_signal(int sig)
{
    (void)sig;
    q2o_worker *w = atomic_load(&g_worker);
    if (w)
        q2o_worker_stop(w);
}

static void print_usage(const char *prog, const char *usage)
{
    printf("usage: %s [--config FILE] [--set KEY=VALUE]... [--print-config] [--help]\n\n%s\n", prog, usage);
    printf("Configuration (runtime/config.h): defaults, then the file (--config or $Q2O_CONFIG,\n"
           "\"KEY = value\" lines), then Q2O_* environment variables, then --set. Keys:\n"
           "  Q2O_BOOTSTRAP Q2O_TOPIC_PREFIX Q2O_PARTITIONS Q2O_REPLICATION Q2O_DATA_DIR\n"
           "  Q2O_GROUP_ID Q2O_INSTANCE_ID (transactional.id) Q2O_BATCH_MAX Q2O_BATCH_WAIT_MS\n"
           "  Q2O_HTTP_PORT (/healthz /readyz /metrics; 0 = off) Q2O_LOG_LEVEL Q2O_STORE_SYNC\n"
           "  Q2O_SWEEP_INTERVAL_MS, and Q2O_KAFKA_<PROPERTY> (or kafka.<property> in the file)\n"
           "  for any librdkafka property.\n\n"
           "Signals: SIGTERM or SIGINT finish the current batch, commit, leave the group, exit 0.\n"
           "Exit codes: 0 clean stop; 2 configuration or usage error; 3 fatal Kafka or store\n"
           "error (restart the process: it restores its store from the event log).\n");
}

static int usage_error(const char *prog, const char *what, const char *arg)
{
    fprintf(stderr, "%s: %s: %s (see --help)\n", prog, arg, what);
    return Q2O_EXIT_USAGE;
}

typedef struct args {
    const char *config;
    const char *sets[MAX_SETS];
    int n_sets;
    int print_config, help;
} args;

static int parse_args(int argc, char **argv, const char *prog, args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            a->help = 1;
        } else if (!strcmp(s, "--print-config")) {
            a->print_config = 1;
        } else if (!strcmp(s, "--config") || !strcmp(s, "--set")) {
            if (i + 1 >= argc)
                return usage_error(prog, "needs a value", s);
            if (!strcmp(s, "--config"))
                a->config = argv[++i];
            else if (a->n_sets < MAX_SETS)
                a->sets[a->n_sets++] = argv[++i];
            else
                return usage_error(prog, "given too often", s);
        } else {
            return usage_error(prog, "unknown argument", s);
        }
    }
    return 0;
}

static int load_config(const char *prog, const char *name, const args *a, q2o_config *cfg)
{
    char detail[512] = "";
    if (q2o_config_load(name, a->config, cfg, detail, sizeof detail) != Q2O_OK) {
        fprintf(stderr, "%s: configuration error: %s\n", prog, detail);
        return Q2O_EXIT_USAGE;
    }
    for (int i = 0; i < a->n_sets; i++) {
        char kv[1024];
        snprintf(kv, sizeof kv, "%s", a->sets[i]);
        char *eq = strchr(kv, '=');
        if (!eq)
            return usage_error(prog, "--set expects KEY=VALUE", a->sets[i]);
        *eq = '\0';
        if (q2o_config_apply(cfg, kv, eq + 1, detail, sizeof detail) != Q2O_OK) {
            fprintf(stderr, "%s: configuration error: %s\n", prog, detail);
            return Q2O_EXIT_USAGE;
        }
    }
    return 0;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

/* A configuration mistake the operator must fix (exit 2) or a failure a
 * restart may heal (exit 3). */
static int exit_code_of(q2o_err e)
{
    if (e == Q2O_OK)
        return Q2O_EXIT_OK;
    if (e == Q2O_CONFIG_INVALID || e == Q2O_KAFKA_CONFIG)
        return Q2O_EXIT_USAGE;
    return Q2O_EXIT_FATAL;
}

int q2o_worker_main(int argc, char **argv, const char *name, const char *usage, q2o_worker_make_fn make_ops,
                    q2o_worker_free_fn free_ops)
{
    char prog[96], detail[512] = "";
    args a = {0};
    q2o_config cfg;
    snprintf(prog, sizeof prog, "q2o-%s-worker", name);
    int rc = parse_args(argc, argv, prog, &a);
    if (rc)
        return rc;
    if (a.help) {
        print_usage(prog, usage);
        return Q2O_EXIT_OK;
    }
    if ((rc = load_config(prog, name, &a, &cfg)) != 0)
        return rc;
    if (a.print_config) {
        q2o_config_print(&cfg, stdout);
        return Q2O_EXIT_OK;
    }
    const q2o_worker_ops *ops = NULL;
    void *ctx = NULL;
    q2o_worker *w = NULL;
    q2o_err e = make_ops(&cfg, &ops, &ctx, detail, sizeof detail);
    if (e == Q2O_OK)
        e = q2o_worker_new(&cfg, ops, ctx, &w);
    if (e != Q2O_OK) {
        fprintf(stderr, "%s: cannot start: %s %s\n", prog, q2o_err_name(e), detail);
        if (ctx)
            free_ops(ctx);
        return Q2O_EXIT_FATAL;
    }
    atomic_store(&g_worker, w);
    install_signals();
    e = q2o_worker_run(w);
    atomic_store(&g_worker, NULL);
    q2o_worker_free(w);
    free_ops(ctx);
    rc = exit_code_of(e);
    if (rc == Q2O_EXIT_USAGE)
        fprintf(stderr, "%s: configuration error: %s (%s)\n", prog, q2o_err_name(e), q2o_err_message(e));
    else if (rc != Q2O_EXIT_OK)
        fprintf(stderr, "%s: fatal: %s (%s)\n", prog, q2o_err_name(e), q2o_err_remediation(e));
    return rc;
}
