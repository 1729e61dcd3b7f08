/* bus_fixture.h — a mock cluster per test (Criterion forks each test, so
 * the cluster is started inside it) and helpers to produce and consume. */
#ifndef Q2O_BUS_FIXTURE_H
#define Q2O_BUS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "bus/bus.h"

typedef struct bus_fx {
    q2o_bus_mock *mock;
    q2o_bus_config cfg;
    char commands[Q2O_BUS_NAME_MAX]; /* the q2o topics under the default prefix */
    char events[Q2O_BUS_NAME_MAX];
    char deadletter[Q2O_BUS_NAME_MAX];
} bus_fx;

/* Declares the file's `fx` and a Criterion suite whose every test runs
 * on a fresh cluster of `brokers` with `partitions` per topic.
 * No Criterion .timeout: with --jobs 2 Criterion 2.4's runner leaks 48 bytes
 * of timeout bookkeeping (LeakSanitizer fails the ASan build). Every wait
 * in these tests has its own deadline instead, and ctest bounds the binary. */
#define BUS_FX_SUITE(suite, brokers, partitions) \
    static bus_fx fx; \
    static void suite##_setup(void) \
    { \
        bus_fx_start(&fx, (brokers), (partitions)); \
    } \
    static void suite##_teardown(void) \
    { \
        bus_fx_stop(&fx); \
    } \
    TestSuite(suite, .init = suite##_setup, .fini = suite##_teardown)

/* Start a mock cluster of `brokers` and create every q2o topic with
 * `partitions` partitions; cfg points at it. */
void bus_fx_start(bus_fx *fx, int brokers, int partitions);
void bus_fx_stop(bus_fx *fx);

q2o_bus_producer *bus_fx_producer(bus_fx *fx, const char *transactional_id);
q2o_bus_consumer *bus_fx_consumer(bus_fx *fx, const char *group, const char *topic, q2o_bus_rebalance_fn fn,
                                  void *ctx);

/* Produce "<prefix>-<i>" values for i in [from, to) with key keys[i % n_keys]
 * to partition -1 (by key). */
void bus_fx_produce_range(q2o_bus_producer *p, const char *topic, const char *const *keys, size_t n_keys,
                          int from, int to);

/* Poll until a message arrives or timeout_ms passes (NULL then). */
q2o_bus_msg *bus_fx_next(q2o_bus_consumer *c, int timeout_ms);

/* Value of a message as a NUL-terminated string (copied into buf). */
const char *bus_fx_value(const q2o_bus_msg *m, char *buf, size_t size);

/* The value index i of a message produced by bus_fx_produce_range. */
int bus_fx_index(const q2o_bus_msg *m);

/* Assert a message has header `name` with exactly the bytes of `want`. */
void bus_fx_assert_header(const q2o_bus_msg *m, const char *name, const char *want);

#endif
