/*
 * jsonmap.h — a table-driven mapping between C structs and JSON objects
 * (jansson), one table per record, used in both directions so the JSON
 * format of a command cannot drift between what q2octl reads and what it
 * prints. JSON keys are the Avro field names of schemas/ (the codec's
 * tables), so one vocabulary serves the wire and the command line.
 *
 * Representations:
 *   STR     string; longer than the C field -> error
 *   I32/I64 integer (JSON number without fraction), range-checked
 *   BOOL    true/false (0/1 accepted)
 *   TIME    RFC 3339 string ("2026-07-02T10:00:00Z", a date, or an offset);
 *           an integer is taken as epoch milliseconds; null = 0 (not set)
 *   SHA     64 hex digits
 *   ENUM    the symbol name ("ESIGNATURE"); names come from the domain
 *   ROLES   array of role names, or one comma-separated string
 *   METHODS array of acceptance method names (a bit set)
 *   REC     a nested object
 *   STRS    array of strings with a uint32_t count beside it
 *   RECS    array of objects with a uint32_t count beside it
 *
 * Decoding starts from the caller's struct (its defaults stay where a key is
 * absent), refuses unknown keys, and names the JSON path of the first
 * problem: "$.payload.line.options[3].name: 40 bytes, the field holds 31".
 */
#ifndef Q2O_CTL_JSONMAP_H
#define Q2O_CTL_JSONMAP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef enum jm_kind {
    JM_STR,
    JM_I32,
    JM_I64,
    JM_U64,
    JM_BOOL,
    JM_TIME,
    JM_SHA,
    JM_ENUM,
    JM_ROLES,
    JM_METHODS,
    JM_REC,
    JM_STRS,
    JM_RECS
} jm_kind;

typedef struct jm_enum {
    const char *(*name)(int value); /* NULL or "" when unknown */
    int count;                      /* values 0 .. count-1 */
} jm_enum;

struct jm_record;

typedef struct jm_field {
    const char *name;
    jm_kind kind;
    size_t off;                     /* from the start of the record's struct */
    size_t size;                    /* STR: field size; STRS/RECS: element size */
    size_t count_off;               /* STRS/RECS: uint32_t count */
    uint32_t max;                   /* STRS/RECS: capacity */
    const struct jm_record *rec;    /* REC, RECS */
    const jm_enum *en;              /* ENUM */
    int64_t dflt;                   /* integers: value meaning "absent" (compact output omits it) */
} jm_field;

typedef struct jm_record {
    const char *name;
    const jm_field *fields;
    size_t n_fields;
} jm_record;

#define JM_FLAG_COMPACT 1 /* omit empty strings, zeros, defaults, all-zero hashes */

/* A new JSON object for obj (never NULL; aborts on out-of-memory). */
json_t *jm_encode(const jm_record *rec, const void *obj, int flags);

/* Fill obj from the JSON object j. path names j ("$", "$.actor").
 * Returns 0, or -1 with the path and reason in err. */
int jm_decode(const jm_record *rec, const json_t *j, void *obj, const char *path, char *err, size_t err_size);

/* One field of rec by JSON name, or NULL. */
const jm_field *jm_field_find(const jm_record *rec, const char *name);

/* Helpers shared with hand-written mappings. */
json_t *jm_time_json(int64_t t);
json_t *jm_roles_json(uint32_t roles);
json_t *jm_sha_json(const uint8_t *sha);
int jm_parse_roles(const json_t *v, uint32_t *out, const char *path, char *err, size_t err_size);

#endif
