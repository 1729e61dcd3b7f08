/*
 * runtime/config.h — how every q2o process is configured.
 *
 * Sources, later ones win:
 *   1. defaults (below);
 *   2. a file, if Q2O_CONFIG names one (or the caller passes a path):
 *      lines "key = value", '#' comments, keys as in the table;
 *   3. environment variables (the same keys).
 *
 * | key                 | meaning                                         | default            |
 * |---------------------|-------------------------------------------------|--------------------|
 * | Q2O_BOOTSTRAP       | Kafka bootstrap servers                         | 127.0.0.1:9092     |
 * | Q2O_TOPIC_PREFIX    | prefix of every topic name                      | q2o.               |
 * | Q2O_PARTITIONS      | partitions of each quote topic                  | 6                  |
 * | Q2O_REPLICATION     | replication factor for topic creation           | 1                  |
 * | Q2O_DATA_DIR        | the worker's LMDB directory                     | ./q2o-data/<name>  |
 * | Q2O_GROUP_ID        | consumer group                                  | q2o-<name>         |
 * | Q2O_INSTANCE_ID     | this instance (transactional id base)           | <name>-<hostname>  |
 * | Q2O_BATCH_MAX       | commands per transaction                        | 500                |
 * | Q2O_BATCH_WAIT_MS   | longest wait to fill a batch                    | 20                 |
 * | Q2O_HTTP_PORT       | /healthz /readyz /metrics port (0 = off)        | 0                  |
 * | Q2O_LOG_LEVEL       | debug, info, warn, error                        | info               |
 * | Q2O_STORE_SYNC      | full, nometa, none (see store/event_store.h)    | nometa             |
 * | Q2O_SWEEP_INTERVAL_MS | expiry sweeper period (quote worker)          | 60000              |
 * | Q2O_CATALOG_ID      | the catalog that prices quotes ("" = the most   | ""                 |
 * |                     | recently published one; runtime/catalog_feed.h) |                    |
 * | Q2O_DOCUMENT_DIR    | where the document worker stores its files      | <data dir>/documents |
 * | Q2O_DOCUMENT_SELLER | seller name on proposals and e-mails            | q2o seller         |
 * | Q2O_DOCUMENT_FROM   | From address of confirmation e-mails            | quotes@q2o.example |
 * | Q2O_KAFKA_<NAME>    | any librdkafka property: NAME lower-cased, '_'  |                    |
 * |                     | becomes '.': Q2O_KAFKA_SECURITY_PROTOCOL=SSL    |                    |
 * |                     | (in the file also "kafka.<property> = value")   |                    |
 *
 * Errors: Q2O_CONFIG_INVALID with the key and the reason in detail: a
 * malformed value anywhere, or an unknown key in the file or in
 * q2o_config_apply. Unknown Q2O_ environment variables are ignored (logged
 * at debug): other tools share the prefix.
 * Not thread-safe (reads the environment); call at startup.
 */
#ifndef Q2O_RUNTIME_CONFIG_H
#define Q2O_RUNTIME_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "bus/bus.h"
#include "core/error.h"

typedef struct q2o_config {
    char name[64];                  /* the process kind: quote, erp, ctl, ... */
    q2o_bus_config bus;
    char data_dir[512];
    char group_id[128];
    char instance_id[128];
    int batch_max;
    int batch_wait_ms;
    int http_port;
    char log_level[16];
    char store_sync[16];
    int sweep_interval_ms;
    char catalog_id[64];
    char document_dir[512];         /* "" = <data_dir>/documents */
    char document_seller[128];
    char document_from[128];
} q2o_config;

/* Fill *out for process `name` from defaults, the file (path, or
 * $Q2O_CONFIG when path is NULL; none is fine) and the environment. */
q2o_err q2o_config_load(const char *name, const char *path, q2o_config *out, char *detail, size_t detail_size);

/* Apply one "key = value" setting (the file's and the environment's
 * syntax), e.g. from a command-line --set. */
q2o_err q2o_config_apply(q2o_config *cfg, const char *key, const char *value, char *detail, size_t detail_size);

/* Print the effective configuration (secrets: values of keys containing
 * "password", "secret" or "key" are masked). */
void q2o_config_print(const q2o_config *cfg, FILE *out);

#endif
