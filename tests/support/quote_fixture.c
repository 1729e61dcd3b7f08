#include "quote_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "core/check.h"
#include "domain/catalog_pricing.h"
#include "domain/sample.h"

const q2o_actor FX_REP = {"rep-1", Q2O_ROLE_SALES_REP, 0, ""};
const q2o_actor FX_MANAGER = {"mgr-1", Q2O_ROLE_SALES_MANAGER, -1, ""};
const q2o_actor FX_DESK = {"desk-1", Q2O_ROLE_DEAL_DESK, -1, ""};
const q2o_actor FX_FINANCE = {"fin-1", Q2O_ROLE_FINANCE, 100000000, ""};
const q2o_actor FX_LEGAL = {"legal-1", Q2O_ROLE_LEGAL, -1, ""};
const q2o_actor FX_DOCS = {"document-worker", Q2O_ROLE_SYSTEM, 0, ""};
const q2o_actor FX_CUSTOMER = {Q2O_SAMPLE_CONTACT, Q2O_ROLE_CUSTOMER, 0, "ACME-INC"};
const q2o_actor FX_PARTNER = {"bob@partner.example", Q2O_ROLE_PARTNER, 0, "PARTNER-LLC"};
const q2o_actor FX_OPS = {"ops-1", Q2O_ROLE_OPERATIONS, 0, ""};
const q2o_actor FX_SWEEPER = {"expiry-sweeper", Q2O_ROLE_SYSTEM, 0, ""};
const q2o_actor FX_STRANGER = {"nobody", Q2O_ROLE_CUSTOMER, 0, "OTHER-CORP"};

static void fx_attribute(q2o_catalog *c, q2o_cat_attribute *a, const char *name, const char *const *values,
                         int required)
{
    uint32_t n = 0;
    while (values && values[n])
        n++;
    Q2O_STRCPY(a->name, name);
    a->kind = Q2O_ATTR_ENUM;
    a->required = required;
    a->n_values = n;
    a->values = q2o_catalog_alloc(c, n, sizeof *a->values);
    for (uint32_t i = 0; i < n; i++)
        Q2O_STRCPY(a->values[i], values[i]);
}

static void fx_offering_into(q2o_catalog *c, q2o_cat_offering *o, q2o_cat_price *p, const fx_offering *spec)
{
    Q2O_STRCPY(o->id, spec->id);
    Q2O_STRCPY(o->name, spec->name);
    Q2O_STRCPY(o->uom, "EA");
    o->charge = spec->recurring ? Q2O_CHARGE_RECURRING : Q2O_CHARGE_ONE_TIME;
    o->sellable_alone = 1;
    o->unit_cost = spec->unit_cost;
    o->min_quantity = 1;
    o->active_until = spec->active_until;
    for (int k = 0; k < FX_MAX_ATTRS; k++)
        o->n_attributes += spec->attr[k] != NULL;
    o->attributes = q2o_catalog_alloc(c, o->n_attributes, sizeof *o->attributes);
    for (uint32_t k = 0; k < o->n_attributes; k++)
        fx_attribute(c, &o->attributes[k], spec->attr[k], spec->values[k], spec->required[k]);
    Q2O_STRCPY(p->offering_id, spec->id);
    p->unit_price = spec->unit_price;
}

