/* The group consumer: the assignment callback sees the partitions before
 * any of their messages, start offsets it sets are honoured, and the
 * assignment, positions and lag are reported. */
#include <criterion/criterion.h>
#include <string.h>

#include "bus_fixture.h"

BUS_FX_SUITE(bus_group, 1, 2);

typedef struct seen {
    int assigned_calls, revoked_calls;
    size_t n;
    int32_t partitions[8];
    int64_t offered[8];
    int64_t start_at; /* what the callback sets on every partition */
} seen;

static void on_rebalance(void *ctx, int assigned, q2o_bus_partition *parts, size_t n)
{
    seen *s = ctx;
    if (!assigned) {
        s->revoked_calls++;
        return;
    }
    s->assigned_calls++;
    s->n = n;
    for (size_t i = 0; i < n && i < 8; i++) {
        cr_assert_str_eq(parts[i].topic, fx.commands);
        s->partitions[i] = parts[i].partition;
        s->offered[i] = parts[i].offset;
        parts[i].offset = s->start_at;
    }
}

Test(bus_group, assignment_callback_sees_every_partition_with_committed_default)
{
    seen s = {.start_at = -1000};
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-assign", fx.commands, on_rebalance, &s);
    q2o_bus_msg *m = bus_fx_next(c, 6000); /* nothing produced: only the assignment */
    cr_assert_null(m);
    cr_assert_eq(s.assigned_calls, 1);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.partitions[0] + s.partitions[1], 1, "partitions 0 and 1");
    cr_assert_eq(s.offered[0], -1000);
    cr_assert_eq(s.offered[1], -1000);

    q2o_bus_partition parts[4];
    cr_assert_eq(q2o_bus_consumer_assignment(c, parts, 4), 2);
    q2o_bus_consumer_free(c); /* leaving the group revokes first */
    cr_assert_eq(s.revoked_calls, 1);
}

Test(bus_group, start_offset_set_by_callback_is_honoured)
{
    static const char *const key[] = {"Q-1"};
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    bus_fx_produce_range(p, fx.commands, key, 1, 0, 10);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);

    seen s = {.start_at = 7};
    q2o_bus_consumer *c = bus_fx_consumer(&fx, "g-start", fx.commands, on_rebalance, &s);
    q2o_bus_msg *m = bus_fx_next(c, 15000);
    cr_assert(m);
    cr_assert_eq(m->offset, 7, "started at %lld", (long long)m->offset);
    cr_assert_eq(bus_fx_index(m), 7);
    q2o_bus_msg_free(m);

    /* Position after offset 7 is 8; the partition ends at 10. */
    int64_t lag = -1;
    cr_assert_eq(q2o_bus_consumer_lag(c, &lag), Q2O_OK);
    cr_assert_eq(lag, 2, "lag %lld", (long long)lag);
    q2o_bus_partition parts[4];
    size_t n = q2o_bus_consumer_assignment(c, parts, 4);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i].offset == 8)
            found = 1;
    cr_assert(found, "a partition positioned at 8");
    q2o_bus_consumer_free(c);
    q2o_bus_producer_free(p);
}
