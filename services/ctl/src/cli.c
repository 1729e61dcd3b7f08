/* cli.c — see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "ctl/json.h"
#include "ctl/print.h"

const ctl_flag ctl_global_flags[] = {
    {"json", NULL, "machine-readable JSON on stdout"},
    {"bootstrap", "HOST:PORT", "Kafka bootstrap servers (overrides Q2O_BOOTSTRAP)"},
    {"prefix", "PREFIX", "topic prefix (overrides Q2O_TOPIC_PREFIX)"},
    {"config", "FILE", "configuration file (default $Q2O_CONFIG)"},
    {"set", "KEY=VALUE", "any configuration key, e.g. Q2O_KAFKA_SECURITY_PROTOCOL=SSL (repeatable)"},
    {"timeout-ms", "MS", "how long to wait for a result or the end of the log (default 30000)"},
    {"help", NULL, "this help"},
    {NULL, NULL, NULL},
};

static const ctl_flag *find(const ctl_flag *t, const char *name, size_t len)
{
    for (; t && t->name; t++)
        if (strlen(t->name) == len && strncmp(t->name, name, len) == 0)
            return t;
    return NULL;
}

int ctl_usage_error(const ctl_sub *sub, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "q2octl %s: ", sub ? sub->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(q2octl %s --help)\n", sub ? sub->name : "");
    return CTL_EXIT_USAGE;
}

int ctl_parse(const ctl_sub *sub, int argc, char **argv, ctl_args *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-") == 0 || strncmp(s, "--", 2) != 0) {
            if (out->n_pos == CTL_MAX_ARGS)
                return ctl_usage_error(sub, "too many arguments"), -1;
            out->pos[out->n_pos++] = s;
            continue;
        }
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            out->help = 1;
            continue;
        }
        const char *name = s + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const ctl_flag *f = find(sub->flags, name, len);
        if (!f)
            f = find(sub->common, name, len);
        if (!f)
            f = find(ctl_global_flags, name, len);
        if (!f)
            return ctl_usage_error(sub, "unknown option --%.*s", (int)len, name), -1;
        const char *value = "1";
        if (f->arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return ctl_usage_error(sub, "--%s needs a value (%s)", f->name, f->arg), -1;
        } else if (eq) {
            return ctl_usage_error(sub, "--%s takes no value", f->name), -1;
        }
        if (out->n == CTL_MAX_ARGS)
            return ctl_usage_error(sub, "too many options"), -1;
        out->flag[out->n] = f;
        out->value[out->n++] = value;
    }
    return 0;
}

static void help_table(const ctl_flag *t, FILE *f)
{
    for (; t && t->name; t++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", t->name, t->arg ? " " : "", t->arg ? t->arg : "");
        fprintf(f, "  %-28s %s\n", left, t->help);
    }
}

void ctl_help(const ctl_sub *sub, FILE *f)
{
    fprintf(f, "usage: q2octl %s %s\n\n%s\n", sub->name, sub->usage, sub->summary);
    if (sub->flags && sub->flags->name) {
        fprintf(f, "\noptions:\n");
        help_table(sub->flags, f);
    }
    if (sub->common) {
        fprintf(f, "\ncommand options:\n");
        help_table(sub->common, f);
    }
    fprintf(f, "\nglobal options:\n");
    help_table(ctl_global_flags, f);
    fprintf(f, "\nexit: 0 ok, 1 refused by a domain rule, 2 usage/config error, 3 Kafka/infrastructure error, "
               "4 timeout waiting for a result\n");
}

const char *ctl_get(const ctl_args *a, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->flag[i]->name, name) == 0)
            v = a->value[i];
    return v;
}

int ctl_has(const ctl_args *a, const char *name)
{
    return ctl_get(a, name) != NULL;
}

static int flag_error(const char *name, const char *v, const char *what)
{
    fprintf(stderr, "q2octl: --%s: '%s' is not %s\n", name, v, what);
    return -1;
}

int ctl_get_i64(const ctl_args *a, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = ctl_get(a, name);
    char *end;
    if (!v)
        return 0;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) {
        fprintf(stderr, "q2octl: --%s: ", name);
        fprintf(stderr, "'%s' is not a whole number in %lld..%lld\n", v, (long long)lo, (long long)hi);
        return -1;
    }
    *out = n;
    return 0;
}

int ctl_get_time(const ctl_args *a, const char *name, q2o_time_ms *out)
{
    const char *v = ctl_get(a, name);
    if (!v)
        return 0;
    if (q2o_time_parse(v, out) != Q2O_OK)
        return flag_error(name, v, "an RFC 3339 time (2026-07-02T10:00:00Z) or a date");
    return 0;
}

int ctl_get_sha(const ctl_args *a, const char *name, uint8_t out[Q2O_SHA256_LEN])
{
    const char *v = ctl_get(a, name);
    if (!v)
        return 0;
    if (strlen(v) != 2 * Q2O_SHA256_LEN || q2o_unhex(v, out, Q2O_SHA256_LEN) != 0)
        return flag_error(name, v, "64 hex digits (a SHA-256)");
    return 0;
}

int ctl_get_str(const ctl_args *a, const char *name, char *dst, size_t size)
{
    const char *v = ctl_get(a, name);
    if (v && q2o_strlcpy(dst, v, size) != 0) {
        fprintf(stderr, "q2octl: --%s: %zu bytes, at most %zu\n", name, strlen(v), size - 1);
        return -1;
    }
    return 0;
}

static int config_error(const char *what, const char *detail)
{
    fprintf(stderr, "q2octl: configuration: %s: %s\n", what, detail);
    return CTL_EXIT_USAGE;
}

/* librdkafka settings q2octl uses unless the configuration names them:
 * a CLI that lives for one command cannot wait for the default 1 s topic
 * scan before its first produce, nor for 500 ms fetch waits (the embedded
 * mock cluster does not answer a waiting fetch when data arrives), and
 * keeps librdkafka's reconnect chatter off the terminal (Q2O_LOG_LEVEL
 * brings it back). */
