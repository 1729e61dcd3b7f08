/* Parsing Canonical Form and CRC-64-AVRO fingerprints. Every expected canonical
 * form and fingerprint below was computed with fastavro 1.13.1
 * (fastavro.schema.to_parsing_canonical_form and fingerprint(pcf,
 * "CRC-64-AVRO")) before being written here; codec_avro_crosscheck_test.c
 * repeats the comparison live on the schemas under tests/python/. Fingerprints
 * are spelled as fastavro spells them: the 8 bytes little-endian, in hex. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"

static const char *le_hex(uint64_t fp, char out[17])
{
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", (unsigned)((fp >> (8 * i)) & 0xff));
    return out;
}

static void expect_pcf(const char *json, const char *want_pcf, const char *want_fp)
{
    char *pcf = NULL, detail[256] = "", hex[17];
    size_t len = 0;
    q2o_err err = q2o_avro_pcf_from_json(json, strlen(json), &pcf, &len, detail, sizeof detail);
    cr_assert_eq(err, Q2O_OK, "%s: %s", q2o_err_name(err), detail);
    cr_expect_str_eq(pcf, want_pcf);
    cr_expect_eq(len, strlen(want_pcf));
    cr_expect_str_eq(le_hex(q2o_avro_crc64(pcf, len), hex), want_fp);
    free(pcf);
}

static void expect_invalid(const char *json, const char *in_detail)
{
    static char untouched[] = "untouched";
    char *pcf = untouched, detail[256] = "";
    q2o_err err = q2o_avro_pcf_from_json(json, strlen(json), &pcf, NULL, detail, sizeof detail);
    cr_expect_eq(err, Q2O_WIRE_SCHEMA_INVALID, "%s for %s", q2o_err_name(err), json);
    cr_expect_null(pcf);
    cr_expect(strstr(detail, in_detail) != NULL, "detail \"%s\" lacks \"%s\"", detail, in_detail);
}

Test(codec_avro_crc64, empty_input_is_the_spec_constant)
{
    cr_assert_eq(q2o_avro_crc64("", 0), Q2O_AVRO_CRC64_EMPTY);
    cr_assert_eq(Q2O_AVRO_CRC64_EMPTY, 0xc15d213aa4d7a795ULL);
}

Test(codec_avro_crc64, primitive_fingerprints_match_fastavro_and_the_java_vectors)
{
    /* "null" is also 7195948357588979594 (0x63dd24e7cc258f8a) in Avro's own
     * share/test/data/schema-tests.txt. */
    static const struct { const char *schema, *fp; } cases[] = {
        {"\"null\"", "8a8f25cce724dd63"},   {"\"boolean\"", "64f7d4a478fc429f"},
        {"\"int\"", "8f5c393f1ad57572"},    {"\"long\"", "b71df49344e154d0"},
        {"\"float\"", "90d7a83ecb027c4d"},  {"\"double\"", "7e95ab32c035758e"},
        {"\"bytes\"", "651920c3da16c04f"},  {"\"string\"", "c70345637248018f"},
    };
    cr_assert_eq(q2o_avro_crc64("\"null\"", 6), 0x63dd24e7cc258f8aULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_pcf(cases[i].schema, cases[i].schema, cases[i].fp);
}

Test(codec_avro_pcf, primitive_objects_become_names)
{
    expect_pcf("{\"type\": \"int\"}", "\"int\"", "8f5c393f1ad57572");
    expect_pcf("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}", "\"long\"",
               "b71df49344e154d0");
}

