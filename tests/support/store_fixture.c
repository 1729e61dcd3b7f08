#include "store_fixture.h"

#include <criterion/criterion.h>

#include "testutil.h"

char g_dir[256];
q2o_store *g_store;

void store_fixture_setup(void)
{
    q2o_test_tmpdir("store", g_dir, sizeof g_dir);
    q2o_store_options opt = q2o_store_options_default();
    opt.dir = g_dir;
    cr_assert_eq(q2o_store_open(&opt, &g_store), Q2O_OK);
}

void store_fixture_teardown(void)
{
    q2o_store_close(g_store);
    g_store = NULL;
    q2o_test_rmtree(g_dir);
}
