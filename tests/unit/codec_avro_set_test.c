/* The schema set: loading, lookups, and the rules about names and files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"
#include "testutil.h"

#define V1 "{\"type\":\"record\",\"name\":\"V\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"
#define V2 "{\"type\":\"record\",\"name\":\"V\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}]}"
#define W "{\"type\":\"enum\",\"name\":\"t.W\",\"symbols\":[\"X\"]}"

static q2o_err load(const char *const *texts, size_t n, q2o_schema_set **set, char *detail)
{
    static const char *const labels[] = {"first", "second", "third"};
    return q2o_schema_set_load_json(texts, labels, n, set, detail, 256);
}

Test(codec_avro_set, lookups_by_fingerprint_and_by_name)
{
    const char *texts[] = {V1, W, V2};
    q2o_schema_set *set = NULL;
    char detail[256] = "";
    cr_assert_eq(load(texts, 3, &set, detail), Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_schema_set_count(set), 3);
    for (size_t i = 0; i < 3; i++) {
        const q2o_schema *s = q2o_schema_set_at(set, i);
        cr_expect_eq(q2o_schema_set_find_fingerprint(set, q2o_schema_fingerprint(s)), s);
        cr_expect_eq(q2o_schema_fingerprint(s),
                     q2o_avro_crc64(q2o_schema_pcf(s), strlen(q2o_schema_pcf(s))));
        cr_expect_str_eq(q2o_schema_json(s), texts[i]);
    }
    cr_expect_null(q2o_schema_set_at(set, 3));
    cr_expect_null(q2o_schema_set_find_fingerprint(set, 42));
    cr_expect_str_eq(q2o_schema_name(q2o_schema_set_find_name(set, "t.W")), "t.W");
    cr_expect_null(q2o_schema_set_find_name(set, "W"));
    cr_expect_null(q2o_schema_set_find_name(set, "t.Nope"));
    q2o_schema_set_free(set);
}

Test(codec_avro_set, versions_of_one_record_coexist_and_the_last_loaded_wins_by_name)
{
    const char *texts[] = {V2, V1};
    q2o_schema_set *set = NULL;
    char detail[256] = "";
    cr_assert_eq(load(texts, 2, &set, detail), Q2O_OK, "%s", detail);
    const q2o_schema *by_name = q2o_schema_set_find_name(set, "t.V");
    cr_expect_eq(by_name, q2o_schema_set_at(set, 1));
    cr_expect_str_eq(q2o_schema_source(by_name), "second");
    cr_expect_neq(q2o_schema_fingerprint(q2o_schema_set_at(set, 0)), q2o_schema_fingerprint(by_name));
    q2o_schema_set_free(set);
}

Test(codec_avro_set, the_same_schema_twice_is_refused_naming_both)
{
    /* Same canonical form despite different text: same fingerprint. */
    const char *texts[] = {V1, "{\"doc\":\"again\",\"type\":\"record\",\"namespace\":\"t\","
                               "\"name\":\"V\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"int\"}}]}"};
    q2o_schema_set *set = (q2o_schema_set *)&texts;
    char detail[256] = "";
    cr_assert_eq(load(texts, 2, &set, detail), Q2O_WIRE_SCHEMA_INVALID);
    cr_expect_null(set);
    cr_expect(strstr(detail, "first") && strstr(detail, "second"), "%s", detail);
}

Test(codec_avro_set, each_text_must_be_self_contained)
{
    /* q2o.Actor is defined in the first text only: the second cannot use it. */
    const char *texts[] = {
        "{\"type\":\"record\",\"name\":\"q2o.Actor\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}",
        "{\"type\":\"record\",\"name\":\"q2o.Cmd\",\"fields\":[{\"name\":\"by\",\"type\":\"q2o.Actor\"}]}"};
    q2o_schema_set *set = NULL;
    char detail[256] = "";
    cr_assert_eq(load(texts, 2, &set, detail), Q2O_WIRE_SCHEMA_INVALID);
    cr_expect(strncmp(detail, "second: ", 8) == 0, "%s", detail);
    cr_expect(strstr(detail, "Actor") != NULL, "%s", detail);
}

