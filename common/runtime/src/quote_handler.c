/* One command through the quote aggregate inside one store transaction
 * (the steps are listed in runtime/quote_handler.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "quote_cache_internal.h"
#include "runtime/quote_handler.h"

void q2o_handled_release(q2o_handled *h)
{
    if (!h)
        return;
    for (uint32_t i = 0; i < h->n_events; i++) {
        q2o_event_release(&h->events[i]);
        free(h->event_bytes[i]);
    }
    free(h->result_bytes);
    memset(h, 0, sizeof *h);
}

static void fill_result(const q2o_command *cmd, const q2o_decision *d, const q2o_quote *after, q2o_result *r)
{
    memset(r, 0, sizeof *r);
    Q2O_STRCPY(r->command_id, cmd->command_id);
    Q2O_STRCPY(r->quote_id, cmd->quote_id);
    Q2O_STRCPY(r->correlation_id, cmd->correlation_id);
    r->status = d->err == Q2O_OK ? Q2O_RESULT_ACCEPTED : Q2O_RESULT_REJECTED;
    r->code = d->err;
    q2o_strlcpy(r->message, q2o_err_message(d->err), sizeof r->message);
    q2o_strlcpy(r->remediation, q2o_err_remediation(d->err), sizeof r->remediation);
    Q2O_STRCPY(r->detail, d->detail);
    r->version = after->version;
    r->revision = d->revision;
    Q2O_STRCPY(r->order_id, d->order_id);
    Q2O_STRCPY(r->order_number, d->order_number);
    r->replayed = d->replayed;
    r->n_events = d->n_events;
    for (uint32_t i = 0; i < d->n_events; i++)
        r->event_types[i] = d->events[i].type;
}

static q2o_err replay_recorded(const q2o_codec *codec, const void *data, size_t len, q2o_handled *out)
{
    char detail[256];
    if (q2o_codec_decode_result(codec, data, len, &out->result, detail, sizeof detail) != Q2O_OK)
        return Q2O_STORE_CORRUPT;
    out->duplicate = 1;
    out->result_bytes = malloc(len);
    if (!out->result_bytes)
        return Q2O_NO_MEMORY;
    memcpy(out->result_bytes, data, len);
    out->result_len = len;
    return Q2O_OK;
}

/* Append the decided events: evolve (invariants), encode, store. */
static q2o_err append_events(q2o_store_txn *txn, const q2o_codec *codec, q2o_quote *state,
                             q2o_decision *d, q2o_handled *out)
{
    q2o_store_record recs[Q2O_MAX_EVENTS_PER_DECISION];
    uint64_t expected = state->version;
    q2o_err e;
    for (uint32_t i = 0; i < d->n_events; i++) {
        if ((e = q2o_quote_evolve(state, &d->events[i])) != Q2O_OK)
            return Q2O_INTERNAL; /* decide produced an event that breaks an invariant: a bug */
        out->events[i] = d->events[i]; /* ownership of PRICED lines moves to out */
        out->n_events = i + 1;
        if ((e = q2o_codec_encode_event(codec, &out->events[i], &out->event_bytes[i], &out->event_len[i])))
            return e;
        recs[i].data = out->event_bytes[i];
        recs[i].len = out->event_len[i];
    }
    d->n_events = 0; /* moved */
    if (out->n_events == 0)
        return Q2O_OK;
    return q2o_store_append(txn, state->quote_id, expected, recs, out->n_events, state->head_hash);
}

static q2o_err maintain_indexes(q2o_store_txn *txn, const q2o_codec *codec, const q2o_quote *state,
                                uint64_t before_version, q2o_time_ms before_expiry)
{
    q2o_err e = Q2O_OK;
    q2o_time_ms after_expiry = q2o_quote_next_expiry(state, NULL);
    if (before_expiry != after_expiry) {
        if (before_expiry && (e = q2o_store_expiry_del(txn, before_expiry, state->quote_id)))
            return e;
        if (after_expiry && (e = q2o_store_expiry_put(txn, after_expiry, state->quote_id)))
            return e;
    }
    if (q2o_store_should_snapshot(before_version, state->version)) {
        uint8_t *buf = NULL;
        size_t len = 0;
        if ((e = q2o_codec_encode_snapshot(codec, state, &buf, &len)) == Q2O_OK)
            e = q2o_store_snapshot_put(txn, state->quote_id, state->version, buf, len);
        free(buf);
    }
    return e;
}

