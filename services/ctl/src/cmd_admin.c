/* cmd_admin.c — topics create, allowed (the editability matrix), config. */
#include <stdio.h>
#include <string.h>

#include "bus/bus.h"
#include "cli.h"
#include "ctl/json.h"

static const ctl_flag no_flags[] = {{NULL, NULL, NULL}};
static const ctl_flag allowed_flags[] = {
    {"status", "STATUS", "one column in full: verdict, error code and note of each cell"},
    {NULL, NULL, NULL},
};

static const ctl_sub topics_sub = {
    "topics", "create",
    "Create every q2o topic with its partitions and settings (Q2O_PARTITIONS, Q2O_REPLICATION; events never\n"
    "expire, the catalog is compacted). Topics that exist already are fine.",
    no_flags, NULL};
static const ctl_sub allowed_sub = {
    "allowed", "[--status STATUS]",
    "The editability matrix (SPEC section 3) as published by the domain: action x revision status, with the\n"
    "roles allowed to act. yes | draft = yes, back to Draft (reprice) | rev = only through a new revision |\n"
    "cond = when a condition holds | done = already done, the same result again | no.",
    allowed_flags, NULL};
static const ctl_sub config_sub = {"config", "",
                                   "The effective configuration (defaults < $Q2O_CONFIG or --config < environment < "
                                   "--bootstrap/--prefix/--set); secrets masked.",
                                   no_flags, NULL};

static int parse(const ctl_sub *sub, int argc, char **argv, ctl_args *a)
{
    if (ctl_parse(sub, argc, argv, a) != 0)
        return 100 + CTL_EXIT_USAGE;
    if (a->help) {
        ctl_help(sub, stdout);
        return 100 + CTL_EXIT_OK;
    }
    return 0;
}

