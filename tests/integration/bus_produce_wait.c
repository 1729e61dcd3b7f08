/* q2o_bus_produce_wait: one message, its delivery report waited for, the
 * offset it was written at returned (q2octl catalog load prints it). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bus_fixture.h"

BUS_FX_SUITE(bus_produce_wait, 1, 2);

static char detail[512];

Test(bus_produce_wait, returns_the_offset_of_each_delivered_message)
{
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    for (int64_t i = 0; i < 3; i++) {
        int64_t off = -1;
        cr_assert_eq(q2o_bus_produce_wait(p, fx.events, 1, "k", 1, "v", 1, NULL, 0, 10000, &off, detail,
                                          sizeof detail),
                     Q2O_OK, "%s", detail);
        cr_assert_eq(off, i, "message %lld written at %lld", (long long)i, (long long)off);
    }
    q2o_bus_reader *r = NULL;
    int64_t end = -1;
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, 1, -2, &r, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_reader_end(r, &end), Q2O_OK);
    cr_assert_eq(end, 3);
    q2o_bus_reader_free(r);
    q2o_bus_producer_free(p);
}

Test(bus_produce_wait, a_message_above_message_max_bytes_is_refused_not_waited_for)
{
    size_t n = 2000000; /* librdkafka's default message.max.bytes is 1,000,000 */
    char *big = calloc(1, n);
    int64_t off = -1;
    cr_assert_not_null(big);
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    q2o_err e = q2o_bus_produce_wait(p, fx.events, 0, "k", 1, big, n, NULL, 0, 10000, &off, detail, sizeof detail);
    cr_assert_neq(e, Q2O_OK);
    cr_assert(strstr(detail, "MSG_SIZE_TOO_LARGE") != NULL, "%s", detail);
    cr_assert_eq(off, -1);
    q2o_bus_producer_free(p);
    free(big);
}

Test(bus_produce_wait, refused_on_a_transactional_producer)
{
    q2o_bus_producer *p = bus_fx_producer(&fx, "txn-wait");
    int64_t off = -1;
    cr_assert_eq(q2o_bus_produce_wait(p, fx.events, 0, "k", 1, "v", 1, NULL, 0, 1000, &off, detail, sizeof detail),
                 Q2O_INVALID_ARGUMENT);
    q2o_bus_producer_free(p);
}
