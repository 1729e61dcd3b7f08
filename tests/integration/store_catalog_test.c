/* The catalogs table: every version kept, the newest found per id. */
#include <criterion/criterion.h>
#include <string.h>

#include "store_fixture.h"

TestSuite(store_catalog, .init = store_fixture_setup, .fini = store_fixture_teardown);

static void put(const char *id, int64_t version, const char *doc)
{
    q2o_store_txn *t;
    cr_assert_eq(q2o_store_begin_write(g_store, &t), Q2O_OK);
    cr_assert_eq(q2o_store_catalog_put(t, id, version, doc, strlen(doc)), Q2O_OK);
    cr_assert_eq(q2o_store_commit(t), Q2O_OK);
}

typedef struct seen {
    int n;
    char ids[8][32];
    int64_t versions[8];
    char docs[8][32];
} seen;

static int collect(void *ctx, const char *id, int64_t version, const void *doc, size_t len)
{
    seen *s = ctx;
    cr_assert_lt(s->n, 8);
    strncpy(s->ids[s->n], id, sizeof s->ids[0] - 1);
    s->versions[s->n] = version;
    memcpy(s->docs[s->n], doc, len < 31 ? len : 31);
    s->n++;
    return 0;
}

Test(store_catalog, the_newest_version_of_each_id_in_id_order)
{
    put("saas", 2, "saas v2");
    put("saas", 10, "saas v10"); /* 10 > 2 numerically, not as text */
    put("retail", 1, "retail v1");
    put("saas-eu", 1, "saas-eu v1"); /* an id with another as its prefix */
    put("saas", 3, "saas v3");
    q2o_store_txn *t;
    seen s = {0};
    cr_assert_eq(q2o_store_begin_read(g_store, &t), Q2O_OK);
    cr_assert_eq(q2o_store_catalogs(t, collect, &s), Q2O_OK);
    cr_assert_eq(s.n, 3);
    cr_assert_str_eq(s.ids[0], "retail");
    cr_assert_str_eq(s.ids[1], "saas");
    cr_assert_eq(s.versions[1], 10);
    cr_assert_str_eq(s.docs[1], "saas v10");
    cr_assert_str_eq(s.ids[2], "saas-eu");

    const void *doc;
    size_t len;
    int64_t v = 0;
    cr_assert_eq(q2o_store_catalog_get(t, "saas", -1, &v, &doc, &len), Q2O_OK);
    cr_assert_eq(v, 10);
    cr_assert_eq(q2o_store_catalog_get(t, "saas", 3, &v, &doc, &len), Q2O_OK);
    cr_assert_eq(len, strlen("saas v3"));
    cr_assert_eq(memcmp(doc, "saas v3", len), 0);
    cr_assert_eq(q2o_store_catalog_get(t, "saas", 4, &v, &doc, &len), Q2O_STORE_NOT_FOUND);
    cr_assert_eq(q2o_store_catalog_get(t, "sa", -1, &v, &doc, &len), Q2O_STORE_NOT_FOUND);
    cr_assert_eq(q2o_store_catalog_get(t, "zzz", -1, &v, &doc, &len), Q2O_STORE_NOT_FOUND);
    q2o_store_abort(t);
}

Test(store_catalog, an_empty_table_walks_nothing)
{
    q2o_store_txn *t;
    seen s = {0};
    cr_assert_eq(q2o_store_begin_read(g_store, &t), Q2O_OK);
    cr_assert_eq(q2o_store_catalogs(t, collect, &s), Q2O_OK);
    cr_assert_eq(s.n, 0);
    q2o_store_abort(t);
}

Test(store_catalog, bad_arguments_are_refused_before_writing)
{
    q2o_store_txn *t;
    cr_assert_eq(q2o_store_begin_write(g_store, &t), Q2O_OK);
    cr_assert_eq(q2o_store_catalog_put(t, "", 1, "x", 1), Q2O_INVALID_ARGUMENT);
    cr_assert_eq(q2o_store_catalog_put(t, "saas", 0, "x", 1), Q2O_INVALID_ARGUMENT);
    q2o_store_abort(t);
}
