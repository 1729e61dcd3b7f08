#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

q2o_time_ms q2o_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (q2o_time_ms)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t q2o_time_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Howard Hinnant's civil-date algorithms (public domain description). */
int64_t q2o_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void q2o_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

char *q2o_time_format(q2o_time_ms t, char *buf, unsigned size)
{
    int64_t days = t >= 0 ? t / Q2O_MS_PER_DAY : -((-t + Q2O_MS_PER_DAY - 1) / Q2O_MS_PER_DAY);
    int64_t rem = t - days * Q2O_MS_PER_DAY;
    int64_t y;
    unsigned m, d;
    q2o_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", (long long)y, m, d,
             (long long)(rem / 3600000), (long long)(rem / 60000 % 60),
             (long long)(rem / 1000 % 60), (long long)(rem % 1000));
    return buf;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

q2o_err q2o_time_parse(const char *s, q2o_time_ms *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0, ms = 0;
    if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d))
        return Q2O_FIELD_INVALID;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return Q2O_FIELD_INVALID;
    const char *p = s + 10;
    int64_t offset_min = 0;
    if (*p == 'T' || *p == ' ') {
        if (strlen(p) < 9 || digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi) ||
            p[6] != ':' || digits(p + 7, 2, &se))
            return Q2O_FIELD_INVALID;
        if (h > 23 || mi > 59 || se > 60)
            return Q2O_FIELD_INVALID;
        p += 9;
        if (*p == '.') {
            p++;
            int n = 0;
            while (p[n] >= '0' && p[n] <= '9')
                n++;
            if (n == 0)
                return Q2O_FIELD_INVALID;
            int frac = 0;
            digits(p, n < 3 ? n : 3, &frac);
            for (int k = n; k < 3; k++)
                frac *= 10;
            ms = frac;
            p += n;
        }
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (strlen(p) < 6 || digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
                return Q2O_FIELD_INVALID;
            offset_min = (int64_t)(oh * 60 + om) * (*p == '-' ? -1 : 1);
            p += 6;
        } else {
            return Q2O_FIELD_INVALID;
        }
    }
    if (*p != '\0')
        return Q2O_FIELD_INVALID;
    int64_t days = q2o_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out = days * Q2O_MS_PER_DAY + (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)se * 1000 +
           ms - offset_min * 60000;
    return Q2O_OK;
}
