/*
 * decide(): envelope checks (identity, existence, optimistic lock, roles,
 * target revision), then one handler per command. Handlers check the
 * editability matrix and the transition's guards, then emit events. The
 * chain (versions, prev_hash) is stamped on the emitted events at the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/check.h"
#include "core/money.h"
#include "core/strutil.h"
#include "decide_internal.h"
#include "domain/catalog_pricing.h"

q2o_event *dc_emit(decide_ctx *c, q2o_event_type type)
{
    Q2O_CHECK(c->out->n_events < Q2O_MAX_EVENTS_PER_DECISION);
    q2o_event *e = &c->out->events[c->out->n_events++];
    memset(e, 0, sizeof *e);
    e->type = type;
    Q2O_STRCPY(e->quote_id, c->cmd->quote_id);
    e->at = c->now;
    e->revision = c->rev ? c->rev->number : 1;
    Q2O_STRCPY(e->actor_id, c->cmd->actor.id);
    e->actor_roles = c->cmd->actor.roles;
    Q2O_STRCPY(e->command_id, c->cmd->command_id);
    Q2O_STRCPY(e->correlation_id, c->cmd->correlation_id);
    Q2O_STRCPY(e->source, c->cmd->source);
    return e;
}

q2o_err dc_fail(decide_ctx *c, q2o_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->out->detail, sizeof c->out->detail, fmt, ap);
    va_end(ap);
    c->out->err = err;
    return err;
}

int dc_zero_hash(const uint8_t h[Q2O_SHA256_LEN])
{
    for (int i = 0; i < Q2O_SHA256_LEN; i++)
        if (h[i])
            return 0;
    return 1;
}

int dc_is_contact(const q2o_quote_header *h, const char *id)
{
    if (!id[0])
        return 0;
    if (h->n_contacts == 0)
        return 1; /* no contact list on the account: any named contact */
    for (uint32_t i = 0; i < h->n_contacts && i < Q2O_MAX_CONTACTS; i++)
        if (strcmp(h->contacts[i], id) == 0)
            return 1;
    return 0;
}

const q2o_cat_order_type *dc_order_type(const decide_ctx *c, const char *code)
{
    const q2o_catalog *cat = c->env ? c->env->catalog : NULL;
    return cat && code[0] ? q2o_catalog_order_type(cat, code) : NULL;
}

q2o_time_ms dc_arrival_date(const q2o_terms *t, q2o_time_ms created_at)
{
    return t->contract_start ? t->contract_start : created_at;
}

/* SPEC section 7: cash, check and prepaid are refused on every quote; the
 * order type may refuse more pay types. */
static int is_blocked_pay_method(const q2o_cat_order_type *ot, const char *m)
{
    static const char *const blocked[] = {"CASH", "CHECK", "PREPAID"};
    for (unsigned i = 0; i < Q2O_ARRAY_LEN(blocked); i++)
        if (strcmp(m, blocked[i]) == 0)
            return 1;
    for (uint32_t i = 0; m[0] && ot && i < ot->n_refused_pay_types && i < Q2O_CAT_MAX_REFUSED; i++)
        if (strcmp(m, ot->refused_pay_types[i]) == 0)
            return 1;
    return 0;
}

/* Terms of a quote of order type `order_type` created at `created_at`. */
static q2o_err check_terms(decide_ctx *c, const q2o_terms *t, const char *order_type, q2o_time_ms created_at)
{
    const q2o_cat_order_type *ot = dc_order_type(c, order_type);
    if (t->term_months < 0 || t->term_months > Q2O_MAX_TERM_MONTHS)
        return dc_fail(c, Q2O_FIELD_INVALID, "term_months %d is outside 0..%d", t->term_months,
                       Q2O_MAX_TERM_MONTHS);
    if (is_blocked_pay_method(ot, t->pay_method))
        return dc_fail(c, Q2O_PAY_METHOD_NOT_ALLOWED, "pay_method %s (order type %s)", t->pay_method, order_type);
    if (t->valid_until < 0 || t->contract_start < 0 || t->cancel_date < 0)
        return dc_fail(c, Q2O_FIELD_INVALID, "valid_until / contract_start / cancel_date must not be negative");
    q2o_time_ms arrival = dc_arrival_date(t, created_at);
    if (t->cancel_date && t->cancel_date < arrival)
        return dc_fail(c, Q2O_CANCEL_DATE_BEFORE_ARRIVAL, "cancel_date %lld is before the arrival date %lld",
                       (long long)t->cancel_date, (long long)arrival);
    return Q2O_OK;
}

