/*
 * core/timeutil.h — time as int64 milliseconds since the Unix epoch, UTC.
 *
 * The domain never reads a clock: `now` is an argument. Only the runtime
 * calls q2o_time_now_ms().
 */
#ifndef Q2O_CORE_TIMEUTIL_H
#define Q2O_CORE_TIMEUTIL_H

#include <stdint.h>

#include "core/error.h"

typedef int64_t q2o_time_ms;

#define Q2O_MS_PER_DAY 86400000LL

/* Wall clock (CLOCK_REALTIME) in ms. */
q2o_time_ms q2o_time_now_ms(void);

/* Monotonic clock in ns, for latency measurement. */
uint64_t q2o_time_mono_ns(void);

/* "2026-07-02T10:00:00.000Z" into buf (>= 25 bytes). Returns buf. */
char *q2o_time_format(q2o_time_ms t, char *buf, unsigned size);

/* Parse RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm|-hh:mm)" or a plain date
 * "YYYY-MM-DD" (midnight UTC). Returns Q2O_OK or Q2O_FIELD_INVALID. */
q2o_err q2o_time_parse(const char *text, q2o_time_ms *out);

/* Days since epoch <-> civil date (proleptic Gregorian). */
int64_t q2o_days_from_civil(int64_t y, unsigned m, unsigned d);
void q2o_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
