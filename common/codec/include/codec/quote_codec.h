/*
 * codec/quote_codec.h — q2o's messages on the wire: events, commands,
 * command results and quote snapshots as Avro single-object encoded bytes.
 *
 *   event    q2o_event   <-> q2o.QuoteEvent     (Kafka topic quote-events)
 *   command  q2o_command <-> q2o.QuoteCommand   (quote-commands)
 *   result   q2o_result  <-> q2o.CommandResult  (quote-results)
 *   snapshot q2o_quote   <-> q2o.QuoteSnapshot  (the local LMDB store only)
 *
 * The schemas are schemas/q2o.<Name>.avsc. Both they and the mapping between
 * the C structs and Avro come from one set of tables compiled into this
 * library (src/quote_codec_tables.c); the committed files are those tables'
 * output, and test_codec fails when they drift. So a worker needs no schema
 * directory at run time (q2o_codec_open_builtin); q2o_codec_open(dir) loads
 * a directory instead and refuses one whose q2o schemas differ from the
 * built-in ones (the encoder would not match them).
 *
 * Decoding treats the bytes as hostile: the wire layer (codec/avro_wire.h)
 * walks them against the writer schema before avro-c sees them, then every
 * field is checked against its C home: strings must fit their fixed-size
 * field, array counts their Q2O_MAX_* limit, enum symbols and union branches
 * must be known, role and method bit sets within the known bits, error codes
 * known (except a result's own code, which may be newer than the reader),
 * unsigned fields non-negative, and the envelope's redundant event_id/type
 * must agree with the fields they summarise. Nothing is trusted, nothing
 * leaks, on every path.
 *
 * Errors of the decoders: WIRE_BAD_MAGIC, WIRE_UNKNOWN_SCHEMA (fingerprint
 * unknown, or the message is another kind: a command given to
 * decode_event), WIRE_TRUNCATED, WIRE_BAD_LENGTH (a string longer than its C
 * field, more items than the limit), WIRE_BAD_ENUM (unknown symbol, branch,
 * role bit, error code or type name), WIRE_TRAILING_BYTES, WIRE_DECODE_FAILED
 * (also: event_id or type disagree with the event), TOO_LARGE, NO_MEMORY.
 * detail gets the field path and the reason, e.g.
 * "payload.QuotePriced.lines[3].display_name: 140 bytes, field holds 127".
 * Errors of the encoders: INVALID_ARGUMENT (a struct the decoder would
 * refuse: unterminated string, count above its limit, enum out of range,
 * an unknown type; a programming error), TOO_LARGE, NO_MEMORY,
 * WIRE_ENCODE_FAILED.
 *
 * Memory: encoders return a malloc'd buffer the caller free()s. Decoders
 * overwrite *out (any previous content is NOT released, except a snapshot's
 * lines, see below); on error *out is left zeroed/empty with nothing to free.
 *
 * Thread safety: a codec is immutable once open; any number of threads may
 * encode and decode with one codec at once. Open and close at startup and
 * shutdown (avro-c's error text buffer is process-wide).
 */
#ifndef Q2O_CODEC_QUOTE_CODEC_H
#define Q2O_CODEC_QUOTE_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/limits.h"
#include "domain/quote.h"

/* ---- the command result ---- */

#define Q2O_RESULT_STATUS_LIST(X) X(ACCEPTED) X(REJECTED)
typedef enum q2o_result_status {
#define Q2O_ENUM_RS_(n) Q2O_RESULT_##n,
    Q2O_RESULT_STATUS_LIST(Q2O_ENUM_RS_)
#undef Q2O_ENUM_RS_
    Q2O_RESULT__COUNT
} q2o_result_status;

/* The answer to one command, published on the results topic. Plain data. */
typedef struct q2o_result {
    char command_id[Q2O_ID_MAX];
    char quote_id[Q2O_ID_MAX];
    char correlation_id[Q2O_ID_MAX];
    q2o_result_status status;
    q2o_err code;                    /* OK when accepted; may be a code newer
                                        than this reader (then unknown to it) */
    char message[Q2O_TEXT_MAX];      /* q2o_err_message(code), as the writer knew it */
    char remediation[Q2O_TEXT_MAX];
    char detail[Q2O_TEXT_MAX];       /* the specific fact that failed */
    uint64_t version;                /* stream version after the command */
    int32_t revision;                /* the revision the command acted on */
    char order_id[Q2O_ID_MAX];       /* CONVERT_TO_ORDER */
    char order_number[Q2O_ID_MAX];
    int replayed;                    /* idempotent retry: same result, no new events */
    uint32_t n_events;               /* events emitted: versions version-n+1 .. version */
    q2o_event_type event_types[Q2O_MAX_EVENTS_PER_DECISION];
} q2o_result;

