/* document_worker_internal.h — pieces of the document worker shared by
 * document_worker.c, document_files.c and document_event.c. Private to
 * src/worker. */
#ifndef Q2O_DOCUMENT_WORKER_INTERNAL_H
#define Q2O_DOCUMENT_WORKER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "document/document.h"

#define DW_PATH_MAX 512
#define DW_NAME_MAX (Q2O_SHA256_HEX_LEN + 8) /* "<64 hex>.pdf" */
#define DW_REASON_MAX 256
#define DW_EVENT_MAX 4096                    /* one DocumentGenerated, JSON */

/* Write doc into dir as "<sha256 hex>.<ext>" (temp file, fsync, rename,
 * fsync dir); name gets the file name. An existing file of that name and
 * size is kept. Errors: STORE_IO (logged). */
q2o_err dw_store_file(const char *dir, const q2o_document *doc, const char *ext, char name[DW_NAME_MAX]);

/* What one DocumentGenerated says (runtime/document_worker.h). */
typedef struct dw_outcome {
    int done;                               /* DONE, else FAILED */
    const char *quote_id;
    int32_t revision;
    const uint8_t *snapshot_fp;
    const char *approval_event;
    const char *template_version;
    /* DONE */
    const char *document_id;
    const uint8_t *document_hash;
    const char *pdf;
    size_t pdf_bytes;
    uint32_t pages;
    const char *eml;                        /* NULL: none */
    const uint8_t *eml_hash;
    uint32_t lines_left_out;
    const char *command_id;
    /* FAILED */
    q2o_err code;
    const char *reason;
} dw_outcome;

/* The JSON of o into out[size]; returns its length, 0 if it did not fit. */
size_t dw_event_json(const dw_outcome *o, char *out, size_t size);

#endif