/* ---------------------------------------------------------------- create */

static q2o_err dc_create(decide_ctx *c)
{
    const q2o_quote_header *in = &c->cmd->u.create;
    q2o_currency cur;
    if (q2o_currency_find(in->currency, &cur) != Q2O_OK)
        return dc_fail(c, Q2O_CURRENCY_UNKNOWN, "currency '%s'", in->currency);
    if (in->ship_to_is_gift_recipient)
        return dc_fail(c, Q2O_SHIP_TO_INVALID, "ship_to %s is a gift recipient", in->ship_to);
    if ((unsigned)in->quote_type >= Q2O_QT__COUNT || in->n_contacts > Q2O_MAX_CONTACTS)
        return dc_fail(c, Q2O_FIELD_INVALID, "quote_type or contacts out of range");
    const char *order_type = in->order_type[0] ? in->order_type : "STANDARD";
    if (check_terms(c, &c->cmd->terms, order_type, c->now))
        return c->out->err;
    q2o_event *e = dc_emit(c, Q2O_EV_CREATED);
    e->u.created.header = *in;
    e->u.created.terms = c->cmd->terms;
    q2o_quote_header *h = &e->u.created.header;
    Q2O_STRCPY(h->order_type, order_type);
    /* The header snapshots the catalog's flag for readers without the
     * catalog; decisions ask the catalog again (conversion). */
    const q2o_cat_order_type *ot = dc_order_type(c, order_type);
    if (ot)
        h->order_type_requires_pay_method = ot->pay_method_required;
    if (!h->owner_id[0])
        Q2O_STRCPY(h->owner_id, c->cmd->actor.id);
    if (!h->quote_number[0])
        q2o_strlcpy(h->quote_number, c->cmd->quote_id, sizeof h->quote_number);
    if (h->acceptance.allowed_methods == 0)
        h->acceptance.allowed_methods = (1u << Q2O_AM__COUNT) - 1;
    h->created_at = c->now;
    Q2O_STRCPY(h->created_by, c->cmd->actor.id);
    return Q2O_OK;
}

/* ----------------------------------------------------------------- lines */