static q2o_catalog *fx_catalog_build(const fx_offering *o, uint32_t n, int64_t freight_flat, int32_t tax_bp,
                                     fx_catalog_edit edit)
{
    q2o_catalog *c = q2o_catalog_new();
    char detail[128] = "";
    Q2O_STRCPY(c->id, "fx-saas");
    c->version = 7;
    c->n_pricebooks = 1;
    c->pricebooks = q2o_catalog_alloc(c, 1, sizeof *c->pricebooks);
    q2o_cat_pricebook *pb = &c->pricebooks[0];
    Q2O_STRCPY(pb->id, "PB-USD");
    pb->version = 3;
    Q2O_STRCPY(pb->currency, "USD");
    pb->n_prices = c->n_offerings = n;
    pb->prices = q2o_catalog_alloc(c, n, sizeof *pb->prices);
    c->offerings = q2o_catalog_alloc(c, n, sizeof *c->offerings);
    for (uint32_t i = 0; i < n; i++)
        fx_offering_into(c, &c->offerings[i], &pb->prices[i], &o[i]);
    c->n_promotions = 1;
    c->promotions = q2o_catalog_alloc(c, 1, sizeof *c->promotions);
    Q2O_STRCPY(c->promotions[0].code, "JULY2026");
    Q2O_STRCPY(c->promotions[0].name, "July 2026");
    c->promotions[0].version = 1;
    c->promotions[0].discount_bp = 500;
    c->promotions[0].starts_at = Q2O_SAMPLE_JULY_1;
    c->promotions[0].ends_at = Q2O_SAMPLE_AUGUST_1;
    if (freight_flat) {
        c->n_freight_rules = 1;
        c->freight_rules = q2o_catalog_alloc(c, 1, sizeof *c->freight_rules);
        Q2O_STRCPY(c->freight_rules[0].id, "FLAT");
        Q2O_STRCPY(c->freight_rules[0].currency, "USD");
        c->freight_rules[0].kind = Q2O_FREIGHT_FLAT;
        c->freight_rules[0].amount = freight_flat;
    }
    c->n_tax_rates = 1;
    c->tax_rates = q2o_catalog_alloc(c, 1, sizeof *c->tax_rates);
    c->tax_rates[0].rate_bp = tax_bp;
    if (edit)
        edit(c);
    cr_assert_eq(q2o_catalog_seal(c, detail, sizeof detail), Q2O_OK, "fixture catalog: %s", detail);
    return c;
}

q2o_catalog *fx_catalog_new(const fx_offering *o, uint32_t n, int64_t freight_flat, int32_t tax_bp)
{
    return fx_catalog_build(o, n, freight_flat, tax_bp, NULL);
}

static const char *const support_levels[] = {"24x7", "BUSINESS_HOURS", NULL};

q2o_catalog *fx_saas_catalog_with(fx_catalog_edit edit)
{
    const fx_offering o[] = {
        {"SAAS-ENT-USER", "Enterprise Suite - user subscription", 5000, 1000, 1, 0, {NULL}, {NULL}, {0}},
        {"SUPPORT-PREMIUM", "Premium Support (24x7)", 1000, 300, 1, 0, {"support_level"}, {support_levels}, {1}},
        {"IMPL-SERVICE", "Implementation Service", 2500000, 1500000, 0, 0, {NULL}, {NULL}, {0}},
        {"LEGACY-ADDON", "Legacy Add-on (retired)", 100, 10, 0, Q2O_SAMPLE_JULY_1, {NULL}, {NULL}, {0}},
    };
    return fx_catalog_build(o, Q2O_ARRAY_LEN(o), 0, 0, edit);
}

q2o_catalog *fx_saas_catalog(void)
{
    return fx_saas_catalog_with(NULL);
}

void fx_use_catalog(fx *f, q2o_catalog *c)
{
    q2o_catalog_free(f->catalog);
    f->catalog = c;
    f->env.pricer = q2o_catalog_pricer(c);
    f->env.catalog = c;
}

void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    q2o_approval_policy_default(&f->policy);
    fx_use_catalog(f, fx_saas_catalog());
    f->env.approval = &f->policy;
    f->q = q2o_quote_new();
    f->now = FX_T0;
}

void fx_release(fx *f)
{
    q2o_catalog_free(f->catalog);
    f->catalog = NULL;
    q2o_decision_release(&f->last);
    for (size_t i = 0; i < f->n_log; i++)
        q2o_event_release(&f->log[i]);
    free(f->log);
    q2o_quote_free(f->q);
}

q2o_command fx_cmd(fx *f, q2o_command_type type, const q2o_actor *actor)
{
    q2o_command c;
    char id[32];
    snprintf(id, sizeof id, "cmd-%d", ++f->seq);
    q2o_command_init(&c, type, "Q-1000", id, actor);
    Q2O_STRCPY(c.correlation_id, "corr-1");
    Q2O_STRCPY(c.source, "TEST");
    return c;
}

static void log_event(fx *f, const q2o_event *e)
{
    if (f->n_log == f->cap_log) {
        f->cap_log = f->cap_log ? f->cap_log * 2 : 64;
        f->log = realloc(f->log, f->cap_log * sizeof *f->log);
        cr_assert_not_null(f->log);
    }
    q2o_event_copy(&f->log[f->n_log++], e);
}

