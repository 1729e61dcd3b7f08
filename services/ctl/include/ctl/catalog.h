/*
 * ctl/catalog.h — q2octl's catalog commands: validate a catalog file,
 * publish it to the catalog topic, read the topic back, and render a
 * catalog (summary, one offering, a failed load) as text or JSON.
 *
 * The topic's contract is runtime/catalog_feed.h: one partition, key = the
 * catalog id, value = the file's bytes unchanged, headers content-type
 * application/json, CloudEvents binary mode (ce_type q2o.CatalogPublished,
 * ce_id "<id>/<version>", ce_subject = id), q2o_catalog_version (decimal)
 * and q2o_catalog_digest (hex SHA-256 of the canonical document).
 *
 * What is published is what was validated: q2o_ctl_catalog_file_load reads
 * the file once, parses those bytes, and the same bytes are produced. A file
 * above Q2O_CATALOG_MESSAGE_MAX is refused (Q2O_TOO_LARGE) before it is
 * read, so nothing larger than the topic accepts is ever parsed for load.
 *
 * Reading (q2o_ctl_catalog_read) folds the topic like the workers' feed
 * does: every document is parsed again; one that does not load is skipped
 * (counted, the first reason kept); a version not above the one held for
 * its id is ignored; a tombstone withdraws the id. The newest version of
 * each id remains.
 *
 * Errors: Q2O_CATALOG_INVALID / Q2O_TOO_LARGE (the file; its problems in
 * the errors list), KAFKA_* from the bus (infrastructure), NO_MEMORY.
 * Memory: _release frees what a struct owns and leaves it empty; json_t
 * results are new references. Threads: the caller's only.
 */
#ifndef Q2O_CTL_CATALOG_H
#define Q2O_CTL_CATALOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bus/bus.h"
#include "codec/catalog_json.h"
#include "domain/catalog.h"
#include "runtime/config.h"

/* Catalog ids held by one read of the topic (each id keeps one catalog in
 * memory): a bound on what `q2octl catalog show` allocates. */
#define Q2O_CTL_MAX_CATALOG_IDS 1024u

/* ---- the sections of a catalog and their sizes ---- */
#define Q2O_CTL_CATALOG_SECTIONS 13
typedef struct q2o_ctl_section {
    const char *name;                /* the JSON key of the section ("price_books") */
    uint32_t count;
} q2o_ctl_section;
void q2o_ctl_catalog_sections(const q2o_catalog *c, q2o_ctl_section out[Q2O_CTL_CATALOG_SECTIONS]);

/* ---- a catalog file, read once and parsed ---- */
typedef struct q2o_ctl_catalog_file {
    char *bytes;                     /* the file as read (heap); NULL when it was not read */
    size_t len;
    q2o_catalog *catalog;            /* sealed; NULL when the load failed */
    uint8_t digest[Q2O_SHA256_LEN];
    q2o_catalog_json_errors errors;  /* every problem when the load failed */
} q2o_ctl_catalog_file;

/* Read `path` (refusing one above max_bytes with TOO_LARGE at "$", and an
 * unreadable one with CATALOG_INVALID at "$") and parse it. Returns Q2O_OK
 * or the loader's code; out is filled either way (release it). */
q2o_err q2o_ctl_catalog_file_load(const char *path, size_t max_bytes, q2o_ctl_catalog_file *out);
void q2o_ctl_catalog_file_release(q2o_ctl_catalog_file *f); /* accepts NULL */

/* ---- publishing ---- */

/* The headers of a catalog message (runtime/catalog_feed.h); the strings
 * live in hs, which must outlive the produce call. Returns the count. */
typedef struct q2o_ctl_catalog_headers {
    char ce_id[Q2O_CODE_MAX + 24];
    char version[24];
    char digest[Q2O_SHA256_HEX_LEN];
    char time[40];
    char subject[Q2O_CODE_MAX];
    q2o_bus_header h[Q2O_BUS_MAX_HEADERS];
} q2o_ctl_catalog_headers;
uint32_t q2o_ctl_catalog_headers_make(const q2o_catalog *c, const uint8_t digest[Q2O_SHA256_LEN], q2o_time_ms now,
                                      q2o_ctl_catalog_headers *hs);