int ctl_cmd_topics(int argc, char **argv)
{
    ctl_args a;
    q2o_config cfg;
    char detail[512] = "";
    int64_t tmo = 30000;
    int rc = parse(&topics_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    if (a.n_pos != 1 || strcmp(a.pos[0], "create") != 0)
        return ctl_usage_error(&topics_sub, "expected: topics create");
    if (ctl_get_i64(&a, "timeout-ms", 1, 3600000, &tmo) != 0 || (rc = ctl_config(&a, &cfg)) != 0)
        return rc ? rc : CTL_EXIT_USAGE;
    q2o_err e = q2o_bus_create_topics(&cfg.bus, (int)tmo, detail, sizeof detail);
    if (e != Q2O_OK)
        return ctl_infra_error("topics create", e, detail);
    if (ctl_has(&a, "json")) {
        json_t *arr = json_array();
        for (int t = 0; t < Q2O_TOPIC__COUNT; t++) {
            char name[Q2O_BUS_NAME_MAX];
            json_array_append_new(arr, json_string(q2o_bus_topic(&cfg.bus, (q2o_topic)t, name, sizeof name)));
        }
        json_t *o = json_pack("{s:o,s:i,s:i}", "topics", arr, "partitions", (int)cfg.bus.partitions, "replication",
                              (int)cfg.bus.replication);
        q2o_ctl_json_print(o, stdout);
        json_decref(o);
        return CTL_EXIT_OK;
    }
    for (int t = 0; t < Q2O_TOPIC__COUNT; t++) {
        char name[Q2O_BUS_NAME_MAX];
        printf("%s\n", q2o_bus_topic(&cfg.bus, (q2o_topic)t, name, sizeof name));
    }
    printf("ready: %d topics, %d partitions, replication %d, at %s\n", Q2O_TOPIC__COUNT, (int)cfg.bus.partitions,
           (int)cfg.bus.replication, cfg.bus.bootstrap);
    return CTL_EXIT_OK;
}

/* Short cell text for the table. */
static const char *verdict_short(q2o_verdict v)
{
    switch (v) {
    case Q2O_V_NO: return "no";
    case Q2O_V_YES: return "yes";
    case Q2O_V_YES_BACK_TO_DRAFT: return "draft";
    case Q2O_V_NEW_REVISION: return "rev";
    case Q2O_V_CONDITIONAL: return "cond";
    case Q2O_V_ALREADY: return "done";
    }
    return "?";
}

static json_t *matrix_json(void)
{
    json_t *rows = json_array();
    for (int act = 0; act < Q2O_ACT__COUNT; act++) {
        char roles[256];
        json_t *cells = json_object();
        for (int s = Q2O_ST_NONE + 1; s < Q2O_ST__COUNT; s++) {
            const q2o_matrix_cell *c = q2o_matrix_cell_at((q2o_action)act, (q2o_status)s);
            json_t *cell = json_pack("{s:s}", "verdict", q2o_verdict_name(c->verdict));
            if (c->code != Q2O_OK)
                json_object_set_new(cell, "code", json_string(q2o_err_name(c->code)));
            if (c->note)
                json_object_set_new(cell, "note", json_string(c->note));
            json_object_set_new(cells, q2o_status_name((q2o_status)s), cell);
        }
        json_array_append_new(rows, json_pack("{s:s,s:s,s:o}", "action", q2o_action_name((q2o_action)act), "roles",
                                              q2o_roles_format(q2o_action_roles((q2o_action)act), roles, sizeof roles),
                                              "cells", cells));
    }
    return rows;
}

static void matrix_table(void)
{
    static const char *abbrev[Q2O_ST__COUNT] = {"", "Draft", "Priced", "ReqAp", "InRev", "Apprd", "Prsnt",
                                                "Accpt", "Convd", "Rejct", "Exprd", "Cancl", "Supsd"};
    printf("%-40s", "action \\ status");
    for (int s = Q2O_ST_NONE + 1; s < Q2O_ST__COUNT; s++)
        printf(" %-6s", abbrev[s]);
    printf(" roles\n");
    for (int act = 0; act < Q2O_ACT__COUNT; act++) {
        char roles[256];
        printf("%-40s", q2o_action_name((q2o_action)act));
        for (int s = Q2O_ST_NONE + 1; s < Q2O_ST__COUNT; s++)
            printf(" %-6s", verdict_short(q2o_matrix_cell_at((q2o_action)act, (q2o_status)s)->verdict));
        printf(" %s\n", q2o_roles_format(q2o_action_roles((q2o_action)act), roles, sizeof roles));
    }
    printf("\nyes | draft: yes, back to Draft (reprice) | rev: only through a new revision | cond: when a condition "
           "holds | done: already done (same result) | no\n"
           "q2octl allowed --status PRESENTED lists the codes and notes of one column.\n");
}

static void status_column(q2o_status s)
{
    printf("%s:\n", q2o_status_name(s));
    for (int act = 0; act < Q2O_ACT__COUNT; act++) {
        const q2o_matrix_cell *c = q2o_matrix_cell_at((q2o_action)act, s);
        printf("  %-40s %-16s %s%s%s\n", q2o_action_name((q2o_action)act), q2o_verdict_name(c->verdict),
               c->code != Q2O_OK ? q2o_err_name(c->code) : "", c->code != Q2O_OK && c->note ? ": " : "",
               c->note ? c->note : "");
    }
}

int ctl_cmd_allowed(int argc, char **argv)
{
    ctl_args a;
    int rc = parse(&allowed_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    if (a.n_pos)
        return ctl_usage_error(&allowed_sub, "unexpected argument '%s'", a.pos[0]);
    const char *st = ctl_get(&a, "status");
    int s = st ? q2o_status_parse(st) : -1;
    if (st && s <= Q2O_ST_NONE)
        return ctl_usage_error(&allowed_sub, "--status '%s': a revision status such as DRAFT or PRESENTED", st);
    if (ctl_has(&a, "json")) {
        json_t *m = matrix_json();
        q2o_ctl_json_print(m, stdout);
        json_decref(m);
    } else if (st) {
        status_column((q2o_status)s);
    } else {
        matrix_table();
    }
    return CTL_EXIT_OK;
}

static int secret(const char *key)
{
    return strstr(key, "password") || strstr(key, "secret") || strstr(key, "key");
}

int ctl_cmd_config(int argc, char **argv)
{
    ctl_args a;
    q2o_config cfg;
    int rc = parse(&config_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    if ((rc = ctl_config(&a, &cfg)) != 0)
        return rc;
    if (!ctl_has(&a, "json")) {
        q2o_config_print(&cfg, stdout);
        return CTL_EXIT_OK;
    }
    json_t *props = json_object();
    for (uint32_t i = 0; i < cfg.bus.n_props; i++)
        json_object_set_new(props, cfg.bus.props[i].key,
                            json_string(secret(cfg.bus.props[i].key) ? "****" : cfg.bus.props[i].value));
    json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:i,s:o}", "name", cfg.name,
                          "bootstrap", cfg.bus.bootstrap, "topic_prefix", cfg.bus.topic_prefix, "partitions",
                          (int)cfg.bus.partitions, "replication", (int)cfg.bus.replication, "data_dir", cfg.data_dir,
                          "group_id", cfg.group_id, "instance_id", cfg.instance_id, "batch_max", cfg.batch_max,
                          "batch_wait_ms", cfg.batch_wait_ms, "http_port", cfg.http_port, "log_level", cfg.log_level,
                          "store_sync", cfg.store_sync, "sweep_interval_ms", cfg.sweep_interval_ms, "kafka", props);
    q2o_ctl_json_print(o, stdout);
    json_decref(o);
    return CTL_EXIT_OK;
}
