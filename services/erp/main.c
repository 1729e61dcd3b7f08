/*
 * q2o-erp-worker — turns each converted quote revision into exactly one
 * OrderCreated on <prefix>order.events. See README.md beside this file and
 * runtime/erp_worker.h.
 */
#include "runtime/erp_worker.h"

static const char usage[] =
    "The ERP worker (minimal): consumes <prefix>quote.events (read_committed) as a member of\n"
    "Q2O_GROUP_ID and produces one OrderCreated per converted (quote, revision) to\n"
    "<prefix>order.events, idempotent by \"order/<quote>/<revision>\" in its LMDB store.";

int main(int argc, char **argv)
{
    return q2o_worker_main(argc, argv, "erp", usage, q2o_erp_worker_make, q2o_erp_worker_release);
}