/* Produce f (loaded) to cfg's catalog topic, partition 0, with an
 * idempotent producer (acks=all) and wait for its delivery: *offset is where
 * it was written. timeout_ms bounds the wait. */
q2o_err q2o_ctl_catalog_publish(const q2o_config *cfg, const q2o_ctl_catalog_file *f, q2o_time_ms now,
                                int timeout_ms, int64_t *offset, char *detail, size_t detail_size);

/* ---- reading the topic back ---- */
typedef struct q2o_ctl_catalog_entry {
    q2o_catalog *catalog;            /* the newest valid version of its id */
    uint8_t digest[Q2O_SHA256_LEN];
    int64_t offset;                  /* where that version was read */
    size_t bytes;                    /* its document's size */
} q2o_ctl_catalog_entry;

typedef struct q2o_ctl_catalog_set {
    q2o_ctl_catalog_entry *items;    /* heap, n of them, in order of first publication */
    uint32_t n, cap;
    uint64_t messages;               /* read from the topic */
    uint64_t skipped;                /* documents that did not load (or whose key is not their id) */
    uint64_t stale;                  /* versions not above the one held */
    uint64_t tombstones;
    int64_t first_skipped_offset;    /* -1 = none */
    char first_skipped[Q2O_TEXT_MAX];
    int64_t end_offset;              /* of the partition when read */
} q2o_ctl_catalog_set;

void q2o_ctl_catalog_set_init(q2o_ctl_catalog_set *s);
void q2o_ctl_catalog_set_release(q2o_ctl_catalog_set *s); /* accepts NULL */
/* Fold one message in (pure). value NULL = a tombstone. Errors: NO_MEMORY,
 * TOO_LARGE when a new id would pass Q2O_CTL_MAX_CATALOG_IDS. */
q2o_err q2o_ctl_catalog_set_apply(q2o_ctl_catalog_set *s, const void *key, size_t key_len, const void *value,
                                  size_t value_len, int64_t offset);
/* The entry of an id, or NULL. */
const q2o_ctl_catalog_entry *q2o_ctl_catalog_set_find(const q2o_ctl_catalog_set *s, const char *id);

/* Read cfg's catalog topic (partition 0, read_committed) from the beginning
 * to its end offset at the time of the call, into out (initialised here). */
q2o_err q2o_ctl_catalog_read(const q2o_config *cfg, int timeout_ms, q2o_ctl_catalog_set *out, char *detail,
                             size_t detail_size);

/* ---- rendering ---- */
/* id, version, name, effective_from, digest, the section counts. */
void q2o_ctl_print_catalog_summary(FILE *f, const q2o_catalog *c, const uint8_t digest[Q2O_SHA256_LEN]);
json_t *q2o_ctl_catalog_summary_json(const q2o_catalog *c, const uint8_t digest[Q2O_SHA256_LEN]);
/* Every error as "PATH: CODE: message", the number dropped beyond the list,
 * then the remediation of the load's code (`code`: what the load returned)
 * once. The JSON is {"ok": false, "code", "code_name", "remediation",
 * "errors": [{"path", "code", "code_name", "message"}], "dropped"}. */
void q2o_ctl_print_catalog_errors(FILE *f, q2o_err code, const q2o_catalog_json_errors *e);
json_t *q2o_ctl_catalog_errors_json(q2o_err code, const q2o_catalog_json_errors *e);
/* An offering: name, charge, uom, the price in every price book that lists
 * it, attributes with their allowed values, option groups, and the rules
 * whose condition (when) or consequence (then) names it. */
void q2o_ctl_print_offering(FILE *f, const q2o_catalog *c, const q2o_cat_offering *o);
json_t *q2o_ctl_offering_json(const q2o_catalog *c, const q2o_cat_offering *o);

#endif