static q2o_err check_line(decide_ctx *c, const q2o_line *l)
{
    if (!l->line_id[0] || !l->offering_id[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "line_id and offering_id are required");
    if (l->quantity <= 0 || l->quantity > Q2O_MAX_QUANTITY)
        return dc_fail(c, Q2O_QUANTITY_INVALID, "line %s quantity %lld", l->line_id, (long long)l->quantity);
    if (l->discount_bp < 0 || l->discount_bp > 10000)
        return dc_fail(c, Q2O_DISCOUNT_OUT_OF_RANGE, "line %s discount %d bp", l->line_id, l->discount_bp);
    if (l->override_unit_price >= 0 && !l->override_reason[0])
        return dc_fail(c, Q2O_OVERRIDE_REASON_REQUIRED, "line %s", l->line_id);
    if (l->override_unit_price < -1 || l->override_unit_price > Q2O_MAX_AMOUNT)
        return dc_fail(c, Q2O_FIELD_INVALID, "line %s override_unit_price", l->line_id);
    if (l->term_months < 0 || l->term_months > Q2O_MAX_TERM_MONTHS || l->n_options > Q2O_MAX_LINE_OPTIONS ||
        (unsigned)l->action >= Q2O_LA__COUNT)
        return dc_fail(c, Q2O_FIELD_INVALID, "line %s term, options or action out of range", l->line_id);
    if (l->parent_line_id[0] &&
        (strcmp(l->parent_line_id, l->line_id) == 0 || !q2o_quote_line(c->q, l->parent_line_id)))
        return dc_fail(c, Q2O_QUOTE_LINE_NOT_FOUND, "parent line %s", l->parent_line_id);
    return Q2O_OK;
}

static void emit_line(decide_ctx *c, q2o_event_type type, const q2o_line *in, int32_t number)
{
    q2o_event *e = dc_emit(c, type);
    e->u.line = *in;
    e->u.line.line_number = number;
    e->u.line.priced = 0;
    e->u.line.override_assigned_on_accept = 0; /* only acceptance assigns an override */
    memset(&e->u.line.price, 0, sizeof e->u.line.price);
    if (type == Q2O_EV_LINE_ADDED)
        e->u.line.display_name[0] = '\0'; /* snapshotted from the catalog at pricing */
}

/* Refuse a line-local finding of line `l` at position `pos` (n_lines for
 * an added line), with the revision's lines as they will be after the
 * command; no catalog in the environment, no check (domain/quote.h). The
 * detail names the line, the code and the subject, then the remediation
 * when the whole fits. */
static q2o_err check_configuration(decide_ctx *c, const q2o_line *l, uint32_t pos)
{
    const q2o_catalog *cat = c->env ? c->env->catalog : NULL;
    const q2o_quote *q = c->q;
    if (!cat)
        return Q2O_OK;
    uint32_t n = pos < q->n_lines ? q->n_lines : q->n_lines + 1;
    q2o_line *lines = malloc((size_t)n * sizeof *lines);
    q2o_config_result *r = malloc(sizeof *r);
    Q2O_CHECK(lines && r);
    if (q->n_lines)
        memcpy(lines, q->lines, (size_t)q->n_lines * sizeof *lines);
    lines[pos] = *l;
    q2o_config_context cc;
    q2o_config_context_for(cat, &q->header, c->now, &cc);
    q2o_configure_line(cat, &cc, lines, n, pos, r);
    for (uint32_t i = 0; i < r->n_findings; i++) {
        const q2o_config_finding *f = &r->findings[i];
        if (!q2o_config_code_is_line_local(f->code) || strcmp(f->line_id, l->line_id) != 0)
            continue;
        char head[Q2O_TEXT_MAX], full[Q2O_TEXT_MAX];
        snprintf(head, sizeof head, "line %s: %s '%s'", l->line_id, q2o_err_name(f->code), f->subject);
        int len = snprintf(full, sizeof full, "%s: %s", head, f->remediation);
        dc_fail(c, f->code, "%s", len >= 0 && (size_t)len < sizeof full ? full : head);
        break;
    }
    free(r);
    free(lines);
    return c->out->err;
}

static q2o_err dc_add_line(decide_ctx *c)
{
    const q2o_line *l = &c->cmd->u.line;
    if (dc_require(c, Q2O_ACT_EDIT_LINES) || check_line(c, l))
        return c->out->err;
    if (q2o_quote_line(c->q, l->line_id))
        return dc_fail(c, Q2O_QUOTE_LINE_EXISTS, "line %s", l->line_id);
    if (c->q->n_lines >= Q2O_MAX_LINES)
        return dc_fail(c, Q2O_QUOTE_LIMIT_REACHED, "%d lines", Q2O_MAX_LINES);
    if (check_configuration(c, l, c->q->n_lines))
        return c->out->err;
    emit_line(c, Q2O_EV_LINE_ADDED, l, l->line_number > 0 ? l->line_number : (int32_t)c->q->n_lines + 1);
    return Q2O_OK;
}

static q2o_err dc_change_line(decide_ctx *c)
{
    const q2o_line *l = &c->cmd->u.line;
    if (dc_require(c, Q2O_ACT_EDIT_LINES) || check_line(c, l))
        return c->out->err;
    const q2o_line *old = q2o_quote_line(c->q, l->line_id);
    if (!old)
        return dc_fail(c, Q2O_QUOTE_LINE_NOT_FOUND, "line %s", l->line_id);
    if (strcmp(old->offering_id, l->offering_id) != 0)
        return dc_fail(c, Q2O_FIELD_INVALID, "line %s: offering_id cannot change; remove and add a line",
                       l->line_id);
    if (check_configuration(c, l, (uint32_t)(old - c->q->lines)))
        return c->out->err;
    emit_line(c, Q2O_EV_LINE_CHANGED, l, old->line_number);
    Q2O_STRCPY(c->out->events[c->out->n_events - 1].u.line.display_name, old->display_name);
    return Q2O_OK;
}

static q2o_err dc_remove_line(decide_ctx *c)
{
    const char *id = c->cmd->u.line_id;
    if (dc_require(c, Q2O_ACT_EDIT_LINES))
        return c->out->err;
    if (!q2o_quote_line(c->q, id))
        return dc_fail(c, Q2O_QUOTE_LINE_NOT_FOUND, "line %s", id);
    for (uint32_t i = 0; i < c->q->n_lines; i++)
        if (strcmp(c->q->lines[i].parent_line_id, id) == 0)
            return dc_fail(c, Q2O_FIELD_INVALID, "line %s has child line %s: remove the children first", id,
                           c->q->lines[i].line_id);
    Q2O_STRCPY(dc_emit(c, Q2O_EV_LINE_REMOVED)->u.line_id, id);
    return Q2O_OK;
}

static q2o_err dc_change_terms(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_CHANGE_TERMS) ||
        check_terms(c, &c->cmd->terms, c->q->header.order_type, c->q->header.created_at))
        return c->out->err;
    dc_emit(c, Q2O_EV_TERMS_CHANGED)->u.terms = c->cmd->terms;
    return Q2O_OK;
}

