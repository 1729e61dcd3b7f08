/*
 * q2o-bench-passthrough — the raw baseline of the benchmark: a
 * transactional consume -> produce copier through q2o's Kafka layer
 * (common/bus, librdkafka underneath) with the quote worker's batching:
 * poll up to --batch-max messages or --batch-wait-ms after the first one,
 * begin a transaction, produce each message (same key, value and headers;
 * --copies times) to --out on the same partition, send the consumer's
 * offsets with fresh group metadata, commit. No decoding, no domain, no
 * LMDB: what exactly-once costs at the Kafka level alone. Stops after
 * --expect input messages; prints the rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eos_common.h"

int main(int argc, char **argv)
{
    const char *bootstrap = NULL, *in = NULL, *out = NULL, *group = "q2o-bench-passthrough",
               *txn_id = "q2o-bench-passthrough-1";
    long long batch_max = 500, batch_wait = 20, expect = 0, copies = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (strcmp(a, name) == 0 && (v || (eos_die("%s needs a value", name), 0)) && ++i)
        if (strcmp(a, "--help") == 0) {
            puts("usage: q2o-bench-passthrough --in TOPIC --out TOPIC --expect N [--bootstrap BS]\n"
                 "         [--group G] [--txn-id ID] [--batch-max N] [--batch-wait-ms MS] [--copies K]");
            return 0;
        } else if (OPT("--bootstrap")) {
            bootstrap = v;
        } else if (OPT("--in")) {
            in = v;
        } else if (OPT("--out")) {
            out = v;
        } else if (OPT("--group")) {
            group = v;
        } else if (OPT("--txn-id")) {
            txn_id = v;
        } else if (OPT("--batch-max")) {
            batch_max = eos_atoll(a, v);
        } else if (OPT("--batch-wait-ms")) {
            batch_wait = eos_atoll(a, v);
        } else if (OPT("--expect")) {
            expect = eos_atoll(a, v);
        } else if (OPT("--copies")) {
            copies = eos_atoll(a, v);
        } else {
            eos_die("unknown argument '%s' (--help)", a);
        }
#undef OPT
    }
    if (!in || !out || expect <= 0 || batch_max <= 0 || copies <= 0)
        eos_die("--in, --out and --expect are required (--help)");

    q2o_bus_config cfg;
    char detail[512] = "";
    eos_bus_config(&cfg, bootstrap, NULL, 0);
    q2o_bus_consumer *c = NULL;
    q2o_bus_producer *p = NULL;
    const char *topics[] = {in};
    if (q2o_bus_consumer_new(&cfg, group, NULL, NULL, &c, detail, sizeof detail) != Q2O_OK ||
        q2o_bus_consumer_subscribe(c, topics, 1) != Q2O_OK)
        eos_die("consumer: %s", detail);
    if (q2o_bus_producer_new(&cfg, txn_id, &p, detail, sizeof detail) != Q2O_OK)
        eos_die("producer: %s", detail);

    q2o_bus_msg **batch = eos_xcalloc((size_t)batch_max, sizeof *batch);
    long long done = 0, txns = 0, aborts = 0;
    uint64_t t_first = 0;
    while (done < expect) {
        size_t n = 0;
        uint64_t first = 0;
        while (n < (size_t)batch_max) {
            int timeout = 100;
            if (n) {
                int64_t left = batch_wait - (int64_t)((eos_mono_ns() - first) / 1000000u);
                if (left <= 0)
                    break;
                timeout = (int)left;
            }
            q2o_bus_msg *m = NULL;
            if (q2o_bus_consumer_poll(c, timeout, &m) != Q2O_OK)
                eos_die("poll failed");
            if (!m) {
                if (!n)
                    break;
                continue;
            }
            if (!n)
                first = eos_mono_ns();
            batch[n++] = m;
        }
        if (!n)
            continue;
        if (!t_first)
            t_first = first;
        q2o_err e = q2o_bus_txn_begin(p, detail, sizeof detail);
        for (size_t i = 0; e == Q2O_OK && i < n; i++) {
            q2o_bus_msg *m = batch[i];
            for (long long k = 0; e == Q2O_OK && k < copies; k++)
                e = q2o_bus_produce(p, out, m->partition, m->key, m->key_len, m->value, m->value_len, m->headers,
                                    m->n_headers);
        }
        if (e == Q2O_OK)
            e = q2o_bus_txn_send_offsets(p, c, 30000, detail, sizeof detail);
        if (e == Q2O_OK)
            e = q2o_bus_txn_commit(p, 30000, detail, sizeof detail);
        for (size_t i = 0; i < n; i++)
            q2o_bus_msg_free(batch[i]);
        if (e == Q2O_OK) {
            done += (long long)n;
            txns++;
        } else if (e == Q2O_KAFKA_ABORTABLE || e == Q2O_KAFKA_RETRIABLE || e == Q2O_KAFKA_TIMEOUT) {
            aborts++;
            q2o_bus_txn_abort(p, 30000, detail, sizeof detail);
            if (q2o_bus_consumer_rewind(c, detail, sizeof detail) != Q2O_OK)
                eos_die("rewind: %s", detail);
        } else {
            eos_die("transaction: %s %s", q2o_err_name(e), detail);
        }
    }
    double secs = (double)(eos_mono_ns() - t_first) / 1e9;
    printf("passthrough: %lld messages (x%lld out) in %lld transactions (%lld aborted) in %.2f s: %.0f msg/s\n", done,
           copies, txns, aborts, secs, (double)done / secs);
    free(batch);
    q2o_bus_producer_free(p);
    q2o_bus_consumer_free(c);
    return 0;
}
