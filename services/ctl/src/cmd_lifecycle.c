/*
 * cmd_lifecycle.c — one typed subcommand per lifecycle step (create,
 * add-line, ..., expire). Each builds a q2o_command from flags and goes
 * through ctl_send_command, the same path as `q2octl send`.
 *
 * Commands that carry a whole record (change-line, terms) or cite what the
 * sender saw (approve: the fingerprint; present/accept: the document) take
 * their defaults from the quote as the event log has it, read just before
 * (flags override every default). That read is a convenience, not a lock:
 * pass --expected-version to make the command conditional on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/check.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "domain/sample.h"

typedef int (*build_fn)(const ctl_args *a, const q2o_quote *q, q2o_command *c);

typedef struct lc_cmd {
    ctl_sub sub;
    q2o_command_type type;
    build_fn build;          /* NULL: no arguments beyond the envelope */
    int needs_state;         /* defaults come from the quote's current state */
} lc_cmd;

static const ctl_flag envelope_flags[] = {
    {"quote", "ID", "the quote id (required)"},
    {"actor", "ID", "who sends the command (default q2octl)"},
    {"roles", "LIST", "the actor's roles, comma-separated (default SALES_REP)"},
    {"authority-limit", "MINOR", "approver's limit in minor units; -1 unlimited (default 0)"},
    {"legal-entity", "ID", "legal entity the actor signs for (customers)"},
    {"revision", "N", "target revision (default: the current one)"},
    {"expected-version", "N", "optimistic lock: refused unless the quote is at this version"},
    {"command-id", "ID", "dedupe key (default: generated); re-sending the same id gets the same result"},
    {"correlation-id", "ID", "correlation id (default: the command id)"},
    {"source", "CODE", "source system (default CTL)"},
    {"dry-run", NULL, "print the command as JSON instead of sending it"},
    {NULL, NULL, NULL},
};

/* ---------------------------------------------------------------- create */

static const ctl_flag create_flags[] = {
    {"sample-acme", NULL, "start from the sample customer ACME Inc. (domain/sample.h)"},
    {"quote-number", "TEXT", "human quote number"},
    {"quote-type", "TYPE", "NEW, RENEWAL, AMENDMENT, UPGRADE, DOWNGRADE, CANCELLATION"},
    {"account", "ID", "account id"},
    {"customer", "ID", "customer id"},
    {"customer-entity", "ID", "customer's legal entity"},
    {"sold-to", "ID", "sold-to party"},
    {"ship-to", "ID", "the one ship-to party"},
    {"bill-to", "ID", "bill-to party"},
    {"billing-account", "ID", "billing account id"},
    {"selling-entity", "ID", "selling legal entity"},
    {"currency", "CODE", "ISO 4217 currency"},
    {"market", "CODE", "market"},
    {"channel", "CODE", "sales channel"},
    {"owner", "ID", "sales owner (default: the actor)"},
    {"opportunity", "ID", "CRM opportunity"},
    {"order-type", "CODE", "order type the quote converts to"},
    {"contact", "ID", "authorized customer contact (repeatable)"},
    {"payment-terms", "CODE", "payment terms (e.g. NET30)"},
    {"term-months", "N", "contract term in months"},
    {"valid-until", "TIME", "proposal validity (RFC 3339 or a date)"},
    {"contract-start", "TIME", "contract start"},
    {"legal-terms", "VERSION", "legal terms version"},
    {"pay-method", "CODE", "pay method"},
    {NULL, NULL, NULL},
};

static int terms_flags(const ctl_args *a, q2o_terms *t)
{
    int64_t months = t->term_months;
    const char *exc = ctl_get(a, "legal-clause-exception");
    if (ctl_get_str(a, "payment-terms", t->payment_terms, sizeof t->payment_terms) ||
        ctl_get_str(a, "legal-terms", t->legal_terms_version, sizeof t->legal_terms_version) ||
        ctl_get_str(a, "pay-method", t->pay_method, sizeof t->pay_method) ||
        ctl_get_i64(a, "term-months", 0, Q2O_MAX_TERM_MONTHS, &months) || ctl_get_time(a, "valid-until", &t->valid_until) ||
        ctl_get_time(a, "contract-start", &t->contract_start))
        return -1;
    t->term_months = (int32_t)months;
    if (exc)
        t->legal_clause_exception = strcmp(exc, "yes") == 0 || strcmp(exc, "true") == 0 || strcmp(exc, "1") == 0;
    return 0;
}

