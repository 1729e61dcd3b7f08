/*
 * document/proposal.h — the branded proposal PDF of one quote revision
 * (SPEC §5 "Proposal document").
 *
 * What the PDF shows, in this order:
 *   - a band in the accent colour with the seller's name and address, the
 *     title "Proposal <quote number>", revision and page "i of n" (repeated
 *     on every page);
 *   - the header: customer, account, sold-to, bill-to, ship-to, owner, quote
 *     type, currency; the revision's terms: valid until, payment terms, term
 *     in months, contract start, legal terms version, and when it was priced;
 *   - the line table, sorted by line number (then line id): #, item name,
 *     options as name=value, quantity with unit, list, discount, net and the
 *     recurring part of net, per the line's price snapshot. Long names and
 *     options wrap inside their column; the table continues on as many
 *     pages as needed, its column heads repeated on each;
 *   - the waterfall: list total, total discount, net, freight, estimated
 *     tax, grand total (the revision's price snapshot, never recomputed);
 *   - "Generated from snapshot <approval fingerprint hex>", the pricing
 *     fingerprint, and the template version;
 *   - the branding footer and "Page i of n" on every page.
 * Amounts are printed with the currency's ISO 4217 exponent and no digit
 * grouping ("123456.78"; totals add the code: "123456.78 USD"), like
 * q2o_money_format. Dates are UTC, "YYYY-MM-DD".
 *
 * Determinism (the reason this module exists in this form): the bytes are a
 * function of the quote's current revision, the branding and the template
 * version only.
 *   - CreationDate and ModDate are the revision's priced_at, never the clock
 *     (the Unix epoch while priced_at is 0: a state that does not carry
 *     the pricing time still renders the same bytes every time);
 *   - libharu writes a trailer /ID only when encryption is on (its ID mixes
 *     in the time); the PDF is never encrypted, so there is no /ID;
 *   - streams are not compressed: the hash must not change when the
 *     system's zlib is upgraded, and pdftotext reads the text either way;
 *   - the fonts are the standard Helvetica family (Base14, WinAnsiEncoding),
 *     never embedded, so no font file version enters the bytes;
 *   - Producer and Creator are fixed strings of q2o, not libharu's version.
 * The same libharu build is still part of the determinism contract: another
 * libharu release may lay out the same content in different bytes.
 *
 * Text: the PDF uses WinAnsiEncoding (Windows-1252). Every character that
 * encoding has (Latin-1 plus the Windows-1252 extras such as the euro sign
 * and typographic quotes) prints as itself; any other code point prints as
 * '?', control characters as a space, and malformed UTF-8 as one '?' per
 * bad byte. The text stays extractable (pdftotext).
 *
 * Thread safety: reentrant (one libharu document per call; the only
 * writable globals of libharu serve CCITT image loading, which is not used).
 * Errors: see q2o_proposal_render.
 */
#ifndef Q2O_DOCUMENT_PROPOSAL_H
#define Q2O_DOCUMENT_PROPOSAL_H

#include <stdint.h>

#include "core/error.h"
#include "document/document.h"
#include "domain/quote.h"

/* Render the proposal for `revision` of quote `q` into *out.
 *
 * `revision` must be q's current revision: the state keeps only the current
 * revision's lines, so an older revision cannot be rendered from it (render
 * it from a state replayed up to that revision instead). The revision must
 * be priced with every line priced: the document shows the price snapshot.
 * Whether the snapshot is approved is the caller's rule to check (the
 * document worker renders approved snapshots only).
 *
 * On Q2O_OK, *out holds the PDF (caller releases it with
 * q2o_document_release), its SHA-256, the approval fingerprint it shows and
 * its page count. Errors, with *out left empty:
 *   Q2O_INVALID_ARGUMENT         q, branding or out NULL; seller name empty;
 *                                template_version empty; a branding or
 *                                template string longer than
 *                                Q2O_DOCUMENT_TEXT_MAX
 *   Q2O_QUOTE_NOT_FOUND          the quote does not exist (q->exists == 0)
 *   Q2O_QUOTE_REVISION_NOT_FOUND no such revision
 *   Q2O_QUOTE_ALREADY_SUPERSEDED the revision exists but is not the current one
 *   Q2O_QUOTE_PRICE_STALE        the revision or one of its lines is not priced
 *   Q2O_VALIDATION_NO_LINES      the revision has no lines
 *   Q2O_CURRENCY_UNKNOWN         the quote's currency is not in core/money.h's table
 *   Q2O_NO_MEMORY                out of memory (in q2o or libharu)
 *   Q2O_INTERNAL                 libharu refused an operation (a bug; logged) */
q2o_err q2o_proposal_render(const q2o_quote *q, int32_t revision, const q2o_branding *branding,
                            const char *template_version, q2o_document *out);

#endif
