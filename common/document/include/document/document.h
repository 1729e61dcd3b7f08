/*
 * document/document.h — what every q2o document renderer shares: the
 * rendered bytes with their content hash, and the seller's branding.
 *
 * The renderers (document/proposal.h, document/confirmation.h) are pure
 * functions of their arguments: no clock, no randomness, no locale, no I/O.
 * The same snapshot and arguments give the same bytes, so the SHA-256 of a
 * document identifies it (SPEC §5: stored content-addressed, its hash bound
 * to acceptance).
 *
 * Text: every string argument and every string field of the quote is read as
 * UTF-8. Malformed UTF-8 is replaced deterministically (one '?' per bad
 * byte), never rejected: a document must be renderable from any stored
 * snapshot. Where an output format cannot carry a character (the PDF's
 * WinAnsi fonts), the renderer documents its substitution.
 *
 * Thread safety: renderers touch only their arguments and memory they
 * allocate; they may run concurrently, also on the same quote (read only).
 */
#ifndef Q2O_DOCUMENT_DOCUMENT_H
#define Q2O_DOCUMENT_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/sha256.h"

/* A rendered document. `bytes` is heap memory owned by the document
 * (malloc'd; q2o_document_release frees it). A renderer fills *out only on
 * Q2O_OK; on any error it leaves out->bytes NULL and out->len 0. */
typedef struct q2o_document {
    uint8_t *bytes;
    size_t len;
    uint8_t sha256[Q2O_SHA256_LEN];      /* SHA-256 of bytes[0..len) */
    uint8_t snapshot_fp[Q2O_SHA256_LEN]; /* the revision's approval fingerprint the
                                            document was rendered from (what
                                            AttachQuoteDocument carries) */
    uint32_t pages;                      /* PDF pages; 0 for an e-mail */
} q2o_document;

/* Frees the bytes and zeroes *doc; accepts NULL and an already released or
 * zeroed document. */
void q2o_document_release(q2o_document *doc);

/* Longest accepted branding or template string, in bytes (without the NUL):
 * longer input is Q2O_INVALID_ARGUMENT, never silently cut. */
#define Q2O_DOCUMENT_TEXT_MAX (Q2O_TEXT_MAX - 1)

/* The seller's branding. Strings are UTF-8, borrowed for the call only;
 * NULL counts as "". seller_name must not be empty. */
typedef struct q2o_branding {
    const char *seller_name;   /* "Northwind Software GmbH" */
    const char *address_line;  /* one line: "Hauptstrasse 1, 10115 Berlin, Germany" */
    uint8_t accent_rgb[3];     /* band and heading colour, 0..255 each */
    const char *footer_text;   /* legal footer printed on every page / under the e-mail */
} q2o_branding;

#endif
