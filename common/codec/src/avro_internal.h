/*
 * avro_internal.h — helpers shared by the codec's Avro sources. Private to
 * common/codec/src.
 */
#ifndef Q2O_CODEC_AVRO_INTERNAL_H
#define Q2O_CODEC_AVRO_INTERNAL_H

#include <avro.h>
#include <stddef.h>

#include "core/error.h"

#if defined(__GNUC__)
#define Q2O_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define Q2O_PRINTF(f, a)
#endif

/* snprintf into detail[detail_size] when there is room; returns err so that
 * callers can write `return q2o_detail(err, ...)`. */
q2o_err q2o_codec_fail(q2o_err err, char *detail, size_t detail_size, const char *fmt, ...)
    Q2O_PRINTF(4, 5);

/* Same, appending ": <avro_strerror()>" (copied at once: it is one shared
 * buffer in this avro-c build). */
q2o_err q2o_codec_fail_avro(q2o_err err, char *detail, size_t detail_size, const char *what);

/* Whether s is an Avro identifier: [A-Za-z_][A-Za-z0-9_]*. */
int q2o_avro_is_ident(const char *s);

/* Whether a value's schema is schema (same object or equal). */
int q2o_avro_value_is_of(avro_value_t *value, avro_schema_t schema);

#endif
