/* tests/support/testutil.h — helpers shared by the test suites. */
#ifndef Q2O_TESTUTIL_H
#define Q2O_TESTUTIL_H

#include <stddef.h>

/* Make a fresh empty directory under $TMPDIR (or /tmp) named after `tag`;
 * writes its path into out. Aborts the test on failure. */
void q2o_test_tmpdir(const char *tag, char *out, size_t size);

/* rm -rf path (best effort). */
void q2o_test_rmtree(const char *path);

#endif
