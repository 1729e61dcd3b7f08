/*
 * core/limits.h — every maximum in q2o, each with its reason.
 *
 * Decoders reject input beyond these before trusting it; fixed-size buffers
 * in the domain are sized from them. Raising a limit is a schema-compatible
 * change only while the wire limits in schemas/README.md agree.
 */
#ifndef Q2O_CORE_LIMITS_H
#define Q2O_CORE_LIMITS_H

/* Identifiers (quote ids, actor ids, offering ids, keys) incl. the NUL.
 * 63 bytes hold a UUID, a prefixed ULID or a CRM id with room to spare. */
#define Q2O_ID_MAX 64

/* Short codes: currency, reason codes, UoM, payment terms, roles. */
#define Q2O_CODE_MAX 32

/* Human text snapshots (display names, notes) incl. the NUL. */
#define Q2O_NAME_MAX 128
#define Q2O_TEXT_MAX 512

/* Lines per revision: the pricing benchmark prices 1,000-line quotes; beyond
 * that a quote is a catalogue, not an offer. */
#define Q2O_MAX_LINES 1000

/* Revisions per quote group: a negotiation with more than 64 revisions is a
 * process problem; the cap bounds the aggregate's size. */
#define Q2O_MAX_REVISIONS 64

/* Configuration options (attribute = value) per line snapshot. */
#define Q2O_MAX_LINE_OPTIONS 16

/* Approval steps per submission and approval reasons recorded. */
#define Q2O_MAX_APPROVAL_STEPS 8
#define Q2O_MAX_APPROVAL_REASONS 8

/* Validation violations reported per price command (the rest are counted). */
#define Q2O_MAX_VIOLATIONS 32

/* Sold-out lines named by id in a QuoteConvertedToOrder (SPEC section 7:
 * conversion lists the unavailable quoted lines); beyond it they are only
 * counted. 32 ids keep the event inline (2 KiB) while covering any retail
 * quote a person reads line by line. */
#define Q2O_MAX_UNAVAILABLE_LISTED 32

/* Authorized contacts of the customer named on the header. */
#define Q2O_MAX_CONTACTS 8

/* Quantities: non-negative and below 10^9 so that quantity x unit price in
 * minor units stays far inside int64 for any sane price. */
#define Q2O_MAX_QUANTITY 1000000000LL

/* Amounts in minor units: |amount| <= 9.2e15 keeps sums of Q2O_MAX_LINES
 * line totals inside int64 (9.2e18) without overflow checks failing. */
#define Q2O_MAX_AMOUNT 9200000000000000LL

/* Contract terms in months (50 years). */
#define Q2O_MAX_TERM_MONTHS 600

/* A catalog document (JSON): 100,000 offerings with their price book
 * entries are about 40 MiB; the bound keeps a hostile file from making the
 * loader allocate without limit. */
#define Q2O_MAX_CATALOG_BYTES (256u * 1024u * 1024u)

/* Items of one array of a catalog document (offerings, entries of a price
 * book, options of a group, ...): counts are uint32 in the model. */
#define Q2O_MAX_CATALOG_ITEMS 4000000u

/* Problems kept per catalog load (the rest are counted): a thousand is
 * more than anyone reads, and a broken generator should not make the error
 * list larger than the catalog. */
#define Q2O_MAX_CATALOG_ERRORS 1000u

/* One encoded message (command or event) on the wire: bounded so a hostile
 * length can never make a decoder allocate more. A 1,000-line QuotePriced
 * snapshot is about 300 KiB. */
#define Q2O_MAX_MESSAGE_BYTES (4u * 1024u * 1024u)

/* Events one decision may emit (e.g. CreateRevision: revision created,
 * superseded, lines copied travel inside the revision event). */
#define Q2O_MAX_EVENTS_PER_DECISION 8

/* Snapshot cadence of the store: a snapshot every N events bounds the work
 * of loading a quote whatever its history length. */
#define Q2O_SNAPSHOT_EVERY 64

/* The quote worker's cache of loaded quotes (runtime/quote_handler.h): it
 * saves replaying a quote per command. 64 MiB holds thousands of typical
 * quotes (a one-revision, few-line state is about 20 KB) yet a few 1,000-line
 * ones; the count bounds the lookup table. */
#define Q2O_QUOTE_CACHE_QUOTES 4096
#define Q2O_QUOTE_CACHE_BYTES (64u * 1024u * 1024u)

#endif
