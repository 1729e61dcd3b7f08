/*
 * runtime/erp_worker.h — the ERP worker's operations for the worker loop
 * (runtime/worker.h); services/erp (q2o-erp-worker) is main() around them.
 *
 * Consumes <prefix>quote.events (read_committed, group Q2O_GROUP_ID).
 * On QuoteConvertedToOrder it produces exactly one OrderCreated (Avro,
 * codec/order_codec.h) per converted (quote, revision) to
 * <prefix>order.events, keyed by order id, with CloudEvents headers
 * (ce_id = the order's idempotency key, ce_type "OrderCreated", ce_source
 * "q2o/erp-worker/<instance>", ce_subject = order id, correlation id,
 * causation id = the quote event's id, traceparent passed through). Every
 * other quote event is consumed and ignored.
 *
 * Idempotency key: "order/<quote id>/<revision>" (or "order/h/<hash>" when
 * longer than an id may be), recorded in the store's command-dedupe table
 * with the encoded OrderCreated, in the same store transaction whose Kafka
 * transaction produced it and committed the input offsets. A redelivered
 * or duplicated QuoteConvertedToOrder finds the key and produces nothing.
 * The order's fields all come from the event (deterministic), so a redone
 * batch produces the same bytes.
 *
 * Undecodable input goes to the dead-letter topic. No restore: the orders
 * table is built from the input alone; deleting the store directory makes
 * a redelivered conversion produce its OrderCreated again (downstream
 * consumers dedupe by ce_id, which is deterministic).
 */
#ifndef Q2O_RUNTIME_ERP_WORKER_H
#define Q2O_RUNTIME_ERP_WORKER_H

#include "runtime/worker.h"

typedef struct q2o_erp_worker q2o_erp_worker;

/* Errors: NO_MEMORY, WIRE_SCHEMA_INVALID. */
q2o_err q2o_erp_worker_new(const q2o_config *cfg, q2o_erp_worker **out);
void q2o_erp_worker_free(q2o_erp_worker *ew); /* accepts NULL */
const q2o_worker_ops *q2o_erp_worker_ops(const q2o_erp_worker *ew);

/* The idempotency key of a converted revision (see above). */
void q2o_erp_order_key(const char *quote_id, int32_t revision, char out[Q2O_ID_MAX]);

/* For q2o_worker_main. */
q2o_err q2o_erp_worker_make(const q2o_config *cfg, const q2o_worker_ops **ops, void **ctx, char *detail,
                            size_t detail_size);
void q2o_erp_worker_release(void *ctx);

#endif
