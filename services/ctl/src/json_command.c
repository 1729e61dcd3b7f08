/* json_command.c — commands, results and quote state as JSON (ctl/json.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "core/id.h"
#include "core/strutil.h"
#include "ctl/json.h"
#include "json_tables.h"

static q2o_err invalid(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return Q2O_FIELD_INVALID;
}

const char *q2o_ctl_payload_key(q2o_command_type t)
{
    if (t <= Q2O_CMD_NONE || t >= Q2O_CMD__COUNT || jt_payload[t].n_fields == 0)
        return NULL;
    return jt_payload[t].fields[0].name;
}

static q2o_err parse_type(const json_t *j, q2o_command_type *out, char *err, size_t size)
{
    const json_t *t = json_object_get(j, "type");
    if (!t)
        return invalid(err, size, "$.type: missing (a command type name such as CreateQuote)");
    if (!json_is_string(t))
        return invalid(err, size, "$.type: expected a command type name");
    int n = q2o_command_type_parse(json_string_value(t));
    if (n <= Q2O_CMD_NONE || n >= Q2O_CMD__COUNT) {
        char known[1024] = "";
        size_t k = 0;
        for (int i = Q2O_CMD_NONE + 1; i < Q2O_CMD__COUNT && k + 1 < sizeof known; i++)
            k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", k ? ", " : "",
                                  q2o_command_type_name((q2o_command_type)i));
        return invalid(err, size, "$.type: unknown command type '%.64s' (types: %s)", json_string_value(t), known);
    }
    *out = (q2o_command_type)n;
    return Q2O_OK;
}

q2o_err q2o_ctl_command_from_json(const json_t *j, q2o_command *out, char *err, size_t size)
{
    q2o_command_type type;
    memset(out, 0, sizeof *out);
    if (!json_is_object(j))
        return invalid(err, size, "$: expected a JSON object (a command)");
    q2o_err e = parse_type(j, &type, err, size);
    if (e != Q2O_OK)
        return e;
    out->type = type;
    out->expected_version = -1;
    if (type == Q2O_CMD_ADD_LINE || type == Q2O_CMD_CHANGE_LINE)
        out->u.line.override_unit_price = -1;

    json_t *env = json_copy((json_t *)(uintptr_t)j); /* shallow: the envelope's keys only */
    Q2O_CHECK(env != NULL);
    json_object_del(env, "type");
    json_object_del(env, "payload");
    int rc = jm_decode(&jt_envelope, env, out, "$", err, size);
    json_decref(env);
    if (rc != 0)
        return Q2O_FIELD_INVALID;

    const json_t *payload = json_object_get(j, "payload");
    if (payload && jm_decode(&jt_payload[type], payload, out, "$.payload", err, size) != 0)
        return Q2O_FIELD_INVALID;
    if (!out->quote_id[0])
        return invalid(err, size, "$.quote_id: missing (the quote the command is for)");
    if (!out->actor.id[0])
        return invalid(err, size, "$.actor.id: missing (who sends the command)");
    return Q2O_OK;
}

q2o_err q2o_ctl_command_parse(const char *text, size_t len, q2o_command *out, char *err, size_t size)
{
    json_error_t je;
    memset(out, 0, sizeof *out);
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        snprintf(err, size, "$: line %d column %d: invalid JSON: %s", je.line, je.column, je.text);
        return Q2O_FIELD_INVALID;
    }
    q2o_err e = q2o_ctl_command_from_json(j, out, err, size);
    json_decref(j);
    return e;
}

json_t *q2o_ctl_command_to_json(const q2o_command *c, int flags)
{
    Q2O_CHECK(c->type > Q2O_CMD_NONE && c->type < Q2O_CMD__COUNT);
    int jf = flags & Q2O_CTL_JSON_COMPACT ? JM_FLAG_COMPACT : 0;
    json_t *o = json_object();
    Q2O_CHECK(o != NULL);
    Q2O_CHECK(json_object_set_new(o, "type", json_string(q2o_command_type_name(c->type))) == 0);
    json_t *env = jm_encode(&jt_envelope, c, jf);
    Q2O_CHECK(json_object_update(o, env) == 0);
    json_decref(env);
    json_t *payload = jm_encode(&jt_payload[c->type], c, jf);
    if (json_object_size(payload) == 0 && jf) {
        json_decref(payload);
        return o;
    }
    Q2O_CHECK(json_object_set_new(o, "payload", payload) == 0);
    return o;
}

q2o_err q2o_ctl_command_fill_ids(q2o_command *c, q2o_time_ms now)
{
    q2o_err e = Q2O_OK;
    if (!c->command_id[0])
        e = q2o_id_new("ctl", now, c->command_id, sizeof c->command_id);
    if (e == Q2O_OK && !c->correlation_id[0])
        Q2O_STRCPY(c->correlation_id, c->command_id);
    if (e == Q2O_OK && !c->source[0])
        Q2O_STRCPY(c->source, "CTL");
    return e;
}

