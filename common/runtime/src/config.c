#include "runtime/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/strutil.h"

extern char **environ;

static q2o_err bad(char *detail, size_t size, const char *key, const char *why)
{
    snprintf(detail, size, "%s: %s", key, why);
    return Q2O_CONFIG_INVALID;
}

static q2o_err parse_int(const char *key, const char *v, long lo, long hi, int *out, char *detail, size_t size)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) {
        char why[96];
        snprintf(why, sizeof why, "'%s' is not a whole number in %ld..%ld", v, lo, hi);
        return bad(detail, size, key, why);
    }
    *out = (int)n;
    return Q2O_OK;
}

static q2o_err set_str(const char *key, const char *v, char *dst, size_t dst_size, char *detail, size_t size)
{
    if (q2o_strlcpy(dst, v, dst_size) != 0)
        return bad(detail, size, key, "value too long");
    return Q2O_OK;
}

/* Q2O_KAFKA_SECURITY_PROTOCOL -> security.protocol */
static q2o_err set_kafka(q2o_config *c, const char *name, const char *v, char *detail, size_t size)
{
    char prop[128];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof prop; i++)
        prop[i] = name[i] == '_' ? '.' : (char)tolower((unsigned char)name[i]);
    prop[i] = '\0';
    if (!i || name[i])
        return bad(detail, size, name, "not a librdkafka property name");
    if (q2o_bus_config_set(&c->bus, prop, v) != Q2O_OK)
        return bad(detail, size, prop, "too long, or too many properties");
    return Q2O_OK;
}

typedef q2o_err (*setter_fn)(q2o_config *c, const char *key, const char *v, char *detail, size_t size);

#define STR_SETTER(fn, field) \
    static q2o_err fn(q2o_config *c, const char *k, const char *v, char *d, size_t n) \
    { \
        return set_str(k, v, field, sizeof field, d, n); \
    }
STR_SETTER(set_bootstrap, c->bus.bootstrap)
STR_SETTER(set_prefix, c->bus.topic_prefix)
STR_SETTER(set_data_dir, c->data_dir)
STR_SETTER(set_group, c->group_id)
STR_SETTER(set_instance, c->instance_id)
STR_SETTER(set_doc_dir, c->document_dir)
STR_SETTER(set_doc_seller, c->document_seller)
STR_SETTER(set_doc_from, c->document_from)
#undef STR_SETTER

static q2o_err set_partitions(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    int p;
    q2o_err e = parse_int(k, v, 1, 10000, &p, d, n);
    c->bus.partitions = p;
    return e;
}

static q2o_err set_replication(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    int r;
    q2o_err e = parse_int(k, v, 1, 16, &r, d, n);
    c->bus.replication = (int16_t)r;
    return e;
}

static q2o_err set_batch(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    return parse_int(k, v, 1, 100000, &c->batch_max, d, n);
}

static q2o_err set_wait(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    return parse_int(k, v, 0, 60000, &c->batch_wait_ms, d, n);
}

static q2o_err set_port(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    return parse_int(k, v, 0, 65535, &c->http_port, d, n);
}

static q2o_err set_sweep(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    return parse_int(k, v, 100, 86400000, &c->sweep_interval_ms, d, n);
}

static q2o_err set_level(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    q2o_log_level l;
    if (q2o_log_level_parse(v, &l) != 0)
        return bad(d, n, k, "use debug, info, warn or error");
    return set_str(k, v, c->log_level, sizeof c->log_level, d, n);
}

static q2o_err set_sync(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    if (strcmp(v, "full") && strcmp(v, "nometa") && strcmp(v, "none"))
        return bad(d, n, k, "use full, nometa or none");
    return set_str(k, v, c->store_sync, sizeof c->store_sync, d, n);
}

static q2o_err set_catalog(q2o_config *c, const char *k, const char *v, char *d, size_t n)
{
    return set_str(k, v, c->catalog_id, sizeof c->catalog_id, d, n);
}

static const struct {
    const char *key;
    setter_fn fn;
} setters[] = {
    {"Q2O_BOOTSTRAP", set_bootstrap},   {"Q2O_TOPIC_PREFIX", set_prefix}, {"Q2O_PARTITIONS", set_partitions},
    {"Q2O_REPLICATION", set_replication}, {"Q2O_DATA_DIR", set_data_dir}, {"Q2O_GROUP_ID", set_group},
    {"Q2O_INSTANCE_ID", set_instance},  {"Q2O_BATCH_MAX", set_batch},     {"Q2O_BATCH_WAIT_MS", set_wait},
    {"Q2O_HTTP_PORT", set_port},        {"Q2O_LOG_LEVEL", set_level},     {"Q2O_STORE_SYNC", set_sync},
    {"Q2O_SWEEP_INTERVAL_MS", set_sweep}, {"Q2O_CATALOG_ID", set_catalog},
    {"Q2O_DOCUMENT_DIR", set_doc_dir},  {"Q2O_DOCUMENT_SELLER", set_doc_seller},
    {"Q2O_DOCUMENT_FROM", set_doc_from},
};