static const q2o_bus_prop client_defaults[] = {
    {"topic.metadata.refresh.interval.ms", "200"},
    {"fetch.wait.max.ms", "10"},
    {"log_level", "2"},
};

static int has_prop(const q2o_config *cfg, const char *key)
{
    for (uint32_t i = 0; i < cfg->bus.n_props; i++)
        if (strcmp(cfg->bus.props[i].key, key) == 0)
            return 1;
    return 0;
}

int ctl_config(const ctl_args *a, q2o_config *cfg)
{
    char detail[512];
    const char *env = getenv("Q2O_LOG_LEVEL");
    if (q2o_config_load("ctl", ctl_get(a, "config"), cfg, detail, sizeof detail) != Q2O_OK)
        return config_error("load", detail);
    for (size_t i = 0; i < a->n; i++) {
        const char *key = NULL, *value = a->value[i];
        char kv[768];
        if (strcmp(a->flag[i]->name, "bootstrap") == 0)
            key = "Q2O_BOOTSTRAP";
        else if (strcmp(a->flag[i]->name, "prefix") == 0)
            key = "Q2O_TOPIC_PREFIX";
        else if (strcmp(a->flag[i]->name, "set") == 0) {
            char *eq;
            if (q2o_strlcpy(kv, value, sizeof kv) != 0 || !(eq = strchr(kv, '=')))
                return config_error("--set", "expected KEY=VALUE");
            *eq = '\0';
            key = kv, value = eq + 1;
        }
        if (key && q2o_config_apply(cfg, key, value, detail, sizeof detail) != Q2O_OK)
            return config_error(key, detail);
    }
    for (size_t i = 0; i < Q2O_ARRAY_LEN(client_defaults); i++) {
        const q2o_bus_prop *p = &client_defaults[i];
        if (strcmp(p->key, "log_level") == 0 && env)
            continue;
        if (!has_prop(cfg, p->key) && q2o_bus_config_set(&cfg->bus, p->key, p->value) != Q2O_OK)
            return config_error(p->key, "too many Kafka properties");
    }
    if (!env) /* after the load, which applies the configured level */
        q2o_log_set_level(Q2O_LOG_ERROR);
    return 0;
}

