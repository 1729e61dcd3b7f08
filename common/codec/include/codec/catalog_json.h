/*
 * codec/catalog_json.h — the catalog document (JSON) into a sealed
 * q2o_catalog (domain/catalog.h). The format is documented field by field
 * in schemas/catalog/README.md; the samples there load with this code.
 *
 * All or nothing: a document with any problem gives no catalog at all and
 * EVERY problem found (not just the first), each with a JSONPath-like
 * location ("$.offerings[3].option_groups[0].options[1]"), an error code and
 * a message. The loader refuses:
 *   - bytes that are not JSON, duplicate keys in an object, a top level that
 *     is not an object, a document above Q2O_MAX_CATALOG_BYTES
 *     (Q2O_CATALOG_INVALID / Q2O_TOO_LARGE);
 *   - unknown fields, so that a typo is never silently ignored, wrong JSON
 *     types, missing required fields, unknown enumeration spellings, times
 *     that are not RFC 3339 (Q2O_FIELD_INVALID);
 *   - strings longer than their field and arrays longer than their limit
 *     (Q2O_TOO_LARGE);
 *   - integers the field cannot hold (Q2O_FIELD_INVALID), amounts beyond
 *     Q2O_MAX_AMOUNT (Q2O_MONEY_OVERFLOW) and any JSON real where an amount
 *     goes: money is integer minor units, never a float (Q2O_FIELD_INVALID);
 *   - duplicate identities (offering ids, price book id + version, ...)
 *     (Q2O_CATALOG_INVALID);
 *   - then, on a document that is well formed, whatever q2o_catalog_check
 *     reports (cross references, ranges, orderings).
 * Representability is the loader's (does the value fit the field), meaning
 * is q2o_catalog_check's (is the discount within 0..100 %), so a problem is
 * reported once.
 *
 * Amounts are integers in minor units of the relevant currency (5000 = 50.00
 * USD; 5000 = 5000 JPY); rates and discounts are basis points; times are
 * RFC 3339 strings ("2026-07-01T00:00:00Z") or plain dates ("2026-07-01",
 * midnight UTC).
 *
 * Ownership: the catalog returned belongs to the caller
 * (q2o_catalog_free); the error list too (q2o_catalog_json_errors_release).
 *
 * Thread safety: every function is reentrant; no global state.
 */
#ifndef Q2O_CODEC_CATALOG_JSON_H
#define Q2O_CODEC_CATALOG_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/sha256.h"
#include "domain/catalog.h"

/* A location is truncated (ending in "...") beyond this many bytes. */
#define Q2O_CATALOG_JSON_PATH_MAX 160

typedef struct q2o_catalog_json_error {
    char path[Q2O_CATALOG_JSON_PATH_MAX];   /* "$.offerings[3].unit_cost" */
    q2o_err code;
    char message[256];
} q2o_catalog_json_error;

/* The problems of one load, in document order for the loader's own checks
 * (then q2o_catalog_check's). At most Q2O_MAX_CATALOG_ERRORS are kept;
 * n_dropped counts the rest. Zero-initialise before the first use. */
typedef struct q2o_catalog_json_errors {
    q2o_catalog_json_error *items; /* heap; n of them */
    uint32_t n;
    uint32_t n_dropped;
} q2o_catalog_json_errors;

void q2o_catalog_json_errors_release(q2o_catalog_json_errors *e); /* accepts NULL; leaves it empty */

/* Parse `len` bytes into a new sealed catalog. On Q2O_OK *out is the
 * catalog and `errors` is empty; otherwise *out is NULL, the return is
 * Q2O_CATALOG_INVALID (or Q2O_TOO_LARGE for an oversized document) and
 * `errors` lists every problem. `errors` may be NULL (then only the code
 * tells). `digest`, when not NULL, receives q2o_catalog_json_digest of the
 * document on success. */
q2o_err q2o_catalog_json_parse(const char *bytes, size_t len, q2o_catalog **out,
                               uint8_t digest[Q2O_SHA256_LEN], q2o_catalog_json_errors *errors);

/* The same from a file. A file that cannot be read gives Q2O_CATALOG_INVALID
 * with the reason (errno text) at path "$". */
q2o_err q2o_catalog_json_load_file(const char *file, q2o_catalog **out, uint8_t digest[Q2O_SHA256_LEN],
                                   q2o_catalog_json_errors *errors);

/* SHA-256 of the document's canonical form: compact JSON with the keys of
 * every object sorted, so whitespace and key order do not change it but any
 * value does. Workers compare digests to tell catalog versions apart.
 * Returns Q2O_OK, or Q2O_CATALOG_INVALID when the bytes are not a JSON
 * document. */
q2o_err q2o_catalog_json_digest(const char *bytes, size_t len, uint8_t out[Q2O_SHA256_LEN]);

#endif