/* Steps 3 to 7 on a loaded state (evolved in place) with a decision scratch. */
static q2o_err decide_and_store(q2o_store_txn *txn, const q2o_codec *codec, const q2o_quote_env *env,
                                const q2o_command *cmd, q2o_time_ms now, q2o_quote *state, q2o_decision *d,
                                q2o_handled *out)
{
    uint64_t before_version = state->version;
    q2o_time_ms before_expiry = q2o_quote_next_expiry(state, NULL);
    q2o_err e;
    q2o_quote_decide(env, state, cmd, now, d);
    if ((e = append_events(txn, codec, state, d, out)) != Q2O_OK)
        goto out_release;
    if ((e = maintain_indexes(txn, codec, state, before_version, before_expiry)) != Q2O_OK)
        goto out_release;
    fill_result(cmd, d, state, &out->result);
    for (uint32_t i = 0; i < out->n_events; i++)
        out->result.event_types[i] = out->events[i].type;
    out->result.n_events = out->n_events;
    if ((e = q2o_codec_encode_result(codec, &out->result, &out->result_bytes, &out->result_len)) == Q2O_OK)
        e = q2o_store_command_put(txn, cmd->command_id, out->result_bytes, out->result_len);
out_release:
    q2o_decision_release(d);
    return e;
}

/* Without a cache: a fresh state and decision for this command only. */
static q2o_err handle_uncached(q2o_store_txn *txn, const q2o_codec *codec, const q2o_quote_env *env,
                               const q2o_command *cmd, q2o_time_ms now, q2o_handled *out)
{
    char detail[Q2O_TEXT_MAX];
    q2o_quote *state = q2o_quote_new();
    q2o_decision *d = malloc(sizeof *d);
    q2o_err e = Q2O_NO_MEMORY;
    if (d && (e = q2o_quote_load(txn, codec, cmd->quote_id, state, detail, sizeof detail)) == Q2O_OK)
        e = decide_and_store(txn, codec, env, cmd, now, state, d, out);
    free(d);
    q2o_quote_free(state);
    return e;
}

static q2o_err handle_cached(q2o_quote_cache *cache, q2o_store_txn *txn, const q2o_codec *codec,
                             const q2o_quote_env *env, const q2o_command *cmd, q2o_time_ms now, q2o_handled *out)
{
    char detail[Q2O_TEXT_MAX];
    q2o_quote *state = NULL;
    q2o_err e = quote_cache_load(cache, txn, codec, cmd->quote_id, &state, detail, sizeof detail);
    if (e != Q2O_OK)
        return e;
    e = decide_and_store(txn, codec, env, cmd, now, state, quote_cache_decision(cache), out);
    quote_cache_settle(cache, e == Q2O_OK);
    return e;
}

q2o_err q2o_quote_handle_cached(q2o_quote_cache *cache, q2o_store_txn *txn, const q2o_codec *codec,
                                const q2o_quote_env *env, const q2o_command *cmd, q2o_time_ms now,
                                q2o_handled *out)
{
    const void *recorded;
    size_t len;
    q2o_handled_release(out);
    q2o_err e = q2o_store_command_get(txn, cmd->command_id, &recorded, &len);
    if (e == Q2O_OK)
        return replay_recorded(codec, recorded, len, out);
    if (e != Q2O_STORE_NOT_FOUND)
        return e;
    e = cache ? handle_cached(cache, txn, codec, env, cmd, now, out)
              : handle_uncached(txn, codec, env, cmd, now, out);
    if (e != Q2O_OK)
        q2o_handled_release(out);
    return e;
}

q2o_err q2o_quote_handle(q2o_store_txn *txn, const q2o_codec *codec, const q2o_quote_env *env,
                         const q2o_command *cmd, q2o_time_ms now, q2o_handled *out)
{
    return q2o_quote_handle_cached(NULL, txn, codec, env, cmd, now, out);
}