static int build_create(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    q2o_quote_header *h = &c->u.create;
    (void)q;
    if (ctl_has(a, "sample-acme"))
        q2o_sample_acme_quote(h, &c->terms, "NET30", q2o_time_now_ms());
    static const struct { const char *flag; size_t off, size; } strs[] = {
#define S(flag, m) {flag, offsetof(q2o_quote_header, m), sizeof(((q2o_quote_header *)0)->m)}
        S("quote-number", quote_number), S("account", account_id), S("customer", customer_id),
        S("customer-entity", customer_legal_entity), S("sold-to", sold_to), S("ship-to", ship_to),
        S("bill-to", bill_to), S("billing-account", billing_account_id), S("selling-entity", selling_entity),
        S("currency", currency), S("market", market), S("channel", channel), S("owner", owner_id),
        S("opportunity", opportunity_id), S("order-type", order_type),
#undef S
    };
    for (size_t i = 0; i < Q2O_ARRAY_LEN(strs); i++)
        if (ctl_get_str(a, strs[i].flag, (char *)h + strs[i].off, strs[i].size))
            return -1;
    const char *qt = ctl_get(a, "quote-type");
    if (qt) {
        int t = q2o_quote_type_parse(qt);
        if (t < 0)
            return fprintf(stderr, "q2octl create: --quote-type: unknown type '%s'\n", qt), -1;
        h->quote_type = (q2o_quote_type)t;
    }
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->flag[i]->name, "contact") == 0) {
            if (h->n_contacts == Q2O_MAX_CONTACTS)
                return fprintf(stderr, "q2octl create: at most %d contacts\n", Q2O_MAX_CONTACTS), -1;
            if (q2o_strlcpy(h->contacts[h->n_contacts++], a->value[i], Q2O_ID_MAX) != 0)
                return fprintf(stderr, "q2octl create: --contact too long\n"), -1;
        }
    if (!h->owner_id[0])
        Q2O_STRCPY(h->owner_id, c->actor.id);
    if (!h->quote_number[0])
        Q2O_STRCPY(h->quote_number, c->quote_id);
    return terms_flags(a, &c->terms);
}

/* ----------------------------------------------------------------- lines */

static const ctl_flag line_flags[] = {
    {"line", "ID", "line id (required)"},
    {"offering", "ID", "product offering id"},
    {"qty", "N", "quantity"},
    {"uom", "CODE", "unit of measure (default EA)"},
    {"discount-pct", "PCT", "manual discount in percent, e.g. 18 or 12.5"},
    {"discount-bp", "BP", "manual discount in basis points"},
    {"promo", "CODE", "promotion code (\"\" removes it)"},
    {"option", "NAME=VALUE", "configuration option (repeatable; replaces the line's options)"},
    {"term-months", "N", "line term in months"},
    {"parent", "ID", "parent line (bundles)"},
    {"action", "ACTION", "ADD, MODIFY, REMOVE, RENEW, SUSPEND, RESUME"},
    {"override-price", "MINOR", "manual unit price in minor units; -1 = none"},
    {"override-reason", "CODE", "reason of the price override"},
    {"asset", "REF", "asset the line changes"},
    {"line-number", "N", "display order"},
    {NULL, NULL, NULL},
};

static int parse_pct(const char *s, int64_t *bp)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v < 0 || v > 100)
        return -1;
    *bp = (int64_t)(v * 100.0 + 0.5);
    return 0;
}

static int line_options(const ctl_args *a, q2o_line *l)
{
    int first = 1;
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->flag[i]->name, "option") != 0)
            continue;
        if (first)
            l->n_options = 0, memset(l->options, 0, sizeof l->options), first = 0;
        const char *v = a->value[i], *eq = strchr(v, '=');
        if (!eq || l->n_options == Q2O_MAX_LINE_OPTIONS || (size_t)(eq - v) >= Q2O_CODE_MAX ||
            q2o_strlcpy(l->options[l->n_options].value, eq + 1, Q2O_CODE_MAX) != 0)
            return fprintf(stderr, "q2octl: --option '%s': NAME=VALUE, each under %d bytes, at most %d options\n", v,
                           Q2O_CODE_MAX, Q2O_MAX_LINE_OPTIONS), -1;
        memcpy(l->options[l->n_options].name, v, (size_t)(eq - v));
        l->n_options++;
    }
    return 0;
}

