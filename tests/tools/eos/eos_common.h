/*
 * eos_common.h — shared by the exactly-once system-test tools
 * (q2o-eos-driver, q2o-eos-check) and the benchmark programs: a string
 * hash map, option helpers and the bus configuration from the command line
 * or the environment.
 */
#ifndef Q2O_EOS_COMMON_H
#define Q2O_EOS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "bus/bus.h"

/* ---- string -> index map (open addressing, keys copied) ---- */
typedef struct eos_map {
    char **keys;
    int64_t *vals;
    size_t cap, n;
} eos_map;

void eos_map_init(eos_map *m, size_t expected);
void eos_map_free(eos_map *m);
/* Pointer to the value of key, or NULL. */
int64_t *eos_map_get(const eos_map *m, const char *key);
/* Insert key (value v) if absent; returns the value slot either way and sets
 * *added when it was new. */
int64_t *eos_map_put(eos_map *m, const char *key, int64_t v, int *added);

/* ---- misc ---- */
void eos_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *eos_xcalloc(size_t n, size_t size);
void *eos_xrealloc(void *p, size_t n, size_t size);
char *eos_xstrdup(const char *s);
long long eos_atoll(const char *opt, const char *s);
uint64_t eos_mono_ns(void);

/* Bus configuration: bootstrap (NULL: $Q2O_BOOTSTRAP or 127.0.0.1:9092),
 * prefix (NULL: $Q2O_TOPIC_PREFIX or "q2o."), partitions. */
void eos_bus_config(q2o_bus_config *cfg, const char *bootstrap, const char *prefix, int partitions);

/* A header value copied into out as a string ("" when absent). */
void eos_header_str(const q2o_bus_msg *m, const char *name, char *out, size_t size);

#endif
