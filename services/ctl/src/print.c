/* print.c — see ctl/print.h. */
#include <string.h>

#include "core/money.h"
#include "ctl/print.h"

const char *q2o_ctl_money(const q2o_quote *q, int64_t minor, char *buf, unsigned size)
{
    q2o_currency cur;
    if (q2o_currency_find(q->header.currency, &cur) != Q2O_OK) {
        snprintf(buf, size, "%lld (minor units)", (long long)minor);
        return buf;
    }
    return q2o_money_format(minor, &cur, buf, size);
}

static const char *when(q2o_time_ms t, char *buf, unsigned size)
{
    return t ? q2o_time_format(t, buf, size) : "-";
}

static const char *short_hash(const uint8_t *h, char *buf)
{
    char hex[Q2O_SHA256_HEX_LEN];
    static const uint8_t zero[Q2O_SHA256_LEN];
    if (memcmp(h, zero, Q2O_SHA256_LEN) == 0)
        return "-";
    q2o_hex(h, Q2O_SHA256_LEN, hex);
    memcpy(buf, hex, 16);
    buf[16] = '\0';
    return buf;
}

void q2o_ctl_print_result(FILE *f, const q2o_command *cmd, const q2o_result *r, int64_t elapsed_ms)
{
    char ms[32] = "";
    const char *name = q2o_err_name(r->code);
    if (elapsed_ms >= 0)
        snprintf(ms, sizeof ms, "  (%lld ms)", (long long)elapsed_ms);
    if (r->status == Q2O_RESULT_ACCEPTED && r->code == Q2O_OK) {
        fprintf(f, "accepted  %-24s %s  v%llu rev%d%s  [", q2o_command_type_name(cmd->type), r->quote_id,
                (unsigned long long)r->version, r->revision, r->replayed ? " (same result: replayed)" : "");
        for (uint32_t i = 0; i < r->n_events && i < Q2O_MAX_EVENTS_PER_DECISION; i++)
            fprintf(f, "%s%s", i ? " " : "", q2o_event_type_name(r->event_types[i]));
        fprintf(f, "]%s\n", ms);
        if (r->order_id[0])
            fprintf(f, "          order %s (%s)\n", r->order_id, r->order_number);
        return;
    }
    fprintf(f, "REFUSED   %-24s %s  %s (%d)%s\n", q2o_command_type_name(cmd->type), r->quote_id,
            name ? name : "UNKNOWN_ERROR", (int)r->code, ms);
    fprintf(f, "  message:     %s\n", r->message);
    if (r->detail[0])
        fprintf(f, "  detail:      %s\n", r->detail);
    fprintf(f, "  remediation: %s\n", r->remediation);
    if (r->n_events)
        fprintf(f, "  recorded:    %u event(s), version %llu (the refusal is kept as data)\n", r->n_events,
                (unsigned long long)r->version);
}

static void print_totals(FILE *f, const q2o_quote *q, const q2o_revision *r)
{
    char a[64], b[64], c[64], d[64];
    if (!r->priced) {
        fprintf(f, "  not priced\n");
        return;
    }
    fprintf(f, "  totals: merchandise %s  discount %s  net %s  grand total %s\n", q2o_ctl_money(q, r->merchandise, a, sizeof a),
            q2o_ctl_money(q, r->discount_total, b, sizeof b), q2o_ctl_money(q, r->net_total, c, sizeof c),
            q2o_ctl_money(q, r->grand_total, d, sizeof d));
    fprintf(f, "          margin %.2f %%  largest discount %.2f %%  catalog v%lld  priced %s  price valid until %s\n",
            r->margin_bp / 100.0, r->max_discount_bp / 100.0, (long long)r->catalog_version,
            when(r->priced_at, a, sizeof a), when(r->price_valid_until, b, sizeof b));
    if (r->promo_ends_at)
        fprintf(f, "          promotion ends %s\n", when(r->promo_ends_at, a, sizeof a));
}

static void print_lines(FILE *f, const q2o_quote *q)
{
    char a[64], b[64], c[64];
    fprintf(f, "  lines:\n");
    if (!q->n_lines)
        fprintf(f, "    (none)\n");
    for (uint32_t i = 0; i < q->n_lines; i++) {
        const q2o_line *l = &q->lines[i];
        fprintf(f, "    %-4s %-16s %-28s qty %-6lld %-3s disc %5.2f %%%s%s", l->line_id, l->offering_id,
                l->display_name[0] ? l->display_name : "-", (long long)l->quantity, l->uom, l->discount_bp / 100.0,
                l->promo_code[0] ? "  promo " : "", l->promo_code);
        if (l->priced)
            fprintf(f, "\n         list %s  discount %s  net %s", q2o_ctl_money(q, l->price.list_total, a, sizeof a),
                    q2o_ctl_money(q, l->price.discount_total, b, sizeof b),
                    q2o_ctl_money(q, l->price.net_total, c, sizeof c));
        else
            fprintf(f, "  (not priced)");
        for (uint32_t k = 0; k < l->n_options; k++)
            fprintf(f, "%s%s=%s", k ? ", " : "\n         options: ", l->options[k].name, l->options[k].value);
        fputc('\n', f);
    }
}

