/*
 * core/log.h — structured logging as JSON lines on stderr.
 *
 * q2o_log(level, msg, "key", "value", ..., NULL) writes one line:
 *   {"ts":"...","level":"info","msg":"...","key":"value"}
 * Values are strings; they are JSON-escaped. The level threshold comes from
 * q2o_log_set_level (default info; env Q2O_LOG_LEVEL read by the runtime).
 * Thread safety: each call writes its line with one fwrite, under a lock.
 */
#ifndef Q2O_CORE_LOG_H
#define Q2O_CORE_LOG_H

#include <stdio.h>

typedef enum q2o_log_level { Q2O_LOG_DEBUG, Q2O_LOG_INFO, Q2O_LOG_WARN, Q2O_LOG_ERROR } q2o_log_level;

void q2o_log_set_level(q2o_log_level level);
int q2o_log_level_parse(const char *name, q2o_log_level *out);
/* Key/value pairs of const char *, terminated by NULL. */
void q2o_log(q2o_log_level level, const char *msg, ...);

/* Append s to out as a JSON string body (without quotes), escaping as JSON
 * requires. Returns the number of bytes written (truncates at size-1). */
size_t q2o_json_escape(const char *s, char *out, size_t size);
/* Same, streaming to a FILE. */
void q2o_json_fputs(const char *s, FILE *f);

#endif
