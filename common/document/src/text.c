/* Text helpers of doc_internal.h: UTF-8 decoding, Windows-1252, amounts,
 * dates. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "doc_internal.h"

/* Bounds of the second byte for a lead byte (RFC 3629 table 3-7), which
 * rules out overlong forms, surrogates and code points past U+10FFFF. */
static int utf8_shape(unsigned char lead, int *extra, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF)
        *extra = 1;
    else if (lead >= 0xE0 && lead <= 0xEF)
        *extra = 2;
    else if (lead >= 0xF0 && lead <= 0xF4)
        *extra = 3;
    else
        return -1;
    if (lead == 0xE0)
        *lo = 0xA0;
    else if (lead == 0xED)
        *hi = 0x9F;
    else if (lead == 0xF0)
        *lo = 0x90;
    else if (lead == 0xF4)
        *hi = 0x8F;
    return 0;
}

uint32_t q2o_doc_utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    int extra;
    unsigned char lo, hi;
    if (p[0] < 0x80) {
        *s += p[0] ? 1 : 0;
        return p[0];
    }
    *s += 1; /* a bad sequence consumes its first byte only */
    if (utf8_shape(p[0], &extra, &lo, &hi) != 0 || p[1] < lo || p[1] > hi)
        return Q2O_DOC_BAD_UTF8;
    uint32_t cp = p[0] & (0x3Fu >> extra);
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return Q2O_DOC_BAD_UTF8;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    *s += extra;
    return cp;
}

/* Windows-1252 0x80..0x9F; 0 = undefined in the code page. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

unsigned char q2o_doc_cp1252_of(uint32_t cp)
{
    if (cp == Q2O_DOC_BAD_UTF8)
        return '?';
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return ' ';
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
        return (unsigned char)cp;
    for (unsigned i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return (unsigned char)(0x80 + i);
    return '?';
}

void q2o_doc_to_cp1252(const char *in, char *out, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return;
    if (in) {
        while (*in && n + 1 < size)
            out[n++] = (char)q2o_doc_cp1252_of(q2o_doc_utf8_next(&in));
    }
    out[n] = '\0';
}

void q2o_doc_buf_put_utf8(q2o_doc_buf *b, const char *in)
{
    if (!in)
        return;
    while (*in) {
        const char *start = in;
        uint32_t cp = q2o_doc_utf8_next(&in);
        if (cp == Q2O_DOC_BAD_UTF8)
            q2o_doc_buf_putc(b, '?');
        else if ((cp < 0x20 && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            q2o_doc_buf_putc(b, ' ');
        else
            q2o_doc_buf_put(b, start, (size_t)(in - start));
    }
}

char *q2o_doc_amount(int64_t amount, const q2o_currency *cur, int with_code, char *buf, size_t size)
{
    uint64_t mag = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    uint64_t scale = 1;
    for (int i = 0; i < cur->exponent; i++)
        scale *= 10;
    const char *sign = amount < 0 ? "-" : "";
    const char *sep = with_code ? " " : "";
    const char *code = with_code ? cur->code : "";
    if (cur->exponent == 0)
        snprintf(buf, size, "%s%" PRIu64 "%s%s", sign, mag, sep, code);
    else
        snprintf(buf, size, "%s%" PRIu64 ".%0*" PRIu64 "%s%s", sign, mag / scale, cur->exponent,
                 mag % scale, sep, code);
    return buf;
}

char *q2o_doc_date(q2o_time_ms t, char *buf, size_t size)
{
    if (t == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    int64_t days = t / Q2O_MS_PER_DAY - (t % Q2O_MS_PER_DAY < 0 ? 1 : 0);
    int64_t y;
    unsigned m, d;
    q2o_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04" PRId64 "-%02u-%02u", y, m, d);
    return buf;
}