q2o_err fx_send(fx *f, const q2o_command *c)
{
    q2o_decision_release(&f->last);
    q2o_err err = q2o_quote_decide(&f->env, f->q, c, f->now, &f->last);
    cr_assert_eq(err, f->last.err);
    for (uint32_t i = 0; i < f->last.n_events; i++) {
        q2o_err e = q2o_quote_evolve(f->q, &f->last.events[i]);
        cr_assert_eq(e, Q2O_OK, "%s: evolve of %s returned %s", q2o_command_type_name(c->type),
                     q2o_event_type_name(f->last.events[i].type), q2o_err_name(e));
        log_event(f, &f->last.events[i]);
    }
    return err;
}

static void expect_ok(fx *f, q2o_err e, const char *what)
{
    cr_assert_eq(e, Q2O_OK, "%s refused: %s (%s)", what, q2o_err_name(e), f->last.detail);
}

void fx_create(fx *f)
{
    q2o_command c = fx_cmd(f, Q2O_CMD_CREATE_QUOTE, &FX_REP);
    q2o_sample_acme_quote(&c.u.create, &c.terms, "NET30", f->now);
    expect_ok(f, fx_send(f, &c), "CreateQuote");
}

q2o_err fx_add_line(fx *f, const char *id, const char *offering, int64_t qty, int32_t discount_bp,
                    const char *promo)
{
    q2o_command c = fx_cmd(f, Q2O_CMD_ADD_LINE, &FX_REP);
    Q2O_STRCPY(c.u.line.line_id, id);
    Q2O_STRCPY(c.u.line.offering_id, offering);
    Q2O_STRCPY(c.u.line.uom, "EA");
    c.u.line.quantity = qty;
    c.u.line.discount_bp = discount_bp;
    c.u.line.override_unit_price = -1;
    if (promo)
        Q2O_STRCPY(c.u.line.promo_code, promo);
    if (strcmp(offering, "SUPPORT-PREMIUM") == 0) {
        c.u.line.n_options = 1;
        Q2O_STRCPY(c.u.line.options[0].name, "support_level");
        Q2O_STRCPY(c.u.line.options[0].value, "24x7");
    }
    return fx_send(f, &c);
}

q2o_err fx_price(fx *f)
{
    q2o_command c = fx_cmd(f, Q2O_CMD_PRICE_QUOTE, &FX_REP);
    return fx_send(f, &c);
}

q2o_err fx_submit(fx *f)
{
    q2o_command c = fx_cmd(f, Q2O_CMD_SUBMIT_FOR_APPROVAL, &FX_REP);
    return fx_send(f, &c);
}

q2o_err fx_approve(fx *f, const q2o_actor *approver)
{
    q2o_command c = fx_cmd(f, Q2O_CMD_APPROVE_STEP, approver);
    memcpy(c.u.approve.expected_fp, fx_rev(f)->approval_fp, 32);
    return fx_send(f, &c);
}

void fx_document_hash(const q2o_revision *r, uint8_t out[32])
{
    q2o_sha256 h;
    q2o_sha256_init(&h);
    q2o_sha256_update_str(&h, "proposal.pdf");
    q2o_sha256_update(&h, r->approval_fp, 32);
    q2o_sha256_final(&h, out);
}

q2o_err fx_attach(fx *f)
{
    const q2o_revision *r = fx_rev(f);
    q2o_command c = fx_cmd(f, Q2O_CMD_ATTACH_DOCUMENT, &FX_DOCS);
    fx_document_hash(r, c.u.attach.document_hash);
    snprintf(c.u.attach.document_id, sizeof c.u.attach.document_id, "DOC-%d-%02x%02x", r->number,
             c.u.attach.document_hash[0], c.u.attach.document_hash[1]);
    Q2O_STRCPY(c.u.attach.template_version, "proposal-v1");
    memcpy(c.u.attach.snapshot_fp, r->approval_fp, 32);
    return fx_send(f, &c);
}

q2o_err fx_present(fx *f)
{
    const q2o_revision *r = fx_rev(f);
    q2o_command c = fx_cmd(f, Q2O_CMD_PRESENT_QUOTE, &FX_REP);
    Q2O_STRCPY(c.u.present.document_id, r->document_id);
    memcpy(c.u.present.document_hash, r->document_hash, 32);
    Q2O_STRCPY(c.u.present.recipient, FX_CUSTOMER.id);
    return fx_send(f, &c);
}

