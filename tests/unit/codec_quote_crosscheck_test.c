/* The quote codec against fastavro (tests/python/quote_crosscheck.py). */
#include <criterion/criterion.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"

#ifndef Q2O_QUOTE_VECTORS_TOOL
#define Q2O_QUOTE_VECTORS_TOOL Q2O_BINARY_DIR "/tests/tools/quote_vectors/q2o_quote_vectors"
#endif
#ifndef Q2O_AVRO_VECTORS_TOOL
#define Q2O_AVRO_VECTORS_TOOL Q2O_BINARY_DIR "/tests/tools/avro_vectors/q2o_avro_vectors"
#endif

extern char **environ;

/* Run args (NULL-terminated, at most 15), return its exit status (-1 if it
 * could not run or was killed). posix_spawn wants mutable strings: copy. */
static int run(const char *const args[])
{
    char *argv[16] = {0};
    pid_t pid;
    int status = 0, rc = -1;
    for (int i = 0; args[i]; i++) {
        cr_assert_lt(i, 15);
        argv[i] = strdup(args[i]);
    }
    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0 && waitpid(pid, &status, 0) == pid &&
        WIFEXITED(status))
        rc = WEXITSTATUS(status);
    for (int i = 0; argv[i]; i++)
        free(argv[i]);
    return rc;
}

Test(codec_quote_crosscheck, fastavro_agrees_with_the_c_codec, .timeout = 600)
{
    const char *const probe[] = {"python3", "-c", "import fastavro", NULL};
    cr_assert_eq(run(probe), 0, "fastavro is not importable: pip install fastavro");

    char dir[512];
    q2o_test_tmpdir("quote_crosscheck", dir, sizeof dir);
    const char *const argv[] = {"python3", Q2O_SOURCE_DIR "/tests/python/quote_crosscheck.py",
                    "--vectors-tool", Q2O_QUOTE_VECTORS_TOOL, "--avro-tool", Q2O_AVRO_VECTORS_TOOL,
                    "--schemas", Q2O_SOURCE_DIR "/schemas", "--workdir", dir, NULL};
    int rc = run(argv);
    q2o_test_rmtree(dir);
    cr_assert_eq(rc, 0, "quote_crosscheck.py failed (exit %d); run it by hand for the differences", rc);
}
