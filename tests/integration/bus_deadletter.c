/* Dead letters carry the original bytes, key and headers plus why. */
#include <criterion/criterion.h>
#include <string.h>

#include "bus_fixture.h"

BUS_FX_SUITE(bus_deadletter, 1, 1);
static char detail[512];

static q2o_bus_msg *poison(q2o_bus_consumer *c)
{
    static const unsigned char bad[] = {0xde, 0xad, 0x00, 0xbe, 0xef};
    q2o_bus_header hdr = {Q2O_CE_ID, "cmd-9", 5};
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    cr_assert_eq(q2o_bus_produce(p, fx.commands, -1, "Q-9", 3, bad, sizeof bad, &hdr, 1), Q2O_OK);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);
    q2o_bus_producer_free(p);
    q2o_bus_msg *m = bus_fx_next(c, 15000);
    cr_assert(m);
    return m;
}

static void assert_dead_letter(q2o_bus_consumer *dlq, const q2o_bus_msg *orig)
{
    q2o_bus_msg *d = bus_fx_next(dlq, 15000);
    cr_assert(d, "no dead letter");
    cr_assert_eq(d->value_len, orig->value_len);
    cr_assert(memcmp(d->value, orig->value, d->value_len) == 0, "original bytes");
    cr_assert(d->key_len == 3 && memcmp(d->key, "Q-9", 3) == 0);
    bus_fx_assert_header(d, Q2O_CE_ID, "cmd-9");
    bus_fx_assert_header(d, Q2O_DLQ_REASON, "WIRE_BAD_MAGIC");
    bus_fx_assert_header(d, Q2O_DLQ_DETAIL, "no C3 01 marker");
    bus_fx_assert_header(d, Q2O_DLQ_TOPIC, fx.commands);
    bus_fx_assert_header(d, Q2O_DLQ_PARTITION, "0");
    bus_fx_assert_header(d, Q2O_DLQ_OFFSET, "0");
    q2o_bus_msg_free(d);
}

Test(bus_deadletter, carries_reason_headers_and_original_bytes)
{
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-worker", fx.commands, NULL, NULL);
    q2o_bus_consumer *dlq = bus_fx_consumer(&fx, "g-dlq", fx.deadletter, NULL, NULL);
    q2o_bus_msg *m = poison(c);
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    cr_assert_eq(q2o_bus_deadletter(p, &fx.cfg, m, Q2O_WIRE_BAD_MAGIC, "no C3 01 marker"), Q2O_OK);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);
    assert_dead_letter(dlq, m);
    q2o_bus_producer_free(p);
    q2o_bus_msg_free(m);
    q2o_bus_consumer_free(dlq);
    q2o_bus_consumer_free(c);
}

Test(bus_deadletter, inside_the_open_transaction)
{
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-worker", fx.commands, NULL, NULL);
    q2o_bus_consumer *dlq = bus_fx_consumer(&fx, "g-dlq", fx.deadletter, NULL, NULL);
    q2o_bus_msg *m = poison(c);
    q2o_bus_producer *p = bus_fx_producer(&fx, "txn-dlq");
    cr_assert_eq(q2o_bus_txn_begin(p, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_bus_deadletter(p, &fx.cfg, m, Q2O_WIRE_BAD_MAGIC, "no C3 01 marker"), Q2O_OK);
    cr_assert_eq(q2o_bus_txn_send_offsets(p, c, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_txn_commit(p, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    assert_dead_letter(dlq, m);
    q2o_bus_producer_free(p);
    q2o_bus_msg_free(m);
    q2o_bus_consumer_free(dlq);
    q2o_bus_consumer_free(c);
}
