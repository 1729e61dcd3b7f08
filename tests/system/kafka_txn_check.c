/* tests/system/kafka_txn_check.c — a transactional producer on librdkafka
 * (the client the services use) against a real broker: the mock cluster
 * cannot show that a read_committed consumer skips aborted records.
 *
 * Usage: kafka_txn_check BOOTSTRAP TOPIC
 * Writes, in order: 10 records "committed-a-<i>" in a committed transaction,
 * 10 records "aborted-<i>" in an aborted one, 10 records "committed-b-<i>"
 * in a committed one. The calling test then reads the topic back with kcat
 * at both isolation levels. Built by kafka_single_node_test.sh with
 * `cc ... $(pkg-config --cflags --libs rdkafka)`. Exit 0 on success. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MS 30000
#define PER_TXN 10

static int check(rd_kafka_error_t *err, const char *what) {
    if (!err) return 0;
    fprintf(stderr, "kafka_txn_check: %s: %s\n", what, rd_kafka_error_string(err));
    rd_kafka_error_destroy(err);
    return -1;
}

static int produce_batch(rd_kafka_t *rk, const char *topic, const char *prefix) {
    char buf[64];
    for (int i = 0; i < PER_TXN; i++) {
        int len = snprintf(buf, sizeof buf, "%s-%d", prefix, i);
        rd_kafka_resp_err_t err =
            rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(buf, (size_t)len),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err) {
            fprintf(stderr, "kafka_txn_check: produce: %s\n", rd_kafka_err2str(err));
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s BOOTSTRAP TOPIC\n", argv[0]);
        return 2;
    }
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) ||
        rd_kafka_conf_set(conf, "transactional.id", "q2o-system-txn-check", errstr, sizeof errstr) ||
        rd_kafka_conf_set(conf, "transaction.timeout.ms", "30000", errstr, sizeof errstr) ||
        rd_kafka_conf_set(conf, "message.timeout.ms", "30000", errstr, sizeof errstr)) {
        fprintf(stderr, "kafka_txn_check: config: %s\n", errstr);
        return 1;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "kafka_txn_check: rd_kafka_new: %s\n", errstr);
        return 1;
    }
    const char *topic = argv[2];
    int rc = 1;
    if (check(rd_kafka_init_transactions(rk, TIMEOUT_MS), "init_transactions")) goto out;

    if (check(rd_kafka_begin_transaction(rk), "begin (a)") || produce_batch(rk, topic, "committed-a") ||
        check(rd_kafka_commit_transaction(rk, TIMEOUT_MS), "commit (a)"))
        goto out;

    /* Flush first so the aborted records really are in the log (the
     * read_uncommitted read-back proves it), then abort. */
    if (check(rd_kafka_begin_transaction(rk), "begin (aborted)") || produce_batch(rk, topic, "aborted") ||
        rd_kafka_flush(rk, TIMEOUT_MS) != RD_KAFKA_RESP_ERR_NO_ERROR ||
        check(rd_kafka_abort_transaction(rk, TIMEOUT_MS), "abort"))
        goto out;

    if (check(rd_kafka_begin_transaction(rk), "begin (b)") || produce_batch(rk, topic, "committed-b") ||
        check(rd_kafka_commit_transaction(rk, TIMEOUT_MS), "commit (b)"))
        goto out;

    printf("kafka_txn_check: %d committed, %d aborted, %d committed records written to %s\n", PER_TXN,
           PER_TXN, PER_TXN, topic);
    rc = 0;
out:
    rd_kafka_destroy(rk);
    return rc;
}