static int build_line(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    q2o_line *l = &c->u.line;
    int64_t qty, bp, term, price, number;
    const q2o_line *cur = NULL;
    if (!ctl_has(a, "line"))
        return fprintf(stderr, "q2octl: --line is required\n"), -1;
    if (c->type == Q2O_CMD_CHANGE_LINE && q && q->exists)
        cur = q2o_quote_line(q, ctl_get(a, "line"));
    if (cur) {
        *l = *cur;               /* change what the flags say, keep the rest */
        l->priced = 0;
        memset(&l->price, 0, sizeof l->price);
    } else {
        Q2O_STRCPY(l->uom, "EA");
        l->override_unit_price = -1;
        l->action = Q2O_LA_ADD;
    }
    qty = l->quantity, bp = l->discount_bp, term = l->term_months, price = l->override_unit_price,
    number = l->line_number;
    if (ctl_get_str(a, "line", l->line_id, sizeof l->line_id) ||
        ctl_get_str(a, "offering", l->offering_id, sizeof l->offering_id) || ctl_get_str(a, "uom", l->uom, sizeof l->uom) ||
        ctl_get_str(a, "promo", l->promo_code, sizeof l->promo_code) ||
        ctl_get_str(a, "parent", l->parent_line_id, sizeof l->parent_line_id) ||
        ctl_get_str(a, "override-reason", l->override_reason, sizeof l->override_reason) ||
        ctl_get_str(a, "asset", l->asset_ref, sizeof l->asset_ref) ||
        ctl_get_i64(a, "qty", 0, Q2O_MAX_QUANTITY, &qty) || ctl_get_i64(a, "discount-bp", 0, 10000, &bp) ||
        ctl_get_i64(a, "term-months", 0, Q2O_MAX_TERM_MONTHS, &term) ||
        ctl_get_i64(a, "override-price", -1, Q2O_MAX_AMOUNT, &price) ||
        ctl_get_i64(a, "line-number", 0, INT32_MAX, &number) || line_options(a, l))
        return -1;
    const char *pct = ctl_get(a, "discount-pct"), *act = ctl_get(a, "action");
    if (pct && parse_pct(pct, &bp) != 0)
        return fprintf(stderr, "q2octl: --discount-pct '%s': a percentage 0..100\n", pct), -1;
    if (act) {
        int v = q2o_line_action_parse(act);
        if (v < 0)
            return fprintf(stderr, "q2octl: --action '%s': ADD, MODIFY, REMOVE, RENEW, SUSPEND or RESUME\n", act), -1;
        l->action = (q2o_line_action)v;
    }
    l->quantity = qty, l->discount_bp = (int32_t)bp, l->term_months = (int32_t)term;
    l->override_unit_price = price, l->line_number = (int32_t)number;
    return 0;
}

static const ctl_flag remove_flags[] = {{"line", "ID", "line id (required)"}, {NULL, NULL, NULL}};

/* A command whose payload is one required string flag. */
static int required_str(const ctl_args *a, const char *command, const char *flag, char *dst, size_t size)
{
    if (!ctl_has(a, flag))
        return fprintf(stderr, "q2octl %s: --%s is required\n", command, flag), -1;
    return ctl_get_str(a, flag, dst, size);
}

static int build_remove(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    (void)q;
    return required_str(a, "remove-line", "line", c->u.line_id, sizeof c->u.line_id);
}

/* ----------------------------------------------------------------- terms */

static const ctl_flag terms_flag_table[] = {
    {"payment-terms", "CODE", "payment terms (e.g. NET30)"},
    {"term-months", "N", "contract term in months"},
    {"valid-until", "TIME", "proposal validity (RFC 3339 or a date)"},
    {"contract-start", "TIME", "contract start"},
    {"legal-terms", "VERSION", "legal terms version"},
    {"pay-method", "CODE", "pay method"},
    {"legal-clause-exception", "yes|no", "a non-standard legal clause is requested"},
    {NULL, NULL, NULL},
};