static void print_approval(FILE *f, const q2o_revision *r)
{
    char a[40], h[20], roles[96];
    if (!r->approval_required && !r->approved) {
        fprintf(f, "  approval: not required (yet)\n");
        return;
    }
    fprintf(f, "  approval: %s%s  fingerprint %s  expires %s\n",
            r->approved ? "approved" : r->approval_required ? "required" : "-", r->auto_approved ? " (automatic)" : "",
            short_hash(r->approval_fp, h), when(r->approval_expires_at, a, sizeof a));
    for (uint32_t i = 0; i < r->n_reasons; i++)
        fprintf(f, "    reason %-28s figure %lld  threshold %lld\n", q2o_approval_rule_name(r->reasons[i].rule),
                (long long)r->reasons[i].figure, (long long)r->reasons[i].threshold);
    for (uint32_t i = 0; i < r->n_steps; i++) {
        const q2o_approval_step *s = &r->steps[i];
        fprintf(f, "    step %u %-12s %s  %s %s\n", i + 1, q2o_roles_format(s->role, roles, sizeof roles),
                s->mandatory ? "mandatory" : "optional ", s->approved_by[0] ? "approved by" : "pending",
                s->approved_by[0] ? s->approved_by : "");
    }
}

static void print_after_approval(FILE *f, const q2o_revision *r)
{
    char a[40], h[20];
    if (r->document_id[0])
        fprintf(f, "  document: %s  %s  hash %s  template %s\n", r->document_id, q2o_op_status_name(r->document_status),
                short_hash(r->document_hash, h), r->template_version);
    else if (r->document_status != Q2O_OP_NONE)
        fprintf(f, "  document: %s (generation by the document worker)\n", q2o_op_status_name(r->document_status));
    if (r->presented_at)
        fprintf(f, "  presented: %s to %s (valid until %s)\n", when(r->presented_at, a, sizeof a), r->recipient,
                when(r->terms.valid_until, h, sizeof h));
    if (r->accepted)
        fprintf(f, "  accepted: %s by %s (%s) via %s, document hash %s, envelope %s\n", when(r->accepted_at, a, sizeof a),
                r->acceptance.acceptor_id, r->acceptance.acceptor_legal_entity,
                q2o_accept_method_name(r->acceptance.method), short_hash(r->acceptance.document_hash, h),
                r->acceptance.signature_envelope_id[0] ? r->acceptance.signature_envelope_id : "-");
    if (r->converted)
        fprintf(f, "  order: %s (%s) converted %s, idempotency key %s\n", r->conversion.order_id,
                r->conversion.order_number, when(r->conversion.converted_at, a, sizeof a),
                r->conversion.idempotency_key);
    if (r->close_reason[0])
        fprintf(f, "  closed: %s\n", r->close_reason);
}

void q2o_ctl_print_quote(FILE *f, const q2o_quote *q)
{
    char a[64], h[20];
    if (!q->exists) {
        fprintf(f, "Quote %s does not exist (no events in the log).\n", q->quote_id);
        return;
    }
    const q2o_quote_header *hd = &q->header;
    fprintf(f, "Quote %s  %s %s  version %llu  head %s  updated %s\n", q->quote_id, hd->quote_number,
            q2o_quote_type_name(hd->quote_type), (unsigned long long)q->version, short_hash(q->head_hash, h),
            when(q->updated_at, a, sizeof a));
    fprintf(f, "  customer %s (%s)  account %s  billing %s  %s  owner %s\n", hd->customer_id,
            hd->customer_legal_entity, hd->account_id, hd->billing_account_id[0] ? hd->billing_account_id : "-",
            hd->currency, hd->owner_id);
    fprintf(f, "\nRevisions:\n");
    for (int32_t i = 0; i < q->n_revisions; i++) {
        const q2o_revision *r = &q->revisions[i];
        fprintf(f, "  rev %-2d %-18s", r->number, q2o_status_name(r->status));
        if (r->status == Q2O_ST_SUPERSEDED || r->status == Q2O_ST_EXPIRED || r->status == Q2O_ST_CANCELED)
            fprintf(f, " (was %s)", q2o_status_name(r->status_before_close));
        fprintf(f, "  created %s", when(r->created_at, a, sizeof a));
        if (r->priced)
            fprintf(f, "  grand total %s", q2o_ctl_money(q, r->grand_total, a, sizeof a));
        fputc('\n', f);
    }
    const q2o_revision *r = q2o_quote_current(q);
    fprintf(f, "\nCurrent revision %d: %s\n", r->number, q2o_status_name(r->status));
    fprintf(f, "  terms: %d months, %s, legal %s, pay method %s, valid until %s\n", r->terms.term_months,
            r->terms.payment_terms, r->terms.legal_terms_version[0] ? r->terms.legal_terms_version : "-",
            r->terms.pay_method[0] ? r->terms.pay_method : "-", when(r->terms.valid_until, a, sizeof a));
    print_lines(f, q);
    print_totals(f, q, r);
    print_approval(f, r);
    print_after_approval(f, r);
}

void q2o_ctl_print_allowed(FILE *f, const q2o_quote *q, const q2o_actor *actor, const q2o_allowed *a, size_t n)
{
    char roles[128];
    const q2o_revision *r = q2o_quote_current(q);
    fprintf(f, "What may %s (%s) do now (revision %d is %s)?\n", actor->id,
            q2o_roles_format(actor->roles, roles, sizeof roles), r ? r->number : 0,
            r ? q2o_status_name(r->status) : "NONE");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %-40s %-4s %s%s%s\n", q2o_action_name(a[i].action), a[i].allowed ? "yes" : "no",
                a[i].allowed ? "" : q2o_err_name(a[i].code), a[i].allowed ? "" : ": ", a[i].reason);
}
