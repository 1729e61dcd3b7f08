/* bus_conf.c — q2o_bus_config, topic names, rd_kafka_conf_t building with
 * log and error callbacks routed to core/log. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bus_internal.h"
#include "core/log.h"
#include "core/strutil.h"

static const char *const topic_suffix[Q2O_TOPIC__COUNT] = {
    [Q2O_TOPIC_QUOTE_COMMANDS] = "quote.commands", [Q2O_TOPIC_QUOTE_EVENTS] = "quote.events",
    [Q2O_TOPIC_QUOTE_RESULTS] = "quote.results",   [Q2O_TOPIC_ORDER_EVENTS] = "order.events",
    [Q2O_TOPIC_DEADLETTER] = "deadletter",         [Q2O_TOPIC_CATALOG] = "catalog",
    [Q2O_TOPIC_DOCUMENT_EVENTS] = "document.events",
};

void q2o_bus_config_default(q2o_bus_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    Q2O_STRCPY(cfg->bootstrap, "127.0.0.1:9092");
    Q2O_STRCPY(cfg->topic_prefix, "q2o.");
    cfg->partitions = 6;
    cfg->replication = 1;
}

q2o_err q2o_bus_config_set(q2o_bus_config *cfg, const char *key, const char *value)
{
    uint32_t i = 0;
    if (!key || !*key || !value || strlen(key) >= sizeof cfg->props[0].key ||
        strlen(value) >= sizeof cfg->props[0].value)
        return Q2O_CONFIG_INVALID;
    while (i < cfg->n_props && strcmp(cfg->props[i].key, key) != 0)
        i++;
    if (i == Q2O_BUS_MAX_PROPS)
        return Q2O_CONFIG_INVALID;
    Q2O_STRCPY(cfg->props[i].key, key);
    Q2O_STRCPY(cfg->props[i].value, value);
    if (i == cfg->n_props)
        cfg->n_props++;
    return Q2O_OK;
}

const char *q2o_bus_topic(const q2o_bus_config *cfg, q2o_topic t, char *out, size_t size)
{
    Q2O_CHECK((unsigned)t < Q2O_TOPIC__COUNT);
    int n = snprintf(out, size, "%s%s", cfg->topic_prefix, topic_suffix[t]);
    Q2O_CHECK(n > 0 && (size_t)n < size); /* a prefix fits Q2O_BUS_NAME_MAX by its type */
    return out;
}

void bus_detail(char *detail, size_t size, const char *fmt, ...)
{
    va_list ap;
    if (!detail || !size)
        return;
    va_start(ap, fmt);
    vsnprintf(detail, size, fmt, ap);
    va_end(ap);
}

/* librdkafka logs with syslog levels: 0..3 error, 4 warning, 5..6 notice and
 * info, 7 debug (only with `debug=` set). Called on librdkafka's threads;
 * q2o_log is thread-safe. */
static void bus_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    q2o_log_level lvl = level <= 3 ? Q2O_LOG_ERROR : level == 4 ? Q2O_LOG_WARN : level <= 6 ? Q2O_LOG_INFO : Q2O_LOG_DEBUG;
    /* The passthrough properties go to every client by design, so "a
     * consumer property ignored by this producer" is expected, not a
     * warning. */
    if (strcmp(fac, "CONFWARN") == 0 && strstr(buf, "will be ignored by this"))
        lvl = Q2O_LOG_DEBUG;
    q2o_log(lvl, "librdkafka", "client", rd_kafka_name(rk), "facility", fac, "text", buf, (const char *)NULL);
}

/* Client-level errors: most are transient (a broker connection dropped, all
 * brokers down for a while) and librdkafka recovers by itself; a fatal one
 * makes every later call fail, which is where callers see it. */
static void bus_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)opaque;
    int fatal = err == RD_KAFKA_RESP_ERR__FATAL;
    q2o_log(fatal ? Q2O_LOG_ERROR : Q2O_LOG_WARN, "kafka client error", "client", rd_kafka_name(rk), "error",
            rd_kafka_err2name((rd_kafka_resp_err_t)err), "reason", reason, (const char *)NULL);
}

void bus_conf_callbacks(rd_kafka_conf_t *conf)
{
    rd_kafka_conf_set_log_cb(conf, bus_log_cb);
    rd_kafka_conf_set_error_cb(conf, bus_error_cb);
}

q2o_err bus_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value, char *detail, size_t detail_size)
{
    char errstr[512];
    if (rd_kafka_conf_set(conf, key, value, errstr, sizeof errstr) == RD_KAFKA_CONF_OK)
        return Q2O_OK;
    bus_detail(detail, detail_size, "property \"%s\": %s", key, errstr);
    return Q2O_KAFKA_CONFIG;
}

static q2o_err conf_set_all(rd_kafka_conf_t *conf, bus_kvs kvs, char *detail, size_t detail_size)
{
    q2o_err err = Q2O_OK;
    for (size_t i = 0; i < kvs.n && err == Q2O_OK; i++)
        err = bus_conf_set(conf, kvs.kv[i].key, kvs.kv[i].value, detail, detail_size);
    return err;
}

q2o_err bus_conf_new(const q2o_bus_config *cfg, bus_kvs defaults, bus_kvs forced, rd_kafka_conf_t **out,
                     char *detail, size_t detail_size)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    q2o_err err = bus_conf_set(conf, "bootstrap.servers", cfg->bootstrap, detail, detail_size);
    if (err == Q2O_OK)
        err = conf_set_all(conf, defaults, detail, detail_size);
    for (uint32_t i = 0; i < cfg->n_props && err == Q2O_OK; i++)
        err = bus_conf_set(conf, cfg->props[i].key, cfg->props[i].value, detail, detail_size);
    if (err == Q2O_OK)
        err = conf_set_all(conf, forced, detail, detail_size);
    if (err != Q2O_OK) {
        rd_kafka_conf_destroy(conf);
        return err;
    }
    bus_conf_callbacks(conf);
    *out = conf;
    return Q2O_OK;
}

q2o_err bus_client_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, rd_kafka_t **out, char *detail,
                       size_t detail_size)
{
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
    if (!rk) {
        /* rd_kafka_new fails on inconsistent settings (it validates the
         * combination, e.g. idempotence vs acks); the conf is still ours. */
        rd_kafka_conf_destroy(conf);
        bus_detail(detail, detail_size, "%s", errstr);
        return Q2O_KAFKA_CONFIG;
    }
    *out = rk;
    return Q2O_OK;
}

q2o_err bus_admin_client(const q2o_bus_config *cfg, rd_kafka_t **out, char *detail, size_t detail_size)
{
    static const bus_kv forced[] = {{"client.id", "q2o-admin"}};
    rd_kafka_conf_t *conf;
    q2o_err err = bus_conf_new(cfg, (bus_kvs){NULL, 0}, BUS_KVS(forced), &conf, detail, detail_size);
    return err != Q2O_OK ? err : bus_client_new(RD_KAFKA_PRODUCER, conf, out, detail, detail_size);
}
