/* The C Avro layer agrees with fastavro, an independent implementation:
 * canonical forms, fingerprints, and messages both ways. The work is done by
 * tests/python/avro_crosscheck.py driving tests/tools/avro_vectors; this test
 * runs it and fails (never skips) when fastavro is missing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#ifndef Q2O_AVRO_VECTORS_TOOL /* set by tests/tools/avro_vectors/CMakeLists.txt */
#define Q2O_AVRO_VECTORS_TOOL Q2O_BINARY_DIR "/tests/tools/avro_vectors/q2o_avro_vectors"
#endif

static int run(const char *cmd)
{
    int status = system(cmd);
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(codec_avro_crosscheck, c_and_fastavro_agree_on_forms_fingerprints_and_messages,
     .timeout = 600)
{
    char work[256], cmd[2048];
    cr_assert_eq(run("python3 -c 'import fastavro' 2>/dev/null"), 0,
                 "fastavro is not importable by python3: the cross-implementation check cannot "
                 "run. Install it with `pip install fastavro`.");
    cr_assert_eq(access(Q2O_AVRO_VECTORS_TOOL, X_OK), 0,
                 "%s is missing: build the q2o_avro_vectors target", Q2O_AVRO_VECTORS_TOOL);
    q2o_test_tmpdir("avrocross", work, sizeof work);
    snprintf(cmd, sizeof cmd,
             "python3 '%s/tests/python/avro_crosscheck.py' --tool '%s'"
             " --schemas '%s/tests/python/schemas'"
             " --pcf-dir '%s/tests/python/schemas_pcf' --pcf-dir '%s/tests/python/schemas'"
             " --work '%s' 1>&2",
             Q2O_SOURCE_DIR, Q2O_AVRO_VECTORS_TOOL, Q2O_SOURCE_DIR, Q2O_SOURCE_DIR,
             Q2O_SOURCE_DIR, work);
    int rc = run(cmd);
    q2o_test_rmtree(work);
    cr_assert_eq(rc, 0, "avro_crosscheck.py exited %d (mismatches are listed above)", rc);
}
