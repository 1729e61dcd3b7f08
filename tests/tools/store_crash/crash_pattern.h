/*
 * crash_pattern.h — the deterministic data the crash child writes and the
 * crash test verifies, shared so both sides agree byte for byte.
 *
 * Batch b (1-based) appends CRASH_EVENTS_PER_BATCH events to each of the
 * CRASH_STREAMS streams "crash-s<i>", records command "crash-cmd-<b>" with
 * result "batch-<b>", and sets the offset of (CRASH_TOPIC, 0) to b — all in
 * one transaction. So after N committed batches: every stream's head is
 * N * CRASH_EVENTS_PER_BATCH, the offset is N, commands 1..N exist.
 * The killed transaction additionally writes stream CRASH_BIG_STREAM, which
 * must never be visible.
 */
#ifndef Q2O_CRASH_PATTERN_H
#define Q2O_CRASH_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/sha256.h"

#define CRASH_STREAMS 4
#define CRASH_EVENTS_PER_BATCH 3
#define CRASH_TOPIC "q2o.crash"
#define CRASH_BIG_STREAM "crash-big"
#define CRASH_BIG_RECORD_BYTES (32u * 1024u)
#define CRASH_MAX_EVENT_BYTES 1100u

static inline void crash_stream_id(int s, char *out, size_t size)
{
    snprintf(out, size, "crash-s%d", s);
}

static inline size_t crash_event_len(uint64_t version)
{
    return 16u + (size_t)(version * 37u % 1000u);
}

static inline void crash_event_fill(int s, uint64_t version, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)((unsigned)s * 31u + (unsigned)version * 7u + (unsigned)i);
}

static inline void crash_head_hash(int s, uint64_t version, uint8_t out[Q2O_SHA256_LEN])
{
    char text[64];
    int n = snprintf(text, sizeof text, "crash-s%d@%llu", s, (unsigned long long)version);
    q2o_sha256_digest(text, (size_t)n, out);
}

#endif
