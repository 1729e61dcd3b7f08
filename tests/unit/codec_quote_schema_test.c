/* The committed schemas: in sync with the codec's tables, their enums in C
 * enum order, their union branches in type order. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/avro_schema.h"
#include "codec/quote_codec.h"

#define SCHEMA_DIR Q2O_SOURCE_DIR "/schemas"

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

Test(codec_quote_schema, committed_files_equal_the_built_in_schemas)
{
    for (int k = 0; k < Q2O_CODEC__COUNT; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/q2o.%s.avsc", SCHEMA_DIR, q2o_codec_kind_name((q2o_codec_kind)k));
        char *file = read_text(path);
        char *built = q2o_codec_schema_json((q2o_codec_kind)k);
        cr_assert_str_eq(file, built,
                         "%s is stale: regenerate with `q2o_quote_vectors schemas schemas/`", path);
        free(file);
        free(built);
    }
}

Test(codec_quote_schema, directory_and_built_in_codecs_agree)
{
    q2o_codec *dir = NULL, *builtin = NULL;
    cr_assert_eq(q2o_codec_open(SCHEMA_DIR, &dir), Q2O_OK);
    cr_assert_eq(q2o_codec_open_builtin(&builtin), Q2O_OK);
    for (int k = 0; k < Q2O_CODEC__COUNT; k++)
        cr_assert_eq(q2o_codec_fingerprint(dir, (q2o_codec_kind)k),
                     q2o_codec_fingerprint(builtin, (q2o_codec_kind)k));
    q2o_codec_close(dir);
    q2o_codec_close(builtin);
}

Test(codec_quote_schema, a_directory_without_the_schemas_is_refused)
{
    q2o_codec *c = (q2o_codec *)1;
    cr_assert_eq(q2o_codec_open(Q2O_SOURCE_DIR "/no-such-dir", &c), Q2O_WIRE_SCHEMA_INVALID);
    cr_assert_null(c);
}

/* ---- walking the parsed schemas ---- */

/* The first named type called fullname inside s (depth-first), or NULL. */
static avro_schema_t find_named(avro_schema_t s, const char *fullname, int depth)
{
    if (depth > 16)
        return NULL;
    if ((is_avro_record(s) || is_avro_enum(s)) && strcmp(avro_schema_name(s), strrchr(fullname, '.') + 1) == 0)
        return s;
    avro_schema_t hit = NULL;
    if (is_avro_record(s))
        for (size_t i = 0; !hit && i < avro_schema_record_size(s); i++)
            hit = find_named(avro_schema_record_field_get_by_index(s, (int)i), fullname, depth + 1);
    if (is_avro_union(s))
        for (size_t i = 0; !hit && i < avro_schema_union_size(s); i++)
            hit = find_named(avro_schema_union_branch(s, (int)i), fullname, depth + 1);
    if (is_avro_array(s))
        hit = find_named(avro_schema_array_items(s), fullname, depth + 1);
    return hit;
}

static avro_schema_t find_anywhere(const q2o_schema_set *set, const char *fullname)
{
    for (size_t i = 0; i < q2o_schema_set_count(set); i++) {
        avro_schema_t hit = find_named(q2o_schema_avro(q2o_schema_set_at(set, i)), fullname, 0);
        if (hit)
            return hit;
    }
    return NULL;
}

typedef const char *(*name_fn)(int);
#define NAME_FN(fn, type) static const char *fn##_i(int i) { return fn((type)i); }
NAME_FN(q2o_status_name, q2o_status)
NAME_FN(q2o_quote_type_name, q2o_quote_type)
NAME_FN(q2o_line_action_name, q2o_line_action)
NAME_FN(q2o_accept_method_name, q2o_accept_method)
NAME_FN(q2o_expiry_kind_name, q2o_expiry_kind)
NAME_FN(q2o_approval_rule_name, q2o_approval_rule)
NAME_FN(q2o_op_status_name, q2o_op_status)
static const char *result_status_name_i(int i)
{
    return i == Q2O_RESULT_ACCEPTED ? "ACCEPTED" : i == Q2O_RESULT_REJECTED ? "REJECTED" : "?";
}

Test(codec_quote_schema, enum_symbols_are_the_c_enums_in_order)
{
    static const struct { const char *name; int count; name_fn fn; } enums[] = {
        {"q2o.Status", Q2O_ST__COUNT, q2o_status_name_i},
        {"q2o.QuoteType", Q2O_QT__COUNT, q2o_quote_type_name_i},
        {"q2o.LineAction", Q2O_LA__COUNT, q2o_line_action_name_i},
        {"q2o.AcceptMethod", Q2O_AM__COUNT, q2o_accept_method_name_i},
        {"q2o.ExpiryKind", Q2O_EXP__COUNT, q2o_expiry_kind_name_i},
        {"q2o.ApprovalRule", Q2O_AR__COUNT, q2o_approval_rule_name_i},
        {"q2o.OpStatus", Q2O_OP__COUNT, q2o_op_status_name_i},
        {"q2o.ResultStatus", Q2O_RESULT__COUNT, result_status_name_i},
    };
    q2o_schema_set *set = NULL;
    cr_assert_eq(q2o_schema_set_load_dir(SCHEMA_DIR, &set, NULL, 0), Q2O_OK);
    for (size_t e = 0; e < sizeof enums / sizeof enums[0]; e++) {
        avro_schema_t s = find_anywhere(set, enums[e].name);
        cr_assert_not_null(s, "%s not found", enums[e].name);
        cr_assert_eq(avro_schema_enum_number_of_symbols(s), enums[e].count, "%s", enums[e].name);
        for (int i = 0; i < enums[e].count; i++)
            cr_assert_str_eq(avro_schema_enum_get(s, i), enums[e].fn(i), "%s[%d]", enums[e].name, i);
    }
    q2o_schema_set_free(set);
}

static const char *event_name_i(int i) { return q2o_event_type_name((q2o_event_type)i); }
static const char *command_name_i(int i) { return q2o_command_type_name((q2o_command_type)i); }

/* Branch i of the envelope's payload is type i + 1, named like the type. */
static void check_payload(const q2o_schema_set *set, const char *envelope, int count, name_fn fn)
{
    const q2o_schema *sc = q2o_schema_set_find_name(set, envelope);
    cr_assert_not_null(sc, "%s", envelope);
    avro_schema_t payload = avro_schema_record_field_get(q2o_schema_avro(sc), "payload");
    cr_assert(payload && is_avro_union(payload));
    cr_assert_eq(avro_schema_union_size(payload), (size_t)count - 1, "%s", envelope);
    for (int i = 0; i + 1 < count; i++)
        cr_assert_str_eq(avro_schema_name(avro_schema_union_branch(payload, i)), fn(i + 1));
}

Test(codec_quote_schema, payload_branches_are_the_types_in_order)
{
    q2o_schema_set *set = NULL;
    cr_assert_eq(q2o_schema_set_load_dir(SCHEMA_DIR, &set, NULL, 0), Q2O_OK);
    check_payload(set, "q2o.QuoteEvent", Q2O_EV__COUNT, event_name_i);
    check_payload(set, "q2o.QuoteCommand", Q2O_CMD__COUNT, command_name_i);
    q2o_schema_set_free(set);
}
