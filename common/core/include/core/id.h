/*
 * core/id.h — unique identifiers for commands, correlations and events.
 *
 * q2o_id_new writes PREFIX-TTTTTTTTTTRRRRRRRRRRRRRRRR: 10 characters of the
 * millisecond time and 16 of randomness in Crockford base32 (no I, L, O, U),
 * so ids sort by creation time (like a ULID) and two processes never
 * collide in practice (80 random bits per millisecond).
 *
 * Randomness comes from getrandom(2); the domain never calls this (it takes
 * ids as input), only clients and the runtime do. Thread-safe.
 */
#ifndef Q2O_CORE_ID_H
#define Q2O_CORE_ID_H

#include <stddef.h>

#include "core/error.h"
#include "core/timeutil.h"

#define Q2O_ID_BODY_LEN 26

/* Writes prefix + "-" + 26 characters; Q2O_INVALID_ARGUMENT if it does not
 * fit in size (prefix may be NULL or "": no dash then). */
q2o_err q2o_id_new(const char *prefix, q2o_time_ms now, char *out, size_t size);

/* The same with caller-given randomness (10 bytes), for tests. */
q2o_err q2o_id_format(const char *prefix, q2o_time_ms now, const unsigned char random[10], char *out, size_t size);

#endif