static int known_key(const char *key)
{
    if (strncmp(key, "Q2O_KAFKA_", 10) == 0 || strncmp(key, "kafka.", 6) == 0)
        return 1;
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++)
        if (strcmp(setters[i].key, key) == 0)
            return 1;
    return 0;
}

q2o_err q2o_config_apply(q2o_config *c, const char *key, const char *value, char *detail, size_t size)
{
    if (strncmp(key, "Q2O_KAFKA_", 10) == 0)
        return set_kafka(c, key + 10, value, detail, size);
    if (strncmp(key, "kafka.", 6) == 0) {
        if (q2o_bus_config_set(&c->bus, key + 6, value) != Q2O_OK)
            return bad(detail, size, key, "too long, or too many properties");
        return Q2O_OK;
    }
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++)
        if (strcmp(setters[i].key, key) == 0)
            return setters[i].fn(c, key, value, detail, size);
    return bad(detail, size, key, "unknown setting (see runtime/config.h)");
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static q2o_err load_file(q2o_config *c, const char *path, char *detail, size_t size)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int lineno = 0;
    q2o_err e = Q2O_OK;
    if (!f)
        return bad(detail, size, path, strerror(errno));
    while (e == Q2O_OK && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line), *eq = strchr(s, '=');
        if (!*s || *s == '#')
            continue;
        if (!eq) {
            snprintf(detail, size, "%s:%d: expected key = value", path, lineno);
            e = Q2O_CONFIG_INVALID;
            break;
        }
        *eq = '\0';
        e = q2o_config_apply(c, trim(s), trim(eq + 1), detail, size);
    }
    fclose(f);
    return e;
}

static void defaults(q2o_config *c, const char *name)
{
    char host[64] = "localhost";
    memset(c, 0, sizeof *c);
    q2o_strlcpy(c->name, name, sizeof c->name);
    q2o_bus_config_default(&c->bus);
    gethostname(host, sizeof host - 1);
    snprintf(c->data_dir, sizeof c->data_dir, "q2o-data/%s", name);
    snprintf(c->group_id, sizeof c->group_id, "q2o-%s", name);
    snprintf(c->instance_id, sizeof c->instance_id, "%s-%s", name, host);
    c->batch_max = 500;
    c->batch_wait_ms = 20;
    Q2O_STRCPY(c->log_level, "info");
    Q2O_STRCPY(c->store_sync, "nometa");
    c->sweep_interval_ms = 60000;
    Q2O_STRCPY(c->document_seller, "q2o seller");
    Q2O_STRCPY(c->document_from, "quotes@q2o.example");
}

q2o_err q2o_config_load(const char *name, const char *path, q2o_config *out, char *detail, size_t size)
{
    q2o_err e;
    defaults(out, name);
    if (!path)
        path = getenv("Q2O_CONFIG");
    if (path && *path && (e = load_file(out, path, detail, size)) != Q2O_OK)
        return e;
    for (char **env = environ; *env; env++) {
        if (strncmp(*env, "Q2O_", 4) != 0 || strncmp(*env, "Q2O_CONFIG=", 11) == 0)
            continue;
        char kv[1024];
        if (q2o_strlcpy(kv, *env, sizeof kv) != 0)
            return bad(detail, size, "environment", "a Q2O_ variable is too long");
        char *eq = strchr(kv, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (!known_key(kv)) {
            /* Other tools share the Q2O_ namespace (tests, the broker):
             * a file or --set key must be known, an environment one is
             * only reported. */
            q2o_log(Q2O_LOG_DEBUG, "ignoring an unknown Q2O_ environment variable", "name", kv, NULL);
            continue;
        }
        if ((e = q2o_config_apply(out, kv, eq + 1, detail, size)) != Q2O_OK)
            return e;
    }
    q2o_log_level l;
    if (q2o_log_level_parse(out->log_level, &l) == 0)
        q2o_log_set_level(l);
    return Q2O_OK;
}

static int secret(const char *key)
{
    return strstr(key, "password") || strstr(key, "secret") || strstr(key, "key");
}

void q2o_config_print(const q2o_config *c, FILE *out)
{
    fprintf(out, "name=%s bootstrap=%s prefix=%s partitions=%d replication=%d\n", c->name, c->bus.bootstrap,
            c->bus.topic_prefix, c->bus.partitions, c->bus.replication);
    fprintf(out, "data_dir=%s group=%s instance=%s batch=%d wait_ms=%d http_port=%d log=%s sync=%s\n", c->data_dir,
            c->group_id, c->instance_id, c->batch_max, c->batch_wait_ms, c->http_port, c->log_level, c->store_sync);
    fprintf(out, "sweep_interval_ms=%d catalog_id=%s\n", c->sweep_interval_ms,
            c->catalog_id[0] ? c->catalog_id : "(the most recently published)");
    fprintf(out, "document_dir=%s document_seller=%s document_from=%s\n",
            c->document_dir[0] ? c->document_dir : "(<data_dir>/documents)", c->document_seller, c->document_from);
    for (uint32_t i = 0; i < c->bus.n_props; i++)
        fprintf(out, "kafka.%s=%s\n", c->bus.props[i].key, secret(c->bus.props[i].key) ? "****" : c->bus.props[i].value);
}