q2o_err fx_accept(fx *f)
{
    const q2o_revision *r = fx_rev(f);
    q2o_command c = fx_cmd(f, Q2O_CMD_ACCEPT_QUOTE, &FX_CUSTOMER);
    c.u.accept.method = Q2O_AM_ESIGNATURE;
    Q2O_STRCPY(c.u.accept.acceptor_id, FX_CUSTOMER.id);
    Q2O_STRCPY(c.u.accept.document_id, r->document_id);
    memcpy(c.u.accept.document_hash, r->presented_hash, 32);
    Q2O_STRCPY(c.u.accept.signature_envelope_id, "ENV-778");
    Q2O_STRCPY(c.u.accept.source_address, "203.0.113.7");
    return fx_send(f, &c);
}

q2o_err fx_convert(fx *f, const char *key)
{
    q2o_command c = fx_cmd(f, Q2O_CMD_CONVERT_TO_ORDER, &FX_OPS);
    Q2O_STRCPY(c.u.convert.idempotency_key, key);
    c.u.convert.expected_status = Q2O_ST_ACCEPTED;
    return fx_send(f, &c);
}

const q2o_revision *fx_rev(fx *f)
{
    return q2o_quote_current(f->q);
}

static void walk_presented(fx *f)
{
    expect_ok(f, fx_submit(f), "Submit (auto-approval)");
    expect_ok(f, fx_attach(f), "AttachDocument");
    expect_ok(f, fx_present(f), "Present");
}

void fx_to_status(fx *f, q2o_status st)
{
    fx_create(f);
    int discount = st == Q2O_ST_REQUIRES_APPROVAL || st == Q2O_ST_IN_REVIEW ? 2000 : 0;
    expect_ok(f, fx_add_line(f, "L1", "SAAS-ENT-USER", 10, discount, NULL), "AddLine");
    if (st == Q2O_ST_DRAFT)
        return;
    if (st == Q2O_ST_CANCELED) {
        q2o_command c = fx_cmd(f, Q2O_CMD_CANCEL_QUOTE, &FX_REP);
        Q2O_STRCPY(c.u.reason.reason_code, "CUSTOMER_WENT_DARK");
        expect_ok(f, fx_send(f, &c), "Cancel");
        return;
    }
    expect_ok(f, fx_price(f), "Price");
    if (st == Q2O_ST_PRICED || st == Q2O_ST_REQUIRES_APPROVAL)
        return;
    if (st == Q2O_ST_IN_REVIEW) {
        expect_ok(f, fx_submit(f), "Submit");
        return;
    }
    if (st == Q2O_ST_APPROVED || st == Q2O_ST_SUPERSEDED) {
        expect_ok(f, fx_submit(f), "Submit (auto-approval)");
        if (st == Q2O_ST_SUPERSEDED) {
            q2o_command c = fx_cmd(f, Q2O_CMD_CREATE_REVISION, &FX_REP);
            Q2O_STRCPY(c.u.reason.reason_code, "CUSTOMER_CHANGE");
            expect_ok(f, fx_send(f, &c), "CreateRevision");
        }
        return;
    }
    walk_presented(f);
    if (st == Q2O_ST_REJECTED) {
        q2o_command c = fx_cmd(f, Q2O_CMD_REJECT_BY_CUSTOMER, &FX_CUSTOMER);
        Q2O_STRCPY(c.u.reason.reason_code, "PRICE_TOO_HIGH");
        expect_ok(f, fx_send(f, &c), "RejectByCustomer");
    } else if (st == Q2O_ST_EXPIRED) {
        f->now += 31 * FX_DAY;
        q2o_command c = fx_cmd(f, Q2O_CMD_EXPIRE_QUOTE, &FX_SWEEPER);
        expect_ok(f, fx_send(f, &c), "ExpireQuote");
    } else if (st == Q2O_ST_ACCEPTED || st == Q2O_ST_CONVERTED) {
        expect_ok(f, fx_accept(f), "Accept");
        if (st == Q2O_ST_CONVERTED)
            expect_ok(f, fx_convert(f, "conv-key-1"), "Convert");
    }
}

q2o_quote *fx_replay(fx *f, size_t upto)
{
    q2o_quote *q = q2o_quote_new();
    size_t n = upto && upto < f->n_log ? upto : f->n_log;
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(q2o_quote_evolve(q, &f->log[i]), Q2O_OK);
    return q;
}

/* ---- customised quotes, complete commands, stories ----------------------- */

