/*
 * ctl/docverify.h — `q2octl verify-document FILE QUOTE [--revision N]`:
 * does a file hold the document the customer accepted?
 *
 * Which revision: --revision N, else the accepted revision, else the
 * current one. Which hash, the first the revision has of:
 *   1. "accepted"  the document hash in the acceptance evidence (what the
 *                  customer signed);
 *   2. "presented" the hash of the document presented to the customer;
 *   3. "attached"  the hash the document worker attached (not presented yet).
 * The file matches when its SHA-256 equals that hash.
 *
 * Pure: the caller reads the file and replays the quote from the event log.
 * Errors: Q2O_QUOTE_NOT_FOUND (no events), Q2O_QUOTE_REVISION_NOT_FOUND,
 * Q2O_QUOTE_DOCUMENT_MISSING (the revision has no document hash at all).
 * Threads: reentrant.
 */
#ifndef Q2O_CTL_DOCVERIFY_H
#define Q2O_CTL_DOCVERIFY_H

#include <stdint.h>

#include "core/error.h"
#include "core/sha256.h"
#include "domain/quote.h"

typedef struct q2o_ctl_docverify {
    int32_t revision;
    const char *which;                   /* "accepted", "presented", "attached" */
    char document_id[Q2O_ID_MAX];
    uint8_t expected[Q2O_SHA256_LEN];
    int match;
} q2o_ctl_docverify;

/* revision 0: the accepted revision, else the current one (see above). */
q2o_err q2o_ctl_docverify_check(const q2o_quote *q, int32_t revision, const uint8_t file_sha256[Q2O_SHA256_LEN],
                                q2o_ctl_docverify *out);

#endif