/* ---- the codec ---- */

typedef struct q2o_codec q2o_codec;

/* The kinds of message, in the order of q2o_codec_kind_name. */
typedef enum q2o_codec_kind {
    Q2O_CODEC_EVENT,
    Q2O_CODEC_COMMAND,
    Q2O_CODEC_RESULT,
    Q2O_CODEC_SNAPSHOT,
    Q2O_CODEC__COUNT
} q2o_codec_kind;

/* Open with the schemas compiled into the library. Errors: NO_MEMORY,
 * WIRE_SCHEMA_INVALID (a bug: the tables produce a schema avro-c refuses). */
q2o_err q2o_codec_open_builtin(q2o_codec **out);

/* Open with the *.avsc files of schema_dir (for example schemas/). The
 * directory must hold q2o.QuoteEvent, q2o.QuoteCommand, q2o.CommandResult and
 * q2o.QuoteSnapshot with the built-in fingerprints; other files may sit
 * beside them. Errors: WIRE_SCHEMA_INVALID (unreadable, missing or differing
 * schema), TOO_LARGE, NO_MEMORY. *out is NULL on error. */
q2o_err q2o_codec_open(const char *schema_dir, q2o_codec **out);

void q2o_codec_close(q2o_codec *codec); /* accepts NULL */

q2o_err q2o_codec_encode_event(const q2o_codec *codec, const q2o_event *ev, uint8_t **buf,
                               size_t *len);
/* out owned by the caller: release with q2o_event_release (PRICED lines). */
q2o_err q2o_codec_decode_event(const q2o_codec *codec, const void *buf, size_t len,
                               q2o_event *out, char *detail, size_t detail_size);

q2o_err q2o_codec_encode_command(const q2o_codec *codec, const q2o_command *cmd, uint8_t **buf,
                                 size_t *len);
q2o_err q2o_codec_decode_command(const q2o_codec *codec, const void *buf, size_t len,
                                 q2o_command *out, char *detail, size_t detail_size);

q2o_err q2o_codec_encode_result(const q2o_codec *codec, const q2o_result *res, uint8_t **buf,
                                size_t *len);
q2o_err q2o_codec_decode_result(const q2o_codec *codec, const void *buf, size_t len,
                                q2o_result *out, char *detail, size_t detail_size);

q2o_err q2o_codec_encode_snapshot(const q2o_codec *codec, const q2o_quote *q, uint8_t **buf,
                                  size_t *len);
/* out must be initialised (q2o_quote_init or a previous decode): its heap
 * arrays are released first (q2o_quote_release), then it is overwritten;
 * revisions, lines and baseline are malloc'd arrays (cap == n) that
 * q2o_quote_release frees. On error out is an empty initialised quote. */
q2o_err q2o_codec_decode_snapshot(const q2o_codec *codec, const void *buf, size_t len,
                                  q2o_quote *out, char *detail, size_t detail_size);

/* Which kind a message is, from its header alone (no body validation).
 * Errors: WIRE_BAD_MAGIC, WIRE_TRUNCATED, WIRE_UNKNOWN_SCHEMA, TOO_LARGE. */
q2o_err q2o_codec_peek(const q2o_codec *codec, const void *buf, size_t len,
                       q2o_codec_kind *kind);

/* The CloudEvents id of an event: quote_id "/" version, e.g. "Q-1000/17".
 * It travels in the envelope's event_id field. */
void q2o_codec_event_id(const q2o_event *ev, char *out, size_t size);

/* "QuoteEvent", "QuoteCommand", "CommandResult", "QuoteSnapshot"; NULL past the end. */
const char *q2o_codec_kind_name(q2o_codec_kind kind);

/* The built-in schema text of a kind (as committed in schemas/q2o.<Name>.avsc):
 * a malloc'd string the caller free()s, NULL on out-of-memory. */
char *q2o_codec_schema_json(q2o_codec_kind kind);

/* The fingerprint (CRC-64-AVRO of the canonical form) a kind is written with. */
uint64_t q2o_codec_fingerprint(const q2o_codec *codec, q2o_codec_kind kind);

/* For codec tools and tests only: the loaded schema set (codec/avro_schema.h). */
typedef struct q2o_schema_set q2o_schema_set;
const q2o_schema_set *q2o_codec_schema_set(const q2o_codec *codec);

#endif
