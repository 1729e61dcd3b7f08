/*
 * Model test: a seeded stream of random commands over many quotes.
 *
 * Commands are biased towards each quote's natural next step (so quotes
 * travel the whole lifecycle) but a good share are random, mistimed, sent
 * by the wrong actor or carry wrong hashes. After every event the fixture
 * asserts evolve() succeeded, i.e. every invariant of SPEC §3 holds. On top
 * the test checks properties across commands (an accepted revision never
 * changes, an order id never changes, refusals emit only recorded-as-data
 * events) and finally replays each quote's log into a fresh state that must
 * equal the live one byte for byte, with the same head hash.
 *
 * Q2O_MODEL_SEED overrides the seed; Q2O_MODEL_COMMANDS the count.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_fixture.h"

#define N_QUOTES 400

typedef struct sim_quote {
    fx f;
    int created;
    int32_t accepted_revision;
    char order_id[Q2O_ID_MAX];
} sim_quote;

static uint64_t rng_state;

static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int chance(int percent) { return (int)(rnd() % 100) < percent; }
static int64_t pick(int64_t n) { return (int64_t)(rnd() % (uint64_t)n); }

static const q2o_actor *any_actor(void)
{
    static const q2o_actor *const all[] = {&FX_REP, &FX_MANAGER, &FX_DESK, &FX_FINANCE, &FX_LEGAL,
                                           &FX_DOCS, &FX_CUSTOMER, &FX_PARTNER, &FX_OPS, &FX_SWEEPER};
    return all[pick(sizeof all / sizeof all[0])];
}

static void random_line(fx *f, q2o_command *c, const q2o_line *base)
{
    static const char *const offerings[] = {"SAAS-ENT-USER", "SUPPORT-PREMIUM", "IMPL-SERVICE", "LEGACY-ADDON",
                                            "NO-SUCH-SKU"};
    q2o_line *l = &c->u.line;
    if (base) {
        *l = *base;
    } else {
        snprintf(l->line_id, sizeof l->line_id, "L%d", f->seq);
        Q2O_STRCPY(l->offering_id, offerings[chance(85) ? pick(3) : 3 + pick(2)]);
        l->override_unit_price = -1;
        if (strcmp(l->offering_id, "SUPPORT-PREMIUM") == 0 && chance(90)) {
            l->n_options = 1;
            Q2O_STRCPY(l->options[0].name, "support_level");
            Q2O_STRCPY(l->options[0].value, "24x7");
        }
    }
    l->quantity = chance(95) ? 1 + pick(800) : -pick(3);
    l->discount_bp = (int32_t)(chance(60) ? 0 : pick(chance(95) ? 2500 : 12000));
    Q2O_STRCPY(l->promo_code, chance(20) ? "JULY2026" : "");
    if (chance(5)) {
        l->override_unit_price = pick(6000);
        Q2O_STRCPY(l->override_reason, chance(90) ? "KEEP_QUOTED_PRICE" : "");
    }
}

static const q2o_line *some_line(fx *f)
{
    return f->q->n_lines ? &f->q->lines[pick(f->q->n_lines)] : NULL;
}

/* The command a cooperative user would send next in this status. */
static q2o_command_type natural_next(const q2o_quote *q)
{
    const q2o_revision *r = q2o_quote_current(q);
    switch (r->status) {
    case Q2O_ST_DRAFT: return q->n_lines < 2 || chance(30) ? Q2O_CMD_ADD_LINE : Q2O_CMD_PRICE_QUOTE;
    case Q2O_ST_PRICED:
    case Q2O_ST_REQUIRES_APPROVAL: return Q2O_CMD_SUBMIT_FOR_APPROVAL;
    case Q2O_ST_IN_REVIEW: return Q2O_CMD_APPROVE_STEP;
    case Q2O_ST_APPROVED: return r->document_status == Q2O_OP_DONE ? Q2O_CMD_PRESENT_QUOTE : Q2O_CMD_ATTACH_DOCUMENT;
    case Q2O_ST_PRESENTED: return Q2O_CMD_ACCEPT_QUOTE;
    case Q2O_ST_ACCEPTED: return Q2O_CMD_CONVERT_TO_ORDER;
    case Q2O_ST_REJECTED:
    case Q2O_ST_EXPIRED: return Q2O_CMD_CREATE_REVISION;
    default: return (q2o_command_type)(1 + pick(Q2O_CMD__COUNT - 1));
    }
}

static const q2o_actor *natural_actor(q2o_command_type t, const q2o_revision *r)
{
    switch (t) {
    case Q2O_CMD_APPROVE_STEP:
        for (uint32_t i = 0; i < r->n_steps; i++)
            if (!r->steps[i].approved_by[0])
                return r->steps[i].role == Q2O_ROLE_FINANCE ? &FX_FINANCE
                       : r->steps[i].role == Q2O_ROLE_LEGAL ? &FX_LEGAL
                       : r->steps[i].role == Q2O_ROLE_SALES_MANAGER ? &FX_MANAGER : &FX_DESK;
        return &FX_DESK;
    case Q2O_CMD_ATTACH_DOCUMENT: return &FX_DOCS;
    case Q2O_CMD_ACCEPT_QUOTE: return &FX_CUSTOMER;
    case Q2O_CMD_CONVERT_TO_ORDER: return &FX_OPS;
    case Q2O_CMD_EXPIRE_QUOTE: return &FX_SWEEPER;
    default: return &FX_REP;
    }
}