static q2o_err dc_note(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_INTERNAL_NOTE))
        return c->out->err;
    if (!c->cmd->u.note[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "note text is empty");
    Q2O_STRCPY(dc_emit(c, Q2O_EV_NOTE_ADDED)->u.note, c->cmd->u.note);
    return Q2O_OK;
}

static q2o_err dc_reassign(decide_ctx *c)
{
    if (!c->cmd->u.owner_id[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "owner_id is empty");
    Q2O_STRCPY(dc_emit(c, Q2O_EV_OWNER_REASSIGNED)->u.owner_id, c->cmd->u.owner_id);
    return Q2O_OK;
}

/* ----------------------------------------------- revision, cancel, expire */

static q2o_err dc_create_revision(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_CREATE_REVISION))
        return c->out->err;
    if (c->q->n_revisions >= Q2O_MAX_REVISIONS)
        return dc_fail(c, Q2O_QUOTE_LIMIT_REACHED, "%d revisions", Q2O_MAX_REVISIONS);
    int32_t next = c->rev->number + 1;
    dc_emit(c, Q2O_EV_SUPERSEDED)->u.superseded.superseded_by = next;
    q2o_event *e = dc_emit(c, Q2O_EV_REVISION_CREATED);
    e->revision = next;
    e->u.revision_created.number = next;
    e->u.revision_created.parent = c->rev->number;
    Q2O_STRCPY(e->u.revision_created.reason_code, c->cmd->u.reason.reason_code);
    c->out->revision = next;
    return Q2O_OK;
}

