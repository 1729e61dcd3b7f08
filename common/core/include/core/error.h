/*
 * core/error.h — the one error table of q2o.
 *
 * Every failure a q2o function can report is a q2o_err. Numbers are stable
 * forever (they travel on the wire in results and dead-letter headers):
 * append new codes, never renumber or reuse one. Foreign codes (errno, MDB_*,
 * rd_kafka_resp_err_t, avro) are translated at the adapter that calls the
 * library and never leak past it.
 *
 * Classes say what the caller should do:
 *   REJECTED  a domain rule refused the command: report it, do not retry.
 *   INVALID   the input itself is malformed or out of bounds: report it (and
 *             dead-letter the message if it could not be decoded).
 *   RETRY     a transient condition: the same unit of work may succeed later.
 *   FATAL     the process cannot continue safely: exit, let the supervisor
 *             restart it (the event log heals local state on restart).
 *
 * Thread safety: every function here is pure and reentrant.
 */
#ifndef Q2O_CORE_ERROR_H
#define Q2O_CORE_ERROR_H

typedef enum q2o_err_class {
    Q2O_CLASS_OK = 0,
    Q2O_CLASS_REJECTED,
    Q2O_CLASS_INVALID,
    Q2O_CLASS_RETRY,
    Q2O_CLASS_FATAL
} q2o_err_class;