static void fill_governance(fx *f, q2o_command *c, const q2o_revision *r)
{
    int honest = chance(90);
    switch (c->type) {
    case Q2O_CMD_APPROVE_STEP:
    case Q2O_CMD_REJECT_APPROVAL:
        memcpy(c->u.approve.expected_fp, r->approval_fp, 32);
        c->u.approve.expected_fp[0] ^= (uint8_t)!honest;
        Q2O_STRCPY(c->u.approve.comment, "looks fine");
        break;
    case Q2O_CMD_ATTACH_DOCUMENT:
        fx_document_hash(r, c->u.attach.document_hash);
        snprintf(c->u.attach.document_id, sizeof c->u.attach.document_id, "DOC-%d", f->seq);
        memcpy(c->u.attach.snapshot_fp, r->approval_fp, 32);
        c->u.attach.snapshot_fp[1] ^= (uint8_t)!honest;
        break;
    case Q2O_CMD_PRESENT_QUOTE:
        Q2O_STRCPY(c->u.present.document_id, r->document_id);
        memcpy(c->u.present.document_hash, r->document_hash, 32);
        Q2O_STRCPY(c->u.present.recipient, honest ? FX_CUSTOMER.id : FX_STRANGER.id);
        break;
    case Q2O_CMD_ACCEPT_QUOTE:
        c->u.accept.method = (q2o_accept_method)pick(Q2O_AM__COUNT);
        Q2O_STRCPY(c->u.accept.acceptor_id, c->actor.id);
        Q2O_STRCPY(c->u.accept.document_id, r->document_id);
        memcpy(c->u.accept.document_hash, r->presented_hash, 32);
        c->u.accept.document_hash[2] ^= (uint8_t)!honest;
        c->revision = chance(5) ? (int32_t)pick(f->q->n_revisions + 2) : 0;
        break;
    case Q2O_CMD_CONVERT_TO_ORDER:
        Q2O_STRCPY(c->u.convert.idempotency_key, chance(70) ? "key-a" : chance(50) ? "key-b" : "");
        c->u.convert.expected_status = chance(90) ? Q2O_ST_ACCEPTED : Q2O_ST_NONE;
        break;
    default: break;
    }
}

static void fill(fx *f, q2o_command *c)
{
    const q2o_revision *r = q2o_quote_current(f->q);
    switch (c->type) {
    case Q2O_CMD_ADD_LINE: random_line(f, c, NULL); break;
    case Q2O_CMD_CHANGE_LINE: random_line(f, c, some_line(f)); break;
    case Q2O_CMD_REMOVE_LINE: if (some_line(f)) Q2O_STRCPY(c->u.line_id, some_line(f)->line_id); break;
    case Q2O_CMD_CHANGE_TERMS:
        c->terms = r->terms;
        c->terms.valid_until = f->now + (pick(60) - 5) * FX_DAY;
        c->terms.term_months = (int32_t)(12 + pick(40));
        Q2O_STRCPY(c->terms.payment_terms, chance(70) ? "NET30" : "NET60");
        break;
    case Q2O_CMD_ADD_NOTE: Q2O_STRCPY(c->u.note, "called the customer"); break;
    case Q2O_CMD_REASSIGN_OWNER: Q2O_STRCPY(c->u.owner_id, "rep-2"); break;
    case Q2O_CMD_REJECT_BY_CUSTOMER:
    case Q2O_CMD_CANCEL_QUOTE:
    case Q2O_CMD_CREATE_REVISION:
    case Q2O_CMD_RECALL_APPROVAL: Q2O_STRCPY(c->u.reason.reason_code, "MODEL"); break;
    default: fill_governance(f, c, r); break;
    }
}

static void check_properties(sim_quote *s, const q2o_command *c, q2o_err err)
{
    const q2o_decision *d = &s->f.last;
    if (err != Q2O_OK)
        for (uint32_t i = 0; i < d->n_events; i++)
            cr_assert(d->events[i].type == Q2O_EV_VALIDATION_FAILED || d->events[i].type == Q2O_EV_EXPIRED,
                      "%s refused with %s but emitted %s", q2o_command_type_name(c->type), q2o_err_name(err),
                      q2o_event_type_name(d->events[i].type));
    cr_assert_eq(q2o_err_class_of(err) == Q2O_CLASS_FATAL, 0, "%s gave fatal %s", q2o_command_type_name(c->type),
                 q2o_err_name(err));
    if (s->accepted_revision)
        cr_assert_eq(s->f.q->accepted_revision, s->accepted_revision, "accepted revision changed");
    s->accepted_revision = s->f.q->accepted_revision;
    const q2o_revision *r = q2o_quote_current(s->f.q);
    if (s->order_id[0])
        cr_assert_str_eq(r->conversion.order_id, s->order_id, "order id changed");
    if (r && r->converted)
        Q2O_STRCPY(s->order_id, r->conversion.order_id);
}

