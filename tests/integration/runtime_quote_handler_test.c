/*
 * The quote handler against a real LMDB store and the real codec: what the
 * quote worker does per command, minus Kafka.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quote_fixture.h"
#include "runtime/quote_handler.h"
#include "testutil.h"

static fx f;
static q2o_store *store;
static q2o_codec *codec;
static q2o_quote_cache *cache; /* NULL: handle() loads every quote */
static char dir[256];

static void setup(void)
{
    fx_init(&f);
    q2o_test_tmpdir("runtime", dir, sizeof dir);
    q2o_store_options o = q2o_store_options_default();
    o.dir = dir;
    cr_assert_eq(q2o_store_open(&o, &store), Q2O_OK);
    cr_assert_eq(q2o_codec_open_builtin(&codec), Q2O_OK);
}

static void teardown(void)
{
    q2o_quote_cache_free(cache);
    cache = NULL;
    q2o_codec_close(codec);
    q2o_store_close(store);
    q2o_test_rmtree(dir);
    fx_release(&f);
}

TestSuite(runtime_handler, .init = setup, .fini = teardown);

typedef struct call {
    const q2o_command *cmd;
    q2o_handled *out;
    int abort;                       /* handle, then abort the transaction */
} call;

static q2o_err run(q2o_store_txn *txn, void *ctx)
{
    call *c = ctx;
    q2o_err e = q2o_quote_handle_cached(cache, txn, codec, &f.env, c->cmd, f.now, c->out);
    return e == Q2O_OK && c->abort ? Q2O_INTERNAL : e;
}

/* Handle one command in its own transaction; returns the result's code. */
static q2o_err handle(const q2o_command *cmd, q2o_handled *out)
{
    call c = {cmd, out, 0};
    cr_assert_eq(q2o_store_update(store, run, &c), Q2O_OK);
    return out->result.code;
}

/* Drive the fixture in memory and mirror every command through the
 * handler: both paths must give the same answer. */
static q2o_err both(const q2o_command *cmd)
{
    q2o_handled h;
    memset(&h, 0, sizeof h);
    q2o_err mem = fx_send(&f, cmd);
    q2o_err stored = handle(cmd, &h);
    cr_assert_eq(stored, mem, "%s: store path %s, memory path %s", q2o_command_type_name(cmd->type),
                 q2o_err_name(stored), q2o_err_name(mem));
    q2o_handled_release(&h);
    return mem;
}

static void load(q2o_quote *q)
{
    q2o_store_txn *txn;
    char detail[256];
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    cr_assert_eq(q2o_quote_load(txn, codec, "Q-1000", q, detail, sizeof detail), Q2O_OK, "%s", detail);
    q2o_store_abort(txn);
}

static void create_via_both(void)
{
    fx_create(&f); /* in memory */
    q2o_command c = fx_cmd(&f, Q2O_CMD_CREATE_QUOTE, &FX_REP);
    /* The same creation through the store (its command id is a new one). */
    c.u.create = f.log[0].u.created.header;
    c.terms = f.log[0].u.created.terms;
    q2o_handled h;
    memset(&h, 0, sizeof h);
    cr_assert_eq(handle(&c, &h), Q2O_OK);
    q2o_handled_release(&h);
}

Test(runtime_handler, stored_path_equals_the_in_memory_domain)
{
    create_via_both();
    for (int i = 0; i < 5; i++) {
        q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_LINE, &FX_REP);
        snprintf(c.u.line.line_id, sizeof c.u.line.line_id, "L%d", i);
        strcpy(c.u.line.offering_id, "SAAS-ENT-USER");
        c.u.line.quantity = 10 + i;
        c.u.line.override_unit_price = -1;
        both(&c);
    }
    q2o_command p = fx_cmd(&f, Q2O_CMD_PRICE_QUOTE, &FX_REP);
    cr_assert_eq(both(&p), Q2O_OK);
    q2o_quote *q = q2o_quote_new();
    load(q);
    cr_assert_eq(q->version, f.q->version);
    cr_assert_eq(q->n_lines, 5);
    cr_assert_eq(q2o_quote_current(q)->grand_total, q2o_quote_current(f.q)->grand_total);
    q2o_quote_free(q);
}

