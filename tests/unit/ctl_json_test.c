/*
 * q2octl's JSON format (services/ctl/include/ctl/json.h): every command
 * type with every field set goes JSON -> q2o_command -> Avro -> back and
 * comes out equal; bad JSON is refused with the JSON path of the problem;
 * the README's examples parse.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_quote_samples.h"
#include "ctl/json.h"

static q2o_codec *codec;

static void setup(void)
{
    cr_assert_eq(q2o_codec_open_builtin(&codec), Q2O_OK);
}

static void teardown(void)
{
    q2o_codec_close(codec);
}

TestSuite(ctl_json, .init = setup, .fini = teardown);

/* JSON text of c, parsed back into got. */
static void through_json(const q2o_command *c, int flags, q2o_command *got)
{
    char err[512] = "";
    json_t *j = q2o_ctl_command_to_json(c, flags);
    char *text = json_dumps(j, JSON_COMPACT);
    cr_assert_not_null(text);
    q2o_err e = q2o_ctl_command_parse(text, strlen(text), got, err, sizeof err);
    cr_assert_eq(e, Q2O_OK, "%s: %s\n%s", q2o_command_type_name(c->type), err, text);
    free(text);
    json_decref(j);
}

Test(ctl_json, every_command_type_round_trips_through_json_and_avro)
{
    for (int t = Q2O_CMD_NONE + 1; t < Q2O_CMD__COUNT; t++) {
        for (uint32_t seed = 0; seed < 3; seed++) { /* odd seeds fill every string to its maximum */
            for (int flags = 0; flags <= Q2O_CTL_JSON_COMPACT; flags++) {
                q2o_command c, got, wire;
                char detail[256];
                uint8_t *buf = NULL;
                size_t len = 0;
                q2o_sample_command((q2o_command_type)t, seed, &c);
                through_json(&c, flags, &got);
                cr_assert(memcmp(&c, &got, sizeof c) == 0, "%s seed %u flags %d: JSON round trip differs",
                          q2o_command_type_name((q2o_command_type)t), seed, flags);
                cr_assert_eq(q2o_codec_encode_command(codec, &got, &buf, &len), Q2O_OK);
                cr_assert_eq(q2o_codec_decode_command(codec, buf, len, &wire, detail, sizeof detail), Q2O_OK,
                             "%s", detail);
                free(buf);
                json_t *a = q2o_ctl_command_to_json(&c, flags), *b = q2o_ctl_command_to_json(&wire, flags);
                cr_assert(json_equal(a, b), "%s: JSON after Avro differs", q2o_command_type_name((q2o_command_type)t));
                json_decref(a);
                json_decref(b);
            }
        }
    }
}

Test(ctl_json, absent_keys_keep_the_defaults)
{
    static const char text[] = "{\"type\":\"AddQuoteLine\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"rep-1\","
                               "\"roles\":\"SALES_REP,DEAL_DESK\"},\"payload\":{\"line\":{\"line_id\":\"L1\","
                               "\"offering_id\":\"SAAS-ENT-USER\",\"quantity\":5}}}";
    q2o_command c;
    char err[256];
    cr_assert_eq(q2o_ctl_command_parse(text, strlen(text), &c, err, sizeof err), Q2O_OK, "%s", err);
    cr_assert_eq(c.type, Q2O_CMD_ADD_LINE);
    cr_assert_eq(c.expected_version, -1);
    cr_assert_eq(c.u.line.override_unit_price, -1);
    cr_assert_eq(c.u.line.quantity, 5);
    cr_assert_eq(c.actor.roles, Q2O_ROLE_SALES_REP | Q2O_ROLE_DEAL_DESK);
    cr_assert_str_empty(c.command_id);
    cr_assert_eq(q2o_ctl_command_fill_ids(&c, 1782986400000LL), Q2O_OK);
    cr_assert(strncmp(c.command_id, "ctl-", 4) == 0, "%s", c.command_id);
    cr_assert_str_eq(c.correlation_id, c.command_id);
    cr_assert_str_eq(c.source, "CTL");
}

Test(ctl_json, times_are_rfc3339_or_milliseconds)
{
    static const char text[] = "{\"type\":\"ChangeQuoteTerms\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"r\"},"
                               "\"payload\":{\"terms\":{\"valid_until\":\"2026-08-01T00:00:00Z\","
                               "\"contract_start\":1785542400000}}}";
    q2o_command c;
    char err[256];
    cr_assert_eq(q2o_ctl_command_parse(text, strlen(text), &c, err, sizeof err), Q2O_OK, "%s", err);
    cr_assert_eq(c.terms.valid_until, 1785542400000LL);
    cr_assert_eq(c.terms.contract_start, 1785542400000LL);
}

/* The command is refused and err starts with the expected path and reason. */
static void refused(const char *text, const char *expect)
{
    q2o_command c;
    char err[1024] = "";
    cr_assert_eq(q2o_ctl_command_parse(text, strlen(text), &c, err, sizeof err), Q2O_FIELD_INVALID,
                 "accepted: %s", text);
    cr_assert(strncmp(err, expect, strlen(expect)) == 0, "got '%s', expected '%s...'", err, expect);
}