static int build_terms(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    const q2o_revision *r = q && q->exists ? q2o_quote_current(q) : NULL;
    if (r)
        c->terms = r->terms; /* the command carries the whole terms record */
    return terms_flags(a, &c->terms);
}

/* ------------------------------------------------------- note, reassign */

static const ctl_flag note_flags[] = {{"text", "TEXT", "the note (required)"}, {NULL, NULL, NULL}};

static int build_note(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    (void)q;
    return required_str(a, "note", "text", c->u.note, sizeof c->u.note);
}

static const ctl_flag owner_flags[] = {{"owner", "ID", "the new sales owner (required)"}, {NULL, NULL, NULL}};

static int build_owner(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    (void)q;
    return required_str(a, "reassign", "owner", c->u.owner_id, sizeof c->u.owner_id);
}

/* -------------------------------------------------------------- approval */

static const ctl_flag approve_flags[] = {
    {"fingerprint", "HEX", "approval fingerprint you reviewed (default: the one under review in the log)"},
    {"comment", "TEXT", "approver's comment"},
    {NULL, NULL, NULL},
};

static int build_approve(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    const q2o_revision *r = q && q->exists ? q2o_quote_current(q) : NULL;
    if (r)
        memcpy(c->u.approve.expected_fp, r->approval_fp, Q2O_SHA256_LEN);
    return ctl_get_sha(a, "fingerprint", c->u.approve.expected_fp) ||
           ctl_get_str(a, "comment", c->u.approve.comment, sizeof c->u.approve.comment);
}

static const ctl_flag reason_flags[] = {
    {"reason", "CODE", "reason code (default CUSTOMER_REQUEST)"},
    {"comment", "TEXT", "free text"},
    {NULL, NULL, NULL},
};

static int build_reason(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    (void)q;
    Q2O_STRCPY(c->u.reason.reason_code, "CUSTOMER_REQUEST");
    return ctl_get_str(a, "reason", c->u.reason.reason_code, sizeof c->u.reason.reason_code) ||
           ctl_get_str(a, "comment", c->u.reason.comment, sizeof c->u.reason.comment);
}

/* ------------------------------------------------------------- documents */

static int file_sha(const char *path, uint8_t out[Q2O_SHA256_LEN])
{
    FILE *f = fopen(path, "rb");
    unsigned char buf[65536];
    size_t n;
    q2o_sha256 h;
    if (!f)
        return fprintf(stderr, "q2octl: --file %s: cannot open\n", path), -1;
    q2o_sha256_init(&h);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        q2o_sha256_update(&h, buf, n);
    q2o_sha256_final(&h, out);
    fclose(f);
    return 0;
}

static const ctl_flag attach_flags[] = {
    {"document-id", "ID", "document id (default DOC-<quote>-R<revision>)"},
    {"hash", "HEX", "SHA-256 of the document"},
    {"file", "PATH", "the document file: its SHA-256 is the hash"},
    {"template", "VERSION", "template version (default proposal-v1)"},
    {"snapshot-fp", "HEX", "fingerprint of the snapshot rendered (default: the approved one in the log)"},
    {NULL, NULL, NULL},
};

static int build_attach(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    const q2o_revision *r = q && q->exists ? q2o_quote_current(q) : NULL;
    snprintf(c->u.attach.document_id, sizeof c->u.attach.document_id, "DOC-%.40s-R%d", c->quote_id, r ? r->number : 1);
    Q2O_STRCPY(c->u.attach.template_version, "proposal-v1");
    if (r)
        memcpy(c->u.attach.snapshot_fp, r->approval_fp, Q2O_SHA256_LEN);
    if (!ctl_has(a, "hash") && !ctl_has(a, "file"))
        return fprintf(stderr, "q2octl attach-document: --hash or --file is required\n"), -1;
    if (ctl_has(a, "file") && file_sha(ctl_get(a, "file"), c->u.attach.document_hash) != 0)
        return -1;
    return ctl_get_sha(a, "hash", c->u.attach.document_hash) ||
           ctl_get_str(a, "document-id", c->u.attach.document_id, sizeof c->u.attach.document_id) ||
           ctl_get_str(a, "template", c->u.attach.template_version, sizeof c->u.attach.template_version) ||
           ctl_get_sha(a, "snapshot-fp", c->u.attach.snapshot_fp);
}

