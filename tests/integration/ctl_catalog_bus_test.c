/*
 * q2octl catalog load / show and waterfall against librdkafka's mock
 * cluster: a loaded catalog lands as one message with the feed's key,
 * bytes and headers at the offset load reports; show reads the topic back
 * (newest version per id, digest as validated), also for a catalog above
 * librdkafka's default 1 MB message size; the waterfall of a quote comes
 * from its events on the events topic through the same view `show` uses.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus.h"
#include "core/log.h"
#include "core/sha256.h"
#include "ctl/catalog.h"
#include "ctl/client.h"
#include "ctl/waterfall.h"
#include "quote_fixture.h"
#include "runtime/catalog_feed.h"

#define SAMPLES Q2O_SOURCE_DIR "/schemas/catalog/"

typedef struct cat_fx {
    q2o_bus_mock *mock;
    q2o_config cfg;
    char topic[Q2O_BUS_NAME_MAX];
    char detail[512];
} cat_fx;

static void start(cat_fx *c)
{
    memset(c, 0, sizeof *c);
    q2o_log_set_level(Q2O_LOG_ERROR);
    q2o_bus_config_default(&c->cfg.bus);
    cr_assert_eq(q2o_bus_mock_start(1, &c->mock, c->cfg.bus.bootstrap, sizeof c->cfg.bus.bootstrap), Q2O_OK);
    c->cfg.bus.partitions = 3;
    cr_assert_eq(q2o_bus_config_set(&c->cfg.bus, "topic.metadata.refresh.interval.ms", "200"), Q2O_OK);
    cr_assert_eq(q2o_bus_config_set(&c->cfg.bus, "fetch.wait.max.ms", "10"), Q2O_OK);
    q2o_bus_topic(&c->cfg.bus, Q2O_TOPIC_CATALOG, c->topic, sizeof c->topic);
    cr_assert_eq(q2o_bus_mock_create_topic(c->mock, c->topic, 1), Q2O_OK);
}

static void stop(cat_fx *c)
{
    q2o_bus_mock_stop(c->mock);
}

static int64_t load(cat_fx *c, const char *file, q2o_ctl_catalog_file *f)
{
    int64_t offset = -1;
    cr_assert_eq(q2o_ctl_catalog_file_load(file, Q2O_CATALOG_MESSAGE_MAX, f), Q2O_OK, "%s", file);
    cr_assert_eq(q2o_ctl_catalog_publish(&c->cfg, f, 1782986400000LL, 20000, &offset, c->detail, sizeof c->detail),
                 Q2O_OK, "%s", c->detail);
    return offset;
}

static void assert_header(const q2o_bus_msg *m, const char *name, const char *want)
{
    const q2o_bus_header *h = q2o_bus_msg_header(m, name);
    cr_assert_not_null(h, "header %s", name);
    cr_assert_eq(h->len, strlen(want), "header %s: %.*s", name, (int)h->len, (const char *)h->value);
    cr_assert(memcmp(h->value, want, h->len) == 0, "header %s: %.*s", name, (int)h->len, (const char *)h->value);
}

Test(ctl_catalog_bus, load_publishes_the_files_bytes_with_the_feed_headers_at_the_reported_offset)
{
    cat_fx c;
    q2o_ctl_catalog_file saas, telecom;
    char hex[Q2O_SHA256_HEX_LEN];
    start(&c);
    cr_assert_eq(load(&c, SAMPLES "saas-suite.json", &saas), 0);
    cr_assert_eq(load(&c, SAMPLES "telecom-base-station.json", &telecom), 1);

    q2o_bus_reader *r = NULL;
    q2o_bus_msg *m = NULL;
    int64_t pos = 0;
    cr_assert_eq(q2o_bus_reader_new(&c.cfg.bus, c.topic, 0, 0, &r, c.detail, sizeof c.detail), Q2O_OK);
    for (int i = 0; i < 100 && !m; i++)
        cr_assert_eq(q2o_bus_reader_poll(r, 100, &m, &pos), Q2O_OK);
    cr_assert_not_null(m);
    cr_assert_eq(m->offset, 0);
    cr_assert_eq(m->key_len, strlen("saas-suite"));
    cr_assert(memcmp(m->key, "saas-suite", m->key_len) == 0);
    cr_assert_eq(m->value_len, saas.len);
    cr_assert(memcmp(m->value, saas.bytes, saas.len) == 0, "the value is the file, byte for byte");
    assert_header(m, "content-type", "application/json");
    assert_header(m, "ce_type", "q2o.CatalogPublished");
    assert_header(m, "ce_id", "saas-suite/7");
    assert_header(m, "ce_specversion", "1.0");
    assert_header(m, "q2o_catalog_version", "7");
    assert_header(m, "q2o_catalog_digest", q2o_hex(saas.digest, Q2O_SHA256_LEN, hex));
    q2o_bus_msg_free(m);
    q2o_bus_reader_free(r);
    q2o_ctl_catalog_file_release(&saas);
    q2o_ctl_catalog_file_release(&telecom);
    stop(&c);
}

Test(ctl_catalog_bus, show_reads_back_the_newest_version_of_each_id_with_its_digest)
{
    cat_fx c;
    q2o_ctl_catalog_file saas, telecom, again;
    q2o_ctl_catalog_set s;
    start(&c);
    load(&c, SAMPLES "saas-suite.json", &saas);
    load(&c, SAMPLES "telecom-base-station.json", &telecom);
    cr_assert_eq(load(&c, SAMPLES "saas-suite.json", &again), 2, "a re-publish is a new message ...");
    cr_assert_eq(q2o_ctl_catalog_read(&c.cfg, 20000, &s, c.detail, sizeof c.detail), Q2O_OK, "%s", c.detail);
    cr_assert_eq(s.end_offset, 3);
    cr_assert_eq(s.messages, 3);
    cr_assert_eq(s.stale, 1, "... that the fold ignores: same version");
    cr_assert_eq(s.skipped, 0);
    cr_assert_eq(s.n, 2);
    const q2o_ctl_catalog_entry *e = q2o_ctl_catalog_set_find(&s, "saas-suite");
    cr_assert_not_null(e);
    cr_assert_eq(e->catalog->version, 7);
    cr_assert_eq(e->offset, 0);
    cr_assert(memcmp(e->digest, saas.digest, Q2O_SHA256_LEN) == 0);
    e = q2o_ctl_catalog_set_find(&s, "telecom-base-station");
    cr_assert_not_null(e);
    cr_assert_eq(e->catalog->version, telecom.catalog->version);
    cr_assert(memcmp(e->digest, telecom.digest, Q2O_SHA256_LEN) == 0);
    cr_assert_not_null(q2o_catalog_offering(e->catalog, telecom.catalog->offerings[0].id), "sealed and usable");
    q2o_ctl_catalog_set_release(&s);
    q2o_ctl_catalog_file_release(&saas);
    q2o_ctl_catalog_file_release(&telecom);
    q2o_ctl_catalog_file_release(&again);
    stop(&c);
}

/* A valid catalog of about 1.5 MB: above librdkafka's 1,000,000-byte
 * default message.max.bytes, which load and show must raise. */