#define HEAD "{\"type\":\"AddQuoteLine\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"rep-1\"},"

Test(ctl_json, bad_json_is_refused_naming_the_path)
{
    refused("{\"type\":", "$: line 1 column");
    refused("[1,2]", "$: expected a JSON object");
    refused("{\"quote_id\":\"Q\"}", "$.type: missing");
    refused("{\"type\":\"AddLine\"}", "$.type: unknown command type 'AddLine'");
    refused(HEAD "\"payload\":{\"line\":{\"quantity\":\"5\"}}}",
            "$.payload.line.quantity: expected an integer, got a string");
    refused(HEAD "\"payload\":{\"line\":{\"quantiy\":5}}}", "$.payload.line.quantiy: unknown field of QuoteLine");
    refused(HEAD "\"payload\":{\"line\":{\"options\":[{\"name\":\"a\"},{\"name\":7}]}}}",
            "$.payload.line.options[1].name: expected a string, got an integer");
    refused(HEAD "\"payload\":{\"line\":{\"line_number\":3000000000}}}",
            "$.payload.line.line_number: 3000000000 is outside");
    refused(HEAD "\"payload\":{\"line\":{\"action\":\"DELETE\"}}}", "$.payload.line.action: unknown value 'DELETE'");
    refused(HEAD "\"payload\":{\"line\":{\"priced\":\"yes\"}}}", "$.payload.line.priced: expected true or false");
    refused(HEAD "\"payload\":{\"line\":{\"options\":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]}}}",
            "$.payload.line.options: 17 items, at most 16");
    refused(HEAD "\"payload\":{\"line_id\":\"L1\"}}", "$.payload.line_id: unknown field of AddQuoteLine");
    refused("{\"type\":\"AddQuoteNote\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"rep-1\",\"roles\":[\"SALES_REP\","
            "\"SALES\"]}}",
            "$.actor.roles[1]: unknown role 'SALES'");
    refused("{\"type\":\"AddQuoteNote\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":"
            "\"0123456789012345678901234567890123456789012345678901234567890123456789\"}}",
            "$.actor.id: 70 bytes, the field holds 63");
    refused("{\"type\":\"ApproveQuote\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"d\"},\"payload\":{\"expected_fp\":"
            "\"abc\"}}",
            "$.payload.expected_fp: expected 64 hex digits");
    refused("{\"type\":\"AcceptQuote\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"c\"},\"payload\":{\"accept\":"
            "{\"method\":\"FAX\"}}}",
            "$.payload.accept.method: unknown value 'FAX'");
    refused("{\"type\":\"ChangeQuoteTerms\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"r\"},\"payload\":{\"terms\":"
            "{\"valid_until\":\"next week\"}}}",
            "$.payload.terms.valid_until: 'next week' is not an RFC 3339 time");
    refused("{\"type\":\"CreateQuote\",\"quote_id\":\"Q-1\",\"actor\":{\"id\":\"r\"},\"payload\":{\"header\":"
            "{\"acceptance\":{\"allowed_methods\":[\"EMAIL\",\"PIGEON\"]}}}}",
            "$.payload.header.acceptance.allowed_methods[1]: unknown value 'PIGEON'");
    refused("{\"type\":\"PriceQuote\",\"actor\":{\"id\":\"r\"}}", "$.quote_id: missing");
    refused("{\"type\":\"PriceQuote\",\"quote_id\":\"Q-1\"}", "$.actor.id: missing");
    refused("{\"type\":\"PriceQuote\",\"quote_id\":\"Q-1\",\"quote_id\":\"Q-2\",\"actor\":{\"id\":\"r\"}}",
            "$: line 1 column");
}

/* Every ```json block of services/ctl/README.md is a command that parses
 * (documentation that drifts from the code fails here). */
Test(ctl_json, readme_examples_parse)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/services/ctl/README.md", Q2O_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[2048], *block = NULL;
    size_t len = 0, cap = 0;
    int in = 0, examples = 0, seen[Q2O_CMD__COUNT] = {0};
    while (fgets(line, sizeof line, f)) {
        if (!in && strncmp(line, "```json", 7) == 0) {
            in = 1, len = 0;
            continue;
        }
        if (in && strncmp(line, "```", 3) == 0) {
            q2o_command c;
            char err[512];
            in = 0;
            cr_assert_eq(q2o_ctl_command_parse(block, len, &c, err, sizeof err), Q2O_OK, "README example %d: %s",
                         examples + 1, err);
            seen[c.type] = 1;
            examples++;
            continue;
        }
        if (in) {
            size_t n = strlen(line);
            if (len + n + 1 > cap) {
                cap = (len + n + 1) * 2;
                block = realloc(block, cap);
                cr_assert_not_null(block);
            }
            memcpy(block + len, line, n + 1);
            len += n;
        }
    }
    fclose(f);
    free(block);
    for (int t = Q2O_CMD_NONE + 1; t < Q2O_CMD__COUNT; t++)
        cr_assert(seen[t], "services/ctl/README.md has no example of %s", q2o_command_type_name((q2o_command_type)t));
}