static const ctl_flag present_flags[] = {
    {"document-id", "ID", "document to present (default: the attached one in the log)"},
    {"hash", "HEX", "its SHA-256 (default: the attached one)"},
    {"recipient", "ID", "contact to send it to (default: the first authorized contact)"},
    {NULL, NULL, NULL},
};

static int build_present(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    const q2o_revision *r = q && q->exists ? q2o_quote_current(q) : NULL;
    if (r) {
        Q2O_STRCPY(c->u.present.document_id, r->document_id);
        memcpy(c->u.present.document_hash, r->document_hash, Q2O_SHA256_LEN);
        if (q->header.n_contacts)
            Q2O_STRCPY(c->u.present.recipient, q->header.contacts[0]);
    }
    return ctl_get_str(a, "document-id", c->u.present.document_id, sizeof c->u.present.document_id) ||
           ctl_get_sha(a, "hash", c->u.present.document_hash) ||
           ctl_get_str(a, "recipient", c->u.present.recipient, sizeof c->u.present.recipient);
}

static const ctl_flag accept_flags[] = {
    {"method", "METHOD", "PORTAL, EMAIL, ESIGNATURE, PURCHASE_ORDER (default PORTAL)"},
    {"acceptor", "ID", "who accepts (default: the actor)"},
    {"acceptor-entity", "ID", "legal entity the acceptor signs for (default: the actor's)"},
    {"document-id", "ID", "accepted document (default: the presented one in the log)"},
    {"hash", "HEX", "accepted document's SHA-256 (default: the presented one)"},
    {"po", "REF", "purchase order reference"},
    {"envelope", "ID", "e-signature envelope id"},
    {"source-address", "ADDR", "address the acceptance came from"},
    {"evidence", "REF", "reference to stored evidence"},
    {"partner", NULL, "a partner accepts on the customer's behalf"},
    {NULL, NULL, NULL},
};

static int build_accept(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    q2o_acceptance *x = &c->u.accept;
    const q2o_revision *r = q && q->exists ? q2o_quote_current(q) : NULL;
    x->method = Q2O_AM_PORTAL;
    Q2O_STRCPY(x->acceptor_id, c->actor.id);
    Q2O_STRCPY(x->acceptor_legal_entity, c->actor.legal_entity);
    if (r) {
        Q2O_STRCPY(x->document_id, r->document_id);
        memcpy(x->document_hash, r->presented_hash, Q2O_SHA256_LEN);
    }
    x->on_behalf_as_partner = ctl_has(a, "partner");
    const char *m = ctl_get(a, "method");
    if (m) {
        int v = q2o_accept_method_parse(m);
        if (v < 0)
            return fprintf(stderr, "q2octl accept: --method '%s': PORTAL, EMAIL, ESIGNATURE or PURCHASE_ORDER\n", m), -1;
        x->method = (q2o_accept_method)v;
    }
    return ctl_get_str(a, "acceptor", x->acceptor_id, sizeof x->acceptor_id) ||
           ctl_get_str(a, "acceptor-entity", x->acceptor_legal_entity, sizeof x->acceptor_legal_entity) ||
           ctl_get_str(a, "document-id", x->document_id, sizeof x->document_id) || ctl_get_sha(a, "hash", x->document_hash) ||
           ctl_get_str(a, "po", x->po_reference, sizeof x->po_reference) ||
           ctl_get_str(a, "envelope", x->signature_envelope_id, sizeof x->signature_envelope_id) ||
           ctl_get_str(a, "source-address", x->source_address, sizeof x->source_address) ||
           ctl_get_str(a, "evidence", x->evidence_ref, sizeof x->evidence_ref);
}

static const ctl_flag convert_flags[] = {
    {"idempotency-key", "KEY", "required: retrying with the same key returns the same order"},
    {"expected-status", "STATUS", "status the revision must be in (default ACCEPTED; NONE: not checked)"},
    {NULL, NULL, NULL},
};

