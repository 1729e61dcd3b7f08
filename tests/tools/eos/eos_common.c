/* eos_common.c — see eos_common.h. */
#include "eos_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/strutil.h"

void eos_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

void *eos_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        eos_die("out of memory");
    return p;
}

void *eos_xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        eos_die("out of memory");
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q)
        eos_die("out of memory");
    return q;
}

char *eos_xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        eos_die("out of memory");
    return d;
}

long long eos_atoll(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s ? s : "", &end, 10);
    if (!s || !*s || *end || errno)
        eos_die("%s: not a number: '%s'", opt, s ? s : "");
    return v;
}

uint64_t eos_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void eos_map_init(eos_map *m, size_t expected)
{
    size_t cap = 64;
    while (cap < expected * 2 + 1)
        cap *= 2;
    m->keys = eos_xcalloc(cap, sizeof *m->keys);
    m->vals = eos_xcalloc(cap, sizeof *m->vals);
    m->cap = cap;
    m->n = 0;
}

void eos_map_free(eos_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t slot_of(const eos_map *m, const char *key)
{
    size_t i = (size_t)fnv1a(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int64_t *eos_map_get(const eos_map *m, const char *key)
{
    size_t i = slot_of(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

static void grow(eos_map *m)
{
    eos_map n;
    eos_map_init(&n, m->cap);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(&n, m->keys[i]);
        n.keys[j] = m->keys[i];
        n.vals[j] = m->vals[i];
        n.n++;
    }
    free(m->keys);
    free(m->vals);
    *m = n;
}

int64_t *eos_map_put(eos_map *m, const char *key, int64_t v, int *added)
{
    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot_of(m, key);
    if (added)
        *added = !m->keys[i];
    if (!m->keys[i]) {
        m->keys[i] = eos_xstrdup(key);
        m->vals[i] = v;
        m->n++;
    }
    return &m->vals[i];
}

void eos_bus_config(q2o_bus_config *cfg, const char *bootstrap, const char *prefix, int partitions)
{
    q2o_bus_config_default(cfg);
    if (!bootstrap)
        bootstrap = getenv("Q2O_BOOTSTRAP");
    if (!prefix)
        prefix = getenv("Q2O_TOPIC_PREFIX");
    if (bootstrap && q2o_strlcpy(cfg->bootstrap, bootstrap, sizeof cfg->bootstrap) != 0)
        eos_die("bootstrap too long");
    if (prefix && q2o_strlcpy(cfg->topic_prefix, prefix, sizeof cfg->topic_prefix) != 0)
        eos_die("prefix too long");
    if (partitions > 0)
        cfg->partitions = partitions;
}

void eos_header_str(const q2o_bus_msg *m, const char *name, char *out, size_t size)
{
    const q2o_bus_header *h = q2o_bus_msg_header(m, name);
    out[0] = '\0';
    if (!h || !h->value || h->len >= size)
        return;
    memcpy(out, h->value, h->len);
    out[h->len] = '\0';
}
