/* bus_admin.c — topic creation and cluster readiness. */
#include <stdio.h>
#include <string.h>

#include "bus_internal.h"
#include "core/log.h"

/* Topics whose partition counts must equal cfg->partitions: a quote's
 * commands, events and results are co-partitioned by quote id. */
static int is_copartitioned(q2o_topic t)
{
    return t == Q2O_TOPIC_QUOTE_COMMANDS || t == Q2O_TOPIC_QUOTE_EVENTS || t == Q2O_TOPIC_QUOTE_RESULTS;
}

typedef q2o_err (*metadata_check_fn)(const rd_kafka_metadata_t *md, const q2o_bus_config *cfg, char *detail,
                                     size_t detail_size);

/* Fetch the whole cluster's metadata (all topics: naming topics would
 * auto-create them on brokers that allow it) until `check` accepts it, a
 * non-transient error (a missing topic is transient when wait_for_topics),
 * or the deadline. */
static q2o_err metadata_until(rd_kafka_t *rk, int64_t deadline, metadata_check_fn check, const q2o_bus_config *cfg,
                              int wait_for_topics, char *detail, size_t detail_size)
{
    q2o_err err;
    do {
        const rd_kafka_metadata_t *md = NULL;
        int t = bus_remaining_ms(deadline);
        rd_kafka_resp_err_t rerr = rd_kafka_metadata(rk, 1, NULL, &md, t > 0 ? t : 1);
        err = rerr ? bus_resp_err(rk, rerr, detail, detail_size) : check(md, cfg, detail, detail_size);
        if (md)
            rd_kafka_metadata_destroy(md);
        if (!bus_is_retry(err) && !(wait_for_topics && err == Q2O_KAFKA_UNKNOWN_TOPIC))
            break;
        bus_backoff(deadline);
    } while (bus_remaining_ms(deadline) > 0);
    return err;
}

static q2o_err check_brokers(const rd_kafka_metadata_t *md, const q2o_bus_config *cfg, char *detail,
                             size_t detail_size)
{
    (void)cfg;
    if (md->broker_cnt > 0)
        return Q2O_OK;
    bus_detail(detail, detail_size, "the cluster reported no brokers");
    return Q2O_KAFKA_RETRIABLE;
}

static const rd_kafka_metadata_topic_t *find_topic(const rd_kafka_metadata_t *md, const char *name)
{
    for (int i = 0; i < md->topic_cnt; i++)
        if (strcmp(md->topics[i].topic, name) == 0)
            return &md->topics[i];
    return NULL;
}

static q2o_err check_topics(const rd_kafka_metadata_t *md, const q2o_bus_config *cfg, char *detail,
                            size_t detail_size)
{
    char name[Q2O_BUS_NAME_MAX];
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++) {
        const rd_kafka_metadata_topic_t *mt = find_topic(md, q2o_bus_topic(cfg, (q2o_topic)t, name, sizeof name));
        if (!mt || mt->err) {
            bus_detail(detail, detail_size, "topic %s: %s", name,
                       rd_kafka_err2str(mt ? mt->err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART));
            return Q2O_KAFKA_UNKNOWN_TOPIC;
        }
        if (is_copartitioned((q2o_topic)t) && mt->partition_cnt != cfg->partitions) {
            bus_detail(detail, detail_size, "topic %s has %d partitions; q2o is configured for %d", name,
                       mt->partition_cnt, (int)cfg->partitions);
            return Q2O_CONFIG_INVALID;
        }
    }
    return Q2O_OK;
}

q2o_err q2o_bus_wait_ready(const q2o_bus_config *cfg, int timeout_ms, char *detail, size_t detail_size)
{
    rd_kafka_t *rk = NULL;
    q2o_err err = bus_admin_client(cfg, &rk, detail, detail_size);
    if (err == Q2O_OK)
        err = metadata_until(rk, bus_deadline(timeout_ms), check_brokers, cfg, 0, detail, detail_size);
    if (rk)
        rd_kafka_destroy(rk);
    return err;
}

