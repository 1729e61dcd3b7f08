/*
 * ctl/client.h — q2octl's Kafka side: send a command and wait for its
 * result; read a quote back from the events topic (the system of record).
 *
 * Sending (q2o_ctl_send). The quote worker answers every decodable command
 * with one q2o_result on the results topic, keyed by quote id, carrying the
 * command id, on the partition number the command came from (its events go
 * there too). A quote's partition p is murmur2(quote id) mod Q2O_PARTITIONS
 * (q2o_worker_partition_for_key: what the bus's producers compute for the
 * key, and what the worker's sweeper uses). So:
 *   1. before producing, a reader is positioned on results partition p at
 *      that partition's end offset E (queried first, then assigned at E as
 *      an absolute offset: no "latest" that librdkafka would resolve later);
 *   2. the command is produced keyed by quote id to commands partition p
 *      (explicitly: the answer's partition then does not depend on any
 *      producer's partitioner setting) and flushed (delivered, acks=all);
 *   3. the reader reads forward from E, decodes each result and stops at
 *      the one whose command_id is ours (others are skipped), or at the
 *      deadline.
 * The answer cannot be missed: it is written after the command, hence
 * after E was taken, at an offset >= E on partition p, and the reader
 * examines every offset from E on. A client that keeps its reader for the
 * next command (q2o-demo) stays correct: the reader's position only ever
 * passed messages that existed before that command was produced. A
 * redelivered or re-sent command (same id) gets the recorded result again.
 *
 * Reading a quote (q2o_ctl_view). A reader on events partition p from the
 * beginning to the partition's end offset at the time of the call, keeping
 * the messages keyed by the quote id, decoding and evolving them: the
 * state, the audit timeline, time travel and the hash chain come from the
 * log itself, not from any worker's projection. A view can be refreshed:
 * it then reads on from where it stopped.
 *
 * Errors: KAFKA_* from the bus (infrastructure: exit 3 in q2octl),
 * KAFKA_TIMEOUT when no result came before the deadline (exit 4),
 * CONFIG_INVALID for a bad partition count. Undecodable or inconsistent
 * events are not errors of the view: its report says where the log stops
 * verifying.
 *
 * Threads: a client and its views belong to the thread that opened them.
 */
#ifndef Q2O_CTL_CLIENT_H
#define Q2O_CTL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "codec/quote_codec.h"
#include "domain/quote.h"
#include "runtime/config.h"

typedef struct q2o_ctl_client q2o_ctl_client;

/* Connect: a producer (idempotent, not transactional) and the codec.
 * Nothing is read until a command is sent or a view opened. */
q2o_err q2o_ctl_client_open(const q2o_config *cfg, q2o_ctl_client **out, char *detail, size_t detail_size);
void q2o_ctl_client_close(q2o_ctl_client *c); /* accepts NULL */

const q2o_codec *q2o_ctl_client_codec(const q2o_ctl_client *c);
const q2o_config *q2o_ctl_client_config(const q2o_ctl_client *c);

/* The partition every quote topic uses for this quote id, or -1 with
 * detail when Q2O_PARTITIONS is not positive. */
int32_t q2o_ctl_partition(const q2o_config *cfg, const char *quote_id, char *detail, size_t detail_size);

/* Options of a send. ce_time 0: now. */
typedef struct q2o_ctl_send_opts {
    int timeout_ms;                  /* for the result, from the produce on */
    q2o_time_ms ce_time;             /* CloudEvents time header of the command */
} q2o_ctl_send_opts;

/* Send cmd (its ids must be filled: q2o_ctl_command_fill_ids) and wait for
 * its result. Q2O_OK: *out holds the result (accepted or refused: see
 * out->status / out->code). elapsed_ms (may be NULL): produce to result. */
q2o_err q2o_ctl_send(q2o_ctl_client *c, const q2o_command *cmd, const q2o_ctl_send_opts *opts, q2o_result *out,
                     int64_t *elapsed_ms, char *detail, size_t detail_size);

/* ---- reading a quote from the events topic ---- */

typedef struct q2o_ctl_view q2o_ctl_view;

/* Called for each event of the quote in log order, with the state before
 * it and the event's hash (valid during the call). Returning non-OK stops
 * the replay with that error. */
typedef q2o_err (*q2o_ctl_event_fn)(void *ctx, const q2o_quote *before, const q2o_event *ev, const uint8_t *hash);

typedef struct q2o_ctl_view_opts {
    uint64_t until_version;          /* 0 = no bound: stop applying after this version */
    q2o_time_ms until_time;          /* 0 = no bound: stop applying events after this time */
    q2o_ctl_event_fn on_event;       /* NULL = none */
    void *ctx;
    int progress;                    /* draw a progress bar on stderr when it is a TTY */
    int timeout_ms;                  /* for reaching the end of the partition */
} q2o_ctl_view_opts;

/* What the replay found (verify prints it). The first problem (an
 * undecodable event, a gap, a broken chain, an event that does not apply)
 * is recorded and nothing after it is applied: the state is the last
 * verified one; the partition is still read to its end. */
typedef struct q2o_ctl_view_report {
    uint64_t messages;               /* read from the partition (all keys) */
    uint64_t events;                 /* of this quote, applied */
    uint64_t duplicates;             /* identical re-deliveries of an applied version (skipped) */
    int chain_ok;                    /* every event chained to its predecessor and applied */
    uint64_t first_bad_version;      /* 0 = none */
    int64_t first_bad_offset;        /* -1 = none */
    q2o_err first_bad_err;
    char first_bad_detail[Q2O_TEXT_MAX];
    int64_t end_offset;              /* of the partition when read */
} q2o_ctl_view_report;

q2o_err q2o_ctl_view_open(q2o_ctl_client *c, const char *quote_id, const q2o_ctl_view_opts *opts,
                          q2o_ctl_view **out, char *detail, size_t detail_size);
/* Read on to the partition's current end (first call: from the beginning). */
q2o_err q2o_ctl_view_refresh(q2o_ctl_view *v, char *detail, size_t detail_size);
/* Refresh until the quote reached at least `version` or the deadline. */
q2o_err q2o_ctl_view_wait_version(q2o_ctl_view *v, uint64_t version, int timeout_ms, char *detail,
                                  size_t detail_size);
const q2o_quote *q2o_ctl_view_quote(const q2o_ctl_view *v);
const q2o_ctl_view_report *q2o_ctl_view_report_get(const q2o_ctl_view *v);
void q2o_ctl_view_close(q2o_ctl_view *v); /* accepts NULL */

/* One-shot: open, refresh, copy the state into out (initialised), close. */
q2o_err q2o_ctl_load(q2o_ctl_client *c, const char *quote_id, const q2o_ctl_view_opts *opts, q2o_quote *out,
                     q2o_ctl_view_report *report, char *detail, size_t detail_size);

#endif
