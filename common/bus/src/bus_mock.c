/* bus_mock.c — the embedded development broker: librdkafka's mock cluster
 * and its fault injection. */
#include <stdlib.h>
#include <string.h>

#include "bus_internal.h" /* rdkafka.h first: rdkafka_mock.h requires it */

#include <librdkafka/rdkafka_mock.h>
#include "core/strutil.h"

#define BUS_MOCK_MAX_BROKERS 16
#define BUS_MOCK_MAX_PUSHED_ERRORS 10000

struct q2o_bus_mock {
    rd_kafka_t *host; /* the mock cluster runs on this handle's threads */
    rd_kafka_mock_cluster_t *mc;
    int brokers;
};

q2o_err q2o_bus_mock_start(int brokers, q2o_bus_mock **out, char *bootstrap, size_t size)
{
    q2o_bus_mock *m;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    q2o_err err = Q2O_INVALID_ARGUMENT;
    *out = NULL;
    if (brokers < 1 || brokers > BUS_MOCK_MAX_BROKERS || !(m = calloc(1, sizeof *m))) {
        rd_kafka_conf_destroy(conf);
        return brokers < 1 || brokers > BUS_MOCK_MAX_BROKERS ? Q2O_INVALID_ARGUMENT : Q2O_NO_MEMORY;
    }
    m->brokers = brokers;
    bus_conf_callbacks(conf);
    /* The host never connects anywhere: keep its "no bootstrap.servers"
     * notice out of the logs. */
    bus_conf_set(conf, "log_level", "4", NULL, 0);
    if (bus_client_new(RD_KAFKA_PRODUCER, conf, &m->host, NULL, 0) != Q2O_OK)
        goto fail;
    err = Q2O_KAFKA_FATAL;
    if (!(m->mc = rd_kafka_mock_cluster_new(m->host, brokers)))
        goto fail;
    err = Q2O_INVALID_ARGUMENT;
    if (q2o_strlcpy(bootstrap, rd_kafka_mock_cluster_bootstraps(m->mc), size) != 0)
        goto fail;
    *out = m;
    return Q2O_OK;
fail:
    q2o_bus_mock_stop(m);
    return err;
}

void q2o_bus_mock_stop(q2o_bus_mock *m)
{
    if (!m)
        return;
    if (m->mc)
        rd_kafka_mock_cluster_destroy(m->mc);
    if (m->host)
        rd_kafka_destroy(m->host);
    free(m);
}

/* The mock answers an unknown broker id with BROKER_NOT_AVAILABLE, which
 * from a real cluster would be transient; here it is the caller's error. */
static q2o_err mock_err(rd_kafka_resp_err_t rerr)
{
    if (rerr == RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE)
        return Q2O_INVALID_ARGUMENT;
    return bus_resp_err(NULL, rerr, NULL, 0);
}

q2o_err q2o_bus_mock_broker_down(q2o_bus_mock *m, int32_t broker_id)
{
    return mock_err(rd_kafka_mock_broker_set_down(m->mc, broker_id));
}

q2o_err q2o_bus_mock_broker_up(q2o_bus_mock *m, int32_t broker_id)
{
    return mock_err(rd_kafka_mock_broker_set_up(m->mc, broker_id));
}

q2o_err q2o_bus_mock_set_leader(q2o_bus_mock *m, const char *topic, int32_t partition, int32_t broker_id)
{
    return mock_err(rd_kafka_mock_partition_set_leader(m->mc, topic, partition, broker_id));
}

q2o_err q2o_bus_mock_push_errors(q2o_bus_mock *m, int api_key, int kafka_err, size_t count)
{
    rd_kafka_resp_err_t *errs;
    if (api_key < 0 || api_key > INT16_MAX || count == 0 || count > BUS_MOCK_MAX_PUSHED_ERRORS)
        return Q2O_INVALID_ARGUMENT;
    if (!(errs = malloc(count * sizeof *errs)))
        return Q2O_NO_MEMORY;
    for (size_t i = 0; i < count; i++)
        errs[i] = (rd_kafka_resp_err_t)kafka_err;
    rd_kafka_mock_push_request_errors_array(m->mc, (int16_t)api_key, count, errs);
    free(errs);
    return Q2O_OK;
}

/* An existing topic is left as it is. */
q2o_err q2o_bus_mock_create_topic(q2o_bus_mock *m, const char *topic, int partitions)
{
    int replication = m->brokers < 3 ? m->brokers : 3;
    rd_kafka_resp_err_t rerr = rd_kafka_mock_topic_create(m->mc, topic, partitions, replication);
    if (rerr == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        return Q2O_OK;
    return mock_err(rerr);
}
