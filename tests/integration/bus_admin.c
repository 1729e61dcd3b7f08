/* Configuration, topic names, readiness and topic creation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "bus_fixture.h"

static char detail[512];

TestSuite(bus_config);
TestSuite(bus_admin);

Test(bus_config, defaults_and_topic_names)
{
    q2o_bus_config cfg;
    char name[Q2O_BUS_NAME_MAX];
    q2o_bus_config_default(&cfg);
    cr_assert_str_eq(cfg.bootstrap, "127.0.0.1:9092");
    cr_assert_eq(cfg.partitions, 6);
    cr_assert_eq(cfg.replication, 1);
    cr_assert_str_eq(q2o_bus_topic(&cfg, Q2O_TOPIC_QUOTE_COMMANDS, name, sizeof name), "q2o.quote.commands");
    cr_assert_str_eq(q2o_bus_topic(&cfg, Q2O_TOPIC_QUOTE_EVENTS, name, sizeof name), "q2o.quote.events");
    cr_assert_str_eq(q2o_bus_topic(&cfg, Q2O_TOPIC_QUOTE_RESULTS, name, sizeof name), "q2o.quote.results");
    cr_assert_str_eq(q2o_bus_topic(&cfg, Q2O_TOPIC_ORDER_EVENTS, name, sizeof name), "q2o.order.events");
    cr_assert_str_eq(q2o_bus_topic(&cfg, Q2O_TOPIC_DEADLETTER, name, sizeof name), "q2o.deadletter");
    cr_assert_str_eq(q2o_bus_topic(&cfg, Q2O_TOPIC_CATALOG, name, sizeof name), "q2o.catalog");
}

Test(bus_config, set_replaces_and_bounds)
{
    q2o_bus_config cfg;
    char key[200];
    q2o_bus_config_default(&cfg);
    cr_assert_eq(q2o_bus_config_set(&cfg, "linger.ms", "1"), Q2O_OK);
    cr_assert_eq(q2o_bus_config_set(&cfg, "linger.ms", "2"), Q2O_OK);
    cr_assert_eq(cfg.n_props, 1);
    cr_assert_str_eq(cfg.props[0].value, "2");
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    cr_assert_eq(q2o_bus_config_set(&cfg, key, "v"), Q2O_CONFIG_INVALID);
    for (int i = 1; i < Q2O_BUS_MAX_PROPS; i++) {
        snprintf(key, sizeof key, "p%d", i);
        cr_assert_eq(q2o_bus_config_set(&cfg, key, "v"), Q2O_OK);
    }
    cr_assert_eq(q2o_bus_config_set(&cfg, "one.too.many", "v"), Q2O_CONFIG_INVALID);
    cr_assert_eq(q2o_bus_config_set(&cfg, "linger.ms", "3"), Q2O_OK, "replacing still works when full");
}

static void assert_config_error(q2o_err err, const char *names)
{
    cr_assert_eq(err, Q2O_KAFKA_CONFIG, "%s: %s", q2o_err_name(err), detail);
    cr_assert(strstr(detail, names), "detail \"%s\" names %s", detail, names);
}

Test(bus_config, unknown_property_is_a_config_error_naming_it)
{
    q2o_bus_config cfg;
    q2o_bus_producer *p = NULL;
    q2o_bus_consumer *c = NULL;
    q2o_bus_config_default(&cfg);
    cr_assert_eq(q2o_bus_config_set(&cfg, "no.such.property", "1"), Q2O_OK);
    assert_config_error(q2o_bus_producer_new(&cfg, NULL, &p, detail, sizeof detail), "no.such.property");
    assert_config_error(q2o_bus_consumer_new(&cfg, "g", NULL, NULL, &c, detail, sizeof detail), "no.such.property");
    cr_assert_null(p);
    cr_assert_null(c);
}

Test(bus_config, bad_value_and_inconsistent_settings_are_config_errors)
{
    q2o_bus_config cfg;
    q2o_bus_producer *p = NULL;
    q2o_bus_config_default(&cfg);
    cr_assert_eq(q2o_bus_config_set(&cfg, "linger.ms", "soon"), Q2O_OK);
    assert_config_error(q2o_bus_producer_new(&cfg, NULL, &p, detail, sizeof detail), "linger.ms");
    q2o_bus_config_default(&cfg);
    cr_assert_eq(q2o_bus_config_set(&cfg, "message.timeout.ms", "90000"), Q2O_OK);
    assert_config_error(q2o_bus_producer_new(&cfg, "txn", &p, detail, sizeof detail), "message.timeout.ms");
    cr_assert_null(p);
}

Test(bus_admin, wait_ready_times_out_without_a_broker)
{
    q2o_bus_config cfg;
    q2o_bus_config_default(&cfg);
    snprintf(cfg.bootstrap, sizeof cfg.bootstrap, "127.0.0.1:1");
    q2o_err err = q2o_bus_wait_ready(&cfg, 800, detail, sizeof detail);
    cr_assert(err == Q2O_KAFKA_TIMEOUT || err == Q2O_KAFKA_RETRIABLE, "%s: %s", q2o_err_name(err), detail);
}

Test(bus_admin, wait_ready_on_the_mock)
{
    q2o_bus_mock *m = NULL;
    q2o_bus_config cfg;
    q2o_bus_config_default(&cfg);
    cr_assert_eq(q2o_bus_mock_start(1, &m, cfg.bootstrap, sizeof cfg.bootstrap), Q2O_OK);
    cr_assert_eq(q2o_bus_wait_ready(&cfg, 5000, detail, sizeof detail), Q2O_OK, "%s", detail);
    q2o_bus_mock_stop(m);
}

/* The mock has no controller, so CreateTopics never gets an answer from
 * it: create_topics succeeds when the topics exist (as the embedded broker
 * creates them), and says which topic is missing otherwise. */
Test(bus_admin, create_topics_on_the_mock_checks_what_exists)
{
    q2o_bus_mock *m = NULL;
    q2o_bus_config cfg;
    char name[Q2O_BUS_NAME_MAX];
    q2o_bus_config_default(&cfg);
    cfg.partitions = 4;
    cr_assert_eq(q2o_bus_mock_start(1, &m, cfg.bootstrap, sizeof cfg.bootstrap), Q2O_OK);
    q2o_err err = q2o_bus_create_topics(&cfg, 1500, detail, sizeof detail);
    cr_assert(err == Q2O_KAFKA_TIMEOUT || err == Q2O_KAFKA_UNKNOWN_TOPIC, "%s: %s", q2o_err_name(err), detail);

    for (int t = 0; t < Q2O_TOPIC__COUNT; t++)
        cr_assert_eq(q2o_bus_mock_create_topic(m, q2o_bus_topic(&cfg, (q2o_topic)t, name, sizeof name), 4), Q2O_OK);
    err = q2o_bus_create_topics(&cfg, 5000, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "%s: %s", q2o_err_name(err), detail);

    cfg.partitions = 6; /* co-partitioning check: the quote topics have 4 */
    err = q2o_bus_create_topics(&cfg, 5000, detail, sizeof detail);
    cr_assert_eq(err, Q2O_CONFIG_INVALID, "%s: %s", q2o_err_name(err), detail);
    cr_assert(strstr(detail, "q2o.quote.commands"), "%s", detail);
    q2o_bus_mock_stop(m);
}
