#include "domain/types.h"

#include <stdio.h>
#include <string.h>

#include "core/check.h"
#include "domain/quote.h"

#define Q2O_NAME_STR_(n) #n,
#define Q2O_NAME_STR2_(n, s) s,
static const char *const status_names[] = {Q2O_STATUS_LIST(Q2O_NAME_STR_)};
static const char *const quote_type_names[] = {Q2O_QUOTE_TYPE_LIST(Q2O_NAME_STR_)};
static const char *const line_action_names[] = {Q2O_LINE_ACTION_LIST(Q2O_NAME_STR_)};
static const char *const accept_method_names[] = {Q2O_ACCEPT_METHOD_LIST(Q2O_NAME_STR_)};
static const char *const expiry_kind_names[] = {Q2O_EXPIRY_KIND_LIST(Q2O_NAME_STR_)};
static const char *const approval_rule_names[] = {Q2O_APPROVAL_RULE_LIST(Q2O_NAME_STR_)};
static const char *const op_status_names[] = {Q2O_OP_STATUS_LIST(Q2O_NAME_STR_)};
static const char *const command_names[] = {"None", Q2O_COMMAND_LIST(Q2O_NAME_STR2_)};
static const char *const event_names[] = {"None", Q2O_EVENT_LIST(Q2O_NAME_STR2_)};
#undef Q2O_NAME_STR_
#undef Q2O_NAME_STR2_

static const char *name_at(const char *const *names, unsigned n, int i)
{
    return i >= 0 && (unsigned)i < n ? names[i] : "?";
}

static int parse_in(const char *const *names, unsigned n, const char *name)
{
    for (unsigned i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

#define NAMES_N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

const char *q2o_status_name(q2o_status s) { return name_at(status_names, NAMES_N(status_names), (int)s); }
const char *q2o_quote_type_name(q2o_quote_type t) { return name_at(quote_type_names, NAMES_N(quote_type_names), (int)t); }
const char *q2o_line_action_name(q2o_line_action a) { return name_at(line_action_names, NAMES_N(line_action_names), (int)a); }
const char *q2o_accept_method_name(q2o_accept_method m) { return name_at(accept_method_names, NAMES_N(accept_method_names), (int)m); }
const char *q2o_expiry_kind_name(q2o_expiry_kind k) { return name_at(expiry_kind_names, NAMES_N(expiry_kind_names), (int)k); }
const char *q2o_approval_rule_name(q2o_approval_rule r) { return name_at(approval_rule_names, NAMES_N(approval_rule_names), (int)r); }
const char *q2o_op_status_name(q2o_op_status s) { return name_at(op_status_names, NAMES_N(op_status_names), (int)s); }
const char *q2o_command_type_name(q2o_command_type t) { return name_at(command_names, NAMES_N(command_names), (int)t); }
const char *q2o_event_type_name(q2o_event_type t) { return name_at(event_names, NAMES_N(event_names), (int)t); }

int q2o_status_parse(const char *name) { return parse_in(status_names, NAMES_N(status_names), name); }
int q2o_quote_type_parse(const char *name) { return parse_in(quote_type_names, NAMES_N(quote_type_names), name); }
int q2o_line_action_parse(const char *name) { return parse_in(line_action_names, NAMES_N(line_action_names), name); }
int q2o_accept_method_parse(const char *name) { return parse_in(accept_method_names, NAMES_N(accept_method_names), name); }

int q2o_command_type_parse(const char *name)
{
    int i = parse_in(command_names, NAMES_N(command_names), name);
    return i > 0 ? i : -1;
}

int q2o_event_type_parse(const char *name)
{
    int i = parse_in(event_names, NAMES_N(event_names), name);
    return i > 0 ? i : -1;
}

static const struct { const char *name; uint32_t bit; } roles[] = {
#define Q2O_ROLE_ROW_(n, bit) {#n, bit},
    Q2O_ROLE_LIST(Q2O_ROLE_ROW_)
#undef Q2O_ROLE_ROW_
};

int q2o_roles_parse(const char *list, uint32_t *out)
{
    uint32_t mask = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",|");
        int found = 0;
        for (unsigned i = 0; i < NAMES_N(roles) && n; i++) {
            if (strlen(roles[i].name) == n && strncmp(roles[i].name, p, n) == 0) {
                mask |= roles[i].bit;
                found = 1;
            }
        }
        if (n && !found)
            return -1;
        p += n;
        if (*p)
            p++;
    }
    *out = mask;
    return 0;
}

char *q2o_roles_format(uint32_t mask, char *buf, unsigned size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < NAMES_N(roles); i++) {
        if (!(mask & roles[i].bit))
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", roles[i].name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    return buf;
}

static const char *const price_stage_names[] = {
#define Q2O_NAME_PS_(n) #n,
    Q2O_PRICE_STAGE_LIST(Q2O_NAME_PS_)
#undef Q2O_NAME_PS_
};

const char *q2o_price_stage_name(q2o_price_stage s)
{
    return (unsigned)s < Q2O_ARRAY_LEN(price_stage_names) ? price_stage_names[s] : "?";
}

static const char *const line_change_names[] = {
#define Q2O_NAME_LC_(n) #n,
    Q2O_LINE_CHANGE_LIST(Q2O_NAME_LC_)
#undef Q2O_NAME_LC_
};

const char *q2o_line_change_name(q2o_line_change c)
{
    return (unsigned)c < Q2O_ARRAY_LEN(line_change_names) ? line_change_names[c] : "?";
}