Test(codec_avro_pcf, namespaces_fullnames_repeated_references_and_stripping)
{
    /* Nested namespace override, enum inheriting "c" from Inner, a dotted
     * fixed name, second uses printed as fullnames, doc/aliases/default/order
     * and logical types stripped, {"type":"string"} simplified. */
    expect_pcf(
        "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"a.b\",\"doc\":\"d\","
        "\"aliases\":[\"X\"],\"fields\":[{\"name\":\"in\",\"type\":{\"type\":\"record\","
        "\"name\":\"Inner\",\"namespace\":\"c\",\"fields\":[{\"name\":\"e\",\"type\":{\"type\":"
        "\"enum\",\"name\":\"E\",\"symbols\":[\"X\",\"Y\"],\"default\":\"X\"}}]}},{\"name\":"
        "\"in2\",\"type\":\"c.Inner\"},{\"name\":\"e2\",\"type\":[\"null\",\"c.E\"],\"default\":"
        "null},{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"d.F\",\"size\":16}},"
        "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
        "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":"
        "\"d.F\"}}},{\"name\":\"p\",\"type\":{\"type\":\"string\"},\"order\":\"ignore\"}]}",
        "{\"name\":\"a.b.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"in\",\"type\":"
        "{\"name\":\"c.Inner\",\"type\":\"record\",\"fields\":[{\"name\":\"e\",\"type\":{\"name\":"
        "\"c.E\",\"type\":\"enum\",\"symbols\":[\"X\",\"Y\"]}}]}},{\"name\":\"in2\",\"type\":"
        "\"c.Inner\"},{\"name\":\"e2\",\"type\":[\"null\",\"c.E\"]},{\"name\":\"f\",\"type\":"
        "{\"name\":\"d.F\",\"type\":\"fixed\",\"size\":16}},{\"name\":\"ts\",\"type\":\"long\"},"
        "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":"
        "\"d.F\"}}},{\"name\":\"p\",\"type\":\"string\"}]}",
        "b440069d1dd69cf9");
}

Test(codec_avro_pcf, recursive_record_refers_to_itself_by_name)
{
    expect_pcf("{\"type\":\"record\",\"name\":\"LongList\",\"aliases\":[\"LinkedLongs\"],"
               "\"fields\":[{\"name\":\"value\",\"type\":\"long\"},{\"name\":\"next\","
               "\"type\":[\"null\",\"LongList\"]}]}",
               "{\"name\":\"LongList\",\"type\":\"record\",\"fields\":[{\"name\":\"value\","
               "\"type\":\"long\"},{\"name\":\"next\",\"type\":[\"null\",\"LongList\"]}]}",
               "92ce588390071d7c");
}

Test(codec_avro_pcf, whitespace_is_dropped_and_top_level_union_kept)
{
    expect_pcf("[ \"null\" , { \"type\" : \"enum\" , \"name\" : \"Suit\" , \"symbols\" : "
               "[ \"SPADES\" , \"HEARTS\" ] } , {\"type\":\"map\",\"values\":\"Suit\"}, "
               "{\"type\":\"array\",\"items\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
               "\"precision\":4,\"scale\":2}} ]",
               "[\"null\",{\"name\":\"Suit\",\"type\":\"enum\",\"symbols\":[\"SPADES\","
               "\"HEARTS\"]},{\"type\":\"map\",\"values\":\"Suit\"},{\"type\":\"array\","
               "\"items\":\"bytes\"}]",
               "0f47880f3a94f54b");
}

Test(codec_avro_pcf, json_escapes_in_names_are_replaced_by_their_characters)
{
    expect_pcf("{\"type\":\"record\",\"name\":\"\\u0041bc\",\"namespace\":\"n\\u0073\","
               "\"fields\":[{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"Z\","
               "\"size\":0}}]}",
               "{\"name\":\"ns.Abc\",\"type\":\"record\",\"fields\":[{\"name\":\"x\",\"type\":"
               "{\"name\":\"ns.Z\",\"type\":\"fixed\",\"size\":0}}]}",
               "a44f9f28b7351d8a");
}

Test(codec_avro_pcf, schemas_that_are_not_avro_are_refused_with_a_reason)
{
    expect_invalid("{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\","
                   "\"type\":\"q2o.Actor\"}]}", "avro-c cannot parse");
    expect_invalid("{\"type\":", "avro-c cannot parse");
    /* avro-c accepts any enum symbol; the spec does not. */
    expect_invalid("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"a b\"]}",
                   "invalid enum symbol");
    expect_invalid("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"1st\"]}",
                   "invalid enum symbol");
    expect_invalid("", "empty schema");
}

Test(codec_avro_pcf, nesting_beyond_the_depth_limit_is_refused)
{
    char json[4096] = "", *p = json;
    for (int i = 0; i < Q2O_AVRO_MAX_DEPTH + 2; i++)
        p += sprintf(p, "{\"type\":\"array\",\"items\":");
    p += sprintf(p, "\"int\"");
    for (int i = 0; i < Q2O_AVRO_MAX_DEPTH + 2; i++)
        *p++ = '}';
    *p = '\0';
    expect_invalid(json, "nested deeper");
}
