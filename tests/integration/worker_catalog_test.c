/*
 * The quote worker prices with the catalog published on the catalog topic
 * (runtime/catalog_feed.h): nothing before one is published, a new version
 * from the next command on, and a document that does not load changes
 * nothing and stops nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "worker_harness.h"

static char *read_sample(size_t *len)
{
    FILE *f = fopen(HX_CATALOG, "rb");
    cr_assert(f != NULL);
    char *buf = calloc(1, 1u << 20);
    cr_assert(buf != NULL);
    *len = fread(buf, 1, (1u << 20) - 1, f);
    fclose(f);
    return buf;
}

/* The sample with its version and the user price changed (same length). */
static void publish_version_8(hx *h)
{
    size_t len;
    char *doc = read_sample(&len);
    char *v = strstr(doc, "\"version\": 7,");
    char *p = strstr(doc, "{\"offering_id\": \"SAAS-ENT-USER\", \"unit_price\": 5000}");
    cr_assert(v && p, "the sample's layout changed: adapt this test");
    v[11] = '8';
    memcpy(strstr(p, "5000"), "6000", 4);
    hx_produce(h, Q2O_TOPIC_CATALOG, 0, "saas-suite", doc, len, NULL, 0);
    free(doc);
}

/* The catalog version and list unit price of the last QuotePriced of a quote. */
static void last_priced(hx *h, const char *quote_id, int64_t *catalog_version, int64_t *list_unit)
{
    hx_msgs ms;
    char detail[256];
    q2o_event ev;
    *catalog_version = *list_unit = -1;
    hx_read(h, Q2O_TOPIC_QUOTE_EVENTS, &ms);
    for (size_t i = 0; i < ms.n; i++) {
        cr_assert_eq(q2o_codec_decode_event(h->codec, ms.m[i]->value, ms.m[i]->value_len, &ev, detail, sizeof detail),
                     Q2O_OK, "%s", detail);
        if (ev.type == Q2O_EV_PRICED && strcmp(ev.quote_id, quote_id) == 0 && ev.u.priced.n_lines) {
            *catalog_version = ev.u.priced.lines[0].price.catalog_version;
            *list_unit = ev.u.priced.lines[0].price.list_unit;
        }
        q2o_event_release(&ev);
    }
    hx_msgs_free(&ms);
}

static const hx_result *send_and_wait(hx *h, const q2o_command *c, hx_result *rs, size_t max)
{
    const char *id = c->command_id;
    hx_send(h, c);
    hx_wait_results(h, &id, 1, 30000);
    size_t n = hx_results(h, rs, max);
    const hx_result *r = hx_result_of(rs, n, id);
    cr_assert(r != NULL);
    return r;
}

static void price_again(hx *h, const char *quote, int64_t qty, hx_result *rs, size_t max)
{
    q2o_command ch = hx_add_line(h, quote, "L1", qty);
    ch.type = Q2O_CMD_CHANGE_LINE;
    const hx_result *r = send_and_wait(h, &ch, rs, max);
    cr_assert_eq(r->r.status, Q2O_RESULT_ACCEPTED, "%s", r->r.detail);
    q2o_command pr = hx_cmd(h, Q2O_CMD_PRICE_QUOTE, quote);
    r = send_and_wait(h, &pr, rs, max);
    cr_assert_eq(r->r.status, Q2O_RESULT_ACCEPTED, "%s %s", q2o_err_name(r->r.code), r->r.detail);
}

Test(worker_catalog, pricing_waits_for_a_catalog_and_follows_new_versions)
{
    static hx h;
    static hx_worker qw;
    static hx_result rs[64];
    hx_init_with(&h, 1, NULL);
    hx_quote_start(&h, &qw, "quote-cat", NULL);
    hx_wait_ready(&qw, 20000);

    q2o_command c = hx_create(&h, "Q-CAT");
    cr_assert_eq(send_and_wait(&h, &c, rs, 64)->r.status, Q2O_RESULT_ACCEPTED);
    c = hx_add_line(&h, "Q-CAT", "L1", 10);
    cr_assert_eq(send_and_wait(&h, &c, rs, 64)->r.status, Q2O_RESULT_ACCEPTED);
    c = hx_cmd(&h, Q2O_CMD_PRICE_QUOTE, "Q-CAT");
    const hx_result *r = send_and_wait(&h, &c, rs, 64);
    cr_assert_eq(r->r.status, Q2O_RESULT_REJECTED);
    cr_assert_eq(r->r.code, Q2O_CATALOG_NOT_LOADED, "got %s", q2o_err_name(r->r.code));

    int64_t version, unit;
    hx_publish_catalog(&h, HX_CATALOG);
    hx_sleep_ms(1200); /* the worker looks at most every second */
    price_again(&h, "Q-CAT", 11, rs, 64);
    last_priced(&h, "Q-CAT", &version, &unit);
    cr_assert_eq(version, 7);
    cr_assert_eq(unit, 5000);

    publish_version_8(&h);
    hx_sleep_ms(1200);
    price_again(&h, "Q-CAT", 12, rs, 64);
    last_priced(&h, "Q-CAT", &version, &unit);
    cr_assert_eq(version, 8, "the line pins the catalog version it was priced with");
    cr_assert_eq(unit, 6000);

    /* version 9, but its amount is a float: the loader refuses it */
    static const char garbage[] = "{\"format\": \"q2o.catalog.v1\", \"id\": \"saas-suite\", \"version\": 9, "
                                  "\"offerings\": [{\"id\": \"X\", \"name\": \"X\", \"uom\": \"each\", "
                                  "\"charge\": \"one_time\", \"unit_cost\": 1.5}]}";
    hx_produce(&h, Q2O_TOPIC_CATALOG, 0, "saas-suite", garbage, sizeof garbage - 1, NULL, 0);
    hx_sleep_ms(1200);
    price_again(&h, "Q-CAT", 13, rs, 64);
    last_priced(&h, "Q-CAT", &version, &unit);
    cr_assert_eq(version, 8, "a document that does not load leaves the previous version active");
    cr_assert(q2o_worker_running(qw.w));

    cr_assert_eq(hx_stop(&qw), Q2O_OK);
    hx_fini(&h);
}
