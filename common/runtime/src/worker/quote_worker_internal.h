/* quote_worker_internal.h — the quote worker's state, shared by
 * quote_worker.c and quote_restore.c. Private to src/worker. */
#ifndef Q2O_QUOTE_WORKER_INTERNAL_H
#define Q2O_QUOTE_WORKER_INTERNAL_H

#include "codec/quote_codec.h"
#include "domain/quote.h"
#include "runtime/catalog_feed.h"
#include "runtime/quote_handler.h"
#include "runtime/quote_worker.h"

struct q2o_quote_worker {
    q2o_codec *codec;
    q2o_quote_env env;
    q2o_approval_policy policy;        /* used while no catalog is loaded */
    q2o_catalog_feed *feed;
    q2o_quote_worker_options opt;
    char ce_source[160]; /* "q2o/quote-worker/" + instance id (< 128) */
    q2o_worker_ops ops;
    /* the worker loop's thread only (handle and tick run there, one at a
     * time): quotes kept between commands, and per-command scratch */
    q2o_quote_cache *cache;
    q2o_command cmd;
    q2o_handled handled;
};

q2o_time_ms qw_now(const q2o_quote_worker *qw);

/* Fold events partition `partition` into the worker's store from the
 * recorded restore offset to the end (the restore of quote_worker.h).
 * side_tables: also rebuild command dedupe entries and the expiry index
 * (the quote worker); 0 folds streams and snapshots only (the document
 * worker, whose projection is a reader of the log, not its writer). */
q2o_err qw_restore_events(const q2o_codec *codec, int side_tables, q2o_worker *w, int32_t partition);

#endif
