/* The order event codec: committed schema in sync, round trip, hostile
 * bytes refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/order_codec.h"

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

Test(codec_order, committed_schema_equals_the_built_in_one)
{
    char *file = read_text(Q2O_SOURCE_DIR "/schemas/q2o.OrderEvent.avsc");
    char *built = q2o_order_codec_schema_json();
    cr_assert_str_eq(file, built, "schemas/q2o.OrderEvent.avsc is stale: write q2o_order_codec_schema_json()");
    free(file);
    free(built);
}

static q2o_order_event sample(void)
{
    q2o_order_event o;
    memset(&o, 0, sizeof o);
    o.type = Q2O_ORDER_EV_CREATED;
    strcpy(o.event_id, "order/Q-1000/3");
    strcpy(o.correlation_id, "corr-1");
    strcpy(o.causation_id, "Q-1000/42");
    o.at = 1785542400000LL;
    q2o_order_created *c = &o.u.created;
    strcpy(c->order_id, "ORD-Q-1000-R3");
    strcpy(c->order_number, "SO-1000-3");
    strcpy(c->quote_id, "Q-1000");
    c->revision = 3;
    c->grand_total = 123456789;
    strcpy(c->currency, "USD");
    memset(c->pricing_fp, 0xAB, sizeof c->pricing_fp);
    memset(c->document_hash, 0xCD, sizeof c->document_hash);
    strcpy(c->idempotency_key, "crm-conv-7781");
    c->created_at = 1785542400000LL;
    return o;
}

Test(codec_order, round_trip)
{
    q2o_order_codec *c = NULL;
    cr_assert_eq(q2o_order_codec_open(&c), Q2O_OK);
    q2o_order_event in = sample(), out;
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256];
    cr_assert_eq(q2o_order_codec_encode(c, &in, &buf, &len), Q2O_OK);
    cr_assert(len > 10 && buf[0] == 0xC3 && buf[1] == 0x01, "single-object encoding");
    cr_assert_eq(q2o_order_codec_decode(c, buf, len, &out, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_assert_eq(memcmp(&in, &out, sizeof in), 0);
    cr_assert_str_eq(q2o_order_event_type_name(out.type), "OrderCreated");
    free(buf);
    q2o_order_codec_close(c);
}

Test(codec_order, hostile_bytes_are_refused)
{
    q2o_order_codec *c = NULL;
    cr_assert_eq(q2o_order_codec_open(&c), Q2O_OK);
    q2o_order_event in = sample(), out;
    uint8_t *buf = NULL;
    size_t len = 0;
    char detail[256];
    cr_assert_eq(q2o_order_codec_encode(c, &in, &buf, &len), Q2O_OK);
    for (size_t cut = 0; cut < len; cut++)
        cr_assert_neq(q2o_order_codec_decode(c, buf, cut, &out, detail, sizeof detail), Q2O_OK, "cut at %zu", cut);
    cr_assert_eq(q2o_order_codec_decode(c, "plain", 5, &out, detail, sizeof detail), Q2O_WIRE_BAD_MAGIC);
    in.type = (q2o_order_event_type)7;
    uint8_t *bad = NULL;
    cr_assert_eq(q2o_order_codec_encode(c, &in, &bad, &len), Q2O_INVALID_ARGUMENT);
    free(buf);
    q2o_order_codec_close(c);
}
