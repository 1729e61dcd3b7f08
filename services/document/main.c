/*
 * q2o-document-worker — renders the proposal PDF (and the retail
 * confirmation e-mail) of every approved quote revision and attaches it to
 * the quote. See README.md beside this file and runtime/document_worker.h.
 */
#include "runtime/document_worker.h"

static const char usage[] =
    "The document worker: consumes <prefix>quote.events (read_committed) as a member of Q2O_GROUP_ID,\n"
    "folds them into its LMDB projection, and on each QuoteApproved renders the proposal PDF from the\n"
    "approved snapshot into Q2O_DOCUMENT_DIR (<sha256>.pdf, plus <sha256>.eml for quote order types),\n"
    "then produces DocumentGenerated to <prefix>document.events and AttachQuoteDocument to\n"
    "<prefix>quote.commands in one transaction, idempotent by \"docgen/<quote>/<revision>/<fp>\".";

int main(int argc, char **argv)
{
    return q2o_worker_main(argc, argv, "document", usage, q2o_document_worker_make, q2o_document_worker_release);
}
