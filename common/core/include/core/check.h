/*
 * core/check.h — assertions that stay on in release builds.
 *
 * Q2O_CHECK(cond) is for facts the program has proven (invariants, contract
 * preconditions); it aborts with file, line and the condition when false.
 * It is NOT for input validation: hostile bytes and bad commands get an
 * error code. It does not use <assert.h>, so -DNDEBUG does not remove it.
 */
#ifndef Q2O_CORE_CHECK_H
#define Q2O_CORE_CHECK_H

_Noreturn void q2o_check_failed(const char *expr, const char *file, int line);

#define Q2O_CHECK(cond) \
    do { \
        if (!(cond)) \
            q2o_check_failed(#cond, __FILE__, __LINE__); \
    } while (0)

#define Q2O_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
