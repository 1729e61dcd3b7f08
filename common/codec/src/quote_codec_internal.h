/*
 * quote_codec_internal.h — the descriptor tables that map q2o's C structs to
 * Avro records. Private to common/codec/src/quote_codec*.c.
 *
 * One table per record is the single source of truth for three things:
 *   - the .avsc text (quote_codec_schema.c generates it; the files schemas/q2o.*.avsc are
 *     that output, committed, and a test fails when they drift),
 *   - encoding a struct into an avro-c value (quote_codec_value.c),
 *   - decoding and validating a value back into the struct.
 * A field names its C storage by byte offset from the start of the struct
 * being encoded (for an event payload: from the start of the q2o_event), so a
 * payload record can pick fields out of the C union member.
 */
#ifndef Q2O_CODEC_QUOTE_CODEC_INTERNAL_H
#define Q2O_CODEC_QUOTE_CODEC_INTERNAL_H

#include <avro.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum qc_kind {
    QC_STR,      /* char[size], NUL-terminated              -> "string" */
    QC_I32,      /* int32_t                                 -> "int" */
    QC_I64,      /* int64_t                                 -> "long" */
    QC_U32,      /* uint32_t                                -> "long", 0..UINT32_MAX */
    QC_U64,      /* uint64_t                                -> "long", >= 0 */
    QC_TIME,     /* q2o_time_ms                             -> long timestamp-millis */
    QC_BOOL,     /* int 0/1                                 -> "boolean" */
    QC_MASK,     /* uint32_t bit set, bits within `max`     -> "int" */
    QC_ERRCODE,  /* int q2o_err                             -> "int" */
    QC_ENUM,     /* a C enum (int-sized) named by `en`      -> enum */
    QC_SHA,      /* uint8_t[32]                             -> fixed q2o.Sha256 */
    QC_REC,      /* nested struct, described by `rec`       -> record */
    QC_ARR,      /* inline array item[max] + uint32 count   -> array */
    QC_HEAP,     /* heap array: pointer + uint32 count (+ cap) -> array */
    QC_UNION,    /* the payload: branch = (int type) - 1    -> union of records */
    QC_EVTYPE,   /* q2o_event_type stored as its name       -> "string" */
    QC_VIRTUAL   /* no storage: computed on encode, checked on decode -> "string" */
} qc_kind;

typedef struct qc_enum {
    const char *name;                /* short name in namespace q2o */
    const char *doc;
    const char *const *symbols;
    unsigned n_symbols;
} qc_enum;

typedef struct qc_record qc_record;
typedef struct qc_field qc_field;

/* A virtual field: its string is derived from the whole object (the event id,
 * the envelope's type name, the error name of a code). */
typedef void (*qc_virtual_fn)(const void *obj, char *out, size_t size);

struct qc_field {
    const char *name;
    const char *doc;
    qc_kind kind;
    size_t off;                      /* offset of the storage in the object */
    size_t size;                     /* STR: buffer size; ARR/HEAP: item stride */
    const qc_record *rec;            /* REC, or item record of ARR/HEAP */
    const qc_enum *en;               /* ENUM, or item enum */
    qc_kind item;                    /* ARR/HEAP: kind of an item */
    size_t count_off;                /* ARR/HEAP: offset of the 32-bit count;
                                        UNION: offset of the int type tag */
    size_t cap_off;                  /* HEAP: offset of a uint32 capacity, or 0 */
    uint32_t max;                    /* ARR/HEAP: item limit; MASK: valid bits */
    const qc_record *const *branches; /* UNION: one record per type, type 1 first */
    unsigned n_branches;
    qc_virtual_fn virt;              /* VIRTUAL */
};

struct qc_record {
    const char *name;                /* short name in namespace q2o */
    const char *doc;
    const qc_field *fields;
    unsigned n_fields;
};

/* The four top-level messages (and their files schemas/q2o.<name>.avsc). */
typedef enum qc_top {
    QC_TOP_EVENT,
    QC_TOP_COMMAND,
    QC_TOP_RESULT,
    QC_TOP_SNAPSHOT,
    QC_TOP__COUNT
} qc_top;

extern const qc_record *const qc_top_records[QC_TOP__COUNT];

/* Schema JSON of a top-level record, pretty-printed, self-contained (every
 * named type defined at its first use). malloc'd; NULL on out-of-memory. */
char *qc_schema_json(const qc_record *top);

/* Fill a generic value of the record's schema from obj. Errors:
 * INVALID_ARGUMENT (obj holds something the decoder would refuse),
 * WIRE_ENCODE_FAILED; detail names the field. */
q2o_err qc_encode(const qc_record *rec, const void *obj, avro_value_t *val, char *detail,
                  size_t detail_size);

/* Read a value into obj (which the caller zeroed), validating every field.
 * On error detail holds "field.path: reason"; heap arrays already allocated
 * stay attached to obj for the caller to free. */
q2o_err qc_decode(const qc_record *rec, avro_value_t *val, void *obj, char *detail,
                  size_t detail_size);

/* Free every heap array obj owns according to the table (decoded objects on
 * the error path; the event's PRICED lines, the snapshot's lines). */
void qc_free_heaps(const qc_record *rec, void *obj);

#endif
