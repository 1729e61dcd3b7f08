/*
 * codec/order_codec.h — order events on the wire (topic <prefix>order.events):
 * q2o_order_event <-> q2o.OrderEvent, Avro single-object encoding, like the
 * quote messages (codec/quote_codec.h: same table machinery, same hostile-
 * input validation, same error codes).
 *
 * q2o.OrderEvent is an envelope (event id, type name, correlation and
 * causation ids, time) around a payload union with one record per order
 * event type; today only OrderCreated, the ERP worker's answer to a
 * QuoteConvertedToOrder. The schema is schemas/q2o.OrderEvent.avsc, generated
 * from src/order_codec.c's tables (test_codec fails when they drift).
 * Evolution rules are schemas/README.md's: append payload branches and
 * enum symbols, never reorder or remove.
 *
 * Memory: the encoder returns a malloc'd buffer the caller free()s; the
 * decoder overwrites *out (plain data, nothing to release).
 * Thread safety: an open codec is immutable; open at startup.
 */
#ifndef Q2O_CODEC_ORDER_CODEC_H
#define Q2O_CODEC_ORDER_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/timeutil.h"

#define Q2O_ORDER_EVENT_LIST(X) X(CREATED, "OrderCreated")

typedef enum q2o_order_event_type {
    Q2O_ORDER_EV_NONE = 0,
#define Q2O_ENUM_OEV_(n, s) Q2O_ORDER_EV_##n,
    Q2O_ORDER_EVENT_LIST(Q2O_ENUM_OEV_)
#undef Q2O_ENUM_OEV_
    Q2O_ORDER_EV__COUNT
} q2o_order_event_type;

/* "OrderCreated"; NULL for an unknown type. */
const char *q2o_order_event_type_name(q2o_order_event_type t);

typedef struct q2o_order_created {
    char order_id[Q2O_ID_MAX];
    char order_number[Q2O_ID_MAX];
    char quote_id[Q2O_ID_MAX];
    int32_t revision;                      /* the converted revision */
    int64_t grand_total;                   /* minor units of currency */
    char currency[4];                      /* ISO 4217 */
    uint8_t pricing_fp[Q2O_SHA256_LEN];    /* the accepted price snapshot */
    uint8_t document_hash[Q2O_SHA256_LEN]; /* the accepted proposal document */
    char idempotency_key[Q2O_ID_MAX];      /* of the conversion */
    q2o_time_ms created_at;
} q2o_order_created;

typedef struct q2o_order_event {
    q2o_order_event_type type;
    char event_id[Q2O_ID_MAX];             /* ERP-chosen, deterministic */
    char correlation_id[Q2O_ID_MAX];
    char causation_id[Q2O_ID_MAX];         /* the quote event's id ("Q-1/17") */
    q2o_time_ms at;
    union {
        q2o_order_created created;
    } u;
} q2o_order_event;

typedef struct q2o_order_codec q2o_order_codec;

/* Errors: NO_MEMORY, WIRE_SCHEMA_INVALID (a bug). */
q2o_err q2o_order_codec_open(q2o_order_codec **out);
void q2o_order_codec_close(q2o_order_codec *c); /* accepts NULL */

q2o_err q2o_order_codec_encode(const q2o_order_codec *c, const q2o_order_event *ev, uint8_t **buf, size_t *len);
q2o_err q2o_order_codec_decode(const q2o_order_codec *c, const void *buf, size_t len, q2o_order_event *out,
                               char *detail, size_t detail_size);

/* The built-in schema text (schemas/q2o.OrderEvent.avsc): malloc'd, NULL on
 * out-of-memory. */
char *q2o_order_codec_schema_json(void);
uint64_t q2o_order_codec_fingerprint(const q2o_order_codec *c);

#endif
