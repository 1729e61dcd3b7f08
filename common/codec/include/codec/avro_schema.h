/*
 * codec/avro_schema.h — Avro schemas of q2o: canonical form, fingerprint and
 * the immutable set of schemas a process encodes and decodes with.
 *
 * avro-c 1.11.1 has neither the Parsing Canonical Form (PCF) nor the
 * CRC-64-AVRO fingerprint; both are implemented here exactly as the Avro 1.11
 * specification defines them ("Parsing Canonical Form for Schemas" and
 * "Schema Fingerprints") and are cross-checked against fastavro by
 * tests/python/avro_crosscheck.py.
 *
 * Only common/codec (and its tests and tools) include this header: it exposes
 * avro-c types, and no other module may depend on avro-c.
 *
 * PCF, as produced by q2o_avro_schema_pcf:
 *   PRIMITIVES  {"type":"int"} becomes "int".
 *   FULLNAMES   every name is written as its fullname (namespace inherited from
 *               the enclosing named type unless the name has a dot or the type
 *               has its own "namespace"; "" is the null namespace).
 *   STRIP       only type, name, fields, symbols, items, values, size are kept
 *               (doc, aliases, default, order, logicalType, ... are dropped;
 *               a logical type prints as its underlying type).
 *   ORDER       name, type, fields, symbols, items, values, size.
 *   named types the first occurrence (depth-first, in field order) prints the
 *               definition; every later one prints just "fullname".
 *   STRINGS     names, namespaces and symbols must be Avro identifiers
 *               ([A-Za-z_][A-Za-z0-9_]*, namespaces dot-separated); this module
 *               rejects anything else (avro-c accepts any enum symbol), so the
 *               canonical form is plain ASCII and never needs an escape.
 *   INTEGERS, WHITESPACE  fixed sizes in decimal without leading zeros; no
 *               whitespace outside strings.
 *
 * Named types across files: every .avsc file is SELF-CONTAINED. A file defines
 * inline, at its first use, every named type it uses (a command that carries a
 * q2o.Actor spells out the q2o.Actor record at its first use and then refers to
 * it by name). A reference to a type not defined in the same file fails the
 * load with Q2O_WIRE_SCHEMA_INVALID naming the file. Why: the fingerprint is
 * the CRC of the fully expanded schema, which is what any Avro library
 * (fastavro, Java) computes from the same file alone; a cross-file resolver
 * would make a message's fingerprint depend on which other files sat in the
 * directory. Different files may define the same fullname differently (an
 * older version of a record keeps its name so that its fingerprint, and the
 * messages written with it, stay valid); keeping the current files in
 * agreement is the schema owners' job.
 *
 * Errors: Q2O_WIRE_SCHEMA_INVALID (bad JSON, unknown type name, invalid
 * identifier, top-level schema not named, nesting beyond Q2O_AVRO_MAX_DEPTH,
 * duplicate schema in a set), Q2O_TOO_LARGE (file or set beyond its limit),
 * Q2O_NO_MEMORY, Q2O_INVALID_ARGUMENT (NULL where a value is required).
 * Functions taking (detail, detail_size) write a NUL-terminated explanation
 * there on error (file name, avro-c's message copied at once); detail may be
 * NULL when detail_size is 0.
 *
 * Thread safety: q2o_avro_crc64 and q2o_avro_schema_pcf are reentrant (avro-c
 * schemas are only read). Loading a set is not thread-safe with respect to
 * avro_strerror (one process-wide buffer in this avro-c build): load sets at
 * startup. A loaded set is immutable: lookups and accessors may run on any
 * number of threads at once; avro-c's reference counts are atomic, so threads
 * may create values from an entry's class concurrently (each thread owns the
 * values it creates).
 */
#ifndef Q2O_CODEC_AVRO_SCHEMA_H
#define Q2O_CODEC_AVRO_SCHEMA_H

#include <avro.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Nesting depth of a schema and of a decoded value (records, arrays, maps and
 * unions each count one level). q2o's deepest message (a quote snapshot:
 * event, revision, line, option) is under 10 levels; 32 leaves room for
 * evolution and bounds the recursion of every walker on hostile input. */
#define Q2O_AVRO_MAX_DEPTH 32

