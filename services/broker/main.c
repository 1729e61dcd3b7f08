/*
 * q2o-broker — the embedded development broker: librdkafka's mock cluster
 * in a small process, with every q2o topic created, so the whole system
 * runs on one machine without Kafka. Development only: see --help.
 *
 * Prints exactly one line "bootstrap=<host:port,...>" on stdout once the
 * topics exist (and writes the same line to --bootstrap-file F), logs JSON
 * lines to stderr, runs until SIGTERM or SIGINT, then stops (exit 0).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus.h"
#include "core/log.h"

#define BROKER_MAX_NODES 16
#define BROKER_MAX_PARTITIONS 1000

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(FILE *f)
{
    fputs("usage: q2o-broker [--bootstrap-file FILE] [--help]\n"
          "\n"
          "Starts librdkafka's built-in mock Kafka cluster in this process, creates\n"
          "every q2o topic, prints one line 'bootstrap=<host:port,...>' on stdout\n"
          "(and writes it to FILE), and runs until SIGTERM or SIGINT.\n"
          "\n"
          "FOR DEVELOPMENT ONLY. The mock cluster does not store transactional\n"
          "offsets (send_offsets_to_transaction is accepted and forgotten), does not\n"
          "filter aborted or open transactions for read_committed consumers, does not\n"
          "fence zombie producers, keeps data in memory only (bounded, truncated), and\n"
          "has no admin API, TLS or SASL. Nothing run against it proves exactly-once.\n"
          "\n"
          "Environment:\n"
          "  Q2O_BROKER_NODES    brokers in the mock cluster (default 1, max 16)\n"
          "  Q2O_TOPIC_PREFIX    topic name prefix (default \"q2o.\")\n"
          "  Q2O_PARTITIONS      partitions of every topic (default 6)\n"
          "  Q2O_LOG_LEVEL       debug, info, warn, error (default info)\n",
          f);
}

/* An integer setting from the environment within [1, max]; -1 if invalid. */
static int env_int(const char *name, int def, int max)
{
    const char *v = getenv(name);
    char *end;
    if (!v || !*v)
        return def;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < 1 || n > max) {
        q2o_log(Q2O_LOG_ERROR, "invalid setting", "name", name, "value", v, (const char *)NULL);
        return -1;
    }
    return (int)n;
}

typedef struct broker_opts {
    const char *bootstrap_file;
    int nodes, partitions;
    q2o_bus_config cfg; /* for the topic names */
} broker_opts;

/* 0 ok, 1 bad usage, 2 --help shown. */
static int parse(int argc, char **argv, broker_opts *o)
{
    const char *prefix = getenv("Q2O_TOPIC_PREFIX"), *level = getenv("Q2O_LOG_LEVEL");
    q2o_log_level lvl;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 2;
        if (strcmp(argv[i], "--bootstrap-file") == 0 && i + 1 < argc)
            o->bootstrap_file = argv[++i];
        else
            return 1;
    }
    if (level && *level && q2o_log_level_parse(level, &lvl) == 0)
        q2o_log_set_level(lvl);
    q2o_bus_config_default(&o->cfg);
    if (prefix && snprintf(o->cfg.topic_prefix, sizeof o->cfg.topic_prefix, "%s", prefix) >=
                      (int)sizeof o->cfg.topic_prefix)
        return 1;
    o->nodes = env_int("Q2O_BROKER_NODES", 1, BROKER_MAX_NODES);
    o->partitions = env_int("Q2O_PARTITIONS", 6, BROKER_MAX_PARTITIONS);
    return o->nodes < 0 || o->partitions < 0;
}

static q2o_err create_topics(q2o_bus_mock *m, const broker_opts *o)
{
    char name[Q2O_BUS_NAME_MAX];
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++) {
        q2o_err err = q2o_bus_mock_create_topic(m, q2o_bus_topic(&o->cfg, (q2o_topic)t, name, sizeof name),
                                                t == Q2O_TOPIC_CATALOG ? 1 : o->partitions);
        if (err != Q2O_OK) {
            q2o_log(Q2O_LOG_ERROR, "topic creation failed", "topic", name, "error", q2o_err_name(err),
                    (const char *)NULL);
            return err;
        }
    }
    return Q2O_OK;
}

static int write_bootstrap_file(const char *path, const char *line)
{
    FILE *f = fopen(path, "w");
    int ok = f && fprintf(f, "%s\n", line) > 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        q2o_log(Q2O_LOG_ERROR, "cannot write the bootstrap file", "path", path, "error", strerror(errno),
                (const char *)NULL);
    return ok ? 0 : -1;
}

/* Block SIGTERM/SIGINT before librdkafka starts its threads (they inherit
 * the mask, so only this thread takes the signals), with a handler that
 * only sets a flag; sigsuspend unblocks them atomically while waiting. */
static void block_signals(void)
{
    struct sigaction sa;
    sigset_t block;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, NULL);
}

static void wait_for_signal(void)
{
    sigset_t none;
    sigemptyset(&none);
    while (!stop_requested)
        sigsuspend(&none);
}

int main(int argc, char **argv)
{
    broker_opts o = {0};
    q2o_bus_mock *m = NULL;
    char bootstrap[Q2O_BUS_NAME_MAX], line[Q2O_BUS_NAME_MAX + 16], nodes[16];
    int rc = parse(argc, argv, &o);
    if (rc) {
        usage(rc == 2 ? stdout : stderr);
        return rc == 2 ? 0 : 2;
    }
    block_signals();
    rc = 1;
    if (q2o_bus_mock_start(o.nodes, &m, bootstrap, sizeof bootstrap) != Q2O_OK || create_topics(m, &o) != Q2O_OK)
        goto out;
    snprintf(line, sizeof line, "bootstrap=%s", bootstrap);
    if (o.bootstrap_file && write_bootstrap_file(o.bootstrap_file, line) != 0)
        goto out;
    snprintf(nodes, sizeof nodes, "%d", o.nodes);
    q2o_log(Q2O_LOG_INFO, "embedded broker up (development only: mock cluster)", "bootstrap", bootstrap, "nodes",
            nodes, "prefix", o.cfg.topic_prefix, (const char *)NULL);
    printf("%s\n", line);
    fflush(stdout);
    wait_for_signal();
    q2o_log(Q2O_LOG_INFO, "embedded broker stopping", (const char *)NULL);
    rc = 0;
out:
    if (rc)
        q2o_log(Q2O_LOG_ERROR, "embedded broker failed to start", (const char *)NULL);
    q2o_bus_mock_stop(m);
    return rc;
}
