#include "core/strutil.h"

#include <string.h>

#include "core/check.h"

int q2o_strlcpy(char *dst, const char *src, size_t size)
{
    if (!size)
        return -1;
    size_t n = src ? strlen(src) : 0;
    int rc = 0;
    if (n >= size) {
        n = size - 1;
        rc = -1;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
    return rc;
}

void q2o_strcpy_checked(char *dst, const char *src, size_t size)
{
    Q2O_CHECK(q2o_strlcpy(dst, src, size) == 0);
}