const q2o_actor *fx_usual_actor(q2o_command_type type)
{
    switch (type) {
    case Q2O_CMD_APPROVE_STEP:
    case Q2O_CMD_REJECT_APPROVAL: return &FX_DESK;
    case Q2O_CMD_ATTACH_DOCUMENT: return &FX_DOCS;
    case Q2O_CMD_ACCEPT_QUOTE:
    case Q2O_CMD_REJECT_BY_CUSTOMER: return &FX_CUSTOMER;
    case Q2O_CMD_CONVERT_TO_ORDER: return &FX_OPS;
    case Q2O_CMD_EXPIRE_QUOTE: return &FX_SWEEPER;
    case Q2O_CMD_REASSIGN_OWNER: return &FX_MANAGER;
    default: return &FX_REP;
    }
}

static void line_payload(fx *f, q2o_command *c)
{
    const q2o_line *l1 = q2o_quote_line(f->q, "L1");
    if (c->type == Q2O_CMD_REMOVE_LINE) {
        Q2O_STRCPY(c->u.line_id, "L1");
    } else if (c->type == Q2O_CMD_CHANGE_LINE && l1) {
        c->u.line = *l1;
        c->u.line.quantity++;
    } else {
        q2o_line *l = &c->u.line;
        Q2O_STRCPY(l->line_id, c->type == Q2O_CMD_ADD_LINE ? "L9" : "L1");
        Q2O_STRCPY(l->offering_id, "IMPL-SERVICE");
        Q2O_STRCPY(l->uom, "EA");
        l->quantity = 1;
        l->override_unit_price = -1;
    }
}

/* The proposal document, its presentation and its acceptance, each citing
 * what the revision holds. */
static void customer_payload(const q2o_revision *r, q2o_command *c)
{
    if (c->type == Q2O_CMD_ATTACH_DOCUMENT) {
        fx_document_hash(r, c->u.attach.document_hash);
        snprintf(c->u.attach.document_id, sizeof c->u.attach.document_id, "DOC-%d-%02x%02x", r->number,
                 c->u.attach.document_hash[0], c->u.attach.document_hash[1]);
        Q2O_STRCPY(c->u.attach.template_version, "proposal-v1");
        memcpy(c->u.attach.snapshot_fp, r->approval_fp, 32);
    } else if (c->type == Q2O_CMD_PRESENT_QUOTE) {
        Q2O_STRCPY(c->u.present.recipient, FX_CUSTOMER.id);
        Q2O_STRCPY(c->u.present.document_id, r->document_id);
        memcpy(c->u.present.document_hash, r->document_hash, 32);
    } else {
        q2o_acceptance *a = &c->u.accept;
        a->method = Q2O_AM_ESIGNATURE;
        Q2O_STRCPY(a->signature_envelope_id, "ENV-778");
        Q2O_STRCPY(a->acceptor_id, FX_CUSTOMER.id);
        Q2O_STRCPY(a->document_id, r->document_id);
        memcpy(a->document_hash, r->presented_hash, 32);
    }
}

q2o_command fx_command_for(fx *f, q2o_command_type type, const q2o_actor *actor)
{
    static const q2o_revision no_revision; /* before CreateQuote: payloads cite nothing */
    q2o_command c = fx_cmd(f, type, actor ? actor : fx_usual_actor(type));
    const q2o_revision *r = fx_rev(f) ? fx_rev(f) : &no_revision;
    switch (type) {
    case Q2O_CMD_CREATE_QUOTE: q2o_sample_acme_quote(&c.u.create, &c.terms, "NET30", f->now); break;
    case Q2O_CMD_ADD_LINE:
    case Q2O_CMD_CHANGE_LINE:
    case Q2O_CMD_REMOVE_LINE: line_payload(f, &c); break;
    case Q2O_CMD_CHANGE_TERMS: c.terms = r->terms; break;
    case Q2O_CMD_ADD_NOTE: Q2O_STRCPY(c.u.note, "called the customer"); break;
    case Q2O_CMD_REASSIGN_OWNER: Q2O_STRCPY(c.u.owner_id, "rep-2"); break;
    case Q2O_CMD_APPROVE_STEP:
    case Q2O_CMD_REJECT_APPROVAL:
        memcpy(c.u.approve.expected_fp, r->approval_fp, 32);
        Q2O_STRCPY(c.u.approve.comment, "reviewed");
        break;
    case Q2O_CMD_RECALL_APPROVAL:
    case Q2O_CMD_REJECT_BY_CUSTOMER:
    case Q2O_CMD_CANCEL_QUOTE:
    case Q2O_CMD_CREATE_REVISION: Q2O_STRCPY(c.u.reason.reason_code, "CUSTOMER_CHANGE"); break;
    case Q2O_CMD_ATTACH_DOCUMENT:
    case Q2O_CMD_PRESENT_QUOTE:
    case Q2O_CMD_ACCEPT_QUOTE: customer_payload(r, &c); break;
    case Q2O_CMD_CONVERT_TO_ORDER:
        Q2O_STRCPY(c.u.convert.idempotency_key, "conv-key-1");
        c.u.convert.expected_status = Q2O_ST_ACCEPTED;
        break;
    default: break; /* price, submit, expire: the envelope is the whole command */
    }
    return c;
}