Test(runtime_handler, a_redelivered_command_gets_the_recorded_result_and_no_events)
{
    create_via_both();
    q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
    strcpy(c.u.note, "called");
    q2o_handled a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cr_assert_eq(handle(&c, &a), Q2O_OK);
    cr_assert_eq(a.n_events, 1);
    cr_assert_eq(handle(&c, &b), Q2O_OK);
    cr_assert(b.duplicate);
    cr_assert_eq(b.n_events, 0);
    cr_assert_eq(b.result.version, a.result.version);
    cr_assert_eq(b.result_len, a.result_len);
    cr_assert_eq(memcmp(b.result_bytes, a.result_bytes, a.result_len), 0, "the same result bytes");
    q2o_handled_release(&a);
    q2o_handled_release(&b);
}

Test(runtime_handler, refusals_are_results_not_failures)
{
    create_via_both();
    q2o_command c = fx_cmd(&f, Q2O_CMD_PRICE_QUOTE, &FX_REP); /* no lines */
    q2o_handled h;
    memset(&h, 0, sizeof h);
    cr_assert_eq(handle(&c, &h), Q2O_VALIDATION_NO_LINES);
    cr_assert_eq(h.result.status, Q2O_RESULT_REJECTED);
    cr_assert_str_eq(h.result.remediation, q2o_err_remediation(Q2O_VALIDATION_NO_LINES));
    cr_assert_eq(h.n_events, 1, "the refusal is recorded as QuoteValidationFailed");
    q2o_handled_release(&h);
}

Test(runtime_handler, snapshot_plus_later_events_equals_full_replay)
{
    create_via_both();
    for (int i = 0; i < 150; i++) { /* crosses two snapshot marks */
        q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
        snprintf(c.u.note, sizeof c.u.note, "note %d", i);
        both(&c);
    }
    q2o_store_txn *txn;
    uint64_t snap_version;
    const void *data;
    size_t len;
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_snapshot_get(txn, "Q-1000", &snap_version, &data, &len), Q2O_OK);
    cr_assert_eq(snap_version, 128);
    q2o_quote *fast = q2o_quote_new(), *full = q2o_quote_new();
    char detail[256];
    cr_assert_eq(q2o_quote_load(txn, codec, "Q-1000", fast, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q2o_quote_load_as_of(txn, codec, "Q-1000", 0, 0, full, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(fast->version, 151);
    cr_assert_eq(memcmp(fast->head_hash, full->head_hash, 32), 0);
    cr_assert_eq(fast->n_revisions, full->n_revisions);
    cr_assert_eq(memcmp(fast->revisions, full->revisions, (size_t)full->n_revisions * sizeof *full->revisions), 0);
    q2o_verify_report v;
    cr_assert_eq(q2o_quote_verify(txn, codec, "Q-1000", &v, detail, sizeof detail), Q2O_OK);
    cr_assert(v.chain_ok && v.head_ok && v.snapshot_ok);
    q2o_store_abort(txn);
    q2o_quote_free(fast);
    q2o_quote_free(full);
}

typedef struct seen {
    int n;
    char id[Q2O_ID_MAX];
    q2o_time_ms at;
} seen;

static q2o_err on_expiry(void *ctx, q2o_time_ms at, const char *id)
{
    seen *s = ctx;
    s->n++;
    strcpy(s->id, id);
    s->at = at;
    return Q2O_OK;
}

Test(runtime_handler, the_expiry_index_follows_the_quote)
{
    create_via_both();
    seen s = {0, "", 0};
    q2o_store_txn *txn;
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_expiry_scan(txn, INT64_MAX, on_expiry, &s, 10), Q2O_OK);
    q2o_store_abort(txn);
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.id, "Q-1000");
    cr_assert_eq(s.at, FX_T0 + 30 * FX_DAY, "a draft expires with its proposal validity");
    f.now = s.at + 1;
    q2o_command c = fx_cmd(&f, Q2O_CMD_EXPIRE_QUOTE, &FX_SWEEPER);
    cr_assert_eq(both(&c), Q2O_OK);
    memset(&s, 0, sizeof s);
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    cr_assert_eq(q2o_store_expiry_scan(txn, INT64_MAX, on_expiry, &s, 10), Q2O_OK);
    q2o_store_abort(txn);
    cr_assert_eq(s.n, 0, "an expired quote leaves the index");
}

