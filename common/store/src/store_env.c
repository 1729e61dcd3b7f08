/* store_env.c — the LMDB environment: open/close, transactions, the unit of
 * work with map growth, stats. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/strutil.h"
#include "store_internal.h"

static const char *const db_names[STORE_DB_COUNT] = {
    [STORE_DB_EVENTS] = "events",     [STORE_DB_HEADS] = "heads",
    [STORE_DB_SNAPSHOTS] = "snapshots", [STORE_DB_COMMANDS] = "commands",
    [STORE_DB_OFFSETS] = "offsets",   [STORE_DB_EXPIRY] = "expiry",
    [STORE_DB_META] = "meta",         [STORE_DB_CATALOGS] = "catalogs",
};

q2o_store_options q2o_store_options_default(void)
{
    q2o_store_options o = {
        .dir = NULL,
        .initial_map_bytes = 64ull * 1024 * 1024,
        .max_map_bytes = 64ull * 1024 * 1024 * 1024,
        .sync = Q2O_STORE_SYNC_FULL,
        .max_readers = 0,
    };
    return o;
}

/* mkdir -p: create each missing component of path. */
static q2o_err make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (q2o_strlcpy(buf, path, sizeof buf) != 0)
        return Q2O_INVALID_ARGUMENT;
    size_t n = strlen(buf);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return errno == ENOSPC ? Q2O_STORE_FULL : Q2O_STORE_IO;
        buf[i] = saved;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return Q2O_STORE_IO;
    return Q2O_OK;
}

static uint64_t round_to_page(uint64_t bytes)
{
    long ps = sysconf(_SC_PAGESIZE);
    uint64_t page = ps > 0 ? (uint64_t)ps : 4096u;
    return (bytes + page - 1) / page * page;
}

static q2o_err refresh_map_bytes(q2o_store *s)
{
    MDB_envinfo info;
    int rc = mdb_env_info(s->env, &info);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    s->map_bytes = (uint64_t)info.me_mapsize;
    return Q2O_OK;
}

static unsigned sync_flags(q2o_store_sync_mode mode)
{
    switch (mode) {
    case Q2O_STORE_SYNC_NOMETA:
        return MDB_NOMETASYNC;
    case Q2O_STORE_SYNC_NONE:
        return MDB_NOSYNC;
    case Q2O_STORE_SYNC_FULL:
    default:
        return 0;
    }
}

static q2o_err env_open(q2o_store *s, const q2o_store_options *opt)
{
    int rc = mdb_env_create(&s->env);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    rc = mdb_env_set_maxdbs(s->env, STORE_DB_COUNT);
    if (rc == MDB_SUCCESS)
        rc = mdb_env_set_mapsize(s->env, (size_t)round_to_page(opt->initial_map_bytes));
    if (rc == MDB_SUCCESS && opt->max_readers)
        rc = mdb_env_set_maxreaders(s->env, opt->max_readers);
    if (rc == MDB_SUCCESS)
        rc = mdb_env_open(s->env, opt->dir, sync_flags(opt->sync), 0600);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    s->opened = 1;
    int dead = 0;
    rc = mdb_reader_check(s->env, &dead);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    return refresh_map_bytes(s);
}

/* Unit of work of open: create/open the named databases and check (or
 * stamp) the format version. Re-runnable: it only touches txn. */
static q2o_err open_dbs(q2o_store_txn *txn, void *ctx)
{
    (void)ctx;
    q2o_store *s = txn->store;
    for (int i = 0; i < STORE_DB_COUNT; i++) {
        int rc = mdb_dbi_open(txn->txn, db_names[i], MDB_CREATE, &s->dbi[i]);
        if (rc != MDB_SUCCESS)
            return store_err(txn, rc);
    }
    MDB_val k = {sizeof "format" - 1, MUTABLE("format")}, v;
    int rc = mdb_get(txn->txn, s->dbi[STORE_DB_META], &k, &v);
    if (rc == MDB_SUCCESS)
        return v.mv_size == 4 && store_get_u32(v.mv_data) == STORE_FORMAT_VERSION
                   ? Q2O_OK
                   : Q2O_STORE_CORRUPT;
    if (rc != MDB_NOTFOUND)
        return store_err(txn, rc);
    uint8_t fmt[4];
    store_put_u32(fmt, STORE_FORMAT_VERSION);
    v.mv_size = sizeof fmt;
    v.mv_data = fmt;
    return store_err(txn, mdb_put(txn->txn, s->dbi[STORE_DB_META], &k, &v, 0));
}