static q2o_err dc_cancel(decide_ctx *c)
{
    if (dc_require(c, Q2O_ACT_CANCEL))
        return c->out->err;
    if (!c->cmd->u.reason.reason_code[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "a cancel reason code is required");
    dc_emit(c, Q2O_EV_CANCELED)->u.reason = c->cmd->u.reason;
    return Q2O_OK;
}

static q2o_err dc_expire(decide_ctx *c)
{
    q2o_expiry_kind kind;
    q2o_time_ms at = q2o_quote_next_expiry(c->q, &kind);
    if (!at || at > c->now)
        return dc_fail(c, Q2O_QUOTE_NOT_EXPIRED, "revision %d in %s", c->rev->number,
                       q2o_status_name(c->rev->status));
    q2o_event *e = dc_emit(c, Q2O_EV_EXPIRED);
    e->u.expired.kind = kind;
    e->u.expired.valid_until = at;
    return Q2O_OK;
}

/* ---------------------------------------------------------------- driver */

typedef q2o_err (*handler_fn)(decide_ctx *c);

static const handler_fn handlers[Q2O_CMD__COUNT] = {
    [Q2O_CMD_CREATE_QUOTE] = dc_create,         [Q2O_CMD_ADD_LINE] = dc_add_line,
    [Q2O_CMD_CHANGE_LINE] = dc_change_line,     [Q2O_CMD_REMOVE_LINE] = dc_remove_line,
    [Q2O_CMD_CHANGE_TERMS] = dc_change_terms,   [Q2O_CMD_ADD_NOTE] = dc_note,
    [Q2O_CMD_REASSIGN_OWNER] = dc_reassign,     [Q2O_CMD_PRICE_QUOTE] = dc_price,
    [Q2O_CMD_SUBMIT_FOR_APPROVAL] = dc_submit,  [Q2O_CMD_APPROVE_STEP] = dc_approve_step,
    [Q2O_CMD_REJECT_APPROVAL] = dc_reject_approval, [Q2O_CMD_RECALL_APPROVAL] = dc_recall,
    [Q2O_CMD_ATTACH_DOCUMENT] = dc_attach_document, [Q2O_CMD_PRESENT_QUOTE] = dc_present,
    [Q2O_CMD_ACCEPT_QUOTE] = dc_accept,         [Q2O_CMD_REJECT_BY_CUSTOMER] = dc_reject_by_customer,
    [Q2O_CMD_CONVERT_TO_ORDER] = dc_convert,    [Q2O_CMD_CANCEL_QUOTE] = dc_cancel,
    [Q2O_CMD_CREATE_REVISION] = dc_create_revision, [Q2O_CMD_EXPIRE_QUOTE] = dc_expire,
};

static q2o_err check_envelope(decide_ctx *c)
{
    const q2o_command *cmd = c->cmd;
    if ((unsigned)cmd->type >= Q2O_CMD__COUNT || !handlers[cmd->type])
        return dc_fail(c, Q2O_FIELD_INVALID, "unknown command type %d", (int)cmd->type);
    if (!cmd->command_id[0] || !cmd->quote_id[0] || !cmd->actor.id[0])
        return dc_fail(c, Q2O_FIELD_INVALID, "command_id, quote_id and actor.id are required");
    if (cmd->type == Q2O_CMD_CREATE_QUOTE && c->q->exists)
        return dc_fail(c, Q2O_QUOTE_ALREADY_EXISTS, "quote %s", cmd->quote_id);
    if (cmd->type != Q2O_CMD_CREATE_QUOTE && !c->q->exists)
        return dc_fail(c, Q2O_QUOTE_NOT_FOUND, "quote %s", cmd->quote_id);
    if (c->q->exists && strcmp(c->q->quote_id, cmd->quote_id) != 0)
        return dc_fail(c, Q2O_INVALID_ARGUMENT, "state is quote %s, command is for %s", c->q->quote_id,
                       cmd->quote_id);
    if (cmd->expected_version >= 0 && (uint64_t)cmd->expected_version != c->q->version)
        return dc_fail(c, Q2O_QUOTE_CONCURRENT_MODIFICATION, "expected version %lld, quote is at %llu",
                       (long long)cmd->expected_version, (unsigned long long)c->q->version);
    if (!(cmd->actor.roles & q2o_command_roles(cmd->type))) {
        char need[160];
        return dc_fail(c, Q2O_AUTH_ROLE_REQUIRED, "%s needs one of %s", q2o_command_type_name(cmd->type),
                       q2o_roles_format(q2o_command_roles(cmd->type), need, sizeof need));
    }
    if (c->q->exists && cmd->revision) {
        if (cmd->revision < 1 || cmd->revision > c->q->n_revisions)
            return dc_fail(c, Q2O_QUOTE_REVISION_NOT_FOUND, "revision %d", cmd->revision);
        if (cmd->revision != c->rev->number)
            return dc_fail(c, Q2O_QUOTE_ALREADY_SUPERSEDED, "revision %d was superseded by revision %d",
                           cmd->revision, c->rev->number);
    }
    return Q2O_OK;
}

/* Versions and the hash chain, stamped once every event is known. */
static void stamp_chain(const q2o_quote *q, q2o_decision *out)
{
    uint8_t prev[Q2O_SHA256_LEN];
    memcpy(prev, q->head_hash, sizeof prev);
    for (uint32_t i = 0; i < out->n_events; i++) {
        q2o_event *e = &out->events[i];
        e->version = q->version + i + 1;
        memcpy(e->prev_hash, prev, sizeof prev);
        q2o_event_hash(e, prev);
    }
}

q2o_err q2o_quote_decide(const q2o_quote_env *env, const q2o_quote *state, const q2o_command *cmd,
                         q2o_time_ms now, q2o_decision *out)
{
    decide_ctx c = {env, state, cmd, now, out, q2o_quote_current(state)};
    memset(out, 0, sizeof *out);
    out->revision = c.rev ? c.rev->number : 1;
    if (check_envelope(&c) == Q2O_OK)
        handlers[cmd->type](&c);
    if (out->err != Q2O_OK && out->n_events && out->events[0].type != Q2O_EV_VALIDATION_FAILED &&
        out->events[0].type != Q2O_EV_EXPIRED)
        q2o_decision_release(out); /* only refusals recorded as data keep events */
    stamp_chain(state, out);
    return out->err;
}