q2o_err fx_create_with(fx *f, fx_header_edit edit)
{
    q2o_command c = fx_command_for(f, Q2O_CMD_CREATE_QUOTE, NULL);
    if (edit)
        edit(&c.u.create, &c.terms);
    return fx_send(f, &c);
}

static q2o_err step_first_line(fx *f)
{
    return fx_add_line(f, "L1", "SAAS-ENT-USER", 10, 0, NULL);
}

static q2o_err step_convert(fx *f)
{
    return fx_convert(f, "conv-key-1");
}

void fx_to_status_with(fx *f, q2o_status st, fx_header_edit edit)
{
    static const struct {
        q2o_err (*run)(fx *f);
        const char *what;
    } happy_path[] = {{step_first_line, "AddLine"}, {fx_price, "Price"},    {fx_submit, "Submit"},
                      {fx_attach, "AttachDocument"}, {fx_present, "Present"}, {fx_accept, "Accept"},
                      {step_convert, "Convert"}};
    expect_ok(f, fx_create_with(f, edit), "CreateQuote");
    for (size_t i = 0; i < sizeof happy_path / sizeof happy_path[0]; i++) {
        expect_ok(f, happy_path[i].run(f), happy_path[i].what);
        if (fx_rev(f)->status == st)
            return;
    }
    cr_assert_fail("%s is not on the happy path", q2o_status_name(st));
}

void fx_rewrite_creation(fx *f, fx_header_edit edit)
{
    cr_assert(f->n_log > 0 && f->log[0].type == Q2O_EV_CREATED);
    edit(&f->log[0].u.created.header, &f->log[0].u.created.terms);
    q2o_quote_free(f->q);
    f->q = q2o_quote_new();
    for (size_t i = 0; i < f->n_log; i++) {
        memcpy(f->log[i].prev_hash, f->q->head_hash, 32);
        q2o_err e = q2o_quote_evolve(f->q, &f->log[i]);
        cr_assert_eq(e, Q2O_OK, "rewritten event %zu (%s): %s", i + 1, q2o_event_type_name(f->log[i].type),
                     q2o_err_name(e));
    }
}

void fx_append(fx *f, q2o_event ev)
{
    Q2O_STRCPY(ev.quote_id, f->q->quote_id);
    ev.version = f->q->version + 1;
    ev.at = f->now;
    memcpy(ev.prev_hash, f->q->head_hash, 32);
    q2o_err e = q2o_quote_evolve(f->q, &ev);
    cr_assert_eq(e, Q2O_OK, "handcrafted %s: %s", q2o_event_type_name(ev.type), q2o_err_name(e));
    log_event(f, &ev);
}

struct criterion_test_params fx_row_indices(size_t n)
{
    static size_t rows[FX_MAX_ROWS];
    cr_assert_leq(n, (size_t)FX_MAX_ROWS);
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    return cr_make_param_array(size_t, rows, n);
}

q2o_err fx_tell(fx *f, const fx_story *s)
{
    if (s->given != Q2O_ST_NONE && s->header)
        fx_to_status_with(f, s->given, s->header);
    else if (s->given != Q2O_ST_NONE)
        fx_to_status(f, s->given);
    if (s->arrange)
        s->arrange(f);
    f->now += s->later_ms;
    q2o_command c = fx_command_for(f, s->when, s->actor);
    if (s->tweak)
        s->tweak(f, &c);
    return fx_send(f, &c);
}
