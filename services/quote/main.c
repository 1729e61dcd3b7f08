/*
 * q2o-quote-worker — the quote aggregate's exactly-once worker: consumes
 * <prefix>quote.commands, produces <prefix>quote.events and
 * <prefix>quote.results, expires quotes. See README.md beside this file,
 * runtime/quote_worker.h and runtime/worker.h.
 */
#include "runtime/quote_worker.h"

static const char usage[] =
    "The quote worker: one consumer-group member of Q2O_GROUP_ID on <prefix>quote.commands,\n"
    "transactional.id = Q2O_INSTANCE_ID, LMDB projection under Q2O_DATA_DIR (restored from\n"
    "<prefix>quote.events on every assignment), expiry sweeper every Q2O_SWEEP_INTERVAL_MS.";

int main(int argc, char **argv)
{
    return q2o_worker_main(argc, argv, "quote", usage, q2o_quote_worker_make, q2o_quote_worker_release);
}
