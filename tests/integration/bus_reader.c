/* The reader: a group-less consumer of one partition, read from an offset
 * up to the end the broker reports (the last stable offset for a
 * read_committed reader). On the mock there are no transaction markers,
 * so offsets are contiguous here; the reader never relies on that. */
#include <criterion/criterion.h>
#include <string.h>

#include "bus_fixture.h"

static bus_fx fx;
static char detail[512];
static const char *const key[] = {"Q-7"};

static void setup(void)
{
    bus_fx_start(&fx, 1, 1);
    q2o_bus_producer *p = bus_fx_producer(&fx, NULL);
    bus_fx_produce_range(p, fx.events, key, 1, 0, 12);
    cr_assert_eq(q2o_bus_flush(p, 5000), Q2O_OK);
    q2o_bus_producer_free(p);
}

static void teardown(void)
{
    bus_fx_stop(&fx);
}

TestSuite(bus_reader, .init = setup, .fini = teardown);

/* The restore loop of a worker: read until the position reaches the end. */
static int read_to_end(q2o_bus_reader *r, int64_t end, int first_index)
{
    int64_t pos = -1;
    int n = 0;
    for (int polls = 0; pos < end && polls < 200; polls++) {
        q2o_bus_msg *m = NULL;
        cr_assert_eq(q2o_bus_reader_poll(r, 100, &m, &pos), Q2O_OK);
        if (!m)
            continue;
        cr_assert_eq(bus_fx_index(m), first_index + n, "message %d", n);
        cr_assert_eq(pos, m->offset + 1);
        n++;
        q2o_bus_msg_free(m);
    }
    cr_assert_eq(pos, end, "position %lld, end %lld", (long long)pos, (long long)end);
    return n;
}

Test(bus_reader, reads_from_an_offset_to_the_end)
{
    q2o_bus_reader *r = NULL;
    int64_t end = -1;
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, 0, 5, &r, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_reader_end(r, &end), Q2O_OK);
    cr_assert_eq(end, 12);
    cr_assert_eq(read_to_end(r, end, 5), 7);
    q2o_bus_reader_free(r);
}

Test(bus_reader, reads_from_the_beginning)
{
    q2o_bus_reader *r = NULL;
    int64_t end = -1;
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, 0, -2, &r, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_bus_reader_end(r, &end), Q2O_OK);
    cr_assert_eq(read_to_end(r, end, 0), 12);
    q2o_bus_reader_free(r);
}

Test(bus_reader, at_the_end_already_returns_nothing)
{
    q2o_bus_reader *r = NULL;
    q2o_bus_msg *m = NULL;
    int64_t pos = -1;
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, 0, 12, &r, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_bus_reader_poll(r, 300, &m, &pos), Q2O_OK);
    cr_assert_null(m);
    cr_assert_eq(pos, 12);
    q2o_bus_reader_free(r);
}

Test(bus_reader, rejects_a_logical_offset)
{
    q2o_bus_reader *r = NULL;
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, 0, -1000, &r, detail, sizeof detail), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_bus_reader_new(&fx.cfg, fx.events, -1, 0, &r, detail, sizeof detail), Q2O_INVALID_ARGUMENT);
    cr_assert_null(r);
}