static void step(sim_quote *s)
{
    fx *f = &s->f;
    if (!s->created) {
        fx_create(f);
        s->created = 1;
        return;
    }
    const q2o_revision *r = q2o_quote_current(f->q);
    q2o_command_type t = chance(65) ? natural_next(f->q) : (q2o_command_type)(1 + pick(Q2O_CMD__COUNT - 1));
    const q2o_actor *a = chance(90) ? natural_actor(t, r) : any_actor();
    q2o_command c = fx_cmd(f, t, a);
    if (chance(3))
        c.expected_version = (int64_t)f->q->version - pick(2);
    fill(f, &c);
    check_properties(s, &c, fx_send(f, &c));
}

/* Converted or canceled quotes have nothing left to probe after a while. */
static int is_finished(sim_quote *s)
{
    const q2o_revision *r = s->created ? q2o_quote_current(s->f.q) : NULL;
    return r && (r->status == Q2O_ST_CONVERTED || r->status == Q2O_ST_CANCELED) && chance(30);
}

static void compare_replay(sim_quote *s, int idx)
{
    q2o_quote *again = fx_replay(&s->f, 0);
    const q2o_quote *live = s->f.q;
    cr_assert_eq(again->version, live->version, "quote %d", idx);
    cr_assert_eq(memcmp(again->head_hash, live->head_hash, 32), 0, "quote %d head hash", idx);
    cr_assert_eq(memcmp(&again->header, &live->header, sizeof live->header), 0, "quote %d header", idx);
    cr_assert_eq(again->n_revisions, live->n_revisions, "quote %d revisions", idx);
    if (live->n_revisions)
        cr_assert_eq(memcmp(again->revisions, live->revisions, (size_t)live->n_revisions * sizeof *live->revisions),
                     0, "quote %d revisions", idx);
    cr_assert_eq(again->n_lines, live->n_lines);
    if (live->n_lines)
        cr_assert_eq(memcmp(again->lines, live->lines, live->n_lines * sizeof *live->lines), 0, "quote %d lines", idx);
    q2o_quote_free(again);
}

Test(quote_model, random_commands_keep_every_invariant_and_replay_identically, .timeout = 1200)
{
    const char *seed_env = getenv("Q2O_MODEL_SEED"), *n_env = getenv("Q2O_MODEL_COMMANDS");
    uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 0x5EED2026ull;
    long n = n_env ? atol(n_env) : 100000;
    rng_state = seed;
    sim_quote *quotes = calloc(N_QUOTES, sizeof *quotes);
    cr_assert_not_null(quotes);
    q2o_time_ms now = FX_T0;
    long status_seen[Q2O_ST__COUNT] = {0}, refused = 0, events = 0, retired = 0;
    for (int i = 0; i < N_QUOTES; i++)
        fx_init(&quotes[i].f);
    for (long k = 0; k < n; k++) {
        int idx = (int)pick(N_QUOTES);
        sim_quote *s = &quotes[idx];
        now += pick(20 * 60 * 1000); /* up to 20 minutes between commands */
        s->f.now = now;
        step(s);
        if (is_finished(s)) { /* verify, then reuse the slot for a new quote */
            compare_replay(s, idx);
            events += (long)s->f.n_log;
            retired++;
            fx_release(&s->f);
            memset(s, 0, sizeof *s);
            fx_init(&s->f);
            s->f.seq = (int)(k * 10); /* fresh command ids */
            continue;
        }
        refused += s->f.last.err != Q2O_OK;
        if (getenv("Q2O_MODEL_TRACE") && s->f.last.err)
            fprintf(stderr, "%s %s\n", q2o_err_name(s->f.last.err), s->f.last.detail);
        status_seen[q2o_quote_current(s->f.q)->status]++;
    }
    for (int i = 0; i < N_QUOTES; i++) {
        events += (long)quotes[i].f.n_log;
        compare_replay(&quotes[i], i);
        fx_release(&quotes[i].f);
    }
    free(quotes);
    cr_log_info("seed 0x%llx: %ld commands, %ld events, %ld refused, %ld quotes finished",
                (unsigned long long)seed, n, events, refused, retired);
    cr_assert_gt(retired, 100, "too few quotes finished their lifecycle");
    /* The walk must actually exercise the lifecycle, not stall in Draft. */
    cr_assert_gt(status_seen[Q2O_ST_CONVERTED], 0, "no quote converted (seed 0x%llx)", (unsigned long long)seed);
    cr_assert_gt(status_seen[Q2O_ST_EXPIRED] + status_seen[Q2O_ST_SUPERSEDED], 0);
    cr_assert_gt(status_seen[Q2O_ST_IN_REVIEW], 0);
    cr_assert_gt(refused, n / 20, "too few refusals: the model is not probing guards");
    cr_assert_gt(events, n / 3);
}