static q2o_err check_options(const q2o_store_options *opt)
{
    if (!opt->dir[0] || opt->initial_map_bytes < Q2O_STORE_MIN_MAP_BYTES ||
        opt->initial_map_bytes > opt->max_map_bytes || opt->max_map_bytes > SIZE_MAX / 2)
        return Q2O_INVALID_ARGUMENT;
    switch (opt->sync) {
    case Q2O_STORE_SYNC_FULL:
    case Q2O_STORE_SYNC_NOMETA:
    case Q2O_STORE_SYNC_NONE:
        return Q2O_OK;
    default:
        return Q2O_INVALID_ARGUMENT;
    }
}

q2o_err q2o_store_open(const q2o_store_options *opt, q2o_store **out)
{
    Q2O_CHECK(opt && opt->dir && out);
    q2o_err err = check_options(opt);
    if (err != Q2O_OK)
        return err;
    err = make_dirs(opt->dir);
    if (err != Q2O_OK)
        return err;
    q2o_store *s = calloc(1, sizeof *s);
    if (!s)
        return Q2O_NO_MEMORY;
    s->max_map_bytes = opt->max_map_bytes;
    s->sync = opt->sync;
    err = env_open(s, opt);
    if (err != Q2O_OK)
        goto out_close;
    err = q2o_store_update(s, open_dbs, NULL);
    if (err != Q2O_OK)
        goto out_close;
    *out = s;
    return Q2O_OK;
out_close:
    q2o_store_close(s);
    return err;
}

void q2o_store_close(q2o_store *store)
{
    if (!store)
        return;
    if (store->env) {
        if (store->opened && store->sync != Q2O_STORE_SYNC_FULL)
            (void)mdb_env_sync(store->env, 1);
        mdb_env_close(store->env);
    }
    free(store);
}

q2o_err q2o_store_sync(q2o_store *store)
{
    Q2O_CHECK(store);
    return store_err(NULL, mdb_env_sync(store->env, 1));
}

/* ---- transactions ---------------------------------------------------- */

static q2o_err begin(q2o_store *s, unsigned flags, q2o_store_txn **out)
{
    Q2O_CHECK(s && out);
    q2o_store_txn *t = calloc(1, sizeof *t);
    if (!t)
        return Q2O_NO_MEMORY;
    t->store = s;
    t->write = !(flags & MDB_RDONLY);
    int rc = mdb_txn_begin(s->env, NULL, flags, &t->txn);
    if (rc == MDB_MAP_RESIZED) {
        /* Another process grew the map: adopt its size and retry once. */
        rc = mdb_env_set_mapsize(s->env, 0);
        if (rc == MDB_SUCCESS && refresh_map_bytes(s) == Q2O_OK)
            rc = mdb_txn_begin(s->env, NULL, flags, &t->txn);
    }
    if (rc != MDB_SUCCESS) {
        free(t);
        return store_err(NULL, rc);
    }
    *out = t;
    return Q2O_OK;
}

q2o_err q2o_store_begin_read(q2o_store *store, q2o_store_txn **txn)
{
    return begin(store, MDB_RDONLY, txn);
}

q2o_err q2o_store_begin_write(q2o_store *store, q2o_store_txn **txn)
{
    return begin(store, 0, txn);
}

q2o_err q2o_store_commit(q2o_store_txn *txn)
{
    Q2O_CHECK(txn);
    if (txn->map_full) {
        q2o_store_abort(txn);
        return Q2O_STORE_MAP_FULL;
    }
    int rc = mdb_txn_commit(txn->txn); /* frees the MDB_txn even on error */
    free(txn);
    return store_err(NULL, rc);
}

void q2o_store_abort(q2o_store_txn *txn)
{
    if (!txn)
        return;
    mdb_txn_abort(txn->txn);
    free(txn);
}

