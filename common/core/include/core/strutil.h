/*
 * core/strutil.h — bounded string copies for fixed-size fields.
 */
#ifndef Q2O_CORE_STRUTIL_H
#define Q2O_CORE_STRUTIL_H

#include <stddef.h>

/* Copy src into dst[size]: returns 0, or -1 if src (NULL counts as "") did not
 * fit (dst then holds a truncated, NUL-terminated prefix). */
int q2o_strlcpy(char *dst, const char *src, size_t size);

/* Copy a known-bounded literal or field: aborts if it does not fit (a
 * programming error, not input). */
void q2o_strcpy_checked(char *dst, const char *src, size_t size);

#define Q2O_STRCPY(dst, src) q2o_strcpy_checked((dst), (src), sizeof(dst))

#endif