int ctl_infra_error(const char *what, q2o_err e, const char *detail)
{
    fprintf(stderr, "q2octl: %s: %s (%s)%s%s\n", what, q2o_err_message(e), q2o_err_name(e), detail && *detail ? ": " : "",
            detail ? detail : "");
    if (e == Q2O_KAFKA_TIMEOUT)
        return CTL_EXIT_TIMEOUT;
    if (e == Q2O_CONFIG_INVALID || e == Q2O_KAFKA_CONFIG || e == Q2O_FIELD_INVALID)
        return CTL_EXIT_USAGE;
    return CTL_EXIT_INFRA;
}

int ctl_connect(const ctl_args *a, q2o_config *cfg, q2o_ctl_client **out)
{
    char detail[512] = "";
    int rc = ctl_config(a, cfg);
    if (rc)
        return rc;
    q2o_err e = q2o_ctl_client_open(cfg, out, detail, sizeof detail);
    return e == Q2O_OK ? 0 : ctl_infra_error("connect", e, detail);
}

int ctl_actor(const ctl_args *a, q2o_actor *out)
{
    int64_t limit = 0;
    memset(out, 0, sizeof *out);
    Q2O_STRCPY(out->id, "q2octl");
    out->roles = Q2O_ROLE_SALES_REP;
    if (ctl_get_str(a, "actor", out->id, sizeof out->id) || ctl_get_str(a, "legal-entity", out->legal_entity, sizeof out->legal_entity) ||
        ctl_get_i64(a, "authority-limit", -1, INT64_MAX, &limit))
        return -1;
    out->authority_limit = limit;
    const char *roles = ctl_get(a, "roles");
    if (roles && (q2o_roles_parse(roles, &out->roles) != 0)) {
        char all[256];
        fprintf(stderr, "q2octl: --roles: '%s': roles are a comma-separated list of %s\n", roles,
                q2o_roles_format((uint32_t)Q2O_ROLE__ALL, all, sizeof all));
        return -1;
    }
    return 0;
}

static int timeout_ms(const ctl_args *a)
{
    int64_t t = 30000;
    if (ctl_get_i64(a, "timeout-ms", 1, 24 * 3600 * 1000, &t) != 0)
        return -1;
    return (int)t;
}

int ctl_send_command(const ctl_args *a, q2o_command *cmd)
{
    char detail[Q2O_TEXT_MAX + 256] = "";
    int tmo = timeout_ms(a);
    if (tmo < 0)
        return CTL_EXIT_USAGE;
    if (q2o_ctl_command_fill_ids(cmd, q2o_time_now_ms()) != Q2O_OK)
        return ctl_infra_error("command id", Q2O_INTERNAL, "");
    if (ctl_has(a, "dry-run")) {
        json_t *j = q2o_ctl_command_to_json(cmd, Q2O_CTL_JSON_COMPACT);
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
        return CTL_EXIT_OK;
    }
    q2o_config cfg;
    q2o_ctl_client *c = NULL;
    int rc = ctl_connect(a, &cfg, &c);
    if (rc)
        return rc;
    q2o_result r;
    int64_t ms = -1;
    q2o_ctl_send_opts so = {.timeout_ms = tmo, .ce_time = 0};
    q2o_err e = q2o_ctl_send(c, cmd, &so, &r, &ms, detail, sizeof detail);
    q2o_ctl_client_close(c);
    if (e != Q2O_OK)
        return ctl_infra_error("send", e, detail);
    if (ctl_has(a, "json")) {
        json_t *j = q2o_ctl_result_to_json(&r);
        json_object_set_new(j, "elapsed_ms", json_integer(ms));
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
    } else {
        q2o_ctl_print_result(stdout, cmd, &r, ms);
    }
    return r.status == Q2O_RESULT_ACCEPTED && r.code == Q2O_OK ? CTL_EXIT_OK : CTL_EXIT_REFUSED;
}
