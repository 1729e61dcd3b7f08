/* Client error handling against injected faults: a broker down and back,
 * Produce requests failing with NOT_LEADER_FOR_PARTITION, a partition
 * leader moving mid-stream. Nothing produced may be lost, and per key the
 * order holds (redelivery of a run is allowed: at least once). */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "bus_fixture.h"

BUS_FX_SUITE(bus_faults, 3, 3);
static const char *const keys[] = {"Q-1", "Q-2", "Q-3", "Q-4", "Q-5", "Q-6"};
#define N_KEYS 6

/* Checks what arrives: index i belongs to key i % N_KEYS; per key each new
 * index is the next one (no gap, no reordering); repeats are counted. */
typedef struct ledger {
    int next[N_KEYS]; /* next index expected per key */
    int distinct, repeats;
} ledger;

static void ledger_init(ledger *l)
{
    memset(l, 0, sizeof *l);
    for (int k = 0; k < N_KEYS; k++)
        l->next[k] = k;
}

static void ledger_take(ledger *l, const q2o_bus_msg *m)
{
    int i = bus_fx_index(m), k = i % N_KEYS;
    cr_assert(m->key_len == strlen(keys[k]) && memcmp(m->key, keys[k], m->key_len) == 0, "key of %d", i);
    if (i < l->next[k]) {
        l->repeats++;
        return;
    }
    cr_assert_eq(i, l->next[k], "key %s: got %d, expected %d (lost or reordered)", keys[k], i, l->next[k]);
    l->next[k] += N_KEYS;
    l->distinct++;
}

static void consume_until(q2o_bus_consumer *c, ledger *l, int distinct, int timeout_ms)
{
    while (l->distinct < distinct) {
        q2o_bus_msg *m = bus_fx_next(c, timeout_ms);
        cr_assert(m, "stalled after %d of %d", l->distinct, distinct);
        ledger_take(l, m);
        q2o_bus_msg_free(m);
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

Test(bus_faults, broker_down_then_up_loses_nothing)
{
    ledger l;
    ledger_init(&l);
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-down", fx.commands, NULL, NULL);
    bus_fx_produce_range(p, fx.commands, keys, N_KEYS, 0, 60);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);
    consume_until(c, &l, 30, 15000);

    cr_assert_eq(q2o_bus_mock_broker_down(fx.mock, 1), Q2O_OK);
    bus_fx_produce_range(p, fx.commands, keys, N_KEYS, 60, 120); /* queued while its leader is down */
    for (int i = 0; i < 10; i++) {                               /* consume what stays reachable */
        q2o_bus_msg *m = NULL;
        cr_assert_eq(q2o_bus_consumer_poll(c, 100, &m), Q2O_OK);
        if (m)
            ledger_take(&l, m);
        q2o_bus_msg_free(m);
    }
    sleep_ms(500);
    cr_assert_eq(q2o_bus_mock_broker_up(fx.mock, 1), Q2O_OK);
    cr_assert_eq(q2o_bus_flush(p, 15000), Q2O_OK);
    consume_until(c, &l, 120, 15000);
    cr_assert_eq(l.distinct, 120);
    q2o_bus_consumer_free(c);
    q2o_bus_producer_free(p);
}

Test(bus_faults, produce_not_leader_errors_are_retried_transparently)
{
    ledger l;
    ledger_init(&l);
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    cr_assert_eq(q2o_bus_mock_push_errors(fx.mock, 0 /* Produce */, 6 /* NOT_LEADER_FOR_PARTITION */, 5), Q2O_OK);
    bus_fx_produce_range(p, fx.commands, keys, N_KEYS, 0, 30);
    cr_assert_eq(q2o_bus_flush(p, 15000), Q2O_OK);
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-notleader", fx.commands, NULL, NULL);
    consume_until(c, &l, 30, 15000);
    /* The idempotent producer retried without duplicating anything. */
    cr_assert_null(bus_fx_next(c, 500));
    cr_assert_eq(l.repeats, 0);
    q2o_bus_consumer_free(c);
    q2o_bus_producer_free(p);
}

Test(bus_faults, leader_moves_during_consumption)
{
    ledger l;
    ledger_init(&l);
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-leader", fx.commands, NULL, NULL);
    bus_fx_produce_range(p, fx.commands, keys, N_KEYS, 0, 30);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);
    consume_until(c, &l, 12, 15000);
    for (int32_t part = 0; part < 3; part++) /* every partition to another broker */
        cr_assert_eq(q2o_bus_mock_set_leader(fx.mock, fx.commands, part, 1 + (part + 1) % 3), Q2O_OK);
    bus_fx_produce_range(p, fx.commands, keys, N_KEYS, 30, 60);
    cr_assert_eq(q2o_bus_flush(p, 15000), Q2O_OK);
    consume_until(c, &l, 60, 15000);
    q2o_bus_consumer_free(c);
    q2o_bus_producer_free(p);
}

Test(bus_faults, unknown_broker_is_an_invalid_argument)
{
    q2o_err e42 = q2o_bus_mock_broker_down(fx.mock, 42);
    cr_assert_eq(e42, Q2O_INVALID_ARGUMENT, "%s", q2o_err_name(e42));
    cr_assert_eq(q2o_bus_mock_broker_up(fx.mock, 42), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_bus_mock_push_errors(fx.mock, 0, 6, 0), Q2O_INVALID_ARGUMENT);
}