/* Schemas per set: q2o has a few dozen message types and their versions. */
#define Q2O_AVRO_MAX_SCHEMAS 1024

/* Bytes per .avsc file: the largest q2o schema is a few KiB. */
#define Q2O_AVRO_MAX_SCHEMA_BYTES (1024u * 1024u)

/* The CRC-64-AVRO fingerprint of an empty input (the spec's EMPTY). */
#define Q2O_AVRO_CRC64_EMPTY 0xc15d213aa4d7a795ULL

/* CRC-64-AVRO (Rabin) of len bytes: the spec's fingerprint64. Pure. */
uint64_t q2o_avro_crc64(const void *data, size_t len);

/* Parsing Canonical Form of a parsed schema. On success *out is a malloc'd,
 * NUL-terminated string the caller free()s, and *out_len (if not NULL) its
 * length. On error *out is NULL. Errors: WIRE_SCHEMA_INVALID, NO_MEMORY. */
q2o_err q2o_avro_schema_pcf(avro_schema_t schema, char **out, size_t *out_len,
                            char *detail, size_t detail_size);

/* Parse json[0..len) with avro-c, then as q2o_avro_schema_pcf. */
q2o_err q2o_avro_pcf_from_json(const char *json, size_t len, char **out, size_t *out_len,
                               char *detail, size_t detail_size);

/* --- the schema set ---------------------------------------------------- */

/* One schema of a set. Owned by its set; every pointer it yields lives as
 * long as the set. */
typedef struct q2o_schema q2o_schema;
typedef struct q2o_schema_set q2o_schema_set;

/* Load every regular file named *.avsc directly in dir (not recursive), in
 * strcmp order of file names. Each top-level schema must be a named type
 * (record, enum or fixed). On success *out is a new set the caller frees with
 * q2o_schema_set_free; on error *out is NULL and detail names the file.
 * Errors: WIRE_SCHEMA_INVALID (also: a directory that cannot be read, no
 * .avsc file, two files with the same canonical form), TOO_LARGE, NO_MEMORY. */
q2o_err q2o_schema_set_load_dir(const char *dir, q2o_schema_set **out,
                                char *detail, size_t detail_size);

/* Same from count in-memory JSON texts (NUL-terminated). labels[i] names
 * text i in errors and q2o_schema_source; labels may be NULL ("#0", "#1"...).
 * The texts are copied. */
q2o_err q2o_schema_set_load_json(const char *const *jsons, const char *const *labels,
                                 size_t count, q2o_schema_set **out,
                                 char *detail, size_t detail_size);

/* Release the set and everything it owns. Accepts NULL. Values created from
 * its classes must be released first. */
void q2o_schema_set_free(q2o_schema_set *set);

size_t q2o_schema_set_count(const q2o_schema_set *set);
/* The index-th schema in load order, or NULL past the end. */
const q2o_schema *q2o_schema_set_at(const q2o_schema_set *set, size_t index);

/* The schema whose fingerprint this is, or NULL. O(log n). */
const q2o_schema *q2o_schema_set_find_fingerprint(const q2o_schema_set *set,
                                                  uint64_t fingerprint);

/* The schema with this top-level fullname ("q2o.QuoteCreated"), or NULL. When
 * several schemas share the name (versions of one record), the one loaded
 * last wins: files load in strcmp order, texts in array order. O(log n). */
const q2o_schema *q2o_schema_set_find_name(const q2o_schema_set *set, const char *fullname);

/* Accessors. Strings are NUL-terminated and live as long as the set. */
const char *q2o_schema_name(const q2o_schema *schema);   /* top-level fullname */
const char *q2o_schema_source(const q2o_schema *schema); /* file path or label */
const char *q2o_schema_json(const q2o_schema *schema);   /* the text as loaded */
const char *q2o_schema_pcf(const q2o_schema *schema);
uint64_t q2o_schema_fingerprint(const q2o_schema *schema);
/* Borrowed: do not decref. */
avro_schema_t q2o_schema_avro(const q2o_schema *schema);
avro_value_iface_t *q2o_schema_class(const q2o_schema *schema);

/* A new, empty generic value of this schema. The caller owns it and releases
 * it with avro_value_decref(out). Errors: NO_MEMORY. */
q2o_err q2o_schema_new_value(const q2o_schema *schema, avro_value_t *out);

#endif