json_t *q2o_ctl_result_to_json(const q2o_result *r)
{
    json_t *o = jm_encode(&jt_result, r, 0);
    json_t *types = json_array();
    Q2O_CHECK(types != NULL);
    for (uint32_t i = 0; i < r->n_events && i < Q2O_MAX_EVENTS_PER_DECISION; i++) {
        const char *name = q2o_event_type_name(r->event_types[i]);
        Q2O_CHECK(json_array_append_new(types, json_string(name ? name : "?")) == 0);
    }
    const char *code_name = q2o_err_name(r->code);
    Q2O_CHECK(json_object_set_new(o, "code", json_integer(r->code)) == 0);
    Q2O_CHECK(json_object_set_new(o, "code_name", json_string(code_name ? code_name : "UNKNOWN_ERROR")) == 0);
    Q2O_CHECK(json_object_set_new(o, "event_types", types) == 0);
    return o;
}

json_t *q2o_ctl_quote_to_json(const q2o_quote *q)
{
    json_t *o = json_object(), *revs = json_array(), *lines = json_array();
    Q2O_CHECK(o && revs && lines);
    char hex[Q2O_SHA256_HEX_LEN];
    json_object_set_new(o, "quote_id", json_string(q->quote_id));
    json_object_set_new(o, "exists", json_boolean(q->exists));
    json_object_set_new(o, "version", json_integer((json_int_t)q->version));
    json_object_set_new(o, "head_hash", json_string(q2o_hex(q->head_hash, Q2O_SHA256_LEN, hex)));
    json_object_set_new(o, "updated_at", jm_time_json(q->updated_at));
    json_object_set_new(o, "header", jm_encode(&jt_header, &q->header, JM_FLAG_COMPACT));
    json_object_set_new(o, "accepted_revision", json_integer(q->accepted_revision));
    json_object_set_new(o, "conversions", json_integer(q->n_conversions));
    for (int32_t i = 0; i < q->n_revisions; i++)
        json_array_append_new(revs, jm_encode(&jt_revision, &q->revisions[i], JM_FLAG_COMPACT));
    json_object_set_new(o, "revisions", revs);
    json_object_set_new(o, "current_revision", json_integer(q->n_revisions));
    for (uint32_t i = 0; i < q->n_lines; i++)
        json_array_append_new(lines, jm_encode(&jt_line, &q->lines[i], JM_FLAG_COMPACT));
    json_object_set_new(o, "lines", lines);
    return o;
}

json_t *q2o_ctl_event_to_json(const q2o_event *ev, const uint8_t *hash, const char *audit_line)
{
    json_t *o = json_object();
    char id[Q2O_ID_MAX + 24];
    Q2O_CHECK(o != NULL);
    q2o_codec_event_id(ev, id, sizeof id);
    json_object_set_new(o, "event_id", json_string(id));
    json_object_set_new(o, "version", json_integer((json_int_t)ev->version));
    json_object_set_new(o, "at", jm_time_json(ev->at));
    json_object_set_new(o, "type", json_string(q2o_event_type_name(ev->type)));
    json_object_set_new(o, "revision", json_integer(ev->revision));
    json_object_set_new(o, "actor_id", json_string(ev->actor_id));
    json_object_set_new(o, "actor_roles", jm_roles_json(ev->actor_roles));
    json_object_set_new(o, "command_id", json_string(ev->command_id));
    json_object_set_new(o, "correlation_id", json_string(ev->correlation_id));
    json_object_set_new(o, "source", json_string(ev->source));
    json_object_set_new(o, "prev_hash", jm_sha_json(ev->prev_hash));
    if (hash)
        json_object_set_new(o, "hash", jm_sha_json(hash));
    if (audit_line)
        json_object_set_new(o, "audit", json_string(audit_line));
    return o;
}

json_t *q2o_ctl_priced_to_json(const q2o_ev_priced *p)
{
    json_t *o = jm_encode(&jt_priced, p, 0), *lines = json_array(), *changes = json_array();
    Q2O_CHECK(lines && changes);
    for (uint32_t i = 0; i < p->n_lines; i++)
        Q2O_CHECK(json_array_append_new(lines, jm_encode(&jt_priced_line, &p->lines[i], 0)) == 0);
    for (uint32_t i = 0; i < p->n_changes; i++)
        Q2O_CHECK(json_array_append_new(changes, jm_encode(&jt_price_change, &p->changes[i], 0)) == 0);
    Q2O_CHECK(json_object_set_new(o, "lines", lines) == 0);
    Q2O_CHECK(json_object_set_new(o, "changes", changes) == 0);
    return o;
}

json_t *q2o_ctl_allowed_to_json(const q2o_allowed *a, size_t n)
{
    json_t *arr = json_array();
    Q2O_CHECK(arr != NULL);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        Q2O_CHECK(o != NULL);
        json_object_set_new(o, "action", json_string(q2o_action_name(a[i].action)));
        json_object_set_new(o, "allowed", json_boolean(a[i].allowed));
        json_object_set_new(o, "verdict", json_string(q2o_verdict_name(a[i].verdict)));
        if (!a[i].allowed)
            json_object_set_new(o, "code", json_string(q2o_err_name(a[i].code)));
        json_object_set_new(o, "reason", json_string(a[i].reason));
        json_array_append_new(arr, o);
    }
    return arr;
}

void q2o_ctl_json_print(json_t *j, FILE *f)
{
    json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
}
