/* docverify.c — which hash a document must have (ctl/docverify.h). */
#include <string.h>

#include "core/strutil.h"
#include "ctl/docverify.h"

static int zero(const uint8_t h[Q2O_SHA256_LEN])
{
    static const uint8_t z[Q2O_SHA256_LEN];
    return memcmp(h, z, Q2O_SHA256_LEN) == 0;
}

q2o_err q2o_ctl_docverify_check(const q2o_quote *q, int32_t revision, const uint8_t file_sha256[Q2O_SHA256_LEN],
                                q2o_ctl_docverify *out)
{
    memset(out, 0, sizeof *out);
    if (!q->exists)
        return Q2O_QUOTE_NOT_FOUND;
    if (!revision)
        revision = q->accepted_revision ? q->accepted_revision : q->n_revisions;
    const q2o_revision *r = q2o_quote_revision(q, revision);
    if (!r)
        return Q2O_QUOTE_REVISION_NOT_FOUND;
    out->revision = r->number;
    const uint8_t *h = NULL;
    if (r->accepted && !zero(r->acceptance.document_hash)) {
        out->which = "accepted";
        h = r->acceptance.document_hash;
        Q2O_STRCPY(out->document_id, r->acceptance.document_id);
    } else if (!zero(r->presented_hash)) {
        out->which = "presented";
        h = r->presented_hash;
        Q2O_STRCPY(out->document_id, r->document_id);
    } else if (r->document_id[0] && !zero(r->document_hash)) {
        out->which = "attached";
        h = r->document_hash;
        Q2O_STRCPY(out->document_id, r->document_id);
    }
    if (!h)
        return Q2O_QUOTE_DOCUMENT_MISSING;
    memcpy(out->expected, h, Q2O_SHA256_LEN);
    out->match = memcmp(h, file_sha256, Q2O_SHA256_LEN) == 0;
    return Q2O_OK;
}
