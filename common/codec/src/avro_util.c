/* avro_util.c — error detail helpers shared by the codec's Avro sources. */
#include "avro_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

q2o_err q2o_codec_fail(q2o_err err, char *detail, size_t detail_size, const char *fmt, ...)
{
    if (detail && detail_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, detail_size, fmt, ap);
        va_end(ap);
    }
    return err;
}

q2o_err q2o_codec_fail_avro(q2o_err err, char *detail, size_t detail_size, const char *what)
{
    /* Copy first: any other avro-c call would overwrite the shared buffer. */
    char avro_msg[256];
    snprintf(avro_msg, sizeof avro_msg, "%s", avro_strerror());
    return q2o_codec_fail(err, detail, detail_size, "%s: %s", what, avro_msg);
}

static int is_alpha_(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int q2o_avro_is_ident(const char *s)
{
    if (!s || !is_alpha_(s[0]))
        return 0;
    for (s++; *s; s++)
        if (!is_alpha_(*s) && !(*s >= '0' && *s <= '9'))
            return 0;
    return 1;
}

int q2o_avro_value_is_of(avro_value_t *value, avro_schema_t schema)
{
    if (!value || !value->iface)
        return 0;
    avro_schema_t have = avro_value_get_schema(value);
    return have == schema || avro_schema_equal(have, schema);
}