Test(codec_avro_set, unnamed_and_unsupported_schemas_are_refused)
{
    static const struct { const char *json, *why; } cases[] = {
        {"\"string\"", "not a record"},
        {"[\"null\",\"int\"]", "not a record"},
        {"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"xs\",\"type\":{\"type\":"
         "\"array\",\"items\":{\"type\":\"record\",\"name\":\"E\",\"fields\":[]}}}]}",
         "avro-c cannot hold"},
        {"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"xs\",\"type\":{\"type\":"
         "\"map\",\"values\":{\"type\":\"fixed\",\"name\":\"Z\",\"size\":0}}}]}",
         "avro-c cannot hold"},
        {"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"x\",\"type\":{\"type\":"
         "\"enum\",\"name\":\"E\",\"symbols\":[\"has space\"]}}]}", "invalid enum symbol"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q2o_schema_set *set = NULL;
        char detail[256] = "";
        const char *texts[] = {cases[i].json};
        cr_expect_eq(q2o_schema_set_load_json(texts, NULL, 1, &set, detail, sizeof detail),
                     Q2O_WIRE_SCHEMA_INVALID, "%s", cases[i].json);
        cr_expect(strstr(detail, cases[i].why) && strncmp(detail, "#0: ", 4) == 0,
                  "detail \"%s\" lacks \"%s\"", detail, cases[i].why);
        cr_expect_null(set);
    }
    cr_expect_eq(q2o_schema_set_load_json(NULL, NULL, 0, &(q2o_schema_set *){NULL}, NULL, 0),
                 Q2O_WIRE_SCHEMA_INVALID);
}

Test(codec_avro_set, loads_a_directory_in_file_name_order)
{
    q2o_schema_set *set = NULL;
    char detail[256] = "";
    q2o_err err = q2o_schema_set_load_dir(Q2O_SOURCE_DIR "/tests/python/schemas", &set, detail,
                                          sizeof detail);
    cr_assert_eq(err, Q2O_OK, "%s", detail);
    cr_assert_eq(q2o_schema_set_count(set), 6);
    cr_expect_str_eq(q2o_schema_name(q2o_schema_set_at(set, 0)), "q2o.cmd.CreateThing");
    cr_expect(strstr(q2o_schema_source(q2o_schema_set_at(set, 0)), "/actor_command.avsc"));
    const q2o_schema *v = q2o_schema_set_find_name(set, "q2o.test.Versioned");
    cr_assert_not_null(v);
    cr_expect(strstr(q2o_schema_source(v), "versioned.2.avsc"), "%s", q2o_schema_source(v));
    avro_value_t value;
    cr_assert_eq(q2o_schema_new_value(v, &value), Q2O_OK);
    avro_value_decref(&value);
    q2o_schema_set_free(set);
}

static void write_file(const char *dir, const char *name, const char *text, size_t pad)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    for (size_t i = 0; i < pad; i++)
        fputc(' ', f);
    fclose(f);
}

Test(codec_avro_set, directory_errors_name_the_file)
{
    char dir[256], detail[512] = "";
    q2o_schema_set *set = NULL;
    q2o_test_tmpdir("avroset", dir, sizeof dir);
    cr_expect_eq(q2o_schema_set_load_dir(dir, &set, detail, sizeof detail), Q2O_WIRE_SCHEMA_INVALID);
    cr_expect(strstr(detail, "no .avsc"), "%s", detail);
    write_file(dir, "README.md", "not a schema", 0);
    write_file(dir, "a.avsc", V1, 0);
    cr_expect_eq(q2o_schema_set_load_dir(dir, &set, detail, sizeof detail), Q2O_OK, "%s", detail);
    cr_expect_eq(q2o_schema_set_count(set), 1);
    q2o_schema_set_free(set);
    write_file(dir, "b.avsc", "{\"type\": nope", 0);
    cr_expect_eq(q2o_schema_set_load_dir(dir, &set, detail, sizeof detail), Q2O_WIRE_SCHEMA_INVALID);
    cr_expect(strstr(detail, "/b.avsc: avro-c cannot parse"), "%s", detail);
    write_file(dir, "b.avsc", W, Q2O_AVRO_MAX_SCHEMA_BYTES);
    cr_expect_eq(q2o_schema_set_load_dir(dir, &set, detail, sizeof detail), Q2O_TOO_LARGE);
    cr_expect_null(set);
    cr_expect_eq(q2o_schema_set_load_dir("/nonexistent/q2o", &set, detail, sizeof detail),
                 Q2O_WIRE_SCHEMA_INVALID);
    q2o_schema_set_free(NULL);
    q2o_test_rmtree(dir);
}