/* X(NAME, number, class, message, remediation) */
#define Q2O_ERROR_TABLE(X) \
    X(OK, 0, OK, "The command succeeded.", "Nothing to do: the result is final.") \
    /* --- quote lifecycle (100..199) --- */ \
    X(QUOTE_NOT_FOUND, 100, REJECTED, "No quote exists with this id.", \
      "Create the quote first (CreateQuote) or check the quote id.") \
    X(QUOTE_ALREADY_EXISTS, 101, REJECTED, "A quote with this id already exists.", \
      "Use a new quote id, or send commands to the existing quote.") \
    X(QUOTE_NOT_EDITABLE_IN_STATE, 102, REJECTED, "The revision's current state does not allow this action.", \
      "Ask the quote which actions are allowed now (q2octl allowed) and follow the lifecycle.") \
    X(QUOTE_REVISION_REQUIRED, 103, REJECTED, "This change is commercial and the revision was already approved or presented.", \
      "Create a new revision (CreateRevision); it supersedes the current one, then edit and reprice it.") \
    X(QUOTE_PRICE_STALE, 104, REJECTED, "The price snapshot no longer matches the quote or its validity has passed.", \
      "Reprice the quote (PriceQuote), or create a revision and reprice it.") \
    X(QUOTE_APPROVAL_STALE, 105, REJECTED, "The quote changed after it was approved; the approval does not cover it.", \
      "Create a new revision or resubmit the quote for approval.") \
    X(QUOTE_ALREADY_SUPERSEDED, 106, REJECTED, "This revision was superseded by a newer revision.", \
      "Act on the current revision; send the customer the current proposal.") \
    X(QUOTE_EXPIRED, 107, REJECTED, "The quote's validity has passed.", \
      "Create a new revision and reprice it (re-approval applies where the policy still fires).") \
    X(QUOTE_DOCUMENT_MISMATCH, 108, REJECTED, "The cited document hash does not match the document presented for this revision.", \
      "Accept the proposal document that was presented for the current revision.") \
    X(QUOTE_ALREADY_CONVERTED, 109, REJECTED, "This revision was already converted to an order with another idempotency key.", \
      "Look up the existing order (q2octl show); do not convert twice.") \
    X(QUOTE_CONVERSION_NOT_READY, 110, REJECTED, "Order prerequisites are missing (billing account, pay method or order mapping).", \
      "Complete the billing account, pay method and order type on the quote, then convert again.") \
    X(QUOTE_CONCURRENT_MODIFICATION, 111, REJECTED, "The quote changed since the version the command expected.", \
      "Reload the quote, re-apply your change on the current version, and resend.") \
    X(QUOTE_CHANGED_DURING_APPROVAL, 112, REJECTED, "The approval cites a fingerprint that is not the one under review.", \
      "Reload the quote and review the content now under approval.") \
    X(QUOTE_REVISION_NOT_FOUND, 113, REJECTED, "The quote has no revision with this number.", \
      "Use the current revision number shown by q2octl show.") \
    X(QUOTE_ALREADY_ACCEPTED, 114, REJECTED, "Another revision of this quote group was already accepted.", \
      "Convert the accepted revision; only one revision of a quote can be accepted.") \
    X(QUOTE_APPROVAL_EXPIRED, 115, REJECTED, "The approval window has passed.", \
      "Resubmit the quote for approval.") \
    X(QUOTE_PROMOTION_EXPIRED, 116, REJECTED, "A promotion on the quote has ended.", \
      "Create a new revision and reprice without the promotion, or obtain an approval override.") \
    X(QUOTE_ACCEPTOR_NOT_AUTHORIZED, 117, REJECTED, "The acceptor is not authorized to accept for this account.", \
      "Have an authorized contact of the customer accept, or update the acceptance policy.") \
    X(QUOTE_ACCEPTANCE_METHOD_INVALID, 118, REJECTED, "The acceptance method is not allowed by the acceptance policy.", \
      "Accept through a method the policy allows (for example e-signature instead of e-mail).") \
    X(QUOTE_PO_REQUIRED, 119, REJECTED, "The acceptance policy requires a purchase order reference.", \
      "Resend the acceptance with the customer's PO reference.") \
    X(QUOTE_SIGNATURE_REQUIRED, 120, REJECTED, "The acceptance policy requires a signature envelope.", \
      "Collect an e-signature and resend the acceptance with its envelope id.") \
    X(QUOTE_LEGAL_ENTITY_MISMATCH, 121, REJECTED, "The acceptor's legal entity differs from the quote's customer.", \
      "Have the contracting legal entity accept, or revise the quote's customer.") \
    X(QUOTE_DOCUMENT_MISSING, 122, REJECTED, "No proposal document generated from the approved snapshot is attached.", \
      "Wait for the document worker to attach the proposal, or regenerate it.") \
    X(QUOTE_RECIPIENT_NOT_AUTHORIZED, 123, REJECTED, "The proposal recipient is not an authorized contact of the customer.", \
      "Send the proposal to an authorized contact of the account.") \
    X(QUOTE_LEGAL_TERMS_UNRESOLVED, 124, REJECTED, "The revision has no legal terms version.", \
      "Set the legal terms version on the revision before presenting.") \
    X(QUOTE_VALIDITY_NOT_SET, 125, REJECTED, "The revision has no validity date in the future.", \
      "Set a valid-until date after now before presenting.") \
    X(QUOTE_CONTRACT_START_PASSED, 126, REJECTED, "The contract start date has passed.", \
      "Create a new revision with a new contract start date.") \
    X(QUOTE_IDEMPOTENCY_KEY_REQUIRED, 127, INVALID, "The conversion has no idempotency key.", \
      "Send ConvertQuoteToOrder with a unique idempotency key and reuse it on retries.") \
    X(QUOTE_LINE_NOT_FOUND, 128, REJECTED, "The revision has no line with this id.", \
      "Use a line id shown by q2octl show.") \
    X(QUOTE_LINE_EXISTS, 129, REJECTED, "The revision already has a line with this id.", \
      "Use a new line id, or change the existing line.") \
    X(QUOTE_STEP_NOT_PENDING, 130, REJECTED, "No pending approval step matches the approver's role.", \
      "Check the pending approval steps (q2octl show); each step is approved once by its role.") \
    X(QUOTE_EXPECTED_STATUS_MISMATCH, 131, REJECTED, "The revision is not in the status the command expected.", \
      "Reload the quote and resend with the current status.") \
    X(QUOTE_NOT_EXPIRED, 132, REJECTED, "The quote's validity has not passed yet.", \
      "Nothing to do; the sweeper expires it when its validity passes.") \
    X(QUOTE_LIMIT_REACHED, 133, REJECTED, "The quote reached a size limit (lines, revisions, approvals or notes).", \
      "Split the offer into another quote; limits are listed in common/core/include/core/limits.h.") \
    X(QUOTE_APPROVAL_REQUIRED, 134, REJECTED, "The approval policy fired; the revision must be approved first.", \
      "Submit the quote for approval (SubmitForApproval).") \
    /* --- authorization (200..249) --- */ \
    X(AUTH_ROLE_REQUIRED, 200, REJECTED, "The actor does not hold a role allowed to send this command.", \
      "Send the command as an actor holding one of the roles the command lists (q2octl allowed shows them).") \
    X(AUTH_SELF_APPROVAL, 201, REJECTED, "An approver cannot approve a quote they own or submitted.", \
      "Route the approval step to another approver holding the role.") \
    X(AUTH_LIMIT_EXCEEDED, 202, REJECTED, "The approver's authority limit is below the figure under approval.", \
      "Route the step to an approver with a higher authority limit.") \
    /* --- validation (300..399) --- */ \
    X(VALIDATION_NO_LINES, 300, REJECTED, "The revision has no lines.", \
      "Add at least one line before pricing.") \
    X(MISSING_CUSTOMER, 301, REJECTED, "The quote has no customer or account.", \
      "Set the customer and account on the quote header.") \
    X(MISSING_BILLING_ACCOUNT, 302, REJECTED, "The quote has no billing account.", \
      "Select or create a billing account before submitting the quote.") \
    X(CONFIG_INCOMPLETE, 303, REJECTED, "A mandatory configuration option of a line is missing.", \
      "Complete the line's configuration (every mandatory option), then reprice.") \
    X(OFFERING_INACTIVE, 304, REJECTED, "An offering is not active on the pricing date.", \
      "Replace the line with an active offering or change the pricing date.") \
    X(OFFERING_UNKNOWN, 305, REJECTED, "An offering is not in the catalog.", \
      "Use an offering id from the loaded catalog.") \
    X(PRICE_BOOK_MISSING, 306, REJECTED, "No price book exists for the quote's currency, market and channel.", \
      "Load a price book for this currency or change the quote currency.") \
    X(DISCOUNT_REQUIRES_APPROVAL, 307, REJECTED, "The discount exceeds what may be given without approval.", \
      "Submit the quote to the deal desk for approval.") \
    X(OVERRIDE_REASON_REQUIRED, 308, INVALID, "A manual price override needs a reason code.", \
      "Resend the line change with a price override reason code.") \
    X(QUANTITY_INVALID, 309, INVALID, "A quantity is negative, zero or beyond the limit.", \
      "Send a positive quantity within Q2O_MAX_QUANTITY.") \
    X(DISCOUNT_OUT_OF_RANGE, 310, INVALID, "A discount is outside 0..100%.", \
      "Send a discount between 0 and 10000 basis points.") \
    X(PAY_METHOD_REQUIRED, 311, REJECTED, "The order type requires a pay method.", \
      "Set an accepted pay method on the quote before converting.") \
    X(CURRENCY_UNKNOWN, 312, INVALID, "The currency is not a supported ISO 4217 code.", \
      "Use a supported ISO 4217 currency code such as USD, EUR, JPY or BHD.") \
    X(SHIP_TO_INVALID, 313, INVALID, "A quote needs exactly one ship-to, and it may not be a gift recipient.", \
      "Set one ship-to address of the customer on the quote header.") \
    X(PRICE_EXPIRED, 314, REJECTED, "The price validity has passed.", \
      "Reprice the quote or create a revision.") \
    X(FIELD_INVALID, 315, INVALID, "A required field is missing or malformed.", \
      "Fill in the field named in the message with a valid value and resend.") \
    X(PAY_METHOD_NOT_ALLOWED, 316, INVALID, \
      "Cash, check and prepaid pay methods, and pay types the order type refuses, are not allowed on quotes.", \
      "Use a credit card, invoice or account pay method the quote's order type accepts.") \
    X(CONFIG_REQUIRES_MISSING, 317, REJECTED, "A configuration rule requires an option that is not on the quote.", \
      "Add the option the message names (q2octl catalog show lists the rule), or remove the line that requires it.") \
    X(CONFIG_EXCLUDED, 318, REJECTED, "Two selected options exclude each other.", \
      "Remove one of the two options the message names, then reprice.") \
    X(CONFIG_QUANTITY_MISMATCH, 319, REJECTED, "A quantity relation between lines does not hold.", \
      "Set the quantity the rule asks for (for example support seats = user seats), then reprice.") \
    X(CONFIG_GROUP_CARDINALITY, 320, REJECTED, "An option group has fewer or more selections than it allows.", \
      "Select between the group's minimum and maximum number of options (the message names the group).") \
    X(CONFIG_ATTRIBUTE_INVALID, 321, REJECTED, "An attribute value is not one the offering allows.", \
      "Choose a value from the attribute's enumeration or range (q2octl catalog show lists them).") \
    X(OFFERING_NOT_ELIGIBLE, 322, REJECTED, "The offering is not sold in the quote's region, segment or channel.", \
      "Choose an offering eligible for the customer's region and segment and the quote's channel.") \
    X(CONFIG_NOT_AN_OPTION, 323, REJECTED, "A line's offering is not an option of its parent bundle, or is sold only inside a bundle.", \
      "Attach the line under a bundle that offers it as an option, or choose a standalone offering.") \
    X(PROMOTION_UNKNOWN, 324, REJECTED, "The promotion code is not in the catalog or does not apply to the offering.", \
      "Use a promotion code from the catalog that covers this offering, or remove the code.") \
    X(ORDER_TYPE_UNKNOWN, 325, REJECTED, "The quote's order type is not in the catalog.", \
      "Use an order type code from the catalog's order_types.") \
    X(CANCEL_DATE_BEFORE_ARRIVAL, 326, INVALID, "The cancel date is earlier than the quote's arrival date.", \
      "Enter a cancel date on or after the arrival date (contract_start, else the creation date), or clear it " \
      "to let acceptance compute it from the order type's expiration days.") \
    /* --- wire format (400..449) --- */ \
    X(WIRE_BAD_MAGIC, 400, INVALID, "The message is not Avro single-object encoded (no C3 01 marker).", \
      "Encode the payload with Avro single-object encoding using the schemas in schemas/.") \
    X(WIRE_UNKNOWN_SCHEMA, 401, INVALID, "The message's schema fingerprint is not a known q2o schema.", \
      "Encode with a schema from schemas/; check the producer's schema version.") \
    X(WIRE_TRUNCATED, 402, INVALID, "The message ended before its fields did.", \
      "Resend the complete message; check the producer for truncation.") \
    X(WIRE_BAD_LENGTH, 403, INVALID, "A string, bytes or array length is negative or beyond its limit.", \
      "Resend with field sizes within the documented limits.") \
    X(WIRE_BAD_ENUM, 404, INVALID, "An enum or union index is out of range.", \
      "Encode with the published schema; an unknown symbol means a newer schema than this reader.") \
    X(WIRE_TRAILING_BYTES, 405, INVALID, "The message has bytes after its last field.", \
      "Resend the message exactly as encoded by an Avro library.") \
    X(WIRE_DECODE_FAILED, 406, INVALID, "The Avro decoder refused the message.", \
      "Check the message against the schema named by its fingerprint.") \
    X(WIRE_ENCODE_FAILED, 407, FATAL, "Encoding a message failed.", \
      "This is a bug: report it with the log line.") \
    X(WIRE_SCHEMA_INVALID, 408, FATAL, "A schema file could not be parsed.", \
      "Fix the schema JSON in schemas/ (the message names the file).") \
    /* --- store (500..549) --- */ \
    X(STORE_IO, 500, FATAL, "The local store failed an I/O operation.", \
      "Check the disk and the store directory's permissions; the store is rebuildable from the event log.") \
    X(STORE_MAP_FULL, 501, RETRY, "The local store's map is full.", \
      "Nothing: the store grows its map and redoes the unit of work.") \
    X(STORE_CORRUPT, 502, FATAL, "The local store holds bytes that do not decode.", \
      "Delete the store directory; the worker rebuilds it from the event log.") \
    X(STORE_VERSION_CONFLICT, 503, REJECTED, "The stream's version is not the one expected.", \
      "Reload the stream and retry against its current version.") \
    X(STORE_NOT_FOUND, 504, REJECTED, "No such record in the local store.", \
      "Check the key.") \
    X(STORE_FULL, 505, FATAL, "The local store reached its configured maximum size.", \
      "Raise Q2O_STORE_MAX_MAP_BYTES or free disk space.") \
    /* --- money (600..649) --- */ \
    X(MONEY_OVERFLOW, 600, INVALID, "An amount is beyond what q2o can represent exactly.", \
      "Reduce the quantity or price; amounts are limited to Q2O_MAX_AMOUNT minor units.") \
    X(MONEY_CURRENCY_MISMATCH, 601, INVALID, "Amounts in different currencies were combined.", \
      "Price every line of a quote in the quote's currency.") \
    /* --- catalog (650..699) --- */ \
    X(CATALOG_INVALID, 650, INVALID, "The catalog document is not valid; nothing was loaded.", \
      "Fix every error listed with its JSON path, then load the file again (q2octl catalog load FILE).") \
    X(CATALOG_NOT_LOADED, 651, REJECTED, "No catalog is loaded, or not the version a line was priced with.", \
      "Load a catalog (q2octl catalog load FILE) and wait until the workers report it (q2octl catalog show).") \
    /* --- core (700..749) --- */ \
    X(NO_MEMORY, 700, FATAL, "Out of memory.", \
      "Give the worker more memory or lower its batch size.") \
    X(INVALID_ARGUMENT, 701, INVALID, "An argument is out of its documented range.", \
      "Check the call against its header.") \
    X(HASH_CHAIN_BROKEN, 702, FATAL, "An event's previous-hash does not match the hash of the event before it.", \
      "The event log was altered: restore it from Kafka and investigate the source of the change.") \
    X(INTERNAL, 703, FATAL, "An internal error occurred.", \
      "This is a bug: report it with the log line.") \
    X(TOO_LARGE, 704, INVALID, "The input exceeds a size limit.", \
      "Send a smaller input; limits are listed in common/core/include/core/limits.h.") \
    X(CONFIG_INVALID, 705, INVALID, "A configuration value is missing or malformed.", \
      "Fix the setting named in the message (environment variable or config file) and restart.") \
    /* --- Kafka (800..849), translated in common/bus --- */ \
    X(KAFKA_RETRIABLE, 800, RETRY, "A Kafka operation failed transiently.", \
      "Nothing: the worker retries the operation.") \
    X(KAFKA_ABORTABLE, 801, RETRY, "The Kafka transaction must be aborted.", \
      "Nothing: the worker aborts, rewinds to the committed offsets and redoes the batch.") \
    X(KAFKA_FENCED, 802, FATAL, "Another instance with the same transactional id took over.", \
      "Nothing: this instance exits; its supervisor restarts it and the newer instance continues.") \
    X(KAFKA_FATAL, 803, FATAL, "The Kafka client hit a fatal error.", \
      "Check the broker and the worker's Kafka settings; the worker exits and its supervisor restarts it.") \
    X(KAFKA_CONFIG, 804, INVALID, "A Kafka client property is invalid.", \
      "Fix the property named in the message (Q2O_KAFKA_* or the config file).") \
    X(KAFKA_TIMEOUT, 805, RETRY, "A Kafka operation timed out.", \
      "Check that the brokers are reachable (bootstrap servers); the worker retries.") \
    X(KAFKA_UNKNOWN_TOPIC, 806, FATAL, "A topic q2o needs does not exist.", \
      "Create the topics: q2octl topics create (or let the broker auto-create them in development).")

typedef enum q2o_err {
#define Q2O_ERR_ENUM_(name, num, cls, msg, fix) Q2O_##name = num,
    Q2O_ERROR_TABLE(Q2O_ERR_ENUM_)
#undef Q2O_ERR_ENUM_
} q2o_err;

/* Name ("QUOTE_EXPIRED"), message and remediation of a code. Never NULL:
 * an unknown number yields "UNKNOWN_ERROR" and a generic text. The strings are
 * static; they live forever. */
const char *q2o_err_name(q2o_err err);
const char *q2o_err_message(q2o_err err);
const char *q2o_err_remediation(q2o_err err);
q2o_err_class q2o_err_class_of(q2o_err err);
const char *q2o_err_class_name(q2o_err_class cls);

/* Look a code up by its name; returns 0 and sets *out, or -1 when unknown. */
int q2o_err_from_name(const char *name, q2o_err *out);

/* Whether a number is a code of the table. */
int q2o_err_is_known(int number);

/* For tests and documentation: the i-th entry of the table (0-based), or -1
 * past the end. */
int q2o_err_at(int index, q2o_err *out);

#endif
