#define _GNU_SOURCE
#include "testutil.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void q2o_test_tmpdir(const char *tag, char *out, size_t size)
{
    const char *base = getenv("TMPDIR");
    snprintf(out, size, "%s/q2o-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(out))
        cr_assert_fail("mkdtemp(%s) failed", out);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void q2o_test_rmtree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
