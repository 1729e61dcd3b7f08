/* The ERP worker: one OrderCreated per converted (quote, revision), even
 * when the QuoteConvertedToOrder event is consumed twice or the worker
 * restarts (the mock keeps no group offsets: every event comes again). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/order_codec.h"
#include "core/strutil.h"
#include "quote_fixture.h"
#include "worker_harness.h"

TestSuite(worker_erp);


/* Drive quote Q-E to CONVERTED through the quote worker, mirroring every
 * command into a fixture (same catalog, policy and clock) to build the next
 * one; returns the number of commands sent. */
static int convert_through_worker(hx *h, fx *f, char ids[][Q2O_ID_MAX], const char **idp)
{
    static const q2o_command_type steps[] = {
        Q2O_CMD_CREATE_QUOTE,   Q2O_CMD_ADD_LINE,     Q2O_CMD_PRICE_QUOTE,  Q2O_CMD_SUBMIT_FOR_APPROVAL,
        Q2O_CMD_ATTACH_DOCUMENT, Q2O_CMD_PRESENT_QUOTE, Q2O_CMD_ACCEPT_QUOTE, Q2O_CMD_CONVERT_TO_ORDER};
    int n = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        q2o_command c;
        if (steps[i] == Q2O_CMD_ADD_LINE) {
            c = hx_add_line(h, "Q-E", "L1", 10);
        } else {
            c = fx_command_for(f, steps[i], NULL);
            Q2O_STRCPY(c.quote_id, "Q-E");
            snprintf(c.command_id, sizeof c.command_id, "Q-E-s%zu", i);
        }
        cr_assert_eq(fx_send(f, &c), Q2O_OK, "%s: %s", q2o_command_type_name(c.type), f->last.detail);
        hx_send(h, &c);
        Q2O_STRCPY(ids[n], c.command_id);
        idp[n] = ids[n];
        n++;
    }
    return n;
}

static size_t read_orders(hx *h, q2o_order_codec *oc, q2o_order_event *out, size_t max)
{
    hx_msgs ms;
    char detail[256];
    size_t n = 0;
    hx_read(h, Q2O_TOPIC_ORDER_EVENTS, &ms);
    for (size_t i = 0; i < ms.n && n < max; i++)
        cr_assert_eq(q2o_order_codec_decode(oc, ms.m[i]->value, ms.m[i]->value_len, &out[n++], detail, sizeof detail),
                     Q2O_OK, "%s", detail);
    n = ms.n;
    hx_msgs_free(&ms);
    return n;
}

typedef struct consumed_at_least {
    hx_worker *hw;
    uint64_t n;
} consumed_at_least;

static int has_consumed(void *ctx)
{
    consumed_at_least *c = ctx;
    q2o_worker_stats st;
    q2o_worker_stats_get(c->hw->w, &st);
    return st.consumed >= c->n;
}

Test(worker_erp, one_order_per_converted_revision_even_when_the_conversion_comes_twice)
{
    hx h;
    hx_worker quote, erp;
    fx f;
    char ids[16][Q2O_ID_MAX];
    const char *idp[16];
    q2o_order_codec *oc = NULL;
    q2o_order_event orders[4];
    cr_assert_eq(q2o_order_codec_open(&oc), Q2O_OK);
    hx_init(&h, 1);
    hx_fx_init(&f);
    hx_quote_start(&h, &quote, "quote-e", NULL);
    hx_erp_start(&h, &erp, "erp-1");
    hx_wait_ready(&quote, 20000);
    hx_wait_ready(&erp, 20000);

    int n = convert_through_worker(&h, &f, ids, idp);
    hx_wait_results(&h, idp, (size_t)n, 30000);
    hx_result rs[16];
    size_t nr = hx_results(&h, rs, 16);
    for (size_t i = 0; i < nr; i++)
        cr_assert_eq(rs[i].r.status, Q2O_RESULT_ACCEPTED, "%s: %s %s", rs[i].r.command_id, q2o_err_name(rs[i].r.code),
                     rs[i].r.detail);
    const hx_result *conv = hx_result_of(rs, nr, ids[n - 1]);

    size_t events = hx_check_events(&h, NULL, 0, NULL);
    consumed_at_least all = {&erp, events};
    hx_wait(has_consumed, &all, 30000, "the ERP worker to consume every quote event");
    cr_assert_eq(read_orders(&h, oc, orders, 4), 1);
    const q2o_order_created *o = &orders[0].u.created;
    cr_assert_eq(orders[0].type, Q2O_ORDER_EV_CREATED);
    cr_assert_str_eq(o->order_id, conv->r.order_id);
    cr_assert_str_eq(o->order_number, conv->r.order_number);
    cr_assert_str_eq(o->quote_id, "Q-E");
    cr_assert_eq(o->revision, 1);
    cr_assert_str_eq(o->currency, "USD");
    cr_assert_str_eq(o->idempotency_key, "conv-key-1");
    cr_assert_gt(o->grand_total, 0);
    cr_assert_str_eq(orders[0].event_id, "order/Q-E/1");

    /* the conversion event delivered a second time */
    hx_msgs ms;
    char type[64];
    hx_read(&h, Q2O_TOPIC_QUOTE_EVENTS, &ms);
    int again = 0;
    for (size_t i = 0; i < ms.n; i++) {
        if (!hx_header(ms.m[i], Q2O_CE_TYPE, type, sizeof type) || strcmp(type, "QuoteConvertedToOrder"))
            continue;
        hx_produce(&h, Q2O_TOPIC_QUOTE_EVENTS, ms.m[i]->partition, "Q-E", ms.m[i]->value, ms.m[i]->value_len, NULL, 0);
        again++;
    }
    hx_msgs_free(&ms);
    cr_assert_eq(again, 1);
    all.n = events + 1;
    hx_wait(has_consumed, &all, 30000, "the duplicate conversion");
    cr_assert_eq(read_orders(&h, oc, orders, 4), 1, "still exactly one order");

    /* restart: every event again (no committed offsets on the mock) */
    cr_assert_eq(hx_stop(&erp), Q2O_OK);
    hx_erp_start(&h, &erp, "erp-1");
    hx_wait_ready(&erp, 20000);
    all.n = events + 1;
    hx_wait(has_consumed, &all, 30000, "the redelivered events");
    cr_assert_eq(read_orders(&h, oc, orders, 4), 1, "still exactly one order after a restart");

    cr_assert_eq(hx_stop(&erp), Q2O_OK);
    cr_assert_eq(hx_stop(&quote), Q2O_OK);
    fx_release(&f);
    q2o_order_codec_close(oc);
    hx_fini(&h);
}