/* Double the map (capped at max_map_bytes). Only with no txn open. */
static q2o_err grow_map(q2o_store *s)
{
    uint64_t from = s->map_bytes;
    if (from >= s->max_map_bytes)
        return Q2O_STORE_FULL;
    uint64_t to = from > s->max_map_bytes / 2 ? s->max_map_bytes : round_to_page(from * 2);
    if (to > s->max_map_bytes)
        to = s->max_map_bytes;
    int rc = mdb_env_set_mapsize(s->env, (size_t)to);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    q2o_err err = refresh_map_bytes(s);
    if (err != Q2O_OK)
        return err;
    char a[24], b[24];
    snprintf(a, sizeof a, "%" PRIu64, from);
    snprintf(b, sizeof b, "%" PRIu64, s->map_bytes);
    q2o_log(Q2O_LOG_INFO, "store map grown", "from_bytes", a, "to_bytes", b, (const char *)NULL);
    return s->map_bytes > from ? Q2O_OK : Q2O_STORE_FULL;
}

q2o_err q2o_store_grow(q2o_store *store)
{
    Q2O_CHECK(store);
    return grow_map(store);
}

q2o_err q2o_store_update(q2o_store *store, q2o_store_work_fn fn, void *ctx)
{
    Q2O_CHECK(store && fn);
    for (unsigned attempt = 0;; attempt++) {
        q2o_store_txn *txn = NULL;
        q2o_err err = q2o_store_begin_write(store, &txn);
        if (err != Q2O_OK)
            return err;
        err = fn(txn, ctx);
        if (err == Q2O_OK && !txn->map_full) {
            err = q2o_store_commit(txn);
        } else {
            if (txn->map_full) /* even if fn swallowed it: the txn is dead */
                err = Q2O_STORE_MAP_FULL;
            q2o_store_abort(txn);
        }
        if (err != Q2O_STORE_MAP_FULL)
            return err;
        if (attempt >= Q2O_STORE_MAX_GROWTHS)
            return Q2O_STORE_FULL;
        err = grow_map(store);
        if (err != Q2O_OK)
            return err;
    }
}

/* ---- operations ------------------------------------------------------ */

static uint64_t db_entries(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_stat st;
    return mdb_stat(txn, dbi, &st) == MDB_SUCCESS ? (uint64_t)st.ms_entries : 0;
}

q2o_err q2o_store_stat(q2o_store *store, q2o_store_stats *out)
{
    Q2O_CHECK(store && out);
    memset(out, 0, sizeof *out);
    MDB_envinfo info;
    MDB_stat st;
    int rc = mdb_env_info(store->env, &info);
    if (rc == MDB_SUCCESS)
        rc = mdb_env_stat(store->env, &st);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    MDB_txn *txn = NULL;
    rc = mdb_txn_begin(store->env, NULL, MDB_RDONLY, &txn);
    if (rc != MDB_SUCCESS)
        return store_err(NULL, rc);
    out->map_bytes = (uint64_t)info.me_mapsize;
    out->max_map_bytes = store->max_map_bytes;
    out->page_size = st.ms_psize;
    out->used_bytes = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
    out->readers_used = info.me_numreaders;
    out->events = db_entries(txn, store->dbi[STORE_DB_EVENTS]);
    out->heads = db_entries(txn, store->dbi[STORE_DB_HEADS]);
    out->snapshots = db_entries(txn, store->dbi[STORE_DB_SNAPSHOTS]);
    out->commands = db_entries(txn, store->dbi[STORE_DB_COMMANDS]);
    out->offsets = db_entries(txn, store->dbi[STORE_DB_OFFSETS]);
    out->expiry = db_entries(txn, store->dbi[STORE_DB_EXPIRY]);
    mdb_txn_abort(txn);
    return Q2O_OK;
}

q2o_err q2o_store_reader_check(q2o_store *store, int *cleared)
{
    Q2O_CHECK(store);
    int dead = 0;
    int rc = mdb_reader_check(store->env, &dead);
    if (cleared)
        *cleared = dead;
    return store_err(NULL, rc);
}