static int build_convert(const ctl_args *a, const q2o_quote *q, q2o_command *c)
{
    (void)q;
    const char *st = ctl_get(a, "expected-status");
    if (!ctl_has(a, "idempotency-key"))
        return fprintf(stderr, "q2octl convert: --idempotency-key is required (reuse it when retrying)\n"), -1;
    c->u.convert.expected_status = Q2O_ST_ACCEPTED;
    if (st) {
        int v = q2o_status_parse(st);
        if (v < 0)
            return fprintf(stderr, "q2octl convert: --expected-status '%s': a status name\n", st), -1;
        c->u.convert.expected_status = (q2o_status)v;
    }
    return ctl_get_str(a, "idempotency-key", c->u.convert.idempotency_key, sizeof c->u.convert.idempotency_key);
}

/* ----------------------------------------------------------------- table */

static const ctl_flag no_flags[] = {{NULL, NULL, NULL}};

#define LC(name, usage, summary, flags, type, build, state) \
    {{name, usage, summary, flags, envelope_flags}, Q2O_CMD_##type, build, state}
static const lc_cmd lifecycle[] = {
    LC("create", "--quote ID [--sample-acme] [header and terms flags]", "Create a quote (CreateQuote).",
       create_flags, CREATE_QUOTE, build_create, 0),
    LC("add-line", "--quote ID --line ID --offering ID --qty N [...]", "Add a line (AddQuoteLine).", line_flags,
       ADD_LINE, build_line, 0),
    LC("change-line", "--quote ID --line ID [--qty N] [...]",
       "Change a line (ChangeQuoteLine): the line as the log has it, with the flags' changes.", line_flags,
       CHANGE_LINE, build_line, 1),
    LC("remove-line", "--quote ID --line ID", "Remove a line (RemoveQuoteLine).", remove_flags, REMOVE_LINE,
       build_remove, 0),
    LC("terms", "--quote ID [--payment-terms CODE] [...]",
       "Change the terms (ChangeQuoteTerms): the current terms with the flags' changes.", terms_flag_table,
       CHANGE_TERMS, build_terms, 1),
    LC("note", "--quote ID --text TEXT", "Add an internal note (AddQuoteNote).", note_flags, ADD_NOTE, build_note,
       0),
    LC("reassign", "--quote ID --owner ID", "Reassign the sales owner (ReassignQuoteOwner).", owner_flags,
       REASSIGN_OWNER, build_owner, 0),
    LC("price", "--quote ID", "Validate and price the current revision (PriceQuote).", no_flags, PRICE_QUOTE, NULL,
       0),
    LC("submit", "--quote ID", "Submit for approval (SubmitQuoteForApproval).", no_flags, SUBMIT_FOR_APPROVAL, NULL,
       0),
    LC("approve", "--quote ID --roles DEAL_DESK|FINANCE|... [--fingerprint HEX]",
       "Approve the pending step of your role (ApproveQuote).", approve_flags, APPROVE_STEP, build_approve, 1),
    LC("reject-approval", "--quote ID [--reason CODE] [--comment TEXT]", "Reject as an approver (RejectQuoteApproval).",
       reason_flags, REJECT_APPROVAL, build_reason, 0),
    LC("recall", "--quote ID [--reason CODE]", "Recall the approval request (RecallQuoteApproval).", reason_flags,
       RECALL_APPROVAL, build_reason, 0),
    LC("attach-document", "--quote ID (--hash HEX | --file PATH) [...]",
       "Attach a generated proposal (AttachQuoteDocument).", attach_flags, ATTACH_DOCUMENT, build_attach, 1),
    LC("present", "--quote ID [--recipient ID]", "Present the proposal to the customer (PresentQuote).",
       present_flags, PRESENT_QUOTE, build_present, 1),
    LC("accept", "--quote ID --actor ID --roles CUSTOMER --legal-entity ID [...]",
       "Record the customer's acceptance (AcceptQuote).", accept_flags, ACCEPT_QUOTE, build_accept, 1),
    LC("reject", "--quote ID [--reason CODE]", "Record the customer's rejection (RejectQuoteByCustomer).",
       reason_flags, REJECT_BY_CUSTOMER, build_reason, 0),
    LC("convert", "--quote ID --idempotency-key KEY", "Convert the accepted revision to an order (ConvertQuoteToOrder).",
       convert_flags, CONVERT_TO_ORDER, build_convert, 0),
    LC("cancel", "--quote ID [--reason CODE]", "Cancel the revision (CancelQuote).", reason_flags, CANCEL_QUOTE,
       build_reason, 0),
    LC("revise", "--quote ID [--reason CODE]", "Create a new revision; it supersedes the current one (CreateQuoteRevision).",
       reason_flags, CREATE_REVISION, build_reason, 0),
    LC("expire", "--quote ID", "Expire the revision if a validity passed (ExpireQuote).", no_flags, EXPIRE_QUOTE,
       NULL, 0),
};
#undef LC

void ctl_list_lifecycle(FILE *f)
{
    for (size_t i = 0; i < Q2O_ARRAY_LEN(lifecycle); i++)
        fprintf(f, "  %-16s %s\n", lifecycle[i].sub.name, lifecycle[i].sub.summary);
}

/* The quote as the log has it, for defaults; an empty state when it cannot
 * be read (a dry run without Kafka, a quote that does not exist yet). */
static int load_state(const ctl_args *a, const char *quote_id, q2o_quote *q)
{
    q2o_config cfg;
    q2o_ctl_client *c = NULL;
    char detail[512] = "";
    int rc = ctl_connect(a, &cfg, &c);
    if (rc)
        return ctl_has(a, "dry-run") ? 0 : rc;
    q2o_ctl_view_opts o = {.progress = 1, .timeout_ms = 30000};
    q2o_err e = q2o_ctl_load(c, quote_id, &o, q, NULL, detail, sizeof detail);
    q2o_ctl_client_close(c);
    if (e != Q2O_OK && !ctl_has(a, "dry-run"))
        return ctl_infra_error("reading the quote for defaults", e, detail);
    return 0;
}

static int run(const lc_cmd *lc, const ctl_args *a)
{
    q2o_command c;
    q2o_actor actor;
    int64_t rev = 0, ver = -1;
    if (!ctl_has(a, "quote"))
        return ctl_usage_error(&lc->sub, "--quote is required");
    if (a->n_pos)
        return ctl_usage_error(&lc->sub, "unexpected argument '%s'", a->pos[0]);
    if (ctl_actor(a, &actor) != 0 || ctl_get_i64(a, "revision", 0, Q2O_MAX_REVISIONS, &rev) != 0 ||
        ctl_get_i64(a, "expected-version", -1, INT64_MAX, &ver) != 0)
        return CTL_EXIT_USAGE;
    if (strlen(ctl_get(a, "quote")) >= Q2O_ID_MAX)
        return ctl_usage_error(&lc->sub, "--quote: at most %d bytes", Q2O_ID_MAX - 1);
    q2o_command_init(&c, lc->type, ctl_get(a, "quote"), "", &actor);
    c.revision = (int32_t)rev;
    c.expected_version = ver;
    if (ctl_get_str(a, "command-id", c.command_id, sizeof c.command_id) ||
        ctl_get_str(a, "correlation-id", c.correlation_id, sizeof c.correlation_id) ||
        ctl_get_str(a, "source", c.source, sizeof c.source))
        return CTL_EXIT_USAGE;
    q2o_quote *q = q2o_quote_new();
    int rc = lc->needs_state ? load_state(a, c.quote_id, q) : 0;
    if (rc == 0 && lc->build && lc->build(a, q, &c) != 0)
        rc = CTL_EXIT_USAGE;
    q2o_quote_free(q);
    return rc ? rc : ctl_send_command(a, &c);
}

int ctl_cmd_lifecycle(const char *name, int argc, char **argv)
{
    for (size_t i = 0; i < Q2O_ARRAY_LEN(lifecycle); i++) {
        const lc_cmd *lc = &lifecycle[i];
        ctl_args a;
        if (strcmp(lc->sub.name, name) != 0)
            continue;
        if (ctl_parse(&lc->sub, argc, argv, &a) != 0)
            return CTL_EXIT_USAGE;
        if (a.help) {
            ctl_help(&lc->sub, stdout);
            return CTL_EXIT_OK;
        }
        return run(lc, &a);
    }
    return -1;
}
