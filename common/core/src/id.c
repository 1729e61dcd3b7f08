#include "core/id.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "core/check.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

q2o_err q2o_id_format(const char *prefix, q2o_time_ms now, const unsigned char random[10], char *out, size_t size)
{
    size_t plen = prefix ? strlen(prefix) : 0;
    size_t need = plen + (plen ? 1 : 0) + Q2O_ID_BODY_LEN + 1;
    if (need > size || now < 0)
        return Q2O_INVALID_ARGUMENT;
    char *p = out;
    if (plen) {
        memcpy(p, prefix, plen);
        p += plen;
        *p++ = '-';
    }
    unsigned long long t = (unsigned long long)now;
    for (int i = 9; i >= 0; i--, t >>= 5)
        p[i] = crockford[t & 31];
    p += 10;
    unsigned acc = 0, bits = 0, k = 0;
    for (int i = 0; i < 10; i++) { /* 80 bits -> 16 characters */
        acc = acc << 8 | random[i];
        bits += 8;
        while (bits >= 5) {
            p[k++] = crockford[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    p[k] = '\0';
    return Q2O_OK;
}

q2o_err q2o_id_new(const char *prefix, q2o_time_ms now, char *out, size_t size)
{
    unsigned char r[10];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        Q2O_CHECK(n > 0); /* getrandom only fails before the pool is seeded or on EINTR */
        got += (size_t)n;
    }
    return q2o_id_format(prefix, now, r, out, size);
}