static q2o_err new_topic(const q2o_bus_config *cfg, q2o_topic t, rd_kafka_NewTopic_t **out, char *detail,
                         size_t detail_size)
{
    char name[Q2O_BUS_NAME_MAX], errstr[256];
    rd_kafka_resp_err_t rerr = RD_KAFKA_RESP_ERR_NO_ERROR;
    /* the catalog is a global table read whole by every instance: one partition */
    int partitions = t == Q2O_TOPIC_CATALOG ? 1 : cfg->partitions;
    *out = rd_kafka_NewTopic_new(q2o_bus_topic(cfg, t, name, sizeof name), partitions, cfg->replication, errstr,
                                 sizeof errstr);
    if (!*out) {
        bus_detail(detail, detail_size, "topic %s: %s", name, errstr);
        return Q2O_CONFIG_INVALID;
    }
    if (t == Q2O_TOPIC_QUOTE_EVENTS) { /* the system of record: keep everything */
        rerr = rd_kafka_NewTopic_set_config(*out, "retention.ms", "-1");
        if (!rerr)
            rerr = rd_kafka_NewTopic_set_config(*out, "cleanup.policy", "delete");
    } else if (t == Q2O_TOPIC_CATALOG) { /* a global table: latest per key */
        rerr = rd_kafka_NewTopic_set_config(*out, "cleanup.policy", "compact");
        if (!rerr) /* a catalog is one document: up to 64 MiB (runtime/catalog_feed.h) */
            rerr = rd_kafka_NewTopic_set_config(*out, "max.message.bytes", "67108864");
    }
    return bus_resp_err(NULL, rerr, detail, detail_size);
}

/* The CreateTopics answer: existing topics are fine. A broker that says it
 * lacks the admin API is not an error here: the metadata check decides. */
static q2o_err create_result(rd_kafka_event_t *ev, char *detail, size_t detail_size)
{
    size_t n = 0;
    rd_kafka_resp_err_t rerr = rd_kafka_event_error(ev);
    if (rerr == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE) {
        q2o_log(Q2O_LOG_INFO, "broker has no CreateTopics API; checking that the topics exist", "detail",
                rd_kafka_event_error_string(ev), (const char *)NULL);
        return Q2O_OK;
    }
    if (rerr) {
        bus_detail(detail, detail_size, "CreateTopics: %s", rd_kafka_event_error_string(ev));
        return bus_resp_err(NULL, rerr, NULL, 0);
    }
    const rd_kafka_topic_result_t **res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    for (size_t i = 0; i < n; i++) {
        rerr = rd_kafka_topic_result_error(res[i]);
        if (rerr && rerr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
            bus_detail(detail, detail_size, "topic %s: %s", rd_kafka_topic_result_name(res[i]),
                       rd_kafka_topic_result_error_string(res[i]));
            return rerr == RD_KAFKA_RESP_ERR_POLICY_VIOLATION || rerr == RD_KAFKA_RESP_ERR_INVALID_CONFIG ||
                           rerr == RD_KAFKA_RESP_ERR_INVALID_PARTITIONS ||
                           rerr == RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR
                       ? Q2O_CONFIG_INVALID
                       : bus_resp_err(NULL, rerr, NULL, 0);
        }
    }
    return Q2O_OK;
}

static q2o_err create_all(rd_kafka_t *rk, rd_kafka_NewTopic_t **topics, int timeout_ms, char *detail,
                          size_t detail_size)
{
    char errstr[256];
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_CreateTopics(rk, topics, Q2O_TOPIC__COUNT, opts, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 1000);
    q2o_err err = Q2O_KAFKA_TIMEOUT;
    if (ev) {
        err = create_result(ev, detail, detail_size);
        rd_kafka_event_destroy(ev);
    } else {
        bus_detail(detail, detail_size, "CreateTopics: no answer within %d ms", timeout_ms);
    }
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    return err;
}

q2o_err q2o_bus_create_topics(const q2o_bus_config *cfg, int timeout_ms, char *detail, size_t detail_size)
{
    rd_kafka_NewTopic_t *topics[Q2O_TOPIC__COUNT] = {0};
    rd_kafka_t *rk = NULL;
    int64_t deadline = bus_deadline(timeout_ms);
    q2o_err err = bus_admin_client(cfg, &rk, detail, detail_size);
    /* Everything there already: done without the admin API. This is what
     * makes the call work against librdkafka's mock cluster (the embedded
     * broker), which has no controller and never answers CreateTopics; the
     * embedded broker creates the topics itself. */
    if (err == Q2O_OK)
        err = metadata_until(rk, deadline, check_topics, cfg, 0, detail, detail_size);
    if (err != Q2O_KAFKA_UNKNOWN_TOPIC)
        goto out;
    err = Q2O_OK;
    for (int t = 0; t < Q2O_TOPIC__COUNT && err == Q2O_OK; t++)
        err = new_topic(cfg, (q2o_topic)t, &topics[t], detail, detail_size);
    if (err == Q2O_OK)
        err = create_all(rk, topics, bus_remaining_ms(deadline), detail, detail_size);
    /* Metadata may lag the controller for a moment: the check waits. */
    if (err == Q2O_OK)
        err = metadata_until(rk, deadline, check_topics, cfg, 1, detail, detail_size);
out:
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++)
        if (topics[t])
            rd_kafka_NewTopic_destroy(topics[t]);
    if (rk)
        rd_kafka_destroy(rk);
    return err;
}