static void write_big_catalog(const char *path)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "{\"format\": \"q2o.catalog.v1\", \"id\": \"big\", \"version\": 3, \"offerings\": [\n");
    for (int i = 0; i < 14000; i++)
        fprintf(f, "%s{\"id\": \"OFF-%06d\", \"name\": \"Offering %06d, with a name long enough to weigh in\", "
                   "\"charge\": \"one_time\"}\n",
                i ? "," : "", i, i);
    fprintf(f, "]}\n");
    fclose(f);
}

Test(ctl_catalog_bus, a_catalog_above_one_megabyte_is_published_and_read_back)
{
    cat_fx c;
    q2o_ctl_catalog_file big;
    q2o_ctl_catalog_set s;
    char path[256];
    start(&c);
    snprintf(path, sizeof path, "%s/q2o-big-catalog-%d.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    write_big_catalog(path);
    cr_assert_eq(load(&c, path, &big), 0);
    cr_assert_gt(big.len, 1200000);
    cr_assert_eq(q2o_ctl_catalog_read(&c.cfg, 20000, &s, c.detail, sizeof c.detail), Q2O_OK, "%s", c.detail);
    const q2o_ctl_catalog_entry *e = q2o_ctl_catalog_set_find(&s, "big");
    cr_assert_not_null(e, "skipped %llu: %s", (unsigned long long)s.skipped, s.first_skipped);
    cr_assert_eq(e->catalog->n_offerings, 14000);
    cr_assert_eq(e->bytes, big.len);
    q2o_ctl_catalog_set_release(&s);
    q2o_ctl_catalog_file_release(&big);
    remove(path);
    stop(&c);
}

Test(ctl_catalog_bus, show_of_an_empty_topic_holds_no_catalog)
{
    cat_fx c;
    q2o_ctl_catalog_set s;
    start(&c);
    cr_assert_eq(q2o_ctl_catalog_read(&c.cfg, 20000, &s, c.detail, sizeof c.detail), Q2O_OK, "%s", c.detail);
    cr_assert_eq(s.n, 0);
    cr_assert_eq(s.end_offset, 0);
    q2o_ctl_catalog_set_release(&s);
    stop(&c);
}

Test(ctl_catalog_bus, waterfall_of_a_quote_read_from_the_events_topic)
{
    cat_fx c;
    fx quote;
    q2o_ctl_client *client = NULL;
    q2o_bus_producer *p = NULL;
    q2o_codec *codec = NULL;
    char events[Q2O_BUS_NAME_MAX];
    start(&c);
    q2o_bus_topic(&c.cfg.bus, Q2O_TOPIC_QUOTE_EVENTS, events, sizeof events);
    cr_assert_eq(q2o_bus_mock_create_topic(c.mock, events, 3), Q2O_OK);
    cr_assert_eq(q2o_ctl_client_open(&c.cfg, &client, c.detail, sizeof c.detail), Q2O_OK, "%s", c.detail);
    cr_assert_eq(q2o_bus_producer_new(&c.cfg.bus, NULL, &p, c.detail, sizeof c.detail), Q2O_OK);
    cr_assert_eq(q2o_codec_open_builtin(&codec), Q2O_OK);
    fx_init(&quote);
    fx_to_status(&quote, Q2O_ST_APPROVED);
    int32_t part = q2o_ctl_partition(&c.cfg, quote.q->quote_id, c.detail, sizeof c.detail);
    for (size_t i = 0; i < quote.n_log; i++) {
        uint8_t *buf = NULL;
        size_t len = 0;
        cr_assert_eq(q2o_codec_encode_event(codec, &quote.log[i], &buf, &len), Q2O_OK);
        cr_assert_eq(q2o_bus_produce(p, events, part, quote.q->quote_id, strlen(quote.q->quote_id), buf, len, NULL, 0),
                     Q2O_OK);
        free(buf);
    }
    cr_assert_eq(q2o_bus_flush(p, 10000), Q2O_OK);

    q2o_ctl_waterfall w;
    q2o_ctl_view_report rep;
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_waterfall_init(&w, 0);
    q2o_ctl_view_opts o = {.on_event = q2o_ctl_waterfall_on_event, .ctx = &w, .timeout_ms = 20000};
    cr_assert_eq(q2o_ctl_load(client, quote.q->quote_id, &o, q, &rep, c.detail, sizeof c.detail), Q2O_OK, "%s",
                 c.detail);
    cr_assert(rep.chain_ok, "%s", rep.first_bad_detail);
    cr_assert(w.found);
    const q2o_revision *rev = q2o_quote_current(quote.q);
    cr_assert_eq(w.priced.revision, rev->number);
    cr_assert_eq(w.priced.u.priced.grand_total, rev->grand_total);
    cr_assert(memcmp(w.priced.u.priced.pricing_fp, rev->pricing_fp, Q2O_SHA256_LEN) == 0);
    cr_assert_eq(w.quantities[0], 10);
    cr_assert_gt(w.priced.u.priced.lines[0].trace.n_steps, 0);
    q2o_ctl_waterfall_release(&w);
    q2o_quote_free(q);
    fx_release(&quote);
    q2o_codec_close(codec);
    q2o_bus_producer_free(p);
    q2o_ctl_client_close(client);
    stop(&c);
}
