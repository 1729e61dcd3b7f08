/*
 * order_codec.c — q2o.OrderEvent: its descriptor tables (the same machinery
 * as quote_codec_tables.c, so schema text, encoder and validating decoder
 * come from one table) and the open/encode/decode calls.
 *
 * Field order is wire order: never reorder, rename or remove a field;
 * append payload branches for new order event types.
 */
#include "codec/order_codec.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"
#include "codec/avro_wire.h"
#include "core/strutil.h"
#include "quote_codec_internal.h"

#define MSIZE(T, m) sizeof(((T *)0)->m)
#define F(k, T, m, nm, d) {.name = nm, .doc = d, .kind = QC_##k, .off = offsetof(T, m), .size = MSIZE(T, m)}
#define FV(nm, fn, check, d) {.name = nm, .doc = d, .kind = QC_VIRTUAL, .virt = fn, .max = check}
#define RECORD(var, nm, d, flds) \
    const qc_record var = {nm, d, flds, (unsigned)(sizeof(flds) / sizeof((flds)[0]))}

static const char *const type_names[Q2O_ORDER_EV__COUNT] = {
#define NAME_(n, s) [Q2O_ORDER_EV_##n] = s,
    Q2O_ORDER_EVENT_LIST(NAME_)
#undef NAME_
};

const char *q2o_order_event_type_name(q2o_order_event_type t)
{
    return t > Q2O_ORDER_EV_NONE && t < Q2O_ORDER_EV__COUNT ? type_names[t] : NULL;
}

#define OE q2o_order_event
#define OC(m, k, d) F(k, OE, u.created.m, #m, d)
static const qc_field created_fields[] = {
    OC(order_id, STR, "Identifier of the order (deterministic from quote and revision)."),
    OC(order_number, STR, "Human order number."),
    OC(quote_id, STR, "The converted quote group."),
    OC(revision, I32, "The converted revision."),
    OC(grand_total, I64, "Grand total in minor units of currency."),
    OC(currency, STR, "ISO 4217 currency code (3 letters)."),
    OC(pricing_fp, SHA, "SHA-256 pricing fingerprint of the accepted price snapshot."),
    OC(document_hash, SHA, "SHA-256 of the accepted proposal document."),
    OC(idempotency_key, STR, "Idempotency key of the conversion."),
    OC(created_at, TIME, "When the order was created (the conversion time)."),
};
#undef OC
static RECORD(rec_created, "OrderCreated", "An order created from a converted quote revision.", created_fields);

static const qc_record *const branches[] = {&rec_created};

static void type_of(const void *obj, char *out, size_t size)
{
    const char *n = q2o_order_event_type_name(((const OE *)obj)->type);
    (void)q2o_strlcpy(out, n ? n : "", size);
}

static const qc_field event_fields[] = {
    F(STR, OE, event_id, "event_id", "Unique, deterministic event id."),
    FV("type", type_of, 1, "Event type name; equals the payload record's name."),
    F(STR, OE, correlation_id, "correlation_id", "Correlation id carried from the quote."),
    F(STR, OE, causation_id, "causation_id", "Id of the quote event that caused it (quote/version)."),
    F(TIME, OE, at, "at", "When the event happened."),
    {.name = "payload", .doc = "The event's facts: one record per order event type.", .kind = QC_UNION,
     .count_off = offsetof(OE, type), .branches = branches,
     .n_branches = (unsigned)(sizeof(branches) / sizeof(branches[0]))},
};
#undef OE
static RECORD(rec_order_event, "OrderEvent", "One event of an order (the envelope).", event_fields);

_Static_assert(sizeof(branches) / sizeof(branches[0]) == Q2O_ORDER_EV__COUNT - 1, "one branch per type");

struct q2o_order_codec {
    q2o_schema_set *set;
    const q2o_schema *schema;
};

char *q2o_order_codec_schema_json(void)
{
    return qc_schema_json(&rec_order_event);
}

q2o_err q2o_order_codec_open(q2o_order_codec **out)
{
    static const char *const labels[1] = {"builtin:q2o.OrderEvent.avsc"};
    *out = NULL;
    q2o_order_codec *c = calloc(1, sizeof *c);
    char *text = q2o_order_codec_schema_json();
    q2o_err e = c && text ? Q2O_OK : Q2O_NO_MEMORY;
    if (e == Q2O_OK)
        e = q2o_schema_set_load_json((const char *const *)&text, labels, 1, &c->set, NULL, 0);
    if (e == Q2O_OK && !(c->schema = q2o_schema_set_find_name(c->set, "q2o.OrderEvent")))
        e = Q2O_WIRE_SCHEMA_INVALID;
    free(text);
    if (e != Q2O_OK) {
        q2o_order_codec_close(c);
        return e;
    }
    *out = c;
    return Q2O_OK;
}

void q2o_order_codec_close(q2o_order_codec *c)
{
    if (!c)
        return;
    q2o_schema_set_free(c->set);
    free(c);
}

uint64_t q2o_order_codec_fingerprint(const q2o_order_codec *c)
{
    return q2o_schema_fingerprint(c->schema);
}

q2o_err q2o_order_codec_encode(const q2o_order_codec *c, const q2o_order_event *ev, uint8_t **buf, size_t *len)
{
    char detail[256];
    avro_value_t v;
    *buf = NULL;
    *len = 0;
    q2o_err e = q2o_schema_new_value(c->schema, &v);
    if (e)
        return e;
    e = qc_encode(&rec_order_event, ev, &v, detail, sizeof detail);
    if (!e)
        e = q2o_avro_encode_alloc(c->schema, &v, buf, len, detail, sizeof detail);
    avro_value_decref(&v);
    return e;
}

q2o_err q2o_order_codec_decode(const q2o_order_codec *c, const void *buf, size_t len, q2o_order_event *out,
                               char *detail, size_t detail_size)
{
    avro_value_t v;
    memset(out, 0, sizeof *out);
    if (detail && detail_size)
        detail[0] = '\0';
    q2o_err e = q2o_schema_new_value(c->schema, &v);
    if (e)
        return e;
    e = q2o_avro_decode_into(c->schema, buf, len, &v, detail, detail_size);
    if (!e)
        e = qc_decode(&rec_order_event, &v, out, detail, detail_size);
    avro_value_decref(&v);
    if (e)
        memset(out, 0, sizeof *out);
    return e;
}