static q2o_err flip_event(q2o_store_txn *txn, void *ctx)
{
    (void)ctx;
    /* The store API is append-only, so forge a continuation whose
     * prev_hash is not the head's (what a writer bypassing decide could do). */
    q2o_event e;
    memset(&e, 0, sizeof e);
    e.type = Q2O_EV_NOTE_ADDED;
    strcpy(e.quote_id, "Q-1000");
    e.version = 3;
    e.revision = 1;
    strcpy(e.actor_id, "mallory");
    strcpy(e.u.note, "forged");
    memset(e.prev_hash, 0x42, 32);
    uint8_t *buf;
    size_t len;
    uint8_t head[32] = {0};
    cr_assert_eq(q2o_codec_encode_event(codec, &e, &buf, &len), Q2O_OK);
    q2o_store_record r = {buf, len};
    q2o_err err = q2o_store_append(txn, "Q-1000", 2, &r, 1, head);
    free(buf);
    return err;
}

Test(runtime_handler, verify_finds_a_forged_event)
{
    create_via_both();
    q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
    strcpy(c.u.note, "genuine");
    both(&c);
    cr_assert_eq(q2o_store_update(store, flip_event, NULL), Q2O_OK);
    q2o_store_txn *txn;
    q2o_verify_report v;
    char detail[256];
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    cr_assert_eq(q2o_quote_verify(txn, codec, "Q-1000", &v, detail, sizeof detail), Q2O_OK);
    q2o_store_abort(txn);
    cr_assert_not(v.chain_ok);
    cr_assert_eq(v.first_bad_version, 3);
    cr_assert_eq(v.events, 2, "the chain holds up to the forged event");
}

Test(runtime_handler, time_travel_by_time_and_by_version)
{
    create_via_both();
    for (int i = 0; i < 4; i++) {
        f.now += 3600000;
        q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
        strcpy(c.u.note, "hourly");
        both(&c);
    }
    q2o_store_txn *txn;
    char detail[256];
    q2o_quote *q = q2o_quote_new();
    cr_assert_eq(q2o_store_begin_read(store, &txn), Q2O_OK);
    cr_assert_eq(q2o_quote_load_as_of(txn, codec, "Q-1000", 3, 0, q, detail, sizeof detail), Q2O_OK);
    cr_assert_eq(q->version, 3);
    cr_assert_eq(q2o_quote_load_as_of(txn, codec, "Q-1000", 0, FX_T0 + 2 * 3600000 + 1, q, detail, sizeof detail),
                 Q2O_OK);
    cr_assert_eq(q->version, 3, "created at T0, notes at +1h and +2h");
    q2o_store_abort(txn);
    q2o_quote_free(q);
}

/* ---- the cache of loaded quotes --------------------------------------- */

static void add_lines_and_price(int n)
{
    for (int i = 0; i < n; i++) {
        q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_LINE, &FX_REP);
        snprintf(c.u.line.line_id, sizeof c.u.line.line_id, "L%d", i);
        strcpy(c.u.line.offering_id, "SAAS-ENT-USER");
        c.u.line.quantity = 10 + i;
        c.u.line.override_unit_price = -1;
        both(&c);
    }
    q2o_command p = fx_cmd(&f, Q2O_CMD_PRICE_QUOTE, &FX_REP);
    cr_assert_eq(both(&p), Q2O_OK);
}

static void assert_stored_equals_memory(void)
{
    q2o_quote *q = q2o_quote_new();
    load(q);
    /* the hashes differ: the store path's creation has its own command id */
    const q2o_revision *r = q2o_quote_current(q), *m = q2o_quote_current(f.q);
    cr_assert_eq(q->version, f.q->version);
    cr_assert_eq(q->n_lines, f.q->n_lines);
    cr_assert_eq(r->status, m->status);
    cr_assert_eq(r->grand_total, m->grand_total);
    cr_assert_eq(memcmp(r->approval_fp, m->approval_fp, 32), 0);
    q2o_quote_free(q);
}

