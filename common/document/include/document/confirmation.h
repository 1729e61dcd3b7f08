/*
 * document/confirmation.h — the retail quote confirmation e-mail (SPEC §7)
 * as a standard RFC 5322 / MIME message, ready to be stored as a `.eml` or
 * handed to a mail transfer agent.
 *
 * The message:
 *   From:        branding seller name <opts->from_address>
 *   To:          the quote's first authorized contact (header.contacts[0]),
 *                which must be an e-mail address
 *   Subject:     "Your quote <quote number>, revision <n>"
 *   Date:        opts->date (an argument, never the clock), as +0000
 *   Message-ID:  <q2o.<32 hex digits of SHA-256(quote id, revision)>@<domain
 *                of from_address>>: the same quote revision always gets the
 *                same id, so a re-sent confirmation is recognisably the same
 *   X-Q2O-Snapshot: the revision's approval fingerprint (hex)
 *   MIME-Version: 1.0, multipart/alternative with a text/plain and a
 *   text/html part, both UTF-8 in quoted-printable (lines <= 76 octets).
 * Every line of the message ends in CRLF. Header fields are folded below 78
 * octets; a non-ASCII display name or subject is an RFC 2047 encoded word.
 * Both parts list the shown lines (name, quantity, net) and the estimated
 * totals of the price snapshot (net, freight, estimated tax, grand total),
 * and the validity date; the HTML part escapes every quote string.
 *
 * Sold-out lines (SPEC §7 "exclude sold-out lines from the confirmation"):
 * when opts->exclude_sold_out is set, every line for which
 * opts->is_sold_out(ctx, line) returns non-zero is left out, and the totals
 * section says so and adds the net of the lines shown. The snapshot totals
 * are printed as priced (they still include the left-out lines until the
 * quote is repriced). The predicate is called once per line, in display
 * order, from the calling thread; it must not modify the quote.
 *
 * Thread safety: reentrant. Errors: see q2o_confirmation_render.
 */
#ifndef Q2O_DOCUMENT_CONFIRMATION_H
#define Q2O_DOCUMENT_CONFIRMATION_H

#include <stdint.h>

#include "core/error.h"
#include "core/timeutil.h"
#include "document/document.h"
#include "domain/quote.h"

typedef int (*q2o_line_predicate)(void *ctx, const q2o_line *line);

typedef struct q2o_confirmation_opts {
    const char *from_address;        /* addr-spec "quotes@seller.example" (ASCII) */
    q2o_time_ms date;                /* the Date header; the caller's send time */
    int exclude_sold_out;            /* leave out lines is_sold_out says are sold out */
    q2o_line_predicate is_sold_out;  /* required when exclude_sold_out is set */
    void *sold_out_ctx;              /* passed to is_sold_out */
} q2o_confirmation_opts;

/* Render the confirmation of `revision` (the current revision, priced, as
 * for q2o_proposal_render) into *out (caller releases it with
 * q2o_document_release; out->pages is 0). Errors, with *out left empty:
 *   Q2O_INVALID_ARGUMENT         a NULL argument; seller name empty or a
 *                                branding string too long; exclude_sold_out
 *                                set without a predicate
 *   Q2O_FIELD_INVALID            from_address or the first contact is not a
 *                                plain ASCII addr-spec (local@domain, no
 *                                spaces, quotes, angle brackets or controls)
 *   Q2O_QUOTE_RECIPIENT_NOT_AUTHORIZED  the quote has no contact to send to
 *   Q2O_QUOTE_NOT_FOUND, Q2O_QUOTE_REVISION_NOT_FOUND,
 *   Q2O_QUOTE_ALREADY_SUPERSEDED, Q2O_QUOTE_PRICE_STALE,
 *   Q2O_VALIDATION_NO_LINES, Q2O_CURRENCY_UNKNOWN   as for the proposal
 *   Q2O_NO_MEMORY                out of memory */
q2o_err q2o_confirmation_render(const q2o_quote *q, int32_t revision, const q2o_branding *branding,
                                const q2o_confirmation_opts *opts, q2o_document *out);

#endif