Test(runtime_handler, a_cached_quote_is_used_and_answers_like_a_loaded_one)
{
    cache = q2o_quote_cache_new(16, Q2O_QUOTE_CACHE_BYTES);
    cr_assert_not_null(cache);
    create_via_both();
    add_lines_and_price(5);
    for (int i = 0; i < 150; i++) { /* across snapshot marks */
        q2o_command c = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
        snprintf(c.u.note, sizeof c.u.note, "note %d", i);
        both(&c);
    }
    q2o_command s = fx_cmd(&f, Q2O_CMD_SUBMIT_FOR_APPROVAL, &FX_REP);
    both(&s);
    assert_stored_equals_memory();
    q2o_quote_cache_stats st = q2o_quote_cache_stats_get(cache);
    cr_assert_eq(st.misses, 1, "only the first command loads the quote (%llu misses)",
                 (unsigned long long)st.misses);
    cr_assert_geq(st.hits, 150);
    cr_assert_gt(st.bytes, 0);
}

Test(runtime_handler, an_aborted_transaction_does_not_leave_the_cache_ahead_of_the_store)
{
    cache = q2o_quote_cache_new(16, Q2O_QUOTE_CACHE_BYTES);
    create_via_both();
    /* Handled through the cache, then the transaction is aborted: the
     * cached state went one version ahead of the store. */
    q2o_command lost = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
    strcpy(lost.u.note, "never stored");
    q2o_handled h;
    memset(&h, 0, sizeof h);
    call c = {&lost, &h, 1};
    cr_assert_eq(q2o_store_update(store, run, &c), Q2O_INTERNAL);
    q2o_handled_release(&h);
    uint64_t misses = q2o_quote_cache_stats_get(cache).misses;
    add_lines_and_price(2); /* the memory path never saw the lost note */
    assert_stored_equals_memory();
    cr_assert_eq(q2o_quote_cache_stats_get(cache).misses, misses + 1, "reloaded once, then cached");
}

Test(runtime_handler, a_store_moved_without_the_cache_is_loaded_again)
{
    cache = q2o_quote_cache_new(16, Q2O_QUOTE_CACHE_BYTES);
    create_via_both();
    q2o_quote_cache *mine = cache;
    cache = NULL; /* another writer (restore, another process): the cache misses it */
    add_lines_and_price(1);
    cache = mine;
    q2o_command n = fx_cmd(&f, Q2O_CMD_ADD_NOTE, &FX_REP);
    strcpy(n.u.note, "after");
    both(&n);
    assert_stored_equals_memory();
    cr_assert_eq(q2o_quote_cache_stats_get(cache).misses, 2);
}

Test(runtime_handler, the_cache_keeps_within_its_bounds_and_still_answers)
{
    /* two quotes' room and a byte budget below one state: every command
     * still gets the answer of the in-memory domain */
    cache = q2o_quote_cache_new(2, 1);
    create_via_both();
    add_lines_and_price(3);
    assert_stored_equals_memory();
    q2o_quote_cache_stats st = q2o_quote_cache_stats_get(cache);
    cr_assert_eq(st.hits, 0);
    cr_assert_gt(st.evictions, 0);
    cr_assert_eq(st.bytes, 0);
    q2o_quote_cache_free(cache);
    /* more quotes than entries: the least recently used one goes */
    cache = q2o_quote_cache_new(2, Q2O_QUOTE_CACHE_BYTES);
    for (int k = 0; k < 3; k++) {
        q2o_command c = fx_cmd(&f, Q2O_CMD_CREATE_QUOTE, &FX_REP);
        c.u.create = f.log[0].u.created.header;
        c.terms = f.log[0].u.created.terms;
        snprintf(c.quote_id, sizeof c.quote_id, "Q-%d", 2000 + k);
        snprintf(c.command_id, sizeof c.command_id, "create-Q-%d", 2000 + k);
        q2o_handled h;
        memset(&h, 0, sizeof h);
        cr_assert_eq(handle(&c, &h), Q2O_OK);
        cr_assert_eq(h.result.version, 1);
        q2o_handled_release(&h);
    }
    cr_assert_eq(q2o_quote_cache_stats_get(cache).evictions, 1);
}
